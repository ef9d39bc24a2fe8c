/*
 * PCI flavour of the device model. See pci_model.h.
 */
#include "pci_model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio_port_host.h"

/* PCI 3.0 configuration header and virtio-pci (VirtIO 1.2, 4.1). */
enum {
	PM_VENDOR = 0x00, PM_DEVICE = 0x02, PM_COMMAND = 0x04, PM_STATUS = 0x06,
	PM_REVISION = 0x08, PM_HEADER_TYPE = 0x0e, PM_BAR0 = 0x10,
	PM_SUBSYS_VENDOR = 0x2c, PM_SUBSYS = 0x2e, PM_CAP_PTR = 0x34,
};
#define PM_CMD_MEMORY 0x2u
#define PM_STATUS_CAP_LIST 0x10u
#define PM_CAP_VNDR 0x09u
#define PM_VIRTIO_VENDOR 0x1af4u
enum { CAP_COMMON = 1, CAP_NOTIFY = 2, CAP_ISR = 3, CAP_DEVICE = 4, CAP_PCI = 5 };

/* Common configuration fields: offset, width (4.1.4.3). */
enum {
	C_DFSELECT = 0, C_DF = 4, C_GFSELECT = 8, C_GF = 12, C_MSIX = 16,
	C_NUMQ = 18, C_STATUS = 20, C_CFGGEN = 21, C_QSELECT = 22, C_QSIZE = 24,
	C_QMSIX = 26, C_QENABLE = 28, C_QNOFF = 30, C_QDESC = 32, C_QAVAIL = 40,
	C_QUSED = 48, C_QNDATA = 56, C_QRESET = 58, C_END = 60,
};

static void pm_violation(struct pm_func *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void pm_violation(struct pm_func *f, const char *fmt, ...)
{
	struct dm_device *dm = f->dm;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dm->last_violation, sizeof(dm->last_violation), fmt, ap);
	va_end(ap);
	dm->violations++;
	if (!dm->quiet)
		fprintf(stderr, "pci_model %02x.%u: driver violation: %s\n",
			f->devfn >> 3, f->devfn & 7, dm->last_violation);
}

/* ---- the wrapped virtio-mmio model ---- */

static uint32_t mm_rd(struct pm_func *f, uint32_t reg)
{
	return virtio_port_read32(f->dm->base + reg);
}

static void mm_wr(struct pm_func *f, uint32_t reg, uint32_t v)
{
	virtio_port_write32(f->dm->base + reg, v);
}

static void pm_reset_state(struct pm_func *f)
{
	f->dfselect = f->gfselect = 0;
	f->queue_select = 0;
	f->msix_config = 0xffff;
	for (unsigned i = 0; i < DM_MAX_QUEUES; i++) {
		f->queue_size[i] = 0;
		f->queue_msix[i] = 0xffff;
	}
}

/* ---- configuration space ---- */

void pm_cfg_write8(struct pm_func *f, unsigned at, uint8_t v)
{
	f->cfg[at] = v;
}

void pm_cfg_write16(struct pm_func *f, unsigned at, uint16_t v)
{
	f->cfg[at] = (uint8_t)v;
	f->cfg[at + 1] = (uint8_t)(v >> 8);
}

void pm_cfg_write32(struct pm_func *f, unsigned at, uint32_t v)
{
	pm_cfg_write16(f, at, (uint16_t)v);
	pm_cfg_write16(f, at + 2, (uint16_t)(v >> 16));
}

uint16_t pm_cfg_read16(const struct pm_func *f, unsigned at)
{
	return (uint16_t)(f->cfg[at] | f->cfg[at + 1] << 8);
}

uint32_t pm_cfg_read32(const struct pm_func *f, unsigned at)
{
	return pm_cfg_read16(f, at) | (uint32_t)pm_cfg_read16(f, at + 2) << 16;
}

uintptr_t pm_cfg_addr(const struct pm_func *f)
{
	return f->bus->ecam + ((uintptr_t)f->devfn << 12);
}

static uint64_t bar4_addr(const struct pm_func *f)
{
	return (pm_cfg_read32(f, PM_BAR0 + 16) & ~0xfu) |
	       (uint64_t)pm_cfg_read32(f, PM_BAR0 + 20) << 32;
}

static const struct virtio_host_mmio_ops bar_ops;

/* BAR 4 decodes at its programmed address while memory decoding is on. */
static void remap(struct pm_func *f)
{
	uint64_t a = bar4_addr(f);
	bool on = (pm_cfg_read16(f, PM_COMMAND) & PM_CMD_MEMORY) && a != 0;

	if (f->mapped && (!on || f->mapped != a)) {
		virtio_host_mmio_unregister(f->mapped);
		f->mapped = 0;
	}
	if (on && !f->mapped) {
		if (virtio_host_mmio_register((uintptr_t)a, PM_BAR_SIZE, &bar_ops, f) != 0) {
			fprintf(stderr, "pci_model: cannot map BAR 4 at %#llx\n",
				(unsigned long long)a);
			abort();
		}
		f->mapped = (uintptr_t)a;
	}
}

/* BAR writes keep only the address bits the BAR decodes (how sizing works). */
static void bar_write(struct pm_func *f, unsigned bar, uint32_t v)
{
	unsigned at = PM_BAR0 + 4 * bar;

	if (bar == 4)
		pm_cfg_write32(f, at, (v & ~(uint32_t)(f->bar4_size - 1) & ~0xfu) | 0xc);
	else if (bar == 5)
		pm_cfg_write32(f, at, v);
	else if (bar == 0 && f->transitional)
		pm_cfg_write32(f, at, (v & ~0x3fu) | 0x1);
	/* Other BARs are unimplemented: they read 0 whatever is written. */
	remap(f);
}

static uint32_t cfg_read(struct pm_func *f, uint32_t off, unsigned size)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)f->cfg[off + i] << (8 * i);
	return v;
}

static void cfg_write(struct pm_func *f, uint32_t off, uint32_t v, unsigned size)
{
	if (f->bridge) {
		/* Command, bus numbers, windows: storage. BARs 0/1 unimplemented. */
		if ((off >= PM_COMMAND && off + size <= PM_COMMAND + 2) ||
		    (off >= 0x18 && off + size <= 0x30)) {
			for (unsigned i = 0; i < size; i++)
				f->cfg[off + i] = (uint8_t)(v >> (8 * i));
		} else if (!(off >= PM_BAR0 && off + size <= PM_BAR0 + 8)) {
			pm_violation(f, "write of %#x to bridge register %#x", v, off);
		}
		return;
	}
	if (off >= PM_BAR0 && off < PM_BAR0 + 24) {
		if (size != 4 || off % 4)
			pm_violation(f, "%u-byte BAR write at %#x", size, off);
		else
			bar_write(f, (off - PM_BAR0) / 4, v);
		return;
	}
	if (off == PM_COMMAND && size >= 2) {
		pm_cfg_write16(f, off, (uint16_t)v);
		remap(f);
		return;
	}
	/* The PCI configuration access capability's fields are writable;
	 * nothing else the driver needs is. */
	if (off >= PM_CAP_PCI_AT + 4 && off + size <= PM_CAP_PCI_AT + 20) {
		for (unsigned i = 0; i < size; i++)
			f->cfg[off + i] = (uint8_t)(v >> (8 * i));
		return;
	}
	pm_violation(f, "write of %#x to read-only configuration register %#x", v, off);
}

/* One ECAM window for the whole bus: absent functions read all-ones. */
static uint32_t bus_read(void *ctx, uint32_t off, unsigned size)
{
	struct pm_bus *bus = ctx;
	unsigned devfn = off >> 12;

	for (unsigned i = 0; i < bus->nfuncs; i++)
		if (bus->funcs[i]->devfn == devfn)
			return cfg_read(bus->funcs[i], off & 0xfff, size);
	return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static void bus_write(void *ctx, uint32_t off, uint32_t v, unsigned size)
{
	struct pm_bus *bus = ctx;
	unsigned devfn = off >> 12;

	for (unsigned i = 0; i < bus->nfuncs; i++)
		if (bus->funcs[i]->devfn == devfn)
			cfg_write(bus->funcs[i], off & 0xfff, v, size);
}

static const struct virtio_host_mmio_ops bus_ops = { bus_read, bus_write };

/* ---- BAR 4: common configuration ---- */

static unsigned common_width(uint32_t off)
{
	if (off < C_MSIX)
		return 4;
	if (off == C_STATUS || off == C_CFGGEN)
		return 1;
	if (off >= C_QDESC && off < C_QNDATA)
		return 4;
	return 2;
}

static struct dm_queue *selq(struct pm_func *f)
{
	return f->queue_select < DM_MAX_QUEUES ? &f->dm->q[f->queue_select] : NULL;
}

static uint32_t common_read(struct pm_func *f, uint32_t off)
{
	struct dm_device *dm = f->dm;
	struct dm_queue *q = selq(f);

	switch (off) {
	case C_DFSELECT: return f->dfselect;
	case C_DF: return mm_rd(f, DM_REG_DEVICE_FEATURES);
	case C_GFSELECT: return f->gfselect;
	case C_GF:
		return f->gfselect == 0 ? (uint32_t)dm->driver_features
		       : f->gfselect == 1 ? (uint32_t)(dm->driver_features >> 32) : 0;
	case C_MSIX: return f->msix_config;
	case C_NUMQ:
		return f->num_queues_override >= 0 ? (uint32_t)f->num_queues_override
						   : dm->num_queues;
	case C_STATUS: return mm_rd(f, DM_REG_STATUS) & 0xff;
	case C_CFGGEN: return mm_rd(f, DM_REG_CONFIG_GENERATION) & 0xff;
	case C_QSELECT: return f->queue_select;
	case C_QSIZE:
		if (q == NULL || f->queue_select >= dm->num_queues)
			return 0;
		return f->queue_size[f->queue_select] ? f->queue_size[f->queue_select]
						      : q->num_max;
	case C_QMSIX: return q ? f->queue_msix[f->queue_select] : 0xffff;
	case C_QENABLE: return q ? q->ready : 0;
	case C_QNOFF: return q ? f->queue_notify_off[f->queue_select] : 0;
	case C_QDESC: return q ? (uint32_t)q->desc_addr : 0;
	case C_QDESC + 4: return q ? (uint32_t)(q->desc_addr >> 32) : 0;
	case C_QAVAIL: return q ? (uint32_t)q->avail_addr : 0;
	case C_QAVAIL + 4: return q ? (uint32_t)(q->avail_addr >> 32) : 0;
	case C_QUSED: return q ? (uint32_t)q->used_addr : 0;
	case C_QUSED + 4: return q ? (uint32_t)(q->used_addr >> 32) : 0;
	case C_QNDATA:
	case C_QRESET:
		return 0;
	default:
		pm_violation(f, "read of common configuration offset %#x", off);
		return 0;
	}
}

static void common_write(struct pm_func *f, uint32_t off, uint32_t v)
{
	struct dm_device *dm = f->dm;
	static const uint32_t addr_regs[6] = {
		DM_REG_QUEUE_DESC_LOW, DM_REG_QUEUE_DESC_HIGH,
		DM_REG_QUEUE_DRIVER_LOW, DM_REG_QUEUE_DRIVER_HIGH,
		DM_REG_QUEUE_DEVICE_LOW, DM_REG_QUEUE_DEVICE_HIGH,
	};

	switch (off) {
	case C_DFSELECT:
		f->dfselect = v;
		mm_wr(f, DM_REG_DEVICE_FEATURES_SEL, v);
		return;
	case C_GFSELECT:
		f->gfselect = v;
		mm_wr(f, DM_REG_DRIVER_FEATURES_SEL, v);
		return;
	case C_GF:
		mm_wr(f, DM_REG_DRIVER_FEATURES, v);
		return;
	case C_MSIX:
		f->msix_config = (uint16_t)v;
		return;
	case C_STATUS:
		if (v == 0)
			pm_reset_state(f);
		mm_wr(f, DM_REG_STATUS, v);
		return;
	case C_QSELECT:
		f->queue_select = (uint16_t)v;
		mm_wr(f, DM_REG_QUEUE_SEL, v);
		return;
	case C_QSIZE:
		if (f->queue_select >= dm->num_queues) {
			pm_violation(f, "queue_size written for missing queue %u",
				     f->queue_select);
			return;
		}
		if (v == 0 || (v & (v - 1)) != 0 ||
		    v > dm->q[f->queue_select].num_max)
			pm_violation(f, "queue_size %u written (max %u, must be a power of 2)",
				     v, dm->q[f->queue_select].num_max);
		f->queue_size[f->queue_select] = (uint16_t)v;
		mm_wr(f, DM_REG_QUEUE_NUM, v);
		return;
	case C_QMSIX:
		if (f->queue_select < DM_MAX_QUEUES)
			f->queue_msix[f->queue_select] = (uint16_t)v;
		return;
	case C_QENABLE:
		if (v != 1) {
			pm_violation(f, "queue_enable written with %u (only 1 is allowed)", v);
			return;
		}
		mm_wr(f, DM_REG_QUEUE_READY, 1);
		return;
	case C_QDESC: case C_QDESC + 4: case C_QAVAIL: case C_QAVAIL + 4:
	case C_QUSED: case C_QUSED + 4:
		mm_wr(f, addr_regs[(off - C_QDESC) / 4], v);
		return;
	default:
		pm_violation(f, "write of %#x to read-only common configuration offset %#x",
			     v, off);
		return;
	}
}

/* ---- BAR 4: dispatch ---- */

static uint32_t bar_read(void *ctx, uint32_t off, unsigned size)
{
	struct pm_func *f = ctx;

	if (off < PM_COMMON_OFF + C_END) {
		if (size != common_width(off) || off % size)
			pm_violation(f, "%u-byte read of common configuration offset %#x",
				     size, off);
		return common_read(f, off);
	}
	if (off == PM_ISR_OFF) {
		uint32_t isr = f->dm->interrupt_status & (DM_INT_VRING | DM_INT_CONFIG);

		f->isr_reads++;
		if (size != 1)
			pm_violation(f, "%u-byte ISR read", size);
		/* A read clears the ISR byte (4.1.4.5). */
		if (isr)
			mm_wr(f, DM_REG_INTERRUPT_ACK, isr);
		return isr;
	}
	if (off >= PM_DEVICE_OFF && off < PM_DEVICE_OFF + DM_CONFIG_MAX)
		return size == 1 ? virtio_port_read8(f->dm->base + DM_REG_CONFIG + off - PM_DEVICE_OFF)
		       : size == 2 ? virtio_port_read16(f->dm->base + DM_REG_CONFIG + off - PM_DEVICE_OFF)
				   : virtio_port_read32(f->dm->base + DM_REG_CONFIG + off - PM_DEVICE_OFF);
	pm_violation(f, "%u-byte read of BAR 4 offset %#x (nothing there)", size, off);
	return 0;
}

static void bar_write_reg(void *ctx, uint32_t off, uint32_t v, unsigned size)
{
	struct pm_func *f = ctx;

	if (off < PM_COMMON_OFF + C_END) {
		if (size != common_width(off) || off % size) {
			pm_violation(f, "%u-byte write of common configuration offset %#x",
				     size, off);
			return;
		}
		common_write(f, off, v);
		return;
	}
	if (off >= PM_DEVICE_OFF && off < PM_DEVICE_OFF + DM_CONFIG_MAX) {
		uintptr_t a = f->dm->base + DM_REG_CONFIG + off - PM_DEVICE_OFF;

		if (size == 1)
			virtio_port_write8(a, (uint8_t)v);
		else if (size == 2)
			virtio_port_write16(a, (uint16_t)v);
		else
			virtio_port_write32(a, v);
		return;
	}
	if (off >= PM_NOTIFY_OFF && off < PM_BAR_SIZE) {
		uint32_t want;

		f->notifies++;
		if (size != 2) {
			pm_violation(f, "%u-byte notification write", size);
			return;
		}
		if (v >= DM_MAX_QUEUES) {
			pm_violation(f, "notification of queue %u", v);
			return;
		}
		want = PM_NOTIFY_OFF + f->queue_notify_off[v] * f->notify_mult;
		if (off != want) {
			pm_violation(f, "queue %u notified at %#x, its address is %#x",
				     v, off, want);
			return;
		}
		mm_wr(f, DM_REG_QUEUE_NOTIFY, v);
		return;
	}
	pm_violation(f, "%u-byte write of %#x to BAR 4 offset %#x (nothing there)",
		     size, v, off);
}

static const struct virtio_host_mmio_ops bar_ops = { bar_read, bar_write_reg };

/* ---- construction ---- */

struct pm_bus *pm_bus_create(uintptr_t ecam, uintptr_t dm_base)
{
	struct pm_bus *bus = calloc(1, sizeof(*bus));

	if (bus == NULL)
		abort();
	bus->ecam = ecam;
	bus->next_dm = dm_base;
	if (virtio_host_mmio_register(ecam, PM_BUS_SIZE, &bus_ops, bus) != 0) {
		fprintf(stderr, "pci_model: cannot map ECAM at %#lx\n", (unsigned long)ecam);
		abort();
	}
	return bus;
}

void pm_bus_destroy(struct pm_bus *bus)
{
	if (bus == NULL)
		return;
	for (unsigned i = 0; i < bus->nfuncs; i++) {
		struct pm_func *f = bus->funcs[i];

		if (f->mapped)
			virtio_host_mmio_unregister(f->mapped);
		dm_destroy(f->dm);
		free(f);
	}
	virtio_host_mmio_unregister(bus->ecam);
	free(bus);
}

void pm_cap_write(struct pm_func *f, unsigned at, unsigned next, uint8_t cfg_type,
		  uint8_t bar, uint32_t offset, uint32_t length)
{
	f->cfg[at] = PM_CAP_VNDR;
	f->cfg[at + 1] = (uint8_t)next;
	f->cfg[at + 2] = cfg_type == CAP_NOTIFY || cfg_type == CAP_PCI ? 20 : 16;
	f->cfg[at + 3] = cfg_type;
	f->cfg[at + 4] = bar;
	f->cfg[at + 5] = 0;
	pm_cfg_write16(f, at + 6, 0);
	pm_cfg_write32(f, at + 8, offset);
	pm_cfg_write32(f, at + 12, length);
}

void pm_build_caps(struct pm_func *f)
{
	uint32_t nq = 1; /* notification slots: up to the highest queue_notify_off */
	bool has_device = f->dm->config_len > 0;
	unsigned after_isr = has_device ? PM_CAP_DEVICE_AT : PM_CAP_NOTIFY_AT;

	for (unsigned i = 0; i < f->dm->num_queues; i++)
		if (f->queue_notify_off[i] + 1u > nq)
			nq = f->queue_notify_off[i] + 1u;
	memset(f->cfg + 0x40, 0, PM_CFG_SIZE - 0x40);
	pm_cap_write(f, PM_CAP_COMMON_AT, PM_CAP_ISR_AT, CAP_COMMON, 4, PM_COMMON_OFF, 0x1000);
	pm_cap_write(f, PM_CAP_ISR_AT, after_isr, CAP_ISR, 4, PM_ISR_OFF, 0x1000);
	if (has_device)
		pm_cap_write(f, PM_CAP_DEVICE_AT, PM_CAP_NOTIFY_AT, CAP_DEVICE, 4,
			     PM_DEVICE_OFF, f->dm->config_len);
	pm_cap_write(f, PM_CAP_NOTIFY_AT, PM_CAP_PCI_AT, CAP_NOTIFY, 4, PM_NOTIFY_OFF,
		     nq * f->notify_mult);
	pm_cfg_write32(f, PM_CAP_NOTIFY_AT + 16, f->notify_mult);
	pm_cap_write(f, PM_CAP_PCI_AT, 0, CAP_PCI, 0, 0, 0);
	f->cfg[PM_CAP_PTR] = PM_CAP_COMMON_AT;
	pm_cfg_write16(f, PM_STATUS, PM_STATUS_CAP_LIST);
}

/* Transitional PCI device ids (4.1.2.3). */
static uint16_t transitional_id(uint32_t device_id)
{
	switch (device_id) {
	case 1: return 0x1000; /* net */
	case 2: return 0x1001; /* blk */
	case 5: return 0x1002; /* balloon */
	case 3: return 0x1003; /* console */
	case 8: return 0x1004; /* scsi */
	case 4: return 0x1005; /* rng */
	case 9: return 0x1009; /* 9p */
	default: abort();      /* no transitional device of this type */
	}
}

struct pm_func *pm_create(struct pm_bus *bus, unsigned device, uint32_t device_id,
			  bool transitional, unsigned num_queues, uint16_t num_max)
{
	struct pm_func *f = calloc(1, sizeof(*f));

	if (f == NULL || bus->nfuncs == PM_MAX_FUNCS)
		abort();
	f->bus = bus;
	f->devfn = device << 3;
	f->transitional = transitional;
	f->dm = dm_create(bus->next_dm, 2, device_id, num_queues, num_max);
	f->dm->vendor_id = PM_VIRTIO_VENDOR;
	bus->next_dm += DM_WINDOW_SIZE;
	f->bar4_size = PM_BAR_SIZE;
	f->notify_mult = PM_NOTIFY_MULT;
	f->num_queues_override = -1;
	for (unsigned i = 0; i < DM_MAX_QUEUES; i++)
		f->queue_notify_off[i] = (uint16_t)i;
	pm_reset_state(f);

	pm_cfg_write16(f, PM_VENDOR, PM_VIRTIO_VENDOR);
	pm_cfg_write16(f, PM_DEVICE, transitional ? transitional_id(device_id)
						  : (uint16_t)(0x1040 + device_id));
	f->cfg[PM_REVISION] = transitional ? 0 : 1;
	f->cfg[PM_HEADER_TYPE] = 0;
	pm_cfg_write16(f, PM_SUBSYS_VENDOR, PM_VIRTIO_VENDOR);
	pm_cfg_write16(f, PM_SUBSYS, transitional ? (uint16_t)device_id : 0x40);
	pm_cfg_write32(f, PM_BAR0 + 16, 0xc); /* 64-bit prefetchable memory */
	if (transitional)
		pm_cfg_write32(f, PM_BAR0, 0x1); /* legacy I/O BAR */
	pm_build_caps(f);
	bus->funcs[bus->nfuncs++] = f;
	return f;
}

struct pm_func *pm_bridge_create(struct pm_bus *bus, unsigned device)
{
	struct pm_func *f = calloc(1, sizeof(*f));

	if (f == NULL || bus->nfuncs == PM_MAX_FUNCS)
		abort();
	f->bus = bus;
	f->devfn = device << 3;
	f->bridge = true;
	/* Only for its violation counters: a bridge has no virtio device. */
	f->dm = dm_create(bus->next_dm, 2, 0, 0, 0);
	bus->next_dm += DM_WINDOW_SIZE;
	pm_cfg_write16(f, PM_VENDOR, 0x1b36);  /* QEMU's vendor id */
	pm_cfg_write16(f, PM_DEVICE, 0x000c);  /* like QEMU's pcie-root-port */
	f->cfg[PM_HEADER_TYPE] = 1;
	bus->funcs[bus->nfuncs++] = f;
	return f;
}

void pm_assign_bar4(struct pm_func *f, uint64_t addr)
{
	bar_write(f, 4, (uint32_t)addr);
	bar_write(f, 5, (uint32_t)(addr >> 32));
	pm_cfg_write16(f, PM_COMMAND, pm_cfg_read16(f, PM_COMMAND) | PM_CMD_MEMORY);
	remap(f);
}
