/*
 * Builds that leave things out (virtio.h): one virtio-mmio interface
 * (VIRTIO_ACCEPT_LEGACY / VIRTIO_ACCEPT_MODERN; the Kconfig choice "auto /
 * modern only / legacy only"), packed rings, indirect descriptors. This
 * file is compiled four times, with the runtime rebuilt each time under
 * the same definitions (ctest host.accept, host.accept_legacy_only,
 * host.accept_modern_only, host.accept_minimal: modern only, no packed,
 * no indirect, -Os as tests/bench/size.sh measures it): the probe refuses
 * a left-out version with VIRTIO_EVERSION without touching the device, a
 * left-out ring feature is never accepted, and what is kept works end to
 * end (negotiation, config, rings, hardening, blk I/O). host.accept_polling
 * (VIRTIO_INTERRUPTS 0, host port built without virtio_port_irq_*) links
 * only because nothing needs the interrupt functions, and blk and rng
 * work polled.
 */
#include "harness.h"

#include <virtio/drivers/rng.h>
#include <virtio/interrupt.h>

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

/* VIRTIO_PACKED_RING / VIRTIO_INDIRECT_DESC: a feature left out is never
 * accepted, whatever is offered and wanted, and the ring works without it
 * (host.accept_minimal: the smallest build, every check still on). */
static void ring_switches_follow_the_build(void **state)
{
	(void)state;
	uint64_t all = B(VIRTIO_F_EVENT_IDX) | B(VIRTIO_F_INDIRECT_DESC) |
		       B(VIRTIO_F_RING_PACKED);
	struct dm_device *d = vt_device(VIRTIO_ACCEPT_MODERN ? 2 : 1, 3, 1, 8);
	d->device_features |= all;
	dm_echo_attach(d);
	d->strict_buffers = true;
	d->q[0].defer = true;
	struct virtio_device vdev;
	struct virtqueue vq;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, all), 0);
	assert_int_equal(virtqueue_setup(&vdev, &vq, 0, 0), 0);
	assert_int_equal(virtio_driver_ok(&vdev), 0);
	bool modern = !vdev.legacy;
	assert_int_equal(virtio_has_feature(&vdev, VIRTIO_F_INDIRECT_DESC),
			 VIRTIO_INDIRECT_DESC);
	assert_int_equal(virtio_has_feature(&vdev, VIRTIO_F_RING_PACKED),
			 VIRTIO_PACKED_RING && modern);
	assert_int_equal(virtqueue_is_packed(&vq), VIRTIO_PACKED_RING && modern);
	/* a chain of 4: one ring descriptor with indirect tables, else 4 */
	uint8_t *buf = vt_dma(64);
	struct virtio_buf v[4] = { { buf, 8 }, { buf + 8, 8 }, { buf + 16, 8 },
				   { buf + 32, 32 } };
	static int tok;
	assert_int_equal(virtqueue_add(&vq, v, 3, 1, &tok), 0);
	assert_int_equal(virtqueue_num_free(&vq), VIRTIO_INDIRECT_DESC ? 7 : 4);
	virtqueue_kick(&vq);
	assert_int_equal(d->q[0].indirect_seen, VIRTIO_INDIRECT_DESC ? 1 : 0);
	dm_queue_complete(d, 0, 0);
	void *t;
	uint32_t len;
	assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
	assert_ptr_equal(t, &tok);
	assert_int_equal(len, 24);
	/* and the hardening: a used id out of range breaks the queue */
	assert_int_equal(virtqueue_add(&vq, v, 0, 1, &tok), 0);
	virtqueue_kick(&vq);
	dm_queue_push_used(d, 0, 0x1234, 0);
	assert_int_equal(virtqueue_get(&vq, &t, &len), VIRTIO_EUSEDID);
	assert_int_equal(virtqueue_add(&vq, v, 0, 1, &tok), VIRTIO_EBROKEN);
	assert_int_equal(virtio_reset(&vdev), 0);
	while (virtqueue_detach_unused(&vq))
		;
	vt_tear_down_queue(&vdev, &vq);
	vt_dma_free(buf, 64);
}

/* VIRTIO_INTERRUPTS: with it, use_irq hands the queue to the handler;
 * without it, use_irq says so and the drivers poll. */
static void interrupts_follow_the_build(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(VIRTIO_ACCEPT_MODERN ? 2 : 1, 2, 1, 32);
	struct dm_blk *disk = dm_blk_attach(d, 16);
	struct virtio_device vdev;
	struct virtio_blk blk;
	struct virtio_irq irq;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
	virtio_irq_init(&irq, &vdev);
#if VIRTIO_INTERRUPTS
	assert_int_equal(virtio_blk_use_irq(&blk, &irq), 0);
	assert_ptr_equal(blk.irq, &irq);
#else
	assert_int_equal(virtio_blk_use_irq(&blk, &irq), VIRTIO_EUNSUPP);
	assert_null(blk.irq);
#endif
	uint8_t *buf = vt_dma(1024);
	memset(buf, 0x5a, 1024);
	assert_int_equal(virtio_blk_write(&blk, 2, buf, 2), 0);
	memset(buf, 0, 1024);
	assert_int_equal(virtio_blk_read(&blk, 2, buf, 2), 0);
	assert_int_equal(buf[1023], 0x5a);
	assert_int_equal(disk->data[2 * 512], 0x5a);
	vt_assert_no_violations(d);
	virtio_blk_destroy(&blk);
	vt_dma_free(buf, 1024);
	dm_blk_free(disk);

	d = vt_device(VIRTIO_ACCEPT_MODERN ? 2 : 1, 4, 1, 8);
	dm_rng_attach(d, 7);
	struct virtio_rng rng;
	uint8_t random[100] = { 0 };
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_rng_init(&rng, &vdev), 0);
#if !VIRTIO_INTERRUPTS
	assert_int_equal(virtio_rng_use_irq(&rng, &irq), VIRTIO_EUNSUPP);
#endif
	assert_int_equal(virtio_rng_read(&rng, random, sizeof(random)), 0);
	vt_assert_no_violations(d);
	virtio_rng_destroy(&rng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(probe_follows_the_build, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(kept_interface_works, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(ring_switches_follow_the_build, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(interrupts_follow_the_build, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
