/*
 * The smallest platform an exported tree links against: every port layer
 * function (virtio/port.h) over a static arena and an entry point that
 * references the driver API. Linked with -nostdlib together with the
 * bare-metal port's memory routines (runtime/port/baremetal/mem.c), so a
 * symbol the export lacks fails the link. Never run: only built. With
 * STUB_HOSTED (a host program with a C library) only the port layer
 * functions are compiled.
 */
#include <stddef.h>
#include <stdint.h>

#include <virtio/drivers/blk.h>
#include <virtio/transport.h>

uint8_t virtio_port_read8(uintptr_t addr) { return *(volatile uint8_t *)addr; }
uint16_t virtio_port_read16(uintptr_t addr) { return *(volatile uint16_t *)addr; }
uint32_t virtio_port_read32(uintptr_t addr) { return *(volatile uint32_t *)addr; }
void virtio_port_write8(uintptr_t addr, uint8_t v) { *(volatile uint8_t *)addr = v; }
void virtio_port_write16(uintptr_t addr, uint16_t v) { *(volatile uint16_t *)addr = v; }
void virtio_port_write32(uintptr_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }

static unsigned char arena[16384] __attribute__((aligned(4096)));
static size_t arena_used;

void *virtio_port_dma_alloc(size_t size, size_t align)
{
	size_t at = (arena_used + align - 1) & ~(align - 1);

	if (align == 0 || at > sizeof(arena) || size > sizeof(arena) - at)
		return NULL;
	arena_used = at + size;
	for (size_t i = 0; i < size; i++)
		arena[at + i] = 0;
	return arena + at;
}

void virtio_port_dma_free(void *ptr, size_t size)
{
	(void)ptr;
	(void)size;
}

uint64_t virtio_port_virt_to_phys(const void *ptr) { return (uintptr_t)ptr; }
void *virtio_port_phys_to_virt(uint64_t phys) { return (void *)(uintptr_t)phys; }

static volatile uint64_t ticks;
uint64_t virtio_port_time_us(void) { return ticks++; }

void virtio_port_log(enum virtio_log_level level, const char *msg)
{
	(void)level;
	(void)msg;
}

/* The optional interrupt API: this platform has no interrupt lines. A
 * polling-only build (VIRTIO_INTERRUPTS 0) must link without it. */
#if !defined(VIRTIO_INTERRUPTS) || VIRTIO_INTERRUPTS
int virtio_port_irq_attach(uint32_t line, virtio_port_irq_fn fn, void *arg)
{
	(void)line;
	(void)fn;
	(void)arg;
	return -1;
}
void virtio_port_irq_detach(uint32_t line) { (void)line; }
void virtio_port_irq_enable(uint32_t line) { (void)line; }
void virtio_port_irq_disable(uint32_t line) { (void)line; }
bool virtio_port_irq_wait(uint64_t timeout_us)
{
	ticks += timeout_us;
	return false;
}
#endif

#ifndef STUB_HOSTED
int main(void);
void _start(void);

/* Uses the public API so the link must resolve every piece of it. */
int main(void)
{
	static struct virtio_device dev;
	static struct virtio_blk blk;
	static uint8_t sector[512];
	int err = virtio_mmio_probe(&dev, (uintptr_t)0x10001000u);

	if (err == 0)
		err = virtio_blk_init(&blk, &dev);
	if (err == 0)
		err = virtio_blk_read(&blk, 0, sector, 1);
	if (err == 0)
		err = virtio_blk_write(&blk, 0, sector, 1);
	if (err == 0)
		virtio_blk_destroy(&blk);
	return virtio_strerror(err)[0];
}

void _start(void)
{
	main();
	for (;;)
		;
}
#endif
