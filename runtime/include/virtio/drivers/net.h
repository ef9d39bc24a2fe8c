/*
 * virtio-net driver (spec 5.1): one receive/transmit queue pair, raw
 * Ethernet frames in and out, polled (waits sleep on the interrupt after
 * virtio_net_use_irq). Receive buffers are refilled as
 * frames are read. With VIRTIO_NET_F_MRG_RXBUF a frame may span several
 * buffers; with VIRTIO_NET_F_CTRL_VQ the receive mode and MAC filter can
 * be set. Checksum offload is accepted because it is implemented:
 * VIRTIO_NET_F_GUEST_CSUM (a received partial checksum is completed in
 * software) and VIRTIO_NET_F_CSUM (virtio_net_send_csum). No segmentation
 * offload, no multiqueue.
 *
 * The device is untrusted: used lengths, num_buffers, checksum offsets,
 * mtu and status are checked; a bad frame is dropped and counted.
 */
#ifndef VIRTIO_DRIVERS_NET_H
#define VIRTIO_DRIVERS_NET_H

#include <virtio/virtqueue.h>

#ifndef VIRTIO_NET_RX_BUFS
#define VIRTIO_NET_RX_BUFS 16u /* receive buffers */
#endif
/* Holds the largest header and a VLAN-tagged 1500-byte frame. */
#ifndef VIRTIO_NET_RX_BUF_SIZE
#define VIRTIO_NET_RX_BUF_SIZE 1600u /* bytes per receive buffer */
#endif
#ifndef VIRTIO_NET_TX_BUFS
#define VIRTIO_NET_TX_BUFS 4u /* transmit buffers */
#endif
#ifndef VIRTIO_NET_TX_BUF_SIZE
#define VIRTIO_NET_TX_BUF_SIZE 1600u /* bytes per transmit buffer */
#endif
/* Most addresses per table in virtio_net_set_mac_filter. */
#ifndef VIRTIO_NET_MAC_FILTER_MAX
#define VIRTIO_NET_MAC_FILTER_MAX 8u /* MAC filter addresses per table at most */
#endif
/* How long a send waits for a free buffer, a control command for its ack. */
#ifndef VIRTIO_NET_TIMEOUT_US
#define VIRTIO_NET_TIMEOUT_US 2000000u /* transmit buffer or control command timeout (us) */
#endif

/* Ethernet header (14 bytes) without FCS. */
#define VIRTIO_NET_ETH_HLEN 14u

struct virtio_net_stats {
	uint32_t rx_frames, tx_frames;
	uint32_t rx_dropped;   /* frames dropped as malformed (device's fault) */
	uint32_t rx_truncated; /* frames longer than the caller's buffer */
	uint32_t rx_csum_done; /* partial checksums completed in software */
};

struct virtio_irq; /* <virtio/interrupt.h> */

struct virtio_net {
	struct virtio_device *dev;
	struct virtio_irq *irq; /* NULL: waits poll (use_irq sets it) */
	struct virtqueue rx, tx, ctrl;
	uint8_t *rxbuf;        /* VIRTIO_NET_RX_BUFS * RX_BUF_SIZE */
	uint8_t *txbuf;        /* VIRTIO_NET_TX_BUFS * TX_BUF_SIZE */
	uint8_t *ctrlbuf;      /* one control command */
	uint32_t hdr_len;      /* 10, or 12 (modern or MRG_RXBUF) */
	uint32_t max_frame;    /* largest frame we send (mtu + 14, or 1514) */
	uint16_t mtu;          /* 1500 unless the device gave one (MTU) */
	uint8_t mac[6];
	bool mac_from_device;  /* else random, locally administered */
	bool mrg_rxbuf, has_ctrl, ctrl_rx, ctrl_mac;
	bool link_up;
	uint32_t speed;        /* Mbit/s, VIRTIO_NET_SPEED_UNKNOWN if not known */
	uint8_t duplex;        /* VIRTIO_NET_DUPLEX_* (UNKNOWN if not known) */
	uint8_t tx_free_mask;  /* bit i: tx slot i is ours */
	struct virtio_net_stats stats;
};

/* Extra facts about a received frame. */
struct virtio_net_rx_info {
	uint32_t buffers;     /* receive buffers it spanned */
	bool csum_valid;      /* the device (DATA_VALID) or we checked it */
};

/*
 * Negotiates MAC, STATUS, MTU, MRG_RXBUF, GUEST_CSUM, CSUM, CTRL_VQ,
 * CTRL_RX, CTRL_MAC_ADDR, SPEED_DUPLEX (plus the runtime's ring features;
 * never a feature whose dependency is missing), sets up the
 * queues, fills the receive queue, sets DRIVER_OK. `seed` feeds the random
 * MAC used when the device has none (pass something unique per board).
 * Returns 0 or an error (the device is then marked FAILED).
 */
int virtio_net_init(struct virtio_net *net, struct virtio_device *dev,
		    uint32_t seed);
void virtio_net_destroy(struct virtio_net *net);

/* Sends one frame (Ethernet header onwards, no FCS; at most max_frame
 * bytes, at least 14). Returns 0, VIRTIO_EINVAL, VIRTIO_ETIMEDOUT (no
 * transmit buffer came back) or a queue error. */
int virtio_net_send(struct virtio_net *net, const void *frame, uint32_t len);
/* One piece of a frame given in pieces (a network stack's buffer chain). */
struct virtio_net_frag {
	const void *data;
	uint32_t len;
};
/* Sends the frame made of frag[0..n) in order, copied once into a
 * transmit buffer; the same checks and results as virtio_net_send. */
int virtio_net_sendv(struct virtio_net *net, const struct virtio_net_frag *frag,
		     unsigned n);
/* The same with a partial checksum: the 16-bit ones' complement sum from
 * csum_start to the end goes to csum_start + csum_offset (the caller put
 * the pseudo-header sum there). Offloaded with CSUM, else done here. */
int virtio_net_send_csum(struct virtio_net *net, const void *frame, uint32_t len,
			 uint16_t csum_start, uint16_t csum_offset);

/* Takes one received frame: copies at most `size` bytes into buf and
 * returns the frame's length (may exceed size: truncated), 0 if none,
 * or a queue error. `info` may be NULL. */
int virtio_net_recv(struct virtio_net *net, void *buf, uint32_t size,
		    struct virtio_net_rx_info *info);

/*
 * Interrupt-driven waits (opt-in, after init): registers the receive,
 * transmit and control queues with `irq` (virtio_irq_init'ed for
 * net->dev) so send (waiting for a transmit buffer), control commands and
 * recv_wait sleep on the device's interrupt instead of spinning. A link
 * change reaches the caller through virtio_irq_on_config: call
 * virtio_net_update_link() then. Returns 0 or VIRTIO_EINVAL.
 */
int virtio_net_use_irq(struct virtio_net *net, struct virtio_irq *irq);
/* Like recv, but waits up to timeout_us for a frame (sleeping on the
 * interrupt with use_irq, else polling). 0 on timeout. */
int virtio_net_recv_wait(struct virtio_net *net, void *buf, uint32_t size,
			 struct virtio_net_rx_info *info, uint64_t timeout_us);

/* Re-reads status (STATUS; else the link counts as up), speed and duplex
 * (SPEED_DUPLEX; out-of-range values read as unknown). Returns the link
 * state; call it after a configuration change interrupt or now and then. */
bool virtio_net_update_link(struct virtio_net *net);

/* Control queue (VIRTIO_EUNSUPP when the feature is missing; VIRTIO_EIO
 * when the device answers VIRTIO_NET_ERR). */
int virtio_net_set_promisc(struct virtio_net *net, bool on);   /* CTRL_RX */
int virtio_net_set_allmulti(struct virtio_net *net, bool on);  /* CTRL_RX */
/* Unicast and multicast tables, n of 6 bytes each (CTRL_RX). */
int virtio_net_set_mac_filter(struct virtio_net *net, const uint8_t *uc,
			      uint32_t n_uc, const uint8_t *mc, uint32_t n_mc);
/* Changes the MAC (CTRL_MAC_ADDR; legacy devices: the config field). */
int virtio_net_set_mac(struct virtio_net *net, const uint8_t mac[6]);

/* Internet checksum helpers (ones' complement sum, folded). */
uint32_t virtio_net_csum_add(uint32_t sum, const void *data, uint32_t len);
uint16_t virtio_net_csum_fold(uint32_t sum);

#endif /* VIRTIO_DRIVERS_NET_H */
