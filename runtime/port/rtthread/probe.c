/*
 * Finds the board's virtio-mmio devices at boot (INIT_DEVICE_EXPORT) and
 * gives each to the glue of its device type, if this export has one.
 * Slots without a device, or with a device no glue takes, are left alone
 * (another driver may own them).
 */
#include <virtio/transport.h>

#include "glue.h"

void virtio_rtt_dev_init(struct virtio_rtt_dev *d, const char *name)
{
	rt_mutex_init(&d->lock, name, RT_IPC_FLAG_PRIO);
	rt_event_init(&d->wake, name, RT_IPC_FLAG_PRIO);
}

void virtio_rtt_set_ops(struct rt_device *dev, const virtio_rtt_ops_t *ops)
{
#ifdef RT_USING_DEVICE_OPS
	dev->ops = ops;
#else
	dev->open = ops->open;
	dev->read = ops->read;
	dev->write = ops->write;
	dev->control = ops->control;
#endif
}

int virtio_rtt_register(struct rt_device *dev, const char *name,
			enum rt_device_class_type type, rt_uint16_t flags,
			const virtio_rtt_ops_t *ops)
{
	dev->type = type;
	virtio_rtt_set_ops(dev, ops);
	return rt_device_register(dev, name, flags) == RT_EOK ? VIRTIO_OK : VIRTIO_EINVAL;
}

static void wake_from_irq(void *ctx)
{
	virtio_rtt_dev_wake(ctx);
}

static void sleep_on_irq(void *ctx, uint64_t timeout_us)
{
	virtio_rtt_dev_sleep(ctx, timeout_us);
}

void virtio_rtt_dev_attach(struct virtio_rtt_dev *d, uint32_t line,
			   virtio_irq_wake_fn wake)
{
#if VIRTIO_INTERRUPTS
	virtio_irq_set_sleeper(&d->irq, sleep_on_irq,
			       wake != RT_NULL ? wake : wake_from_irq, d);
	d->has_irq = virtio_irq_attach(&d->irq, line) == VIRTIO_OK;
#else
	(void)d;
	(void)line;
	(void)wake;
	(void)wake_from_irq;
	(void)sleep_on_irq;
#endif
}

rt_int32_t virtio_rtt_ticks(uint64_t us)
{
	uint64_t ticks = (us * RT_TICK_PER_SECOND + 999999u) / 1000000u;

	return ticks > 0x7fffffff ? 0x7fffffff : (rt_int32_t)ticks;
}

void virtio_rtt_dev_sleep(struct virtio_rtt_dev *d, uint64_t timeout_us)
{
	rt_int32_t ticks = d->has_irq ? virtio_rtt_ticks(timeout_us) : 1;

	(void)rt_event_recv(&d->wake, 1, RT_EVENT_FLAG_OR | RT_EVENT_FLAG_CLEAR,
			    ticks, RT_NULL);
}

void virtio_rtt_dev_wake(struct virtio_rtt_dev *d)
{
	rt_event_send(&d->wake, 1);
}

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
