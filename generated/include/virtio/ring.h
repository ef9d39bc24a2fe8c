/*
 * Virtqueues (split and packed rings) (VirtIO 1.2 section 2.6).
 *
 * Generated from spec/ring.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_RING_H
#define VIRTIO_GEN_RING_H

#include <stdint.h>
#include <stddef.h>

/* Descriptor flags (spec VIRTQ_DESC_F_*). The packed ring uses the same values for these three flags (2.8.3, 2.8.6, 2.8.7). (section 2.7.5): masks. */
#define VRING_DESC_F_NEXT 0x1 /* The buffer continues in the descriptor named by next. */
#define VRING_DESC_F_WRITE 0x2 /* The buffer is device-writable (otherwise device-readable). */
#define VRING_DESC_F_INDIRECT 0x4 /* The buffer holds a table of indirect descriptors (needs VIRTIO_F_INDIRECT_DESC). */

/* Flags of the available ring (spec VIRTQ_AVAIL_F_*). (section 2.7.6): masks. */
#define VRING_AVAIL_F_NO_INTERRUPT 0x1 /* Driver hint: no used buffer notification wanted (only without VIRTIO_F_EVENT_IDX). */

/* Flags of the used ring (spec VIRTQ_USED_F_*). (section 2.7.8): masks. */
#define VRING_USED_F_NO_NOTIFY 0x1 /* Device hint: no available buffer notification wanted (only without VIRTIO_F_EVENT_IDX). */

/* Minimum alignment in bytes of the three parts of a split virtqueue. (section 2.7). */
#define VRING_DESC_ALIGN_SIZE 16 /* Descriptor table (Descriptor Area). */
#define VRING_AVAIL_ALIGN_SIZE 2 /* Available ring (Driver Area). */
#define VRING_USED_ALIGN_SIZE 4 /* Used ring (Device Area). */

/* Virtqueue size limits. Not a Linux uapi name. (section 2.7). */
#define VIRTIO_RING_MAX_SIZE 32768 /* Largest queue size of a split virtqueue; split queue sizes are powers of 2. */

/* Bit numbers (shifts) of the packed descriptor flags that track the ring wrap counters; the spec defines them as masks VIRTQ_DESC_F_AVAIL (1 << 7) and VIRTQ_DESC_F_USED (1 << 15). (section 2.8.1): bit numbers. */
#define VRING_PACKED_DESC_F_AVAIL 7 /* Set by the driver to its wrap counter when making the descriptor available. */
#define VRING_PACKED_DESC_F_USED 15 /* Set by the device to its wrap counter when marking the descriptor used. */

/* Values of the 2-bit event flags field of a packed ring event suppression structure (spec RING_EVENT_FLAGS_*); 3 is reserved. (section 2.8.10). */
#define VRING_PACKED_EVENT_FLAG_ENABLE 0 /* Notifications enabled. */
#define VRING_PACKED_EVENT_FLAG_DISABLE 1 /* Notifications disabled. */
#define VRING_PACKED_EVENT_FLAG_DESC 2 /* Notify only for the descriptor given by off_wrap (needs VIRTIO_F_EVENT_IDX). */

/* Bit layout of off_wrap in struct vring_packed_desc_event. (section 2.8.14): bit numbers. */
#define VRING_PACKED_EVENT_F_WRAP_CTR 15 /* Bit holding the wrap counter (desc_event_wrap); bits 0-14 hold the descriptor offset. */

#ifndef VIRTIO_GEN_PACKED
#define VIRTIO_GEN_PACKED __attribute__((packed))
#endif

/*
 * Split ring descriptor (spec struct virtq_desc); 16 bytes each in the descriptor table. (section 2.7.5)
 */
struct vring_desc {
	uint64_t addr; /* virtio64 (LE (modern) / guest-native (legacy)): Guest-physical (bus) address of the buffer. */
	uint32_t len; /* virtio32 (LE (modern) / guest-native (legacy)): Buffer length in bytes. */
	uint16_t flags; /* virtio16 (LE (modern) / guest-native (legacy)): VRING_DESC_F_* bits. */
	uint16_t next; /* virtio16 (LE (modern) / guest-native (legacy)): Index of the next descriptor when VRING_DESC_F_NEXT is set. */
};
_Static_assert(sizeof(struct vring_desc) == 16, "sizeof(struct vring_desc) must be 16 (section 2.7.5)");
_Static_assert(offsetof(struct vring_desc, addr) == 0, "offsetof(struct vring_desc, addr) must be 0 (section 2.7.5)");
_Static_assert(offsetof(struct vring_desc, len) == 8, "offsetof(struct vring_desc, len) must be 8 (section 2.7.5)");
_Static_assert(offsetof(struct vring_desc, flags) == 12, "offsetof(struct vring_desc, flags) must be 12 (section 2.7.5)");
_Static_assert(offsetof(struct vring_desc, next) == 14, "offsetof(struct vring_desc, next) must be 14 (section 2.7.5)");

/*
 * Available ring header (spec struct virtq_avail), followed by ring[queue size]; with VIRTIO_F_EVENT_IDX a virtio16 used_event comes after the last ring entry (not declared here, as in Linux). (section 2.7.6)
 */
struct vring_avail {
	uint16_t flags; /* virtio16 (LE (modern) / guest-native (legacy)): VRING_AVAIL_F_* bits. */
	uint16_t idx; /* virtio16 (LE (modern) / guest-native (legacy)): Free-running index of the next ring slot the driver fills. */
	uint16_t ring[]; /* virtio16[] (LE (modern) / guest-native (legacy)): Heads of the descriptor chains made available. */
};
_Static_assert(sizeof(struct vring_avail) == 4, "sizeof(struct vring_avail) must be 4 (section 2.7.6)");
_Static_assert(offsetof(struct vring_avail, flags) == 0, "offsetof(struct vring_avail, flags) must be 0 (section 2.7.6)");
_Static_assert(offsetof(struct vring_avail, idx) == 2, "offsetof(struct vring_avail, idx) must be 2 (section 2.7.6)");
_Static_assert(offsetof(struct vring_avail, ring) == 4, "offsetof(struct vring_avail, ring) must be 4 (section 2.7.6)");

/*
 * One used ring entry (spec struct virtq_used_elem). (section 2.7.8)
 */
struct vring_used_elem {
	uint32_t id; /* virtio32 (LE (modern) / guest-native (legacy)): Head index of the used descriptor chain (32 bits for padding). */
	uint32_t len; /* virtio32 (LE (modern) / guest-native (legacy)): Bytes the device wrote into the chain's device-writable buffers. */
};
_Static_assert(sizeof(struct vring_used_elem) == 8, "sizeof(struct vring_used_elem) must be 8 (section 2.7.8)");
_Static_assert(offsetof(struct vring_used_elem, id) == 0, "offsetof(struct vring_used_elem, id) must be 0 (section 2.7.8)");
_Static_assert(offsetof(struct vring_used_elem, len) == 4, "offsetof(struct vring_used_elem, len) must be 4 (section 2.7.8)");

/*
 * Used ring header (spec struct virtq_used), followed by ring[queue size]; with VIRTIO_F_EVENT_IDX a virtio16 avail_event comes after the last entry (not declared here, as in Linux). (section 2.7.8)
 */
struct vring_used {
	uint16_t flags; /* virtio16 (LE (modern) / guest-native (legacy)): VRING_USED_F_* bits. */
	uint16_t idx; /* virtio16 (LE (modern) / guest-native (legacy)): Free-running index of the next ring slot the device fills. */
	struct vring_used_elem ring[]; /* struct vring_used_elem[]: Used descriptor chains. */
};
_Static_assert(sizeof(struct vring_used) == 4, "sizeof(struct vring_used) must be 4 (section 2.7.8)");
_Static_assert(offsetof(struct vring_used, flags) == 0, "offsetof(struct vring_used, flags) must be 0 (section 2.7.8)");
_Static_assert(offsetof(struct vring_used, idx) == 2, "offsetof(struct vring_used, idx) must be 2 (section 2.7.8)");
_Static_assert(offsetof(struct vring_used, ring) == 4, "offsetof(struct vring_used, ring) must be 4 (section 2.7.8)");

/*
 * Packed ring descriptor (spec struct pvirtq_desc); 16 bytes each, ring aligned to 16. (section 2.8.13)
 */
struct vring_packed_desc {
	uint64_t addr; /* le64 (little-endian): Buffer address. */
	uint32_t len; /* le32 (little-endian): Buffer length in bytes (written length for used descriptors). */
	uint16_t id; /* le16 (little-endian): Buffer id chosen by the driver. */
	uint16_t flags; /* le16 (little-endian): VRING_DESC_F_* masks plus the AVAIL/USED bits (VRING_PACKED_DESC_F_*). */
};
_Static_assert(sizeof(struct vring_packed_desc) == 16, "sizeof(struct vring_packed_desc) must be 16 (section 2.8.13)");
_Static_assert(offsetof(struct vring_packed_desc, addr) == 0, "offsetof(struct vring_packed_desc, addr) must be 0 (section 2.8.13)");
_Static_assert(offsetof(struct vring_packed_desc, len) == 8, "offsetof(struct vring_packed_desc, len) must be 8 (section 2.8.13)");
_Static_assert(offsetof(struct vring_packed_desc, id) == 12, "offsetof(struct vring_packed_desc, id) must be 12 (section 2.8.13)");
_Static_assert(offsetof(struct vring_packed_desc, flags) == 14, "offsetof(struct vring_packed_desc, flags) must be 14 (section 2.8.13)");

/*
 * Packed ring event suppression structure (spec struct pvirtq_event_suppress), one each for driver and device, 4 bytes, aligned to 4. (section 2.8.14)
 */
struct vring_packed_desc_event {
	uint16_t off_wrap; /* le16 (little-endian): Event descriptor offset (bits 0-14) and wrap counter (bit 15); used with VRING_PACKED_EVENT_FLAG_DESC. */
	uint16_t flags; /* le16 (little-endian): VRING_PACKED_EVENT_FLAG_* in bits 0-1; bits 2-15 reserved, zero. */
};
_Static_assert(sizeof(struct vring_packed_desc_event) == 4, "sizeof(struct vring_packed_desc_event) must be 4 (section 2.8.14)");
_Static_assert(offsetof(struct vring_packed_desc_event, off_wrap) == 0, "offsetof(struct vring_packed_desc_event, off_wrap) must be 0 (section 2.8.14)");
_Static_assert(offsetof(struct vring_packed_desc_event, flags) == 2, "offsetof(struct vring_packed_desc_event, flags) must be 2 (section 2.8.14)");

#endif /* VIRTIO_GEN_RING_H */
