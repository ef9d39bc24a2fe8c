/*
 * Self-test firmware: scans every virtio-mmio slot of the board, reports
 * each device (id, name, transport version, offered and negotiated
 * features), runs the self-tests of every driver the runtime has, and
 * exits 0 only when every test passed.
 *
 * Output lines read by tests/qemu/harness.py (one per line):
 *   BOOT board=<name>
 *   DEVICE slot=<n> addr=0x<hex> id=<id> transport=<legacy|modern> version=<v> vendor=0x<hex> name="<name>"
 *   FEATURES slot=<n> offered|negotiated=0x<hex> <name> <name> ...
 *   BLK slot=<n> capacity=<sectors> blk_size=<bytes> ro=<0|1> queue_size=<n>
 *   INPUT slot=<n> name="<name the input device reports>"
 *   SKIP slot=<n> id=<id> reason=<text>
 *   PATTERN blk<i> slot=<n> sector=<first> count=<n> seed=0x<hex>
 *   RESULT <device><index> <test> PASS|FAIL <detail>
 *   SUMMARY pass=<n> fail=<n> devices=<n> skipped=<n> time_us=<n> dma_bytes=<n>
 *
 * blk tests, per device (blk<i> = i-th blk device by slot):
 *   read-host-data  reads sectors the harness filled before boot (a NOTE
 *                   line instead on a blank disk, e.g. a run by hand)
 *   rw-roundtrip    writes a pattern, reads it back, compares (writable)
 *   ro-reject       the driver refuses a write (read-only device)
 *   range-check     a read at sector == capacity fails cleanly
 *   unaligned       (block size > 512 only) a request not aligned to the
 *                   block size fails cleanly and the device keeps working
 *   independent     with >= 2 writable blk devices that all wrote the same
 *                   sectors, each still reads its own pattern
 *   reinit          reset, bring the device up again, the sectors of
 *                   read-host-data read the same
 *
 * Build-time fault injection, for the harness's own negative tests:
 *   SELFTEST_INJECT=1  adds a failing RESULT line
 *   SELFTEST_INJECT=2  hangs after the device scan (no SUMMARY, no exit)
 *   SELFTEST_INJECT=3  takes an exception after the device scan
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <virtio/drivers/blk.h>
#include <virtio/names.h>
#include <virtio/spec.h>
#include <virtio/transport.h>
#include <virtio/virtio.h>

#include "board.h"

#ifndef SELFTEST_INJECT
#define SELFTEST_INJECT 0
#endif

/* Exit codes (the port uses BOARD_EXIT_TRAP for exceptions). */
#define EXIT_PASS 0
#define EXIT_TESTS_FAILED 1
#define EXIT_OUT_OF_MEMORY 2

/* The most devices of one kind the firmware tests at once. */
#define MAX_BLK 32

/* The blk round trip: sectors [BLK_TEST_SECTOR, +BLK_TEST_COUNT). */
#define BLK_TEST_SECTOR 16u
#define BLK_TEST_COUNT 8u
#define BLK_SEED_BASE 0x5eed0000u
/* The harness fills sectors [BLK_HOST_SECTOR, +BLK_TEST_COUNT) of every
 * image with the pattern of seed BLK_HOST_SEED_BASE + slot before boot. */
#define BLK_HOST_SECTOR 32u
#define BLK_HOST_SEED_BASE 0x40570000u

static unsigned n_pass, n_fail, n_devices, n_skipped;

static void result(const char *dev, unsigned index, const char *test, bool pass,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void result(const char *dev, unsigned index, const char *test, bool pass,
		   const char *fmt, ...)
{
	char detail[160];
	va_list ap;

	va_start(ap, fmt);
	board_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	board_printf("RESULT %s%u %s %s %s\n", dev, index, test,
		     pass ? "PASS" : "FAIL", detail);
	if (pass)
		n_pass++;
	else
		n_fail++;
}

static const char *device_name(uint32_t id)
{
	const char *name = virtio_device_name(id);

	return name != NULL ? name : "unknown";
}

static void print_features(unsigned slot, const char *what, uint32_t id,
			   uint64_t bits)
{
	board_printf("FEATURES slot=%u %s=0x%016llx", slot, what,
		     (unsigned long long)bits);
	for (unsigned bit = 0; bit < 64; bit++) {
		const char *name;

		if (((bits >> bit) & 1u) == 0)
			continue;
		name = virtio_feature_name(id, bit);
		if (name != NULL)
			board_printf(" %s", name);
		else
			board_printf(" bit%u", bit);
	}
	board_printf("\n");
}

/* ---- blk ---- */

struct blk_slot {
	struct virtio_device dev;
	struct virtio_blk blk;
	unsigned slot;
	uint32_t seed;
	bool ready;
	bool wrote; /* rw-roundtrip passed: the pattern is on the disk */
	bool host_read; /* host_hash holds the hash of the host sectors */
	uint64_t host_hash;
};

static struct blk_slot blks[MAX_BLK];
static unsigned n_blk;
static uint8_t *blk_buf; /* BLK_TEST_COUNT sectors, device-reachable */

/* Word j of sector s: the same formula as pattern_sector() in harness.py. */
static uint32_t pattern_word(uint32_t seed, uint32_t sector, uint32_t j)
{
	return seed * 0x9E3779B1u + sector * 0x85EBCA77u + j * 0xC2B2AE3Du;
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
		result("blk", i, "rw-roundtrip", false, "capacity %llu sectors too small",
		       (unsigned long long)b->blk.capacity);
		return;
	}
	pattern_fill(blk_buf, b->seed, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	rc = virtio_blk_write(&b->blk, BLK_TEST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (rc != 0) {
		result("blk", i, "rw-roundtrip", false, "write: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	blk_fill(blk_buf, 0xa5, bytes); /* so a read that does nothing shows */
	rc = virtio_blk_read(&b->blk, BLK_TEST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (rc != 0) {
		result("blk", i, "rw-roundtrip", false, "read: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	bad = pattern_check(blk_buf, b->seed, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	if (bad >= 0) {
		result("blk", i, "rw-roundtrip", false, "data differs at byte %ld of %u sectors",
		       bad, BLK_TEST_COUNT);
		return;
	}
	b->wrote = true;
	board_printf("PATTERN blk%u slot=%u sector=%u count=%u seed=0x%08x\n", i,
		     b->slot, BLK_TEST_SECTOR, BLK_TEST_COUNT, (unsigned)b->seed);
	result("blk", i, "rw-roundtrip", true, "%u sectors", BLK_TEST_COUNT);
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
		result("blk", i, "read-host-data", false, "read: %s (%d)", virtio_strerror(rc), rc);
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
		result("blk", i, "read-host-data", false,
		       "sectors %u.. differ from the image at byte %ld", BLK_HOST_SECTOR, bad);
	else
		result("blk", i, "read-host-data", true, "%u sectors at %u match the image",
		       BLK_TEST_COUNT, BLK_HOST_SECTOR);
}

/* A read-only device: the driver refuses writes, and nothing reaches the disk. */
static void blk_ro_reject(unsigned i)
{
	struct blk_slot *b = &blks[i];
	int rc;

	pattern_fill(blk_buf, b->seed, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	rc = virtio_blk_write(&b->blk, BLK_TEST_SECTOR, blk_buf, BLK_TEST_COUNT);
	result("blk", i, "ro-reject", rc == VIRTIO_ERO, "write -> %s (%d)",
	       virtio_strerror(rc), rc);
}

static void blk_range_check(unsigned i)
{
	struct blk_slot *b = &blks[i];
	int rc = virtio_blk_read(&b->blk, b->blk.capacity, blk_buf, 1);

	result("blk", i, "range-check", rc < 0,
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
		result("blk", i, "unaligned", false,
		       "1-sector read at sector 1 with %u-byte blocks succeeded",
		       (unsigned)b->blk.blk_size);
		return;
	}
	rc2 = virtio_blk_read(&b->blk, BLK_HOST_SECTOR, blk_buf, BLK_TEST_COUNT);
	same = rc2 == 0 && b->host_read &&
	       blk_hash(blk_buf, BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE) == b->host_hash;
	result("blk", i, "unaligned", same,
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
		result("blk", i, "reinit", false, "init again: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	blk_fill(blk_buf, 0xa5, BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE);
	rc = virtio_blk_read(&b->blk, BLK_HOST_SECTOR, blk_buf, BLK_TEST_COUNT);
	if (rc != 0) {
		result("blk", i, "reinit", false, "read: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	same = b->host_read &&
	       blk_hash(blk_buf, BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE) == b->host_hash;
	result("blk", i, "reinit", same && b->blk.capacity == capacity,
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
		result("blk", i, "independent", false, "read: %s (%d)", virtio_strerror(rc), rc);
		return;
	}
	bad = pattern_check(blk_buf, b->seed, BLK_TEST_SECTOR, BLK_TEST_COUNT);
	if (bad >= 0)
		result("blk", i, "independent", false, "data differs at byte %ld", bad);
	else
		result("blk", i, "independent", true,
		       "own data intact after %u other blk devices wrote the same sectors",
		       writers - 1);
}

static void blk_attach(unsigned slot, struct virtio_device *dev)
{
	struct blk_slot *b;
	int rc;

	if (n_blk == MAX_BLK) {
		board_printf("SKIP slot=%u id=%u reason=more-than-%u-blk-devices\n",
			     slot, (unsigned)dev->device_id, MAX_BLK);
		n_skipped++;
		return;
	}
	b = &blks[n_blk];
	b->dev = *dev;
	b->slot = slot;
	b->seed = BLK_SEED_BASE + slot;
	rc = virtio_blk_init(&b->blk, &b->dev);
	print_features(slot, "offered", b->dev.device_id, b->dev.offered);
	if (rc != 0) {
		result("blk", n_blk, "init", false, "slot %u: %s (%d)", slot,
		       virtio_strerror(rc), rc);
		n_blk++;
		return;
	}
	print_features(slot, "negotiated", b->dev.device_id, b->dev.features);
	board_printf("BLK slot=%u capacity=%llu blk_size=%u ro=%u queue_size=%u\n", slot,
		     (unsigned long long)b->blk.capacity, (unsigned)b->blk.blk_size,
		     b->blk.read_only ? 1u : 0u, virtqueue_size(&b->blk.vq));
	b->ready = true;
	n_blk++;
}

static void blk_tests(void)
{
	unsigned writers = 0;

	if (n_blk == 0)
		return;
	blk_buf = virtio_port_dma_alloc(BLK_TEST_COUNT * VIRTIO_BLK_SECTOR_SIZE, 64);
	if (blk_buf == NULL) {
		board_printf("RESULT blk0 rw-roundtrip FAIL out of DMA memory\n");
		board_exit(EXIT_OUT_OF_MEMORY);
	}
	for (unsigned i = 0; i < n_blk; i++) {
		if (!blks[i].ready)
			continue;
		blk_read_host_data(i);
		if (blks[i].blk.read_only)
			blk_ro_reject(i);
		else
			blk_roundtrip(i);
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

/* ---- devices without a driver ---- */

#ifdef VIRTIO_INPUT_CFG_ID_NAME
/* keyboard, mouse and tablet share device id 18: print the name the
 * device reports in its config space (select ID_NAME). */
static void input_name(unsigned slot, struct virtio_device *dev)
{
	char name[64];
	uint8_t size;

	virtio_config_write8(dev, offsetof(struct virtio_input_config, select),
			     VIRTIO_INPUT_CFG_ID_NAME);
	virtio_config_write8(dev, offsetof(struct virtio_input_config, subsel), 0);
	size = virtio_config_read8(dev, offsetof(struct virtio_input_config, size));
	if (size > sizeof(name) - 1)
		size = sizeof(name) - 1;
	for (unsigned i = 0; i < size; i++) {
		char c = (char)virtio_config_read8(dev,
			offsetof(struct virtio_input_config, u) + i);

		if (c == '\0') {
			size = (uint8_t)i;
			break;
		}
		name[i] = c >= 0x20 && c < 0x7f && c != '"' ? c : '?';
	}
	name[size] = '\0';
	board_printf("INPUT slot=%u name=\"%s\"\n", slot, name);
}
#endif

/* Negotiates nothing device-specific (to show what is offered and what the
 * runtime would accept), then resets the device and leaves it alone. */
static void skip_device(unsigned slot, struct virtio_device *dev)
{
	int rc = virtio_negotiate(dev, 0);

	print_features(slot, "offered", dev->device_id, dev->offered);
	if (rc == 0)
		print_features(slot, "negotiated", dev->device_id, dev->features);
#ifdef VIRTIO_INPUT_CFG_ID_NAME
	if (rc == 0 && dev->device_id == VIRTIO_ID_INPUT)
		input_name(slot, dev);
#endif
	virtio_reset(dev);
	board_printf("SKIP slot=%u id=%u reason=no-driver\n", slot,
		     (unsigned)dev->device_id);
	n_skipped++;
}

static void scan(void)
{
	for (unsigned slot = 0; slot < board_virtio_mmio_slot_count; slot++) {
		struct virtio_device dev;
		uintptr_t base = board_virtio_mmio_slots[slot].base;
		int rc = virtio_mmio_probe(&dev, base);

		if (rc == VIRTIO_ENODEV)
			continue; /* empty slot */
		if (rc != 0) {
			board_printf("SKIP slot=%u id=? reason=probe:%d(%s)\n", slot, rc,
				     virtio_strerror(rc));
			n_skipped++;
			continue;
		}
		n_devices++;
		board_printf("DEVICE slot=%u addr=0x%llx id=%u transport=%s version=%u"
			     " vendor=0x%08x name=\"%s\"\n",
			     slot, (unsigned long long)base, (unsigned)dev.device_id,
			     dev.legacy ? "legacy" : "modern", (unsigned)dev.version,
			     (unsigned)dev.vendor_id, device_name(dev.device_id));
		if (dev.device_id == VIRTIO_ID_BLOCK)
			blk_attach(slot, &dev);
		else
			skip_device(slot, &dev);
	}
}

int main(void)
{
	uint64_t t0 = board_time_us();

	board_printf("BOOT board=%s slots=%u\n", board_name, board_virtio_mmio_slot_count);
	scan();
#if SELFTEST_INJECT == 2
	board_printf("INJECT hang\n");
	for (;;)
		;
#elif SELFTEST_INJECT == 3
	board_printf("INJECT exception\n");
	__builtin_trap();
#endif
	blk_tests();
#if SELFTEST_INJECT == 1
	result("selftest", 0, "injected-failure", false, "built with SELFTEST_INJECT=1");
#endif
	board_printf("SUMMARY pass=%u fail=%u devices=%u skipped=%u time_us=%llu dma_bytes=%zu\n",
		     n_pass, n_fail, n_devices, n_skipped,
		     (unsigned long long)(board_time_us() - t0), board_dma_used());
	return n_fail == 0 ? EXIT_PASS : EXIT_TESTS_FAILED;
}
