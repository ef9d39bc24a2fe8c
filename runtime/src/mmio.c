/*
 * virtio-mmio transport (spec 4.2): modern (Version 2) and legacy
 * (Version 1, spec 4.2.4) register interfaces behind one ops table.
 */
#include <virtio/transport.h>

/* Values of the Version register (spec 4.2.2 / 4.2.4). */
enum { MMIO_LEGACY = 1, MMIO_MODERN = 2 };

static uint32_t rd(const struct virtio_device *dev, uint32_t reg)
{
	return virtio_port_read32(dev->base + reg);
}

static void wr(const struct virtio_device *dev, uint32_t reg, uint32_t v)
{
	virtio_port_write32(dev->base + reg, v);
}

int virtio_mmio_probe(struct virtio_device *dev, uintptr_t base)
{
	dev->ops = NULL;
	dev->base = base;
	dev->device_id = 0;
	dev->vendor_id = 0;
	dev->version = 0;
	dev->legacy = false;
	dev->offered = 0;
	dev->features = 0;
	dev->status = 0;

	if (rd(dev, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC)
		return VIRTIO_EMAGIC;
	dev->version = rd(dev, VIRTIO_MMIO_VERSION);
	/* Unknown, or a version this build leaves out (virtio.h). */
	if (!(dev->version == MMIO_LEGACY && VIRTIO_ACCEPT_LEGACY) &&
	    !(dev->version == MMIO_MODERN && VIRTIO_ACCEPT_MODERN))
		return VIRTIO_EVERSION;
	dev->device_id = rd(dev, VIRTIO_MMIO_DEVICE_ID);
	if (dev->device_id == 0)
		return VIRTIO_ENODEV; /* a slot with nothing plugged in */
	dev->vendor_id = rd(dev, VIRTIO_MMIO_VENDOR_ID);
	dev->legacy = dev->version == MMIO_LEGACY;
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
	uint64_t start;

	wr(dev, VIRTIO_MMIO_STATUS, 0);
	/* The device may take time to finish outstanding work (4.2.3.1). */
	start = virtio_port_time_us();
	while (rd(dev, VIRTIO_MMIO_STATUS) != 0) {
		if (virtio_port_time_us() - start > VIRTIO_RESET_TIMEOUT_US)
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
 * One config access. Modern: one access of the field's width,
 * little-endian (the port's 16/32-bit accessors return host order).
 * Legacy: guest-endian, byte by byte in memory order; `shift` moves the
 * bytes to the value's low end on big-endian hosts.
 */
static __attribute__((noinline)) uint32_t
config_rw(struct virtio_device *dev, uint32_t off,
			  unsigned width, uint32_t v, bool write)
{
	uintptr_t a = dev->base + VIRTIO_MMIO_CONFIG + off;
	unsigned shift = VIRTIO_HOST_BE ? 8 * (4 - width) : 0;
	union {
		uint8_t b[4];
		uint32_t w;
	} u = { .w = v << shift };

	if (!virtio_is_legacy(dev)) {
		if (write) {
			if (width == 1)
				virtio_port_write8(a, (uint8_t)v);
			else if (width == 2)
				virtio_port_write16(a, (uint16_t)v);
			else
				virtio_port_write32(a, v);
			return 0;
		}
		return width == 1   ? virtio_port_read8(a)
		       : width == 2 ? virtio_port_read16(a)
				    : virtio_port_read32(a);
	}
	for (unsigned i = 0; i < width; i++) {
		if (write)
			virtio_port_write8(a + i, u.b[i]);
		else
			u.b[i] = virtio_port_read8(a + i);
	}
	return u.w >> shift;
}

static uint32_t mmio_config_read(struct virtio_device *dev, uint32_t off,
				 unsigned width)
{
	return config_rw(dev, off, width, 0, false);
}

static void mmio_config_write(struct virtio_device *dev, uint32_t off,
			      unsigned width, uint32_t v)
{
	config_rw(dev, off, width, v, true);
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
	static const uint16_t regs[6] = {
		VIRTIO_MMIO_QUEUE_DESC_LOW, VIRTIO_MMIO_QUEUE_DESC_HIGH,
		VIRTIO_MMIO_QUEUE_AVAIL_LOW, VIRTIO_MMIO_QUEUE_AVAIL_HIGH,
		VIRTIO_MMIO_QUEUE_USED_LOW, VIRTIO_MMIO_QUEUE_USED_HIGH,
	};
	uint64_t desc = q->area[VIRTIO_AREA_DESC];
	uint64_t pfn = desc >> VIRTIO_LEGACY_PAGE_SHIFT;

	wr(dev, VIRTIO_MMIO_QUEUE_SEL, index);
	/* Already live: someone else owns it, or a reset was skipped. */
	if (rd(dev, virtio_is_legacy(dev) ? VIRTIO_MMIO_QUEUE_PFN
				: VIRTIO_MMIO_QUEUE_READY) != 0)
		return VIRTIO_EQUEUEBUSY;
	wr(dev, VIRTIO_MMIO_QUEUE_NUM, q->size);
	if (virtio_is_legacy(dev)) {
		/* One block given as a page frame number (4.2.4). */
		if ((desc & (VIRTIO_LEGACY_ALIGN - 1)) || pfn > UINT32_MAX)
			return VIRTIO_EINVAL;
		wr(dev, VIRTIO_MMIO_QUEUE_ALIGN, VIRTIO_LEGACY_ALIGN);
		wr(dev, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)pfn);
		return VIRTIO_OK;
	}
	for (unsigned i = 0; i < 3; i++) {
		wr(dev, regs[2 * i], (uint32_t)q->area[i]);
		wr(dev, regs[2 * i + 1], (uint32_t)(q->area[i] >> 32));
	}
	wr(dev, VIRTIO_MMIO_QUEUE_READY, 1);
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
