/*
 * virtio-input driver (spec 5.8): configuration queries, the event queue
 * (buffers re-posted as soon as an event is taken) and the status queue
 * (LED state). Polled, no interrupts.
 *
 * Nothing the device reports is trusted: config sizes are clamped to the
 * 128-byte union, strings stop at the first NUL and are never longer than
 * the union, an absinfo shorter than its structure is "not supported",
 * used lengths shorter than one event are dropped and counted.
 */
#ifndef VIRTIO_DRIVERS_INPUT_H
#define VIRTIO_DRIVERS_INPUT_H

#include <virtio/virtqueue.h>

#ifndef VIRTIO_INPUT_EVENT_BUFS
#define VIRTIO_INPUT_EVENT_BUFS 64u /* event buffers kept posted */
#endif
#ifndef VIRTIO_INPUT_STATUS_BUFS
#define VIRTIO_INPUT_STATUS_BUFS 8u /* status events in flight at most */
#endif
#ifndef VIRTIO_INPUT_TIMEOUT_US
#define VIRTIO_INPUT_TIMEOUT_US 1000000u /* status event timeout (us) */
#endif

/* What the device is, told from its event bits (never from its name). */
enum virtio_input_kind {
	VIRTIO_INPUT_KIND_OTHER,
	VIRTIO_INPUT_KIND_KEYBOARD, /* EV_KEY with letter keys */
	VIRTIO_INPUT_KIND_MOUSE,    /* EV_REL with REL_X and REL_Y */
	VIRTIO_INPUT_KIND_TABLET,   /* EV_ABS with ABS_X and ABS_Y */
};

/* One event in host byte order. */
struct virtio_input_ev {
	uint16_t type;
	uint16_t code;
	uint32_t value;
};

/*
 * One statusq request: the event (device-readable) and a device-writable
 * sink of the same size. The sink is never read: it exists because QEMU
 * (7.2) reports the bytes it READ as the used length of a statusq buffer,
 * which for a read-only chain the virtqueue rightly rejects (2.7.8.2).
 */
struct virtio_input_status {
	struct virtio_input_event ev;
	struct virtio_input_event sink;
};

struct virtio_input {
	struct virtio_device *dev;
	struct virtqueue eventq;
	struct virtqueue statusq;
	struct virtio_input_event *events; /* device-writable, EVENT_BUFS of them */
	struct virtio_input_status *status; /* STATUS_BUFS of them */
	uint32_t status_busy;              /* bit i: status[i] in flight */
	uint16_t n_events;                 /* event buffers allocated */
	bool has_statusq;
	enum virtio_input_kind kind;
	uint32_t ev_types;                 /* bit t: EV_BITS(t) has size > 0 (t < 32) */
	uint64_t short_events;             /* used len < one event: dropped */
	uint64_t events_taken;
};

/*
 * Negotiates, reads the event types, classifies the device, sets up both
 * queues, posts every event buffer and sets DRIVER_OK. `dev` must come
 * from a probe with device_id VIRTIO_ID_INPUT. Returns 0 or an error
 * (the device is then marked FAILED).
 */
int virtio_input_init(struct virtio_input *in, struct virtio_device *dev);
/* Resets the device and frees the queues and buffers. */
void virtio_input_destroy(struct virtio_input *in);

/*
 * One configuration query (5.8.4): writes select/subsel, copies the valid
 * bytes of the union to buf (VIRTIO_INPUT_CFG_U_SIZE bytes), reading again
 * while the config generation changes (bounded). Returns the number of
 * valid bytes (0 = not supported), at most VIRTIO_INPUT_CFG_U_SIZE, or
 * VIRTIO_ECONFIGUNSTABLE. Usable before virtio_input_init (after probe).
 */
int virtio_input_query(struct virtio_device *dev, uint8_t select,
		       uint8_t subsel, uint8_t *buf);

/* ID_NAME / ID_SERIAL as a NUL-terminated string of at most n-1 bytes
 * (stops at a NUL the device sends). Returns its length or an error. */
int virtio_input_name(struct virtio_device *dev, char *buf, size_t n);
int virtio_input_serial(struct virtio_device *dev, char *buf, size_t n);
/* ID_DEVIDS. 0, VIRTIO_EUNSUPP (size too small) or an error. */
int virtio_input_devids(struct virtio_device *dev,
			struct virtio_input_devids *ids);
/* PROP_BITS / EV_BITS(type): bitmap in bits (128 bytes); returns the valid
 * bytes (bits past them are clear), 0 if not supported, or an error. */
int virtio_input_prop_bits(struct virtio_device *dev, uint8_t *bits);
int virtio_input_ev_bits(struct virtio_device *dev, uint8_t type,
			 uint8_t *bits);
/* ABS_INFO(axis). 0, VIRTIO_EUNSUPP (size too small) or an error. */
int virtio_input_abs_info(struct virtio_device *dev, uint8_t axis,
			  struct virtio_input_absinfo *abs);
/* Whether bit `code` is set in a bitmap of `len` valid bytes. */
bool virtio_input_bit(const uint8_t *bits, int len, unsigned code);
/* "keyboard", "mouse", "tablet" or "other". */
const char *virtio_input_kind_name(enum virtio_input_kind kind);

/*
 * Takes the next event: 1 with *ev filled, 0 if none is pending, or a
 * queue error. The buffer goes straight back to the device. Events with
 * a short used length are dropped (short_events counts them).
 */
int virtio_input_get_event(struct virtio_input *in, struct virtio_input_ev *ev);

struct virtio_irq; /* <virtio/interrupt.h> */
/* Interrupts for new events (opt-in, after init): registers the event
 * queue with `irq` (virtio_irq_init'ed for in->dev); its handler then
 * wakes whoever waits for events. Events are still taken with
 * virtio_input_get_event. 0, VIRTIO_EINVAL, or VIRTIO_EUNSUPP in a build
 * without interrupts. */
int virtio_input_use_irq(struct virtio_input *in, struct virtio_irq *irq);

/*
 * Sends a status event (statusq, 5.8.6): EV_LED `code` = on, and waits
 * (bounded) until the device took it.
 * VIRTIO_EUNSUPP if the device has no statusq or no such LED.
 */
int virtio_input_set_led(struct virtio_input *in, uint16_t code, bool on);

#endif /* VIRTIO_DRIVERS_INPUT_H */
