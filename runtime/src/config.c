/*
 * Device configuration access (spec 2.5): the config_io.h interface the
 * generated accessors call. The transport does the byte order; here we
 * make multi-word reads consistent.
 */
#include <virtio/transport.h>


uint32_t virtio_config_generation(struct virtio_device *dev)
{
	return dev->ops->config_generation(dev);
}

/* Single accesses of at most 32 bits are atomic for the device (4.2.2.2). */
uint8_t virtio_config_read8(struct virtio_device *dev, uint32_t off)
{
	return (uint8_t)dev->ops->config_read(dev, off, 1);
}

uint16_t virtio_config_read16(struct virtio_device *dev, uint32_t off)
{
	return (uint16_t)dev->ops->config_read(dev, off, 2);
}

uint32_t virtio_config_read32(struct virtio_device *dev, uint32_t off)
{
	return dev->ops->config_read(dev, off, 4);
}

/*
 * Two 32-bit halves; the device may change the field between them, so
 * re-read until the generation (modern) or the value itself (legacy, no
 * generation counter) is stable. Bounded: a device that never settles
 * gets the last value read.
 */
uint64_t virtio_config_read64(struct virtio_device *dev, uint32_t off)
{
	bool legacy = virtio_is_legacy(dev);
	/* Modern fields are little-endian; legacy ones guest-endian. */
	uint32_t lo_off = legacy && VIRTIO_HOST_BE ? off + 4 : off;
	uint32_t hi_off = legacy && VIRTIO_HOST_BE ? off : off + 4;
	uint64_t v = 0, prev;
	unsigned tries = 0;
	uint32_t gen;

	do {
		prev = v;
		gen = virtio_config_generation(dev);
		v = virtio_config_read32(dev, lo_off);
		v |= (uint64_t)virtio_config_read32(dev, hi_off) << 32;
	} while (++tries < VIRTIO_CONFIG_RETRIES &&
		 (legacy ? tries == 1 || v != prev
			 : gen != virtio_config_generation(dev)));
	return v;
}

/* The three widths share one call through the ops table. */
static __attribute__((noinline)) void
config_write(struct virtio_device *dev, uint32_t off,
	     uint32_t v, unsigned width)
{
	dev->ops->config_write(dev, off, width, v);
}

void virtio_config_write8(struct virtio_device *dev, uint32_t off, uint8_t v)
{
	config_write(dev, off, v, 1);
}

void virtio_config_write16(struct virtio_device *dev, uint32_t off,
			   uint16_t v)
{
	config_write(dev, off, v, 2);
}

void virtio_config_write32(struct virtio_device *dev, uint32_t off,
			   uint32_t v)
{
	config_write(dev, off, v, 4);
}
