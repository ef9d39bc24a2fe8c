/* The memory routines of mem.c (no C library on bare metal). */
#ifndef BAREMETAL_MEM_H
#define BAREMETAL_MEM_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif /* BAREMETAL_MEM_H */
