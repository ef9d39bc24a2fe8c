/*
 * virtio-mmio transport (spec 4.2): modern (Version 2) and legacy
 * (Version 1, spec 4.2.4) register interfaces behind one ops table.
 * Written for size (Cortex-M4 -Os): 32-bit arithmetic only, register
 * offsets computed rather than tabulated.
 */
#include <virtio/transport.h>

#include "zero.h"

/* Values of the Version register (spec 4.2.2 / 4.2.4). */
enum { MMIO_LEGACY = 1, MMIO_MODERN = 2 };

/* The queue address registers come as Low/High pairs, one pair every
 * AREA_STRIDE bytes in area order: queue_enable programs them in a loop. */
#define AREA_STRIDE (VIRTIO_MMIO_QUEUE_AVAIL_LOW - VIRTIO_MMIO_QUEUE_DESC_LOW)
_Static_assert(VIRTIO_MMIO_QUEUE_USED_LOW ==
		       VIRTIO_MMIO_QUEUE_DESC_LOW + 2 * AREA_STRIDE &&
	       VIRTIO_MMIO_QUEUE_DESC_HIGH == VIRTIO_MMIO_QUEUE_DESC_LOW + 4 &&
	       VIRTIO_MMIO_QUEUE_AVAIL_HIGH == VIRTIO_MMIO_QUEUE_AVAIL_LOW + 4 &&
	       VIRTIO_MMIO_QUEUE_USED_HIGH == VIRTIO_MMIO_QUEUE_USED_LOW + 4,
	       "virtio-mmio queue address registers not evenly spaced");
/* The reset wait compares the low 32 bits of the clock (no 64-bit
 * arithmetic): exact as long as the timeout plus one poll of Status stays
 * below 2^32 us (71 minutes). */
_Static_assert(VIRTIO_RESET_TIMEOUT_US <= 0x7fffffffu,
	       "VIRTIO_RESET_TIMEOUT_US must stay below 2^31 us");

/* Inlined: base + register is one 16-bit add at the call site, less than
 * a call through a helper, and notify goes straight to the port. */
#define INLINE static inline __attribute__((always_inline))

INLINE uint32_t rd(const struct virtio_device *dev, uint32_t reg)
{
	return virtio_port_read32(dev->base + reg);
}

INLINE void wr(const struct virtio_device *dev, uint32_t reg, uint32_t v)
{
	virtio_port_write32(dev->base + reg, v);
}

int virtio_mmio_probe(struct virtio_device *dev, uintptr_t base)
{
	uint32_t version;

	zero(dev, sizeof(*dev)); /* everything 0 (ops NULL: no device) */
	dev->base = base;

	if (rd(dev, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC)
		return VIRTIO_EMAGIC;
	dev->version = version = rd(dev, VIRTIO_MMIO_VERSION);
	/* Unknown, or a version this build leaves out (virtio.h). */
	if (!(version == MMIO_LEGACY && VIRTIO_ACCEPT_LEGACY) &&
	    !(version == MMIO_MODERN && VIRTIO_ACCEPT_MODERN))
		return VIRTIO_EVERSION;
	if (version == MMIO_LEGACY) /* (zeroed above: no store otherwise) */
		dev->legacy = true;
	if ((dev->device_id = rd(dev, VIRTIO_MMIO_DEVICE_ID)) == 0)
		return VIRTIO_ENODEV; /* a slot with nothing plugged in */
	dev->vendor_id = rd(dev, VIRTIO_MMIO_VENDOR_ID);
	dev->ops = &virtio_mmio_ops;
	return VIRTIO_OK;
}

static uint8_t mmio_get_status(struct virtio_device *dev)
{
	return (uint8_t)rd(dev, VIRTIO_MMIO_STATUS);
}

static void mmio_set_status(struct virtio_device *dev, uint8_t status)
{
	wr(dev, VIRTIO_MMIO_STATUS, status);
}

static int mmio_reset(struct virtio_device *dev)
{
	uint32_t start;

	mmio_set_status(dev, 0);
	/* The device may take time to finish outstanding work (4.2.3.1). */
	start = (uint32_t)virtio_port_time_us();
	while (rd(dev, VIRTIO_MMIO_STATUS) != 0) {
		if ((uint32_t)virtio_port_time_us() - start >
		    VIRTIO_RESET_TIMEOUT_US)
			return VIRTIO_ETIMEDOUT;
	}
	/* Legacy: the page size comes before any queue is configured
	 * (4.2.4); it is the unit of QueuePFN. */
	if (virtio_is_legacy(dev))
		wr(dev, VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTIO_LEGACY_ALIGN);
	return VIRTIO_OK;
}

/* Features come in 32-bit words picked by a select register; legacy
 * devices have only word 0. */
static uint64_t mmio_get_features(struct virtio_device *dev)
{
	uint64_t f = 0;

	for (unsigned w = virtio_is_legacy(dev) ? 1 : 2; w--;) {
		wr(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, w);
		f = f << 32 | rd(dev, VIRTIO_MMIO_DEVICE_FEATURES);
	}
	return f;
}

static void mmio_set_features(struct virtio_device *dev, uint64_t f)
{
	for (unsigned w = 0; w < (virtio_is_legacy(dev) ? 1u : 2u);
	     w++, f >>= 32) {
		wr(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, w);
		wr(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)f);
	}
}

static uint32_t mmio_config_generation(struct virtio_device *dev)
{
	if (virtio_is_legacy(dev))
		return 0; /* no generation counter: config.c compares values */
	return rd(dev, VIRTIO_MMIO_CONFIG_GENERATION);
}

/*
 * Config accesses. Modern: one access of the field's width, little-endian
 * (the port's 16/32-bit accessors return host order); a 1-byte field is
 * the byte loop's single iteration. Legacy: guest-endian, byte by byte in
 * ascending address order. The loops test at the end: widths are 1, 2 or
 * 4, and a modern-only build then sees that one byte is one read.
 */
static uint32_t mmio_config_read(struct virtio_device *dev, uint32_t off,
				 unsigned width)
{
	uintptr_t a = dev->base + VIRTIO_MMIO_CONFIG + off;
	uint32_t v = 0;

	if (!virtio_is_legacy(dev) && width > 1)
		return width == 2 ? virtio_port_read16(a) : virtio_port_read32(a);
	/* The first byte is the low one (little-endian host) or the high one. */
	for (unsigned i = 0;;) {
		uint32_t b = virtio_port_read8(a + i);

		v = VIRTIO_HOST_BE ? v << 8 | b : v | b << 8 * i;
		if (++i >= width)
			return v;
	}
}

static void mmio_config_write(struct virtio_device *dev, uint32_t off,
			      unsigned width, uint32_t v)
{
	uintptr_t a = dev->base + VIRTIO_MMIO_CONFIG + off;
	unsigned i = 0;

	if (!virtio_is_legacy(dev) && width == 2) {
		virtio_port_write16(a, (uint16_t)v);
		return;
	}
	if (!virtio_is_legacy(dev) && width > 2) {
		virtio_port_write32(a, v);
		return;
	}
	/* The first byte is the low one (little-endian host) or the high one. */
	if (VIRTIO_HOST_BE)
		v <<= 8 * (4 - width);
	do {
		virtio_port_write8(a++, (uint8_t)(VIRTIO_HOST_BE ? v >> 24 : v));
		v = VIRTIO_HOST_BE ? v << 8 : v >> 8;
	} while (++i < width);
}

static uint16_t mmio_queue_max(struct virtio_device *dev, uint16_t index)
{
	uint32_t max;

	wr(dev, VIRTIO_MMIO_QUEUE_SEL, index);
	max = rd(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
	/* A 32-bit register: clamp a hostile value rather than truncate it. */
	return max > VIRTIO_RING_MAX_SIZE ? VIRTIO_RING_MAX_SIZE : (uint16_t)max;
}

static int mmio_queue_enable(struct virtio_device *dev, uint16_t index,
			     const struct virtio_queue_addr *q)
{
	bool legacy = virtio_is_legacy(dev);
	uint32_t lo = (uint32_t)q->area[VIRTIO_AREA_DESC];
	uint32_t hi = (uint32_t)(q->area[VIRTIO_AREA_DESC] >> 32);
	/* The register that says the queue is live, and what goes in it:
	 * legacy, the block's page frame number (4.2.4); modern, 1. */
	uint32_t live = legacy ? VIRTIO_MMIO_QUEUE_PFN : VIRTIO_MMIO_QUEUE_READY;
	uint32_t go = legacy ? lo >> VIRTIO_LEGACY_PAGE_SHIFT |
				       hi << (32 - VIRTIO_LEGACY_PAGE_SHIFT)
			     : 1;

	/* Legacy: one page-aligned block whose PFN fits the 32-bit register. */
	if (legacy && ((lo & (VIRTIO_LEGACY_ALIGN - 1)) ||
		       hi >> VIRTIO_LEGACY_PAGE_SHIFT))
		return VIRTIO_EINVAL;
	wr(dev, VIRTIO_MMIO_QUEUE_SEL, index);
	/* Already live: someone else owns it, or a reset was skipped. */
	if (rd(dev, live))
		return VIRTIO_EQUEUEBUSY;
	wr(dev, VIRTIO_MMIO_QUEUE_NUM, q->size);
	if (legacy) {
		wr(dev, VIRTIO_MMIO_QUEUE_ALIGN, VIRTIO_LEGACY_ALIGN);
	} else {
		for (unsigned i = 0; i < 3; i++) {
			uint32_t reg = VIRTIO_MMIO_QUEUE_DESC_LOW + i * AREA_STRIDE;

			wr(dev, reg, (uint32_t)q->area[i]);
			wr(dev, reg + 4, (uint32_t)(q->area[i] >> 32));
		}
	}
	wr(dev, live, go);
	return VIRTIO_OK;
}

static void mmio_notify(struct virtio_device *dev, uint16_t index)
{
	wr(dev, VIRTIO_MMIO_QUEUE_NOTIFY, index);
}

static uint32_t mmio_interrupt_ack(struct virtio_device *dev)
{
	uint32_t isr = rd(dev, VIRTIO_MMIO_INTERRUPT_STATUS);

	if (isr)
		wr(dev, VIRTIO_MMIO_INTERRUPT_ACK, isr);
	return isr;
}

const struct virtio_transport_ops virtio_mmio_ops = {
	.reset = mmio_reset,
	.get_status = mmio_get_status,
	.set_status = mmio_set_status,
	.get_features = mmio_get_features,
	.set_features = mmio_set_features,
	.config_generation = mmio_config_generation,
	.config_read = mmio_config_read,
	.config_write = mmio_config_write,
	.queue_max = mmio_queue_max,
	.queue_enable = mmio_queue_enable,
	.notify = mmio_notify,
	.interrupt_ack = mmio_interrupt_ack,
};
