/*
 * Transport interface: what the runtime needs from virtio-mmio (and later
 * virtio-pci). Drivers and virtqueues only go through this table, so a new
 * transport needs no change elsewhere. None of these is on the per-buffer
 * hot path except notify.
 */
#ifndef VIRTIO_TRANSPORT_H
#define VIRTIO_TRANSPORT_H

#include <virtio/virtio.h>

/*
 * Legacy interfaces want the rings in one block starting on a page, the
 * used ring on a page of its own; this runtime uses 4096-byte pages
 * (virtio-mmio GuestPageSize/QueueAlign; fixed for legacy PCI).
 */
#define VIRTIO_LEGACY_PAGE_SHIFT 12
#define VIRTIO_LEGACY_ALIGN (1u << VIRTIO_LEGACY_PAGE_SHIFT)

/* Where a queue's three areas live (device addresses). Legacy transports
 * use only area[VIRTIO_AREA_DESC] (the block's start). */
enum { VIRTIO_AREA_DESC, VIRTIO_AREA_DRIVER, VIRTIO_AREA_DEVICE };
struct virtio_queue_addr {
	uint64_t area[3]; /* descriptor table, driver (avail), device (used) */
	uint16_t size;    /* entries */
};

struct virtio_transport_ops {
	/* Writes 0 to status; returns once status reads 0 or times out.
	 * Legacy mmio then sets GuestPageSize (before any queue). */
	int (*reset)(struct virtio_device *dev);
	uint8_t (*get_status)(struct virtio_device *dev);
	void (*set_status)(struct virtio_device *dev, uint8_t status);
	/* Legacy transports return/take only the low 32 bits. */
	uint64_t (*get_features)(struct virtio_device *dev);
	void (*set_features)(struct virtio_device *dev, uint64_t features);
	/* Legacy transports have no generation: return 0. */
	uint32_t (*config_generation)(struct virtio_device *dev);
	/* One config access of width 1, 2 or 4 bytes, host order
	 * (modern: the transport converts from little-endian; legacy:
	 * byte-wise in guest order). */
	uint32_t (*config_read)(struct virtio_device *dev, uint32_t offset,
				unsigned width);
	void (*config_write)(struct virtio_device *dev, uint32_t offset,
			     unsigned width, uint32_t value);
	/* Largest size of queue `index`; 0 = the queue does not exist. */
	uint16_t (*queue_max)(struct virtio_device *dev, uint16_t index);
	/* Programs and enables queue `index`. */
	int (*queue_enable)(struct virtio_device *dev, uint16_t index,
			    const struct virtio_queue_addr *addr);
	/* Notifies the device that queue `index` has new buffers. */
	void (*notify)(struct virtio_device *dev, uint16_t index);
	/* Reads the interrupt status and acknowledges those bits. */
	uint32_t (*interrupt_ack)(struct virtio_device *dev);
};

/*
 * virtio-mmio (spec 4.2). Reads the magic, version and device id at
 * `base` and fills `dev` (ops, ids, legacy). Returns 0, VIRTIO_ENODEV for
 * an empty slot (device id 0), VIRTIO_EMAGIC, or VIRTIO_EVERSION (unknown
 * version, or one this build leaves out: VIRTIO_ACCEPT_LEGACY/_MODERN).
 * Touches no device state (no reset): call virtio_negotiate next.
 */
int virtio_mmio_probe(struct virtio_device *dev, uintptr_t base);
extern const struct virtio_transport_ops virtio_mmio_ops;

#endif /* VIRTIO_TRANSPORT_H */
