/*
 * A software virtio-mmio device for host tests, behaving as QEMU's does.
 *
 * The model attaches to the host port (virtio_port_host.h) as an MMIO
 * window. It implements the register file of legacy (Version 1) and modern
 * (Version 2) virtio-mmio, processes a virtqueue synchronously when the
 * driver writes QueueNotify (walking the avail ring and descriptor chains,
 * including indirect tables), hands the buffers to a backend and publishes
 * used entries, honouring VIRTIO_F_EVENT_IDX and VRING_AVAIL_F_NO_INTERRUPT.
 * With VIRTIO_F_RING_PACKED negotiated the queue is a packed ring instead
 * (packed_ring.c); the dm_queue_* calls below then act on it, hostile modes
 * mapped to their packed equivalents (see dm_queue_hostile).
 *
 * The register offsets, bits and ring layouts are written here a second
 * time on purpose, from the VirtIO 1.2 specification (sections 2.7 and 4.2),
 * instead of being taken from generated/: a model that shared the driver's
 * definitions could not notice a wrong one.
 *
 * Driver mistakes the model can see (wrong access width, writable buffers
 * before readable ones, a queue size that is not a power of two, accepting a
 * feature that was not offered, ...) are counted in `violations` with a
 * message in `last_violation`; tests assert that the count stays 0.
 *
 * Everything here is test scaffolding: the fields of struct dm_device are
 * public so that tests can set them (hostile values) and read them (what the
 * driver did).
 */
#ifndef VIRTIO_DEVMODEL_H
#define VIRTIO_DEVMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DM_MAGIC 0x74726976u
#define DM_WINDOW_SIZE 0x1000u
#define DM_CONFIG_MAX (DM_WINDOW_SIZE - 0x100u)
#define DM_MAX_QUEUES 8

/* Register offsets (VirtIO 1.2, 4.2.2 and 4.2.4). */
enum {
	DM_REG_MAGIC = 0x000,
	DM_REG_VERSION = 0x004,
	DM_REG_DEVICE_ID = 0x008,
	DM_REG_VENDOR_ID = 0x00c,
	DM_REG_DEVICE_FEATURES = 0x010,
	DM_REG_DEVICE_FEATURES_SEL = 0x014,
	DM_REG_DRIVER_FEATURES = 0x020,
	DM_REG_DRIVER_FEATURES_SEL = 0x024,
	DM_REG_GUEST_PAGE_SIZE = 0x028, /* legacy */
	DM_REG_QUEUE_SEL = 0x030,
	DM_REG_QUEUE_NUM_MAX = 0x034,
	DM_REG_QUEUE_NUM = 0x038,
	DM_REG_QUEUE_ALIGN = 0x03c, /* legacy */
	DM_REG_QUEUE_PFN = 0x040,   /* legacy */
	DM_REG_QUEUE_READY = 0x044,
	DM_REG_QUEUE_NOTIFY = 0x050,
	DM_REG_INTERRUPT_STATUS = 0x060,
	DM_REG_INTERRUPT_ACK = 0x064,
	DM_REG_STATUS = 0x070,
	DM_REG_QUEUE_DESC_LOW = 0x080,
	DM_REG_QUEUE_DESC_HIGH = 0x084,
	DM_REG_QUEUE_DRIVER_LOW = 0x090,
	DM_REG_QUEUE_DRIVER_HIGH = 0x094,
	DM_REG_QUEUE_DEVICE_LOW = 0x0a0,
	DM_REG_QUEUE_DEVICE_HIGH = 0x0a4,
	DM_REG_SHM_SEL = 0x0ac,
	DM_REG_SHM_LEN_LOW = 0x0b0,
	DM_REG_SHM_LEN_HIGH = 0x0b4,
	DM_REG_SHM_BASE_LOW = 0x0b8,
	DM_REG_SHM_BASE_HIGH = 0x0bc,
	DM_REG_QUEUE_RESET = 0x0c0,
	DM_REG_CONFIG_GENERATION = 0x0fc,
	DM_REG_CONFIG = 0x100,
};

/* Device status bits (2.1). */
#define DM_S_ACKNOWLEDGE 0x01u
#define DM_S_DRIVER 0x02u
#define DM_S_DRIVER_OK 0x04u
#define DM_S_FEATURES_OK 0x08u
#define DM_S_NEEDS_RESET 0x40u
#define DM_S_FAILED 0x80u

/* Transport feature bit numbers (6). */
#define DM_F_NOTIFY_ON_EMPTY 24
#define DM_F_ANY_LAYOUT 27
#define DM_F_INDIRECT_DESC 28
#define DM_F_EVENT_IDX 29
#define DM_F_VERSION_1 32
#define DM_F_ACCESS_PLATFORM 33
#define DM_F_RING_PACKED 34
#define DM_F_IN_ORDER 35
#define DM_F_ORDER_PLATFORM 36
#define DM_F_SR_IOV 37
#define DM_F_NOTIFICATION_DATA 38
#define DM_F_NOTIF_CONFIG_DATA 39
#define DM_F_RING_RESET 40
#define DM_BIT(n) ((uint64_t)1 << (n))

/* Split ring (2.7). */
#define DM_DESC_F_NEXT 1u
#define DM_DESC_F_WRITE 2u
#define DM_DESC_F_INDIRECT 4u
#define DM_AVAIL_F_NO_INTERRUPT 1u
#define DM_USED_F_NO_NOTIFY 1u

#define DM_INT_VRING 1u
#define DM_INT_CONFIG 2u

struct dm_device;
struct pr_queue; /* packed_ring.h */

/* One buffer of a request, as the device sees it. */
struct dm_seg {
	uint8_t *ptr; /* guest memory (phys == virt on the host) */
	uint32_t len;
	bool write; /* device-writable */
};

/* A request (descriptor chain) popped from the avail ring. */
struct dm_req {
	uint16_t head;
	unsigned nseg;
	struct dm_seg *seg;
	uint32_t readable; /* total bytes of readable segments */
	uint32_t writable; /* total bytes of writable segments */
	uint16_t second;   /* index of the second descriptor of a direct chain */
	bool has_second;
	bool bad;          /* the chain broke a rule (counted as a violation) */
};

/*
 * Backend: handles one request. Returns the number of bytes it wrote into
 * the writable segments (the used length). A backend can ask for the
 * request to be held by returning DM_DEFER.
 */
#define DM_DEFER UINT32_MAX
typedef uint32_t (*dm_backend_fn)(struct dm_device *dev, unsigned queue,
				  struct dm_req *req, void *ctx);

/* One-shot hostile behaviour applied to the next completion of a queue. */
enum dm_hostile_used {
	DM_HOSTILE_NONE = 0,
	DM_HOSTILE_ID_OUT_OF_RANGE, /* id = queue size + param */
	DM_HOSTILE_ID_NOT_HEAD,     /* id of a descriptor that is not an in-flight head */
	DM_HOSTILE_ID_TWICE,        /* the completion is published twice */
	DM_HOSTILE_LEN_TOO_BIG,     /* len = writable + param, or UINT32_MAX if param 0 */
	DM_HOSTILE_IDX_JUMP,        /* used idx advances by queue size + 1 + param */
};

struct dm_queue {
	uint16_t num_max; /* QueueNumMax (0 = queue not available) */
	/* What the driver programmed. */
	uint32_t num;
	uint32_t ready;
	uint64_t desc_addr, avail_addr, used_addr;
	uint32_t pfn, align; /* legacy */
	bool live;           /* ready (modern) or PFN != 0 (legacy) */
	/* Device state. */
	uint16_t last_avail;
	uint16_t used_idx;
	/* Test controls. */
	bool defer;              /* hold every request until dm_queue_complete */
	bool freeze_avail_event; /* do not update avail_event automatically */
	bool set_no_notify;      /* keep VRING_USED_F_NO_NOTIFY set in used->flags */
	enum dm_hostile_used hostile;
	uint32_t hostile_param;
	/* Held requests, in arrival order. */
	struct dm_req *held;
	unsigned nheld, capheld;
	/* Counters. */
	uint64_t notifies;   /* QueueNotify writes for this queue */
	uint64_t interrupts; /* used-buffer notifications sent */
	uint64_t completed;  /* used entries published */
	uint64_t requests;   /* chains popped from the avail ring */
	unsigned max_chain;  /* longest chain seen (segments) */
	uint64_t indirect_seen;
	/* VIRTIO_F_RING_PACKED negotiated: the queue is a packed ring run by
	 * packed_ring.c (the counters above are kept in step with it), else
	 * NULL. */
	struct pr_queue *packed;
};

struct dm_device {
	uintptr_t base;
	/* Identification registers: set freely for hostile tests. */
	uint32_t magic, version, device_id, vendor_id;
	uint64_t device_features;
	/* Driver-side state. */
	uint64_t driver_features;
	uint32_t device_features_sel, driver_features_sel;
	uint32_t guest_page_size;
	uint32_t queue_sel;
	uint32_t status;
	uint32_t interrupt_status;
	uint32_t shm_sel;
	/* Config space. */
	uint8_t config[DM_CONFIG_MAX];
	uint32_t config_len;
	uint32_t config_generation;
	unsigned num_queues;
	struct dm_queue q[DM_MAX_QUEUES];
	/* Hostile register behaviour. */
	bool refuse_features_ok;      /* FEATURES_OK never reads back */
	bool refuse_driver_ok;        /* DRIVER_OK never reads back */
	bool reset_never_completes;   /* Status keeps its value after writing 0 */
	unsigned reset_delay_reads;   /* after a reset, Status reads its old value this many times */
	unsigned status_lie_reads;    /* the next N reads of Status return status_lie */
	uint32_t status_lie;
	bool generation_always_changes; /* ConfigGeneration differs on every read */
	unsigned generation_changes;  /* the next N reads of ConfigGeneration bump it */
	/* Optional hook run before each config-space read (e.g. to change a
	 * value half-way through a multi-word read). */
	void (*on_config_read)(struct dm_device *dev, uint32_t offset,
			       unsigned size, void *ctx);
	void *on_config_read_ctx;
	/* Interrupt line on the host port (dm_set_irq_line): level-triggered,
	 * asserted while interrupt_status is non-zero; every raise tells the
	 * port's controller (virtio_host_irq_raise). */
	bool irq_line_set;
	uint32_t irq_line;
	/* Backend. */
	dm_backend_fn backend;
	void *backend_ctx;
	/* Strictness: buffers must lie in host-port DMA memory. */
	bool strict_buffers;
	/* Counters and diagnostics. */
	uint64_t resets;
	/* Every value written to Status, in order (first 32). */
	uint32_t status_log[32];
	unsigned status_writes;
	uint32_t stale_status;        /* shown during reset_delay_reads */
	unsigned stale_reads_left;
	uint64_t interrupts;
	uint64_t config_reads, config_writes;
	uint64_t config_byte_reads; /* config reads 1 byte wide */
	uint64_t config_wide_reads; /* config reads 2 or 4 bytes wide */
	uint64_t generation_reads;
	unsigned violations;
	char last_violation[256];
	bool quiet; /* do not print violations on stderr */
};

/* Create a device of `version` (1 legacy, 2 modern) and `device_id` with
 * `num_queues` queues of QueueNumMax `num_max`, mapped at `base`. */
struct dm_device *dm_create(uintptr_t base, uint32_t version,
			    uint32_t device_id, unsigned num_queues,
			    uint16_t num_max);
void dm_destroy(struct dm_device *dev);


/* Config space: set bytes (bumps the generation, raises a config interrupt
 * if `notify`). Values in the helpers below are stored little-endian. */
void dm_config_set(struct dm_device *dev, uint32_t offset, const void *data,
		   uint32_t len, bool notify);
void dm_config_set_le16(struct dm_device *dev, uint32_t offset, uint16_t v);
void dm_config_set_le32(struct dm_device *dev, uint32_t offset, uint32_t v);
void dm_config_set_le64(struct dm_device *dev, uint32_t offset, uint64_t v);

/* Set DEVICE_NEEDS_RESET and raise a configuration-change interrupt. */
void dm_set_needs_reset(struct dm_device *dev);
/* Wire the device's interrupt to host-port line `line` (again: moves it).
 * dm_destroy unwires it. */
void dm_set_irq_line(struct dm_device *dev, uint32_t line);
/* Raise a used-buffer interrupt unconditionally. */
void dm_raise_interrupt(struct dm_device *dev, uint32_t bits);

/* Process the avail ring of a queue now (as a QueueNotify would). */
void dm_queue_process(struct dm_device *dev, unsigned queue);

/* Held (deferred) requests. */
unsigned dm_queue_held(struct dm_device *dev, unsigned queue);
const struct dm_req *dm_queue_held_req(struct dm_device *dev, unsigned queue,
				       unsigned i);
/* Run the backend on held request i and publish it (the backend may not
 * defer again). Returns the used length, or -1 if there is no such request. */
long dm_queue_complete(struct dm_device *dev, unsigned queue, unsigned i);
/* Publish held request i with an explicit used length (no backend). */
int dm_queue_complete_len(struct dm_device *dev, unsigned queue, unsigned i,
			  uint32_t len);
/* Drop held request i without publishing it. */
void dm_queue_drop(struct dm_device *dev, unsigned queue, unsigned i);

/* Arm a one-shot hostile behaviour for the next completion. */
void dm_queue_hostile(struct dm_device *dev, unsigned queue,
		      enum dm_hostile_used mode, uint32_t param);
/* Raw used-ring writes: publish any (id, len), or set used->idx. */
void dm_queue_push_used(struct dm_device *dev, unsigned queue, uint32_t id,
			uint32_t len);
void dm_queue_set_used_idx(struct dm_device *dev, unsigned queue, uint16_t idx);
/* Write avail_event (VIRTIO_F_EVENT_IDX) and freeze it there. */
void dm_queue_set_avail_event(struct dm_device *dev, unsigned queue,
			      uint16_t value);
/* Read what the driver wrote. */
uint16_t dm_queue_avail_idx(struct dm_device *dev, unsigned queue);
uint16_t dm_queue_avail_flags(struct dm_device *dev, unsigned queue);
uint16_t dm_queue_used_event(struct dm_device *dev, unsigned queue);
/* The id a used entry names for the chain whose head the driver put at
 * `pos`: split, the head descriptor in avail ring entry pos; packed, the
 * buffer id in ring descriptor pos. */
uint16_t dm_queue_chain_id(struct dm_device *dev, unsigned queue,
			   uint16_t pos);

/* ---- Built-in backends ---- */

/* RAM-disk virtio-blk: sets device_id 2, features (SEG_MAX, BLK_SIZE,
 * FLUSH) and config (capacity, seg_max, blk_size 512), and the backend.
 * Handles IN, OUT, FLUSH, GET_ID, DISCARD (zeroes the sectors) and
 * WRITE_ZEROES; anything else answers UNSUPP. */
struct dm_blk {
	uint8_t *data;
	uint64_t sectors;
	char id[20];
	bool read_only;         /* OUT answers IOERR */
	int fail_next_status;   /* >= 0: next request answers this status */
	uint64_t reads, writes, flushes, get_ids, discards, zeroes, bad;
	uint8_t last_type;
	/* Shape of the requests seen (data segments exclude header/status). */
	unsigned max_data_segs;
	uint32_t max_seg_len;
	uint32_t max_request_bytes;
	/* Last DISCARD / WRITE_ZEROES request: its ranges. */
	unsigned nranges;
	struct { uint64_t sector; uint32_t num; uint32_t flags; } ranges[16];
};
/* Offers VIRTIO_BLK_F_DISCARD / WRITE_ZEROES with the given limits
 * (max sectors, max segments; alignment 1 sector, may_unmap 1). */
void dm_blk_offer_discard(struct dm_device *dev, uint32_t max_sectors,
			  uint32_t max_seg);
void dm_blk_offer_write_zeroes(struct dm_device *dev, uint32_t max_sectors,
			       uint32_t max_seg);
struct dm_blk *dm_blk_attach(struct dm_device *dev, uint64_t sectors);
void dm_blk_free(struct dm_blk *blk);

/* Echo: copies readable bytes into the writable segments. */
void dm_echo_attach(struct dm_device *dev);
/* RNG: fills every writable segment with pseudo-random bytes. */
void dm_rng_attach(struct dm_device *dev, uint32_t seed);

#endif /* VIRTIO_DEVMODEL_H */
