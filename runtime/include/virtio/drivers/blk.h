/*
 * virtio-blk driver (spec 5.2): one request queue, several requests in
 * flight, completion by polling (or, after virtio_blk_use_irq, by
 * sleeping on the device's interrupt between polls).
 *
 * Two layers:
 *  - asynchronous: virtio_blk_submit() queues one device request and
 *    returns at once; virtio_blk_poll() takes completed requests and calls
 *    each one's callback with its result. At most `depth` requests are in
 *    flight (VIRTIO_BLK_MAX_INFLIGHT by default).
 *  - blocking: virtio_blk_read/write/flush/discard/write_zeroes/get_id,
 *    built on the first; a large read or write is split into requests that
 *    respect the device's limits and are kept `depth` deep in flight.
 *
 * Results are 0 or a negative enum virtio_error: the device's status byte
 * becomes VIRTIO_OK, VIRTIO_EIO (IOERR, or anything undefined) or
 * VIRTIO_EUNSUPP; VIRTIO_ERO for a write to a read-only device (refused
 * before anything is sent), VIRTIO_EINVAL for a range beyond the capacity
 * or not aligned to the block size.
 *
 * Flush: with VIRTIO_BLK_F_FLUSH negotiated the device has a write-back
 * cache and virtio_blk_flush() sends VIRTIO_BLK_T_FLUSH. Without it the
 * device's cache is write-through (spec 5.2.5: the cache mode is
 * write-back if and only if FLUSH is negotiated, when CONFIG_WCE is not):
 * a completed write is already stable and virtio_blk_flush() returns 0
 * without sending anything.
 *
 * Not thread-safe: one context submits and polls per device.
 */
#ifndef VIRTIO_DRIVERS_BLK_H
#define VIRTIO_DRIVERS_BLK_H

#include <virtio/virtqueue.h>

#ifndef VIRTIO_BLK_TIMEOUT_US
#define VIRTIO_BLK_TIMEOUT_US 5000000u /* request timeout without any completion (us) */
#endif
#ifndef VIRTIO_BLK_QUEUE_SIZE
#define VIRTIO_BLK_QUEUE_SIZE 64u /* queue size asked for (descriptors) */
#endif
#ifndef VIRTIO_BLK_MAX_INFLIGHT
#define VIRTIO_BLK_MAX_INFLIGHT 8u    /* requests in flight at most */
#endif
#ifndef VIRTIO_BLK_MAX_SEGS
#define VIRTIO_BLK_MAX_SEGS 32u /* data descriptors per request at most */
#endif
#ifndef VIRTIO_BLK_MAX_RANGES
#define VIRTIO_BLK_MAX_RANGES 4u /* discard/write-zeroes ranges per request at most */
#endif
#ifndef VIRTIO_BLK_MAX_REQ_BYTES
#define VIRTIO_BLK_MAX_REQ_BYTES (1u << 20) /* data bytes per request */
#endif

/* What a request does (the async interface's operations). */
enum virtio_blk_op {
	VIRTIO_BLK_OP_READ,
	VIRTIO_BLK_OP_WRITE,
	VIRTIO_BLK_OP_FLUSH,
	VIRTIO_BLK_OP_DISCARD,
	VIRTIO_BLK_OP_WRITE_ZEROES,
	VIRTIO_BLK_OP_WRITE_ZEROES_UNMAP, /* the device may deallocate */
	VIRTIO_BLK_OP_GET_ID,
};

/* Completion callback: ctx as given to submit, result 0 or an error. */
typedef void (*virtio_blk_done_fn)(void *ctx, int result);

struct virtio_blk_dma; /* headers, ranges and status bytes: device-visible */

/* Private: one request slot. */
struct virtio_blk_slot {
	virtio_blk_done_fn done;
	void *ctx;
	uint8_t *id_out;    /* GET_ID: where the id bytes go */
	uint32_t in_bytes;  /* device-writable data bytes (reads, GET_ID) */
	bool busy;
};

/* Limits the driver works within (from the config space, checked). */
struct virtio_blk_limits {
	uint32_t max_segs;       /* data descriptors per request */
	uint32_t seg_bytes;      /* bytes per data descriptor (size_max) */
	uint32_t max_sectors;    /* read/write sectors per request */
	uint32_t discard_sectors, discard_ranges, discard_align;
	uint32_t zeroes_sectors, zeroes_ranges;
	bool zeroes_may_unmap;
};

/* VIRTIO_BLK_F_TOPOLOGY, in 512-byte sectors except the exponent. */
struct virtio_blk_topology {
	uint8_t physical_block_exp; /* physical block = blk_size << exp */
	uint8_t alignment_offset;   /* in logical blocks */
	uint16_t min_io_size;       /* in logical blocks */
	uint32_t opt_io_size;       /* in logical blocks */
};

/* Counters, for benchmarks and tests. */
struct virtio_blk_stats {
	uint64_t requests;  /* requests made available */
	uint64_t kicks;     /* notifications sent to the device */
	uint64_t completed; /* requests completed */
	unsigned max_inflight;
};

struct virtio_irq; /* <virtio/interrupt.h> */

struct virtio_blk {
	struct virtio_device *dev;
	struct virtio_irq *irq; /* NULL: the blocking calls poll (use_irq) */
	struct virtqueue vq;
	uint64_t capacity;  /* in 512-byte sectors */
	uint32_t blk_size;  /* logical block size (512 if not offered) */
	bool read_only;
	bool has_topology;
	struct virtio_blk_topology topology;
	struct virtio_blk_limits limits;
	struct virtio_blk_stats stats;
	unsigned depth;     /* requests in flight at most (set_depth) */
	unsigned inflight;
	bool plugged;       /* submit does not notify (plug/unplug) */
	struct virtio_blk_dma *dma;
	struct virtio_blk_slot slot[VIRTIO_BLK_MAX_INFLIGHT];
	struct virtio_buf bufs[VIRTIO_BLK_MAX_SEGS + 2]; /* scratch for add */
};

/*
 * Negotiates (RO, BLK_SIZE, SIZE_MAX, SEG_MAX, FLUSH, TOPOLOGY, DISCARD,
 * WRITE_ZEROES, plus the runtime's ring features), reads and checks the
 * configuration, sets up queue 0, sets DRIVER_OK. `dev` must come from a
 * probe with device_id VIRTIO_ID_BLOCK. Returns 0 or an error (the device
 * is then marked FAILED).
 */
int virtio_blk_init(struct virtio_blk *blk, struct virtio_device *dev);
/* The same, never accepting the feature bits in `refuse` (1ull << bit),
 * e.g. VIRTIO_F_EVENT_IDX for a comparison. */
int virtio_blk_init_refuse(struct virtio_blk *blk, struct virtio_device *dev,
			   uint64_t refuse);

/* Resets the device and frees the queue; requests still in flight are
 * completed with VIRTIO_EBROKEN. */
void virtio_blk_destroy(struct virtio_blk *blk);

/* Requests in flight at most, 1..VIRTIO_BLK_MAX_INFLIGHT (clamped). */
void virtio_blk_set_depth(struct virtio_blk *blk, unsigned depth);

static inline bool virtio_blk_has(const struct virtio_blk *blk, unsigned bit)
{
	return virtio_has_feature(blk->dev, bit);
}

/* ---- asynchronous interface ---- */

/*
 * Queues one request and notifies the device if it wants that.
 *  READ/WRITE: `count` sectors at `sector` to/from `buf` (device-reachable
 *   memory, e.g. virtio_port_dma_alloc); count <= limits.max_sectors,
 *   sector and count multiples of blk_size / 512.
 *  FLUSH: sector, buf and count unused (0 / NULL).
 *  DISCARD, WRITE_ZEROES(_UNMAP): the sectors [sector, sector + count), at
 *   most limits.*_sectors * limits.*_ranges; buf unused.
 *  GET_ID: buf (any memory) receives the VIRTIO_BLK_ID_BYTES raw bytes
 *   on success (copied from the driver's DMA record).
 * `done(ctx, result)` runs inside whichever call sees the completion:
 * virtio_blk_poll, drain, the blocking calls, or destroy (VIRTIO_EBROKEN).
 * It may submit again.
 * Returns 0, VIRTIO_ENOSPC (depth reached or no descriptors: poll, then
 * retry), VIRTIO_EINVAL, VIRTIO_ERO, VIRTIO_EUNSUPP (feature not
 * negotiated) or VIRTIO_EBROKEN.
 */
int virtio_blk_submit(struct virtio_blk *blk, enum virtio_blk_op op,
		      uint64_t sector, void *buf, uint32_t count,
		      virtio_blk_done_fn done, void *ctx);

/*
 * Takes every completed request and calls its callback. Returns how many
 * completed (0: none yet), or a negative error when the device broke a
 * rule: the device is then reset and marked FAILED, and every request
 * still in flight is completed with that error.
 */
int virtio_blk_poll(struct virtio_blk *blk);

/*
 * Batching: between plug and unplug, submit makes requests available
 * without publishing them or notifying the device; unplug publishes them
 * all and notifies once (if the device wants it). drain and the blocking
 * calls unplug first.
 */
void virtio_blk_plug(struct virtio_blk *blk);
void virtio_blk_unplug(struct virtio_blk *blk);

static inline unsigned virtio_blk_inflight(const struct virtio_blk *blk)
{
	return blk->inflight;
}

/*
 * Polls until nothing is in flight, bounded by VIRTIO_BLK_TIMEOUT_US
 * without progress (then the device is reset, marked FAILED, requests
 * complete with VIRTIO_ETIMEDOUT). Returns 0 or the error.
 */
int virtio_blk_drain(struct virtio_blk *blk);

/* ---- interrupts and configuration changes ---- */

/*
 * Interrupt-driven waits (opt-in, after init): registers the request
 * queue with `irq` (virtio_irq_init'ed for blk->dev; attach it before or
 * after) so drain and the blocking calls sleep on the device's interrupt
 * (virtio_irq_wait) instead of spinning on the used ring. Completions are
 * still taken in the caller's context. Returns 0 or VIRTIO_EINVAL.
 */
int virtio_blk_use_irq(struct virtio_blk *blk, struct virtio_irq *irq);

/*
 * After a configuration-change interrupt (or now and then): re-reads the
 * configuration consistently (generation counter) and takes the new
 * capacity. Returns 1 if the capacity changed, 0 if not, or an error
 * (VIRTIO_ECONFIGUNSTABLE; VIRTIO_ECONFIG if the device now claims a
 * different block size, which the driver does not accept at run time).
 */
int virtio_blk_config_changed(struct virtio_blk *blk);

/* ---- blocking interface ---- */

/*
 * Reads/writes `count` 512-byte sectors starting at `sector`, any number:
 * split into requests within the limits, up to `depth` in flight. `buf`
 * must be device-reachable memory. Returns 0 or the first error.
 */
int virtio_blk_read(struct virtio_blk *blk, uint64_t sector, void *buf,
		    uint32_t count);
int virtio_blk_write(struct virtio_blk *blk, uint64_t sector,
		     const void *buf, uint32_t count);
/* Makes completed writes stable (see the top of this file). */
int virtio_blk_flush(struct virtio_blk *blk);
/* VIRTIO_EUNSUPP when DISCARD / WRITE_ZEROES was not negotiated. */
int virtio_blk_discard(struct virtio_blk *blk, uint64_t sector,
		       uint64_t count);
int virtio_blk_write_zeroes(struct virtio_blk *blk, uint64_t sector,
			    uint64_t count, bool may_unmap);
/* The device's id string (serial), NUL-terminated in id[0..20]; non
 * printable bytes become '?'. VIRTIO_EUNSUPP if the device has none. */
int virtio_blk_get_id(struct virtio_blk *blk,
		      char id[VIRTIO_BLK_ID_BYTES + 1]);

#endif /* VIRTIO_DRIVERS_BLK_H */
