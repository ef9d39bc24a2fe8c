/*
 * virtio-gpu 2D driver (spec 5.7): display info, EDID, 2D resources with
 * guest backing, scanouts, transfers, flushes, the cursor, and
 * display-change events. One command at a time, polled, each bounded by
 * VIRTIO_GPU_TIMEOUT_US; every request carries a fence the response must
 * echo.
 *
 * Nothing the device reports is trusted: num_scanouts is bounded to
 * VIRTIO_GPU_MAX_SCANOUTS, only the first num_scanouts display entries
 * are used, a display larger than VIRTIO_GPU_MAX_DIM counts as disabled,
 * the EDID size is bounded by the array and the used length, and every
 * response must have the type its command calls for and the length that
 * type needs; anything else is VIRTIO_EIO (gpu->last_resp tells which;
 * virtio_gpu_ctrl_type_name() of <virtio/names.h> names it).
 */
#ifndef VIRTIO_DRIVERS_GPU_H
#define VIRTIO_DRIVERS_GPU_H

#include <virtio/virtqueue.h>

#ifndef VIRTIO_GPU_TIMEOUT_US
#define VIRTIO_GPU_TIMEOUT_US 5000000u /* command timeout (us) */
#endif
#ifndef VIRTIO_GPU_MAX_ENTRIES
#define VIRTIO_GPU_MAX_ENTRIES 64u /* memory pieces per resource backing at most */
#endif
#ifndef VIRTIO_GPU_MAX_DIM
#define VIRTIO_GPU_MAX_DIM 16384u /* largest display width or height believed */
#endif

/* One scanout as the device last described it (host byte order). */
struct virtio_gpu_display {
	uint32_t x, y, width, height;
	uint32_t flags;
	bool enabled; /* enabled by the device and a believable size */
};

struct virtio_gpu_dma; /* request, response and cursor buffers */

struct virtio_gpu {
	struct virtio_device *dev;
	struct virtqueue ctrlq;
	struct virtqueue cursorq;
	struct virtio_gpu_dma *dma;
	uint32_t num_scanouts;         /* 1..VIRTIO_GPU_MAX_SCANOUTS */
	struct virtio_gpu_display display[VIRTIO_GPU_MAX_SCANOUTS];
	bool has_edid;                 /* VIRTIO_GPU_F_EDID negotiated */
	uint64_t fence;                /* last fence id used */
	uint32_t last_resp;            /* type of the last response */
	uint32_t num_scanouts_offered; /* as read, before bounding */
};

/* A rectangle in host byte order. */
struct virtio_gpu_box2d {
	uint32_t x, y, width, height;
};

/*
 * Negotiates (VIRTIO_GPU_F_EDID plus the runtime's ring features), reads
 * and bounds num_scanouts (0 is VIRTIO_ECONFIG), sets up both queues,
 * sets DRIVER_OK and fetches the display info. `dev` must come from a
 * probe with device_id VIRTIO_ID_GPU. Returns 0 or an error (the device
 * is then marked FAILED).
 */
int virtio_gpu_init(struct virtio_gpu *gpu, struct virtio_device *dev);
/* Resets the device and frees the queues. */
void virtio_gpu_destroy(struct virtio_gpu *gpu);

/* GET_DISPLAY_INFO into gpu->display. */
int virtio_gpu_get_display_info(struct virtio_gpu *gpu);
/* GET_EDID of `scanout` into buf (cap bytes): returns the bytes copied,
 * VIRTIO_EUNSUPP without VIRTIO_GPU_F_EDID, VIRTIO_EINVAL for a scanout
 * the device does not have. */
int virtio_gpu_get_edid(struct virtio_gpu *gpu, uint32_t scanout, uint8_t *buf,
			size_t cap);

/* Resource ids are the caller's choice; 0 is not valid (VIRTIO_EINVAL). */
int virtio_gpu_resource_create_2d(struct virtio_gpu *gpu, uint32_t id,
				  uint32_t format, uint32_t width, uint32_t height);
int virtio_gpu_resource_unref(struct virtio_gpu *gpu, uint32_t id);
/* Backing from 1..VIRTIO_GPU_MAX_ENTRIES device-reachable pieces, used
 * in order as one linear buffer. */
int virtio_gpu_attach_backing(struct virtio_gpu *gpu, uint32_t id,
			      const struct virtio_buf *mem, unsigned n);
int virtio_gpu_detach_backing(struct virtio_gpu *gpu, uint32_t id);
/* Shows rect r of resource id on scanout (id 0 disables the scanout). */
int virtio_gpu_set_scanout(struct virtio_gpu *gpu, uint32_t scanout, uint32_t id,
			   const struct virtio_gpu_box2d *r);
/* Copies rect r from the backing (first pixel at byte `offset`). */
int virtio_gpu_transfer_to_host_2d(struct virtio_gpu *gpu, uint32_t id,
				   const struct virtio_gpu_box2d *r, uint64_t offset);
int virtio_gpu_resource_flush(struct virtio_gpu *gpu, uint32_t id,
			      const struct virtio_gpu_box2d *r);

/* Cursor (cursorq): image from a 64x64 resource (0 hides it) with its
 * hot spot, at (x, y) of scanout; move keeps the image. */
int virtio_gpu_update_cursor(struct virtio_gpu *gpu, uint32_t scanout, uint32_t id,
			     uint32_t hot_x, uint32_t hot_y, uint32_t x, uint32_t y);
int virtio_gpu_move_cursor(struct virtio_gpu *gpu, uint32_t scanout, uint32_t x,
			   uint32_t y);

/*
 * Display-change events (5.7.4.2): if events_read has
 * VIRTIO_GPU_EVENT_DISPLAY, clears it and fetches the display info again;
 * returns 1 then, 0 if nothing changed, or an error.
 */
int virtio_gpu_poll_events(struct virtio_gpu *gpu);

#endif /* VIRTIO_DRIVERS_GPU_H */
