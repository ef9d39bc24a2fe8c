/*
 * The ring benchmarks' shared parts (bench.h): a transport whose device
 * has no registers (the device side works on ring memory directly), and
 * process helpers.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

unsigned qsize = 256;
unsigned long batch = ~0ul;
volatile unsigned long notifies;

static int b_reset(struct virtio_device *d) { (void)d; return 0; }
static uint8_t b_get_status(struct virtio_device *d) { (void)d; return 0; }
static void b_set_status(struct virtio_device *d, uint8_t s) { (void)d; (void)s; }
static uint64_t b_get_features(struct virtio_device *d) { (void)d; return 0; }
static void b_set_features(struct virtio_device *d, uint64_t f) { (void)d; (void)f; }
static uint32_t b_gen(struct virtio_device *d) { (void)d; return 0; }
static uint32_t b_cfg_read(struct virtio_device *d, uint32_t o, unsigned w)
{
	(void)d; (void)o; (void)w;
	return 0;
}
static void b_cfg_write(struct virtio_device *d, uint32_t o, unsigned w, uint32_t v)
{
	(void)d; (void)o; (void)w; (void)v;
}
static uint16_t b_queue_max(struct virtio_device *d, uint16_t i)
{
	(void)d; (void)i;
	return (uint16_t)qsize;
}
static int b_queue_enable(struct virtio_device *d, uint16_t i,
			  const struct virtio_queue_addr *a)
{
	(void)d; (void)i; (void)a;
	return 0;
}
static void b_notify(struct virtio_device *d, uint16_t i)
{
	(void)d; (void)i;
	notifies++;
}
static uint32_t b_isr(struct virtio_device *d) { (void)d; return 0; }

const struct virtio_transport_ops bench_ops = {
	b_reset, b_get_status, b_set_status, b_get_features, b_set_features,
	b_gen, b_cfg_read, b_cfg_write, b_queue_max, b_queue_enable,
	b_notify, b_isr,
};

void die(const char *what, int err)
{
	fprintf(stderr, "%s: %s\n", what, virtio_strerror(err));
	exit(1);
}

void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
}

double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}
