/*
 * QEMU aarch64 `-M virt` board: PL011 UART, semihosting for the exit
 * status (QEMU needs -semihosting), the generic timer for time, 32
 * virtio-mmio slots. Interrupts (GICv2, virtual timer) are in gic.c.
 */
#include <stdint.h>

#include "board.h"

#define UART_BASE 0x09000000u
#define UART_DR 0x00    /* data register */
#define UART_FR 0x18    /* flag register */
#define UART_FR_TXFF (1u << 5) /* transmit FIFO full */
#define UART_CR 0x30    /* control register */
#define UART_CR_EN 0x301u /* UARTEN | TXE | RXE */

#define SEMIHOST_SYS_EXIT 0x18u
#define SEMIHOST_APP_EXIT 0x20026u /* ADP_Stopped_ApplicationExit */

#define MMIO_BASE 0x0a000000u
#define MMIO_SIZE 0x200u
#define MMIO_IRQ0 48u /* GIC interrupt id of slot 0 (SPI 16) */

const char board_name[] = "aarch64-virt";

#define SLOT(i) { MMIO_BASE + (i) * MMIO_SIZE, MMIO_SIZE, MMIO_IRQ0 + (i) }
const struct board_mmio_slot board_virtio_mmio_slots[] = {
	SLOT(0), SLOT(1), SLOT(2), SLOT(3), SLOT(4), SLOT(5), SLOT(6), SLOT(7),
	SLOT(8), SLOT(9), SLOT(10), SLOT(11), SLOT(12), SLOT(13), SLOT(14), SLOT(15),
	SLOT(16), SLOT(17), SLOT(18), SLOT(19), SLOT(20), SLOT(21), SLOT(22), SLOT(23),
	SLOT(24), SLOT(25), SLOT(26), SLOT(27), SLOT(28), SLOT(29), SLOT(30), SLOT(31),
};
const unsigned board_virtio_mmio_slot_count =
	sizeof(board_virtio_mmio_slots) / sizeof(board_virtio_mmio_slots[0]);

/* PCIe (QEMU hw/arm/virt.c memmap, checked against the device tree QEMU
 * passes: pcie@10000000 reg and ranges). With a 64-bit CPU QEMU uses the
 * high ECAM (VIRT_HIGH_PCIE_ECAM, 256 buses) instead of VIRT_PCIE_ECAM at
 * 0x3f000000; VIRT_PCIE_MMIO is the 32-bit window. The MMU is off, so the
 * 40-bit ECAM address is reachable as is. */
const struct board_pci_host board_pci = {
	.ecam_base = 0x4010000000ull,
	.ecam_size = 0x10000000u,
	.mmio_base = 0x10000000u,
	.mmio_size = 0x2eff0000u,
};

void board_start(void);
void board_trap(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far);

static inline uint32_t uart_read(uint32_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(UART_BASE + off);
}

static inline void uart_write(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(UART_BASE + off) = v;
}

void board_putc(char c)
{
	if (c == '\n')
		board_putc('\r');
	while (uart_read(UART_FR) & UART_FR_TXFF)
		;
	uart_write(UART_DR, (uint8_t)c);
}

_Noreturn void board_exit(int code)
{
	volatile uint64_t block[2] = { SEMIHOST_APP_EXIT, (uint64_t)(code & 0xff) };
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	/* Only reached without -semihosting (then the hlt traps instead). */
	for (;;)
		__asm__ volatile("wfe");
}

static inline uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static inline uint64_t cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

uint64_t board_time_us(void)
{
	uint64_t t = cntvct(), f = cntfrq();

	if (f == 0)
		return 0;
	/* Split the division so the product cannot overflow. */
	return (t / f) * 1000000u + ((t % f) * 1000000u) / f;
}

void board_trap(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	static volatile unsigned nested;

	if (nested++) {
		/* The exit itself trapped: the hlt of a QEMU run without
		 * -semihosting is an undefined instruction. Stop here. */
		if (nested == 2)
			board_puts("CRASH cannot exit: run QEMU with -semihosting\n");
		for (;;)
			__asm__ volatile("wfe");
	}
	board_printf("\nCRASH exception vector=%llu esr=0x%llx elr=0x%llx far=0x%llx\n",
		     (unsigned long long)vector, (unsigned long long)esr,
		     (unsigned long long)elr, (unsigned long long)far);
	board_exit(BOARD_EXIT_TRAP);
}

void board_start(void)
{
	uart_write(UART_CR, UART_CR_EN);
	board_exit(main());
}
