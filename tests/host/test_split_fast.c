/*
 * The split ring's fast paths (virtqueue_fast.h): speed builds map
 * virtqueue_add / virtqueue_kick_prepare / virtqueue_get to inline
 * bodies through function-like macros, the out-of-line functions stay
 * callable by their parenthesised names. Every scenario here runs through
 * both (struct ops below) and must give the same, expected results:
 *
 *  - virtio_need_event() against the spec's vring_need_event formula
 *    (2.7.10) and against a walk of the window, edge-heavy and random;
 *  - round trips, chains, batches, legacy and modern layouts;
 *  - every hostile used entry (id, len, idx) reported with its own error,
 *    *token / *len untouched, the queue broken and refusing work;
 *  - free-running counters past 65536 with out-of-order completion,
 *    virtqueue_in_flight() and virtqueue_num_free() exact at every step;
 *  - kick_prepare with nothing added, add on a broken queue, a 4 GiB
 *    writable buffer, ENOSPC leaving the queue as it was, detach_unused
 *    refusing work until virtqueue_reset, the packed hand-over.
 *  - entries written by add, the index published by kick_prepare;
 *  - what review found: detach_unused with nothing in flight, no
 *    uninitialised field read after a failed setup.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define B(n) (1ull << (n))

/* ------------------------------------------------------------------ */
/* The two ways in                                                     */

struct ops {
	const char *name;
	int (*add)(struct virtqueue *vq, const struct virtio_buf *bufs,
		   unsigned n_out, unsigned n_in, void *token);
	bool (*kick_prepare)(struct virtqueue *vq);
	int (*get)(struct virtqueue *vq, void **token, uint32_t *len);
};

/* What a driver compiled with the runtime's headers gets: the macros
 * (inline bodies in speed builds). */
static int add_macro(struct virtqueue *vq, const struct virtio_buf *bufs,
		     unsigned n_out, unsigned n_in, void *token)
{
	return virtqueue_add(vq, bufs, n_out, n_in, token);
}
static bool kick_prepare_macro(struct virtqueue *vq)
{
	return virtqueue_kick_prepare(vq);
}
static int get_macro(struct virtqueue *vq, void **token, uint32_t *len)
{
	return virtqueue_get(vq, token, len);
}

/* The out-of-line functions (parenthesised: never the macros). */
static int add_outline(struct virtqueue *vq, const struct virtio_buf *bufs,
		       unsigned n_out, unsigned n_in, void *token)
{
	return (virtqueue_add)(vq, bufs, n_out, n_in, token);
}
static bool kick_prepare_outline(struct virtqueue *vq)
{
	return (virtqueue_kick_prepare)(vq);
}
static int get_outline(struct virtqueue *vq, void **token, uint32_t *len)
{
	return (virtqueue_get)(vq, token, len);
}

static const struct ops ops_macro = { "macro", add_macro, kick_prepare_macro,
				      get_macro };
static const struct ops ops_outline = { "out-of-line", add_outline,
					kick_prepare_outline, get_outline };
static const struct ops *const variants[2] = { &ops_macro, &ops_outline };

static bool kick(const struct ops *o, struct virtqueue *vq)
{
	bool k = o->kick_prepare(vq);

	if (k)
		virtqueue_notify(vq);
	return k;
}

/* ------------------------------------------------------------------ */
/* Fixture                                                             */

#define BUF 64

struct fx {
	struct dm_device *d;
	struct virtio_device vdev;
	struct virtqueue vq;
	uint8_t *out, *in;
	int tok[64];
};

static void fx_up(struct fx *f, uint32_t version, uint16_t qsize,
		  uint64_t wanted, bool defer)
{
	memset(f, 0, sizeof(*f));
	f->d = vt_device(version, 3, 1, qsize);
	f->d->device_features |= B(VIRTIO_F_INDIRECT_DESC) | B(VIRTIO_F_EVENT_IDX);
	dm_echo_attach(f->d);
	f->d->q[0].defer = defer;
	vt_bring_up(&f->vdev, &f->vq, wanted, 0);
	f->out = vt_dma(BUF);
	f->in = vt_dma(BUF);
}

static void fx_down(struct fx *f)
{
	vt_assert_no_violations(f->d);
	vt_tear_down_queue(&f->vdev, &f->vq);
	vt_dma_free(f->out, BUF);
	vt_dma_free(f->in, BUF);
}

static int add1(const struct ops *o, struct fx *f, bool writable, uint32_t len,
		void *token)
{
	struct virtio_buf v = { writable ? f->in : f->out, len };
	return o->add(&f->vq, &v, writable ? 0 : 1, writable ? 1 : 0, token);
}

static int add_pair(const struct ops *o, struct fx *f, uint32_t olen,
		    uint32_t ilen, void *token)
{
	struct virtio_buf v[2] = { { f->out, olen }, { f->in, ilen } };
	return o->add(&f->vq, v, 1, 1, token);
}

/* get() must leave *token and *len alone unless it returns 1. */
static void expect_get(const struct ops *o, struct fx *f, int ret,
		       void *token, uint32_t len)
{
	void *t = (void *)&f->tok[63];
	uint32_t l = 0xdeadbeef;
	int r = o->get(&f->vq, &t, &l);

	if (r != ret)
		fail_msg("%s get: %d, expected %d", o->name, r, ret);
	if (ret == 1) {
		assert_ptr_equal(t, token);
		assert_int_equal(l, len);
	} else {
		assert_ptr_equal(t, (void *)&f->tok[63]);
		assert_int_equal(l, 0xdeadbeef);
	}
}

/* Private state and ring memory, to show that a failed call changed
 * nothing. */
struct snap {
	struct virtqueue vq;
	void *slot;
	size_t slot_bytes;
	void *mem;
	size_t mem_bytes;
};

static void snap_take(struct snap *s, const struct virtqueue *vq)
{
	memcpy(&s->vq, vq, sizeof(*vq)); /* padding included */
	s->slot_bytes = sizeof(struct virtqueue_slot) * vq->size;
	s->slot = malloc(s->slot_bytes);
	assert_non_null(s->slot);
	memcpy(s->slot, vq->slot, s->slot_bytes);
	s->mem_bytes = vq->mem_bytes;
	s->mem = malloc(s->mem_bytes);
	assert_non_null(s->mem);
	memcpy(s->mem, vq->mem, s->mem_bytes);
}

/* with_desc: the descriptor table must be unchanged too (else only the
 * avail and used rings and what follows them). */
static void snap_check(struct snap *s, const struct virtqueue *vq,
		       bool with_desc)
{
	size_t from = with_desc ? 0
				: (size_t)((const uint8_t *)vq->avail_ring -
					   (const uint8_t *)vq->mem);

	assert_memory_equal(&s->vq, vq, sizeof(*vq));
	assert_memory_equal(s->slot, vq->slot, s->slot_bytes);
	assert_memory_equal((uint8_t *)s->mem + from,
			    (const uint8_t *)vq->mem + from, s->mem_bytes - from);
	free(s->slot);
	free(s->mem);
}

static uint32_t rng_state = 0x9e3779b9u;

static uint32_t rnd(void)
{
	uint32_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* ------------------------------------------------------------------ */
/* a. virtio_need_event is the spec's formula                          */

static bool spec_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

static const uint16_t edge[] = {
	0,      1,      2,      3,      4,      0x00ff, 0x0100, 0x0101,
	0x3fff, 0x4000, 0x4001, 0x7ffd, 0x7ffe, 0x7fff, 0x8000, 0x8001,
	0x8002, 0x8003, 0xbfff, 0xc000, 0xc001, 0xfffc, 0xfffd, 0xfffe,
	0xffff,
};
#define NEDGE (sizeof(edge) / sizeof(edge[0]))

static unsigned mismatches;

static void check_need_event(uint16_t e, uint16_t n, uint16_t o, int truth)
{
	bool r = virtio_need_event(e, o, (uint16_t)(n - o)),
	     s = spec_need_event(e, n, o);

	if (r != s || (truth >= 0 && r != (bool)truth)) {
		if (mismatches++ < 8)
			print_message("need_event(event %#x, new %#x, old %#x): "
				      "runtime %d, spec %d, window %d\n",
				      e, n, o, r, s, truth);
	}
}

/* Every event value for (new_idx, old): against the spec formula and
 * against the window [old, new_idx) walked one step at a time. */
static void all_events(uint16_t n, uint16_t o)
{
	static bool in_window[65536];

	memset(in_window, 0, sizeof(in_window));
	for (uint16_t i = o; i != n; i++)
		in_window[i] = true;
	for (uint32_t e = 0; e < 65536; e++)
		check_need_event((uint16_t)e, n, o, in_window[e]);
}

static void need_event_matches_spec(void **state)
{
	(void)state;
	mismatches = 0;
	/* every event, for new and old from the edge set (edge^3 included) */
	for (unsigned a = 0; a < NEDGE; a++)
		for (unsigned b = 0; b < NEDGE; b++)
			all_events(edge[a], edge[b]);
	/* windows of edge sizes at random places, every event */
	for (unsigned k = 0; k < 16; k++) {
		uint16_t o = (uint16_t)rnd();
		for (unsigned a = 0; a < NEDGE; a++)
			all_events((uint16_t)(o + edge[a]), o);
	}
	/* edge values and their neighbours relative to new and old */
	for (unsigned a = 0; a < NEDGE; a++)
		for (unsigned b = 0; b < NEDGE; b++)
			for (int dl = -2; dl <= 2; dl++) {
				uint16_t n = edge[a], o = edge[b];
				check_need_event((uint16_t)(n + dl), n, o, -1);
				check_need_event((uint16_t)(o + dl), n, o, -1);
				check_need_event((uint16_t)(o + dl),
						 (uint16_t)(n + dl), o, -1);
			}
	/* random triples, and random ones close to each other */
	for (unsigned k = 0; k < 200000; k++) {
		uint32_t r = rnd();
		uint16_t o = (uint16_t)r, n = (uint16_t)(r >> 16);
		uint16_t e = (uint16_t)rnd();
		check_need_event(e, n, o, -1);
		check_need_event((uint16_t)(o + (e & 7) - 3), n, o, -1);
		check_need_event((uint16_t)(n + (e & 7) - 3), n, o, -1);
		check_need_event(e, (uint16_t)(o + (r >> 29)), o, -1);
	}
	if (mismatches)
		fail_msg("%u need_event mismatches", mismatches);
}

/* ------------------------------------------------------------------ */
/* b. the out-of-line functions behave as the inline ones              */

static void round_trip_with(const struct ops *o, uint32_t version)
{
	struct fx f;
	fx_up(&f, version, 8, 0, false);
	f.d->strict_buffers = true;
	struct virtqueue *vq = &f.vq;

	/* nothing there */
	expect_get(o, &f, 0, NULL, 0);
	assert_false(o->kick_prepare(vq));

	/* one readable buffer: published and notified by the kick */
	assert_int_equal(add1(o, &f, false, 4, &f.tok[0]), 0);
	assert_int_equal(virtqueue_in_flight(vq), 1);
	assert_int_equal(virtqueue_num_free(vq), 7);
	assert_int_equal(dm_queue_avail_idx(f.d, 0), 0);
	assert_int_equal(f.d->q[0].notifies, 0);
	assert_true(kick(o, vq));
	assert_int_equal(f.d->q[0].notifies, 1);
	assert_true(virtqueue_has_used(vq));
	expect_get(o, &f, 1, &f.tok[0], 0);
	expect_get(o, &f, 0, NULL, 0);
	assert_false(virtqueue_has_used(vq));
	assert_int_equal(virtqueue_in_flight(vq), 0);
	assert_int_equal(virtqueue_num_free(vq), 8);

	/* one writable buffer (nothing to echo: len 0) */
	assert_int_equal(add1(o, &f, true, BUF, &f.tok[1]), 0);
	assert_true(kick(o, vq));
	expect_get(o, &f, 1, &f.tok[1], 0);

	/* a chain of 1 + 1 */
	memcpy(f.out, "ping", 4);
	memset(f.in, 0, BUF);
	assert_int_equal(add_pair(o, &f, 4, BUF, &f.tok[2]), 0);
	assert_int_equal(virtqueue_num_free(vq), 6);
	assert_true(kick(o, vq));
	expect_get(o, &f, 1, &f.tok[2], 4);
	assert_memory_equal(f.in, "ping", 4);

	/* a chain of 3 + 2 (no INDIRECT negotiated: 5 descriptors) */
	struct virtio_buf v[5] = { { f.out, 3 },     { f.out + 8, 3 },
				   { f.out + 16, 3 }, { f.in, 4 },
				   { f.in + 8, 8 } };
	assert_int_equal(o->add(vq, v, 3, 2, &f.tok[3]), 0);
	assert_int_equal(virtqueue_num_free(vq), 3);
	assert_int_equal(virtqueue_in_flight(vq), 1);
	/* 4 descriptors needed, 3 free */
	assert_int_equal(o->add(vq, v, 2, 2, &f.tok[4]), VIRTIO_ENOSPC);
	assert_true(kick(o, vq));
	expect_get(o, &f, 1, &f.tok[3], 9);
	assert_int_equal(f.d->q[0].max_chain, 5);

	/* a batch of 8 singles, one kick, completed in order */
	for (int i = 0; i < 8; i++)
		assert_int_equal(add1(o, &f, (i & 1) != 0, 8, &f.tok[10 + i]), 0);
	assert_int_equal(add1(o, &f, false, 8, &f.tok[18]), VIRTIO_ENOSPC);
	assert_int_equal(virtqueue_in_flight(vq), 8);
	assert_int_equal(virtqueue_num_free(vq), 0);
	uint64_t notifies = f.d->q[0].notifies;
	assert_true(kick(o, vq));
	assert_int_equal(f.d->q[0].notifies, notifies + 1);
	for (int i = 0; i < 8; i++)
		expect_get(o, &f, 1, &f.tok[10 + i], 0);
	expect_get(o, &f, 0, NULL, 0);
	/* nothing added since: no notification wanted */
	assert_false(o->kick_prepare(vq));
	assert_int_equal(dm_queue_avail_idx(f.d, 0), 12);
	assert_int_equal(f.d->q[0].completed, 12);
	fx_down(&f);
}

static void outline_round_trip(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++)
		for (uint32_t version = 1; version <= 2; version++)
			round_trip_with(variants[k], version);
}

/* Adds through one way in, gets through the other: same queue state. */
static void outline_and_inline_interleave(void **state)
{
	(void)state;
	struct fx f;
	fx_up(&f, 2, 8, B(VIRTIO_F_INDIRECT_DESC) | B(VIRTIO_F_EVENT_IDX), true);
	for (unsigned round = 0; round < 300; round++) {
		const struct ops *a = variants[round & 1], *g = variants[(round >> 1) & 1];
		unsigned n = 1 + round % 8;
		for (unsigned i = 0; i < n; i++) {
			if (i & 1)
				assert_int_equal(add_pair(a, &f, 2, 8, &f.tok[i]), 0);
			else
				assert_int_equal(add1(a, &f, true, 8, &f.tok[i]), 0);
		}
		kick(a, &f.vq);
		dm_queue_process(f.d, 0);
		assert_int_equal(dm_queue_held(f.d, 0), n);
		/* complete back to front */
		for (unsigned i = n; i-- > 0;)
			assert_true(dm_queue_complete(f.d, 0, i) >= 0);
		for (unsigned i = n; i-- > 0;)
			expect_get(g, &f, 1, &f.tok[i], (i & 1) ? 2 : 0);
		expect_get(g, &f, 0, NULL, 0);
		assert_int_equal(virtqueue_in_flight(&f.vq), 0);
		assert_int_equal(virtqueue_num_free(&f.vq), 8);
		/* EVENT_IDX, callbacks on: get asks for the next interrupt */
		assert_int_equal(dm_queue_used_event(f.d, 0),
				 dm_queue_avail_idx(f.d, 0));
	}
	fx_down(&f);
}

enum hostile {
	H_ID_SIZE,      /* id == queue size */
	H_ID_MAX,       /* id 0xffffffff */
	H_ID_WRAPS,     /* id 0x10000 + an in-flight head */
	H_ID_NOT_HEAD,  /* second descriptor of an in-flight chain */
	H_ID_FREE,      /* never made available */
	H_ID_TWICE,     /* completed, taken, completed again */
	H_LEN_PLUS1,    /* writable + 1 */
	H_LEN_MAX,      /* UINT32_MAX */
	H_LEN_READONLY, /* 1 on a chain with nothing writable */
	H_IDX_JUMP,     /* used idx past the chains in flight */
	H_IDX_BACK,     /* used idx one behind */
	H_COUNT
};

static const int hostile_err[H_COUNT] = {
	[H_ID_SIZE] = VIRTIO_EUSEDID,
	[H_ID_MAX] = VIRTIO_EUSEDID,
	[H_ID_WRAPS] = VIRTIO_EUSEDID,
	[H_ID_NOT_HEAD] = VIRTIO_EUSEDNOTHEAD,
	[H_ID_FREE] = VIRTIO_EUSEDNOTINFLIGHT,
	[H_ID_TWICE] = VIRTIO_EUSEDNOTINFLIGHT,
	[H_LEN_PLUS1] = VIRTIO_EUSEDLEN,
	[H_LEN_MAX] = VIRTIO_EUSEDLEN,
	[H_LEN_READONLY] = VIRTIO_EUSEDLEN,
	[H_IDX_JUMP] = VIRTIO_EUSEDIDX,
	[H_IDX_BACK] = VIRTIO_EUSEDIDX,
};

/* The queue refuses work and touches nothing shared any more. */
static void assert_refuses_work(struct fx *f, int err)
{
	struct virtqueue *vq = &f->vq;
	uint64_t notifies = f->d->q[0].notifies;
	uint16_t avail = dm_queue_avail_idx(f->d, 0);
	struct virtio_buf v[2] = { { f->out, 4 }, { f->in, 8 } };

	assert_int_equal(virtqueue_broken(vq), err);
	for (int k = 0; k < 2; k++) {
		const struct ops *p = variants[k];
		expect_get(p, f, VIRTIO_EBROKEN, NULL, 0);
		assert_int_equal(add1(p, f, false, 4, &f->tok[40]), VIRTIO_EBROKEN);
		assert_int_equal(add1(p, f, true, 4, &f->tok[40]), VIRTIO_EBROKEN);
		assert_int_equal(p->add(vq, v, 1, 1, &f->tok[40]), VIRTIO_EBROKEN);
		assert_int_equal(p->add(vq, v, 1, 1, NULL), VIRTIO_EBROKEN);
		assert_false(p->kick_prepare(vq));
	}
	virtqueue_kick(vq);
	assert_int_equal(f->d->q[0].notifies, notifies);
	assert_int_equal(dm_queue_avail_idx(f->d, 0), avail);
	assert_int_equal(virtqueue_num_free(vq), 0);
	assert_true(virtqueue_has_used(vq));
	assert_false(virtqueue_enable_cb(vq));
	virtqueue_disable_cb(vq);
	assert_int_equal(virtqueue_broken(vq), err);
}

static void hostile_with(const struct ops *o, enum hostile h)
{
	struct fx f;
	fx_up(&f, 2, 8, B(VIRTIO_F_EVENT_IDX), true);
	struct virtqueue *vq = &f.vq;

	/* in flight: tok0 = pair (desc 0, 1; 16 writable), tok1 =
	 * readable single (desc 2), tok2 = writable single (desc 3) */
	assert_int_equal(add_pair(o, &f, 4, 16, &f.tok[0]), 0);
	assert_int_equal(add1(o, &f, false, 4, &f.tok[1]), 0);
	assert_int_equal(add1(o, &f, true, 16, &f.tok[2]), 0);
	/* and one more the device has not been told about */
	assert_int_equal(add1(o, &f, true, 16, &f.tok[3]), 0);
	assert_true(kick(o, vq));
	assert_int_equal(dm_queue_held(f.d, 0), 4);
	assert_int_equal(dm_queue_held_req(f.d, 0, 0)->second, 1);
	assert_int_equal(add1(o, &f, true, 16, &f.tok[4]), 0); /* desc 5, not kicked */
	/* one honest completion first: desc 3 goes back to the free list */
	assert_int_equal(dm_queue_complete(f.d, 0, 2), 0);
	expect_get(o, &f, 1, &f.tok[2], 0);

	uint16_t used = 1; /* used idx so far */
	switch (h) {
	case H_ID_SIZE:
		dm_queue_push_used(f.d, 0, 8, 0);
		break;
	case H_ID_MAX:
		dm_queue_push_used(f.d, 0, 0xffffffffu, 0);
		break;
	case H_ID_WRAPS:
		dm_queue_push_used(f.d, 0, 0x10000u + 2, 0);
		break;
	case H_ID_NOT_HEAD:
		dm_queue_push_used(f.d, 0, 1, 0);
		break;
	case H_ID_FREE:
		dm_queue_push_used(f.d, 0, 7, 0);
		break;
	case H_ID_TWICE:
		dm_queue_push_used(f.d, 0, 3, 0); /* desc 3 was tok2's */
		break;
	case H_LEN_PLUS1:
		dm_queue_push_used(f.d, 0, 0, 17);
		break;
	case H_LEN_MAX:
		dm_queue_push_used(f.d, 0, 0, UINT32_MAX);
		break;
	case H_LEN_READONLY:
		dm_queue_push_used(f.d, 0, 2, 1);
		break;
	case H_IDX_JUMP: /* 4 in flight: 5 new entries is a lie */
		dm_queue_set_used_idx(f.d, 0, (uint16_t)(used + 5));
		break;
	case H_IDX_BACK:
		dm_queue_set_used_idx(f.d, 0, (uint16_t)(used - 1));
		break;
	default:
		fail();
	}
	unsigned in_flight = virtqueue_in_flight(vq);
	assert_int_equal(in_flight, 4);
	assert_true(virtqueue_has_used(vq));
	expect_get(o, &f, hostile_err[h], NULL, 0);
	assert_int_equal(virtqueue_in_flight(vq), in_flight);
	assert_refuses_work(&f, hostile_err[h]);

	/* Recovery: reset, every token back once, renegotiate, reuse. */
	assert_int_equal(virtio_reset(&f.vdev), 0);
	unsigned seen = 0;
	void *t;
	while ((t = virtqueue_detach_unused(vq)) != NULL) {
		int i = (int)((int *)t - f.tok);
		assert_true(i >= 0 && i <= 4 && i != 2);
		assert_false(seen & (1u << i));
		seen |= 1u << i;
	}
	assert_int_equal(seen, 0x1b);
	assert_int_equal(virtqueue_in_flight(vq), 0);
	/* the device's error, not replaced by detach_unused */
	assert_int_equal(virtqueue_broken(vq), hostile_err[h]);
	f.d->q[0].defer = false;
	assert_int_equal(virtio_negotiate(&f.vdev, B(VIRTIO_F_EVENT_IDX)), 0);
	assert_int_equal(virtqueue_reset(vq), 0);
	assert_int_equal(virtio_driver_ok(&f.vdev), 0);
	assert_int_equal(virtqueue_broken(vq), 0);
	assert_int_equal(virtqueue_num_free(vq), 8);
	assert_int_equal(add_pair(o, &f, 3, 16, &f.tok[5]), 0);
	assert_true(kick(o, vq));
	expect_get(o, &f, 1, &f.tok[5], 3);
	fx_down(&f);
}

static void outline_hostile(void **state)
{
	(void)state;
	for (int h = 0; h < H_COUNT; h++)
		for (int k = 0; k < 2; k++)
			hostile_with(variants[k], (enum hostile)h);
}

/* ------------------------------------------------------------------ */
/* c. counters, kick_prepare, broken queues, bad arguments, detach      */

/*
 * 70000+ chains through a queue of 8 with random batches, random
 * completion order, kicks and polls mixed, both ways in mixed: after
 * every step in_flight() and num_free() are exact, every token comes back
 * once with its length, in the device's completion order.
 */
static void counters_past_65536(bool event_idx)
{
	struct fx f;
	fx_up(&f, 2, 8, event_idx ? B(VIRTIO_F_EVENT_IDX) : 0, true);
	struct virtqueue *vq = &f.vq;
	/* per request: token index, descriptors, expected used len */
	struct req { int tok; unsigned ndesc; uint32_t len; };
	struct req unseen[8], held[8], done[8];
	unsigned nunseen = 0, nheld = 0, ndone = 0;
	unsigned chains = 0, descs = 0;
	uint32_t issued = 0, taken = 0, kicked_at = 0, dev_seen = 0;
	int next_tok = 0;

	while (taken < 70000) {
		const struct ops *o = variants[rnd() & 1];
		/* add a few */
		for (unsigned k = rnd() % 5; k > 0; k--) {
			bool pair = rnd() & 1;
			unsigned need = pair ? 2 : 1;
			uint32_t olen = 1 + rnd() % 32;
			int ti = next_tok++ % 40;
			int r = pair ? add_pair(o, &f, olen, 32, &f.tok[ti])
				     : add1(o, &f, true, 16, &f.tok[ti]);
			if (descs + need > 8) {
				assert_int_equal(r, VIRTIO_ENOSPC);
				break;
			}
			assert_int_equal(r, 0);
			unseen[nunseen++] = (struct req){ ti, need, pair ? olen : 0 };
			chains++;
			descs += need;
			issued++;
			assert_int_equal(virtqueue_in_flight(vq), chains);
			assert_int_equal(virtqueue_num_free(vq), 8 - descs);
		}
		assert_int_equal(dm_queue_avail_idx(f.d, 0), (uint16_t)kicked_at);
		/* publish and kick (the device's wish: avail_event, which it
		 * moves to what it has seen, or no flag at all); without a
		 * notification it polls */
		bool want = event_idx ? spec_need_event((uint16_t)dev_seen,
							(uint16_t)issued,
							(uint16_t)kicked_at)
				      : issued != kicked_at;
		bool k = kick(o, vq);
		assert_int_equal(k, want);
		kicked_at = issued;
		if (!k)
			dm_queue_process(f.d, 0);
		dev_seen = issued;
		memcpy(&held[nheld], unseen, nunseen * sizeof(unseen[0]));
		nheld += nunseen;
		nunseen = 0;
		assert_int_equal(dm_queue_held(f.d, 0), nheld);
		/* the device completes some, in any order */
		for (unsigned k = nheld ? rnd() % (nheld + 1) : 0; k > 0; k--) {
			unsigned pos = rnd() % nheld;
			assert_true(dm_queue_complete(f.d, 0, pos) >= 0);
			done[ndone++] = held[pos];
			memmove(&held[pos], &held[pos + 1],
				(nheld - pos - 1) * sizeof(held[0]));
			nheld--;
		}
		assert_int_equal(virtqueue_has_used(vq), ndone != 0);
		/* the driver takes some */
		for (unsigned k = rnd() % (ndone + 1); k > 0; k--) {
			o = variants[rnd() & 1];
			expect_get(o, &f, 1, &f.tok[done[0].tok], done[0].len);
			chains--;
			descs -= done[0].ndesc;
			taken++;
			memmove(&done[0], &done[1], (ndone - 1) * sizeof(done[0]));
			ndone--;
			assert_int_equal(virtqueue_in_flight(vq), chains);
			assert_int_equal(virtqueue_num_free(vq), 8 - descs);
			if (event_idx)
				assert_int_equal(dm_queue_used_event(f.d, 0),
						 (uint16_t)taken);
		}
		if (!ndone)
			expect_get(variants[rnd() & 1], &f, 0, NULL, 0);
	}
	assert_true(issued > 65536 && taken > 65536);
	assert_int_equal(f.d->q[0].completed, taken + ndone);
	fx_down(&f);
}

static void counters_past_65536_no_event_idx(void **state)
{
	(void)state;
	counters_past_65536(false);
}

static void counters_past_65536_event_idx(void **state)
{
	(void)state;
	counters_past_65536(true);
}

/* Without anything added, kick_prepare never asks for a notification
 * (whatever avail_event or used->flags say). */
static void kick_prepare_nothing_added(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		for (int ev = 0; ev < 2; ev++) {
			struct fx f;
			fx_up(&f, 2, 8, ev ? B(VIRTIO_F_EVENT_IDX) : 0, false);
			struct virtqueue *vq = &f.vq;
			assert_false(o->kick_prepare(vq));
			virtqueue_kick(vq);
			assert_int_equal(f.d->q[0].notifies, 0);
			for (int round = 0; round < 3; round++) {
				assert_int_equal(add1(o, &f, true, 8, &f.tok[0]), 0);
				assert_true(kick(o, vq));
				assert_int_equal(f.d->q[0].notifies, (unsigned)round + 1);
				assert_false(o->kick_prepare(vq));
				expect_get(o, &f, 1, &f.tok[0], 0);
				assert_false(o->kick_prepare(vq));
				virtqueue_kick(vq);
				assert_int_equal(f.d->q[0].notifies, (unsigned)round + 1);
			}
			if (ev) {
				uint16_t idx = dm_queue_avail_idx(f.d, 0);
				const uint16_t events[] = { 0, idx, (uint16_t)(idx - 1),
							    (uint16_t)(idx + 1),
							    (uint16_t)(idx + 0x8000),
							    0xffff };
				for (unsigned i = 0; i < 6; i++) {
					dm_queue_set_avail_event(f.d, 0, events[i]);
					assert_false(o->kick_prepare(vq));
				}
				/* added one: notify iff avail_event == old idx */
				dm_queue_set_avail_event(f.d, 0, (uint16_t)(idx + 1));
				assert_int_equal(add1(o, &f, true, 8, &f.tok[0]), 0);
				assert_false(o->kick_prepare(vq));
				dm_queue_set_avail_event(f.d, 0, (uint16_t)(idx + 1));
				assert_int_equal(add1(o, &f, true, 8, &f.tok[1]), 0);
				assert_true(o->kick_prepare(vq));
			} else {
				/* NO_NOTIFY: not even with something added */
				f.d->q[0].set_no_notify = true;
				dm_queue_process(f.d, 0);
				assert_int_equal(add1(o, &f, true, 8, &f.tok[0]), 0);
				assert_false(o->kick_prepare(vq));
				assert_false(o->kick_prepare(vq));
			}
			fx_down(&f);
		}
	}
}

/* A queue broken while chains were added after the last kick (or with
 * no kick ever): no notification, every add refused, either way in. */
static void add_on_broken_queue(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++)
	for (int ev = 0; ev < 2; ev++)
	for (int kicked = 0; kicked < 2; kicked++) {
		const struct ops *o = variants[k];
		struct fx f;
		fx_up(&f, 2, 8, (ev ? B(VIRTIO_F_EVENT_IDX) : 0) |
				       B(VIRTIO_F_INDIRECT_DESC), true);
		assert_int_equal(add1(o, &f, true, 8, &f.tok[0]), 0);
		if (kicked)
			assert_true(kick(o, &f.vq));
		else
			dm_queue_process(f.d, 0); /* the device polls */
		/* the device would want a kick for the next one */
		if (ev)
			dm_queue_set_avail_event(f.d, 0, dm_queue_avail_idx(f.d, 0));
		assert_int_equal(add1(o, &f, true, 8, &f.tok[1]), 0);
		assert_int_equal(add_pair(o, &f, 1, 8, &f.tok[2]), 0); /* indirect */
		dm_queue_push_used(f.d, 0, 0xffffu, 0);
		expect_get(o, &f, VIRTIO_EUSEDID, NULL, 0);
		assert_refuses_work(&f, VIRTIO_EUSEDID);
		struct virtio_buf big[10];
		for (int i = 0; i < 10; i++)
			big[i] = (struct virtio_buf){ f.out, 1 };
		assert_int_equal(o->add(&f.vq, big, 10, 0, &f.tok[3]), VIRTIO_EBROKEN);
		assert_int_equal(o->add(&f.vq, big, 0, 0, &f.tok[3]), VIRTIO_EBROKEN);
		assert_int_equal(virtqueue_in_flight(&f.vq), 3);
		assert_int_equal(f.d->q[0].notifies, (unsigned)kicked);
		fx_down(&f);
	}
}

/* Argument checks, the single-buffer fast path included: EINVAL and
 * nothing changed. */
static void bad_arguments_change_nothing(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		struct fx f;
		fx_up(&f, 2, 8, B(VIRTIO_F_INDIRECT_DESC), true);
		struct virtqueue *vq = &f.vq;
		struct virtio_buf v[2] = { { f.out, 4 }, { f.in, 8 } };
		struct snap s;
		snap_take(&s, vq);
		assert_int_equal(o->add(vq, v, 1, 0, NULL), VIRTIO_EINVAL);
		assert_int_equal(o->add(vq, v, 0, 1, NULL), VIRTIO_EINVAL);
		assert_int_equal(o->add(vq, v, 1, 1, NULL), VIRTIO_EINVAL);
		assert_int_equal(o->add(vq, v, 0, 0, &f.tok[0]), VIRTIO_EINVAL);
		/* n_out + n_in wraps to 1 or 2 */
		assert_int_equal(o->add(vq, v, 2, UINT32_MAX, &f.tok[0]), VIRTIO_EINVAL);
		assert_int_equal(o->add(vq, v, UINT32_MAX, 2, &f.tok[0]), VIRTIO_EINVAL);
		assert_int_equal(o->add(vq, v, UINT32_MAX, 3, &f.tok[0]), VIRTIO_EINVAL);
		/* longer than the queue, not indirect */
		struct virtio_buf many[9];
		for (int i = 0; i < 9; i++)
			many[i] = (struct virtio_buf){ f.out, 1 };
		assert_int_equal(o->add(vq, many, 9, 0, &f.tok[0]), VIRTIO_EINVAL);
		snap_check(&s, vq, true);
		assert_int_equal(dm_queue_avail_idx(f.d, 0), 0);
		assert_false(o->kick_prepare(vq));
		assert_int_equal(f.d->q[0].notifies, 0);
		fx_down(&f);
	}
}

/* The layout changes across a reset (split with EVENT_IDX, packed, split
 * again): the split fields hand over to the packed ring and back. */
static void layout_switch_hand_over(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		struct fx f;
		fx_up(&f, 2, 8, B(VIRTIO_F_EVENT_IDX), false);
		f.d->device_features |= B(34); /* RING_PACKED */
		for (int round = 0; round < 3; round++) {
			bool packed = round == 1;
			if (round) {
				assert_int_equal(virtio_reset(&f.vdev), 0);
				while (virtqueue_detach_unused(&f.vq))
					;
				assert_int_equal(virtio_negotiate(&f.vdev,
						  B(VIRTIO_F_EVENT_IDX) |
						  (packed ? B(34) : 0)), 0);
				assert_int_equal(virtqueue_reset(&f.vq), 0);
				assert_int_equal(virtio_driver_ok(&f.vdev), 0);
			}
			assert_int_equal(virtqueue_is_packed(&f.vq), packed);
			for (int i = 0; i < 3; i++) {
				assert_int_equal(add_pair(o, &f, 3, 8, &f.tok[i]), 0);
				assert_true(kick(o, &f.vq));
				expect_get(o, &f, 1, &f.tok[i], 3);
			}
			assert_int_equal(f.d->q[0].notifies, 3 * (round + 1));
			expect_get(o, &f, 0, NULL, 0);
			assert_false(o->kick_prepare(&f.vq));
		}
		fx_down(&f);
	}
}

/* A single writable buffer of UINT32_MAX bytes cannot be described
 * (limit = writable + 1 would be 0): EINVAL, nothing changed. */
static void add_uint32_max_writable(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		struct fx f;
		fx_up(&f, 2, 8, 0, true);
		struct virtqueue *vq = &f.vq;
		assert_int_equal(add1(o, &f, true, 8, &f.tok[0]), 0); /* desc 0 */
		struct snap s;
		snap_take(&s, vq);
		struct virtio_buf one = { f.in, UINT32_MAX };
		assert_int_equal(o->add(vq, &one, 0, 1, &f.tok[1]), VIRTIO_EINVAL);
		snap_check(&s, vq, true);
		/* same as the last of a chain */
		struct virtio_buf two[2] = { { f.out, 4 }, { f.in, UINT32_MAX } };
		snap_take(&s, vq);
		assert_int_equal(o->add(vq, two, 1, 1, &f.tok[1]), VIRTIO_EINVAL);
		snap_check(&s, vq, false);
		assert_int_equal(virtqueue_in_flight(vq), 1);
		assert_int_equal(virtqueue_num_free(vq), 7);
		assert_int_equal(dm_queue_avail_idx(f.d, 0), 0); /* no kick yet */
		/* one byte less is fine; so is UINT32_MAX readable */
		one.len = UINT32_MAX - 1;
		assert_int_equal(o->add(vq, &one, 0, 1, &f.tok[2]), 0);
		one.len = UINT32_MAX;
		assert_int_equal(o->add(vq, &one, 1, 0, &f.tok[3]), 0);
		assert_int_equal(virtqueue_in_flight(vq), 3);
		/* the device may say it wrote UINT32_MAX - 1 bytes */
		dm_queue_push_used(f.d, 0, 1, UINT32_MAX - 1);
		expect_get(o, &f, 1, &f.tok[2], UINT32_MAX - 1);
		assert_int_equal(f.d->q[0].notifies, 0);
		fx_down(&f);
	}
}

/* ENOSPC in the middle of a direct chain leaves the queue as it was. */
static void enospc_changes_nothing(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		for (int ind = 0; ind < 2; ind++) {
			struct fx f;
			fx_up(&f, 2, 8, ind ? B(VIRTIO_F_INDIRECT_DESC) : 0, true);
			struct virtqueue *vq = &f.vq;
			struct virtio_buf v[3] = { { f.out, 1 }, { f.out + 1, 1 },
						   { f.in, 8 } };
			for (int i = 0; i < 6; i++)
				assert_int_equal(add1(o, &f, true, 8, &f.tok[i]), 0);
			struct snap s;
			snap_take(&s, vq);
			int r = o->add(vq, v, 2, 1, &f.tok[6]);
			if (ind) { /* one descriptor: fits */
				assert_int_equal(r, 0);
				assert_int_equal(o->add(vq, v, 2, 1, &f.tok[7]), 0);
				free(s.slot);
				free(s.mem);
				snap_take(&s, vq);
				assert_int_equal(virtqueue_num_free(vq), 0);
			} else {
				assert_int_equal(r, VIRTIO_ENOSPC);
				snap_check(&s, vq, false);
				snap_take(&s, vq);
			}
			/* a full queue, for a chain (direct or indirect) and a
			 * single buffer */
			if (ind) {
				assert_int_equal(o->add(vq, v, 2, 1, &f.tok[8]), VIRTIO_ENOSPC);
				assert_int_equal(add1(o, &f, true, 8, &f.tok[8]), VIRTIO_ENOSPC);
			} else {
				assert_int_equal(add1(o, &f, true, 8, &f.tok[6]), 0);
				assert_int_equal(add1(o, &f, true, 8, &f.tok[7]), 0);
				free(s.slot);
				free(s.mem);
				snap_take(&s, vq);
				assert_int_equal(o->add(vq, v, 2, 1, &f.tok[8]), VIRTIO_ENOSPC);
				assert_int_equal(add1(o, &f, true, 8, &f.tok[8]), VIRTIO_ENOSPC);
			}
			snap_check(&s, vq, false);
			assert_int_equal(virtqueue_in_flight(vq), 8);
			assert_true(kick(o, vq));
			assert_int_equal(dm_queue_held(f.d, 0), 8);
			for (int i = 0; i < 8; i++)
				assert_true(dm_queue_complete(f.d, 0, 0) >= 0);
			for (int i = 0; i < 8; i++)
				expect_get(o, &f, 1, &f.tok[i], (ind && i >= 6) ? 2 : 0);
			assert_int_equal(virtqueue_num_free(vq), 8);
			fx_down(&f);
		}
	}
}

/* After a device reset, detach_unused hands back every token once; from
 * the first one on the queue refuses work until virtqueue_reset(). */
static void detach_unused_then_add(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		struct fx f;
		fx_up(&f, 2, 8, B(VIRTIO_F_EVENT_IDX), true);
		struct virtqueue *vq = &f.vq;
		for (int i = 0; i < 3; i++)
			assert_int_equal(add_pair(o, &f, 2, 8, &f.tok[i]), 0);
		assert_true(kick(o, vq));
		assert_int_equal(add1(o, &f, true, 8, &f.tok[3]), 0); /* no kick */
		dm_queue_complete(f.d, 0, 1); /* completed, never taken */
		assert_int_equal(virtio_reset(&f.vdev), 0);
		unsigned seen = 0;
		void *t = virtqueue_detach_unused(vq);
		assert_non_null(t);
		seen |= 1u << ((int *)t - f.tok);
		assert_int_equal(virtqueue_in_flight(vq), 3);
		assert_int_equal(virtqueue_broken(vq), VIRTIO_EBROKEN);
		assert_refuses_work(&f, VIRTIO_EBROKEN);
		while ((t = virtqueue_detach_unused(vq)) != NULL) {
			unsigned bit = 1u << ((int *)t - f.tok);
			assert_false(seen & bit);
			seen |= bit;
			assert_int_equal(add1(o, &f, false, 1, &f.tok[9]), VIRTIO_EBROKEN);
		}
		assert_int_equal(seen, 0xf);
		assert_int_equal(virtqueue_in_flight(vq), 0);
		assert_null(virtqueue_detach_unused(vq));
		assert_refuses_work(&f, VIRTIO_EBROKEN);
		/* back in service */
		f.d->q[0].defer = false;
		assert_int_equal(virtio_negotiate(&f.vdev, B(VIRTIO_F_EVENT_IDX)), 0);
		assert_int_equal(virtqueue_reset(vq), 0);
		assert_int_equal(virtio_driver_ok(&f.vdev), 0);
		assert_int_equal(virtqueue_broken(vq), 0);
		assert_int_equal(virtqueue_num_free(vq), 8);
		assert_false(o->kick_prepare(vq));
		assert_int_equal(add_pair(o, &f, 5, 8, &f.tok[4]), 0);
		assert_true(kick(o, vq));
		expect_get(o, &f, 1, &f.tok[4], 5);
		fx_down(&f);
	}
}

/* ------------------------------------------------------------------ */
/* d. what the review found worth pinning down                         */

/* Build configuration: the macros exist exactly in speed builds. */
static void macro_mapping(void **state)
{
	(void)state;
#if defined(virtqueue_add) && defined(virtqueue_get) && \
	defined(virtqueue_kick_prepare)
	assert_int_equal(VIRTQUEUE_INLINE, 1);
#else
	assert_int_equal(VIRTQUEUE_INLINE, 0);
#endif
	/* speed builds inline unless told otherwise, -Os builds do not */
#ifdef __OPTIMIZE_SIZE__
	assert_int_equal(VIRTQUEUE_INLINE, 0);
#else
	assert_int_equal(VIRTQUEUE_INLINE, 1);
#endif
	/* the names without a call are the functions themselves */
	int (*add)(struct virtqueue *, const struct virtio_buf *, unsigned,
		   unsigned, void *) = virtqueue_add;
	bool (*kp)(struct virtqueue *) = virtqueue_kick_prepare;
	int (*get)(struct virtqueue *, void **, uint32_t *) = virtqueue_get;
	assert_non_null(add);
	assert_non_null(kp);
	assert_non_null(get);
}

/* Callbacks off: get leaves used_event behind; on again: caught up. */
static void used_event_follows_callbacks(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		struct fx f;
		fx_up(&f, 2, 8, B(VIRTIO_F_EVENT_IDX), false);
		for (int i = 0; i < 3; i++) {
			assert_int_equal(add1(o, &f, true, 8, &f.tok[i]), 0);
			kick(o, &f.vq);
			expect_get(o, &f, 1, &f.tok[i], 0);
			assert_int_equal(dm_queue_used_event(f.d, 0), i + 1);
		}
		virtqueue_disable_cb(&f.vq);
		assert_int_equal(dm_queue_used_event(f.d, 0), 2);
		for (int i = 3; i < 6; i++) {
			assert_int_equal(add1(o, &f, true, 8, &f.tok[i]), 0);
			kick(o, &f.vq);
			expect_get(o, &f, 1, &f.tok[i], 0);
			assert_int_equal(dm_queue_used_event(f.d, 0), 2);
		}
		assert_true(virtqueue_enable_cb(&f.vq));
		assert_int_equal(dm_queue_used_event(f.d, 0), 6);
		assert_int_equal(dm_queue_avail_flags(f.d, 0), 0);
		fx_down(&f);
	}
}

/* A packed queue goes through the split entry points' cold branches. */
static void packed_hand_over(void **state)
{
	(void)state;
	vt_packed = true;
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		struct fx f;
		fx_up(&f, 2, 8, 0, false);
		assert_true(virtqueue_is_packed(&f.vq));
		assert_false(o->kick_prepare(&f.vq));
		assert_int_equal(add1(o, &f, false, 4, &f.tok[0]), 0);
		memcpy(f.out, "pong", 4);
		assert_int_equal(add_pair(o, &f, 4, 16, &f.tok[1]), 0);
		assert_int_equal(virtqueue_in_flight(&f.vq), 2);
		assert_true(kick(o, &f.vq));
		assert_int_equal(f.d->q[0].notifies, 1);
		expect_get(o, &f, 1, &f.tok[0], 0);
		expect_get(o, &f, 1, &f.tok[1], 4);
		expect_get(o, &f, 0, NULL, 0);
		assert_int_equal(virtqueue_in_flight(&f.vq), 0);
		fx_down(&f);
	}
	vt_packed = false;
}

/* A queue whose setup failed refuses work through either way in. */
static void failed_setup_refuses_work(void **state)
{
	(void)state;
	struct fx f;
	memset(&f, 0, sizeof(f));
	f.d = vt_device(2, 3, 1, 8);
	assert_int_equal(virtio_mmio_probe(&f.vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&f.vdev, 0), 0);
	f.out = vt_dma(BUF);
	f.in = vt_dma(BUF);
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		assert_int_equal(virtqueue_setup(&f.vdev, &f.vq, 3, 0), VIRTIO_ENOQUEUE);
		assert_int_equal(add1(o, &f, true, 8, &f.tok[0]), VIRTIO_EBROKEN);
		expect_get(o, &f, VIRTIO_EBROKEN, NULL, 0);
		assert_int_equal(virtqueue_num_free(&f.vq), 0);
		assert_int_equal(virtqueue_in_flight(&f.vq), 0);
		assert_null(virtqueue_detach_unused(&f.vq));
		virtqueue_destroy(&f.vq);
	}
	vt_dma_free(f.out, BUF);
	vt_dma_free(f.in, BUF);
}

/* Entries are written by add, the index by kick_prepare: the device sees
 * whole batches, and not before kick_prepare, with or without a
 * notification. */
static void published_by_kick_prepare(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		const struct ops *o = variants[k];
		struct fx f;
		fx_up(&f, 2, 8, B(VIRTIO_F_EVENT_IDX), false);
		for (int i = 0; i < 3; i++)
			assert_int_equal(add1(o, &f, true, 8, &f.tok[i]), 0);
		assert_int_equal(dm_queue_avail_idx(f.d, 0), 0);
		dm_queue_process(f.d, 0); /* a device that polls finds nothing */
		expect_get(o, &f, 0, NULL, 0);
		dm_queue_set_avail_event(f.d, 0, 100); /* no notification wanted */
		assert_false(o->kick_prepare(&f.vq));
		assert_int_equal(dm_queue_avail_idx(f.d, 0), 3);
		dm_queue_process(f.d, 0);
		for (int i = 0; i < 3; i++)
			expect_get(o, &f, 1, &f.tok[i], 0);
		assert_int_equal(f.d->q[0].notifies, 0);
		fx_down(&f);
	}
}

/* ------------------------------------------------------------------ */
/* Found in review                                                      */

/* detach_unused() with nothing in flight: "The queue refuses work
 * (VIRTIO_EBROKEN) until virtqueue_reset()" (virtqueue.h). */
static void detach_with_nothing_in_flight(void **state)
{
	(void)state;
	struct fx f;
	fx_up(&f, 2, 8, 0, false);
	assert_int_equal(virtio_reset(&f.vdev), 0);
	assert_null(virtqueue_detach_unused(&f.vq));
	int r = add1(&ops_macro, &f, true, 8, &f.tok[0]);
	fx_down(&f);
	if (r != VIRTIO_EBROKEN)
		fail_msg("add after detach_unused (nothing was in flight): %d, "
			 "expected VIRTIO_EBROKEN; the token is dropped by "
			 "virtqueue_reset", r);
}

/* A "new" (never initialised) virtqueue after a failed setup: kick
 * reads event_idx, which setup never wrote (an indeterminate bool: UBSan
 * reports it in the _san build). */
static void failed_setup_kick_reads_uninitialised(void **state)
{
	(void)state;
	struct virtio_device vdev;
	struct virtqueue vq;
	memset(&vq, 0xa5, sizeof(vq)); /* what the stack held before */
	vt_device(2, 3, 1, 8);
	assert_int_equal(virtio_mmio_probe(&vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(&vdev, 0), 0);
	assert_int_equal(virtqueue_setup(&vdev, &vq, 3, 0), VIRTIO_ENOQUEUE);
	uint8_t raw;
	memcpy(&raw, &vq.event_idx, 1);
	if (raw > 1)
		fail_msg("event_idx holds %#x after a failed setup; "
			 "kick_prepare branches on it", raw);
	assert_false(virtqueue_kick_prepare(&vq));
}

/* Every test starts split, whatever an earlier failure left behind. */
static int setup(void **state)
{
	vt_packed = false;
	return vt_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(need_event_matches_spec, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(macro_mapping, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(outline_round_trip, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(outline_and_inline_interleave, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(outline_hostile, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(counters_past_65536_no_event_idx, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(counters_past_65536_event_idx, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(kick_prepare_nothing_added, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(add_on_broken_queue, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(bad_arguments_change_nothing, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(add_uint32_max_writable, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(enospc_changes_nothing, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(detach_unused_then_add, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_event_follows_callbacks, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(packed_hand_over, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(layout_switch_hand_over, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(failed_setup_refuses_work, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(published_by_kick_prepare, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(detach_with_nothing_in_flight, setup, vt_teardown),
		cmocka_unit_test_setup_teardown(failed_setup_kick_reads_uninitialised, setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
