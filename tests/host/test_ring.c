/*
 * Split virtqueue (spec 2.7) against the device model: round trips, the
 * 16-bit index wrap-around, a full queue, out-of-order completion,
 * indirect descriptors, a legacy-layout queue, argument checks, and a
 * device reset reclaiming every token in flight.
 */
#include "harness.h"

#include <string.h>

#define B(n) (1ull << (n))

struct bufs {
	uint8_t *out, *in;
};

static struct bufs bufs_alloc(void)
{
	struct bufs b = { vt_dma(64), vt_dma(64) };
	return b;
}

static void bufs_free(struct bufs *b)
{
	vt_dma_free(b->out, 64);
	vt_dma_free(b->in, 64);
}

static int add_pair(struct virtqueue *vq, void *out, uint32_t olen, void *in,
		    uint32_t ilen, void *token)
{
	struct virtio_buf v[2] = { { out, olen }, { in, ilen } };
	return virtqueue_add(vq, v, 1, 1, token);
}

static void round_trip_modern_and_legacy(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct dm_device *d = vt_device(version, 3, 1, 8);
		dm_echo_attach(d);
		d->strict_buffers = true;
		struct virtio_device vdev;
		struct virtqueue vq;
		vt_bring_up(&vdev, &vq, 0, 0);
		assert_int_equal(virtqueue_size(&vq), 8);
		assert_int_equal(virtqueue_num_free(&vq), 8);
		struct bufs b = bufs_alloc();
		memcpy(b.out, "ping", 4);
		int token;
		assert_int_equal(add_pair(&vq, b.out, 4, b.in, 64, &token), 0);
		assert_int_equal(virtqueue_num_free(&vq), 6);
		assert_int_equal(virtqueue_in_flight(&vq), 1);
		/* not notified; split: not published before the kick (packed:
		 * visible at once, test_packed.c visible_at_add) */
		assert_int_equal(d->q[0].notifies, 0);
		if (!vt_packed)
			assert_int_equal(dm_queue_avail_idx(d, 0), 0);
		virtqueue_kick(&vq);
		assert_int_equal(d->q[0].notifies, 1);
		void *tok = NULL;
		uint32_t len = 0;
		assert_int_equal(virtqueue_get(&vq, &tok, &len), 1);
		assert_ptr_equal(tok, &token);
		assert_int_equal(len, 4);
		assert_memory_equal(b.in, "ping", 4);
		assert_int_equal(virtqueue_num_free(&vq), 8);
		assert_int_equal(virtqueue_get(&vq, &tok, &len), 0);
		vt_assert_no_violations(d);
		vt_tear_down_queue(&vdev, &vq);
		bufs_free(&b);
	}
}

static void index_wraps_past_65536(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 4);
	dm_echo_attach(d);
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0);
	struct bufs b = bufs_alloc();
	static int tokens[4];
	const unsigned total = 70000;
	unsigned done = 0, issued = 0;
	/* keep up to 2 requests in flight so completions cross the wrap
	 * while others are outstanding */
	while (done < total) {
		while (issued < total && issued - done < 2) {
			uint32_t n = 1 + issued % 60;
			b.out[0] = (uint8_t)issued;
			assert_int_equal(add_pair(&vq, b.out, n, b.in, 64,
						  &tokens[issued % 4]),
					 0);
			issued++;
		}
		virtqueue_kick(&vq);
		void *tok;
		uint32_t len;
		int r;
		while ((r = virtqueue_get(&vq, &tok, &len)) == 1) {
			assert_ptr_equal(tok, &tokens[done % 4]);
			assert_int_equal(len, 1 + done % 60);
			done++;
		}
		assert_int_equal(r, 0);
	}
	assert_int_equal(d->q[0].completed, total);
	assert_int_equal(dm_queue_avail_idx(d, 0), total & 0xffff);
	assert_int_equal(virtqueue_num_free(&vq), 4);
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
	bufs_free(&b);
}

static void wrap_with_out_of_order_batches(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 8);
	dm_echo_attach(d);
	d->q[0].defer = true;
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0);
	struct bufs b = bufs_alloc();
	static int tok[4];
	unsigned completed = 0;
	for (unsigned round = 0; round < 17000; round++) {
		for (int i = 0; i < 4; i++)
			assert_int_equal(add_pair(&vq, b.out, 1, b.in, 8, &tok[i]), 0);
		virtqueue_kick(&vq);
		assert_int_equal(dm_queue_held(d, 0), 4);
		/* complete in the order 2, 0, 3, 1 (positions in the held
		 * list, which shrinks as requests complete) */
		const int expect[4] = { 2, 0, 3, 1 };
		dm_queue_complete(d, 0, 2);
		dm_queue_complete(d, 0, 0);
		dm_queue_complete(d, 0, 1);
		dm_queue_complete(d, 0, 0);
		for (int i = 0; i < 4; i++) {
			void *t;
			uint32_t len;
			assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
			assert_ptr_equal(t, &tok[expect[i]]);
			completed++;
		}
	}
	assert_true(completed > 65536);
	assert_int_equal(virtqueue_num_free(&vq), 8);
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
	bufs_free(&b);
}

static void full_queue(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 8);
	dm_echo_attach(d);
	d->q[0].defer = true;
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0); /* no INDIRECT: 2 descriptors each */
	struct bufs b = bufs_alloc();
	static int tok[8];
	for (int i = 0; i < 4; i++)
		assert_int_equal(add_pair(&vq, b.out, 1, b.in, 8, &tok[i]), 0);
	assert_int_equal(virtqueue_num_free(&vq), 0);
	assert_int_equal(add_pair(&vq, b.out, 1, b.in, 8, &tok[4]), VIRTIO_ENOSPC);
	struct virtio_buf one = { b.in, 8 };
	assert_int_equal(virtqueue_add(&vq, &one, 0, 1, &tok[4]), VIRTIO_ENOSPC);
	virtqueue_kick(&vq);
	assert_int_equal(dm_queue_held(d, 0), 4);
	dm_queue_complete(d, 0, 1);
	void *t;
	uint32_t len;
	assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
	assert_ptr_equal(t, &tok[1]);
	assert_int_equal(virtqueue_num_free(&vq), 2);
	assert_int_equal(add_pair(&vq, b.out, 1, b.in, 8, &tok[5]), 0);
	assert_int_equal(add_pair(&vq, b.out, 1, b.in, 8, &tok[6]), VIRTIO_ENOSPC);
	/* a chain longer than the queue can never fit */
	struct virtio_buf many[9];
	for (int i = 0; i < 9; i++)
		many[i] = (struct virtio_buf){ b.out, 1 };
	assert_int_equal(virtqueue_add(&vq, many, 9, 0, &tok[7]), VIRTIO_EINVAL);
	virtqueue_kick(&vq);
	while (dm_queue_held(d, 0))
		dm_queue_complete(d, 0, 0);
	int n = 0;
	while (virtqueue_get(&vq, &t, &len) == 1)
		n++;
	assert_int_equal(n, 4);
	assert_int_equal(virtqueue_num_free(&vq), 8);
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
	bufs_free(&b);
}

static void out_of_order_completion(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 16);
	dm_echo_attach(d);
	d->q[0].defer = true;
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0);
	uint8_t *out[8], *in[8];
	static int tok[8];
	for (int i = 0; i < 8; i++) {
		out[i] = vt_dma(16);
		in[i] = vt_dma(16);
		memset(out[i], 'a' + i, 16);
		assert_int_equal(add_pair(&vq, out[i], (uint32_t)(i + 1), in[i],
					  16, &tok[i]),
				 0);
	}
	virtqueue_kick(&vq);
	assert_int_equal(dm_queue_held(d, 0), 8);
	/* complete 5, 2, 7, 0, 6, 1, 4, 3 (by held position each time) */
	const int order[8] = { 5, 2, 7, 0, 6, 1, 4, 3 };
	int remaining[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	int nrem = 8;
	for (int k = 0; k < 8; k++) {
		int pos = 0;
		while (remaining[pos] != order[k])
			pos++;
		dm_queue_complete(d, 0, (unsigned)pos);
		memmove(&remaining[pos], &remaining[pos + 1],
			(size_t)(nrem - pos - 1) * sizeof(int));
		nrem--;
		void *t;
		uint32_t len;
		assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
		assert_ptr_equal(t, &tok[order[k]]);
		assert_int_equal(len, order[k] + 1);
		assert_int_equal(in[order[k]][0], 'a' + order[k]);
		/* descriptors of a completed chain are reusable at once */
		assert_int_equal(virtqueue_num_free(&vq), 2 * (k + 1));
	}
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
	for (int i = 0; i < 8; i++) {
		vt_dma_free(out[i], 16);
		vt_dma_free(in[i], 16);
	}
}

static void indirect_descriptors(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 4);
	dm_echo_attach(d);
	d->device_features |= B(VIRTIO_F_INDIRECT_DESC);
	d->strict_buffers = true;
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, B(VIRTIO_F_INDIRECT_DESC), 0);
	assert_true(virtio_has_feature(&vdev, VIRTIO_F_INDIRECT_DESC));
	uint8_t *seg[8];
	for (int i = 0; i < 8; i++) {
		seg[i] = vt_dma(8);
		memset(seg[i], '0' + i, 8);
	}
	/* 2 readable + 2 writable buffers in one descriptor */
	struct virtio_buf v[8];
	for (int i = 0; i < 8; i++)
		v[i] = (struct virtio_buf){ seg[i], 8 };
	static int tok[5];
	/* no chain longer than the queue, indirect or not (2.7.5.3.1) */
	assert_int_equal(virtqueue_add(&vq, v, 4, 4, &tok[0]), VIRTIO_EINVAL);
	for (int i = 0; i < 4; i++) /* 4 chains of 4 in a queue of 4 */
		assert_int_equal(virtqueue_add(&vq, v, 2, 2, &tok[i]), 0);
	assert_int_equal(virtqueue_num_free(&vq), 0);
	virtqueue_kick(&vq);
	assert_int_equal(d->q[0].indirect_seen, 4);
	assert_int_equal(d->q[0].max_chain, 4);
	for (int i = 0; i < 4; i++) {
		void *t;
		uint32_t len;
		assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
		assert_ptr_equal(t, &tok[i]);
		assert_int_equal(len, 16);
	}
	assert_memory_equal(seg[2], "00000000", 8);
	assert_memory_equal(seg[3], "11111111", 8);
	/* a single buffer or a chain above VIRTQUEUE_INDIRECT_MAX goes direct */
	uint64_t before = d->q[0].indirect_seen;
	assert_int_equal(virtqueue_add(&vq, v, 1, 0, &tok[4]), 0);
	virtqueue_kick(&vq);
	assert_int_equal(d->q[0].indirect_seen, before);
	void *t;
	uint32_t len;
	assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
	for (int i = 0; i < 8; i++)
		vt_dma_free(seg[i], 8);
}

static void no_indirect_unless_negotiated(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 8);
	dm_echo_attach(d);
	d->device_features |= B(VIRTIO_F_INDIRECT_DESC);
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0); /* not wanted */
	struct bufs b = bufs_alloc();
	static int tok;
	assert_int_equal(add_pair(&vq, b.out, 4, b.in, 4, &tok), 0);
	virtqueue_kick(&vq);
	assert_int_equal(d->q[0].indirect_seen, 0);
	void *t;
	uint32_t len;
	assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
	bufs_free(&b);
}

static void bad_arguments(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 8);
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0);
	struct bufs b = bufs_alloc();
	static int tok;
	struct virtio_buf v[2] = { { b.out, 4 }, { b.in, 4 } };
	assert_int_equal(virtqueue_add(&vq, v, 1, 1, NULL), VIRTIO_EINVAL);
	assert_int_equal(virtqueue_add(&vq, v, 0, 0, &tok), VIRTIO_EINVAL);
	/* writable total overflowing 32 bits */
	struct virtio_buf big[3] = { { b.in, 0x80000000u }, { b.in, 0x80000000u },
				     { b.in, 1 } };
	assert_int_equal(virtqueue_add(&vq, big, 0, 3, &tok), VIRTIO_EINVAL);
	assert_int_equal(virtqueue_num_free(&vq), 8); /* nothing consumed */
	virtqueue_kick(&vq);
	assert_int_equal(d->q[0].notifies, 0); /* nothing to publish */
	assert_int_equal(dm_queue_avail_idx(d, 0), 0);
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
	bufs_free(&b);
}

static void queue_size_choice(void **state)
{
	(void)state;
	/* QueueNumMax not a power of two: the runtime rounds down */
	struct dm_device *d = vt_device(2, 3, 1, 100);
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0);
	assert_int_equal(virtqueue_size(&vq), 64);
	assert_int_equal(d->q[0].num, 64);
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
	/* explicit smaller size */
	d = vt_device(2, 3, 1, 256);
	vt_bring_up(&vdev, &vq, 0, 16);
	assert_int_equal(d->q[0].num, 16);
	vt_tear_down_queue(&vdev, &vq);
	/* a queue that does not exist */
	d = vt_device(2, 3, 1, 8);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, VT_LAYOUT), 0);
	assert_int_equal(virtqueue_setup(&vdev, &vq, 1, 0), VIRTIO_ENOQUEUE);
	assert_int_equal(virtqueue_setup(&vdev, &vq, 7, 0), VIRTIO_ENOQUEUE);
	/* out of DMA memory */
	virtio_host_dma_fail_next(1);
	assert_int_equal(virtqueue_setup(&vdev, &vq, 0, 0), VIRTIO_ENOMEM);
	virtio_host_dma_fail_next(0);
}

static void reset_reclaims_tokens(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 8);
	dm_echo_attach(d);
	d->q[0].defer = true;
	d->device_features |= B(VIRTIO_F_INDIRECT_DESC);
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, B(VIRTIO_F_INDIRECT_DESC), 0);
	struct bufs b = bufs_alloc();
	static int tok[6];
	for (int i = 0; i < 5; i++)
		assert_int_equal(add_pair(&vq, b.out, 1, b.in, 8, &tok[i]), 0);
	struct virtio_buf one = { b.in, 8 };
	assert_int_equal(virtqueue_add(&vq, &one, 0, 1, &tok[5]), 0);
	virtqueue_kick(&vq);
	dm_queue_complete(d, 0, 0); /* one completes, not yet taken */
	assert_int_equal(virtio_reset(&vdev), 0);
	unsigned seen = 0, count = 0;
	void *t;
	while ((t = virtqueue_detach_unused(&vq)) != NULL) {
		int i = (int *)t - tok;
		assert_true(i >= 0 && i < 6);
		assert_false(seen & (1u << i));
		seen |= 1u << i;
		count++;
	}
	assert_int_equal(count, 6);
	assert_int_equal(seen, 0x3f);
	assert_int_equal(virtqueue_in_flight(&vq), 0);
	/* refuses work until virtqueue_reset() */
	assert_int_equal(virtqueue_add(&vq, &one, 0, 1, &tok[5]), VIRTIO_EBROKEN);
	/* back in service after renegotiation */
	d->q[0].defer = false;
	assert_int_equal(virtio_negotiate(&vdev, VT_LAYOUT | B(VIRTIO_F_INDIRECT_DESC)), 0);
	assert_int_equal(virtqueue_reset(&vq), 0);
	assert_int_equal(virtio_driver_ok(&vdev), 0);
	assert_int_equal(add_pair(&vq, b.out, 3, b.in, 8, &tok[0]), 0);
	virtqueue_kick(&vq);
	uint32_t len;
	assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
	assert_ptr_equal(t, &tok[0]);
	assert_int_equal(len, 3);
	vt_assert_no_violations(d);
	vt_tear_down_queue(&vdev, &vq);
	bufs_free(&b);
}

static void features_change_across_reset(void **state)
{
	(void)state;
	/* negotiated INDIRECT + EVENT_IDX first, then neither, then both */
	struct dm_device *d = vt_device(2, 3, 1, 8);
	dm_echo_attach(d);
	d->device_features |= B(VIRTIO_F_INDIRECT_DESC) | B(VIRTIO_F_EVENT_IDX);
	struct virtio_device vdev;
	struct virtqueue vq;
	const uint64_t rounds[3] = { B(VIRTIO_F_INDIRECT_DESC) | B(VIRTIO_F_EVENT_IDX),
				     0,
				     B(VIRTIO_F_INDIRECT_DESC) | B(VIRTIO_F_EVENT_IDX) };
	uint8_t *seg[4];
	for (int i = 0; i < 4; i++)
		seg[i] = vt_dma(8);
	struct virtio_buf v[4] = { { seg[0], 8 }, { seg[1], 8 }, { seg[2], 8 },
				   { seg[3], 8 } };
	static int tok;
	for (int r = 0; r < 3; r++) {
		if (r == 0) {
			vt_bring_up(&vdev, &vq, rounds[0], 0);
		} else {
			assert_int_equal(virtio_reset(&vdev), 0);
			while (virtqueue_detach_unused(&vq))
				;
			assert_int_equal(virtio_negotiate(&vdev, VT_LAYOUT | rounds[r]), 0);
			assert_int_equal(virtqueue_reset(&vq), 0);
			assert_int_equal(virtio_driver_ok(&vdev), 0);
		}
		uint64_t ind = d->q[0].indirect_seen;
		assert_int_equal(virtqueue_add(&vq, v, 2, 2, &tok), 0);
		virtqueue_kick(&vq);
		void *t;
		uint32_t len;
		assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
		assert_int_equal(len, 16);
		/* indirect used exactly when negotiated this time */
		assert_int_equal(d->q[0].indirect_seen - ind,
				 (rounds[r] & B(VIRTIO_F_INDIRECT_DESC)) ? 1 : 0);
		/* used_event only maintained with EVENT_IDX */
		if (rounds[r] & B(VIRTIO_F_EVENT_IDX)) /* packed: off_wrap,
			 * one (indirect) descriptor on, lap 1 */
			assert_int_equal(dm_queue_used_event(d, 0),
					 vt_packed ? 0x8000 | 1 : 1);
		else
			assert_int_equal(dm_queue_used_event(d, 0), 0);
		vt_assert_no_violations(d);
	}
	vt_tear_down_queue(&vdev, &vq);
	for (int i = 0; i < 4; i++)
		vt_dma_free(seg[i], 8);
}

static void extreme_queue_sizes(void **state)
{
	(void)state;
	const uint16_t sizes[] = { 1, 2, 32768 };
	for (unsigned k = 0; k < 3; k++) {
		for (uint32_t version = 1; version <= 2; version++) {
			struct dm_device *d = vt_device(version, 3, 1, sizes[k]);
			dm_echo_attach(d);
			d->device_features |= B(VIRTIO_F_EVENT_IDX);
			struct virtio_device vdev;
			struct virtqueue vq;
			vt_bring_up(&vdev, &vq, B(VIRTIO_F_EVENT_IDX), 0);
			assert_int_equal(virtqueue_size(&vq), sizes[k]);
			struct bufs b = bufs_alloc();
			static int tok;
			unsigned n = sizes[k] == 1 ? 66000 : 300;
			for (unsigned i = 0; i < n; i++) {
				struct virtio_buf one = { b.in, 8 };
				assert_int_equal(virtqueue_add(&vq, &one, 0, 1, &tok), 0);
				virtqueue_kick(&vq);
				void *t;
				uint32_t len;
				assert_int_equal(virtqueue_get(&vq, &t, &len), 1);
				assert_int_equal(len, 0);
			}
			assert_int_equal(d->q[0].completed, n);
			vt_assert_no_violations(d);
			vt_tear_down_queue(&vdev, &vq);
			bufs_free(&b);
		}
	}
}

static void second_queue(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 2, 8);
	dm_echo_attach(d);
	struct virtio_device vdev;
	struct virtqueue q0, q1;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, VT_LAYOUT), 0);
	assert_int_equal(virtqueue_setup(&vdev, &q0, 0, 0), 0);
	assert_int_equal(virtqueue_setup(&vdev, &q1, 1, 4), 0);
	assert_int_equal(virtio_driver_ok(&vdev), 0);
	assert_int_equal(d->q[1].num, 4);
	struct bufs b = bufs_alloc();
	static int tok;
	assert_int_equal(add_pair(&q1, b.out, 2, b.in, 8, &tok), 0);
	virtqueue_kick(&q1);
	assert_int_equal(d->q[1].notifies, 1);
	assert_int_equal(d->q[0].notifies, 0);
	void *t;
	uint32_t len;
	assert_int_equal(virtqueue_get(&q0, &t, &len), 0);
	assert_int_equal(virtqueue_get(&q1, &t, &len), 1);
	assert_int_equal(len, 2);
	/* setting up a live queue again is refused */
	struct virtqueue again;
	assert_int_equal(virtqueue_setup(&vdev, &again, 1, 0), VIRTIO_EQUEUEBUSY);
	vt_assert_no_violations(d);
	assert_int_equal(virtio_reset(&vdev), 0);
	virtqueue_destroy(&q0);
	virtqueue_destroy(&q1);
	bufs_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip_modern_and_legacy, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(index_wraps_past_65536, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(wrap_with_out_of_order_batches, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(full_queue, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(out_of_order_completion, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(indirect_descriptors, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(no_indirect_unless_negotiated, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(bad_arguments, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(queue_size_choice, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(reset_reclaims_tokens, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(features_change_across_reset, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(extreme_queue_sizes, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(second_queue, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
