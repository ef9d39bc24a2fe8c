/*
 * Host (Linux) port of the VirtIO runtime, for unit tests and fuzzing.
 *
 * Implements runtime/include/virtio/port.h and adds test controls:
 *  - a registry of MMIO windows: register accesses inside a window are
 *    dispatched to a software device (tests/devmodel); any other address
 *    aborts the process with a message;
 *  - DMA memory below 4 GiB (legacy virtio-mmio QueuePFN is 32 bits of
 *    4 KiB pages), each allocation followed by an inaccessible guard page
 *    so that an overrun faults at once; phys == virt;
 *  - a monotonic clock that tests can move forward;
 *  - a level-triggered interrupt controller whose lines the device model
 *    drives (the port's optional interrupt API);
 *  - log lines on stderr, optionally captured for inspection.
 */
#ifndef VIRTIO_PORT_HOST_H
#define VIRTIO_PORT_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <virtio/port.h>

/* ---- MMIO windows ---- */
struct virtio_host_mmio_ops {
	/* `size` is 1, 2 or 4; `offset` is relative to the window base. */
	uint32_t (*read)(void *ctx, uint32_t offset, unsigned size);
	void (*write)(void *ctx, uint32_t offset, uint32_t value, unsigned size);
};

/* Returns 0, or -1 if the window overlaps another one or the table is full. */
int virtio_host_mmio_register(uintptr_t base, size_t size,
			      const struct virtio_host_mmio_ops *ops, void *ctx);
void virtio_host_mmio_unregister(uintptr_t base);
/* Number of register accesses made through the port since start. */
uint64_t virtio_host_mmio_access_count(void);

/* ---- DMA memory ---- */
/* Bytes and allocations currently outstanding (for leak checks). */
size_t virtio_host_dma_outstanding_bytes(void);
size_t virtio_host_dma_outstanding_count(void);
/* True if [addr, addr+len) lies inside one live DMA allocation. */
bool virtio_host_dma_contains(uint64_t addr, uint64_t len);
/* The live DMA allocation containing addr: its start and size. False if
 * addr is in none. */
bool virtio_host_dma_find(uint64_t addr, uint64_t *start, uint64_t *size);
/* Make the next `n` calls to virtio_port_dma_alloc return NULL. */
void virtio_host_dma_fail_next(unsigned n);

/* ---- Time ---- */
/* Move the clock forward by `us` microseconds. */
void virtio_host_time_advance(uint64_t us);
/* Every call of virtio_port_time_us() also advances the clock by `us`
 * (0 = off): lets polling loops reach their timeouts without waiting. */
void virtio_host_time_set_autostep(uint64_t us);
/* Number of virtio_port_time_us() calls since start. */
uint64_t virtio_host_time_calls(void);

/* ---- Interrupt controller (port.h virtio_port_irq_*) ----
 *
 * Level-triggered, like the controllers virtio-mmio and PCI INTx sit on:
 * a device connects a level function to a line, and the line is asserted
 * for as long as that function returns true (the device model: while its
 * InterruptStatus is non-zero). Nothing is latched on a rising edge: a
 * line whose status the driver acknowledged before the handler could run
 * (by polling) delivers nothing.
 *
 * A handler runs while its line is attached, enabled and asserted. It is
 * never nested: a line that is (re)asserted while a handler runs is
 * sampled again when the handler returns (the EOI), and runs again if
 * still asserted; a handler that never deasserts its line is an interrupt
 * storm and aborts the process after VIRTIO_HOST_IRQ_STORM runs.
 *
 * Delivery is immediate (the handler preempts the code that caused it:
 * a device raise, an enable, a connect) unless deferred mode is on, which
 * plays a CPU with interrupts masked: handlers then run only in
 * virtio_port_irq_wait or virtio_host_irq_deliver, and when deferred mode
 * is turned off again. */
#define VIRTIO_HOST_IRQ_LINES 64
#define VIRTIO_HOST_IRQ_STORM 1000u

/* Device side. connect wires `level(ctx)` to `line` (aborts for a line out
 * of range or one another source drives: lines are not shared); it does
 * not deliver by itself. disconnect undoes it if `ctx` is the line's
 * source (a device being destroyed; no-op otherwise). */
void virtio_host_irq_connect(uint32_t line, bool (*level)(void *ctx), void *ctx);
void virtio_host_irq_disconnect(uint32_t line, void *ctx);
/* The source of `line` may have asserted it: deliver now unless deferred
 * or already in a handler. Aborts for a line without a source. */
void virtio_host_irq_raise(uint32_t line);
/* One request on `line` whatever its level, consumed by the next handler
 * run (a request latched before the device dropped the line, a glitch):
 * the handler finds nothing pending, which the runtime counts as
 * spurious. Waits for enable like any request; detach drops it. */
void virtio_host_irq_spurious(uint32_t line);

/* CPU side. */
void virtio_host_irq_set_deferred(bool on);
/* Runs handlers until no enabled line is asserted; returns how many ran. */
unsigned virtio_host_irq_deliver(void);
/* Called by virtio_port_irq_wait before it looks for an interrupt: lets a
 * test play the device "while the CPU sleeps" (complete held requests). */
void virtio_host_irq_set_wait_hook(void (*fn)(void *ctx), void *ctx);

/* Observation. */
bool virtio_host_irq_attached(uint32_t line);
bool virtio_host_irq_enabled(uint32_t line);
/* The line's level now (false without a source). */
bool virtio_host_irq_asserted(uint32_t line);
/* Handler runs on `line` since the last reset. */
uint64_t virtio_host_irq_count(uint32_t line);
/* virtio_port_irq_wait calls since the last reset. */
uint64_t virtio_host_irq_waits(void);
/* Forget every handler, source, request and counter (test fixtures). */
void virtio_host_irq_reset(void);

/* ---- Logging ---- */
/* When capture is on, lines go to an in-memory buffer (and still to stderr
 * if VIRTIO_HOST_LOG=1 in the environment); when off, to stderr. */
void virtio_host_log_capture(bool on);
void virtio_host_log_clear(void);
/* Number of captured lines at `level` (or any level if level < 0). */
unsigned virtio_host_log_count(int level);
/* True if a captured line contains `needle`. */
bool virtio_host_log_contains(const char *needle);
/* Captured text, lines separated by '\n'. */
const char *virtio_host_log_text(void);

#endif /* VIRTIO_PORT_HOST_H */
