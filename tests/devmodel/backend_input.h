/*
 * virtio-input backend for the device model (VirtIO 1.2, 5.8): a keyboard,
 * mouse or tablet shaped like QEMU's, whose configuration answers the
 * select/subsel the driver wrote, whose eventq buffers are held until a
 * test sends an event, and whose statusq events are logged.
 *
 * Every answer can be made hostile: size_override reports any size for
 * every query, the name can hold NULs or be longer than the union.
 */
#ifndef DM_BACKEND_INPUT_H
#define DM_BACKEND_INPUT_H

#include "devmodel.h"

enum dm_input_kind { DM_INPUT_KEYBOARD, DM_INPUT_MOUSE, DM_INPUT_TABLET };

/* Event type numbers (Linux evdev, which 5.8.6 adopts). */
#define DM_EV_SYN 0x00
#define DM_EV_KEY 0x01
#define DM_EV_REL 0x02
#define DM_EV_ABS 0x03
#define DM_EV_REP 0x14
#define DM_EV_LED 0x11

struct dm_input_event {
	uint16_t type, code;
	uint32_t value;
};

struct dm_input {
	struct dm_device *dev;
	/* What the configuration answers (select/subsel -> bytes). */
	uint8_t name[200];
	unsigned name_len;          /* may exceed 128: size is then clamped by */
	uint8_t serial[128];        /* the device to 128 unless size_override */
	unsigned serial_len;
	uint8_t devids[8];
	uint8_t prop[128];
	unsigned prop_len;
	uint8_t ev_bits[32][128];   /* per event type */
	unsigned ev_len[32];
	uint8_t abs[64][20];        /* absinfo per axis, little-endian */
	bool abs_valid[64];
	int size_override;          /* >= 0: every query reports this size */
	uint64_t queries;
	/* Status queue log. */
	struct dm_input_event status[64];
	unsigned n_status;
	unsigned status_bad;        /* status buffers not one event long */
	/* Event being delivered by dm_input_send. */
	struct dm_input_event next;
};

/* Sets device id 18, a 136-byte config space and the backend on a device
 * with queues 0 (eventq, held) and, if it has one, 1 (statusq). */
struct dm_input *dm_input_attach(struct dm_device *dev, enum dm_input_kind kind);
void dm_input_free(struct dm_input *in);

/* Eventq buffers the driver has posted and the device holds. */
unsigned dm_input_posted(struct dm_input *in);
/* Writes one event into the oldest posted buffer and publishes it with
 * used len 8. Returns 0, or -1 if no buffer is posted (event dropped). */
int dm_input_send(struct dm_input *in, uint16_t type, uint16_t code, uint32_t value);
/* Publishes the oldest posted buffer with an arbitrary used length (the
 * bytes written are those of `type/code/value` up to len). */
int dm_input_send_len(struct dm_input *in, uint16_t type, uint16_t code,
		      uint32_t value, uint32_t len);

#endif /* DM_BACKEND_INPUT_H */
