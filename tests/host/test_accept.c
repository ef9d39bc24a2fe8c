/*
 * Builds that leave out one virtio-mmio interface (VIRTIO_ACCEPT_LEGACY /
 * VIRTIO_ACCEPT_MODERN, virtio.h; the Kconfig choice "auto / modern only /
 * legacy only"). This file is compiled three times, with the runtime
 * rebuilt each time under the same definitions (ctest host.accept,
 * host.accept_legacy_only, host.accept_modern_only): the probe refuses the
 * left-out version with VIRTIO_EVERSION without touching the device, and
 * the kept one works end to end (negotiation, config, rings, blk I/O).
 */
#include "harness.h"

#include <string.h>

#define B(n) (1ull << (n))

static bool accepted(uint32_t version)
{
	return version == 1 ? VIRTIO_ACCEPT_LEGACY : VIRTIO_ACCEPT_MODERN;
}

static void probe_follows_the_build(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct dm_device *d = vt_device(version, 2, 1, 8);
		struct virtio_device vdev;
		int r = virtio_mmio_probe(&vdev, VT_BASE);
		if (accepted(version)) {
			assert_int_equal(r, 0);
			assert_int_equal(vdev.legacy, version == 1);
		} else {
			assert_int_equal(r, VIRTIO_EVERSION);
		}
		assert_int_equal(d->status_writes, 0);
		vt_assert_no_violations(d);
	}
}

static void kept_interface_works(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		if (!accepted(version))
			continue;
		/* negotiation and a config field */
		struct dm_device *d = vt_device(version, 3, 1, 8);
		d->device_features |= B(VIRTIO_F_EVENT_IDX) | B(VIRTIO_F_INDIRECT_DESC);
		dm_echo_attach(d);
		dm_config_set_le32(d, 0, 0x11223344);
		struct virtio_device vdev;
		struct virtqueue vq;
		vt_bring_up(&vdev, &vq, B(VIRTIO_F_EVENT_IDX) | B(VIRTIO_F_INDIRECT_DESC), 0);
		assert_int_equal(virtio_has_feature(&vdev, VIRTIO_F_VERSION_1), version == 2);
		assert_int_equal(virtio_config_read32(&vdev, 0), 0x11223344);
		/* ring round trips, direct and indirect */
		uint8_t *out = vt_dma(32), *in = vt_dma(32);
		static int tok;
		for (int i = 0; i < 300; i++) {
			struct virtio_buf v[3] = { { out, 8 }, { out + 8, 4 }, { in, 32 } };
			memset(out, i, 12);
			unsigned n_out = (i & 1) ? 2 : 1;
			struct virtio_buf *vv = (i & 1) ? v : v + 1;
			assert_int_equal(virtqueue_add(&vq, vv, n_out, 1, &tok), 0);
			virtqueue_kick(&vq);
			void *t;
			uint32_t len;
			assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
			assert_int_equal(len, (i & 1) ? 12 : 4);
			assert_int_equal(in[0], (uint8_t)i);
		}
		vt_assert_no_violations(d);
		vt_tear_down_queue(&vdev, &vq);
		vt_dma_free(out, 32);
		vt_dma_free(in, 32);

		/* blk */
		d = vt_device(version, 2, 1, 32);
		struct dm_blk *disk = dm_blk_attach(d, 64);
		d->strict_buffers = true;
		struct virtio_blk blk;
		assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
		assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
		uint8_t *buf = vt_dma(4096);
		for (int i = 0; i < 4096; i++)
			buf[i] = (uint8_t)(i * 13 + version);
		assert_int_equal(virtio_blk_write(&blk, 3, buf, 8), 0);
		assert_int_equal(disk->data[3 * 512 + 1], (uint8_t)(13 + version));
		memset(buf, 0, 4096);
		assert_int_equal(virtio_blk_read(&blk, 3, buf, 8), 0);
		assert_int_equal(buf[4095], (uint8_t)(4095 * 13 + version));
		vt_assert_no_violations(d);
		virtio_blk_destroy(&blk);
		vt_dma_free(buf, 4096);
		dm_blk_free(disk);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(probe_follows_the_build, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(kept_interface_works, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
