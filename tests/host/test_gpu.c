/*
 * The virtio-gpu 2D driver (spec 5.7) against the GPU backend: display
 * info and EDID, the whole resource life cycle with the pixels checked on
 * the device side, the cursor queue, display-change events, and a hostile
 * device (wrong response types, short responses, missing or wrong fence
 * echo, absurd num_scanouts, display sizes and EDID sizes, a device that
 * never answers).
 */
#include "harness.h"

#include <string.h>

#include <virtio/drivers/gpu.h>

#include "backend_gpu.h"

struct fixture {
	struct dm_device *d;
	struct dm_gpu *m;
	struct virtio_device vdev;
	struct virtio_gpu gpu;
};

static void probe(struct fixture *f, uint32_t version)
{
	f->d = vt_device(version, 16, 2, 64);
	f->m = dm_gpu_attach(f->d);
	f->d->strict_buffers = true;
	assert_int_equal(virtio_mmio_probe(&f->vdev, VT_BASE), 0);
}

static void setup(struct fixture *f, uint32_t version)
{
	probe(f, version);
	assert_int_equal(virtio_gpu_init(&f->gpu, &f->vdev), 0);
	assert_true(f->d->status & DM_S_DRIVER_OK);
}

static void finish(struct fixture *f)
{
	vt_assert_no_violations(f->d);
	virtio_gpu_destroy(&f->gpu);
	dm_gpu_free(f->m);
}

static void display_info_and_edid(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		uint8_t edid[1024];

		setup(&f, version);
		assert_int_equal(f.gpu.num_scanouts, 1);
		assert_true(f.gpu.display[0].enabled);
		assert_int_equal(f.gpu.display[0].width, 1024);
		assert_int_equal(f.gpu.display[0].height, 768);
		assert_true(f.gpu.has_edid);
		assert_int_equal(virtio_gpu_get_edid(&f.gpu, 0, edid, sizeof(edid)), 128);
		assert_memory_equal(edid, f.m->edid, 128);
		/* a scanout the device does not have never reaches it */
		uint64_t before = f.m->commands;
		assert_int_equal(virtio_gpu_get_edid(&f.gpu, 1, edid, sizeof(edid)), VIRTIO_EINVAL);
		assert_int_equal(f.m->commands, before);
		/* every request carried a fence */
		assert_int_equal(f.m->last_flags & VIRTIO_GPU_FLAG_FENCE, VIRTIO_GPU_FLAG_FENCE);
		finish(&f);
	}
}

static void no_edid_feature(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t edid[16];

	probe(&f, 2);
	f.d->device_features &= ~DM_BIT(DM_GPU_F_EDID);
	assert_int_equal(virtio_gpu_init(&f.gpu, &f.vdev), 0);
	assert_false(f.gpu.has_edid);
	assert_int_equal(virtio_gpu_get_edid(&f.gpu, 0, edid, sizeof(edid)), VIRTIO_EUNSUPP);
	finish(&f);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 13 + (i >> 8));
}

static void resource_life_cycle(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		const uint32_t w = 64, h = 48, bytes = w * h * 4;
		struct virtio_buf mem[3];
		uint8_t *ref = test_malloc(bytes);
		uint32_t cut[3] = {5000, 3000, bytes - 8000};

		setup(&f, version);
		/* three separately allocated pieces, odd sizes */
		for (unsigned i = 0; i < 3; i++) {
			mem[i].addr = vt_dma(cut[i]);
			mem[i].len = cut[i];
		}
		fill(ref, bytes, version);
		for (unsigned i = 0, off = 0; i < 3; off += cut[i], i++)
			memcpy(mem[i].addr, ref + off, cut[i]);
		assert_int_equal(virtio_gpu_resource_create_2d(&f.gpu, 7,
				 VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, w, h), 0);
		assert_int_equal(virtio_gpu_attach_backing(&f.gpu, 7, mem, 3), 0);
		struct dm_gpu_resource *res = dm_gpu_resource(f.m, 7);
		assert_non_null(res);
		assert_int_equal(res->nr_entries, 3);
		assert_int_equal(res->entry_len[1], 3000);
		struct virtio_gpu_box2d all = {0, 0, w, h};
		assert_int_equal(virtio_gpu_set_scanout(&f.gpu, 0, 7, &all), 0);
		assert_int_equal(f.m->scanout[0].resource_id, 7);
		assert_int_equal(virtio_gpu_transfer_to_host_2d(&f.gpu, 7, &all, 0), 0);
		assert_memory_equal(res->pixels, ref, bytes);
		/* a sub-rectangle at its offset: only it changes */
		for (unsigned i = 0; i < 3; i++)
			memset(mem[i].addr, 0xee, cut[i]);
		struct virtio_gpu_box2d part = {8, 10, 16, 4};
		assert_int_equal(virtio_gpu_transfer_to_host_2d(&f.gpu, 7, &part,
				 (10 * w + 8) * 4), 0);
		for (uint32_t y = 0; y < h; y++)
			for (uint32_t x = 0; x < w; x++) {
				bool in = x >= 8 && x < 24 && y >= 10 && y < 14;
				size_t o = (y * w + x) * 4;
				assert_int_equal(res->pixels[o], in ? 0xee : ref[o]);
			}
		assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 7, &all), 0);
		assert_int_equal(f.m->flushes, 1);
		assert_int_equal(virtio_gpu_detach_backing(&f.gpu, 7), 0);
		assert_int_equal(res->nr_entries, 0);
		assert_int_equal(virtio_gpu_resource_unref(&f.gpu, 7), 0);
		assert_int_equal(dm_gpu_resource_count(f.m), 0);
		assert_int_equal(f.m->scanout[0].resource_id, 0);
		/* gone: the device's error comes back as VIRTIO_EIO with its type */
		assert_int_equal(virtio_gpu_resource_unref(&f.gpu, 7), VIRTIO_EIO);
		assert_int_equal(f.gpu.last_resp, VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
		/* and the queue still works */
		assert_int_equal(virtio_gpu_get_display_info(&f.gpu), 0);
		for (unsigned i = 3; i-- > 0;)
			vt_dma_free(mem[i].addr, cut[i]);
		test_free(ref);
		finish(&f);
	}
}

static void argument_checks(void **state)
{
	(void)state;
	struct fixture f;
	struct virtio_gpu_box2d r = {0, 0, 1, 1};
	struct virtio_buf mem[65];
	uint8_t *buf = vt_dma(65 * 16);

	setup(&f, 2);
	for (unsigned i = 0; i < 65; i++) {
		mem[i].addr = buf + i * 16;
		mem[i].len = 16;
	}
	uint64_t before = f.m->commands;
	assert_int_equal(virtio_gpu_resource_create_2d(&f.gpu, 0, 2, 1, 1), VIRTIO_EINVAL);
	assert_int_equal(virtio_gpu_resource_unref(&f.gpu, 0), VIRTIO_EINVAL);
	assert_int_equal(virtio_gpu_attach_backing(&f.gpu, 3, mem, 0), VIRTIO_EINVAL);
	assert_int_equal(virtio_gpu_attach_backing(&f.gpu, 3, mem, 65), VIRTIO_EINVAL);
	assert_int_equal(virtio_gpu_set_scanout(&f.gpu, 1, 3, &r), VIRTIO_EINVAL);
	assert_int_equal(virtio_gpu_set_scanout(&f.gpu, 0xffffffffu, 3, &r), VIRTIO_EINVAL);
	assert_int_equal(virtio_gpu_move_cursor(&f.gpu, 1, 0, 0), VIRTIO_EINVAL);
	assert_int_equal(virtio_gpu_update_cursor(&f.gpu, 0, 3, 64, 0, 0, 0), VIRTIO_EINVAL);
	assert_int_equal(f.m->commands, before);
	assert_int_equal(f.m->cursor_cmds, 0);
	/* 64 entries is the limit and works */
	assert_int_equal(virtio_gpu_resource_create_2d(&f.gpu, 3, 2, 16, 16), 0);
	assert_int_equal(virtio_gpu_attach_backing(&f.gpu, 3, mem, 64), 0);
	assert_int_equal(dm_gpu_resource(f.m, 3)->nr_entries, 64);
	vt_dma_free(buf, 65 * 16);
	finish(&f);
}

static void cursor(void **state)
{
	(void)state;
	struct fixture f;

	setup(&f, 1);
	assert_int_equal(virtio_gpu_update_cursor(&f.gpu, 0, 9, 3, 4, 100, 200), 0);
	assert_int_equal(f.m->cursor_type, VIRTIO_GPU_CMD_UPDATE_CURSOR);
	assert_int_equal(f.m->cursor_res, 9);
	assert_int_equal(f.m->cursor_hot_x, 3);
	assert_int_equal(f.m->cursor_hot_y, 4);
	assert_int_equal(f.m->cursor_x, 100);
	assert_int_equal(f.m->cursor_y, 200);
	assert_int_equal(virtio_gpu_move_cursor(&f.gpu, 0, 7, 8), 0);
	assert_int_equal(f.m->cursor_type, VIRTIO_GPU_CMD_MOVE_CURSOR);
	assert_int_equal(f.m->cursor_x, 7);
	assert_int_equal(f.m->cursor_y, 8);
	assert_int_equal(f.m->cursor_cmds, 2);
	finish(&f);
}

static void display_events(void **state)
{
	(void)state;
	struct fixture f;

	setup(&f, 2);
	assert_int_equal(virtio_gpu_poll_events(&f.gpu), 0);
	f.m->scanout[0].width = 800;
	f.m->scanout[0].height = 600;
	dm_gpu_display_event(f.m);
	assert_int_equal(virtio_gpu_poll_events(&f.gpu), 1);
	assert_int_equal(f.gpu.display[0].width, 800);
	assert_int_equal(f.gpu.display[0].height, 600);
	assert_int_equal(dm_gpu_events_read(f.m), 0); /* cleared */
	assert_int_equal(virtio_gpu_poll_events(&f.gpu), 0);
	finish(&f);
}

/* Every response is checked: type, length, fence. Each hostile answer
 * replaces one the device would otherwise give as a success. */
static void hostile_responses(void **state)
{
	(void)state;
	struct fixture f;
	struct virtio_gpu_box2d r = {0, 0, 4, 4};

	setup(&f, 2);
	assert_int_equal(virtio_gpu_resource_create_2d(&f.gpu, 1, 2, 4, 4), 0);
	assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 1, &r), 0);
	/* success of the wrong kind */
	f.m->next_type = VIRTIO_GPU_RESP_OK_NODATA;
	assert_int_equal(virtio_gpu_get_display_info(&f.gpu), VIRTIO_EIO);
	f.m->next_type = VIRTIO_GPU_RESP_OK_DISPLAY_INFO;
	assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 1, &r), VIRTIO_EIO);
	assert_int_equal(f.gpu.last_resp, VIRTIO_GPU_RESP_OK_DISPLAY_INFO);
	/* a command type, junk, an error */
	f.m->next_type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO;
	assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 1, &r), VIRTIO_EIO);
	f.m->next_type = 0xdeadbeef;
	assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 1, &r), VIRTIO_EIO);
	f.m->next_type = VIRTIO_GPU_RESP_ERR_UNSPEC;
	assert_int_equal(virtio_gpu_get_display_info(&f.gpu), VIRTIO_EIO);
	/* right type, too short: a header-only display info, a 4-byte answer, nothing */
	f.m->next_len = 24;
	assert_int_equal(virtio_gpu_get_display_info(&f.gpu), VIRTIO_EIO);
	f.m->next_len = 4;
	assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 1, &r), VIRTIO_EIO);
	f.m->next_len = 0;
	assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 1, &r), VIRTIO_EIO);
	/* no fence echo, a wrong fence */
	f.m->next_no_fence = true;
	assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 1, &r), VIRTIO_EIO);
	f.m->next_bad_fence = true;
	assert_int_equal(virtio_gpu_get_display_info(&f.gpu), VIRTIO_EIO);
	/* the display info kept its last good values throughout */
	assert_int_equal(f.gpu.display[0].width, 1024);
	/* and honest answers still work */
	assert_int_equal(virtio_gpu_get_display_info(&f.gpu), 0);
	assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 1, &r), 0);
	assert_int_equal(f.m->flushes, 8);
	/* used len beyond the response buffer: the queue refuses it */
	f.m->next_len = 25;
	assert_int_equal(virtio_gpu_resource_flush(&f.gpu, 1, &r), VIRTIO_EUSEDLEN);
	assert_int_equal(virtio_gpu_get_display_info(&f.gpu), VIRTIO_EBROKEN);
	assert_true(f.d->status & DM_S_FAILED);
	finish(&f);
}

static void hostile_config(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t edid[100];

	/* no scanout at all */
	probe(&f, 2);
	dm_gpu_set_num_scanouts(f.m, 0);
	assert_int_equal(virtio_gpu_init(&f.gpu, &f.vdev), VIRTIO_ECONFIG);
	assert_true(f.d->status & DM_S_FAILED || f.d->status == 0);
	dm_gpu_free(f.m);

	/* far too many: bounded to 16, entries all read from the 16 there are */
	probe(&f, 1);
	dm_gpu_set_num_scanouts(f.m, 0xffffffffu);
	f.m->pmodes_reported = 16;
	for (unsigned i = 0; i < 16; i++) {
		f.m->scanout[i].width = 100 + i;
		f.m->scanout[i].height = 50;
		f.m->scanout[i].enabled = 1;
	}
	f.m->scanout[3].width = 0xffffffffu; /* absurd size: disabled */
	f.m->scanout[4].height = 0;
	assert_int_equal(virtio_gpu_init(&f.gpu, &f.vdev), 0);
	assert_int_equal(f.gpu.num_scanouts, 16);
	assert_int_equal(f.gpu.num_scanouts_offered, 0xffffffffu);
	assert_int_equal(f.gpu.display[15].width, 115);
	assert_true(f.gpu.display[15].enabled);
	assert_false(f.gpu.display[3].enabled);
	assert_false(f.gpu.display[4].enabled);
	finish(&f);

	/* entries past num_scanouts are ignored */
	probe(&f, 2);
	f.m->pmodes_reported = 16;
	f.m->scanout[1].width = 640;
	f.m->scanout[1].height = 480;
	f.m->scanout[1].enabled = 1;
	assert_int_equal(virtio_gpu_init(&f.gpu, &f.vdev), 0);
	assert_false(f.gpu.display[1].enabled);
	assert_int_equal(f.gpu.display[1].width, 0);
	/* an EDID size beyond the array and beyond the caller's buffer */
	f.m->edid_size = 5000;
	assert_int_equal(virtio_gpu_get_edid(&f.gpu, 0, edid, sizeof(edid)), 100);
	assert_memory_equal(edid, f.m->edid, 100);
	uint8_t *big = test_malloc(2048);
	memset(big, 0x5a, 2048);
	assert_int_equal(virtio_gpu_get_edid(&f.gpu, 0, big, 2048), 1024);
	assert_int_equal(big[1024], 0x5a); /* nothing past the array */
	test_free(big);
	finish(&f);
}

static void never_answers(void **state)
{
	(void)state;
	struct fixture f;

	setup(&f, 2);
	f.d->q[0].defer = true;
	virtio_host_time_set_autostep(10000);
	assert_int_equal(virtio_gpu_get_display_info(&f.gpu), VIRTIO_ETIMEDOUT);
	assert_true(f.d->status_log[f.d->status_writes - 1] & DM_S_FAILED);
	assert_int_equal(virtio_gpu_resource_unref(&f.gpu, 1), VIRTIO_EBROKEN);
	assert_int_equal(virtio_gpu_move_cursor(&f.gpu, 0, 1, 1), VIRTIO_EBROKEN);
	finish(&f);
}

static void init_errors(void **state)
{
	(void)state;
	struct fixture f;

	f.d = vt_device(2, 2, 2, 64);
	assert_int_equal(virtio_mmio_probe(&f.vdev, VT_BASE), 0);
	assert_int_equal(virtio_gpu_init(&f.gpu, &f.vdev), VIRTIO_EINVAL);
	/* DMA exhausted */
	probe(&f, 2);
	virtio_host_dma_fail_next(1);
	assert_int_equal(virtio_gpu_init(&f.gpu, &f.vdev), VIRTIO_ENOMEM);
	virtio_host_dma_fail_next(0);
	dm_gpu_free(f.m);
	/* the first display info fails: init fails, FAILED, nothing leaks */
	probe(&f, 2);
	f.m->next_type = VIRTIO_GPU_RESP_ERR_UNSPEC;
	assert_int_equal(virtio_gpu_init(&f.gpu, &f.vdev), VIRTIO_EIO);
	assert_true(f.d->status_log[f.d->status_writes - 1] & DM_S_FAILED ||
		    f.d->status == 0);
	dm_gpu_free(f.m);
	/* no cursor queue */
	f.d = vt_device(2, 16, 1, 64);
	f.m = dm_gpu_attach(f.d);
	f.d->quiet = true;
	assert_int_equal(virtio_mmio_probe(&f.vdev, VT_BASE), 0);
	assert_int_equal(virtio_gpu_init(&f.gpu, &f.vdev), VIRTIO_ENOQUEUE);
	dm_gpu_free(f.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(display_info_and_edid, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(no_edid_feature, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(resource_life_cycle, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(argument_checks, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(cursor, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(display_events, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(hostile_responses, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(hostile_config, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(never_answers, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(init_errors, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
