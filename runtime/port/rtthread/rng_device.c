/*
 * virtio-rng as an RT-Thread character device (virtio-rng0, ...): a read
 * returns exactly the bytes asked for, or 0 with errno set.
 */
#include <rtdevice.h>

#include <virtio/drivers/rng.h>

#include "glue.h"

struct rng_device {
	struct rt_device parent; /* first: RT-Thread hands this back */
	struct virtio_rtt_dev d;
	struct virtio_rng rng;
	char name[RT_NAME_MAX];
};

static unsigned rng_count;

static rt_size_t rng_read(rt_device_t dev, rt_off_t pos, void *buffer,
			  rt_size_t size)
{
	struct rng_device *rd = (struct rng_device *)dev;
	int err;

	(void)pos;
	rt_mutex_take(&rd->d.lock, RT_WAITING_FOREVER);
	err = virtio_rng_read(&rd->rng, buffer, size);
	rt_mutex_release(&rd->d.lock);
	if (err != VIRTIO_OK) {
		rt_kprintf("%s: %s\n", rd->name, virtio_strerror(err));
		rt_set_errno(-RT_EIO);
		return 0;
	}
	return size;
}

VIRTIO_RTT_OPS(rng_ops, RT_NULL, rng_read, RT_NULL, RT_NULL);

int virtio_rtt_rng_attach(struct virtio_device *vdev, uint32_t line)
{
	struct rng_device *rd = rt_calloc(1, sizeof(*rd));
	int err;

	if (rd == RT_NULL)
		return VIRTIO_ENOMEM;
	rd->d.vdev = *vdev;
	err = virtio_rng_init(&rd->rng, &rd->d.vdev);
	if (err != VIRTIO_OK) {
		rt_free(rd);
		return err;
	}
	rt_snprintf(rd->name, sizeof(rd->name), "virtio-rng%u", rng_count++);
	virtio_rtt_dev_init(&rd->d, rd->name);
	virtio_irq_init(&rd->d.irq, &rd->d.vdev);
	if (virtio_rng_use_irq(&rd->rng, &rd->d.irq) == VIRTIO_OK)
		virtio_rtt_dev_attach(&rd->d, line, RT_NULL);
	return virtio_rtt_register(&rd->parent, rd->name, RT_Device_Class_Char,
				   RT_DEVICE_FLAG_RDONLY, &rng_ops);
}
