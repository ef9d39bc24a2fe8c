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

/* Sizes every BAR of a type 0 function and places the memory ones. */
static void assign_bars(struct pci_enum_function *f, struct window *w)
{
	uintptr_t cfg = f->pci.cfg;

	for (unsigned i = 0; i < PCI_NUM_BARS; i++) {
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
		       i + 1 < PCI_NUM_BARS;
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

static void setup_function(struct pci_enum_function *f, struct window *w)
{
	uintptr_t cfg = f->pci.cfg;
	uint16_t cmd = virtio_port_read16(cfg + PCI_COMMAND);

	/* No decoding while the BARs hold sizing patterns. */
	virtio_port_write16(cfg + PCI_COMMAND,
			    cmd & (uint16_t)~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	assign_bars(f, w);
	if (f->pci.bar[0].size | f->pci.bar[1].size | f->pci.bar[2].size |
	    f->pci.bar[3].size | f->pci.bar[4].size | f->pci.bar[5].size)
		virtio_port_write16(cfg + PCI_COMMAND,
				    (cmd & (uint16_t)~PCI_COMMAND_IO) | PCI_COMMAND_MEMORY);
}

unsigned pci_enum_scan(const struct board_pci_host *host,
		       struct pci_enum_function *out, unsigned max)
{
	struct window w = { host->mmio_base, host->mmio_base + host->mmio_size };
	unsigned n = 0;

	if (host->ecam_size < (1u << PCIE_ECAM_BUS_SHIFT))
		return 0;
	for (unsigned d = 0; d < PCIE_ECAM_DEVICES; d++) {
		for (unsigned fn = 0; fn < PCIE_ECAM_FUNCTIONS; fn++) {
			uintptr_t cfg = pci_enum_cfg(host, 0, d, fn);
			uint16_t vendor = virtio_port_read16(cfg + PCI_VENDOR_ID);
			uint8_t htype;

			if (vendor == PCI_VENDOR_ID_NONE) { /* nothing answers here */
				if (fn == 0)
					break;
				continue;
			}
			htype = virtio_port_read8(cfg + PCI_HEADER_TYPE);
			if (n < max) {
				struct pci_enum_function *f = &out[n];

				*f = (struct pci_enum_function){ 0 };
				f->bus = 0;
				f->device = (uint8_t)d;
				f->function = (uint8_t)fn;
				f->vendor_id = vendor;
				f->device_id = virtio_port_read16(cfg + PCI_DEVICE_ID);
				f->header_type = htype & PCI_HEADER_TYPE_MASK;
				f->pci.cfg = cfg;
				if (f->header_type == PCI_HEADER_TYPE_NORMAL)
					setup_function(f, &w);
			}
			n++;
			if (fn == 0 && !(htype & PCI_HEADER_TYPE_MULTI_FUNCTION))
				break;
		}
	}
	return n;
}
