/*
 * virtio-net as an lwIP interface (virtio-net0, ...; RT-Thread's
 * struct eth_device): frames go out copied once from the pbuf chain into
 * a transmit buffer (virtio_net_sendv) and come in copied once into a
 * pbuf. Every interrupt of the device wakes lwIP's receive thread
 * (eth_device_ready); a configuration change (link up or down) is read in
 * that thread and reported with eth_device_linkchange. The MAC is the
 * device's, or a random locally administered one.
 */
#include <rtdevice.h>

#ifdef RT_USING_LWIP /* the interface needs lwIP */

#include <lwip/pbuf.h>
#include <netif/ethernetif.h>

#include <virtio/drivers/net.h>

#include "glue.h"

#ifndef VIRTIO_RTT_NET_FRAGS
#define VIRTIO_RTT_NET_FRAGS 16u /* pbufs per frame sent without a bounce copy */
#endif

struct net_device {
	struct eth_device parent; /* first: RT-Thread and lwIP hand this back */
	struct virtio_rtt_dev d;
	struct virtio_net net;
	volatile bool link_check; /* set by the config interrupt */
	uint8_t bounce[VIRTIO_NET_TX_BUF_SIZE]; /* a chain of too many pbufs */
	char name[RT_NAME_MAX];
};

static unsigned net_count;

/* The pbufs as pieces of one frame; a chain of more pieces than frag[]
 * holds is copied into the bounce buffer first. 0 pieces: too long. */
static unsigned frame_pieces(struct net_device *nd, struct pbuf *p,
			     struct virtio_net_frag *frag)
{
	unsigned n = 0;

	for (struct pbuf *q = p; q != RT_NULL; q = q->next, n++) {
		if (n == VIRTIO_RTT_NET_FRAGS) {
			if (p->tot_len > sizeof(nd->bounce))
				return 0;
			pbuf_copy_partial(p, nd->bounce, p->tot_len, 0);
			frag[0].data = nd->bounce;
			frag[0].len = p->tot_len;
			return 1;
		}
		frag[n].data = q->payload;
		frag[n].len = q->len;
	}
	return n;
}

static rt_err_t net_tx(rt_device_t dev, struct pbuf *p)
{
	struct net_device *nd = (struct net_device *)dev;
	struct virtio_net_frag frag[VIRTIO_RTT_NET_FRAGS];
	int err = VIRTIO_EINVAL;
	unsigned n;

	rt_mutex_take(&nd->d.lock, RT_WAITING_FOREVER);
	n = frame_pieces(nd, p, frag);
	if (n > 0)
		err = virtio_net_sendv(&nd->net, frag, n);
	rt_mutex_release(&nd->d.lock);
	return err == VIRTIO_OK ? RT_EOK : -RT_ERROR;
}

static struct pbuf *net_rx(rt_device_t dev)
{
	struct net_device *nd = (struct net_device *)dev;
	struct pbuf *p;
	int len;

	if (nd->link_check) {
		bool up;

		nd->link_check = false;
		rt_mutex_take(&nd->d.lock, RT_WAITING_FOREVER);
		up = virtio_net_update_link(&nd->net);
		rt_mutex_release(&nd->d.lock);
		eth_device_linkchange(&nd->parent, up);
	}
	p = pbuf_alloc(PBUF_RAW, (u16_t)nd->net.max_frame, PBUF_RAM);
	if (p == RT_NULL)
		return RT_NULL; /* the frame stays queued: the next interrupt retries */
	for (;;) {
		rt_mutex_take(&nd->d.lock, RT_WAITING_FOREVER);
		len = virtio_net_recv(&nd->net, p->payload, nd->net.max_frame, RT_NULL);
		rt_mutex_release(&nd->d.lock);
		if (len <= 0 || (uint32_t)len <= nd->net.max_frame)
			break;
		/* longer than the MTU allows: dropped, take the next one */
	}
	if (len <= 0) {
		pbuf_free(p);
		return RT_NULL;
	}
	pbuf_realloc(p, (u16_t)len);
	return p;
}

static rt_err_t net_control(rt_device_t dev, int cmd, void *args)
{
	struct net_device *nd = (struct net_device *)dev;

	if (cmd != NIOCTL_GADDR || args == RT_NULL)
		return -RT_EINVAL;
	rt_memcpy(args, nd->net.mac, sizeof(nd->net.mac));
	return RT_EOK;
}

/* Interrupt context. */
static void net_wake(void *ctx)
{
	struct net_device *nd = rt_container_of(ctx, struct net_device, d);

	virtio_rtt_dev_wake(&nd->d);
	eth_device_ready(&nd->parent);
}

static void net_config_changed(struct virtio_device *dev, void *ctx)
{
	struct net_device *nd = ctx;

	(void)dev;
	nd->link_check = true; /* read in the receive thread */
}

VIRTIO_RTT_OPS(net_ops, RT_NULL, RT_NULL, RT_NULL, net_control);

int virtio_rtt_net_attach(struct virtio_device *vdev, uint32_t line)
{
	struct net_device *nd = rt_calloc(1, sizeof(*nd));
	int err;

	if (nd == RT_NULL)
		return VIRTIO_ENOMEM;
	nd->d.vdev = *vdev;
	err = virtio_net_init(&nd->net, &nd->d.vdev,
			      (uint32_t)virtio_port_time_us() ^ (uint32_t)vdev->base);
	if (err != VIRTIO_OK) {
		rt_free(nd);
		return err;
	}
	rt_snprintf(nd->name, sizeof(nd->name), "virtio-net%u", net_count++);
	virtio_rtt_dev_init(&nd->d, nd->name);
	virtio_irq_init(&nd->d.irq, &nd->d.vdev);
	virtio_rtt_set_ops(&nd->parent.parent, &net_ops); /* eth_device_init registers it */
	nd->parent.eth_rx = net_rx;
	nd->parent.eth_tx = net_tx;
	if (eth_device_init(&nd->parent, nd->name) != RT_EOK)
		return VIRTIO_ENOMEM; /* lwIP's netif: the device stays ours, unused */
	if (virtio_net_use_irq(&nd->net, &nd->d.irq) == VIRTIO_OK) {
#if VIRTIO_INTERRUPTS
		virtio_irq_on_config(&nd->d.irq, net_config_changed, nd);
#else
		(void)net_config_changed;
#endif
		virtio_rtt_dev_attach(&nd->d, line, net_wake);
	}
	eth_device_linkchange(&nd->parent, nd->net.link_up);
	return VIRTIO_OK;
}

#endif /* RT_USING_LWIP */
