/*
 * Device configuration access (spec 2.5, 4.2.2.2, 4.2.4): modern devices
 * little-endian with field-wide aligned accesses, legacy devices byte by
 * byte in guest order, 64-bit reads made consistent with the generation
 * counter (modern) or by re-reading (legacy), and bounded retries when the
 * device never settles.
 */
#include "harness.h"

#include <string.h>

static const uint8_t pattern[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
				     0xcd, 0xef, 0x10, 0x32, 0x54, 0x76,
				     0x98, 0xba, 0xdc, 0xfe };

static void modern_reads_little_endian(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	dm_config_set(d, 0, pattern, sizeof(pattern), false);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_config_read8(&vdev, 5), 0xab);
	assert_int_equal(virtio_config_read16(&vdev, 2), 0x6745);
	assert_int_equal(virtio_config_read32(&vdev, 4), 0xefcdab89u);
	assert_int_equal(virtio_config_read64(&vdev, 8), 0xfedcba9876543210ull);
	/* modern accesses are field-wide (16-bit field: one 16-bit access) */
	assert_true(d->config_wide_reads > 0);
	vt_assert_no_violations(d); /* every access aligned */
}

static void legacy_reads_bytewise_guest_order(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(1, 2, 1, 8);
	dm_config_set(d, 0, pattern, sizeof(pattern), false);
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	/* guest-native order of a little-endian host */
	uint16_t h;
	uint32_t w;
	uint64_t q;
	memcpy(&h, pattern + 2, 2);
	memcpy(&w, pattern + 4, 4);
	memcpy(&q, pattern + 8, 8);
	assert_int_equal(virtio_config_read8(&vdev, 5), 0xab);
	assert_int_equal(virtio_config_read16(&vdev, 2), h);
	assert_int_equal(virtio_config_read32(&vdev, 4), w);
	assert_int_equal(virtio_config_read64(&vdev, 8), q);
	assert_int_equal(d->config_wide_reads, 0); /* only byte accesses */
	assert_true(d->config_byte_reads >= 1 + 2 + 4 + 8);
	assert_int_equal(virtio_config_generation(&vdev), 0);
	assert_int_equal(d->generation_reads, 0); /* no such register */
	vt_assert_no_violations(d);
}

static void writes_both_layouts(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct dm_device *d = vt_device(version, 2, 1, 8);
		uint8_t zero[16] = { 0 };
		dm_config_set(d, 0, zero, sizeof(zero), false);
		struct virtio_device vdev;
		assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
		virtio_config_write8(&vdev, 1, 0x5a);
		virtio_config_write16(&vdev, 2, 0x1234);
		virtio_config_write32(&vdev, 4, 0xdeadbeefu);
		const uint8_t want[8] = { 0, 0x5a, 0x34, 0x12,
					  0xef, 0xbe, 0xad, 0xde };
		assert_memory_equal(d->config, want, 8);
		vt_assert_no_violations(d);
	}
}

/* Changes the 64-bit field at 0 from A to B while the driver is between
 * its two halves (once), as a device updating capacity would. */
struct tear {
	uint64_t to;
	unsigned reads_of_hi;
	bool done;
};

static void tear_hook(struct dm_device *dev, uint32_t off, unsigned size,
		      void *ctx)
{
	struct tear *t = ctx;
	/* the high half (offset 4..7) is about to be read */
	if (!t->done && off >= 4 && off < 8 && off + size <= 8) {
		if (++t->reads_of_hi == 1) {
			dm_config_set_le64(dev, 0, t->to); /* bumps generation */
			t->done = true;
		}
	}
}

static void read64_retries_on_generation_change(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	dm_config_set_le64(d, 0, 0x00000001ffffffffull);
	struct tear t = { .to = 0x0000000200000000ull };
	d->on_config_read = tear_hook;
	d->on_config_read_ctx = &t;
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	/* torn would be 0x00000002ffffffff */
	assert_int_equal(virtio_config_read64(&vdev, 0), 0x0000000200000000ull);
	assert_true(t.done);
	vt_assert_no_violations(d);
}

static void legacy_read64_rereads_until_stable(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(1, 2, 1, 8);
	dm_config_set_le64(d, 0, 0x00000001ffffffffull);
	struct tear t = { .to = 0x0000000200000000ull };
	d->on_config_read = tear_hook;
	d->on_config_read_ctx = &t;
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_config_read64(&vdev, 0), 0x0000000200000000ull);
	vt_assert_no_violations(d);
}

static void generation_settles_after_a_few_changes(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	uint8_t zero[72] = { 0 };
	dm_config_set(d, 0, zero, sizeof(zero), false);
	dm_config_set_le64(d, 0, 0x1122334455667788ull);
	d->generation_changes = 3; /* next 3 generation reads all differ */
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_config_read64(&vdev, 0), 0x1122334455667788ull);
	/* it had to retry: two reads per attempt, at least 3 changes seen */
	assert_true(d->generation_reads >= 4);
	d->generation_changes = 3;
	struct virtio_blk_config cfg;
	assert_int_equal(virtio_blk_config_read(&vdev, &cfg), 0);
	assert_int_equal(cfg.capacity, 0x1122334455667788ull);
	vt_assert_no_violations(d);
}

static void generation_never_settles_is_bounded(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	uint8_t zero[72] = { 0 };
	dm_config_set(d, 0, zero, sizeof(zero), false);
	dm_config_set_le64(d, 0, 42);
	d->generation_always_changes = true;
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	/* returns (the value read), after a bounded number of attempts */
	assert_int_equal(virtio_config_read64(&vdev, 0), 42);
	assert_true(d->generation_reads <= 2 * VIRTIO_CONFIG_RETRIES + 2);
	uint64_t before = d->generation_reads;
	/* the generated snapshot reports failure */
	struct virtio_blk_config cfg;
	assert_int_equal(virtio_blk_config_read(&vdev, &cfg), -1);
	assert_true(d->generation_reads - before <=
		    (uint64_t)VIRTIO_CONFIG_READ_TRIES * (2 + 2 * VIRTIO_CONFIG_RETRIES));
	vt_assert_no_violations(d);
}

static void churn_hook(struct dm_device *dev, uint32_t off, unsigned size,
		       void *ctx)
{
	(void)off;
	(void)size;
	unsigned *n = ctx;
	++*n;
	/* a different value on every access, generation unchanged
	 * (a legacy device has none) */
	for (unsigned i = 0; i < 8; i++)
		dev->config[i] = (uint8_t)(*n + i);
}

static void legacy_never_stable_is_bounded(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(1, 2, 1, 8);
	dm_config_set_le64(d, 0, 1);
	unsigned n = 0;
	d->on_config_read = churn_hook;
	d->on_config_read_ctx = &n;
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	(void)virtio_config_read64(&vdev, 0); /* returns */
	assert_true(n <= 8 * (VIRTIO_CONFIG_RETRIES + 1));
	vt_assert_no_violations(d);
}

static void generated_accessors_read_blk_fields(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct dm_device *d = vt_device(version, 2, 1, 8);
		struct dm_blk *b = dm_blk_attach(d, 12345);
		uint8_t geo[4] = { 0x34, 0x12, 16, 63 }; /* cyl 0x1234, heads, sectors */
		dm_config_set(d, 16, geo, 4, false);
		struct virtio_device vdev;
		assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
		assert_int_equal(virtio_blk_config_capacity(&vdev), 12345);
		assert_int_equal(virtio_blk_config_seg_max(&vdev), 126);
		assert_int_equal(virtio_blk_config_blk_size(&vdev), 512);
		assert_int_equal(virtio_blk_config_geometry_cylinders(&vdev), 0x1234);
		assert_int_equal(virtio_blk_config_geometry_heads(&vdev), 16);
		assert_int_equal(virtio_blk_config_geometry_sectors(&vdev), 63);
		struct virtio_blk_config cfg;
		assert_int_equal(virtio_blk_config_read(&vdev, &cfg), 0);
		assert_int_equal(cfg.capacity, 12345);
		assert_int_equal(cfg.geometry.cylinders, 0x1234);
		assert_int_equal(cfg.blk_size, 512);
		vt_assert_no_violations(d);
		dm_blk_free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(modern_reads_little_endian, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(legacy_reads_bytewise_guest_order, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(writes_both_layouts, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(read64_retries_on_generation_change, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(legacy_read64_rereads_until_stable, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(generation_settles_after_a_few_changes, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(generation_never_settles_is_bounded, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(legacy_never_stable_is_bounded, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(generated_accessors_read_blk_fields, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
