/*
 * A hostile device (DESIGN.md: everything the device writes is
 * untrusted). Each case makes the device model produce one bad value; the
 * runtime must report the specific error, mark the queue broken (later
 * add/get return VIRTIO_EBROKEN, nothing more is read from the rings),
 * never hand out a token twice or a length above the chain's writable
 * bytes, and recover after reset + renegotiation. Built with ASan/UBSan
 * (host.hostile_san) and under valgrind, any out-of-bounds access fails.
 */
#include "harness.h"

#include <string.h>

#define B(n) (1ull << (n))

struct fixture {
	struct dm_device *d;
	struct virtio_device vdev;
	struct virtqueue vq;
	uint8_t *out, *in;
	int tok[8];
};

static void setup(struct fixture *f, uint16_t qsize, uint64_t wanted)
{
	f->d = vt_device(2, 3, 1, qsize);
	f->d->device_features |= B(VIRTIO_F_INDIRECT_DESC) | B(VIRTIO_F_EVENT_IDX);
	dm_echo_attach(f->d);
	f->d->q[0].defer = true;
	vt_bring_up(&f->vdev, &f->vq, wanted, 0);
	f->out = vt_dma(16);
	f->in = vt_dma(16);
	memset(f->in, 0xcc, 16);
}

static void add_chain(struct fixture *f, int i, uint32_t in_len)
{
	struct virtio_buf v[2] = { { f->out, 4 }, { f->in, in_len } };
	assert_int_equal(virtqueue_add(&f->vq, v, 1, 1, &f->tok[i]), 0);
}

/* After the error: broken for good, nothing handed out. */
static void assert_broken(struct fixture *f, int err)
{
	assert_int_equal(virtqueue_broken(&f->vq), err);
	void *t = NULL;
	uint32_t len = 0;
	assert_int_equal(virtqueue_get(&f->vq, &t, &len), VIRTIO_EBROKEN);
	assert_null(t);
	struct virtio_buf v = { f->in, 4 };
	assert_int_equal(virtqueue_add(&f->vq, &v, 0, 1, &f->tok[7]),
			 VIRTIO_EBROKEN);
}

/* Reset, reclaim, renegotiate, reuse: the queue works again. */
static void recover(struct fixture *f, uint64_t wanted)
{
	assert_int_equal(virtio_reset(&f->vdev), 0);
	while (virtqueue_detach_unused(&f->vq))
		;
	assert_int_equal(virtqueue_in_flight(&f->vq), 0);
	f->d->q[0].defer = false;
	assert_int_equal(virtio_negotiate(&f->vdev, VT_LAYOUT | wanted), 0);
	assert_int_equal(virtqueue_reset(&f->vq), 0);
	assert_int_equal(virtqueue_broken(&f->vq), 0);
	assert_int_equal(virtio_driver_ok(&f->vdev), 0);
	add_chain(f, 0, 8);
	virtqueue_kick(&f->vq);
	void *t;
	uint32_t len;
	assert_int_equal(virtqueue_get(&f->vq, &t, &len), 1);
	assert_ptr_equal(t, &f->tok[0]);
	assert_int_equal(len, 4);
}

static void finish(struct fixture *f)
{
	vt_assert_no_violations(f->d);
	vt_tear_down_queue(&f->vdev, &f->vq);
	vt_dma_free(f->out, 16);
	vt_dma_free(f->in, 16);
}

static void expect_get_error(struct fixture *f, int err)
{
	void *t = NULL;
	uint32_t len = 0xdead;
	assert_int_equal(virtqueue_get(&f->vq, &t, &len), err);
	assert_null(t);
	assert_int_equal(len, 0xdead);
	assert_broken(f, err);
}

static void used_id_out_of_range(void **state)
{
	(void)state;
	const uint32_t params[] = { 0, 1, 0xffffffffu - 8, 0x10000u - 8 };
	/* packed ids are 16 bits: the last one wraps to a valid id 0 */
	for (unsigned k = 0; k < (vt_packed ? 3u : 4u); k++) {
		struct fixture f;
		setup(&f, 8, 0);
		add_chain(&f, 0, 8);
		virtqueue_kick(&f.vq);
		dm_queue_hostile(f.d, 0, DM_HOSTILE_ID_OUT_OF_RANGE, params[k]);
		dm_queue_complete(f.d, 0, 0);
		expect_get_error(&f, VIRTIO_EUSEDID);
		recover(&f, 0);
		finish(&f);
	}
}

static void used_id_not_a_head(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 8, 0);
	add_chain(&f, 0, 8); /* 2 descriptors: the second is not a head */
	virtqueue_kick(&f.vq);
	dm_queue_hostile(f.d, 0, DM_HOSTILE_ID_NOT_HEAD, 0);
	dm_queue_complete(f.d, 0, 0);
	/* packed ids are not ring positions: an id heading nothing is
	 * simply not in flight */
	expect_get_error(&f, vt_packed ? VIRTIO_EUSEDNOTINFLIGHT
				       : VIRTIO_EUSEDNOTHEAD);
	recover(&f, 0);
	finish(&f);
}

static void used_id_never_made_available(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 8, 0);
	add_chain(&f, 0, 8);
	virtqueue_kick(&f.vq);
	/* descriptor 6 is on the free list */
	dm_queue_push_used(f.d, 0, 6, 0);
	expect_get_error(&f, VIRTIO_EUSEDNOTINFLIGHT);
	recover(&f, 0);
	finish(&f);
}

static void used_id_completed_twice(void **state)
{
	(void)state;
	for (int indirect = 0; indirect <= 1; indirect++) {
		uint64_t w = indirect ? B(VIRTIO_F_INDIRECT_DESC) : 0;
		struct fixture f;
		setup(&f, 8, w);
		add_chain(&f, 0, 8);
		add_chain(&f, 1, 8);
		virtqueue_kick(&f.vq);
		dm_queue_hostile(f.d, 0, DM_HOSTILE_ID_TWICE, 0);
		dm_queue_complete(f.d, 0, 0);
		void *t;
		uint32_t len;
		assert_int_equal(virtqueue_get(&f.vq, &t, &len), 1);
		assert_ptr_equal(t, &f.tok[0]);
		/* the second report of the same id */
		expect_get_error(&f, VIRTIO_EUSEDNOTINFLIGHT);
		recover(&f, w);
		finish(&f);
	}
}

static void used_len_above_writable(void **state)
{
	(void)state;
	const uint32_t params[] = { 0 /* UINT32_MAX */, 1, 4096 };
	for (int indirect = 0; indirect <= 1; indirect++) {
		for (unsigned k = 0; k < 3; k++) {
			uint64_t w = indirect ? B(VIRTIO_F_INDIRECT_DESC) : 0;
			struct fixture f;
			setup(&f, 8, w);
			add_chain(&f, 0, 8);
			virtqueue_kick(&f.vq);
			dm_queue_hostile(f.d, 0, DM_HOSTILE_LEN_TOO_BIG, params[k]);
			dm_queue_complete(f.d, 0, 0);
			expect_get_error(&f, VIRTIO_EUSEDLEN);
			/* bytes after the writable 8 were never touched */
			for (int i = 8; i < 16; i++)
				assert_int_equal(f.in[i], 0xcc);
			recover(&f, w);
			finish(&f);
		}
	}
}

static void used_len_on_readonly_chain(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 8, 0);
	struct virtio_buf v = { f.out, 4 };
	assert_int_equal(virtqueue_add(&f.vq, &v, 1, 0, &f.tok[0]), 0);
	virtqueue_kick(&f.vq);
	dm_queue_complete_len(f.d, 0, 0, 1); /* nothing was writable */
	if (vt_packed) {
		/* without WRITE in the used descriptor, len is reserved and
		 * ignored (spec 2.8.4): the driver sees 0, never 1 */
		void *t = NULL;
		uint32_t len = 0xdead;
		assert_int_equal(virtqueue_get(&f.vq, &t, &len), 1);
		assert_ptr_equal(t, &f.tok[0]);
		assert_int_equal(len, 0);
		finish(&f);
		return;
	}
	expect_get_error(&f, VIRTIO_EUSEDLEN);
	recover(&f, 0);
	finish(&f);
}

static void used_idx_jumps(void **state)
{
	(void)state;
	const uint32_t params[] = { 0, 100, 65535 - 9 };
	for (unsigned k = 0; k < 3; k++) {
		struct fixture f;
		setup(&f, 8, 0);
		add_chain(&f, 0, 8);
		add_chain(&f, 1, 8);
		virtqueue_kick(&f.vq);
		dm_queue_hostile(f.d, 0, DM_HOSTILE_IDX_JUMP, params[k]);
		dm_queue_complete(f.d, 0, 0);
		expect_get_error(&f, VIRTIO_EUSEDIDX);
		recover(&f, 0);
		finish(&f);
	}
}

static void used_idx_ahead_of_in_flight(void **state)
{
	(void)state;
	/* two chains in flight, the device claims three completions */
	for (int indirect = 0; indirect <= 1; indirect++) {
		uint64_t w = indirect ? B(VIRTIO_F_INDIRECT_DESC) : 0;
		struct fixture f;
		setup(&f, 8, w);
		add_chain(&f, 0, 8);
		add_chain(&f, 1, 8);
		virtqueue_kick(&f.vq);
		dm_queue_set_used_idx(f.d, 0, 3);
		expect_get_error(&f, VIRTIO_EUSEDIDX);
		recover(&f, w);
		finish(&f);
	}
}

/*
 * A chain added after the last kick: the split ring publishes its index
 * only at the next kick, the packed ring at once; either way the device
 * may have read it (its entry and descriptors are there), so a used entry
 * for it is accepted. (Runtime bug T1 refused it; no longer a lie.)
 */
static void used_entry_for_chain_added_without_kick(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 8, 0);
	add_chain(&f, 0, 8);
	virtqueue_kick(&f.vq);
	add_chain(&f, 1, 8); /* no kick */
	assert_int_equal(f.d->q[0].notifies, 1);
	assert_int_equal(dm_queue_avail_idx(f.d, 0), vt_packed ? 2 : 1);
	/* its head: avail entry 1 (split), ring position 2 (packed) */
	dm_queue_push_used(f.d, 0, dm_queue_chain_id(f.d, 0, vt_packed ? 2 : 1),
			   3);
	void *t = NULL;
	uint32_t len;
	assert_int_equal(virtqueue_get(&f.vq, &t, &len), 1);
	assert_ptr_equal(t, &f.tok[1]);
	assert_int_equal(len, 3);
	assert_int_equal(virtqueue_get(&f.vq, &t, &len), 0);
	assert_int_equal(virtqueue_in_flight(&f.vq), 1);
	finish(&f);
}

static void used_idx_beyond_chains_added(void **state)
{
	(void)state;
	/* two chains in flight (one kicked, one only added: both visible),
	 * one completed: used idx 3 is a lie */
	struct fixture f;
	setup(&f, 8, 0);
	add_chain(&f, 0, 8);
	virtqueue_kick(&f.vq);
	add_chain(&f, 1, 8); /* not kicked */
	dm_queue_complete(f.d, 0, 0);
	dm_queue_set_used_idx(f.d, 0, 3);
	if (vt_packed) {
		/* packed: the honest used descriptor comes first; the lie (a
		 * used descriptor of the wrong lap) reads like the stale slot
		 * it replaced: nothing is handed out, whether or not it is
		 * called an error */
		void *t = NULL;
		uint32_t len;
		assert_int_equal(virtqueue_get(&f.vq, &t, &len), 1);
		assert_ptr_equal(t, &f.tok[0]);
		t = NULL;
		assert_true(virtqueue_get(&f.vq, &t, &len) <= 0);
		assert_null(t);
	} else {
		expect_get_error(&f, VIRTIO_EUSEDIDX);
	}
	recover(&f, 0);
	finish(&f);
}

static void used_idx_moves_backwards(void **state)
{
	(void)state;
	struct fixture f;
	setup(&f, 8, 0);
	add_chain(&f, 0, 8);
	virtqueue_kick(&f.vq);
	dm_queue_complete(f.d, 0, 0);
	void *t;
	uint32_t len;
	assert_int_equal(virtqueue_get(&f.vq, &t, &len), 1);
	add_chain(&f, 1, 8);
	virtqueue_kick(&f.vq);
	dm_queue_set_used_idx(f.d, 0, 0); /* 1 -> 0: 65535 "new" entries */
	expect_get_error(&f, VIRTIO_EUSEDIDX);
	recover(&f, 0);
	finish(&f);
}

static void hostile_queue_num_max(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct virtqueue vq;
	/* 0: no queue */
	struct dm_device *d = vt_device(2, 3, 1, 0);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, VT_LAYOUT), 0);
	assert_int_equal(virtqueue_setup(&vdev, &vq, 0, 0), VIRTIO_ENOQUEUE);
	assert_int_equal(d->q[0].live, false);
	/* 0xffff (not a power of two, not 0x8000): clamped, rounded down */
	d = vt_device(2, 3, 1, 0xffff);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, VT_LAYOUT), 0);
	assert_int_equal(virtqueue_setup(&vdev, &vq, 0, 0), 0);
	assert_true(virtqueue_size(&vq) <= 32768);
	assert_int_equal(virtqueue_size(&vq) & (virtqueue_size(&vq) - 1), 0);
	assert_int_equal(d->q[0].num, virtqueue_size(&vq));
	vt_assert_no_violations(d);
	assert_int_equal(virtio_reset(&vdev), 0);
	virtqueue_destroy(&vq);
}

static void hostile_status_registers(void **state)
{
	(void)state;
	struct virtio_device vdev;
	/* FEATURES_OK refused */
	struct dm_device *d = vt_device(2, 2, 1, 8);
	d->refuse_features_ok = true;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, ~0ull), VIRTIO_EFEATURES);
	assert_true(d->status & DM_S_FAILED);
	/* status never reads 0 after reset */
	d = vt_device(2, 2, 1, 8);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	d->status = DM_S_ACKNOWLEDGE;
	d->reset_never_completes = true;
	virtio_host_time_set_autostep(50000);
	assert_int_equal(virtio_reset(&vdev), VIRTIO_ETIMEDOUT);
	virtio_host_time_set_autostep(0);
	/* NEEDS_RESET */
	d = vt_device(2, 2, 1, 8);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, VT_LAYOUT), 0);
	dm_set_needs_reset(d);
	assert_int_equal(virtio_check_status(&vdev), VIRTIO_ENEEDSRESET);
	/* bad magic, bad version, device id 0 */
	d = vt_device(2, 2, 1, 8);
	d->magic = 0x12345678;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), VIRTIO_EMAGIC);
	d->magic = DM_MAGIC;
	d->version = 7;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), VIRTIO_EVERSION);
	d->version = 2;
	d->device_id = 0;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), VIRTIO_ENODEV);
	assert_int_equal(d->status_writes, 0);
}

static void config_generation_changes_on_every_read(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct dm_blk *b = dm_blk_attach(d, 64);
	d->generation_always_changes = true;
	struct virtio_device vdev;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	(void)virtio_config_read64(&vdev, 0); /* returns, bounded */
	assert_true(d->generation_reads <= 2 * VIRTIO_CONFIG_RETRIES + 2);
	struct virtio_blk_config cfg;
	assert_int_equal(virtio_blk_config_read(&vdev, &cfg), -1);
	/* the blk driver does not trust a configuration it cannot read
	 * consistently: it gives up (bounded) and says so */
	struct virtio_blk blk;
	assert_int_equal(virtio_blk_init(&blk, &vdev), VIRTIO_ECONFIGUNSTABLE);
	assert_true(d->status & DM_S_FAILED);
	assert_false(d->status & DM_S_DRIVER_OK);
	vt_assert_no_violations(d);
	dm_blk_free(b);
}

static void absurd_blk_config(void **state)
{
	(void)state;
	const uint32_t bad_sizes[] = { 0, 3, 511, 513, 0x80000000u, 0xffffffffu };
	for (unsigned k = 0; k < sizeof(bad_sizes) / sizeof(bad_sizes[0]); k++) {
		struct dm_device *d = vt_device(2, 2, 1, 8);
		struct dm_blk *b = dm_blk_attach(d, 64);
		dm_config_set_le32(d, 20, bad_sizes[k]);
		struct virtio_device vdev;
		struct virtio_blk blk;
		assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
		size_t dma_before = virtio_host_dma_outstanding_count();
		assert_int_equal(virtio_blk_init(&blk, &vdev), VIRTIO_ECONFIG);
		assert_true(d->status & DM_S_FAILED);
		assert_false(d->status & DM_S_DRIVER_OK);
		if (virtio_host_dma_outstanding_count() != dma_before)
			fail_msg("virtio_blk_init failed with ECONFIG (blk_size %#x) and "
				 "left %zu DMA allocations behind", bad_sizes[k],
				 virtio_host_dma_outstanding_count() - dma_before);
		dm_blk_free(b);
	}
	/* capacity far beyond the disk: I/O near the top is refused by the
	 * range check (no overflow) or by the device, never wraps */
	struct dm_device *d = vt_device(2, 2, 1, 8);
	struct dm_blk *b = dm_blk_attach(d, 64);
	dm_config_set_le64(d, 0, UINT64_MAX);
	struct virtio_device vdev;
	struct virtio_blk blk;
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_blk_init(&blk, &vdev), 0);
	uint8_t *buf = vt_dma(1024);
	uint64_t reads = b->reads;
	assert_int_equal(virtio_blk_read(&blk, UINT64_MAX - 1, buf, 2), VIRTIO_EINVAL);
	assert_int_equal(virtio_blk_read(&blk, UINT64_MAX, buf, 1), VIRTIO_EINVAL);
	assert_int_equal(b->reads, reads); /* none reached the device */
	/* inside the claimed capacity but beyond the disk: the device says IOERR */
	assert_int_equal(virtio_blk_read(&blk, 1000, buf, 2), VIRTIO_EIO);
	virtio_blk_destroy(&blk);
	vt_dma_free(buf, 1024);
	vt_assert_no_violations(d);
	dm_blk_free(b);
}


/*
 * A device that can write all the DMA memory of the queue (bounce-buffer
 * pools, confidential VMs, any platform where DMA memory is a
 * device-writable window) must not be able to forge the token or the
 * bookkeeping virtqueue_get relies on: here it overwrites everything after
 * the used ring in the rings' allocation, then completes a request
 * honestly. (Was open runtime bug T2: the private state shared that
 * allocation.)
 */
static void device_writes_rest_of_queue_memory(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 8);
	dm_echo_attach(d);
	d->q[0].defer = true;
	struct virtio_device vdev;
	struct virtqueue vq;
	vt_bring_up(&vdev, &vq, 0, 0);
	uint8_t *out = vt_dma(16), *in = vt_dma(16);
	static int tok;
	struct virtio_buf v[2] = { { out, 4 }, { in, 8 } };
	assert_int_equal(virtqueue_add(&vq, v, 1, 1, &tok), 0);
	virtqueue_kick(&vq);
	/* split: after the used ring; packed: after the device area */
	uint64_t used_end = d->q[0].used_addr +
			    (vt_packed ? 4 : 6 + 8ull * d->q[0].num);
	uint64_t start, size;
	assert_true(virtio_host_dma_find(d->q[0].used_addr, &start, &size));
	if (start + size > used_end)
		memset(virtio_port_phys_to_virt(used_end), 0x41,
		       (size_t)(start + size - used_end));
	dm_queue_complete(d, 0, 0);
	void *t = NULL;
	uint32_t len = 0;
	int r = virtqueue_get(&vq, &t, &len);
	if (r == 1 && t != &tok)
		fail_msg("virtqueue_get returned token %p written by the device "
			 "(expected %p)", t, (void *)&tok);
	assert_int_equal(r, 1);
	assert_ptr_equal(t, &tok);
	assert_int_equal(len, 4);
	vt_tear_down_queue(&vdev, &vq);
	vt_dma_free(out, 16);
	vt_dma_free(in, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(used_id_out_of_range, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_id_not_a_head, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_id_never_made_available, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_id_completed_twice, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_len_above_writable, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_len_on_readonly_chain, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_idx_jumps, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_idx_ahead_of_in_flight, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_idx_beyond_chains_added, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_idx_moves_backwards, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_entry_for_chain_added_without_kick, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(hostile_queue_num_max, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(hostile_status_registers, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(config_generation_changes_on_every_read, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(absurd_blk_config, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(device_writes_rest_of_queue_memory, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
