/*
 * Virtio over MMIO (VirtIO 1.2 section 4.2).
 *
 * Generated from spec/mmio.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_MMIO_H
#define VIRTIO_GEN_MMIO_H

#include <stdint.h>

/* Expected content of the MagicValue register. (section 4.2.2). */
#define VIRTIO_MMIO_MAGIC 0x74726976 /* "virt" read as a little-endian 32-bit word. */

/* Event bits of InterruptStatus and InterruptACK. (section 4.2.2): masks. */
#define VIRTIO_MMIO_INT_VRING 0x1 /* Used buffer notification (some queue has used buffers). */
#define VIRTIO_MMIO_INT_CONFIG 0x2 /* Configuration change notification. */

/*
 * virtio-mmio control registers, offsets from the base of the device window. (section 4.2.2).
 * Offsets in bytes; access r = device to driver, w = driver to device.
 */
#define VIRTIO_MMIO_MAGIC_VALUE 0x000 /* MagicValue: 32-bit r, version 1+2. Reads 0x74726976, "virt" in little-endian byte order. */
#define VIRTIO_MMIO_VERSION 0x004 /* Version: 32-bit r, version 1+2. Transport version: 2 for this layout, 1 for the legacy layout (4.2.4). */
#define VIRTIO_MMIO_DEVICE_ID 0x008 /* DeviceID: 32-bit r, version 1+2. Device type id (chapter 5); 0 marks an empty placeholder slot the driver must skip. */
#define VIRTIO_MMIO_VENDOR_ID 0x00c /* VendorID: 32-bit r, version 1+2. Subsystem vendor id. */
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010 /* DeviceFeatures: 32-bit r, version 1+2. 32 offered feature bits, word chosen by DEVICE_FEATURES_SEL. Legacy name HostFeatures. */
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014 /* DeviceFeaturesSel: 32-bit w, version 1+2. Selects which 32-bit word of offered features DEVICE_FEATURES shows. Legacy name HostFeaturesSel. */
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020 /* DriverFeatures: 32-bit w, version 1+2. 32 accepted feature bits, word chosen by DRIVER_FEATURES_SEL. Legacy name GuestFeatures. */
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024 /* DriverFeaturesSel: 32-bit w, version 1+2. Selects which 32-bit word of accepted features DRIVER_FEATURES writes. Legacy name GuestFeaturesSel. */
#define VIRTIO_MMIO_GUEST_PAGE_SIZE 0x028 /* GuestPageSize: 32-bit w, version 1. Legacy only: guest page size in bytes (a power of 2), the unit of QUEUE_PFN; written before any queue is set up. */
#define VIRTIO_MMIO_QUEUE_SEL 0x030 /* QueueSel: 32-bit w, version 1+2. Index of the virtqueue the per-queue registers refer to; queues count from 0. */
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034 /* QueueNumMax: 32-bit r, version 1+2. Largest size the selected queue supports; 0 if the queue does not exist. */
#define VIRTIO_MMIO_QUEUE_NUM 0x038 /* QueueNum: 32-bit w, version 1+2. Size (number of entries) the driver chose for the selected queue, at most QUEUE_NUM_MAX. */
#define VIRTIO_MMIO_QUEUE_ALIGN 0x03c /* QueueAlign: 32-bit w, version 1. Legacy only: alignment in bytes (a power of 2) of the used ring inside the selected queue. */
#define VIRTIO_MMIO_QUEUE_PFN 0x040 /* QueuePFN: 32-bit rw, version 1. Legacy only: page number (in GUEST_PAGE_SIZE units) of the selected queue; 0 means not in use, writing 0 stops the queue. */
#define VIRTIO_MMIO_QUEUE_READY 0x044 /* QueueReady: 32-bit rw, version 2. Write 1 to let the device use the selected queue, 0 to stop it (then read back). */
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050 /* QueueNotify: 32-bit w, version 1+2. Available buffer notification: the queue index, or the notification data when VIRTIO_F_NOTIFICATION_DATA is negotiated. */
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060 /* InterruptStatus: 32-bit r, version 1+2. Events behind the asserted interrupt: VIRTIO_MMIO_INT_VRING, VIRTIO_MMIO_INT_CONFIG. */
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064 /* InterruptACK: 32-bit w, version 1+2. Write the handled InterruptStatus bits to acknowledge them. */
#define VIRTIO_MMIO_STATUS 0x070 /* Status: 32-bit rw, version 1+2. Device status (VIRTIO_CONFIG_S_*); writing 0 resets the device. */
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080 /* QueueDescLow: 32-bit w, version 2. Low 32 bits of the selected queue's Descriptor Area address. */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084 /* QueueDescHigh: 32-bit w, version 2. High 32 bits of the selected queue's Descriptor Area address. */
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW 0x090 /* QueueDriverLow: 32-bit w, version 2. Low 32 bits of the selected queue's Driver Area (available ring) address. */
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH 0x094 /* QueueDriverHigh: 32-bit w, version 2. High 32 bits of the selected queue's Driver Area (available ring) address. */
#define VIRTIO_MMIO_QUEUE_USED_LOW 0x0a0 /* QueueDeviceLow: 32-bit w, version 2. Low 32 bits of the selected queue's Device Area (used ring) address. */
#define VIRTIO_MMIO_QUEUE_USED_HIGH 0x0a4 /* QueueDeviceHigh: 32-bit w, version 2. High 32 bits of the selected queue's Device Area (used ring) address. */
#define VIRTIO_MMIO_SHM_SEL 0x0ac /* SHMSel: 32-bit w, version 2. Selects the shared memory region (2.10) the SHM_LEN/SHM_BASE registers describe. New in 1.2. */
#define VIRTIO_MMIO_SHM_LEN_LOW 0x0b0 /* SHMLenLow: 32-bit r, version 2. Low 32 bits of the selected region's length; a missing region reads as length -1 (all ones). New in 1.2. */
#define VIRTIO_MMIO_SHM_LEN_HIGH 0x0b4 /* SHMLenHigh: 32-bit r, version 2. High 32 bits of the selected region's length. New in 1.2. */
#define VIRTIO_MMIO_SHM_BASE_LOW 0x0b8 /* SHMBaseLow: 32-bit r, version 2. Low 32 bits of the selected region's physical base; a missing region reads as all ones. New in 1.2. */
#define VIRTIO_MMIO_SHM_BASE_HIGH 0x0bc /* SHMBaseHigh: 32-bit r, version 2. High 32 bits of the selected region's physical base. New in 1.2. */
#define VIRTIO_MMIO_QUEUE_RESET 0x0c0 /* QueueReset: 32-bit rw, version 2. With VIRTIO_F_RING_RESET: write 1 to reset the selected queue; reads 1 until the reset is done. New in 1.2 (not in Linux 6.1 uapi). */
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc /* ConfigGeneration: 32-bit r, version 2. Changes whenever the device configuration may have changed; re-read around config accesses to detect torn reads. */
#define VIRTIO_MMIO_CONFIG 0x100 /* Config: 8-bit rw, version 1+2. Start of the device-specific configuration space (size depends on the device); accessed with the width of each field. */

#endif /* VIRTIO_GEN_MMIO_H */
