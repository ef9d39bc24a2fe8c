/*
 * Small helpers the split and packed rings share, private to runtime/src.
 * (Device addresses, single accesses to device-written memory and the
 * event-index test are in virtqueue_fast.h: the split ring's inline half
 * needs them in a public header.)
 */
#ifndef VIRTIO_RING_ACCESS_H
#define VIRTIO_RING_ACCESS_H

#include <virtio/virtqueue.h>

#include "zero.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

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
