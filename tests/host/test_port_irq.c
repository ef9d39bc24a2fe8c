/*
 * The host port's level-triggered interrupt controller (virtio_port_irq_*,
 * port.h) wired to the device model (dm_set_irq_line), end to end with the
 * runtime's interrupt layer: a used buffer or a config change runs the
 * handler at once on an enabled line, a disabled line stays asserted until
 * enabled, a detached one runs nothing, and virtio_irq_wait sleeps until
 * the device (played by a wait hook) completes a held request, or times
 * out. Then the controller itself: level, not edge (a status acknowledged
 * by polling delivers nothing); a line still asserted after its handler
 * runs again, never nested; spurious requests; a handler that never
 * acknowledges is an interrupt storm and aborts.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
	/* disabled: stays asserted, delivered when enabled again */
	virtio_port_irq_disable(LINE);
	add_kick(&f);
	assert_true(virtio_host_irq_asserted(LINE));
	assert_int_equal(virtio_host_irq_count(LINE), 2);
	assert_int_equal(f.seen.queue_cbs, 1);
	virtio_port_irq_enable(LINE);
	assert_int_equal(virtio_host_irq_count(LINE), 3);
	assert_int_equal(f.seen.queue_cbs, 2);
	take(&f);
	finish(&f);
	/* detached: nothing runs, the line stays up */
	dm_raise_interrupt(f.d, DM_INT_CONFIG);
	assert_int_equal(virtio_host_irq_count(LINE), 3);
	assert_true(virtio_host_irq_asserted(LINE));
	/* a destroyed device unplugs its line (ASan: no read of freed memory) */
	dm_destroy(vt.dev);
	vt.dev = NULL;
	assert_false(virtio_host_irq_asserted(LINE));
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

/* Level, not edge: a status the driver acknowledged by polling before
 * the handler could run leaves nothing to deliver, whether the line was
 * masked or the CPU was (deferred); raises while masked are one level and
 * one run; leaving deferred mode delivers what is asserted. */
static void level_not_edge(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f);
	virtio_port_irq_disable(LINE);
	add_kick(&f);
	assert_true(virtio_host_irq_asserted(LINE));
	assert_int_equal(virtio_interrupt_ack(&f.vdev), DM_INT_VRING);
	assert_false(virtio_host_irq_asserted(LINE));
	virtio_port_irq_enable(LINE);
	assert_int_equal(virtio_host_irq_count(LINE), 0);
	take(&f);
	virtio_host_irq_set_deferred(true);
	add_kick(&f);
	assert_true(virtio_host_irq_asserted(LINE));
	assert_int_equal(virtio_interrupt_ack(&f.vdev), DM_INT_VRING);
	assert_int_equal(virtio_host_irq_deliver(), 0);
	virtio_host_irq_set_deferred(false);
	assert_int_equal(virtio_host_irq_count(LINE), 0);
	assert_int_equal(f.seen.queue_cbs, 0);
	take(&f);
	/* two config changes while masked: one run sees both */
	virtio_port_irq_disable(LINE);
	dm_config_set(f.d, 0, "a", 1, true);
	dm_config_set(f.d, 0, "b", 1, true);
	virtio_port_irq_enable(LINE);
	assert_int_equal(virtio_host_irq_count(LINE), 1);
	assert_int_equal(f.seen.config_cbs, 1);
	/* CPU masked, then unmasked */
	virtio_host_irq_set_deferred(true);
	dm_config_set(f.d, 0, "c", 1, true);
	assert_int_equal(virtio_host_irq_count(LINE), 1);
	virtio_host_irq_set_deferred(false);
	assert_int_equal(virtio_host_irq_count(LINE), 2);
	assert_int_equal(f.seen.config_cbs, 2);
	assert_false(virtio_host_irq_asserted(LINE));
	finish(&f);
}

/* A handler on the port itself, without the runtime's layer. */
struct raw {
	struct virtio_device *vdev;
	struct dm_device *d;
	unsigned runs, depth, max_depth;
	unsigned ack_from; /* acknowledge from this run on (0: never) */
	unsigned raise_in; /* raise again, after acknowledging, in this run */
};

static void raw_handler(void *arg)
{
	struct raw *r = arg;

	r->runs++;
	if (++r->depth > r->max_depth)
		r->max_depth = r->depth;
	if (r->ack_from != 0 && r->runs >= r->ack_from)
		(void)virtio_interrupt_ack(r->vdev);
	if (r->runs == r->raise_in)
		dm_raise_interrupt(r->d, DM_INT_CONFIG);
	r->depth--;
}

static void raw_setup(struct raw *r, struct virtio_device *vdev)
{
	memset(r, 0, sizeof(*r));
	r->vdev = vdev;
	r->d = vt_device(2, 3, 1, 8);
	dm_set_irq_line(r->d, LINE);
	assert_int_equal(virtio_mmio_probe(vdev, VT_BASE), 0);
	assert_int_equal(virtio_port_irq_attach(LINE, raw_handler, r), 0);
	assert_false(virtio_host_irq_enabled(LINE)); /* attach leaves it off */
	virtio_port_irq_enable(LINE);
}

/* After each handler run (EOI) the line is sampled again: a handler that
 * leaves the status set runs again until it acknowledges; an interrupt
 * raised inside a handler runs after it, not nested in it. */
static void rerun_while_asserted_never_nested(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct raw r;

	raw_setup(&r, &vdev);
	r.ack_from = 3;
	dm_raise_interrupt(r.d, DM_INT_CONFIG);
	assert_int_equal(r.runs, 3);
	assert_int_equal(virtio_host_irq_count(LINE), 3);
	assert_false(virtio_host_irq_asserted(LINE));
	r.runs = 0;
	r.ack_from = 1;
	r.raise_in = 1;
	dm_raise_interrupt(r.d, DM_INT_VRING);
	assert_int_equal(r.runs, 2);
	assert_int_equal(r.max_depth, 1);
	assert_int_equal(virtio_host_irq_count(LINE), 5);
	virtio_port_irq_detach(LINE);
	vt_assert_no_violations(r.d);
}

static unsigned spurious_left;

static void inject_spurious(void *ctx)
{
	(void)ctx;
	if (spurious_left > 0) {
		spurious_left--;
		virtio_host_irq_spurious(LINE);
	}
}

/* A request with nothing pending runs the handler once: the runtime counts
 * it spurious and it is no event. It waits for enable like any request;
 * a waiter it wakes re-checks and sleeps on to its timeout. */
static void spurious_requests(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f);
	virtio_host_irq_spurious(LINE);
	assert_int_equal(virtio_host_irq_count(LINE), 1);
	assert_int_equal(f.irq.stats.interrupts, 1);
	assert_int_equal(f.irq.stats.spurious, 1);
	assert_int_equal(virtio_irq_events(&f.irq), 0);
	assert_int_equal(f.seen.queue_cbs + f.seen.config_cbs, 0);
	assert_int_equal(virtio_host_irq_deliver(), 0); /* consumed */
	virtio_port_irq_disable(LINE);
	virtio_host_irq_spurious(LINE);
	assert_int_equal(virtio_host_irq_count(LINE), 1);
	virtio_port_irq_enable(LINE);
	assert_int_equal(virtio_host_irq_count(LINE), 2);
	assert_int_equal(f.irq.stats.spurious, 2);

	uint32_t seen = virtio_irq_events(&f.irq);
	uint64_t w0 = virtio_host_irq_waits();
	uint64_t t0 = virtio_port_time_us();
	spurious_left = 2;
	virtio_host_irq_set_wait_hook(inject_spurious, NULL);
	assert_false(virtio_irq_wait(&f.irq, &seen, 10000000));
	assert_true(virtio_port_time_us() - t0 >= 10000000);
	assert_int_equal(virtio_host_irq_waits() - w0, 3);
	assert_int_equal(f.irq.stats.spurious, 4);
	virtio_host_irq_set_wait_hook(NULL, NULL);
	/* detach drops a request the line could not take yet */
	virtio_port_irq_disable(LINE);
	virtio_host_irq_spurious(LINE);
	finish(&f);
	struct raw r = { .vdev = &f.vdev, .d = f.d, .ack_from = 1 };
	assert_int_equal(virtio_port_irq_attach(LINE, raw_handler, &r), 0);
	virtio_port_irq_enable(LINE);
	assert_int_equal(r.runs, 0);
	assert_int_equal(virtio_host_irq_count(LINE), 4);
	assert_int_equal(f.irq.stats.interrupts, 4);
	virtio_port_irq_detach(LINE);
}

/* A handler that never acknowledges: the controller aborts with a
 * diagnosis instead of hanging. Run in a child; an alarm bounds a
 * controller that would loop forever. */
static void storm_aborts(void **state)
{
	(void)state;
	int fds[2];
	char out[512];
	size_t len = 0;
	ssize_t n;
	int st;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct virtio_device vdev;
		struct raw r;

		close(fds[0]);
		dup2(fds[1], 2);
		alarm(20);
		raw_setup(&r, &vdev); /* never acknowledges */
		dm_raise_interrupt(r.d, DM_INT_CONFIG);
		_exit(0);
	}
	close(fds[1]);
	while (len < sizeof(out) - 1 &&
	       (n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGABRT);
	assert_non_null(strstr(out, "interrupt storm on line 7"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(interrupts_reach_the_handler, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(wait_sleeps_until_the_device_answers, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(deferred_delivery, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(level_not_edge, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(rerun_while_asserted_never_nested, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(spurious_requests, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(storm_aborts, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
