/*
 * Interrupts on QEMU aarch64 `-M virt` at EL1: the GICv2 (distributor
 * 0x08000000, CPU interface 0x08010000, "arm,cortex-a15-gic" in the
 * device tree; virtio-mmio slot n is SPI 16 + n = INTID 48 + n) for
 * devices, the virtual timer (PPI 11 = INTID 27) for the wait's timeout.
 * start.S's IRQ vector saves the caller-saved registers and calls
 * board_irq_entry.
 */
#include <stdint.h>

#include "board.h"
#include "irq.h"

#define GICD_BASE 0x08000000u
#define GICD_CTLR (GICD_BASE + 0x000u)
#define GICD_TYPER (GICD_BASE + 0x004u)
#define GICD_ISENABLER(n) (GICD_BASE + 0x100u + 4u * ((n) / 32u))
#define GICD_ICENABLER(n) (GICD_BASE + 0x180u + 4u * ((n) / 32u))
#define GICD_IPRIORITYR(n) (GICD_BASE + 0x400u + (n))
#define GICD_ITARGETSR(n) (GICD_BASE + 0x800u + (n))

#define GICC_BASE 0x08010000u
#define GICC_CTLR (GICC_BASE + 0x000u)
#define GICC_PMR (GICC_BASE + 0x004u)
#define GICC_IAR (GICC_BASE + 0x00cu)
#define GICC_EOIR (GICC_BASE + 0x010u)

#define INTID_VTIMER 27u
#define INTID_SPI0 32u
#define INTID_SPURIOUS 1020u /* 1020..1023: nothing to acknowledge */
#define PRIORITY 0xa0u

static unsigned n_lines = 64; /* from GICD_TYPER at init */

static inline volatile uint32_t *reg32(uintptr_t a)
{
	return (volatile uint32_t *)a;
}

static inline volatile uint8_t *reg8(uintptr_t a)
{
	return (volatile uint8_t *)a;
}

static void vtimer_ctl(uint64_t v)
{
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(v));
}

void arch_irq_init(void)
{
	n_lines = 32u * ((*reg32(GICD_TYPER) & 0x1fu) + 1u);
	vtimer_ctl(0); /* off until a wait arms it */
	*reg8(GICD_IPRIORITYR(INTID_VTIMER)) = PRIORITY;
	*reg32(GICD_ISENABLER(INTID_VTIMER)) = 1u << (INTID_VTIMER % 32u);
	*reg32(GICD_CTLR) = 1;
	*reg32(GICC_PMR) = 0xf0u; /* every priority above 0xf0 passes */
	*reg32(GICC_CTLR) = 1;
	__asm__ volatile("msr daifclr, #2; isb" : : : "memory");
}

bool arch_irq_line_valid(uint32_t line)
{
	return line >= INTID_SPI0 && line < n_lines && line < INTID_SPURIOUS;
}

void arch_irq_line_enable(uint32_t line, bool on)
{
	if (on) {
		*reg8(GICD_IPRIORITYR(line)) = PRIORITY;
		*reg8(GICD_ITARGETSR(line)) = 1; /* CPU 0 */
		*reg32(GICD_ISENABLER(line)) = 1u << (line % 32u);
	} else {
		*reg32(GICD_ICENABLER(line)) = 1u << (line % 32u);
	}
}

void arch_irq_mask(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

void arch_irq_unmask(void)
{
	__asm__ volatile("msr daifclr, #2; isb" : : : "memory");
}

unsigned long arch_irq_save(void)
{
	unsigned long daif;

	__asm__ volatile("mrs %0, daif; msr daifset, #2" : "=r"(daif) : : "memory");
	return daif;
}

void arch_irq_restore(unsigned long state)
{
	__asm__ volatile("msr daif, %0; isb" : : "r"(state) : "memory");
}

void arch_irq_sleep(uint64_t us)
{
	uint64_t f, now, ticks;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
	if (us > (1ull << 32))
		us = 1ull << 32;
	ticks = (us * (f / 1000u)) / 1000u + 1u;
	__asm__ volatile("msr cntv_cval_el0, %0" : : "r"(now + ticks));
	vtimer_ctl(1); /* enabled, not masked */
	/* wfi wakes on a pending IRQ even while PSTATE.I masks it. */
	__asm__ volatile("dsb sy; wfi" : : : "memory");
}

void board_irq_entry(void);

/* Called by start.S's IRQ vector. */
void board_irq_entry(void)
{
	for (;;) {
		uint32_t iar = *reg32(GICC_IAR);
		uint32_t id = iar & 0x3ffu;

		if (id >= INTID_SPURIOUS)
			break;
		if (id == INTID_VTIMER)
			vtimer_ctl(0); /* one shot: the waiter re-arms it */
		else
			baremetal_irq_dispatch(id);
		*reg32(GICC_EOIR) = iar;
	}
}
