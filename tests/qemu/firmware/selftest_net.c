/*
 * Self-tests of the virtio-net driver (net<i> = i-th net device by slot).
 *
 * With QEMU's user network (slirp: gateway 10.0.2.2, DHCP pool from
 * 10.0.2.15):
 *   arp-gateway   ARP request for 10.0.2.2, the reply names its MAC
 *   dhcp-offer    DHCP DISCOVER (UDP checksum through the driver's partial
 *                 checksum path), an OFFER with our xid comes back
 * With several NICs on one QEMU hub:
 *   hub-rx        every NIC sends a frame to every other NIC; each NIC
 *                 reports whom it heard from
 *   rx-filter     (CTRL_RX) promiscuous mode off: a frame for a foreign
 *                 MAC is dropped, one for us arrives; with that MAC in
 *                 the filter table it arrives
 * A test whose peer never answers (no user network, no hub) prints a NOTE
 * instead of a RESULT; the harness knows which results a device set must
 * produce. Lines for the harness:
 *   NET slot=<n> mac=<mac> mtu=<m> link=<0|1> hdr_len=<10|12> mrg=<0|1> ctrl=<0|1>
 *       speed=<Mbit/s|-1> duplex=<0 half|1 full|-1>
 *   HUB net<j> heard=<i>,<i>...
 */
#include <virtio/drivers/net.h>

#include "selftest.h"

#define MAX_NETS 32
#define FRAME_MAX 1600
#define REPLY_WAIT_US 1000000u
/* Waits for frames that must come are long (a loaded host delays QEMU's
 * transmit bottom half) and end early; a wait for a frame that must not
 * come is short. */
#define HUB_WAIT_US 1000000u
#define ARRIVE_WAIT_US 3000000u
#define ABSENT_WAIT_US 400000u
#define ETHERTYPE_TEST 0x88b5u /* IEEE local experimental */

struct net_slot {
	struct virtio_device dev;
	struct virtio_net net;
	unsigned slot;
	bool ready;
	uint32_t heard; /* hub-rx: bit i = heard from net i */
};

static struct net_slot nets[MAX_NETS];
static unsigned n_net;
static uint8_t frame[FRAME_MAX], rx[FRAME_MAX];

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t guest_ip[4] = { 10, 0, 2, 15 };
static const uint8_t gateway_ip[4] = { 10, 0, 2, 2 };
static const uint8_t foreign_mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0x99 };

static void mem_copy(uint8_t *d, const uint8_t *s, unsigned n)
{
	while (n--)
		*d++ = *s++;
}

static void mem_zero(uint8_t *d, unsigned n)
{
	while (n--)
		*d++ = 0;
}

static bool mem_eq(const uint8_t *a, const uint8_t *b, unsigned n)
{
	while (n--)
		if (*a++ != *b++)
			return false;
	return true;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static unsigned eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
	mem_copy(f, dst, 6);
	mem_copy(f + 6, src, 6);
	put16(f + 12, type);
	return 14;
}

static const char *mac_str(const uint8_t *m)
{
	static char s[18];

	board_snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		       m[3], m[4], m[5]);
	return s;
}

/* Waits for a frame `match` accepts; returns its length or -1. */
static int wait_for(struct net_slot *n, uint32_t wait_us,
		    bool (*match)(const uint8_t *f, int len, const void *ctx), const void *ctx)
{
	uint64_t t0 = board_time_us();

	while (board_time_us() - t0 < wait_us) {
		int len = virtio_net_recv(&n->net, rx, sizeof(rx), NULL);

		if (len < 0)
			return len;
		if (len > 0 && len <= (int)sizeof(rx) && match(rx, len, ctx))
			return len;
	}
	return -1;
}

/* ---- ARP for the gateway ---- */

static bool is_arp_reply(const uint8_t *f, int len, const void *ctx)
{
	const struct net_slot *n = ctx;

	return len >= 42 && get16(f + 12) == 0x0806 && get16(f + 20) == 2 &&
	       mem_eq(f + 28, gateway_ip, 4) && mem_eq(f + 32, n->net.mac, 6);
}

static void arp_gateway(unsigned i)
{
	struct net_slot *n = &nets[i];
	unsigned p = eth(frame, bcast, n->net.mac, 0x0806);
	int rc, len;

	put16(frame + p, 1);          /* Ethernet */
	put16(frame + p + 2, 0x0800); /* IPv4 */
	frame[p + 4] = 6;
	frame[p + 5] = 4;
	put16(frame + p + 6, 1);      /* request */
	mem_copy(frame + p + 8, n->net.mac, 6);
	mem_copy(frame + p + 14, guest_ip, 4);
	mem_zero(frame + p + 18, 6);
	mem_copy(frame + p + 24, gateway_ip, 4);
	mem_zero(frame + p + 28, 60 - (p + 28));
	rc = virtio_net_send(&n->net, frame, 60);
	if (rc != 0) {
		selftest_result("net", i, "arp-gateway", false, "send: %s (%d)",
				virtio_strerror(rc), rc);
		return;
	}
	len = wait_for(n, REPLY_WAIT_US, is_arp_reply, n);
	if (len == -1) {
		board_printf("NOTE net%u arp-gateway: no reply from 10.0.2.2\n", i);
		return;
	}
	if (len < 0)
		selftest_result("net", i, "arp-gateway", false, "recv: %s (%d)",
				virtio_strerror(len), len);
	else
		selftest_result("net", i, "arp-gateway", true, "10.0.2.2 is at %s",
				mac_str(rx + 22));
}

/* ---- DHCP DISCOVER / OFFER ---- */

#define DHCP_XID_BASE 0x76740000u

static bool is_offer(const uint8_t *f, int len, const void *ctx)
{
	uint32_t xid = *(const uint32_t *)ctx;
	const uint8_t *b = f + 42;

	if (len < 42 + 240 + 3 || get16(f + 12) != 0x0800 || f[23] != 17 ||
	    get16(f + 36) != 68 || b[0] != 2)
		return false;
	if (((uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7]) != xid)
		return false;
	/* Options after the magic cookie: find 53 (message type) = 2. */
	for (int o = 42 + 240; o + 1 < len && f[o] != 255;) {
		if (f[o] == 0) {
			o++;
			continue;
		}
		if (f[o] == 53 && o + 2 < len)
			return f[o + 2] == 2;
		o += 2 + f[o + 1];
	}
	return false;
}

static void dhcp_offer(unsigned i)
{
	struct net_slot *n = &nets[i];
	uint32_t xid = DHCP_XID_BASE + i;
	unsigned ip = eth(frame, bcast, n->net.mac, 0x0800), udp = ip + 20, b = udp + 8;
	unsigned opt = b + 240, end, ulen;
	uint32_t sum;
	int rc, len;

	mem_zero(frame + ip, FRAME_MAX - ip);
	/* BOOTP request, broadcast flag, our MAC. */
	frame[b] = 1;
	frame[b + 1] = 1;
	frame[b + 2] = 6;
	frame[b + 4] = (uint8_t)(xid >> 24);
	frame[b + 5] = (uint8_t)(xid >> 16);
	frame[b + 6] = (uint8_t)(xid >> 8);
	frame[b + 7] = (uint8_t)xid;
	put16(frame + b + 10, 0x8000);
	mem_copy(frame + b + 28, n->net.mac, 6);
	frame[b + 236] = 99; /* magic cookie */
	frame[b + 237] = 130;
	frame[b + 238] = 83;
	frame[b + 239] = 99;
	frame[opt] = 53; /* DISCOVER */
	frame[opt + 1] = 1;
	frame[opt + 2] = 1;
	frame[opt + 3] = 55; /* ask for subnet mask and router */
	frame[opt + 4] = 2;
	frame[opt + 5] = 1;
	frame[opt + 6] = 3;
	frame[opt + 7] = 255;
	end = opt + 8;
	ulen = end - udp;
	/* IPv4 header 0.0.0.0 -> 255.255.255.255. */
	frame[ip] = 0x45;
	put16(frame + ip + 2, (uint16_t)(end - ip));
	put16(frame + ip + 4, (uint16_t)(0x1000 + i));
	frame[ip + 8] = 64;
	frame[ip + 9] = 17;
	mem_zero(frame + ip + 12, 4);
	frame[ip + 16] = frame[ip + 17] = frame[ip + 18] = frame[ip + 19] = 255;
	put16(frame + ip + 10, (uint16_t)~virtio_net_csum_fold(virtio_net_csum_add(0, frame + ip, 20)));
	/* UDP 68 -> 67; the checksum field holds the pseudo-header sum and
	 * the driver (or the device, with CSUM) completes it. */
	put16(frame + udp, 68);
	put16(frame + udp + 2, 67);
	put16(frame + udp + 4, (uint16_t)ulen);
	sum = virtio_net_csum_add(0, frame + ip + 12, 8); /* addresses */
	sum += 17 + ulen;
	put16(frame + udp + 6, virtio_net_csum_fold(sum));
	rc = virtio_net_send_csum(&n->net, frame, end, (uint16_t)udp, 6);
	if (rc != 0) {
		selftest_result("net", i, "dhcp-offer", false, "send: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	len = wait_for(n, REPLY_WAIT_US, is_offer, &xid);
	if (len == -1) {
		board_printf("NOTE net%u dhcp-offer: no OFFER for xid 0x%08x\n", i, (unsigned)xid);
		return;
	}
	if (len < 0) {
		selftest_result("net", i, "dhcp-offer", false, "recv: %s (%d)", virtio_strerror(len), len);
		return;
	}
	selftest_result("net", i, "dhcp-offer", true, "xid 0x%08x yiaddr=%u.%u.%u.%u from %u.%u.%u.%u",
			(unsigned)xid, rx[42 + 16], rx[42 + 17], rx[42 + 18], rx[42 + 19],
			rx[26], rx[27], rx[28], rx[29]);
}

/* ---- two or more NICs on one hub ---- */

static unsigned hub_frame(unsigned from, const uint8_t *to_mac, uint8_t tag)
{
	unsigned p = eth(frame, to_mac, nets[from].net.mac, ETHERTYPE_TEST);

	mem_zero(frame + p, 60 - p);
	frame[p] = 'V';
	frame[p + 1] = 'T';
	frame[p + 2] = (uint8_t)from;
	frame[p + 3] = tag;
	return 60;
}

static bool is_test_frame(const uint8_t *f, int len, const void *ctx)
{
	const uint8_t *tag = ctx;

	return len >= 18 && get16(f + 12) == ETHERTYPE_TEST && f[14] == 'V' && f[15] == 'T' &&
	       f[17] == *tag;
}

static void hub_rx(void)
{
	/* Everyone sends to everyone (unicast to the peer's MAC). */
	for (unsigned i = 0; i < n_net; i++)
		for (unsigned j = 0; j < n_net; j++)
			if (i != j && nets[i].ready && nets[j].ready)
				virtio_net_send(&nets[i].net, frame,
						hub_frame(i, nets[j].net.mac, 'h'));
	for (unsigned j = 0; j < n_net; j++) {
		uint8_t tag = 'h';
		uint64_t t0 = board_time_us();
		char list[3 * MAX_NETS + 1];
		unsigned pos = 0, heard = 0, peers = 0;

		if (!nets[j].ready)
			continue;
		for (unsigned i = 0; i < n_net; i++)
			peers += i != j && nets[i].ready;
		/* Until every other NIC was heard, or time is up. */
		while (board_time_us() - t0 < HUB_WAIT_US &&
		       (unsigned)__builtin_popcount(nets[j].heard) < peers) {
			int len = wait_for(&nets[j], HUB_WAIT_US - (uint32_t)(board_time_us() - t0),
					   is_test_frame, &tag);

			if (len < 0)
				break;
			if (rx[16] < n_net && rx[16] != j &&
			    mem_eq(rx + 6, nets[rx[16]].net.mac, 6) && mem_eq(rx, nets[j].net.mac, 6))
				nets[j].heard |= 1u << rx[16];
		}
		list[0] = '\0';
		for (unsigned i = 0; i < n_net; i++) {
			if (!(nets[j].heard >> i & 1))
				continue;
			heard++;
			pos += (unsigned)board_snprintf(list + pos, sizeof(list) - pos, "%s%u",
							pos ? "," : "", i);
		}
		board_printf("HUB net%u heard=%s\n", j, heard ? list : "-");
		if (heard)
			selftest_result("net", j, "hub-rx", true, "frames from %u other NIC(s): %s",
					heard, list);
		else
			board_printf("NOTE net%u hub-rx: no frame from another NIC\n", j);
	}
}

/* Promiscuous mode off: the device filters by destination (5.1.6.5.1). */
static void rx_filter(unsigned j)
{
	struct net_slot *n = &nets[j];
	unsigned i = 0;
	uint8_t tag;
	int rc, foreign, own, table;

	while (i < n_net && !(n->heard >> i & 1))
		i++;
	if (i == n_net || !n->net.ctrl_rx)
		return; /* no peer, or no control of the receive mode */
	rc = virtio_net_set_promisc(&n->net, false);
	if (rc == 0)
		rc = virtio_net_set_mac_filter(&n->net, NULL, 0, NULL, 0);
	if (rc != 0) {
		selftest_result("net", j, "rx-filter", false, "control: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	tag = 'f';
	virtio_net_send(&nets[i].net, frame, hub_frame(i, foreign_mac, tag));
	foreign = wait_for(n, ABSENT_WAIT_US, is_test_frame, &tag);
	tag = 'o';
	virtio_net_send(&nets[i].net, frame, hub_frame(i, n->net.mac, tag));
	own = wait_for(n, ARRIVE_WAIT_US, is_test_frame, &tag);
	/* The foreign address in the unicast table: now it comes in. */
	rc = virtio_net_set_mac_filter(&n->net, foreign_mac, 1, NULL, 0);
	tag = 't';
	virtio_net_send(&nets[i].net, frame, hub_frame(i, foreign_mac, tag));
	table = rc == 0 ? wait_for(n, ARRIVE_WAIT_US, is_test_frame, &tag) : rc;
	virtio_net_set_promisc(&n->net, true);
	selftest_result("net", j, "rx-filter", foreign == -1 && own > 0 && table > 0,
			"promisc off: foreign %s, own %s; foreign in table: %s (from net%u)",
			foreign == -1 ? "dropped" : "received", own > 0 ? "received" : "lost",
			table > 0 ? "received" : "lost", i);
}

static void net_attach(unsigned slot, const struct virtio_device *dev)
{
	struct net_slot *n;
	int rc;

	if (n_net == MAX_NETS) {
		selftest_skip(slot, dev->device_id, "more-nets-than-MAX_NETS");
		return;
	}
	n = &nets[n_net];
	n->dev = *dev;
	n->slot = slot;
	rc = virtio_net_init(&n->net, &n->dev, (uint32_t)board_time_us() ^ slot);
	selftest_print_features(slot, "offered", n->dev.device_id, n->dev.offered);
	if (rc != 0) {
		selftest_result("net", n_net, "init", false, "slot %u: %s (%d)", slot,
				virtio_strerror(rc), rc);
		n_net++;
		return;
	}
	selftest_print_features(slot, "negotiated", n->dev.device_id, n->dev.features);
	board_printf("NET slot=%u mac=%s mtu=%u link=%u hdr_len=%u mrg=%u ctrl=%u speed=%d"
		     " duplex=%d\n", slot, mac_str(n->net.mac), n->net.mtu,
		     n->net.link_up ? 1u : 0u, (unsigned)n->net.hdr_len,
		     n->net.mrg_rxbuf ? 1u : 0u, n->net.has_ctrl ? 1u : 0u,
		     n->net.speed == VIRTIO_NET_SPEED_UNKNOWN ? -1 : (int)n->net.speed,
		     n->net.duplex == VIRTIO_NET_DUPLEX_UNKNOWN ? -1 : (int)n->net.duplex);
	n->ready = true;
	n_net++;
}

static void net_tests(void)
{
	for (unsigned i = 0; i < n_net; i++) {
		if (!nets[i].ready)
			continue;
		arp_gateway(i);
		dhcp_offer(i);
	}
	if (n_net >= 2) {
		hub_rx();
		for (unsigned j = 0; j < n_net; j++)
			if (nets[j].ready)
				rx_filter(j);
	}
	for (unsigned i = 0; i < n_net; i++) {
		if (nets[i].ready)
			board_printf("NETSTATS net%u rx=%u tx=%u dropped=%u truncated=%u\n", i,
				     (unsigned)nets[i].net.stats.rx_frames,
				     (unsigned)nets[i].net.stats.tx_frames,
				     (unsigned)nets[i].net.stats.rx_dropped,
				     (unsigned)nets[i].net.stats.rx_truncated);
		virtio_net_destroy(&nets[i].net);
	}
}

const struct selftest_driver selftest_net = {
	.device_id = VIRTIO_ID_NET,
	.attach = net_attach,
	.run = net_tests,
};
