/*
 * Interrupts on QEMU riscv64 `-M virt` in machine mode: the PLIC
 * (0x0c000000; virtio-mmio sources 1..8, hart 0's M-mode context is 0 per
 * the device tree's interrupts-extended) for devices, the CLINT's
 * mtimecmp for the wait's timeout. start.S saves the caller-saved
 * registers and calls board_trap_entry; interrupts return with mret.
 */
#include <stdint.h>

#include "board.h"
#include "irq.h"

#define PLIC_BASE 0x0c000000u
#define PLIC_SOURCES 96u                  /* riscv,ndev */
#define PLIC_PRIORITY(s) (PLIC_BASE + 4u * (s))
#define PLIC_ENABLE(s) (PLIC_BASE + 0x2000u + 4u * ((s) / 32u)) /* context 0 */
#define PLIC_THRESHOLD (PLIC_BASE + 0x200000u)
#define PLIC_CLAIM (PLIC_BASE + 0x200004u)

#define CLINT_MTIMECMP0 0x02004000u
#define CLINT_MTIME 0x0200bff8u
#define MTIME_PER_US 10u                  /* 10 MHz timebase */

#define MIP_MTIP (1u << 7)
#define MIP_MEIP (1u << 11)
#define MSTATUS_MIE 8u
#define MCAUSE_INTERRUPT (1ull << 63)
#define IRQ_M_TIMER 7u
#define IRQ_M_EXT 11u

static inline volatile uint32_t *reg32(uintptr_t a)
{
	return (volatile uint32_t *)a;
}

static void timer_set(uint64_t when)
{
	*(volatile uint64_t *)(uintptr_t)CLINT_MTIMECMP0 = when;
}

void arch_irq_init(void)
{
	timer_set(~0ull); /* no timer interrupt until a wait arms it */
	*reg32(PLIC_THRESHOLD) = 0;
	__asm__ volatile("csrs mie, %0" : : "r"(MIP_MTIP | MIP_MEIP));
	__asm__ volatile("csrs mstatus, %0" : : "r"(MSTATUS_MIE));
}

bool arch_irq_line_valid(uint32_t line)
{
	return line >= 1 && line < PLIC_SOURCES;
}

void arch_irq_line_enable(uint32_t line, bool on)
{
	uint32_t bit = 1u << (line % 32u);

	*reg32(PLIC_PRIORITY(line)) = 1;
	if (on)
		*reg32(PLIC_ENABLE(line)) |= bit;
	else
		*reg32(PLIC_ENABLE(line)) &= ~bit;
}

void arch_irq_mask(void)
{
	__asm__ volatile("csrc mstatus, %0" : : "r"(MSTATUS_MIE) : "memory");
}

void arch_irq_unmask(void)
{
	__asm__ volatile("csrs mstatus, %0" : : "r"(MSTATUS_MIE) : "memory");
}

unsigned long arch_irq_save(void)
{
	unsigned long old;

	__asm__ volatile("csrrc %0, mstatus, %1" : "=r"(old) : "r"(MSTATUS_MIE) : "memory");
	return old & MSTATUS_MIE;
}

void arch_irq_restore(unsigned long state)
{
	if (state & MSTATUS_MIE)
		arch_irq_unmask();
}

void arch_irq_sleep(uint64_t us)
{
	uint64_t now = *(volatile uint64_t *)(uintptr_t)CLINT_MTIME;

	if (us > (1ull << 40))
		us = 1ull << 40;
	timer_set(now + us * MTIME_PER_US);
	/* wfi resumes when an enabled interrupt is pending, even with
	 * mstatus.MIE clear. */
	__asm__ volatile("wfi" : : : "memory");
}

void board_trap(uint64_t cause, uint64_t epc, uint64_t tval);
void board_irq_entry(uint64_t cause);

/* Called by start.S for interrupts only (exceptions go to board_trap). */
void board_irq_entry(uint64_t cause)
{
	switch (cause & ~MCAUSE_INTERRUPT) {
	case IRQ_M_TIMER:
		timer_set(~0ull); /* one shot: the waiter re-arms it */
		break;
	case IRQ_M_EXT:
		for (;;) {
			uint32_t src = *reg32(PLIC_CLAIM);

			if (src == 0)
				break;
			baremetal_irq_dispatch(src);
			*reg32(PLIC_CLAIM) = src; /* complete */
		}
		break;
	default: /* never enabled */
		board_trap(cause, 0, 0);
	}
}
