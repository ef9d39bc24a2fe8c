/*
 * Device reset (spec 2.4, 4.2.3.1): writing 0 to Status, waiting until it
 * reads 0, bounded by VIRTIO_RESET_TIMEOUT_US on a device that never
 * finishes. The clock is advanced by the host port, so the timeout is
 * reached without real waiting.
 */
#include "harness.h"

static void reset_plain(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	d->status = DM_S_ACKNOWLEDGE | DM_S_DRIVER;
	assert_int_equal(virtio_reset(&vdev), VIRTIO_OK);
	assert_int_equal(d->resets, 1);
	assert_int_equal(d->status, 0);
	assert_int_equal(vdev.status, 0);
	vt_assert_no_violations(d);
}

static void reset_waits_for_slow_device(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	d->status = DM_S_ACKNOWLEDGE;
	d->reset_delay_reads = 50; /* Status keeps reading non-zero 50 times */
	assert_int_equal(virtio_reset(&vdev), VIRTIO_OK);
	/* the runtime kept reading until 0 */
	assert_int_equal(d->stale_reads_left, 0);
	assert_int_equal(virtio_get_status(&vdev), 0);
}

static void reset_timeout(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	d->status = DM_S_ACKNOWLEDGE | DM_S_DRIVER;
	d->reset_never_completes = true;
	virtio_host_time_set_autostep(1000); /* 1 ms per clock read */
	uint64_t calls0 = virtio_host_time_calls();
	assert_int_equal(virtio_reset(&vdev), VIRTIO_ETIMEDOUT);
	uint64_t calls = virtio_host_time_calls() - calls0;
	/* waited at least the documented timeout, and not forever */
	assert_true(calls * 1000 >= VIRTIO_RESET_TIMEOUT_US);
	assert_true(calls * 1000 <= 4 * (uint64_t)VIRTIO_RESET_TIMEOUT_US + 10000);
}

static void negotiate_fails_when_reset_never_completes(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	d->status = DM_S_ACKNOWLEDGE;
	d->reset_never_completes = true;
	virtio_host_time_set_autostep(10000);
	assert_int_equal(virtio_negotiate(&vdev, ~0ull), VIRTIO_ETIMEDOUT);
	/* never went on to accept features */
	assert_int_equal(d->driver_features, 0);
	assert_int_equal(vdev.features, 0);
	/* gave up visibly */
	assert_true(d->status & DM_S_FAILED);
	assert_false(d->status & DM_S_DRIVER_OK);
}

static void legacy_reset(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(1, 2, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	d->status = DM_S_ACKNOWLEDGE;
	assert_int_equal(virtio_reset(&vdev), VIRTIO_OK);
	assert_int_equal(d->resets, 1);
	vt_assert_no_violations(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reset_plain, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(reset_waits_for_slow_device, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(reset_timeout, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(negotiate_fails_when_reset_never_completes, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(legacy_reset, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
