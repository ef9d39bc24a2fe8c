/*
 * Minimal PCIe enumerator for bare-metal boards with a generic ECAM host
 * bridge and no firmware to set up PCI (QEMU -M virt with -bios none or
 * -kernel): finds the functions on bus 0 and behind bridges (PCIe root
 * ports: bus numbers handed out depth first), sizes their memory BARs and
 * places them in the board's 32-bit memory window (naturally aligned),
 * opens each bridge's memory window over what lies behind it, then enables
 * memory decoding (and bus mastering on bridges). I/O BARs are sized but
 * not assigned (the boards' I/O windows are not used); prefetchable and
 * 64-bit BARs go into the same 32-bit window.
 */
#ifndef VIRTIO_PCI_ENUM_H
#define VIRTIO_PCI_ENUM_H

#include <stdint.h>

#include <virtio/pci.h>

#include "board.h"

/* How deep bridges may nest (a hostile or looping topology stops here). */
#ifndef PCI_ENUM_MAX_DEPTH
#define PCI_ENUM_MAX_DEPTH 8u
#endif

struct pci_enum_function {
	uint8_t bus, device, function;
	uint16_t vendor_id, device_id;
	uint8_t header_type;           /* PCI_HEADER_TYPE_* (layout bits) */
	/* Configuration space and assigned memory BARs, as the virtio-pci
	 * transport takes them (bar[i].size 0: none, I/O, or not placed). */
	struct virtio_pci_function pci;
	uint16_t io_bars;              /* bit i: BAR i is an I/O BAR (unassigned) */
	uint16_t unplaced_bars;        /* bit i: memory BAR that did not fit */
	/* Bridges: the buses behind it (0: none assigned) and its window. */
	uint8_t secondary, subordinate;
	uint64_t window_base, window_size;
};

/* CPU address of the configuration space of bus/device/function. */
uintptr_t pci_enum_cfg(const struct board_pci_host *host, unsigned bus,
		       unsigned device, unsigned function);

/*
 * Scans `host` from bus 0, assigns bus numbers and BARs, fills up to `max`
 * entries of `out` (depth first: a bridge, then what is behind it) and
 * returns how many functions it found (may exceed `max`: the rest are
 * left alone, bridges among them not followed). Returns 0 when the board
 * has no PCIe.
 */
unsigned pci_enum_scan(const struct board_pci_host *host,
		       struct pci_enum_function *out, unsigned max);

#endif /* VIRTIO_PCI_ENUM_H */
