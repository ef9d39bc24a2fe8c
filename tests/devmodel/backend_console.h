/*
 * virtio-console backend (VirtIO 1.2, 5.3): port 0 alone or, with
 * MULTIPORT, ports 0..max_nr_ports-1 plus the control queues. Receive
 * queues hold the driver's buffers until the test sends input or a control
 * message; transmit queues capture what the driver wrote, per port; the
 * control transmit queue logs every message.
 *
 * Queue layout as the spec: port 0 = queues 0/1, control = 2/3, port n =
 * 2n+2 / 2n+3, so the model (DM_MAX_QUEUES queues) serves up to 3 ports.
 */
#ifndef VIRTIO_DEVMODEL_BACKEND_CONSOLE_H
#define VIRTIO_DEVMODEL_BACKEND_CONSOLE_H

#include "devmodel.h"

#define DM_CON_F_SIZE 0
#define DM_CON_F_MULTIPORT 1
#define DM_CON_F_EMERG_WRITE 2
#define DM_CON_PORTS 3
#define DM_CON_OUT_MAX 4096u
#define DM_CON_LOG_MAX 64u

/* Control events (5.3.6.2). */
enum {
	DM_CON_DEVICE_READY, DM_CON_PORT_ADD, DM_CON_PORT_REMOVE, DM_CON_PORT_READY,
	DM_CON_CONSOLE_PORT, DM_CON_RESIZE, DM_CON_PORT_OPEN, DM_CON_PORT_NAME,
};

struct dm_con_msg {
	uint32_t id;
	uint16_t event, value;
};

struct dm_console {
	struct dm_device *dev;
	uint8_t out[DM_CON_PORTS][DM_CON_OUT_MAX]; /* what each port sent */
	uint32_t out_len[DM_CON_PORTS];
	struct dm_con_msg log[DM_CON_LOG_MAX];     /* driver's control messages */
	unsigned nlog;
	bool tx_stall;          /* hold transmit buffers (never used) */
	uint64_t bad_buffers;   /* wrong direction buffers (5.3.6.1) */
};

/* Sets device id 3, features (DM_BIT(DM_CON_F_*) | ring features) and the
 * config (cols, rows, max_nr_ports). The device must have been created
 * with enough queues. */
struct dm_console *dm_console_attach(struct dm_device *dev, uint64_t features,
				     uint16_t cols, uint16_t rows,
				     uint32_t max_nr_ports);
void dm_console_free(struct dm_console *c);

/* Queue index of port's receive queue. */
unsigned dm_console_rxq(unsigned port);
/* Puts `len` bytes into the oldest receive buffer of a port and
 * completes it with used length `used` (normally len). Returns 0, or -1
 * when the driver has no buffer there. */
int dm_console_input(struct dm_console *c, unsigned port, const void *data,
		     uint32_t len, uint32_t used);
/* Sends a control message (+ extra bytes: a name or a resize), cut to
 * the buffer's size as QEMU does. */
int dm_console_ctrl(struct dm_console *c, uint32_t id, uint16_t event,
		    uint16_t value, const void *extra, uint32_t extra_len);
/* Sends raw bytes as a control message with used length `used`. */
int dm_console_ctrl_raw(struct dm_console *c, const void *msg, uint32_t len,
			uint32_t used);
/* Number of logged driver messages with this event (and id, if id >= 0). */
unsigned dm_console_count(const struct dm_console *c, uint16_t event, long id);
/* The last logged message with this event and id, or NULL. */
const struct dm_con_msg *dm_console_last(const struct dm_console *c,
					 uint16_t event, uint32_t id);

#endif /* VIRTIO_DEVMODEL_BACKEND_CONSOLE_H */
