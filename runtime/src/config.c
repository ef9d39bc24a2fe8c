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
	/* Modern fields are little-endian; legacy ones guest-endian. */
	bool swap = virtio_is_legacy(dev) && VIRTIO_HOST_BE;
	uint32_t lo_off = swap ? off + 4 : off;
	uint32_t hi_off = swap ? off : off + 4;
	uint64_t v = 0, prev;

	for (unsigned i = 0; i < VIRTIO_CONFIG_RETRIES; i++) {
		uint32_t gen = virtio_config_generation(dev);

		prev = v;
		v = dev->ops->config_read(dev, lo_off, 4);
		v |= (uint64_t)dev->ops->config_read(dev, hi_off, 4) << 32;
		if (virtio_is_legacy(dev) ? (i > 0 && v == prev)
				: gen == virtio_config_generation(dev))
			break;
	}
	return v;
}

void virtio_config_write8(struct virtio_device *dev, uint32_t off, uint8_t v)
{
	dev->ops->config_write(dev, off, 1, v);
}

void virtio_config_write16(struct virtio_device *dev, uint32_t off,
			   uint16_t v)
{
	dev->ops->config_write(dev, off, 2, v);
}

void virtio_config_write32(struct virtio_device *dev, uint32_t off,
			   uint32_t v)
{
	dev->ops->config_write(dev, off, 4, v);
}
