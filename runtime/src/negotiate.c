/*
 * Device status and feature negotiation (spec 3.1.1, 2.1, 2.2).
 */
#include <virtio/transport.h>

/*
 * Device-type feature bits (spec 2.2) the driver accepts for itself; any
 * other bit (transport or reserved) passes only if the runtime implements it.
 */
#define DEVICE_BITS VIRTIO_FEATURES_DEVICE_MASK
/* negotiate adds VERSION_1 to `wanted` before the mask: it must pass. */
_Static_assert(VIRTIO_RUNTIME_FEATURES & (1ull << VIRTIO_F_VERSION_1),
	       "VERSION_1 must be a runtime feature");

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

/*
 * What the device's status shows, first match: NEEDS_RESET, FAILED, or
 * `dropped` when it did not keep all bits of `need` (refused them, or
 * reset itself). One status read serves all three checks.
 */
static __attribute__((noinline)) int
status_error(struct virtio_device *dev, uint8_t need, int dropped)
{
	uint8_t s = virtio_get_status(dev);
	int err = VIRTIO_OK;

	if (s & VIRTIO_CONFIG_S_NEEDS_RESET)
		err = VIRTIO_ENEEDSRESET;
	else if (s & VIRTIO_CONFIG_S_FAILED)
		err = VIRTIO_EFAILED;
	else if ((s & need) != need)
		err = dropped;
	return err;
}

int virtio_check_status(struct virtio_device *dev)
{
	return status_error(dev, 0, VIRTIO_OK);
}

/* Every failure path of a bring-up step: give up visibly (FAILED). */
static int fail(struct virtio_device *dev, int err)
{
	if (err)
		virtio_fail(dev);
	return err;
}

int virtio_negotiate(struct virtio_device *dev, uint64_t wanted)
{
	bool legacy = virtio_is_legacy(dev);
	uint8_t ok = 0; /* legacy devices have no FEATURES_OK step */
	uint64_t offered;
	int err;

	dev->features = 0;
	err = virtio_reset(dev);
	if (err)
		goto out;
	virtio_add_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(dev, VIRTIO_CONFIG_S_DRIVER);

	offered = dev->ops->get_features(dev);
	if (legacy)
		offered = (uint32_t)offered; /* one bank; never VERSION_1 */
	dev->offered = offered;
	if (!legacy) {
		err = VIRTIO_ENOVERSION1;
		if (!(offered & (1ull << VIRTIO_F_VERSION_1)))
			goto out;
		wanted |= 1ull << VIRTIO_F_VERSION_1; /* required, spec 6.1 */
		ok = VIRTIO_CONFIG_S_FEATURES_OK;
	}
	wanted &= offered & (DEVICE_BITS | VIRTIO_RUNTIME_FEATURES);
	dev->ops->set_features(dev, wanted);
	if (ok)
		virtio_add_status(dev, ok);
	/* The device keeps FEATURES_OK only if it takes our subset. */
	err = status_error(dev, ok, VIRTIO_EFEATURES);
	if (!err)
		dev->features = wanted;
out:
	return fail(dev, err);
}

/* Step 8. A device that dropped DRIVER_OK has reset itself behind our back. */
int virtio_driver_ok(struct virtio_device *dev)
{
	virtio_add_status(dev, VIRTIO_CONFIG_S_DRIVER_OK);
	return fail(dev, status_error(dev, VIRTIO_CONFIG_S_DRIVER_OK,
				      VIRTIO_EFAILED));
}

uint32_t virtio_interrupt_ack(struct virtio_device *dev)
{
	return dev->ops->interrupt_ack(dev);
}
