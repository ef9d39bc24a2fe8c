/*
 * Self-tests of the virtio-blk driver.
 *
 * blk tests, per device (blk<i> = i-th blk device by slot):
 *   read-host-data  reads sectors the harness filled before boot (a NOTE
 *                   line instead on a blank disk, e.g. a run by hand)
 *   persist         (second boot on the same image) the sectors an earlier
 *                   boot's rw-roundtrip wrote hold its pattern (a NOTE
 *                   line instead when they are blank: a first boot)
 *   rw-roundtrip    writes a pattern, flushes, reads it back, compares
 *   get-id          GET_ID answered; the serial is on the BLK line
 *   write-zeroes    (WRITE_ZEROES negotiated, writable) zeroes 16 sectors
 *                   inside a pattern: they read 0, their neighbours not
 *   discard         (DISCARD negotiated, writable) discards 16 sectors;
 *                   the sectors around them keep their data
 *   inflight        8 asynchronous writes in flight at once, drained,
 *                   read back and compared
 *   ro-reject       the driver refuses writes, discards and write-zeroes
 *                   (read-only device)
 *   range-check     a read at sector == capacity fails cleanly
 *   unaligned       (block size > 512 only) a request not aligned to the
 *                   block size fails cleanly and the device keeps working
 *   independent     with >= 2 writable blk devices that all wrote the same
 *                   sectors, each still reads its own pattern
 *   reinit          reset, bring the device up again, the sectors of
 *                   read-host-data read the same
 */
#include <virtio/drivers/blk.h>

#include "selftest.h"

/* selftest_blk_bench.c: run on a device whose serial is "bench". */
bool blk_bench_run(struct virtio_blk *blk, struct virtio_device *dev);

/* The most blk devices the firmware tests at once. */
#define MAX_BLK 32

/* The blk round trip: sectors [BLK_TEST_SECTOR, +BLK_TEST_COUNT). */
#define BLK_TEST_SECTOR 16u
#define BLK_TEST_COUNT 8u
#define BLK_SEED_BASE 0x5eed0000u
/* The harness fills sectors [BLK_HOST_SECTOR, +BLK_TEST_COUNT) of every
 * image with the pattern of seed BLK_HOST_SEED_BASE + slot before boot. */
#define BLK_HOST_SECTOR 32u
#define BLK_HOST_SEED_BASE 0x40570000u

struct blk_slot {
	struct virtio_device dev;
	struct virtio_blk blk;
	unsigned slot;
	uint32_t seed;
	bool ready;
	bool wrote; /* rw-roundtrip passed: the pattern is on the disk */
	bool host_read; /* host_hash holds the hash of the host sectors */
	uint64_t host_hash;
	int id_rc;      /* virtio_blk_get_id at attach */
	char serial[VIRTIO_BLK_ID_BYTES + 1];
};

static struct blk_slot blks[MAX_BLK];
static unsigned n_blk;
static uint8_t *blk_buf; /* BLK_TEST_COUNT sectors, device-reachable */
/* Discard / write-zeroes / in-flight tests: sectors [BLK_BIG_SECTOR, +64),
 * whole 4096-byte blocks. */
#define BLK_BIG_SECTOR 64u
#define BLK_BIG_COUNT 64u
static uint8_t *blk_big; /* BLK_BIG_COUNT sectors */

/* Word j of sector s: the same formula as pattern_sector() in harness.py. */
static uint32_t pattern_word(uint32_t seed, uint32_t sector, uint32_t j)
{
	return seed * 0x9E3779B1u + sector * 0x85EBCA77u + j * 0xC2B2AE3Du;
}

static uint32_t le32_at(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The data describes itself: the seed of a pattern sector follows from
 * its first word (0xE8B2F51 is the inverse of 0x9E3779B1 modulo 2^32);
 * the next 15 words confirm it. false: not a pattern (foreign data). */
static bool pattern_seed(const uint8_t *sector_data, uint32_t sector, uint32_t *seed)
{
	uint32_t s = (le32_at(sector_data) - sector * 0x85EBCA77u) * 0xE8B2F51u;

	for (uint32_t j = 1; j < 16; j++)
		if (le32_at(sector_data + 4 * j) != pattern_word(s, sector, j))
			return false;
	*seed = s;
	return true;
}

static void pattern_fill(uint8_t *buf, uint32_t seed, uint32_t first, uint32_t count)
{
	for (uint32_t s = 0; s < count; s++) {
		for (uint32_t j = 0; j < VIRTIO_BLK_SECTOR_SIZE / 4; j++) {
			uint32_t w = pattern_word(seed, first + s, j);
			uint8_t *p = buf + s * VIRTIO_BLK_SECTOR_SIZE + j * 4;

			/* Little-endian on disk whatever the CPU. */
			p[0] = (uint8_t)w;
			p[1] = (uint8_t)(w >> 8);
			p[2] = (uint8_t)(w >> 16);
			p[3] = (uint8_t)(w >> 24);
		}
	}
}

/* Index of the first byte that differs from the pattern, or -1. */
static long pattern_check(const uint8_t *buf, uint32_t seed, uint32_t first,
			  uint32_t count)
{
	for (uint32_t s = 0; s < count; s++) {
		for (uint32_t j = 0; j < VIRTIO_BLK_SECTOR_SIZE / 4; j++) {
			uint32_t w = pattern_word(seed, first + s, j);
			const uint8_t *p = buf + s * VIRTIO_BLK_SECTOR_SIZE + j * 4;

			for (unsigned b = 0; b < 4; b++)
				if (p[b] != (uint8_t)(w >> (8 * b)))
					return (long)(s * VIRTIO_BLK_SECTOR_SIZE + j * 4 + b);
		}
	}
	return -1;
}

static void blk_fill(uint8_t *buf, uint8_t v, size_t n)
{
	while (n--)
		*buf++ = v;
}

static void blk_roundtrip(unsigned i)
{
	struct blk_slot *b = &blks[i];
	const size_t bytes = BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE;
	int rc;
	long bad;

	if (b->blk.capacity < BLK_TEST_SECTOR + BLK_TEST_COUNT) {
		selftest_result("blk", i, "rw-roundtrip", false, "capacity %llu sectors too small",
		       (unsigned long long)b->blk.capacity);
		return;
	}
	pattern_fill(blk_buf, b->seed, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	rc = virtio_blk_write(&b->blk, BLK_TEST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (rc != 0) {
		selftest_result("blk", i, "rw-roundtrip", false, "write: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	rc = virtio_blk_flush(&b->blk);
	if (rc != 0) {
		selftest_result("blk", i, "rw-roundtrip", false, "flush: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	blk_fill(blk_buf, 0xa5, bytes); /* so a read that does nothing shows */
	rc = virtio_blk_read(&b->blk, BLK_TEST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (rc != 0) {
		selftest_result("blk", i, "rw-roundtrip", false, "read: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	bad = pattern_check(blk_buf, b->seed, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	if (bad >= 0) {
		selftest_result("blk", i, "rw-roundtrip", false, "data differs at byte %ld of %u sectors",
		       bad, BLK_TEST_COUNT);
		return;
	}
	b->wrote = true;
	board_printf("PATTERN blk%u slot=%u sector=%u count=%u seed=0x%08x\n", i,
		     b->slot, BLK_TEST_SECTOR, BLK_TEST_COUNT, (unsigned)b->seed);
	selftest_result("blk", i, "rw-roundtrip", true, "%u sectors, %s", BLK_TEST_COUNT,
			virtio_blk_has(&b->blk, VIRTIO_BLK_F_FLUSH) ? "flushed"
				: "no FLUSH: write-through, nothing to flush");
}

/* FNV-1a over the test buffer: remembers what a read returned. */
static uint64_t blk_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static bool blk_all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* The harness wrote a pattern into the image before boot: reads must
 * return the disk's content, not just what this firmware wrote. On a
 * blank disk (a run by hand) there is nothing to compare: a NOTE instead
 * of a RESULT, which the harness counts as a missing result. */
static void blk_read_host_data(unsigned i)
{
	struct blk_slot *b = &blks[i];
	const size_t bytes = BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE;
	uint32_t seed = BLK_HOST_SEED_BASE + b->slot;
	int rc;
	long bad;

	blk_fill(blk_buf, 0xa5, bytes);
	rc = virtio_blk_read(&b->blk, BLK_HOST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (rc != 0) {
		selftest_result("blk", i, "read-host-data", false, "read: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	b->host_hash = blk_hash(blk_buf, bytes);
	b->host_read = true;
	if (blk_all_zero(blk_buf, bytes)) {
		board_printf("NOTE blk%u read-host-data not run: sectors %u..%u are blank"
			     " (the harness fills them)\n", i, BLK_HOST_SECTOR,
			     BLK_HOST_SECTOR + BLK_TEST_COUNT - 1);
		return;
	}
	bad = pattern_check(blk_buf, seed, BLK_HOST_SECTOR, BLK_TEST_COUNT);
	if (bad >= 0)
		selftest_result("blk", i, "read-host-data", false,
		       "sectors %u.. differ from the image at byte %ld", BLK_HOST_SECTOR, bad);
	else
		selftest_result("blk", i, "read-host-data", true, "%u sectors at %u match the image",
		       BLK_TEST_COUNT, BLK_HOST_SECTOR);
}

/* A read-only device: the driver refuses writes, and nothing reaches the disk. */
static void blk_ro_reject(unsigned i)
{
	struct blk_slot *b = &blks[i];
	int rc;

	int rc_d = VIRTIO_ERO, rc_z = VIRTIO_ERO;

	pattern_fill(blk_buf, b->seed, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	rc = virtio_blk_write(&b->blk, BLK_TEST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (virtio_blk_has(&b->blk, VIRTIO_BLK_F_DISCARD))
		rc_d = virtio_blk_discard(&b->blk, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	if (virtio_blk_has(&b->blk, VIRTIO_BLK_F_WRITE_ZEROES))
		rc_z = virtio_blk_write_zeroes(&b->blk, BLK_TEST_SECTOR, BLK_TEST_COUNT, false);
	selftest_result("blk", i, "ro-reject",
			rc == VIRTIO_ERO && rc_d == VIRTIO_ERO && rc_z == VIRTIO_ERO,
			"write -> %s (%d), discard -> %d, write-zeroes -> %d%s",
			virtio_strerror(rc), rc, rc_d, rc_z,
			virtio_blk_has(&b->blk, VIRTIO_BLK_F_DISCARD) ? "" : " (DISCARD not offered)");
}

static void blk_range_check(unsigned i)
{
	struct blk_slot *b = &blks[i];
	int rc = virtio_blk_read(&b->blk, b->blk.capacity, blk_buf, 1);

	selftest_result("blk", i, "range-check", rc < 0,
	       "read at sector %llu (= capacity) -> %s (%d)",
	       (unsigned long long)b->blk.capacity, virtio_strerror(rc), rc);
}

/* A device with blocks larger than a sector: a request not aligned to
 * them must fail cleanly (driver check or device error), and the device
 * must keep working afterwards. */
static void blk_unaligned(unsigned i)
{
	struct blk_slot *b = &blks[i];
	int rc = virtio_blk_read(&b->blk, 1, blk_buf, 1);
	int rc2;
	bool same;

	if (rc >= 0) {
		selftest_result("blk", i, "unaligned", false,
		       "1-sector read at sector 1 with %u-byte blocks succeeded",
		       (unsigned)b->blk.blk_size);
		return;
	}
	rc2 = virtio_blk_read(&b->blk, BLK_HOST_SECTOR, blk_buf, BLK_TEST_COUNT);
	same = rc2 == 0 && b->host_read &&
	       blk_hash(blk_buf, BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE) == b->host_hash;
	selftest_result("blk", i, "unaligned", same,
	       "1-sector read at sector 1 -> %s (%d); next read -> %s (%d)%s",
	       virtio_strerror(rc), rc, virtio_strerror(rc2), rc2,
	       rc2 == 0 && !same ? " but data differs" : "");
}

/* Resets the device, brings it up again, and reads the sectors that
 * read-host-data read: they must come back the same. */
static void blk_reinit(unsigned i)
{
	struct blk_slot *b = &blks[i];
	uint64_t capacity = b->blk.capacity;
	bool same;
	int rc;

	virtio_blk_destroy(&b->blk);
	rc = virtio_blk_init(&b->blk, &b->dev);
	if (rc != 0) {
		b->ready = false;
		selftest_result("blk", i, "reinit", false, "init again: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	blk_fill(blk_buf, 0xa5, BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE);
	rc = virtio_blk_read(&b->blk, BLK_HOST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (rc != 0) {
		selftest_result("blk", i, "reinit", false, "read: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	same = b->host_read &&
	       blk_hash(blk_buf, BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE) == b->host_hash;
	selftest_result("blk", i, "reinit", same && b->blk.capacity == capacity,
	       "reset + init again, capacity %llu, sectors %u.. read %s",
	       (unsigned long long)b->blk.capacity, BLK_HOST_SECTOR,
	       same ? "the same as before" : "differently");
}

/* After every writable blk device wrote its own pattern to the same
 * sectors, each must still read back its own. */
static void blk_independent(unsigned i, unsigned writers)
{
	struct blk_slot *b = &blks[i];
	int rc;
	long bad;

	blk_fill(blk_buf, 0xa5, BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE);
	rc = virtio_blk_read(&b->blk, BLK_TEST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (rc != 0) {
		selftest_result("blk", i, "independent", false, "read: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	bad = pattern_check(blk_buf, b->seed, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	if (bad >= 0)
		selftest_result("blk", i, "independent", false, "data differs at byte %ld", bad);
	else
		selftest_result("blk", i, "independent", true,
		       "own data intact after %u other blk devices wrote the same sectors",
		       writers - 1);
}

/* A second boot on the same image: the sectors rw-roundtrip wrote in an
 * earlier boot (any slot, any architecture: the seed is read from the
 * data) must still hold that pattern whole before this boot writes them
 * again. Blank sectors mean a first boot, other data a disk that is not
 * a test disk: a NOTE, no RESULT. */
static void blk_persist(unsigned i)
{
	struct blk_slot *b = &blks[i];
	const size_t bytes = BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE;
	uint32_t seed;
	int rc;
	long bad;

	blk_fill(blk_buf, 0xa5, bytes);
	rc = virtio_blk_read(&b->blk, BLK_TEST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (rc != 0) {
		selftest_result("blk", i, "persist", false, "read: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	if (blk_all_zero(blk_buf, bytes)) {
		board_printf("NOTE blk%u persist not run: sectors %u..%u are blank (first boot)\n",
			     i, BLK_TEST_SECTOR, BLK_TEST_SECTOR + BLK_TEST_COUNT - 1);
		return;
	}
	if (!pattern_seed(blk_buf, BLK_TEST_SECTOR, &seed)) {
		board_printf("NOTE blk%u persist not run: sectors %u..%u hold data no"
			     " earlier boot of this firmware wrote\n",
			     i, BLK_TEST_SECTOR, BLK_TEST_SECTOR + BLK_TEST_COUNT - 1);
		return;
	}
	bad = pattern_check(blk_buf, seed, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	if (bad >= 0)
		selftest_result("blk", i, "persist", false,
				"sectors %u.. start with the pattern of seed 0x%08x but differ at byte %ld",
				BLK_TEST_SECTOR, (unsigned)seed, bad);
	else
		selftest_result("blk", i, "persist", true,
				"%u sectors at %u hold what an earlier boot wrote (seed 0x%08x)",
				BLK_TEST_COUNT, BLK_TEST_SECTOR, (unsigned)seed);
}

static void blk_get_id(unsigned i)
{
	struct blk_slot *b = &blks[i];

	/* An empty serial (none configured) and UNSUPP are valid answers. */
	selftest_result("blk", i, "get-id", b->id_rc == 0 || b->id_rc == VIRTIO_EUNSUPP,
			"serial \"%s\" -> %s (%d)%s", b->serial, virtio_strerror(b->id_rc),
			b->id_rc, b->id_rc == 0 && b->serial[0] == '\0' ? ": the device has none" : "");
}

/* Writes the pattern over the big area; false (with a FAIL line) on error. */
static bool blk_big_prepare(unsigned i, const char *test, uint32_t seed)
{
	int rc;

	pattern_fill(blk_big, seed, BLK_BIG_SECTOR, BLK_BIG_COUNT);
	rc = virtio_blk_write(&blks[i].blk, BLK_BIG_SECTOR, blk_big, BLK_BIG_COUNT);
	if (rc != 0)
		selftest_result("blk", i, test, false, "write: %s (%d)", virtio_strerror(rc), rc);
	return rc == 0;
}

/* Reads the big area back; sectors [zero_first, +zero_count) must read 0
 * (zero_count 0: none), the rest of [check_first, check_end) the pattern. */
static bool blk_big_check(unsigned i, const char *test, uint32_t seed, uint32_t zero_first,
			  uint32_t zero_count, uint32_t check_first, uint32_t check_end)
{
	int rc;

	blk_fill(blk_big, 0xa5, BLK_BIG_COUNT * VIRTIO_BLK_SECTOR_SIZE);
	rc = virtio_blk_read(&blks[i].blk, BLK_BIG_SECTOR, blk_big, BLK_BIG_COUNT);
	if (rc != 0) {
		selftest_result("blk", i, test, false, "read: %s (%d)", virtio_strerror(rc), rc);
		return false;
	}
	for (uint32_t s = check_first; s < check_end; s++) {
		const uint8_t *p = blk_big + (s - BLK_BIG_SECTOR) * VIRTIO_BLK_SECTOR_SIZE;
		bool zero = s >= zero_first && s < zero_first + zero_count;

		if (zero ? !blk_all_zero(p, VIRTIO_BLK_SECTOR_SIZE)
			 : pattern_check(p, seed, s, 1) >= 0) {
			selftest_result("blk", i, test, false, "sector %u is not %s", (unsigned)s,
					zero ? "zero" : "the pattern");
			return false;
		}
	}
	return true;
}

static void blk_write_zeroes(unsigned i)
{
	uint32_t seed = blks[i].seed ^ 0x2e70u;
	int rc;

	if (!blk_big_prepare(i, "write-zeroes", seed))
		return;
	rc = virtio_blk_write_zeroes(&blks[i].blk, BLK_BIG_SECTOR + 8, 16, false);
	if (rc != 0) {
		selftest_result("blk", i, "write-zeroes", false, "write zeroes: %s (%d)",
				virtio_strerror(rc), rc);
		return;
	}
	if (blk_big_check(i, "write-zeroes", seed, BLK_BIG_SECTOR + 8, 16, BLK_BIG_SECTOR,
			  BLK_BIG_SECTOR + BLK_BIG_COUNT))
		selftest_result("blk", i, "write-zeroes", true,
				"sectors %u..%u read 0, the %u around them kept their data"
				" (max %u sectors x %u ranges per request)",
				BLK_BIG_SECTOR + 8, BLK_BIG_SECTOR + 23, BLK_BIG_COUNT - 16,
				(unsigned)blks[i].blk.limits.zeroes_sectors,
				(unsigned)blks[i].blk.limits.zeroes_ranges);
}

/* What a discarded sector reads is unspecified (5.2.6): only the sectors
 * around the range are checked. */
static void blk_discard(unsigned i)
{
	uint32_t seed = blks[i].seed ^ 0xd15cu;
	int rc;

	if (!blk_big_prepare(i, "discard", seed))
		return;
	rc = virtio_blk_discard(&blks[i].blk, BLK_BIG_SECTOR + 32, 16);
	if (rc != 0) {
		selftest_result("blk", i, "discard", false, "discard: %s (%d)",
				virtio_strerror(rc), rc);
		return;
	}
	if (blk_big_check(i, "discard", seed, 0, 0, BLK_BIG_SECTOR, BLK_BIG_SECTOR + 32) &&
	    blk_big_check(i, "discard", seed, 0, 0, BLK_BIG_SECTOR + 48,
			  BLK_BIG_SECTOR + BLK_BIG_COUNT))
		selftest_result("blk", i, "discard", true,
				"sectors %u..%u discarded, the %u around them kept their data"
				" (max %u sectors x %u ranges per request)",
				BLK_BIG_SECTOR + 32, BLK_BIG_SECTOR + 47, BLK_BIG_COUNT - 16,
				(unsigned)blks[i].blk.limits.discard_sectors,
				(unsigned)blks[i].blk.limits.discard_ranges);
}

struct blk_async {
	unsigned done;
	int first_error;
};

static void blk_async_done(void *ctx, int result)
{
	struct blk_async *a = ctx;

	a->done++;
	if (result != 0 && a->first_error == 0)
		a->first_error = result;
}

/* 8 asynchronous writes of 8 sectors each, all submitted before the first
 * poll, then drained and read back with one blocking read. */
static void blk_inflight(unsigned i)
{
	struct blk_slot *b = &blks[i];
	struct blk_async a = { 0, 0 };
	const unsigned n = BLK_BIG_COUNT / 8;
	unsigned submitted = 0, inflight;
	uint32_t seed = b->seed ^ 0x1f1fu;
	int rc = 0;

	pattern_fill(blk_big, seed, BLK_BIG_SECTOR, BLK_BIG_COUNT);
	for (unsigned k = 0; k < n && rc == 0; k++) {
		rc = virtio_blk_submit(&b->blk, VIRTIO_BLK_OP_WRITE, BLK_BIG_SECTOR + 8 * k,
				       blk_big + 8 * k * VIRTIO_BLK_SECTOR_SIZE, 8,
				       blk_async_done, &a);
		submitted += rc == 0;
	}
	inflight = virtio_blk_inflight(&b->blk);
	if (rc == 0)
		rc = virtio_blk_drain(&b->blk);
	if (rc != 0 || a.first_error != 0 || a.done != submitted || submitted != n) {
		selftest_result("blk", i, "inflight", false,
				"submitted %u of %u (%d), drain %d, %u completed, first error %d",
				submitted, n, rc, rc, a.done, a.first_error);
		return;
	}
	if (!blk_big_check(i, "inflight", seed, 0, 0, BLK_BIG_SECTOR,
			   BLK_BIG_SECTOR + BLK_BIG_COUNT))
		return;
	selftest_result("blk", i, "inflight", inflight == n,
			"%u writes in flight at once (%u before the first poll), read back intact",
			n, inflight);
}

static void blk_attach(unsigned slot, const struct virtio_device *dev)
{
	struct blk_slot *b;
	int rc;

	if (n_blk == MAX_BLK) {
		selftest_skip(slot, dev->device_id, "more-blk-devices-than-MAX_BLK");
		return;
	}
	b = &blks[n_blk];
	b->dev = *dev;
	b->slot = slot;
	b->seed = BLK_SEED_BASE + slot;
	rc = virtio_blk_init(&b->blk, &b->dev);
	selftest_print_features(slot, "offered", b->dev.device_id, b->dev.offered);
	if (rc != 0) {
		selftest_result("blk", n_blk, "init", false, "slot %u: %s (%d)", slot,
		       virtio_strerror(rc), rc);
		n_blk++;
		return;
	}
	selftest_print_features(slot, "negotiated", b->dev.device_id, b->dev.features);
	b->id_rc = virtio_blk_get_id(&b->blk, b->serial);
	board_printf("BLK slot=%u capacity=%llu blk_size=%u ro=%u queue_size=%u serial=%s\n",
		     slot, (unsigned long long)b->blk.capacity, (unsigned)b->blk.blk_size,
		     b->blk.read_only ? 1u : 0u, virtqueue_size(&b->blk.vq),
		     b->serial[0] ? b->serial : "-");
	board_printf("BLKLIMITS slot=%u max_sectors=%u max_segs=%u seg_bytes=%u"
		     " discard=%ux%u write_zeroes=%ux%u topology=%u/%u/%u/%u\n", slot,
		     (unsigned)b->blk.limits.max_sectors, (unsigned)b->blk.limits.max_segs,
		     (unsigned)b->blk.limits.seg_bytes,
		     (unsigned)b->blk.limits.discard_sectors, (unsigned)b->blk.limits.discard_ranges,
		     (unsigned)b->blk.limits.zeroes_sectors, (unsigned)b->blk.limits.zeroes_ranges,
		     (unsigned)b->blk.topology.physical_block_exp,
		     (unsigned)b->blk.topology.alignment_offset,
		     (unsigned)b->blk.topology.min_io_size, (unsigned)b->blk.topology.opt_io_size);
	b->ready = true;
	n_blk++;
}

static void blk_tests(void)
{
	unsigned writers = 0;

	if (n_blk == 0)
		return;
	blk_buf = virtio_port_dma_alloc(BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE, 64);
	blk_big = virtio_port_dma_alloc(BLK_BIG_COUNT * VIRTIO_BLK_SECTOR_SIZE, 64);
	if (blk_buf == NULL || blk_big == NULL) {
		board_printf("RESULT blk0 rw-roundtrip FAIL out of DMA memory\n");
		board_exit(EXIT_OUT_OF_MEMORY);
	}
	for (unsigned i = 0; i < n_blk; i++) {
		if (!blks[i].ready)
			continue;
		if (blks[i].id_rc == 0 && blks[i].serial[0] == 'b' &&
		    blks[i].serial[1] == 'e' && blks[i].serial[2] == 'n' &&
		    blks[i].serial[3] == 'c' && blks[i].serial[4] == 'h' &&
		    blks[i].serial[5] == '\0') {
			selftest_result("blk", i, "bench",
					blk_bench_run(&blks[i].blk, &blks[i].dev),
					"see the BENCH lines");
			blks[i].ready = false; /* a scratch disk: no other test */
			virtio_blk_destroy(&blks[i].blk);
			continue;
		}
		blk_read_host_data(i);
		blk_get_id(i);
		if (blks[i].blk.read_only) {
			blk_ro_reject(i);
		} else {
			blk_persist(i);
			blk_roundtrip(i);
			if (virtio_blk_has(&blks[i].blk, VIRTIO_BLK_F_WRITE_ZEROES))
				blk_write_zeroes(i);
			if (virtio_blk_has(&blks[i].blk, VIRTIO_BLK_F_DISCARD))
				blk_discard(i);
			blk_inflight(i);
		}
		blk_range_check(i);
		if (blks[i].blk.blk_size > VIRTIO_BLK_SECTOR_SIZE)
			blk_unaligned(i);
	}
	for (unsigned i = 0; i < n_blk; i++)
		writers += blks[i].wrote;
	if (writers >= 2)
		for (unsigned i = 0; i < n_blk; i++)
			if (blks[i].wrote)
				blk_independent(i, writers);
	for (unsigned i = 0; i < n_blk; i++)
		if (blks[i].ready)
			blk_reinit(i);
	for (unsigned i = 0; i < n_blk; i++)
		if (blks[i].ready)
			virtio_blk_destroy(&blks[i].blk);
}

const struct selftest_driver selftest_blk = {
	.device_id = VIRTIO_ID_BLOCK,
	.attach = blk_attach,
	.run = blk_tests,
};
