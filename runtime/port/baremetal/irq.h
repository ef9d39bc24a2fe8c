/*
 * Interrupt plumbing shared by the bare-metal ports (irq.c) and what each
 * architecture supplies (riscv64-virt/plic.c, aarch64-virt/gic.c).
 */
#ifndef VIRTIO_BAREMETAL_IRQ_H
#define VIRTIO_BAREMETAL_IRQ_H

#include <stdbool.h>
#include <stdint.h>

/* Handlers the port can hold at once (one per device line). */
#define BAREMETAL_IRQ_SLOTS 48u

/* ---- supplied by the architecture ---- */
/* Sets up the controller and the timer; enables interrupts globally. */
void arch_irq_init(void);
/* Whether `line` is a device line this controller can route. */
bool arch_irq_line_valid(uint32_t line);
void arch_irq_line_enable(uint32_t line, bool on);
/* Mask / unmask interrupts at the CPU; save masks and returns the state
 * before, for restore (usable in handlers, which run masked). */
void arch_irq_mask(void);
void arch_irq_unmask(void);
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long state);
/* With interrupts masked: arm the timer to fire in `us` microseconds and
 * sleep (wfi) until any interrupt is pending. */
void arch_irq_sleep(uint64_t us);

/* ---- supplied by irq.c, called by the architecture's handler ---- */
/* Runs the handler of `line` (if any) and marks the wake-up. */
void baremetal_irq_dispatch(uint32_t line);

#endif /* VIRTIO_BAREMETAL_IRQ_H */
