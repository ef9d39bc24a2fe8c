/*
 * Notification suppression (spec 2.7.7, 2.7.10): with VIRTIO_F_EVENT_IDX
 * the driver kicks only when avail->idx crosses the device's avail_event
 * and the device interrupts only when used->idx crosses used_event;
 * without it, VRING_USED_F_NO_NOTIFY and VRING_AVAIL_F_NO_INTERRUPT.
 * Kicks and interrupts are counted by the device model.
 */
#include "harness.h"

#define B(n) (1ull << (n))

struct fixture {
	struct virtio_device vdev;
	struct virtqueue vq;
	uint8_t *out, *in;
	int tok[16];
};

static uint32_t version = 2;

static struct dm_device *setup(struct fixture *f, bool event_idx)
{
	struct dm_device *d = vt_device(version, 3, 1, 16);
	dm_echo_attach(d);
	d->device_features |= B(VIRTIO_F_EVENT_IDX);
	vt_bring_up(&f->vdev, &f->vq, event_idx ? B(VIRTIO_F_EVENT_IDX) : 0, 0);
	assert_int_equal(virtio_has_feature(&f->vdev, VIRTIO_F_EVENT_IDX),
			 event_idx);
	f->out = vt_dma(16);
	f->in = vt_dma(16);
	return d;
}

static void teardown(struct fixture *f)
{
	vt_tear_down_queue(&f->vdev, &f->vq);
	vt_dma_free(f->out, 16);
	vt_dma_free(f->in, 16);
}

static void add1(struct fixture *f, int i)
{
	struct virtio_buf v[2] = { { f->out, 1 }, { f->in, 16 } };
	assert_int_equal(virtqueue_add(&f->vq, v, 1, 1, &f->tok[i]), 0);
}

static unsigned drain(struct fixture *f)
{
	void *t;
	uint32_t len;
	unsigned n = 0;
	int r;
	while ((r = virtqueue_get(&f->vq, &t, &len)) == 1)
		n++;
	assert_int_equal(r, 0);
	return n;
}

static void event_idx_kick_suppression(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, true);
	/* the device wants every kick (avail_event = last seen) */
	add1(&f, 0);
	virtqueue_kick(&f.vq);
	assert_int_equal(d->q[0].notifies, 1);
	assert_int_equal(drain(&f), 1);
	/* now the device asks to be kicked only once avail idx passes 1+4 */
	uint16_t cur = dm_queue_avail_idx(d, 0);
	assert_int_equal(cur, 1);
	/* packed: the request names a ring position (+ wrap bit) rather
	 * than an avail idx: chain cur+4 starts at 2 * (cur+4), lap 1 */
	dm_queue_set_avail_event(d, 0, vt_packed ? (uint16_t)(0x8000 | 2 * (cur + 4))
						 : (uint16_t)(cur + 4));
	for (int i = 0; i < 5; i++) { /* avail idx 2, 3, 4, 5: no kick */
		add1(&f, i);
		if (i < 4) {
			virtqueue_kick(&f.vq);
			assert_int_equal(d->q[0].notifies, 1);
		}
	}
	/* idx 6 crosses avail_event 5: exactly one kick */
	virtqueue_kick(&f.vq);
	assert_int_equal(d->q[0].notifies, 2);
	assert_int_equal(drain(&f), 5);
	/* kick_prepare without new buffers never asks to notify */
	assert_false(virtqueue_kick_prepare(&f.vq));
	/* several buffers published in one kick_prepare: one notification */
	d->q[0].freeze_avail_event = false;
	dm_queue_process(d, 0); /* device catches up, sets avail_event */
	for (int i = 0; i < 3; i++)
		add1(&f, i);
	virtqueue_kick(&f.vq);
	assert_int_equal(d->q[0].notifies, 3);
	assert_int_equal(drain(&f), 3);
	vt_assert_no_violations(d);
	teardown(&f);
}

static void used_flags_ignored_with_event_idx(void **state)
{
	(void)state;
	/* with EVENT_IDX only avail_event counts (2.7.10): a stray
	 * NO_NOTIFY flag must not swallow a kick the device asked for */
	struct fixture f;
	struct dm_device *d = setup(&f, true);
	d->q[0].set_no_notify = true;
	add1(&f, 0);
	virtqueue_kick(&f.vq);
	assert_int_equal(d->q[0].notifies, 1);
	assert_int_equal(drain(&f), 1);
	add1(&f, 1); /* used->flags = NO_NOTIFY now, avail_event = 1 */
	virtqueue_kick(&f.vq);
	if (vt_packed) {
		/* packed has no such flag: its DISABLE is honoured with
		 * EVENT_IDX too (2.8.10) */
		assert_int_equal(d->q[0].notifies, 1);
		dm_queue_process(d, 0);
	} else {
		assert_int_equal(d->q[0].notifies, 2);
	}
	assert_int_equal(drain(&f), 1);
	vt_assert_no_violations(d);
	teardown(&f);
}

static void no_notify_flag_without_event_idx(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, false);
	d->q[0].set_no_notify = true;
	add1(&f, 0);
	virtqueue_kick(&f.vq); /* used->flags still 0: kicks */
	assert_int_equal(d->q[0].notifies, 1);
	assert_int_equal(drain(&f), 1);
	/* now NO_NOTIFY is set in the used ring */
	for (int i = 0; i < 3; i++) {
		add1(&f, i);
		virtqueue_kick(&f.vq);
	}
	assert_int_equal(d->q[0].notifies, 1);
	d->q[0].set_no_notify = false;
	/* split: used->flags; packed: the device event structure's flags */
	*(volatile uint16_t *)virtio_port_phys_to_virt(d->q[0].used_addr +
						       (vt_packed ? 2 : 0)) = 0;
	add1(&f, 3);
	virtqueue_kick(&f.vq);
	assert_int_equal(d->q[0].notifies, 2);
	assert_int_equal(drain(&f), 4);
	vt_assert_no_violations(d);
	teardown(&f);
}

static void interrupts_follow_callbacks(bool event_idx)
{
	struct fixture f;
	struct dm_device *d = setup(&f, event_idx);
	d->q[0].defer = true;
	/* enabled: one interrupt per completion that the driver has caught up with */
	add1(&f, 0);
	virtqueue_kick(&f.vq);
	dm_queue_complete(d, 0, 0);
	assert_int_equal(d->q[0].interrupts, 1);
	assert_true(virtio_interrupt_ack(&f.vdev) & VIRTIO_MMIO_INT_VRING);
	assert_int_equal(d->interrupt_status, 0);
	assert_int_equal(drain(&f), 1);

	/* disabled: no interrupts for a batch of completions */
	virtqueue_disable_cb(&f.vq);
	for (int i = 0; i < 6; i++)
		add1(&f, i);
	virtqueue_kick(&f.vq);
	for (int i = 0; i < 6; i++)
		dm_queue_complete(d, 0, 0);
	assert_int_equal(d->q[0].interrupts, 1);
	if (virtqueue_is_packed(&f.vq)) /* driver event flags: DISABLE (1) */
		assert_int_equal(dm_queue_avail_flags(d, 0), 1);
	else if (!event_idx)
		assert_true(dm_queue_avail_flags(d, 0) & DM_AVAIL_F_NO_INTERRUPT);
	else /* flags must stay 0 under EVENT_IDX (2.7.7) */
		assert_int_equal(dm_queue_avail_flags(d, 0), 0);
	/* enabling with completions pending reports them */
	assert_false(virtqueue_enable_cb(&f.vq));
	assert_int_equal(drain(&f), 6);
	assert_true(virtqueue_enable_cb(&f.vq));
	/* enabled again: the next completion interrupts */
	add1(&f, 0);
	virtqueue_kick(&f.vq);
	dm_queue_complete(d, 0, 0);
	assert_int_equal(d->q[0].interrupts, 2);
	assert_int_equal(drain(&f), 1);
	vt_assert_no_violations(d);
	teardown(&f);
}

static void interrupts_event_idx(void **state)
{
	(void)state;
	interrupts_follow_callbacks(true);
}

static void interrupts_no_event_idx(void **state)
{
	(void)state;
	interrupts_follow_callbacks(false);
}

static void legacy_interrupts(void **state)
{
	(void)state;
	version = 1;
	interrupts_follow_callbacks(true);
	assert_int_equal(vt_teardown(NULL), 0);
	vt_setup(NULL);
	interrupts_follow_callbacks(false);
	version = 2;
}

static void event_idx_one_interrupt_until_driver_catches_up(void **state)
{
	(void)state;
	struct fixture f;
	struct dm_device *d = setup(&f, true);
	d->q[0].defer = true;
	for (int i = 0; i < 4; i++)
		add1(&f, i);
	virtqueue_kick(&f.vq);
	/* the driver has not taken anything: used_event = 0, so only the
	 * first completion crosses it */
	for (int i = 0; i < 4; i++)
		dm_queue_complete(d, 0, 0);
	assert_int_equal(d->q[0].interrupts, 1);
	/* taking them moves used_event along */
	assert_int_equal(drain(&f), 4);
	/* packed: off_wrap, 4 chains of 2 descriptors on, lap 1 */
	assert_int_equal(dm_queue_used_event(d, 0), vt_packed ? 0x8000 | 8 : 4);
	vt_assert_no_violations(d);
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(event_idx_kick_suppression, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(no_notify_flag_without_event_idx, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_flags_ignored_with_event_idx, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(interrupts_event_idx, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(interrupts_no_event_idx, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(legacy_interrupts, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(event_idx_one_interrupt_until_driver_catches_up, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
