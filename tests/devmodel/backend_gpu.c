/*
 * virtio-gpu 2D backend (VirtIO 1.2, 5.7), see backend_gpu.h. Command and
 * response layouts are written here again from the spec (5.7.6.7-5.7.6.10)
 * instead of using generated/, so that a wrong definition shows up.
 */
#include "backend_gpu.h"

#include <stdlib.h>
#include <string.h>

#include "virtio_port_host.h"

/* controlq / cursorq types (5.7.6.7) */
#define CMD_GET_DISPLAY_INFO 0x0100u
#define CMD_RESOURCE_CREATE_2D 0x0101u
#define CMD_RESOURCE_UNREF 0x0102u
#define CMD_SET_SCANOUT 0x0103u
#define CMD_RESOURCE_FLUSH 0x0104u
#define CMD_TRANSFER_TO_HOST_2D 0x0105u
#define CMD_RESOURCE_ATTACH_BACKING 0x0106u
#define CMD_RESOURCE_DETACH_BACKING 0x0107u
#define CMD_GET_EDID 0x010au
#define CMD_UPDATE_CURSOR 0x0300u
#define CMD_MOVE_CURSOR 0x0301u
#define RESP_OK_NODATA 0x1100u
#define RESP_OK_DISPLAY_INFO 0x1101u
#define RESP_OK_EDID 0x1104u
#define RESP_ERR_UNSPEC 0x1200u
#define RESP_ERR_OUT_OF_MEMORY 0x1201u
#define RESP_ERR_INVALID_SCANOUT_ID 0x1202u
#define RESP_ERR_INVALID_RESOURCE_ID 0x1203u
#define RESP_ERR_INVALID_PARAMETER 0x1205u
#define FLAG_FENCE 1u
#define EVENT_DISPLAY 1u

#define HDR 24u
#define CFG_EVENTS_READ 0
#define CFG_EVENTS_CLEAR 4
#define CFG_NUM_SCANOUTS 8
#define CFG_NUM_CAPSETS 12

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void wr64(uint8_t *p, uint64_t v)
{
	wr32(p, (uint32_t)v);
	wr32(p + 4, (uint32_t)(v >> 32));
}

/* Copies up to len bytes of the readable part, returns how many. */
static uint32_t gather(const struct dm_req *r, void *dst, uint32_t len)
{
	uint32_t done = 0;

	for (unsigned i = 0; i < r->nseg && done < len; i++) {
		if (r->seg[i].write)
			continue;
		uint32_t n = r->seg[i].len < len - done ? r->seg[i].len : len - done;
		memcpy((uint8_t *)dst + done, r->seg[i].ptr, n);
		done += n;
	}
	return done;
}

static uint32_t scatter(const struct dm_req *r, const void *src, uint32_t len)
{
	uint32_t done = 0;

	for (unsigned i = 0; i < r->nseg && done < len; i++) {
		if (!r->seg[i].write)
			continue;
		uint32_t n = r->seg[i].len < len - done ? r->seg[i].len : len - done;
		memcpy(r->seg[i].ptr, (const uint8_t *)src + done, n);
		done += n;
	}
	return done;
}

struct dm_gpu_resource *dm_gpu_resource(struct dm_gpu *g, uint32_t id)
{
	for (unsigned i = 0; i < DM_GPU_MAX_RES; i++)
		if (id != 0 && g->res[i].id == id)
			return &g->res[i];
	return NULL;
}

unsigned dm_gpu_resource_count(struct dm_gpu *g)
{
	unsigned n = 0;

	for (unsigned i = 0; i < DM_GPU_MAX_RES; i++)
		n += g->res[i].id != 0;
	return n;
}

/* Byte `off` of a resource's backing (the entries as one buffer). */
static uint8_t *backing_byte(struct dm_gpu_resource *res, uint64_t off)
{
	for (unsigned i = 0; i < res->nr_entries; i++) {
		if (off < res->entry_len[i])
			return (uint8_t *)(uintptr_t)res->entry_addr[i] + off;
		off -= res->entry_len[i];
	}
	return NULL;
}

static uint32_t create_2d(struct dm_gpu *g, const uint8_t *q)
{
	uint32_t id = rd32(q + 24), w = rd32(q + 32), h = rd32(q + 36);

	if (id == 0 || dm_gpu_resource(g, id))
		return RESP_ERR_INVALID_RESOURCE_ID;
	if (w == 0 || h == 0 || w > 4096 || h > 4096)
		return RESP_ERR_INVALID_PARAMETER;
	for (unsigned i = 0; i < DM_GPU_MAX_RES; i++) {
		struct dm_gpu_resource *res = &g->res[i];
		if (res->id != 0)
			continue;
		memset(res, 0, sizeof(*res));
		res->pixels = calloc((size_t)w * h, 4);
		if (!res->pixels)
			return RESP_ERR_OUT_OF_MEMORY;
		res->id = id;
		res->format = rd32(q + 28);
		res->width = w;
		res->height = h;
		return RESP_OK_NODATA;
	}
	return RESP_ERR_OUT_OF_MEMORY;
}

static uint32_t transfer(struct dm_gpu *g, const uint8_t *q)
{
	struct dm_gpu_resource *res = dm_gpu_resource(g, rd32(q + 48));
	uint32_t x = rd32(q + 24), y = rd32(q + 28), w = rd32(q + 32), h = rd32(q + 36);
	uint64_t offset = rd64(q + 40);

	if (!res)
		return RESP_ERR_INVALID_RESOURCE_ID;
	if (!res->nr_entries || x > res->width || w > res->width - x ||
	    y > res->height || h > res->height - y)
		return RESP_ERR_INVALID_PARAMETER;
	g->transfers++;
	/* Like QEMU: rows of the rectangle are one resource stride apart in
	 * the backing, starting at offset. */
	for (uint32_t row = 0; row < h; row++)
		for (uint32_t b = 0; b < w * 4; b++) {
			uint8_t *src = backing_byte(res, offset + (uint64_t)row * res->width * 4 + b);
			if (!src)
				return RESP_ERR_INVALID_PARAMETER;
			res->pixels[((size_t)(y + row) * res->width + x) * 4 + b] = *src;
		}
	return RESP_OK_NODATA;
}

static uint32_t control(struct dm_gpu *g, struct dm_req *r, uint8_t *resp,
			uint32_t *resp_len)
{
	uint8_t q[32 + 64 * 16];
	uint32_t got = gather(r, q, sizeof(q));
	uint32_t type = got >= HDR ? rd32(q) : 0;
	struct dm_gpu_resource *res;

	g->last_type = type;
	g->last_flags = got >= HDR ? rd32(q + 4) : 0;
	*resp_len = HDR;
	switch (type) {
	case CMD_GET_DISPLAY_INFO:
		for (uint32_t i = 0; i < g->pmodes_reported && i < 16; i++) {
			uint8_t *m = resp + HDR + i * 24;
			wr32(m + 8, g->scanout[i].width);
			wr32(m + 12, g->scanout[i].height);
			wr32(m + 16, g->scanout[i].enabled);
		}
		*resp_len = HDR + 16 * 24;
		return RESP_OK_DISPLAY_INFO;
	case CMD_GET_EDID:
		if (got < 32)
			return RESP_ERR_INVALID_PARAMETER;
		if (rd32(q + 24) >= rd32(g->dev->config + CFG_NUM_SCANOUTS))
			return RESP_ERR_INVALID_SCANOUT_ID;
		wr32(resp + 24, g->edid_size);
		memcpy(resp + 32, g->edid, sizeof(g->edid));
		*resp_len = 32 + 1024;
		return RESP_OK_EDID;
	case CMD_RESOURCE_CREATE_2D:
		return got < 40 ? RESP_ERR_INVALID_PARAMETER : create_2d(g, q);
	case CMD_RESOURCE_UNREF:
		res = got < 32 ? NULL : dm_gpu_resource(g, rd32(q + 24));
		if (!res)
			return RESP_ERR_INVALID_RESOURCE_ID;
		for (unsigned i = 0; i < 16; i++)
			if (g->scanout[i].resource_id == res->id)
				g->scanout[i].resource_id = 0;
		free(res->pixels);
		memset(res, 0, sizeof(*res));
		return RESP_OK_NODATA;
	case CMD_RESOURCE_ATTACH_BACKING: {
		uint32_t n = got >= 32 ? rd32(q + 28) : 0;
		res = got < 32 ? NULL : dm_gpu_resource(g, rd32(q + 24));
		if (!res)
			return RESP_ERR_INVALID_RESOURCE_ID;
		if (n == 0 || n > 64 || got < 32 + n * 16 || res->nr_entries)
			return RESP_ERR_INVALID_PARAMETER;
		for (uint32_t i = 0; i < n; i++) {
			res->entry_addr[i] = rd64(q + 32 + i * 16);
			res->entry_len[i] = rd32(q + 32 + i * 16 + 8);
			if (g->dev->strict_buffers &&
			    !virtio_host_dma_contains(res->entry_addr[i], res->entry_len[i])) {
				res->nr_entries = 0;
				return RESP_ERR_INVALID_PARAMETER;
			}
		}
		res->nr_entries = n;
		return RESP_OK_NODATA;
	}
	case CMD_RESOURCE_DETACH_BACKING:
		res = got < 32 ? NULL : dm_gpu_resource(g, rd32(q + 24));
		if (!res)
			return RESP_ERR_INVALID_RESOURCE_ID;
		res->nr_entries = 0;
		return RESP_OK_NODATA;
	case CMD_SET_SCANOUT: {
		uint32_t s = rd32(q + 40), id = rd32(q + 44);
		if (got < 48 || s >= rd32(g->dev->config + CFG_NUM_SCANOUTS) || s >= 16)
			return RESP_ERR_INVALID_SCANOUT_ID;
		if (id != 0 && !dm_gpu_resource(g, id))
			return RESP_ERR_INVALID_RESOURCE_ID;
		g->scanout[s].resource_id = id;
		g->scanout[s].rx = rd32(q + 24);
		g->scanout[s].ry = rd32(q + 28);
		g->scanout[s].rw = rd32(q + 32);
		g->scanout[s].rh = rd32(q + 36);
		return RESP_OK_NODATA;
	}
	case CMD_TRANSFER_TO_HOST_2D:
		return got < 56 ? RESP_ERR_INVALID_PARAMETER : transfer(g, q);
	case CMD_RESOURCE_FLUSH:
		if (got < 48 || !dm_gpu_resource(g, rd32(q + 40)))
			return RESP_ERR_INVALID_RESOURCE_ID;
		g->flushes++;
		return RESP_OK_NODATA;
	default:
		return RESP_ERR_UNSPEC;
	}
}

static uint32_t gpu_backend(struct dm_device *dev, unsigned queue,
			    struct dm_req *r, void *ctx)
{
	struct dm_gpu *g = ctx;
	static uint8_t resp[32 + 1024];
	uint32_t len, type;
	uint8_t q[HDR];

	(void)dev;
	if (queue == 1) {
		/* cursorq: no response (as QEMU) */
		uint8_t c[56];
		if (gather(r, c, sizeof(c)) == sizeof(c)) {
			g->cursor_type = rd32(c);
			g->cursor_scanout = rd32(c + 24);
			g->cursor_x = rd32(c + 28);
			g->cursor_y = rd32(c + 32);
			g->cursor_res = rd32(c + 40);
			g->cursor_hot_x = rd32(c + 44);
			g->cursor_hot_y = rd32(c + 48);
			g->cursor_cmds++;
		}
		return 0;
	}
	g->commands++;
	memset(resp, 0, sizeof(resp));
	type = control(g, r, resp, &len);
	memset(q, 0, sizeof(q));
	gather(r, q, sizeof(q));
	if (rd32(q + 4) & FLAG_FENCE) {
		wr32(resp + 4, g->next_no_fence ? 0 : FLAG_FENCE);
		wr64(resp + 8, rd64(q + 8) + (g->next_bad_fence ? 1 : 0));
	}
	if (g->next_type >= 0)
		type = (uint32_t)g->next_type;
	wr32(resp, type);
	len = scatter(r, resp, len);
	if (g->next_len >= 0)
		len = (uint32_t)g->next_len;
	g->next_type = -1;
	g->next_len = -1;
	g->next_no_fence = false;
	g->next_bad_fence = false;
	return len;
}

/* Write-to-clear of events_clear, applied before the driver reads. */
static void apply_clear(struct dm_device *dev, uint32_t offset, unsigned size, void *ctx)
{
	(void)offset;
	(void)size;
	(void)ctx;
	uint32_t clear = rd32(dev->config + CFG_EVENTS_CLEAR);
	if (clear) {
		wr32(dev->config + CFG_EVENTS_READ, rd32(dev->config + CFG_EVENTS_READ) & ~clear);
		wr32(dev->config + CFG_EVENTS_CLEAR, 0);
	}
}

struct dm_gpu *dm_gpu_attach(struct dm_device *dev)
{
	struct dm_gpu *g = calloc(1, sizeof(*g));
	static const uint8_t header[8] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
	uint8_t sum = 0;

	if (!g)
		abort();
	g->dev = dev;
	g->next_type = -1;
	g->next_len = -1;
	dev->device_id = 16;
	dev->device_features |= DM_BIT(DM_GPU_F_EDID);
	dm_config_set_le32(dev, CFG_EVENTS_READ, 0);
	dm_config_set_le32(dev, CFG_EVENTS_CLEAR, 0);
	dm_config_set_le32(dev, CFG_NUM_SCANOUTS, 1);
	dm_config_set_le32(dev, CFG_NUM_CAPSETS, 0);
	dev->on_config_read = apply_clear;
	dev->on_config_read_ctx = g;
	dev->backend = gpu_backend;
	dev->backend_ctx = g;
	g->pmodes_reported = 1;
	g->scanout[0].width = 1024;
	g->scanout[0].height = 768;
	g->scanout[0].enabled = 1;
	memcpy(g->edid, header, sizeof(header));
	for (unsigned i = 8; i < 127; i++)
		g->edid[i] = (uint8_t)(i * 7);
	for (unsigned i = 0; i < 127; i++)
		sum = (uint8_t)(sum + g->edid[i]);
	g->edid[127] = (uint8_t)(0 - sum);
	g->edid_size = 128;
	return g;
}

void dm_gpu_free(struct dm_gpu *g)
{
	if (!g)
		return;
	for (unsigned i = 0; i < DM_GPU_MAX_RES; i++)
		free(g->res[i].pixels);
	if (g->dev && g->dev->backend_ctx == g) {
		g->dev->backend = NULL;
		g->dev->on_config_read = NULL;
	}
	free(g);
}

void dm_gpu_set_num_scanouts(struct dm_gpu *g, uint32_t n)
{
	dm_config_set_le32(g->dev, CFG_NUM_SCANOUTS, n);
}

void dm_gpu_display_event(struct dm_gpu *g)
{
	uint8_t v[4];

	wr32(v, rd32(g->dev->config + CFG_EVENTS_READ) | EVENT_DISPLAY);
	dm_config_set(g->dev, CFG_EVENTS_READ, v, 4, true);
}

uint32_t dm_gpu_events_read(struct dm_gpu *g)
{
	apply_clear(g->dev, 0, 4, g);
	return rd32(g->dev->config + CFG_EVENTS_READ);
}
