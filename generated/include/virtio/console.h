/*
 * Console device (VirtIO 1.2 section 5.3).
 *
 * Generated from spec/devices/console.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_CONSOLE_H
#define VIRTIO_GEN_CONSOLE_H

#include <stdint.h>
#include <stddef.h>
#include <virtio/config_io.h>

/* Device type VIRTIO_ID_CONSOLE (3); short name "console". */

/* Feature bits (section 5.3.3): bit numbers, as in Linux. */
#define VIRTIO_CONSOLE_F_SIZE 0 /* cols and rows hold the size of the console (port 0). (5.3.3) */
#define VIRTIO_CONSOLE_F_MULTIPORT 1 /* Several ports; max_nr_ports is valid and the control queues are used. (5.3.3) */
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2 /* Writing a byte to emerg_wr outputs it, even before the device is set up. (5.3.3) */

/* Values of the event field of struct virtio_console_control. (section 5.3.6.2). */
#define VIRTIO_CONSOLE_DEVICE_READY 0 /* Driver to device: ready for control messages (value 1 success, 0 failure); id unused. */
#define VIRTIO_CONSOLE_PORT_ADD 1 /* Device to driver: port id exists (spec name VIRTIO_CONSOLE_DEVICE_ADD); value unused. */
#define VIRTIO_CONSOLE_PORT_REMOVE 2 /* Device to driver: port id is gone (spec name VIRTIO_CONSOLE_DEVICE_REMOVE); value unused. */
#define VIRTIO_CONSOLE_PORT_READY 3 /* Driver to device: answer to PORT_ADD (value 1 success, 0 failure). */
#define VIRTIO_CONSOLE_CONSOLE_PORT 4 /* Device to driver: port id is a console; the driver answers PORT_OPEN with value 1. */
#define VIRTIO_CONSOLE_RESIZE 5 /* Device to driver: console size changed; struct virtio_console_resize follows. */
#define VIRTIO_CONSOLE_PORT_OPEN 6 /* Either direction: value 1 port open, 0 closed. */
#define VIRTIO_CONSOLE_PORT_NAME 7 /* Device to driver: the port's UTF-8 name follows the message, without a NUL. */

/* Special port ids. (section 5.3.6.2). */
#define VIRTIO_CONSOLE_BAD_ID 0xffffffff /* An id no port has (Linux uapi; not named by the spec). */

#ifndef VIRTIO_GEN_PACKED
#define VIRTIO_GEN_PACKED __attribute__((packed))
#endif

/*
 * Device configuration layout. Legacy devices use guest-native byte order (5.3.4.1). (section 5.3.4)
 */
struct virtio_console_config {
	uint16_t cols; /* virtio16 (LE (modern) / guest-native (legacy)), with VIRTIO_CONSOLE_F_SIZE: Columns of the console (port 0). */
	uint16_t rows; /* virtio16 (LE (modern) / guest-native (legacy)), with VIRTIO_CONSOLE_F_SIZE: Rows of the console (port 0). */
	uint32_t max_nr_ports; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_CONSOLE_F_MULTIPORT: Largest number of ports the device may add (port ids are below it). */
	uint32_t emerg_wr; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_CONSOLE_F_EMERG_WRITE: Write-only: the low byte written is output at once, usable before any set-up. */
};
_Static_assert(sizeof(struct virtio_console_config) == 12, "sizeof(struct virtio_console_config) must be 12 (section 5.3.4)");
_Static_assert(offsetof(struct virtio_console_config, cols) == 0, "offsetof(struct virtio_console_config, cols) must be 0 (section 5.3.4)");
_Static_assert(offsetof(struct virtio_console_config, rows) == 2, "offsetof(struct virtio_console_config, rows) must be 2 (section 5.3.4)");
_Static_assert(offsetof(struct virtio_console_config, max_nr_ports) == 4, "offsetof(struct virtio_console_config, max_nr_ports) must be 4 (section 5.3.4)");
_Static_assert(offsetof(struct virtio_console_config, emerg_wr) == 8, "offsetof(struct virtio_console_config, emerg_wr) must be 8 (section 5.3.4)");

/*
 * Field accessors for struct virtio_console_config, through the transport's
 * configuration access (virtio/config_io.h): values are in host order.
 */
static inline uint16_t virtio_console_config_cols(struct virtio_device *dev)
{
	return virtio_config_read16(dev, (uint32_t)(offsetof(struct virtio_console_config, cols)));
}

static inline uint16_t virtio_console_config_rows(struct virtio_device *dev)
{
	return virtio_config_read16(dev, (uint32_t)(offsetof(struct virtio_console_config, rows)));
}

static inline uint32_t virtio_console_config_max_nr_ports(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_console_config, max_nr_ports)));
}

static inline uint32_t virtio_console_config_emerg_wr(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_console_config, emerg_wr)));
}

static inline void virtio_console_config_set_emerg_wr(struct virtio_device *dev, uint32_t value)
{
	virtio_config_write32(dev, (uint32_t)(offsetof(struct virtio_console_config, emerg_wr)), value);
}

/*
 * Reads the whole configuration consistently: retried while the
 * configuration generation changes. Returns 0, or -1 when it never settled
 * within VIRTIO_CONFIG_READ_TRIES attempts.
 */
static inline int virtio_console_config_read(struct virtio_device *dev, struct virtio_console_config *out)
{
	for (unsigned int tries = 0; tries < VIRTIO_CONFIG_READ_TRIES; tries++) {
		uint32_t generation = virtio_config_generation(dev);
		out->cols = virtio_console_config_cols(dev);
		out->rows = virtio_console_config_rows(dev);
		out->max_nr_ports = virtio_console_config_max_nr_ports(dev);
		out->emerg_wr = virtio_console_config_emerg_wr(dev);
		if (virtio_config_generation(dev) == generation)
			return 0;
	}
	return -1;
}

/*
 * A control message on the control receiveq (device to driver) or the control transmitq (driver to device). RESIZE is followed by struct virtio_console_resize, PORT_NAME by the name bytes. (section 5.3.6.2)
 */
struct virtio_console_control {
	uint32_t id; /* virtio32 (LE (modern) / guest-native (legacy)): Port number. */
	uint16_t event; /* virtio16 (LE (modern) / guest-native (legacy)): VIRTIO_CONSOLE_* event. */
	uint16_t value; /* virtio16 (LE (modern) / guest-native (legacy)): Extra information for the event. */
};
_Static_assert(sizeof(struct virtio_console_control) == 8, "sizeof(struct virtio_console_control) must be 8 (section 5.3.6.2)");
_Static_assert(offsetof(struct virtio_console_control, id) == 0, "offsetof(struct virtio_console_control, id) must be 0 (section 5.3.6.2)");
_Static_assert(offsetof(struct virtio_console_control, event) == 4, "offsetof(struct virtio_console_control, event) must be 4 (section 5.3.6.2)");
_Static_assert(offsetof(struct virtio_console_control, value) == 6, "offsetof(struct virtio_console_control, value) must be 6 (section 5.3.6.2)");

/*
 * Follows a VIRTIO_CONSOLE_RESIZE control message. Not in Linux uapi. (section 5.3.6.2)
 */
struct virtio_console_resize {
	uint16_t cols; /* virtio16 (LE (modern) / guest-native (legacy)): New number of columns. */
	uint16_t rows; /* virtio16 (LE (modern) / guest-native (legacy)): New number of rows. */
};
_Static_assert(sizeof(struct virtio_console_resize) == 4, "sizeof(struct virtio_console_resize) must be 4 (section 5.3.6.2)");
_Static_assert(offsetof(struct virtio_console_resize, cols) == 0, "offsetof(struct virtio_console_resize, cols) must be 0 (section 5.3.6.2)");
_Static_assert(offsetof(struct virtio_console_resize, rows) == 2, "offsetof(struct virtio_console_resize, rows) must be 2 (section 5.3.6.2)");

#endif /* VIRTIO_GEN_CONSOLE_H */
