/*
 * virtio-console ports as RT-Thread character devices (vport0p0,
 * vport0p1, ...; one per port the driver serves), opened with
 * RT_DEVICE_FLAG_INT_RX: every interrupt of the device tells the port's
 * reader (rx_indicate, as a UART does), and reads never block, so a port
 * can be the msh console (`console set vport0p1`). Control messages
 * (ports added, opened, named) are taken on every read and write.
 */
#include <rtdevice.h>

#include <virtio/drivers/console.h>

#include "glue.h"

struct console_device;

struct port_device {
	struct rt_device parent; /* first: RT-Thread hands this back */
	struct console_device *cd;
	uint32_t port;
	char name[RT_NAME_MAX];
};

struct console_device {
	struct virtio_rtt_dev d; /* first: the wake hook gets &d */
	struct virtio_console con;
	struct port_device port[VIRTIO_CONSOLE_MAX_PORTS];
};

static unsigned console_count;

static rt_size_t port_read(rt_device_t dev, rt_off_t pos, void *buffer,
			   rt_size_t size)
{
	struct port_device *pd = (struct port_device *)dev;
	int n;

	(void)pos;
	if (rt_interrupt_get_nest() != 0)
		return 0;
	rt_mutex_take(&pd->cd->d.lock, RT_WAITING_FOREVER);
	(void)virtio_console_poll(&pd->cd->con);
	n = virtio_console_read(&pd->cd->con, pd->port, buffer,
				size > 0xffffffffu ? 0xffffffffu : (uint32_t)size);
	rt_mutex_release(&pd->cd->d.lock);
	return n > 0 ? (rt_size_t)n : 0;
}

/* From an interrupt handler (a kprintf there) the queue cannot be used:
 * those bytes are dropped. */
static rt_size_t port_write(rt_device_t dev, rt_off_t pos, const void *buffer,
			    rt_size_t size)
{
	struct port_device *pd = (struct port_device *)dev;
	const uint8_t *p = buffer;
	rt_size_t done = 0;

	(void)pos;
	if (rt_interrupt_get_nest() != 0)
		return 0;
	rt_mutex_take(&pd->cd->d.lock, RT_WAITING_FOREVER);
	(void)virtio_console_poll(&pd->cd->con);
	while (done < size) {
		uint32_t n = size - done > VIRTIO_CONSOLE_BUF_SIZE ?
			VIRTIO_CONSOLE_BUF_SIZE : (uint32_t)(size - done);

		if (virtio_console_write(&pd->cd->con, pd->port, p + done, n) < 0)
			break;
		done += n;
	}
	rt_mutex_release(&pd->cd->d.lock);
	return done;
}

static rt_err_t port_open(rt_device_t dev, rt_uint16_t oflag)
{
	struct port_device *pd = (struct port_device *)dev;

	(void)oflag;
	if (!pd->cd->con.multiport)
		return RT_EOK;
	rt_mutex_take(&pd->cd->d.lock, RT_WAITING_FOREVER);
	(void)virtio_console_poll(&pd->cd->con);
	(void)virtio_console_open(&pd->cd->con, pd->port, true);
	rt_mutex_release(&pd->cd->d.lock);
	return RT_EOK;
}

/* Interrupt context: wake the waiters and every open port's reader. */
static void console_wake(void *ctx)
{
	struct console_device *cd = ctx;

	virtio_rtt_dev_wake(&cd->d);
	for (uint32_t i = 0; i < cd->con.nr_ports; i++) {
		struct rt_device *dev = &cd->port[i].parent;

		if (dev->ref_count > 0 && dev->rx_indicate != RT_NULL)
			dev->rx_indicate(dev, 1);
	}
}

VIRTIO_RTT_OPS(port_ops, port_open, port_read, port_write, RT_NULL);

int virtio_rtt_console_attach(struct virtio_device *vdev, uint32_t line)
{
	struct console_device *cd = rt_calloc(1, sizeof(*cd));
	unsigned index = console_count;
	char name[RT_NAME_MAX];
	int err;

	if (cd == RT_NULL)
		return VIRTIO_ENOMEM;
	cd->d.vdev = *vdev;
	err = virtio_console_init(&cd->con, &cd->d.vdev, VIRTIO_CONSOLE_MAX_PORTS);
	if (err != VIRTIO_OK) {
		rt_free(cd);
		return err;
	}
	console_count++;
	rt_snprintf(name, sizeof(name), "virtio-con%u", index);
	virtio_rtt_dev_init(&cd->d, name);
	virtio_irq_init(&cd->d.irq, &cd->d.vdev);
	if (virtio_console_use_irq(&cd->con, &cd->d.irq) == VIRTIO_OK)
		virtio_rtt_dev_attach(&cd->d, line, console_wake);
	(void)virtio_console_poll(&cd->con); /* ports the device added */
	for (uint32_t i = 0; i < cd->con.nr_ports; i++) {
		struct port_device *pd = &cd->port[i];

		pd->cd = cd;
		pd->port = i;
		rt_snprintf(pd->name, sizeof(pd->name), "vport%up%u", index, (unsigned)i);
		err = virtio_rtt_register(&pd->parent, pd->name, RT_Device_Class_Char,
					  RT_DEVICE_FLAG_RDWR | RT_DEVICE_FLAG_INT_RX, &port_ops);
		if (err != VIRTIO_OK)
			return err;
	}
	return VIRTIO_OK;
}
