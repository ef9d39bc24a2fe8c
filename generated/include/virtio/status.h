/*
 * Device status field (VirtIO 1.2 section 2.1).
 *
 * Generated from spec/status.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_STATUS_H
#define VIRTIO_GEN_STATUS_H

#include <stdint.h>

/* Device status bits. (section 2.1): masks. */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 0x1 /* The guest noticed the device and recognised it as virtio. */
#define VIRTIO_CONFIG_S_DRIVER 0x2 /* The guest has a driver for this device type. */
#define VIRTIO_CONFIG_S_DRIVER_OK 0x4 /* The driver finished setting up and drives the device. */
#define VIRTIO_CONFIG_S_FEATURES_OK 0x8 /* The driver wrote the features it accepts; negotiation is complete once the device keeps this bit set. */
#define VIRTIO_CONFIG_S_NEEDS_RESET 0x40 /* Spec name DEVICE_NEEDS_RESET. The device hit an error it cannot recover from; the driver has to reset it. */
#define VIRTIO_CONFIG_S_FAILED 0x80 /* The driver gave up on the device; it must reset it before trying again. */

#endif /* VIRTIO_GEN_STATUS_H */
