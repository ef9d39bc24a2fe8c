/*
 * Per-device interrupt handler: acknowledge, then dispatch to the queue
 * and configuration callbacks drivers registered (interrupt.h).
 */
#include <virtio/interrupt.h>

#if VIRTIO_INTERRUPTS

int virtio_irq_on_queue(struct virtio_irq *irq, struct virtqueue *vq,
			virtio_queue_cb fn, void *ctx)
{
	struct virtio_irq_queue *q;

	if (irq == NULL || vq == NULL || vq->dev != irq->dev)
		return VIRTIO_EINVAL;
	for (unsigned i = 0; i < irq->n_queues; i++) {
		if (irq->queue[i].vq == vq) {
			irq->queue[i].fn = fn;
			irq->queue[i].ctx = ctx;
			return VIRTIO_OK;
		}
	}
	if (irq->n_queues >= VIRTIO_IRQ_MAX_QUEUES)
		return VIRTIO_ENOSPC;
	q = &irq->queue[irq->n_queues];
	q->vq = vq;
	q->fn = fn;
	q->ctx = ctx;
	irq->n_queues++;
	/* The result (work already pending) does not matter here: the
	 * first wait after attach re-checks the queue anyway. */
	(void)virtqueue_enable_cb(vq);
	return VIRTIO_OK;
}

void virtio_irq_set_sleeper(struct virtio_irq *irq, virtio_irq_sleep_fn sleep,
			    virtio_irq_wake_fn wake, void *ctx)
{
	irq->sleep = sleep;
	irq->wake = wake;
	irq->sleeper = ctx;
}

void virtio_irq_on_config(struct virtio_irq *irq, virtio_config_cb fn,
			  void *ctx)
{
	irq->config_fn = fn;
	irq->config_ctx = ctx;
}

static void trampoline(void *arg)
{
	(void)virtio_irq_handle(arg);
}

int virtio_irq_attach(struct virtio_irq *irq, uint32_t line)
{
	if (irq == NULL || irq->dev == NULL)
		return VIRTIO_EINVAL;
	if (virtio_port_irq_attach(line, trampoline, irq) != 0)
		return VIRTIO_EINVAL;
	irq->line = line;
	irq->attached = true;
	virtio_port_irq_enable(line);
	return VIRTIO_OK;
}

void virtio_irq_detach(struct virtio_irq *irq)
{
	if (!irq->attached)
		return;
	virtio_port_irq_disable(irq->line);
	virtio_port_irq_detach(irq->line);
	irq->attached = false;
}

/* New used entries since the owner's last virtqueue_get? A broken queue
 * counts as news too, so its owner learns about it. A racy "yes" is fine:
 * the owner finds nothing and sleeps again. A destroyed queue (memory
 * freed, e.g. after a driver gave up) is never looked at. */
static bool queue_has_news(const struct virtqueue *vq)
{
	return vq->mem != NULL && virtqueue_has_used(vq);
}

uint32_t virtio_irq_handle(struct virtio_irq *irq)
{
	struct virtio_device *dev = irq->dev;
	uint32_t isr;

	irq->stats.interrupts++;
	isr = virtio_interrupt_ack(dev);
	/* Only the two defined bits mean anything (spec 4.2.2, 4.1.4.5). */
	isr &= VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG;
	if (isr == 0) {
		irq->stats.spurious++;
		return 0;
	}
	/* Used entries written before the interrupt must be visible to the
	 * callbacks' reads. */
	virtio_port_rmb();
	if (isr & VIRTIO_MMIO_INT_VRING) {
		irq->stats.vring++;
		for (unsigned i = 0; i < irq->n_queues; i++) {
			struct virtio_irq_queue *q = &irq->queue[i];

			if (queue_has_news(q->vq)) {
				irq->stats.queue_cbs++;
				if (q->fn != NULL)
					q->fn(q->vq, q->ctx);
			}
		}
	}
	if (isr & VIRTIO_MMIO_INT_CONFIG) {
		irq->stats.config++;
		if (irq->config_fn != NULL)
			irq->config_fn(dev, irq->config_ctx);
	}
	irq->events++;
	if (irq->wake != NULL)
		irq->wake(irq->sleeper);
	return isr;
}

bool virtio_irq_wait(struct virtio_irq *irq, uint32_t *seen,
		     uint64_t timeout_us)
{
	uint64_t start = virtio_port_time_us();

	for (;;) {
		uint32_t now_events = irq->events;
		uint64_t spent;

		if (now_events != *seen) {
			*seen = now_events;
			return true;
		}
		spent = virtio_port_time_us() - start;
		if (spent >= timeout_us)
			return false;
		if (irq->sleep != NULL)
			irq->sleep(irq->sleeper, timeout_us - spent);
		else /* any device's interrupt wakes us: loop to see if ours */
			(void)virtio_port_irq_wait(timeout_us - spent);
	}
}

#endif /* VIRTIO_INTERRUPTS */
