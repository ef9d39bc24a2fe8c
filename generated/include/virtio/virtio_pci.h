/*
 * Virtio over PCI bus (VirtIO 1.2 section 4.1).
 *
 * Generated from spec/pci.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_VIRTIO_PCI_H
#define VIRTIO_GEN_VIRTIO_PCI_H

#include <stdint.h>
#include <stddef.h>

/* PCI identification of a VirtIO function. Not Linux uapi names. (section 4.1.2). */
#define VIRTIO_PCI_VENDOR_ID 6900 /* PCI Vendor ID of every VirtIO function. */
#define VIRTIO_PCI_DEVICE_ID_MODERN_BASE 4160 /* PCI Device ID of a non-transitional device: this plus the virtio device id. */
#define VIRTIO_PCI_DEVICE_ID_MODERN_LAST 4223 /* Highest PCI Device ID of a non-transitional device. */
#define VIRTIO_PCI_DEVICE_ID_TRANS_FIRST 4096 /* Lowest transitional PCI Device ID; the virtio device id is then the PCI Subsystem Device ID. */
#define VIRTIO_PCI_DEVICE_ID_TRANS_LAST 4159 /* Highest transitional PCI Device ID. */

/* Transitional PCI Device IDs, one per device type that had a legacy interface (names as linux/virtio_ids.h). (section 4.1.2.3). */
#define VIRTIO_TRANS_ID_NET 4096 /* Network card. */
#define VIRTIO_TRANS_ID_BLOCK 4097 /* Block device. */
#define VIRTIO_TRANS_ID_BALLOON 4098 /* Memory ballooning (traditional). */
#define VIRTIO_TRANS_ID_CONSOLE 4099 /* Console. */
#define VIRTIO_TRANS_ID_SCSI 4100 /* SCSI host. */
#define VIRTIO_TRANS_ID_RNG 4101 /* Entropy source. */
#define VIRTIO_TRANS_ID_9P 4105 /* 9P transport. */

/* Values of cfg_type in struct virtio_pci_cap; any other value is reserved and the driver ignores the capability. (section 4.1.4). */
#define VIRTIO_PCI_CAP_COMMON_CFG 1 /* Common configuration (struct virtio_pci_common_cfg). */
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2 /* Notifications (struct virtio_pci_notify_cap). */
#define VIRTIO_PCI_CAP_ISR_CFG 3 /* ISR status byte. */
#define VIRTIO_PCI_CAP_DEVICE_CFG 4 /* Device-specific configuration (optional: devices without configuration have none). */
#define VIRTIO_PCI_CAP_PCI_CFG 5 /* PCI configuration access window (struct virtio_pci_cfg_cap): BAR access through configuration space. */
#define VIRTIO_PCI_CAP_SHARED_MEMORY_CFG 8 /* Shared memory region (struct virtio_pci_cap64). */

/* Bits of the ISR status byte; a read returns them and clears them. VIRTIO_PCI_ISR_QUEUE is not a Linux name. (section 4.1.4.5): masks. */
#define VIRTIO_PCI_ISR_QUEUE 0x1 /* Queue interrupt (used buffer notification). */
#define VIRTIO_PCI_ISR_CONFIG 0x2 /* Device configuration interrupt. */

/* MSI-X vector numbers in msix_config and queue_msix_vector. (section 4.1.5.1.2). */
#define VIRTIO_MSI_NO_VECTOR 65535 /* No MSI-X vector (the interrupt goes through INTx and the ISR byte). */

/* Notification structure sizes. Not Linux names. (section 4.1.4.4). */
#define VIRTIO_PCI_NOTIFY_WIDTH 2 /* Bytes of one queue notification write (le16 queue index) without VIRTIO_F_NOTIFICATION_DATA: cap.length >= queue_notify_off * notify_off_multiplier + 2. */

/*
 * Byte offsets of the fields of a virtio capability in PCI configuration space, from the capability's start. (section 4.1.4).
 * Offsets in bytes; access r = device to driver, w = driver to device.
 */
#define VIRTIO_PCI_CAP_VNDR 0x000 /* cap_vndr: 8-bit r. Capability id. */
#define VIRTIO_PCI_CAP_NEXT 0x001 /* cap_next: 8-bit r. Next capability. */
#define VIRTIO_PCI_CAP_LEN 0x002 /* cap_len: 8-bit r. Capability length. */
#define VIRTIO_PCI_CAP_CFG_TYPE 0x003 /* cfg_type: 8-bit r. Structure type. */
#define VIRTIO_PCI_CAP_BAR 0x004 /* bar: 8-bit r. BAR index. */
#define VIRTIO_PCI_CAP_OFFSET 0x008 /* offset: 32-bit r. Offset inside the BAR. */
#define VIRTIO_PCI_CAP_LENGTH 0x00c /* length: 32-bit r. Structure length. */
#define VIRTIO_PCI_NOTIFY_CAP_MULT 0x010 /* notify_off_multiplier: 32-bit r. Notification capability only. */

/*
 * Byte offsets of the common configuration fields (struct virtio_pci_common_cfg plus the two 1.2 additions). (section 4.1.4.3).
 * Offsets in bytes; access r = device to driver, w = driver to device.
 */
#define VIRTIO_PCI_COMMON_DFSELECT 0x000 /* device_feature_select: 32-bit rw. Offered feature word select. */
#define VIRTIO_PCI_COMMON_DF 0x004 /* device_feature: 32-bit r. Offered features. */
#define VIRTIO_PCI_COMMON_GFSELECT 0x008 /* driver_feature_select: 32-bit rw. Accepted feature word select. */
#define VIRTIO_PCI_COMMON_GF 0x00c /* driver_feature: 32-bit rw. Accepted features. */
#define VIRTIO_PCI_COMMON_MSIX 0x010 /* config_msix_vector: 16-bit rw. Configuration change MSI-X vector. */
#define VIRTIO_PCI_COMMON_NUMQ 0x012 /* num_queues: 16-bit r. Number of queues. */
#define VIRTIO_PCI_COMMON_STATUS 0x014 /* device_status: 8-bit rw. Device status. */
#define VIRTIO_PCI_COMMON_CFGGENERATION 0x015 /* config_generation: 8-bit r. Configuration generation. */
#define VIRTIO_PCI_COMMON_Q_SELECT 0x016 /* queue_select: 16-bit rw. Queue select. */
#define VIRTIO_PCI_COMMON_Q_SIZE 0x018 /* queue_size: 16-bit rw. Queue size (maximum on read after reset). */
#define VIRTIO_PCI_COMMON_Q_MSIX 0x01a /* queue_msix_vector: 16-bit rw. Queue MSI-X vector. */
#define VIRTIO_PCI_COMMON_Q_ENABLE 0x01c /* queue_enable: 16-bit rw. Queue enable. */
#define VIRTIO_PCI_COMMON_Q_NOFF 0x01e /* queue_notify_off: 16-bit r. Queue notification offset. */
#define VIRTIO_PCI_COMMON_Q_DESCLO 0x020 /* queue_desc: 32-bit rw. Descriptor Area, low half. */
#define VIRTIO_PCI_COMMON_Q_DESCHI 0x024 /* queue_desc: 32-bit rw. Descriptor Area, high half. */
#define VIRTIO_PCI_COMMON_Q_AVAILLO 0x028 /* queue_driver: 32-bit rw. Driver Area, low half. */
#define VIRTIO_PCI_COMMON_Q_AVAILHI 0x02c /* queue_driver: 32-bit rw. Driver Area, high half. */
#define VIRTIO_PCI_COMMON_Q_USEDLO 0x030 /* queue_device: 32-bit rw. Device Area, low half. */
#define VIRTIO_PCI_COMMON_Q_USEDHI 0x034 /* queue_device: 32-bit rw. Device Area, high half. */
#define VIRTIO_PCI_COMMON_Q_NDATA 0x038 /* queue_notify_data: 16-bit r. Notification data (VIRTIO_F_NOTIF_CONFIG_DATA). */
#define VIRTIO_PCI_COMMON_Q_RESET 0x03a /* queue_reset: 16-bit rw. Queue reset (VIRTIO_F_RING_RESET). */

#ifndef VIRTIO_GEN_PACKED
#define VIRTIO_GEN_PACKED __attribute__((packed))
#endif

/*
 * A vendor-specific PCI capability (cap_vndr PCI_CAP_ID_VNDR) locating one virtio structure: bar 0..5 names the BAR (other values are reserved: ignore the capability), offset and length the structure inside it. cap_len counts this structure plus its extra data. (section 4.1.4)
 */
struct virtio_pci_cap {
	uint8_t cap_vndr; /* u8: PCI capability id (PCI_CAP_ID_VNDR). */
	uint8_t cap_next; /* u8: Configuration-space offset of the next capability (0 ends the list). */
	uint8_t cap_len; /* u8: Length of this capability including extra data; may be larger than needed. */
	uint8_t cfg_type; /* u8: Which structure: VIRTIO_PCI_CAP_*. */
	uint8_t bar; /* u8: BAR index 0..5 holding the structure. */
	uint8_t id; /* u8: Tells several capabilities of one type apart where a device type defines it. */
	uint8_t padding[2]; /* u8[2], reserved: Pads to a full dword. */
	uint32_t offset; /* le32 (little-endian): Where the structure begins inside the BAR. */
	uint32_t length; /* le32 (little-endian): Length of the structure in bytes; may include padding. */
};
_Static_assert(sizeof(struct virtio_pci_cap) == 16, "sizeof(struct virtio_pci_cap) must be 16 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap, cap_vndr) == 0, "offsetof(struct virtio_pci_cap, cap_vndr) must be 0 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap, cap_next) == 1, "offsetof(struct virtio_pci_cap, cap_next) must be 1 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap, cap_len) == 2, "offsetof(struct virtio_pci_cap, cap_len) must be 2 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap, cfg_type) == 3, "offsetof(struct virtio_pci_cap, cfg_type) must be 3 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap, bar) == 4, "offsetof(struct virtio_pci_cap, bar) must be 4 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap, id) == 5, "offsetof(struct virtio_pci_cap, id) must be 5 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap, padding) == 6, "offsetof(struct virtio_pci_cap, padding) must be 6 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap, offset) == 8, "offsetof(struct virtio_pci_cap, offset) must be 8 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap, length) == 12, "offsetof(struct virtio_pci_cap, length) must be 12 (section 4.1.4)");

/*
 * A capability whose offset and length need 64 bits (shared memory regions). (section 4.1.4)
 */
struct virtio_pci_cap64 {
	struct virtio_pci_cap cap; /* struct virtio_pci_cap: The 32-bit part. */
	uint32_t offset_hi; /* le32 (little-endian): Most significant 32 bits of the offset. */
	uint32_t length_hi; /* le32 (little-endian): Most significant 32 bits of the length. */
};
_Static_assert(sizeof(struct virtio_pci_cap64) == 24, "sizeof(struct virtio_pci_cap64) must be 24 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap) == 0, "offsetof(struct virtio_pci_cap64, cap) must be 0 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap.cap_vndr) == 0, "offsetof(struct virtio_pci_cap64, cap.cap_vndr) must be 0 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap.cap_next) == 1, "offsetof(struct virtio_pci_cap64, cap.cap_next) must be 1 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap.cap_len) == 2, "offsetof(struct virtio_pci_cap64, cap.cap_len) must be 2 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap.cfg_type) == 3, "offsetof(struct virtio_pci_cap64, cap.cfg_type) must be 3 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap.bar) == 4, "offsetof(struct virtio_pci_cap64, cap.bar) must be 4 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap.id) == 5, "offsetof(struct virtio_pci_cap64, cap.id) must be 5 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap.padding) == 6, "offsetof(struct virtio_pci_cap64, cap.padding) must be 6 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap.offset) == 8, "offsetof(struct virtio_pci_cap64, cap.offset) must be 8 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, cap.length) == 12, "offsetof(struct virtio_pci_cap64, cap.length) must be 12 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, offset_hi) == 16, "offsetof(struct virtio_pci_cap64, offset_hi) must be 16 (section 4.1.4)");
_Static_assert(offsetof(struct virtio_pci_cap64, length_hi) == 20, "offsetof(struct virtio_pci_cap64, length_hi) must be 20 (section 4.1.4)");

/*
 * The notification capability. Queue q is notified by writing its index at cap.offset + queue_notify_off(q) * notify_off_multiplier in the BAR; the multiplier is 0 or an even power of 2. (section 4.1.4.4)
 */
struct virtio_pci_notify_cap {
	struct virtio_pci_cap cap; /* struct virtio_pci_cap: Location of the notification area. */
	uint32_t notify_off_multiplier; /* le32 (little-endian): Multiplier for queue_notify_off. */
};
_Static_assert(sizeof(struct virtio_pci_notify_cap) == 20, "sizeof(struct virtio_pci_notify_cap) must be 20 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap) == 0, "offsetof(struct virtio_pci_notify_cap, cap) must be 0 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap.cap_vndr) == 0, "offsetof(struct virtio_pci_notify_cap, cap.cap_vndr) must be 0 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap.cap_next) == 1, "offsetof(struct virtio_pci_notify_cap, cap.cap_next) must be 1 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap.cap_len) == 2, "offsetof(struct virtio_pci_notify_cap, cap.cap_len) must be 2 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap.cfg_type) == 3, "offsetof(struct virtio_pci_notify_cap, cap.cfg_type) must be 3 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap.bar) == 4, "offsetof(struct virtio_pci_notify_cap, cap.bar) must be 4 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap.id) == 5, "offsetof(struct virtio_pci_notify_cap, cap.id) must be 5 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap.padding) == 6, "offsetof(struct virtio_pci_notify_cap, cap.padding) must be 6 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap.offset) == 8, "offsetof(struct virtio_pci_notify_cap, cap.offset) must be 8 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, cap.length) == 12, "offsetof(struct virtio_pci_notify_cap, cap.length) must be 12 (section 4.1.4.4)");
_Static_assert(offsetof(struct virtio_pci_notify_cap, notify_off_multiplier) == 16, "offsetof(struct virtio_pci_notify_cap, notify_off_multiplier) must be 16 (section 4.1.4.4)");

/*
 * The PCI configuration access capability: a window in configuration space through which the driver reaches BAR contents (cap.bar, cap.offset and cap.length select what pci_cfg_data shows). (section 4.1.4.8)
 */
struct virtio_pci_cfg_cap {
	struct virtio_pci_cap cap; /* struct virtio_pci_cap: Selects BAR, offset and access width (the driver writes these). */
	uint8_t pci_cfg_data[4]; /* u8[4]: Data for the BAR access. */
};
_Static_assert(sizeof(struct virtio_pci_cfg_cap) == 20, "sizeof(struct virtio_pci_cfg_cap) must be 20 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap) == 0, "offsetof(struct virtio_pci_cfg_cap, cap) must be 0 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap.cap_vndr) == 0, "offsetof(struct virtio_pci_cfg_cap, cap.cap_vndr) must be 0 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap.cap_next) == 1, "offsetof(struct virtio_pci_cfg_cap, cap.cap_next) must be 1 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap.cap_len) == 2, "offsetof(struct virtio_pci_cfg_cap, cap.cap_len) must be 2 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap.cfg_type) == 3, "offsetof(struct virtio_pci_cfg_cap, cap.cfg_type) must be 3 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap.bar) == 4, "offsetof(struct virtio_pci_cfg_cap, cap.bar) must be 4 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap.id) == 5, "offsetof(struct virtio_pci_cfg_cap, cap.id) must be 5 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap.padding) == 6, "offsetof(struct virtio_pci_cfg_cap, cap.padding) must be 6 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap.offset) == 8, "offsetof(struct virtio_pci_cfg_cap, cap.offset) must be 8 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, cap.length) == 12, "offsetof(struct virtio_pci_cfg_cap, cap.length) must be 12 (section 4.1.4.8)");
_Static_assert(offsetof(struct virtio_pci_cfg_cap, pci_cfg_data) == 16, "offsetof(struct virtio_pci_cfg_cap, pci_cfg_data) must be 16 (section 4.1.4.8)");

/*
 * The common configuration structure. The queue fields refer to the queue chosen by queue_select. VirtIO 1.2 adds queue_notify_data (56) and queue_reset (58) after these fields; Linux's uapi structure stops at 56 bytes and so does this one (their offsets are VIRTIO_PCI_COMMON_Q_NDATA and VIRTIO_PCI_COMMON_Q_RESET). (section 4.1.4.3)
 */
struct virtio_pci_common_cfg {
	uint32_t device_feature_select; /* le32 (little-endian): Selects which 32-bit word of offered features device_feature shows. */
	uint32_t device_feature; /* le32 (little-endian): Offered feature bits (word device_feature_select). */
	uint32_t guest_feature_select; /* le32 (little-endian): Selects which word guest_feature writes (spec: driver_feature_select). */
	uint32_t guest_feature; /* le32 (little-endian): Accepted feature bits (spec: driver_feature). */
	uint16_t msix_config; /* le16 (little-endian): MSI-X vector for configuration changes (spec: config_msix_vector). */
	uint16_t num_queues; /* le16 (little-endian): Number of queues the device supports. */
	uint8_t device_status; /* u8: Device status (2.1); writing 0 resets the device. */
	uint8_t config_generation; /* u8: Changes whenever the device configuration changes (2.5.1). */
	uint16_t queue_select; /* le16 (little-endian): Queue the queue_* fields refer to. */
	uint16_t queue_size; /* le16 (little-endian): Reads the largest size at reset (0: queue unavailable); the driver may write a smaller power of 2. */
	uint16_t queue_msix_vector; /* le16 (little-endian): MSI-X vector of the selected queue. */
	uint16_t queue_enable; /* le16 (little-endian): Write 1 after the other queue fields to enable the queue; reads 0 after reset. */
	uint16_t queue_notify_off; /* le16 (little-endian): Multiplied by notify_off_multiplier to find the queue's notification address. */
	uint32_t queue_desc_lo; /* le32 (little-endian): Descriptor Area address, low 32 bits. */
	uint32_t queue_desc_hi; /* le32 (little-endian): Descriptor Area address, high 32 bits. */
	uint32_t queue_avail_lo; /* le32 (little-endian): Driver Area address, low 32 bits (spec: queue_driver). */
	uint32_t queue_avail_hi; /* le32 (little-endian): Driver Area address, high 32 bits. */
	uint32_t queue_used_lo; /* le32 (little-endian): Device Area address, low 32 bits (spec: queue_device). */
	uint32_t queue_used_hi; /* le32 (little-endian): Device Area address, high 32 bits. */
};
_Static_assert(sizeof(struct virtio_pci_common_cfg) == 56, "sizeof(struct virtio_pci_common_cfg) must be 56 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, device_feature_select) == 0, "offsetof(struct virtio_pci_common_cfg, device_feature_select) must be 0 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, device_feature) == 4, "offsetof(struct virtio_pci_common_cfg, device_feature) must be 4 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, guest_feature_select) == 8, "offsetof(struct virtio_pci_common_cfg, guest_feature_select) must be 8 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, guest_feature) == 12, "offsetof(struct virtio_pci_common_cfg, guest_feature) must be 12 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, msix_config) == 16, "offsetof(struct virtio_pci_common_cfg, msix_config) must be 16 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, num_queues) == 18, "offsetof(struct virtio_pci_common_cfg, num_queues) must be 18 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, device_status) == 20, "offsetof(struct virtio_pci_common_cfg, device_status) must be 20 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, config_generation) == 21, "offsetof(struct virtio_pci_common_cfg, config_generation) must be 21 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_select) == 22, "offsetof(struct virtio_pci_common_cfg, queue_select) must be 22 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_size) == 24, "offsetof(struct virtio_pci_common_cfg, queue_size) must be 24 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_msix_vector) == 26, "offsetof(struct virtio_pci_common_cfg, queue_msix_vector) must be 26 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_enable) == 28, "offsetof(struct virtio_pci_common_cfg, queue_enable) must be 28 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_notify_off) == 30, "offsetof(struct virtio_pci_common_cfg, queue_notify_off) must be 30 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_desc_lo) == 32, "offsetof(struct virtio_pci_common_cfg, queue_desc_lo) must be 32 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_desc_hi) == 36, "offsetof(struct virtio_pci_common_cfg, queue_desc_hi) must be 36 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_avail_lo) == 40, "offsetof(struct virtio_pci_common_cfg, queue_avail_lo) must be 40 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_avail_hi) == 44, "offsetof(struct virtio_pci_common_cfg, queue_avail_hi) must be 44 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_used_lo) == 48, "offsetof(struct virtio_pci_common_cfg, queue_used_lo) must be 48 (section 4.1.4.3)");
_Static_assert(offsetof(struct virtio_pci_common_cfg, queue_used_hi) == 52, "offsetof(struct virtio_pci_common_cfg, queue_used_hi) must be 52 (section 4.1.4.3)");

#endif /* VIRTIO_GEN_VIRTIO_PCI_H */
