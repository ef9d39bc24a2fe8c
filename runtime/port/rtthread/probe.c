/*
 * Finds the board's virtio-mmio devices at boot (INIT_DEVICE_EXPORT) and
 * gives each to the glue of its device type, if this export has one.
 * Slots without a device, or with a device no glue takes, are left alone
 * (another driver may own them).
 */
#include <virtio/transport.h>

#include "glue.h"

static int attach(struct virtio_device *probed, uint32_t line)
{
	switch (probed->device_id) {
#if VIRTIO_EXPORT_HAS_BLK
	case VIRTIO_ID_BLOCK:
		return virtio_rtt_blk_attach(probed, line);
#endif
#if VIRTIO_EXPORT_HAS_RNG
	case VIRTIO_ID_RNG:
		return virtio_rtt_rng_attach(probed, line);
#endif
#if VIRTIO_EXPORT_HAS_NET && defined(RT_USING_LWIP)
	case VIRTIO_ID_NET:
		return virtio_rtt_net_attach(probed, line);
#endif
#if VIRTIO_EXPORT_HAS_GPU
	case VIRTIO_ID_GPU:
		return virtio_rtt_gpu_attach(probed, line);
#endif
#if VIRTIO_EXPORT_HAS_INPUT
	case VIRTIO_ID_INPUT:
		return virtio_rtt_input_attach(probed, line);
#endif
#if VIRTIO_EXPORT_HAS_CONSOLE
	case VIRTIO_ID_CONSOLE:
		return virtio_rtt_console_attach(probed, line);
#endif
	default:
		return VIRTIO_ENODEV;
	}
}

static int virtio_rtt_probe(void)
{
	for (uint32_t i = 0; i < VIRTIO_RTT_MMIO_SLOTS; i++) {
		uintptr_t base = VIRTIO_RTT_MMIO_BASE + i * VIRTIO_RTT_MMIO_STRIDE;
		struct virtio_device probed;
		int err;

		rt_memset(&probed, 0, sizeof(probed));
		err = virtio_mmio_probe(&probed, base);

		if (err == VIRTIO_OK)
			err = attach(&probed, VIRTIO_RTT_MMIO_IRQ + i);
		if (err != VIRTIO_OK && err != VIRTIO_ENODEV)
			rt_kprintf("virtio: slot %u (device %u): %s\n", (unsigned)i,
				   (unsigned)probed.device_id, virtio_strerror(err));
	}
	return 0;
}
INIT_DEVICE_EXPORT(virtio_rtt_probe);
