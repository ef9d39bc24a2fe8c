/*
 * virtio-pci transport (spec 4.1), modern interface only: the common
 * configuration, notification, ISR and device configuration structures
 * found through the function's vendor-specific capabilities. Transitional
 * devices (PCI device ids 0x1000..0x103f) are driven through their modern
 * interface too; a device with only the legacy I/O interface is refused.
 *
 * The platform finds the function and assigns its BARs (on bare metal:
 * runtime/port/baremetal/pci_enum.h), then:
 *
 *     static struct virtio_pci_transport pt;   // lives as long as the device
 *     struct virtio_pci_function fn = { .cfg = ecam_address, .bar = {...} };
 *     struct virtio_device dev;
 *     if (virtio_pci_probe(&dev, &pt, &fn) != 0) ... pt.error says why
 *     ... virtio_negotiate(&dev, ...) as for virtio-mmio
 *
 * dev->base points at the transport state, so a driver may copy the
 * struct virtio_device as it does for virtio-mmio.
 */
#ifndef VIRTIO_PCI_H
#define VIRTIO_PCI_H

#include <virtio/transport.h>

/* Queues per device whose notification address the transport keeps;
 * higher queue indexes read as absent (queue_max 0). */
#ifndef VIRTIO_PCI_MAX_QUEUES
#define VIRTIO_PCI_MAX_QUEUES 32u /* queues per PCI device at most */
#endif

/* Where the platform mapped one BAR. size 0: not assigned (or the upper
 * half of a 64-bit BAR). */
struct virtio_pci_bar {
	uintptr_t base; /* CPU address of the BAR's first byte */
	uint64_t size;  /* bytes */
};

/* One PCI function as the platform found it. */
struct virtio_pci_function {
	uintptr_t cfg; /* CPU address of its configuration space (ECAM, 4 KiB) */
	struct virtio_pci_bar bar[PCI_NUM_BARS];
};

/* Per-device transport state, filled by virtio_pci_probe(). */
struct virtio_pci_transport {
	uintptr_t cfg;            /* configuration space */
	uintptr_t common;         /* struct virtio_pci_common_cfg */
	uintptr_t notify;         /* notification structure */
	uintptr_t isr;            /* ISR status byte */
	uintptr_t device;         /* device configuration (0 if none) */
	uint32_t notify_len;
	uint32_t notify_mult;     /* notify_off_multiplier */
	uint32_t device_len;
	uint16_t num_queues;      /* as the device reported it */
	uint16_t pci_device_id;
	uint8_t revision;
	bool transitional;        /* PCI device id 0x1000..0x103f */
	/* Offset of each enabled queue's notification address in the
	 * notification structure (checked against its length). */
	uint32_t queue_notify[VIRTIO_PCI_MAX_QUEUES];
	/* Why the probe failed (static text, NULL on success) and the
	 * configuration-space offset of the capability at fault (0: none). */
	const char *error;
	uint16_t error_at;
};

/*
 * Reads the function's identity and capability list and fills `dev`
 * (ops, device id, legacy = false, version = PCI Revision ID, vendor_id =
 * PCI Subsystem Vendor ID) and `t`. Enables memory decoding and bus
 * mastering in the Command register; touches no virtio device state.
 *
 * Returns 0; VIRTIO_ENODEV when the function is absent or not a VirtIO
 * device; VIRTIO_EVERSION when it has no usable modern interface (a
 * legacy-only device); VIRTIO_ECONFIG for a broken capability list: one
 * that loops or points into the header, a required structure that lies
 * outside its BAR, on an I/O BAR or on an unassigned one, is too short or
 * misaligned, or a notify_off_multiplier that is not 0 or a power of 2
 * of at least 2. t->error names the reason in every failure case.
 */
int virtio_pci_probe(struct virtio_device *dev, struct virtio_pci_transport *t,
		     const struct virtio_pci_function *fn);
extern const struct virtio_transport_ops virtio_pci_ops;

#endif /* VIRTIO_PCI_H */
