/*
 * virtio-gpu as an RT-Thread graphic device (virtio-gpu0, ...): the first
 * enabled scanout gets a framebuffer in guest memory, 32 bits per pixel.
 * RTGRAPHIC_PIXEL_FORMAT_ARGB888 is a 32-bit 0xAARRGGBB pixel, in memory
 * (little-endian) the bytes B, G, R, A: the resource is made as
 * VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, which names exactly that byte order
 * (alpha ignored). RTGRAPHIC_CTRL_RECT_UPDATE copies and flushes only the
 * rectangle asked for. A device without an enabled scanout registers
 * nothing (not an error); so does a board without a GPU.
 */
#include <rtdevice.h>

#include <virtio/drivers/gpu.h>

#include "glue.h"

#define RESOURCE_ID 1u
#define BYTES_PER_PIXEL 4u

struct gpu_device {
	struct rt_device parent; /* first: RT-Thread hands this back */
	struct virtio_rtt_dev d;
	struct virtio_gpu gpu;
	uint32_t scanout, width, height;
	uint8_t *fb;
	char name[RT_NAME_MAX];
};

static unsigned gpu_count;

/* The rectangle clipped to the screen; false if nothing is left. */
static bool clip(const struct gpu_device *gd, const struct rt_device_rect_info *in,
		 struct virtio_gpu_box2d *out)
{
	if (in->x >= gd->width || in->y >= gd->height || in->width == 0 || in->height == 0)
		return false;
	out->x = in->x;
	out->y = in->y;
	out->width = in->width < gd->width - in->x ? in->width : gd->width - in->x;
	out->height = in->height < gd->height - in->y ? in->height : gd->height - in->y;
	return true;
}

static int update(struct gpu_device *gd, const struct virtio_gpu_box2d *r)
{
	uint64_t offset = ((uint64_t)r->y * gd->width + r->x) * BYTES_PER_PIXEL;
	int err;

	rt_mutex_take(&gd->d.lock, RT_WAITING_FOREVER);
	err = virtio_gpu_transfer_to_host_2d(&gd->gpu, RESOURCE_ID, r, offset);
	if (err == VIRTIO_OK)
		err = virtio_gpu_resource_flush(&gd->gpu, RESOURCE_ID, r);
	rt_mutex_release(&gd->d.lock);
	return err;
}

static rt_err_t gpu_control(rt_device_t dev, int cmd, void *args)
{
	struct gpu_device *gd = (struct gpu_device *)dev;

	switch (cmd) {
	case RTGRAPHIC_CTRL_GET_INFO: {
		struct rt_device_graphic_info *info = args;

		if (info == RT_NULL)
			return -RT_EINVAL;
		info->pixel_format = RTGRAPHIC_PIXEL_FORMAT_ARGB888;
		info->bits_per_pixel = 8 * BYTES_PER_PIXEL;
		info->pitch = (rt_uint16_t)(gd->width * BYTES_PER_PIXEL);
		info->width = (rt_uint16_t)gd->width;
		info->height = (rt_uint16_t)gd->height;
		info->framebuffer = gd->fb;
		info->smem_len = gd->width * gd->height * BYTES_PER_PIXEL;
		return RT_EOK;
	}
	case RTGRAPHIC_CTRL_RECT_UPDATE: {
		struct rt_device_rect_info full = { 0, 0, (rt_uint16_t)gd->width,
						    (rt_uint16_t)gd->height };
		struct virtio_gpu_box2d r;

		if (!clip(gd, args != RT_NULL ? args : &full, &r))
			return RT_EOK;
		return update(gd, &r) == VIRTIO_OK ? RT_EOK : -RT_EIO;
	}
	case RTGRAPHIC_CTRL_POWERON:
	case RTGRAPHIC_CTRL_POWEROFF:
		return RT_EOK;
	default:
		return -RT_ENOSYS;
	}
}

/* Resource, backing and scanout for the first enabled display. */
static int show(struct gpu_device *gd)
{
	struct virtio_gpu_box2d all;
	struct virtio_buf mem;
	int err;

	for (gd->scanout = 0; gd->scanout < gd->gpu.num_scanouts; gd->scanout++)
		if (gd->gpu.display[gd->scanout].enabled)
			break;
	if (gd->scanout == gd->gpu.num_scanouts)
		return VIRTIO_ENODEV;
	gd->width = gd->gpu.display[gd->scanout].width;
	gd->height = gd->gpu.display[gd->scanout].height;
	if (gd->width > 0xffffu / BYTES_PER_PIXEL || gd->height > 0xffffu)
		return VIRTIO_ECONFIG; /* RT-Thread's pitch and height are 16-bit */
	gd->fb = virtio_port_dma_alloc(gd->width * gd->height * BYTES_PER_PIXEL, 4096);
	if (gd->fb == RT_NULL)
		return VIRTIO_ENOMEM;
	mem.addr = gd->fb;
	mem.len = gd->width * gd->height * BYTES_PER_PIXEL;
	all = (struct virtio_gpu_box2d){ 0, 0, gd->width, gd->height };
	err = virtio_gpu_resource_create_2d(&gd->gpu, RESOURCE_ID,
					    VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM,
					    gd->width, gd->height);
	if (err == VIRTIO_OK)
		err = virtio_gpu_attach_backing(&gd->gpu, RESOURCE_ID, &mem, 1);
	if (err == VIRTIO_OK)
		err = virtio_gpu_set_scanout(&gd->gpu, gd->scanout, RESOURCE_ID, &all);
	if (err == VIRTIO_OK)
		err = update(gd, &all);
	return err;
}

VIRTIO_RTT_OPS(gpu_ops, RT_NULL, RT_NULL, RT_NULL, gpu_control);

int virtio_rtt_gpu_attach(struct virtio_device *vdev, uint32_t line)
{
	struct gpu_device *gd = rt_calloc(1, sizeof(*gd));
	int err;

	(void)line; /* commands are polled */
	if (gd == RT_NULL)
		return VIRTIO_ENOMEM;
	gd->d.vdev = *vdev;
	err = virtio_gpu_init(&gd->gpu, &gd->d.vdev);
	if (err != VIRTIO_OK) {
		rt_free(gd);
		return err;
	}
	rt_snprintf(gd->name, sizeof(gd->name), "virtio-gpu%u", gpu_count);
	virtio_rtt_dev_init(&gd->d, gd->name);
	err = show(gd);
	if (err != VIRTIO_OK) {
		virtio_gpu_destroy(&gd->gpu); /* reset first: no DMA into freed memory */
		if (gd->fb != RT_NULL)
			virtio_port_dma_free(gd->fb, gd->width * gd->height * BYTES_PER_PIXEL);
		rt_mutex_detach(&gd->d.lock);
		rt_event_detach(&gd->d.wake);
		rt_free(gd);
		return err == VIRTIO_ENODEV ? VIRTIO_OK : err; /* no display: nothing to show */
	}
	gpu_count++;
	return virtio_rtt_register(&gd->parent, gd->name, RT_Device_Class_Graphic,
				   RT_DEVICE_FLAG_RDWR, &gpu_ops);
}
