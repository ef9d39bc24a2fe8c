/*
 * Split virtqueue (spec 2.7) for an untrusted device.
 *
 * Bookkeeping lives only in private memory (its own allocation, never
 * given to the device), one slot per descriptor: everything we need back
 * about it (its chain link; the free list is threaded through `next`)
 * and, for chain heads, token, writable bytes and chain end. Descriptor
 * contents are never needed again, so they are written only. Shared
 * memory is read only for used->idx, used elements and avail_event /
 * used->flags.
 *
 * A chain is taken from the front of the free list, whose links double as
 * the chain links, so freeing a chain is O(1): splice head..last back.
 * The common case of add, kick_prepare and get is in virtqueue_fast.h.
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

#define FREE_END VIRTQUEUE_FREE_END

/*
 * Marks the queue broken (or not usable yet: before setup, after destroy)
 * and points it at private stand-ins for the ring headers. The used idx
 * stand-in is as far off as it gets, so get() fails its idx check and
 * reports VIRTIO_EBROKEN without a separate test on the hot path; kick and
 * the callback calls touch only the stand-ins. Nothing is read from or
 * written to shared memory any more (it may be freed). The used flags /
 * avail_event stand-in, dead[0], is never written: 0 since setup.
 */
static __attribute__((noinline)) int broke(struct virtqueue *vq, int err)
{
	vq->broken = (int8_t)err;
	vq->free_head = FREE_END;
	vq->used = (struct vring_used *)(void *)&vq->dead[0];
	vq->avail = (struct vring_avail *)(void *)&vq->dead[2];
	vq->avail_event = &vq->dead[0];
	vq->used_event = &vq->dead[2];
	vq->dead[1] = (uint16_t)(vq->last_used - 1);
	vq->kicked_idx = vq->avail_idx;
	return err;
}

/* A packed queue: its state is the packed ring's (virtqueue_packed.c). */
static int setup_packed(struct virtqueue *vq, uint16_t size)
{
	int err = vqp_create(vq->dev, vq->index, size, &vq->packed);

	if (err)
		return err;
	/* (event_idx stays false from setup: kick_prepare's way to the
	 * packed ring) */
	vq->mem = vq->packed->mem; /* not ours: "set up" to drivers that look */
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

	/* Not set up: every pointer NULL, every count, flag and stand-in 0
	 * (one loop on a cold path, smaller than the stores). */
	zero(vq, sizeof(*vq));
	vq->dev = dev;
	vq->index = index;
	broke(vq, VIRTIO_EBROKEN);
	if (max == 0)
		return VIRTIO_ENOQUEUE;
	if (VIRTIO_PACKED_RING && virtio_has_feature(dev, VIRTIO_F_RING_PACKED))
		return setup_packed(vq, size);
	n = pick_size(max, size); /* split rings: a power of two */

	avail = sizeof(struct vring_desc) * n;
	used = align_up(avail + sizeof(struct vring_avail) +
				sizeof(uint16_t) * (n + 1),
			legacy ? VIRTIO_LEGACY_ALIGN : VRING_USED_ALIGN_SIZE);
	pool = align_up(used + sizeof(struct vring_used) +
				sizeof(struct vring_used_elem) * n +
				sizeof(uint16_t),
			VRING_DESC_ALIGN_SIZE);
	total = pool;
	if (VIRTIO_INDIRECT_DESC &&
	    virtio_has_feature(dev, VIRTIO_F_INDIRECT_DESC))
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
	if (total != pool) /* (else NULL) */
		vq->indirect_pool = (struct vring_desc *)(mem + pool);
	vq->mask = n - 1;
	if (VIRTIO_ACCEPT_LEGACY) /* (only read then: virtqueue_swap) */
		vq->legacy = legacy;
	return virtqueue_reset(vq);
}

void virtqueue_destroy(struct virtqueue *vq)
{
	if (is_packed(vq)) {
		vqp_free(vq->packed);
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
	vq->avail_idx = vq->last_used; /* nothing in flight */
	broke(vq, VIRTIO_EBROKEN); /* refuse work until set up again */
}

int virtqueue_reset(struct virtqueue *vq)
{
	struct virtio_device *dev = vq->dev;
	struct virtqueue_slot *s = vq->slot;
	struct virtio_queue_addr a;
	unsigned n = vq->size, i = n, next = FREE_END;
	int err;

	if (!vq->mem) /* not set up (a packed queue's mem is its ring's) */
		return VIRTIO_EINVAL;
	if (VIRTIO_PACKED_RING &&
	    !is_packed(vq) != !virtio_has_feature(dev, VIRTIO_F_RING_PACKED)) {
		/* Renegotiated into the other layout: set up anew. */
		uint16_t index = vq->index, size = virtqueue_size(vq);

		virtqueue_destroy(vq);
		return virtqueue_setup(dev, vq, index, size);
	}
	if (is_packed(vq)) {
		err = vqp_reset(vq->packed);
		goto out;
	}
	/* Empty rings, every descriptor free (in order), no tokens. */
	zero(vq->mem, vq->mem_bytes);
	do { /* from the end: each slot links to the one after it */
		s[--i].limit = 0; /* token, last: meaningless now */
		s[i].next = (uint16_t)next;
		next = i;
	} while (i);
	vq->free_head = 0;
	vq->avail = vq->avail_ring;
	vq->used = vq->used_ring;
	vq->used_event = &vq->avail->ring[n];
	vq->avail_event = (uint16_t *)&vq->used->ring[n];
	vq->avail_idx = 0;
	vq->kicked_idx = 0;
	vq->last_used = 0;
	vq->avail_flags = 0;
	vq->broken = 0; /* (with free_head: a failure below breaks it again) */
	vq->cb_disabled = false;
	/* Features may differ after a renegotiation. */
	vq->event_idx = virtio_has_feature(dev, VIRTIO_F_EVENT_IDX);
	vq->get_sets_event = vq->event_idx;
	if (VIRTIO_INDIRECT_DESC) /* (else NULL since setup) */
		vq->indirect = virtio_has_feature(dev, VIRTIO_F_INDIRECT_DESC)
				       ? vq->indirect_pool
				       : NULL;

	a.area[VIRTIO_AREA_DESC] = virtio_port_virt_to_phys(vq->desc);
	a.area[VIRTIO_AREA_DRIVER] = virtio_port_virt_to_phys(vq->avail);
	a.area[VIRTIO_AREA_DEVICE] = virtio_port_virt_to_phys(vq->used);
	a.size = (uint16_t)n;
	err = dev->ops->queue_enable(dev, vq->index, &a);
out:
	if (err)
		virtqueue_destroy(vq);
	return err;
}

void *virtqueue_detach_unused(struct virtqueue *vq)
{
	struct virtqueue_slot *h = vq->slot;
	void *token = NULL;

	if (is_packed(vq))
		return vqp_detach_unused(vq->packed);
	for (unsigned k = h ? vq->size : 0; k; k--, h++) {
		if (h->limit) {
			/* The device was reset: its rings start over in
			 * virtqueue_reset(), no descriptor goes back now. */
			h->limit = 0;
			vq->last_used++; /* one chain fewer in flight */
			token = h->token;
			break;
		}
	}
	/* Refuses work from now on, broken or not (again if it was: the
	 * same state, as nothing moved since). */
	broke(vq, vq->broken ? vq->broken : VIRTIO_EBROKEN);
	return token;
}

/*
 * Direct chains take descriptors from the front of the free list; the
 * slots' links double as chain links. With INDIRECT_DESC, chains of
 * 2..VIRTQUEUE_INDIRECT_MAX buffers go to head's table in the pool and
 * take one ring descriptor. Nothing is committed before the end, so a
 * failure leaves the queue as it was.
 */
int virtqueue_add_chain(struct virtqueue *vq, const struct virtio_buf *bufs,
			unsigned n_out, unsigned n_in, void *token)
{
	unsigned n = n_out + n_in, head = vq->free_head, i = head, next;
	struct vring_desc *tbl = vq->desc;
	uint32_t limit = 1, total = 0; /* writable bytes + 1, all bytes */
	bool ind = false;

	if (unlikely(vq->broken))
		return is_packed(vq) ? vqp_add(vq->packed, bufs, n_out, n_in,
					       token)
				     : VIRTIO_EBROKEN;
	/* No chain longer than the queue, indirect or not (2.7.5.3.1);
	 * n - 1 wraps for n == 0, n < n_out if the sum did. */
	if (unlikely(!token || n - 1 > vq->mask || n < n_out))
		return VIRTIO_EINVAL;
	/* (no free head: the loop's first test says ENOSPC) */
	if (n > 1 && vq->indirect && n <= VIRTQUEUE_INDIRECT_MAX &&
	    head != FREE_END) {
		ind = true;
		tbl = &vq->indirect[head * VIRTQUEUE_INDIRECT_MAX];
		i = 0;
	}

	for (unsigned k = 0;; k++) {
		uint32_t len = bufs[k].len;
		uint16_t f = 0;

		if (i == FREE_END) /* only a direct chain runs out */
			return VIRTIO_ENOSPC;
		total += len;
		if (unlikely(total < len))
			return VIRTIO_EINVAL; /* 4 GiB chain (2.7.5.2) */
		if (k >= n_out) {
			f = VRING_DESC_F_WRITE;
			limit += len;
			if (unlikely(limit < len))
				return VIRTIO_EINVAL; /* 4 GiB writable */
		}
		if (k + 1 < n)
			f |= VRING_DESC_F_NEXT;
		next = ind ? i + 1 : vq->slot[i].next;
		/* (the address last: less held across the call) */
		tbl[i].len = virtqueue_v32(vq, len);
		tbl[i].flags = virtqueue_v16(vq, f);
		tbl[i].next = virtqueue_v16(vq, (uint16_t)next);
		tbl[i].addr = virtqueue_v64(vq, virtio_dma_addr(bufs[k].addr));
		if (k + 1 == n)
			break;
		i = next;
	}
	if (ind) {
		/* The ring descriptor naming the table. (vq->free_head is
		 * still head: read again, not held across the calls.) */
		head = vq->free_head;
		vq->desc[head].addr = virtqueue_v64(vq, virtio_dma_addr(tbl));
		vq->desc[head].len =
			virtqueue_v32(vq, (uint32_t)(n * sizeof(*tbl)));
		vq->desc[head].flags = virtqueue_v16(vq, VRING_DESC_F_INDIRECT);
		next = vq->slot[head].next;
		i = head;
	}
	/* (head read again: -Os holds less across the loop's calls) */
	virtqueue_commit(vq, vq->free_head, i, next, limit, token);
	return VIRTIO_OK;
}

/* The API's out-of-line functions: what virtqueue_fast.h inlines in speed
 * builds. Parenthesized names: not the macros of virtqueue.h. */
int(virtqueue_add)(struct virtqueue *vq, const struct virtio_buf *bufs,
		   unsigned n_out, unsigned n_in, void *token)
{
#ifndef __OPTIMIZE_SIZE__
	return virtqueue_add_fast(vq, bufs, n_out, n_in, token);
#else
	return virtqueue_add_chain(vq, bufs, n_out, n_in, token);
#endif
}

bool(virtqueue_kick_prepare)(struct virtqueue *vq)
{
	return virtqueue_kick_prepare_fast(vq);
}

int(virtqueue_get)(struct virtqueue *vq, void **token, uint32_t *len)
{
	return virtqueue_get_fast(vq, token, len);
}

void virtqueue_notify(struct virtqueue *vq)
{
	vq->dev->ops->notify(vq->dev, vq->index);
}

/*
 * get()'s slow halves, off the hot path: they name what is wrong and
 * break the queue. Used idx moved past the chains in flight (a broken or
 * packed queue's stand-in idx always does):
 */
int virtqueue_get_idx_bad(struct virtqueue *vq, void **token, uint32_t *len)
{
	if (is_packed(vq))
		return vqp_get(vq->packed, token, len);
	return vq->broken ? VIRTIO_EBROKEN : broke(vq, VIRTIO_EUSEDIDX);
}

/* Entry `id` is out of range, wrote too much, or heads no in-flight
 * chain: it is free (never added, or completed twice) or inside one. */
int virtqueue_get_id_bad(struct virtqueue *vq, uint32_t id)
{
	int err = VIRTIO_EUSEDID;

	if (id <= vq->mask) {
		err = VIRTIO_EUSEDLEN;
		if (!vq->slot[id].limit) {
			err = VIRTIO_EUSEDNOTHEAD;
			for (unsigned i = vq->free_head, k = 0;
			     i != FREE_END && k <= vq->mask;
			     i = vq->slot[i].next, k++)
				if (i == id)
					err = VIRTIO_EUSEDNOTINFLIGHT;
		}
	}
	return broke(vq, err);
}

unsigned virtqueue_num_free(const struct virtqueue *vq)
{
	unsigned n = 0;

	if (is_packed(vq))
		return vqp_num_free(vq->packed);
	for (unsigned i = vq->free_head; i != FREE_END && n <= vq->mask;
	     i = vq->slot[i].next)
		n++;
	return n;
}

bool virtqueue_has_used(const struct virtqueue *vq)
{
	if (is_packed(vq))
		return vqp_has_used(vq->packed);
	/* A broken queue's stand-in idx never equals last_used. */
	return virtqueue_v16(vq, virtio_rd16(&vq->used->idx)) != (uint16_t)vq->last_used;
}

/* The device's hint for used-buffer interrupts, in the negotiated form:
 * off, or on again. */
static __attribute__((noinline)) void cb_hint(struct virtqueue *vq, bool off)
{
	vq->cb_disabled = off;
	vq->get_sets_event = vq->event_idx && !off;
	if (vq->event_idx) {
		/* off: an event already behind us, no interrupt until
		 * wrap-around (the flags field must stay 0 with EVENT_IDX,
		 * 2.7.7); on: the next entry. */
		virtio_wr16(vq->used_event,
		     virtqueue_v16(vq, (uint16_t)(vq->last_used - off)));
	} else {
		/* (NO_INTERRUPT is the only flag the driver sets) */
		vq->avail_flags = off ? VRING_AVAIL_F_NO_INTERRUPT : 0;
		virtio_wr16(&vq->avail->flags, virtqueue_v16(vq, vq->avail_flags));
	}
}

void virtqueue_disable_cb(struct virtqueue *vq)
{
	if (is_packed(vq))
		vqp_disable_cb(vq->packed);
	else if (!vq->cb_disabled)
		cb_hint(vq, true);
}

bool virtqueue_enable_cb(struct virtqueue *vq)
{
	if (is_packed(vq))
		return vqp_enable_cb(vq->packed);
	cb_hint(vq, false);
	/* The device may have used a buffer before it saw the store. A
	 * broken queue's stand-in idx never equals last_used: false, and
	 * the caller's get() sees the error. */
	virtio_port_mb();
	return virtqueue_v16(vq, virtio_rd16(&vq->used->idx)) == (uint16_t)vq->last_used;
}
