/*
 * Interrupt-driven operation (opt-in). Polling drivers need none of this.
 *
 * One struct virtio_irq per device. The driver (or the application) says
 * which queues want a callback and whether it wants configuration-change
 * events, then attaches the device's interrupt line through the port:
 *
 *     virtio_irq_init(&irq, dev);
 *     virtio_irq_on_queue(&irq, &vq, rx_done, ctx);    // per queue
 *     virtio_irq_on_config(&irq, config_changed, ctx);  // optional
 *     virtio_irq_attach(&irq, line);                    // port + enable
 *
 * virtio_irq_handle() runs in interrupt context: it reads and acknowledges
 * the interrupt status (spec 4.2.2 InterruptStatus/InterruptACK; the PCI
 * ISR register is read-to-clear), then calls, for a used-buffer
 * notification, the callback of every registered queue that has new used
 * entries, and for a configuration change the config callback. Callbacks
 * run in interrupt context: they should record and wake (set a flag, give
 * a semaphore), and leave virtqueue_get to the task that owns the queue
 * (virtqueues are not thread-safe).
 *
 * A task waits with virtio_irq_wait(), which sleeps in the port
 * (virtio_port_irq_wait: wfi on bare metal, a semaphore in an RTOS), or
 * in the device's own sleeper (virtio_irq_set_sleeper: one semaphore per
 * device, so tasks waiting on different devices never take each other's
 * wake-ups).
 *
 * Built only with VIRTIO_INTERRUPTS (virtio.h, default 1). With 0 the
 * drivers' use_irq calls return VIRTIO_EUNSUPP, their waits poll, and the
 * port needs no virtio_port_irq_* function.
 */
#ifndef VIRTIO_INTERRUPT_H
#define VIRTIO_INTERRUPT_H

#include <virtio/virtqueue.h>

/* Queues with a callback per device (net with a control queue: 3; a
 * console with VIRTIO_CONSOLE_MAX_PORTS ports: 2 per port + 1). */
#ifndef VIRTIO_IRQ_MAX_QUEUES
#define VIRTIO_IRQ_MAX_QUEUES 10u /* queues with a callback per device at most */
#endif

typedef void (*virtio_queue_cb)(struct virtqueue *vq, void *ctx);
typedef void (*virtio_config_cb)(struct virtio_device *dev, void *ctx);
/* A per-device sleeper: sleep() blocks until wake() was called since the
 * previous return of sleep() or timeout_us passed (a binary semaphore);
 * wake() runs in interrupt context. */
typedef void (*virtio_irq_sleep_fn)(void *ctx, uint64_t timeout_us);
typedef void (*virtio_irq_wake_fn)(void *ctx);

struct virtio_irq_queue {
	struct virtqueue *vq;
	virtio_queue_cb fn;
	void *ctx;
};

/* Counters are written in interrupt context and read by tasks. */
struct virtio_irq_stats {
	volatile uint32_t interrupts; /* handler runs */
	volatile uint32_t vring;      /* runs with the used-buffer bit */
	volatile uint32_t config;     /* runs with the config-change bit */
	volatile uint32_t spurious;   /* runs with no status bit (shared line) */
	volatile uint32_t queue_cbs;  /* queue callbacks called */
};

struct virtio_irq {
	struct virtio_device *dev;
	struct virtio_irq_queue queue[VIRTIO_IRQ_MAX_QUEUES];
	unsigned n_queues;
	virtio_config_cb config_fn;
	void *config_ctx;
	uint32_t line;
	bool attached;
	volatile uint32_t events; /* bumped on every run with a status bit */
	virtio_irq_sleep_fn sleep; /* NULL: virtio_port_irq_wait */
	virtio_irq_wake_fn wake;
	void *sleeper;
	struct virtio_irq_stats stats;
};

static inline uint32_t virtio_irq_events(const struct virtio_irq *irq)
{
	return irq->events;
}

/* Clears `irq` for `dev`. No interrupt is enabled yet. */
static inline void virtio_irq_init(struct virtio_irq *irq,
				   struct virtio_device *dev)
{
	unsigned char *p = (unsigned char *)irq;

	for (size_t i = 0; i < sizeof(*irq); i++)
		p[i] = 0;
	irq->dev = dev;
}

#if VIRTIO_INTERRUPTS

/*
 * Calls fn(vq, ctx) from the handler when `vq` has new used entries (fn
 * NULL: only wake virtio_irq_wait). Also re-arms the queue's used-buffer
 * interrupts (virtqueue_enable_cb): a driver that polls leaves them
 * disabled. Register before attach. VIRTIO_EINVAL for a NULL irq or vq
 * or a queue of another device, VIRTIO_ENOSPC beyond
 * VIRTIO_IRQ_MAX_QUEUES (registering a queue again replaces fn/ctx).
 */
int virtio_irq_on_queue(struct virtio_irq *irq, struct virtqueue *vq,
			virtio_queue_cb fn, void *ctx);
/* Sleeps in sleep(ctx, ...) instead of the port's virtio_port_irq_wait;
 * the handler calls wake(ctx) after each run with a status bit. */
void virtio_irq_set_sleeper(struct virtio_irq *irq, virtio_irq_sleep_fn sleep,
			    virtio_irq_wake_fn wake, void *ctx);
/* Calls fn(dev, ctx) on a configuration change (NULL: none). */
void virtio_irq_on_config(struct virtio_irq *irq, virtio_config_cb fn,
			  void *ctx);
/*
 * Installs virtio_irq_handle for `line` in the port and enables it.
 * Returns 0 or VIRTIO_EINVAL (the port refused the line).
 */
int virtio_irq_attach(struct virtio_irq *irq, uint32_t line);
/* Disables the line and removes the handler (before destroying queues). */
void virtio_irq_detach(struct virtio_irq *irq);

/*
 * The handler: reads and acknowledges the interrupt status, dispatches.
 * Returns the status bits seen (VIRTIO_MMIO_INT_VRING/CONFIG; 0 when the
 * interrupt was not this device's).
 */
uint32_t virtio_irq_handle(struct virtio_irq *irq);

/*
 * Sleeps until this device's handler ran since `*seen` was taken (then
 * updates *seen and returns true), or timeout_us passed (false). Start
 * with seen = virtio_irq_events(irq) BEFORE the action whose completion
 * you wait for, so an interrupt in between is not missed.
 */
bool virtio_irq_wait(struct virtio_irq *irq, uint32_t *seen,
		     uint64_t timeout_us);

#else /* !VIRTIO_INTERRUPTS: what the drivers call, as no-ops */

static inline int virtio_irq_on_queue(struct virtio_irq *irq,
				      struct virtqueue *vq, virtio_queue_cb fn,
				      void *ctx)
{
	(void)irq;
	(void)vq;
	(void)fn;
	(void)ctx;
	return VIRTIO_EUNSUPP;
}
static inline bool virtio_irq_wait(struct virtio_irq *irq, uint32_t *seen,
				   uint64_t timeout_us)
{
	(void)irq;
	(void)seen;
	(void)timeout_us;
	return false;
}

#endif /* VIRTIO_INTERRUPTS */

#endif /* VIRTIO_INTERRUPT_H */
