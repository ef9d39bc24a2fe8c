/*
 * Virtqueues. The API talks about buffers and tokens, never about ring
 * layout: virtqueue_setup() picks the packed ring (spec 2.8,
 * virtqueue_packed.h) when VIRTIO_F_RING_PACKED was negotiated, the split
 * ring (2.7) otherwise, and every call below works on either.
 *
 * Hardening: the device is untrusted. Every used entry is checked against
 * private state of what the driver wrote (its own allocation, never given
 * to the device, never read back from shared memory): id in range
 * (VIRTIO_EUSEDID), id heads a chain in flight (VIRTIO_EUSEDNOTHEAD if it
 * is inside one, VIRTIO_EUSEDNOTINFLIGHT if free or completed twice), len
 * within the chain's device-writable bytes (VIRTIO_EUSEDLEN), used idx not
 * moving past the chains added (VIRTIO_EUSEDIDX).
 *
 * A broken queue stays broken: the call that found the problem returns the
 * specific error (also in virtqueue_broken()), every later add/get returns
 * VIRTIO_EBROKEN, kick_prepare/enable_cb return false, and nothing is read
 * from or written to the shared rings any more. Tokens stay with the
 * queue. Recovery: reset the device (it stops using the rings),
 * virtqueue_detach_unused() until NULL (gets every token back; the queue
 * then refuses work, broken or not), virtio_negotiate(),
 * virtqueue_reset(), virtio_driver_ok().
 *
 * Not thread-safe: one context adds and gets per queue (or lock outside).
 */
#ifndef VIRTIO_VIRTQUEUE_H
#define VIRTIO_VIRTQUEUE_H

#include <virtio/virtio.h>
#include <virtio/virtqueue_packed.h>

/* One driver buffer: CPU address (must be reachable by the device through
 * virtio_port_virt_to_phys) and length in bytes. */
struct virtio_buf {
	void *addr;
	uint32_t len;
};

/* Longest chain put in one indirect table (needs VIRTIO_F_INDIRECT_DESC);
 * the table pool costs size * VIRTQUEUE_INDIRECT_MAX * 16 bytes. */
#ifndef VIRTQUEUE_INDIRECT_MAX
#define VIRTQUEUE_INDIRECT_MAX (VIRTIO_INDIRECT_DESC ? 8u : 0u)
#endif

/*
 * Private state per descriptor: everything the driver needs back about
 * it (its chain link and, when it heads an in-flight chain, that chain's
 * bookkeeping), so nothing is ever read back from the shared descriptor
 * table. Kept in its own allocation that is never given to the device;
 * one array so add/get touch one line per chain (16 bytes on 64-bit,
 * 12 on 32-bit).
 */
struct virtqueue_slot {
	void *token;     /* head: the caller's token */
	uint32_t limit;  /* head: device-writable bytes + 1; 0: this is not
	                    the head of an in-flight chain (one compare in
	                    get checks both) */
	uint16_t next;   /* chain link, or free-list link when free */
	uint16_t last;   /* head: last descriptor of the chain (O(1) free) */
};

/*
 * A virtqueue. Allocate it anywhere (static is fine); all members are
 * private to the runtime and may change.
 */
struct virtqueue {
	/* hot path: add, kick_prepare, get */
	struct virtqueue_slot *slot;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	/* Free-running counters, truncated to 16 bits where the ring has
	 * them (32-bit: no 16-bit math, no aliasing with ring stores). */
	uint32_t avail_idx;             /* chains added: avail->idx */
	uint32_t kicked_idx;            /* avail_idx at the last kick_prepare */
	uint32_t last_used;             /* chains taken: next used entry */
	/* (mask apart from the fields stored together with free_head, or
	 * gcc merges those stores through a vector register) */
	uint32_t mask;                  /* size - 1 (32-bit: no 16-bit math) */
	uint32_t free_head;             /* 0xffff: none free, or broken */
	int8_t broken;                  /* 0, or the error that broke it */
	bool event_idx;
	bool get_sets_event;            /* event_idx with callbacks enabled */
	bool cb_disabled;
	bool legacy;
	uint16_t avail_flags;           /* our copy of avail->flags */
	struct vring_desc *indirect;    /* pool, VIRTQUEUE_INDIRECT_MAX per head */
	uint16_t *used_event;           /* in the avail ring (EVENT_IDX) */
	uint16_t *avail_event;          /* in the used ring (EVENT_IDX) */
	/* cold */
	struct vring_avail *avail_ring; /* `avail` unless the queue is broken */
	struct vring_used *used_ring;   /* `used` unless the queue is broken */
	_Alignas(4) uint16_t dead[4];   /* stand-in ring headers once broken */
	struct virtio_device *dev;
	struct vring_desc *indirect_pool; /* NULL if INDIRECT_DESC not offered */
	void *mem;                      /* rings + indirect pool: one block
	                                   (packed: the packed ring's; non-NULL
	                                   = set up, for either layout) */
	size_t mem_bytes;
	uint16_t index;
	uint16_t size;
	/* Packed layout: its state (a private block), NULL for split. The
	 * split fields then stay "broken", so the split hot path needs no
	 * test: its cold branches hand over to the packed ring. */
	struct virtqueue_packed *packed;
};

/*
 * Allocates the rings and shadow state (virtio_port_dma_alloc) and
 * programs queue `index` on the device: a packed ring if
 * VIRTIO_F_RING_PACKED was negotiated, else a split ring. `size` 0 means
 * the device maximum; otherwise the queue gets min(size, max) rounded down
 * to a power of two (either layout).
 * Call between virtio_negotiate and virtio_driver_ok. Returns
 * VIRTIO_ENOQUEUE if the device has no such queue. A failure does not
 * set FAILED (an optional queue may be missing): the driver decides and
 * calls virtio_fail(). `vq` must be new or destroyed.
 */
int virtqueue_setup(struct virtio_device *dev, struct virtqueue *vq,
		    uint16_t index, uint16_t size);
/* Frees the memory; the queue then refuses work (VIRTIO_EBROKEN) until set
 * up again. The device must be reset first (it may still DMA). */
void virtqueue_destroy(struct virtqueue *vq);
/* After a device reset and renegotiation: empties the rings (tokens not
 * yet detached are dropped), clears "broken", programs the queue again. */
int virtqueue_reset(struct virtqueue *vq);
/* After a device reset: returns one token still in flight, NULL when none
 * are left. The queue refuses work (VIRTIO_EBROKEN) until
 * virtqueue_reset(). */
void *virtqueue_detach_unused(struct virtqueue *vq);

/*
 * Makes a chain available: bufs[0..n_out) are device-readable,
 * bufs[n_out..n_out+n_in) device-writable. `token` (non-NULL) comes back
 * from virtqueue_get. Uses one indirect descriptor when negotiated and
 * 2 <= n_out + n_in <= VIRTQUEUE_INDIRECT_MAX. Returns 0, VIRTIO_ENOSPC
 * (retry after completions), VIRTIO_EINVAL or VIRTIO_EBROKEN.
 * virtqueue_kick / kick_prepare + notify make it available and tell the
 * device. (The packed ring makes it available at once; a split-ring
 * device may read ahead. Either way a completion of a chain added but not
 * yet kicked is accepted: the device was given its buffers.)
 */
int virtqueue_add(struct virtqueue *vq, const struct virtio_buf *bufs,
		  unsigned n_out, unsigned n_in, void *token);
/* Makes the chains added since the last call available; true if the
 * device wants a notification for them (EVENT_IDX when negotiated, else
 * the used ring's NO_NOTIFY flag). Split from notify so notify can run
 * outside a lock. */
bool virtqueue_kick_prepare(struct virtqueue *vq);
void virtqueue_notify(struct virtqueue *vq);

/*
 * Takes one completed chain: 1 with *token and *len (bytes the device
 * wrote, checked <= the chain's writable bytes), 0 if none, or a negative
 * error (the queue is then broken; *token and *len are untouched).
 */
int virtqueue_get(struct virtqueue *vq, void **token, uint32_t *len);

/* True if the device has completed chains that get() has not taken yet,
 * or the queue is broken (get() then says why). One read of the used
 * index; fine from interrupt context to decide whether to wake a task. */
bool virtqueue_has_used(const struct virtqueue *vq);

/* Asks the device not to interrupt for used buffers (a hint). */
void virtqueue_disable_cb(struct virtqueue *vq);
/* Re-arms used-buffer interrupts. Returns false if buffers were completed
 * meanwhile (poll with virtqueue_get before sleeping), true otherwise. */
bool virtqueue_enable_cb(struct virtqueue *vq);

/* True if the queue uses the packed layout (VIRTIO_F_RING_PACKED). */
static inline bool virtqueue_is_packed(const struct virtqueue *vq)
{
	return VIRTIO_PACKED_RING && vq->packed != NULL;
}
/* Descriptors add() can take now (0 once broken). O(size) for a split
 * ring: it walks the free list. */
unsigned virtqueue_num_free(const struct virtqueue *vq);
/* Chains added and not yet taken back by get() or detach_unused(). O(1)
 * for a split ring; a packed ring counts its ids (O(1) when none are). */
static inline unsigned virtqueue_in_flight(const struct virtqueue *vq)
{
	return virtqueue_is_packed(vq) ? vqp_in_flight(vq->packed)
				       : (uint16_t)(vq->avail_idx - vq->last_used);
}
static inline unsigned virtqueue_size(const struct virtqueue *vq)
{
	return virtqueue_is_packed(vq) ? vq->packed->size : vq->size;
}
/* 0, or the error that broke the queue. */
static inline int virtqueue_broken(const struct virtqueue *vq)
{
	return virtqueue_is_packed(vq) ? vq->packed->broken : vq->broken;
}

/*
 * Speed builds inline the common case of add, kick_prepare and get
 * (virtqueue_fast.h, and virtqueue_packed_fast.h for packed queues) into
 * the caller; size builds (-Os) call the same
 * code out of line. -DVIRTQUEUE_INLINE=0/1 overrides. Either way the
 * functions above exist, so objects built both ways link together.
 */
#ifndef VIRTQUEUE_INLINE
#ifdef __OPTIMIZE_SIZE__
#define VIRTQUEUE_INLINE 0
#else
#define VIRTQUEUE_INLINE 1
#endif
#endif
#include <virtio/virtqueue_fast.h>
#if VIRTQUEUE_INLINE
#define virtqueue_add(vq, bufs, n_out, n_in, token) \
	virtqueue_add_fast(vq, bufs, n_out, n_in, token)
#define virtqueue_kick_prepare(vq) virtqueue_kick_prepare_fast(vq)
#define virtqueue_get(vq, token, len) virtqueue_get_fast(vq, token, len)
#if VIRTIO_PACKED_RING
#define vqp_add(q, bufs, n_out, n_in, token) \
	vqp_add_fast(q, bufs, n_out, n_in, token)
#define vqp_kick_prepare(q) vqp_kick_prepare_fast(q)
#define vqp_get(q, token, len) vqp_get_fast(q, token, len)
#endif
#endif

static inline void virtqueue_kick(struct virtqueue *vq)
{
	if (virtqueue_kick_prepare(vq))
		virtqueue_notify(vq);
}

#endif /* VIRTIO_VIRTQUEUE_H */
