/*
 * Packed virtqueue (spec 2.8): the runtime's driver side (vqp_*) against
 * the device side in tests/devmodel/packed_ring.c, joined by a transport
 * without registers whose notify runs the device. Round trips across
 * many wrap-arounds (queue sizes that are not powers of two too), chains
 * that cross the end of the ring, buffer ids reused out of ring order,
 * indirect tables, chains visible to the device as soon as add returns
 * (the kick only notifies), all three event suppression modes on both
 * sides, and a hostile device: each bad used descriptor is reported with
 * the split ring's error code and breaks the queue until reset.
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include <virtio/virtqueue_packed.h>
#include "packed_ring.h"

#define B(n) (1ull << (n))

/* ---- a transport whose queue is a packed_ring device ---- */

static struct {
	struct pr_queue dq;
	uint16_t max;
	unsigned enables;
	uint64_t notifies;
} t;

static int t_reset(struct virtio_device *d) { (void)d; return 0; }
static uint8_t t_get_status(struct virtio_device *d) { (void)d; return 0; }
static void t_set_status(struct virtio_device *d, uint8_t s) { (void)d; (void)s; }
static uint64_t t_get_features(struct virtio_device *d) { return d->features; }
static void t_set_features(struct virtio_device *d, uint64_t f) { (void)d; (void)f; }
static uint32_t t_gen(struct virtio_device *d) { (void)d; return 0; }
static uint32_t t_cfg_read(struct virtio_device *d, uint32_t o, unsigned w)
{
	(void)d; (void)o; (void)w;
	return 0;
}
static void t_cfg_write(struct virtio_device *d, uint32_t o, unsigned w, uint32_t v)
{
	(void)d; (void)o; (void)w; (void)v;
}
static uint16_t t_queue_max(struct virtio_device *d, uint16_t i)
{
	(void)d;
	return i == 0 ? t.max : 0;
}
static int t_queue_enable(struct virtio_device *d, uint16_t i,
			  const struct virtio_queue_addr *a)
{
	(void)i;
	bool quiet = t.dq.quiet;
	t.enables++;
	assert_int_equal(a->area[0] % 16, 0);
	assert_int_equal(a->area[1] % 4, 0);
	assert_int_equal(a->area[2] % 4, 0);
	pr_init(&t.dq, a->area[0], a->area[1], a->area[2], a->size,
		virtio_has_feature(d, VIRTIO_F_EVENT_IDX),
		virtio_has_feature(d, VIRTIO_F_INDIRECT_DESC));
	t.dq.backend = pr_echo;
	t.dq.quiet = quiet;
	return 0;
}
static void t_notify(struct virtio_device *d, uint16_t i)
{
	(void)d;
	assert_int_equal(i, 0);
	t.notifies++;
	pr_process(&t.dq);
}
static uint32_t t_isr(struct virtio_device *d) { (void)d; return 0; }

static const struct virtio_transport_ops t_ops = {
	t_reset, t_get_status, t_set_status, t_get_features, t_set_features,
	t_gen, t_cfg_read, t_cfg_write, t_queue_max, t_queue_enable,
	t_notify, t_isr,
};

struct fx {
	struct virtio_device vdev;
	struct virtqueue_packed q;
	uint8_t *out, *in;
	int tok[64];
};

static void up(struct fx *f, uint16_t max, uint64_t features, uint16_t size)
{
	pr_fini(&t.dq);
	memset(&t, 0, sizeof(t));
	memset(f, 0, sizeof(*f));
	t.max = max;
	f->vdev.ops = &t_ops;
	f->vdev.features = B(VIRTIO_F_VERSION_1) | B(VIRTIO_F_RING_PACKED) | features;
	assert_int_equal(vqp_setup(&f->vdev, &f->q, 0, size), 0);
	f->out = vt_dma(64);
	f->in = vt_dma(64);
	memset(f->in, 0xcc, 64);
}

static void down(struct fx *f)
{
	while (vqp_detach_unused(&f->q))
		;
	vqp_destroy(&f->q);
	vt_dma_free(f->out, 64);
	vt_dma_free(f->in, 64);
	if (t.dq.violations)
		fail_msg("device saw %u driver violation(s), last: %s",
			 t.dq.violations, t.dq.last_violation);
	pr_fini(&t.dq);
}

static int add_pair(struct fx *f, uint32_t olen, uint32_t ilen, void *tok)
{
	struct virtio_buf v[2] = { { f->out, olen }, { f->in, ilen } };
	return vqp_add(&f->q, v, 1, 1, tok);
}

static void kick(struct fx *f)
{
	if (vqp_kick_prepare(&f->q))
		vqp_notify(&f->q);
}

static unsigned drain(struct fx *f)
{
	void *tk;
	uint32_t len;
	unsigned n = 0;
	int r;
	while ((r = vqp_get(&f->q, &tk, &len)) == 1)
		n++;
	assert_int_equal(r, 0);
	return n;
}

/* ---- working device ---- */

static void round_trip(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, 0, 0);
	assert_int_equal(f.q.size, 8);
	assert_int_equal(vqp_num_free(&f.q), 8);
	memcpy(f.out, "ping", 4);
	assert_int_equal(add_pair(&f, 4, 64, &f.tok[0]), 0);
	assert_int_equal(vqp_num_free(&f.q), 6);
	assert_int_equal(vqp_in_flight(&f.q), 1);
	/* visible at once: a device that polls finds it before any kick */
	pr_process(&t.dq);
	assert_int_equal(t.dq.requests, 1);
	/* the kick only notifies (the device asked for it: ENABLE) */
	kick(&f);
	assert_int_equal(t.notifies, 1);
	assert_int_equal(t.dq.requests, 1);
	void *tk = NULL;
	uint32_t len = 0;
	assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
	assert_ptr_equal(tk, &f.tok[0]);
	assert_int_equal(len, 4);
	assert_memory_equal(f.in, "ping", 4);
	assert_int_equal(vqp_num_free(&f.q), 8);
	assert_int_equal(vqp_in_flight(&f.q), 0);
	assert_int_equal(vqp_get(&f.q, &tk, &len), 0);
	/* nothing new: no notification, no store */
	assert_false(vqp_kick_prepare(&f.q));
	down(&f);
}

/* Many laps with chains of 1..3 descriptors, so chains straddle the end
 * of rings whose size is not a power of two. */
static void wraps_many_laps(void **state)
{
	(void)state;
	const uint16_t sizes[] = { 3, 5, 7, 8, 64 };
	for (unsigned s = 0; s < 5; s++) {
		struct fx f;
		up(&f, sizes[s], 0, 0);
		assert_int_equal(f.q.size, sizes[s]);
		uint8_t *seg[3] = { f.out, f.in, vt_dma(64) };
		const unsigned total = 70000;
		unsigned issued = 0, done = 0;
		while (done < total) {
			while (issued < total && issued - done < 2) {
				unsigned nd = 1 + issued % 3;
				if (nd > vqp_num_free(&f.q))
					break;
				struct virtio_buf v[3];
				unsigned n_out = nd > 1 ? 1 : 0;
				for (unsigned k = 0; k < nd; k++)
					v[k] = (struct virtio_buf){ seg[k], (uint32_t)(1 + (issued + k) % 50) };
				seg[0][0] = (uint8_t)issued;
				assert_int_equal(vqp_add(&f.q, v, n_out, nd - n_out,
							 &f.tok[issued % 4]), 0);
				issued++;
			}
			kick(&f);
			void *tk;
			uint32_t len;
			int r;
			while ((r = vqp_get(&f.q, &tk, &len)) == 1) {
				unsigned nd = 1 + done % 3;
				uint32_t rd = 1 + done % 50, wr = 0;
				for (unsigned k = 1; k < nd; k++)
					wr += 1 + (done + k) % 50;
				assert_ptr_equal(tk, &f.tok[done % 4]);
				assert_int_equal(len, nd == 1 ? 0 : rd < wr ? rd : wr);
				done++;
			}
			assert_int_equal(r, 0);
		}
		assert_int_equal(t.dq.completed, total);
		assert_int_equal(vqp_num_free(&f.q), sizes[s]);
		assert_int_equal(vqp_in_flight(&f.q), 0);
		vt_dma_free(seg[2], 64);
		down(&f);
	}
}

/* Completion order differs from ring order: ids come back in any order
 * and are reused while others are still out. */
static void out_of_order_ids(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, 0, 0);
	t.dq.defer = true;
	unsigned long long completed = 0;
	for (unsigned round = 0; round < 5000; round++) {
		for (int i = 0; i < 4; i++)
			assert_int_equal(add_pair(&f, (uint32_t)(i + 1), 8, &f.tok[i]), 0);
		kick(&f);
		assert_int_equal(t.dq.nheld, 4);
		const int expect[4] = { 2, 0, 3, 1 };
		pr_complete(&t.dq, 2);
		pr_complete(&t.dq, 0);
		pr_complete(&t.dq, 1);
		pr_complete(&t.dq, 0);
		for (int i = 0; i < 4; i++) {
			void *tk;
			uint32_t len;
			assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
			assert_ptr_equal(tk, &f.tok[expect[i]]);
			assert_int_equal(len, expect[i] + 1);
			completed++;
		}
	}
	assert_true(completed > 16 * 8);
	assert_int_equal(vqp_num_free(&f.q), 8);
	down(&f);
}

struct soak {
	bool out;
	uint8_t *mem;
	uint8_t v;
	uint32_t n;
	unsigned nd; /* ring descriptors it takes */
};

/* A deterministic soak: random chain shapes, random completion order,
 * a device that polls as well as one that waits for kicks, indirect on
 * and off, echo contents and the in-flight count checked. */
static void random_soak(void **state)
{
	(void)state;
	for (int ind = 0; ind <= 1; ind++) {
		struct fx f;
		up(&f, 13, ind ? B(VIRTIO_F_INDIRECT_DESC) : 0, 0);
		t.dq.defer = true;
		struct soak st[64];
		memset(st, 0, sizeof(st));
		srand(7 + ind);
		unsigned got = 0, out = 0, descs = 0, full = 0;
		for (unsigned step = 0; step < 60000; step++) {
			int op = rand() % 5;
			if (op == 0) {
				int k = rand() % 64;
				if (st[k].out)
					continue;
				unsigned n_out = 1 + rand() % 3, n_in = 1 + rand() % 3;
				struct virtio_buf v[6];
				uint8_t val = (uint8_t)rand();
				uint8_t *m = vt_dma(48); /* out at 0, in at 16 */
				memset(m, val, 12);
				for (unsigned i = 0; i < n_out; i++)
					v[i] = (struct virtio_buf){ m + 4 * i, 4 };
				for (unsigned i = 0; i < n_in; i++)
					v[n_out + i] = (struct virtio_buf){ m + 16 + 8 * i, 8 };
				int r = vqp_add(&f.q, v, n_out, n_in, &st[k]);
				unsigned nd = ind ? 1 : n_out + n_in;
				if (r == VIRTIO_ENOSPC) {
					/* only when there is no room: free ids
					 * parked for long chains come back */
					assert_true(nd > 13 - descs);
					full++;
					vt_dma_free(m, 48);
					continue;
				}
				assert_int_equal(r, 0);
				st[k].nd = nd;
				descs += nd;
				st[k].out = true;
				st[k].mem = m;
				st[k].v = val;
				st[k].n = n_out * 4 < n_in * 8 ? n_out * 4 : n_in * 8;
				out++;
			} else if (op == 1) {
				kick(&f);
			} else if (op == 4) {
				pr_process(&t.dq); /* polls: no kick needed */
			} else if (op == 2 && t.dq.nheld) {
				pr_complete(&t.dq, (unsigned)rand() % t.dq.nheld);
			} else {
				void *tk;
				uint32_t len;
				int r = vqp_get(&f.q, &tk, &len);
				assert_true(r == 0 || r == 1);
				if (r == 1) {
					int k = (int)((struct soak *)tk - st);
					assert_true(k >= 0 && k < 64 && st[k].out);
					assert_int_equal(len, st[k].n);
					for (uint32_t i = 0; i < len; i++)
						assert_int_equal(st[k].mem[16 + i], st[k].v);
					vt_dma_free(st[k].mem, 48);
					st[k].out = false;
					descs -= st[k].nd;
					got++;
					out--;
				}
			}
			assert_int_equal(vqp_in_flight(&f.q), out);
			assert_int_equal(vqp_num_free(&f.q), 13 - descs);
		}
		assert_true(got > 5000);
		assert_true(full > 100);
		if (ind)
			assert_true(t.dq.indirect_seen > 1000);
		for (int k = 0; k < 64; k++)
			if (st[k].out)
				vt_dma_free(st[k].mem, 48);
		down(&f);
	}
}

static void full_queue_and_arguments(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, 0, 0);
	t.dq.defer = true;
	for (int i = 0; i < 4; i++)
		assert_int_equal(add_pair(&f, 1, 8, &f.tok[i]), 0);
	assert_int_equal(vqp_num_free(&f.q), 0);
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[4]), VIRTIO_ENOSPC);
	struct virtio_buf one = { f.in, 8 };
	assert_int_equal(vqp_add(&f.q, &one, 0, 1, &f.tok[4]), VIRTIO_ENOSPC);
	kick(&f);
	pr_complete(&t.dq, 1);
	void *tk;
	uint32_t len;
	assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
	assert_ptr_equal(tk, &f.tok[1]);
	assert_int_equal(vqp_num_free(&f.q), 2);
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[5]), 0);
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[6]), VIRTIO_ENOSPC);
	struct virtio_buf many[9];
	for (int i = 0; i < 9; i++)
		many[i] = (struct virtio_buf){ f.out, 1 };
	assert_int_equal(vqp_add(&f.q, many, 9, 0, &f.tok[7]), VIRTIO_EINVAL);
	assert_int_equal(vqp_add(&f.q, many, 1, 0, NULL), VIRTIO_EINVAL);
	assert_int_equal(vqp_add(&f.q, many, 0, 0, &f.tok[7]), VIRTIO_EINVAL);
	kick(&f);
	while (t.dq.nheld)
		pr_complete(&t.dq, 0);
	assert_int_equal(drain(&f), 4);
	assert_int_equal(vqp_num_free(&f.q), 8);
	/* writable total overflowing 32 bits: refused, nothing consumed */
	struct virtio_buf big[3] = { { f.in, 0x80000000u }, { f.in, 0x80000000u },
				     { f.in, 1 } };
	assert_int_equal(vqp_add(&f.q, big, 0, 3, &f.tok[0]), VIRTIO_EINVAL);
	struct virtio_buf huge = { f.in, 0xffffffffu }; /* limit would wrap */
	assert_int_equal(vqp_add(&f.q, &huge, 0, 1, &f.tok[0]), VIRTIO_EINVAL);
	assert_int_equal(vqp_num_free(&f.q), 8);
	uint64_t n = t.notifies;
	assert_false(vqp_kick_prepare(&f.q));
	assert_int_equal(t.notifies, n);
	down(&f);
}

static void indirect_tables(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 4, B(VIRTIO_F_INDIRECT_DESC), 0);
	uint8_t *seg[8];
	for (int i = 0; i < 8; i++) {
		seg[i] = vt_dma(8);
		memset(seg[i], '0' + i, 8);
	}
	struct virtio_buf v[8];
	for (int i = 0; i < 8; i++)
		v[i] = (struct virtio_buf){ seg[i], 8 };
	t.dq.defer = true;
	/* no chain longer than the queue, indirect or not */
	assert_int_equal(vqp_add(&f.q, v, 4, 4, &f.tok[0]), VIRTIO_EINVAL);
	for (int i = 0; i < 4; i++) /* 4 chains of 4 in a queue of 4 */
		assert_int_equal(vqp_add(&f.q, v, 2, 2, &f.tok[i]), 0);
	assert_int_equal(vqp_num_free(&f.q), 0);
	kick(&f);
	assert_int_equal(t.dq.indirect_seen, 4);
	assert_int_equal(t.dq.max_chain, 4);
	pr_complete(&t.dq, 3); /* id order differs from ring order */
	pr_complete(&t.dq, 0);
	pr_complete(&t.dq, 0);
	pr_complete(&t.dq, 0);
	const int order[4] = { 3, 0, 1, 2 };
	for (int i = 0; i < 4; i++) {
		void *tk;
		uint32_t len;
		assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
		assert_ptr_equal(tk, &f.tok[order[i]]);
		assert_int_equal(len, 16);
	}
	assert_memory_equal(seg[2], "00000000", 8);
	assert_memory_equal(seg[3], "11111111", 8);
	/* one buffer, or more than VIRTQUEUE_INDIRECT_MAX, go direct */
	t.dq.defer = false;
	assert_int_equal(vqp_add(&f.q, v, 1, 0, &f.tok[4]), 0);
	kick(&f);
	assert_int_equal(t.dq.indirect_seen, 4);
	assert_int_equal(drain(&f), 1);
	down(&f);
	for (int i = 0; i < 8; i++)
		vt_dma_free(seg[i], 8);
}

static void no_indirect_unless_negotiated(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, 0, 0);
	assert_int_equal(add_pair(&f, 4, 4, &f.tok[0]), 0);
	kick(&f);
	assert_int_equal(t.dq.indirect_seen, 0);
	assert_int_equal(drain(&f), 1);
	down(&f);
}

/* Each chain is available as soon as add returns, direct or indirect,
 * one descriptor or several, also where it crosses the end of the ring;
 * one kick afterwards notifies for all of them. */
static void visible_at_add(void **state)
{
	(void)state;
	for (int ind = 0; ind <= 1; ind++) {
		struct fx f;
		up(&f, 5, ind ? B(VIRTIO_F_INDIRECT_DESC) : 0, 0);
		t.dq.defer = true;
		struct virtio_buf one = { f.in, 8 };
		for (int i = 0; i < 3; i++) {
			assert_int_equal(i == 1 ? vqp_add(&f.q, &one, 0, 1, &f.tok[i])
						: add_pair(&f, 1, 8, &f.tok[i]), 0);
			/* the head is what opens a chain: it is written */
			unsigned head = ind ? (unsigned)i : (i == 2 ? 3u : (unsigned)i * 2);
			assert_true(pr_desc_flags(&t.dq, (uint16_t)head) & PR_F_AVAIL);
			pr_process(&t.dq);
			assert_int_equal(t.dq.nheld, (unsigned)i + 1);
		}
		assert_int_equal(vqp_in_flight(&f.q), 3);
		assert_int_equal(t.notifies, 0);
		kick(&f);
		assert_int_equal(t.notifies, 1);
		assert_int_equal(t.dq.requests, 3);
		while (t.dq.nheld)
			pr_complete(&t.dq, 0);
		assert_int_equal(drain(&f), 3);
		/* on across the end of the ring, into lap 2 (AVAIL/USED
		 * bits swapped): direct chains at 0-1, 2-3, then 4-0 (it
		 * wraps), indirect ones at 3, 4, then 0 */
		for (int i = 0; i < 3; i++) {
			assert_int_equal(add_pair(&f, 1, 8, &f.tok[i]), 0);
			pr_process(&t.dq);
			assert_int_equal(t.dq.nheld, 1);
			pr_complete(&t.dq, 0);
			assert_int_equal(drain(&f), 1);
		}
		assert_int_equal(t.notifies, 1);
		down(&f);
	}
}

static void sizes(void **state)
{
	(void)state;
	const uint16_t max[] = { 1, 2, 3, 100, 32768 };
	for (unsigned k = 0; k < 5; k++) {
		struct fx f;
		up(&f, max[k], B(VIRTIO_F_EVENT_IDX), 0);
		assert_int_equal(f.q.size, max[k]);
		unsigned n = max[k] < 4 ? 66000 : 300;
		for (unsigned i = 0; i < n; i++) {
			struct virtio_buf one = { f.in, 8 };
			assert_int_equal(vqp_add(&f.q, &one, 0, 1, &f.tok[0]), 0);
			kick(&f);
			void *tk;
			uint32_t len;
			assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
			assert_int_equal(len, 0);
		}
		assert_int_equal(t.dq.completed, n);
		down(&f);
	}
	/* a smaller size on request, and no queue at all */
	struct fx f;
	up(&f, 256, 0, 10);
	assert_int_equal(f.q.size, 10);
	assert_int_equal(t.dq.num, 10);
	down(&f);
	memset(&f, 0, sizeof(f));
	t.max = 0;
	f.vdev.ops = &t_ops;
	f.vdev.features = B(VIRTIO_F_VERSION_1) | B(VIRTIO_F_RING_PACKED);
	assert_int_equal(vqp_setup(&f.vdev, &f.q, 0, 0), VIRTIO_ENOQUEUE);
	t.max = 8;
	virtio_host_dma_fail_next(1);
	assert_int_equal(vqp_setup(&f.vdev, &f.q, 0, 0), VIRTIO_ENOMEM);
	virtio_host_dma_fail_next(0);
	vqp_destroy(&f.q);
}

static void reset_reclaims_tokens(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, B(VIRTIO_F_INDIRECT_DESC), 0);
	t.dq.defer = true;
	for (int i = 0; i < 5; i++)
		assert_int_equal(add_pair(&f, 1, 8, &f.tok[i]), 0);
	struct virtio_buf one = { f.in, 8 };
	assert_int_equal(vqp_add(&f.q, &one, 0, 1, &f.tok[5]), 0);
	assert_int_equal(vqp_in_flight(&f.q), 6);
	kick(&f);
	pr_complete(&t.dq, 0); /* completed, not taken */
	unsigned seen = 0, count = 0;
	void *tk;
	while ((tk = vqp_detach_unused(&f.q)) != NULL) {
		int i = (int)((int *)tk - f.tok);
		assert_true(i >= 0 && i < 6);
		assert_false(seen & (1u << i));
		seen |= 1u << i;
		count++;
		assert_int_equal(vqp_in_flight(&f.q), 6 - count);
	}
	assert_int_equal(count, 6);
	assert_int_equal(vqp_num_free(&f.q), 0); /* refuses work until reset */
	/* back in service: the device starts again at position 0, lap 1 */
	assert_int_equal(vqp_reset(&f.q), 0);
	assert_int_equal(vqp_num_free(&f.q), 8);
	assert_int_equal(t.enables, 2);
	t.dq.defer = false;
	assert_int_equal(add_pair(&f, 3, 8, &f.tok[0]), 0);
	kick(&f);
	uint32_t len;
	assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
	assert_ptr_equal(tk, &f.tok[0]);
	assert_int_equal(len, 3);
	down(&f);
}

/* ---- event suppression (2.8.10) ---- */

static void kick_suppression_modes(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, B(VIRTIO_F_EVENT_IDX), 0);
	/* DISABLE: no kick */
	pr_set_device_event(&t.dq, PR_EV_DISABLE, 0);
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[0]), 0);
	kick(&f);
	assert_int_equal(t.notifies, 0);
	pr_process(&t.dq); /* the device polls anyway */
	assert_int_equal(drain(&f), 1);
	/* ENABLE: every kick */
	pr_set_device_event(&t.dq, PR_EV_ENABLE, 0);
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[0]), 0);
	kick(&f);
	assert_int_equal(t.notifies, 1);
	assert_int_equal(drain(&f), 1);
	/* DESC: only once position 4+6=10 -> lap 2 position 2 is passed.
	 * Each chain takes 2 descriptors; we are at position 4, lap 1. */
	assert_int_equal(f.q.avail - f.q.ring, 4);
	pr_set_device_event(&t.dq, PR_EV_DESC, 2); /* wrap bit 0 = lap 2 */
	int kicks_before = (int)t.notifies;
	for (int i = 0; i < 3; i++) { /* publish 4..5, 6..7, then 0..1 of lap 2 */
		assert_int_equal(add_pair(&f, 1, 8, &f.tok[i]), 0);
		kick(&f);
		assert_int_equal(t.notifies, kicks_before);
		pr_process(&t.dq);
		assert_int_equal(drain(&f), 1);
	}
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[0]), 0); /* 2..3: crosses */
	kick(&f);
	assert_int_equal(t.notifies, kicks_before + 1);
	assert_int_equal(drain(&f), 1);
	/* DESC naming the previous lap: already passed, no kick */
	pr_set_device_event(&t.dq, PR_EV_DESC, 0x8000 | 6);
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[0]), 0);
	kick(&f);
	assert_int_equal(t.notifies, kicks_before + 1);
	pr_process(&t.dq);
	assert_int_equal(drain(&f), 1);
	/* the device following along (avail position it wants next): a
	 * kick for each batch, one for several chains */
	t.dq.freeze_event = false;
	pr_process(&t.dq);
	for (int i = 0; i < 3; i++)
		assert_int_equal(add_pair(&f, 1, 8, &f.tok[i]), 0);
	kick(&f);
	assert_int_equal(t.notifies, kicks_before + 2);
	assert_int_equal(drain(&f), 3);
	down(&f);
}

/*
 * kick_prepare against the spec (2.8.10, 2.8.21.3): with random device
 * event structures (any mode, any offset and wrap bit, reserved flag bits
 * sometimes) kept for many batches while the driver's laps go by (the
 * runtime caches a descriptor-specific request and moves it at each lap),
 * the answer is "a descriptor of this batch is the one named" in DESC
 * mode with EVENT_IDX, "anything added" in ENABLE (and DESC without
 * EVENT_IDX, and the reserved mode 3), "no" in DISABLE (an offset
 * beyond the ring names nothing: either answer). The reference counts
 * descriptors: descriptor k of the queue's life sits at position
 * k % size of a lap whose wrap counter is 1 for even laps.
 */
static void kick_matches_spec(void **state)
{
	(void)state;
	static const uint16_t sizes[] = { 1, 2, 5, 8, 13, 64 };
	uint32_t seed = 12345;
	for (unsigned e = 0; e < 2; e++) {
		for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			struct fx f;
			uint32_t n = sizes[s];
			up(&f, sizes[s], e ? B(VIRTIO_F_EVENT_IDX) : 0, 0);
			assert_int_equal(f.q.size, n);
			uint64_t total = 0; /* descriptors added in the queue's life */
			uint16_t mode = 0, off_wrap = 0;
			unsigned kicks = 0, expected = 0;
			for (unsigned step = 0; step < 4000; step++) {
				seed = seed * 1103515245u + 12345u;
				uint32_t r = seed >> 8;
				if (step == 0 || r % 16 == 0) {
					mode = (uint16_t)(r >> 4 & 3);
					off_wrap = (uint16_t)((r >> 6) % (n + 2) |
							      (r >> 12 & 1) << 15);
					pr_set_device_event(&t.dq, (uint16_t)(mode |
						(r >> 13 & 1) << 8), off_wrap);
				}
				uint64_t first = total;
				unsigned chains = (r >> 14) % 4;
				for (unsigned c = 0; c < chains; c++) {
					unsigned nd = n > 1 && (r >> (16 + c)) & 1 ? 2 : 1;
					if (total - first + nd > n)
						break;
					struct virtio_buf one = { f.in, 8 };
					int rc = nd == 2
						 ? add_pair(&f, 1, 8, &f.tok[c])
						 : vqp_add(&f.q, &one, 0, 1, &f.tok[c]);
					assert_int_equal(rc, 0);
					total += nd;
				}
				bool want;
				if (mode == VRING_PACKED_EVENT_FLAG_DISABLE) {
					want = false;
				} else if (mode == VRING_PACKED_EVENT_FLAG_DESC && e) {
					want = false;
					for (uint64_t k = first; k < total; k++)
						if (k % n == (off_wrap & 0x7fffu) &&
						    (k / n % 2 == 0) == !!(off_wrap >> 15))
							want = true;
				} else {
					want = total != first;
				}
				bool got = vqp_kick_prepare(&f.q);
				/* an offset outside the ring names nothing:
				 * either answer will do */
				if (!(mode == VRING_PACKED_EVENT_FLAG_DESC && e &&
				      (off_wrap & 0x7fffu) >= n)) {
					assert_int_equal(got, want);
					expected += want;
					kicks += got;
				}
				pr_process(&t.dq); /* the device polls: no kick needed */
				(void)drain(&f);
				assert_int_equal(vqp_num_free(&f.q), n);
			}
			assert_int_equal(kicks, expected);
			down(&f);
		}
	}
}

static void desc_mode_needs_event_idx(void **state)
{
	(void)state;
	/* without EVENT_IDX a DESC request cannot be honoured: kick */
	struct fx f;
	up(&f, 8, 0, 0);
	pr_set_device_event(&t.dq, PR_EV_DESC, 7);
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[0]), 0);
	kick(&f);
	assert_int_equal(t.notifies, 1);
	/* reserved value 3: kick too */
	pr_set_device_event(&t.dq, 3, 0);
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[1]), 0);
	kick(&f);
	assert_int_equal(t.notifies, 2);
	assert_int_equal(drain(&f), 2);
	down(&f);
}

static void interrupts_follow_callbacks(bool event_idx)
{
	struct fx f;
	up(&f, 16, event_idx ? B(VIRTIO_F_EVENT_IDX) : 0, 0);
	t.dq.defer = true;
	assert_int_equal(pr_driver_event_flags(&t.dq),
			 event_idx ? PR_EV_DESC : PR_EV_ENABLE);
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[0]), 0);
	kick(&f);
	pr_complete(&t.dq, 0);
	assert_int_equal(t.dq.interrupts, 1);
	assert_int_equal(drain(&f), 1);
	if (event_idx) /* next used descriptor: position 2, lap 1 */
		assert_int_equal(pr_driver_event_off_wrap(&t.dq), 0x8000 | 2);

	/* disabled: no interrupts */
	vqp_disable_cb(&f.q);
	assert_int_equal(pr_driver_event_flags(&t.dq), PR_EV_DISABLE);
	for (int i = 0; i < 6; i++)
		assert_int_equal(add_pair(&f, 1, 8, &f.tok[i]), 0);
	kick(&f);
	for (int i = 0; i < 6; i++)
		pr_complete(&t.dq, 0);
	assert_int_equal(t.dq.interrupts, 1);
	/* enabling with completions pending reports them */
	assert_false(vqp_enable_cb(&f.q));
	assert_int_equal(drain(&f), 6);
	assert_true(vqp_enable_cb(&f.q));
	assert_int_equal(pr_driver_event_flags(&t.dq),
			 event_idx ? PR_EV_DESC : PR_EV_ENABLE);
	if (event_idx) /* 14 descriptors used: position 14, lap 1 */
		assert_int_equal(pr_driver_event_off_wrap(&t.dq), 0x8000 | 14);
	/* enabled again: the next completion interrupts (it crosses the
	 * end of the ring: lap 2 for the following one) */
	assert_int_equal(add_pair(&f, 1, 8, &f.tok[0]), 0);
	kick(&f);
	pr_complete(&t.dq, 0);
	assert_int_equal(t.dq.interrupts, 2);
	assert_int_equal(drain(&f), 1);
	if (event_idx)
		assert_int_equal(pr_driver_event_off_wrap(&t.dq), 0);
	/* several completions before the driver looks: with EVENT_IDX one
	 * interrupt, without it one each */
	for (int i = 0; i < 4; i++)
		assert_int_equal(add_pair(&f, 1, 8, &f.tok[i]), 0);
	kick(&f);
	for (int i = 0; i < 4; i++)
		pr_complete(&t.dq, 0);
	assert_int_equal(t.dq.interrupts, event_idx ? 3 : 6);
	assert_int_equal(drain(&f), 4);
	down(&f);
}

static void interrupts_event_idx(void **state)
{
	(void)state;
	interrupts_follow_callbacks(true);
}

static void interrupts_no_event_idx(void **state)
{
	(void)state;
	interrupts_follow_callbacks(false);
}

/* ---- hostile device ---- */

static void assert_broken(struct fx *f, int err)
{
	assert_int_equal(f->q.broken, err);
	void *tk = NULL;
	uint32_t len = 0;
	assert_int_equal(vqp_get(&f->q, &tk, &len), VIRTIO_EBROKEN);
	assert_null(tk);
	struct virtio_buf v = { f->in, 4 };
	assert_int_equal(vqp_add(&f->q, &v, 0, 1, &f->tok[63]), VIRTIO_EBROKEN);
	assert_false(vqp_kick_prepare(&f->q));
	assert_false(vqp_enable_cb(&f->q));
	vqp_disable_cb(&f->q);
}

static void expect_get_error(struct fx *f, int err)
{
	void *tk = NULL;
	uint32_t len = 0xdead;
	uint64_t before = t.dq.completed;
	assert_int_equal(vqp_get(&f->q, &tk, &len), err);
	assert_null(tk);
	assert_int_equal(len, 0xdead);
	/* nothing more is read from or written to the ring */
	uint8_t snap[16 * 8];
	memcpy(snap, virtio_port_phys_to_virt(t.dq.desc_addr), sizeof(snap));
	assert_broken(f, err);
	assert_memory_equal(snap, virtio_port_phys_to_virt(t.dq.desc_addr),
			    sizeof(snap));
	(void)before;
}

static void recover(struct fx *f)
{
	while (vqp_detach_unused(&f->q))
		;
	assert_int_equal(vqp_num_free(&f->q), 0); /* broken: refuses work */
	assert_int_equal(vqp_in_flight(&f->q), 0);
	bool ind = f->q.indirect != NULL || f->q.indirect_pool != NULL;
	(void)ind;
	assert_int_equal(vqp_reset(&f->q), 0);
	assert_int_equal(f->q.broken, 0);
	assert_int_equal(vqp_num_free(&f->q), f->q.size);
	t.dq.defer = false;
	assert_int_equal(add_pair(f, 4, 8, &f->tok[0]), 0);
	kick(f);
	void *tk;
	uint32_t len;
	assert_int_equal(vqp_get(&f->q, &tk, &len), 1);
	assert_ptr_equal(tk, &f->tok[0]);
	assert_int_equal(len, 4);
}

static void hostile_case(enum pr_hostile mode, uint32_t param, uint64_t feat,
			 int err)
{
	struct fx f;
	up(&f, 8, feat, 0);
	t.dq.defer = true;
	t.dq.quiet = true;
	assert_int_equal(add_pair(&f, 4, 8, &f.tok[0]), 0);
	assert_int_equal(add_pair(&f, 4, 8, &f.tok[1]), 0);
	kick(&f);
	t.dq.hostile = mode;
	t.dq.hostile_param = param;
	pr_complete(&t.dq, 0);
	if (mode == PR_HOSTILE_ID_TWICE) {
		void *tk;
		uint32_t len;
		assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
		assert_ptr_equal(tk, &f.tok[0]);
	}
	expect_get_error(&f, err);
	for (int i = 8; i < 16; i++) /* nothing beyond the writable 8 bytes */
		assert_int_equal(f.in[i], 0xcc);
	recover(&f);
	down(&f);
}

static void used_id_out_of_range(void **state)
{
	(void)state;
	const uint32_t params[] = { 0, 1, 0xffff - 8, 100 };
	for (unsigned k = 0; k < 4; k++)
		hostile_case(PR_HOSTILE_ID_OUT_OF_RANGE, params[k], 0, VIRTIO_EUSEDID);
}

static void used_id_not_in_flight(void **state)
{
	(void)state;
	hostile_case(PR_HOSTILE_ID_NOT_IN_FLIGHT, 0, 0, VIRTIO_EUSEDNOTINFLIGHT);
	hostile_case(PR_HOSTILE_ID_NOT_IN_FLIGHT, 0, B(VIRTIO_F_INDIRECT_DESC),
		     VIRTIO_EUSEDNOTINFLIGHT);
}

static void used_id_completed_twice(void **state)
{
	(void)state;
	hostile_case(PR_HOSTILE_ID_TWICE, 0, 0, VIRTIO_EUSEDNOTINFLIGHT);
	hostile_case(PR_HOSTILE_ID_TWICE, 0, B(VIRTIO_F_INDIRECT_DESC),
		     VIRTIO_EUSEDNOTINFLIGHT);
}

static void used_len_above_writable(void **state)
{
	(void)state;
	const uint32_t params[] = { 0, 1, 4096 };
	for (int ind = 0; ind <= 1; ind++)
		for (unsigned k = 0; k < 3; k++)
			hostile_case(PR_HOSTILE_LEN_TOO_BIG, params[k],
				     ind ? B(VIRTIO_F_INDIRECT_DESC) : 0,
				     VIRTIO_EUSEDLEN);
}

static void used_flags_with_wrong_wrap(void **state)
{
	(void)state;
	hostile_case(PR_HOSTILE_WRONG_WRAP, 0, 0, VIRTIO_EUSEDIDX);
	hostile_case(PR_HOSTILE_HALF_USED, 0, 0, VIRTIO_EUSEDIDX);
}

static void used_len_on_readonly_chain(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, 0, 0);
	t.dq.defer = true;
	struct virtio_buf v = { f.out, 4 };
	assert_int_equal(vqp_add(&f.q, &v, 1, 0, &f.tok[0]), 0);
	kick(&f);
	t.dq.hostile = PR_HOSTILE_LEN_TOO_BIG;
	t.dq.hostile_param = 1; /* 1 byte "written", WRITE set */
	pr_complete(&t.dq, 0);
	expect_get_error(&f, VIRTIO_EUSEDLEN);
	recover(&f);
	down(&f);
}

static void len_without_write_flag(void **state)
{
	(void)state;
	/* 2.8.4: without WRITE, len is reserved and ignored by drivers: a
	 * value beyond the writable bytes reads as 0, not as an error */
	const uint32_t bad[] = { 0xffffffffu, 9, 4096 };
	struct fx f;
	up(&f, 8, 0, 0);
	t.dq.defer = true;
	for (unsigned k = 0; k < 3; k++) {
		assert_int_equal(add_pair(&f, 4, 8, &f.tok[k]), 0);
		kick(&f);
		t.dq.hostile = PR_HOSTILE_LEN_NO_WRITE;
		t.dq.hostile_param = bad[k];
		pr_complete(&t.dq, 0);
		void *tk;
		uint32_t len = 77;
		assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
		assert_ptr_equal(tk, &f.tok[k]);
		assert_int_equal(len, 0);
	}
	/* QEMU 7.2 leaves WRITE out of every used descriptor but puts the
	 * real length in: one that fits is taken */
	t.dq.no_write_flag = true;
	t.dq.defer = false;
	for (uint32_t n = 1; n <= 8; n++) {
		memset(f.out, (int)n, 8);
		assert_int_equal(add_pair(&f, n, 8, &f.tok[0]), 0);
		kick(&f);
		void *tk;
		uint32_t len = 77;
		assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
		assert_int_equal(len, n);
		assert_int_equal(f.in[n - 1], n);
	}
	down(&f);
}

static void used_without_available(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, 0, 0);
	t.dq.quiet = true;
	/* nothing made available: a used descriptor at position 0, lap 1 */
	pr_push_used(&t.dq, 0, 0, PR_F_AVAIL | PR_F_USED, 1);
	expect_get_error(&f, VIRTIO_EUSEDIDX);
	recover(&f);
	/* one chain in flight, two used descriptors */
	t.dq.defer = true;
	assert_int_equal(add_pair(&f, 4, 8, &f.tok[1]), 0);
	kick(&f);
	pr_complete(&t.dq, 0);
	pr_push_used(&t.dq, 1, 0, t.dq.used_wrap ? PR_F_AVAIL | PR_F_USED : 0, 2);
	void *tk;
	uint32_t len;
	assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
	expect_get_error(&f, VIRTIO_EUSEDIDX);
	recover(&f);
	down(&f);
}

/* A chain added but not kicked is the device's already: a used
 * descriptor for it is accepted (it was an error when chains waited for
 * the kick); one for an id never added is not. */
static void used_id_of_unkicked_chain(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, 0, 0);
	t.dq.defer = true;
	t.dq.quiet = true;
	assert_int_equal(add_pair(&f, 4, 8, &f.tok[0]), 0);
	kick(&f);
	assert_int_equal(add_pair(&f, 4, 8, &f.tok[1]), 0); /* not kicked */
	uint16_t id0 = pr_desc_id(&t.dq, 0), id1 = pr_desc_id(&t.dq, 2);
	assert_int_not_equal(id0, id1);
	/* the device completes the second first, without a kick for it */
	pr_push_used(&t.dq, id1, 3, PR_F_AVAIL | PR_F_USED | PR_F_WRITE, 2);
	void *tk = NULL;
	uint32_t len = 0;
	assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
	assert_ptr_equal(tk, &f.tok[1]);
	assert_int_equal(len, 3);
	assert_int_equal(vqp_in_flight(&f.q), 1);
	/* then an id that was never added */
	uint16_t never = 0;
	while (never == id0 || never == id1)
		never++;
	pr_push_used(&t.dq, never, 0, PR_F_AVAIL | PR_F_USED, 2);
	expect_get_error(&f, VIRTIO_EUSEDNOTINFLIGHT);
	recover(&f);
	down(&f);
}

/* The device may write all of the queue's shared memory; the private
 * state (tokens, lengths, free lists) is elsewhere. */
static void device_writes_rest_of_queue_memory(void **state)
{
	(void)state;
	struct fx f;
	up(&f, 8, B(VIRTIO_F_INDIRECT_DESC) | B(VIRTIO_F_EVENT_IDX), 0);
	t.dq.defer = true;
	assert_int_equal(add_pair(&f, 4, 8, &f.tok[0]), 0);
	kick(&f);
	uint64_t start, size;
	assert_true(virtio_host_dma_find(t.dq.desc_addr, &start, &size));
	uint64_t from = t.dq.desc_addr + 16u * 8;
	memset(virtio_port_phys_to_virt(from), 0x41, (size_t)(start + size - from));
	pr_complete(&t.dq, 0);
	void *tk = NULL;
	uint32_t len = 0;
	assert_int_equal(vqp_get(&f.q, &tk, &len), 1);
	assert_ptr_equal(tk, &f.tok[0]);
	assert_int_equal(len, 4);
	/* the scribbled event structure: flags 0x4141 & 3 = DISABLE */
	t.dq.freeze_event = true;
	assert_int_equal(add_pair(&f, 4, 8, &f.tok[1]), 0);
	assert_false(vqp_kick_prepare(&f.q));
	down(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(wraps_many_laps, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(out_of_order_ids, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(random_soak, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(full_queue_and_arguments, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(indirect_tables, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(no_indirect_unless_negotiated, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(visible_at_add, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(sizes, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(reset_reclaims_tokens, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(kick_suppression_modes, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(kick_matches_spec, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(desc_mode_needs_event_idx, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(interrupts_event_idx, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(interrupts_no_event_idx, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_id_out_of_range, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_id_not_in_flight, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_id_completed_twice, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_len_above_writable, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_flags_with_wrong_wrap, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_len_on_readonly_chain, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(len_without_write_flag, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_without_available, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(used_id_of_unkicked_chain, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(device_writes_rest_of_queue_memory, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
