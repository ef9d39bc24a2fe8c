/*
 * Packed virtqueue (spec 2.8): the layout behind the same calls as the
 * split ring (virtqueue.h). Drivers use virtqueue_*; these vqp_* functions
 * are what those calls dispatch to when VIRTIO_F_RING_PACKED was
 * negotiated, declared here for the dispatcher, the tests and the bench.
 *
 * A chain is visible to the device as soon as vqp_add returns;
 * vqp_kick_prepare only says whether the device wants a notification for
 * the chains added since the last kick_prepare (event suppression).
 *
 * Same contract as the split ring: tokens and lengths come back only for
 * chains in flight, each once, with a length within the chain's writable
 * bytes; a device that breaks a rule breaks the queue with the same error
 * codes (see virtqueue.h):
 *  VIRTIO_EUSEDID          used buffer id >= queue size
 *  VIRTIO_EUSEDNOTINFLIGHT id not in flight (never added, or completed
 *                          twice)
 *  VIRTIO_EUSEDLEN         len above the chain's writable bytes
 *  VIRTIO_EUSEDIDX         a used descriptor where no chain is in flight,
 *                          or flags at the next used position that
 *                          neither the driver nor the device of the
 *                          current lap can have written (wrong wrap bits)
 */
#ifndef VIRTIO_VIRTQUEUE_PACKED_H
#define VIRTIO_VIRTQUEUE_PACKED_H

#include <virtio/virtio.h>

struct virtio_buf;

/* Private state per buffer id (ids are not ring positions): 16 bytes on
 * 64-bit targets, 12 on 32-bit ones. Free entries form a list through
 * `next`, each holding its own id, so add() takes an id with two loads;
 * get() knows the id it frees. */
struct vqp_id {
	union {
		void *token;         /* in flight: the caller's token */
		struct vqp_id *next; /* free: the next free entry */
	};
	uint32_t limit;  /* device-writable bytes + 1; 0: not in flight */
	union {
		uint32_t span;  /* in flight: ring bytes the chain takes
		                   (16 per descriptor; one if indirect) */
		uint32_t self;  /* free: this entry's buffer id */
	};
};

struct virtqueue_packed {
	/* hot path: add, kick_prepare, get (pointers: no scaling; 32-bit
	 * fields: no 16-bit arithmetic) */
	struct vring_packed_desc *avail; /* where the next add goes */
	struct vring_packed_desc *used;  /* the next used descriptor */
	struct vring_packed_desc *ring;  /* a private stand-in once broken */
	struct vring_packed_desc *ring_end;
	struct vring_packed_desc *get_slow_at; /* get() takes its tail from
	                           here: ring_end, or ring if every get() sets
	                           off_wrap (EVENT_IDX, callbacks on) */
	struct vqp_id *id;
	struct vring_packed_desc_event *dev_event; /* the device's: kicks */
	uint32_t avail_flags;   /* AVAIL/USED bits of the current avail lap */
	uint32_t used_expect;   /* AVAIL/USED bits a used one has this lap */
	/* Free ids, never more than free ring descriptors (a chain of n
	 * parks n - 1 more in `reserve`, which come back when the list
	 * runs dry), so a non-empty list is room for one descriptor. NULL
	 * once broken. */
	struct vqp_id *free;
	uint32_t size;
	uint32_t added;         /* bytes of descriptors added since the last
	                           kick_prepare */
	uint32_t kick_expect;   /* the device's event flags and wrap bit, as
	                           descriptor-specific mode in the current
	                           avail lap shows them; 1 << 18 without
	                           EVENT_IDX (no mode matches) */
	uint32_t lap_back;      /* WRAP_CTR + size: offset bit 15 to a lap back */
	uint32_t ev_word;       /* the device's last descriptor-specific
	                           request (off_wrap, flags), or 1 << 18 */
	uintptr_t ev_end;       /* the address just past the descriptor it
	                           names, taken in the current avail lap
	                           (one a lap back: below ring) */
	int32_t broken;         /* 0, or the (negative) error that broke it */
	bool event_idx;
	bool get_sets_event;    /* event_idx with callbacks enabled */
	bool cb_disabled;
	struct vring_packed_desc_event *drv_event; /* ours: interrupts */
	struct vring_packed_desc *indirect;        /* pool, per buffer id */
	/* cold */
	struct vqp_id *reserve; /* parked free ids (not in flight) */
	uint32_t reserved;      /* how many */
	struct vring_packed_desc *ring_mem;
	struct vring_packed_desc_event *drv_event_mem, *dev_event_mem;
	struct vring_packed_desc *indirect_pool; /* NULL: INDIRECT_DESC not offered */
	struct vring_packed_desc dead;           /* stand-ins once broken */
	struct vring_packed_desc_event dead_event[2];
	struct virtio_device *dev;
	void *mem;              /* ring, event structures, indirect pool */
	size_t mem_bytes;
	uint16_t index;
};

int vqp_setup(struct virtio_device *dev, struct virtqueue_packed *q,
	      uint16_t index, uint16_t size);
void vqp_destroy(struct virtqueue_packed *q);
/* vqp_setup() on a state block of its own (queue size as in
 * virtqueue_setup); vqp_free() destroys and frees it. */
int vqp_create(struct virtio_device *dev, uint16_t index, uint16_t size,
	       struct virtqueue_packed **q);
void vqp_free(struct virtqueue_packed *q);
int vqp_reset(struct virtqueue_packed *q);
void *vqp_detach_unused(struct virtqueue_packed *q);
int vqp_add(struct virtqueue_packed *q, const struct virtio_buf *bufs,
	    unsigned n_out, unsigned n_in, void *token);
bool vqp_kick_prepare(struct virtqueue_packed *q);
void vqp_notify(struct virtqueue_packed *q);
int vqp_get(struct virtqueue_packed *q, void **token, uint32_t *len);
void vqp_disable_cb(struct virtqueue_packed *q);
bool vqp_enable_cb(struct virtqueue_packed *q);
bool vqp_has_used(const struct virtqueue_packed *q);

/* Chains added and not yet returned by get or detach_unused: O(1) when
 * none are, else O(size) (it counts them; add and get keep no count). */
unsigned vqp_in_flight(const struct virtqueue_packed *q);
/* Ring descriptors free (0 once broken). */
unsigned vqp_num_free(const struct virtqueue_packed *q);

#endif /* VIRTIO_VIRTQUEUE_PACKED_H */
