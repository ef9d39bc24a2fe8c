/*
 * The virtio-net driver (spec 5.1) against the net backend: header size
 * for legacy / modern / mergeable, frames both ways with receive buffers
 * refilled, frames over several merged buffers, MAC from the device or
 * random, MTU, link status, control queue (rx mode, MAC filter, MAC
 * address), checksum offload both ways, features never accepted, and a
 * hostile device (num_buffers 0 / too big / missing buffers, used length
 * below the header or past the buffer, checksum offsets outside the frame,
 * a device that never answers).
 */
#include "harness.h"

#include <string.h>

#include <virtio/drivers/net.h>

#include "backend_net.h"

#define F(bit) DM_BIT(bit)

static const uint8_t dev_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

struct fixture {
	struct dm_device *d;
	struct dm_net *m;
	struct virtio_device vdev;
	struct virtio_net net;
};

static void setup(struct fixture *f, uint32_t version, uint64_t features, uint16_t mtu)
{
	f->d = vt_device(version, 1, 3, 64);
	f->m = dm_net_attach(f->d, features, dev_mac, mtu);
	f->d->strict_buffers = true;
	assert_int_equal(virtio_mmio_probe(&f->vdev, VT_BASE), 0);
}

static void up(struct fixture *f, uint32_t version, uint64_t features, uint16_t mtu)
{
	setup(f, version, features, mtu);
	assert_int_equal(virtio_net_init(&f->net, &f->vdev, 1234), 0);
	assert_true(f->d->status & DM_S_DRIVER_OK);
}

static void finish(struct fixture *f)
{
	vt_assert_no_violations(f->d);
	assert_int_equal(f->m->bad_buffers, 0);
	virtio_net_destroy(&f->net);
	dm_net_free(f->m);
}

static void frame(uint8_t *p, uint32_t len, unsigned seed)
{
	for (uint32_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed * 29 + i * 13 + (i >> 8));
}

/* Legacy without MRG_RXBUF: 10 bytes; modern or MRG_RXBUF: 12. */
static void header_sizes(void **state)
{
	(void)state;
	static const struct { uint32_t version; bool mrg; uint32_t hdr; } cases[] = {
		{ 1, false, 10 }, { 1, true, 12 }, { 2, false, 12 }, { 2, true, 12 },
	};
	for (unsigned c = 0; c < 4; c++) {
		struct fixture f;
		uint8_t out[1600], in[1600];
		struct virtio_net_rx_info info;

		up(&f, cases[c].version, F(DM_NET_F_MAC) | F(DM_NET_F_STATUS) |
		   (cases[c].mrg ? F(DM_NET_F_MRG_RXBUF) : 0), 0);
		assert_int_equal(f.net.hdr_len, cases[c].hdr);
		assert_int_equal(dm_net_hdr_len(f.m), cases[c].hdr);
		assert_true(f.net.mac_from_device);
		assert_memory_equal(f.net.mac, dev_mac, 6);
		assert_true(f.net.link_up);
		assert_int_equal(f.net.mtu, 1500);
		assert_int_equal(f.net.max_frame, 1514);
		/* Frames out, in order, header zero (no offload asked). */
		for (unsigned i = 0; i < 3 * VIRTIO_NET_TX_BUFS; i++) {
			uint32_t len = 60 + i * 97;

			frame(out, len, i);
			assert_int_equal(virtio_net_send(&f.net, out, len), 0);
			assert_int_equal(f.m->tx[i].len, len);
			assert_memory_equal(f.m->tx[i].data, out, len);
			for (unsigned k = 0; k < cases[c].hdr; k++)
				assert_int_equal(f.m->tx[i].hdr[k], 0);
		}
		assert_int_equal(f.net.stats.tx_frames, 3 * VIRTIO_NET_TX_BUFS);
		/* Frames in: more than there are buffers, so refills work. */
		assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), 0);
		for (unsigned i = 0; i < 3 * VIRTIO_NET_RX_BUFS; i++) {
			uint32_t len = i % 2 ? 1514 : 42 + i;

			frame(out, len, 100 + i);
			assert_int_equal(dm_net_deliver(f.m, NULL, out, len, 0, 0), 1);
			memset(in, 0, sizeof(in));
			assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), &info), (int)len);
			assert_memory_equal(in, out, len);
			assert_int_equal(info.buffers, 1);
		}
		/* Too short or too long to send. */
		assert_int_equal(virtio_net_send(&f.net, out, 13), VIRTIO_EINVAL);
		assert_int_equal(virtio_net_send(&f.net, out, 1515), VIRTIO_EINVAL);
		assert_int_equal(f.net.stats.rx_dropped, 0);
		finish(&f);
	}
}

/* A frame given in pieces (a pbuf chain) arrives as one; the pieces'
 * total is checked like a frame's length, without overflow. */
static void gathered_send(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t out[1600];

	up(&f, 2, F(DM_NET_F_MAC), 0);
	frame(out, 1514, 7);
	struct virtio_net_frag frag[4] = {
		{ out, 14 }, { out + 14, 0 }, { out + 14, 700 }, { out + 714, 800 },
	};
	assert_int_equal(virtio_net_sendv(&f.net, frag, 4), 0);
	assert_int_equal(f.m->tx[0].len, 1514);
	assert_memory_equal(f.m->tx[0].data, out, 1514);
	frag[3].len = 801; /* 1515 in all */
	assert_int_equal(virtio_net_sendv(&f.net, frag, 4), VIRTIO_EINVAL);
	frag[3].len = 0xffffffffu; /* the sum would wrap */
	assert_int_equal(virtio_net_sendv(&f.net, frag, 4), VIRTIO_EINVAL);
	assert_int_equal(virtio_net_sendv(&f.net, frag, 1), VIRTIO_OK);
	assert_int_equal(virtio_net_sendv(&f.net, frag, 0), VIRTIO_EINVAL);
	assert_int_equal(f.net.stats.tx_frames, 2);
	finish(&f);
}

/* Legacy without ANY_LAYOUT: the header gets a descriptor of its own. */
static void legacy_framing(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t out[200], in[200];

	setup(&f, 1, F(DM_NET_F_MAC), 0);
	f.d->device_features &= ~(F(DM_F_ANY_LAYOUT) | F(DM_F_INDIRECT_DESC));
	assert_int_equal(virtio_net_init(&f.net, &f.vdev, 1), 0);
	frame(out, 100, 1);
	assert_int_equal(virtio_net_send(&f.net, out, 100), 0);
	assert_int_equal(f.m->tx[0].nseg, 2);
	assert_memory_equal(f.m->tx[0].data, out, 100);
	dm_queue_process(f.d, 0);
	assert_int_equal(dm_queue_held_req(f.d, 0, 0)->nseg, 2);
	assert_int_equal(dm_queue_held_req(f.d, 0, 0)->seg[0].len, 10);
	assert_int_equal(dm_net_deliver(f.m, NULL, out, 100, 0, 0), 1);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), 100);
	assert_memory_equal(in, out, 100);
	finish(&f);
}

static void mergeable(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		static uint8_t out[4000], in[4000];
		struct virtio_net_rx_info info;

		up(&f, version, F(DM_NET_F_MAC) | F(DM_NET_F_MRG_RXBUF), 0);
		frame(out, 3000, 7);
		/* 12 + 3000 bytes in buffers of at most 1000: four of them. */
		assert_int_equal(dm_net_deliver(f.m, NULL, out, 3000, 1000, 0), 4);
		assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), &info), 3000);
		assert_int_equal(info.buffers, 4);
		assert_memory_equal(in, out, 3000);
		/* A caller buffer too small: the length says so, the rest is
		 * dropped with the frame, the next frame is intact. */
		assert_int_equal(dm_net_deliver(f.m, NULL, out, 2500, 1000, 0), 3);
		assert_int_equal(virtio_net_recv(&f.net, in, 100, NULL), 2500);
		assert_memory_equal(in, out, 100);
		assert_int_equal(f.net.stats.rx_truncated, 1);
		assert_int_equal(dm_net_deliver(f.m, NULL, out + 1, 64, 0, 0), 1);
		assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), 64);
		assert_memory_equal(in, out + 1, 64);
		finish(&f);
	}
}

static void hostile_rx(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t out[1600], in[1600], raw[64];
	uint8_t hdr[12] = { 0 };

	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_MRG_RXBUF) | F(DM_NET_F_GUEST_CSUM), 0);
	frame(out, 200, 3);
	/* num_buffers 0, and more than the driver ever posted: dropped. */
	memset(raw, 0, sizeof(raw));
	assert_int_equal(dm_net_deliver_raw(f.m, raw, sizeof(raw), sizeof(raw)), 0);
	assert_int_equal(dm_net_deliver(f.m, NULL, out, 200, 0, VIRTIO_NET_RX_BUFS + 1), 1);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), 0);
	assert_int_equal(f.net.stats.rx_dropped, 2);
	/* The next frame is not taken for the rest of a bogus one. */
	assert_int_equal(dm_net_deliver(f.m, NULL, out, 200, 0, 0xffff), 1);
	assert_int_equal(dm_net_deliver(f.m, NULL, out + 1, 150, 0, 0), 1);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), 150);
	assert_memory_equal(in, out + 1, 150);
	assert_int_equal(f.net.stats.rx_dropped, 3);
	/* Used length below the header (which says one buffer): dropped. */
	raw[10] = 1;
	assert_int_equal(dm_net_deliver_raw(f.m, raw, sizeof(raw), 11), 0);
	assert_int_equal(dm_net_deliver_raw(f.m, raw, sizeof(raw), 0), 0);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), 0);
	assert_int_equal(f.net.stats.rx_dropped, 5);
	/* num_buffers 3 but the other two never come: dropped, not waited for. */
	assert_int_equal(dm_net_deliver(f.m, NULL, out, 200, 0, 3), 1);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), 0);
	assert_int_equal(f.net.stats.rx_dropped, 6);
	/* Partial checksum pointing outside the frame: dropped. */
	hdr[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr[6] = 199; /* csum_start */
	hdr[8] = 1;   /* csum_offset: 199 + 1 + 2 > 200 */
	assert_int_equal(dm_net_deliver(f.m, hdr, out, 200, 0, 0), 1);
	hdr[6] = 0xff;
	hdr[7] = 0xff; /* start 65535 */
	hdr[8] = 0;
	assert_int_equal(dm_net_deliver(f.m, hdr, out, 200, 0, 0), 1);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), 0);
	assert_int_equal(f.net.stats.rx_dropped, 8);
	/* Every buffer came back: a good frame still arrives. */
	assert_int_equal(dm_net_deliver(f.m, NULL, out, 200, 0, 0), 1);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), 200);
	assert_memory_equal(in, out, 200);
	/* Used length past the buffer: the queue breaks, loudly. */
	assert_int_equal(dm_net_deliver_raw(f.m, raw, sizeof(raw), VIRTIO_NET_RX_BUF_SIZE + 1), 0);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), VIRTIO_EUSEDLEN);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), NULL), VIRTIO_EBROKEN);
	finish(&f);
}

/* Checksums: received partial ones are completed, sent ones offloaded
 * (CSUM) or computed here. */
static void checksums(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t out[100], in[100];
	uint8_t hdr[12] = { 0 };
	struct virtio_net_rx_info info;

	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_CSUM) | F(DM_NET_F_GUEST_CSUM), 0);
	assert_true(f.d->driver_features & F(DM_NET_F_GUEST_CSUM));
	frame(out, 100, 9);
	out[40] = out[41] = 0; /* checksum field (no pseudo header here) */
	hdr[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr[6] = 34; /* csum_start */
	hdr[8] = 6;  /* csum_offset */
	assert_int_equal(dm_net_deliver(f.m, hdr, out, 100, 0, 0), 1);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), &info), 100);
	assert_true(info.csum_valid);
	assert_int_equal(f.net.stats.rx_csum_done, 1);
	/* The completed region sums to 0xffff. */
	assert_int_equal(virtio_net_csum_fold(virtio_net_csum_add(0, in + 34, 66)), 0xffff);
	assert_memory_equal(in, out, 40);
	assert_memory_equal(in + 42, out + 42, 58);
	/* DATA_VALID is passed on. */
	hdr[0] = VIRTIO_NET_HDR_F_DATA_VALID;
	assert_int_equal(dm_net_deliver(f.m, hdr, out, 100, 0, 0), 1);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), &info), 100);
	assert_true(info.csum_valid);
	/* Transmit with CSUM: the device is asked to do it. */
	assert_int_equal(virtio_net_send_csum(&f.net, out, 100, 34, 6), 0);
	assert_int_equal(f.m->tx[0].hdr[0], VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(f.m->tx[0].hdr[6], 34);
	assert_int_equal(f.m->tx[0].hdr[8], 6);
	assert_memory_equal(f.m->tx[0].data, out, 100);
	assert_int_equal(virtio_net_send_csum(&f.net, out, 100, 99, 0), VIRTIO_EINVAL);
	finish(&f);

	/* Without CSUM: computed in software, header flags clear. */
	up(&f, 1, F(DM_NET_F_MAC), 0);
	assert_false(f.d->driver_features & F(DM_NET_F_GUEST_CSUM));
	assert_int_equal(virtio_net_send_csum(&f.net, out, 100, 34, 6), 0);
	assert_int_equal(f.m->tx[0].hdr[0], 0);
	assert_int_equal(virtio_net_csum_fold(virtio_net_csum_add(0, f.m->tx[0].data + 34, 66)),
			 0xffff);
	/* NEEDS_CSUM without GUEST_CSUM negotiated is not acted upon. */
	hdr[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	assert_int_equal(dm_net_deliver(f.m, hdr, out, 100, 0, 0), 1);
	assert_int_equal(virtio_net_recv(&f.net, in, sizeof(in), &info), 100);
	assert_false(info.csum_valid);
	assert_memory_equal(in, out, 100);
	finish(&f);
}

/* Offloads we do not implement are never accepted. */
static void features_refused(void **state)
{
	(void)state;
	struct fixture f;

	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_GUEST_TSO4) | F(DM_NET_F_MQ) |
	   F(DM_NET_F_HASH_REPORT) | F(DM_NET_F_CTRL_VQ), 0);
	assert_int_equal(f.d->driver_features &
			 (F(DM_NET_F_GUEST_TSO4) | F(DM_NET_F_MQ) | F(DM_NET_F_HASH_REPORT)), 0);
	assert_int_equal(f.net.hdr_len, 12);
	finish(&f);
}

static void random_mac(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t first[6];
	uint8_t out[60] = { 0 };

	/* No MAC: locally administered unicast, told to the device. */
	up(&f, 2, F(DM_NET_F_CTRL_VQ) | F(DM_NET_F_CTRL_MAC_ADDR), 0);
	assert_false(f.net.mac_from_device);
	assert_int_equal(f.net.mac[0] & 3, 2);
	assert_int_equal(f.m->ncmd, 1);
	assert_int_equal(f.m->cmd[0].class, VIRTIO_NET_CTRL_MAC);
	assert_int_equal(f.m->cmd[0].cmd, VIRTIO_NET_CTRL_MAC_ADDR_SET);
	assert_int_equal(f.m->cmd[0].len, 6);
	assert_memory_equal(f.m->cmd[0].data, f.net.mac, 6);
	memcpy(first, f.net.mac, 6);
	assert_int_equal(virtio_net_send(&f.net, out, 60), 0);
	finish(&f);

	/* Another seed, another address. */
	setup(&f, 2, 0, 0);
	assert_int_equal(virtio_net_init(&f.net, &f.vdev, 99), 0);
	assert_int_equal(f.net.mac[0] & 3, 2);
	assert_memory_not_equal(f.net.mac, first, 6);
	finish(&f);

	/* Legacy without CTRL_MAC_ADDR: written to the config. */
	up(&f, 1, 0, 0);
	assert_memory_equal(f.d->config, f.net.mac, 6);
	/* A multicast address is refused. */
	first[0] |= 1;
	assert_int_equal(virtio_net_set_mac(&f.net, first), VIRTIO_EINVAL);
	finish(&f);
}

static void mtu(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t out[1600] = { 0 };

	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_MTU), 1400);
	assert_true(f.d->driver_features & F(DM_NET_F_MTU));
	assert_int_equal(f.net.mtu, 1400);
	assert_int_equal(f.net.max_frame, 1414);
	assert_int_equal(virtio_net_send(&f.net, out, 1414), 0);
	assert_int_equal(virtio_net_send(&f.net, out, 1415), VIRTIO_EINVAL);
	finish(&f);

	/* Bigger than one buffer and no MRG_RXBUF: MTU declined (5.1.4.2). */
	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_MTU), 9000);
	assert_false(f.d->driver_features & F(DM_NET_F_MTU));
	assert_int_equal(f.net.mtu, 1500);
	finish(&f);

	/* With MRG_RXBUF the buffers together hold it. */
	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_MTU) | F(DM_NET_F_MRG_RXBUF), 9000);
	assert_true(f.d->driver_features & F(DM_NET_F_MTU));
	assert_int_equal(f.net.mtu, 9000);
	assert_true(f.net.max_frame <= VIRTIO_NET_TX_BUF_SIZE - 12);
	finish(&f);

	/* Below the spec's minimum of 68: declined, as Linux does; the
	 * device is still used, with the default. */
	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_MTU), 20);
	assert_false(f.d->driver_features & F(DM_NET_F_MTU));
	assert_int_equal(f.net.mtu, 1500);
	assert_int_equal(virtio_net_send(&f.net, out, 1514), 0);
	finish(&f);
}

static void link_status(void **state)
{
	(void)state;
	struct fixture f;

	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_STATUS), 0);
	assert_true(f.net.link_up);
	dm_net_set_status(f.m, 0);
	assert_false(virtio_net_update_link(&f.net));
	dm_net_set_status(f.m, 1 | 2);
	assert_true(virtio_net_update_link(&f.net));
	finish(&f);

	/* Without STATUS the link counts as up whatever the field says. */
	setup(&f, 2, F(DM_NET_F_MAC), 0);
	f.d->config[6] = 0;
	assert_int_equal(virtio_net_init(&f.net, &f.vdev, 1), 0);
	assert_true(virtio_net_update_link(&f.net));
	finish(&f);
}

static void speed_duplex(void **state)
{
	(void)state;
	struct fixture f;
	const uint8_t gbit_full[5] = { 0xe8, 0x03, 0, 0, 1 }; /* 1000, full */
	const uint8_t bogus[5] = { 0, 0, 0, 0x80, 7 };       /* 2^31, 7 */

	setup(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_SPEED_DUPLEX), 0);
	dm_config_set(f.d, 12, gbit_full, 5, false);
	assert_int_equal(virtio_net_init(&f.net, &f.vdev, 1), 0);
	assert_int_equal(f.net.speed, 1000);
	assert_int_equal(f.net.duplex, VIRTIO_NET_DUPLEX_FULL);
	/* Out of range after a change: unknown (5.1.4.2). */
	dm_config_set(f.d, 12, bogus, 5, true);
	virtio_net_update_link(&f.net);
	assert_int_equal(f.net.speed, VIRTIO_NET_SPEED_UNKNOWN);
	assert_int_equal(f.net.duplex, VIRTIO_NET_DUPLEX_UNKNOWN);
	finish(&f);

	/* Not offered: unknown whatever the field holds. */
	setup(&f, 2, F(DM_NET_F_MAC), 0);
	dm_config_set(f.d, 12, gbit_full, 5, false);
	assert_int_equal(virtio_net_init(&f.net, &f.vdev, 1), 0);
	assert_int_equal(f.net.speed, VIRTIO_NET_SPEED_UNKNOWN);
	assert_int_equal(f.net.duplex, VIRTIO_NET_DUPLEX_UNKNOWN);
	finish(&f);
}

static void control(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		const uint8_t uc[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
		const uint8_t mc[6] = { 1, 0, 0x5e, 0, 0, 1 };
		const uint8_t mac2[6] = { 2, 1, 2, 3, 4, 5 };

		up(&f, version, F(DM_NET_F_MAC) | F(DM_NET_F_CTRL_VQ) | F(DM_NET_F_CTRL_RX) |
		   F(DM_NET_F_CTRL_MAC_ADDR), 0);
		assert_int_equal(f.m->ncmd, 0); /* device MAC: nothing to tell */
		assert_int_equal(virtio_net_set_promisc(&f.net, false), 0);
		assert_int_equal(virtio_net_set_allmulti(&f.net, true), 0);
		assert_int_equal(f.m->cmd[0].class, VIRTIO_NET_CTRL_RX);
		assert_int_equal(f.m->cmd[0].cmd, VIRTIO_NET_CTRL_RX_PROMISC);
		assert_int_equal(f.m->cmd[0].data[0], 0);
		assert_int_equal(f.m->cmd[1].cmd, VIRTIO_NET_CTRL_RX_ALLMULTI);
		assert_int_equal(f.m->cmd[1].data[0], 1);
		assert_int_equal(virtio_net_set_mac_filter(&f.net, uc, 2, mc, 1), 0);
		assert_int_equal(f.m->cmd[2].class, VIRTIO_NET_CTRL_MAC);
		assert_int_equal(f.m->cmd[2].cmd, VIRTIO_NET_CTRL_MAC_TABLE_SET);
		assert_int_equal(f.m->cmd[2].len, 4 + 12 + 4 + 6);
		assert_int_equal(f.m->cmd[2].data[0], 2);
		assert_memory_equal(f.m->cmd[2].data + 4, uc, 12);
		assert_int_equal(f.m->cmd[2].data[16], 1);
		assert_memory_equal(f.m->cmd[2].data + 20, mc, 6);
		assert_int_equal(virtio_net_set_mac_filter(&f.net, uc, VIRTIO_NET_MAC_FILTER_MAX + 1,
							  NULL, 0), VIRTIO_EINVAL);
		assert_int_equal(virtio_net_set_mac(&f.net, mac2), 0);
		assert_memory_equal(f.net.mac, mac2, 6);
		/* The device says no. */
		f.m->ack = 1;
		assert_int_equal(virtio_net_set_promisc(&f.net, true), VIRTIO_EIO);
		f.m->ack = 0x55; /* neither OK nor ERR */
		assert_int_equal(virtio_net_set_promisc(&f.net, true), VIRTIO_EIO);
		assert_int_equal(virtio_net_set_mac(&f.net, dev_mac), VIRTIO_EIO);
		assert_memory_equal(f.net.mac, mac2, 6);
		finish(&f);
	}
}

static void control_missing(void **state)
{
	(void)state;
	struct fixture f;
	const uint8_t mac2[6] = { 2, 1, 2, 3, 4, 5 };

	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_CTRL_RX), 0); /* CTRL_RX without CTRL_VQ */
	assert_false(f.net.has_ctrl);
	assert_false(f.d->driver_features & F(DM_NET_F_CTRL_RX));
	assert_int_equal(virtio_net_set_promisc(&f.net, true), VIRTIO_EUNSUPP);
	assert_int_equal(virtio_net_set_mac_filter(&f.net, NULL, 0, NULL, 0), VIRTIO_EUNSUPP);
	assert_int_equal(virtio_net_set_mac(&f.net, mac2), VIRTIO_EUNSUPP);
	assert_int_equal(f.m->ncmd, 0);
	finish(&f);
}

/* Devices that never answer: bounded waits. */
static void stalls(void **state)
{
	(void)state;
	struct fixture f;
	uint8_t out[60] = { 0 };

	up(&f, 2, F(DM_NET_F_MAC) | F(DM_NET_F_CTRL_VQ) | F(DM_NET_F_CTRL_RX), 0);
	virtio_host_time_set_autostep(100000);
	f.m->tx_stall = true;
	for (unsigned i = 0; i < VIRTIO_NET_TX_BUFS; i++)
		assert_int_equal(virtio_net_send(&f.net, out, 60), 0);
	assert_int_equal(virtio_net_send(&f.net, out, 60), VIRTIO_ETIMEDOUT);
	assert_int_equal(dm_queue_held(f.d, 1), VIRTIO_NET_TX_BUFS);
	/* One comes back: one more send fits. */
	f.m->tx_stall = false;
	assert_true(dm_queue_complete(f.d, 1, 0) >= 0);
	assert_int_equal(virtio_net_send(&f.net, out, 60), 0);
	/* A control command never answered: the device is stopped. */
	f.m->ctrl_stall = true;
	assert_int_equal(virtio_net_set_promisc(&f.net, true), VIRTIO_ETIMEDOUT);
	assert_true(f.d->status & DM_S_FAILED);
	assert_int_equal(virtio_net_set_promisc(&f.net, true), VIRTIO_EBROKEN);
	virtio_host_time_set_autostep(0);
	finish(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(header_sizes, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(gathered_send, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(legacy_framing, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(mergeable, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(hostile_rx, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(checksums, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(features_refused, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(random_mac, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(mtu, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(link_status, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(speed_duplex, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(control, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(control_missing, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(stalls, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
