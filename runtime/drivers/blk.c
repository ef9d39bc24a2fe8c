/*
 * Minimal virtio-blk driver (spec 5.2): one queue, one synchronous
 * request at a time, completion by polling.
 */
#include <virtio/drivers/blk.h>

/* Device-visible part of a request: header (device-readable) and status
 * byte (device-writable); the data buffer is the caller's. */
struct virtio_blk_dma {
	struct virtio_blk_outhdr hdr;
	uint8_t status;
};

/* Largest block size we believe; anything else is a hostile config. */
#define BLK_SIZE_LIMIT (1u << 16)

static int init_fail(struct virtio_blk *blk, int err)
{
	virtio_fail(blk->dev);
	virtio_blk_destroy(blk);
	return err;
}

int virtio_blk_init(struct virtio_blk *blk, struct virtio_device *dev)
{
	uint64_t wanted = (1ull << VIRTIO_BLK_F_RO) |
			  (1ull << VIRTIO_BLK_F_BLK_SIZE) |
			  VIRTIO_RUNTIME_FEATURES;
	int err;

	blk->dev = dev;
	blk->dma = NULL;
	blk->vq.mem = NULL;
	if (dev->device_id != VIRTIO_ID_BLOCK)
		return VIRTIO_EINVAL;
	err = virtio_negotiate(dev, wanted);
	if (err)
		return err;

	blk->capacity = virtio_blk_config_capacity(dev);
	blk->blk_size = VIRTIO_BLK_SECTOR_SIZE;
	if (virtio_has_feature(dev, VIRTIO_BLK_F_BLK_SIZE)) {
		uint32_t bs = virtio_blk_config_blk_size(dev);

		/* A power of two from one sector up, or the device lies. */
		if (bs < VIRTIO_BLK_SECTOR_SIZE || bs > BLK_SIZE_LIMIT ||
		    (bs & (bs - 1)))
			return init_fail(blk, VIRTIO_ECONFIG);
		blk->blk_size = bs;
	}
	blk->read_only = virtio_has_feature(dev, VIRTIO_BLK_F_RO);

	blk->dma = virtio_port_dma_alloc(sizeof(*blk->dma), 16);
	if (!blk->dma)
		return init_fail(blk, VIRTIO_ENOMEM);
	err = virtqueue_setup(dev, &blk->vq, 0, VIRTIO_BLK_QUEUE_SIZE);
	if (err)
		return init_fail(blk, err);
	virtqueue_disable_cb(&blk->vq); /* we poll */
	err = virtio_driver_ok(dev);
	if (err)
		return init_fail(blk, err);
	return VIRTIO_OK;
}

void virtio_blk_destroy(struct virtio_blk *blk)
{
	if (blk->vq.mem) {
		/* Stop all DMA before the rings go away. */
		virtio_reset(blk->dev);
		virtqueue_destroy(&blk->vq);
	}
	if (blk->dma)
		virtio_port_dma_free(blk->dma, sizeof(*blk->dma));
	blk->dma = NULL;
}

/* Device gave up or never answered: stop it so it cannot write into the
 * caller's buffer later, and refuse further requests. */
static int abandon(struct virtio_blk *blk, int err)
{
	virtio_reset(blk->dev);
	while (virtqueue_detach_unused(&blk->vq))
		;
	virtio_fail(blk->dev);
	virtqueue_destroy(&blk->vq);
	return err;
}

static int request(struct virtio_blk *blk, uint32_t type, uint64_t sector,
		   void *buf, uint32_t count)
{
	struct virtio_device *dev = blk->dev;
	struct virtio_blk_dma *dma = blk->dma;
	bool out = type == VIRTIO_BLK_T_OUT;
	uint32_t bytes = count * VIRTIO_BLK_SECTOR_SIZE;
	struct virtio_buf bufs[3];
	uint64_t start;
	void *token;
	uint32_t len;
	int r;

	if (!dma || !blk->vq.mem)
		return VIRTIO_EBROKEN;
	if (count == 0 || count > UINT32_MAX / VIRTIO_BLK_SECTOR_SIZE ||
	    sector > blk->capacity || count > blk->capacity - sector)
		return VIRTIO_EINVAL;
	if (out && blk->read_only)
		return VIRTIO_ERO;

	dma->hdr.type = virtio32(dev, type);
	dma->hdr.ioprio = 0;
	dma->hdr.sector = virtio64(dev, sector);
	dma->status = 0xff; /* no valid status: catches a device that skips it */
	bufs[0].addr = &dma->hdr;
	bufs[0].len = sizeof(dma->hdr);
	bufs[1].addr = buf;
	bufs[1].len = bytes;
	bufs[2].addr = &dma->status;
	bufs[2].len = 1;
	r = virtqueue_add(&blk->vq, bufs, out ? 2 : 1, out ? 1 : 2, dma);
	if (r)
		return r;
	virtqueue_kick(&blk->vq);

	start = virtio_port_time_us();
	while ((r = virtqueue_get(&blk->vq, &token, &len)) == 0) {
		if (virtio_port_time_us() - start > VIRTIO_BLK_TIMEOUT_US) {
			r = virtio_check_status(dev);
			return abandon(blk, r ? r : VIRTIO_ETIMEDOUT);
		}
	}
	if (r < 0)
		return abandon(blk, r);
	if (token != dma) /* only one request is ever in flight */
		return abandon(blk, VIRTIO_EUSEDNOTINFLIGHT);
	/* The queue checked len <= header-less writable bytes. A modern
	 * device must also report the status byte and, for a read, all the
	 * data; legacy devices are known to report len carelessly (2.7.8.2). */
	if (!dev->legacy && (len < 1 || (!out && len != bytes + 1)))
		return VIRTIO_EIO;
	switch (*(volatile uint8_t *)&dma->status) {
	case VIRTIO_BLK_S_OK:
		return VIRTIO_OK;
	case VIRTIO_BLK_S_UNSUPP:
		return VIRTIO_EUNSUPP;
	default:
		return VIRTIO_EIO;
	}
}

int virtio_blk_read(struct virtio_blk *blk, uint64_t sector, void *buf,
		    uint32_t count)
{
	return request(blk, VIRTIO_BLK_T_IN, sector, buf, count);
}

int virtio_blk_write(struct virtio_blk *blk, uint64_t sector,
		     const void *buf, uint32_t count)
{
	/* The device only reads it; the buffer type is shared with reads. */
	return request(blk, VIRTIO_BLK_T_OUT, sector, (void *)(uintptr_t)buf,
		       count);
}
