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

#endif /* VIRTIO_PORT_H */
