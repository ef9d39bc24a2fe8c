/*
 * virtio-blk benchmark, run instead of the self-tests on a blk device
 * whose serial (GET_ID) is "bench" (tests/qemu/blk_bench.py sets one up).
 *
 * Sequential writes, then reads, of 8 MiB in 4 KiB requests and 64 MiB in
 * 64 KiB ones, with 1 and BENCH_DEPTH requests in flight (the latter also
 * batched: refills between plug and unplug, one notification per batch),
 * with and without VIRTIO_F_EVENT_IDX, BENCH_ROUNDS times after a warm-up
 * pass. Prints one line per run:
 *   BENCH blk round=<n> op=<write|read> req_kib=<n> depth=<n> batch=<0|1>
 *         event_idx=<0|1> mib=<n> us=<n> mib_s=<n.n> kicks_per_100req=<n>
 *         max_inflight=<n>
 * and BENCH-END ok|fail. Polling only (no interrupts), like the driver.
 */
#include <virtio/drivers/blk.h>

#include "selftest.h"

/* MiB per run: 8 with 4 KiB requests, 64 with 64 KiB ones (each run a
 * few tens of milliseconds or more, so timer and scheduling noise stay small). */
#define BENCH_MIB_SMALL 8u
#define BENCH_MIB 64u
#define BENCH_DEPTH VIRTIO_BLK_MAX_INFLIGHT
#define BENCH_MAX_REQ (64u * 1024u)
#define BENCH_ROUNDS 5u

struct bench_state {
	unsigned done;
	int error;
};

static void bench_done(void *ctx, int result)
{
	struct bench_state *st = ctx;

	st->done++;
	if (result && !st->error)
		st->error = result;
}

/* One sequential pass; false on any error (printed). */
static bool bench_pass(struct virtio_blk *blk, uint8_t *buf, bool write,
		       uint32_t req_bytes, unsigned depth, bool batch, bool event_idx,
		       int round)
{
	const uint32_t sectors = req_bytes / VIRTIO_BLK_SECTOR_SIZE;
	const uint32_t mib = req_bytes < BENCH_MAX_REQ ? BENCH_MIB_SMALL : BENCH_MIB;
	const unsigned total = mib * 1024u * 1024u / req_bytes;
	struct bench_state st = { 0, 0 };
	uint64_t kicks0 = blk->stats.kicks, req0 = blk->stats.requests;
	unsigned submitted = 0;
	uint64_t t0, us;
	int rc = 0;

	virtio_blk_set_depth(blk, depth);
	blk->stats.max_inflight = 0;
	t0 = board_time_us();
	while (st.done < total && !st.error) {
		if (batch)
			virtio_blk_plug(blk);
		while (submitted < total && virtio_blk_inflight(blk) < depth) {
			/* Requests in flight use distinct parts of buf. */
			uint8_t *p = buf + (submitted % BENCH_DEPTH) * BENCH_MAX_REQ;

			rc = virtio_blk_submit(blk, write ? VIRTIO_BLK_OP_WRITE : VIRTIO_BLK_OP_READ,
					       (uint64_t)submitted * sectors, p, sectors,
					       bench_done, &st);
			if (rc)
				break;
			submitted++;
		}
		if (batch)
			virtio_blk_unplug(blk);
		if (rc && rc != VIRTIO_ENOSPC)
			break;
		rc = virtio_blk_poll(blk);
		if (rc < 0)
			break;
		rc = 0;
	}
	if (!rc)
		rc = virtio_blk_drain(blk);
	us = board_time_us() - t0;
	if (rc || st.error) {
		board_printf("BENCH blk op=%s req_kib=%u depth=%u event_idx=%u error=%d/%d\n",
			     write ? "write" : "read", (unsigned)(req_bytes / 1024), depth,
			     event_idx ? 1u : 0u, rc, st.error);
		return false;
	}
	if (round < 0)
		return true; /* warm-up: not printed */
	if (us == 0)
		us = 1;
	uint64_t tenths = (uint64_t)mib * 10u * 1000000u / us;
	uint64_t reqs = blk->stats.requests - req0;
	board_printf("BENCH blk round=%d op=%s req_kib=%u depth=%u batch=%u event_idx=%u"
		     " mib=%u us=%llu mib_s=%llu.%llu kicks_per_100req=%llu max_inflight=%u\n",
		     round, write ? "write" : "read", (unsigned)(req_bytes / 1024), depth,
		     batch ? 1u : 0u, event_idx ? 1u : 0u, (unsigned)mib, (unsigned long long)us,
		     (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10),
		     (unsigned long long)((blk->stats.kicks - kicks0) * 100u / (reqs ? reqs : 1)),
		     blk->stats.max_inflight);
	return true;
}

bool blk_bench_run(struct virtio_blk *blk, struct virtio_device *dev);

/* Runs every combination; re-initialises the device to switch EVENT_IDX.
 * Returns false if any run failed. */
bool blk_bench_run(struct virtio_blk *blk, struct virtio_device *dev)
{
	static const uint32_t sizes[] = { 4096u, BENCH_MAX_REQ };
	/* depth, batched */
	static const struct { unsigned depth; bool batch; } modes[] = {
		{ 1u, false }, { BENCH_DEPTH, false }, { BENCH_DEPTH, true },
	};
	uint8_t *buf = virtio_port_dma_alloc(BENCH_DEPTH * BENCH_MAX_REQ, 4096);
	bool ok = buf != NULL;

	if (blk->capacity < BENCH_MIB * 2048u) {
		board_printf("BENCH blk capacity %llu sectors < %u MiB\n",
			     (unsigned long long)blk->capacity, BENCH_MIB);
		ok = false;
	}
	for (unsigned n = 0; ok && n < 2 * BENCH_ROUNDS; n++) {
		bool event_idx = n % 2 == 0; /* alternate: drift hits both */
		int round = (int)(n / 2);
		int rc;

		virtio_blk_destroy(blk);
		rc = virtio_blk_init_refuse(blk, dev,
					    event_idx ? 0 : 1ull << VIRTIO_F_EVENT_IDX);
		if (rc || virtio_blk_has(blk, VIRTIO_F_EVENT_IDX) != event_idx) {
			board_printf("BENCH blk init event_idx=%u: %d\n", event_idx ? 1u : 0u, rc);
			ok = false;
			break;
		}
		/* warm-up: every block of the area written once */
		ok = bench_pass(blk, buf, true, BENCH_MAX_REQ, BENCH_DEPTH, false, event_idx, -1);
		for (unsigned s = 0; ok && s < 2; s++)
			for (unsigned m = 0; ok && m < 3; m++)
				ok = bench_pass(blk, buf, true, sizes[s], modes[m].depth,
						modes[m].batch, event_idx, round) &&
				     bench_pass(blk, buf, false, sizes[s], modes[m].depth,
						modes[m].batch, event_idx, round);
	}
	board_printf("BENCH-END %s\n", ok ? "ok" : "fail");
	return ok;
}
