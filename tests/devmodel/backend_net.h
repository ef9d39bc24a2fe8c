/*
 * virtio-net backend (VirtIO 1.2, 5.1): receiveq1 = queue 0 holds the
 * driver's buffers until the test delivers a frame; transmitq1 = queue 1
 * captures every frame (header and data apart); the control queue
 * (queue 2) logs commands and answers with `ack`.
 */
#ifndef VIRTIO_DEVMODEL_BACKEND_NET_H
#define VIRTIO_DEVMODEL_BACKEND_NET_H

#include "devmodel.h"

/* Feature bits (5.1.3). */
#define DM_NET_F_CSUM 0
#define DM_NET_F_GUEST_CSUM 1
#define DM_NET_F_MTU 3
#define DM_NET_F_MAC 5
#define DM_NET_F_GUEST_TSO4 7
#define DM_NET_F_MRG_RXBUF 15
#define DM_NET_F_STATUS 16
#define DM_NET_F_CTRL_VQ 17
#define DM_NET_F_CTRL_RX 18
#define DM_NET_F_CTRL_MAC_ADDR 23
#define DM_NET_F_MQ 22
#define DM_NET_F_HASH_REPORT 57
#define DM_NET_F_SPEED_DUPLEX 63

#define DM_NET_FRAMES 32u
#define DM_NET_FRAME_MAX 2048u

struct dm_net_tx {
	uint8_t hdr[12];
	uint8_t data[DM_NET_FRAME_MAX];
	uint32_t len;   /* data bytes */
	unsigned nseg;  /* descriptors of the chain */
};

struct dm_net_cmd {
	uint8_t class, cmd;
	uint8_t data[128];
	uint32_t len;
};

struct dm_net {
	struct dm_device *dev;
	struct dm_net_tx tx[DM_NET_FRAMES];
	unsigned ntx;
	struct dm_net_cmd cmd[16];
	unsigned ncmd;
	uint8_t ack;          /* answer to control commands (0 OK) */
	bool ctrl_stall;      /* never answer control commands */
	bool tx_stall;        /* hold transmit buffers */
	uint64_t bad_buffers; /* wrong direction buffers */
};

/* Sets device id 1, features (DM_BIT(DM_NET_F_*) | ring features), the
 * config (mac, status LINK_UP, mtu) and the backend. */
struct dm_net *dm_net_attach(struct dm_device *dev, uint64_t features,
			     const uint8_t mac[6], uint16_t mtu);
void dm_net_free(struct dm_net *n);

/* Header length the device uses with the negotiated features. */
uint32_t dm_net_hdr_len(const struct dm_net *n);
/* Sets the config status field (and raises a config interrupt). */
void dm_net_set_status(struct dm_net *n, uint16_t status);

/*
 * Delivers a frame into the oldest receive buffers: `hdr` (hdr_len bytes,
 * NULL = zeros) then the data, spread over as many buffers as needed
 * (MRG_RXBUF; each at most `per_buf` bytes if non-zero), with num_buffers
 * set when MRG_RXBUF was negotiated (unless `num_buffers` is non-zero:
 * then that value is written, for hostile tests). Returns the number of
 * buffers used, or -1 if there were not enough.
 */
int dm_net_deliver(struct dm_net *n, const void *hdr, const void *frame,
		   uint32_t len, uint32_t per_buf, uint16_t num_buffers);
/* Completes the oldest receive buffer with an explicit used length and
 * content (hostile tests). */
int dm_net_deliver_raw(struct dm_net *n, const void *bytes, uint32_t len,
		       uint32_t used);

#endif /* VIRTIO_DEVMODEL_BACKEND_NET_H */
