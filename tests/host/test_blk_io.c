/*
 * The virtio-blk driver's full feature set against the RAM disk with the
 * extensions of backend_blk_ext.c: status codes, read-only refused before
 * sending, capacity and block-size checks, SIZE_MAX / SEG_MAX splitting,
 * FLUSH (and its absence), GET_ID, DISCARD and WRITE_ZEROES within their
 * limits, topology, several requests in flight through the asynchronous
 * interface (completed out of order), and what happens to requests in
 * flight when the device breaks, stalls or is destroyed.
 */
#include "harness.h"

#include <string.h>

#include "backend_blk_ext.h"

#define B(n) (1ull << (n))

struct fixture {
	struct dm_device *d;
	struct dm_blk_ext *x;
	struct virtio_device vdev;
	struct virtio_blk blk;
	uint8_t *buf;
	size_t buf_size;
};

static struct dm_blk_ext *make(struct fixture *f, uint32_t version,
			       uint64_t sectors, uint16_t qsize)
{
	memset(f, 0, sizeof(*f));
	f->d = vt_device(version, 2, 1, qsize);
	f->x = dm_blk_ext_attach(f->d, sectors);
	f->d->strict_buffers = true;
	f->buf_size = 256 * 512;
	f->buf = vt_dma(f->buf_size);
	return f->x;
}

static void up(struct fixture *f)
{
	assert_int_equal(virtio_mmio_probe(&f->vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&f->blk, &f->vdev), 0);
	assert_true(f->d->status & DM_S_DRIVER_OK);
}

static void finish(struct fixture *f)
{
	vt_assert_no_violations(f->d);
	if (f->x->limit_violations)
		fail_msg("device limits broken %llu times, last: %s",
			 (unsigned long long)f->x->limit_violations,
			 f->x->last_violation);
	virtio_blk_destroy(&f->blk);
	vt_dma_free(f->buf, f->buf_size);
	dm_blk_ext_free(f->x);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 9));
}

/* OK, IOERR, UNSUPP and an undefined status are three distinct results. */
static void status_codes(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 2, 64, 64);
	up(&f);
	f.x->disk->fail_next_status = 0;
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 1), VIRTIO_OK);
	f.x->disk->fail_next_status = 1;
	assert_int_equal(virtio_blk_write(&f.blk, 0, f.buf, 1), VIRTIO_EIO);
	f.x->disk->fail_next_status = 2;
	assert_int_equal(virtio_blk_flush(&f.blk), VIRTIO_EUNSUPP);
	f.x->disk->fail_next_status = 200;
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 1), VIRTIO_EIO);
	assert_true(VIRTIO_EIO != VIRTIO_EUNSUPP && VIRTIO_EIO < 0 && VIRTIO_EUNSUPP < 0);
	/* and the device still works */
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 1), VIRTIO_OK);
	finish(&f);
}

/* RO: every writing operation refused before anything reaches the ring. */
static void read_only_refused_before_sending(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 2, 64, 64);
	dm_blk_ext_discard(f.x, 64, 1, 0);
	dm_blk_ext_write_zeroes(f.x, 64, 1, true);
	f.d->device_features |= B(VIRTIO_BLK_F_RO);
	up(&f);
	assert_true(f.blk.read_only);
	uint64_t before = f.d->q[0].requests;
	assert_int_equal(virtio_blk_write(&f.blk, 0, f.buf, 1), VIRTIO_ERO);
	assert_int_equal(virtio_blk_discard(&f.blk, 0, 8), VIRTIO_ERO);
	assert_int_equal(virtio_blk_write_zeroes(&f.blk, 0, 8, false), VIRTIO_ERO);
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_WRITE, 0, f.buf, 1,
					   NULL, NULL), VIRTIO_ERO);
	assert_int_equal(f.d->q[0].requests, before);
	/* reads and flushes are fine */
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 4), 0);
	assert_int_equal(virtio_blk_flush(&f.blk), 0);
	finish(&f);
}

/* Beyond the capacity, overflowing, zero-length: refused, nothing sent. */
static void capacity_checks(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 1, 100, 64);
	dm_blk_ext_discard(f.x, 64, 1, 0);
	up(&f);
	uint64_t before = f.d->q[0].requests;
	assert_int_equal(virtio_blk_read(&f.blk, 100, f.buf, 1), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_read(&f.blk, 99, f.buf, 2), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_read(&f.blk, UINT64_MAX, f.buf, 2), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_write(&f.blk, 1, f.buf, 100), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_write(&f.blk, 0, f.buf, 0), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_discard(&f.blk, 50, 51), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_discard(&f.blk, 2, UINT64_MAX), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_read(&f.blk, 0, NULL, 1), VIRTIO_EINVAL);
	assert_int_equal(f.d->q[0].requests, before);
	/* the whole disk in one call is fine */
	fill(f.buf, 100 * 512, 5);
	assert_int_equal(virtio_blk_write(&f.blk, 0, f.buf, 100), 0);
	assert_memory_equal(f.x->disk->data, f.buf, 100 * 512);
	finish(&f);
}

/* 4096-byte blocks: sector and count in whole blocks, else EINVAL unsent. */
static void block_size(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 2, 256, 64);
	dm_config_set_le32(f.d, 20, 4096);
	dm_blk_ext_discard(f.x, 100, 1, 8); /* 100: not whole blocks */
	up(&f);
	assert_int_equal(f.blk.blk_size, 4096);
	assert_int_equal(f.blk.limits.discard_sectors, 96);
	assert_int_equal(f.blk.limits.max_sectors % 8, 0);
	uint64_t before = f.d->q[0].requests;
	assert_int_equal(virtio_blk_read(&f.blk, 1, f.buf, 8), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_read(&f.blk, 8, f.buf, 4), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_discard(&f.blk, 4, 8), VIRTIO_EINVAL);
	assert_int_equal(f.d->q[0].requests, before);
	fill(f.buf, 16 * 512, 9);
	assert_int_equal(virtio_blk_write(&f.blk, 8, f.buf, 16), 0);
	assert_memory_equal(f.x->disk->data + 8 * 512, f.buf, 16 * 512);
	assert_int_equal(virtio_blk_discard(&f.blk, 0, 200), 0);
	assert_int_equal(f.x->disk->data[199 * 512], DM_BLK_DISCARD_FILL);
	finish(&f);
	/* A discard maximum below one block: discard unusable, the disk not. */
	make(&f, 2, 256, 64);
	dm_config_set_le32(f.d, 20, 4096);
	dm_blk_ext_discard(f.x, 4, 1, 8);
	up(&f);
	before = f.d->q[0].requests;
	assert_int_equal(virtio_blk_discard(&f.blk, 0, 8), VIRTIO_EUNSUPP);
	assert_int_equal(f.d->q[0].requests, before);
	assert_int_equal(virtio_blk_write(&f.blk, 8, f.buf, 16), 0);
	finish(&f);
}

/* Absurd configuration values: refused at init, device left FAILED. */
static void hostile_config(void **state)
{
	(void)state;
	static const uint32_t bad_bs[] = { 0, 3, 256, 768, 1u << 20 };
	for (unsigned i = 0; i < sizeof(bad_bs) / sizeof(bad_bs[0]); i++) {
		struct fixture f;
		make(&f, 2, 64, 64);
		dm_config_set_le32(f.d, 20, bad_bs[i]);
		assert_int_equal(virtio_mmio_probe(&f.vdev, VT_BASE), 0);
		assert_int_equal(virtio_blk_init(&f.blk, &f.vdev), VIRTIO_ECONFIG);
		assert_true(f.d->status & DM_S_FAILED);
		assert_false(f.d->q[0].live);
		finish(&f);
	}
	/* size_max and seg_max that leave no room for one sector */
	struct fixture f;
	make(&f, 2, 64, 64);
	dm_blk_ext_seg_limits(f.x, 100, 4);
	assert_int_equal(virtio_mmio_probe(&f.vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&f.blk, &f.vdev), VIRTIO_ECONFIG);
	finish(&f);
	/* a config that never settles (modern: generation keeps moving) */
	make(&f, 2, 64, 64);
	f.d->generation_always_changes = true;
	assert_int_equal(virtio_mmio_probe(&f.vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&f.blk, &f.vdev), VIRTIO_ECONFIGUNSTABLE);
	assert_true(f.d->status & DM_S_FAILED);
	finish(&f);
	/* one that settles after two changes is read fine */
	make(&f, 2, 64, 64);
	f.d->generation_changes = 2;
	up(&f);
	assert_int_equal(f.blk.capacity, 64);
	finish(&f);
}

/* SIZE_MAX and SEG_MAX: requests split so that no data descriptor is
 * longer than size_max and no request has more than seg_max of them. */
static void seg_limits_split(void **state)
{
	(void)state;
	for (int indirect = 0; indirect <= 1; indirect++) {
		struct fixture f;
		make(&f, 2, 1024, 64);
		if (!indirect)
			f.d->device_features &= ~B(VIRTIO_F_INDIRECT_DESC);
		dm_blk_ext_seg_limits(f.x, 1024, 3);
		up(&f);
		assert_int_equal(f.blk.limits.max_segs, 3);
		assert_int_equal(f.blk.limits.seg_bytes, 1024);
		assert_int_equal(f.blk.limits.max_sectors, 6);
		uint64_t before = f.d->q[0].requests;
		fill(f.buf, 50 * 512, 3);
		assert_int_equal(virtio_blk_write(&f.blk, 7, f.buf, 50), 0);
		assert_int_equal(f.d->q[0].requests - before, 9); /* 8 x 6 + 2 */
		assert_memory_equal(f.x->disk->data + 7 * 512, f.buf, 50 * 512);
		memset(f.buf, 0, 50 * 512);
		assert_int_equal(virtio_blk_read(&f.blk, 7, f.buf, 50), 0);
		assert_memory_equal(f.x->disk->data + 7 * 512, f.buf, 50 * 512);
		assert_int_equal(f.x->max_data_segs, 3);
		assert_int_equal(f.x->max_seg_len, 1024);
		assert_true(indirect ? f.d->q[0].indirect_seen > 0
				     : f.d->q[0].indirect_seen == 0);
		finish(&f);
	}
	/* SIZE_MAX offered with size_max 0 (qemu-storage-daemon's
	 * vhost-user-blk): no limit. Below a sector: sectors span
	 * descriptors, the data still lands where it belongs. */
	for (uint32_t size_max = 0; size_max <= 256; size_max += 256) {
		struct fixture f;
		make(&f, 2, 256, 64);
		dm_blk_ext_seg_limits(f.x, size_max, 16);
		f.d->device_features |= B(VIRTIO_BLK_F_SIZE_MAX);
		up(&f);
		assert_int_equal(f.blk.limits.seg_bytes, size_max ? 256 : VIRTIO_BLK_MAX_REQ_BYTES);
		assert_int_equal(f.blk.limits.max_sectors, size_max ? 8 : VIRTIO_BLK_MAX_REQ_BYTES / 512);
		fill(f.buf, 20 * 512, 4);
		assert_int_equal(virtio_blk_write(&f.blk, 5, f.buf, 20), 0);
		memset(f.buf, 0, 20 * 512);
		assert_int_equal(virtio_blk_read(&f.blk, 5, f.buf, 20), 0);
		assert_memory_equal(f.x->disk->data + 5 * 512, f.buf, 20 * 512);
		if (size_max)
			assert_int_equal(f.x->max_seg_len, 256);
		finish(&f);
	}
	/* seg_max 0 counts as one segment; a huge one is capped by the ring */
	struct fixture f;
	make(&f, 1, 512, 16);
	dm_blk_ext_seg_limits(f.x, 4096, 0);
	f.x->seg_max = 1;
	up(&f);
	assert_int_equal(f.blk.limits.max_segs, 1);
	assert_int_equal(f.blk.limits.max_sectors, 8);
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 100), 0);
	assert_int_equal(f.x->max_data_segs, 1);
	finish(&f);
	make(&f, 2, 512, 16);
	f.d->device_features &= ~B(VIRTIO_F_INDIRECT_DESC);
	dm_blk_ext_seg_limits(f.x, 512, 100000);
	up(&f);
	assert_int_equal(f.blk.limits.max_segs, 14); /* 16 descriptors - 2 */
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 200), 0);
	assert_true(f.x->max_data_segs <= 14);
	finish(&f);
}

/* FLUSH negotiated: sent, and after the writes. Not offered: the cache
 * is write-through, flush returns 0 and sends nothing. */
static void flush(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 2, 64, 64);
	up(&f);
	assert_true(virtio_blk_has(&f.blk, VIRTIO_BLK_F_FLUSH));
	fill(f.buf, 4 * 512, 1);
	assert_int_equal(virtio_blk_write(&f.blk, 0, f.buf, 4), 0);
	assert_int_equal(f.x->dirty, 1);
	assert_int_equal(virtio_blk_flush(&f.blk), 0);
	assert_int_equal(f.x->disk->flushes, 1);
	assert_int_equal(f.x->flushes_after_writes, 1);
	assert_int_equal(f.x->dirty, 0);
	assert_int_equal(f.x->sector_not_zero, 0);
	finish(&f);

	make(&f, 1, 64, 64);
	f.d->device_features &= ~B(VIRTIO_BLK_F_FLUSH);
	up(&f);
	uint64_t before = f.d->q[0].requests;
	assert_int_equal(virtio_blk_flush(&f.blk), 0);
	assert_int_equal(f.d->q[0].requests, before);
	assert_int_equal(f.x->disk->flushes, 0);
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_FLUSH, 0, NULL, 0,
					   NULL, NULL), VIRTIO_EUNSUPP);
	finish(&f);
}

static void get_id(void **state)
{
	(void)state;
	struct fixture f;
	char id[VIRTIO_BLK_ID_BYTES + 1];
	make(&f, 2, 64, 64);
	up(&f);
	dm_blk_ext_serial(f.x, "disk-7", 6);
	assert_int_equal(virtio_blk_get_id(&f.blk, id), 0);
	assert_string_equal(id, "disk-7");
	/* all 20 bytes used: no NUL from the device */
	dm_blk_ext_serial(f.x, "ABCDEFGHIJKLMNOPQRST", 20);
	assert_int_equal(virtio_blk_get_id(&f.blk, id), 0);
	assert_string_equal(id, "ABCDEFGHIJKLMNOPQRST");
	/* bytes that are not printable are not passed on */
	dm_blk_ext_serial(f.x, "a\nb\x7f", 4);
	assert_int_equal(virtio_blk_get_id(&f.blk, id), 0);
	assert_string_equal(id, "a?b?");
	/* a device without an id */
	f.x->disk->fail_next_status = 2;
	assert_int_equal(virtio_blk_get_id(&f.blk, id), VIRTIO_EUNSUPP);
	assert_string_equal(id, "");
	assert_int_equal(f.x->sector_not_zero, 0);
	finish(&f);
}

/* Discard within max_discard_sectors and max_discard_seg; data outside
 * the range untouched. */
static void discard(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 2, 256, 64);
	dm_blk_ext_discard(f.x, 8, 2, 0);
	up(&f);
	assert_int_equal(f.blk.limits.discard_sectors, 8);
	assert_int_equal(f.blk.limits.discard_ranges, 2);
	memset(f.x->disk->data, 0x11, 256 * 512);
	uint64_t before = f.d->q[0].requests;
	assert_int_equal(virtio_blk_discard(&f.blk, 10, 40), 0);
	assert_int_equal(f.d->q[0].requests - before, 3); /* 16 + 16 + 8 */
	assert_int_equal(f.x->ranges, 5);
	assert_int_equal(f.x->disk->data[9 * 512 + 511], 0x11);
	for (unsigned s = 10; s < 50; s++)
		assert_int_equal(f.x->disk->data[s * 512], DM_BLK_DISCARD_FILL);
	assert_int_equal(f.x->disk->data[50 * 512], 0x11);
	/* the async interface refuses more than one request can carry */
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_DISCARD, 0, NULL, 17,
					   NULL, NULL), VIRTIO_EINVAL);
	/* unsupported by the device at run time */
	f.x->disk->fail_next_status = 2;
	assert_int_equal(virtio_blk_discard(&f.blk, 0, 8), VIRTIO_EUNSUPP);
	assert_int_equal(f.x->sector_not_zero, 0);
	finish(&f);

	/* not offered: refused without sending */
	make(&f, 2, 256, 64);
	up(&f);
	before = f.d->q[0].requests;
	assert_int_equal(virtio_blk_discard(&f.blk, 0, 8), VIRTIO_EUNSUPP);
	assert_int_equal(virtio_blk_write_zeroes(&f.blk, 0, 8, false), VIRTIO_EUNSUPP);
	assert_int_equal(f.d->q[0].requests, before);
	finish(&f);
}

static void write_zeroes(void **state)
{
	(void)state;
	for (int may_unmap = 0; may_unmap <= 1; may_unmap++) {
		struct fixture f;
		make(&f, 1, 128, 64);
		dm_blk_ext_write_zeroes(f.x, 16, 1, may_unmap);
		up(&f);
		memset(f.x->disk->data, 0x22, 128 * 512);
		uint64_t before = f.d->q[0].requests;
		assert_int_equal(virtio_blk_write_zeroes(&f.blk, 3, 40, true), 0);
		assert_int_equal(f.d->q[0].requests - before, 3);
		for (unsigned s = 3; s < 43; s++)
			assert_int_equal(f.x->disk->data[s * 512 + 100], 0);
		assert_int_equal(f.x->disk->data[2 * 512 + 511], 0x22);
		assert_int_equal(f.x->disk->data[43 * 512], 0x22);
		/* UNMAP only passed on when the device allows it */
		assert_int_equal(f.x->unmap_flags, may_unmap ? 3 : 0);
		assert_int_equal(virtio_blk_write_zeroes(&f.blk, 0, 1, false), 0);
		assert_int_equal(f.x->unmap_flags, may_unmap ? 3 : 0);
		finish(&f);
	}
}

static void topology(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 2, 64, 64);
	dm_blk_ext_topology(f.x, 3, 1, 8, 128);
	up(&f);
	assert_true(f.blk.has_topology);
	assert_int_equal(f.blk.topology.physical_block_exp, 3);
	assert_int_equal(f.blk.topology.alignment_offset, 1);
	assert_int_equal(f.blk.topology.min_io_size, 8);
	assert_int_equal(f.blk.topology.opt_io_size, 128);
	finish(&f);
}

/* ---- asynchronous interface ---- */

struct done_log {
	int n;
	int order[16];
	int result[16];
};
static struct done_log dl;

static void on_done(void *ctx, int result)
{
	int tag = (int)(intptr_t)ctx;

	dl.order[dl.n] = tag;
	dl.result[dl.n] = result;
	dl.n++;
}

/* Eight requests in flight at once, completed by the device in another
 * order; each callback gets its own request's result. */
static void async_in_flight_out_of_order(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		make(&f, version, 256, 64);
		up(&f);
		memset(&dl, 0, sizeof(dl));
		for (unsigned i = 0; i < 8; i++)
			fill(f.x->disk->data + i * 8 * 512, 8 * 512, 100 + i);
		f.d->q[0].defer = true;
		for (int i = 0; i < 8; i++)
			assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ,
							   (uint64_t)i * 8,
							   f.buf + i * 8 * 512, 8,
							   on_done, (void *)(intptr_t)i), 0);
		assert_int_equal(virtio_blk_inflight(&f.blk), 8);
		assert_int_equal(dm_queue_held(f.d, 0), 8);
		/* depth reached */
		assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, 0,
						   f.buf, 1, on_done, NULL), VIRTIO_ENOSPC);
		assert_int_equal(virtio_blk_poll(&f.blk), 0);
		/* complete 5, 2, then the rest from the back, one made to fail */
		f.x->disk->fail_next_status = -1;
		assert_true(dm_queue_complete(f.d, 0, 5) >= 0);
		assert_true(dm_queue_complete(f.d, 0, 2) >= 0);
		assert_int_equal(virtio_blk_poll(&f.blk), 2);
		assert_int_equal(dl.order[0], 5);
		assert_int_equal(dl.order[1], 2);
		f.x->disk->fail_next_status = 1;
		while (dm_queue_held(f.d, 0))
			assert_true(dm_queue_complete(f.d, 0, dm_queue_held(f.d, 0) - 1) >= 0);
		assert_int_equal(virtio_blk_poll(&f.blk), 6);
		assert_int_equal(dl.n, 8);
		assert_int_equal(virtio_blk_inflight(&f.blk), 0);
		assert_int_equal(f.blk.stats.max_inflight, 8);
		/* held were [0 1 3 4 6 7] after 5 and 2: completed 7 first (IOERR) */
		assert_int_equal(dl.order[2], 7);
		assert_int_equal(dl.result[2], VIRTIO_EIO);
		for (int k = 0; k < 8; k++) {
			int i = dl.order[k];
			if (k != 2)
				assert_int_equal(dl.result[k], 0);
			if (i != 7) {
				uint8_t ref[8 * 512];
				fill(ref, sizeof(ref), 100 + i);
				assert_memory_equal(f.buf + i * 8 * 512, ref, sizeof(ref));
			}
		}
		f.d->q[0].defer = false;
		finish(&f);
	}
}

static void async_depth(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 2, 64, 64);
	up(&f);
	memset(&dl, 0, sizeof(dl));
	virtio_blk_set_depth(&f.blk, 2);
	f.d->q[0].defer = true;
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_WRITE, 0, f.buf, 1,
					   on_done, (void *)1), 0);
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_FLUSH, 0, NULL, 0,
					   on_done, (void *)2), 0);
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, 0, f.buf, 1,
					   on_done, (void *)3), VIRTIO_ENOSPC);
	dm_queue_complete(f.d, 0, 0);
	assert_int_equal(virtio_blk_poll(&f.blk), 1);
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, 0, f.buf, 1,
					   on_done, (void *)3), 0);
	f.d->q[0].defer = false;
	dm_queue_complete(f.d, 0, 0);
	dm_queue_complete(f.d, 0, 0);
	assert_int_equal(virtio_blk_drain(&f.blk), 0);
	assert_int_equal(dl.n, 3);
	virtio_blk_set_depth(&f.blk, 0);
	assert_int_equal(f.blk.depth, 1);
	virtio_blk_set_depth(&f.blk, 1000);
	assert_int_equal(f.blk.depth, VIRTIO_BLK_MAX_INFLIGHT);
	finish(&f);
}

/* A device that breaks a rule while several requests are in flight: every
 * callback runs with the error, the device is stopped and FAILED. */
static void async_device_breaks(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 2, 64, 64);
	up(&f);
	memset(&dl, 0, sizeof(dl));
	f.d->q[0].defer = true;
	for (int i = 0; i < 3; i++)
		assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, (uint64_t)i,
						   f.buf + i * 512, 1, on_done,
						   (void *)(intptr_t)i), 0);
	dm_queue_hostile(f.d, 0, DM_HOSTILE_LEN_TOO_BIG, 0);
	dm_queue_complete(f.d, 0, 1);
	assert_int_equal(virtio_blk_poll(&f.blk), VIRTIO_EUSEDLEN);
	assert_int_equal(dl.n, 3);
	for (int k = 0; k < 3; k++)
		assert_int_equal(dl.result[k], VIRTIO_EUSEDLEN);
	assert_int_equal(virtio_blk_inflight(&f.blk), 0);
	assert_false(f.d->q[0].live);
	assert_true(f.d->status & DM_S_FAILED);
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, 0, f.buf, 1,
					   on_done, NULL), VIRTIO_EBROKEN);
	assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 1), VIRTIO_EBROKEN);
	finish(&f);
}

/* Nothing completes: drain times out, callbacks get ETIMEDOUT. */
static void async_stall(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 1, 64, 64);
	up(&f);
	memset(&dl, 0, sizeof(dl));
	f.d->q[0].defer = true;
	for (int i = 0; i < 4; i++)
		assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_WRITE, (uint64_t)i,
						   f.buf, 1, on_done,
						   (void *)(intptr_t)i), 0);
	virtio_host_time_set_autostep(10000);
	assert_int_equal(virtio_blk_drain(&f.blk), VIRTIO_ETIMEDOUT);
	virtio_host_time_set_autostep(0);
	assert_int_equal(dl.n, 4);
	for (int k = 0; k < 4; k++)
		assert_int_equal(dl.result[k], VIRTIO_ETIMEDOUT);
	assert_false(f.d->q[0].live);
	assert_true(f.d->status & DM_S_FAILED);
	assert_int_equal(f.x->disk->writes, 0);
	finish(&f);
}

/* destroy with requests in flight: they complete with EBROKEN. */
static void destroy_in_flight(void **state)
{
	(void)state;
	struct fixture f;
	make(&f, 2, 64, 64);
	up(&f);
	memset(&dl, 0, sizeof(dl));
	f.d->q[0].defer = true;
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_READ, 0, f.buf, 1,
					   on_done, (void *)9), 0);
	virtio_blk_destroy(&f.blk);
	assert_int_equal(dl.n, 1);
	assert_int_equal(dl.result[0], VIRTIO_EBROKEN);
	assert_false(f.d->q[0].live);
	finish(&f);
}

/* GET_ID through the async interface lands in any memory the caller
 * gives (copied out of the driver's DMA record). */
static void async_get_id(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t raw[VIRTIO_BLK_ID_BYTES];
	make(&f, 2, 64, 64);
	up(&f);
	memset(&dl, 0, sizeof(dl));
	dm_blk_ext_serial(f.x, "async-id", 8);
	assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_GET_ID, 0, raw, 0,
					   on_done, (void *)4), 0);
	assert_int_equal(virtio_blk_drain(&f.blk), 0);
	assert_int_equal(dl.n, 1);
	assert_int_equal(dl.result[0], 0);
	assert_memory_equal(raw, "async-id\0\0", 10);
	finish(&f);
}

/* plug/unplug: nothing reaches the device until unplug, then one notify
 * for the whole batch. */
static void plug_batches_notifications(void **state)
{
	(void)state;
	for (int ev = 0; ev <= 1; ev++) {
		struct fixture f;
		make(&f, 2, 64, 64);
		if (!ev)
			f.d->device_features &= ~B(VIRTIO_F_EVENT_IDX);
		up(&f);
		memset(&dl, 0, sizeof(dl));
		uint64_t notifies = f.d->q[0].notifies;
		virtio_blk_plug(&f.blk);
		for (int i = 0; i < 5; i++)
			assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_WRITE, (uint64_t)i,
							   f.buf, 1, on_done,
							   (void *)(intptr_t)i), 0);
		assert_int_equal(f.d->q[0].notifies, notifies);
		assert_int_equal(f.d->q[0].requests, 0);
		assert_int_equal(virtio_blk_poll(&f.blk), 0);
		virtio_blk_unplug(&f.blk);
		assert_int_equal(f.d->q[0].notifies, notifies + 1);
		assert_int_equal(f.blk.stats.kicks, 1);
		assert_int_equal(virtio_blk_poll(&f.blk), 5);
		assert_int_equal(dl.n, 5);
		/* drain unplugs by itself */
		virtio_blk_plug(&f.blk);
		assert_int_equal(virtio_blk_submit(&f.blk, VIRTIO_BLK_OP_FLUSH, 0, NULL, 0,
						   on_done, (void *)7), 0);
		assert_int_equal(virtio_blk_drain(&f.blk), 0);
		assert_int_equal(dl.n, 6);
		/* and so do the blocking calls */
		virtio_blk_plug(&f.blk);
		assert_int_equal(virtio_blk_read(&f.blk, 0, f.buf, 8), 0);
		assert_false(f.blk.plugged);
		finish(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(status_codes, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(read_only_refused_before_sending, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(capacity_checks, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(block_size, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(hostile_config, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(seg_limits_split, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(flush, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(get_id, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(discard, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(write_zeroes, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(topology, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(async_in_flight_out_of_order, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(async_depth, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(async_device_breaks, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(async_stall, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(destroy_in_flight, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(async_get_id, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(plug_batches_notifications, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
