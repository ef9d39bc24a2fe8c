/*
 * The split ring's common case, inline: add of one buffer, kick_prepare,
 * get. Speed builds map virtqueue_add/kick_prepare/get to these (see
 * virtqueue.h, VIRTQUEUE_INLINE); the out-of-line functions in
 * virtqueue_split.c are these same bodies. Anything unusual (a chain, a
 * full, broken or packed queue, a used entry that fails a check) goes to
 * the out-of-line half, which checks again and says what is wrong.
 * Internal to the runtime: drivers call the virtqueue_* names. As these
 * bodies compile into the caller, build drivers and runtime with the same
 * VIRTIO_* settings (VIRTIO_DMA_IDENTITY above all).
 */
#ifndef VIRTIO_VIRTQUEUE_FAST_H
#define VIRTIO_VIRTQUEUE_FAST_H

#ifndef VIRTIO_VIRTQUEUE_H
#error "include <virtio/virtqueue.h>"
#endif

/* Ends the free list. A broken queue's free_head holds it too, so add's
 * fast path tests one value for both. Never a descriptor (size <= 32768). */
#define VIRTQUEUE_FREE_END 0xffffu

/* The out-of-line halves. */
int virtqueue_add_chain(struct virtqueue *vq, const struct virtio_buf *bufs,
			unsigned n_out, unsigned n_in, void *token);
int virtqueue_get_idx_bad(struct virtqueue *vq, void **token, uint32_t *len);
int virtqueue_get_id_bad(struct virtqueue *vq, uint32_t id);

/*
 * Device address of a buffer. Ports whose device addresses are the CPU
 * addresses (most RTOS and bare-metal targets: no IOMMU, no offset) may
 * build with -DVIRTIO_DMA_IDENTITY: add() then makes no call.
 */
static inline uint64_t virtio_dma_addr(const void *p)
{
#ifdef VIRTIO_DMA_IDENTITY
	return (uint64_t)(uintptr_t)p;
#else
	return virtio_port_virt_to_phys(p);
#endif
}

/* Every read of device-written memory happens exactly once. */
static inline uint16_t virtio_rd16(const uint16_t *p)
{
	return *(const volatile uint16_t *)p;
}
static inline uint32_t virtio_rd32(const uint32_t *p)
{
	return *(const volatile uint32_t *)p;
}
static inline void virtio_wr16(uint16_t *p, uint16_t v)
{
	*(volatile uint16_t *)p = v;
}

/* Spec 2.7.10: does the device want a notification, the index having
 * moved `window` entries on from old, i.e. is event in [old, old +
 * window)? The spec's (new - event - 1) < (new - old) rearranged, with a
 * 32-bit window: 65536 or more added since old still notify. */
static inline bool virtio_need_event(uint16_t event, uint16_t old,
				     uint32_t window)
{
	return (uint16_t)(event - old) < window;
}

#include <virtio/virtqueue_packed_fast.h>

/* A packed queue's hand-over from the split fast paths' cold branches:
 * inline too in speed builds, so a driver on a packed queue makes no call
 * in the common case either. */
#if VIRTQUEUE_INLINE
#define VQP_HANDOVER(f) vqp_##f##_fast
#else
#define VQP_HANDOVER(f) vqp_##f
#endif

/* Split ring fields: little-endian for modern, guest-endian for legacy.
 * On little-endian hosts these compile to nothing. */
static inline bool virtqueue_swap(const struct virtqueue *vq)
{
	return VIRTIO_HOST_BE &&
	       !(VIRTIO_ACCEPT_LEGACY && (!VIRTIO_ACCEPT_MODERN || vq->legacy));
}
static inline uint16_t virtqueue_v16(const struct virtqueue *vq, uint16_t v)
{
	return virtqueue_swap(vq) ? __builtin_bswap16(v) : v;
}
static inline uint32_t virtqueue_v32(const struct virtqueue *vq, uint32_t v)
{
	return virtqueue_swap(vq) ? __builtin_bswap32(v) : v;
}
static inline uint64_t virtqueue_v64(const struct virtqueue *vq, uint64_t v)
{
	return virtqueue_swap(vq) ? __builtin_bswap64(v) : v;
}

/* Records chain head..last (taken from the front of the free list, which
 * goes on at `next`) and writes its avail entry; kick_prepare publishes
 * the index (one store and one fence per batch, and the device sees whole
 * batches). Unsigned locals: no 16-bit math. */
static inline __attribute__((always_inline)) void
virtqueue_commit(struct virtqueue *vq, unsigned head, unsigned last,
		 unsigned next, uint32_t limit, void *token)
{
	struct virtqueue_slot *h = &vq->slot[head];

	vq->free_head = next;
	h->token = token;
	h->limit = limit;
	h->last = (uint16_t)last;
	vq->avail->ring[vq->avail_idx & vq->mask] =
		virtqueue_v16(vq, (uint16_t)head);
	vq->avail_idx++; /* (one read-modify-write on x86) */
}

/* One buffer: every check, no loop. Without NEXT the device ignores the
 * descriptor's `next`, so it is not written. */
static inline __attribute__((always_inline)) int
virtqueue_add_fast(struct virtqueue *vq, const struct virtio_buf *bufs,
		   unsigned n_out, unsigned n_in, void *token)
{
	unsigned h = vq->free_head;

	if (__builtin_expect(n_out + n_in == 1 && n_out <= 1 && token &&
				     h != VIRTQUEUE_FREE_END,
			     1)) {
		struct vring_desc *d = &vq->desc[h];
		uint32_t len = bufs[0].len, limit = n_in ? len + 1 : 1;

		/* limit 0: 4 GiB writable, which add_chain() refuses */
		if (__builtin_expect(limit != 0, 1)) {
			d->addr = virtqueue_v64(vq,
						virtio_dma_addr(bufs[0].addr));
			d->len = virtqueue_v32(vq, len);
			d->flags = virtqueue_v16(vq, n_in ? VRING_DESC_F_WRITE
							  : 0);
			virtqueue_commit(vq, h, h, vq->slot[h].next, limit,
					 token);
			return VIRTIO_OK;
		}
	}
	if (VIRTIO_PACKED_RING && vq->packed) /* (no split free list) */
		return VQP_HANDOVER(add)(vq->packed, bufs, n_out, n_in,
					 token);
	return virtqueue_add_chain(vq, bufs, n_out, n_in, token);
}

/* Makes the chains added since the last call available (index after
 * entries and descriptors) and reads the device's wish (after the index).
 * No early out when nothing was added: need_event() is false then, and a
 * fence is cheaper than the test. */
static inline __attribute__((always_inline)) void
virtqueue_publish(struct virtqueue *vq, struct vring_avail *avail,
		  uint32_t new_idx)
{
	virtio_port_wmb();
	virtio_wr16(&avail->idx, virtqueue_v16(vq, (uint16_t)new_idx));
	vq->kicked_idx = new_idx;
	virtio_port_mb();
}

static inline __attribute__((always_inline)) bool
virtqueue_kick_prepare_fast(struct virtqueue *vq)
{
	uint32_t old = vq->kicked_idx, new_idx = vq->avail_idx;
	struct vring_avail *avail = vq->avail; /* not reloaded after wmb */

#ifdef __OPTIMIZE_SIZE__
	/* size builds: the same, with one copy of publish() */
	if (VIRTIO_PACKED_RING && !vq->event_idx && vq->packed)
		return vqp_kick_prepare(vq->packed);
	virtqueue_publish(vq, avail, new_idx);
	if (vq->event_idx)
		return virtio_need_event(
			virtqueue_v16(vq, virtio_rd16(vq->avail_event)),
			(uint16_t)old, new_idx - old);
#else
	if (__builtin_expect(vq->event_idx, 1)) {
		virtqueue_publish(vq, avail, new_idx);
		return virtio_need_event(
			virtqueue_v16(vq, virtio_rd16(vq->avail_event)),
			(uint16_t)old, new_idx - old);
	}
	if (VIRTIO_PACKED_RING && vq->packed) /* (split event_idx off) */
		return VQP_HANDOVER(kick_prepare)(vq->packed);
	virtqueue_publish(vq, avail, new_idx);
#endif
	return new_idx != old &&
	       !(virtqueue_v16(vq, virtio_rd16(&vq->used->flags)) &
		 VRING_USED_F_NO_NOTIFY);
}

/*
 * Takes the next used entry after checking it against private state: used
 * idx moves by at most the chains in flight (a broken or packed queue's
 * stand-in idx never does), id in range, id heads an in-flight chain
 * (limit 0 otherwise) and len within its writable bytes. Then splices the
 * chain head..last back onto the free list.
 */
static inline __attribute__((always_inline)) int
virtqueue_get_fast(struct virtqueue *vq, void **token, uint32_t *len)
{
	const struct vring_used *used = vq->used; /* not reloaded after rmb */
	unsigned last = vq->last_used, mask = vq->mask;
	unsigned idx = virtqueue_v16(vq, virtio_rd16(&used->idx));
	const struct vring_used_elem *e;
	struct virtqueue_slot *h;
	uint32_t id, ulen;

	/* One test for "nothing new" and "more new entries than chains in
	 * flight" (a lie, and how a broken or packed queue gets out). */
	if (__builtin_expect((uint16_t)(idx - last - 1) >=
				     (uint16_t)(vq->avail_idx - last),
			     0)) {
		if (VIRTIO_PACKED_RING && vq->packed) /* (split stand-ins) */
			return VQP_HANDOVER(get)(vq->packed, token, len);
		if ((uint16_t)(idx - last) == 0)
			return 0;
		return virtqueue_get_idx_bad(vq, token, len);
	}
	virtio_port_rmb(); /* idx before the entry it covers */
	e = &used->ring[last & mask];
	id = virtqueue_v32(vq, virtio_rd32(&e->id));
	ulen = virtqueue_v32(vq, virtio_rd32(&e->len));
	if (__builtin_expect(id > mask, 0))
		return virtqueue_get_id_bad(vq, id);
	h = &vq->slot[id];
	if (__builtin_expect(ulen >= h->limit, 0))
		return virtqueue_get_id_bad(vq, id);
	h->limit = 0;
	vq->slot[h->last].next = (uint16_t)vq->free_head;
	vq->free_head = id;
	vq->last_used = last + 1;
	if (vq->get_sets_event) {
		/* Interrupt again for the next one (store before later
		 * reads of used->idx, or a completion can be missed). */
		virtio_wr16(vq->used_event,
			    virtqueue_v16(vq, (uint16_t)(last + 1)));
		virtio_port_mb();
	}
	*token = h->token;
	*len = ulen;
	return 1;
}

#endif /* VIRTIO_VIRTQUEUE_FAST_H */
