/*
 * virtio-console driver (spec 5.3): port 0 alone, or with
 * VIRTIO_CONSOLE_F_MULTIPORT up to VIRTIO_CONSOLE_MAX_PORTS ports driven
 * through the control queues. Polled unless virtio_console_use_irq() was
 * called: call virtio_console_poll() to take control messages (port
 * hot-plug, names, open/close, resize); virtio_console_read never blocks,
 * virtio_console_read_wait and writes wait (bounded) for the device,
 * sleeping on its interrupt when one is attached.
 *
 * The device is untrusted: port ids, control message lengths, names,
 * used lengths and max_nr_ports are checked; a control message that breaks
 * a rule is dropped and counted in bad_ctrl.
 */
#ifndef VIRTIO_DRIVERS_CONSOLE_H
#define VIRTIO_DRIVERS_CONSOLE_H

#include <virtio/virtqueue.h>

/* Ports the platform provides room for (queues, buffers); a device that
 * offers more gets PORT_READY with value 0 for the ports above. */
#ifndef VIRTIO_CONSOLE_MAX_PORTS
#define VIRTIO_CONSOLE_MAX_PORTS 4u /* ports served at most */
#endif
/* Receive buffers per port and their size. */
#ifndef VIRTIO_CONSOLE_RX_BUFS
#define VIRTIO_CONSOLE_RX_BUFS 4u /* receive buffers per port */
#endif
#ifndef VIRTIO_CONSOLE_BUF_SIZE
#define VIRTIO_CONSOLE_BUF_SIZE 128u /* bytes per receive or transmit buffer */
#endif
/* Longest port name kept (longer names are cut). */
#ifndef VIRTIO_CONSOLE_NAME_MAX
#define VIRTIO_CONSOLE_NAME_MAX 63u /* longest port name kept */
#endif
/* Control receive buffers: the device drops control messages when it
 * finds none, and sends several per port at once. */
#ifndef VIRTIO_CONSOLE_CTRL_BUFS
#define VIRTIO_CONSOLE_CTRL_BUFS 16u /* control receive buffers */
#endif
/* How long a write or a control message may wait for the device. */
#ifndef VIRTIO_CONSOLE_TIMEOUT_US
#define VIRTIO_CONSOLE_TIMEOUT_US 2000000u /* write or control message timeout (us) */
#endif

struct virtio_console_port {
	struct virtqueue rx, tx;
	uint8_t *rxbuf;    /* VIRTIO_CONSOLE_RX_BUFS * BUF_SIZE, device-writable */
	uint8_t *txbuf;    /* BUF_SIZE, device-readable staging */
	uint8_t *pending;  /* a received buffer not fully read yet, or NULL */
	uint32_t pending_len, pending_off;
	bool present;      /* added by the device (always true for port 0 alone) */
	bool console;      /* device nominated it a console port */
	bool host_open;    /* device side is open (PORT_OPEN from the device) */
	bool guest_open;   /* we sent PORT_OPEN 1 */
	uint16_t cols, rows; /* from RESIZE, 0 if never sent */
	char name[VIRTIO_CONSOLE_NAME_MAX + 1]; /* "" if none */
};

struct virtio_irq; /* <virtio/interrupt.h> */

struct virtio_console {
	struct virtio_device *dev;
	struct virtio_irq *irq; /* NULL: waits poll (use_irq sets it) */
	bool multiport;
	bool emerg;           /* EMERG_WRITE negotiated */
	bool ready_sent;      /* DEVICE_READY went out */
	uint32_t nr_ports;    /* ports we serve: min(max_nr_ports, bound) */
	uint32_t max_nr_ports; /* what the device said (1 without MULTIPORT) */
	uint32_t bad_ctrl;    /* control messages dropped as invalid */
	uint32_t ctrl_ignored; /* valid but for a port we do not have: dropped */
	uint32_t ctrl_seen;   /* control messages taken */
	struct virtqueue c_rx, c_tx;
	uint8_t *ctrl_rx;     /* CTRL_BUFS receive buffers */
	uint8_t *ctrl_tx;     /* one outgoing message */
	struct virtio_console_port port[VIRTIO_CONSOLE_MAX_PORTS];
};

/*
 * Negotiates SIZE and EMERG_WRITE, and MULTIPORT when `max_ports` > 1
 * (the most ports the caller wants, capped at VIRTIO_CONSOLE_MAX_PORTS),
 * sets up the queues of every port we serve, fills the receive queues,
 * sets DRIVER_OK and, with MULTIPORT, sends DEVICE_READY.
 * Returns 0 or an error (the device is then marked FAILED).
 */
int virtio_console_init(struct virtio_console *con, struct virtio_device *dev,
			uint32_t max_ports);
/* Resets the device and frees the queues. */
void virtio_console_destroy(struct virtio_console *con);

/* Takes every pending control message (MULTIPORT). Returns how many were
 * taken (valid or not), or a queue error. */
int virtio_console_poll(struct virtio_console *con);

/* Copies up to `len` received bytes of `port` into buf. Returns the count
 * (0: nothing there), VIRTIO_EINVAL for a port we do not have, or a queue
 * error. */
int virtio_console_read(struct virtio_console *con, uint32_t port, void *buf,
			uint32_t len);
/* Sends `len` bytes on `port`, waiting until the device used them. Returns
 * `len`, VIRTIO_EINVAL, VIRTIO_ETIMEDOUT or a queue error. */
int virtio_console_write(struct virtio_console *con, uint32_t port,
			 const void *buf, uint32_t len);
/*
 * Interrupt-driven waits (opt-in): registers every queue of the console
 * with `irq` (a virtio_irq_init'ed for con->dev, attached afterwards or
 * already) so writes and read_wait sleep on the device's interrupt
 * instead of spinning. Call after init. Returns 0 or the first
 * virtio_irq_on_queue error. A configuration change (port 0 resized)
 * reaches the caller through virtio_irq_on_config; read the new size
 * with virtio_console_size().
 */
int virtio_console_use_irq(struct virtio_console *con, struct virtio_irq *irq);
/* Like read, but waits up to timeout_us for the first byte (sleeping on
 * the interrupt with use_irq, else polling). 0 on timeout. */
int virtio_console_read_wait(struct virtio_console *con, uint32_t port,
			     void *buf, uint32_t len, uint64_t timeout_us);

/* Tells the device our side of `port` is open (1) or closed (0);
 * MULTIPORT only (single-port devices treat port 0 as open). */
int virtio_console_open(struct virtio_console *con, uint32_t port, bool open);
/* The port with this name, or -1. */
int virtio_console_find(const struct virtio_console *con, const char *name);

/* Console size of `port` (RESIZE, or the config with SIZE for port 0);
 * false if the device never told. */
bool virtio_console_size(struct virtio_console *con, uint32_t port,
			 uint16_t *cols, uint16_t *rows);

/*
 * Emergency write (spec 5.3.5): outputs bytes through the emerg_wr
 * config field, without queues, before or after init. VIRTIO_EUNSUPP if
 * the device does not offer EMERG_WRITE. `dev` only needs a probe.
 */
int virtio_console_emerg_write(struct virtio_device *dev, const void *buf,
			       uint32_t len);

#endif /* VIRTIO_DRIVERS_CONSOLE_H */
