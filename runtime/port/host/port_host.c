/*
 * Host (Linux) implementation of the port layer. See virtio_port_host.h.
 */
#define _GNU_SOURCE
#include "virtio_port_host.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define PORT_HOST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PORT_HOST_ASAN 1
#endif
#endif
#ifdef PORT_HOST_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

static void port_fatal(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
static void port_fatal(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("virtio host port: FATAL: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* ------------------------------------------------------------------ */
/* MMIO windows                                                        */
/* ------------------------------------------------------------------ */

#define MAX_WINDOWS 64

struct window {
	uintptr_t base;
	size_t size;
	const struct virtio_host_mmio_ops *ops;
	void *ctx;
	bool used;
};

static struct window windows[MAX_WINDOWS];
static uint64_t mmio_accesses;

int virtio_host_mmio_register(uintptr_t base, size_t size,
			      const struct virtio_host_mmio_ops *ops, void *ctx)
{
	int free_slot = -1;
	if (size == 0 || ops == NULL || base + size < base)
		return -1;
	for (int i = 0; i < MAX_WINDOWS; i++) {
		if (!windows[i].used) {
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (base < windows[i].base + windows[i].size &&
		    windows[i].base < base + size)
			return -1;
	}
	if (free_slot < 0)
		return -1;
	windows[free_slot] = (struct window){ base, size, ops, ctx, true };
	return 0;
}

void virtio_host_mmio_unregister(uintptr_t base)
{
	for (int i = 0; i < MAX_WINDOWS; i++)
		if (windows[i].used && windows[i].base == base)
			windows[i].used = false;
}

uint64_t virtio_host_mmio_access_count(void)
{
	return mmio_accesses;
}

static struct window *find_window(uintptr_t addr, unsigned size,
				  const char *what)
{
	for (int i = 0; i < MAX_WINDOWS; i++) {
		struct window *w = &windows[i];
		if (w->used && addr >= w->base && addr - w->base < w->size) {
			if (addr - w->base + size > w->size)
				port_fatal("%s at 0x%" PRIxPTR
					   " crosses the end of the device window",
					   what, addr);
			mmio_accesses++;
			return w;
		}
	}
	port_fatal("%s at 0x%" PRIxPTR ": no device registered there", what,
		   addr);
}

static uint32_t mmio_read(uintptr_t addr, unsigned size, const char *what)
{
	struct window *w = find_window(addr, size, what);
	if (w->ops->read == NULL)
		port_fatal("%s at 0x%" PRIxPTR ": window is write-only", what,
			   addr);
	return w->ops->read(w->ctx, (uint32_t)(addr - w->base), size);
}

static void mmio_write(uintptr_t addr, uint32_t value, unsigned size,
		       const char *what)
{
	struct window *w = find_window(addr, size, what);
	if (w->ops->write == NULL)
		port_fatal("%s at 0x%" PRIxPTR ": window is read-only", what,
			   addr);
	w->ops->write(w->ctx, (uint32_t)(addr - w->base), value, size);
}

uint8_t virtio_port_read8(uintptr_t addr)
{
	return (uint8_t)mmio_read(addr, 1, "virtio_port_read8");
}
uint16_t virtio_port_read16(uintptr_t addr)
{
	return (uint16_t)mmio_read(addr, 2, "virtio_port_read16");
}
uint32_t virtio_port_read32(uintptr_t addr)
{
	return mmio_read(addr, 4, "virtio_port_read32");
}
void virtio_port_write8(uintptr_t addr, uint8_t value)
{
	mmio_write(addr, value, 1, "virtio_port_write8");
}
void virtio_port_write16(uintptr_t addr, uint16_t value)
{
	mmio_write(addr, value, 2, "virtio_port_write16");
}
void virtio_port_write32(uintptr_t addr, uint32_t value)
{
	mmio_write(addr, value, 4, "virtio_port_write32");
}

/* ------------------------------------------------------------------ */
/* DMA memory below 4 GiB with a guard page after each allocation      */
/* ------------------------------------------------------------------ */

struct dma_block {
	uintptr_t start; /* what the caller got */
	size_t size;     /* what the caller asked for */
	uintptr_t map;   /* the whole mapping */
	size_t map_len;
};

static struct dma_block *blocks;
static size_t nblocks, cap_blocks;
static size_t dma_bytes;
static unsigned dma_fail;
static uintptr_t next_hint = 0x10000000u;

#define LIMIT_4G ((uint64_t)1 << 32)

static size_t page_size(void)
{
	static size_t ps;
	if (ps == 0)
		ps = (size_t)sysconf(_SC_PAGESIZE);
	return ps;
}

static size_t round_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void *map_low(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (p != MAP_FAILED && (uint64_t)(uintptr_t)p + len <= LIMIT_4G)
		return p;
	if (p != MAP_FAILED)
		munmap(p, len);
	/* MAP_32BIT not honoured (e.g. under valgrind) or its 2 GiB exhausted:
	 * probe hint addresses below 4 GiB without replacing mappings. */
	for (int pass = 0; pass < 2; pass++) {
		while ((uint64_t)next_hint + len <= LIMIT_4G) {
			uintptr_t hint = next_hint;
			next_hint += round_up(len, 1u << 20);
			p = mmap((void *)hint, len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS |
					 MAP_FIXED_NOREPLACE,
				 -1, 0);
			if (p == MAP_FAILED)
				continue;
			if ((uintptr_t)p != hint) { /* old kernel: only a hint */
				munmap(p, len);
				continue;
			}
			return p;
		}
		next_hint = 0x10000000u;
	}
	return NULL;
}

void *virtio_port_dma_alloc(size_t size, size_t align)
{
	size_t ps = page_size();
	if (dma_fail > 0) {
		dma_fail--;
		return NULL;
	}
	if (align == 0)
		align = 1;
	if ((align & (align - 1)) != 0)
		port_fatal("virtio_port_dma_alloc: alignment %zu is not a power of two",
			   align);
	if (size == 0)
		size = 1;
	if (size > ((size_t)1 << 30) || align > ((size_t)1 << 24))
		return NULL;

	size_t map_len = round_up(size, ps) + round_up(align, ps) + ps;
	void *m = map_low(map_len);
	if (m == NULL)
		return NULL;
	uintptr_t map = (uintptr_t)m;
	uintptr_t guard = map + map_len - ps;
	uintptr_t start = (guard - size) & ~(uintptr_t)(align - 1);
	if (mprotect((void *)guard, ps, PROT_NONE) != 0)
		port_fatal("mprotect: %s", strerror(errno));
	POISON((void *)map, start - map);
	POISON((void *)(start + size), guard - (start + size));

	if (nblocks == cap_blocks) {
		size_t ncap = cap_blocks ? cap_blocks * 2 : 64;
		struct dma_block *nb = realloc(blocks, ncap * sizeof(*nb));
		if (nb == NULL)
			port_fatal("out of memory");
		blocks = nb;
		cap_blocks = ncap;
	}
	blocks[nblocks++] = (struct dma_block){ start, size, map, map_len };
	dma_bytes += size;
	return (void *)start;
}

void virtio_port_dma_free(void *ptr, size_t size)
{
	if (ptr == NULL)
		return;
	for (size_t i = 0; i < nblocks; i++) {
		struct dma_block *b = &blocks[i];
		if (b->start != (uintptr_t)ptr)
			continue;
		if (size == 0)
			size = 1;
		if (b->size != size)
			port_fatal("virtio_port_dma_free(%p, %zu): allocated with size %zu",
				   ptr, size, b->size);
		UNPOISON((void *)b->map, b->map_len - page_size());
		munmap((void *)b->map, b->map_len);
		dma_bytes -= b->size;
		blocks[i] = blocks[--nblocks];
		return;
	}
	port_fatal("virtio_port_dma_free(%p, %zu): not a live DMA allocation",
		   ptr, size);
}

size_t virtio_host_dma_outstanding_bytes(void)
{
	return dma_bytes;
}

size_t virtio_host_dma_outstanding_count(void)
{
	return nblocks;
}

bool virtio_host_dma_contains(uint64_t addr, uint64_t len)
{
	for (size_t i = 0; i < nblocks; i++) {
		uint64_t s = blocks[i].start;
		if (addr >= s && len <= blocks[i].size &&
		    addr - s <= blocks[i].size - len)
			return true;
	}
	return false;
}

bool virtio_host_dma_find(uint64_t addr, uint64_t *start, uint64_t *size)
{
	for (size_t i = 0; i < nblocks; i++) {
		uint64_t s = blocks[i].start;
		if (addr >= s && addr - s < blocks[i].size) {
			*start = s;
			*size = blocks[i].size;
			return true;
		}
	}
	return false;
}

void virtio_host_dma_fail_next(unsigned n)
{
	dma_fail = n;
}

uint64_t virtio_port_virt_to_phys(const void *ptr)
{
	return (uint64_t)(uintptr_t)ptr;
}

void *virtio_port_phys_to_virt(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

/* ------------------------------------------------------------------ */
/* Time                                                                */
/* ------------------------------------------------------------------ */

static uint64_t time_offset, time_step, time_calls;

uint64_t virtio_port_time_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	time_calls++;
	time_offset += time_step;
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u +
	       time_offset;
}

void virtio_host_time_advance(uint64_t us)
{
	time_offset += us;
}

void virtio_host_time_set_autostep(uint64_t us)
{
	time_step = us;
}

uint64_t virtio_host_time_calls(void)
{
	return time_calls;
}

/* ------------------------------------------------------------------ */
/* Interrupts                                                          */
/* ------------------------------------------------------------------ */

/* The virtio_port_irq_* functions are weak so that a test can replace
 * them with its own fake (the virtio_host_irq_* controls then do not
 * apply). */
static struct {
	virtio_port_irq_fn fn;
	void *arg;
	bool enabled, pending;
	uint64_t count;
} lines[VIRTIO_HOST_IRQ_LINES];
static bool irq_deferred, irq_ran;
static void (*wait_hook)(void *ctx);
static void *wait_hook_ctx;

static void run_handler(uint32_t line)
{
	lines[line].pending = false;
	lines[line].count++;
	irq_ran = true;
	lines[line].fn(lines[line].arg);
}

__attribute__((weak)) int virtio_port_irq_attach(uint32_t line, virtio_port_irq_fn fn, void *arg)
{
	if (line >= VIRTIO_HOST_IRQ_LINES || fn == NULL)
		return -1;
	lines[line].fn = fn;
	lines[line].arg = arg;
	lines[line].enabled = false;
	return 0;
}

__attribute__((weak)) void virtio_port_irq_detach(uint32_t line)
{
	if (line >= VIRTIO_HOST_IRQ_LINES)
		return;
	lines[line].fn = NULL;
	lines[line].arg = NULL;
	lines[line].enabled = false;
}

__attribute__((weak)) void virtio_port_irq_enable(uint32_t line)
{
	if (line >= VIRTIO_HOST_IRQ_LINES)
		return;
	lines[line].enabled = true;
	if (lines[line].pending && lines[line].fn && !irq_deferred)
		run_handler(line);
}

__attribute__((weak)) void virtio_port_irq_disable(uint32_t line)
{
	if (line < VIRTIO_HOST_IRQ_LINES)
		lines[line].enabled = false;
}

unsigned virtio_host_irq_deliver(void)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < VIRTIO_HOST_IRQ_LINES; i++) {
		if (lines[i].pending && lines[i].enabled && lines[i].fn) {
			run_handler(i);
			n++;
		}
	}
	return n;
}

__attribute__((weak)) bool virtio_port_irq_wait(uint64_t timeout_us)
{
	if (wait_hook)
		wait_hook(wait_hook_ctx);
	virtio_host_irq_deliver();
	if (irq_ran) {
		irq_ran = false;
		return true;
	}
	/* Nothing else can happen while a single-threaded test sleeps: let
	 * the timeout pass at once. */
	time_offset += timeout_us;
	return false;
}

void virtio_host_irq_raise(uint32_t line)
{
	if (line >= VIRTIO_HOST_IRQ_LINES)
		port_fatal("interrupt line %u out of range", line);
	lines[line].pending = true;
	if (lines[line].enabled && lines[line].fn && !irq_deferred)
		run_handler(line);
}

void virtio_host_irq_set_deferred(bool on)
{
	irq_deferred = on;
}

void virtio_host_irq_set_wait_hook(void (*fn)(void *ctx), void *ctx)
{
	wait_hook = fn;
	wait_hook_ctx = ctx;
}

bool virtio_host_irq_attached(uint32_t line)
{
	return line < VIRTIO_HOST_IRQ_LINES && lines[line].fn != NULL;
}

bool virtio_host_irq_enabled(uint32_t line)
{
	return line < VIRTIO_HOST_IRQ_LINES && lines[line].enabled;
}

uint64_t virtio_host_irq_count(uint32_t line)
{
	return line < VIRTIO_HOST_IRQ_LINES ? lines[line].count : 0;
}

void virtio_host_irq_reset(void)
{
	memset(lines, 0, sizeof(lines));
	irq_deferred = false;
	irq_ran = false;
	wait_hook = NULL;
	wait_hook_ctx = NULL;
}

/* ------------------------------------------------------------------ */
/* Logging                                                             */
/* ------------------------------------------------------------------ */

static bool log_capture;
static char *log_buf;
static size_t log_len, log_cap;
static unsigned log_counts[4];

static const char *level_name(enum virtio_log_level level)
{
	switch (level) {
	case VIRTIO_LOG_ERROR: return "error";
	case VIRTIO_LOG_WARN: return "warn";
	case VIRTIO_LOG_INFO: return "info";
	case VIRTIO_LOG_DEBUG: return "debug";
	}
	return "?";
}

void virtio_port_log(enum virtio_log_level level, const char *msg)
{
	if (msg == NULL)
		msg = "(null)";
	if (!log_capture) {
		fprintf(stderr, "virtio[%s]: %s\n", level_name(level), msg);
		return;
	}
	const char *env = getenv("VIRTIO_HOST_LOG");
	if (env != NULL && env[0] == '1')
		fprintf(stderr, "virtio[%s]: %s\n", level_name(level), msg);
	if ((unsigned)level < 4)
		log_counts[level]++;
	size_t need = log_len + strlen(msg) + 16;
	if (need > log_cap) {
		size_t ncap = log_cap ? log_cap : 4096;
		while (ncap < need)
			ncap *= 2;
		char *nb = realloc(log_buf, ncap);
		if (nb == NULL)
			port_fatal("out of memory");
		log_buf = nb;
		log_cap = ncap;
	}
	log_len += (size_t)sprintf(log_buf + log_len, "%s: %s\n",
				   level_name(level), msg);
}

void virtio_host_log_capture(bool on)
{
	log_capture = on;
}

void virtio_host_log_clear(void)
{
	log_len = 0;
	if (log_buf)
		log_buf[0] = '\0';
	memset(log_counts, 0, sizeof(log_counts));
}

unsigned virtio_host_log_count(int level)
{
	if (level < 0)
		return log_counts[0] + log_counts[1] + log_counts[2] +
		       log_counts[3];
	return level < 4 ? log_counts[level] : 0;
}

bool virtio_host_log_contains(const char *needle)
{
	return log_buf != NULL && log_len > 0 && strstr(log_buf, needle) != NULL;
}

const char *virtio_host_log_text(void)
{
	return log_buf ? log_buf : "";
}
