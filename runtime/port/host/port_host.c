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

/* One controller for every host test: the level is sampled from the
 * device each time it matters, so it can never disagree with the
 * device's status (however the status changed: acknowledge, reset, a PCI
 * ISR read, a test writing it). */
static struct irq_line {
	bool (*level)(void *ctx); /* the device's output; NULL: not wired */
	void *level_ctx;
	virtio_port_irq_fn fn;    /* the driver's handler; NULL: detached */
	void *arg;
	bool enabled;
	bool spurious;            /* one request regardless of the level */
	uint64_t count;
} lines[VIRTIO_HOST_IRQ_LINES];
static bool irq_deferred;
static bool in_handler;   /* interrupt context: handlers do not nest */
static bool irq_ran;      /* virtio_port_irq_wait's binary semaphore */
static uint64_t irq_waits;
static void (*wait_hook)(void *ctx);
static void *wait_hook_ctx;

static struct irq_line *line_or_die(uint32_t line, const char *what)
{
	if (line >= VIRTIO_HOST_IRQ_LINES)
		port_fatal("%s: interrupt line %u out of range", what, line);
	return &lines[line];
}

static bool line_asserted(const struct irq_line *l)
{
	return l->level != NULL && l->level(l->level_ctx);
}

static bool line_deliverable(const struct irq_line *l)
{
	return l->fn != NULL && l->enabled &&
	       (l->spurious || line_asserted(l));
}

/* Runs handlers until no enabled line is asserted. Each line is sampled
 * again after its handler returned (EOI), so a line still or again
 * asserted runs again, as on real hardware; the storm bound turns a
 * handler that never acknowledges into a diagnosis instead of a hang. */
static unsigned deliver_all(void)
{
	unsigned runs[VIRTIO_HOST_IRQ_LINES] = { 0 };
	unsigned n = 0;
	bool again = true;

	if (in_handler)
		return 0;
	while (again) {
		again = false;
		for (uint32_t i = 0; i < VIRTIO_HOST_IRQ_LINES; i++) {
			struct irq_line *l = &lines[i];

			if (!line_deliverable(l))
				continue;
			if (++runs[i] > VIRTIO_HOST_IRQ_STORM)
				port_fatal("interrupt storm on line %u: still asserted after %u handler runs (the handler does not acknowledge)",
					   i, VIRTIO_HOST_IRQ_STORM);
			l->spurious = false;
			l->count++;
			irq_ran = true;
			in_handler = true;
			l->fn(l->arg);
			in_handler = false;
			n++;
			again = true;
		}
	}
	return n;
}

/* Immediate delivery, unless the CPU plays "interrupts masked". */
static void maybe_deliver(void)
{
	if (!irq_deferred)
		(void)deliver_all();
}

/* A polling-only build (VIRTIO_INTERRUPTS 0) links without these: the
 * test of that build proves the runtime needs none of them. */
#if !defined(VIRTIO_INTERRUPTS) || VIRTIO_INTERRUPTS
int virtio_port_irq_attach(uint32_t line, virtio_port_irq_fn fn, void *arg)
{
	if (line >= VIRTIO_HOST_IRQ_LINES || fn == NULL)
		return -1;
	lines[line].fn = fn;
	lines[line].arg = arg;
	lines[line].enabled = false;
	return 0;
}

void virtio_port_irq_detach(uint32_t line)
{
	if (line >= VIRTIO_HOST_IRQ_LINES)
		return;
	lines[line].fn = NULL;
	lines[line].arg = NULL;
	lines[line].enabled = false;
	lines[line].spurious = false;
}

void virtio_port_irq_enable(uint32_t line)
{
	if (line >= VIRTIO_HOST_IRQ_LINES)
		return;
	lines[line].enabled = true;
	maybe_deliver(); /* a line asserted while masked fires now */
}

void virtio_port_irq_disable(uint32_t line)
{
	if (line < VIRTIO_HOST_IRQ_LINES)
		lines[line].enabled = false;
}

bool virtio_port_irq_wait(uint64_t timeout_us)
{
	bool ran;

	if (in_handler)
		port_fatal("virtio_port_irq_wait called from an interrupt handler");
	irq_waits++;
	if (wait_hook)
		wait_hook(wait_hook_ctx);
	/* Sleeping unmasks: whatever is asserted is delivered now. */
	(void)deliver_all();
	ran = irq_ran;
	irq_ran = false;
	/* Nothing else can happen while a single-threaded test sleeps: let
	 * the timeout pass at once. */
	if (!ran)
		time_offset += timeout_us;
	return ran;
}

#endif

void virtio_host_irq_connect(uint32_t line, bool (*level)(void *ctx), void *ctx)
{
	struct irq_line *l = line_or_die(line, "virtio_host_irq_connect");

	if (level == NULL)
		port_fatal("virtio_host_irq_connect: line %u: no level function", line);
	if (l->level != NULL && (l->level != level || l->level_ctx != ctx))
		port_fatal("virtio_host_irq_connect: line %u already has a source (lines are not shared)",
			   line);
	l->level = level;
	l->level_ctx = ctx;
}

void virtio_host_irq_disconnect(uint32_t line, void *ctx)
{
	if (line < VIRTIO_HOST_IRQ_LINES && lines[line].level != NULL &&
	    lines[line].level_ctx == ctx) {
		lines[line].level = NULL;
		lines[line].level_ctx = NULL;
	}
}

void virtio_host_irq_raise(uint32_t line)
{
	if (line_or_die(line, "virtio_host_irq_raise")->level == NULL)
		port_fatal("virtio_host_irq_raise: line %u has no source connected", line);
	maybe_deliver();
}

void virtio_host_irq_spurious(uint32_t line)
{
	line_or_die(line, "virtio_host_irq_spurious")->spurious = true;
	maybe_deliver();
}

void virtio_host_irq_set_deferred(bool on)
{
	irq_deferred = on;
	maybe_deliver(); /* unmasking takes what is pending */
}

unsigned virtio_host_irq_deliver(void)
{
	return deliver_all();
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

bool virtio_host_irq_asserted(uint32_t line)
{
	return line < VIRTIO_HOST_IRQ_LINES && line_asserted(&lines[line]);
}

uint64_t virtio_host_irq_count(uint32_t line)
{
	return line < VIRTIO_HOST_IRQ_LINES ? lines[line].count : 0;
}

uint64_t virtio_host_irq_waits(void)
{
	return irq_waits;
}

void virtio_host_irq_reset(void)
{
	memset(lines, 0, sizeof(lines));
	irq_deferred = false;
	in_handler = false;
	irq_ran = false;
	irq_waits = 0;
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
