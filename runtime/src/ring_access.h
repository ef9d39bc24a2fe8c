/*
 * What the split and packed rings share, under short names: how a
 * buffer's device address is made, single accesses to device-written
 * memory, the event-index test (all in virtqueue_fast.h, which the split
 * ring's inline half needs in a public header), and two small helpers.
 * Private to runtime/src.
 */
#ifndef VIRTIO_RING_ACCESS_H
#define VIRTIO_RING_ACCESS_H

#include <virtio/virtqueue.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static inline uint64_t dma_addr(const void *p)
{
	return virtio_dma_addr(p);
}
static inline uint16_t rd16(const uint16_t *p)
{
	return virtio_rd16(p);
}
static inline uint32_t rd32(const uint32_t *p)
{
	return virtio_rd32(p);
}
static inline void wr16(uint16_t *p, uint16_t v)
{
	virtio_wr16(p, v);
}
static inline bool need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return virtio_need_event(event, new_idx, old);
}

/* Byte zeroing that the compiler cannot turn into a memset() call.
 * From the end: the count is the index, one register fewer. */
static inline void zero(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n)
		b[--n] = 0;
}

/* The queue size this API promises for either layout: min(size, max)
 * (size 0: max), rounded down to a power of two. */
static inline unsigned pick_size(unsigned max, unsigned size)
{
	unsigned n = size - 1 < max ? size : max; /* (size 0 wraps) */

	while (n & (n - 1))
		n &= n - 1;
	return n;
}

static inline size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

#endif /* VIRTIO_RING_ACCESS_H */
