/*
 * Split virtqueue (spec 2.7) for an untrusted device.
 *
 * Bookkeeping lives only in private memory (its own allocation, never
 * given to the device), one slot per descriptor: everything we need back
 * about it (its chain link; the free list is threaded through `next`)
 * and, for chain heads, token, writable bytes, chain end and avail
 * position. Descriptor contents are never needed again, so they are
 * written only. Shared memory is read only for used->idx, used elements
 * and avail_event / used->flags.
 *
 * A chain is taken from the front of the free list, whose links double as
 * the chain links, so freeing a chain is O(1): splice head..last back.
 *
 * A packed queue (vq->packed, virtqueue_packed.c) keeps these split
 * fields broken; each call hands over in a branch the split hot path
 * takes only when broken, so split queues pay nothing for the choice.
 */
#include <virtio/transport.h>
#include <virtio/virtqueue.h>

#include "ring_access.h"

/* A packed queue (never one if VIRTIO_PACKED_RING is 0). */
#define is_packed(vq) (VIRTIO_PACKED_RING && (vq)->packed)

static inline bool vq_legacy(const struct virtqueue *vq)
{
	return VIRTIO_ACCEPT_LEGACY && (!VIRTIO_ACCEPT_MODERN || vq->legacy);
}

/* Ring fields: little-endian for modern, guest-endian for legacy. On
 * little-endian hosts these compile to nothing. */
static inline uint16_t v16(const struct virtqueue *vq, uint16_t v)
{
	return (VIRTIO_HOST_BE && !vq_legacy(vq)) ? __builtin_bswap16(v) : v;
}
static inline uint32_t v32(const struct virtqueue *vq, uint32_t v)
{
	return (VIRTIO_HOST_BE && !vq_legacy(vq)) ? __builtin_bswap32(v) : v;
}
static inline uint64_t v64(const struct virtqueue *vq, uint64_t v)
{
	return (VIRTIO_HOST_BE && !vq_legacy(vq)) ? __builtin_bswap64(v) : v;
}

/*
 * Marks the queue broken (or not usable yet: before setup, after destroy)
 * and points it at private stand-ins for the ring headers. The used idx
 * stand-in is as far off as it gets, so get() fails its idx check and
 * reports VIRTIO_EBROKEN without a separate test on the hot path; kick and
 * the callback calls touch only the stand-ins. Nothing is read from or
 * written to shared memory any more (it may be freed). add() checks
 * `broken` itself.
 */
static __attribute__((noinline)) int broke(struct virtqueue *vq, int err)
{
	vq->broken = (int8_t)err;
	vq->used = (struct vring_used *)(void *)&vq->dead[0];
	vq->avail = (struct vring_avail *)(void *)&vq->dead[2];
	vq->avail_event = &vq->dead[0];
	vq->used_event = &vq->dead[2];
	vq->dead[0] = 0;
	vq->dead[1] = (uint16_t)(vq->last_used - 1);
	vq->used_seen = vq->last_used;
	vq->kicked_idx = vq->avail_idx = vq->last_used;
	return err;
}

/* Hand-overs to the packed ring, kept out of line so the split hot
 * path's code (registers, layout) is what it was without them. */
static __attribute__((noinline)) int
packed_add(struct virtqueue *vq, const struct virtio_buf *bufs,
	   unsigned n_out, unsigned n_in, void *token)
{
	return vqp_add(vq->packed, bufs, n_out, n_in, token);
}
static __attribute__((noinline)) bool
packed_kick_prepare(struct virtqueue *vq)
{
	return vqp_kick_prepare(vq->packed);
}
static __attribute__((noinline)) int
packed_get(struct virtqueue *vq, void **token, uint32_t *len)
{
	return vqp_get(vq->packed, token, len);
}

/* The packed ring's state goes in a private block of its own. */
static int setup_packed(struct virtio_device *dev, struct virtqueue *vq,
			uint16_t index, uint16_t size)
{
	struct virtqueue_packed *p =
		virtio_port_dma_alloc(sizeof(*p), sizeof(uint64_t));
	unsigned max = dev->ops->queue_max(dev, index), n;
	int err;

	if (!p)
		return VIRTIO_ENOMEM;
	/* Packed rings may have any size; this API promises a power of
	 * two either way (drivers may size things by it). */
	n = size && size < max ? size : max;
	while (n & (n - 1))
		n &= n - 1;
	err = vqp_setup(dev, p, index, (uint16_t)n);
	if (err) {
		virtio_port_dma_free(p, sizeof(*p));
		return err;
	}
	vq->packed = p;
	vq->dev = dev;
	vq->index = index;
	vq->mem = p->mem; /* not ours to free: "set up" to drivers that look */
	return VIRTIO_OK;
}

/*
 * One block holds, in order: descriptor table, avail ring (+ used_event),
 * used ring (+ avail_event), indirect table pool. The private slots get a
 * block of their own that the device is never told about.
 */
int virtqueue_setup(struct virtio_device *dev, struct virtqueue *vq,
		    uint16_t index, uint16_t size)
{
	unsigned max = dev->ops->queue_max(dev, index), n;
	size_t avail, used, pool, total;
	bool legacy = virtio_is_legacy(dev);
	uint8_t *mem;

	vq->mem = NULL;
	vq->slot = NULL;
	vq->packed = NULL;
	vq->last_used = 0;
	broke(vq, VIRTIO_EBROKEN);
	if (max == 0)
		return VIRTIO_ENOQUEUE;
	if (VIRTIO_PACKED_RING && virtio_has_feature(dev, VIRTIO_F_RING_PACKED))
		return setup_packed(dev, vq, index, size);
	n = size && size < max ? size : max;
	while (n & (n - 1))
		n &= n - 1; /* split rings are a power of two in size */

	avail = sizeof(struct vring_desc) * n;
	used = align_up(avail + sizeof(struct vring_avail) +
				sizeof(uint16_t) * (n + 1),
			legacy ? VIRTIO_LEGACY_ALIGN : VRING_USED_ALIGN_SIZE);
	pool = align_up(used + sizeof(struct vring_used) +
				sizeof(struct vring_used_elem) * n +
				sizeof(uint16_t),
			VRING_DESC_ALIGN_SIZE);
	total = pool;
	if (virtio_has_feature(dev, VIRTIO_F_INDIRECT_DESC))
		total += sizeof(struct vring_desc) * VIRTQUEUE_INDIRECT_MAX * n;
	mem = virtio_port_dma_alloc(total, legacy ? VIRTIO_LEGACY_ALIGN
						  : VRING_DESC_ALIGN_SIZE);
	vq->slot = virtio_port_dma_alloc(sizeof(struct virtqueue_slot) * n,
					 sizeof(uint64_t));
	vq->size = (uint16_t)n;
	vq->mem = mem;
	vq->mem_bytes = total;
	if (!mem || !vq->slot) {
		virtqueue_destroy(vq);
		return VIRTIO_ENOMEM;
	}
	vq->desc = (struct vring_desc *)mem;
	vq->avail_ring = (struct vring_avail *)(mem + avail);
	vq->used_ring = (struct vring_used *)(mem + used);
	vq->indirect_pool = total != pool ? (struct vring_desc *)(mem + pool)
					  : NULL;
	vq->mask = (uint16_t)(n - 1);
	vq->legacy = legacy;
	vq->dev = dev;
	vq->index = index;
	return virtqueue_reset(vq);
}

void virtqueue_destroy(struct virtqueue *vq)
{
	if (is_packed(vq)) {
		vqp_destroy(vq->packed);
		virtio_port_dma_free(vq->packed, sizeof(*vq->packed));
		vq->packed = NULL;
		vq->mem = NULL; /* was the packed ring's */
	}
	if (vq->mem)
		virtio_port_dma_free(vq->mem, vq->mem_bytes);
	if (vq->slot)
		virtio_port_dma_free(vq->slot,
				     sizeof(struct virtqueue_slot) * vq->size);
	vq->mem = NULL;
	vq->slot = NULL;
	vq->num_free = 0;
	broke(vq, VIRTIO_EBROKEN); /* refuse work until set up again */
}

int virtqueue_reset(struct virtqueue *vq)
{
	struct virtio_device *dev = vq->dev;
	struct virtio_queue_addr a;
	unsigned n = vq->size;
	int err;

	if (!vq->mem && !is_packed(vq))
		return VIRTIO_EINVAL;
	if (!is_packed(vq) != !virtio_has_feature(dev, VIRTIO_F_RING_PACKED)) {
		/* Renegotiated into the other layout: set up anew. */
		uint16_t index = vq->index, size = virtqueue_size(vq);

		virtqueue_destroy(vq);
		return virtqueue_setup(dev, vq, index, size);
	}
	if (is_packed(vq)) {
		err = vqp_reset(vq->packed);
		if (err)
			virtqueue_destroy(vq);
		return err;
	}
	/* Empty rings, every descriptor free, no tokens. */
	zero(vq->mem, vq->mem_bytes);
	zero(vq->slot, sizeof(struct virtqueue_slot) * n);
	for (unsigned i = 0; i < n; i++)
		vq->slot[i].next = (uint16_t)(i + 1);
	vq->avail = vq->avail_ring;
	vq->used = vq->used_ring;
	vq->used_event = &vq->avail->ring[n];
	vq->avail_event = (uint16_t *)&vq->used->ring[n];
	vq->num_free = (uint16_t)n;
	vq->free_head = 0;
	vq->avail_idx = 0;
	vq->kicked_idx = 0;
	vq->last_used = 0;
	vq->used_seen = 0;
	vq->avail_flags = 0;
	vq->cb_disabled = false;
	/* Features may differ after a renegotiation. */
	vq->event_idx = virtio_has_feature(dev, VIRTIO_F_EVENT_IDX);
	vq->get_sets_event = vq->event_idx;
	vq->indirect = virtio_has_feature(dev, VIRTIO_F_INDIRECT_DESC)
			       ? vq->indirect_pool : NULL;

	a.area[VIRTIO_AREA_DESC] = virtio_port_virt_to_phys(vq->desc);
	a.area[VIRTIO_AREA_DRIVER] = virtio_port_virt_to_phys(vq->avail);
	a.area[VIRTIO_AREA_DEVICE] = virtio_port_virt_to_phys(vq->used);
	a.size = (uint16_t)n;
	err = dev->ops->queue_enable(dev, vq->index, &a);
	if (err) {
		virtqueue_destroy(vq);
		return err;
	}
	vq->broken = 0;
	return VIRTIO_OK;
}

/* Returns head's descriptors to the free list: splice head..last back. */
static inline void free_chain(struct virtqueue *vq, struct virtqueue_slot *h,
			      uint16_t head)
{
	h->limit = 0;
	vq->slot[h->last].next = vq->free_head;
	vq->free_head = head;
	vq->num_free = (uint16_t)(vq->num_free + h->ndesc);
}

void *virtqueue_detach_unused(struct virtqueue *vq)
{
	if (is_packed(vq))
		return vqp_detach_unused(vq->packed);
	for (unsigned i = 0; vq->mem && i < vq->size; i++) {
		if (vq->slot[i].limit) {
			free_chain(vq, &vq->slot[i], (uint16_t)i);
			return vq->slot[i].token;
		}
	}
	return NULL;
}

/* Records a new chain head..last and makes it available (not yet
 * visible to the device: kick_prepare moves avail->idx). */
static inline void commit(struct virtqueue *vq, uint16_t head, uint16_t last,
			  unsigned ndesc, uint32_t limit, void *token)
{
	struct virtqueue_slot *h = &vq->slot[head];

	vq->free_head = vq->slot[last].next;
	h->token = token;
	h->limit = limit;
	h->last = last;
	h->ndesc = (uint16_t)ndesc;
	vq->num_free = (uint16_t)(vq->num_free - ndesc);
	h->pos = vq->avail_idx;
	vq->avail->ring[vq->avail_idx++ & vq->mask] = v16(vq, head);
}

/*
 * Direct chains take descriptors from the front of the free list; the
 * slots' links double as chain links. With INDIRECT_DESC, chains of
 * 2..VIRTQUEUE_INDIRECT_MAX buffers go to head's table in the pool and
 * take one ring descriptor. Nothing is committed before the end, so a
 * failure leaves the queue as it was.
 */
#ifndef __OPTIMIZE_SIZE__
static __attribute__((noinline))
#else
static inline
#endif
int add_chain(struct virtqueue *vq, const struct virtio_buf *bufs,
	      unsigned n_out, unsigned n_in, void *token)
{
	unsigned n = n_out + n_in;
	uint16_t head = vq->free_head, i = head, next;
	struct vring_desc *tbl = vq->desc;
	uint32_t limit = 1; /* writable bytes + 1 */
	bool ind = false;

	if (unlikely(vq->broken))
		return is_packed(vq) ? packed_add(vq, bufs, n_out, n_in, token)
				  : VIRTIO_EBROKEN;
	if (unlikely(!token || n == 0 || n < n_out))
		return VIRTIO_EINVAL;
	if (n > 1 && vq->indirect && n <= VIRTQUEUE_INDIRECT_MAX) {
		if (vq->num_free == 0)
			return VIRTIO_ENOSPC;
		ind = true;
		tbl = &vq->indirect[head * VIRTQUEUE_INDIRECT_MAX];
		i = 0;
	} else if (unlikely(n > vq->num_free)) {
		return n > vq->mask + 1u ? VIRTIO_EINVAL : VIRTIO_ENOSPC;
	}

	for (unsigned k = 0;; k++) {
		uint64_t addr = dma_addr(bufs[k].addr);
		uint32_t len = bufs[k].len;
		uint16_t f = 0;

		if (k >= n_out) {
			f = VRING_DESC_F_WRITE;
			limit += len;
			if (unlikely(limit < len))
				return VIRTIO_EINVAL; /* 4 GiB writable */
		}
		if (k + 1 < n)
			f |= VRING_DESC_F_NEXT;
		next = ind ? (uint16_t)(i + 1) : vq->slot[i].next;
		tbl[i].addr = v64(vq, addr);
		tbl[i].len = v32(vq, len);
		tbl[i].flags = v16(vq, f);
		tbl[i].next = v16(vq, next);
		if (k + 1 == n)
			break;
		i = next;
	}
	if (ind) {
		/* The ring descriptor naming the table. */
		vq->desc[head].addr = v64(vq, dma_addr(tbl));
		vq->desc[head].len = v32(vq, (uint32_t)(n * sizeof(*tbl)));
		vq->desc[head].flags = v16(vq, VRING_DESC_F_INDIRECT);
		i = head;
		n = 1;
	}
	commit(vq, head, i, n, limit, token);
	return VIRTIO_OK;
}

/*
 * Speed builds take one buffer here, with every check but no loop and no
 * stack frame; anything else (chains, errors, a broken or packed queue)
 * goes to add_chain(), which checks again and says what is wrong.
 */
int virtqueue_add(struct virtqueue *vq, const struct virtio_buf *bufs,
		  unsigned n_out, unsigned n_in, void *token)
{
#ifndef __OPTIMIZE_SIZE__
	if (likely(n_out + n_in == 1 && n_out <= 1 && token && !vq->broken &&
		   vq->num_free != 0 &&
		   (n_out || bufs[0].len != UINT32_MAX))) {
		/* No link to write: without NEXT the device ignores `next`.
		 * Unsigned locals: no 16-bit arithmetic; stores truncate. */
		unsigned h = vq->free_head, pos = vq->avail_idx;
		struct virtqueue_slot *s = &vq->slot[h];
		struct vring_desc *d = &vq->desc[h];
		uint32_t len = bufs[0].len;

		d->addr = v64(vq, dma_addr(bufs[0].addr));
		d->len = v32(vq, len);
		d->flags = v16(vq, n_in ? VRING_DESC_F_WRITE : 0);
		vq->free_head = s->next;
		s->token = token;
		s->limit = n_in ? len + 1 : 1; /* writable bytes + 1 */
		s->last = (uint16_t)h;
		s->ndesc = 1;
		s->pos = (uint16_t)pos;
		vq->num_free = (uint16_t)(vq->num_free - 1);
		vq->avail->ring[pos & vq->mask] = v16(vq, (uint16_t)h);
		vq->avail_idx = (uint16_t)(pos + 1);
		return VIRTIO_OK;
	}
#endif
	return add_chain(vq, bufs, n_out, n_in, token);
}

bool virtqueue_kick_prepare(struct virtqueue *vq)
{
	uint16_t old = vq->kicked_idx, new_idx = vq->avail_idx;

	/* Nothing new: no store, no fence. (Storing the same idx again
	 * would still steal the cache line from a polling device.) */
	if (new_idx == old)
		return is_packed(vq) ? packed_kick_prepare(vq) : false;
	virtio_port_wmb(); /* descriptors and ring entries before idx */
	wr16(&vq->avail->idx, v16(vq, new_idx));
	vq->kicked_idx = new_idx;
	virtio_port_mb(); /* idx before reading the device's wish */
	if (vq->event_idx)
		return need_event(v16(vq, rd16(vq->avail_event)), new_idx, old);
	return !(v16(vq, rd16(&vq->used->flags)) & VRING_USED_F_NO_NOTIFY);
}

void virtqueue_notify(struct virtqueue *vq)
{
	vq->dev->ops->notify(vq->dev, vq->index);
}

/*
 * The slow half of get()'s checks, off the hot path: names what is wrong
 * (err, or classifies a bad id) and breaks the queue. A used id that heads
 * no in-flight chain is on the free list (never made available, or
 * completed twice) or inside a chain.
 */
static __attribute__((noinline)) int bad_used(struct virtqueue *vq,
					       uint32_t id, int err)
{
	if (vq->broken)
		return VIRTIO_EBROKEN;
	if (err == 0) {
		uint16_t i = vq->free_head;

		if (id > vq->mask)
			return broke(vq, VIRTIO_EUSEDID);
		if (vq->slot[id].limit)
			return broke(vq, VIRTIO_EUSEDLEN);
		err = VIRTIO_EUSEDNOTHEAD;
		for (unsigned k = 0; k < vq->num_free; k++, i = vq->slot[i].next)
			if (i == id)
				err = VIRTIO_EUSEDNOTINFLIGHT;
	}
	return broke(vq, err);
}

/*
 * get() for one entry. `pending`: chains were added since the last kick,
 * so a used head must also have been published. Speed builds keep the
 * common case (nothing pending) free of that check and its registers;
 * -Os builds have one copy that always checks.
 */
static inline __attribute__((always_inline)) int
get_one(struct virtqueue *vq, void **token, uint32_t *len, bool pending)
{
	struct virtqueue_slot *h;
	const struct vring_used_elem *e;
	struct vring_used *used = vq->used;
	unsigned last = vq->last_used, mask = vq->mask; /* no 16-bit math */
	uint32_t id, ulen;

	if (last == vq->used_seen) {
		unsigned idx = v16(vq, rd16(&used->idx));

		if (idx == last)
			return 0;
		/* More entries than chains we published is a lie (and how a
		 * broken queue ends up in bad_used()). */
		if (unlikely((uint16_t)(idx - last) >
			     (uint16_t)(vq->kicked_idx - last))) {
			if (is_packed(vq)) /* split side broken: lands here */
				return packed_get(vq, token, len);
			return bad_used(vq, 0, VIRTIO_EUSEDIDX);
		}
		vq->used_seen = (uint16_t)idx;
		virtio_port_rmb(); /* idx before the entries it covers */
	}
	e = &used->ring[last & mask];
	id = v32(vq, rd32(&e->id));
	ulen = v32(vq, rd32(&e->len));
	if (unlikely(id > mask))
		return bad_used(vq, id, 0);
	h = &vq->slot[id];
	/* Not an in-flight head (limit 0), or wrote too much. */
	if (unlikely(ulen >= h->limit))
		return bad_used(vq, id, 0);
	/* Added but not published by a kick yet: the device cannot know it. */
	if (pending && (uint16_t)(h->pos - vq->kicked_idx) <
			       (uint16_t)(vq->avail_idx - vq->kicked_idx))
		return bad_used(vq, id, VIRTIO_EUSEDNOTINFLIGHT);
	free_chain(vq, h, (uint16_t)id);
	vq->last_used = (uint16_t)(last + 1);
	if (vq->get_sets_event) {
		/* Interrupt again for the next one (store before later
		 * reads of used->idx, or a completion can be missed). */
		wr16(vq->used_event, v16(vq, (uint16_t)(last + 1)));
		virtio_port_mb();
	}
	*token = h->token;
	*len = ulen;
	return 1;
}

#ifndef __OPTIMIZE_SIZE__
static __attribute__((noinline)) int get_pending(struct virtqueue *vq,
						 void **token, uint32_t *len)
{
	return get_one(vq, token, len, true);
}
#endif

int virtqueue_get(struct virtqueue *vq, void **token, uint32_t *len)
{
#ifndef __OPTIMIZE_SIZE__
	if (unlikely(vq->avail_idx != vq->kicked_idx))
		return get_pending(vq, token, len);
	return get_one(vq, token, len, false);
#else
	return get_one(vq, token, len, vq->avail_idx != vq->kicked_idx);
#endif
}

bool virtqueue_has_used(const struct virtqueue *vq)
{
	if (is_packed(vq))
		return vqp_has_used(vq->packed);
	/* A broken queue's stand-in idx never equals last_used. */
	return vq->last_used != vq->used_seen ||
	       v16(vq, rd16(&vq->used->idx)) != vq->last_used;
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	if (is_packed(vq)) {
		vqp_disable_cb(vq->packed);
		return;
	}
	if (vq->cb_disabled)
		return;
	vq->cb_disabled = true;
	vq->get_sets_event = false;
	if (vq->event_idx) {
		/* An event already behind us: no interrupt until wrap-around
		 * (the flags field must stay 0 with EVENT_IDX, 2.7.7). */
		wr16(vq->used_event, v16(vq, (uint16_t)(vq->last_used - 1)));
	} else {
		vq->avail_flags |= VRING_AVAIL_F_NO_INTERRUPT;
		wr16(&vq->avail->flags, v16(vq, vq->avail_flags));
	}
}

bool virtqueue_enable_cb(struct virtqueue *vq)
{
	if (is_packed(vq))
		return vqp_enable_cb(vq->packed);
	vq->cb_disabled = false;
	vq->get_sets_event = vq->event_idx;
	if (vq->event_idx) {
		wr16(vq->used_event, v16(vq, vq->last_used));
	} else {
		vq->avail_flags &= (uint16_t)~VRING_AVAIL_F_NO_INTERRUPT;
		wr16(&vq->avail->flags, v16(vq, vq->avail_flags));
	}
	/* The device may have used a buffer before it saw the store. */
	virtio_port_mb();
	if (vq->broken)
		return false; /* let the caller's get() see the error */
	return v16(vq, rd16(&vq->used->idx)) == vq->last_used;
}
