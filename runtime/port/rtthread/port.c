/*
 * RT-Thread port of the runtime (runtime/include/virtio/port.h). Exported
 * with `generator export --os rtthread` beside the device glue.
 *
 * - Registers: plain volatile accesses (RT-Thread maps device memory).
 * - DMA memory: rt_malloc_align, zeroed; the heap is identity-mapped and
 *   coherent with QEMU's devices on the virt boards. A system whose
 *   devices see other addresses defines VIRTIO_RTT_VIRT_TO_PHYS(p) and
 *   VIRTIO_RTT_PHYS_TO_VIRT(a).
 * - Time: the CPU's free-running counter (riscv64 rdtime, Armv8 generic
 *   timer), not the scheduler tick: polled waits may run with the
 *   scheduler locked. Other CPUs fall back to the tick.
 * - Interrupts: rt_hw_interrupt_install/umask; the port-wide wait is a
 *   binary semaphore (the glue gives each device its own sleeper).
 */
#include <rthw.h>
#include <rtthread.h>

#include <virtio/virtio.h>

#include "glue.h"

uint8_t virtio_port_read8(uintptr_t addr) { return *(volatile uint8_t *)addr; }
uint16_t virtio_port_read16(uintptr_t addr) { return *(volatile uint16_t *)addr; }
uint32_t virtio_port_read32(uintptr_t addr) { return *(volatile uint32_t *)addr; }
void virtio_port_write8(uintptr_t addr, uint8_t v) { *(volatile uint8_t *)addr = v; }
void virtio_port_write16(uintptr_t addr, uint16_t v) { *(volatile uint16_t *)addr = v; }
void virtio_port_write32(uintptr_t addr, uint32_t v) { *(volatile uint32_t *)addr = v; }

void *virtio_port_dma_alloc(size_t size, size_t align)
{
	void *p;

	if (align < RT_ALIGN_SIZE)
		align = RT_ALIGN_SIZE;
	p = rt_malloc_align(size, align);
	if (p != RT_NULL)
		rt_memset(p, 0, size);
	return p;
}

void virtio_port_dma_free(void *ptr, size_t size)
{
	(void)size;
	if (ptr != RT_NULL)
		rt_free_align(ptr);
}

#ifndef VIRTIO_RTT_VIRT_TO_PHYS
#define VIRTIO_RTT_VIRT_TO_PHYS(p) ((uint64_t)(uintptr_t)(p))
#define VIRTIO_RTT_PHYS_TO_VIRT(a) ((void *)(uintptr_t)(a))
#endif

uint64_t virtio_port_virt_to_phys(const void *ptr)
{
	return VIRTIO_RTT_VIRT_TO_PHYS(ptr);
}

void *virtio_port_phys_to_virt(uint64_t phys)
{
	return VIRTIO_RTT_PHYS_TO_VIRT(phys);
}

uint64_t virtio_port_time_us(void)
{
#if defined(ARCH_RISCV64)
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t / (VIRTIO_RTT_TIMEBASE_HZ / 1000000u);
#elif defined(ARCH_ARMV8)
	uint64_t t, hz;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	return hz >= 1000000u ? t / (hz / 1000000u) : t * (1000000u / hz);
#else
	return (uint64_t)rt_tick_get() * (1000000u / RT_TICK_PER_SECOND);
#endif
}

void virtio_port_log(enum virtio_log_level level, const char *msg)
{
	static const char *const tag[] = { "E", "W", "I", "D" };

	rt_kprintf("[virtio/%s] %s\n", tag[(unsigned)level & 3u], msg);
}

#if VIRTIO_INTERRUPTS

/* One handler per line; param is the slot, so the ISR needs no search. */
static struct line {
	uint32_t line;
	virtio_port_irq_fn fn;
	void *arg;
} lines[VIRTIO_RTT_MAX_DEVICES];
static struct rt_semaphore port_wait;
static bool port_wait_ready;

static void isr(int vector, void *param)
{
	struct line *l = param;

	(void)vector;
	if (l->fn != RT_NULL)
		l->fn(l->arg);
	/* Only a device without a sleeper of its own waits here: no IPC on
	 * an interrupt nobody waits for in virtio_port_irq_wait. */
	if (port_wait_ready && port_wait.value == 0 &&
	    !rt_list_isempty(&port_wait.parent.suspend_thread))
		rt_sem_release(&port_wait);
}

int virtio_port_irq_attach(uint32_t line, virtio_port_irq_fn fn, void *arg)
{
	struct line *free = RT_NULL;
	rt_base_t level;

	level = rt_hw_interrupt_disable();
	if (!port_wait_ready) {
		rt_sem_init(&port_wait, "vio_wait", 0, RT_IPC_FLAG_PRIO);
		port_wait_ready = true;
	}
	for (unsigned i = 0; i < VIRTIO_RTT_MAX_DEVICES; i++) {
		if (lines[i].fn != RT_NULL && lines[i].line == line) {
			free = &lines[i];
			break;
		}
		if (lines[i].fn == RT_NULL && free == RT_NULL)
			free = &lines[i];
	}
	if (free != RT_NULL) {
		free->line = line;
		free->fn = fn;
		free->arg = arg;
	}
	rt_hw_interrupt_enable(level);
	if (free == RT_NULL)
		return -1;
	rt_hw_interrupt_install((int)line, isr, free, "virtio");
	return 0;
}

void virtio_port_irq_detach(uint32_t line)
{
	for (unsigned i = 0; i < VIRTIO_RTT_MAX_DEVICES; i++)
		if (lines[i].fn != RT_NULL && lines[i].line == line)
			lines[i].fn = RT_NULL;
}

void virtio_port_irq_enable(uint32_t line)
{
	rt_hw_interrupt_umask((int)line);
}

void virtio_port_irq_disable(uint32_t line)
{
	rt_hw_interrupt_mask((int)line);
}

bool virtio_port_irq_wait(uint64_t timeout_us)
{
	if (!port_wait_ready)
		return false;
	return rt_sem_take(&port_wait, virtio_rtt_ticks(timeout_us)) == RT_EOK;
}

#endif /* VIRTIO_INTERRUPTS */
