/*
 * Reserved (transport) feature bits (VirtIO 1.2 section 6).
 *
 * Generated from spec/features.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_FEATURES_H
#define VIRTIO_GEN_FEATURES_H

#include <stdint.h>

/* Feature bit ranges (section 2.2) as masks of the first 64 bits. */
#define VIRTIO_FEATURES_TRANSPORT_MASK 0x000001ffff000000ULL /* bits 24..40 */
#define VIRTIO_FEATURES_DEVICE_MASK 0xfffc000000ffffffULL /* bits 0..23, 50..63 */

/* Feature bits (section 6): bit numbers, as in Linux. */
#define VIRTIO_F_NOTIFY_ON_EMPTY 24 /* The device notifies the driver when a virtqueue runs out of available descriptors, even while notifications are suppressed. Legacy only. (6.3) */
#define VIRTIO_F_ANY_LAYOUT 27 /* The device makes no assumption about how a request is split over descriptors (modern devices always behave this way). Legacy only. (6.3) */
#define VIRTIO_F_INDIRECT_DESC 28 /* The driver may use indirect descriptor tables (VRING_DESC_F_INDIRECT). (6) */
#define VIRTIO_RING_F_INDIRECT_DESC 28 /* same as VIRTIO_F_INDIRECT_DESC */
#define VIRTIO_F_EVENT_IDX 29 /* Enables the used_event / avail_event notification suppression indices. (6) */
#define VIRTIO_RING_F_EVENT_IDX 29 /* same as VIRTIO_F_EVENT_IDX */
#define VIRTIO_F_UNUSED 30 /* Bit 30 served QEMU to detect pre-standard drivers with broken feature negotiation; it is never to be negotiated. No Linux uapi name. Legacy only. (6.3) */
#define VIRTIO_F_VERSION_1 32 /* The device complies with VirtIO 1.x; absent for legacy devices. (6) */
#define VIRTIO_F_ACCESS_PLATFORM 33 /* Device memory access may be restricted or translated by the platform (for example an IOMMU), so the driver must hand out bus addresses. (6) */
#define VIRTIO_F_IOMMU_PLATFORM 33 /* same as VIRTIO_F_ACCESS_PLATFORM */
#define VIRTIO_F_RING_PACKED 34 /* The packed virtqueue layout is supported. (6) */
#define VIRTIO_F_IN_ORDER 35 /* The device uses buffers in the order they were made available. (6) */
#define VIRTIO_F_ORDER_PLATFORM 36 /* Driver/device memory accesses are ordered as for real hardware, so the driver must use the platform's device barriers. (6) */
#define VIRTIO_F_SR_IOV 37 /* The device supports PCI Single Root I/O Virtualization. (6) */
#define VIRTIO_F_NOTIFICATION_DATA 38 /* Driver notifications carry extra data besides the virtqueue index (see 2.9). (6) */
#define VIRTIO_F_NOTIF_CONFIG_DATA 39 /* The driver sends a device-provided per-queue value instead of the queue index in available buffer notifications (transport specific). (6) */
#define VIRTIO_F_RING_RESET 40 /* Individual virtqueues can be reset and re-enabled. (6) */

#endif /* VIRTIO_GEN_FEATURES_H */
