/*
 * Minimal virtio-blk driver: one request queue, synchronous sector
 * read/write by polling (bounded by VIRTIO_BLK_TIMEOUT_US).
 */
#ifndef VIRTIO_DRIVERS_BLK_H
#define VIRTIO_DRIVERS_BLK_H

#include <virtio/virtqueue.h>

#ifndef VIRTIO_BLK_TIMEOUT_US
#define VIRTIO_BLK_TIMEOUT_US 5000000u /* one request, polled */
#endif
#ifndef VIRTIO_BLK_QUEUE_SIZE
#define VIRTIO_BLK_QUEUE_SIZE 16u     /* we keep one request in flight */
#endif

struct virtio_blk_dma; /* header + status byte, in device-visible memory */

struct virtio_blk {
	struct virtio_device *dev;
	struct virtqueue vq;
	uint64_t capacity;  /* in 512-byte sectors */
	uint32_t blk_size;  /* device's preferred block size (512 if not offered) */
	bool read_only;
	struct virtio_blk_dma *dma;
};

/*
 * Negotiates (VIRTIO_BLK_F_RO, BLK_SIZE, plus the runtime's ring
 * features), sets up queue 0, reads capacity/blk_size, sets DRIVER_OK.
 * `dev` must come from a probe with device_id VIRTIO_ID_BLOCK.
 * Returns 0 or an error (the device is then marked FAILED).
 */
int virtio_blk_init(struct virtio_blk *blk, struct virtio_device *dev);

/*
 * Reads/writes `count` 512-byte sectors starting at `sector`. `buf` must
 * be device-reachable memory (e.g. from virtio_port_dma_alloc). Returns 0,
 * VIRTIO_EINVAL (range), VIRTIO_ERO, VIRTIO_EIO / VIRTIO_EUNSUPP (device
 * status), VIRTIO_ETIMEDOUT, or a queue error.
 */
int virtio_blk_read(struct virtio_blk *blk, uint64_t sector, void *buf,
		    uint32_t count);
int virtio_blk_write(struct virtio_blk *blk, uint64_t sector,
		     const void *buf, uint32_t count);

/* Resets the device and frees the queue. */
void virtio_blk_destroy(struct virtio_blk *blk);

#endif /* VIRTIO_DRIVERS_BLK_H */
