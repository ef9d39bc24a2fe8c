/*
 * Reading the fuzz input as the device's words (little-endian, zeros once
 * it runs out), and the invariant check both fuzz targets share.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct input {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t u8(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}
static inline uint16_t u16(struct input *in)
{
	return (uint16_t)(u8(in) | u8(in) << 8);
}
static inline uint32_t u32(struct input *in)
{
	return (uint32_t)u16(in) | (uint32_t)u16(in) << 16;
}
static inline uint64_t u64(struct input *in)
{
	return (uint64_t)u32(in) | (uint64_t)u32(in) << 32;
}

#define CHECK(c)                                                          \
	do {                                                              \
		if (!(c)) {                                               \
			fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", \
				#c, __FILE__, __LINE__);                  \
			abort();                                          \
		}                                                         \
	} while (0)

#endif /* FUZZ_INPUT_H */
