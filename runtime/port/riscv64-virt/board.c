/*
 * QEMU riscv64 `-M virt` board: ns16550 UART, SiFive test device for the
 * exit status, CLINT mtime for time, eight virtio-mmio slots. Interrupts
 * (PLIC, timer) are in plic.c.
 */
#include <stdint.h>

#include "board.h"

#define UART_BASE 0x10000000u
#define UART_THR 0x0 /* transmit holding register */
#define UART_LSR 0x5 /* line status register */
#define UART_LSR_THRE 0x20 /* transmit holding register empty */

#define TEST_BASE 0x100000u /* SiFive test device ("sifive,test0") */
#define TEST_PASS 0x5555u
#define TEST_FAIL 0x3333u

#define CLINT_MTIME 0x0200bff8u
#define MTIME_HZ 10000000u /* timebase-frequency of the virt board */

#define MMIO_BASE 0x10001000u
#define MMIO_SIZE 0x1000u
#define MMIO_IRQ0 1u /* PLIC source of slot 0 */

const char board_name[] = "riscv64-virt";

#define SLOT(i) { MMIO_BASE + (i) * MMIO_SIZE, MMIO_SIZE, MMIO_IRQ0 + (i) }
const struct board_mmio_slot board_virtio_mmio_slots[] = {
	SLOT(0), SLOT(1), SLOT(2), SLOT(3), SLOT(4), SLOT(5), SLOT(6), SLOT(7),
};
const unsigned board_virtio_mmio_slot_count =
	sizeof(board_virtio_mmio_slots) / sizeof(board_virtio_mmio_slots[0]);

/* PCIe (QEMU hw/riscv/virt.c memmap, checked against the device tree QEMU
 * passes: pci@30000000 reg and ranges): ECAM for 256 buses, 32-bit MMIO
 * window; the I/O window (0x03000000) is not used. */
const struct board_pci_host board_pci = {
	.ecam_base = 0x30000000u,
	.ecam_size = 0x10000000u,
	.mmio_base = 0x40000000u,
	.mmio_size = 0x40000000u,
};

void board_start(void);
void board_trap(uint64_t cause, uint64_t epc, uint64_t tval);

void board_putc(char c)
{
	volatile uint8_t *uart = (volatile uint8_t *)(uintptr_t)UART_BASE;

	if (c == '\n')
		board_putc('\r');
	while ((uart[UART_LSR] & UART_LSR_THRE) == 0)
		;
	uart[UART_THR] = (uint8_t)c;
}

_Noreturn void board_exit(int code)
{
	volatile uint32_t *test = (volatile uint32_t *)(uintptr_t)TEST_BASE;

	code &= 0xff;
	*test = code == 0 ? TEST_PASS : ((uint32_t)code << 16) | TEST_FAIL;
	for (;;)
		__asm__ volatile("wfi");
}

uint64_t board_time_us(void)
{
	return *(volatile uint64_t *)(uintptr_t)CLINT_MTIME / (MTIME_HZ / 1000000u);
}

void board_trap(uint64_t cause, uint64_t epc, uint64_t tval)
{
	static volatile unsigned nested;

	if (nested++) {
		/* A trap while reporting one: stop quietly. */
		for (;;)
			__asm__ volatile("wfi");
	}
	board_printf("\nCRASH trap mcause=0x%llx mepc=0x%llx mtval=0x%llx\n",
		     (unsigned long long)cause, (unsigned long long)epc,
		     (unsigned long long)tval);
	board_exit(BOARD_EXIT_TRAP);
}

void board_start(void)
{
	board_exit(main());
}
