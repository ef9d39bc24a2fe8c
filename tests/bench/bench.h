/*
 * What both ring benchmarks (ringbench.c, ringbench_packed.c) share: a
 * transport with no registers and the helpers of their two-thread runs.
 * Defined in bench_support.c.
 */
#ifndef BENCH_H
#define BENCH_H

#include <virtio/transport.h>

extern unsigned qsize;                 /* -q: queue size the transport offers */
extern unsigned long batch;            /* -b: adds per kick (~0: fill the ring) */
extern volatile unsigned long notifies; /* device notifications made */
extern const struct virtio_transport_ops bench_ops;

/* The driver's queue and the device's state on cache lines of their own
 * (and not on adjacent ones, which x86 fetches in pairs): the two threads
 * write them, so sharing a line would measure false sharing. */
#define ALONE __attribute__((aligned(128)))

void die(const char *what, int err) __attribute__((noreturn));
void pin(int cpu);                     /* the calling thread onto one CPU */
double now_ns(void);                   /* monotonic clock */
int cmp_double(const void *a, const void *b); /* for qsort */

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
#endif
}

#endif /* BENCH_H */
