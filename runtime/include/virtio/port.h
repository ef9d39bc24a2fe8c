/*
 * Platform port layer: everything the runtime needs from the platform it
 * runs on. A port (runtime/port/<name>/) implements these functions; the
 * runtime calls nothing else outside itself.
 *
 * The runtime is freestanding C11: it uses only <stdint.h>, <stddef.h>,
 * <stdbool.h> and the functions below.
 */
#ifndef VIRTIO_PORT_H
#define VIRTIO_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- Device register access (MMIO). Addresses are CPU addresses. --- */
uint8_t virtio_port_read8(uintptr_t addr);
uint16_t virtio_port_read16(uintptr_t addr);
uint32_t virtio_port_read32(uintptr_t addr);
void virtio_port_write8(uintptr_t addr, uint8_t value);
void virtio_port_write16(uintptr_t addr, uint16_t value);
void virtio_port_write32(uintptr_t addr, uint32_t value);

/*
 * --- Memory barriers between the driver and the device. ---
 * The defaults are the compiler's fences, which emit the right instruction
 * on every architecture gcc and clang know (fence on RISC-V, dmb on Arm).
 * A port may define these macros before including this header.
 */
#ifndef virtio_port_mb
#define virtio_port_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef virtio_port_rmb
#define virtio_port_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif
#ifndef virtio_port_wmb
#define virtio_port_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/*
 * --- Memory the device reads and writes (virtqueues, request buffers). ---
 * Returns zeroed memory aligned to `align` (a power of two), or NULL.
 */
void *virtio_port_dma_alloc(size_t size, size_t align);
void virtio_port_dma_free(void *ptr, size_t size);
/* The address the device must be given for a CPU pointer, and back. */
uint64_t virtio_port_virt_to_phys(const void *ptr);
void *virtio_port_phys_to_virt(uint64_t phys);

/* --- Time: a monotonic clock for timeouts, in microseconds. --- */
uint64_t virtio_port_time_us(void);

/* --- Logging: one line of text without the newline. --- */
enum virtio_log_level {
	VIRTIO_LOG_ERROR,
	VIRTIO_LOG_WARN,
	VIRTIO_LOG_INFO,
	VIRTIO_LOG_DEBUG,
};
void virtio_port_log(enum virtio_log_level level, const char *msg);

/*
 * --- Interrupts (optional). ---
 * Only needed for interrupt-driven operation (<virtio/interrupt.h>); a
 * port that leaves them out still runs every driver by polling, as long
 * as nothing calls virtio_irq_attach/virtio_irq_wait.
 *
 * `line` is the platform's number for a device's interrupt (board table,
 * device tree, PCI INTx routing). The handler runs in interrupt context,
 * with that line's interrupt already taken from the controller; the port
 * completes it (EOI) after the handler returns. Lines are level-triggered
 * for virtio-mmio: the handler acknowledges at the device.
 *
 * virtio_port_irq_wait blocks the caller until an interrupt handler has
 * run since the previous return of virtio_port_irq_wait, or timeout_us
 * passed (0: do not block). It behaves like a binary semaphore given by
 * every handler and taken by the waiter, so a handler that runs between
 * the caller's last check and the wait is not lost. Callers re-check their
 * own condition after every return (a wake-up may be for another device).
 *  - Bare metal: mask interrupts, test-and-clear a flag the handlers set,
 *    wfi (which wakes on a pending interrupt even while masked), unmask;
 *    a timer interrupt bounds the sleep.
 *  - RTOS: a counting or binary semaphore; the handler gives it (from ISR
 *    context), wait takes it with the timeout converted to ticks. With
 *    several tasks, use one semaphore per device and call the runtime's
 *    per-device wait (virtio_irq_wait) instead; see the porting guide.
 */
typedef void (*virtio_port_irq_fn)(void *arg);
/* Installs fn(arg) for `line` (replacing any earlier handler), still
 * disabled. Returns 0, or a negative value (no such line, no room). */
int virtio_port_irq_attach(uint32_t line, virtio_port_irq_fn fn, void *arg);
void virtio_port_irq_detach(uint32_t line);
void virtio_port_irq_enable(uint32_t line);
void virtio_port_irq_disable(uint32_t line);
/* true: a handler ran since the last return; false: timeout. */
bool virtio_port_irq_wait(uint64_t timeout_us);

#endif /* VIRTIO_PORT_H */
