/*
 * Transport probe (virtio_mmio_probe, spec 4.2.2 / 4.2.3.1.1): legacy and
 * modern devices are recognised, an empty slot, a bad magic value and an
 * unknown version are refused with their own errors, and probing changes
 * no device state.
 */
#include "harness.h"

static void probe_modern(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), VIRTIO_OK);
	assert_int_equal(vdev.device_id, 2);
	assert_int_equal(vdev.version, 2);
	assert_false(vdev.legacy);
	assert_int_equal(vdev.vendor_id, d->vendor_id);
	assert_ptr_equal(vdev.ops, &virtio_mmio_ops);
	assert_int_equal(vdev.base, VT_BASE);
	/* no state touched: no status write, no reset */
	assert_int_equal(d->status_writes, 0);
	assert_int_equal(d->resets, 0);
	vt_assert_no_violations(d);
}

static void probe_legacy(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(1, 4, 1, 8);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), VIRTIO_OK);
	assert_int_equal(vdev.device_id, 4);
	assert_int_equal(vdev.version, 1);
	assert_true(vdev.legacy);
	assert_int_equal(d->status_writes, 0);
	vt_assert_no_violations(d);
}

static void probe_empty_slot(void **state)
{
	(void)state;
	/* QEMU's empty slots: magic and version valid, device id 0 */
	struct dm_device *d = vt_device(1, 0, 0, 0);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), VIRTIO_ENODEV);
	d = vt_device(2, 0, 0, 0);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), VIRTIO_ENODEV);
	assert_int_equal(d->status_writes, 0);
	vt_assert_no_violations(d);
}

static void probe_bad_magic(void **state)
{
	(void)state;
	const uint32_t bad[] = { 0, 0xffffffffu, 0x76697274u /* byte-swapped */,
				 0x74726977u };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dm_device *d = vt_device(2, 2, 1, 8);
		d->magic = bad[i];
		struct virtio_device vdev;
		assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), VIRTIO_EMAGIC);
		/* a non-virtio device must not be written to at all */
		assert_int_equal(d->status_writes, 0);
	}
}

static void probe_bad_version(void **state)
{
	(void)state;
	const uint32_t bad[] = { 0, 3, 0xffffffffu, 0x100 };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct dm_device *d = vt_device(2, 2, 1, 8);
		d->version = bad[i];
		d->quiet = true;
		struct virtio_device vdev;
		assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE),
				 VIRTIO_EVERSION);
		assert_int_equal(d->status_writes, 0);
	}
}

static void probe_two_slots(void **state)
{
	(void)state;
	struct dm_device *a = vt_device(2, 2, 1, 8);
	struct dm_device *b = dm_create(VT_BASE2, 1, 16, 2, 8);
	struct virtio_device va, vb;
	assert_int_equal(virtio_mmio_probe(&va, VT_BASE), 0);
	assert_int_equal(virtio_mmio_probe(&vb, VT_BASE2), 0);
	assert_int_equal(va.device_id, 2);
	assert_int_equal(vb.device_id, 16);
	assert_true(vb.legacy);
	assert_false(va.legacy);
	vt_assert_no_violations(a);
	vt_assert_no_violations(b);
	dm_destroy(b);
}

static void strerror_names_every_error(void **state)
{
	(void)state;
	for (int e = 0; e >= VIRTIO_ERO; e--) {
		const char *s = virtio_strerror(e);
		assert_non_null(s);
		assert_true(s[0] != '\0');
	}
	assert_non_null(virtio_strerror(-1000));
	assert_non_null(virtio_strerror(5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(probe_modern, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(probe_legacy, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(probe_empty_slot, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(probe_bad_magic, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(probe_bad_version, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(probe_two_slots, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(strerror_names_every_error, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
