/*
 * The virtio-rng driver (spec 5.4) against the entropy backend of
 * backend_rng.c: the bytes the device wrote reach the caller in order,
 * short and zero-length completions, a zero-length read, a device that
 * lies about the length or never answers, init failures.
 */
#include "harness.h"

#include <string.h>

#include <virtio/drivers/rng.h>

#include "backend_rng.h"

struct fixture {
	struct dm_device *d;
	struct dm_rng *g;
	struct virtio_device vdev;
	struct virtio_rng rng;
};

static void setup(struct fixture *f, uint32_t version, uint64_t extra)
{
	f->d = vt_device(version, 4, 1, 8);
	f->g = dm_rng_ext_attach(f->d, 0x1234567u);
	f->d->device_features |= extra;
	f->d->strict_buffers = true;
	assert_int_equal(virtio_mmio_probe(&f->vdev, VT_BASE), 0);
	assert_int_equal(virtio_rng_init(&f->rng, &f->vdev), 0);
	assert_true(f->d->status & DM_S_DRIVER_OK);
}

static void finish(struct fixture *f)
{
	vt_assert_no_violations(f->d);
	assert_int_equal(f->g->readable_bufs, 0); /* 5.4.6.1 */
	virtio_rng_destroy(&f->rng);
	assert_false(f->d->q[0].live);
	dm_rng_ext_free(f->g);
}

static bool all_same(const uint8_t *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (p[i] != p[0])
			return false;
	return true;
}

/* Every byte handed out by the device reaches the caller, in order,
 * in legacy and modern mode, with and without EVENT_IDX. */
static void bytes_in_order(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		for (int ev = 0; ev <= 1; ev++) {
			struct fixture f;
			uint8_t buf[1000];

			setup(&f, version, ev ? DM_BIT(DM_F_EVENT_IDX) : 0);
			memset(buf, 0, sizeof(buf));
			assert_int_equal(virtio_rng_read(&f.rng, buf, sizeof(buf)), 0);
			assert_int_equal(f.g->logged, sizeof(buf));
			assert_memory_equal(buf, f.g->log, sizeof(buf));
			assert_false(all_same(buf, sizeof(buf)));
			/* 64-byte requests: 16 of them */
			assert_int_equal(f.g->requests,
					 (sizeof(buf) + VIRTIO_RNG_CHUNK - 1) / VIRTIO_RNG_CHUNK);
			assert_int_equal(f.rng.short_reads, 0);
			finish(&f);
		}
	}
}

/* The buffer is filled exactly: nothing written before or after it. */
static void exact_length(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t area[300];

	setup(&f, 2, 0);
	memset(area, 0xcc, sizeof(area));
	assert_int_equal(virtio_rng_read(&f.rng, area + 100, 70), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(area[i], 0xcc);
	for (int i = 170; i < 300; i++)
		assert_int_equal(area[i], 0xcc);
	assert_memory_equal(area + 100, f.g->log, 70);
	/* the device saw 64 + 6 bytes asked for */
	assert_int_equal(f.g->requests, 2);
	finish(&f);
}

/* Fewer bytes than asked for: the driver asks again and keeps the order. */
static void short_completions(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t buf[100];

	setup(&f, 2, 0);
	f.g->max_bytes = 7;
	assert_int_equal(virtio_rng_read(&f.rng, buf, sizeof(buf)), 0);
	assert_int_equal(f.g->requests, 15); /* 14 * 7 + 2 */
	assert_int_equal(f.rng.short_reads, 14);
	assert_memory_equal(buf, f.g->log, sizeof(buf));
	/* one byte per request */
	f.g->max_bytes = 1;
	f.g->logged = 0;
	assert_int_equal(virtio_rng_read(&f.rng, buf, 10), 0);
	assert_memory_equal(buf, f.g->log, 10);
	finish(&f);
}

/* Completions with no byte: tolerated, but not forever. */
static void zero_length_completions(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t buf[32];

	setup(&f, 2, 0);
	f.g->empty_next = 3;
	assert_int_equal(virtio_rng_read(&f.rng, buf, sizeof(buf)), 0);
	assert_int_equal(f.rng.empty_reads, 3);
	assert_memory_equal(buf, f.g->log, sizeof(buf));
	/* a device that only ever answers empty: EIO, bounded */
	f.g->empty_next = 1000;
	uint64_t before = f.g->requests;
	assert_int_equal(virtio_rng_read(&f.rng, buf, sizeof(buf)), VIRTIO_EIO);
	assert_int_equal(f.g->requests - before, VIRTIO_RNG_MAX_EMPTY);
	/* not a broken device: it works again once it has bytes */
	f.g->empty_next = 0;
	f.g->logged = 0;
	assert_int_equal(virtio_rng_read(&f.rng, buf, 16), 0);
	assert_memory_equal(buf, f.g->log, 16);
	finish(&f);
}

/* Reading nothing sends nothing. */
static void zero_length_read(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t b = 0x5a;

	setup(&f, 1, 0);
	assert_int_equal(virtio_rng_read(&f.rng, &b, 0), 0);
	assert_int_equal(virtio_rng_read(&f.rng, NULL, 0), 0);
	assert_int_equal(virtio_rng_read(&f.rng, NULL, 4), VIRTIO_EINVAL);
	assert_int_equal(f.g->requests, 0);
	assert_int_equal(b, 0x5a);
	finish(&f);
}

/* A used length above the buffer: the queue error, the device stopped. */
static void length_too_big(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t buf[16];

	setup(&f, 2, 0);
	dm_queue_hostile(f.d, 0, DM_HOSTILE_LEN_TOO_BIG, 0);
	assert_int_equal(virtio_rng_read(&f.rng, buf, sizeof(buf)), VIRTIO_EUSEDLEN);
	assert_false(f.d->q[0].live);
	assert_true(f.d->status & DM_S_FAILED);
	assert_int_equal(virtio_rng_read(&f.rng, buf, sizeof(buf)), VIRTIO_EBROKEN);
	finish(&f);
}

static void never_answers(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t buf[8];

	setup(&f, 2, 0);
	f.d->q[0].defer = true;
	virtio_host_time_set_autostep(10000);
	assert_int_equal(virtio_rng_read(&f.rng, buf, sizeof(buf)), VIRTIO_ETIMEDOUT);
	virtio_host_time_set_autostep(0);
	assert_false(f.d->q[0].live);
	assert_true(f.d->status & DM_S_FAILED);
	assert_int_equal(virtio_rng_read(&f.rng, buf, sizeof(buf)), VIRTIO_EBROKEN);
	finish(&f);
}

/* A device that writes the same byte every time: the driver passes it
 * on (judging entropy is not its job); the QEMU test checks real bytes. */
static void constant_device_passed_through(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t buf[40];

	setup(&f, 2, 0);
	f.g->constant_mode = true;
	f.g->constant = 0x42;
	assert_int_equal(virtio_rng_read(&f.rng, buf, sizeof(buf)), 0);
	assert_true(all_same(buf, sizeof(buf)) && buf[0] == 0x42);
	finish(&f);
}

static void init_errors(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct virtio_rng rng;
	struct dm_device *d = vt_device(2, 2, 1, 8); /* blk, not rng */

	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_rng_init(&rng, &vdev), VIRTIO_EINVAL);
	assert_int_equal(d->status_writes, 0);
	/* no queue 0 */
	d = vt_device(2, 4, 0, 8);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_rng_init(&rng, &vdev), VIRTIO_ENOQUEUE);
	assert_true(d->status & DM_S_FAILED);
	/* DRIVER_OK refused: FAILED, no live queue, nothing leaked */
	d = vt_device(2, 4, 1, 8);
	struct dm_rng *g = dm_rng_ext_attach(d, 7);
	d->refuse_driver_ok = true;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_rng_init(&rng, &vdev), VIRTIO_EFAILED);
	assert_false(d->q[0].live);
	assert_true(d->status & DM_S_FAILED);
	assert_int_equal(virtio_rng_read(&rng, g->log, 4), VIRTIO_EBROKEN);
	/* out of DMA memory */
	d = vt_device(2, 4, 1, 8);
	dm_rng_ext_free(g);
	g = dm_rng_ext_attach(d, 7);
	virtio_host_dma_fail_next(1);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_rng_init(&rng, &vdev), VIRTIO_ENOMEM);
	assert_true(d->status & DM_S_FAILED);
	dm_rng_ext_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bytes_in_order, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(exact_length, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(short_completions, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(zero_length_completions, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(zero_length_read, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(length_too_big, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(never_answers, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(constant_device_passed_through, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(init_errors, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
