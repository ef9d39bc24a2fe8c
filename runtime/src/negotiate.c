/*
 * Device status and feature negotiation (spec 3.1.1, 2.1, 2.2).
 */
#include <virtio/transport.h>

/*
 * Device-type feature bits (spec 2.2) the driver accepts for itself; any
 * other bit (transport or reserved) passes only if the runtime implements it.
 */
#define DEVICE_BITS VIRTIO_FEATURES_DEVICE_MASK

int virtio_reset(struct virtio_device *dev)
{
	dev->status = 0;
	return dev->ops->reset(dev);
}

uint8_t virtio_get_status(struct virtio_device *dev)
{
	return dev->ops->get_status(dev);
}

void virtio_add_status(struct virtio_device *dev, uint8_t bits)
{
	/* Write our own copy, never back what the device shows us
	 * (it may have set NEEDS_RESET). */
	dev->status |= bits;
	dev->ops->set_status(dev, dev->status);
}

void virtio_fail(struct virtio_device *dev)
{
	virtio_add_status(dev, VIRTIO_CONFIG_S_FAILED);
}

int virtio_check_status(struct virtio_device *dev)
{
	uint8_t s = virtio_get_status(dev);

	if (s & VIRTIO_CONFIG_S_NEEDS_RESET)
		return VIRTIO_ENEEDSRESET;
	if (s & VIRTIO_CONFIG_S_FAILED)
		return VIRTIO_EFAILED;
	return VIRTIO_OK;
}

static int fail(struct virtio_device *dev, int err)
{
	virtio_fail(dev);
	return err;
}

int virtio_negotiate(struct virtio_device *dev, uint64_t wanted)
{
	uint64_t offered, accept;
	int err;

	dev->features = 0;
	err = virtio_reset(dev);
	if (err)
		return fail(dev, err);
	virtio_add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(dev, VIRTIO_CONFIG_S_DRIVER);

	offered = dev->ops->get_features(dev);
	if (virtio_is_legacy(dev))
		offered &= UINT32_MAX; /* one bank; never VERSION_1 */
	dev->offered = offered;
	if (!virtio_is_legacy(dev) && !(offered & (1ull << VIRTIO_F_VERSION_1)))
		return fail(dev, VIRTIO_ENOVERSION1);

	accept = offered & wanted & (DEVICE_BITS | VIRTIO_RUNTIME_FEATURES);
	if (!virtio_is_legacy(dev))
		accept |= 1ull << VIRTIO_F_VERSION_1; /* required, spec 6.1 */
	else
		accept &= UINT32_MAX;
	dev->ops->set_features(dev, accept);

	if (!virtio_is_legacy(dev)) {
		/* Legacy devices have no FEATURES_OK step. */
		virtio_add_status(dev, VIRTIO_CONFIG_S_FEATURES_OK);
		if (!(virtio_get_status(dev) & VIRTIO_CONFIG_S_FEATURES_OK))
			return fail(dev, VIRTIO_EFEATURES);
	}
	dev->features = accept;
	err = virtio_check_status(dev);
	if (err)
		return fail(dev, err);
	return VIRTIO_OK;
}

int virtio_driver_ok(struct virtio_device *dev)
{
	int err;

	virtio_add_status(dev, VIRTIO_CONFIG_S_DRIVER_OK);
	err = virtio_check_status(dev);
	if (err)
		return fail(dev, err);
	/* A device that dropped our bits has reset itself behind our back. */
	if (!(virtio_get_status(dev) & VIRTIO_CONFIG_S_DRIVER_OK))
		return fail(dev, VIRTIO_EFAILED);
	return VIRTIO_OK;
}

uint32_t virtio_interrupt_ack(struct virtio_device *dev)
{
	return dev->ops->interrupt_ack(dev);
}
