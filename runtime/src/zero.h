/*
 * Zeroing for runtime/src without a C library: the compiler may not turn
 * it into a memset() call (freestanding targets need not have one).
 */
#ifndef VIRTIO_ZERO_H
#define VIRTIO_ZERO_H

#include <stddef.h>
#include <stdint.h>

/* Byte by byte through a volatile pointer, from the end: the count is
 * the index, one register fewer. */
static inline void zero(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n)
		b[--n] = 0;
}

#endif /* VIRTIO_ZERO_H */
