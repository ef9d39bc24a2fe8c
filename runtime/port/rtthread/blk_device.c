/*
 * virtio-blk as an RT-Thread block device (virtio-blk0, ...): 512-byte
 * sectors, RT_DEVICE_CTRL_BLK_GETGEOME and _SYNC. Any number of tasks may
 * read and write at once: each submits its request under the device
 * mutex and waits for its own completion, so requests of several tasks
 * are in flight together. Whichever task polls takes every completion
 * and wakes the others.
 */
#include <rtdevice.h>

#include <virtio/drivers/blk.h>

#include "glue.h"

struct blk_device {
	struct rt_device parent; /* first: RT-Thread hands this back */
	struct virtio_rtt_dev d;
	struct virtio_blk blk;
	char name[RT_NAME_MAX];
};

/* Lives on its owner's stack: `done` is the last thing another task's
 * poll writes to it (release; the owner reads it with acquire). */
struct request {
	struct blk_device *bd;
	rt_thread_t owner;
	bool done;
	int result;
};

static struct blk_device *blk_devices[VIRTIO_RTT_MAX_DEVICES];
static unsigned blk_count;

static void request_done(void *ctx, int result)
{
	struct request *req = ctx;
	struct blk_device *bd = req->bd;
	bool other = req->owner != rt_thread_self();

	req->result = result;
	__atomic_store_n(&req->done, true, __ATOMIC_RELEASE);
	if (other) /* its owner may sleep already; the caller's own needs no wake */
		virtio_rtt_dev_wake(&bd->d);
}

/* Submits, retrying while the ring is full, then waits for `req`. A
 * device that stops answering is failed by the driver's bounded drain. */
static int run(struct blk_device *bd, enum virtio_blk_op op, uint64_t sector,
	       void *buf, uint32_t count)
{
	struct request req = { bd, rt_thread_self(), false, 0 };
	uint64_t start = virtio_port_time_us();
	int err;

	for (;;) {
		rt_mutex_take(&bd->d.lock, RT_WAITING_FOREVER);
		err = virtio_blk_submit(&bd->blk, op, sector, buf, count,
					request_done, &req);
		if (err == VIRTIO_ENOSPC)
			(void)virtio_blk_poll(&bd->blk);
		rt_mutex_release(&bd->d.lock);
		if (err != VIRTIO_ENOSPC)
			break;
		virtio_rtt_dev_sleep(&bd->d, VIRTIO_BLK_TIMEOUT_US);
	}
	if (err != VIRTIO_OK)
		return err;
	for (;;) {
		bool late = virtio_port_time_us() - start > VIRTIO_BLK_TIMEOUT_US;

		rt_mutex_take(&bd->d.lock, RT_WAITING_FOREVER);
		if (late)
			(void)virtio_blk_drain(&bd->blk);
		else
			(void)virtio_blk_poll(&bd->blk);
		rt_mutex_release(&bd->d.lock);
		if (__atomic_load_n(&req.done, __ATOMIC_ACQUIRE))
			return req.result;
		virtio_rtt_dev_sleep(&bd->d, VIRTIO_BLK_TIMEOUT_US);
	}
}

/* Sectors done, or 0 with errno set: never the count asked for when a
 * part failed. */
static rt_size_t transfer(rt_device_t dev, rt_off_t pos, void *buffer,
			  rt_size_t size, enum virtio_blk_op op)
{
	struct blk_device *bd = (struct blk_device *)dev;
	uint32_t step = bd->blk.limits.max_sectors;
	rt_size_t done = 0;

	if (pos < 0 || buffer == RT_NULL) {
		rt_set_errno(-RT_EINVAL);
		return 0;
	}
	while (done < size) {
		uint32_t n = size - done > step ? step : (uint32_t)(size - done);
		int err = run(bd, op, (uint64_t)pos + done,
			      (uint8_t *)buffer + done * 512u, n);

		if (err != VIRTIO_OK) {
			rt_kprintf("%s: sector %u: %s\n", bd->name,
				   (unsigned)(pos + done), virtio_strerror(err));
			rt_set_errno(-RT_EIO);
			break;
		}
		done += n;
	}
	return done;
}

static rt_size_t blk_read(rt_device_t dev, rt_off_t pos, void *buffer,
			  rt_size_t size)
{
	return transfer(dev, pos, buffer, size, VIRTIO_BLK_OP_READ);
}

static rt_size_t blk_write(rt_device_t dev, rt_off_t pos, const void *buffer,
			   rt_size_t size)
{
	return transfer(dev, pos, (void *)buffer, size, VIRTIO_BLK_OP_WRITE);
}

static rt_err_t blk_control(rt_device_t dev, int cmd, void *args)
{
	struct blk_device *bd = (struct blk_device *)dev;

	switch (cmd) {
	case RT_DEVICE_CTRL_BLK_GETGEOME: {
		struct rt_device_blk_geometry *geo = args;

		if (geo == RT_NULL)
			return -RT_EINVAL;
		geo->bytes_per_sector = 512;
		geo->block_size = bd->blk.blk_size;
		geo->sector_count = bd->blk.capacity > 0xffffffffu ?
			0xffffffffu : (rt_uint32_t)bd->blk.capacity;
		return RT_EOK;
	}
	case RT_DEVICE_CTRL_BLK_SYNC:
		if (!virtio_blk_has(&bd->blk, VIRTIO_BLK_F_FLUSH))
			return RT_EOK; /* write-through: nothing to flush */
		return run(bd, VIRTIO_BLK_OP_FLUSH, 0, RT_NULL, 0) == VIRTIO_OK ?
			RT_EOK : -RT_EIO;
	default:
		return -RT_ENOSYS;
	}
}

VIRTIO_RTT_OPS(blk_ops, RT_NULL, blk_read, blk_write, blk_control);

int virtio_rtt_blk_attach(struct virtio_device *vdev, uint32_t line)
{
	struct blk_device *bd = rt_calloc(1, sizeof(*bd));
	int err;

	if (bd == RT_NULL)
		return VIRTIO_ENOMEM;
	bd->d.vdev = *vdev;
	err = virtio_blk_init(&bd->blk, &bd->d.vdev);
	if (err != VIRTIO_OK) {
		rt_free(bd);
		return err;
	}
	if (blk_count < VIRTIO_RTT_MAX_DEVICES)
		blk_devices[blk_count] = bd;
	rt_snprintf(bd->name, sizeof(bd->name), "virtio-blk%u", blk_count++);
	virtio_rtt_dev_init(&bd->d, bd->name);
	virtio_irq_init(&bd->d.irq, &bd->d.vdev);
	if (virtio_blk_use_irq(&bd->blk, &bd->d.irq) == VIRTIO_OK)
		virtio_rtt_dev_attach(&bd->d, line, RT_NULL);
	return virtio_rtt_register(&bd->parent, bd->name, RT_Device_Class_Block,
				   RT_DEVICE_FLAG_RDWR | RT_DEVICE_FLAG_STANDALONE, &blk_ops);
}

#ifdef RT_USING_FINSH
#include <finsh.h>

/* msh: the driver's counters of every disk. */
static int blk_stat(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (unsigned i = 0; i < blk_count && i < VIRTIO_RTT_MAX_DEVICES; i++) {
		struct blk_device *bd = blk_devices[i];

		rt_kprintf("%s: %lu sectors, %lu requests, %lu kicks, %u in flight at most\n",
			   bd->name, (unsigned long)bd->blk.capacity,
			   (unsigned long)bd->blk.stats.requests,
			   (unsigned long)bd->blk.stats.kicks, bd->blk.stats.max_inflight);
	}
	return 0;
}
MSH_CMD_EXPORT_ALIAS(blk_stat, vblk_stat, VirtIO block devices: requests and kicks);
#endif
