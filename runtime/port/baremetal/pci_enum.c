/*
 * Bare-metal PCIe enumeration over ECAM: see pci_enum.h. Register offsets
 * and bits come from the generated <virtio/pci_config.h> (spec/pci_config.yaml).
 */
#include <virtio/port.h>
#include <virtio/spec.h>

#include "pci_enum.h"

uintptr_t pci_enum_cfg(const struct board_pci_host *host, unsigned bus,
		       unsigned device, unsigned function)
{
	return host->ecam_base + ((uintptr_t)bus << PCIE_ECAM_BUS_SHIFT |
				  (uintptr_t)device << PCIE_ECAM_DEVICE_SHIFT |
				  (uintptr_t)function << PCIE_ECAM_FUNCTION_SHIFT);
}

static uint32_t bar_reg(unsigned i)
{
	return PCI_BASE_ADDRESS_0 + 4u * i;
}

/* Next free address of the memory window, per scan. */
struct window {
	uint64_t next, end;
};

/* Naturally aligned placement (a BAR's size is a power of 2). */
static bool place(struct window *w, uint64_t size, uint64_t *addr)
{
	uint64_t a = (w->next + size - 1) & ~(size - 1);

	if (a < w->next || a > w->end || w->end - a < size)
		return false;
	*addr = a;
	w->next = a + size;
	return true;
}

/* Sizes the first `nbars` BARs of a function and places the memory ones. */
static void assign_bars(struct pci_enum_function *f, struct window *w, unsigned nbars)
{
	uintptr_t cfg = f->pci.cfg;

	for (unsigned i = 0; i < nbars; i++) {
		uint32_t orig = virtio_port_read32(cfg + bar_reg(i));
		uint64_t mask, size, addr;
		bool is64;

		virtio_port_write32(cfg + bar_reg(i), UINT32_MAX);
		mask = virtio_port_read32(cfg + bar_reg(i));
		if ((orig & PCI_BASE_ADDRESS_SPACE) == PCI_BASE_ADDRESS_SPACE_IO) {
			virtio_port_write32(cfg + bar_reg(i), orig);
			if (mask & ~(uint64_t)PCI_BASE_ADDRESS_SPACE)
				f->io_bars |= 1u << i;
			continue;
		}
		is64 = (orig & PCI_BASE_ADDRESS_MEM_TYPE_MASK) == PCI_BASE_ADDRESS_MEM_TYPE_64 &&
		       i + 1 < nbars;
		mask &= ~(uint64_t)PCI_BASE_ADDRESS_MEM_FLAGS;
		if (is64) {
			virtio_port_write32(cfg + bar_reg(i + 1), UINT32_MAX);
			mask |= (uint64_t)virtio_port_read32(cfg + bar_reg(i + 1)) << 32;
		} else if (mask != 0) {
			mask |= (uint64_t)UINT32_MAX << 32; /* high bits fixed */
		}
		size = ~mask + 1;
		if (mask == 0 || (size & (size - 1)) != 0) {
			/* Unimplemented BAR (reads 0) or nonsense: leave it. */
			virtio_port_write32(cfg + bar_reg(i), 0);
			if (is64)
				virtio_port_write32(cfg + bar_reg(++i), 0);
			continue;
		}
		if (!place(w, size, &addr)) {
			f->unplaced_bars |= 1u << i;
			addr = 0;
			size = 0;
		}
		virtio_port_write32(cfg + bar_reg(i), (uint32_t)addr);
		f->pci.bar[i].base = (uintptr_t)addr;
		f->pci.bar[i].size = size;
		if (is64)
			virtio_port_write32(cfg + bar_reg(++i), (uint32_t)(addr >> 32));
	}
}

/* One scan: the memory window and the bus numbers handed out so far. */
struct scan {
	const struct board_pci_host *host;
	struct window w;
	struct pci_enum_function *out;
	unsigned max, n;
	unsigned last_bus, max_bus;
	unsigned depth;
};

static void scan_bus(struct scan *s, unsigned bus);

static void setup_endpoint(struct pci_enum_function *f, struct window *w)
{
	uintptr_t cfg = f->pci.cfg;
	uint16_t cmd = virtio_port_read16(cfg + PCI_COMMAND);

	/* No decoding while the BARs hold sizing patterns. */
	virtio_port_write16(cfg + PCI_COMMAND,
			    cmd & (uint16_t)~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	assign_bars(f, w, PCI_NUM_BARS);
	if (f->pci.bar[0].size | f->pci.bar[1].size | f->pci.bar[2].size |
	    f->pci.bar[3].size | f->pci.bar[4].size | f->pci.bar[5].size)
		virtio_port_write16(cfg + PCI_COMMAND,
				    (cmd & (uint16_t)~PCI_COMMAND_IO) | PCI_COMMAND_MEMORY);
}

static uint64_t align_window(uint64_t a)
{
	uint64_t g = 1ull << PCI_BRIDGE_WINDOW_SHIFT;

	return (a + g - 1) & ~(g - 1);
}

/*
 * A bridge (PCIe root port): gives it the next bus number, scans behind
 * it, then opens its memory window over exactly what was placed behind it
 * (1 MiB granules; the I/O and prefetchable windows stay closed: every
 * BAR goes into the non-prefetchable 32-bit window). Bus mastering lets
 * the devices behind it reach memory.
 */
static void setup_bridge(struct scan *s, struct pci_enum_function *f)
{
	uintptr_t cfg = f->pci.cfg;
	uint16_t cmd = virtio_port_read16(cfg + PCI_COMMAND);
	uint64_t start, end;

	virtio_port_write16(cfg + PCI_COMMAND, cmd & (uint16_t)~(PCI_COMMAND_IO |
				    PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	assign_bars(f, &s->w, 2); /* a type 1 header has two BARs */
	virtio_port_write8(cfg + PCI_IO_BASE, PCI_BRIDGE_IO_CLOSED_BASE);
	virtio_port_write8(cfg + PCI_IO_LIMIT, 0);
	virtio_port_write16(cfg + PCI_PREF_MEMORY_BASE, PCI_BRIDGE_WINDOW_CLOSED_BASE);
	virtio_port_write16(cfg + PCI_PREF_MEMORY_LIMIT, 0);
	virtio_port_write32(cfg + PCI_PREF_BASE_UPPER32, 0);
	virtio_port_write32(cfg + PCI_PREF_LIMIT_UPPER32, 0);
	virtio_port_write16(cfg + PCI_MEMORY_BASE, PCI_BRIDGE_WINDOW_CLOSED_BASE);
	virtio_port_write16(cfg + PCI_MEMORY_LIMIT, 0);
	if (s->last_bus >= s->max_bus || s->depth >= PCI_ENUM_MAX_DEPTH) {
		f->secondary = f->subordinate = 0; /* no bus number left */
		return;
	}
	f->secondary = (uint8_t)++s->last_bus;
	virtio_port_write8(cfg + PCI_PRIMARY_BUS, f->bus);
	virtio_port_write8(cfg + PCI_SECONDARY_BUS, f->secondary);
	/* Everything up to max_bus is routed behind it while we scan. */
	virtio_port_write8(cfg + PCI_SUBORDINATE_BUS, (uint8_t)s->max_bus);
	start = align_window(s->w.next);
	if (start > s->w.end)
		start = s->w.end;
	s->w.next = start;
	s->depth++;
	scan_bus(s, f->secondary);
	s->depth--;
	f->subordinate = (uint8_t)s->last_bus;
	virtio_port_write8(cfg + PCI_SUBORDINATE_BUS, f->subordinate);
	if (s->w.next > start) {
		end = align_window(s->w.next);
		virtio_port_write16(cfg + PCI_MEMORY_BASE,
				    (uint16_t)(start >> PCI_BRIDGE_WINDOW_REG_SHIFT) &
				    PCI_BRIDGE_WINDOW_CLOSED_BASE);
		virtio_port_write16(cfg + PCI_MEMORY_LIMIT,
				    (uint16_t)((end - 1) >> PCI_BRIDGE_WINDOW_REG_SHIFT) &
				    PCI_BRIDGE_WINDOW_CLOSED_BASE);
		f->window_base = start;
		f->window_size = end - start;
		/* Nothing else goes into what the bridge now forwards. */
		s->w.next = end > s->w.end ? s->w.end : end;
	}
	virtio_port_write16(cfg + PCI_COMMAND, (uint16_t)((cmd & ~PCI_COMMAND_IO) |
				    PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
}

static void scan_bus(struct scan *s, unsigned bus)
{
	for (unsigned d = 0; d < PCIE_ECAM_DEVICES; d++) {
		for (unsigned fn = 0; fn < PCIE_ECAM_FUNCTIONS; fn++) {
			uintptr_t cfg = pci_enum_cfg(s->host, bus, d, fn);
			uint16_t vendor = virtio_port_read16(cfg + PCI_VENDOR_ID);
			uint8_t htype;

			if (vendor == PCI_VENDOR_ID_NONE) { /* nothing answers here */
				if (fn == 0)
					break;
				continue;
			}
			htype = virtio_port_read8(cfg + PCI_HEADER_TYPE);
			if (s->n < s->max) {
				struct pci_enum_function *f = &s->out[s->n];

				*f = (struct pci_enum_function){ 0 };
				f->bus = (uint8_t)bus;
				f->device = (uint8_t)d;
				f->function = (uint8_t)fn;
				f->vendor_id = vendor;
				f->device_id = virtio_port_read16(cfg + PCI_DEVICE_ID);
				f->header_type = htype & PCI_HEADER_TYPE_MASK;
				f->pci.cfg = cfg;
				s->n++;
				if (f->header_type == PCI_HEADER_TYPE_NORMAL)
					setup_endpoint(f, &s->w);
				else if (f->header_type == PCI_HEADER_TYPE_BRIDGE)
					setup_bridge(s, f);
			} else {
				s->n++;
			}
			if (fn == 0 && !(htype & PCI_HEADER_TYPE_MULTI_FUNCTION))
				break;
		}
	}
}

unsigned pci_enum_scan(const struct board_pci_host *host,
		       struct pci_enum_function *out, unsigned max)
{
	struct scan s = {
		.host = host,
		.w = { host->mmio_base, host->mmio_base + host->mmio_size },
		.out = out,
		.max = max,
	};
	uint64_t buses = host->ecam_size >> PCIE_ECAM_BUS_SHIFT;

	if (buses == 0)
		return 0;
	s.max_bus = buses > 256 ? 255 : (unsigned)buses - 1;
	scan_bus(&s, 0);
	return s.n;
}
