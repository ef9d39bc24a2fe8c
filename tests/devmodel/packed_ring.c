/*
 * Device side of a packed virtqueue. See packed_ring.h.
 */
#include "packed_ring.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio_port_host.h"

static void violation(struct pr_queue *q, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void violation(struct pr_queue *q, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(q->last_violation, sizeof(q->last_violation), fmt, ap);
	va_end(ap);
	q->violations++;
	if (q->on_violation)
		q->on_violation(q, q->last_violation, q->violation_ctx);
	else if (!q->quiet)
		fprintf(stderr, "packed ring: driver violation: %s\n",
			q->last_violation);
}

/* Guest memory, little-endian fields (the host is little-endian). */
static void *gpa(uint64_t phys)
{
	return virtio_port_phys_to_virt(phys);
}
static uint16_t ld16(uint64_t a) { return *(volatile uint16_t *)gpa(a); }
static uint32_t ld32(uint64_t a) { return *(volatile uint32_t *)gpa(a); }
static uint64_t ld64(uint64_t a) { return *(volatile uint64_t *)gpa(a); }
static void st16(uint64_t a, uint16_t v) { *(volatile uint16_t *)gpa(a) = v; }
static void st32(uint64_t a, uint32_t v) { *(volatile uint32_t *)gpa(a) = v; }

/* Descriptor i: addr at 0, len at 8, id at 12, flags at 14 (2.8.13).
 * Event structure: off_wrap at 0, flags at 2 (2.8.14). */
static uint64_t desc_at(const struct pr_queue *q, unsigned i)
{
	return q->desc_addr + 16u * i;
}

static bool is_avail(uint16_t flags, bool wrap)
{
	return !!(flags & PR_F_AVAIL) == wrap && !!(flags & PR_F_USED) != wrap;
}

static void publish_device_event(struct pr_queue *q)
{
	if (q->freeze_event)
		return;
	/* With EVENT_IDX: "kick me once you make next_avail available";
	 * without it notifications stay enabled. */
	if (q->event_idx) {
		st16(q->device_addr,
		     (uint16_t)(q->next_avail | (q->avail_wrap ? 0x8000u : 0)));
		virtio_port_wmb();
		st16(q->device_addr + 2, PR_EV_DESC);
	} else {
		st16(q->device_addr + 2, PR_EV_ENABLE);
	}
}

void pr_init(struct pr_queue *q, uint64_t desc, uint64_t driver,
	     uint64_t device, uint16_t num, bool event_idx, bool indirect_ok)
{
	pr_fini(q);
	q->desc_addr = desc;
	q->driver_addr = driver;
	q->device_addr = device;
	q->num = num;
	q->event_idx = event_idx;
	q->indirect_ok = indirect_ok;
	q->next_avail = q->next_used = 0;
	q->avail_wrap = q->used_wrap = true;
	q->in_flight_desc = 0;
	q->hostile = PR_HOSTILE_NONE;
	if (num == 0 || num > 32768)
		violation(q, "queue size %u out of 1..32768", num);
	publish_device_event(q);
}

void pr_fini(struct pr_queue *q)
{
	for (unsigned i = 0; i < q->nheld; i++)
		free(q->held[i].req.seg);
	free(q->held);
	q->held = NULL;
	q->nheld = q->capheld = 0;
}

static void push_seg(struct pr_queue *q, struct dm_req *r, unsigned *cap,
		     uint64_t addr, uint32_t len, bool write)
{
	if (write)
		r->writable += len;
	else if (r->writable > 0) {
		violation(q, "readable descriptor after a writable one (id %u)",
			  r->head);
		r->bad = true;
	} else
		r->readable += len;
	if (len > 0 && !virtio_host_dma_contains(addr, len)) {
		violation(q, "buffer [%#llx, +%u) is not in DMA memory",
			  (unsigned long long)addr, len);
		r->bad = true;
		return;
	}
	if (r->nseg == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		r->seg = realloc(r->seg, *cap * sizeof(*r->seg));
		if (r->seg == NULL)
			abort();
	}
	r->seg[r->nseg++] = (struct dm_seg){ gpa(addr), len, write };
}

/* Indirect table (2.8.8): consecutive entries, only WRITE is valid. */
static void walk_indirect(struct pr_queue *q, struct dm_req *r, unsigned *cap,
			  uint64_t table, uint32_t len)
{
	if (!q->indirect_ok) {
		violation(q, "indirect descriptor without VIRTIO_F_INDIRECT_DESC");
		r->bad = true;
		return;
	}
	if (len == 0 || len % 16 != 0 || !virtio_host_dma_contains(table, len)) {
		violation(q, "indirect table [%#llx, +%u) invalid",
			  (unsigned long long)table, len);
		r->bad = true;
		return;
	}
	q->indirect_seen++;
	for (uint32_t i = 0; i < len / 16; i++) {
		uint64_t d = table + 16ull * i;
		uint16_t flags = ld16(d + 14);
		if (flags & (PR_F_INDIRECT | PR_F_NEXT)) {
			violation(q, "indirect entry %u has flags %#x", i, flags);
			r->bad = true;
			return;
		}
		push_seg(q, r, cap, ld64(d), ld32(d + 8), flags & PR_F_WRITE);
	}
}

/* Pops the chain at next_avail if it is available (2.8.6, 2.8.21). */
static bool pop(struct pr_queue *q, struct pr_held *h)
{
	uint16_t flags = ld16(desc_at(q, q->next_avail) + 14);
	unsigned cap = 0, n = 0;
	struct dm_req *r = &h->req;

	if (!is_avail(flags, q->avail_wrap))
		return false;
	virtio_port_rmb(); /* flags before the rest of the descriptors */
	memset(h, 0, sizeof(*h));
	q->requests++;
	for (;;) {
		uint64_t d = desc_at(q, q->next_avail);
		flags = ld16(d + 14);
		if (n > 0 && !is_avail(flags, q->avail_wrap)) {
			violation(q, "chain continues into a descriptor that is not "
				  "available (position %u)", q->next_avail);
			r->bad = true;
		}
		r->head = ld16(d + 12); /* the id of the last one counts */
		if (flags & PR_F_INDIRECT) {
			if (flags & PR_F_NEXT) {
				violation(q, "INDIRECT together with NEXT");
				r->bad = true;
			}
			if (n > 0) {
				violation(q, "indirect descriptor inside a chain");
				r->bad = true;
			}
			walk_indirect(q, r, &cap, ld64(d), ld32(d + 8));
		} else {
			push_seg(q, r, &cap, ld64(d), ld32(d + 8),
				 flags & PR_F_WRITE);
		}
		n++;
		if (++q->next_avail == q->num) {
			q->next_avail = 0;
			q->avail_wrap = !q->avail_wrap;
		}
		if (!(flags & PR_F_NEXT) || (flags & PR_F_INDIRECT))
			break;
		if (n + q->in_flight_desc >= q->num) {
			violation(q, "chain longer than the free ring");
			r->bad = true;
			break;
		}
	}
	h->ndesc = (uint16_t)n;
	q->in_flight_desc = (uint16_t)(q->in_flight_desc + n);
	if (r->nseg > q->max_chain)
		q->max_chain = r->nseg;
	return true;
}

/* Used-buffer notification after the used position moved from old
 * (with old_wrap) past the chain just written (2.8.10, 2.8.21.3). */
static void maybe_interrupt(struct pr_queue *q, uint16_t old, bool old_wrap)
{
	uint16_t flags = ld16(q->driver_addr + 2) & 3u;
	bool fire;

	virtio_port_mb();
	if (flags == PR_EV_DISABLE) {
		fire = false;
	} else if (flags == PR_EV_DESC && q->event_idx) {
		uint16_t ow = ld16(q->driver_addr);
		int32_t ev = ow & 0x7fff, o = old, nw = q->next_used;
		bool ev_wrap = (ow & 0x8000) != 0;
		/* positions on one line: the lap of old_wrap starts at 0 */
		if (q->used_wrap != old_wrap)
			nw += q->num;
		if (ev_wrap != old_wrap)
			ev += q->num;
		fire = o <= ev && ev < nw;
	} else {
		if (flags == PR_EV_DESC || flags == 3)
			violation(q, "driver event flags %u (EVENT_IDX %s)", flags,
				  q->event_idx ? "on" : "off");
		fire = true;
	}
	if (fire) {
		q->interrupts++;
		if (q->irq)
			q->irq(q, q->irq_ctx);
	}
}

void pr_push_used(struct pr_queue *q, uint16_t id, uint32_t len,
		  uint16_t flags, uint16_t skip)
{
	uint64_t d = desc_at(q, q->next_used);
	uint16_t old = q->next_used;
	bool old_wrap = q->used_wrap;

	st32(d + 8, len);
	st16(d + 12, id);
	virtio_port_wmb(); /* id and len before the flags that publish them */
	st16(d + 14, flags);
	q->next_used = (uint16_t)(q->next_used + skip);
	while (q->next_used >= q->num) {
		q->next_used = (uint16_t)(q->next_used - q->num);
		q->used_wrap = !q->used_wrap;
	}
	maybe_interrupt(q, old, old_wrap);
}

static bool id_held(const struct pr_queue *q, uint16_t id)
{
	for (unsigned i = 0; i < q->nheld; i++)
		if (q->held[i].req.head == id)
			return true;
	return false;
}

static void complete(struct pr_queue *q, struct pr_held *h, uint32_t len)
{
	enum pr_hostile mode = q->hostile;
	uint32_t p = q->hostile_param;
	uint16_t id = h->req.head;
	uint16_t wrap = q->used_wrap ? (PR_F_AVAIL | PR_F_USED) : 0;
	/* WRITE tells the driver that len counts (2.8.4). */
	uint16_t flags = (uint16_t)(wrap | (h->req.writable && !q->no_write_flag
						    ? PR_F_WRITE : 0));

	q->hostile = PR_HOSTILE_NONE;
	q->completed++;
	q->in_flight_desc = (uint16_t)(q->in_flight_desc - h->ndesc);
	switch (mode) {
	case PR_HOSTILE_NONE:
	case PR_HOSTILE_COUNT:
		break;
	case PR_HOSTILE_ID_OUT_OF_RANGE:
		id = (uint16_t)(q->num + p);
		break;
	case PR_HOSTILE_ID_NOT_IN_FLIGHT:
		for (uint32_t c = 1; c <= q->num; c++) {
			uint16_t cand = (uint16_t)((h->req.head + c) % q->num);
			if (cand != h->req.head && !id_held(q, cand)) {
				id = cand;
				break;
			}
		}
		break;
	case PR_HOSTILE_ID_TWICE:
		pr_push_used(q, id, len, flags, h->ndesc);
		break;
	case PR_HOSTILE_LEN_TOO_BIG:
		len = p ? h->req.writable + p : UINT32_MAX;
		flags |= PR_F_WRITE;
		break;
	case PR_HOSTILE_WRONG_WRAP:
		flags ^= PR_F_AVAIL | PR_F_USED;
		break;
	case PR_HOSTILE_HALF_USED:
		flags ^= PR_F_AVAIL;
		break;
	case PR_HOSTILE_LEN_NO_WRITE:
		len = p;
		flags &= (uint16_t)~PR_F_WRITE;
		break;
	}
	pr_push_used(q, id, len, flags, h->ndesc);
}

static void hold(struct pr_queue *q, const struct pr_held *h)
{
	if (q->nheld == q->capheld) {
		q->capheld = q->capheld ? q->capheld * 2 : 16;
		q->held = realloc(q->held, q->capheld * sizeof(*q->held));
		if (q->held == NULL)
			abort();
	}
	q->held[q->nheld++] = *h;
}

static uint32_t run_backend(struct pr_queue *q, struct dm_req *r)
{
	if (r->bad || q->backend == NULL)
		return 0;
	return q->backend(q, r, q->backend_ctx);
}

void pr_process(struct pr_queue *q)
{
	struct pr_held h;

	if (q->num == 0)
		return;
	for (unsigned guard = 0; guard < 2u * q->num + 2; guard++) {
		if (!pop(q, &h))
			break;
		if (q->defer && !h.req.bad) {
			hold(q, &h);
			continue;
		}
		uint32_t len = run_backend(q, &h.req);
		if (len == DM_DEFER) {
			hold(q, &h);
			continue;
		}
		complete(q, &h, len);
		free(h.req.seg);
	}
	publish_device_event(q);
}

static void remove_held(struct pr_queue *q, unsigned i)
{
	free(q->held[i].req.seg);
	memmove(&q->held[i], &q->held[i + 1],
		(q->nheld - i - 1) * sizeof(*q->held));
	q->nheld--;
}

long pr_complete(struct pr_queue *q, unsigned i)
{
	if (i >= q->nheld)
		return -1;
	uint32_t len = run_backend(q, &q->held[i].req);
	if (len == DM_DEFER)
		len = 0;
	complete(q, &q->held[i], len);
	remove_held(q, i);
	return (long)len;
}

long pr_complete_len(struct pr_queue *q, unsigned i, uint32_t len)
{
	if (i >= q->nheld)
		return -1;
	complete(q, &q->held[i], len);
	remove_held(q, i);
	return (long)len;
}

void pr_set_device_event(struct pr_queue *q, uint16_t flags, uint16_t off_wrap)
{
	q->freeze_event = true;
	st16(q->device_addr, off_wrap);
	st16(q->device_addr + 2, flags);
}

uint16_t pr_driver_event_flags(const struct pr_queue *q)
{
	return ld16(q->driver_addr + 2);
}

uint16_t pr_driver_event_off_wrap(const struct pr_queue *q)
{
	return ld16(q->driver_addr);
}

uint16_t pr_desc_flags(const struct pr_queue *q, uint16_t i)
{
	return ld16(desc_at(q, i) + 14);
}

uint16_t pr_desc_id(const struct pr_queue *q, uint16_t i)
{
	return ld16(desc_at(q, i) + 12);
}

uint32_t pr_echo(struct pr_queue *q, struct dm_req *r, void *ctx)
{
	(void)q;
	(void)ctx;
	uint32_t done = 0;
	unsigned w = 0;
	uint32_t woff = 0;
	for (unsigned i = 0; i < r->nseg; i++) {
		const struct dm_seg *s = &r->seg[i];
		if (s->write)
			continue;
		for (uint32_t k = 0; k < s->len; k++) {
			while (w < r->nseg && (!r->seg[w].write || woff == r->seg[w].len)) {
				w++;
				woff = 0;
			}
			if (w == r->nseg)
				return done;
			r->seg[w].ptr[woff++] = s->ptr[k];
			done++;
		}
	}
	return done;
}

void pr_drop(struct pr_queue *q, unsigned i)
{
	if (i >= q->nheld)
		return;
	q->in_flight_desc = (uint16_t)(q->in_flight_desc - q->held[i].ndesc);
	remove_held(q, i);
}

uint16_t pr_avail_count(const struct pr_queue *q)
{
	/* popped ones, then those still waiting from next_avail on */
	uint16_t n = (uint16_t)q->requests, pos = q->next_avail;
	bool wrap = q->avail_wrap;
	unsigned seen = q->in_flight_desc;

	if (q->num == 0)
		return 0;
	while (seen < q->num) {
		uint16_t f = ld16(desc_at(q, pos) + 14);
		if (!is_avail(f, wrap))
			break;
		seen++;
		if (++pos == q->num) {
			pos = 0;
			wrap = !wrap;
		}
		if (!(f & PR_F_NEXT) || (f & PR_F_INDIRECT))
			n++;
	}
	return n;
}

uint16_t pr_used_flags(const struct pr_queue *q)
{
	return q->used_wrap ? (PR_F_AVAIL | PR_F_USED) : 0;
}
