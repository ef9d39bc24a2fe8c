/*
 * A PCI flavour of the device model: a PCIe bus behind an ECAM window and
 * virtio-pci functions on it, each wrapping an ordinary struct dm_device
 * (devmodel.h) that does the virtqueue work.
 *
 * A function has a raw 4 KiB configuration space (`cfg`, public: tests
 * write hostile capability lists into it byte by byte), a 64-bit memory
 * BAR 4 laid out as QEMU does (common configuration at 0x0000, ISR at
 * 0x1000, device configuration at 0x2000, notifications at 0x3000) that
 * appears at the address programmed into BAR 4 once memory decoding is on,
 * and, for transitional functions, an I/O BAR 0 (never decoded here).
 *
 * The common configuration is translated onto the wrapped virtio-mmio
 * model's registers, so status, features, queues, config space and
 * interrupts behave exactly as there. What only PCI has is checked here:
 * access widths of the common configuration fields, queue_size writes (0
 * or not a power of 2), queue_enable 0 writes, and that a queue is
 * notified at cap.offset + queue_notify_off * notify_off_multiplier.
 * Violations count in dm->violations like the model's own.
 *
 * The virtio-pci constants are written here a second time, from the
 * VirtIO 1.2 specification (4.1) and PCI 3.0, on purpose (see devmodel.h).
 */
#ifndef VIRTIO_PCI_MODEL_H
#define VIRTIO_PCI_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "devmodel.h"

#define PM_BUS_SIZE (1u << 20) /* ECAM window of one bus */
#define PM_CFG_SIZE 4096u
#define PM_BAR_SIZE 0x4000u
#define PM_MAX_FUNCS 8

/* BAR 4 layout. */
#define PM_COMMON_OFF 0x0000u
#define PM_ISR_OFF 0x1000u
#define PM_DEVICE_OFF 0x2000u
#define PM_NOTIFY_OFF 0x3000u
#define PM_NOTIFY_MULT 4u

/* Capability positions of the default list (next pointers chain them in
 * this order; PM_CAP_PCI_AT is last). */
#define PM_CAP_COMMON_AT 0x40u
#define PM_CAP_ISR_AT 0x50u
#define PM_CAP_DEVICE_AT 0x60u
#define PM_CAP_NOTIFY_AT 0x70u
#define PM_CAP_PCI_AT 0x84u

struct pm_bus;

struct pm_func {
	struct pm_bus *bus;
	unsigned devfn;             /* device << 3 | function */
	struct dm_device *dm;       /* the virtio device behind */
	uint8_t cfg[PM_CFG_SIZE];   /* raw configuration space */
	uint64_t bar4_size;         /* size answered to BAR sizing */
	uintptr_t mapped;           /* where BAR 4 is mapped now (0: not) */
	bool transitional;
	bool bridge;                /* type 1 header (pm_bridge_create) */
	/* Common configuration state the mmio model has no register for. */
	uint32_t dfselect, gfselect;
	uint16_t msix_config, queue_select;
	uint16_t queue_size[DM_MAX_QUEUES]; /* 0: not written since reset */
	uint16_t queue_msix[DM_MAX_QUEUES];
	uint16_t queue_notify_off[DM_MAX_QUEUES]; /* what Q_NOFF reads */
	int num_queues_override;    /* >= 0: what num_queues reads */
	uint32_t notify_mult;       /* what the notify capability says */
	uint64_t notifies;          /* notification writes seen */
	uint64_t isr_reads;
};

struct pm_bus {
	uintptr_t ecam;
	uintptr_t next_dm;          /* where the next wrapped mmio model goes */
	struct pm_func *funcs[PM_MAX_FUNCS];
	unsigned nfuncs;
};

/* A bus at ECAM address `ecam`; absent functions read all-ones. The
 * wrapped mmio models are mapped from `dm_base` up (4 KiB each). */
struct pm_bus *pm_bus_create(uintptr_t ecam, uintptr_t dm_base);
void pm_bus_destroy(struct pm_bus *bus); /* also destroys its functions */

/*
 * A virtio-pci function at `device` (function 0) of virtio type
 * `device_id` with `num_queues` queues of size `num_max`. Modern: PCI
 * device id 0x1040 + device_id, revision 1; transitional: the
 * transitional id for the type, revision 0, subsystem id = device_id and
 * an I/O BAR 0. The default capability list is common, ISR, device
 * configuration (only if the device has configuration bytes when
 * pm_build_caps runs: call it again after attaching a backend), notify,
 * PCI configuration access. BARs are unassigned until pm_assign_bar4.
 */
struct pm_func *pm_create(struct pm_bus *bus, unsigned device, uint32_t device_id,
			  bool transitional, unsigned num_queues, uint16_t num_max);
/*
 * A PCI-to-PCI bridge (type 1 header, no BARs) at `device` of `bus`: bus
 * number and window registers are plain read/write storage. The model does
 * no routing: the functions behind it live on the pm_bus created at
 * ECAM + (secondary << 20), which the test makes beforehand.
 */
struct pm_func *pm_bridge_create(struct pm_bus *bus, unsigned device);

/* Rewrites the default capability list (after changing the device). */
void pm_build_caps(struct pm_func *f);
/* Programs BAR 4 with `addr` and turns memory decoding on (what an
 * enumerator would do). */
void pm_assign_bar4(struct pm_func *f, uint64_t addr);

/* Writes one virtio capability at `at` (cap_len 16, or 20 for notify). */
void pm_cap_write(struct pm_func *f, unsigned at, unsigned next, uint8_t cfg_type,
		  uint8_t bar, uint32_t offset, uint32_t length);
/* Little-endian stores into the raw configuration space. */
void pm_cfg_write8(struct pm_func *f, unsigned at, uint8_t v);
void pm_cfg_write16(struct pm_func *f, unsigned at, uint16_t v);
void pm_cfg_write32(struct pm_func *f, unsigned at, uint32_t v);
uint16_t pm_cfg_read16(const struct pm_func *f, unsigned at);
uint32_t pm_cfg_read32(const struct pm_func *f, unsigned at);

/* CPU address of a function's configuration space. */
uintptr_t pm_cfg_addr(const struct pm_func *f);

#endif /* VIRTIO_PCI_MODEL_H */
