/*
 * Interrupt-driven operation (runtime/src/interrupt.c) against the device
 * model: the handler reads and acknowledges InterruptStatus, dispatches
 * used-buffer notifications to the callback of the queue that has work
 * and configuration changes to the config callback; garbage and spurious
 * interrupts are ignored; registration and waiting.
 *
 * Interrupts arrive through the host port's level-triggered controller
 * (virtio_port_host.h): the model drives LINE from its InterruptStatus,
 * handlers run at once on an enabled line, and the device "works while the
 * CPU sleeps" through the port's wait hook.
 */
#include <string.h>

#include "harness.h"

#include <virtio/interrupt.h>
#include <virtio/drivers/console.h>
#include <virtio/drivers/blk.h>
#include <virtio/drivers/rng.h>

#include <virtio/drivers/gpu.h>
#include <virtio/drivers/net.h>

#include "backend_console.h"
#include "backend_gpu.h"
#include "backend_net.h"

#define B(n) (1ull << (n))
#define LINE 5u

/* Handler runs on LINE and sleeps in the port, as the controller saw them. */
static uint64_t delivered(void)
{
	return virtio_host_irq_count(LINE);
}

static uint64_t waits(void)
{
	return virtio_host_irq_waits();
}

/* The device under test, wired to LINE. */
static struct dm_device *irq_model(struct dm_device *d)
{
	dm_set_irq_line(d, LINE);
	return d;
}

/* ---- fixture ---- */

struct fixture {
	struct dm_device *d;
	struct virtio_device vdev;
	struct virtqueue vq[2];
	struct virtio_irq irq;
	uint8_t *out, *in;
	int tok[8];
	unsigned cb[2];            /* queue callback calls per queue */
	struct virtqueue *cb_vq[2];
	unsigned config_cbs;
	uint32_t config_value;     /* read in the config callback */
	uint32_t status_in_cb;     /* InterruptStatus seen inside a callback */
};

static struct fixture *cur;

/* A config write by the device, with its configuration-change interrupt. */
static void config_change(struct dm_device *d, uint32_t offset, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	dm_config_set(d, offset, b, 4, true);
}
static uint32_t version = 2;

static void queue_cb(struct virtqueue *vq, void *ctx)
{
	unsigned i = (unsigned)(uintptr_t)ctx;

	cur->cb[i]++;
	cur->cb_vq[i] = vq;
	cur->status_in_cb = cur->d->interrupt_status;
}

static void config_cb(struct virtio_device *dev, void *ctx)
{
	struct fixture *f = ctx;

	f->config_cbs++;
	f->config_value = virtio_config_read32(dev, 0);
	f->status_in_cb = f->d->interrupt_status;
}

static struct dm_device *setup(struct fixture *f, uint64_t wanted)
{
	struct dm_device *d = irq_model(vt_device(version, 3, 2, 16));

	memset(f, 0, sizeof(*f));
	cur = f;
	f->d = d;
	d->config_len = 8;
	d->device_features |= B(VIRTIO_F_EVENT_IDX);
	dm_echo_attach(d);
	assert_int_equal(virtio_mmio_probe(&f->vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&f->vdev, wanted), 0);
	assert_int_equal(virtqueue_setup(&f->vdev, &f->vq[0], 0, 8), 0);
	assert_int_equal(virtqueue_setup(&f->vdev, &f->vq[1], 1, 8), 0);
	assert_int_equal(virtio_driver_ok(&f->vdev), 0);
	f->out = vt_dma(16);
	f->in = vt_dma(16);
	virtio_irq_init(&f->irq, &f->vdev);
	return d;
}

static void teardown(struct fixture *f)
{
	virtio_irq_detach(&f->irq);
	assert_int_equal(virtio_reset(&f->vdev), 0);
	for (int q = 0; q < 2; q++) {
		while (virtqueue_detach_unused(&f->vq[q]))
			;
		virtqueue_destroy(&f->vq[q]);
	}
	vt_dma_free(f->out, 16);
	vt_dma_free(f->in, 16);
	vt_assert_no_violations(f->d);
}

static void submit(struct fixture *f, unsigned q, int i)
{
	struct virtio_buf v[2] = { { f->out, 1 }, { f->in, 16 } };

	assert_int_equal(virtqueue_add(&f->vq[q], v, 1, 1, &f->tok[i]), 0);
	virtqueue_kick(&f->vq[q]);
}

static unsigned drain(struct virtqueue *vq)
{
	void *t;
	uint32_t len;
	unsigned n = 0;
	int r;

	while ((r = virtqueue_get(vq, &t, &len)) == 1)
		n++;
	assert_int_equal(r, 0);
	return n;
}

static void attach_both(struct fixture *f)
{
	assert_int_equal(virtio_irq_on_queue(&f->irq, &f->vq[0], queue_cb, (void *)0), 0);
	assert_int_equal(virtio_irq_on_queue(&f->irq, &f->vq[1], queue_cb, (void *)1), 0);
	virtio_irq_on_config(&f->irq, config_cb, f);
	assert_int_equal(virtio_irq_attach(&f->irq, LINE), 0);
}

/* ---- tests ---- */

/* A completion on queue 1 calls queue 1's callback only, once, and the
 * status is acknowledged before the callback runs. */
static void used_buffer_goes_to_its_queue(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, 0);

	attach_both(&f);
	submit(&f, 1, 0);
	assert_int_equal(delivered(), 1);
	assert_int_equal(f.cb[1], 1);
	assert_int_equal(f.cb[0], 0);
	assert_ptr_equal(f.cb_vq[1], &f.vq[1]);
	assert_int_equal(f.status_in_cb, 0);
	assert_int_equal(d->interrupt_status, 0);
	assert_int_equal(f.irq.stats.interrupts, 1);
	assert_int_equal(f.irq.stats.vring, 1);
	assert_int_equal(f.irq.stats.config, 0);
	assert_int_equal(f.config_cbs, 0);
	assert_int_equal(drain(&f.vq[1]), 1);
	/* and queue 0 */
	submit(&f, 0, 1);
	assert_int_equal(f.cb[0], 1);
	assert_int_equal(f.cb[1], 1);
	assert_int_equal(drain(&f.vq[0]), 1);
	teardown(&f);
}

/* A queue whose entries were already taken gets no call on a later
 * interrupt of the other queue. */
static void no_call_without_news(void **state)
{
	(void)state;
	struct fixture f;

	setup(&f, 0);
	attach_both(&f);
	submit(&f, 0, 0);
	assert_int_equal(drain(&f.vq[0]), 1);
	submit(&f, 1, 1);
	assert_int_equal(f.cb[0], 1);
	assert_int_equal(f.cb[1], 1);
	assert_int_equal(drain(&f.vq[1]), 1);
	teardown(&f);
}

/* A config change calls the config callback, which reads the new value. */
static void config_change_dispatched(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, 0);
	uint32_t gen0 = virtio_config_generation(&f.vdev);

	attach_both(&f);
	config_change(d, 0, 0x1234u);
	assert_int_equal(f.config_cbs, 1);
	assert_int_equal(f.config_value, 0x1234u);
	assert_int_equal(f.status_in_cb, 0);
	assert_int_equal(f.irq.stats.config, 1);
	assert_int_equal(f.irq.stats.vring, 0);
	assert_int_equal(f.cb[0] + f.cb[1], 0);
	if (version == 2)
		assert_int_not_equal(virtio_config_generation(&f.vdev), gen0);
	teardown(&f);
}

/* Both bits in one interrupt: both kinds of callback, one handler run. */
static void both_bits_at_once(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, 0);

	attach_both(&f);
	virtio_port_irq_disable(LINE);
	submit(&f, 0, 0);
	config_change(d, 0, 7);
	assert_int_equal(delivered(), 0); /* masked */
	assert_true(virtio_host_irq_asserted(LINE));
	assert_int_equal(d->interrupt_status, VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG);
	virtio_port_irq_enable(LINE); /* level still high: delivered now */
	assert_int_equal(delivered(), 1);
	assert_false(virtio_host_irq_asserted(LINE));
	assert_int_equal(f.cb[0], 1);
	assert_int_equal(f.config_cbs, 1);
	assert_int_equal(f.config_value, 7);
	assert_int_equal(d->interrupt_status, 0);
	assert_int_equal(drain(&f.vq[0]), 1);
	teardown(&f);
}

/* Status 0 (a shared line) and bits the spec does not define: nothing is
 * dispatched, the run counts as spurious, the garbage is acknowledged. */
static void spurious_and_garbage_ignored(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, 0);

	attach_both(&f);
	assert_int_equal(virtio_irq_handle(&f.irq), 0);
	assert_int_equal(f.irq.stats.spurious, 1);
	d->interrupt_status = 0xfffffffcu;
	assert_int_equal(virtio_irq_handle(&f.irq), 0);
	assert_int_equal(f.irq.stats.spurious, 2);
	assert_int_equal(d->interrupt_status, 0);
	assert_int_equal(f.cb[0] + f.cb[1] + f.config_cbs, 0);
	assert_int_equal(virtio_irq_events(&f.irq), 0);
	assert_int_equal(delivered(), 0);
	/* the same through the controller: a request with nothing pending
	 * runs the handler once; garbage bits assert the line, are
	 * acknowledged, and the line falls (no storm, no second run) */
	virtio_host_irq_spurious(LINE);
	assert_int_equal(delivered(), 1);
	assert_int_equal(f.irq.stats.spurious, 3);
	dm_raise_interrupt(d, 0xfffffffcu);
	assert_int_equal(delivered(), 2);
	assert_int_equal(f.irq.stats.spurious, 4);
	assert_false(virtio_host_irq_asserted(LINE));
	assert_int_equal(f.cb[0] + f.cb[1] + f.config_cbs, 0);
	assert_int_equal(virtio_irq_events(&f.irq), 0);
	/* the VRING bit with nothing used: no queue callback */
	dm_raise_interrupt(d, VIRTIO_MMIO_INT_VRING);
	assert_int_equal(delivered(), 3);
	assert_int_equal(f.irq.stats.vring, 1);
	assert_int_equal(f.cb[0] + f.cb[1], 0);
	teardown(&f);
}

/* A device that fakes used entries breaks the queue inside the owner's
 * virtqueue_get; the callback still runs so its owner finds out. */
static void hostile_used_reaches_owner(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, 0);
	void *t;
	uint32_t len;

	d->quiet = true;
	attach_both(&f);
	d->q[0].defer = true;
	submit(&f, 0, 0);
	dm_queue_push_used(d, 0, 7, 0); /* id 7 never made available */
	assert_int_equal(f.cb[0], 1);   /* the model interrupts on the push */
	assert_true(virtqueue_get(&f.vq[0], &t, &len) < 0);
	/* broken: later interrupts still reach the owner */
	dm_raise_interrupt(d, VIRTIO_MMIO_INT_VRING);
	assert_int_equal(f.cb[0], 2);
	assert_int_equal(f.cb[1], 0);
	d->violations = 0;
	teardown(&f);
}

/* Registration: bad arguments, foreign queues, the table's size, and
 * re-registering a queue replaces its callback. */
static void registration_rules(void **state)
{
	(void)state;
	struct fixture f;
	struct virtqueue other;

	setup(&f, 0);
	memset(&other, 0, sizeof(other));
	assert_int_equal(virtio_irq_on_queue(&f.irq, NULL, queue_cb, NULL), VIRTIO_EINVAL);
	assert_int_equal(virtio_irq_on_queue(NULL, &f.vq[0], queue_cb, NULL), VIRTIO_EINVAL);
	assert_int_equal(virtio_irq_on_queue(&f.irq, &other, queue_cb, NULL), VIRTIO_EINVAL);
	for (unsigned i = 0; i < VIRTIO_IRQ_MAX_QUEUES; i++) {
		/* the same queue again: replaced, not added */
		assert_int_equal(virtio_irq_on_queue(&f.irq, &f.vq[0], queue_cb,
						     (void *)(uintptr_t)(i & 1)), 0);
		assert_int_equal(f.irq.n_queues, 1);
	}
	f.irq.n_queues = VIRTIO_IRQ_MAX_QUEUES; /* pretend full */
	assert_int_equal(virtio_irq_on_queue(&f.irq, &f.vq[1], queue_cb, NULL), VIRTIO_ENOSPC);
	f.irq.n_queues = 1;
	/* a line the controller does not have */
	assert_int_equal(virtio_irq_attach(&f.irq, VIRTIO_HOST_IRQ_LINES), VIRTIO_EINVAL);
	assert_false(f.irq.attached);
	assert_false(virtio_host_irq_attached(LINE));
	assert_int_equal(virtio_irq_attach(&f.irq, LINE), 0);
	assert_true(virtio_host_irq_attached(LINE) && virtio_host_irq_enabled(LINE));
	virtio_irq_detach(&f.irq);
	assert_false(virtio_host_irq_attached(LINE) || virtio_host_irq_enabled(LINE));
	virtio_irq_detach(&f.irq); /* twice is harmless */
	teardown(&f);
}

/* A polling driver disabled used-buffer interrupts; registering a queue
 * callback re-arms them (flags, and used_event with EVENT_IDX). */
static void on_queue_rearms(void **state)
{
	(void)state;
	for (int ev = 0; ev < 2; ev++) {
		struct fixture f;
		struct dm_device *d = setup(&f, ev ? B(VIRTIO_F_EVENT_IDX) : 0);

		virtqueue_disable_cb(&f.vq[0]);
		if (!ev)
			assert_true(dm_queue_avail_flags(d, 0) & DM_AVAIL_F_NO_INTERRUPT);
		assert_int_equal(virtio_irq_on_queue(&f.irq, &f.vq[0], queue_cb, (void *)0), 0);
		assert_int_equal(virtio_irq_attach(&f.irq, LINE), 0);
		submit(&f, 0, 0);
		assert_int_equal(f.cb[0], 1);
		assert_int_equal(d->q[0].interrupts, 1);
		assert_int_equal(drain(&f.vq[0]), 1);
		teardown(&f);
	}
}

/* Interrupts per request with EVENT_IDX: a batch of 4 completed together
 * raises one interrupt; re-armed after each get, one per request. */
static void event_idx_interrupts_per_request(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, B(VIRTIO_F_EVENT_IDX));

	attach_both(&f);
	d->q[0].defer = true;
	for (int i = 0; i < 4; i++)
		submit(&f, 0, i);
	for (unsigned i = 0; i < 4; i++)
		assert_true(dm_queue_complete(d, 0, 0) >= 0);
	/* used_event asks for the first completion only */
	assert_int_equal(d->q[0].interrupts, 1);
	assert_int_equal(f.cb[0], 1);
	assert_int_equal(drain(&f.vq[0]), 4);
	d->q[0].defer = false;
	for (int i = 0; i < 4; i++) {
		submit(&f, 0, i);
		assert_int_equal(drain(&f.vq[0]), 1);
	}
	assert_int_equal(d->q[0].interrupts, 5);
	teardown(&f);
}

/* virtio_irq_wait: an interrupt before the wait is not lost; without one
 * it times out after the time given (host clock). */
static void wait_semantics(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, 0);
	uint32_t seen;
	uint64_t t0;

	attach_both(&f);
	seen = virtio_irq_events(&f.irq);
	submit(&f, 0, 0); /* interrupt arrives before we wait */
	assert_true(virtio_irq_wait(&f.irq, &seen, 1000));
	assert_int_equal(seen, virtio_irq_events(&f.irq));
	assert_int_equal(drain(&f.vq[0]), 1);
	t0 = virtio_port_time_us();
	assert_false(virtio_irq_wait(&f.irq, &seen, 5000));
	assert_true(virtio_port_time_us() - t0 >= 5000);
	assert_true(waits() >= 1);
	/* a spurious run does not count as an event */
	assert_int_equal(virtio_irq_handle(&f.irq), 0);
	assert_false(virtio_irq_wait(&f.irq, &seen, 10));
	config_change(d, 4, 1);
	assert_true(virtio_irq_wait(&f.irq, &seen, 10));
	teardown(&f);
}

/* ---- the console driver's interrupt-driven waits ---- */

static void console_cfg_cb(struct virtio_device *dev, void *ctx)
{
	(void)dev;
	(*(unsigned *)ctx)++;
}

/* read_wait: data already there returns at once; nothing there sleeps
 * in the port (no spinning on the ring) until the timeout; input that
 * arrives wakes it. Writes complete through the interrupt. A resize
 * reaches the config callback and virtio_console_size reads it. */
static void console_waits_on_interrupt(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct virtio_console con;
	struct virtio_irq irq;
	struct dm_device *d = irq_model(vt_device(version, 3, 2, 32));
	struct dm_console *m = dm_console_attach(d, DM_BIT(DM_CON_F_SIZE), 80, 25, 1);
	unsigned config_cbs = 0;
	uint16_t cols, rows;
	char in[16];
	uint64_t t0, w0;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_console_init(&con, &vdev, 1), 0);
	virtio_irq_init(&irq, &vdev);
	assert_int_equal(virtio_console_use_irq(&con, &irq), 0);
	assert_ptr_equal(con.irq, &irq);
	virtio_irq_on_config(&irq, console_cfg_cb, &config_cbs);
	assert_int_equal(virtio_irq_attach(&irq, LINE), 0);

	/* input before the wait */
	assert_int_equal(dm_console_input(m, 0, "hi", 2, 2), 0);
	assert_true(delivered() >= 1);
	assert_int_equal(virtio_console_read_wait(&con, 0, in, sizeof(in), 1000), 2);
	assert_memory_equal(in, "hi", 2);
	/* nothing: sleeps in the port until the timeout */
	w0 = waits();
	t0 = virtio_port_time_us();
	assert_int_equal(virtio_console_read_wait(&con, 0, in, sizeof(in), 3000), 0);
	assert_true(virtio_port_time_us() - t0 >= 3000);
	assert_true(waits() - w0 >= 1 && waits() - w0 <= 2);
	/* a write completes by interrupt */
	{
		uint64_t before = delivered();

		assert_int_equal(virtio_console_write(&con, 0, "out", 3), 3);
		assert_true(delivered() > before);
	}
	/* resize */
	{
		uint8_t sz[4] = { 132, 0, 50, 0 };

		dm_config_set(d, 0, sz, 4, true);
	}
	assert_int_equal(config_cbs, 1);
	assert_true(virtio_console_size(&con, 0, &cols, &rows));
	assert_int_equal(cols, 132);
	assert_int_equal(rows, 50);
	/* a foreign virtio_irq is refused */
	{
		struct virtio_irq other;
		struct virtio_device od = vdev;

		virtio_irq_init(&other, &od);
		assert_int_equal(virtio_console_use_irq(&con, &other), VIRTIO_EINVAL);
	}
	virtio_irq_detach(&irq);
	vt_assert_no_violations(d);
	virtio_console_destroy(&con);
	dm_console_free(m);
}

/* Without use_irq the same calls poll and never touch the port's wait. */
static void console_polls_without_irq(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct virtio_console con;
	struct dm_device *d = vt_device(version, 3, 2, 32);
	struct dm_console *m = dm_console_attach(d, 0, 80, 25, 1);
	char in[4];

	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_console_init(&con, &vdev, 1), 0);
	assert_null(con.irq);
	virtio_host_time_set_autostep(100);
	assert_int_equal(virtio_console_read_wait(&con, 0, in, sizeof(in), 2000), 0);
	virtio_host_time_set_autostep(0);
	assert_int_equal(waits(), 0);
	assert_int_equal(delivered(), 0);
	assert_int_equal(virtio_console_write(&con, 0, "x", 1), 1);
	vt_assert_no_violations(d);
	virtio_console_destroy(&con);
	dm_console_free(m);
}

/* ---- config changes the drivers re-read after the interrupt ---- */

/* net: the config callback runs on a status change; the driver's
 * update_link then reports the new link state. */
static void net_link_by_config_interrupt(void **state)
{
	(void)state;
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	struct virtio_device vdev;
	struct virtio_net net;
	struct virtio_irq irq;
	struct dm_device *d = irq_model(vt_device(version, 1, 3, 64));
	struct dm_net *m = dm_net_attach(d, DM_BIT(DM_NET_F_MAC) | DM_BIT(DM_NET_F_STATUS),
					 mac, 1500);
	unsigned config_cbs = 0;

	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_net_init(&net, &vdev, 1), 0);
	assert_true(net.link_up);
	virtio_irq_init(&irq, &vdev);
	virtio_irq_on_config(&irq, console_cfg_cb, &config_cbs);
	assert_int_equal(virtio_irq_attach(&irq, LINE), 0);
	dm_net_set_status(m, 0);
	assert_int_equal(config_cbs, 1);
	assert_false(virtio_net_update_link(&net));
	dm_net_set_status(m, 1);
	assert_int_equal(config_cbs, 2);
	assert_true(virtio_net_update_link(&net));
	assert_int_equal(irq.stats.config, 2);
	virtio_irq_detach(&irq);
	vt_assert_no_violations(d);
	virtio_net_destroy(&net);
	dm_net_free(m);
}

/* net with use_irq: recv_wait sleeps until a frame arrives (delivered
 * while the CPU sleeps), times out after a few sleeps without one; send
 * still works (its transmit completions arrive by interrupt). */
static struct dm_net *net_model;
static const uint8_t net_frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1,
				       0x88, 0xb5, 'i', 'r', 'q' };

static void deliver_frame(void *ctx)
{
	(void)ctx;
	assert_true(dm_net_deliver(net_model, NULL, net_frame, sizeof(net_frame), 0, 0) >= 1);
}

static void net_recv_wait_sleeps(void **state)
{
	(void)state;
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x57 };
	struct virtio_device vdev;
	struct virtio_net net;
	struct virtio_irq irq;
	struct dm_device *d = irq_model(vt_device(version, 1, 3, 64));
	uint8_t rx[128];
	uint64_t t0, w0;

	net_model = dm_net_attach(d, DM_BIT(DM_NET_F_MAC), mac, 1500);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_net_init(&net, &vdev, 1), 0);
	virtio_irq_init(&irq, &vdev);
	assert_int_equal(virtio_net_use_irq(&net, &irq), 0);
	assert_int_equal(virtio_irq_attach(&irq, LINE), 0);
	w0 = waits();
	t0 = virtio_port_time_us();
	assert_int_equal(virtio_net_recv_wait(&net, rx, sizeof(rx), NULL, 4000), 0);
	assert_true(virtio_port_time_us() - t0 >= 4000);
	assert_true(waits() - w0 >= 1 && waits() - w0 <= 2);
	w0 = waits();
	virtio_host_irq_set_wait_hook(deliver_frame, NULL);
	assert_int_equal(virtio_net_recv_wait(&net, rx, sizeof(rx), NULL, 1000000),
			 (int)sizeof(net_frame));
	assert_int_equal(waits() - w0, 1);
	assert_memory_equal(rx, net_frame, sizeof(net_frame));
	virtio_host_irq_set_wait_hook(NULL, NULL);
	assert_int_equal(virtio_net_send(&net, net_frame, sizeof(net_frame)), 0);
	assert_true(irq.stats.queue_cbs >= 2);
	virtio_irq_detach(&irq);
	vt_assert_no_violations(d);
	virtio_net_destroy(&net);
	dm_net_free(net_model);
}

/* gpu: a display change raises a config interrupt; poll_events then
 * fetches the new display info. */
static void gpu_display_by_config_interrupt(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct virtio_gpu gpu;
	struct virtio_irq irq;
	struct dm_device *d = irq_model(vt_device(version, 16, 2, 64));
	struct dm_gpu *m = dm_gpu_attach(d);
	unsigned config_cbs = 0;

	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_gpu_init(&gpu, &vdev), 0);
	virtio_irq_init(&irq, &vdev);
	virtio_irq_on_config(&irq, console_cfg_cb, &config_cbs);
	assert_int_equal(virtio_irq_attach(&irq, LINE), 0);
	m->scanout[0].width = 640;
	m->scanout[0].height = 480;
	dm_gpu_display_event(m);
	assert_int_equal(config_cbs, 1);
	assert_int_equal(virtio_gpu_poll_events(&gpu), 1);
	assert_int_equal(gpu.display[0].width, 640);
	assert_int_equal(gpu.display[0].height, 480);
	assert_int_equal(virtio_gpu_poll_events(&gpu), 0);
	virtio_irq_detach(&irq);
	vt_assert_no_violations(d);
	virtio_gpu_destroy(&gpu);
	dm_gpu_free(m);
}

/* ---- blk and rng: blocking calls sleep on the interrupt ---- */

static void complete_held(void *ctx)
{
	struct dm_device *d = ctx;

	while (dm_queue_held(d, 0))
		assert_true(dm_queue_complete(d, 0, 0) >= 0);
}

static struct dm_device *irq_device(uint32_t id, struct virtio_device *vdev)
{
	(void)vdev;
	return irq_model(vt_device(version, id, 1, 64));
}

/* The device answers only while the CPU sleeps: the blocking calls must
 * wait in the port (not spin), and finish by interrupt. */
static void blk_blocking_sleeps(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct virtio_blk blk;
	struct virtio_irq irq;
	struct dm_device *d = irq_device(2, &vdev);
	struct dm_blk *m = dm_blk_attach(d, 64);
	uint8_t *buf = vt_dma(8 * 512);
	uint64_t w0;

	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
	assert_null(blk.irq);
	virtio_irq_init(&irq, &vdev);
	assert_int_equal(virtio_blk_use_irq(&blk, &irq), 0);
	assert_int_equal(virtio_irq_attach(&irq, LINE), 0);
	d->q[0].defer = true;
	virtio_host_irq_set_wait_hook(complete_held, d);
	memset(buf, 0xa5, 8 * 512);
	assert_int_equal(virtio_blk_write(&blk, 8, buf, 8), 0);
	assert_true(waits() >= 1 && waits() <= 2);
	assert_true(irq.stats.queue_cbs >= 1);
	memset(buf, 0, 8 * 512);
	w0 = waits();
	assert_int_equal(virtio_blk_read(&blk, 8, buf, 8), 0);
	assert_true(waits() - w0 >= 1 && waits() - w0 <= 2);
	assert_int_equal(buf[0], 0xa5);
	assert_int_equal(buf[8 * 512 - 1], 0xa5);
	/* a device that never answers: a timeout, after a few sleeps only */
	virtio_host_irq_set_wait_hook(NULL, NULL);
	w0 = waits();
	d->quiet = true;
	assert_int_equal(virtio_blk_read(&blk, 8, buf, 8), VIRTIO_ETIMEDOUT);
	assert_true(waits() - w0 >= 1 && waits() - w0 <= 3);
	virtio_irq_detach(&irq);
	virtio_blk_destroy(&blk);
	vt_dma_free(buf, 8 * 512);
	dm_blk_free(m);
}

/* A capacity change: the config callback runs, config_changed re-reads
 * (generation-checked) and the driver checks requests against the new
 * size; a block size change is refused; an unsettled config is reported. */
static void blk_config_changed(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct virtio_blk blk;
	struct virtio_irq irq;
	struct dm_device *d = irq_device(2, &vdev);
	struct dm_blk *m = dm_blk_attach(d, 64);
	uint8_t *buf = vt_dma(512);
	unsigned config_cbs = 0;
	uint8_t cap[8] = { 32, 0, 0, 0, 0, 0, 0, 0 };

	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
	virtio_irq_init(&irq, &vdev);
	virtio_irq_on_config(&irq, console_cfg_cb, &config_cbs);
	assert_int_equal(virtio_blk_use_irq(&blk, &irq), 0);
	assert_int_equal(virtio_irq_attach(&irq, LINE), 0);
	assert_int_equal(blk.capacity, 64);
	assert_int_equal(virtio_blk_config_changed(&blk), 0);
	dm_config_set(d, 0, cap, 8, true);
	assert_int_equal(config_cbs, 1);
	assert_int_equal(virtio_blk_config_changed(&blk), 1);
	assert_int_equal(blk.capacity, 32);
	assert_int_equal(virtio_blk_read(&blk, 40, buf, 1), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_read(&blk, 31, buf, 1), 0);
	if (version == 2) {
		d->generation_always_changes = true;
		assert_int_equal(virtio_blk_config_changed(&blk), VIRTIO_ECONFIGUNSTABLE);
		d->generation_always_changes = false;
	}
	dm_config_set_le32(d, 20, 4096);
	assert_int_equal(virtio_blk_config_changed(&blk), VIRTIO_ECONFIG);
	assert_int_equal(blk.blk_size, 512);
	virtio_irq_detach(&irq);
	virtio_blk_destroy(&blk);
	vt_dma_free(buf, 512);
	dm_blk_free(m);
}

static void rng_read_sleeps(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct virtio_rng rng;
	struct virtio_irq irq;
	struct dm_device *d = irq_device(4, &vdev);
	uint8_t buf[32] = { 0 };
	bool nonzero = false;

	dm_rng_attach(d, 7);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_rng_init(&rng, &vdev), 0);
	virtio_irq_init(&irq, &vdev);
	assert_int_equal(virtio_rng_use_irq(&rng, &irq), 0);
	assert_int_equal(virtio_irq_attach(&irq, LINE), 0);
	d->q[0].defer = true;
	virtio_host_irq_set_wait_hook(complete_held, d);
	assert_int_equal(virtio_rng_read(&rng, buf, sizeof(buf)), 0);
	for (unsigned k = 0; k < sizeof(buf); k++)
		nonzero = nonzero || buf[k];
	assert_true(nonzero);
	assert_true(waits() >= 1);
	assert_true(irq.stats.queue_cbs >= 1);
	virtio_host_irq_set_wait_hook(NULL, NULL);
	virtio_irq_detach(&irq);
	virtio_rng_destroy(&rng);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, vt_setup, vt_teardown)

static const struct CMUnitTest tests[] = {
	T(used_buffer_goes_to_its_queue),
	T(no_call_without_news),
	T(config_change_dispatched),
	T(both_bits_at_once),
	T(spurious_and_garbage_ignored),
	T(hostile_used_reaches_owner),
	T(registration_rules),
	T(on_queue_rearms),
	T(event_idx_interrupts_per_request),
	T(wait_semantics),
	T(console_waits_on_interrupt),
	T(console_polls_without_irq),
	T(net_link_by_config_interrupt),
	T(gpu_display_by_config_interrupt),
	T(net_recv_wait_sleeps),
	T(blk_blocking_sleeps),
	T(blk_config_changed),
	T(rng_read_sleeps),
};

int main(void)
{
	int rc;

	version = 2;
	rc = cmocka_run_group_tests_name("irq modern", tests, NULL, NULL);
	version = 1;
	rc |= cmocka_run_group_tests_name("irq legacy", tests, NULL, NULL);
	return rc;
}
