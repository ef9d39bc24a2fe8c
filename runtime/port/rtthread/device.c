/*
 * What every glued device shares (glue.h): its mutex and event, the
 * interrupt sleeper over that event, and registration with RT-Thread's
 * device framework whichever way it keeps device operations.
 */
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
