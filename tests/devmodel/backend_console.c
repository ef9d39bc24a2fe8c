/*
 * virtio-console backend (VirtIO 1.2, 5.3); see backend_console.h.
 * Multi-byte fields are little-endian: modern devices always, legacy ones
 * in guest order, which is little-endian on the hosts the tests run on.
 */
#include "backend_console.h"

#include <stdlib.h>
#include <string.h>

#define CONFIG_SIZE 12u
#define CTRL_RXQ 2u
#define CTRL_TXQ 3u

unsigned dm_console_rxq(unsigned port)
{
	return port == 0 ? 0 : 2 * port + 2;
}

/* Port of a data queue, or -1 for the control queues. */
static int port_of_queue(unsigned q)
{
	if (q < 2)
		return 0;
	if (q < 4)
		return -1;
	return (int)(q - 2) / 2;
}

static uint32_t gather(const struct dm_req *r, uint8_t *dst, uint32_t max)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < r->nseg; i++) {
		const struct dm_seg *s = &r->seg[i];
		uint32_t k = s->len;

		if (s->write)
			continue;
		if (k > max - n)
			k = max - n;
		memcpy(dst + n, s->ptr, k);
		n += k;
	}
	return n;
}

static uint32_t scatter(const struct dm_req *r, const uint8_t *src, uint32_t len)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < r->nseg && n < len; i++) {
		const struct dm_seg *s = &r->seg[i];
		uint32_t k = s->len;

		if (!s->write)
			continue;
		if (k > len - n)
			k = len - n;
		memcpy(s->ptr, src + n, k);
		n += k;
	}
	return n;
}

static uint32_t backend(struct dm_device *dev, unsigned q, struct dm_req *r,
			void *ctx)
{
	struct dm_console *c = ctx;
	int port = port_of_queue(q);

	(void)dev;
	if (q % 2 == 0) { /* receive queues: device-writable buffers only */
		if (r->readable)
			c->bad_buffers++;
		return DM_DEFER;
	}
	if (r->writable)
		c->bad_buffers++;
	if (q == CTRL_TXQ) {
		uint8_t m[8];

		if (gather(r, m, sizeof(m)) == sizeof(m) && c->nlog < DM_CON_LOG_MAX) {
			struct dm_con_msg *l = &c->log[c->nlog++];

			l->id = (uint32_t)m[0] | (uint32_t)m[1] << 8 |
				(uint32_t)m[2] << 16 | (uint32_t)m[3] << 24;
			l->event = (uint16_t)(m[4] | m[5] << 8);
			l->value = (uint16_t)(m[6] | m[7] << 8);
		}
		return 0;
	}
	if (c->tx_stall)
		return DM_DEFER;
	if (port >= 0 && port < DM_CON_PORTS) {
		uint32_t *n = &c->out_len[port];

		*n += gather(r, c->out[port] + *n, DM_CON_OUT_MAX - *n);
	}
	return 0;
}

struct dm_console *dm_console_attach(struct dm_device *dev, uint64_t features,
				     uint16_t cols, uint16_t rows,
				     uint32_t max_nr_ports)
{
	struct dm_console *c = calloc(1, sizeof(*c));
	uint8_t cfg[CONFIG_SIZE] = {
		(uint8_t)cols, (uint8_t)(cols >> 8), (uint8_t)rows, (uint8_t)(rows >> 8),
		(uint8_t)max_nr_ports, (uint8_t)(max_nr_ports >> 8),
		(uint8_t)(max_nr_ports >> 16), (uint8_t)(max_nr_ports >> 24),
	};

	c->dev = dev;
	dev->device_id = 3;
	dev->device_features = features | DM_BIT(DM_F_VERSION_1) |
			       DM_BIT(DM_F_INDIRECT_DESC) | DM_BIT(DM_F_EVENT_IDX);
	dev->config_len = CONFIG_SIZE;
	memcpy(dev->config, cfg, sizeof(cfg));
	dev->backend = backend;
	dev->backend_ctx = c;
	return c;
}

void dm_console_free(struct dm_console *c)
{
	free(c);
}

/* `as_written`: the used length is what fitted (QEMU cuts a message
 * that is longer than the buffer), else `used`. */
static int deliver(struct dm_device *dev, unsigned q, const void *data,
		   uint32_t len, uint32_t used, bool as_written)
{
	const struct dm_req *r;
	uint32_t n;

	dm_queue_process(dev, q); /* pick up buffers not seen yet */
	r = dm_queue_held_req(dev, q, 0);
	if (!r)
		return -1;
	n = scatter(r, data, len);
	return dm_queue_complete_len(dev, q, 0, as_written ? n : used);
}

int dm_console_input(struct dm_console *c, unsigned port, const void *data,
		     uint32_t len, uint32_t used)
{
	return deliver(c->dev, dm_console_rxq(port), data, len, used, false);
}

int dm_console_ctrl_raw(struct dm_console *c, const void *msg, uint32_t len,
			uint32_t used)
{
	return deliver(c->dev, CTRL_RXQ, msg, len, used, false);
}

int dm_console_ctrl(struct dm_console *c, uint32_t id, uint16_t event,
		    uint16_t value, const void *extra, uint32_t extra_len)
{
	uint8_t m[256] = {
		(uint8_t)id, (uint8_t)(id >> 8), (uint8_t)(id >> 16), (uint8_t)(id >> 24),
		(uint8_t)event, (uint8_t)(event >> 8), (uint8_t)value, (uint8_t)(value >> 8),
	};

	if (extra_len > sizeof(m) - 8)
		return -1;
	if (extra_len)
		memcpy(m + 8, extra, extra_len);
	return deliver(c->dev, CTRL_RXQ, m, 8 + extra_len, 0, true);
}

unsigned dm_console_count(const struct dm_console *c, uint16_t event, long id)
{
	unsigned n = 0;

	for (unsigned i = 0; i < c->nlog; i++)
		if (c->log[i].event == event && (id < 0 || c->log[i].id == (uint32_t)id))
			n++;
	return n;
}

const struct dm_con_msg *dm_console_last(const struct dm_console *c,
					 uint16_t event, uint32_t id)
{
	for (unsigned i = c->nlog; i--;)
		if (c->log[i].event == event && c->log[i].id == id)
			return &c->log[i];
	return NULL;
}
