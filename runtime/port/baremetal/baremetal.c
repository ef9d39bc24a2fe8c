/*
 * Architecture-neutral part of the bare-metal QEMU ports: the port layer
 * functions that need no special hardware (MMIO access, DMA arena, log),
 * the console formatter. Shared by every bare-metal port (mem.c holds the
 * memory routines the compiler may call).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <virtio/port.h>

#include "board.h"
#include "mem.h"

/* ---- port layer: device registers ---- */

uint8_t virtio_port_read8(uintptr_t addr)
{
	return *(volatile uint8_t *)addr;
}

uint16_t virtio_port_read16(uintptr_t addr)
{
	return *(volatile uint16_t *)addr;
}

uint32_t virtio_port_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

void virtio_port_write8(uintptr_t addr, uint8_t value)
{
	*(volatile uint8_t *)addr = value;
}

void virtio_port_write16(uintptr_t addr, uint16_t value)
{
	*(volatile uint16_t *)addr = value;
}

void virtio_port_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

/* ---- port layer: DMA memory (bump allocator, physical = virtual) ---- */

/* The arena is a NOLOAD section of the linker script, not cleared at boot. */
extern unsigned char __dma_start[];
extern unsigned char __dma_end[];
static uintptr_t dma_next;

void *virtio_port_dma_alloc(size_t size, size_t align)
{
	uintptr_t start = (uintptr_t)__dma_start;
	uintptr_t end = (uintptr_t)__dma_end;
	uintptr_t p;

	if (dma_next == 0)
		dma_next = start;
	if (size == 0 || align == 0 || (align & (align - 1)) != 0)
		return NULL;
	p = (dma_next + (align - 1)) & ~(uintptr_t)(align - 1);
	if (p < dma_next || p > end || size > end - p)
		return NULL;
	dma_next = p + size;
	memset((void *)p, 0, size);
	return (void *)p;
}

void virtio_port_dma_free(void *ptr, size_t size)
{
	/* Only the most recent allocation can be given back. */
	if (ptr != NULL && (uintptr_t)ptr + size == dma_next)
		dma_next = (uintptr_t)ptr;
}

uint64_t virtio_port_virt_to_phys(const void *ptr)
{
	return (uint64_t)(uintptr_t)ptr;
}

void *virtio_port_phys_to_virt(uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

size_t board_dma_used(void)
{
	return dma_next == 0 ? 0 : (size_t)(dma_next - (uintptr_t)__dma_start);
}

size_t board_dma_capacity(void)
{
	return (size_t)(__dma_end - __dma_start);
}

/* ---- port layer: time and log ---- */

uint64_t virtio_port_time_us(void)
{
	return board_time_us();
}

void virtio_port_log(enum virtio_log_level level, const char *msg)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	unsigned l = (unsigned)level;

	board_printf("log %s: %s\n", l < 4 ? names[l] : "?", msg ? msg : "(null)");
}

/* ---- console ---- */

void board_puts(const char *s)
{
	while (*s)
		board_putc(*s++);
}

struct fmt_out {
	char *buf;    /* NULL: write to the console */
	size_t size;  /* capacity of buf including the terminator */
	size_t len;   /* characters produced so far */
};

static void fmt_put(struct fmt_out *o, char c)
{
	if (o->buf == NULL)
		board_putc(c);
	else if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_put(o, c);
}

static void fmt_field(struct fmt_out *o, const char *s, size_t n, int width,
		      bool left, char pad, const char *sign)
{
	size_t signlen = 0;
	int fill;

	while (sign[signlen])
		signlen++;
	fill = width - (int)(n + signlen);
	if (!left && pad == ' ')
		fmt_pad(o, ' ', fill);
	while (*sign)
		fmt_put(o, *sign++);
	if (!left && pad == '0')
		fmt_pad(o, '0', fill);
	while (n--)
		fmt_put(o, *s++);
	if (left)
		fmt_pad(o, ' ', fill);
}

static int fmt_core(struct fmt_out *o, const char *fmt, va_list ap)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";

	for (; *fmt; fmt++) {
		bool left = false, neg = false;
		char pad = ' ';
		int width = 0, lng = 0;
		unsigned long long v = 0;
		const char *digits = lower;
		unsigned base = 10;
		char tmp[24];
		size_t n = 0;

		if (*fmt != '%') {
			fmt_put(o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = true;
				width = -width;
			}
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z')
				lng = 3;
			else if (*fmt != 'h')
				break;
		}
		if (left)
			pad = ' ';
		switch (*fmt) {
		case '\0':
			return (int)o->len;
		case '%':
			fmt_put(o, '%');
			continue;
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			fmt_field(o, tmp, 1, width, left, ' ', "");
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (s == NULL)
				s = "(null)";
			while (s[n])
				n++;
			fmt_field(o, s, n, width, left, ' ', "");
			continue;
		}
		case 'd':
		case 'i': {
			long long sv;

			if (lng == 0)
				sv = va_arg(ap, int);
			else if (lng == 1)
				sv = va_arg(ap, long);
			else if (lng == 2)
				sv = va_arg(ap, long long);
			else
				sv = (long long)va_arg(ap, size_t);
			neg = sv < 0;
			v = neg ? 0ull - (unsigned long long)sv : (unsigned long long)sv;
			break;
		}
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			base = 16;
			fmt_put(o, '0');
			fmt_put(o, 'x');
			width -= 2;
			break;
		case 'X':
			digits = upper;
			/* fall through */
		case 'x':
		case 'u':
			if (*fmt != 'u')
				base = 16;
			if (lng == 0)
				v = va_arg(ap, unsigned int);
			else if (lng == 1)
				v = va_arg(ap, unsigned long);
			else if (lng == 2)
				v = va_arg(ap, unsigned long long);
			else
				v = va_arg(ap, size_t);
			break;
		default:
			/* Unknown conversion: print it literally. */
			fmt_put(o, '%');
			fmt_put(o, *fmt);
			continue;
		}
		do {
			tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
			v /= base;
		} while (v);
		fmt_field(o, tmp + sizeof(tmp) - n, n, width, left, pad, neg ? "-" : "");
	}
	return (int)o->len;
}

int board_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	int r;

	if (buf == NULL)
		size = 0;
	o.size = size;
	o.buf = buf != NULL ? buf : (char *)"";
	r = fmt_core(&o, fmt, ap);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return r;
}

int board_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = board_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int board_printf(const char *fmt, ...)
{
	struct fmt_out o = { NULL, 0, 0 };
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_core(&o, fmt, ap);
	va_end(ap);
	return r;
}
