/*
 * virtio-input backend (VirtIO 1.2, 5.8), see backend_input.h. The
 * configuration is recomputed before every config read from the
 * select/subsel bytes the driver wrote, as a device does.
 */
#include "backend_input.h"

#include <stdlib.h>
#include <string.h>

#define CFG_SELECT 0
#define CFG_SUBSEL 1
#define CFG_SIZE 2
#define CFG_U 8
#define CFG_LEN 136
#define U_MAX 128

/* select values (5.8.4) */
#define SEL_ID_NAME 0x01
#define SEL_ID_SERIAL 0x02
#define SEL_ID_DEVIDS 0x03
#define SEL_PROP_BITS 0x10
#define SEL_EV_BITS 0x11
#define SEL_ABS_INFO 0x12

static void set_bit(uint8_t *bits, unsigned *len, unsigned code)
{
	bits[code / 8] |= (uint8_t)(1u << (code % 8));
	if (code / 8 + 1 > *len)
		*len = code / 8 + 1;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute size and u for the current select/subsel. */
static void answer(struct dm_device *dev, uint32_t offset, unsigned size, void *ctx)
{
	struct dm_input *in = ctx;
	uint8_t sel = dev->config[CFG_SELECT], sub = dev->config[CFG_SUBSEL];
	const uint8_t *src = NULL;
	unsigned len = 0;

	(void)size;
	if (offset < CFG_SIZE) /* select/subsel themselves */
		return;
	in->queries++;
	switch (sel) {
	case SEL_ID_NAME:
		if (sub == 0) {
			src = in->name;
			len = in->name_len;
		}
		break;
	case SEL_ID_SERIAL:
		if (sub == 0) {
			src = in->serial;
			len = in->serial_len;
		}
		break;
	case SEL_ID_DEVIDS:
		if (sub == 0) {
			src = in->devids;
			len = sizeof(in->devids);
		}
		break;
	case SEL_PROP_BITS:
		if (sub == 0) {
			src = in->prop;
			len = in->prop_len;
		}
		break;
	case SEL_EV_BITS:
		if (sub < 32) {
			src = in->ev_bits[sub];
			len = in->ev_len[sub];
		}
		break;
	case SEL_ABS_INFO:
		if (sub < 64 && in->abs_valid[sub]) {
			src = in->abs[sub];
			len = 20;
		}
		break;
	default:
		break;
	}
	memset(dev->config + CFG_U, 0, U_MAX);
	if (src)
		memcpy(dev->config + CFG_U, src, len > U_MAX ? U_MAX : len);
	if (len > U_MAX)
		len = U_MAX;
	if (in->size_override >= 0)
		len = (unsigned)in->size_override;
	dev->config[CFG_SIZE] = (uint8_t)len;
}

static uint32_t input_backend(struct dm_device *dev, unsigned queue,
			      struct dm_req *r, void *ctx)
{
	struct dm_input *in = ctx;
	uint8_t ev[8];

	(void)dev;
	if (queue == 0) {
		/* eventq: only dm_input_send completes these. */
		if (r->nseg < 1 || !r->seg[0].write)
			return 0;
		ev[0] = (uint8_t)in->next.type;
		ev[1] = (uint8_t)(in->next.type >> 8);
		ev[2] = (uint8_t)in->next.code;
		ev[3] = (uint8_t)(in->next.code >> 8);
		put32(ev + 4, in->next.value);
		uint32_t n = r->seg[0].len < 8 ? r->seg[0].len : 8;
		memcpy(r->seg[0].ptr, ev, n);
		return n;
	}
	/* statusq: one device-readable event first. Like QEMU 7.2, answer
	 * with the number of bytes READ as the used length. */
	if (r->nseg < 1 || r->seg[0].write || r->seg[0].len < 8) {
		in->status_bad++;
		return 0;
	}
	if (in->n_status < sizeof(in->status) / sizeof(in->status[0])) {
		const uint8_t *p = r->seg[0].ptr;
		struct dm_input_event *e = &in->status[in->n_status++];

		e->type = (uint16_t)(p[0] | p[1] << 8);
		e->code = (uint16_t)(p[2] | p[3] << 8);
		e->value = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
			   (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
	}
	return 8;
}

static void set_string(uint8_t *dst, unsigned *len, const char *s)
{
	*len = (unsigned)strlen(s);
	memcpy(dst, s, *len);
}

struct dm_input *dm_input_attach(struct dm_device *dev, enum dm_input_kind kind)
{
	struct dm_input *in = calloc(1, sizeof(*in));
	uint8_t zero[CFG_LEN] = {0};

	if (!in)
		abort();
	in->dev = dev;
	in->size_override = -1;
	dev->device_id = 18;
	dm_config_set(dev, 0, zero, CFG_LEN, false);
	dev->on_config_read = answer;
	dev->on_config_read_ctx = in;
	dev->backend = input_backend;
	dev->backend_ctx = in;
	dev->q[0].defer = true;
	set_string(in->serial, &in->serial_len, "0123-serial");
	/* devids: bustype 6 (BUS_VIRTUAL), vendor 0x0627, product by kind, version 1 */
	in->devids[0] = 6;
	in->devids[2] = 0x27;
	in->devids[3] = 0x06;
	in->devids[4] = (uint8_t)(kind + 1);
	in->devids[6] = 1;
	switch (kind) {
	case DM_INPUT_KEYBOARD:
		set_string(in->name, &in->name_len, "QEMU Virtio Keyboard");
		for (unsigned c = 1; c < 0x100; c++)
			set_bit(in->ev_bits[DM_EV_KEY], &in->ev_len[DM_EV_KEY], c);
		set_bit(in->ev_bits[DM_EV_REP], &in->ev_len[DM_EV_REP], 0);
		for (unsigned c = 0; c < 3; c++)
			set_bit(in->ev_bits[DM_EV_LED], &in->ev_len[DM_EV_LED], c);
		break;
	case DM_INPUT_MOUSE:
		set_string(in->name, &in->name_len, "QEMU Virtio Mouse");
		for (unsigned c = 0x110; c < 0x115; c++)
			set_bit(in->ev_bits[DM_EV_KEY], &in->ev_len[DM_EV_KEY], c);
		set_bit(in->ev_bits[DM_EV_REL], &in->ev_len[DM_EV_REL], 0);
		set_bit(in->ev_bits[DM_EV_REL], &in->ev_len[DM_EV_REL], 1);
		set_bit(in->ev_bits[DM_EV_REL], &in->ev_len[DM_EV_REL], 8);
		break;
	case DM_INPUT_TABLET:
		set_string(in->name, &in->name_len, "QEMU Virtio Tablet");
		for (unsigned c = 0x110; c < 0x115; c++)
			set_bit(in->ev_bits[DM_EV_KEY], &in->ev_len[DM_EV_KEY], c);
		for (unsigned a = 0; a < 2; a++) {
			set_bit(in->ev_bits[DM_EV_ABS], &in->ev_len[DM_EV_ABS], a);
			put32(in->abs[a] + 4, 0x7fff); /* min 0, max 0x7fff */
			put32(in->abs[a] + 16, 1 + a);  /* res, to tell the axes apart */
			in->abs_valid[a] = true;
		}
		set_bit(in->prop, &in->prop_len, 0); /* INPUT_PROP_POINTER */
		break;
	}
	return in;
}

void dm_input_free(struct dm_input *in)
{
	if (in && in->dev && in->dev->on_config_read_ctx == in) {
		in->dev->on_config_read = NULL;
		in->dev->backend = NULL;
	}
	free(in);
}

unsigned dm_input_posted(struct dm_input *in)
{
	return dm_queue_held(in->dev, 0);
}

int dm_input_send(struct dm_input *in, uint16_t type, uint16_t code, uint32_t value)
{
	if (dm_queue_held(in->dev, 0) == 0)
		return -1;
	in->next.type = type;
	in->next.code = code;
	in->next.value = value;
	return dm_queue_complete(in->dev, 0, 0) < 0 ? -1 : 0;
}

int dm_input_send_len(struct dm_input *in, uint16_t type, uint16_t code,
		      uint32_t value, uint32_t len)
{
	const struct dm_req *r;
	uint8_t ev[8];

	if (dm_queue_held(in->dev, 0) == 0)
		return -1;
	r = dm_queue_held_req(in->dev, 0, 0);
	ev[0] = (uint8_t)type;
	ev[1] = (uint8_t)(type >> 8);
	ev[2] = (uint8_t)code;
	ev[3] = (uint8_t)(code >> 8);
	put32(ev + 4, value);
	if (r->nseg >= 1 && r->seg[0].write)
		memcpy(r->seg[0].ptr, ev, len < 8 ? len : (r->seg[0].len < 8 ? r->seg[0].len : 8));
	return dm_queue_complete_len(in->dev, 0, 0, len);
}
