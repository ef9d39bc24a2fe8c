/*
 * Port layer for the benchmark: ordinary host memory, identity addresses,
 * no MMIO (the bench's transport never touches registers).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <virtio/port.h>

uint8_t virtio_port_read8(uintptr_t addr) { (void)addr; return 0; }
uint16_t virtio_port_read16(uintptr_t addr) { (void)addr; return 0; }
uint32_t virtio_port_read32(uintptr_t addr) { (void)addr; return 0; }
void virtio_port_write8(uintptr_t addr, uint8_t v) { (void)addr; (void)v; }
void virtio_port_write16(uintptr_t addr, uint16_t v) { (void)addr; (void)v; }
void virtio_port_write32(uintptr_t addr, uint32_t v) { (void)addr; (void)v; }

void *virtio_port_dma_alloc(size_t size, size_t align)
{
	void *p = NULL;

	if (align < sizeof(void *))
		align = sizeof(void *);
	if (posix_memalign(&p, align, size))
		return NULL;
	memset(p, 0, size);
	return p;
}

void virtio_port_dma_free(void *ptr, size_t size)
{
	(void)size;
	free(ptr);
}

uint64_t virtio_port_virt_to_phys(const void *ptr)
{
	return (uint64_t)(uintptr_t)ptr;
}

void *virtio_port_phys_to_virt(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

uint64_t virtio_port_time_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void virtio_port_log(enum virtio_log_level level, const char *msg)
{
	fprintf(stderr, "[%d] %s\n", (int)level, msg);
}
