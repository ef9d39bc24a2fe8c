/*
 * Self-tests of the virtio-gpu 2D driver.
 *
 * Per device (gpu<i> = i-th GPU by slot):
 *   display-info  num_scanouts in 1..16, scanout 0 enabled with a size
 *   edid          (EDID offered) a valid EDID block: header and checksum;
 *                 its preferred mode is printed (edid_preferred=<w>x<h>)
 *   events        display-change events read and cleared from config
 *   errors        an unknown resource is answered with the device's
 *                 ERR_INVALID_RESOURCE_ID (checked response type), a
 *                 scanout past num_scanouts is refused by the driver
 *   resource      create, attach backing from 4 separate pieces, transfer,
 *                 flush, detach, unref, and unref again must fail
 *   cursor        a 64x64 cursor image: update, move, hide
 *   draw          the test pattern on scanout 0 (interact.py: 4 x 2 blocks
 *                 of known colours), copied in two halves, then
 *   GPU gpu<i> slot=<n> drawn=<w>x<h> entries=<n>
 * The pattern stays on the screen until the firmware exits: the harness
 * takes its screendump when the input tests print READY.
 */
#include <virtio/drivers/gpu.h>

#include "selftest.h"

#define MAX_GPU 8
/* Largest framebuffer drawn: larger displays get a halved scanout. */
#define FB_MAX_BYTES (2u * 1024u * 1024u)
#define FB_PIECES 16u           /* backing entries of the framebuffer */
#define RES_FB 1u
#define RES_SCRATCH 2u
#define RES_CURSOR 3u
#define RES_NEVER 77u           /* never created */
#define BPP 4u                  /* B8G8R8X8 */

struct gpu_slot {
	struct virtio_device dev;
	struct virtio_gpu gpu;
	unsigned slot;
	bool ready;
};

static struct gpu_slot gpus[MAX_GPU];
static unsigned n_gpu;

/* The pattern's colours (R, G, B), the same as interact.BLOCK_COLOURS. */
static const uint8_t colours[8][3] = {
	{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255},
	{0, 0, 0}, {255, 255, 0}, {0, 255, 255}, {255, 0, 255},
};

static void put_pixel(uint8_t *p, const uint8_t rgb[3])
{
	/* B8G8R8X8: blue first in memory */
	p[0] = rgb[2];
	p[1] = rgb[1];
	p[2] = rgb[0];
	p[3] = 0xff;
}

static void fill(uint8_t *fb, uint32_t w, uint32_t h, const uint8_t rgb[3])
{
	for (uint32_t i = 0; i < w * h; i++)
		put_pixel(fb + i * BPP, rgb);
}

static void draw_pattern(uint8_t *fb, uint32_t w, uint32_t h)
{
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			put_pixel(fb + (y * w + x) * BPP,
				  colours[(y * 2 / h) * 4 + x * 4 / w]);
}

static void gpu_display_info(unsigned i)
{
	struct virtio_gpu *g = &gpus[i].gpu;
	const struct virtio_gpu_display *d = &g->display[0];

	board_printf("GPU gpu%u slot=%u scanouts=%u offered=%u width=%u height=%u enabled=%u"
		     " edid=%u\n", i, gpus[i].slot, (unsigned)g->num_scanouts,
		     (unsigned)g->num_scanouts_offered, (unsigned)d->width,
		     (unsigned)d->height, d->enabled ? 1u : 0u, g->has_edid ? 1u : 0u);
	selftest_result("gpu", i, "display-info",
			g->num_scanouts >= 1 && g->num_scanouts <= VIRTIO_GPU_MAX_SCANOUTS &&
			d->enabled,
			"%u scanout(s), scanout 0 %ux%u%s", (unsigned)g->num_scanouts,
			(unsigned)d->width, (unsigned)d->height, d->enabled ? "" : " disabled");
}

static void gpu_edid(unsigned i, uint8_t *buf)
{
	static const uint8_t header[8] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
	int n = virtio_gpu_get_edid(&gpus[i].gpu, 0, buf, VIRTIO_GPU_EDID_BYTES);
	uint8_t sum = 0;
	bool ok = n >= 128;

	for (unsigned b = 0; ok && b < 128; b++) {
		sum = (uint8_t)(sum + buf[b]);
		if (b < 8 && buf[b] != header[b])
			ok = false;
	}
	/* The first detailed timing (bytes 54..71) is the preferred mode:
	 * active width and height, low 8 bits plus the upper nibbles. */
	if (ok && sum == 0)
		board_printf("GPU gpu%u slot=%u edid_preferred=%ux%u\n", i, gpus[i].slot,
			     buf[56] | (buf[58] & 0xf0u) << 4, buf[59] | (buf[61] & 0xf0u) << 4);
	selftest_result("gpu", i, "edid", ok && sum == 0,
			"%d bytes, header %s, checksum %u", n, ok ? "ok" : "bad", sum);
}

static void gpu_events(unsigned i)
{
	struct virtio_gpu *g = &gpus[i].gpu;
	uint32_t before = virtio_gpu_config_events_read(&gpus[i].dev);
	int r = virtio_gpu_poll_events(g);
	uint32_t after = virtio_gpu_config_events_read(&gpus[i].dev);

	selftest_result("gpu", i, "events",
			r >= 0 && !(after & VIRTIO_GPU_EVENT_DISPLAY) && g->display[0].enabled,
			"events_read 0x%x -> %d, then 0x%x", (unsigned)before, r,
			(unsigned)after);
}

static void gpu_errors(unsigned i)
{
	struct virtio_gpu *g = &gpus[i].gpu;
	struct virtio_gpu_box2d r = {0, 0, 1, 1};
	int unref = virtio_gpu_resource_unref(g, RES_NEVER);
	uint32_t resp = g->last_resp;
	int scanout = virtio_gpu_set_scanout(g, g->num_scanouts, RES_NEVER, &r);
	int again = virtio_gpu_get_display_info(g);
	const char *name = virtio_gpu_ctrl_type_name(resp);

	selftest_result("gpu", i, "errors",
			unref == VIRTIO_EIO && resp == VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID &&
			scanout == VIRTIO_EINVAL && again == 0,
			"unref unknown -> %d (%s), scanout %u -> %d, then display info %d", unref,
			name ? name : "?", (unsigned)g->num_scanouts, scanout, again);
}

/* A resource backed by four separately allocated pieces. */
static void gpu_resource(unsigned i)
{
	struct virtio_gpu *g = &gpus[i].gpu;
	const uint32_t w = 32, h = 32, piece = w * h * BPP / 4;
	struct virtio_buf mem[4];
	struct virtio_gpu_box2d r = {0, 0, w, h};
	int rc[6];
	bool ok;

	for (unsigned p = 0; p < 4; p++) {
		mem[p].addr = virtio_port_dma_alloc(piece, 64);
		mem[p].len = piece;
		if (!mem[p].addr) {
			selftest_result("gpu", i, "resource", false, "out of DMA memory");
			return;
		}
		fill(mem[p].addr, w, h / 4, colours[p]);
	}
	rc[0] = virtio_gpu_resource_create_2d(g, RES_SCRATCH, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM,
					      w, h);
	rc[1] = virtio_gpu_attach_backing(g, RES_SCRATCH, mem, 4);
	rc[2] = virtio_gpu_transfer_to_host_2d(g, RES_SCRATCH, &r, 0);
	rc[3] = virtio_gpu_resource_flush(g, RES_SCRATCH, &r);
	rc[4] = virtio_gpu_detach_backing(g, RES_SCRATCH);
	rc[5] = virtio_gpu_resource_unref(g, RES_SCRATCH);
	ok = rc[0] == 0 && rc[1] == 0 && rc[2] == 0 && rc[3] == 0 && rc[4] == 0 && rc[5] == 0;
	/* gone: a second unref is the device's error, not a success */
	int again = virtio_gpu_resource_unref(g, RES_SCRATCH);
	selftest_result("gpu", i, "resource", ok && again == VIRTIO_EIO,
			"create %d attach(4) %d transfer %d flush %d detach %d unref %d,"
			" unref again %d", rc[0], rc[1], rc[2], rc[3], rc[4], rc[5], again);
	for (unsigned p = 4; p-- > 0;)
		virtio_port_dma_free(mem[p].addr, piece);
}

static void gpu_cursor(unsigned i)
{
	struct virtio_gpu *g = &gpus[i].gpu;
	const uint32_t side = VIRTIO_GPU_CURSOR_SIZE, bytes = side * side * BPP;
	struct virtio_gpu_box2d r = {0, 0, side, side};
	struct virtio_buf mem;
	int rc[7];

	mem.addr = virtio_port_dma_alloc(bytes, 64);
	mem.len = bytes;
	if (!mem.addr) {
		selftest_result("gpu", i, "cursor", false, "out of DMA memory");
		return;
	}
	fill(mem.addr, side, side, colours[5]);
	rc[0] = virtio_gpu_resource_create_2d(g, RES_CURSOR, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM,
					      side, side);
	rc[1] = virtio_gpu_attach_backing(g, RES_CURSOR, &mem, 1);
	rc[2] = virtio_gpu_transfer_to_host_2d(g, RES_CURSOR, &r, 0);
	rc[3] = virtio_gpu_update_cursor(g, 0, RES_CURSOR, 1, 2, 10, 20);
	rc[4] = virtio_gpu_move_cursor(g, 0, 100, 50);
	rc[5] = virtio_gpu_update_cursor(g, 0, 0, 0, 0, 0, 0); /* hide */
	rc[6] = virtio_gpu_resource_unref(g, RES_CURSOR);
	selftest_result("gpu", i, "cursor",
			!rc[0] && !rc[1] && !rc[2] && !rc[3] && !rc[4] && !rc[5] && !rc[6],
			"create %d attach %d transfer %d update %d move %d hide %d unref %d",
			rc[0], rc[1], rc[2], rc[3], rc[4], rc[5], rc[6]);
	virtio_port_dma_free(mem.addr, bytes);
}

/* Draws the pattern on scanout 0 and leaves it there. */
static void gpu_draw(unsigned i)
{
	struct virtio_gpu *g = &gpus[i].gpu;
	uint32_t w = g->display[0].width, h = g->display[0].height;
	static const uint8_t grey[3] = {128, 128, 128};
	struct virtio_buf mem[FB_PIECES];
	struct virtio_gpu_box2d all, top, bottom;
	uint32_t bytes, piece;
	unsigned n = 0;
	uint8_t *fb;
	int rc[7];

	while ((uint64_t)w * h * BPP > FB_MAX_BYTES) {
		w /= 2;
		h /= 2;
	}
	bytes = w * h * BPP;
	fb = virtio_port_dma_alloc(bytes, 4096);
	if (!fb || h < 2) {
		selftest_result("gpu", i, "draw", false, "no %ux%u framebuffer", (unsigned)w,
				(unsigned)h);
		return;
	}
	/* Several backing entries, split at page boundaries. */
	piece = ((bytes / FB_PIECES) + 4095u) & ~4095u;
	for (uint32_t off = 0; off < bytes; off += piece, n++) {
		mem[n].addr = fb + off;
		mem[n].len = bytes - off < piece ? bytes - off : piece;
	}
	all = (struct virtio_gpu_box2d){0, 0, w, h};
	top = (struct virtio_gpu_box2d){0, 0, w, h / 2};
	bottom = (struct virtio_gpu_box2d){0, h / 2, w, h - h / 2};
	fill(fb, w, h, grey);
	rc[0] = virtio_gpu_resource_create_2d(g, RES_FB, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, w, h);
	rc[1] = virtio_gpu_attach_backing(g, RES_FB, mem, n);
	rc[2] = virtio_gpu_transfer_to_host_2d(g, RES_FB, &all, 0);
	rc[3] = virtio_gpu_set_scanout(g, 0, RES_FB, &all);
	/* The pattern goes over in two halves: the bottom one at its offset. */
	draw_pattern(fb, w, h);
	rc[4] = virtio_gpu_transfer_to_host_2d(g, RES_FB, &top, 0);
	rc[5] = virtio_gpu_transfer_to_host_2d(g, RES_FB, &bottom,
					       (uint64_t)(h / 2) * w * BPP);
	rc[6] = virtio_gpu_resource_flush(g, RES_FB, &all);
	for (unsigned k = 0; k < 7; k++) {
		if (rc[k] != 0) {
			const char *name = virtio_gpu_ctrl_type_name(g->last_resp);

			selftest_result("gpu", i, "draw", false, "step %u: %s (%d), response %s",
					k, virtio_strerror(rc[k]), rc[k], name ? name : "?");
			return;
		}
	}
	board_printf("GPU gpu%u slot=%u drawn=%ux%u entries=%u\n", i, gpus[i].slot,
		     (unsigned)w, (unsigned)h, n);
	selftest_result("gpu", i, "draw", true, "%ux%u pattern from %u backing entries",
			(unsigned)w, (unsigned)h, n);
}

static void gpu_attach(unsigned slot, const struct virtio_device *dev)
{
	struct gpu_slot *p;
	int rc;

	if (n_gpu == MAX_GPU) {
		selftest_skip(slot, dev->device_id, "more-gpu-devices-than-MAX_GPU");
		return;
	}
	p = &gpus[n_gpu];
	p->dev = *dev;
	p->slot = slot;
	rc = virtio_gpu_init(&p->gpu, &p->dev);
	selftest_print_features(slot, "offered", p->dev.device_id, p->dev.offered);
	if (rc != 0) {
		selftest_result("gpu", n_gpu, "init", false, "slot %u: %s (%d)", slot,
				virtio_strerror(rc), rc);
		n_gpu++;
		return;
	}
	selftest_print_features(slot, "negotiated", p->dev.device_id, p->dev.features);
	p->ready = true;
	n_gpu++;
}

static void gpu_tests(void)
{
	static uint8_t edid[VIRTIO_GPU_EDID_BYTES];

	for (unsigned i = 0; i < n_gpu; i++) {
		if (!gpus[i].ready)
			continue;
		gpu_display_info(i);
		if (gpus[i].gpu.has_edid)
			gpu_edid(i, edid);
		gpu_events(i);
		gpu_errors(i);
		gpu_resource(i);
		gpu_cursor(i);
		if (gpus[i].gpu.display[0].enabled)
			gpu_draw(i);
	}
	/* No destroy: the screens keep the pattern until the firmware exits. */
}

const struct selftest_driver selftest_gpu = {
	.device_id = VIRTIO_ID_GPU,
	.attach = gpu_attach,
	.run = gpu_tests,
};
