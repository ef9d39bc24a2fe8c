/*
 * Input device (VirtIO 1.2 section 5.8).
 *
 * Generated from spec/devices/input.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_INPUT_H
#define VIRTIO_GEN_INPUT_H

#include <stdint.h>
#include <stddef.h>
#include <virtio/config_io.h>

/* Device type VIRTIO_ID_INPUT (18); short name "input". */

/* Values of select in struct virtio_input_config (what u holds). (section 5.8.4). */
#define VIRTIO_INPUT_CFG_UNSET 0 /* Nothing selected. */
#define VIRTIO_INPUT_CFG_ID_NAME 1 /* subsel 0: the device name in u (string, no NUL terminator). */
#define VIRTIO_INPUT_CFG_ID_SERIAL 2 /* subsel 0: the serial number in u (string). */
#define VIRTIO_INPUT_CFG_ID_DEVIDS 3 /* subsel 0: struct virtio_input_devids in u. */
#define VIRTIO_INPUT_CFG_PROP_BITS 16 /* subsel 0: bitmap of INPUT_PROP_* properties in u. */
#define VIRTIO_INPUT_CFG_EV_BITS 17 /* subsel = event type (EV_*): bitmap of its supported codes; size 0 if the type is not supported. */
#define VIRTIO_INPUT_CFG_ABS_INFO 18 /* subsel = absolute axis (ABS_*): struct virtio_input_absinfo in u. */

/* Sizes of the configuration union. Project names, not Linux uapi. (section 5.8.4). */
#define VIRTIO_INPUT_CFG_U_SIZE 128 /* Bytes of the union u: the largest size a device may report. */

/* Event types (type of struct virtio_input_event, subsel of EV_BITS): Linux evdev EV_* values, which the spec adopts. Project names. (section 5.8.6). */
#define VIRTIO_INPUT_EV_SYN 0 /* Synchronisation: SYN_REPORT ends one device update. */
#define VIRTIO_INPUT_EV_KEY 1 /* Keys and buttons (value 1 press, 0 release, 2 autorepeat). */
#define VIRTIO_INPUT_EV_REL 2 /* Relative axes (mouse motion and wheels). */
#define VIRTIO_INPUT_EV_ABS 3 /* Absolute axes (tablet and touch positions). */
#define VIRTIO_INPUT_EV_MSC 4 /* Miscellaneous (scan codes). */
#define VIRTIO_INPUT_EV_SW 5 /* Switches. */
#define VIRTIO_INPUT_EV_LED 17 /* LEDs: sent by the driver on the statusq. */
#define VIRTIO_INPUT_EV_SND 18 /* Sounds (beeps) sent by the driver. */
#define VIRTIO_INPUT_EV_REP 20 /* Autorepeat settings. */

/* A few Linux evdev codes the drivers and tests use. Project names. (section 5.8.6). */
#define VIRTIO_INPUT_SYN_REPORT 0 /* EV_SYN code: end of one update. */
#define VIRTIO_INPUT_REL_X 0 /* EV_REL code of the horizontal axis. */
#define VIRTIO_INPUT_REL_Y 1 /* EV_REL code of the vertical axis. */
#define VIRTIO_INPUT_ABS_X 0 /* EV_ABS code of the horizontal axis. */
#define VIRTIO_INPUT_ABS_Y 1 /* EV_ABS code of the vertical axis. */
#define VIRTIO_INPUT_BTN_MISC 256 /* First EV_KEY button code: codes below it are keyboard keys. */
#define VIRTIO_INPUT_BTN_LEFT 272 /* EV_KEY code of the left mouse button. */
#define VIRTIO_INPUT_BTN_TOUCH 330 /* EV_KEY code of a touch contact. */
#define VIRTIO_INPUT_KEY_MAX 767 /* Highest EV_KEY code evdev defines. */
#define VIRTIO_INPUT_LED_NUML 0 /* EV_LED code of Num Lock. */
#define VIRTIO_INPUT_LED_CAPSL 1 /* EV_LED code of Caps Lock. */
#define VIRTIO_INPUT_LED_SCROLLL 2 /* EV_LED code of Scroll Lock. */

#ifndef VIRTIO_GEN_PACKED
#define VIRTIO_GEN_PACKED __attribute__((packed))
#endif

/*
 * u for ABS_INFO: range and behaviour of one absolute axis. (section 5.8.4)
 */
struct virtio_input_absinfo {
	uint32_t min; /* le32 (little-endian): Smallest value (evdev treats it as signed). */
	uint32_t max; /* le32 (little-endian): Largest value. */
	uint32_t fuzz; /* le32 (little-endian): Noise filter threshold. */
	uint32_t flat; /* le32 (little-endian): Dead zone. */
	uint32_t res; /* le32 (little-endian): Resolution (units per mm). */
};
_Static_assert(sizeof(struct virtio_input_absinfo) == 20, "sizeof(struct virtio_input_absinfo) must be 20 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_absinfo, min) == 0, "offsetof(struct virtio_input_absinfo, min) must be 0 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_absinfo, max) == 4, "offsetof(struct virtio_input_absinfo, max) must be 4 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_absinfo, fuzz) == 8, "offsetof(struct virtio_input_absinfo, fuzz) must be 8 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_absinfo, flat) == 12, "offsetof(struct virtio_input_absinfo, flat) must be 12 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_absinfo, res) == 16, "offsetof(struct virtio_input_absinfo, res) must be 16 (section 5.8.4)");

/*
 * u for ID_DEVIDS: bus type and vendor/product/version ids (as EVIOCGID). (section 5.8.4)
 */
struct virtio_input_devids {
	uint16_t bustype; /* le16 (little-endian) */
	uint16_t vendor; /* le16 (little-endian) */
	uint16_t product; /* le16 (little-endian) */
	uint16_t version; /* le16 (little-endian) */
};
_Static_assert(sizeof(struct virtio_input_devids) == 8, "sizeof(struct virtio_input_devids) must be 8 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_devids, bustype) == 0, "offsetof(struct virtio_input_devids, bustype) must be 0 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_devids, vendor) == 2, "offsetof(struct virtio_input_devids, vendor) must be 2 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_devids, product) == 4, "offsetof(struct virtio_input_devids, product) must be 4 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_devids, version) == 6, "offsetof(struct virtio_input_devids, version) must be 6 (section 5.8.4)");

/*
 * Device configuration layout. The spec's union u (char string[128], u8 bitmap[128], struct virtio_input_absinfo abs, struct virtio_input_devids ids) is a byte array here; its first size bytes are valid for the current select/subsel. The driver writes only select and subsel (5.8.5.1). (section 5.8.4)
 */
struct virtio_input_config {
	uint8_t select; /* u8: What to query (VIRTIO_INPUT_CFG_*). */
	uint8_t subsel; /* u8: Event type or axis for EV_BITS / ABS_INFO, else 0. */
	uint8_t size; /* u8: Valid bytes in u, 0 if the query is not supported. Untrusted: may exceed 128. */
	uint8_t reserved[5]; /* u8[5], reserved */
	uint8_t u[128]; /* u8[128]: The union: string, bitmap, absinfo or devids. */
};
_Static_assert(sizeof(struct virtio_input_config) == 136, "sizeof(struct virtio_input_config) must be 136 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_config, select) == 0, "offsetof(struct virtio_input_config, select) must be 0 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_config, subsel) == 1, "offsetof(struct virtio_input_config, subsel) must be 1 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_config, size) == 2, "offsetof(struct virtio_input_config, size) must be 2 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_config, reserved) == 3, "offsetof(struct virtio_input_config, reserved) must be 3 (section 5.8.4)");
_Static_assert(offsetof(struct virtio_input_config, u) == 8, "offsetof(struct virtio_input_config, u) must be 8 (section 5.8.4)");

/*
 * Field accessors for struct virtio_input_config, through the transport's
 * configuration access (virtio/config_io.h): values are in host order.
 */
static inline uint8_t virtio_input_config_select(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_input_config, select)));
}

static inline void virtio_input_config_set_select(struct virtio_device *dev, uint8_t value)
{
	virtio_config_write8(dev, (uint32_t)(offsetof(struct virtio_input_config, select)), value);
}

static inline uint8_t virtio_input_config_subsel(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_input_config, subsel)));
}

static inline void virtio_input_config_set_subsel(struct virtio_device *dev, uint8_t value)
{
	virtio_config_write8(dev, (uint32_t)(offsetof(struct virtio_input_config, subsel)), value);
}

static inline uint8_t virtio_input_config_size(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_input_config, size)));
}

static inline uint8_t virtio_input_config_u(struct virtio_device *dev, uint32_t i)
{
	if (i >= 128u)
		return 0;
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_input_config, u) + i * 1u));
}

/*
 * Reads the whole configuration consistently: retried while the
 * configuration generation changes. Returns 0, or -1 when it never settled
 * within VIRTIO_CONFIG_READ_TRIES attempts.
 */
static inline int virtio_input_config_read(struct virtio_device *dev, struct virtio_input_config *out)
{
	for (unsigned int tries = 0; tries < VIRTIO_CONFIG_READ_TRIES; tries++) {
		uint32_t generation = virtio_config_generation(dev);
		out->select = virtio_input_config_select(dev);
		out->subsel = virtio_input_config_subsel(dev);
		out->size = virtio_input_config_size(dev);
		for (uint32_t i = 0; i < 5u; i++)
			out->reserved[i] = 0;
		for (uint32_t i = 0; i < 128u; i++)
			out->u[i] = virtio_input_config_u(dev, i);
		if (virtio_config_generation(dev) == generation)
			return 0;
	}
	return -1;
}

/*
 * One event on the eventq (device to driver) or statusq (driver to device); evdev semantics, little-endian. (section 5.8.6)
 */
struct virtio_input_event {
	uint16_t type; /* le16 (little-endian): Event type (EV_*). */
	uint16_t code; /* le16 (little-endian): Key, button, axis or LED code. */
	uint32_t value; /* le32 (little-endian): Key state, axis value (signed for EV_REL) or LED state. */
};
_Static_assert(sizeof(struct virtio_input_event) == 8, "sizeof(struct virtio_input_event) must be 8 (section 5.8.6)");
_Static_assert(offsetof(struct virtio_input_event, type) == 0, "offsetof(struct virtio_input_event, type) must be 0 (section 5.8.6)");
_Static_assert(offsetof(struct virtio_input_event, code) == 2, "offsetof(struct virtio_input_event, code) must be 2 (section 5.8.6)");
_Static_assert(offsetof(struct virtio_input_event, value) == 4, "offsetof(struct virtio_input_event, value) must be 4 (section 5.8.6)");

#endif /* VIRTIO_GEN_INPUT_H */
