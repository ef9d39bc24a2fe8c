/*
 * virtio-input driver (spec 5.8): config queries, eventq, statusq.
 */
#include <virtio/drivers/input.h>
#include <virtio/interrupt.h>

#define U_OFF ((uint32_t)offsetof(struct virtio_input_config, u))
#define EVENT_BYTES ((uint32_t)sizeof(struct virtio_input_event))

/* Event fields are little-endian for legacy devices too (5.8.6). */
static uint16_t get_le16(const volatile uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get_le32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

int virtio_input_query(struct virtio_device *dev, uint8_t select,
		       uint8_t subsel, uint8_t *buf)
{
	/* 5.8.5.1: set both select and subsel, then check size. */
	virtio_input_config_set_select(dev, select);
	virtio_input_config_set_subsel(dev, subsel);
	for (unsigned tries = 0; tries < VIRTIO_CONFIG_RETRIES; tries++) {
		uint32_t gen = virtio_config_generation(dev);
		uint32_t size = virtio_input_config_size(dev);

		if (size > VIRTIO_INPUT_CFG_U_SIZE)
			size = VIRTIO_INPUT_CFG_U_SIZE; /* the union ends there */
		for (uint32_t i = 0; i < VIRTIO_INPUT_CFG_U_SIZE; i++)
			buf[i] = i < size ? virtio_config_read8(dev, U_OFF + i) : 0;
		if (virtio_config_generation(dev) == gen)
			return (int)size;
	}
	return VIRTIO_ECONFIGUNSTABLE;
}

static int query_string(struct virtio_device *dev, uint8_t select,
			char *out, size_t n)
{
	uint8_t buf[VIRTIO_INPUT_CFG_U_SIZE];
	int len = virtio_input_query(dev, select, 0, buf);
	size_t i;

	if (n == 0)
		return VIRTIO_EINVAL;
	if (len < 0) {
		out[0] = '\0';
		return len;
	}
	for (i = 0; i < (size_t)len && i + 1 < n && buf[i] != 0; i++)
		out[i] = (char)buf[i];
	out[i] = '\0';
	return (int)i;
}

int virtio_input_name(struct virtio_device *dev, char *buf, size_t n)
{
	return query_string(dev, VIRTIO_INPUT_CFG_ID_NAME, buf, n);
}

int virtio_input_serial(struct virtio_device *dev, char *buf, size_t n)
{
	return query_string(dev, VIRTIO_INPUT_CFG_ID_SERIAL, buf, n);
}

int virtio_input_devids(struct virtio_device *dev,
			struct virtio_input_devids *ids)
{
	uint8_t buf[VIRTIO_INPUT_CFG_U_SIZE];
	int len = virtio_input_query(dev, VIRTIO_INPUT_CFG_ID_DEVIDS, 0, buf);

	if (len < 0)
		return len;
	if ((size_t)len < sizeof(*ids))
		return VIRTIO_EUNSUPP;
	ids->bustype = get_le16(buf + offsetof(struct virtio_input_devids, bustype));
	ids->vendor = get_le16(buf + offsetof(struct virtio_input_devids, vendor));
	ids->product = get_le16(buf + offsetof(struct virtio_input_devids, product));
	ids->version = get_le16(buf + offsetof(struct virtio_input_devids, version));
	return VIRTIO_OK;
}

int virtio_input_prop_bits(struct virtio_device *dev, uint8_t *bits)
{
	return virtio_input_query(dev, VIRTIO_INPUT_CFG_PROP_BITS, 0, bits);
}

int virtio_input_ev_bits(struct virtio_device *dev, uint8_t type, uint8_t *bits)
{
	return virtio_input_query(dev, VIRTIO_INPUT_CFG_EV_BITS, type, bits);
}

int virtio_input_abs_info(struct virtio_device *dev, uint8_t axis,
			  struct virtio_input_absinfo *abs)
{
	uint8_t buf[VIRTIO_INPUT_CFG_U_SIZE];
	int len = virtio_input_query(dev, VIRTIO_INPUT_CFG_ABS_INFO, axis, buf);

	if (len < 0)
		return len;
	if ((size_t)len < sizeof(*abs))
		return VIRTIO_EUNSUPP;
	abs->min = get_le32(buf + offsetof(struct virtio_input_absinfo, min));
	abs->max = get_le32(buf + offsetof(struct virtio_input_absinfo, max));
	abs->fuzz = get_le32(buf + offsetof(struct virtio_input_absinfo, fuzz));
	abs->flat = get_le32(buf + offsetof(struct virtio_input_absinfo, flat));
	abs->res = get_le32(buf + offsetof(struct virtio_input_absinfo, res));
	return VIRTIO_OK;
}

bool virtio_input_bit(const uint8_t *bits, int len, unsigned code)
{
	return len > 0 && code / 8 < (unsigned)len && (bits[code / 8] >> (code % 8)) & 1u;
}

const char *virtio_input_kind_name(enum virtio_input_kind kind)
{
	switch (kind) {
	case VIRTIO_INPUT_KIND_KEYBOARD:
		return "keyboard";
	case VIRTIO_INPUT_KIND_MOUSE:
		return "mouse";
	case VIRTIO_INPUT_KIND_TABLET:
		return "tablet";
	default:
		return "other";
	}
}

/* Which event types the device has, and what kind of device that makes
 * it: absolute X/Y is a tablet, relative X/Y a mouse, keys below the
 * button range a keyboard. */
static int classify(struct virtio_input *in)
{
	uint8_t bits[VIRTIO_INPUT_CFG_U_SIZE];
	bool keys = false;
	int len;

	in->ev_types = 0;
	for (unsigned t = 1; t < 32; t++) {
		len = virtio_input_ev_bits(in->dev, (uint8_t)t, bits);
		if (len < 0)
			return len;
		if (len > 0)
			in->ev_types |= 1u << t;
	}
	in->kind = VIRTIO_INPUT_KIND_OTHER;
	len = virtio_input_ev_bits(in->dev, VIRTIO_INPUT_EV_ABS, bits);
	if (len < 0)
		return len;
	if (virtio_input_bit(bits, len, VIRTIO_INPUT_ABS_X) &&
	    virtio_input_bit(bits, len, VIRTIO_INPUT_ABS_Y)) {
		in->kind = VIRTIO_INPUT_KIND_TABLET;
		return VIRTIO_OK;
	}
	len = virtio_input_ev_bits(in->dev, VIRTIO_INPUT_EV_REL, bits);
	if (len < 0)
		return len;
	if (virtio_input_bit(bits, len, VIRTIO_INPUT_REL_X) &&
	    virtio_input_bit(bits, len, VIRTIO_INPUT_REL_Y)) {
		in->kind = VIRTIO_INPUT_KIND_MOUSE;
		return VIRTIO_OK;
	}
	len = virtio_input_ev_bits(in->dev, VIRTIO_INPUT_EV_KEY, bits);
	if (len < 0)
		return len;
	for (unsigned code = 1; code < VIRTIO_INPUT_BTN_MISC && !keys; code++)
		keys = virtio_input_bit(bits, len, code);
	if (keys)
		in->kind = VIRTIO_INPUT_KIND_KEYBOARD;
	return VIRTIO_OK;
}

static int post_event(struct virtio_input *in, unsigned i)
{
	struct virtio_buf b = { &in->events[i], EVENT_BYTES };

	return virtqueue_add(&in->eventq, &b, 0, 1, &in->events[i]);
}

static int init_fail(struct virtio_input *in, int err)
{
	virtio_fail(in->dev);
	virtio_input_destroy(in);
	return err;
}

int virtio_input_init(struct virtio_input *in, struct virtio_device *dev)
{
	unsigned n;
	int err;

	in->dev = dev;
	in->events = NULL;
	in->status = NULL;
	in->eventq.mem = NULL;
	in->statusq.mem = NULL;
	in->status_busy = 0;
	in->has_statusq = false;
	in->short_events = 0;
	in->events_taken = 0;
	in->n_events = 0;
	if (dev->device_id != VIRTIO_ID_INPUT)
		return VIRTIO_EINVAL;
	err = virtio_negotiate(dev, VIRTIO_RUNTIME_FEATURES);
	if (err)
		return err;
	err = classify(in);
	if (err)
		return init_fail(in, err);

	err = virtqueue_setup(dev, &in->eventq, 0, VIRTIO_INPUT_EVENT_BUFS);
	if (err)
		return init_fail(in, err);
	virtqueue_disable_cb(&in->eventq); /* we poll */
	n = virtqueue_size(&in->eventq);
	in->events = virtio_port_dma_alloc(n * sizeof(*in->events), 8);
	if (!in->events)
		return init_fail(in, VIRTIO_ENOMEM);
	in->n_events = (uint16_t)n;
	err = virtqueue_setup(dev, &in->statusq, 1, VIRTIO_INPUT_STATUS_BUFS);
	if (err == VIRTIO_OK) {
		in->has_statusq = true;
		virtqueue_disable_cb(&in->statusq);
		in->status = virtio_port_dma_alloc(
			VIRTIO_INPUT_STATUS_BUFS * sizeof(*in->status), 8);
		if (!in->status)
			return init_fail(in, VIRTIO_ENOMEM);
	} else if (err != VIRTIO_ENOQUEUE) {
		return init_fail(in, err);
	}
	/* 5.8.5: the eventq is populated before the device is live. */
	for (unsigned i = 0; i < n; i++) {
		err = post_event(in, i);
		if (err)
			return init_fail(in, err);
	}
	err = virtio_driver_ok(dev);
	if (err)
		return init_fail(in, err);
	virtqueue_kick(&in->eventq);
	return VIRTIO_OK;
}

void virtio_input_destroy(struct virtio_input *in)
{
	bool live = in->eventq.mem || in->statusq.mem;

	if (live)
		virtio_reset(in->dev); /* no DMA into buffers we free */
	/* Reverse order of allocation (bump allocators free only the last). */
	if (in->status)
		virtio_port_dma_free(in->status,
				     VIRTIO_INPUT_STATUS_BUFS * sizeof(*in->status));
	if (in->statusq.mem)
		virtqueue_destroy(&in->statusq);
	if (in->events)
		virtio_port_dma_free(in->events, in->n_events * sizeof(*in->events));
	if (in->eventq.mem)
		virtqueue_destroy(&in->eventq);
	in->status = NULL;
	in->events = NULL;
	in->statusq.mem = NULL;
	in->eventq.mem = NULL;
	in->has_statusq = false;
}

int virtio_input_get_event(struct virtio_input *in, struct virtio_input_ev *ev)
{
	void *token;
	uint32_t len;
	int r;

	if (!in->eventq.mem || !in->events)
		return VIRTIO_EBROKEN;
	for (;;) {
		const volatile uint8_t *p;
		size_t i;

		r = virtqueue_get(&in->eventq, &token, &len);
		if (r <= 0)
			return r;
		i = ((uintptr_t)token - (uintptr_t)in->events) / EVENT_BYTES;
		if ((uintptr_t)token < (uintptr_t)in->events || i >= in->n_events)
			return VIRTIO_EUSEDNOTINFLIGHT; /* not one of ours */
		p = token;
		if (len >= EVENT_BYTES) {
			ev->type = get_le16(p + offsetof(struct virtio_input_event, type));
			ev->code = get_le16(p + offsetof(struct virtio_input_event, code));
			ev->value = get_le32(p + offsetof(struct virtio_input_event, value));
		}
		/* The buffer goes back before the event is handed out. */
		r = post_event(in, (unsigned)i);
		if (r)
			return r;
		virtqueue_kick(&in->eventq);
		if (len >= EVENT_BYTES) {
			in->events_taken++;
			return 1;
		}
		in->short_events++; /* a partial event means nothing: drop it */
	}
}

/* Takes back every status buffer the device has finished with. */
static int reap_status(struct virtio_input *in)
{
	void *token;
	uint32_t len;
	int r;

	while ((r = virtqueue_get(&in->statusq, &token, &len)) > 0) {
		size_t i = ((uintptr_t)token - (uintptr_t)in->status) / sizeof(*in->status);

		if ((uintptr_t)token < (uintptr_t)in->status ||
		    i >= VIRTIO_INPUT_STATUS_BUFS || !(in->status_busy >> i & 1u))
			return VIRTIO_EUSEDNOTINFLIGHT;
		in->status_busy &= ~(1u << i);
	}
	return r;
}

static int send_status(struct virtio_input *in, uint16_t type, uint16_t code,
		       uint32_t value)
{
	struct virtio_buf b[2];
	unsigned i;
	int r;

	for (i = 0; i < VIRTIO_INPUT_STATUS_BUFS; i++)
		if (!(in->status_busy >> i & 1u))
			break;
	if (i == VIRTIO_INPUT_STATUS_BUFS)
		return VIRTIO_ENOSPC;
	put_le16((uint8_t *)&in->status[i].ev.type, type);
	put_le16((uint8_t *)&in->status[i].ev.code, code);
	put_le32((uint8_t *)&in->status[i].ev.value, value);
	b[0].addr = &in->status[i].ev;
	b[0].len = EVENT_BYTES;
	b[1].addr = &in->status[i].sink;
	b[1].len = EVENT_BYTES;
	r = virtqueue_add(&in->statusq, b, 1, 1, &in->status[i]);
	if (r)
		return r;
	in->status_busy |= 1u << i;
	return VIRTIO_OK;
}

int virtio_input_set_led(struct virtio_input *in, uint16_t code, bool on)
{
	uint8_t bits[VIRTIO_INPUT_CFG_U_SIZE];
	unsigned free_bufs = 0;
	uint64_t start;
	int len, r;

	if (!in->has_statusq || !in->statusq.mem)
		return VIRTIO_EUNSUPP;
	len = virtio_input_ev_bits(in->dev, VIRTIO_INPUT_EV_LED, bits);
	if (len < 0)
		return len;
	if (!virtio_input_bit(bits, len, code))
		return VIRTIO_EUNSUPP;
	r = reap_status(in);
	if (r < 0)
		return r;
	for (unsigned i = 0; i < VIRTIO_INPUT_STATUS_BUFS; i++)
		free_bufs += !(in->status_busy >> i & 1u);
	if (free_bufs < 1)
		return VIRTIO_ENOSPC;
	/* No SYN_REPORT after it: QEMU logs one as an unknown status type. */
	r = send_status(in, VIRTIO_INPUT_EV_LED, code, on ? 1u : 0u);
	if (r)
		return r;
	virtqueue_kick(&in->statusq);
	start = virtio_port_time_us();
	while (in->status_busy) {
		r = reap_status(in);
		if (r < 0)
			return r;
		if (in->status_busy &&
		    virtio_port_time_us() - start > VIRTIO_INPUT_TIMEOUT_US) {
			r = virtio_check_status(in->dev);
			return r ? r : VIRTIO_ETIMEDOUT;
		}
	}
	return VIRTIO_OK;
}

int virtio_input_use_irq(struct virtio_input *in, struct virtio_irq *irq)
{
	if (!irq || !in->eventq.mem || irq->dev != in->dev)
		return VIRTIO_EINVAL;
	return virtio_irq_on_queue(irq, &in->eventq, NULL, NULL);
}
