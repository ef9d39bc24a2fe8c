/*
 * virtio-console driver (spec 5.3), polled. Queue layout (5.3.2): port 0
 * receive/transmit are queues 0/1, the control queues 2/3, port n > 0
 * uses 2n + 2 / 2n + 3. Every port we serve gets its queues at init
 * (before DRIVER_OK, spec 3.1.1), whether or not the device adds it.
 */
#include <virtio/drivers/console.h>
#include <virtio/interrupt.h>

#include <virtio/transport.h>

#define CTRL_HDR ((uint32_t)sizeof(struct virtio_console_control))
/* Control message with room for a name (or a resize) after it. */
#define CTRL_BUF_SIZE ((CTRL_HDR + VIRTIO_CONSOLE_NAME_MAX + 1u + 7u) & ~7u)
#define PORT_QUEUE_SIZE 8u
#define CTRL_QUEUE_SIZE 16u

_Static_assert(VIRTIO_CONSOLE_MAX_PORTS >= 1 && VIRTIO_CONSOLE_MAX_PORTS < 0x7fff,
	       "VIRTIO_CONSOLE_MAX_PORTS out of range");
_Static_assert(VIRTIO_CONSOLE_RX_BUFS >= 1 && VIRTIO_CONSOLE_RX_BUFS <= PORT_QUEUE_SIZE,
	       "VIRTIO_CONSOLE_RX_BUFS must fit the port queue");
_Static_assert(VIRTIO_CONSOLE_CTRL_BUFS >= 1 && VIRTIO_CONSOLE_CTRL_BUFS <= CTRL_QUEUE_SIZE,
	       "VIRTIO_CONSOLE_CTRL_BUFS must fit the control queue");

static void copy(void *dst, const void *src, uint32_t n)
{
	uint8_t *d = dst;
	const volatile uint8_t *s = src; /* device memory: read each byte once */

	while (n--)
		*d++ = *s++;
}

static uint16_t rx_queue(uint32_t port)
{
	return (uint16_t)(port == 0 ? 0 : 2 * port + 2);
}

static void free_dma(uint8_t **p, size_t size)
{
	if (*p)
		virtio_port_dma_free(*p, size);
	*p = NULL;
}

static void clear(struct virtio_console *con)
{
	uint8_t *b = (uint8_t *)con;

	for (size_t i = 0; i < sizeof(*con); i++)
		b[i] = 0;
}

void virtio_console_destroy(struct virtio_console *con)
{
	bool live = con->c_rx.mem || con->c_tx.mem;

	for (unsigned i = 0; i < VIRTIO_CONSOLE_MAX_PORTS; i++)
		live = live || con->port[i].rx.mem || con->port[i].tx.mem;
	if (live && con->dev)
		virtio_reset(con->dev); /* stop all DMA before freeing */
	/* Free in reverse order of allocation (bump allocators like it). */
	for (unsigned i = VIRTIO_CONSOLE_MAX_PORTS; i--;) {
		struct virtio_console_port *p = &con->port[i];

		virtqueue_destroy(&p->tx);
		virtqueue_destroy(&p->rx);
		free_dma(&p->txbuf, VIRTIO_CONSOLE_BUF_SIZE);
		free_dma(&p->rxbuf, VIRTIO_CONSOLE_RX_BUFS * VIRTIO_CONSOLE_BUF_SIZE);
		p->present = false;
	}
	virtqueue_destroy(&con->c_tx);
	virtqueue_destroy(&con->c_rx);
	free_dma(&con->ctrl_tx, CTRL_BUF_SIZE);
	free_dma(&con->ctrl_rx, VIRTIO_CONSOLE_CTRL_BUFS * CTRL_BUF_SIZE);
}

static int fail(struct virtio_console *con, int err)
{
	virtio_fail(con->dev);
	virtio_console_destroy(con);
	return err;
}

static int give(struct virtqueue *vq, uint8_t *buf, uint32_t len)
{
	struct virtio_buf b = { buf, len };

	return virtqueue_add(vq, &b, 0, 1, buf);
}

static int port_setup(struct virtio_console *con, uint32_t id)
{
	struct virtio_console_port *p = &con->port[id];
	uint16_t q = rx_queue(id);
	int err;

	p->rxbuf = virtio_port_dma_alloc(VIRTIO_CONSOLE_RX_BUFS * VIRTIO_CONSOLE_BUF_SIZE, 16);
	p->txbuf = virtio_port_dma_alloc(VIRTIO_CONSOLE_BUF_SIZE, 16);
	if (!p->rxbuf || !p->txbuf)
		return VIRTIO_ENOMEM;
	err = virtqueue_setup(con->dev, &p->rx, q, PORT_QUEUE_SIZE);
	if (!err)
		err = virtqueue_setup(con->dev, &p->tx, (uint16_t)(q + 1), PORT_QUEUE_SIZE);
	if (err)
		return err;
	virtqueue_disable_cb(&p->rx);
	virtqueue_disable_cb(&p->tx);
	for (unsigned i = 0; i < VIRTIO_CONSOLE_RX_BUFS && !err; i++)
		err = give(&p->rx, p->rxbuf + i * VIRTIO_CONSOLE_BUF_SIZE,
			   VIRTIO_CONSOLE_BUF_SIZE);
	return err; /* kicked after DRIVER_OK (3.1.1) */
}

static int ctrl_setup(struct virtio_console *con)
{
	int err;

	con->ctrl_rx = virtio_port_dma_alloc(VIRTIO_CONSOLE_CTRL_BUFS * CTRL_BUF_SIZE, 16);
	con->ctrl_tx = virtio_port_dma_alloc(CTRL_BUF_SIZE, 16);
	if (!con->ctrl_rx || !con->ctrl_tx)
		return VIRTIO_ENOMEM;
	err = virtqueue_setup(con->dev, &con->c_rx, 2, CTRL_QUEUE_SIZE);
	if (!err)
		err = virtqueue_setup(con->dev, &con->c_tx, 3, CTRL_QUEUE_SIZE);
	if (err)
		return err;
	virtqueue_disable_cb(&con->c_rx);
	virtqueue_disable_cb(&con->c_tx);
	for (unsigned i = 0; i < VIRTIO_CONSOLE_CTRL_BUFS && !err; i++)
		err = give(&con->c_rx, con->ctrl_rx + i * CTRL_BUF_SIZE, CTRL_BUF_SIZE);
	return err;
}

/* One step of a bounded wait: false once timeout_us since start passed;
 * otherwise sleeps until the next interrupt (with use_irq; *seen taken
 * before the caller last looked at the queue) or returns at once. */
static bool wait_more(struct virtio_console *con, uint32_t *seen, uint64_t start,
		      uint64_t timeout_us)
{
	uint64_t spent = virtio_port_time_us() - start;

	if (spent > timeout_us)
		return false;
	if (con->irq)
		(void)virtio_irq_wait(con->irq, seen, timeout_us - spent);
	return true;
}

/* Sends one buffer on a transmit queue and waits until it is used. The
 * used length is ignored: the device writes nothing (legacy devices are
 * known to put the buffer length there, 5.3.6.3). */
static int send(struct virtio_console *con, struct virtqueue *vq, uint8_t *buf,
		uint32_t len)
{
	struct virtio_buf b = { buf, len };
	uint64_t start;
	void *token;
	uint32_t used, seen = con->irq ? virtio_irq_events(con->irq) : 0;
	int r = virtqueue_add(vq, &b, 1, 0, buf);

	if (r)
		return r;
	virtqueue_kick(vq);
	start = virtio_port_time_us();
	while ((r = virtqueue_get(vq, &token, &used)) == 0)
		if (!wait_more(con, &seen, start, VIRTIO_CONSOLE_TIMEOUT_US))
			return VIRTIO_ETIMEDOUT;
	if (r < 0)
		return r;
	return token == buf ? VIRTIO_OK : VIRTIO_EUSEDNOTINFLIGHT;
}

static int ctrl_send(struct virtio_console *con, uint32_t id, uint16_t event,
		     uint16_t value)
{
	struct virtio_console_control *m = (void *)con->ctrl_tx;
	int r;

	if (!con->multiport || !con->c_tx.mem)
		return VIRTIO_EINVAL;
	/* A message that timed out may still be in flight: the buffer is
	 * reused only once the device gave it back. */
	if (virtqueue_in_flight(&con->c_tx)) {
		void *token;
		uint32_t len;

		r = virtqueue_get(&con->c_tx, &token, &len);
		if (r <= 0)
			return r ? r : VIRTIO_ETIMEDOUT;
	}
	m->id = virtio32(con->dev, id);
	m->event = virtio16(con->dev, event);
	m->value = virtio16(con->dev, value);
	return send(con, &con->c_tx, con->ctrl_tx, CTRL_HDR);
}

int virtio_console_init(struct virtio_console *con, struct virtio_device *dev,
			uint32_t max_ports)
{
	uint64_t wanted = (1ull << VIRTIO_CONSOLE_F_SIZE) |
			  (1ull << VIRTIO_CONSOLE_F_EMERG_WRITE) |
			  VIRTIO_RUNTIME_FEATURES;
	int err;

	clear(con);
	con->dev = dev;
	if (dev->device_id != VIRTIO_ID_CONSOLE)
		return VIRTIO_EINVAL;
	if (max_ports > VIRTIO_CONSOLE_MAX_PORTS)
		max_ports = VIRTIO_CONSOLE_MAX_PORTS;
	if (max_ports > 1)
		wanted |= 1ull << VIRTIO_CONSOLE_F_MULTIPORT;
	err = virtio_negotiate(dev, wanted);
	if (err)
		return err;
	con->multiport = virtio_has_feature(dev, VIRTIO_CONSOLE_F_MULTIPORT);
	con->emerg = virtio_has_feature(dev, VIRTIO_CONSOLE_F_EMERG_WRITE);
	con->max_nr_ports = 1;
	con->nr_ports = 1;
	if (con->multiport) {
		/* Port ids are below max_nr_ports; a device with none lies. */
		con->max_nr_ports = virtio_console_config_max_nr_ports(dev);
		if (con->max_nr_ports == 0)
			return fail(con, VIRTIO_ECONFIG);
		con->nr_ports = con->max_nr_ports < max_ports ? con->max_nr_ports
							     : max_ports;
	}
	err = port_setup(con, 0);
	if (!err && con->multiport)
		err = ctrl_setup(con);
	for (uint32_t i = 1; i < con->nr_ports && !err; i++)
		err = port_setup(con, i);
	if (err)
		return fail(con, err);
	err = virtio_driver_ok(dev);
	if (err)
		return fail(con, err);
	/* No notification before DRIVER_OK (3.1.1): the buffers go now. */
	for (uint32_t i = 0; i < con->nr_ports; i++)
		virtqueue_kick(&con->port[i].rx);
	if (con->multiport)
		virtqueue_kick(&con->c_rx);
	if (!con->multiport) {
		/* Port 0 alone: no control messages, it simply exists. */
		con->port[0].present = true;
		con->port[0].console = true;
		con->port[0].host_open = true;
		con->port[0].guest_open = true;
		return VIRTIO_OK;
	}
	err = ctrl_send(con, 0, VIRTIO_CONSOLE_DEVICE_READY, 1);
	if (err)
		return fail(con, err);
	con->ready_sent = true;
	return VIRTIO_OK;
}

/* Tells the device our side of a port is open or closed. A device may
 * hold input back until the port opens without looking again by itself
 * (QEMU does): a notification of the receive queue, spurious but
 * allowed, makes it look at the buffers already there. */
static int guest_open(struct virtio_console *con, uint32_t id, bool open)
{
	int r = ctrl_send(con, id, VIRTIO_CONSOLE_PORT_OPEN, open ? 1 : 0);

	if (r)
		return r;
	con->port[id].guest_open = open;
	if (open)
		virtqueue_notify(&con->port[id].rx);
	return VIRTIO_OK;
}

/* Gives back a control buffer; the device drops messages when it has none. */
static int ctrl_refill(struct virtio_console *con, uint8_t *buf)
{
	int r = give(&con->c_rx, buf, CTRL_BUF_SIZE);

	virtqueue_kick(&con->c_rx);
	return r;
}

static void drop_pending(struct virtio_console_port *p)
{
	if (p->pending) {
		give(&p->rx, p->pending, VIRTIO_CONSOLE_BUF_SIZE);
		virtqueue_kick(&p->rx);
	}
	p->pending = NULL;
}

static void set_name(struct virtio_console_port *p, const uint8_t *s, uint32_t n)
{
	uint32_t k = 0;

	if (n > VIRTIO_CONSOLE_NAME_MAX)
		n = VIRTIO_CONSOLE_NAME_MAX;
	/* Printable ASCII kept as is; anything else (UTF-8, controls) as '?'
	 * so a name is always a safe C string. */
	for (; k < n && s[k]; k++)
		p->name[k] = s[k] >= 0x20 && s[k] < 0x7f ? (char)s[k] : '?';
	p->name[k] = '\0';
}

/*
 * One control message of `len` bytes, already copied out of device
 * memory. Returns 0 (also for a dropped message) or a queue error from a
 * reply.
 */
static int ctrl_handle(struct virtio_console *con, const uint8_t *msg, uint32_t len)
{
	const struct virtio_console_control *m = (const void *)msg;
	struct virtio_device *dev = con->dev;
	uint32_t id;
	uint16_t event, value;
	struct virtio_console_port *p;

	if (len < CTRL_HDR) {
		con->bad_ctrl++;
		return 0;
	}
	id = virtio32(dev, m->id);
	event = virtio16(dev, m->event);
	value = virtio16(dev, m->value);
	/* Ids at or above max_nr_ports break 5.3.6.2.1 (and would index past
	 * our array); device-to-driver events only. */
	if (id >= con->max_nr_ports || event == VIRTIO_CONSOLE_DEVICE_READY ||
	    event == VIRTIO_CONSOLE_PORT_READY || event > VIRTIO_CONSOLE_PORT_NAME) {
		con->bad_ctrl++;
		return 0;
	}
	if (id >= con->nr_ports) {
		/* A real port, but more than the platform gave us room for. */
		if (event == VIRTIO_CONSOLE_PORT_ADD)
			return ctrl_send(con, id, VIRTIO_CONSOLE_PORT_READY, 0);
		return 0;
	}
	p = &con->port[id];
	if (event == VIRTIO_CONSOLE_PORT_ADD) {
		if (p->present) {
			con->bad_ctrl++; /* added twice */
			return 0;
		}
		p->present = true;
		p->console = p->host_open = p->guest_open = false;
		p->cols = p->rows = 0;
		p->name[0] = '\0';
		return ctrl_send(con, id, VIRTIO_CONSOLE_PORT_READY, 1);
	}
	if (!p->present) {
		/* Removing a port never added breaks 5.3.6.2.1. Other events
		 * for an absent port are only late (QEMU closes a port after
		 * removing it): dropped, not held against the device. */
		if (event == VIRTIO_CONSOLE_PORT_REMOVE)
			con->bad_ctrl++;
		else
			con->ctrl_ignored++;
		return 0;
	}
	switch (event) {
	case VIRTIO_CONSOLE_PORT_REMOVE:
		p->present = p->console = p->host_open = p->guest_open = false;
		p->name[0] = '\0';
		drop_pending(p);
		return 0;
	case VIRTIO_CONSOLE_CONSOLE_PORT:
		/* 5.3.6.2.2: answer with PORT_OPEN 1. */
		p->console = true;
		return guest_open(con, id, true);
	case VIRTIO_CONSOLE_RESIZE: {
		const struct virtio_console_resize *rs = (const void *)(msg + CTRL_HDR);

		if (len < CTRL_HDR + sizeof(*rs)) {
			con->bad_ctrl++;
			return 0;
		}
		p->cols = virtio16(dev, rs->cols);
		p->rows = virtio16(dev, rs->rows);
		return 0;
	}
	case VIRTIO_CONSOLE_PORT_OPEN:
		if (value > 1) {
			con->bad_ctrl++;
			return 0;
		}
		p->host_open = value == 1;
		return 0;
	default: /* VIRTIO_CONSOLE_PORT_NAME */
		set_name(p, msg + CTRL_HDR, len - CTRL_HDR);
		return 0;
	}
}

int virtio_console_poll(struct virtio_console *con)
{
	_Alignas(8) uint8_t msg[CTRL_BUF_SIZE]; /* fields read in place */
	int n = 0, r;
	void *token;
	uint32_t len;

	if (!con->multiport)
		return 0;
	if (!con->c_rx.mem)
		return VIRTIO_EBROKEN;
	while ((r = virtqueue_get(&con->c_rx, &token, &len)) == 1) {
		uint8_t *buf = token;
		uintptr_t off = (uintptr_t)buf - (uintptr_t)con->ctrl_rx;

		/* The queue checked len against the buffer; the token must
		 * still be one of ours before we read through it. */
		if ((uintptr_t)buf < (uintptr_t)con->ctrl_rx ||
		    off >= VIRTIO_CONSOLE_CTRL_BUFS * CTRL_BUF_SIZE ||
		    off % CTRL_BUF_SIZE)
			return VIRTIO_EUSEDNOTINFLIGHT;
		copy(msg, buf, len);
		con->ctrl_seen++;
		n++;
		/* Give the buffer back before answering: the answer may make
		 * the device send more messages at once. */
		r = ctrl_refill(con, buf);
		if (!r)
			r = ctrl_handle(con, msg, len);
		if (r)
			return r;
	}
	return r < 0 ? r : n;
}

static struct virtio_console_port *port_of(struct virtio_console *con, uint32_t port)
{
	if (port >= con->nr_ports || !con->port[port].present)
		return NULL;
	return &con->port[port];
}

int virtio_console_read(struct virtio_console *con, uint32_t port, void *buf,
			uint32_t len)
{
	struct virtio_console_port *p = port_of(con, port);
	uint8_t *out = buf;
	uint32_t done = 0;

	if (!p)
		return VIRTIO_EINVAL;
	if (len > INT32_MAX)
		len = INT32_MAX;
	while (done < len) {
		uint32_t n;

		if (!p->pending) {
			void *token;
			uint32_t used;
			uintptr_t off;
			int r = virtqueue_get(&p->rx, &token, &used);

			if (r < 0)
				return r;
			if (r == 0)
				break;
			off = (uintptr_t)token - (uintptr_t)p->rxbuf;
			if ((uintptr_t)token < (uintptr_t)p->rxbuf ||
			    off >= VIRTIO_CONSOLE_RX_BUFS * VIRTIO_CONSOLE_BUF_SIZE ||
			    off % VIRTIO_CONSOLE_BUF_SIZE)
				return VIRTIO_EUSEDNOTINFLIGHT;
			p->pending = token;
			p->pending_len = used; /* <= BUF_SIZE: checked by the queue */
			p->pending_off = 0;
		}
		n = p->pending_len - p->pending_off;
		if (n > len - done)
			n = len - done;
		copy(out + done, p->pending + p->pending_off, n);
		done += n;
		p->pending_off += n;
		if (p->pending_off == p->pending_len) {
			int r = give(&p->rx, p->pending, VIRTIO_CONSOLE_BUF_SIZE);

			p->pending = NULL;
			virtqueue_kick(&p->rx);
			if (r)
				return r;
		}
	}
	return (int)done;
}

int virtio_console_write(struct virtio_console *con, uint32_t port,
			 const void *buf, uint32_t len)
{
	struct virtio_console_port *p = port_of(con, port);
	const uint8_t *in = buf;
	uint32_t done = 0;

	if (!p || len > INT32_MAX)
		return VIRTIO_EINVAL;
	while (done < len) {
		uint32_t n = len - done;
		int r;

		if (n > VIRTIO_CONSOLE_BUF_SIZE)
			n = VIRTIO_CONSOLE_BUF_SIZE;
		/* The staging buffer is free only when nothing is in flight
		 * (an earlier write may have timed out). */
		if (virtqueue_in_flight(&p->tx)) {
			void *token;
			uint32_t used;

			r = virtqueue_get(&p->tx, &token, &used);
			if (r <= 0)
				return r ? r : VIRTIO_ETIMEDOUT;
		}
		copy(p->txbuf, in + done, n);
		r = send(con, &p->tx, p->txbuf, n);
		if (r)
			return r;
		done += n;
	}
	return (int)done;
}

int virtio_console_use_irq(struct virtio_console *con, struct virtio_irq *irq)
{
	int r = 0;

	if (!irq || irq->dev != con->dev)
		return VIRTIO_EINVAL;
	/* Wake-only registrations: the task takes the buffers itself. */
	for (uint32_t i = 0; i < con->nr_ports && !r; i++) {
		if (!con->port[i].rx.mem)
			continue; /* no queues for this port */
		r = virtio_irq_on_queue(irq, &con->port[i].rx, NULL, NULL);
		if (!r)
			r = virtio_irq_on_queue(irq, &con->port[i].tx, NULL, NULL);
	}
	if (!r && con->multiport)
		r = virtio_irq_on_queue(irq, &con->c_rx, NULL, NULL);
	if (!r && con->multiport)
		r = virtio_irq_on_queue(irq, &con->c_tx, NULL, NULL);
	if (!r)
		con->irq = irq;
	return r;
}

int virtio_console_read_wait(struct virtio_console *con, uint32_t port,
			     void *buf, uint32_t len, uint64_t timeout_us)
{
	uint32_t seen = con->irq ? virtio_irq_events(con->irq) : 0;
	uint64_t start = virtio_port_time_us();
	int r;

	while ((r = virtio_console_read(con, port, buf, len)) == 0 && len)
		if (!wait_more(con, &seen, start, timeout_us))
			break;
	return r;
}

int virtio_console_open(struct virtio_console *con, uint32_t port, bool open)
{
	struct virtio_console_port *p = port_of(con, port);

	if (!p || !con->multiport)
		return VIRTIO_EINVAL;
	return guest_open(con, port, open);
}

int virtio_console_find(const struct virtio_console *con, const char *name)
{
	for (uint32_t i = 0; i < con->nr_ports; i++) {
		const char *a = con->port[i].name, *b = name;

		if (!con->port[i].present || !a[0])
			continue;
		while (*a && *a == *b)
			a++, b++;
		if (*a == *b)
			return (int)i;
	}
	return -1;
}

bool virtio_console_size(struct virtio_console *con, uint32_t port,
			 uint16_t *cols, uint16_t *rows)
{
	struct virtio_console_port *p = port_of(con, port);

	if (!p)
		return false;
	if (p->cols || p->rows) {
		*cols = p->cols;
		*rows = p->rows;
		return true;
	}
	/* The config size applies to port 0 only (5.3.6). */
	if (port == 0 && virtio_has_feature(con->dev, VIRTIO_CONSOLE_F_SIZE)) {
		/* Not the whole-config snapshot: emerg_wr is write-only. */
		for (unsigned i = 0; i < VIRTIO_CONFIG_RETRIES; i++) {
			uint32_t gen = virtio_config_generation(con->dev);

			*cols = virtio_console_config_cols(con->dev);
			*rows = virtio_console_config_rows(con->dev);
			if (gen == virtio_config_generation(con->dev))
				return *cols || *rows;
		}
	}
	return false;
}

int virtio_console_emerg_write(struct virtio_device *dev, const void *buf,
			       uint32_t len)
{
	const uint8_t *s = buf;

	if (!dev->ops || dev->device_id != VIRTIO_ID_CONSOLE)
		return VIRTIO_EINVAL;
	/* Usable before negotiation (5.3.5): ask the device what it offers. */
	if (!((dev->features | dev->ops->get_features(dev)) &
	      (1ull << VIRTIO_CONSOLE_F_EMERG_WRITE)))
		return VIRTIO_EUNSUPP;
	for (uint32_t i = 0; i < len; i++)
		virtio_console_config_set_emerg_wr(dev, s[i]);
	return VIRTIO_OK;
}
