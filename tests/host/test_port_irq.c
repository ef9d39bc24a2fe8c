/*
 * The host port's interrupt lines (virtio_port_irq_*, port.h) wired to the
 * device model (dm_set_irq_line), end to end with the runtime's
 * interrupt layer: a used buffer or a config change runs the handler at
 * once on an enabled line, a disabled line stays pending until enabled,
 * a detached one runs nothing, and virtio_irq_wait sleeps until the
 * device (played by a wait hook) completes a held request, or times out.
 */
#include "harness.h"

#include <string.h>

#include <virtio/interrupt.h>

#define B(n) (1ull << (n))
#define LINE 7u

struct seen {
	unsigned queue_cbs, config_cbs;
};

static void on_queue(struct virtqueue *vq, void *ctx)
{
	(void)vq;
	((struct seen *)ctx)->queue_cbs++;
}

static void on_config(struct virtio_device *dev, void *ctx)
{
	(void)dev;
	((struct seen *)ctx)->config_cbs++;
}

struct fixture {
	struct dm_device *d;
	struct virtio_device vdev;
	struct virtqueue vq;
	struct virtio_irq irq;
	struct seen seen;
	uint8_t *out, *in;
	int tok;
};

static void setup(struct fixture *f)
{
	memset(&f->seen, 0, sizeof(f->seen));
	f->d = vt_device(2, 3, 1, 8);
	dm_echo_attach(f->d);
	dm_set_irq_line(f->d, LINE);
	vt_bring_up(&f->vdev, &f->vq, 0, 0);
	virtio_irq_init(&f->irq, &f->vdev);
	assert_int_equal(virtio_irq_on_queue(&f->irq, &f->vq, on_queue, &f->seen), 0);
	virtio_irq_on_config(&f->irq, on_config, &f->seen);
	assert_int_equal(virtio_irq_attach(&f->irq, LINE), 0);
	assert_true(virtio_host_irq_attached(LINE));
	assert_true(virtio_host_irq_enabled(LINE));
	f->out = vt_dma(16);
	f->in = vt_dma(16);
}

static void finish(struct fixture *f)
{
	virtio_irq_detach(&f->irq);
	assert_false(virtio_host_irq_attached(LINE));
	vt_assert_no_violations(f->d);
	vt_tear_down_queue(&f->vdev, &f->vq);
	vt_dma_free(f->out, 16);
	vt_dma_free(f->in, 16);
}

static void add_kick(struct fixture *f)
{
	struct virtio_buf v[2] = { { f->out, 4 }, { f->in, 16 } };
	assert_int_equal(virtqueue_add(&f->vq, v, 1, 1, &f->tok), 0);
	virtqueue_kick(&f->vq);
}

static void take(struct fixture *f)
{
	void *t;
	uint32_t len;
	assert_int_equal(virtqueue_get(&f->vq, &t, &len), 1);
}

static void interrupts_reach_the_handler(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f);
	add_kick(&f); /* the model completes at once and interrupts */
	assert_int_equal(virtio_host_irq_count(LINE), 1);
	assert_int_equal(f.seen.queue_cbs, 1);
	assert_int_equal(f.d->interrupt_status, 0); /* acknowledged */
	take(&f);
	dm_config_set(f.d, 0, "x", 1, true);
	assert_int_equal(f.seen.config_cbs, 1);
	assert_int_equal(virtio_host_irq_count(LINE), 2);
	/* disabled: pending, delivered when enabled again */
	virtio_port_irq_disable(LINE);
	add_kick(&f);
	assert_int_equal(virtio_host_irq_count(LINE), 2);
	assert_int_equal(f.seen.queue_cbs, 1);
	virtio_port_irq_enable(LINE);
	assert_int_equal(virtio_host_irq_count(LINE), 3);
	assert_int_equal(f.seen.queue_cbs, 2);
	take(&f);
	finish(&f);
	/* detached: nothing runs */
	dm_raise_interrupt(f.d, DM_INT_CONFIG);
	assert_int_equal(virtio_host_irq_count(LINE), 3);
}

struct hook {
	struct dm_device *d;
	unsigned calls;
};

static void device_completes(void *ctx)
{
	struct hook *h = ctx;
	h->calls++;
	if (dm_queue_held(h->d, 0) > 0)
		dm_queue_complete(h->d, 0, 0);
}

static void wait_sleeps_until_the_device_answers(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f);
	f.d->q[0].defer = true;
	struct hook h = { f.d, 0 };
	virtio_host_irq_set_wait_hook(device_completes, &h);
	uint32_t seen = virtio_irq_events(&f.irq);
	add_kick(&f);
	assert_int_equal(f.seen.queue_cbs, 0); /* held by the device */
	assert_true(virtio_irq_wait(&f.irq, &seen, 1000000));
	assert_true(h.calls >= 1);
	assert_int_equal(f.seen.queue_cbs, 1);
	take(&f);
	/* nothing in flight: the wait times out (virtual time), bounded */
	uint64_t t0 = virtio_port_time_us();
	assert_false(virtio_irq_wait(&f.irq, &seen, 20000));
	assert_true(virtio_port_time_us() - t0 >= 20000);
	virtio_host_irq_set_wait_hook(NULL, NULL);
	finish(&f);
}

static void deferred_delivery(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f);
	virtio_host_irq_set_deferred(true);
	add_kick(&f);
	assert_int_equal(f.seen.queue_cbs, 0);
	assert_int_equal(virtio_host_irq_deliver(), 1);
	assert_int_equal(f.seen.queue_cbs, 1);
	assert_int_equal(virtio_host_irq_deliver(), 0);
	take(&f);
	virtio_host_irq_set_deferred(false);
	finish(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(interrupts_reach_the_handler, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(wait_sleeps_until_the_device_answers, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(deferred_delivery, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
