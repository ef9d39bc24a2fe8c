/*
 * Feature negotiation and status (spec 2.1, 2.2, 3.1.1, 6): accepted =
 * offered & wanted & implemented; transport features the runtime does not
 * implement are never accepted; legacy devices get 32 bits and no
 * VERSION_1; a modern device without VERSION_1 or refusing FEATURES_OK is
 * failed (FAILED set); NEEDS_RESET is reported.
 */
#include "harness.h"

#define B(n) (1ull << (n))

static void status_sequence_modern(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0);
	/* reset, then ACK, DRIVER, FEATURES_OK, DRIVER_OK, each adding bits */
	assert_true(d->status_writes >= 5);
	assert_int_equal(d->status_log[0], 0);
	assert_int_equal(d->status_log[1], DM_S_ACKNOWLEDGE);
	assert_int_equal(d->status_log[2], DM_S_ACKNOWLEDGE | DM_S_DRIVER);
	assert_int_equal(d->status_log[3],
			 DM_S_ACKNOWLEDGE | DM_S_DRIVER | DM_S_FEATURES_OK);
	assert_int_equal(d->status_log[d->status_writes - 1],
			 DM_S_ACKNOWLEDGE | DM_S_DRIVER | DM_S_FEATURES_OK |
				 DM_S_DRIVER_OK);
	/* queue set up between FEATURES_OK and DRIVER_OK (the model flags
	 * queue use before FEATURES_OK otherwise through violations) */
	assert_true(d->q[0].live);
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
}

static void intersection(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	d->device_features = B(0) | B(1) | B(5) | B(9) | B(23) |
			     B(VIRTIO_F_INDIRECT_DESC) | B(VIRTIO_F_VERSION_1);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	uint64_t wanted = B(1) | B(2) | B(9) | B(VIRTIO_F_EVENT_IDX) |
			  B(VIRTIO_F_INDIRECT_DESC);
	assert_int_equal(virtio_negotiate(&vdev, wanted), 0);
	uint64_t expect = B(1) | B(9) | B(VIRTIO_F_INDIRECT_DESC) |
			  B(VIRTIO_F_VERSION_1);
	assert_int_equal(vdev.features, expect);
	assert_int_equal(vdev.offered, d->device_features);
	/* what the device saw is what the driver says it accepted */
	assert_int_equal(d->driver_features, expect);
	assert_true(d->status & DM_S_FEATURES_OK);
	assert_true(virtio_has_feature(&vdev, 9));
	assert_false(virtio_has_feature(&vdev, 5));
	assert_false(virtio_has_feature(&vdev, 64));
	vt_assert_no_violations(d);
}

static void unimplemented_features_never_accepted(void **state)
{
	(void)state;
	/* the device offers every bit, the driver wants every bit */
	for (uint32_t version = 1; version <= 2; version++) {
		struct dm_device *d = vt_device(version, 2, 1, 8);
		d->device_features = ~0ull;
		struct virtio_device vdev;
		assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
		assert_int_equal(virtio_negotiate(&vdev, ~0ull), 0);
		uint64_t transport = vdev.features & (B(50) - B(24));
		/* transport and reserved bits 24..49: only what is implemented */
		assert_int_equal(transport & ~VIRTIO_RUNTIME_FEATURES, 0);
		/* (VIRTIO_F_RING_PACKED is implemented now: allowed when in
		 * VIRTIO_RUNTIME_FEATURES, which the check above enforces) */
		const unsigned never[] = {
			VIRTIO_F_IN_ORDER,
			VIRTIO_F_NOTIFICATION_DATA, VIRTIO_F_NOTIF_CONFIG_DATA,
			VIRTIO_F_RING_RESET, VIRTIO_F_SR_IOV,
			VIRTIO_F_ACCESS_PLATFORM, VIRTIO_F_ORDER_PLATFORM,
			41, 42, 45, 49,
		};
		for (unsigned i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
			if (vdev.features & B(never[i]))
				fail_msg("feature bit %u accepted", never[i]);
			if (d->driver_features & B(never[i]))
				fail_msg("feature bit %u written to the device",
					 never[i]);
		}
		assert_int_equal(d->driver_features, vdev.features);
		vt_assert_no_violations(d);
	}
}

static void legacy_has_no_version_1(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(1, 2, 1, 8);
	/* the model returns only the low 32 bits on a legacy device */
	d->device_features = B(VIRTIO_F_VERSION_1) | B(VIRTIO_F_EVENT_IDX) | B(6);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, ~0ull), 0);
	assert_false(virtio_has_feature(&vdev, VIRTIO_F_VERSION_1));
	assert_int_equal(vdev.features >> 32, 0);
	assert_int_equal(vdev.features, B(VIRTIO_F_EVENT_IDX) | B(6));
	assert_int_equal(d->driver_features, vdev.features);
	/* no FEATURES_OK on legacy (the model flags it as a violation) */
	for (unsigned i = 0; i < d->status_writes && i < 32; i++)
		assert_false(d->status_log[i] & DM_S_FEATURES_OK);
	vt_assert_no_violations(d);
}

static void modern_without_version_1_fails(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	d->device_features = B(VIRTIO_F_INDIRECT_DESC); /* no VERSION_1 */
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, ~0ull), VIRTIO_ENOVERSION1);
	assert_true(d->status & DM_S_FAILED);
	assert_false(d->status & DM_S_FEATURES_OK);
	assert_false(d->status & DM_S_DRIVER_OK);
}

static void device_refusing_features_ok_sets_failed(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	d->refuse_features_ok = true;
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, ~0ull), VIRTIO_EFEATURES);
	assert_true(d->status & DM_S_FAILED);
	assert_false(d->status & DM_S_DRIVER_OK);
	assert_int_equal(vdev.features, 0); /* nothing counts as accepted */
	/* and the driver does not go on to DRIVER_OK by itself */
	for (unsigned i = 0; i < d->status_writes && i < 32; i++)
		assert_false(d->status_log[i] & DM_S_DRIVER_OK);
}

static void needs_reset_reported(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0);
	assert_int_equal(virtio_check_status(&vdev), VIRTIO_OK);
	dm_set_needs_reset(d);
	assert_int_equal(virtio_check_status(&vdev), VIRTIO_ENEEDSRESET);
	/* the config-change interrupt is seen and acknowledged */
	assert_true(virtio_interrupt_ack(&vdev) & VIRTIO_MMIO_INT_CONFIG);
	assert_int_equal(d->interrupt_status, 0);
	/* driver_ok on a device needing reset fails and sets FAILED */
	assert_int_equal(virtio_driver_ok(&vdev), VIRTIO_ENEEDSRESET);
	assert_true(d->status & DM_S_FAILED);
	/* our status writes never echo the device's NEEDS_RESET bit */
	for (unsigned i = 0; i < d->status_writes && i < 32; i++)
		assert_false(d->status_log[i] & DM_S_NEEDS_RESET);
	/* recovery: reset, renegotiate, reprogram */
	assert_int_equal(virtio_negotiate(&vdev, 0), 0);
	while (virtqueue_detach_unused(&vq))
		;
	assert_int_equal(virtqueue_reset(&vq), 0);
	assert_int_equal(virtio_driver_ok(&vdev), 0);
	assert_int_equal(virtio_check_status(&vdev), VIRTIO_OK);
	vt_tear_down_queue(&vdev, &vq);
}

static void needs_reset_during_negotiation(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	/* a device that flags NEEDS_RESET as soon as features are accepted */
	d->device_features |= B(3);
	assert_int_equal(virtio_negotiate(&vdev, B(3)), 0);
	dm_set_needs_reset(d);
	assert_int_equal(virtio_driver_ok(&vdev), VIRTIO_ENEEDSRESET);
	assert_true(d->status & DM_S_FAILED);
}

static void fail_sets_failed(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, 0), 0);
	virtio_fail(&vdev);
	assert_true(d->status & DM_S_FAILED);
	assert_int_equal(virtio_check_status(&vdev), VIRTIO_EFAILED);
}

static void device_dropping_driver_ok(void **state)
{
	(void)state;
	/* a device that does not take DRIVER_OK (reset itself behind us) */
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, 0), 0);
	d->refuse_driver_ok = true;
	assert_int_equal(virtio_driver_ok(&vdev), VIRTIO_EFAILED);
	assert_true(d->status & DM_S_FAILED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(status_sequence_modern, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(intersection, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(unimplemented_features_never_accepted, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(legacy_has_no_version_1, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(modern_without_version_1_fails, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(device_refusing_features_ok_sets_failed, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(needs_reset_reported, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(needs_reset_during_negotiation, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(fail_sets_failed, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(device_dropping_driver_ok, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
