/*
 * Board API of a bare-metal port: what a firmware needs beyond the port
 * layer (runtime/include/virtio/port.h). Every bare-metal port implements
 * the same declarations, so a firmware builds unchanged on each of them.
 */
#ifndef VIRTIO_BOARD_H
#define VIRTIO_BOARD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* One virtio-mmio transport window the board provides. */
struct board_mmio_slot {
	uintptr_t base; /* CPU address of the register block */
	uint32_t size;  /* size of the register block in bytes */
	uint32_t irq;   /* interrupt line for virtio_port_irq_attach */
};

/* Every virtio-mmio slot of the board, lowest address first. */
extern const struct board_mmio_slot board_virtio_mmio_slots[];
extern const unsigned board_virtio_mmio_slot_count;

/*
 * The board's PCIe host bridge (generic ECAM): configuration space of bus
 * b at ecam_base + (b << PCIE_ECAM_BUS_SHIFT), and the 32-bit memory
 * window the firmware may place BARs in (CPU address == PCI bus address on
 * the boards here). ecam_size 0: the board has no PCIe.
 */
struct board_pci_host {
	uintptr_t ecam_base;
	uint64_t ecam_size;
	uint64_t mmio_base;
	uint64_t mmio_size;
};
extern const struct board_pci_host board_pci;

/* Short board name, e.g. "riscv64-virt". */
extern const char board_name[];

/* Console: polled UART output. board_puts() adds no newline. */
void board_putc(char c);
void board_puts(const char *s);

/*
 * Minimal formatter: %d %i %u %x %X %p %s %c %%, flags '-' and '0', a
 * field width (number or '*'), length modifiers hh h l ll z. Returns the
 * length the full output would have (snprintf rules; output truncated).
 */
int board_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int board_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int board_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Stops the machine; QEMU exits with `code` (0..255; 0 = success). */
_Noreturn void board_exit(int code);

/* Monotonic time since an arbitrary origin, in microseconds. */
uint64_t board_time_us(void);

/* Bytes handed out by the DMA allocator so far, and its capacity. */
size_t board_dma_used(void);
size_t board_dma_capacity(void);

/* Device interrupt handlers the port has run so far (irq.c). */
uint32_t board_irq_count(void);

/* Exit code of an unexpected trap/exception (after a "CRASH" line). */
#define BOARD_EXIT_TRAP 99

/*
 * The firmware's entry point, called by the port after start-up; its
 * return value becomes the exit code.
 */
int main(void);

#endif /* VIRTIO_BOARD_H */
