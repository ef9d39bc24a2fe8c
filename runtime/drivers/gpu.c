/*
 * virtio-gpu 2D driver (spec 5.7): one command at a time on the controlq,
 * cursor commands on the cursorq, completion by polling.
 */
#include <virtio/drivers/gpu.h>

/* Largest request: attach_backing with its memory entries. */
#define REQ_BYTES (sizeof(struct virtio_gpu_resource_attach_backing) + \
		   VIRTIO_GPU_MAX_ENTRIES * sizeof(struct virtio_gpu_mem_entry))
/* Largest response: the EDID. */
#define RESP_BYTES sizeof(struct virtio_gpu_resp_edid)

struct virtio_gpu_dma {
	union {
		struct virtio_gpu_ctrl_hdr hdr;
		uint8_t bytes[REQ_BYTES];
	} req;
	union {
		struct virtio_gpu_ctrl_hdr hdr;
		struct virtio_gpu_resp_display_info info;
		struct virtio_gpu_resp_edid edid;
		uint8_t bytes[RESP_BYTES];
	} resp;
	struct virtio_gpu_update_cursor cursor;
};

/* GPU structures are little-endian for every device (5.7.6.7). */
static uint32_t le32(uint32_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap32(v) : v;
}

static uint64_t le64(uint64_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap64(v) : v;
}

static void zero(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

static void copy(void *dst, const volatile void *src, size_t n)
{
	uint8_t *d = dst;
	const volatile uint8_t *s = src;

	while (n--)
		*d++ = *s++;
}

static int init_fail(struct virtio_gpu *gpu, int err)
{
	virtio_fail(gpu->dev);
	virtio_gpu_destroy(gpu);
	return err;
}

int virtio_gpu_init(struct virtio_gpu *gpu, struct virtio_device *dev)
{
	uint64_t wanted = (1ull << VIRTIO_GPU_F_EDID) | VIRTIO_RUNTIME_FEATURES;
	uint32_t n;
	int err;

	gpu->dev = dev;
	gpu->dma = NULL;
	gpu->ctrlq.mem = NULL;
	gpu->cursorq.mem = NULL;
	gpu->fence = 0;
	gpu->last_resp = 0;
	gpu->num_scanouts = 0;
	zero(gpu->display, sizeof(gpu->display));
	if (dev->device_id != VIRTIO_ID_GPU)
		return VIRTIO_EINVAL;
	err = virtio_negotiate(dev, wanted);
	if (err)
		return err;
	gpu->has_edid = virtio_has_feature(dev, VIRTIO_GPU_F_EDID);
	n = virtio_gpu_config_num_scanouts(dev);
	gpu->num_scanouts_offered = n;
	if (n == 0)
		return init_fail(gpu, VIRTIO_ECONFIG);
	/* 5.7.4.1: at most 16; more would index past the display info. */
	gpu->num_scanouts = n > VIRTIO_GPU_MAX_SCANOUTS ? VIRTIO_GPU_MAX_SCANOUTS : n;

	gpu->dma = virtio_port_dma_alloc(sizeof(*gpu->dma), 16);
	if (!gpu->dma)
		return init_fail(gpu, VIRTIO_ENOMEM);
	err = virtqueue_setup(dev, &gpu->ctrlq, 0, 16);
	if (err == VIRTIO_OK) {
		virtqueue_disable_cb(&gpu->ctrlq); /* we poll */
		err = virtqueue_setup(dev, &gpu->cursorq, 1, 16);
	}
	if (err)
		return init_fail(gpu, err);
	virtqueue_disable_cb(&gpu->cursorq);
	err = virtio_driver_ok(dev);
	if (err)
		return init_fail(gpu, err);
	/* 5.7.5: the display info is the starting point of every setup. */
	err = virtio_gpu_get_display_info(gpu);
	if (err)
		return init_fail(gpu, err);
	return VIRTIO_OK;
}

void virtio_gpu_destroy(struct virtio_gpu *gpu)
{
	if (gpu->ctrlq.mem || gpu->cursorq.mem)
		virtio_reset(gpu->dev); /* no DMA into memory we free */
	/* Reverse order of allocation (bump allocators free only the last). */
	if (gpu->cursorq.mem)
		virtqueue_destroy(&gpu->cursorq);
	if (gpu->ctrlq.mem)
		virtqueue_destroy(&gpu->ctrlq);
	if (gpu->dma)
		virtio_port_dma_free(gpu->dma, sizeof(*gpu->dma));
	gpu->cursorq.mem = NULL;
	gpu->ctrlq.mem = NULL;
	gpu->dma = NULL;
}

/* The device did not answer or broke the queue: stop it for good so it
 * cannot write into our buffers later. */
static int abandon(struct virtio_gpu *gpu, int err)
{
	virtio_reset(gpu->dev);
	while (virtqueue_detach_unused(&gpu->ctrlq))
		;
	while (virtqueue_detach_unused(&gpu->cursorq))
		;
	virtio_fail(gpu->dev);
	virtqueue_destroy(&gpu->cursorq);
	virtqueue_destroy(&gpu->ctrlq);
	gpu->cursorq.mem = NULL;
	gpu->ctrlq.mem = NULL;
	return err;
}

/* Adds one chain, kicks and waits (bounded) for it; *len = used length. */
static int submit(struct virtio_gpu *gpu, struct virtqueue *vq,
		  const struct virtio_buf *bufs, unsigned n_out, unsigned n_in,
		  void *token, uint32_t *len)
{
	uint64_t start;
	void *got;
	int r;

	r = virtqueue_add(vq, bufs, n_out, n_in, token);
	if (r)
		return r;
	virtqueue_kick(vq);
	start = virtio_port_time_us();
	while ((r = virtqueue_get(vq, &got, len)) == 0) {
		if (virtio_port_time_us() - start > VIRTIO_GPU_TIMEOUT_US) {
			r = virtio_check_status(gpu->dev);
			return abandon(gpu, r ? r : VIRTIO_ETIMEDOUT);
		}
	}
	if (r < 0)
		return abandon(gpu, r);
	if (got != token) /* only one command is ever in flight per queue */
		return abandon(gpu, VIRTIO_EUSEDNOTINFLIGHT);
	return VIRTIO_OK;
}

/* Fills the request header: type, a new fence the response must echo. */
static void *begin(struct virtio_gpu *gpu, uint32_t type, size_t size)
{
	struct virtio_gpu_ctrl_hdr *h = &gpu->dma->req.hdr;

	zero(gpu->dma->req.bytes, size);
	h->type = le32(type);
	h->flags = le32(VIRTIO_GPU_FLAG_FENCE);
	h->fence_id = le64(++gpu->fence);
	return h;
}

/*
 * Sends the request built by begin() (req_size bytes) and checks the
 * response: at least a header, the type `want`, the fence echoed, and
 * at least `want_size` bytes for that type.
 */
static int command(struct virtio_gpu *gpu, size_t req_size, uint32_t want,
		   size_t want_size)
{
	struct virtio_gpu_dma *d = gpu->dma;
	volatile struct virtio_gpu_ctrl_hdr *resp = &d->resp.hdr;
	struct virtio_buf bufs[2];
	uint32_t len = 0;
	int r;

	if (!d || !gpu->ctrlq.mem)
		return VIRTIO_EBROKEN;
	zero(d->resp.bytes, want_size);
	/* A device that writes nothing leaves a type no command expects. */
	resp->type = le32(VIRTIO_GPU_UNDEFINED);
	bufs[0].addr = d->req.bytes;
	bufs[0].len = (uint32_t)req_size;
	bufs[1].addr = d->resp.bytes;
	bufs[1].len = (uint32_t)want_size;
	r = submit(gpu, &gpu->ctrlq, bufs, 1, 1, d, &len);
	if (r)
		return r;
	gpu->last_resp = le32(resp->type);
	/* want_size covers at least the header */
	if (gpu->last_resp != want || len < want_size)
		return VIRTIO_EIO;
	if (!(le32(resp->flags) & VIRTIO_GPU_FLAG_FENCE) ||
	    le64(resp->fence_id) != gpu->fence)
		return VIRTIO_EIO;
	return VIRTIO_OK;
}

static int nodata(struct virtio_gpu *gpu, size_t req_size)
{
	return command(gpu, req_size, VIRTIO_GPU_RESP_OK_NODATA,
		       sizeof(struct virtio_gpu_ctrl_hdr));
}

int virtio_gpu_get_display_info(struct virtio_gpu *gpu)
{
	const volatile struct virtio_gpu_resp_display_info *info;
	int r;

	if (!gpu->dma)
		return VIRTIO_EBROKEN;
	begin(gpu, VIRTIO_GPU_CMD_GET_DISPLAY_INFO, sizeof(struct virtio_gpu_ctrl_hdr));
	r = command(gpu, sizeof(struct virtio_gpu_ctrl_hdr), VIRTIO_GPU_RESP_OK_DISPLAY_INFO,
		    sizeof(struct virtio_gpu_resp_display_info));
	if (r)
		return r;
	info = &gpu->dma->resp.info;
	zero(gpu->display, sizeof(gpu->display));
	for (uint32_t i = 0; i < gpu->num_scanouts; i++) {
		struct virtio_gpu_display *out = &gpu->display[i];

		out->x = le32(info->pmodes[i].r.x);
		out->y = le32(info->pmodes[i].r.y);
		out->width = le32(info->pmodes[i].r.width);
		out->height = le32(info->pmodes[i].r.height);
		out->flags = le32(info->pmodes[i].flags);
		out->enabled = le32(info->pmodes[i].enabled) != 0 &&
			       out->width > 0 && out->width <= VIRTIO_GPU_MAX_DIM &&
			       out->height > 0 && out->height <= VIRTIO_GPU_MAX_DIM;
	}
	return VIRTIO_OK;
}

int virtio_gpu_get_edid(struct virtio_gpu *gpu, uint32_t scanout, uint8_t *buf,
			size_t cap)
{
	struct virtio_gpu_cmd_get_edid *req;
	uint32_t size;
	int r;

	if (!gpu->has_edid)
		return VIRTIO_EUNSUPP;
	if (scanout >= gpu->num_scanouts || !gpu->dma)
		return gpu->dma ? VIRTIO_EINVAL : VIRTIO_EBROKEN;
	req = begin(gpu, VIRTIO_GPU_CMD_GET_EDID, sizeof(*req));
	req->scanout = le32(scanout);
	r = command(gpu, sizeof(*req), VIRTIO_GPU_RESP_OK_EDID,
		    sizeof(struct virtio_gpu_resp_edid));
	if (r)
		return r;
	size = le32(gpu->dma->resp.edid.size);
	if (size > VIRTIO_GPU_EDID_BYTES) /* the array ends there */
		size = VIRTIO_GPU_EDID_BYTES;
	if (size > cap)
		size = (uint32_t)cap;
	copy(buf, gpu->dma->resp.edid.edid, size);
	return (int)size;
}

int virtio_gpu_resource_create_2d(struct virtio_gpu *gpu, uint32_t id,
				  uint32_t format, uint32_t width, uint32_t height)
{
	struct virtio_gpu_resource_create_2d *req;

	if (id == 0 || !gpu->dma)
		return gpu->dma ? VIRTIO_EINVAL : VIRTIO_EBROKEN;
	req = begin(gpu, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, sizeof(*req));
	req->resource_id = le32(id);
	req->format = le32(format);
	req->width = le32(width);
	req->height = le32(height);
	return nodata(gpu, sizeof(*req));
}

/* unref and detach share one layout: header, resource id, padding. */
static int resource_cmd(struct virtio_gpu *gpu, uint32_t type, uint32_t id)
{
	struct virtio_gpu_resource_unref *req;

	if (id == 0 || !gpu->dma)
		return gpu->dma ? VIRTIO_EINVAL : VIRTIO_EBROKEN;
	req = begin(gpu, type, sizeof(*req));
	req->resource_id = le32(id);
	return nodata(gpu, sizeof(*req));
}

int virtio_gpu_resource_unref(struct virtio_gpu *gpu, uint32_t id)
{
	return resource_cmd(gpu, VIRTIO_GPU_CMD_RESOURCE_UNREF, id);
}

int virtio_gpu_detach_backing(struct virtio_gpu *gpu, uint32_t id)
{
	return resource_cmd(gpu, VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING, id);
}

int virtio_gpu_attach_backing(struct virtio_gpu *gpu, uint32_t id,
			      const struct virtio_buf *mem, unsigned n)
{
	struct virtio_gpu_resource_attach_backing *req;
	struct virtio_gpu_mem_entry *e;

	if (id == 0 || n == 0 || n > VIRTIO_GPU_MAX_ENTRIES || !gpu->dma)
		return gpu->dma ? VIRTIO_EINVAL : VIRTIO_EBROKEN;
	req = begin(gpu, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING,
		    sizeof(*req) + n * sizeof(*e));
	req->resource_id = le32(id);
	req->nr_entries = le32(n);
	e = (struct virtio_gpu_mem_entry *)(req + 1);
	for (unsigned i = 0; i < n; i++) {
		if (mem[i].len == 0)
			return VIRTIO_EINVAL;
		e[i].addr = le64(virtio_port_virt_to_phys(mem[i].addr));
		e[i].length = le32(mem[i].len);
	}
	return nodata(gpu, sizeof(*req) + n * sizeof(*e));
}

static void put_rect(struct virtio_gpu_rect *dst, const struct virtio_gpu_box2d *r)
{
	dst->x = le32(r->x);
	dst->y = le32(r->y);
	dst->width = le32(r->width);
	dst->height = le32(r->height);
}

int virtio_gpu_set_scanout(struct virtio_gpu *gpu, uint32_t scanout, uint32_t id,
			   const struct virtio_gpu_box2d *r)
{
	struct virtio_gpu_set_scanout *req;

	if (scanout >= gpu->num_scanouts || !gpu->dma)
		return gpu->dma ? VIRTIO_EINVAL : VIRTIO_EBROKEN;
	req = begin(gpu, VIRTIO_GPU_CMD_SET_SCANOUT, sizeof(*req));
	put_rect(&req->r, r);
	req->scanout_id = le32(scanout);
	req->resource_id = le32(id);
	return nodata(gpu, sizeof(*req));
}

int virtio_gpu_transfer_to_host_2d(struct virtio_gpu *gpu, uint32_t id,
				   const struct virtio_gpu_box2d *r, uint64_t offset)
{
	struct virtio_gpu_transfer_to_host_2d *req;

	if (id == 0 || !gpu->dma)
		return gpu->dma ? VIRTIO_EINVAL : VIRTIO_EBROKEN;
	req = begin(gpu, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D, sizeof(*req));
	put_rect(&req->r, r);
	req->offset = le64(offset);
	req->resource_id = le32(id);
	return nodata(gpu, sizeof(*req));
}

int virtio_gpu_resource_flush(struct virtio_gpu *gpu, uint32_t id,
			      const struct virtio_gpu_box2d *r)
{
	struct virtio_gpu_resource_flush *req;

	if (id == 0 || !gpu->dma)
		return gpu->dma ? VIRTIO_EINVAL : VIRTIO_EBROKEN;
	req = begin(gpu, VIRTIO_GPU_CMD_RESOURCE_FLUSH, sizeof(*req));
	put_rect(&req->r, r);
	req->resource_id = le32(id);
	return nodata(gpu, sizeof(*req));
}

/* Cursor commands have no response (QEMU writes none, 5.7.6.10 defines
 * none): the device only hands the buffer back. */
static int cursor_cmd(struct virtio_gpu *gpu, uint32_t type, uint32_t scanout,
		      uint32_t id, uint32_t hot_x, uint32_t hot_y, uint32_t x, uint32_t y)
{
	struct virtio_gpu_update_cursor *c;
	struct virtio_buf buf;
	uint32_t len;

	if (scanout >= gpu->num_scanouts || !gpu->dma)
		return gpu->dma ? VIRTIO_EINVAL : VIRTIO_EBROKEN;
	if (!gpu->cursorq.mem)
		return VIRTIO_EBROKEN;
	c = &gpu->dma->cursor;
	zero(c, sizeof(*c));
	c->hdr.type = le32(type);
	c->pos.scanout_id = le32(scanout);
	c->pos.x = le32(x);
	c->pos.y = le32(y);
	c->resource_id = le32(id);
	c->hot_x = le32(hot_x);
	c->hot_y = le32(hot_y);
	buf.addr = c;
	buf.len = sizeof(*c);
	return submit(gpu, &gpu->cursorq, &buf, 1, 0, c, &len);
}

int virtio_gpu_update_cursor(struct virtio_gpu *gpu, uint32_t scanout, uint32_t id,
			     uint32_t hot_x, uint32_t hot_y, uint32_t x, uint32_t y)
{
	if (hot_x >= VIRTIO_GPU_CURSOR_SIZE || hot_y >= VIRTIO_GPU_CURSOR_SIZE)
		return VIRTIO_EINVAL;
	return cursor_cmd(gpu, VIRTIO_GPU_CMD_UPDATE_CURSOR, scanout, id, hot_x, hot_y,
			  x, y);
}

int virtio_gpu_move_cursor(struct virtio_gpu *gpu, uint32_t scanout, uint32_t x,
			   uint32_t y)
{
	return cursor_cmd(gpu, VIRTIO_GPU_CMD_MOVE_CURSOR, scanout, 0, 0, 0, x, y);
}

int virtio_gpu_poll_events(struct virtio_gpu *gpu)
{
	uint32_t events = virtio_gpu_config_events_read(gpu->dev);
	int r;

	if (!(events & VIRTIO_GPU_EVENT_DISPLAY))
		return 0;
	/* Clear first: a change during the fetch then shows up again. */
	virtio_gpu_config_set_events_clear(gpu->dev, VIRTIO_GPU_EVENT_DISPLAY);
	r = virtio_gpu_get_display_info(gpu);
	return r ? r : 1;
}
