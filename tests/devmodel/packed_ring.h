/*
 * Device side of a packed virtqueue (VirtIO 1.2, 2.8) for host tests.
 *
 * Like devmodel.c, the layout and flag values are written here a second
 * time from the specification instead of being taken from generated/, so
 * a wrong definition on the driver side shows up as a failing test.
 *
 * The queue works on guest memory through virtio_port_phys_to_virt: it
 * pops available descriptor chains (direct and indirect), runs a backend
 * on each or holds it, writes used descriptors (one per chain, skipping
 * the chain's length), and follows both event suppression structures.
 * Driver mistakes are counted in `violations` (message in
 * `last_violation`); hostile behaviour is armed per completion.
 */
#ifndef VIRTIO_PACKED_RING_H
#define VIRTIO_PACKED_RING_H

#include "devmodel.h" /* struct dm_req, struct dm_seg, DM_DEFER */

/* Descriptor flags (2.8.1, 2.8.6-2.8.8), masks. */
#define PR_F_NEXT 0x1u
#define PR_F_WRITE 0x2u
#define PR_F_INDIRECT 0x4u
#define PR_F_AVAIL 0x80u
#define PR_F_USED 0x8000u
/* Event suppression flags (2.8.10). */
#define PR_EV_ENABLE 0u
#define PR_EV_DISABLE 1u
#define PR_EV_DESC 2u

enum pr_hostile {
	PR_HOSTILE_NONE = 0,
	PR_HOSTILE_ID_OUT_OF_RANGE, /* id = queue size + param */
	PR_HOSTILE_ID_NOT_IN_FLIGHT, /* an id no held chain has */
	PR_HOSTILE_ID_TWICE,        /* the used descriptor is written twice */
	PR_HOSTILE_LEN_TOO_BIG,     /* len = writable + param, or UINT32_MAX if 0 */
	PR_HOSTILE_WRONG_WRAP,      /* used flags carry the other wrap counter */
	PR_HOSTILE_HALF_USED,       /* USED bit right, AVAIL bit wrong */
	PR_HOSTILE_LEN_NO_WRITE,    /* len = param without the WRITE flag */
	PR_HOSTILE_COUNT
};

struct pr_queue;
typedef uint32_t (*pr_backend_fn)(struct pr_queue *q, struct dm_req *req,
				  void *ctx);

/* A popped chain: the request plus what the used descriptor needs. */
struct pr_held {
	struct dm_req req; /* req.head is the buffer id */
	uint16_t ndesc;    /* ring descriptors of the chain */
};

struct pr_queue {
	/* Where the driver put the queue (guest addresses). */
	uint64_t desc_addr, driver_addr, device_addr;
	uint16_t num;
	bool event_idx;   /* VIRTIO_F_EVENT_IDX negotiated */
	bool indirect_ok; /* VIRTIO_F_INDIRECT_DESC negotiated */
	/* Device state: next positions and wrap counters. */
	uint16_t next_avail, next_used;
	bool avail_wrap, used_wrap;
	uint16_t in_flight_desc; /* ring descriptors popped, not yet used */
	/* Test controls. */
	bool defer;        /* hold every chain until pr_complete */
	bool freeze_event; /* keep the device event structure as set */
	bool no_write_flag; /* used descriptors without WRITE (as QEMU 7.2) */
	enum pr_hostile hostile;
	uint32_t hostile_param;
	pr_backend_fn backend;
	void *backend_ctx;
	void (*irq)(struct pr_queue *q, void *ctx); /* used-buffer notification */
	void *irq_ctx;
	/* Optional: each violation is also reported here (the devmodel
	 * counts it as its own). */
	void (*on_violation)(struct pr_queue *q, const char *msg, void *ctx);
	void *violation_ctx;
	/* Held chains, in arrival order. */
	struct pr_held *held;
	unsigned nheld, capheld;
	/* Counters and diagnostics. */
	uint64_t requests, completed, interrupts, indirect_seen;
	unsigned max_chain;
	unsigned violations;
	char last_violation[256];
	bool quiet;
};

/* Starts the queue (as QueueReady would): both wrap counters 1. */
void pr_init(struct pr_queue *q, uint64_t desc, uint64_t driver,
	     uint64_t device, uint16_t num, bool event_idx, bool indirect_ok);
/* Drops held chains and frees memory; the queue is then idle. */
void pr_fini(struct pr_queue *q);
/* Pops every available chain (as a notification would). */
void pr_process(struct pr_queue *q);
/* Completes held chain i with the backend's length / an explicit one.
 * Returns the length, or -1 if there is no such chain. */
long pr_complete(struct pr_queue *q, unsigned i);
long pr_complete_len(struct pr_queue *q, unsigned i, uint32_t len);
/* Drops held chain i without a used descriptor. */
void pr_drop(struct pr_queue *q, unsigned i);
/* Chains the driver has made available so far (popped or not). */
uint16_t pr_avail_count(const struct pr_queue *q);
/* Flags word of a used descriptor written now (AVAIL/USED of the used
 * wrap counter). */
uint16_t pr_used_flags(const struct pr_queue *q);
/* Writes any used descriptor at the next used position and moves on by
 * `skip` descriptors (raw hostile writes). */
void pr_push_used(struct pr_queue *q, uint16_t id, uint32_t len,
		  uint16_t flags, uint16_t skip);
/* Sets the device event suppression structure (and freezes it). */
void pr_set_device_event(struct pr_queue *q, uint16_t flags,
			 uint16_t off_wrap);
/* What the driver wrote in its event suppression structure. */
uint16_t pr_driver_event_flags(const struct pr_queue *q);
uint16_t pr_driver_event_off_wrap(const struct pr_queue *q);
/* Flags and buffer id of ring descriptor i (as in memory). */
uint16_t pr_desc_flags(const struct pr_queue *q, uint16_t i);
uint16_t pr_desc_id(const struct pr_queue *q, uint16_t i);
/* Echo backend: copies the readable bytes into the writable ones. */
uint32_t pr_echo(struct pr_queue *q, struct dm_req *req, void *ctx);

#endif /* VIRTIO_PACKED_RING_H */
