/*
 * Split-ring benchmark: the runtime's driver side against a device side
 * that works directly on the ring memory (no MMIO, no device model), so
 * only the hot path is measured. In "rt" the device is as lean as Linux's
 * tools/virtio/ringtest one (one index for avail and used, state in
 * locals) but still checks the ring is not empty and the driver's wish
 * for an interrupt; callgrind.sh counts its instructions too.
 *
 *   ringbench rt N        single thread: N round trips of
 *                         add + kick_prepare, device take + return, get
 *   ringbench mt N RUNS   driver and device threads on CPUs 0 and 1;
 *                         prints the median ns per buffer over RUNS runs
 *
 * Options (before the mode): -n (no EVENT_IDX), -q SIZE (queue size),
 * -b N (mt: at most N adds per kick, default: fill the ring; rt: N
 * buffers per kick, default 1).
 * Instruction counts: see callgrind.sh (it runs "rt N" and "rt 0").
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <virtio/transport.h>
#include <virtio/virtqueue.h>

#include "bench.h"

/* ---- the device side, straight on ring memory ---- */

struct dev {
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	volatile uint16_t *used_event;  /* written by the driver */
	volatile uint16_t *avail_event; /* written by us */
	uint16_t mask;
	uint16_t last_avail;
	uint16_t avail_seen;            /* last avail->idx read */
	uint16_t used_idx;
	bool event;
	unsigned long interrupts;
};

#define RD16(p) (*(volatile uint16_t *)&(p))
#define WR16(p, v) (*(volatile uint16_t *)&(p) = (v))
#define WR32(p, v) (*(volatile uint32_t *)&(p) = (v))

static inline bool dev_need_event(uint16_t ev, uint16_t n, uint16_t o)
{
	return (uint16_t)(n - ev - 1) < (uint16_t)(n - o);
}

/* Takes one available chain: its head and the writable length. */
static inline bool dev_take(struct dev *d, uint16_t *head, uint32_t *len)
{
	uint16_t h;

	if (d->avail_seen == d->last_avail) {
		d->avail_seen = RD16(d->avail->idx);
		if (d->avail_seen == d->last_avail)
			return false;
		virtio_port_rmb();
	}
	h = d->avail->ring[d->last_avail++ & d->mask];
	*head = h;
	*len = d->desc[h & d->mask].len;
	return true;
}

/* When the ring looks empty: ask for a kick, then look again (the
 * event-idx race, device side). */
static inline bool dev_idle(struct dev *d)
{
	if (d->event) {
		*d->avail_event = d->last_avail;
		virtio_port_mb();
	}
	return RD16(d->avail->idx) == d->last_avail;
}

/* Returns one chain: the entry, then the index (no notification yet). */
static inline void dev_put(struct dev *d, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e = &d->used->ring[d->used_idx & d->mask];

	e->id = head;
	e->len = len;
	virtio_port_wmb();
	WR16(d->used->idx, ++d->used_idx);
}

/* After a batch of puts since used idx `old`: does the driver want an
 * interrupt? (once per batch, as a real device would) */
static inline void dev_call(struct dev *d, uint16_t old)
{
	virtio_port_mb();
	if (d->event ? dev_need_event(*d->used_event, d->used_idx, old)
		     : !(RD16(d->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT))
		d->interrupts++;
}

/* ---- setup ---- */

static struct virtio_device vdev;
static struct virtqueue vq ALONE;
static struct dev dv ALONE;
static uint8_t bufmem[64];

static void setup(bool event)
{
	vdev.ops = &bench_ops;
	vdev.features = (1ull << VIRTIO_F_VERSION_1) |
			(event ? 1ull << VIRTIO_F_EVENT_IDX : 0);
	if (virtqueue_setup(&vdev, &vq, 0, (uint16_t)qsize) != 0) {
		fprintf(stderr, "virtqueue_setup failed\n");
		exit(1);
	}
	virtqueue_disable_cb(&vq); /* the driver polls */
	/* The device finds the rings where the transport would tell it. */
	dv.desc = vq.desc;
	dv.avail = vq.avail;
	dv.used = vq.used;
	dv.used_event = &vq.avail->ring[vq.size];
	dv.avail_event = (uint16_t *)&vq.used->ring[vq.size];
	dv.mask = (uint16_t)(vq.size - 1);
	dv.event = event;
	dv.last_avail = dv.avail_seen = dv.used_idx = 0;
}

/* ---- single thread: instructions per round trip ---- */

/*
 * The device's half of a round trip: take one chain, return it with its
 * first buffer's length, check whether the driver wants an interrupt.
 * It completes each chain at once, so one index serves as both its avail
 * and its used position (as Linux's ringtest device does). The ring
 * pointers and that index live in the caller's locals, as a device loop
 * would keep them; `event` is a constant in each instance of run_rt. The
 * driver's used_event is where the spec puts it: after the avail ring.
 */
struct rt_dev {
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	unsigned long mask;
	unsigned long idx;
};

static inline __attribute__((always_inline)) void
dev_serve(struct rt_dev *d, bool event)
{
	unsigned long i = d->idx, head;
	uint32_t len;

	if (__builtin_expect(RD16(d->avail->idx) == (uint16_t)i, 0))
		die("take", 0);
	virtio_port_rmb();
	head = d->avail->ring[i & d->mask];
	len = d->desc[head & d->mask].len;
	/* volatile: two plain stores, not a vector shuffle */
	WR32(d->used->ring[i & d->mask].id, (uint32_t)head);
	WR32(d->used->ring[i & d->mask].len, len);
	virtio_port_wmb();
	d->idx = ++i;
	WR16(d->used->idx, (uint16_t)i);
	virtio_port_mb();
	/* need_event(used_event, i, i - 1) */
	if (event ? RD16(d->avail->ring[d->mask + 1]) == (uint16_t)(i - 1)
		  : !(RD16(d->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT))
		dv.interrupts++;
}

/* The driver's buffer: a constant (as Linux ringtest's add_inbuf gets). */
static const struct virtio_buf rt_buf = { bufmem, sizeof(bufmem) };

static inline __attribute__((always_inline)) void
run_rt_loop(unsigned long n, bool event)
{
	struct rt_dev d = { dv.desc, dv.avail, dv.used,
			    (unsigned long)vq.size - 1, dv.used_idx };
	void *tok;
	uint32_t len;
	int r;

	for (; n; n--) {
		r = virtqueue_add(&vq, &rt_buf, 0, 1, bufmem);
		if (__builtin_expect(r != 0, 0))
			die("add", r);
		if (virtqueue_kick_prepare(&vq))
			virtqueue_notify(&vq);
		dev_serve(&d, event);
		r = virtqueue_get(&vq, &tok, &len);
		if (__builtin_expect(r != 1, 0))
			die("get", r);
	}
	dv.last_avail = dv.used_idx = (uint16_t)d.idx;
}

static void __attribute__((noinline)) run_rt(unsigned long n)
{
	if (dv.event)
		run_rt_loop(n, true);
	else
		run_rt_loop(n, false);
}

/* The same work in batches of `batch` buffers: one kick check, one used
 * idx read per batch (how a busy driver runs). */
static void __attribute__((noinline)) run_rt_batch(unsigned long n)
{
	struct rt_dev d = { dv.desc, dv.avail, dv.used,
			    (unsigned long)vq.size - 1, dv.used_idx };
	void *tok;
	uint32_t len;
	int r;

	for (unsigned long i = 0; i < n; i += batch) {
		for (unsigned long k = 0; k < batch; k++) {
			r = virtqueue_add(&vq, &rt_buf, 0, 1, bufmem);
			if (__builtin_expect(r != 0, 0))
				die("add", r);
		}
		if (virtqueue_kick_prepare(&vq))
			virtqueue_notify(&vq);
		for (unsigned long k = 0; k < batch; k++)
			dev_serve(&d, dv.event);
		for (unsigned long k = 0; k < batch; k++) {
			r = virtqueue_get(&vq, &tok, &len);
			if (__builtin_expect(r != 1, 0))
				die("get", r);
		}
	}
	dv.last_avail = dv.used_idx = (uint16_t)d.idx;
}

/* ---- two threads: ns per buffer ---- */

static volatile int stop;

static void *device_thread(void *arg)
{
	uint16_t head;
	uint32_t len;

	(void)arg;
	pin(1);
	while (!stop) {
		uint16_t old = dv.used_idx;

		while (dev_take(&dv, &head, &len))
			dev_put(&dv, head, len);
		if (dv.used_idx != old)
			dev_call(&dv, old);
		if (dev_idle(&dv)) {
			while (!stop && RD16(dv.avail->idx) == dv.last_avail)
				cpu_relax();
		}
	}
	return NULL;
}

static double run_mt(unsigned long n)
{
	unsigned long added = 0, done = 0;
	pthread_t t;
	double t0, t1;
	void *tok;
	uint32_t len;
	int r;

	setup(dv.event);
	stop = 0;
	pthread_create(&t, NULL, device_thread, NULL);
	pin(0);
	t0 = now_ns();
	while (done < n) {
		unsigned long lim = n - added > batch ? added + batch : n;
		unsigned long before = added;

		while (added < lim && (r = virtqueue_add(&vq, &rt_buf, 0, 1, bufmem)) == 0)
			added++;
		/* a kick after adds, as ringtest's guest does */
		if (added != before && virtqueue_kick_prepare(&vq))
			virtqueue_notify(&vq);
		while ((r = virtqueue_get(&vq, &tok, &len)) == 1)
			done++;
		if (r < 0)
			die("get", r);
	}
	t1 = now_ns();
	stop = 1;
	pthread_join(t, NULL);
	virtqueue_destroy(&vq);
	return (t1 - t0) / (double)n;
}

int main(int argc, char **argv)
{
	bool event = true;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-n"))
			event = false;
		else if (!strcmp(argv[i], "-q") && i + 1 < argc)
			qsize = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "-b") && i + 1 < argc)
			batch = strtoul(argv[++i], 0, 0);
	}
	if (i < argc && !strcmp(argv[i], "rt")) {
		unsigned long n = i + 1 < argc ? strtoul(argv[i + 1], 0, 0) : 1000000;

		setup(event);
		if (batch == ~0ul || batch <= 1)
			run_rt(n);
		else if (batch <= vq.size && n % batch == 0)
			run_rt_batch(n);
		else
			die("rt batch must divide N and fit the queue", 0);
		printf("rt: %lu round trips, %lu notifies, %lu interrupts\n", n,
		       notifies, dv.interrupts);
		return 0;
	}
	if (i < argc && !strcmp(argv[i], "mt")) {
		unsigned long n = i + 1 < argc ? strtoul(argv[i + 1], 0, 0) : 1000000;
		int runs = i + 2 < argc ? atoi(argv[i + 2]) : 15;
		double *ns = calloc((size_t)runs, sizeof(*ns));

		dv.event = event;
		for (int k = 0; k < runs; k++)
			ns[k] = run_mt(n);
		qsort(ns, (size_t)runs, sizeof(*ns), cmp_double);
		printf("mt: median %.1f ns/buffer (min %.1f, max %.1f) over %d runs of %lu, queue %u%s\n",
		       ns[runs / 2], ns[0], ns[runs - 1], runs, n, qsize,
		       event ? ", event idx" : "");
		return 0;
	}
	fprintf(stderr, "usage: ringbench [-n] [-q size] [-b batch] rt N | mt N RUNS\n");
	return 2;
}
