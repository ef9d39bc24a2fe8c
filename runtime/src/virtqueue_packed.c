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
 * "Nothing is visible before the kick" (virtqueue.h) costs one store: the
 * head flags of the first chain added since the last kick are held back
 * and written by kick_prepare; later chains are written whole at once
 * (the device reads available descriptors in ring order, so it stops at
 * the held-back head).
 */
#include <virtio/transport.h>
#include <virtio/virtqueue.h>
#include <virtio/virtqueue_packed.h>

#include "ring_access.h"

#define F_AVAIL ((uint16_t)(1u << VRING_PACKED_DESC_F_AVAIL))
#define F_USED ((uint16_t)(1u << VRING_PACKED_DESC_F_USED))
#define F_BOTH ((uint16_t)(F_AVAIL | F_USED))
#define WRAP_CTR ((uint16_t)(1u << VRING_PACKED_EVENT_F_WRAP_CTR))
#define EV_MASK 3u /* the 2-bit flags field of an event structure */
_Static_assert(F_AVAIL << 8 == WRAP_CTR, "AVAIL bit shifts to the wrap bit");
_Static_assert(offsetof(struct vring_packed_desc_event, flags) == 2,
	       "flags is the upper half of a little-endian 32-bit read");

/* Packed rings exist only for modern devices: always little-endian. */
static inline uint16_t le16(uint16_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap16(v) : v;
}
static inline uint32_t le32(uint32_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap32(v) : v;
}
static inline uint64_t le64(uint64_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap64(v) : v;
}

/*
 * Marks the queue broken (or not set up) and points it at private
 * stand-ins: get() reads the stand-in descriptor, whose flags never match
 * used_expect, and takes its slow path, which reports VIRTIO_EBROKEN; the
 * callback calls write the stand-in event structures; kick_prepare finds
 * nothing to publish. Nothing in shared memory is touched any more.
 */
static __attribute__((noinline)) int broke(struct virtqueue_packed *q,
					   int err)
{
	q->broken = (int8_t)err;
	q->ring = &q->dead;
	q->dead.flags = 0;
	q->last_used = 0;
	q->used_expect = 1; /* not a combination of AVAIL/USED bits */
	q->drv_event = &q->dead_event[0];
	q->dev_event = &q->dead_event[1];
	q->kicked_count = q->avail_count;
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
	q->avail_count = 0;
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
	q->size = (uint16_t)n;
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

void vqp_destroy(struct virtqueue_packed *q)
{
	if (q->mem)
		virtio_port_dma_free(q->mem, q->mem_bytes);
	if (q->id)
		virtio_port_dma_free(q->id, sizeof(struct vqp_id) * q->size);
	q->mem = NULL;
	q->id = NULL;
	q->num_free = 0;
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
		q->id[i].next = (uint16_t)(i + 1);
	q->ring = q->ring_mem;
	q->drv_event = q->drv_event_mem;
	q->dev_event = q->dev_event_mem;
	q->num_free = (uint16_t)n;
	q->free_id = 0;
	/* Both wrap counters start at 1 (2.8.1). */
	q->next_avail = 0;
	q->avail_flags = F_AVAIL;
	q->last_used = 0;
	q->used_expect = F_BOTH;
	q->avail_count = q->kicked_count = 0;
	q->added = 0;
	q->cb_disabled = false;
	q->event_idx = virtio_has_feature(dev, VIRTIO_F_EVENT_IDX);
	/* DESC needs EVENT_IDX; without it a DESC request is not honoured
	 * (kick: the safe side), nor is the reserved value 3. */
	q->desc_mode = q->event_idx ? VRING_PACKED_EVENT_FLAG_DESC : 0xff;
	q->get_sets_event = false;
	q->indirect = virtio_has_feature(dev, VIRTIO_F_INDIRECT_DESC)
			      ? q->indirect_pool : NULL;
	/* Callbacks on: flags ENABLE (0, as zeroed), or with EVENT_IDX
	 * "the next used descriptor", position 0 of lap 1. */
	if (q->event_idx) {
		q->drv_event->off_wrap = le16(WRAP_CTR);
		q->drv_event->flags = le16(VRING_PACKED_EVENT_FLAG_DESC);
		q->get_sets_event = true;
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

static inline void free_id(struct virtqueue_packed *q, struct vqp_id *r,
			   uint16_t id)
{
	r->limit = 0;
	r->next = q->free_id;
	q->free_id = id;
	q->num_free = (uint16_t)(q->num_free + r->ndesc);
}

void *vqp_detach_unused(struct virtqueue_packed *q)
{
	for (unsigned i = 0; q->mem && i < q->size; i++) {
		if (q->id[i].limit) {
			free_id(q, &q->id[i], (uint16_t)i);
			return q->id[i].token;
		}
	}
	return NULL;
}

/* Records chain `id` (head at `head`, ending before `pos` of lap `lap`)
 * and makes it available; the head's flags go last, or are held back for
 * kick_prepare if this is the first chain since the last kick. */
static inline void commit(struct virtqueue_packed *q, uint16_t id,
			  uint16_t head, uint16_t hflags, uint16_t pos,
			  uint16_t lap, unsigned ndesc, uint32_t limit,
			  void *token)
{
	struct vqp_id *r = &q->id[id];

	q->free_id = r->next;
	r->token = token;
	r->limit = limit;
	r->ndesc = (uint16_t)ndesc;
	r->seq = q->avail_count;
	q->num_free = (uint16_t)(q->num_free - ndesc);
	q->next_avail = pos;
	q->avail_flags = lap;
	q->avail_count++;
	if (q->added == 0) {
		q->pending = &q->ring[head].flags;
		q->pending_flags = hflags;
	} else {
		wr16(&q->ring[head].flags, le16(hflags));
	}
	q->added = (uint16_t)(q->added + ndesc);
}

/*
 * Writes the chain at next_avail: direct, one descriptor per buffer in
 * consecutive ring positions (AVAIL/USED bits flip where the ring wraps),
 * or one descriptor naming id's indirect table. Nothing is committed
 * before the end, so a failure leaves the queue as it was (descriptors
 * written past next_avail are not reachable: no head opens them).
 */
int vqp_add(struct virtqueue_packed *q, const struct virtio_buf *bufs,
	    unsigned n_out, unsigned n_in, void *token)
{
	unsigned n = n_out + n_in;
	struct vring_packed_desc *ring = q->ring;
	uint16_t id = q->free_id, pos = q->next_avail, head = pos;
	uint16_t lap = q->avail_flags, hflags;
	uint32_t limit = 1; /* writable bytes + 1 */

	if (unlikely(q->broken))
		return VIRTIO_EBROKEN;
	if (unlikely(!token || n == 0 || n < n_out))
		return VIRTIO_EINVAL;
	if (likely(n == 1)) {
		/* One buffer: the common case of rng, net rx, input. */
		if (unlikely(q->num_free == 0))
			return VIRTIO_ENOSPC;
		hflags = lap;
		if (n_in) {
			hflags |= VRING_DESC_F_WRITE;
			limit += bufs[0].len;
			if (unlikely(limit == 0))
				return VIRTIO_EINVAL; /* 4 GiB writable */
		}
		ring[pos].addr = le64(dma_addr(bufs[0].addr));
		ring[pos].len = le32(bufs[0].len);
		ring[pos].id = le16(id);
		if (unlikely(++pos == q->size)) {
			pos = 0;
			lap ^= F_BOTH;
		}
		commit(q, id, head, hflags, pos, lap, 1, limit, token);
		return VIRTIO_OK;
	}
	if (q->indirect && n <= VIRTQUEUE_INDIRECT_MAX) {
		struct vring_packed_desc *tbl;

		if (q->num_free == 0)
			return VIRTIO_ENOSPC;
		tbl = &q->indirect[id * VIRTQUEUE_INDIRECT_MAX];
		for (unsigned k = 0; k < n; k++) {
			uint16_t f = 0;

			if (k >= n_out) {
				f = VRING_DESC_F_WRITE;
				limit += bufs[k].len;
				if (unlikely(limit < bufs[k].len))
					return VIRTIO_EINVAL;
			}
			tbl[k].addr = le64(dma_addr(bufs[k].addr));
			tbl[k].len = le32(bufs[k].len);
			tbl[k].id = 0;
			tbl[k].flags = le16(f);
		}
		ring[pos].addr = le64(dma_addr(tbl));
		ring[pos].len = le32((uint32_t)(n * sizeof(*tbl)));
		ring[pos].id = le16(id);
		hflags = (uint16_t)(VRING_DESC_F_INDIRECT | lap);
		if (++pos == q->size) {
			pos = 0;
			lap ^= F_BOTH;
		}
		commit(q, id, head, hflags, pos, lap, 1, limit, token);
		return VIRTIO_OK;
	}
	if (unlikely(n > q->num_free))
		return n > q->size ? VIRTIO_EINVAL : VIRTIO_ENOSPC;
	hflags = 0;
	for (unsigned k = 0; k < n; k++) {
		uint16_t f = lap;

		if (k >= n_out) {
			f |= VRING_DESC_F_WRITE;
			limit += bufs[k].len;
			if (unlikely(limit < bufs[k].len))
				return VIRTIO_EINVAL; /* 4 GiB writable */
		}
		if (k + 1 < n)
			f |= VRING_DESC_F_NEXT;
		ring[pos].addr = le64(dma_addr(bufs[k].addr));
		ring[pos].len = le32(bufs[k].len);
		ring[pos].id = le16(id);
		if (k == 0)
			hflags = f;
		else
			ring[pos].flags = le16(f);
		if (++pos == q->size) {
			pos = 0;
			lap ^= F_BOTH;
		}
	}
	commit(q, id, head, hflags, pos, lap, n, limit, token);
	return VIRTIO_OK;
}

bool vqp_kick_prepare(struct virtqueue_packed *q)
{
	/* old is negative when the last kick was in the previous lap */
	uint16_t new_pos = q->next_avail, old = (uint16_t)(new_pos - q->added);
	uint16_t ev;
	uint32_t w;

	if (q->added == 0)
		return false;
	virtio_port_wmb(); /* the chains before the head that opens them */
	wr16(q->pending, le16(q->pending_flags));
	q->kicked_count = q->avail_count;
	q->added = 0;
	virtio_port_mb(); /* flags before reading the device's wish */
	/* off_wrap and flags in one read: one consistent snapshot */
	w = le32(rd32((const uint32_t *)(const void *)q->dev_event));
	if (((w >> 16) & EV_MASK) != q->desc_mode)
		return ((w >> 16) & EV_MASK) != VRING_PACKED_EVENT_FLAG_DISABLE;
	/* Descriptor-specific (EVENT_IDX): an offset whose wrap bit is not
	 * our lap's (AVAIL bit 7 moved to 15) sits "size" further back. */
	ev = (uint16_t)(w & ~WRAP_CTR);
	if ((w ^ ((uint32_t)q->avail_flags << 8)) & WRAP_CTR)
		ev = (uint16_t)(ev - q->size);
	return need_event(ev, new_pos, old);
}

void vqp_notify(struct virtqueue_packed *q)
{
	q->dev->ops->notify(q->dev, q->index);
}

/* No published chain in flight: every descriptor in flight was added
 * since the last kick. */
static bool nothing_published(const struct virtqueue_packed *q)
{
	return (uint16_t)(q->size - q->num_free) == q->added;
}

/*
 * The slow half of get(), off the hot path. `f` is the flags word at
 * last_used; `err` what the used descriptor's id or len broke (0: it is
 * not a used descriptor of this lap). Names what is wrong and breaks the
 * queue, or returns 0 when there is simply nothing new.
 */
static __attribute__((noinline)) int slow_get(struct virtqueue_packed *q,
					      uint16_t f, int err)
{
	if (q->broken)
		return VIRTIO_EBROKEN;
	if (err) /* a used descriptor where none can be is the worse lie */
		return broke(q, nothing_published(q) ? VIRTIO_EUSEDIDX : err);
	/* Not used. With published chains in flight, last_used holds one
	 * of our descriptors of this lap (AVAIL = W, USED = !W); anything
	 * else is a used descriptor with the wrong wrap counter. */
	if (!nothing_published(q) &&
	    (f & F_BOTH) != (uint16_t)(q->used_expect ^ F_USED))
		return broke(q, VIRTIO_EUSEDIDX);
	return 0;
}

/*
 * A used descriptor of this lap names a buffer id; the id must be in
 * range, in flight (which also rules out a used descriptor where no
 * chain was published: every in-flight published chain has an id),
 * published, and len within its writable bytes.
 */
int vqp_get(struct virtqueue_packed *q, void **token, uint32_t *len)
{
	struct vring_packed_desc *d = &q->ring[q->last_used];
	uint16_t f = le16(rd16(&d->flags)), id, u;
	uint32_t ulen;
	struct vqp_id *r;

	if ((f & F_BOTH) != q->used_expect) {
		if (likely((f & F_BOTH) == (uint16_t)(q->used_expect ^ F_USED)))
			return 0; /* ours, not used yet (broken: never equal) */
		return slow_get(q, f, 0);
	}
	virtio_port_rmb(); /* flags before the id and len they cover */
	id = le16(rd16(&d->id));
	ulen = le32(rd32(&d->len));
	if (unlikely(id >= q->size))
		return slow_get(q, f, VIRTIO_EUSEDID);
	r = &q->id[id];
	/* Not in flight (limit 0), or wrote too much. Without WRITE, len
	 * is reserved and to be ignored (2.8.4); QEMU leaves WRITE out and
	 * puts the real length there, so a len that fits is taken. */
	if (unlikely(ulen >= r->limit)) {
		if (!r->limit || (f & VRING_DESC_F_WRITE))
			return slow_get(q, f, r->limit ? VIRTIO_EUSEDLEN
						       : VIRTIO_EUSEDNOTINFLIGHT);
		ulen = 0;
	}
	/* Added but not published by a kick yet: the device cannot know it. */
	if (unlikely(q->added != 0) &&
	    (uint16_t)(r->seq - q->kicked_count) <
		    (uint16_t)(q->avail_count - q->kicked_count))
		return slow_get(q, f, VIRTIO_EUSEDNOTINFLIGHT);
	free_id(q, r, id);
	u = (uint16_t)(q->last_used + r->ndesc);
	if (unlikely(u >= q->size)) {
		u = (uint16_t)(u - q->size);
		q->used_expect ^= F_BOTH;
	}
	q->last_used = u;
	if (q->get_sets_event) {
		/* Interrupt for the next used descriptor (store before later
		 * reads of the ring, or a completion can be missed). */
		wr16(&q->drv_event->off_wrap,
		     le16((uint16_t)(u | (q->used_expect & WRAP_CTR))));
		virtio_port_mb();
	}
	*token = r->token;
	*len = ulen;
	return 1;
}

void vqp_disable_cb(struct virtqueue_packed *q)
{
	if (q->cb_disabled)
		return;
	q->cb_disabled = true;
	q->get_sets_event = false;
	wr16(&q->drv_event->flags, le16(VRING_PACKED_EVENT_FLAG_DISABLE));
}

bool vqp_enable_cb(struct virtqueue_packed *q)
{
	uint16_t f;

	q->cb_disabled = false;
	q->get_sets_event = q->event_idx;
	if (q->event_idx) {
		/* Descriptor-specific: the next used descriptor (2.8.10). */
		wr16(&q->drv_event->off_wrap,
		     le16((uint16_t)(q->last_used |
				     (q->used_expect & WRAP_CTR))));
		virtio_port_wmb(); /* off_wrap before the mode that uses it */
		wr16(&q->drv_event->flags, le16(VRING_PACKED_EVENT_FLAG_DESC));
	} else {
		wr16(&q->drv_event->flags, le16(VRING_PACKED_EVENT_FLAG_ENABLE));
	}
	/* The device may have used a buffer before it saw the store. */
	virtio_port_mb();
	if (q->broken)
		return false;
	f = le16(rd16(&q->ring[q->last_used].flags));
	return (f & F_BOTH) != q->used_expect;
}

bool vqp_has_used(const struct virtqueue_packed *q)
{
	/* Broken: the stand-in's flags never match, get() says why. */
	return q->broken ||
	       (le16(rd16(&q->ring[q->last_used].flags)) & F_BOTH) ==
		       q->used_expect;
}
