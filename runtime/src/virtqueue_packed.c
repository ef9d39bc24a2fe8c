/*
 * Packed virtqueue (spec 2.8) for an untrusted device.
 *
 * One ring of descriptors that the driver makes available and the device
 * overwrites with used ones; a descriptor's AVAIL/USED bits against each
 * side's wrap counter tell which it is. Buffer ids are not ring positions:
 * they come from a free list of their own, and each id's chain length
 * lets get() skip to where the device writes the next used descriptor.
 *
 * Bookkeeping lives only in private memory (struct virtqueue_packed and
 * the id array, never given to the device). Shared memory is written, and
 * read only for the flags, id and len of the next used descriptor and the
 * device's event suppression structure.
 *
 * add() makes a chain available at once (its head's flags are the last
 * store); kick_prepare() only applies the device's event suppression to
 * the descriptors added since it last ran.
 */
#include <virtio/transport.h>
#include <virtio/virtqueue.h>
#include <virtio/virtqueue_packed.h>

#include "ring_access.h"

#define F_AVAIL (1u << VRING_PACKED_DESC_F_AVAIL)
#define F_USED (1u << VRING_PACKED_DESC_F_USED)
#define F_BOTH (F_AVAIL | F_USED)
#define F_WRITE ((uint32_t)VRING_DESC_F_WRITE)
#define WRAP_CTR (1u << VRING_PACKED_EVENT_F_WRAP_CTR)
#define EV_MASK 3u /* the 2-bit flags field of an event structure */
#define ONE_IN_FLIGHT 0x10000u /* in `counts`: in_flight is the upper half */
_Static_assert(F_AVAIL << 8 == WRAP_CTR, "AVAIL bit shifts to the wrap bit");
_Static_assert(F_USED == WRAP_CTR, "USED bit is the wrap bit");
_Static_assert(offsetof(struct vring_packed_desc_event, flags) == 2,
	       "flags is the upper half of a little-endian 32-bit read");

/* Packed rings exist only for modern devices: always little-endian. */
static inline uint16_t le16(uint32_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap16((uint16_t)v) : (uint16_t)v;
}
static inline uint32_t le32(uint32_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap32(v) : v;
}
static inline uint64_t le64(uint64_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap64(v) : v;
}

/* Fills a descriptor but its flags (out of line when optimising for
 * size: add_chain has three of them). */
#ifdef __OPTIMIZE_SIZE__
#define FILL_INLINE __attribute__((noinline))
#else
#define FILL_INLINE inline
#endif
static FILL_INLINE void fill(struct vring_packed_desc *d, const void *addr,
			uint32_t len, uint32_t id)
{
	d->addr = le64(virtio_dma_addr(addr));
	d->len = le32(len);
	d->id = le16(id);
}

/*
 * Marks the queue broken (or not set up) and points it at private
 * stand-ins: get() reads the stand-in descriptor, whose flags never match
 * used_expect, and takes its slow path, which reports VIRTIO_EBROKEN; the
 * callback calls write the stand-in event structures; kick_prepare finds
 * nothing added. Nothing in shared memory is touched any more.
 */
static __attribute__((noinline, cold)) int broke(struct virtqueue_packed *q,
						 int err)
{
	q->broken = err;
	q->ring = q->avail = &q->dead;
	q->dead.flags = 0;
	q->last_used = 0;
	q->used_expect = F_AVAIL; /* the stand-in's 0 differs in AVAIL only:
				     neither used nor ours */
	q->drv_event = &q->dead_event[0];
	q->dev_event = &q->dead_event[1];
	q->added = 0;
	return err;
}

/*
 * One block holds the ring, then the driver and the device event
 * suppression structures, each on a cache line of its own (the device
 * polls one, the driver the other), then the indirect table pool. The id
 * array is a private block the device is never told about.
 */
int vqp_setup(struct virtio_device *dev, struct virtqueue_packed *q,
	      uint16_t index, uint16_t size)
{
	unsigned max = dev->ops->queue_max(dev, index), n;
	size_t drv, devev, pool, total;
	uint8_t *mem;

	q->mem = NULL;
	q->id = NULL;
	q->counts = 0;
	broke(q, VIRTIO_EBROKEN);
	if (max == 0)
		return VIRTIO_ENOQUEUE;
	n = size && size < max ? size : max;
	if (n > VIRTIO_RING_MAX_SIZE)
		n = VIRTIO_RING_MAX_SIZE; /* any size up to 2^15 (2.8) */

	drv = align_up(sizeof(struct vring_packed_desc) * n, 64);
	devev = drv + 64;
	pool = devev + 64;
	total = pool;
	if (virtio_has_feature(dev, VIRTIO_F_INDIRECT_DESC))
		total += sizeof(struct vring_packed_desc) *
			 VIRTQUEUE_INDIRECT_MAX * n;
	mem = virtio_port_dma_alloc(total, 64);
	q->id = virtio_port_dma_alloc(sizeof(struct vqp_id) * n,
				      sizeof(uint64_t));
	q->size = n;
	q->mem = mem;
	q->mem_bytes = total;
	if (!mem || !q->id) {
		vqp_destroy(q);
		return VIRTIO_ENOMEM;
	}
	q->ring_mem = (struct vring_packed_desc *)mem;
	q->drv_event_mem = (struct vring_packed_desc_event *)(mem + drv);
	q->dev_event_mem = (struct vring_packed_desc_event *)(mem + devev);
	q->indirect_pool = total != pool ? (struct vring_packed_desc *)(mem + pool)
					 : NULL;
	q->dev = dev;
	q->index = index;
	return vqp_reset(q);
}

int vqp_create(struct virtio_device *dev, uint16_t index, uint16_t size,
	       struct virtqueue_packed **q)
{
	struct virtqueue_packed *p =
		virtio_port_dma_alloc(sizeof(*p), sizeof(uint64_t));
	int err;

	if (!p)
		return VIRTIO_ENOMEM;
	err = vqp_setup(dev, p, index,
			(uint16_t)pick_size(dev->ops->queue_max(dev, index),
					    size));
	if (err) {
		virtio_port_dma_free(p, sizeof(*p));
		return err;
	}
	*q = p;
	return VIRTIO_OK;
}

void vqp_free(struct virtqueue_packed *q)
{
	vqp_destroy(q);
	virtio_port_dma_free(q, sizeof(*q));
}

void vqp_destroy(struct virtqueue_packed *q)
{
	if (q->mem)
		virtio_port_dma_free(q->mem, q->mem_bytes);
	if (q->id)
		virtio_port_dma_free(q->id, sizeof(struct vqp_id) * q->size);
	q->mem = NULL;
	q->id = NULL;
	q->counts = 0;
	broke(q, VIRTIO_EBROKEN);
}

int vqp_reset(struct virtqueue_packed *q)
{
	struct virtio_device *dev = q->dev;
	struct virtio_queue_addr a;
	unsigned n = q->size;
	int err;

	if (!q->mem)
		return VIRTIO_EINVAL;
	zero(q->mem, q->mem_bytes);
	zero(q->id, sizeof(struct vqp_id) * n);
	for (unsigned i = 0; i < n; i++)
		q->id[i].link = i + 1;
	q->ring = q->ring_mem;
	q->ring_end = q->ring + n;
	q->drv_event = q->drv_event_mem;
	q->dev_event = q->dev_event_mem;
	q->counts = n; /* all free, none in flight */
	q->added = 0;
	q->free_id = 0;
	/* Both wrap counters start at 1 (2.8.1). */
	q->avail = q->ring;
	q->avail_flags = F_AVAIL;
	q->last_used = 0;
	q->used_expect = F_BOTH;
	q->event_idx = virtio_has_feature(dev, VIRTIO_F_EVENT_IDX);
	/* DESC needs EVENT_IDX; without it a DESC request is not honoured
	 * (kick: the safe side), nor is the reserved value 3. */
	q->desc_mode = q->event_idx ? VRING_PACKED_EVENT_FLAG_DESC << 16 : ~0u;
	q->indirect = virtio_has_feature(dev, VIRTIO_F_INDIRECT_DESC)
			      ? q->indirect_pool : NULL;
	/* Callbacks on: flags ENABLE (0, as zeroed), or with EVENT_IDX
	 * "the next used descriptor", position 0 of lap 1. */
	q->cb_disabled = false;
	q->get_sets_event = q->event_idx;
	q->get_slow_at = q->event_idx ? 0 : n;
	if (q->event_idx) {
		q->drv_event->off_wrap = le16(WRAP_CTR);
		q->drv_event->flags = le16(VRING_PACKED_EVENT_FLAG_DESC);
	}

	a.area[VIRTIO_AREA_DESC] = virtio_port_virt_to_phys(q->ring);
	a.area[VIRTIO_AREA_DRIVER] = virtio_port_virt_to_phys(q->drv_event);
	a.area[VIRTIO_AREA_DEVICE] = virtio_port_virt_to_phys(q->dev_event);
	a.size = (uint16_t)n;
	err = dev->ops->queue_enable(dev, q->index, &a);
	if (err) {
		vqp_destroy(q);
		return err;
	}
	q->broken = 0;
	return VIRTIO_OK;
}

/* Puts chain `id` (r, taking n descriptors) back on the free lists. */
static inline void free_id(struct virtqueue_packed *q, struct vqp_id *r,
			   uint32_t id, uint32_t n)
{
	r->limit = 0;
	r->link = q->free_id;
	q->free_id = id;
	q->counts += n - ONE_IN_FLIGHT;
}

void *vqp_detach_unused(struct virtqueue_packed *q)
{
	for (unsigned i = 0; q->mem && i < q->size; i++) {
		struct vqp_id *r = &q->id[i];

		if (r->limit) {
			free_id(q, r, i, r->link);
			if (!q->broken) /* the device was reset: until vqp_reset */
				broke(q, VIRTIO_EBROKEN);
			return r->token;
		}
	}
	if (!q->broken)
		broke(q, VIRTIO_EBROKEN);
	return NULL;
}

/*
 * Any chain: direct, one descriptor per buffer in consecutive ring
 * positions (AVAIL/USED bits flip where the ring wraps), or one ring
 * descriptor naming id's indirect table. Everything is checked before
 * the first store to the ring, so a refused chain leaves nothing there
 * that could later look available. The head's flags, stored last after
 * a barrier, make the chain available.
 */
#ifndef __OPTIMIZE_SIZE__
static __attribute__((noinline))
#else
static inline
#endif
int add_chain(struct virtqueue_packed *q, const struct virtio_buf *bufs,
	      unsigned n_out, unsigned n_in, void *token)
{
	struct vring_packed_desc *ring = q->ring, *tbl = q->indirect;
	unsigned n = n_out + n_in, k, ndesc = n;
	uint32_t id = q->free_id, pos, head;
	uint32_t lap = q->avail_flags, hflags = 0, limit = 1;
	uint32_t total = 0;
	struct vqp_id *r;

	if (unlikely(q->broken))
		return VIRTIO_EBROKEN;
	pos = head = (uint32_t)(q->avail - ring);
	/* No chain longer than the queue, indirect or not. */
	if (unlikely(!token || n == 0 || n < n_out || n > q->size))
		return VIRTIO_EINVAL;
	for (k = 0; k < n; k++) {
		if (unlikely(__builtin_add_overflow(total, bufs[k].len, &total)))
			return VIRTIO_EINVAL; /* 4 GiB chain (as split, 2.7.5.2) */
		if (k >= n_out &&
		    unlikely(__builtin_add_overflow(limit, bufs[k].len, &limit)))
			return VIRTIO_EINVAL; /* 4 GiB writable */
	}
	if (n > 1 && n <= VIRTQUEUE_INDIRECT_MAX && tbl)
		ndesc = 1;
	if (unlikely(ndesc > q->num_free))
		return ndesc > q->size ? VIRTIO_EINVAL : VIRTIO_ENOSPC;
	if (ndesc != n) {
		tbl += id * VIRTQUEUE_INDIRECT_MAX;
		for (k = 0; k < n; k++) { /* only WRITE is valid here (2.8.19) */
			fill(&tbl[k], bufs[k].addr, bufs[k].len, 0);
			tbl[k].flags = le16(k >= n_out ? F_WRITE : 0);
		}
		fill(&ring[pos], tbl, (uint32_t)(n * sizeof(*tbl)), id);
		hflags = VRING_DESC_F_INDIRECT | lap;
		if (++pos == q->size) {
			pos = 0;
			lap ^= F_BOTH;
		}
	} else {
		for (k = 0; k < n; k++) {
			uint32_t f = lap;

			if (k >= n_out)
				f |= F_WRITE;
			if (k + 1 < n)
				f |= VRING_DESC_F_NEXT;
			fill(&ring[pos], bufs[k].addr, bufs[k].len, id);
			if (k == 0)
				hflags = f;
			else
				ring[pos].flags = le16(f);
			if (++pos == q->size) {
				pos = 0;
				lap ^= F_BOTH;
			}
		}
	}
	r = &q->id[id];
	q->free_id = r->link;
	r->token = token;
	r->limit = limit;
	r->link = ndesc;
	q->counts += ONE_IN_FLIGHT - ndesc;
	q->added += ndesc;
	q->avail = &ring[pos];
	q->avail_flags = lap;
	virtio_port_wmb(); /* the chain before the flags that open it */
	virtio_wr16(&ring[head].flags, le16(hflags));
	return VIRTIO_OK;
}

int vqp_add(struct virtqueue_packed *q, const struct virtio_buf *bufs,
	    unsigned n_out, unsigned n_in, void *token)
{
#ifndef __OPTIMIZE_SIZE__
	/* One buffer (rng, net rx, input, console): no loop, no head to
	 * remember; anything else, or a case to refuse, goes the long way. */
	uint32_t limit;

	/* (A broken queue's error, negative, is above any num_free as an
	 * unsigned number: one compare for "room and not broken".) */
	if (likely(n_out + n_in == 1 && n_in <= 1 && token &&
		   q->num_free > (uint32_t)q->broken &&
		   !__builtin_add_overflow(n_in ? bufs[0].len : 0, 1, &limit))) {
		struct vring_packed_desc *d = q->avail;
		uint32_t id = q->free_id, lap = q->avail_flags;
		struct vqp_id *r = &q->id[id];

		fill(d, bufs[0].addr, bufs[0].len, id);
		q->free_id = r->link;
		r->token = token;
		r->limit = limit;
		r->link = 1;
		q->counts += ONE_IN_FLIGHT - 1;
		q->added++;
		if (unlikely(d + 1 == q->ring_end)) {
			q->avail = q->ring;
			q->avail_flags = lap ^ F_BOTH;
		} else {
			q->avail = d + 1;
		}
		virtio_port_wmb(); /* the descriptor before its flags */
		virtio_wr16(&d->flags, le16(lap | n_in * F_WRITE));
		return VIRTIO_OK;
	}
#endif
	return add_chain(q, bufs, n_out, n_in, token);
}

bool vqp_kick_prepare(struct virtqueue_packed *q)
{
	uint32_t added = q->added, w, mode, ev;

	if (added == 0)
		return false;
	q->added = 0;
	virtio_port_mb(); /* the chains' flags before reading the device's wish */
	/* off_wrap and flags in one read: one consistent snapshot */
	w = le32(virtio_rd32((const uint32_t *)(const void *)q->dev_event));
	mode = w & (EV_MASK << 16);
	if (mode != q->desc_mode)
		return mode != VRING_PACKED_EVENT_FLAG_DISABLE << 16;
	/* Descriptor-specific (EVENT_IDX): did the `added` descriptors
	 * before `avail` pass the offset? One whose wrap bit is not our
	 * lap's sits a lap further back (avail_flags has bit 15 set in lap
	 * 0, clear in lap 1). 32-bit: a negative distance never counts.
	 * (More than a lap added without a kick needs a device that used
	 * what it was waiting for: it has no kick to miss.) */
	ev = w & (WRAP_CTR - 1);
	if (!((q->avail_flags ^ w) & WRAP_CTR))
		ev -= q->size;
	return (uint32_t)(q->avail - q->ring) - ev - 1 < added;
}

void vqp_notify(struct virtqueue_packed *q)
{
	q->dev->ops->notify(q->dev, q->index);
}

/*
 * The slow half of get(), off the hot path: nothing usable at last_used.
 * `err` is what the used descriptor's id or len broke, 0 if its flags are
 * neither ours nor a used descriptor's of this lap. Names what is wrong
 * and breaks the queue, or returns 0 when there is simply nothing new.
 */
static __attribute__((noinline, cold)) int slow_get(struct virtqueue_packed *q,
						    int err)
{
	if (q->broken)
		return VIRTIO_EBROKEN;
	/* With nothing in flight, a used descriptor anywhere is the worse
	 * lie, and flags of an old lap are simply nothing new. */
	if (q->in_flight == 0)
		return err ? broke(q, VIRTIO_EUSEDIDX) : 0;
	/* Chains in flight: last_used holds one of our descriptors of this
	 * lap or a used one; anything else has the wrong wrap bits. */
	return broke(q, err ? err : VIRTIO_EUSEDIDX);
}

/*
 * A used descriptor of this lap names a buffer id; the id must be in
 * range, in flight (which also rules out a used descriptor where no
 * chain is in flight: every chain in flight has an id), and len within
 * its writable bytes.
 */
int vqp_get(struct virtqueue_packed *q, void **token, uint32_t *len)
{
	uint32_t u = q->last_used, f, id, ulen, n, x;
	struct vring_packed_desc *d = &q->ring[u];
	struct vqp_id *r;

	f = le16(virtio_rd16(&d->flags));
	x = (f ^ q->used_expect) & F_BOTH; /* AVAIL/USED bits that differ */
	if (unlikely(x)) {
		if (likely(x == F_USED))
			return 0; /* ours, not used yet (broken: never) */
		return slow_get(q, 0);
	}
	virtio_port_rmb(); /* flags before the id and len they cover */
	id = le16(virtio_rd16(&d->id));
	ulen = le32(virtio_rd32(&d->len));
	if (unlikely(id >= q->size))
		return slow_get(q, VIRTIO_EUSEDID);
	r = &q->id[id];
	/* Not in flight (limit 0), or wrote too much. Without WRITE, len
	 * is reserved and to be ignored (2.8.4); QEMU leaves WRITE out and
	 * puts the real length there, so a len that fits is taken. */
	if (unlikely(ulen >= r->limit)) {
		if (!r->limit)
			return slow_get(q, VIRTIO_EUSEDNOTINFLIGHT);
		if (f & F_WRITE)
			return slow_get(q, VIRTIO_EUSEDLEN);
		ulen = 0;
	}
	n = r->link;
	free_id(q, r, id, n);
	u += n;
	*token = r->token;
	*len = ulen;
	if (unlikely(u >= q->get_slow_at)) {
		/* The end of the ring, or EVENT_IDX with callbacks on. */
		if (u >= q->size) {
			u -= q->size;
			q->used_expect ^= F_BOTH;
		}
		if (q->get_sets_event) {
			/* Interrupt for the next used descriptor (store before
			 * later reads of the ring, or a completion can be
			 * missed). */
			virtio_wr16(&q->drv_event->off_wrap,
			     le16(u | (q->used_expect & WRAP_CTR)));
			virtio_port_mb();
		}
	}
	q->last_used = u;
	return 1;
}

void vqp_disable_cb(struct virtqueue_packed *q)
{
	if (q->cb_disabled)
		return;
	q->cb_disabled = true;
	q->get_sets_event = false;
	q->get_slow_at = q->size;
	virtio_wr16(&q->drv_event->flags, le16(VRING_PACKED_EVENT_FLAG_DISABLE));
}

bool vqp_enable_cb(struct virtqueue_packed *q)
{
	uint32_t f;

	q->cb_disabled = false;
	q->get_sets_event = q->event_idx;
	if (q->event_idx) {
		q->get_slow_at = 0;
		/* Descriptor-specific: the next used descriptor (2.8.10). */
		virtio_wr16(&q->drv_event->off_wrap,
		     le16(q->last_used | (q->used_expect & WRAP_CTR)));
		virtio_port_wmb(); /* off_wrap before the mode that uses it */
		virtio_wr16(&q->drv_event->flags, le16(VRING_PACKED_EVENT_FLAG_DESC));
	} else {
		virtio_wr16(&q->drv_event->flags, le16(VRING_PACKED_EVENT_FLAG_ENABLE));
	}
	/* The device may have used a buffer before it saw the store. */
	virtio_port_mb();
	if (q->broken)
		return false;
	f = le16(virtio_rd16(&q->ring[q->last_used].flags));
	return (f & F_BOTH) != q->used_expect;
}

bool vqp_has_used(const struct virtqueue_packed *q)
{
	/* Broken: the stand-in's flags never match, get() says why. */
	return q->broken ||
	       (le16(virtio_rd16(&q->ring[q->last_used].flags)) & F_BOTH) ==
		       q->used_expect;
}
