/*
 * The virtio-input driver (spec 5.8) against the input backend: every
 * configuration query, keyboard/mouse/tablet told apart, events in order
 * with buffers refilled, LEDs on the statusq, and a hostile device
 * (sizes beyond the union, short events, unstable config, no statusq, a
 * statusq that never answers, forged used ids).
 */
#include "harness.h"

#include <string.h>

#include <virtio/drivers/input.h>
#include <virtio/interrupt.h>

#include "backend_input.h"

struct fixture {
	struct dm_device *d;
	struct dm_input *m;
	struct virtio_device vdev;
	struct virtio_input in;
};

static void setup_q(struct fixture *f, uint32_t version, enum dm_input_kind kind,
		    unsigned queues)
{
	f->d = vt_device(version, 18, queues, 64);
	f->m = dm_input_attach(f->d, kind);
	f->d->strict_buffers = true;
	assert_int_equal(virtio_mmio_probe(&f->vdev, VT_BASE), 0);
}

static void setup(struct fixture *f, uint32_t version, enum dm_input_kind kind)
{
	setup_q(f, version, kind, 2);
	assert_int_equal(virtio_input_init(&f->in, &f->vdev), 0);
	assert_true(f->d->status & DM_S_DRIVER_OK);
}

static void finish(struct fixture *f)
{
	vt_assert_no_violations(f->d);
	virtio_input_destroy(&f->in);
	dm_input_free(f->m);
}

static void queries(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		char s[160];
		uint8_t bits[128];
		struct virtio_input_devids ids;
		struct virtio_input_absinfo abs;

		setup(&f, version, DM_INPUT_TABLET);
		assert_int_equal(virtio_input_name(&f.vdev, s, sizeof(s)), 18);
		assert_string_equal(s, "QEMU Virtio Tablet");
		assert_int_equal(virtio_input_serial(&f.vdev, s, sizeof(s)), 11);
		assert_string_equal(s, "0123-serial");
		assert_int_equal(virtio_input_devids(&f.vdev, &ids), 0);
		assert_int_equal(ids.bustype, 6);
		assert_int_equal(ids.vendor, 0x0627);
		assert_int_equal(ids.product, DM_INPUT_TABLET + 1);
		assert_int_equal(ids.version, 1);
		assert_int_equal(virtio_input_prop_bits(&f.vdev, bits), 1);
		assert_true(virtio_input_bit(bits, 1, 0));
		assert_false(virtio_input_bit(bits, 1, 8)); /* beyond the valid bytes */
		/* valid length, not the buffer's content, bounds a bitmap */
		uint8_t junk[128];
		memset(junk, 0xff, sizeof(junk));
		assert_true(virtio_input_bit(junk, 1, 7));
		assert_false(virtio_input_bit(junk, 1, 8));
		assert_false(virtio_input_bit(junk, 0, 0));
		assert_false(virtio_input_bit(junk, -5, 0));
		int n = virtio_input_ev_bits(&f.vdev, VIRTIO_INPUT_EV_KEY, bits);
		assert_int_equal(n, 0x114 / 8 + 1);
		assert_true(virtio_input_bit(bits, n, VIRTIO_INPUT_BTN_LEFT));
		assert_false(virtio_input_bit(bits, n, 30));
		assert_int_equal(virtio_input_ev_bits(&f.vdev, VIRTIO_INPUT_EV_REL, bits), 0);
		assert_int_equal(virtio_input_abs_info(&f.vdev, VIRTIO_INPUT_ABS_Y, &abs), 0);
		assert_int_equal(abs.min, 0);
		assert_int_equal(abs.max, 0x7fff);
		assert_int_equal(abs.res, 2);
		/* an axis the device does not have: size 0 */
		assert_int_equal(virtio_input_abs_info(&f.vdev, 5, &abs), VIRTIO_EUNSUPP);
		/* the driver wrote select and subsel and nothing else */
		assert_int_equal(f.d->config[0], VIRTIO_INPUT_CFG_ABS_INFO);
		assert_int_equal(f.d->config[1], 5);
		assert_int_equal(f.in.ev_types, (1u << 1) | (1u << 3));
		finish(&f);
	}
}

static void kinds(void **state)
{
	(void)state;
	const enum dm_input_kind k[] = {DM_INPUT_KEYBOARD, DM_INPUT_MOUSE, DM_INPUT_TABLET};
	const enum virtio_input_kind want[] = {VIRTIO_INPUT_KIND_KEYBOARD,
		VIRTIO_INPUT_KIND_MOUSE, VIRTIO_INPUT_KIND_TABLET};
	for (unsigned i = 0; i < 3; i++) {
		struct fixture f;

		setup(&f, 2, k[i]);
		assert_int_equal(f.in.kind, want[i]);
		finish(&f);
	}
	/* names do not decide: a "keyboard" name with tablet bits is a tablet */
	struct fixture f;
	setup_q(&f, 2, DM_INPUT_TABLET, 2);
	memcpy(f.m->name, "Keyboard", 8);
	f.m->name_len = 8;
	assert_int_equal(virtio_input_init(&f.in, &f.vdev), 0);
	assert_int_equal(f.in.kind, VIRTIO_INPUT_KIND_TABLET);
	finish(&f);
	/* no event bits at all: other */
	setup_q(&f, 2, DM_INPUT_KEYBOARD, 2);
	memset(f.m->ev_len, 0, sizeof(f.m->ev_len));
	assert_int_equal(virtio_input_init(&f.in, &f.vdev), 0);
	assert_int_equal(f.in.kind, VIRTIO_INPUT_KIND_OTHER);
	assert_string_equal(virtio_input_kind_name(f.in.kind), "other");
	finish(&f);
}

static void events_in_order_with_refill(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		struct virtio_input_ev ev;

		setup(&f, version, DM_INPUT_KEYBOARD);
		assert_int_equal(dm_input_posted(f.m), 64);
		assert_int_equal(virtio_input_get_event(&f.in, &ev), 0);
		/* many times the queue size: only works if buffers come back */
		for (unsigned i = 0; i < 1000; i++) {
			assert_int_equal(dm_input_send(f.m, 1, (uint16_t)(i % 200 + 1), i & 1), 0);
			assert_int_equal(dm_input_send(f.m, 0, 0, 0), 0);
			assert_int_equal(virtio_input_get_event(&f.in, &ev), 1);
			assert_int_equal(ev.type, 1);
			assert_int_equal(ev.code, i % 200 + 1);
			assert_int_equal(ev.value, i & 1);
			assert_int_equal(virtio_input_get_event(&f.in, &ev), 1);
			assert_int_equal(ev.type, 0);
			assert_int_equal(dm_input_posted(f.m), 64);
		}
		/* a burst filling every buffer, then read in order */
		for (unsigned i = 0; i < 64; i++)
			assert_int_equal(dm_input_send(f.m, 3, 0, 0x10000 + i), 0);
		assert_int_equal(dm_input_send(f.m, 3, 0, 1), -1); /* no buffer left */
		for (unsigned i = 0; i < 64; i++) {
			assert_int_equal(virtio_input_get_event(&f.in, &ev), 1);
			assert_int_equal(ev.value, 0x10000 + i);
		}
		assert_int_equal(virtio_input_get_event(&f.in, &ev), 0);
		assert_int_equal(dm_input_posted(f.m), 64);
		assert_int_equal(f.in.events_taken, 2064);
		finish(&f);
	}
}

static void count_wake(void *ctx)
{
	(*(unsigned *)ctx)++;
}

static void no_sleep(void *ctx, uint64_t timeout_us)
{
	(void)ctx;
	(void)timeout_us;
}

/* use_irq: a new event runs the handler, which wakes the device's own
 * sleeper (virtio_irq_set_sleeper); the event is then taken as usual. */
static void events_wake_the_irq(void **state)
{
	(void)state;
	struct fixture f;
	struct virtio_irq irq, other;
	struct virtio_device elsewhere = { 0 };
	struct virtio_input_ev ev;
	unsigned wakes = 0;

	setup(&f, 2, DM_INPUT_KEYBOARD);
	dm_set_irq_line(f.d, 5);
	virtio_irq_init(&other, &elsewhere);
	assert_int_equal(virtio_input_use_irq(&f.in, &other), VIRTIO_EINVAL);
	assert_int_equal(virtio_input_use_irq(&f.in, NULL), VIRTIO_EINVAL);
	virtio_irq_init(&irq, &f.vdev);
	assert_int_equal(virtio_input_use_irq(&f.in, &irq), 0);
	virtio_irq_set_sleeper(&irq, no_sleep, count_wake, &wakes);
	assert_int_equal(virtio_irq_attach(&irq, 5), 0);
	assert_int_equal(dm_input_send(f.m, 1, 30, 1), 0);
	assert_int_equal(wakes, 1);
	assert_int_equal(irq.stats.queue_cbs, 1);
	assert_int_equal(virtio_input_get_event(&f.in, &ev), 1);
	assert_int_equal(ev.code, 30);
	virtio_irq_detach(&irq);
	finish(&f);
}

static void leds(void **state)
{
	(void)state;
	struct fixture f;

	setup(&f, 2, DM_INPUT_KEYBOARD);
	assert_int_equal(virtio_input_set_led(&f.in, VIRTIO_INPUT_LED_CAPSL, true), 0);
	assert_int_equal(virtio_input_set_led(&f.in, VIRTIO_INPUT_LED_NUML, false), 0);
	/* the device answers with the bytes it read, as QEMU does: the
	 * queue must survive that */
	assert_int_equal(f.m->n_status, 2);
	assert_int_equal(virtqueue_broken(&f.in.statusq), 0);
	assert_int_equal(f.m->status[0].type, VIRTIO_INPUT_EV_LED);
	assert_int_equal(f.m->status[0].code, VIRTIO_INPUT_LED_CAPSL);
	assert_int_equal(f.m->status[0].value, 1);
	assert_int_equal(f.m->status[1].type, VIRTIO_INPUT_EV_LED);
	assert_int_equal(f.m->status[1].code, VIRTIO_INPUT_LED_NUML);
	assert_int_equal(f.m->status[1].value, 0);
	assert_int_equal(f.m->status_bad, 0);
	/* an LED the device does not have */
	assert_int_equal(virtio_input_set_led(&f.in, 7, true), VIRTIO_EUNSUPP);
	/* many more than the status buffers: they are reclaimed */
	for (unsigned i = 0; i < 40; i++)
		assert_int_equal(virtio_input_set_led(&f.in, VIRTIO_INPUT_LED_SCROLLL, i & 1), 0);
	assert_int_equal(f.m->n_status, 42);
	assert_int_equal(f.m->status[41].value, 1);
	finish(&f);
	/* a mouse has no LEDs */
	setup(&f, 1, DM_INPUT_MOUSE);
	assert_int_equal(virtio_input_set_led(&f.in, VIRTIO_INPUT_LED_CAPSL, true), VIRTIO_EUNSUPP);
	assert_int_equal(f.m->n_status, 0);
	finish(&f);
}

/* Queues of two entries without indirect descriptors: events keep
 * flowing, an LED (event + sink: two descriptors) still fits. */
static void small_queues(void **state)
{
	(void)state;
	struct fixture f;
	struct virtio_input_ev ev;

	f.d = vt_device(2, 18, 2, 2);
	f.m = dm_input_attach(f.d, DM_INPUT_KEYBOARD);
	f.d->device_features &= ~DM_BIT(DM_F_INDIRECT_DESC);
	f.d->strict_buffers = true;
	assert_int_equal(virtio_mmio_probe(&f.vdev, VT_BASE), 0);
	assert_int_equal(virtio_input_init(&f.in, &f.vdev), 0);
	assert_int_equal(f.in.n_events, 2);
	assert_int_equal(dm_input_posted(f.m), 2);
	for (unsigned i = 0; i < 50; i++) {
		assert_int_equal(dm_input_send(f.m, 1, (uint16_t)(i + 1), 1), 0);
		assert_int_equal(virtio_input_get_event(&f.in, &ev), 1);
		assert_int_equal(ev.code, i + 1);
	}
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(virtio_input_set_led(&f.in, VIRTIO_INPUT_LED_NUML, i & 1), 0);
	assert_int_equal(f.m->n_status, 5);
	finish(&f);
}

static void no_statusq(void **state)
{
	(void)state;
	struct fixture f;
	struct virtio_input_ev ev;

	setup_q(&f, 2, DM_INPUT_KEYBOARD, 1);
	assert_int_equal(virtio_input_init(&f.in, &f.vdev), 0);
	assert_false(f.in.has_statusq);
	assert_int_equal(virtio_input_set_led(&f.in, VIRTIO_INPUT_LED_CAPSL, true), VIRTIO_EUNSUPP);
	assert_int_equal(dm_input_send(f.m, 1, 30, 1), 0);
	assert_int_equal(virtio_input_get_event(&f.in, &ev), 1);
	finish(&f);
}

static void statusq_never_answers(void **state)
{
	(void)state;
	struct fixture f;

	setup(&f, 2, DM_INPUT_KEYBOARD);
	f.d->q[1].defer = true;
	virtio_host_time_set_autostep(1000);
	assert_int_equal(virtio_input_set_led(&f.in, VIRTIO_INPUT_LED_CAPSL, true),
			 VIRTIO_ETIMEDOUT);
	/* the device answers later: the buffers come back, LEDs work again */
	f.d->q[1].defer = false;
	while (dm_queue_held(f.d, 1))
		dm_queue_complete(f.d, 1, 0);
	assert_int_equal(virtio_input_set_led(&f.in, VIRTIO_INPUT_LED_CAPSL, false), 0);
	assert_int_equal(f.m->n_status, 2);
	finish(&f);
}

static void hostile_sizes(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		char s[300];
		uint8_t bits[128];
		struct virtio_input_absinfo abs;
		struct virtio_input_devids ids;

		setup(&f, version, DM_INPUT_KEYBOARD);
		/* a name longer than the union, size 255: at most 128 bytes,
		 * nothing read past the config space (the model would flag it) */
		memset(f.m->name, 'N', sizeof(f.m->name));
		f.m->name_len = sizeof(f.m->name);
		f.m->size_override = 255;
		assert_int_equal(virtio_input_name(&f.vdev, s, sizeof(s)), 128);
		assert_int_equal(strlen(s), 128);
		assert_int_equal(virtio_input_query(&f.vdev, VIRTIO_INPUT_CFG_EV_BITS, 1, bits), 128);
		/* a small caller buffer truncates */
		assert_int_equal(virtio_input_name(&f.vdev, s, 5), 4);
		assert_string_equal(s, "NNNN");
		assert_int_equal(virtio_input_name(&f.vdev, s, 0), VIRTIO_EINVAL);
		/* a NUL inside the string ends it */
		f.m->size_override = -1;
		memcpy(f.m->name, "ab\0cd", 5);
		f.m->name_len = 5;
		assert_int_equal(virtio_input_name(&f.vdev, s, sizeof(s)), 2);
		assert_string_equal(s, "ab");
		/* structures shorter than they must be are "not supported" */
		f.m->size_override = 19;
		f.m->abs_valid[0] = true;
		assert_int_equal(virtio_input_abs_info(&f.vdev, 0, &abs), VIRTIO_EUNSUPP);
		f.m->size_override = 7;
		assert_int_equal(virtio_input_devids(&f.vdev, &ids), VIRTIO_EUNSUPP);
		/* size 0: every bit reads clear even if u holds junk */
		f.m->size_override = 0;
		assert_int_equal(virtio_input_ev_bits(&f.vdev, 1, bits), 0);
		for (unsigned i = 0; i < 128; i++)
			assert_int_equal(bits[i], 0);
		assert_false(virtio_input_bit(bits, 0, 30));
		f.m->size_override = -1;
		finish(&f);
	}
}

static void unstable_config(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t bits[128];

	setup_q(&f, 2, DM_INPUT_KEYBOARD, 2);
	f.d->generation_always_changes = true;
	f.d->quiet = true;
	assert_int_equal(virtio_input_init(&f.in, &f.vdev), VIRTIO_ECONFIGUNSTABLE);
	assert_true(f.d->status_log[f.d->status_writes - 1] & DM_S_FAILED ||
		    f.d->status == 0);
	assert_int_equal(virtio_input_query(&f.vdev, 1, 0, bits), VIRTIO_ECONFIGUNSTABLE);
	/* a generation that settles after a few changes is fine */
	f.d->generation_always_changes = false;
	f.d->generation_changes = 3;
	assert_int_equal(virtio_input_query(&f.vdev, 1, 0, bits), 20);
	dm_input_free(f.m);
}

static void short_and_forged_events(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		struct virtio_input_ev ev;

		setup(&f, version, DM_INPUT_KEYBOARD);
		/* used len 4 and 0: dropped, counted, buffers re-posted */
		assert_int_equal(dm_input_send_len(f.m, 1, 30, 1, 4), 0);
		assert_int_equal(dm_input_send_len(f.m, 1, 31, 1, 0), 0);
		assert_int_equal(dm_input_send(f.m, 1, 32, 1), 0);
		assert_int_equal(virtio_input_get_event(&f.in, &ev), 1);
		assert_int_equal(ev.code, 32);
		assert_int_equal(f.in.short_events, 2);
		assert_int_equal(dm_input_posted(f.m), 64);
		/* used len beyond the buffer: the queue refuses it, no event */
		assert_int_equal(dm_input_send_len(f.m, 1, 33, 1, 9), 0);
		assert_int_equal(virtio_input_get_event(&f.in, &ev), VIRTIO_EUSEDLEN);
		assert_int_equal(virtio_input_get_event(&f.in, &ev), VIRTIO_EBROKEN);
		finish(&f);

		/* a used id that was never posted */
		setup(&f, version, DM_INPUT_KEYBOARD);
		dm_queue_push_used(f.d, 0, 64 + 5, 8);
		assert_int_equal(virtio_input_get_event(&f.in, &ev), VIRTIO_EUSEDID);
		f.d->quiet = true;
		finish(&f);
	}
}

static void init_errors(void **state)
{
	(void)state;
	struct fixture f;

	/* not an input device */
	f.d = vt_device(2, 2, 2, 64);
	assert_int_equal(virtio_mmio_probe(&f.vdev, VT_BASE), 0);
	assert_int_equal(virtio_input_init(&f.in, &f.vdev), VIRTIO_EINVAL);
	/* out of DMA memory: clean failure, FAILED, nothing leaked
	 * (vt_teardown checks the DMA count) */
	setup_q(&f, 2, DM_INPUT_KEYBOARD, 2);
	virtio_host_dma_fail_next(1);
	assert_int_equal(virtio_input_init(&f.in, &f.vdev), VIRTIO_ENOMEM);
	assert_true(f.d->status_log[f.d->status_writes - 1] & DM_S_FAILED ||
		    f.d->status == 0);
	virtio_host_dma_fail_next(0);
	dm_input_free(f.m);
	/* no eventq */
	setup_q(&f, 2, DM_INPUT_KEYBOARD, 0);
	f.d->quiet = true;
	assert_int_equal(virtio_input_init(&f.in, &f.vdev), VIRTIO_ENOQUEUE);
	dm_input_free(f.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(queries, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(kinds, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(events_in_order_with_refill, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(events_wake_the_irq, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(leds, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(small_queues, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(no_statusq, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(statusq_never_answers, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(hostile_sizes, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(unstable_config, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(short_and_forged_events, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(init_errors, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
