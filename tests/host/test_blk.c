/*
 * The minimal virtio-blk driver (spec 5.2) against the RAM-disk backend:
 * write/read round trips (legacy and modern, with and without indirect
 * descriptors), range and read-only checks, device status errors, a
 * device that never answers (timeout, device stopped), and a device that
 * does not write the status byte.
 */
#include "harness.h"

#include <string.h>

#define B(n) (1ull << (n))

struct fixture {
	struct dm_device *d;
	struct dm_blk *disk;
	struct virtio_device vdev;
	struct virtio_blk blk;
	uint8_t *buf;
	size_t buf_size;
};

static void setup(struct fixture *f, uint32_t version, uint64_t sectors,
		  bool indirect)
{
	f->d = vt_device(version, 2, 1, 128);
	f->disk = dm_blk_attach(f->d, sectors);
	if (!indirect)
		f->d->device_features &= ~B(VIRTIO_F_INDIRECT_DESC);
	f->d->strict_buffers = true;
	assert_int_equal(virtio_mmio_probe(&f->vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&f->blk, &f->vdev), 0);
	assert_int_equal(f->blk.capacity, sectors);
	assert_true(f->d->status & DM_S_DRIVER_OK);
	f->buf_size = 64 * 512;
	f->buf = vt_dma(f->buf_size);
}

static void finish(struct fixture *f)
{
	vt_assert_no_violations(f->d);
	virtio_blk_destroy(&f->blk);
	vt_dma_free(f->buf, f->buf_size);
	dm_blk_free(f->disk);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 9));
}

static void round_trip(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		for (int indirect = 0; indirect <= 1; indirect++) {
			struct fixture f;
			setup(&f, version, 1024, indirect);
			uint8_t *ref = vt_dma(f.buf_size);
			for (unsigned round = 0; round < 20; round++) {
				uint32_t count = 1 + round % 64;
				uint64_t sector = (round * 37) % (1024 - count);
				fill(f.buf, count * 512, round);
				memcpy(ref, f.buf, count * 512);
				assert_int_equal(virtio_blk_write(&f.blk, sector, f.buf, count), 0);
				/* the disk holds exactly that */
				assert_memory_equal(f.disk->data + sector * 512, ref, count * 512);
				memset(f.buf, 0, f.buf_size);
				assert_int_equal(virtio_blk_read(&f.blk, sector, f.buf, count), 0);
				assert_memory_equal(f.buf, ref, count * 512);
			}
			/* last sector of the disk */
			fill(f.buf, 512, 99);
			assert_int_equal(virtio_blk_write(&f.blk, 1023, f.buf, 1), 0);
			memset(f.buf, 0, 512);
			assert_int_equal(virtio_blk_read(&f.blk, 1023, f.buf, 1), 0);
			assert_int_equal(f.buf[5], (uint8_t)(99 * 131 + 35));
			assert_int_equal(f.disk->writes, 21);
			assert_int_equal(f.disk->reads, 21);
			assert_true(indirect ? f.d->q[0].indirect_seen > 0
					     : f.d->q[0].indirect_seen == 0);
			vt_dma_free(ref, f.buf_size);
			finish(&f);
		}
	}
}

static void range_checks(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 2, 100, true);
	uint64_t before = f.disk->reads + f.disk->writes;
	assert_int_equal(virtio_blk_read(&f.blk, 100, f.buf, 1), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_read(&f.blk, 99, f.buf, 2), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_write(&f.blk, 0, f.buf, 101), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 0), VIRTIO_EINVAL);
	assert_int_equal(f.disk->reads + f.disk->writes, before);
	assert_int_equal(virtio_blk_read(&f.blk, 99, f.buf, 1), 0);
	finish(&f);
}

static void status_errors(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 2, 64, true);
	f.disk->fail_next_status = 1; /* IOERR */
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 1), VIRTIO_EIO);
	f.disk->fail_next_status = 2; /* UNSUPP */
	assert_int_equal(virtio_blk_write(&f.blk, 0, f.buf, 1), VIRTIO_EUNSUPP);
	f.disk->fail_next_status = 77; /* not a defined status */
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 1), VIRTIO_EIO);
	/* the driver keeps working after request errors */
	fill(f.buf, 512, 3);
	assert_int_equal(virtio_blk_write(&f.blk, 5, f.buf, 1), 0);
	assert_int_equal(virtio_blk_read(&f.blk, 5, f.buf, 1), 0);
	/* device-side read-only (without the RO feature): IOERR */
	f.disk->read_only = true;
	assert_int_equal(virtio_blk_write(&f.blk, 5, f.buf, 1), VIRTIO_EIO);
	finish(&f);
}

static void read_only_feature(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 16);
	struct dm_blk *disk = dm_blk_attach(d, 8);
	d->device_features |= B(VIRTIO_BLK_F_RO);
	disk->read_only = true;
	struct virtio_device vdev;
	struct virtio_blk blk;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
	assert_true(blk.read_only);
	uint8_t *buf = vt_dma(512);
	assert_int_equal(virtio_blk_write(&blk, 0, buf, 1), VIRTIO_ERO);
	assert_int_equal(disk->writes, 0); /* refused before the device */
	assert_int_equal(virtio_blk_read(&blk, 0, buf, 1), 0);
	vt_assert_no_violations(d);
	virtio_blk_destroy(&blk);
	vt_dma_free(buf, 512);
	dm_blk_free(disk);
}

static void wrong_device_and_blk_size(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 4, 1, 16); /* rng, not blk */
	struct virtio_device vdev;
	struct virtio_blk blk;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&blk, &vdev), VIRTIO_EINVAL);
	assert_int_equal(d->status_writes, 0);
	/* a 4 KiB preferred block size is accepted and reported */
	d = vt_device(2, 2, 1, 16);
	struct dm_blk *disk = dm_blk_attach(d, 64);
	dm_config_set_le32(d, 20, 4096);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
	assert_int_equal(blk.blk_size, 4096);
	virtio_blk_destroy(&blk);
	dm_blk_free(disk);
	/* without BLK_SIZE offered, the field is not used */
	d = vt_device(2, 2, 1, 16);
	disk = dm_blk_attach(d, 64);
	d->device_features &= ~B(VIRTIO_BLK_F_BLK_SIZE);
	dm_config_set_le32(d, 20, 3);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
	assert_int_equal(blk.blk_size, 512);
	virtio_blk_destroy(&blk);
	dm_blk_free(disk);
}

static void device_never_answers(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 2, 64, true);
	f.d->q[0].defer = true; /* hold every request forever */
	virtio_host_time_set_autostep(10000);
	uint64_t resets = f.d->resets;
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 1), VIRTIO_ETIMEDOUT);
	virtio_host_time_set_autostep(0);
	/* the device was stopped so it can never write into buf later */
	assert_true(f.d->resets > resets);
	assert_false(f.d->q[0].live);
	assert_true(f.d->status & DM_S_FAILED);
	/* and the driver refuses further work instead of crashing */
	assert_true(virtio_blk_read(&f.blk, 0, f.buf, 1) < 0);
	finish(&f);
}

/* Completes with the full writable length but writes nothing. */
static uint32_t silent_backend(struct dm_device *dev, unsigned q,
			       struct dm_req *r, void *ctx)
{
	(void)dev;
	(void)q;
	(void)ctx;
	return r->writable;
}

/* Writes status OK and reports only the status byte as written. */
static uint32_t short_backend(struct dm_device *dev, unsigned q,
			      struct dm_req *r, void *ctx)
{
	(void)dev;
	(void)q;
	(void)ctx;
	const struct dm_seg *last = &r->seg[r->nseg - 1];
	last->ptr[last->len - 1] = 0;
	return 1;
}

static void device_skips_status_byte(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 2, 64, true);
	f.d->backend = silent_backend;
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 1), VIRTIO_EIO);
	assert_int_equal(virtio_blk_write(&f.blk, 0, f.buf, 1), VIRTIO_EIO);
	finish(&f);
}

static void modern_short_read_length(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 2, 64, true);
	f.d->backend = short_backend;
	/* a read needs the data and the status: len 1 is a short read */
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 2), VIRTIO_EIO);
	/* a write only needs the status byte */
	assert_int_equal(virtio_blk_write(&f.blk, 0, f.buf, 2), 0);
	finish(&f);
}

static void init_failure_after_queue_setup(void **state)
{
	(void)state;
	/* the device does not take DRIVER_OK: the driver tells the device it
	 * gave up (a FAILED write, spec 3.1.1; a reset may follow), no queue
	 * stays live (the device must not DMA into freed rings), nothing
	 * leaks (fixture) */
	struct dm_device *d = vt_device(2, 2, 1, 16);
	struct dm_blk *disk = dm_blk_attach(d, 64);
	struct virtio_device vdev;
	struct virtio_blk blk;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	d->refuse_driver_ok = true;
	assert_int_equal(virtio_blk_init(&blk, &vdev), VIRTIO_EFAILED);
	assert_false(d->q[0].live);
	bool failed_written = false;
	for (unsigned i = 0; i < d->status_writes && i < 32; i++)
		failed_written |= (d->status_log[i] & DM_S_FAILED) != 0;
	assert_true(failed_written);
	/* ends either FAILED or reset, never half-initialised */
	assert_true(d->status == 0 || (d->status & DM_S_FAILED));
	dm_blk_free(disk);
}


static void flush_and_get_id(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 2, 64, true);
	assert_true(virtio_blk_has(&f.blk, VIRTIO_BLK_F_FLUSH));
	assert_int_equal(virtio_blk_flush(&f.blk), 0);
	assert_int_equal(f.disk->flushes, 1);
	assert_int_equal(f.disk->last_type, VIRTIO_BLK_T_FLUSH);
	char id[VIRTIO_BLK_ID_BYTES + 1];
	memset(id, 'x', sizeof(id));
	assert_int_equal(virtio_blk_get_id(&f.blk, id), 0);
	assert_string_equal(id, "devmodel-ramdisk-01");
	/* all 20 bytes used, one unprintable */
	memcpy(f.disk->id, "ABCDEFGHIJ\001LMNOPQRST", 20);
	assert_int_equal(virtio_blk_get_id(&f.blk, id), 0);
	assert_string_equal(id, "ABCDEFGHIJ?LMNOPQRST");
	f.disk->fail_next_status = 2; /* UNSUPP */
	assert_int_equal(virtio_blk_get_id(&f.blk, id), VIRTIO_EUNSUPP);
	finish(&f);

	/* without FLUSH the cache is write-through: nothing is sent */
	struct dm_device *d = vt_device(2, 2, 1, 16);
	struct dm_blk *disk = dm_blk_attach(d, 8);
	d->device_features &= ~B(VIRTIO_BLK_F_FLUSH);
	struct virtio_device vdev;
	struct virtio_blk blk;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
	uint64_t before = d->q[0].requests;
	assert_int_equal(virtio_blk_flush(&blk), 0);
	assert_int_equal(d->q[0].requests, before);
	assert_int_equal(disk->flushes, 0);
	vt_assert_no_violations(d);
	virtio_blk_destroy(&blk);
	dm_blk_free(disk);
}

static void requests_respect_size_max_and_seg_max(void **state)
{
	(void)state;
	for (int indirect = 0; indirect <= 1; indirect++) {
		struct dm_device *d = vt_device(2, 2, 1, 16);
		struct dm_blk *disk = dm_blk_attach(d, 256);
		if (!indirect)
			d->device_features &= ~B(VIRTIO_F_INDIRECT_DESC);
		d->device_features |= B(VIRTIO_BLK_F_SIZE_MAX);
		dm_config_set_le32(d, 8, 4096); /* size_max */
		dm_config_set_le32(d, 12, 4);   /* seg_max */
		d->strict_buffers = true;
		struct virtio_device vdev;
		struct virtio_blk blk;
		assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
		assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
		size_t n = 128 * 512;
		uint8_t *buf = vt_dma(n), *ref = vt_dma(n);
		fill(ref, n, 7);
		memcpy(buf, ref, n);
		uint64_t req0 = d->q[0].requests;
		assert_int_equal(virtio_blk_write(&blk, 64, buf, 128), 0);
		memset(buf, 0, n);
		assert_int_equal(virtio_blk_read(&blk, 64, buf, 128), 0);
		assert_memory_equal(buf, ref, n);
		assert_memory_equal(disk->data + 64 * 512, ref, n);
		/* 64 KiB each way in requests of at most 4 x 4 KiB */
		assert_true(disk->max_data_segs <= 4);
		assert_true(disk->max_seg_len <= 4096);
		assert_true(disk->max_request_bytes <= 4 * 4096);
		assert_true(d->q[0].requests - req0 >= 2 * (n / (4 * 4096)));
		vt_assert_no_violations(d);
		virtio_blk_destroy(&blk);
		vt_dma_free(buf, n);
		vt_dma_free(ref, n);
		dm_blk_free(disk);
	}
}

struct done_log {
	int order[16];
	int result[16];
	int n;
};
struct done_ctx {
	struct done_log *log;
	int id;
};
static void done_cb(void *ctx, int result)
{
	struct done_ctx *c = ctx;
	c->log->order[c->log->n] = c->id;
	c->log->result[c->log->n] = result;
	c->log->n++;
}

static void async_out_of_order_and_depth(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 2, 64, true);
	for (int i = 0; i < 8; i++)
		fill(f.disk->data + i * 512, 512, 100 + i);
	f.d->q[0].defer = true;
	struct done_log log = { .n = 0 };
	struct done_ctx ctx[8];
	for (int i = 0; i < 4; i++) {
		ctx[i] = (struct done_ctx){ &log, i };
		assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, i,
						   f.buf + i * 512, 1, done_cb, &ctx[i]),
				 0);
	}
	assert_int_equal(virtio_blk_inflight(&f.blk), 4);
	assert_int_equal(dm_queue_held(f.d, 0), 4);
	assert_int_equal(virtio_blk_poll(&f.blk), 0); /* nothing done yet */
	/* complete 3, 1, 0, 2 */
	const unsigned pos[4] = { 3, 1, 0, 0 };
	const int expect[4] = { 3, 1, 0, 2 };
	for (int k = 0; k < 4; k++)
		dm_queue_complete(f.d, 0, pos[k]);
	assert_int_equal(virtio_blk_poll(&f.blk), 4);
	assert_int_equal(log.n, 4);
	for (int k = 0; k < 4; k++) {
		assert_int_equal(log.order[k], expect[k]);
		assert_int_equal(log.result[k], 0);
	}
	for (int i = 0; i < 4; i++) {
		uint8_t want[512];
		fill(want, 512, 100 + i);
		assert_memory_equal(f.buf + i * 512, want, 512);
	}
	/* depth 2: the third submit waits */
	virtio_blk_set_depth(&f.blk, 2);
	for (int i = 4; i < 6; i++) {
		ctx[i] = (struct done_ctx){ &log, i };
		assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, i,
						   f.buf + i * 512, 1, done_cb, &ctx[i]),
				 0);
	}
	ctx[6] = (struct done_ctx){ &log, 6 };
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, 6,
					   f.buf + 6 * 512, 1, done_cb, &ctx[6]),
			 VIRTIO_ENOSPC);
	assert_int_equal(dm_queue_held(f.d, 0), 2);
	/* destroy with requests in flight: they complete with EBROKEN */
	virtio_blk_destroy(&f.blk);
	assert_int_equal(log.n, 6);
	assert_int_equal(log.result[4], VIRTIO_EBROKEN);
	assert_int_equal(log.result[5], VIRTIO_EBROKEN);
	vt_assert_no_violations(f.d);
	vt_dma_free(f.buf, f.buf_size);
	dm_blk_free(f.disk);
}

static void async_hostile_completion_fails_all(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 2, 64, true);
	f.d->q[0].defer = true;
	struct done_log log = { .n = 0 };
	struct done_ctx ctx[3];
	for (int i = 0; i < 3; i++) {
		ctx[i] = (struct done_ctx){ &log, i };
		assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, i,
						   f.buf + i * 512, 1, done_cb, &ctx[i]),
				 0);
	}
	dm_queue_hostile(f.d, 0, DM_HOSTILE_LEN_TOO_BIG, 0);
	dm_queue_complete(f.d, 0, 1);
	int r = virtio_blk_poll(&f.blk);
	assert_int_equal(r, VIRTIO_EUSEDLEN);
	/* every request completed, with an error; the device is stopped */
	assert_int_equal(log.n, 3);
	for (int k = 0; k < 3; k++)
		assert_true(log.result[k] < 0);
	assert_true(f.d->status & DM_S_FAILED);
	assert_false(f.d->q[0].live);
	assert_true(virtio_blk_read(&f.blk, 0, f.buf, 1) < 0);
	finish(&f);
}

static void discard_and_write_zeroes(void **state)
{
	(void)state;
	struct fixture f;
	f.d = vt_device(2, 2, 1, 32);
	f.disk = dm_blk_attach(f.d, 64);
	dm_blk_offer_discard(f.d, 8, 2);       /* 8 sectors x 2 ranges */
	dm_blk_offer_write_zeroes(f.d, 4, 1);  /* 4 sectors x 1 range */
	f.d->strict_buffers = true;
	assert_int_equal(virtio_mmio_probe(&f.vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&f.blk, &f.vdev), 0);
	f.buf_size = 512;
	f.buf = vt_dma(f.buf_size);
	memset(f.disk->data, 0xaa, 64 * 512);
	assert_int_equal(virtio_blk_discard(&f.blk, 8, 20), 0);
	for (int s = 0; s < 64; s++) {
		uint8_t want = (s >= 8 && s < 28) ? 0 : 0xaa;
		if (f.disk->data[s * 512] != want || f.disk->data[s * 512 + 511] != want)
			fail_msg("sector %d after discard [8, 28): %#x", s,
				 f.disk->data[s * 512]);
	}
	assert_true(f.disk->discards >= 2); /* 20 > 8 * 2 per request */
	assert_true(f.disk->nranges <= 2);
	for (unsigned i = 0; i < f.disk->nranges; i++)
		assert_true(f.disk->ranges[i].num <= 8);
	memset(f.disk->data, 0xaa, 64 * 512);
	assert_int_equal(virtio_blk_write_zeroes(&f.blk, 1, 10, true), 0);
	for (int s = 0; s < 64; s++) {
		uint8_t want = (s >= 1 && s < 11) ? 0 : 0xaa;
		if (f.disk->data[s * 512 + 100] != want)
			fail_msg("sector %d after write_zeroes [1, 11)", s);
	}
	assert_true(f.disk->zeroes >= 3); /* 10 > 4 per request */
	assert_int_equal(f.disk->nranges, 1);
	assert_true(f.disk->ranges[0].num <= 4);
	assert_int_equal(f.disk->ranges[0].flags & 1, 1); /* unmap allowed */
	assert_int_equal(virtio_blk_write_zeroes(&f.blk, 1, 2, false), 0);
	assert_int_equal(f.disk->ranges[0].flags & 1, 0);
	/* ranges are checked against the capacity before sending */
	uint64_t before = f.disk->discards;
	assert_int_equal(virtio_blk_discard(&f.blk, 60, 5), VIRTIO_EINVAL);
	assert_int_equal(f.disk->discards, before);
	finish(&f);

	/* not offered: unsupported, nothing sent */
	setup(&f, 2, 64, true);
	uint64_t req = f.d->q[0].requests;
	assert_int_equal(virtio_blk_discard(&f.blk, 0, 1), VIRTIO_EUNSUPP);
	assert_int_equal(virtio_blk_write_zeroes(&f.blk, 0, 1, false), VIRTIO_EUNSUPP);
	assert_int_equal(f.d->q[0].requests, req);
	finish(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(range_checks, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(status_errors, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(read_only_feature, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(wrong_device_and_blk_size, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(device_never_answers, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(device_skips_status_byte, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(modern_short_read_length, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(init_failure_after_queue_setup, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(flush_and_get_id, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(requests_respect_size_max_and_seg_max, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(async_out_of_order_and_depth, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(async_hostile_completion_fails_all, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(discard_and_write_zeroes, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
