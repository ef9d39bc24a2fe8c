/*
 * virtio-input devices as RT-Thread character devices (virtio-input0,
 * ...; the boot log names each one's kind: keyboard, mouse, tablet). A read
 * returns whole struct virtio_input_ev records (type, code, value in host
 * byte order), as many as are pending and fit, never blocking; opened
 * with RT_DEVICE_FLAG_INT_RX, every interrupt of the device tells the
 * reader (rx_indicate). The driver keeps the event queue full.
 */
#include <rtdevice.h>

#include <virtio/drivers/input.h>

#include "glue.h"

struct input_device {
	struct rt_device parent; /* first: RT-Thread hands this back */
	struct virtio_rtt_dev d;
	struct virtio_input in;
	char name[RT_NAME_MAX];
};

static unsigned input_count;

static rt_size_t input_read(rt_device_t dev, rt_off_t pos, void *buffer,
			    rt_size_t size)
{
	struct input_device *id = (struct input_device *)dev;
	struct virtio_input_ev *ev = buffer;
	rt_size_t n = 0;

	(void)pos;
	if (rt_interrupt_get_nest() != 0)
		return 0;
	rt_mutex_take(&id->d.lock, RT_WAITING_FOREVER);
	while ((n + 1) * sizeof(*ev) <= size && virtio_input_get_event(&id->in, &ev[n]) == 1)
		n++;
	rt_mutex_release(&id->d.lock);
	return n * sizeof(*ev);
}

/* Interrupt context. */
static void input_wake(void *ctx)
{
	struct input_device *id = rt_container_of(ctx, struct input_device, d);

	virtio_rtt_dev_wake(&id->d);
	if (id->parent.ref_count > 0 && id->parent.rx_indicate != RT_NULL)
		id->parent.rx_indicate(&id->parent, sizeof(struct virtio_input_ev));
}

VIRTIO_RTT_OPS(input_ops, RT_NULL, input_read, RT_NULL, RT_NULL);

int virtio_rtt_input_attach(struct virtio_device *vdev, uint32_t line)
{
	struct input_device *id = rt_calloc(1, sizeof(*id));
	int err;

	if (id == RT_NULL)
		return VIRTIO_ENOMEM;
	id->d.vdev = *vdev;
	err = virtio_input_init(&id->in, &id->d.vdev);
	if (err != VIRTIO_OK) {
		rt_free(id);
		return err;
	}
	rt_snprintf(id->name, sizeof(id->name), "virtio-input%u", input_count++);
	rt_kprintf("%s: %s\n", id->name, virtio_input_kind_name(id->in.kind));
	virtio_rtt_dev_init(&id->d, id->name);
	virtio_irq_init(&id->d.irq, &id->d.vdev);
	if (virtio_input_use_irq(&id->in, &id->d.irq) == VIRTIO_OK)
		virtio_rtt_dev_attach(&id->d, line, input_wake);
	return virtio_rtt_register(&id->parent, id->name, RT_Device_Class_Char,
				   RT_DEVICE_FLAG_RDONLY | RT_DEVICE_FLAG_INT_RX, &input_ops);
}
