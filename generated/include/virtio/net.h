/*
 * Network device (VirtIO 1.2 section 5.1).
 *
 * Generated from spec/devices/net.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_NET_H
#define VIRTIO_GEN_NET_H

#include <stdint.h>
#include <stddef.h>
#include <virtio/config_io.h>

/* Device type VIRTIO_ID_NET (1); short name "net". */

/* Feature bits (section 5.1.3): bit numbers, as in Linux. */
#define VIRTIO_NET_F_CSUM 0 /* Device handles packets with partial checksum (transmit checksum offload). (5.1.3) */
#define VIRTIO_NET_F_GUEST_CSUM 1 /* Driver handles packets with partial checksum (receive). (5.1.3) */
#define VIRTIO_NET_F_CTRL_GUEST_OFFLOADS 2 /* Control channel offloads reconfiguration. (5.1.3) */
#define VIRTIO_NET_F_MTU 3 /* mtu holds the device's maximum MTU. (5.1.3) */
#define VIRTIO_NET_F_MAC 5 /* mac holds the device's MAC address. (5.1.3) */
#define VIRTIO_NET_F_GSO 6 /* Device handles packets with any GSO type (never really implemented). Legacy only. (5.1.3.2) */
#define VIRTIO_NET_F_GUEST_TSO4 7 /* Driver can receive TSOv4. (5.1.3) */
#define VIRTIO_NET_F_GUEST_TSO6 8 /* Driver can receive TSOv6. (5.1.3) */
#define VIRTIO_NET_F_GUEST_ECN 9 /* Driver can receive TSO with ECN. (5.1.3) */
#define VIRTIO_NET_F_GUEST_UFO 10 /* Driver can receive UFO. (5.1.3) */
#define VIRTIO_NET_F_HOST_TSO4 11 /* Device can receive TSOv4. (5.1.3) */
#define VIRTIO_NET_F_HOST_TSO6 12 /* Device can receive TSOv6. (5.1.3) */
#define VIRTIO_NET_F_HOST_ECN 13 /* Device can receive TSO with ECN. (5.1.3) */
#define VIRTIO_NET_F_HOST_UFO 14 /* Device can receive UFO. (5.1.3) */
#define VIRTIO_NET_F_MRG_RXBUF 15 /* Driver can merge receive buffers: a packet may span num_buffers buffers. (5.1.3) */
#define VIRTIO_NET_F_STATUS 16 /* status (link up / announce) is valid. (5.1.3) */
#define VIRTIO_NET_F_CTRL_VQ 17 /* Control channel is available. (5.1.3) */
#define VIRTIO_NET_F_CTRL_RX 18 /* Control channel RX mode support. (5.1.3) */
#define VIRTIO_NET_F_CTRL_VLAN 19 /* Control channel VLAN filtering. (5.1.3) */
#define VIRTIO_NET_F_CTRL_RX_EXTRA 20 /* Control channel extra RX modes (ALLUNI, NOMULTI, NOUNI, NOBCAST). Listed by Linux and later spec revisions, not by the 1.2 feature list. (5.1.3) */
#define VIRTIO_NET_F_GUEST_ANNOUNCE 21 /* Driver can send gratuitous packets. (5.1.3) */
#define VIRTIO_NET_F_MQ 22 /* Multiqueue with automatic receive steering. (5.1.3) */
#define VIRTIO_NET_F_CTRL_MAC_ADDR 23 /* Set MAC address through the control channel. (5.1.3) */
#define VIRTIO_NET_F_DEVICE_STATS 50 /* Device-level statistics through the control channel. VirtIO 1.3; not in Linux 6.1 uapi. (5.1.3) */
#define VIRTIO_NET_F_HASH_TUNNEL 51 /* Inner header hash for encapsulated packets. VirtIO 1.3; not in Linux 6.1 uapi. (5.1.3) */
#define VIRTIO_NET_F_VQ_NOTF_COAL 52 /* Per-virtqueue notification coalescing. VirtIO 1.3; not in Linux 6.1 uapi. (5.1.3) */
#define VIRTIO_NET_F_NOTF_COAL 53 /* Notification coalescing. VirtIO 1.3 (Linux has it). (5.1.3) */
#define VIRTIO_NET_F_GUEST_USO4 54 /* Driver can receive USOv4. VirtIO 1.3; not in Linux 6.1 uapi. (5.1.3) */
#define VIRTIO_NET_F_GUEST_USO6 55 /* Driver can receive USOv6. VirtIO 1.3; not in Linux 6.1 uapi. (5.1.3) */
#define VIRTIO_NET_F_HOST_USO 56 /* Device can receive USO (UDP segmentation). Not in Linux 6.1 uapi. (5.1.3) */
#define VIRTIO_NET_F_HASH_REPORT 57 /* Device can report a per-packet hash (20-byte header). (5.1.3) */
#define VIRTIO_NET_F_GUEST_HDRLEN 59 /* Driver can provide the exact hdr_len. Not in Linux 6.1 uapi. (5.1.3) */
#define VIRTIO_NET_F_RSS 60 /* Receive-side scaling. (5.1.3) */
#define VIRTIO_NET_F_RSC_EXT 61 /* Device can process duplicated ACKs and report coalescing details. (5.1.3) */
#define VIRTIO_NET_F_STANDBY 62 /* Device may act as a standby for a primary device with the same MAC. (5.1.3) */
#define VIRTIO_NET_F_SPEED_DUPLEX 63 /* speed and duplex are valid. (5.1.3) */

/* Bits of the status configuration field. (section 5.1.4): masks. */
#define VIRTIO_NET_S_LINK_UP 0x1 /* Link is up. */
#define VIRTIO_NET_S_ANNOUNCE 0x2 /* The driver should send a gratuitous packet (GUEST_ANNOUNCE). */

/* Values of the duplex configuration field (Linux: DUPLEX_* of ethtool.h). The 1.2 text swaps 0 and 1 in its normative part; QEMU and Linux use 1 = full. (section 5.1.4). */
#define VIRTIO_NET_DUPLEX_HALF 0 /* Half duplex. */
#define VIRTIO_NET_DUPLEX_FULL 1 /* Full duplex. */
#define VIRTIO_NET_DUPLEX_UNKNOWN 255 /* Unknown. */

/* Special values of the speed configuration field (Mbit/s). (section 5.1.4). */
#define VIRTIO_NET_SPEED_MAX 0x7fffffff /* Largest valid speed; anything above means unknown. */
#define VIRTIO_NET_SPEED_UNKNOWN 0xffffffff /* Unknown speed. */

/* Hash types (supported_hash_types, hash_types). The spec and Linux spell the protocol parts IPv4, TCPv6 ...; macro names here are upper case (IPV4, TCPV6 ...), so they do not clash with nor replace Linux's names. (section 5.1.6.4.3): masks. */
#define VIRTIO_NET_RSS_HASH_TYPE_IPV4 0x1 /* IPv4 addresses. */
#define VIRTIO_NET_RSS_HASH_TYPE_TCPV4 0x2 /* IPv4 addresses and TCP ports. */
#define VIRTIO_NET_RSS_HASH_TYPE_UDPV4 0x4 /* IPv4 addresses and UDP ports. */
#define VIRTIO_NET_RSS_HASH_TYPE_IPV6 0x8 /* IPv6 addresses. */
#define VIRTIO_NET_RSS_HASH_TYPE_TCPV6 0x10 /* IPv6 addresses and TCP ports. */
#define VIRTIO_NET_RSS_HASH_TYPE_UDPV6 0x20 /* IPv6 addresses and UDP ports. */
#define VIRTIO_NET_RSS_HASH_TYPE_IP_EX 0x40 /* IPv6 with extension-header addresses. */
#define VIRTIO_NET_RSS_HASH_TYPE_TCP_EX 0x80 /* IPv6 extension-header addresses and TCP ports. */
#define VIRTIO_NET_RSS_HASH_TYPE_UDP_EX 0x100 /* IPv6 extension-header addresses and UDP ports. */

/* Values of hash_report in struct virtio_net_hdr_v1_hash (Linux spells IPv4 ... in mixed case). (section 5.1.6.4.4). */
#define VIRTIO_NET_HASH_REPORT_NONE 0 /* No hash. */
#define VIRTIO_NET_HASH_REPORT_IPV4 1 /* IPv4. */
#define VIRTIO_NET_HASH_REPORT_TCPV4 2 /* TCP over IPv4. */
#define VIRTIO_NET_HASH_REPORT_UDPV4 3 /* UDP over IPv4. */
#define VIRTIO_NET_HASH_REPORT_IPV6 4 /* IPv6. */
#define VIRTIO_NET_HASH_REPORT_TCPV6 5 /* TCP over IPv6. */
#define VIRTIO_NET_HASH_REPORT_UDPV6 6 /* UDP over IPv6. */
#define VIRTIO_NET_HASH_REPORT_IPV6_EX 7 /* IPv6 with extension headers. */
#define VIRTIO_NET_HASH_REPORT_TCPV6_EX 8 /* TCP over IPv6 with extension headers. */
#define VIRTIO_NET_HASH_REPORT_UDPV6_EX 9 /* UDP over IPv6 with extension headers. */

/* Bits of the flags field of the packet header. (section 5.1.6): masks. */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 0x1 /* The checksum at csum_start + csum_offset still has to be computed (partial checksum). */
#define VIRTIO_NET_HDR_F_DATA_VALID 0x2 /* Receive: the device validated the checksum (GUEST_CSUM). */
#define VIRTIO_NET_HDR_F_RSC_INFO 0x4 /* Receive: the csum fields hold coalescing information (RSC_EXT). */

/* Values of gso_type (ECN is a flag or-ed in). (section 5.1.6). */
#define VIRTIO_NET_HDR_GSO_NONE 0 /* Not a GSO frame. */
#define VIRTIO_NET_HDR_GSO_TCPV4 1 /* TCP over IPv4 (TSO). */
#define VIRTIO_NET_HDR_GSO_UDP 3 /* UDP fragmentation (UFO). */
#define VIRTIO_NET_HDR_GSO_TCPV6 4 /* TCP over IPv6. */
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* UDP segmentation (USO). Not in Linux 6.1 uapi. */

/* Flag or-ed into gso_type. (section 5.1.6): masks. */
#define VIRTIO_NET_HDR_GSO_ECN 0x80 /* The TCP packet has ECN set. */

/* The ack byte the device writes at the end of a control command. (section 5.1.6.5). */
#define VIRTIO_NET_OK 0 /* Command done. */
#define VIRTIO_NET_ERR 1 /* Command failed or unknown. */

/* Control command classes (class field of struct virtio_net_ctrl_hdr). (section 5.1.6.5). */
#define VIRTIO_NET_CTRL_RX 0 /* Receive mode (CTRL_RX). */
#define VIRTIO_NET_CTRL_MAC 1 /* MAC filter table and address. */
#define VIRTIO_NET_CTRL_VLAN 2 /* VLAN filter (CTRL_VLAN). */
#define VIRTIO_NET_CTRL_ANNOUNCE 3 /* Gratuitous packet acknowledgement (GUEST_ANNOUNCE). */
#define VIRTIO_NET_CTRL_MQ 4 /* Multiqueue and RSS configuration. */
#define VIRTIO_NET_CTRL_GUEST_OFFLOADS 5 /* Receive offloads (CTRL_GUEST_OFFLOADS). */
#define VIRTIO_NET_CTRL_NOTF_COAL 6 /* Notification coalescing (NOTF_COAL). VirtIO 1.3. */

/* Commands of class VIRTIO_NET_CTRL_RX; the data is one byte, 0 off or 1 on. (section 5.1.6.5.1). */
#define VIRTIO_NET_CTRL_RX_PROMISC 0 /* Receive every packet. */
#define VIRTIO_NET_CTRL_RX_ALLMULTI 1 /* Receive every multicast packet. */
#define VIRTIO_NET_CTRL_RX_ALLUNI 2 /* Receive every unicast packet (CTRL_RX_EXTRA). */
#define VIRTIO_NET_CTRL_RX_NOMULTI 3 /* Receive no multicast packet (CTRL_RX_EXTRA). */
#define VIRTIO_NET_CTRL_RX_NOUNI 4 /* Receive no unicast packet (CTRL_RX_EXTRA). */
#define VIRTIO_NET_CTRL_RX_NOBCAST 5 /* Receive no broadcast packet (CTRL_RX_EXTRA). */

/* Commands of class VIRTIO_NET_CTRL_MAC. (section 5.1.6.5.2). */
#define VIRTIO_NET_CTRL_MAC_TABLE_SET 0 /* Two struct virtio_net_ctrl_mac tables follow: unicast, then multicast. */
#define VIRTIO_NET_CTRL_MAC_ADDR_SET 1 /* The 6-byte MAC address follows (CTRL_MAC_ADDR). */

/* Commands of class VIRTIO_NET_CTRL_VLAN; the data is a le16 VLAN id. (section 5.1.6.5.3). */
#define VIRTIO_NET_CTRL_VLAN_ADD 0 /* Accept the VLAN id. */
#define VIRTIO_NET_CTRL_VLAN_DEL 1 /* Drop the VLAN id. */

/* Commands of class VIRTIO_NET_CTRL_ANNOUNCE. (section 5.1.6.5.4). */
#define VIRTIO_NET_CTRL_ANNOUNCE_ACK 0 /* The driver has sent the gratuitous packets; clears VIRTIO_NET_S_ANNOUNCE. */

/* Commands of class VIRTIO_NET_CTRL_MQ. (section 5.1.6.5.6). */
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET 0 /* struct virtio_net_ctrl_mq follows: number of queue pairs to use. */
#define VIRTIO_NET_CTRL_MQ_RSS_CONFIG 1 /* struct virtio_net_rss_config follows (RSS). */
#define VIRTIO_NET_CTRL_MQ_HASH_CONFIG 2 /* struct virtio_net_hash_config follows (HASH_REPORT). */

/* Bounds of virtqueue_pairs. (section 5.1.6.5.6). */
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN 1 /* Fewest pairs. */
#define VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX 32768 /* Most pairs. */

/* Commands of class VIRTIO_NET_CTRL_GUEST_OFFLOADS; the data is a le64 of GUEST_* feature bits. (section 5.1.6.5.8). */
#define VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET 0 /* Enable exactly the offloads given. */

/* Commands of class VIRTIO_NET_CTRL_NOTF_COAL (VirtIO 1.3). (section 5.1.6.5). */
#define VIRTIO_NET_CTRL_NOTF_COAL_TX_SET 0 /* struct virtio_net_ctrl_coal_tx follows. */
#define VIRTIO_NET_CTRL_NOTF_COAL_RX_SET 1 /* struct virtio_net_ctrl_coal_rx follows. */

/* Sizes the driver needs (not Linux uapi names). (section 5.1.6.3). */
#define VIRTIO_NET_ETH_ALEN 6 /* Bytes of a MAC address. */
#define VIRTIO_NET_HDR_LEGACY_SIZE 10 /* Header of a legacy device without MRG_RXBUF: no num_buffers. */
#define VIRTIO_NET_HDR_SIZE 12 /* Header of a modern device, or of any device with MRG_RXBUF. */
#define VIRTIO_NET_HDR_HASH_SIZE 20 /* Header with HASH_REPORT negotiated. */
#define VIRTIO_NET_MIN_RX_BUF 1526 /* Without MRG_RXBUF or GUEST_* offloads each receive buffer holds 1514 bytes of frame plus the 12-byte header. */
#define VIRTIO_NET_MTU_MIN 68 /* Smallest mtu a device may report. */

#ifndef VIRTIO_GEN_PACKED
#define VIRTIO_GEN_PACKED __attribute__((packed))
#endif

/*
 * Device configuration layout. mac always exists (valid with MAC). The spec types status, max_virtqueue_pairs and mtu le16; legacy devices use guest-native order for them (5.1.4.3), hence virtio16 as in Linux. (section 5.1.4)
 */
struct virtio_net_config {
	uint8_t mac[6]; /* u8[6]: MAC address (with MAC; driver-writable on legacy devices). */
	uint16_t status; /* virtio16 (LE (modern) / guest-native (legacy)), with VIRTIO_NET_F_STATUS: VIRTIO_NET_S_* bits. */
	uint16_t max_virtqueue_pairs; /* virtio16 (LE (modern) / guest-native (legacy)): Most receive/transmit queue pairs, 1..0x8000 (with MQ or RSS). */
	uint16_t mtu; /* virtio16 (LE (modern) / guest-native (legacy)), with VIRTIO_NET_F_MTU: Largest MTU the driver may use, 68..65535. */
	uint32_t speed; /* le32 (little-endian), with VIRTIO_NET_F_SPEED_DUPLEX: Mbit/s, 0..0x7fffffff; 0xffffffff unknown. */
	uint8_t duplex; /* u8, with VIRTIO_NET_F_SPEED_DUPLEX: VIRTIO_NET_DUPLEX_* value. */
	uint8_t rss_max_key_size; /* u8: Longest RSS key in bytes (with RSS or HASH_REPORT). */
	uint16_t rss_max_indirection_table_length; /* le16 (little-endian), with VIRTIO_NET_F_RSS: Most 16-bit entries in the RSS indirection table. */
	uint32_t supported_hash_types; /* le32 (little-endian): VIRTIO_NET_RSS_HASH_TYPE_* bits (with RSS or HASH_REPORT). */
};
_Static_assert(sizeof(struct virtio_net_config) == 24, "sizeof(struct virtio_net_config) must be 24 (section 5.1.4)");
_Static_assert(offsetof(struct virtio_net_config, mac) == 0, "offsetof(struct virtio_net_config, mac) must be 0 (section 5.1.4)");
_Static_assert(offsetof(struct virtio_net_config, status) == 6, "offsetof(struct virtio_net_config, status) must be 6 (section 5.1.4)");
_Static_assert(offsetof(struct virtio_net_config, max_virtqueue_pairs) == 8, "offsetof(struct virtio_net_config, max_virtqueue_pairs) must be 8 (section 5.1.4)");
_Static_assert(offsetof(struct virtio_net_config, mtu) == 10, "offsetof(struct virtio_net_config, mtu) must be 10 (section 5.1.4)");
_Static_assert(offsetof(struct virtio_net_config, speed) == 12, "offsetof(struct virtio_net_config, speed) must be 12 (section 5.1.4)");
_Static_assert(offsetof(struct virtio_net_config, duplex) == 16, "offsetof(struct virtio_net_config, duplex) must be 16 (section 5.1.4)");
_Static_assert(offsetof(struct virtio_net_config, rss_max_key_size) == 17, "offsetof(struct virtio_net_config, rss_max_key_size) must be 17 (section 5.1.4)");
_Static_assert(offsetof(struct virtio_net_config, rss_max_indirection_table_length) == 18, "offsetof(struct virtio_net_config, rss_max_indirection_table_length) must be 18 (section 5.1.4)");
_Static_assert(offsetof(struct virtio_net_config, supported_hash_types) == 20, "offsetof(struct virtio_net_config, supported_hash_types) must be 20 (section 5.1.4)");

/*
 * Field accessors for struct virtio_net_config, through the transport's
 * configuration access (virtio/config_io.h): values are in host order.
 */
static inline uint8_t virtio_net_config_mac(struct virtio_device *dev, uint32_t i)
{
	if (i >= 6u)
		return 0;
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_net_config, mac) + i * 1u));
}

static inline uint16_t virtio_net_config_status(struct virtio_device *dev)
{
	return virtio_config_read16(dev, (uint32_t)(offsetof(struct virtio_net_config, status)));
}

static inline uint16_t virtio_net_config_max_virtqueue_pairs(struct virtio_device *dev)
{
	return virtio_config_read16(dev, (uint32_t)(offsetof(struct virtio_net_config, max_virtqueue_pairs)));
}

static inline uint16_t virtio_net_config_mtu(struct virtio_device *dev)
{
	return virtio_config_read16(dev, (uint32_t)(offsetof(struct virtio_net_config, mtu)));
}

static inline uint32_t virtio_net_config_speed(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_net_config, speed)));
}

static inline uint8_t virtio_net_config_duplex(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_net_config, duplex)));
}

static inline uint8_t virtio_net_config_rss_max_key_size(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_net_config, rss_max_key_size)));
}

static inline uint16_t virtio_net_config_rss_max_indirection_table_length(struct virtio_device *dev)
{
	return virtio_config_read16(dev, (uint32_t)(offsetof(struct virtio_net_config, rss_max_indirection_table_length)));
}

static inline uint32_t virtio_net_config_supported_hash_types(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_net_config, supported_hash_types)));
}

/*
 * Reads the whole configuration consistently: retried while the
 * configuration generation changes. Returns 0, or -1 when it never settled
 * within VIRTIO_CONFIG_READ_TRIES attempts.
 */
static inline int virtio_net_config_read(struct virtio_device *dev, struct virtio_net_config *out)
{
	for (unsigned int tries = 0; tries < VIRTIO_CONFIG_READ_TRIES; tries++) {
		uint32_t generation = virtio_config_generation(dev);
		for (uint32_t i = 0; i < 6u; i++)
			out->mac[i] = virtio_net_config_mac(dev, i);
		out->status = virtio_net_config_status(dev);
		out->max_virtqueue_pairs = virtio_net_config_max_virtqueue_pairs(dev);
		out->mtu = virtio_net_config_mtu(dev);
		out->speed = virtio_net_config_speed(dev);
		out->duplex = virtio_net_config_duplex(dev);
		out->rss_max_key_size = virtio_net_config_rss_max_key_size(dev);
		out->rss_max_indirection_table_length = virtio_net_config_rss_max_indirection_table_length(dev);
		out->supported_hash_types = virtio_net_config_supported_hash_types(dev);
		if (virtio_config_generation(dev) == generation)
			return 0;
	}
	return -1;
}

/*
 * Packet header of a legacy device without VIRTIO_NET_F_MRG_RXBUF (10 bytes, guest-native order). Modern devices always use struct virtio_net_hdr_v1. (section 5.1.6.1)
 */
struct virtio_net_hdr {
	uint8_t flags; /* u8: VIRTIO_NET_HDR_F_* bits. */
	uint8_t gso_type; /* u8: VIRTIO_NET_HDR_GSO_* value. */
	uint16_t hdr_len; /* virtio16 (LE (modern) / guest-native (legacy)): Bytes of Ethernet + IP + TCP/UDP headers. */
	uint16_t gso_size; /* virtio16 (LE (modern) / guest-native (legacy)): Bytes of payload per segment. */
	uint16_t csum_start; /* virtio16 (LE (modern) / guest-native (legacy)): Where checksumming starts. */
	uint16_t csum_offset; /* virtio16 (LE (modern) / guest-native (legacy)): Where the checksum goes, after csum_start. */
};
_Static_assert(sizeof(struct virtio_net_hdr) == 10, "sizeof(struct virtio_net_hdr) must be 10 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr, flags) == 0, "offsetof(struct virtio_net_hdr, flags) must be 0 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr, gso_type) == 1, "offsetof(struct virtio_net_hdr, gso_type) must be 1 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr, hdr_len) == 2, "offsetof(struct virtio_net_hdr, hdr_len) must be 2 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr, gso_size) == 4, "offsetof(struct virtio_net_hdr, gso_size) must be 4 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr, csum_start) == 6, "offsetof(struct virtio_net_hdr, csum_start) must be 6 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr, csum_offset) == 8, "offsetof(struct virtio_net_hdr, csum_offset) must be 8 (section 5.1.6.1)");

/*
 * Legacy header with VIRTIO_NET_F_MRG_RXBUF (12 bytes); the same layout as struct virtio_net_hdr_v1. (section 5.1.6.1)
 */
struct virtio_net_hdr_mrg_rxbuf {
	struct virtio_net_hdr hdr; /* struct virtio_net_hdr: The 10-byte header. */
	uint16_t num_buffers; /* virtio16 (LE (modern) / guest-native (legacy)): Receive buffers this packet spans. */
};
_Static_assert(sizeof(struct virtio_net_hdr_mrg_rxbuf) == 12, "sizeof(struct virtio_net_hdr_mrg_rxbuf) must be 12 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr) == 0, "offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr) must be 0 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.flags) == 0, "offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.flags) must be 0 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.gso_type) == 1, "offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.gso_type) must be 1 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.hdr_len) == 2, "offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.hdr_len) must be 2 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.gso_size) == 4, "offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.gso_size) must be 4 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.csum_start) == 6, "offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.csum_start) must be 6 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.csum_offset) == 8, "offsetof(struct virtio_net_hdr_mrg_rxbuf, hdr.csum_offset) must be 8 (section 5.1.6.1)");
_Static_assert(offsetof(struct virtio_net_hdr_mrg_rxbuf, num_buffers) == 10, "offsetof(struct virtio_net_hdr_mrg_rxbuf, num_buffers) must be 10 (section 5.1.6.1)");

/*
 * Packet header of a modern device (12 bytes, little-endian). With RSC_INFO set the two csum fields hold segments and dup_acks instead (Linux: a union). (section 5.1.6)
 */
struct virtio_net_hdr_v1 {
	uint8_t flags; /* u8: VIRTIO_NET_HDR_F_* bits. */
	uint8_t gso_type; /* u8: VIRTIO_NET_HDR_GSO_* value. */
	uint16_t hdr_len; /* virtio16 (LE (modern) / guest-native (legacy)): Bytes of Ethernet + IP + TCP/UDP headers. */
	uint16_t gso_size; /* virtio16 (LE (modern) / guest-native (legacy)): Bytes of payload per segment. */
	uint16_t csum_start; /* virtio16 (LE (modern) / guest-native (legacy)): Where checksumming starts (RSC_INFO: segments). */
	uint16_t csum_offset; /* virtio16 (LE (modern) / guest-native (legacy)): Where the checksum goes (RSC_INFO: dup_acks). */
	uint16_t num_buffers; /* virtio16 (LE (modern) / guest-native (legacy)): Receive buffers this packet spans (1 without MRG_RXBUF); 0 on transmit. */
};
_Static_assert(sizeof(struct virtio_net_hdr_v1) == 12, "sizeof(struct virtio_net_hdr_v1) must be 12 (section 5.1.6)");
_Static_assert(offsetof(struct virtio_net_hdr_v1, flags) == 0, "offsetof(struct virtio_net_hdr_v1, flags) must be 0 (section 5.1.6)");
_Static_assert(offsetof(struct virtio_net_hdr_v1, gso_type) == 1, "offsetof(struct virtio_net_hdr_v1, gso_type) must be 1 (section 5.1.6)");
_Static_assert(offsetof(struct virtio_net_hdr_v1, hdr_len) == 2, "offsetof(struct virtio_net_hdr_v1, hdr_len) must be 2 (section 5.1.6)");
_Static_assert(offsetof(struct virtio_net_hdr_v1, gso_size) == 4, "offsetof(struct virtio_net_hdr_v1, gso_size) must be 4 (section 5.1.6)");
_Static_assert(offsetof(struct virtio_net_hdr_v1, csum_start) == 6, "offsetof(struct virtio_net_hdr_v1, csum_start) must be 6 (section 5.1.6)");
_Static_assert(offsetof(struct virtio_net_hdr_v1, csum_offset) == 8, "offsetof(struct virtio_net_hdr_v1, csum_offset) must be 8 (section 5.1.6)");
_Static_assert(offsetof(struct virtio_net_hdr_v1, num_buffers) == 10, "offsetof(struct virtio_net_hdr_v1, num_buffers) must be 10 (section 5.1.6)");

/*
 * Packet header with VIRTIO_NET_F_HASH_REPORT (20 bytes). (section 5.1.6.4.4)
 */
struct virtio_net_hdr_v1_hash {
	struct virtio_net_hdr_v1 hdr; /* struct virtio_net_hdr_v1: The 12-byte header. */
	uint32_t hash_value; /* le32 (little-endian): The packet's hash. */
	uint16_t hash_report; /* le16 (little-endian): VIRTIO_NET_HASH_REPORT_* value. */
	uint16_t padding; /* le16 (little-endian), reserved: Zero. */
};
_Static_assert(sizeof(struct virtio_net_hdr_v1_hash) == 20, "sizeof(struct virtio_net_hdr_v1_hash) must be 20 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hdr) == 0, "offsetof(struct virtio_net_hdr_v1_hash, hdr) must be 0 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hdr.flags) == 0, "offsetof(struct virtio_net_hdr_v1_hash, hdr.flags) must be 0 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hdr.gso_type) == 1, "offsetof(struct virtio_net_hdr_v1_hash, hdr.gso_type) must be 1 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hdr.hdr_len) == 2, "offsetof(struct virtio_net_hdr_v1_hash, hdr.hdr_len) must be 2 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hdr.gso_size) == 4, "offsetof(struct virtio_net_hdr_v1_hash, hdr.gso_size) must be 4 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hdr.csum_start) == 6, "offsetof(struct virtio_net_hdr_v1_hash, hdr.csum_start) must be 6 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hdr.csum_offset) == 8, "offsetof(struct virtio_net_hdr_v1_hash, hdr.csum_offset) must be 8 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hdr.num_buffers) == 10, "offsetof(struct virtio_net_hdr_v1_hash, hdr.num_buffers) must be 10 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hash_value) == 12, "offsetof(struct virtio_net_hdr_v1_hash, hash_value) must be 12 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, hash_report) == 16, "offsetof(struct virtio_net_hdr_v1_hash, hash_report) must be 16 (section 5.1.6.4.4)");
_Static_assert(offsetof(struct virtio_net_hdr_v1_hash, padding) == 18, "offsetof(struct virtio_net_hdr_v1_hash, padding) must be 18 (section 5.1.6.4.4)");

/*
 * Start of every control command; command data and the ack byte follow. (section 5.1.6.5)
 */
struct virtio_net_ctrl_hdr {
	uint8_t class; /* u8: VIRTIO_NET_CTRL_* class. */
	uint8_t cmd; /* u8: Command within the class. */
};
_Static_assert(sizeof(struct virtio_net_ctrl_hdr) == 2, "sizeof(struct virtio_net_ctrl_hdr) must be 2 (section 5.1.6.5)");
_Static_assert(offsetof(struct virtio_net_ctrl_hdr, class) == 0, "offsetof(struct virtio_net_ctrl_hdr, class) must be 0 (section 5.1.6.5)");
_Static_assert(offsetof(struct virtio_net_ctrl_hdr, cmd) == 1, "offsetof(struct virtio_net_ctrl_hdr, cmd) must be 1 (section 5.1.6.5)");

/*
 * One MAC filter table of VIRTIO_NET_CTRL_MAC_TABLE_SET; entries 6-byte addresses follow. (section 5.1.6.5.2)
 */
struct virtio_net_ctrl_mac {
	uint32_t entries; /* virtio32 (LE (modern) / guest-native (legacy)): Number of addresses. */
	uint8_t macs[]; /* u8[]: entries * 6 bytes of addresses (Linux: u8 macs[][ETH_ALEN]). */
};
_Static_assert(sizeof(struct virtio_net_ctrl_mac) == 4, "sizeof(struct virtio_net_ctrl_mac) must be 4 (section 5.1.6.5.2)");
_Static_assert(offsetof(struct virtio_net_ctrl_mac, entries) == 0, "offsetof(struct virtio_net_ctrl_mac, entries) must be 0 (section 5.1.6.5.2)");
_Static_assert(offsetof(struct virtio_net_ctrl_mac, macs) == 4, "offsetof(struct virtio_net_ctrl_mac, macs) must be 4 (section 5.1.6.5.2)");

/*
 * Data of VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET (spec: struct virtio_net_ctrl_mq_pairs_set). (section 5.1.6.5.6)
 */
struct virtio_net_ctrl_mq {
	uint16_t virtqueue_pairs; /* virtio16 (LE (modern) / guest-native (legacy)): Queue pairs to use. */
};
_Static_assert(sizeof(struct virtio_net_ctrl_mq) == 2, "sizeof(struct virtio_net_ctrl_mq) must be 2 (section 5.1.6.5.6)");
_Static_assert(offsetof(struct virtio_net_ctrl_mq, virtqueue_pairs) == 0, "offsetof(struct virtio_net_ctrl_mq, virtqueue_pairs) must be 0 (section 5.1.6.5.6)");

/*
 * Data of VIRTIO_NET_CTRL_NOTF_COAL_TX_SET (VirtIO 1.3). (section 5.1.6.5)
 */
struct virtio_net_ctrl_coal_tx {
	uint32_t tx_max_packets; /* le32 (little-endian): Packets to wait for before a used-buffer notification. */
	uint32_t tx_usecs; /* le32 (little-endian): Microseconds to wait. */
};
_Static_assert(sizeof(struct virtio_net_ctrl_coal_tx) == 8, "sizeof(struct virtio_net_ctrl_coal_tx) must be 8 (section 5.1.6.5)");
_Static_assert(offsetof(struct virtio_net_ctrl_coal_tx, tx_max_packets) == 0, "offsetof(struct virtio_net_ctrl_coal_tx, tx_max_packets) must be 0 (section 5.1.6.5)");
_Static_assert(offsetof(struct virtio_net_ctrl_coal_tx, tx_usecs) == 4, "offsetof(struct virtio_net_ctrl_coal_tx, tx_usecs) must be 4 (section 5.1.6.5)");

/*
 * Data of VIRTIO_NET_CTRL_NOTF_COAL_RX_SET (VirtIO 1.3). (section 5.1.6.5)
 */
struct virtio_net_ctrl_coal_rx {
	uint32_t rx_max_packets; /* le32 (little-endian): Packets to wait for before a used-buffer notification. */
	uint32_t rx_usecs; /* le32 (little-endian): Microseconds to wait. */
};
_Static_assert(sizeof(struct virtio_net_ctrl_coal_rx) == 8, "sizeof(struct virtio_net_ctrl_coal_rx) must be 8 (section 5.1.6.5)");
_Static_assert(offsetof(struct virtio_net_ctrl_coal_rx, rx_max_packets) == 0, "offsetof(struct virtio_net_ctrl_coal_rx, rx_max_packets) must be 0 (section 5.1.6.5)");
_Static_assert(offsetof(struct virtio_net_ctrl_coal_rx, rx_usecs) == 4, "offsetof(struct virtio_net_ctrl_coal_rx, rx_usecs) must be 4 (section 5.1.6.5)");

#endif /* VIRTIO_GEN_NET_H */
