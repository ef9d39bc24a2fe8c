/*
 * PCI configuration header (the parts a virtio-pci driver uses) (VirtIO 1.2 section 4.1).
 *
 * Generated from spec/pci_config.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_PCI_CONFIG_H
#define VIRTIO_GEN_PCI_CONFIG_H

#include <stdint.h>

/* Vendor ID values. Not a Linux name. (section 4.1.2). */
#define PCI_VENDOR_ID_NONE 65535 /* What a configuration read returns where no function answers. */

/* Bits of the Command register. (section 4.1): masks. */
#define PCI_COMMAND_IO 0x1 /* Respond to I/O space accesses. */
#define PCI_COMMAND_MEMORY 0x2 /* Respond to memory space accesses (BARs decode). */
#define PCI_COMMAND_MASTER 0x4 /* Bus mastering (the device may DMA to the virtqueues). */
#define PCI_COMMAND_INTX_DISABLE 0x400 /* Disable INTx interrupt emulation. */

/* Bits of the Status register. (section 4.1.4): masks. */
#define PCI_STATUS_CAP_LIST 0x10 /* The function has a capability list (PCI_CAPABILITY_LIST is valid). */

/* Header Type register values. PCI_HEADER_TYPE_MULTI_FUNCTION is not a Linux name. (section 4.1). */
#define PCI_HEADER_TYPE_MASK 127 /* Layout bits. */
#define PCI_HEADER_TYPE_NORMAL 0 /* Type 0 header (an endpoint; six BARs). */
#define PCI_HEADER_TYPE_BRIDGE 1 /* Type 1 header (PCI-to-PCI bridge). */
#define PCI_HEADER_TYPE_MULTI_FUNCTION 128 /* Set in function 0 of a multi-function device. */

/* BAR encoding. The low bits say what the BAR maps; a memory BAR's address is the register with the low four bits cleared (PCI_BASE_ADDRESS_MEM_FLAGS is not a Linux name); a 64-bit BAR takes the next register for its high half. (section 4.1.4). */
#define PCI_BASE_ADDRESS_SPACE 1 /* Space bit: 0 memory, 1 I/O. */
#define PCI_BASE_ADDRESS_SPACE_IO 1 /* The BAR maps I/O space. */
#define PCI_BASE_ADDRESS_SPACE_MEMORY 0 /* The BAR maps memory space. */
#define PCI_BASE_ADDRESS_MEM_TYPE_MASK 6 /* Memory BAR type bits. */
#define PCI_BASE_ADDRESS_MEM_TYPE_32 0 /* 32-bit memory BAR. */
#define PCI_BASE_ADDRESS_MEM_TYPE_64 4 /* 64-bit memory BAR (two registers). */
#define PCI_BASE_ADDRESS_MEM_PREFETCH 8 /* Prefetchable memory. */
#define PCI_BASE_ADDRESS_MEM_FLAGS 15 /* The low bits of a memory BAR that are flags, not address. */

/* Capability ids (the first byte of a capability). (section 4.1.4). */
#define PCI_CAP_ID_VNDR 9 /* Vendor-specific; VirtIO uses it for struct virtio_pci_cap. */

/* Configuration space geometry. (section 4.1.4). */
#define PCI_STD_HEADER_SIZEOF 64 /* Size of the standard header: capabilities live at or above it. */
#define PCI_CFG_SPACE_SIZE 256 /* Conventional configuration space (where the capability list lives). */
#define PCI_CFG_SPACE_EXP_SIZE 4096 /* PCI Express configuration space of one function. */
#define PCI_NUM_BARS 6 /* BARs of a type 0 header (VirtIO cap.bar 0..5). */

/* Bridge memory window encoding. Not Linux names. (section 4.1). */
#define PCI_BRIDGE_WINDOW_SHIFT 20 /* Memory windows are 1 MiB granules: register bits 15..4 hold address bits 31..20. */
#define PCI_BRIDGE_WINDOW_REG_SHIFT 16 /* Shift from a window register value (bits 15..4) to the address (bits 31..20). */
#define PCI_BRIDGE_WINDOW_CLOSED_BASE 65520 /* A base above any limit (with limit 0) closes a window. */
#define PCI_BRIDGE_IO_CLOSED_BASE 240 /* The same for the 8-bit I/O window registers. */

/* ECAM (enhanced configuration access mechanism): function f of device d on bus b has its 4 KiB configuration space at base + (b << BUS_SHIFT | d << DEVICE_SHIFT | f << FUNCTION_SHIFT). Not Linux uapi names. (section 4.1). */
#define PCIE_ECAM_BUS_SHIFT 20 /* Bus number position. */
#define PCIE_ECAM_DEVICE_SHIFT 15 /* Device number position (32 devices per bus). */
#define PCIE_ECAM_FUNCTION_SHIFT 12 /* Function number position (8 functions per device). */
#define PCIE_ECAM_DEVICES 32 /* Devices per bus. */
#define PCIE_ECAM_FUNCTIONS 8 /* Functions per device. */

/*
 * The type 0 configuration header registers used here (offsets in configuration space). (section 4.1).
 * Offsets in bytes; access r = device to driver, w = driver to device.
 */
#define PCI_VENDOR_ID 0x000 /* Vendor ID: 16-bit r. 0xffff: no function here. */
#define PCI_DEVICE_ID 0x002 /* Device ID: 16-bit r. Device id. */
#define PCI_COMMAND 0x004 /* Command: 16-bit rw. PCI_COMMAND_* bits. */
#define PCI_STATUS 0x006 /* Status: 16-bit r. PCI_STATUS_* bits. */
#define PCI_REVISION_ID 0x008 /* Revision ID: 8-bit r. 0 for transitional devices; drivers match any value. */
#define PCI_CLASS_DEVICE 0x00a /* Class Code: 16-bit r. Base class and sub-class. */
#define PCI_HEADER_TYPE 0x00e /* Header Type: 8-bit r. PCI_HEADER_TYPE_* values. */
#define PCI_BASE_ADDRESS_0 0x010 /* BAR0: 32-bit rw. Base address register 0. */
#define PCI_BASE_ADDRESS_1 0x014 /* BAR1: 32-bit rw. Base address register 1. */
#define PCI_BASE_ADDRESS_2 0x018 /* BAR2: 32-bit rw. Base address register 2. */
#define PCI_BASE_ADDRESS_3 0x01c /* BAR3: 32-bit rw. Base address register 3. */
#define PCI_BASE_ADDRESS_4 0x020 /* BAR4: 32-bit rw. Base address register 4. */
#define PCI_BASE_ADDRESS_5 0x024 /* BAR5: 32-bit rw. Base address register 5. */
#define PCI_SUBSYSTEM_VENDOR_ID 0x02c /* Subsystem Vendor ID: 16-bit r. Subsystem vendor. */
#define PCI_SUBSYSTEM_ID 0x02e /* Subsystem ID: 16-bit r. The virtio device id of a transitional device. */
#define PCI_CAPABILITY_LIST 0x034 /* Capabilities Pointer: 8-bit r. Offset of the first capability (low two bits reserved). */

/*
 * Fields common to every capability, from the capability's start. (section 4.1.4).
 * Offsets in bytes; access r = device to driver, w = driver to device.
 */
#define PCI_CAP_LIST_ID 0x000 /* Capability ID: 8-bit r. PCI_CAP_ID_* value. */
#define PCI_CAP_LIST_NEXT 0x001 /* Next Capability Pointer: 8-bit r. Next capability (0 ends the list). */

/*
 * The type 1 (PCI-to-PCI bridge, e.g. a PCIe root port) header registers an enumerator programs: bus numbers and the memory window it forwards. A window register holds address bits 31..20 in its bits 15..4 (1 MiB granules); a base above the limit closes the window. (section 4.1).
 * Offsets in bytes; access r = device to driver, w = driver to device.
 */
#define PCI_PRIMARY_BUS 0x018 /* Primary Bus Number: 8-bit rw. The bus the bridge sits on. */
#define PCI_SECONDARY_BUS 0x019 /* Secondary Bus Number: 8-bit rw. The bus right behind the bridge. */
#define PCI_SUBORDINATE_BUS 0x01a /* Subordinate Bus Number: 8-bit rw. The highest bus number behind the bridge. */
#define PCI_IO_BASE 0x01c /* I/O Base: 8-bit rw. I/O window base (closed here). */
#define PCI_IO_LIMIT 0x01d /* I/O Limit: 8-bit rw. I/O window limit. */
#define PCI_MEMORY_BASE 0x020 /* Memory Base: 16-bit rw. Non-prefetchable memory window base, bits 31..20 in bits 15..4. */
#define PCI_MEMORY_LIMIT 0x022 /* Memory Limit: 16-bit rw. Non-prefetchable memory window limit (inclusive, same encoding). */
#define PCI_PREF_MEMORY_BASE 0x024 /* Prefetchable Memory Base: 16-bit rw. Prefetchable window base (closed here). */
#define PCI_PREF_MEMORY_LIMIT 0x026 /* Prefetchable Memory Limit: 16-bit rw. Prefetchable window limit. */
#define PCI_PREF_BASE_UPPER32 0x028 /* Prefetchable Base Upper 32 Bits: 32-bit rw. High half of the prefetchable base. */
#define PCI_PREF_LIMIT_UPPER32 0x02c /* Prefetchable Limit Upper 32 Bits: 32-bit rw. High half of the prefetchable limit. */

#endif /* VIRTIO_GEN_PCI_CONFIG_H */
