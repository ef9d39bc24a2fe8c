/*
 * virtio-net backend (VirtIO 1.2, 5.1); see backend_net.h. Multi-byte
 * fields are little-endian (legacy: guest order, little-endian on the
 * test hosts).
 */
#include "backend_net.h"

#include <stdlib.h>
#include <string.h>

#define CONFIG_SIZE 24u

static uint32_t writable_len(const struct dm_req *r)
{
	return r->writable;
}

/* Copies `len` bytes to byte `off` of the request's writable part. */
static void put(const struct dm_req *r, uint32_t off, const void *src, uint32_t len)
{
	const uint8_t *s8 = src;
	uint32_t pos = 0;

	for (unsigned i = 0; i < r->nseg && len; i++) {
		const struct dm_seg *s = &r->seg[i];

		if (!s->write)
			continue;
		if (off < pos + s->len) {
			uint32_t from = off > pos ? off - pos : 0;
			uint32_t k = s->len - from;

			if (k > len)
				k = len;
			memcpy(s->ptr + from, s8, k);
			s8 += k;
			off += k;
			len -= k;
		}
		pos += s->len;
	}
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

uint32_t dm_net_hdr_len(const struct dm_net *n)
{
	const struct dm_device *d = n->dev;

	if (d->driver_features & DM_BIT(DM_NET_F_HASH_REPORT))
		return 20;
	if (d->version == 2 || (d->driver_features & DM_BIT(DM_NET_F_MRG_RXBUF)))
		return 12;
	return 10;
}

static uint32_t backend(struct dm_device *dev, unsigned q, struct dm_req *r,
			void *ctx)
{
	struct dm_net *n = ctx;
	uint8_t buf[12 + DM_NET_FRAME_MAX];
	uint32_t hl = dm_net_hdr_len(n), got;

	(void)dev;
	if (q == 0) {
		if (r->readable)
			n->bad_buffers++;
		return DM_DEFER;
	}
	if (q == 1) {
		if (r->writable)
			n->bad_buffers++;
		if (n->tx_stall)
			return DM_DEFER;
		got = gather(r, buf, sizeof(buf));
		if (n->ntx < DM_NET_FRAMES) {
			struct dm_net_tx *t = &n->tx[n->ntx++];

			memcpy(t->hdr, buf, got < hl ? got : hl);
			t->len = got > hl ? got - hl : 0;
			memcpy(t->data, buf + hl, t->len);
			t->nseg = r->nseg;
		}
		return 0;
	}
	/* control: class, cmd, data..., then one writable ack byte */
	if (n->ctrl_stall)
		return DM_DEFER;
	got = gather(r, buf, sizeof(buf));
	if (n->ncmd < 16 && got >= 2) {
		struct dm_net_cmd *c = &n->cmd[n->ncmd++];

		c->class = buf[0];
		c->cmd = buf[1];
		c->len = got - 2 < sizeof(c->data) ? got - 2 : sizeof(c->data);
		memcpy(c->data, buf + 2, c->len);
	}
	if (writable_len(r) < 1) {
		n->bad_buffers++;
		return 0;
	}
	put(r, 0, &n->ack, 1);
	return 1;
}

struct dm_net *dm_net_attach(struct dm_device *dev, uint64_t features,
			     const uint8_t mac[6], uint16_t mtu)
{
	struct dm_net *n = calloc(1, sizeof(*n));

	n->dev = dev;
	dev->device_id = 1;
	dev->device_features = features | DM_BIT(DM_F_VERSION_1) |
			       DM_BIT(DM_F_INDIRECT_DESC) | DM_BIT(DM_F_EVENT_IDX) |
			       DM_BIT(DM_F_ANY_LAYOUT);
	dev->config_len = CONFIG_SIZE;
	memset(dev->config, 0, CONFIG_SIZE);
	memcpy(dev->config, mac, 6);
	dev->config[6] = 1; /* LINK_UP */
	dev->config[10] = (uint8_t)mtu;
	dev->config[11] = (uint8_t)(mtu >> 8);
	dev->backend = backend;
	dev->backend_ctx = n;
	return n;
}

void dm_net_free(struct dm_net *n)
{
	free(n);
}

void dm_net_set_status(struct dm_net *n, uint16_t status)
{
	uint8_t v[2] = { (uint8_t)status, (uint8_t)(status >> 8) };

	dm_config_set(n->dev, 6, v, 2, true);
}

int dm_net_deliver(struct dm_net *n, const void *hdr, const void *frame,
		   uint32_t len, uint32_t per_buf, uint16_t num_buffers)
{
	struct dm_device *d = n->dev;
	bool mrg = d->driver_features & DM_BIT(DM_NET_F_MRG_RXBUF);
	uint32_t hl = dm_net_hdr_len(n), done = 0, nbuf = 0, total = hl + len;
	uint8_t h[20] = { 0 };
	const uint8_t *src = frame;

	dm_queue_process(d, 0);
	/* Count the buffers first (num_buffers goes into the first one). */
	for (uint32_t pos = 0; pos < total; nbuf++) {
		const struct dm_req *r = dm_queue_held_req(d, 0, nbuf);
		uint32_t cap;

		if (!r || (nbuf > 0 && !mrg))
			return -1;
		cap = writable_len(r);
		if (per_buf && cap > per_buf)
			cap = per_buf;
		pos += cap;
	}
	if (hdr)
		memcpy(h, hdr, hl);
	if (mrg || hl == 12) {
		uint16_t nb = num_buffers ? num_buffers : (uint16_t)(mrg ? nbuf : 1);

		h[10] = (uint8_t)nb;
		h[11] = (uint8_t)(nb >> 8);
	}
	for (uint32_t k = 0; k < nbuf; k++) {
		const struct dm_req *r = dm_queue_held_req(d, 0, 0);
		uint32_t cap = writable_len(r), used = 0;

		if (per_buf && cap > per_buf)
			cap = per_buf;
		if (k == 0) {
			put(r, 0, h, hl);
			used = hl;
		}
		uint32_t m = len - done < cap - used ? len - done : cap - used;
		put(r, used, src + done, m);
		done += m;
		used += m;
		dm_queue_complete_len(d, 0, 0, used);
	}
	return (int)nbuf;
}

int dm_net_deliver_raw(struct dm_net *n, const void *bytes, uint32_t len,
		       uint32_t used)
{
	const struct dm_req *r;

	dm_queue_process(n->dev, 0);
	r = dm_queue_held_req(n->dev, 0, 0);
	if (!r)
		return -1;
	put(r, 0, bytes, len);
	return dm_queue_complete_len(n->dev, 0, 0, used);
}
