/*
 * Software virtio-mmio device model. See devmodel.h.
 */
#include "devmodel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio_port_host.h"
#include "packed_ring.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void violation(struct dm_device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void violation(struct dm_device *dev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dev->last_violation, sizeof(dev->last_violation), fmt, ap);
	va_end(ap);
	dev->violations++;
	if (!dev->quiet)
		fprintf(stderr, "devmodel@%#lx: driver violation: %s\n",
			(unsigned long)dev->base, dev->last_violation);
}

static bool modern(const struct dm_device *dev)
{
	return dev->version >= 2;
}

static bool negotiated(const struct dm_device *dev, unsigned bit)
{
	return (dev->driver_features & DM_BIT(bit)) != 0;
}

static void *gpa(uint64_t phys)
{
	return virtio_port_phys_to_virt(phys);
}

/* Guest memory accessors for the rings: the ring fields are
 * little-endian (modern) or guest-native (legacy); the host is
 * little-endian, so both are plain loads. Volatile because the driver
 * owns this memory too. */
static uint16_t ld16(uint64_t phys)
{
	return *(volatile uint16_t *)gpa(phys);
}
static uint32_t ld32(uint64_t phys)
{
	return *(volatile uint32_t *)gpa(phys);
}
static uint64_t ld64(uint64_t phys)
{
	return *(volatile uint64_t *)gpa(phys);
}
static void st16(uint64_t phys, uint16_t v)
{
	*(volatile uint16_t *)gpa(phys) = v;
}
static void st32(uint64_t phys, uint32_t v)
{
	*(volatile uint32_t *)gpa(phys) = v;
}

/* Split-ring layout (2.7). */
static uint64_t desc_at(const struct dm_queue *q, unsigned i)
{
	return q->desc_addr + 16u * i;
}
static uint64_t avail_flags_at(const struct dm_queue *q)
{
	return q->avail_addr;
}
static uint64_t avail_idx_at(const struct dm_queue *q)
{
	return q->avail_addr + 2;
}
static uint64_t avail_ring_at(const struct dm_queue *q, unsigned i)
{
	return q->avail_addr + 4 + 2u * i;
}
static uint64_t used_event_at(const struct dm_queue *q)
{
	return q->avail_addr + 4 + 2u * q->num;
}
static uint64_t used_flags_at(const struct dm_queue *q)
{
	return q->used_addr;
}
static uint64_t used_idx_at(const struct dm_queue *q)
{
	return q->used_addr + 2;
}
static uint64_t used_ring_at(const struct dm_queue *q, unsigned i)
{
	return q->used_addr + 4 + 8u * i;
}
static uint64_t avail_event_at(const struct dm_queue *q)
{
	return q->used_addr + 4 + 8u * q->num;
}

static void free_req(struct dm_req *r)
{
	free(r->seg);
	r->seg = NULL;
	r->nseg = 0;
}

static void packed_free(struct dm_queue *q);

static void queue_reset(struct dm_queue *q)
{
	packed_free(q);
	for (unsigned i = 0; i < q->nheld; i++)
		free_req(&q->held[i]);
	q->nheld = 0;
	q->num = 0;
	q->ready = 0;
	q->desc_addr = q->avail_addr = q->used_addr = 0;
	q->pfn = 0;
	q->align = 4096;
	q->live = false;
	q->last_avail = 0;
	q->used_idx = 0;
	q->hostile = DM_HOSTILE_NONE;
}

static void device_reset(struct dm_device *dev)
{
	dev->resets++;
	dev->status = 0;
	dev->driver_features = 0;
	dev->device_features_sel = 0;
	dev->driver_features_sel = 0;
	dev->queue_sel = 0;
	dev->interrupt_status = 0;
	dev->guest_page_size = 0;
	for (unsigned i = 0; i < DM_MAX_QUEUES; i++)
		queue_reset(&dev->q[i]);
}

static void raise_irq(struct dm_device *dev, uint32_t bits)
{
	dev->interrupt_status |= bits;
	dev->interrupts++;
	if (dev->irq_line_set)
		virtio_host_irq_raise(dev->irq_line);
}

/* ------------------------------------------------------------------ */
/* Queue setup                                                         */
/* ------------------------------------------------------------------ */

static struct dm_queue *sel_queue(struct dm_device *dev)
{
	if (dev->queue_sel >= DM_MAX_QUEUES)
		return NULL;
	return &dev->q[dev->queue_sel];
}

static bool check_ring_mem(struct dm_device *dev, const char *what,
			   uint64_t addr, uint64_t len, uint64_t align)
{
	if (addr % align != 0) {
		violation(dev, "queue %u: %s at %#llx not aligned to %llu",
			  dev->queue_sel, what, (unsigned long long)addr,
			  (unsigned long long)align);
		return false;
	}
	if (!virtio_host_dma_contains(addr, len)) {
		violation(dev, "queue %u: %s [%#llx, +%llu) is not in DMA memory",
			  dev->queue_sel, what, (unsigned long long)addr,
			  (unsigned long long)len);
		return false;
	}
	return true;
}

static bool check_num(struct dm_device *dev, struct dm_queue *q)
{
	if (q->num == 0 || q->num > q->num_max || (q->num & (q->num - 1))) {
		violation(dev, "queue %u: size %u invalid (max %u, power of two)",
			  dev->queue_sel, q->num, q->num_max);
		return false;
	}
	return true;
}

/* Validates the ring memory; used by both layouts. */
static bool check_rings(struct dm_device *dev, struct dm_queue *q)
{
	bool ok = check_ring_mem(dev, "descriptor table", q->desc_addr,
				 16ull * q->num, 16);
	ok &= check_ring_mem(dev, "avail ring", q->avail_addr,
			     6ull + 2ull * q->num, 2);
	ok &= check_ring_mem(dev, "used ring", q->used_addr,
			     6ull + 8ull * q->num, 4);
	return ok;
}

static void legacy_set_pfn(struct dm_device *dev, struct dm_queue *q,
			   uint32_t pfn)
{
	if (pfn == 0) {
		uint16_t nm = q->num_max;
		queue_reset(q);
		q->num_max = nm;
		return;
	}
	if (dev->guest_page_size == 0 ||
	    (dev->guest_page_size & (dev->guest_page_size - 1))) {
		violation(dev, "QueuePFN written with GuestPageSize %u",
			  dev->guest_page_size);
		return;
	}
	if (q->align == 0 || (q->align & (q->align - 1))) {
		violation(dev, "QueuePFN written with QueueAlign %u", q->align);
		return;
	}
	if (!check_num(dev, q))
		return;
	q->pfn = pfn;
	q->desc_addr = (uint64_t)pfn * dev->guest_page_size;
	q->avail_addr = q->desc_addr + 16ull * q->num;
	uint64_t avail_end = q->avail_addr + 6ull + 2ull * q->num;
	q->used_addr = (avail_end + q->align - 1) & ~(uint64_t)(q->align - 1);
	if (!check_rings(dev, q))
		return;
	q->live = true;
	q->last_avail = 0;
	q->used_idx = 0;
}

static bool packed_start(struct dm_device *dev, struct dm_queue *q);

static void modern_set_ready(struct dm_device *dev, struct dm_queue *q,
			     uint32_t v)
{
	if (v == 0) {
		q->ready = 0;
		q->live = false;
		return;
	}
	if (negotiated(dev, DM_F_RING_PACKED)) {
		if (!packed_start(dev, q))
			return;
	} else if (!check_num(dev, q) || !check_rings(dev, q))
		return;
	q->ready = 1;
	q->live = true;
	q->last_avail = 0;
	q->used_idx = 0;
}

/* ------------------------------------------------------------------ */
/* Request processing                                                  */
/* ------------------------------------------------------------------ */

static bool push_seg(struct dm_device *dev, struct dm_req *r, unsigned *cap,
		     uint64_t addr, uint32_t len, bool write)
{
	if (write)
		r->writable += len;
	else if (r->writable > 0) {
		violation(dev, "readable descriptor after a writable one (head %u)",
			  r->head);
		r->bad = true;
	} else
		r->readable += len;
	if (dev->strict_buffers && len > 0 &&
	    !virtio_host_dma_contains(addr, len)) {
		violation(dev, "buffer [%#llx, +%u) is not in DMA memory (head %u)",
			  (unsigned long long)addr, len, r->head);
		r->bad = true;
		return false;
	}
	if (r->nseg == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		r->seg = realloc(r->seg, *cap * sizeof(*r->seg));
		if (r->seg == NULL)
			abort();
	}
	r->seg[r->nseg++] = (struct dm_seg){ gpa(addr), len, write };
	return true;
}

/* Walks an indirect table. */
static void walk_indirect(struct dm_device *dev, struct dm_queue *q,
			  struct dm_req *r, unsigned *cap, uint64_t table,
			  uint32_t len)
{
	(void)q;
	if (!negotiated(dev, DM_F_INDIRECT_DESC)) {
		violation(dev, "indirect descriptor without VIRTIO_F_INDIRECT_DESC");
		r->bad = true;
		return;
	}
	if (len == 0 || len % 16 != 0) {
		violation(dev, "indirect table length %u not a multiple of 16", len);
		r->bad = true;
		return;
	}
	if (!virtio_host_dma_contains(table, len) && dev->strict_buffers) {
		violation(dev, "indirect table not in DMA memory");
		r->bad = true;
		return;
	}
	unsigned n = len / 16, i = 0, steps = 0;
	for (;;) {
		uint64_t d = table + 16ull * i;
		uint64_t addr = ld64(d);
		uint32_t dlen = ld32(d + 8);
		uint16_t flags = ld16(d + 12);
		uint16_t next = ld16(d + 14);
		if (flags & DM_DESC_F_INDIRECT) {
			violation(dev, "nested indirect descriptor");
			r->bad = true;
			return;
		}
		if (!push_seg(dev, r, cap, addr, dlen,
			      (flags & DM_DESC_F_WRITE) != 0))
			return;
		if (!(flags & DM_DESC_F_NEXT))
			return;
		if (next >= n) {
			violation(dev, "indirect next %u out of table of %u", next, n);
			r->bad = true;
			return;
		}
		if (++steps >= n) {
			violation(dev, "indirect chain loops");
			r->bad = true;
			return;
		}
		i = next;
	}
}

static bool pop_request(struct dm_device *dev, struct dm_queue *q,
			struct dm_req *r)
{
	memset(r, 0, sizeof(*r));
	unsigned cap = 0;
	uint16_t head = ld16(avail_ring_at(q, q->last_avail % q->num));
	q->last_avail++;
	q->requests++;
	r->head = head;
	if (head >= q->num) {
		violation(dev, "avail ring head %u >= queue size %u", head, q->num);
		r->bad = true;
		return true;
	}
	unsigned i = head, steps = 0;
	for (;;) {
		uint64_t d = desc_at(q, i);
		uint64_t addr = ld64(d);
		uint32_t len = ld32(d + 8);
		uint16_t flags = ld16(d + 12);
		uint16_t next = ld16(d + 14);
		if (steps == 1) {
			r->second = (uint16_t)i;
			r->has_second = true;
		}
		if (flags & DM_DESC_F_INDIRECT) {
			if (flags & DM_DESC_F_NEXT) {
				violation(dev, "INDIRECT together with NEXT (desc %u)", i);
				r->bad = true;
				break;
			}
			q->indirect_seen++;
			walk_indirect(dev, q, r, &cap, addr, len);
			break;
		}
		if (!push_seg(dev, r, &cap, addr, len,
			      (flags & DM_DESC_F_WRITE) != 0))
			break;
		if (!(flags & DM_DESC_F_NEXT))
			break;
		if (next >= q->num) {
			violation(dev, "desc %u: next %u >= queue size", i, next);
			r->bad = true;
			break;
		}
		if (++steps >= q->num) {
			violation(dev, "descriptor chain from head %u loops", head);
			r->bad = true;
			break;
		}
		i = next;
	}
	if (r->nseg > q->max_chain)
		q->max_chain = r->nseg;
	return true;
}

static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

static void maybe_interrupt(struct dm_device *dev, struct dm_queue *q,
			    uint16_t old_idx, uint16_t new_idx)
{
	bool fire;
	if (negotiated(dev, DM_F_EVENT_IDX))
		fire = need_event(ld16(used_event_at(q)), new_idx, old_idx);
	else
		fire = !(ld16(avail_flags_at(q)) & DM_AVAIL_F_NO_INTERRUPT);
	if (fire) {
		q->interrupts++;
		raise_irq(dev, DM_INT_VRING);
	}
}

static void write_used(struct dm_queue *q, uint32_t id, uint32_t len)
{
	uint64_t e = used_ring_at(q, q->used_idx % q->num);
	st32(e, id);
	st32(e + 4, len);
}

static void publish_idx(struct dm_device *dev, struct dm_queue *q,
			uint16_t new_idx)
{
	uint16_t old = q->used_idx;
	virtio_port_wmb();
	q->used_idx = new_idx;
	st16(used_idx_at(q), new_idx);
	virtio_port_mb();
	maybe_interrupt(dev, q, old, new_idx);
}

static bool is_held_head(const struct dm_queue *q, uint16_t id)
{
	for (unsigned i = 0; i < q->nheld; i++)
		if (q->held[i].head == id)
			return true;
	return false;
}

static void complete(struct dm_device *dev, struct dm_queue *q,
		     struct dm_req *r, uint32_t len)
{
	enum dm_hostile_used h = q->hostile;
	uint32_t p = q->hostile_param;
	uint32_t id = r->head;
	q->hostile = DM_HOSTILE_NONE;
	q->completed++;
	switch (h) {
	case DM_HOSTILE_NONE:
		break;
	case DM_HOSTILE_ID_OUT_OF_RANGE:
		id = q->num + p;
		break;
	case DM_HOSTILE_ID_NOT_HEAD:
		if (r->has_second) {
			id = r->second;
		} else {
			/* any descriptor that heads nothing in flight */
			for (uint32_t c = 1; c < q->num; c++) {
				uint16_t cand = (uint16_t)((r->head + c) % q->num);
				if (!is_held_head(q, cand)) {
					id = cand;
					break;
				}
			}
		}
		break;
	case DM_HOSTILE_ID_TWICE:
		write_used(q, id, len);
		publish_idx(dev, q, (uint16_t)(q->used_idx + 1));
		break;
	case DM_HOSTILE_LEN_TOO_BIG:
		len = p ? r->writable + p : UINT32_MAX;
		break;
	case DM_HOSTILE_IDX_JUMP:
		write_used(q, id, len);
		publish_idx(dev, q, (uint16_t)(q->used_idx + q->num + 1 + p));
		return;
	}
	write_used(q, id, len);
	publish_idx(dev, q, (uint16_t)(q->used_idx + 1));
}

static uint32_t run_backend(struct dm_device *dev, unsigned qi,
			    struct dm_req *r)
{
	if (r->bad || dev->backend == NULL)
		return 0;
	return dev->backend(dev, qi, r, dev->backend_ctx);
}

/* ------------------------------------------------------------------ */
/* Packed layout (VIRTIO_F_RING_PACKED): packed_ring.c runs the queue   */
/* ------------------------------------------------------------------ */

struct dm_packed {
	struct pr_queue pr; /* first: q->packed points here */
	struct dm_device *dev;
	unsigned qi;
	uint64_t requests_base; /* requests before this queue started */
};

static uint32_t packed_backend(struct pr_queue *pq, struct dm_req *r, void *ctx)
{
	struct dm_packed *p = ctx;
	(void)pq;
	if (p->dev->backend == NULL)
		return 0;
	return p->dev->backend(p->dev, p->qi, r, p->dev->backend_ctx);
}

static void packed_irq(struct pr_queue *pq, void *ctx)
{
	struct dm_packed *p = ctx;
	(void)pq;
	raise_irq(p->dev, DM_INT_VRING);
}

static void packed_violation(struct pr_queue *pq, const char *msg, void *ctx)
{
	struct dm_packed *p = ctx;
	(void)pq;
	violation(p->dev, "queue %u (packed): %s", p->qi, msg);
}

static void packed_free(struct dm_queue *q)
{
	if (q->packed == NULL)
		return;
	pr_fini(q->packed);
	free(q->packed);
	q->packed = NULL;
}

/* Spec 2.8.10-2.8.14: ring of 16-byte descriptors (aligned 16), two
 * 4-byte event structures (aligned 4); any size up to 2^15. */
static bool packed_start(struct dm_device *dev, struct dm_queue *q)
{
	if (q->num == 0 || q->num > q->num_max || q->num > 32768) {
		violation(dev, "queue %u: packed size %u invalid (max %u)",
			  dev->queue_sel, q->num, q->num_max);
		return false;
	}
	bool ok = check_ring_mem(dev, "descriptor ring", q->desc_addr,
				 16ull * q->num, 16);
	ok &= check_ring_mem(dev, "driver event suppression", q->avail_addr, 4, 4);
	ok &= check_ring_mem(dev, "device event suppression", q->used_addr, 4, 4);
	if (!ok)
		return false;
	packed_free(q);
	struct dm_packed *p = calloc(1, sizeof(*p));
	if (p == NULL)
		abort();
	p->dev = dev;
	p->qi = (unsigned)(q - dev->q);
	pr_init(&p->pr, q->desc_addr, q->avail_addr, q->used_addr,
		(uint16_t)q->num, negotiated(dev, DM_F_EVENT_IDX),
		negotiated(dev, DM_F_INDIRECT_DESC));
	p->pr.backend = packed_backend;
	p->pr.backend_ctx = p;
	p->pr.irq = packed_irq;
	p->pr.irq_ctx = p;
	p->pr.on_violation = packed_violation;
	p->pr.violation_ctx = p;
	/* counters run on across resets, as the split ones do */
	p->pr.completed = q->completed;
	p->pr.interrupts = q->interrupts;
	p->pr.requests = q->requests;
	p->requests_base = q->requests;
	p->pr.max_chain = q->max_chain;
	p->pr.indirect_seen = q->indirect_seen;
	q->packed = &p->pr;
	return true;
}

/* Test controls in, counters out. */
static void packed_controls(struct dm_device *dev, struct dm_queue *q)
{
	q->packed->defer = q->defer;
	q->packed->quiet = dev->quiet;
	q->packed->freeze_event = q->freeze_avail_event;
}

static void packed_counters(struct dm_queue *q)
{
	q->completed = q->packed->completed;
	q->interrupts = q->packed->interrupts;
	q->requests = q->packed->requests;
	q->max_chain = q->packed->max_chain;
	q->indirect_seen = q->packed->indirect_seen;
}

void dm_queue_process(struct dm_device *dev, unsigned qi)
{
	if (qi >= DM_MAX_QUEUES)
		return;
	struct dm_queue *q = &dev->q[qi];
	if (!q->live)
		return;
	if (q->packed) {
		packed_controls(dev, q);
		pr_process(q->packed);
		packed_counters(q);
		/* "no notifications, please": the packed ring's DISABLE */
		if (q->set_no_notify)
			pr_set_device_event(q->packed, PR_EV_DISABLE, 0);
		q->packed->freeze_event = q->freeze_avail_event;
		return;
	}
	for (;;) {
		uint16_t aidx = ld16(avail_idx_at(q));
		virtio_port_rmb();
		if (aidx == q->last_avail)
			break;
		if ((uint16_t)(aidx - q->last_avail) > q->num) {
			violation(dev, "queue %u: avail idx %u is more than %u ahead of %u",
				  qi, aidx, q->num, q->last_avail);
			break;
		}
		struct dm_req r;
		pop_request(dev, q, &r);
		if (q->defer && !r.bad) {
			if (q->nheld == q->capheld) {
				q->capheld = q->capheld ? q->capheld * 2 : 16;
				q->held = realloc(q->held,
						  q->capheld * sizeof(*q->held));
				if (q->held == NULL)
					abort();
			}
			q->held[q->nheld++] = r;
			continue;
		}
		uint32_t len = run_backend(dev, qi, &r);
		if (len == DM_DEFER) {
			if (q->nheld == q->capheld) {
				q->capheld = q->capheld ? q->capheld * 2 : 16;
				q->held = realloc(q->held,
						  q->capheld * sizeof(*q->held));
				if (q->held == NULL)
					abort();
			}
			q->held[q->nheld++] = r;
			continue;
		}
		complete(dev, q, &r, len);
		free_req(&r);
	}
	if (negotiated(dev, DM_F_EVENT_IDX) && !q->freeze_avail_event)
		st16(avail_event_at(q), q->last_avail);
	if (q->set_no_notify)
		st16(used_flags_at(q), DM_USED_F_NO_NOTIFY);
}

unsigned dm_queue_held(struct dm_device *dev, unsigned qi)
{
	if (qi < DM_MAX_QUEUES && dev->q[qi].packed)
		return dev->q[qi].packed->nheld;
	return qi < DM_MAX_QUEUES ? dev->q[qi].nheld : 0;
}

const struct dm_req *dm_queue_held_req(struct dm_device *dev, unsigned qi,
				       unsigned i)
{
	if (qi < DM_MAX_QUEUES && dev->q[qi].packed)
		return i < dev->q[qi].packed->nheld ? &dev->q[qi].packed->held[i].req
						    : NULL;
	if (qi >= DM_MAX_QUEUES || i >= dev->q[qi].nheld)
		return NULL;
	return &dev->q[qi].held[i];
}

static void remove_held(struct dm_queue *q, unsigned i)
{
	free_req(&q->held[i]);
	memmove(&q->held[i], &q->held[i + 1],
		(q->nheld - i - 1) * sizeof(*q->held));
	q->nheld--;
}

long dm_queue_complete(struct dm_device *dev, unsigned qi, unsigned i)
{
	if (qi < DM_MAX_QUEUES && dev->q[qi].packed) {
		struct dm_queue *q = &dev->q[qi];
		packed_controls(dev, q);
		long r = pr_complete(q->packed, i);
		packed_counters(q);
		return r;
	}
	if (qi >= DM_MAX_QUEUES || i >= dev->q[qi].nheld)
		return -1;
	struct dm_queue *q = &dev->q[qi];
	struct dm_req r = q->held[i];
	uint32_t len = run_backend(dev, qi, &r);
	if (len == DM_DEFER)
		len = 0;
	complete(dev, q, &r, len);
	remove_held(q, i);
	return (long)len;
}

int dm_queue_complete_len(struct dm_device *dev, unsigned qi, unsigned i,
			  uint32_t len)
{
	if (qi < DM_MAX_QUEUES && dev->q[qi].packed) {
		struct dm_queue *q = &dev->q[qi];
		packed_controls(dev, q);
		long r = pr_complete_len(q->packed, i, len);
		packed_counters(q);
		return r < 0 ? -1 : 0;
	}
	if (qi >= DM_MAX_QUEUES || i >= dev->q[qi].nheld)
		return -1;
	struct dm_queue *q = &dev->q[qi];
	complete(dev, q, &q->held[i], len);
	remove_held(q, i);
	return 0;
}

void dm_queue_drop(struct dm_device *dev, unsigned qi, unsigned i)
{
	if (qi < DM_MAX_QUEUES && dev->q[qi].packed) {
		pr_drop(dev->q[qi].packed, i);
		return;
	}
	if (qi < DM_MAX_QUEUES && i < dev->q[qi].nheld)
		remove_held(&dev->q[qi], i);
}

void dm_queue_hostile(struct dm_device *dev, unsigned qi,
		      enum dm_hostile_used mode, uint32_t param)
{
	if (qi >= DM_MAX_QUEUES)
		return;
	dev->q[qi].hostile = mode;
	dev->q[qi].hostile_param = param;
	if (dev->q[qi].packed) {
		/* Packed equivalents: ids are not positions, so "not a head"
		 * is an id not in flight; there is no used idx to jump, a
		 * used descriptor with the wrong wrap counter is the lie. */
		static const enum pr_hostile map[] = {
			[DM_HOSTILE_NONE] = PR_HOSTILE_NONE,
			[DM_HOSTILE_ID_OUT_OF_RANGE] = PR_HOSTILE_ID_OUT_OF_RANGE,
			[DM_HOSTILE_ID_NOT_HEAD] = PR_HOSTILE_ID_NOT_IN_FLIGHT,
			[DM_HOSTILE_ID_TWICE] = PR_HOSTILE_ID_TWICE,
			[DM_HOSTILE_LEN_TOO_BIG] = PR_HOSTILE_LEN_TOO_BIG,
			[DM_HOSTILE_IDX_JUMP] = PR_HOSTILE_WRONG_WRAP,
		};
		dev->q[qi].packed->hostile =
			(unsigned)mode < sizeof(map) / sizeof(map[0]) ? map[mode]
								   : PR_HOSTILE_NONE;
		dev->q[qi].packed->hostile_param = param;
		dev->q[qi].hostile = DM_HOSTILE_NONE;
	}
}

void dm_queue_push_used(struct dm_device *dev, unsigned qi, uint32_t id,
			uint32_t len)
{
	struct dm_queue *q = &dev->q[qi];
	if (!q->live)
		return;
	if (q->packed) { /* one descriptor's worth at the next used position */
		pr_push_used(q->packed, (uint16_t)id, len,
			     (uint16_t)(pr_used_flags(q->packed) | PR_F_WRITE), 1);
		packed_counters(q);
		return;
	}
	write_used(q, id, len);
	publish_idx(dev, q, (uint16_t)(q->used_idx + 1));
}

void dm_queue_set_used_idx(struct dm_device *dev, unsigned qi, uint16_t idx)
{
	struct dm_queue *q = &dev->q[qi];
	if (!q->live)
		return;
	if (q->packed) { /* no used idx: a used descriptor of the wrong lap */
		(void)idx;
		pr_push_used(q->packed, 0, 0,
			     (uint16_t)(pr_used_flags(q->packed) ^
					(PR_F_AVAIL | PR_F_USED)), 0);
		return;
	}
	publish_idx(dev, q, idx);
}

void dm_queue_set_avail_event(struct dm_device *dev, unsigned qi,
			      uint16_t value)
{
	struct dm_queue *q = &dev->q[qi];
	q->freeze_avail_event = true;
	if (q->live && q->packed) /* value: off_wrap of a DESC request */
		pr_set_device_event(q->packed, PR_EV_DESC, value);
	else if (q->live)
		st16(avail_event_at(q), value);
}

uint16_t dm_queue_avail_idx(struct dm_device *dev, unsigned qi)
{
	if (dev->q[qi].live && dev->q[qi].packed) /* chains made available */
		return (uint16_t)(pr_avail_count(dev->q[qi].packed) -
				  ((struct dm_packed *)(void *)dev->q[qi].packed)->requests_base);
	return dev->q[qi].live ? ld16(avail_idx_at(&dev->q[qi])) : 0;
}

uint16_t dm_queue_chain_id(struct dm_device *dev, unsigned qi, uint16_t pos)
{
	if (!dev->q[qi].live)
		return 0;
	if (dev->q[qi].packed)
		return pr_desc_id(dev->q[qi].packed, pos);
	return ld16(avail_ring_at(&dev->q[qi], pos));
}

uint16_t dm_queue_avail_flags(struct dm_device *dev, unsigned qi)
{
	if (dev->q[qi].live && dev->q[qi].packed)
		return pr_driver_event_flags(dev->q[qi].packed);
	return dev->q[qi].live ? ld16(avail_flags_at(&dev->q[qi])) : 0;
}

uint16_t dm_queue_used_event(struct dm_device *dev, unsigned qi)
{
	if (dev->q[qi].live && dev->q[qi].packed)
		return pr_driver_event_off_wrap(dev->q[qi].packed);
	return dev->q[qi].live ? ld16(used_event_at(&dev->q[qi])) : 0;
}

/* ------------------------------------------------------------------ */
/* Register file                                                       */
/* ------------------------------------------------------------------ */

static bool legacy_only(uint32_t off)
{
	return off == DM_REG_GUEST_PAGE_SIZE || off == DM_REG_QUEUE_ALIGN ||
	       off == DM_REG_QUEUE_PFN;
}

static bool modern_only(uint32_t off)
{
	return off == DM_REG_QUEUE_READY ||
	       (off >= DM_REG_QUEUE_DESC_LOW && off <= DM_REG_QUEUE_RESET) ||
	       off == DM_REG_CONFIG_GENERATION;
}

static uint32_t config_read(struct dm_device *dev, uint32_t off,
			    unsigned size)
{
	dev->config_reads++;
	if (size == 1)
		dev->config_byte_reads++;
	else
		dev->config_wide_reads++;
	if (modern(dev) && off % size != 0)
		violation(dev, "unaligned %u-byte config read at %#x", size, off);
	if (dev->on_config_read)
		dev->on_config_read(dev, off, size, dev->on_config_read_ctx);
	if (off + size > dev->config_len) {
		violation(dev, "config read at %#x+%u beyond config size %u", off,
			  size, dev->config_len);
		return 0;
	}
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)dev->config[off + i] << (8 * i);
	return v;
}

static void config_write(struct dm_device *dev, uint32_t off, uint32_t v,
			 unsigned size)
{
	dev->config_writes++;
	if (modern(dev) && off % size != 0)
		violation(dev, "unaligned %u-byte config write at %#x", size, off);
	if (off + size > dev->config_len) {
		violation(dev, "config write at %#x+%u beyond config size %u", off,
			  size, dev->config_len);
		return;
	}
	for (unsigned i = 0; i < size; i++)
		dev->config[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t read_status(struct dm_device *dev)
{
	if (dev->status_lie_reads > 0) {
		dev->status_lie_reads--;
		return dev->status_lie;
	}
	if (dev->stale_reads_left > 0) {
		dev->stale_reads_left--;
		return dev->stale_status;
	}
	return dev->status;
}

static uint32_t read_generation(struct dm_device *dev)
{
	dev->generation_reads++;
	if (dev->generation_always_changes)
		dev->config_generation++;
	else if (dev->generation_changes > 0) {
		dev->generation_changes--;
		dev->config_generation++;
	}
	return dev->config_generation;
}

static uint32_t device_features_word(struct dm_device *dev)
{
	if (!modern(dev))
		return dev->device_features_sel == 0
			       ? (uint32_t)dev->device_features
			       : 0;
	if (dev->device_features_sel == 0)
		return (uint32_t)dev->device_features;
	if (dev->device_features_sel == 1)
		return (uint32_t)(dev->device_features >> 32);
	return 0;
}

static void write_driver_features(struct dm_device *dev, uint32_t v)
{
	if (modern(dev) && (dev->status & DM_S_FEATURES_OK))
		violation(dev, "DriverFeatures written after FEATURES_OK");
	if (dev->driver_features_sel == 0)
		dev->driver_features = (dev->driver_features & ~0xffffffffull) | v;
	else if (dev->driver_features_sel == 1 && modern(dev))
		dev->driver_features = (dev->driver_features & 0xffffffffull) |
				       ((uint64_t)v << 32);
	else if (v != 0)
		violation(dev, "DriverFeatures %#x written with selector %u", v,
			  dev->driver_features_sel);
}

static uint32_t reg_read(void *ctx, uint32_t off, unsigned size)
{
	struct dm_device *dev = ctx;
	if (off >= DM_REG_CONFIG)
		return config_read(dev, off - DM_REG_CONFIG, size);
	if (size != 4 || off % 4 != 0) {
		violation(dev, "%u-byte register read at %#x (must be 32-bit)",
			  size, off);
		return 0;
	}
	if (!modern(dev) && modern_only(off) && dev->version == 1) {
		violation(dev, "read of modern-only register %#x on a legacy device",
			  off);
		return 0;
	}
	struct dm_queue *q = sel_queue(dev);
	switch (off) {
	case DM_REG_MAGIC: return dev->magic;
	case DM_REG_VERSION: return dev->version;
	case DM_REG_DEVICE_ID: return dev->device_id;
	case DM_REG_VENDOR_ID: return dev->vendor_id;
	case DM_REG_DEVICE_FEATURES:
		return device_features_word(dev);
	case DM_REG_QUEUE_NUM_MAX:
		return (q && dev->queue_sel < dev->num_queues) ? q->num_max : 0;
	case DM_REG_QUEUE_PFN:
		return q ? q->pfn : 0;
	case DM_REG_QUEUE_READY:
		return q ? q->ready : 0;
	case DM_REG_INTERRUPT_STATUS:
		return dev->interrupt_status;
	case DM_REG_STATUS:
		return read_status(dev);
	case DM_REG_QUEUE_DESC_LOW: return q ? (uint32_t)q->desc_addr : 0;
	case DM_REG_QUEUE_DESC_HIGH: return q ? (uint32_t)(q->desc_addr >> 32) : 0;
	case DM_REG_QUEUE_DRIVER_LOW: return q ? (uint32_t)q->avail_addr : 0;
	case DM_REG_QUEUE_DRIVER_HIGH: return q ? (uint32_t)(q->avail_addr >> 32) : 0;
	case DM_REG_QUEUE_DEVICE_LOW: return q ? (uint32_t)q->used_addr : 0;
	case DM_REG_QUEUE_DEVICE_HIGH: return q ? (uint32_t)(q->used_addr >> 32) : 0;
	case DM_REG_SHM_LEN_LOW:
	case DM_REG_SHM_LEN_HIGH:
	case DM_REG_SHM_BASE_LOW:
	case DM_REG_SHM_BASE_HIGH:
		return 0xffffffffu; /* no shared memory regions */
	case DM_REG_QUEUE_RESET:
		return 0;
	case DM_REG_CONFIG_GENERATION:
		return read_generation(dev);
	default:
		violation(dev, "read of write-only or reserved register %#x", off);
		return 0;
	}
}

static void write_status(struct dm_device *dev, uint32_t v)
{
	if (dev->status_writes < 32)
		dev->status_log[dev->status_writes] = v;
	dev->status_writes++;
	if (v == 0) {
		if (dev->reset_never_completes)
			return;
		uint32_t old = dev->status;
		device_reset(dev);
		if (dev->reset_delay_reads > 0 && old != 0) {
			dev->stale_status = old;
			dev->stale_reads_left = dev->reset_delay_reads;
		}
		return;
	}
	if (v > 0xff)
		violation(dev, "status write %#x has bits above 7", v);
	if ((dev->status & ~v) & ~(uint32_t)DM_S_NEEDS_RESET)
		violation(dev, "status write %#x clears bits of %#x without reset",
			  v, dev->status);
	uint32_t newly = v & ~dev->status;
	if (newly & DM_S_FEATURES_OK) {
		if (!modern(dev))
			violation(dev, "FEATURES_OK written on a legacy device");
		if ((dev->driver_features & ~dev->device_features) != 0) {
			violation(dev, "driver accepted features %#llx not offered",
				  (unsigned long long)(dev->driver_features &
						       ~dev->device_features));
			v &= ~DM_S_FEATURES_OK;
		}
		if (modern(dev) && !negotiated(dev, DM_F_VERSION_1)) {
			violation(dev, "modern device: VERSION_1 not accepted");
			v &= ~DM_S_FEATURES_OK;
		}
		if (dev->refuse_features_ok)
			v &= ~DM_S_FEATURES_OK;
	}
	if (newly & DM_S_DRIVER_OK) {
		if (modern(dev) && !(v & DM_S_FEATURES_OK) && !(v & DM_S_FAILED))
			violation(dev, "DRIVER_OK without FEATURES_OK");
		if (!modern(dev) &&
		    (dev->driver_features & ~dev->device_features) != 0)
			violation(dev, "driver accepted features %#llx not offered",
				  (unsigned long long)(dev->driver_features &
						       ~dev->device_features));
	}
	if (dev->refuse_driver_ok)
		v &= ~DM_S_DRIVER_OK;
	/* NEEDS_RESET is the device's bit: keep it. */
	dev->status = v | (dev->status & DM_S_NEEDS_RESET);
}

static void reg_write(void *ctx, uint32_t off, uint32_t v, unsigned size)
{
	struct dm_device *dev = ctx;
	if (off >= DM_REG_CONFIG) {
		config_write(dev, off - DM_REG_CONFIG, v, size);
		return;
	}
	if (size != 4 || off % 4 != 0) {
		violation(dev, "%u-byte register write at %#x (must be 32-bit)",
			  size, off);
		return;
	}
	if (!modern(dev) && modern_only(off)) {
		violation(dev, "write of modern-only register %#x on a legacy device",
			  off);
		return;
	}
	if (modern(dev) && legacy_only(off)) {
		violation(dev, "write of legacy-only register %#x on a modern device",
			  off);
		return;
	}
	struct dm_queue *q = sel_queue(dev);
	switch (off) {
	case DM_REG_DEVICE_FEATURES_SEL:
		dev->device_features_sel = v;
		return;
	case DM_REG_DRIVER_FEATURES:
		write_driver_features(dev, v);
		return;
	case DM_REG_DRIVER_FEATURES_SEL:
		dev->driver_features_sel = v;
		return;
	case DM_REG_GUEST_PAGE_SIZE:
		dev->guest_page_size = v;
		return;
	case DM_REG_QUEUE_SEL:
		dev->queue_sel = v;
		return;
	case DM_REG_QUEUE_NUM:
		if (q == NULL || dev->queue_sel >= dev->num_queues) {
			violation(dev, "QueueNum for missing queue %u", dev->queue_sel);
			return;
		}
		if (q->live)
			violation(dev, "QueueNum written while queue %u is live",
				  dev->queue_sel);
		q->num = v;
		return;
	case DM_REG_QUEUE_ALIGN:
		if (q)
			q->align = v;
		return;
	case DM_REG_QUEUE_PFN:
		if (q == NULL || dev->queue_sel >= dev->num_queues) {
			violation(dev, "QueuePFN for missing queue %u", dev->queue_sel);
			return;
		}
		legacy_set_pfn(dev, q, v);
		return;
	case DM_REG_QUEUE_READY:
		if (q == NULL || dev->queue_sel >= dev->num_queues) {
			violation(dev, "QueueReady for missing queue %u", dev->queue_sel);
			return;
		}
		modern_set_ready(dev, q, v);
		return;
	case DM_REG_QUEUE_NOTIFY:
		if (v >= DM_MAX_QUEUES || !dev->q[v].live) {
			violation(dev, "notify of queue %u which is not live", v);
			return;
		}
		dev->q[v].notifies++;
		if (!(dev->status & DM_S_DRIVER_OK))
			violation(dev, "notify of queue %u before DRIVER_OK", v);
		dm_queue_process(dev, v);
		return;
	case DM_REG_INTERRUPT_ACK:
		dev->interrupt_status &= ~v;
		return;
	case DM_REG_STATUS:
		write_status(dev, v);
		return;
	case DM_REG_QUEUE_DESC_LOW:
	case DM_REG_QUEUE_DESC_HIGH:
	case DM_REG_QUEUE_DRIVER_LOW:
	case DM_REG_QUEUE_DRIVER_HIGH:
	case DM_REG_QUEUE_DEVICE_LOW:
	case DM_REG_QUEUE_DEVICE_HIGH: {
		if (q == NULL || dev->queue_sel >= dev->num_queues) {
			violation(dev, "queue address for missing queue %u",
				  dev->queue_sel);
			return;
		}
		if (q->ready)
			violation(dev, "queue address written while queue %u is ready",
				  dev->queue_sel);
		uint64_t *a = off < DM_REG_QUEUE_DRIVER_LOW   ? &q->desc_addr
			      : off < DM_REG_QUEUE_DEVICE_LOW ? &q->avail_addr
							      : &q->used_addr;
		if (off & 4)
			*a = (*a & 0xffffffffull) | ((uint64_t)v << 32);
		else
			*a = (*a & ~0xffffffffull) | v;
		return;
	}
	case DM_REG_SHM_SEL:
		dev->shm_sel = v;
		return;
	case DM_REG_QUEUE_RESET:
		if (v == 1 && q) {
			uint16_t nm = q->num_max;
			queue_reset(q);
			q->num_max = nm;
		}
		return;
	default:
		violation(dev, "write of read-only or reserved register %#x", off);
		return;
	}
}

static const struct virtio_host_mmio_ops dm_ops = { reg_read, reg_write };

/* ------------------------------------------------------------------ */
/* Life cycle and test controls                                        */
/* ------------------------------------------------------------------ */

static struct dm_device *dm_alloc(uintptr_t base, uint32_t version,
				  uint32_t device_id, unsigned num_queues,
				  uint16_t num_max)
{
	struct dm_device *dev = calloc(1, sizeof(*dev));
	if (dev == NULL)
		abort();
	dev->base = base;
	dev->magic = DM_MAGIC;
	dev->version = version;
	dev->device_id = device_id;
	dev->vendor_id = 0x554d4551; /* "QEMU" */
	dev->num_queues = num_queues > DM_MAX_QUEUES ? DM_MAX_QUEUES : num_queues;
	if (version >= 2)
		dev->device_features = DM_BIT(DM_F_VERSION_1);
	for (unsigned i = 0; i < DM_MAX_QUEUES; i++) {
		queue_reset(&dev->q[i]);
		dev->q[i].num_max = i < dev->num_queues ? num_max : 0;
	}
	return dev;
}

struct dm_device *dm_create(uintptr_t base, uint32_t version,
			    uint32_t device_id, unsigned num_queues,
			    uint16_t num_max)
{
	struct dm_device *dev =
		dm_alloc(base, version, device_id, num_queues, num_max);
	if (virtio_host_mmio_register(base, DM_WINDOW_SIZE, &dm_ops, dev) != 0) {
		fprintf(stderr, "devmodel: cannot map a device at %#lx\n",
			(unsigned long)base);
		abort();
	}
	return dev;
}

void dm_destroy(struct dm_device *dev)
{
	if (dev == NULL)
		return;
	virtio_host_mmio_unregister(dev->base);
	/* The port samples the level through dev: unplug before freeing. */
	if (dev->irq_line_set)
		virtio_host_irq_disconnect(dev->irq_line, dev);
	for (unsigned i = 0; i < DM_MAX_QUEUES; i++) {
		queue_reset(&dev->q[i]);
		free(dev->q[i].held);
	}
	free(dev);
}

void dm_config_set(struct dm_device *dev, uint32_t offset, const void *data,
		   uint32_t len, bool notify)
{
	if (offset > DM_CONFIG_MAX || len > DM_CONFIG_MAX - offset)
		abort();
	memcpy(dev->config + offset, data, len);
	if (offset + len > dev->config_len)
		dev->config_len = offset + len;
	dev->config_generation++;
	if (notify)
		raise_irq(dev, DM_INT_CONFIG);
}

void dm_config_set_le16(struct dm_device *dev, uint32_t offset, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	dm_config_set(dev, offset, b, 2, false);
}

void dm_config_set_le32(struct dm_device *dev, uint32_t offset, uint32_t v)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	dm_config_set(dev, offset, b, 4, false);
}

void dm_config_set_le64(struct dm_device *dev, uint32_t offset, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	dm_config_set(dev, offset, b, 8, false);
}

void dm_set_needs_reset(struct dm_device *dev)
{
	dev->status |= DM_S_NEEDS_RESET;
	raise_irq(dev, DM_INT_CONFIG);
}

/* The line's level, sampled by the port's controller. */
static bool irq_level(void *ctx)
{
	const struct dm_device *dev = ctx;

	return dev->interrupt_status != 0;
}

void dm_set_irq_line(struct dm_device *dev, uint32_t line)
{
	if (dev->irq_line_set)
		virtio_host_irq_disconnect(dev->irq_line, dev);
	virtio_host_irq_connect(line, irq_level, dev);
	dev->irq_line_set = true;
	dev->irq_line = line;
}

void dm_raise_interrupt(struct dm_device *dev, uint32_t bits)
{
	raise_irq(dev, bits);
}

