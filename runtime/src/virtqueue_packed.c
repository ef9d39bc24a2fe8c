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

#define F_WRITE ((uint32_t)VRING_DESC_F_WRITE)
_Static_assert(VQP_F_AVAIL << 8 == VQP_WRAP_CTR,
	       "AVAIL bit shifts to the wrap bit");
_Static_assert(VQP_F_USED == VQP_WRAP_CTR, "USED bit is the wrap bit");
_Static_assert(offsetof(struct vring_packed_desc_event, flags) == 2,
	       "flags is the upper half of a little-endian 32-bit read");

#define DESC ((uint32_t)sizeof(struct vring_packed_desc))
#define NO_EV_WORD (VQP_EVENT_BITS + 1) /* matches no masked read */


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
	q->free = NULL; /* add() refuses with one test */
	q->ring = q->avail = q->used = &q->dead;
	q->ring_end = q->get_slow_at = &q->dead + 1;
	q->dead.flags = 0;
	q->used_expect = VQP_F_AVAIL; /* the stand-in's 0 differs in AVAIL only:
				     neither used nor ours */
	q->drv_event = &q->dead_event[0];
	q->dev_event = &q->dead_event[1];
	q->added = 0;
	q->ev_word = NO_EV_WORD;
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

	zero(q, sizeof(*q)); /* every field defined, stand-ins 0 */
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
	/* (get() steps past a chain as an integer: a ring at the very top
	 * of the address space would wrap it) */
	if (!mem || !q->id ||
	    (uintptr_t)mem > UINTPTR_MAX - total - (uintptr_t)n * DESC) {
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
	for (unsigned i = 0; i < n; i++) {
		q->id[i].next = i + 1 < n ? &q->id[i + 1] : NULL;
		q->id[i].self = i;
	}
	q->ring = q->ring_mem;
	q->ring_end = q->ring + n;
	q->drv_event = q->drv_event_mem;
	q->dev_event = q->dev_event_mem;
	q->added = 0;
	q->free = q->id;
	q->reserve = NULL;
	q->reserved = 0;
	/* Both wrap counters start at 1 (2.8.1). */
	q->avail = q->used = q->ring;
	q->avail_flags = VQP_F_AVAIL;
	q->used_expect = VQP_F_BOTH;
	q->event_idx = virtio_has_feature(dev, VIRTIO_F_EVENT_IDX);
	/* DESC needs EVENT_IDX; without it a DESC request is not honoured
	 * (kick: the safe side), nor is the reserved value 3. */
	q->kick_expect = (q->event_idx ? VRING_PACKED_EVENT_FLAG_DESC << 16
				       : VQP_EVENT_BITS + 1) | VQP_WRAP_CTR;
	q->lap_back = VQP_WRAP_CTR + n;
	q->ev_word = NO_EV_WORD;
	q->indirect = virtio_has_feature(dev, VIRTIO_F_INDIRECT_DESC)
			      ? q->indirect_pool : NULL;
	/* Callbacks on: flags ENABLE (0, as zeroed), or with EVENT_IDX
	 * "the next used descriptor", position 0 of lap 1. */
	q->cb_disabled = false;
	q->get_sets_event = q->event_idx;
	q->get_slow_at = q->event_idx ? q->ring : q->ring_end;
	if (q->event_idx) {
		q->drv_event->off_wrap = vqp_le16(VQP_WRAP_CTR);
		q->drv_event->flags = vqp_le16(VRING_PACKED_EVENT_FLAG_DESC);
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

/* Ring descriptors the device holds: from `used` up to `avail`, a lap
 * more if avail is a lap ahead (not broken). */
static uint32_t outstanding(const struct virtqueue_packed *q)
{
	uint32_t n = (uint32_t)(q->avail - q->used);

	return (q->avail_flags ^ q->used_expect) & VQP_F_AVAIL ? n + q->size
							       : n;
}

/* Nothing in flight (a chain holds a descriptor at least). */
static bool idle(const struct virtqueue_packed *q)
{
	return outstanding(q) == 0;
}

unsigned vqp_num_free(const struct virtqueue_packed *q)
{
	return q->broken ? 0 : q->size - outstanding(q);
}

unsigned vqp_in_flight(const struct virtqueue_packed *q)
{
	unsigned n = 0;

	if (!q->id || (!q->broken && idle(q)))
		return 0;
	for (unsigned i = 0; i < q->size; i++)
		n += q->id[i].limit != 0;
	return n;
}

/* Moves the first free id of list *from to the front of list *to. */
static void move_id(struct vqp_id **from, struct vqp_id **to)
{
	struct vqp_id *e = *from;

	*from = e->next;
	e->next = *to;
	*to = e;
}

/* The free list ran dry with `room` descriptors free: parked ids come
 * back, as many as there is room for (one at least: ids not in flight
 * outnumber the chains the free descriptors could take). */
static void unpark(struct virtqueue_packed *q, uint32_t room)
{
	for (; room && q->reserve; room--, q->reserved--)
		move_id(&q->reserve, &q->free);
}

void *vqp_detach_unused(struct virtqueue_packed *q)
{
	for (unsigned i = 0; q->mem && i < q->size; i++) {
		struct vqp_id *r = &q->id[i];

		if (r->limit) {
			if (!q->broken) /* the device was reset: until vqp_reset */
				broke(q, VIRTIO_EBROKEN);
			r->limit = 0; /* (the free lists wait for vqp_reset) */
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
int vqp_add_chain(struct virtqueue_packed *q, const struct virtio_buf *bufs,
		  unsigned n_out, unsigned n_in, void *token)
{
	struct vring_packed_desc *ring = q->ring, *tbl = q->indirect;
	unsigned n = n_out + n_in, k, ndesc = n;
	struct vqp_id *r;
	uint32_t id, pos, head, room;
	uint32_t lap = q->avail_flags, hflags = 0, limit = 1;
	uint32_t total = 0;

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
	if (unlikely(ndesc > q->size))
		return VIRTIO_EINVAL;
	room = q->size - outstanding(q);
	if (unlikely(ndesc > room))
		return VIRTIO_ENOSPC;
	if (!q->free)
		unpark(q, room);
	r = q->free;
	if (unlikely(!r)) /* (never: see unpark) */
		return VIRTIO_ENOSPC;
	id = r->self;
	if (ndesc != n) {
		tbl += id * VIRTQUEUE_INDIRECT_MAX;
		for (k = 0; k < n; k++) { /* only WRITE is valid here (2.8.19) */
			vqp_fill(&tbl[k], bufs[k].addr, bufs[k].len, 0);
			tbl[k].flags = vqp_le16(k >= n_out ? F_WRITE : 0);
		}
		vqp_fill(&ring[pos], tbl, (uint32_t)(n * sizeof(*tbl)), id);
		hflags = VRING_DESC_F_INDIRECT | lap;
		if (++pos == q->size) {
			pos = 0;
			lap ^= VQP_F_BOTH;
		}
	} else {
		for (k = 0; k < n; k++) {
			uint32_t f = lap;

			if (k >= n_out)
				f |= F_WRITE;
			if (k + 1 < n)
				f |= VRING_DESC_F_NEXT;
			vqp_fill(&ring[pos], bufs[k].addr, bufs[k].len, id);
			if (k == 0)
				hflags = f;
			else
				ring[pos].flags = vqp_le16(f);
			if (++pos == q->size) {
				pos = 0;
				lap ^= VQP_F_BOTH;
			}
		}
	}
	q->free = r->next;
	r->token = token;
	r->limit = limit;
	r->span = ndesc * DESC;
	/* the list stays no longer than the free descriptors: park one id
	 * for each descriptor beyond the first */
	for (k = 1; k < ndesc && q->free; k++, q->reserved++)
		move_id(&q->free, &q->reserve);
	q->added += ndesc * DESC;
	q->avail = &ring[pos];
	if (lap != q->avail_flags) {
		q->avail_flags = lap;
		vqp_new_lap(q);
	}
	virtio_port_wmb(); /* the chain before the flags that open it */
	virtio_wr16(&ring[head].flags, vqp_le16(hflags));
	return VIRTIO_OK;
}

/* The API's out-of-line functions: what virtqueue_packed_fast.h inlines
 * in speed builds. Parenthesized names: not the macros of virtqueue.h. */
int(vqp_add)(struct virtqueue_packed *q, const struct virtio_buf *bufs,
	     unsigned n_out, unsigned n_in, void *token)
{
#ifndef __OPTIMIZE_SIZE__
	return vqp_add_fast(q, bufs, n_out, n_in, token);
#else
	return vqp_add_chain(q, bufs, n_out, n_in, token);
#endif
}

bool(vqp_kick_prepare)(struct virtqueue_packed *q)
{
	return vqp_kick_prepare_fast(q);
}

int(vqp_get)(struct virtqueue_packed *q, void **token, uint32_t *len)
{
#ifndef __OPTIMIZE_SIZE__
	return vqp_get_fast(q, token, len);
#else
	return vqp_get_slow(q, token, len);
#endif
}

/* Where descriptor-specific request t (w ^ kick_expect) ends in the
 * current avail lap: bit 15 set if it sits in the other lap, a lap back. */
static uintptr_t ev_end(const struct virtqueue_packed *q, uint32_t t)
{
	int32_t pos = (int32_t)(t & VQP_WRAP_CTR ? t - q->lap_back : t);

	return (uintptr_t)q->ring +
	       (uintptr_t)((intptr_t)(pos + 1) *
			   (intptr_t)sizeof(struct vring_packed_desc));
}

/* kick_prepare() meets a new descriptor-specific request: cached. */
bool vqp_kick_slow(struct virtqueue_packed *q, uint32_t w, uint32_t added)
{
	if (q->broken)
		return false;
	q->ev_word = w;
	q->ev_end = ev_end(q, w ^ q->kick_expect);
	return (uintptr_t)q->avail - q->ev_end < added;
}

/* The avail side starts a lap: a cached request moves a lap back or
 * forward. */
void vqp_new_lap(struct virtqueue_packed *q)
{
	q->kick_expect ^= VQP_WRAP_CTR;
	q->ev_end = ev_end(q, q->ev_word ^ q->kick_expect);
}

void vqp_notify(struct virtqueue_packed *q)
{
	q->dev->ops->notify(q->dev, q->index);
}

/*
 * get() the long way, out of line: what the fast path did not take. Reads
 * the next used descriptor again and either finds nothing new (an empty
 * ring, or the stand-in of a broken queue), or checks everything and
 * names what is wrong (breaking the queue), or completes a chain the fast
 * path left to it: a len above the writable bytes without WRITE (below).
 */
int vqp_get_slow(struct virtqueue_packed *q, void **token, uint32_t *len)
{
	struct vring_packed_desc *d = q->used;
	uint32_t f, id, ulen, x;
	struct vqp_id *r;

	if (q->broken)
		return VIRTIO_EBROKEN;
	f = vqp_le16(virtio_rd16(&d->flags));
	x = (f ^ q->used_expect) & VQP_F_BOTH; /* AVAIL/USED bits that differ */
	/* Nothing in flight: a used descriptor of this lap is a lie, flags
	 * of an old lap are nothing new. Chains in flight: here is one of
	 * ours (not used yet) or a used one; anything else has the wrong
	 * wrap bits. */
	if (x == VQP_F_USED || (x && idle(q)))
		return 0;
	if (x || idle(q))
		return broke(q, VIRTIO_EUSEDIDX);
	virtio_port_rmb(); /* flags before the id and len they cover */
	id = vqp_le16(virtio_rd16(&d->id));
	ulen = vqp_le32(virtio_rd32(&d->len));
	if (id >= q->size)
		return broke(q, VIRTIO_EUSEDID);
	r = &q->id[id];
	/* Not in flight (limit 0), or wrote too much. Without WRITE, len
	 * is reserved and to be ignored (2.8.4); QEMU leaves WRITE out and
	 * puts the real length there, so a len that fits is taken. */
	if (ulen >= r->limit) {
		if (!r->limit)
			return broke(q, VIRTIO_EUSEDNOTINFLIGHT);
		if (f & F_WRITE)
			return broke(q, VIRTIO_EUSEDLEN);
		ulen = 0;
	}
	return vqp_get_done(q, r, id, (uintptr_t)d + r->span, token, len,
			    ulen);
}

/* The end of the ring (a chain may end past it), or EVENT_IDX with
 * callbacks on: an interrupt for the next used descriptor (stored before
 * later reads of the ring, or a completion can be missed). */
struct vring_packed_desc *vqp_get_tail(struct virtqueue_packed *q,
				       uintptr_t next)
{
	struct vring_packed_desc *d;

	if (next >= (uintptr_t)q->ring_end) {
		next -= (uintptr_t)q->size * DESC;
		q->used_expect ^= VQP_F_BOTH;
	}
	d = (struct vring_packed_desc *)next;
	if (q->get_sets_event) {
		virtio_wr16(&q->drv_event->off_wrap,
			    vqp_le16((uint32_t)(d - q->ring) |
				 (q->used_expect & VQP_WRAP_CTR)));
		virtio_port_mb();
	}
	return d;
}

void vqp_disable_cb(struct virtqueue_packed *q)
{
	if (q->cb_disabled)
		return;
	q->cb_disabled = true;
	q->get_sets_event = false;
	q->get_slow_at = q->ring_end;
	virtio_wr16(&q->drv_event->flags,
		    vqp_le16(VRING_PACKED_EVENT_FLAG_DISABLE));
}

bool vqp_enable_cb(struct virtqueue_packed *q)
{
	uint32_t f;

	q->cb_disabled = false;
	q->get_sets_event = q->event_idx;
	if (q->event_idx) {
		q->get_slow_at = q->ring;
		/* Descriptor-specific: the next used descriptor (2.8.10). */
		virtio_wr16(&q->drv_event->off_wrap,
			    vqp_le16((uint32_t)(q->used - q->ring) |
				 (q->used_expect & VQP_WRAP_CTR)));
		virtio_port_wmb(); /* off_wrap before the mode that uses it */
		virtio_wr16(&q->drv_event->flags,
			    vqp_le16(VRING_PACKED_EVENT_FLAG_DESC));
	} else {
		virtio_wr16(&q->drv_event->flags,
			    vqp_le16(VRING_PACKED_EVENT_FLAG_ENABLE));
	}
	/* The device may have used a buffer before it saw the store. */
	virtio_port_mb();
	if (q->broken)
		return false;
	f = vqp_le16(virtio_rd16(&q->used->flags));
	return (f & VQP_F_BOTH) != q->used_expect;
}

bool vqp_has_used(const struct virtqueue_packed *q)
{
	/* Broken: the stand-in's flags never match, get() says why. */
	return q->broken ||
	       (vqp_le16(virtio_rd16(&q->used->flags)) & VQP_F_BOTH) ==
		       q->used_expect;
}
