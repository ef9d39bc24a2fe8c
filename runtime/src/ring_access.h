/*
 * What the split and packed rings share: how a buffer's device address is
 * made, single accesses to device-written memory, the event-index test,
 * and two small helpers. Private to runtime/src.
 */
#ifndef VIRTIO_RING_ACCESS_H
#define VIRTIO_RING_ACCESS_H

#include <virtio/virtqueue.h>

/*
 * Device address of a buffer. Ports whose device addresses are the CPU
 * addresses (most RTOS and bare-metal targets: no IOMMU, no offset) may
 * build the runtime with -DVIRTIO_DMA_IDENTITY: add() then makes no call
 * and needs no stack frame.
 */
#ifdef VIRTIO_DMA_IDENTITY
#define dma_addr(p) ((uint64_t)(uintptr_t)(p))
#else
#define dma_addr(p) virtio_port_virt_to_phys(p)
#endif

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Every read of device-written memory happens exactly once. */
static inline uint16_t rd16(const uint16_t *p)
{
	return *(const volatile uint16_t *)p;
}
static inline uint32_t rd32(const uint32_t *p)
{
	return *(const volatile uint32_t *)p;
}
static inline void wr16(uint16_t *p, uint16_t v)
{
	*(volatile uint16_t *)p = v;
}

/* Spec 2.7.10 (also used by 2.8.10): has new_idx moved past event since old? */
static inline bool need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

/* Byte zeroing that the compiler cannot turn into a memset() call. */
static inline void zero(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

static inline size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

#endif /* VIRTIO_RING_ACCESS_H */
