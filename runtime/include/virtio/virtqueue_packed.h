/*
 * Packed virtqueue (spec 2.8): the layout behind the same calls as the
 * split ring (virtqueue.h). Drivers use virtqueue_*; these vqp_* functions
 * are what those calls dispatch to when VIRTIO_F_RING_PACKED was
 * negotiated, declared here for the dispatcher, the tests and the bench.
 *
 * Same contract as the split ring: tokens and lengths come back only for
 * chains in flight and published by a kick, each once, with a length
 * within the chain's writable bytes; a device that breaks a rule breaks
 * the queue with the same error codes (see virtqueue.h):
 *  VIRTIO_EUSEDID          used buffer id >= queue size
 *  VIRTIO_EUSEDNOTINFLIGHT id not in flight (never made available,
 *                          completed twice, or not yet published)
 *  VIRTIO_EUSEDLEN         len above the chain's writable bytes
 *  VIRTIO_EUSEDIDX         a used descriptor where no published chain is
 *                          in flight, or flags at the next used position
 *                          that neither the driver nor the device of the
 *                          current lap can have written (wrong wrap bits)
 */
#ifndef VIRTIO_VIRTQUEUE_PACKED_H
#define VIRTIO_VIRTQUEUE_PACKED_H

#include <virtio/virtio.h>

struct virtio_buf;

/* Private state per buffer id (ids are not ring positions). */
struct vqp_id {
	void *token;     /* the caller's token */
	uint32_t limit;  /* device-writable bytes + 1; 0: not in flight */
	uint16_t ndesc;  /* ring descriptors the chain takes (1 if indirect) */
	uint16_t seq;    /* chains added before it (published yet?) */
	uint16_t next;   /* free id list link */
};

struct virtqueue_packed {
	/* hot path: add, kick_prepare, get */
	struct vring_packed_desc *ring; /* a private stand-in once broken */
	struct vqp_id *id;
	uint16_t size;
	uint16_t num_free;      /* ring descriptors free */
	uint16_t free_id;       /* head of the free id list */
	uint16_t next_avail;    /* ring position of the next add */
	uint16_t avail_flags;   /* AVAIL/USED bits of the current avail lap */
	uint16_t last_used;     /* ring position of the next used descriptor */
	uint16_t used_expect;   /* AVAIL/USED bits a used one has this lap */
	uint16_t avail_count;   /* chains added (free-running) */
	uint16_t kicked_count;  /* avail_count at the last kick_prepare */
	uint16_t added;         /* descriptors added since the last kick */
	uint16_t pending_flags; /* head flags of the first chain not yet */
	uint16_t *pending;      /*  published: kick_prepare writes them here */
	int8_t broken;
	uint8_t desc_mode;      /* DESC with EVENT_IDX, else no flags value */
	bool event_idx;
	bool get_sets_event;    /* event_idx with callbacks enabled */
	bool cb_disabled;
	struct vring_packed_desc_event *drv_event; /* ours: interrupts */
	struct vring_packed_desc_event *dev_event; /* the device's: kicks */
	struct vring_packed_desc *indirect;        /* pool, per buffer id */
	/* cold */
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

#endif /* VIRTIO_VIRTQUEUE_PACKED_H */
