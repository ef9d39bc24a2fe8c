/*
 * Packed-ring benchmark, the twin of ringbench.c (same modes, options and
 * output, so callgrind.sh and compare.sh run either): the runtime's
 * driver side (vqp_*) against a device side that works directly on the
 * ring memory.
 *
 *   ringbench_packed rt N        single thread: N round trips of
 *                                add + kick_prepare, device take + return, get
 *   ringbench_packed mt N RUNS   driver and device threads on CPUs 0 and 1;
 *                                median ns per buffer over RUNS runs
 *
 * Options (before the mode): -n (no EVENT_IDX), -q SIZE (queue size),
 * -b N (mt: at most N adds per kick; rt: N buffers per kick).
 *
 * Built twice: ringbench_packed goes through the public virtqueue_* calls
 * (what a driver pays, dispatch included); ringbench_packed_direct
 * (-DRINGBENCH_DIRECT) calls the packed ring's vqp_* functions.
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
#include <virtio/virtqueue_packed.h>

#include "bench.h"

/* ---- the device side, straight on ring memory (2.8.21) ---- */

#define P_AVAIL 0x80u
#define P_USED 0x8000u
#define P_BOTH (P_AVAIL | P_USED)
#define P_WRITE 0x2u

struct dev {
	struct vring_packed_desc *ring;
	struct vring_packed_desc_event *drv; /* written by the driver */
	struct vring_packed_desc_event *dv;  /* written by us */
	uint16_t size;
	uint16_t next_avail, avail_expect; /* AVAIL/USED of an available one */
	uint16_t next_used, used_flags;    /* AVAIL/USED we write */
	bool event;
	unsigned long interrupts;
};

#define RD16(p) (*(volatile uint16_t *)&(p))
#define WR16(p, v) (*(volatile uint16_t *)&(p) = (v))

/* Does the driver want an interrupt for the used descriptor just
 * written at `pos` (with wrap bits `wrap`)? */
static inline void dev_call(struct dev *d, uint16_t pos, uint16_t wrap)
{
	uint16_t f, ow;

	virtio_port_mb();
	f = RD16(d->drv->flags) & 3u;
	if (f == VRING_PACKED_EVENT_FLAG_DISABLE)
		return;
	if (f == VRING_PACKED_EVENT_FLAG_DESC) {
		ow = RD16(d->drv->off_wrap);
		if ((ow & 0x7fffu) != pos || !(ow & 0x8000u) != !wrap)
			return;
	}
	d->interrupts++;
}

/* Takes the (one-descriptor) chain at next_avail: id and length. */
static inline bool dev_take(struct dev *d, uint16_t *id, uint32_t *len)
{
	struct vring_packed_desc *p = &d->ring[d->next_avail];

	if ((RD16(p->flags) & P_BOTH) != d->avail_expect)
		return false;
	virtio_port_rmb();
	*id = p->id;
	*len = p->len;
	if (++d->next_avail == d->size) {
		d->next_avail = 0;
		d->avail_expect ^= P_BOTH;
	}
	return true;
}

static inline void dev_put(struct dev *d, uint16_t id, uint32_t len)
{
	struct vring_packed_desc *p = &d->ring[d->next_used];

	p->id = id;
	p->len = len;
	virtio_port_wmb();
	WR16(p->flags, (uint16_t)(d->used_flags | P_WRITE));
	if (++d->next_used == d->size) {
		d->next_used = 0;
		d->used_flags ^= P_BOTH;
	}
}

/* Empty-looking ring: ask for a kick, then look again. */
static inline bool dev_idle(struct dev *d)
{
	if (d->event) {
		WR16(d->dv->off_wrap, (uint16_t)(d->next_avail |
			((d->avail_expect & P_AVAIL) ? 0x8000u : 0)));
		virtio_port_wmb();
		WR16(d->dv->flags, VRING_PACKED_EVENT_FLAG_DESC);
		virtio_port_mb();
	}
	return (RD16(d->ring[d->next_avail].flags) & P_BOTH) != d->avail_expect;
}

/* ---- the driver calls measured ---- */

static struct virtio_device vdev;
#ifdef RINGBENCH_DIRECT
static struct virtqueue_packed pq ALONE;
#define PQ (&pq)
#define q_setup(d, i, n) vqp_setup(d, &pq, i, n)
#define q_is_packed() true
#define q_destroy() vqp_destroy(&pq)
#define q_add(b, o, i, t) vqp_add(&pq, b, o, i, t)
#define q_kick_prepare() vqp_kick_prepare(&pq)
#define q_notify() vqp_notify(&pq)
#define q_get(t, l) vqp_get(&pq, t, l)
#define q_disable_cb() vqp_disable_cb(&pq)
#else
static struct virtqueue vq ALONE;
#define PQ (vq.packed)
#define q_setup(d, i, n) virtqueue_setup(d, &vq, i, n)
#define q_is_packed() virtqueue_is_packed(&vq)
#define q_destroy() virtqueue_destroy(&vq)
#define q_add(b, o, i, t) virtqueue_add(&vq, b, o, i, t)
#define q_kick_prepare() virtqueue_kick_prepare(&vq)
#define q_notify() virtqueue_notify(&vq)
#define q_get(t, l) virtqueue_get(&vq, t, l)
#define q_disable_cb() virtqueue_disable_cb(&vq)
#endif

/* ---- setup ---- */

static struct dev dv ALONE;
static uint8_t bufmem[64];

static void setup(bool event)
{
	vdev.ops = &bench_ops;
	vdev.features = (1ull << VIRTIO_F_VERSION_1) |
			(1ull << VIRTIO_F_RING_PACKED) |
			(event ? 1ull << VIRTIO_F_EVENT_IDX : 0);
	if (q_setup(&vdev, 0, (uint16_t)qsize) != 0 || !q_is_packed()) {
		fprintf(stderr, "packed queue setup failed\n");
		exit(1);
	}
	q_disable_cb(); /* the driver polls */
	dv.ring = PQ->ring;
	dv.drv = PQ->drv_event;
	dv.dv = PQ->dev_event;
	dv.size = PQ->size;
	dv.next_avail = dv.next_used = 0;
	dv.avail_expect = P_AVAIL; /* wrap counter 1: AVAIL 1, USED 0 */
	dv.used_flags = P_BOTH;
	dv.event = event;
	/* As ringbench.c's device (avail_event 0): with EVENT_IDX, a kick
	 * only when the driver passes position 0 of the next lap. */
	if (event) {
		dv.dv->off_wrap = 0;
		dv.dv->flags = VRING_PACKED_EVENT_FLAG_DESC;
	}
}

/* ---- single thread: instructions per round trip ---- */

/*
 * The device's half of a round trip, as lean as Linux ringtest's: take
 * the (one-descriptor) chain at its position and return it in place,
 * check whether the driver wants an interrupt. Completing each chain at
 * once and in place, the used descriptor keeps the buffer id the driver
 * wrote there (as ringtest's device does); the device writes the length
 * and then the flags. One position (and wrap counter) serves as both its
 * avail and its used one. Its state lives in the caller's locals, as a
 * device loop would keep it; `event` is a constant in each instance of
 * run_rt.
 */
struct rt_dev {
	struct vring_packed_desc *p, *ring;
	const uint32_t *drv;   /* the driver's event structure, one read */
	uint32_t avail;        /* AVAIL/USED of an available one */
	uint32_t used;         /* AVAIL/USED of a used one (and WRITE) */
	uint32_t want;         /* the driver's structure when it asks for an
	                          interrupt for the descriptor at p (DESC) */
};

/* `want` at the end of the ring (a static: compared in memory) */
static uint32_t rt_want_end;

#define DESC_WORD(pos, used) \
	((uint32_t)VRING_PACKED_EVENT_FLAG_DESC << 16 | (pos) | \
	 ((used) & P_USED))

static inline __attribute__((always_inline)) void
dev_serve(struct rt_dev *d, bool event)
{
	struct vring_packed_desc *p = d->p;
	uint32_t w;

	if (__builtin_expect((RD16(p->flags) & P_BOTH) != d->avail, 0))
		die("take", 0);
	virtio_port_rmb();
	*(volatile uint32_t *)&p->len = sizeof(bufmem);
	virtio_port_wmb();
	WR16(p->flags, (uint16_t)d->used);
	virtio_port_mb();
	/* the driver's wish: DESC (with EVENT_IDX) names the used
	 * descriptor just written, else anything but DISABLE */
	w = *(const volatile uint32_t *)d->drv;
	if (event ? w == d->want
		  : (w >> 16 & 3) != VRING_PACKED_EVENT_FLAG_DISABLE)
		dv.interrupts++;
	d->p = p + 1;
	if (__builtin_expect(++d->want == rt_want_end, 0)) {
		d->p = d->ring;
		d->avail ^= P_BOTH;
		d->used ^= P_BOTH;
		d->want = DESC_WORD(0, d->used);
		rt_want_end = d->want + dv.size;
	}
}

static inline __attribute__((always_inline)) struct rt_dev rt_dev_get(void)
{
	struct rt_dev d = { dv.ring + dv.next_used, dv.ring,
			    (const uint32_t *)(const void *)dv.drv,
			    dv.used_flags ^ P_USED, dv.used_flags | P_WRITE,
			    DESC_WORD(dv.next_used, dv.used_flags) };

	rt_want_end = DESC_WORD(dv.size, dv.used_flags);
	return d;
}

static inline __attribute__((always_inline)) void
rt_dev_put(const struct rt_dev *d)
{
	uint16_t pos = (uint16_t)(d->p - d->ring);

	dv.next_avail = dv.next_used = pos;
	dv.used_flags = (uint16_t)(d->used & P_BOTH);
	dv.avail_expect = (uint16_t)(dv.used_flags ^ P_USED);
}

/* The driver's buffer: a constant, as in ringbench.c. */
static const struct virtio_buf rt_buf = { bufmem, sizeof(bufmem) };

static inline __attribute__((always_inline)) void
run_rt_loop(unsigned long n, bool event)
{
	struct rt_dev d = rt_dev_get();
	void *tok;
	uint32_t len;
	int r;

	for (; n; n--) {
		r = q_add(&rt_buf, 0, 1, bufmem);
		if (__builtin_expect(r != 0, 0))
			die("add", r);
		if (q_kick_prepare())
			q_notify();
		dev_serve(&d, event);
		r = q_get(&tok, &len);
		if (__builtin_expect(r != 1, 0))
			die("get", r);
	}
	rt_dev_put(&d);
}

static void __attribute__((noinline)) run_rt(unsigned long n)
{
	if (dv.event)
		run_rt_loop(n, true);
	else
		run_rt_loop(n, false);
}

/* The same work in batches of `batch` buffers: one kick check per batch
 * (how a busy driver runs). */
static void __attribute__((noinline)) run_rt_batch(unsigned long n)
{
	struct rt_dev d = rt_dev_get();
	void *tok;
	uint32_t len;
	int r;

	for (unsigned long i = 0; i < n; i += batch) {
		for (unsigned long k = 0; k < batch; k++) {
			r = q_add(&rt_buf, 0, 1, bufmem);
			if (__builtin_expect(r != 0, 0))
				die("add", r);
		}
		if (q_kick_prepare())
			q_notify();
		for (unsigned long k = 0; k < batch; k++)
			dev_serve(&d, dv.event);
		for (unsigned long k = 0; k < batch; k++) {
			r = q_get(&tok, &len);
			if (__builtin_expect(r != 1, 0))
				die("get", r);
		}
	}
	rt_dev_put(&d);
}

/* ---- two threads ---- */

static volatile int stop;

static void *device_thread(void *arg)
{
	uint16_t id;
	uint32_t len;

	(void)arg;
	pin(1);
	while (!stop) {
		uint16_t pos = dv.next_used, wrap = dv.used_flags;
		bool any = false;

		while (dev_take(&dv, &id, &len)) {
			if (!any) {
				pos = dv.next_used;
				wrap = dv.used_flags;
			}
			dev_put(&dv, id, len);
			any = true;
		}
		if (any)
			dev_call(&dv, pos, wrap);
		if (dev_idle(&dv)) {
			while (!stop && (RD16(dv.ring[dv.next_avail].flags) & P_BOTH) !=
						dv.avail_expect)
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

		while (added < lim && (r = q_add(&rt_buf, 0, 1, bufmem)) == 0)
			added++;
		/* a kick after adds, as ringtest's guest does */
		if (added != before && q_kick_prepare())
			q_notify();
		while ((r = q_get(&tok, &len)) == 1)
			done++;
		if (r < 0)
			die("get", r);
	}
	t1 = now_ns();
	stop = 1;
	pthread_join(t, NULL);
	q_destroy();
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
		else if (batch <= PQ->size && n % batch == 0)
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
		printf("mt: median %.1f ns/buffer (min %.1f, max %.1f) over %d runs of %lu, queue %u%s, packed\n",
		       ns[runs / 2], ns[0], ns[runs - 1], runs, n, qsize,
		       event ? ", event idx" : "");
		return 0;
	}
	fprintf(stderr, "usage: ringbench_packed [-n] [-q size] [-b batch] rt N | mt N RUNS\n");
	return 2;
}
