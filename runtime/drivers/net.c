/*
 * virtio-net driver (spec 5.1), polled, one queue pair: receiveq1 is
 * queue 0, transmitq1 queue 1, the control queue 2 (2N with N = 1: MQ is
 * never accepted).
 */
#include <virtio/drivers/net.h>
#include <virtio/interrupt.h>

#include <virtio/transport.h>

#define B(bit) (1ull << (bit))
#define ETH_FRAME_MAX 1514u
#define CTRL_BUF_SIZE 256u
#define CTRL_DATA 8u                  /* data starts here in ctrlbuf */
#define CTRL_ACK (CTRL_BUF_SIZE - 1u) /* ack byte */
#define CTRL_QUEUE_SIZE 8u

_Static_assert(VIRTIO_NET_RX_BUFS >= 1 && VIRTIO_NET_RX_BUFS <= 256, "VIRTIO_NET_RX_BUFS");
_Static_assert(VIRTIO_NET_TX_BUFS >= 1 && VIRTIO_NET_TX_BUFS <= 8, "VIRTIO_NET_TX_BUFS (bit mask)");
_Static_assert(VIRTIO_NET_RX_BUF_SIZE >= VIRTIO_NET_MIN_RX_BUF, "receive buffers too small (5.1.6.3)");
_Static_assert(VIRTIO_NET_TX_BUF_SIZE >= VIRTIO_NET_HDR_SIZE + VIRTIO_NET_ETH_HLEN, "VIRTIO_NET_TX_BUF_SIZE");
_Static_assert(CTRL_DATA + 8 + 12 * VIRTIO_NET_MAC_FILTER_MAX < CTRL_ACK, "VIRTIO_NET_MAC_FILTER_MAX too big");

static void copy(void *dst, const void *src, uint32_t n)
{
	uint8_t *d = dst;
	const volatile uint8_t *s = src; /* may be device memory: read once */

	while (n--)
		*d++ = *s++;
}

static void fill(void *dst, uint8_t v, uint32_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = v;
}

/* Byte-wise access to virtio16/32 fields at any alignment. */
static void put16(const struct virtio_device *dev, uint8_t *p, uint16_t v)
{
	v = virtio16(dev, v);
	copy(p, &v, 2);
}

static void put32(const struct virtio_device *dev, uint8_t *p, uint32_t v)
{
	v = virtio32(dev, v);
	copy(p, &v, 4);
}

uint32_t virtio_net_csum_add(uint32_t sum, const void *data, uint32_t len)
{
	const uint8_t *p = data;
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)p[i] << 8 | p[i + 1];
		sum = (sum & 0xffff) + (sum >> 16); /* never overflows */
	}
	if (i < len)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

uint16_t virtio_net_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Completes a partial checksum in place (spec 5.1.6.2: sum from start to
 * the end, ones' complement, at start + offset). */
static void csum_complete(uint8_t *frame, uint32_t len, uint16_t start, uint16_t offset)
{
	uint16_t c = (uint16_t)~virtio_net_csum_fold(
		virtio_net_csum_add(0, frame + start, len - start));

	frame[start + offset] = (uint8_t)(c >> 8);
	frame[start + offset + 1] = (uint8_t)c;
}

static bool csum_fits(uint32_t len, uint32_t start, uint32_t offset)
{
	return start < len && offset + 2u <= len - start;
}

static void free_dma(uint8_t **p, size_t size)
{
	if (*p)
		virtio_port_dma_free(*p, size);
	*p = NULL;
}

void virtio_net_destroy(struct virtio_net *net)
{
	if ((net->rx.mem || net->tx.mem || net->ctrl.mem) && net->dev)
		virtio_reset(net->dev); /* stop DMA before the memory goes */
	virtqueue_destroy(&net->ctrl);
	virtqueue_destroy(&net->tx);
	virtqueue_destroy(&net->rx);
	free_dma(&net->ctrlbuf, CTRL_BUF_SIZE);
	free_dma(&net->txbuf, VIRTIO_NET_TX_BUFS * VIRTIO_NET_TX_BUF_SIZE);
	free_dma(&net->rxbuf, VIRTIO_NET_RX_BUFS * VIRTIO_NET_RX_BUF_SIZE);
}

static int fail(struct virtio_net *net, int err)
{
	virtio_fail(net->dev);
	virtio_net_destroy(net);
	return err;
}

/* Legacy devices without ANY_LAYOUT want the header in a descriptor of
 * its own (5.1.6.6). */
static bool split_header(const struct virtio_net *net)
{
	return net->dev->legacy && !virtio_has_feature(net->dev, VIRTIO_F_ANY_LAYOUT);
}

static int rx_give(struct virtio_net *net, uint8_t *buf)
{
	struct virtio_buf b[2] = {
		{ buf, VIRTIO_NET_RX_BUF_SIZE },
		{ buf + net->hdr_len, VIRTIO_NET_RX_BUF_SIZE - net->hdr_len },
	};

	if (split_header(net) && !net->mrg_rxbuf) {
		b[0].len = net->hdr_len;
		return virtqueue_add(&net->rx, b, 0, 2, buf);
	}
	return virtqueue_add(&net->rx, b, 0, 1, buf);
}

/* Index of a buffer token in [base, base + n * size), or -1. */
static long slot_of(const void *token, const uint8_t *base, uint32_t n, uint32_t size)
{
	uintptr_t off = (uintptr_t)token - (uintptr_t)base;

	if ((uintptr_t)token < (uintptr_t)base || off >= (uintptr_t)n * size ||
	    off % size)
		return -1;
	return (long)(off / size);
}

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* IEEE 802 locally administered unicast address (spec 5.1.4.2). */
static void random_mac(struct virtio_net *net, uint32_t seed)
{
	uint64_t x = mix(seed ^ mix(virtio_port_time_us()) ^ mix(net->dev->base));

	for (unsigned i = 0; i < 6; i++)
		net->mac[i] = (uint8_t)(x >> (8 * i));
	net->mac[0] = (uint8_t)((net->mac[0] & 0xfe) | 0x02);
}

static int setup(struct virtio_net *net)
{
	struct virtio_device *dev = net->dev;
	int err;

	net->rxbuf = virtio_port_dma_alloc(VIRTIO_NET_RX_BUFS * VIRTIO_NET_RX_BUF_SIZE, 64);
	net->txbuf = virtio_port_dma_alloc(VIRTIO_NET_TX_BUFS * VIRTIO_NET_TX_BUF_SIZE, 64);
	if (!net->rxbuf || !net->txbuf)
		return VIRTIO_ENOMEM;
	if (net->has_ctrl) {
		net->ctrlbuf = virtio_port_dma_alloc(CTRL_BUF_SIZE, 16);
		if (!net->ctrlbuf)
			return VIRTIO_ENOMEM;
	}
	/* Room for two descriptors per buffer (split header). */
	err = virtqueue_setup(dev, &net->rx, 0, 2 * VIRTIO_NET_RX_BUFS);
	if (!err)
		err = virtqueue_setup(dev, &net->tx, 1, 2 * VIRTIO_NET_TX_BUFS);
	if (!err && net->has_ctrl)
		err = virtqueue_setup(dev, &net->ctrl, 2, CTRL_QUEUE_SIZE);
	if (err)
		return err;
	virtqueue_disable_cb(&net->rx);
	virtqueue_disable_cb(&net->tx);
	if (net->has_ctrl)
		virtqueue_disable_cb(&net->ctrl);
	for (unsigned i = 0; i < VIRTIO_NET_RX_BUFS && !err; i++)
		err = rx_give(net, net->rxbuf + i * VIRTIO_NET_RX_BUF_SIZE);
	net->tx_free_mask = (uint8_t)((1u << VIRTIO_NET_TX_BUFS) - 1);
	return err;
}

/* Biggest frame the posted receive buffers can take. */
static uint32_t rx_capacity(const struct virtio_net *net)
{
	uint32_t one = VIRTIO_NET_RX_BUF_SIZE - net->hdr_len;

	return net->mrg_rxbuf ? one + (VIRTIO_NET_RX_BUFS - 1) * VIRTIO_NET_RX_BUF_SIZE
			      : one;
}

/* One step of a bounded wait: false once timeout_us since t0 passed;
 * otherwise sleeps until the next interrupt (with use_irq; *seen taken
 * before the caller last looked at the queue) or returns at once. */
static bool wait_more(struct virtio_net *net, uint32_t *seen, uint64_t t0,
		      uint64_t timeout_us)
{
	uint64_t spent = virtio_port_time_us() - t0;

	if (spent > timeout_us)
		return false;
	if (net->irq)
		(void)virtio_irq_wait(net->irq, seen, timeout_us - spent);
	return true;
}

static uint32_t events(const struct virtio_net *net)
{
	return net->irq ? virtio_irq_events(net->irq) : 0;
}

int virtio_net_init(struct virtio_net *net, struct virtio_device *dev, uint32_t seed)
{
	uint64_t wanted = B(VIRTIO_NET_F_MAC) | B(VIRTIO_NET_F_STATUS) |
			  B(VIRTIO_NET_F_MTU) | B(VIRTIO_NET_F_MRG_RXBUF) |
			  B(VIRTIO_NET_F_CSUM) | B(VIRTIO_NET_F_GUEST_CSUM) |
			  B(VIRTIO_NET_F_CTRL_VQ) | B(VIRTIO_NET_F_CTRL_RX) |
			  B(VIRTIO_NET_F_CTRL_MAC_ADDR) | B(VIRTIO_NET_F_SPEED_DUPLEX) |
			  VIRTIO_RUNTIME_FEATURES;
	uint8_t *b = (uint8_t *)net;
	int err;

	for (size_t i = 0; i < sizeof(*net); i++)
		b[i] = 0;
	net->dev = dev;
	if (dev->device_id != VIRTIO_ID_NET)
		return VIRTIO_EINVAL;
	for (;;) {
		err = virtio_negotiate(dev, wanted);
		if (err)
			return err;
		/* CTRL_RX and CTRL_MAC_ADDR need CTRL_VQ (5.1.3.1): a device
		 * that offers them alone gets neither. */
		if (!virtio_has_feature(dev, VIRTIO_NET_F_CTRL_VQ) &&
		    (dev->features & (B(VIRTIO_NET_F_CTRL_RX) | B(VIRTIO_NET_F_CTRL_MAC_ADDR)))) {
			wanted &= ~(B(VIRTIO_NET_F_CTRL_RX) | B(VIRTIO_NET_F_CTRL_MAC_ADDR));
			continue;
		}
		net->mrg_rxbuf = virtio_has_feature(dev, VIRTIO_NET_F_MRG_RXBUF);
		net->hdr_len = !dev->legacy || net->mrg_rxbuf ? VIRTIO_NET_HDR_SIZE
							      : VIRTIO_NET_HDR_LEGACY_SIZE;
		net->mtu = 1500;
		net->max_frame = ETH_FRAME_MAX;
		if (!virtio_has_feature(dev, VIRTIO_NET_F_MTU))
			break;
		net->mtu = virtio_net_config_mtu(dev);
		if (net->mtu >= VIRTIO_NET_MTU_MIN &&
		    net->mtu + VIRTIO_NET_ETH_HLEN <= rx_capacity(net))
			break;
		/* Below the spec's minimum (5.1.4.1), as Linux does, or a
		 * full-mtu frame we could not receive (5.1.4.2 wants us to):
		 * do without the feature, with the default 1500. */
		wanted &= ~B(VIRTIO_NET_F_MTU);
	}
	if (virtio_has_feature(dev, VIRTIO_NET_F_MTU))
		net->max_frame = net->mtu + VIRTIO_NET_ETH_HLEN;
	if (net->max_frame > VIRTIO_NET_TX_BUF_SIZE - net->hdr_len)
		net->max_frame = VIRTIO_NET_TX_BUF_SIZE - net->hdr_len;
	net->has_ctrl = virtio_has_feature(dev, VIRTIO_NET_F_CTRL_VQ);
	net->ctrl_rx = net->has_ctrl && virtio_has_feature(dev, VIRTIO_NET_F_CTRL_RX);
	net->ctrl_mac = net->has_ctrl && virtio_has_feature(dev, VIRTIO_NET_F_CTRL_MAC_ADDR);
	net->mac_from_device = virtio_has_feature(dev, VIRTIO_NET_F_MAC);
	if (net->mac_from_device)
		for (unsigned i = 0; i < 6; i++)
			net->mac[i] = virtio_net_config_mac(dev, i);
	else
		random_mac(net, seed);
	err = setup(net);
	if (err)
		return fail(net, err);
	err = virtio_driver_ok(dev);
	if (err)
		return fail(net, err);
	virtqueue_kick(&net->rx); /* not before DRIVER_OK (3.1.1) */
	virtio_net_update_link(net);
	if (!net->mac_from_device && (net->ctrl_mac || dev->legacy)) {
		/* Tell the device the address we made up, so its filter
		 * lets our frames in. */
		uint8_t mac[6];

		copy(mac, net->mac, 6);
		err = virtio_net_set_mac(net, mac);
		if (err)
			return fail(net, err);
	}
	return VIRTIO_OK;
}

int virtio_net_use_irq(struct virtio_net *net, struct virtio_irq *irq)
{
	int r;

	if (!irq || irq->dev != net->dev || !net->rx.mem || !net->tx.mem)
		return VIRTIO_EINVAL;
	/* Wake-only registrations: the task takes the buffers itself. */
	r = virtio_irq_on_queue(irq, &net->rx, NULL, NULL);
	if (!r)
		r = virtio_irq_on_queue(irq, &net->tx, NULL, NULL);
	if (!r && net->ctrl.mem)
		r = virtio_irq_on_queue(irq, &net->ctrl, NULL, NULL);
	if (!r)
		net->irq = irq;
	return r;
}

int virtio_net_recv_wait(struct virtio_net *net, void *buf, uint32_t size,
			 struct virtio_net_rx_info *info, uint64_t timeout_us)
{
	uint32_t seen = events(net);
	uint64_t t0 = virtio_port_time_us();
	int r;

	while ((r = virtio_net_recv(net, buf, size, info)) == 0)
		if (!wait_more(net, &seen, t0, timeout_us))
			break;
	return r;
}

bool virtio_net_update_link(struct virtio_net *net)
{
	struct virtio_device *dev = net->dev;

	if (virtio_has_feature(dev, VIRTIO_NET_F_STATUS))
		net->link_up = virtio_net_config_status(dev) & VIRTIO_NET_S_LINK_UP;
	else
		net->link_up = true; /* 5.1.4.2 */
	net->speed = VIRTIO_NET_SPEED_UNKNOWN;
	net->duplex = VIRTIO_NET_DUPLEX_UNKNOWN;
	if (virtio_has_feature(dev, VIRTIO_NET_F_SPEED_DUPLEX)) {
		uint32_t speed = virtio_net_config_speed(dev);
		uint8_t duplex = virtio_net_config_duplex(dev);

		/* 5.1.4.2: anything out of range means unknown. */
		if (speed <= VIRTIO_NET_SPEED_MAX)
			net->speed = speed;
		if (duplex == VIRTIO_NET_DUPLEX_HALF || duplex == VIRTIO_NET_DUPLEX_FULL)
			net->duplex = duplex;
	}
	return net->link_up;
}

/* Takes back every transmit buffer the device is done with. */
static int tx_reclaim(struct virtio_net *net)
{
	void *token;
	uint32_t len;
	int r;

	while ((r = virtqueue_get(&net->tx, &token, &len)) == 1) {
		long s = slot_of(token, net->txbuf, VIRTIO_NET_TX_BUFS,
				 VIRTIO_NET_TX_BUF_SIZE);

		if (s < 0 || (net->tx_free_mask & (1u << s)))
			return VIRTIO_EUSEDNOTINFLIGHT;
		net->tx_free_mask = (uint8_t)(net->tx_free_mask | 1u << s);
	}
	return r;
}

static int send(struct virtio_net *net, const struct virtio_net_frag *frag,
		unsigned n, bool csum, uint16_t start, uint16_t offset)
{
	struct virtio_buf b[2];
	uint64_t t0 = virtio_port_time_us();
	uint32_t seen = events(net);
	uint32_t len = 0;
	unsigned s = 0;
	uint8_t *buf;
	int r;

	if (!net->tx.mem)
		return VIRTIO_EBROKEN;
	for (unsigned i = 0; i < n; i++) {
		if (frag[i].len > net->max_frame - len)
			return VIRTIO_EINVAL;
		len += frag[i].len;
	}
	if (len < VIRTIO_NET_ETH_HLEN || len > net->max_frame ||
	    (csum && !csum_fits(len, start, offset)))
		return VIRTIO_EINVAL;
	while ((r = tx_reclaim(net)) == 0 && !net->tx_free_mask)
		if (!wait_more(net, &seen, t0, VIRTIO_NET_TIMEOUT_US))
			return VIRTIO_ETIMEDOUT;
	if (r < 0)
		return r;
	while (!(net->tx_free_mask & (1u << s)))
		s++;
	buf = net->txbuf + s * VIRTIO_NET_TX_BUF_SIZE;
	fill(buf, 0, net->hdr_len); /* GSO_NONE, num_buffers 0 */
	for (uint32_t i = 0, at = net->hdr_len; i < n; at += frag[i].len, i++)
		copy(buf + at, frag[i].data, frag[i].len);
	if (csum && virtio_has_feature(net->dev, VIRTIO_NET_F_CSUM)) {
		buf[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		put16(net->dev, buf + offsetof(struct virtio_net_hdr, csum_start), start);
		put16(net->dev, buf + offsetof(struct virtio_net_hdr, csum_offset), offset);
	} else if (csum) {
		csum_complete(buf + net->hdr_len, len, start, offset);
	}
	b[0].addr = buf;
	b[0].len = net->hdr_len + len;
	if (split_header(net)) {
		b[0].len = net->hdr_len;
		b[1].addr = buf + net->hdr_len;
		b[1].len = len;
		r = virtqueue_add(&net->tx, b, 2, 0, buf);
	} else {
		r = virtqueue_add(&net->tx, b, 1, 0, buf);
	}
	if (r)
		return r;
	net->tx_free_mask = (uint8_t)(net->tx_free_mask & ~(1u << s));
	virtqueue_kick(&net->tx);
	net->stats.tx_frames++;
	return VIRTIO_OK;
}

int virtio_net_send(struct virtio_net *net, const void *frame, uint32_t len)
{
	struct virtio_net_frag one = { frame, len };

	return send(net, &one, 1, false, 0, 0);
}

int virtio_net_sendv(struct virtio_net *net, const struct virtio_net_frag *frag,
		     unsigned n)
{
	return send(net, frag, n, false, 0, 0);
}

int virtio_net_send_csum(struct virtio_net *net, const void *frame, uint32_t len,
			 uint16_t csum_start, uint16_t csum_offset)
{
	struct virtio_net_frag one = { frame, len };

	return send(net, &one, 1, true, csum_start, csum_offset);
}

/* Next used receive buffer: 1 with *buf and *len, 0 if none, < 0 error. */
static int rx_take(struct virtio_net *net, uint8_t **buf, uint32_t *len)
{
	void *token;
	int r = virtqueue_get(&net->rx, &token, len);

	if (r <= 0)
		return r;
	if (slot_of(token, net->rxbuf, VIRTIO_NET_RX_BUFS, VIRTIO_NET_RX_BUF_SIZE) < 0)
		return VIRTIO_EUSEDNOTINFLIGHT;
	*buf = token;
	return 1;
}

static int rx_refill(struct virtio_net *net, uint8_t *buf)
{
	int r = rx_give(net, buf);

	virtqueue_kick(&net->rx);
	return r;
}

int virtio_net_recv(struct virtio_net *net, void *out, uint32_t size,
		    struct virtio_net_rx_info *info)
{
	struct virtio_net_hdr_v1 hdr;

	if (!net->rx.mem)
		return VIRTIO_EBROKEN;
	/* Bounded: every round consumes a posted buffer. */
	for (unsigned round = 0; round <= VIRTIO_NET_RX_BUFS; round++) {
		uint8_t *buf, *dst = out;
		uint32_t len, total, nbuf = 1;
		int r = rx_take(net, &buf, &len);

		if (r <= 0)
			return r;
		/* len <= the buffer: the queue checked it. */
		if (len < net->hdr_len) {
			net->stats.rx_dropped++;
			if ((r = rx_refill(net, buf)) != 0)
				return r;
			continue;
		}
		fill(&hdr, 0, sizeof(hdr));
		copy(&hdr, buf, net->hdr_len);
		if (net->mrg_rxbuf)
			nbuf = virtio16(net->dev, hdr.num_buffers);
		total = len - net->hdr_len;
		copy(dst, buf + net->hdr_len, total < size ? total : size);
		if ((r = rx_refill(net, buf)) != 0)
			return r;
		if (nbuf == 0 || nbuf > VIRTIO_NET_RX_BUFS) {
			net->stats.rx_dropped++; /* impossible num_buffers */
			continue;
		}
		for (uint32_t k = 1; k < nbuf; k++) {
			/* The device publishes all buffers of a frame at once. */
			r = rx_take(net, &buf, &len);
			if (r <= 0) {
				net->stats.rx_dropped++;
				return r;
			}
			if (total < size)
				copy(dst + total, buf, size - total < len ? size - total : len);
			total += len;
			if ((r = rx_refill(net, buf)) != 0)
				return r;
		}
		if (info) {
			info->buffers = nbuf;
			info->csum_valid = virtio_has_feature(net->dev, VIRTIO_NET_F_GUEST_CSUM) &&
					   (hdr.flags & VIRTIO_NET_HDR_F_DATA_VALID);
		}
		if (virtio_has_feature(net->dev, VIRTIO_NET_F_GUEST_CSUM) &&
		    (hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
			uint16_t start = virtio16(net->dev, hdr.csum_start);
			uint16_t offset = virtio16(net->dev, hdr.csum_offset);

			if (!csum_fits(total, start, offset)) {
				net->stats.rx_dropped++; /* points outside the frame */
				continue;
			}
			if (total <= size) {
				csum_complete(dst, total, start, offset);
				net->stats.rx_csum_done++;
				if (info)
					info->csum_valid = true;
			}
		}
		if (total > size)
			net->stats.rx_truncated++;
		net->stats.rx_frames++;
		return (int)total;
	}
	return 0;
}

/* One control command: header, data, ack (5.1.6.5). The data is already
 * in ctrlbuf at CTRL_DATA. */
static int ctrl_cmd(struct virtio_net *net, uint8_t class, uint8_t cmd, uint32_t len)
{
	uint8_t *buf = net->ctrlbuf;
	struct virtio_buf b[3];
	unsigned n = 0;
	uint64_t t0;
	void *token;
	uint32_t used, seen;
	int r;

	if (!net->ctrl.mem)
		return VIRTIO_EBROKEN;
	buf[0] = class;
	buf[1] = cmd;
	buf[CTRL_ACK] = 0xff; /* neither OK nor ERR until the device writes */
	b[n].addr = buf;
	b[n++].len = 2;
	if (len) {
		b[n].addr = buf + CTRL_DATA;
		b[n++].len = len;
	}
	b[n].addr = buf + CTRL_ACK;
	b[n].len = 1;
	seen = events(net);
	r = virtqueue_add(&net->ctrl, b, n, 1, buf);
	if (r)
		return r;
	virtqueue_kick(&net->ctrl);
	t0 = virtio_port_time_us();
	while ((r = virtqueue_get(&net->ctrl, &token, &used)) == 0) {
		if (!wait_more(net, &seen, t0, VIRTIO_NET_TIMEOUT_US)) {
			/* The device still owns ctrlbuf: no more commands. */
			virtio_reset(net->dev);
			virtio_fail(net->dev);
			virtqueue_destroy(&net->ctrl);
			return VIRTIO_ETIMEDOUT;
		}
	}
	if (r < 0)
		return r;
	if (token != buf)
		return VIRTIO_EUSEDNOTINFLIGHT;
	r = *(volatile uint8_t *)&buf[CTRL_ACK];
	return r == VIRTIO_NET_OK ? VIRTIO_OK : VIRTIO_EIO;
}

static int rx_mode(struct virtio_net *net, uint8_t cmd, bool on)
{
	if (!net->ctrl_rx)
		return VIRTIO_EUNSUPP;
	net->ctrlbuf[CTRL_DATA] = on ? 1 : 0;
	return ctrl_cmd(net, VIRTIO_NET_CTRL_RX, cmd, 1);
}

int virtio_net_set_promisc(struct virtio_net *net, bool on)
{
	return rx_mode(net, VIRTIO_NET_CTRL_RX_PROMISC, on);
}

int virtio_net_set_allmulti(struct virtio_net *net, bool on)
{
	return rx_mode(net, VIRTIO_NET_CTRL_RX_ALLMULTI, on);
}

int virtio_net_set_mac_filter(struct virtio_net *net, const uint8_t *uc,
			      uint32_t n_uc, const uint8_t *mc, uint32_t n_mc)
{
	uint8_t *p;

	if (!net->ctrl_rx)
		return VIRTIO_EUNSUPP;
	if (n_uc > VIRTIO_NET_MAC_FILTER_MAX || n_mc > VIRTIO_NET_MAC_FILTER_MAX ||
	    (n_uc && !uc) || (n_mc && !mc))
		return VIRTIO_EINVAL;
	/* Two struct virtio_net_ctrl_mac tables back to back. */
	p = net->ctrlbuf + CTRL_DATA;
	put32(net->dev, p, n_uc);
	copy(p + 4, uc, 6 * n_uc);
	p += 4 + 6 * n_uc;
	put32(net->dev, p, n_mc);
	copy(p + 4, mc, 6 * n_mc);
	p += 4 + 6 * n_mc;
	return ctrl_cmd(net, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET,
			(uint32_t)(p - (net->ctrlbuf + CTRL_DATA)));
}

int virtio_net_set_mac(struct virtio_net *net, const uint8_t mac[6])
{
	int r = VIRTIO_OK;

	if (mac[0] & 1)
		return VIRTIO_EINVAL; /* a multicast address is no station address */
	if (net->ctrl_mac) {
		copy(net->ctrlbuf + CTRL_DATA, mac, 6);
		r = ctrl_cmd(net, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, 6);
	} else if (net->dev->legacy) {
		/* Legacy: mac is driver-writable (5.1.4.3). */
		for (unsigned i = 0; i < 6; i++)
			virtio_config_write8(net->dev,
					     (uint32_t)offsetof(struct virtio_net_config, mac) + i,
					     mac[i]);
	} else {
		return VIRTIO_EUNSUPP;
	}
	if (!r)
		copy(net->mac, mac, 6);
	return r;
}
