/*
 * Self-tests of the virtio-rng driver.
 *
 * rng tests, per device (rng<i> = i-th rng device by slot):
 *   entropy   two 256-byte reads are not constant, not all zero, and
 *             differ from each other
 *   lengths   reads of 0, 1, 63, 64, 65 and 200 bytes fill exactly the
 *             bytes asked for (guard bytes around them stay untouched)
 * and a line RNG slot=<n> requests=<n> short=<n> empty=<n> (the harness
 * wants short > 0 from a rate-limited device: short completions handled).
 */
#include <virtio/drivers/rng.h>

#include "selftest.h"

#define MAX_RNG 32
#define GUARD 0xc5u

struct rng_slot {
	struct virtio_device dev;
	struct virtio_rng rng;
	unsigned slot;
	bool ready;
};

static struct rng_slot rngs[MAX_RNG];
static unsigned n_rng;
static uint8_t rng_a[256], rng_b[256];
static uint8_t rng_area[16 + 200 + 16];

static bool rng_constant(const uint8_t *p, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (p[i] != p[0])
			return false;
	return true;
}

static bool rng_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static void rng_entropy(unsigned i)
{
	struct virtio_rng *r = &rngs[i].rng;
	int rc = virtio_rng_read(r, rng_a, sizeof(rng_a));
	int rc2 = rc ? rc : virtio_rng_read(r, rng_b, sizeof(rng_b));
	unsigned distinct = 0;
	bool seen[256] = { false };

	if (rc2 != 0) {
		selftest_result("rng", i, "entropy", false, "read: %s (%d)",
				virtio_strerror(rc2), rc2);
		return;
	}
	for (size_t k = 0; k < sizeof(rng_a); k++) {
		distinct += !seen[rng_a[k]];
		seen[rng_a[k]] = true;
	}
	/* 256 random bytes hold about 162 distinct values; demand far fewer,
	 * so only a stuck or patterned source fails. */
	selftest_result("rng", i, "entropy",
			!rng_constant(rng_a, sizeof(rng_a)) &&
				!rng_equal(rng_a, rng_b, sizeof(rng_a)) && distinct >= 64,
			"2 x %u bytes, %u distinct values in the first, %s, first bytes %02x %02x %02x %02x",
			(unsigned)sizeof(rng_a), distinct,
			rng_equal(rng_a, rng_b, sizeof(rng_a)) ? "reads EQUAL" : "reads differ",
			rng_a[0], rng_a[1], rng_a[2], rng_a[3]);
}

static void rng_lengths(unsigned i)
{
	static const uint16_t lens[] = { 0, 1, 63, 64, 65, 200 };
	struct virtio_rng *r = &rngs[i].rng;

	for (unsigned k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		unsigned n = lens[k];
		int rc;

		for (size_t j = 0; j < sizeof(rng_area); j++)
			rng_area[j] = GUARD;
		rc = virtio_rng_read(r, rng_area + 16, n);
		if (rc != 0) {
			selftest_result("rng", i, "lengths", false, "read of %u bytes: %s (%d)",
					n, virtio_strerror(rc), rc);
			return;
		}
		for (size_t j = 0; j < sizeof(rng_area); j++) {
			if ((j < 16 || j >= 16 + n) && rng_area[j] != GUARD) {
				selftest_result("rng", i, "lengths", false,
						"read of %u bytes wrote byte %d outside the buffer",
						n, (int)j - 16);
				return;
			}
		}
		if (n >= 64 && rng_constant(rng_area + 16, n)) {
			selftest_result("rng", i, "lengths", false, "%u bytes all 0x%02x", n,
					rng_area[16]);
			return;
		}
	}
	selftest_result("rng", i, "lengths", true,
			"0/1/63/64/65/200-byte reads exact; %llu requests, %llu short, %llu empty",
			(unsigned long long)r->requests, (unsigned long long)r->short_reads,
			(unsigned long long)r->empty_reads);
}

static void rng_attach(unsigned slot, const struct virtio_device *dev)
{
	struct rng_slot *s;
	int rc;

	if (n_rng == MAX_RNG) {
		selftest_skip(slot, dev->device_id, "more-rng-devices-than-MAX_RNG");
		return;
	}
	s = &rngs[n_rng];
	s->dev = *dev;
	s->slot = slot;
	rc = virtio_rng_init(&s->rng, &s->dev);
	selftest_print_features(slot, "offered", s->dev.device_id, s->dev.offered);
	if (rc != 0) {
		selftest_result("rng", n_rng, "init", false, "slot %u: %s (%d)", slot,
				virtio_strerror(rc), rc);
		n_rng++;
		return;
	}
	selftest_print_features(slot, "negotiated", s->dev.device_id, s->dev.features);
	s->ready = true;
	n_rng++;
}

static void rng_tests(void)
{
	for (unsigned i = 0; i < n_rng; i++) {
		if (!rngs[i].ready)
			continue;
		rng_entropy(i);
		rng_lengths(i);
		board_printf("RNG slot=%u requests=%llu short=%llu empty=%llu\n", rngs[i].slot,
			     (unsigned long long)rngs[i].rng.requests,
			     (unsigned long long)rngs[i].rng.short_reads,
			     (unsigned long long)rngs[i].rng.empty_reads);
		virtio_rng_destroy(&rngs[i].rng);
	}
}

const struct selftest_driver selftest_rng = {
	.device_id = VIRTIO_ID_RNG,
	.attach = rng_attach,
	.run = rng_tests,
};
