/*
 * Interrupt-driven self-tests, the only tests of the selftest-irq.elf
 * variant (SELFTEST_IRQ=1; driven by tests/qemu/irq_test.py). They probe
 * the mmio slots and bring each blk, net, console and rng device up with its
 * interrupt line attached (PLIC / GIC through the port,
 * runtime/src/interrupt.c):
 *
 *   blk<i> irq-rw      writes then reads back IRQ_REQS requests at queue
 *                      depth 1 and 8, with and without EVENT_IDX. Nothing
 *                      polls: the task sleeps (wfi) until the queue's
 *                      callback ran, then takes the completions. Prints
 *     IRQ blk<i> event_idx=<0|1> depth=<d> requests=<n> interrupts=<n>
 *         queue_cbs=<n> wakeups=<n> irq_per_100req=<n>
 *   blk<i> irq-blocking  the driver's blocking write and read with
 *                      virtio_blk_use_irq: they sleep on the interrupt
 *   blk<i> irq-resize  prints READY irq blk<i> resize capacity=<sectors>,
 *                      waits for the configuration-change interrupt (the
 *                      harness runs QMP block_resize), lets the driver
 *                      re-read its config (virtio_blk_config_changed,
 *                      generation-checked), reads the new last sectors
 *                      (irq-resize-read) and prints
 *     IRQ blk<i> resized capacity=<sectors> config_interrupts=<n>
 *   net<i> irq-link    READY irq net<i> link-down / link-up: QMP set_link
 *                      each time; the config interrupt makes the driver
 *                      re-read its status. Prints
 *     IRQ net<i> link=<0|1> config_interrupts=<n>
 *   console<i> irq-read  READY irq console<i> input: the host writes
 *                      "irq-ping\n" to port 0; virtio_console_read_wait
 *                      (virtio_console_use_irq) sleeps until it arrives,
 *                      then "irq-pong\n" goes out. Prints
 *     IRQ console<i> read=<n> bytes interrupts=<n> queue_cbs=<n>
 *   rng<i> irq-read    virtio_rng_read with virtio_rng_use_irq
 * and IRQ total interrupts=<n> (every device handler the port ran).
 */
#include <virtio/drivers/blk.h>
#include <virtio/drivers/console.h>
#include <virtio/drivers/net.h>
#include <virtio/drivers/rng.h>
#include <virtio/interrupt.h>

#include "selftest.h"

#ifndef SELFTEST_IRQ
#define SELFTEST_IRQ 0
#endif

#if SELFTEST_IRQ

#define IRQ_REQS 64u                 /* requests per pass */
#define IRQ_SECTORS 8u               /* 4 KiB each */
#define IRQ_BASE_SECTOR 64u
#define IRQ_TIMEOUT_US 5000000u      /* one request, by interrupt */
#define IRQ_HOST_TIMEOUT_US 20000000u /* the harness's QMP turn */
#define IRQ_MAX_DEPTH 8u

struct irq_dev {
	struct virtio_device dev;
	struct virtio_irq irq;
	uint32_t seen;                  /* virtio_irq_wait's cursor */
	volatile uint32_t queue_events; /* set by the queue callback */
	volatile uint32_t config_events;
	unsigned index, slot;
};

static void on_queue(struct virtqueue *vq, void *ctx)
{
	struct irq_dev *d = ctx;

	(void)vq;
	d->queue_events++;
}

static void on_config(struct virtio_device *dev, void *ctx)
{
	struct irq_dev *d = ctx;

	(void)dev;
	d->config_events++;
}

/* Sleeps until *counter moves past *mark (an interrupt's callback). */
static bool wait_for(struct irq_dev *d, volatile uint32_t *counter, uint32_t *mark,
		     uint64_t timeout_us)
{
	uint64_t t0 = board_time_us();

	while (*counter == *mark) {
		uint64_t spent = board_time_us() - t0;

		if (spent >= timeout_us ||
		    !virtio_irq_wait(&d->irq, &d->seen, timeout_us - spent))
			return false;
	}
	*mark = *counter;
	return true;
}

/* ---- blk ---- */

static struct virtio_blk blk;
static uint8_t *blk_buf; /* IRQ_MAX_DEPTH requests of IRQ_SECTORS */

struct pass_state {
	unsigned done;
	int error;
};

static void req_done(void *ctx, int result)
{
	struct pass_state *st = ctx;

	st->done++;
	if (result && !st->error)
		st->error = result;
}

static uint8_t pattern(unsigned req, unsigned byte)
{
	return (uint8_t)(req * 31u + byte * 7u + 0x5au);
}

/* IRQ_REQS requests of one kind, up to `depth` in flight; completions
 * only after an interrupt. Checks read data. Returns 0 or an error. */
static int blk_pass(struct irq_dev *d, bool write, unsigned depth,
		    unsigned *wakeups)
{
	const uint32_t bytes = IRQ_SECTORS * VIRTIO_BLK_SECTOR_SIZE;
	struct pass_state st = { 0, 0 };
	uint32_t mark = d->queue_events;
	unsigned submitted = 0;

	virtio_blk_set_depth(&blk, depth);
	while (st.done < IRQ_REQS && !st.error) {
		while (submitted < IRQ_REQS && virtio_blk_inflight(&blk) < depth) {
			uint8_t *p = blk_buf + (submitted % IRQ_MAX_DEPTH) * bytes;
			int rc;

			if (write)
				for (unsigned k = 0; k < bytes; k++)
					p[k] = pattern(submitted, k);
			else
				for (unsigned k = 0; k < bytes; k++)
					p[k] = 0;
			rc = virtio_blk_submit(&blk, write ? VIRTIO_BLK_OP_WRITE : VIRTIO_BLK_OP_READ,
					       IRQ_BASE_SECTOR + submitted * IRQ_SECTORS, p,
					       IRQ_SECTORS, req_done, &st);
			if (rc)
				return rc;
			submitted++;
		}
		if (!wait_for(d, &d->queue_events, &mark, IRQ_TIMEOUT_US))
			return VIRTIO_ETIMEDOUT;
		(*wakeups)++;
		{
			unsigned before = st.done;
			int rc = virtio_blk_poll(&blk);

			if (rc < 0)
				return rc;
			/* At depth 1 requests complete in order: check each
			 * read (depth 8 reuses buffers before we could). */
			if (!write && depth == 1 && st.done > before) {
				const uint8_t *p = blk_buf + ((st.done - 1) % IRQ_MAX_DEPTH) * bytes;

				for (unsigned k = 0; k < bytes; k++)
					if (p[k] != pattern(st.done - 1, k))
						return VIRTIO_EIO;
			}
		}
	}
	return st.error;
}

static void blk_rw(struct irq_dev *d, unsigned i, bool event_idx)
{
	static const unsigned depths[] = { 1u, IRQ_MAX_DEPTH };
	bool ok = true;
	int rc;

	rc = virtio_blk_init_refuse(&blk, &d->dev, event_idx ? 0 : 1ull << VIRTIO_F_EVENT_IDX);
	if (rc == 0 && virtio_blk_has(&blk, VIRTIO_F_EVENT_IDX) != event_idx)
		rc = VIRTIO_EFEATURES;
	virtio_irq_init(&d->irq, &d->dev);
	d->seen = 0;
	if (rc == 0)
		rc = virtio_irq_on_queue(&d->irq, &blk.vq, on_queue, d);
	virtio_irq_on_config(&d->irq, on_config, d);
	if (rc == 0)
		rc = virtio_irq_attach(&d->irq, board_virtio_mmio_slots[d->slot].irq);
	if (rc) {
		selftest_result("blk", i, "irq-rw", false, "init event_idx=%u: %d (%s)",
				event_idx ? 1u : 0u, rc, virtio_strerror(rc));
		return;
	}
	for (unsigned k = 0; ok && k < 2; k++) {
		unsigned depth = depths[k];

		for (unsigned w = 0; ok && w < 2; w++) {
			bool write = w == 0;
			uint32_t irq0 = d->irq.stats.interrupts, cbs0 = d->irq.stats.queue_cbs;
			uint64_t req0 = blk.stats.completed;
			unsigned wakeups = 0;

			rc = blk_pass(d, write, depth, &wakeups);
			if (rc) {
				selftest_result("blk", i, "irq-rw", false,
						"%s depth=%u event_idx=%u: %d (%s)",
						write ? "write" : "read", depth, event_idx ? 1u : 0u,
						rc, virtio_strerror(rc));
				ok = false;
				break;
			}
			uint32_t irqs = d->irq.stats.interrupts - irq0;
			uint64_t reqs = blk.stats.completed - req0;

			board_printf("IRQ blk%u op=%s event_idx=%u depth=%u requests=%llu"
				     " interrupts=%u queue_cbs=%u wakeups=%u irq_per_100req=%llu\n",
				     i, write ? "write" : "read", event_idx ? 1u : 0u, depth,
				     (unsigned long long)reqs, (unsigned)irqs,
				     (unsigned)(d->irq.stats.queue_cbs - cbs0), wakeups,
				     (unsigned long long)(irqs * 100u / (reqs ? reqs : 1)));
			/* Every request completed, each wake-up came from an
			 * interrupt, and there was at least one. */
			if (reqs != IRQ_REQS || irqs == 0 || wakeups > irqs) {
				selftest_result("blk", i, "irq-rw", false,
						"requests=%llu interrupts=%u wakeups=%u",
						(unsigned long long)reqs, (unsigned)irqs, wakeups);
				ok = false;
			}
		}
	}
	if (ok)
		selftest_result("blk", i, "irq-rw", true,
				"event_idx=%u requests=%llu interrupts=%u (depth 1 and %u, by interrupt)",
				event_idx ? 1u : 0u, (unsigned long long)blk.stats.completed,
				(unsigned)d->irq.stats.interrupts, IRQ_MAX_DEPTH);
}

static void blk_resize(struct irq_dev *d, unsigned i)
{
	uint64_t before = blk.capacity;
	uint32_t mark = d->config_events;
	bool got;
	int rc;

	board_printf("READY irq blk%u resize capacity=%llu\n", i, (unsigned long long)before);
	got = wait_for(d, &d->config_events, &mark, IRQ_HOST_TIMEOUT_US);
	/* The driver re-reads its configuration (generation-checked). */
	rc = virtio_blk_config_changed(&blk);
	board_printf("IRQ blk%u resized capacity=%llu config_interrupts=%u\n", i,
		     (unsigned long long)blk.capacity, (unsigned)d->irq.stats.config);
	selftest_result("blk", i, "irq-resize", got && rc == 1 && blk.capacity != before,
			"capacity %llu -> %llu sectors (%s, config_changed %d)",
			(unsigned long long)before, (unsigned long long)blk.capacity,
			got ? "config interrupt" : "no config interrupt", rc);
	/* The new sectors are usable: the last ones read. */
	rc = rc == 1 ? virtio_blk_read(&blk, blk.capacity - IRQ_SECTORS, blk_buf, IRQ_SECTORS)
		     : VIRTIO_ECONFIG;
	selftest_result("blk", i, "irq-resize-read", rc == 0,
			"sector %llu after the resize: %d (%s)",
			(unsigned long long)(blk.capacity - IRQ_SECTORS), rc, virtio_strerror(rc));
}

/* The driver's blocking calls with use_irq: they sleep on the interrupt
 * (virtio_irq_wait) instead of spinning. */
static void blk_blocking(struct irq_dev *d, unsigned i)
{
	const uint32_t count = IRQ_MAX_DEPTH * IRQ_SECTORS;
	uint32_t irq0 = d->irq.stats.interrupts;
	uint64_t req0 = blk.stats.completed;
	bool same = true;
	int rc = virtio_blk_use_irq(&blk, &d->irq);

	for (unsigned k = 0; k < count * VIRTIO_BLK_SECTOR_SIZE; k++)
		blk_buf[k] = pattern(k / 512u, k);
	if (!rc)
		rc = virtio_blk_write(&blk, IRQ_BASE_SECTOR, blk_buf, count);
	for (unsigned k = 0; k < count * VIRTIO_BLK_SECTOR_SIZE; k++)
		blk_buf[k] = 0;
	if (!rc)
		rc = virtio_blk_read(&blk, IRQ_BASE_SECTOR, blk_buf, count);
	for (unsigned k = 0; !rc && k < count * VIRTIO_BLK_SECTOR_SIZE; k++)
		same = same && blk_buf[k] == pattern(k / 512u, k);
	board_printf("IRQ blk%u blocking requests=%llu interrupts=%u\n", i,
		     (unsigned long long)(blk.stats.completed - req0),
		     (unsigned)(d->irq.stats.interrupts - irq0));
	selftest_result("blk", i, "irq-blocking",
			rc == 0 && same && d->irq.stats.interrupts != irq0,
			"write+read of %u sectors: %d (%s), %s, %u interrupts", count, rc,
			virtio_strerror(rc), same ? "data ok" : "data differs",
			(unsigned)(d->irq.stats.interrupts - irq0));
}

static void blk_test(struct irq_dev *d, unsigned i)
{
	blk_rw(d, i, false);
	virtio_irq_detach(&d->irq);
	virtio_blk_destroy(&blk);
	blk_rw(d, i, true);
	blk_blocking(d, i);
	blk_resize(d, i);
	virtio_irq_detach(&d->irq);
	virtio_blk_destroy(&blk);
}

/* ---- console ---- */

static struct virtio_console con;

/* Port 0: read_wait sleeps on the interrupt until the host's line
 * arrives, then a write completes by interrupt. */
static void console_test(struct irq_dev *d, unsigned i)
{
	static const char want[] = "irq-ping\n";
	char line[32];
	unsigned got = 0;
	int rc = virtio_console_init(&con, &d->dev, 1);

	virtio_irq_init(&d->irq, &d->dev);
	d->seen = 0;
	if (!rc)
		rc = virtio_console_use_irq(&con, &d->irq);
	if (!rc)
		rc = virtio_irq_attach(&d->irq, board_virtio_mmio_slots[d->slot].irq);
	if (rc) {
		selftest_result("console", i, "irq-read", false, "init: %d (%s)", rc,
				virtio_strerror(rc));
		return;
	}
	board_printf("READY irq console%u input\n", i);
	while (got < sizeof(want) - 1) {
		rc = virtio_console_read_wait(&con, 0, line + got,
					      (uint32_t)(sizeof(want) - 1 - got),
					      IRQ_HOST_TIMEOUT_US);
		if (rc <= 0)
			break;
		got += (unsigned)rc;
	}
	line[got] = '\0';
	bool same = got == sizeof(want) - 1;

	for (unsigned k = 0; same && k < got; k++)
		same = line[k] == want[k];
	if (same)
		rc = virtio_console_write(&con, 0, "irq-pong\n", 9);
	board_printf("IRQ console%u read=%u bytes interrupts=%u queue_cbs=%u\n", i, got,
		     (unsigned)d->irq.stats.interrupts, (unsigned)d->irq.stats.queue_cbs);
	selftest_result("console", i, "irq-read",
			same && rc == 9 && d->irq.stats.queue_cbs >= 2,
			"%u of %u bytes by interrupt, write %d, %u interrupts", got,
			(unsigned)(sizeof(want) - 1), rc, (unsigned)d->irq.stats.interrupts);
	virtio_irq_detach(&d->irq);
	virtio_console_destroy(&con);
}

/* ---- net ---- */

static struct virtio_net net;

static void net_test(struct irq_dev *d, unsigned i)
{
	static const struct { const char *step; bool up; } steps[] = {
		{ "link-down", false }, { "link-up", true },
	};
	bool ok = true;
	int rc = virtio_net_init(&net, &d->dev, 0x1e9u + d->slot);

	virtio_irq_init(&d->irq, &d->dev);
	d->seen = 0;
	virtio_irq_on_config(&d->irq, on_config, d);
	if (rc == 0)
		rc = virtio_net_use_irq(&net, &d->irq);
	if (rc == 0)
		rc = virtio_irq_attach(&d->irq, board_virtio_mmio_slots[d->slot].irq);
	if (rc == 0 && !virtio_has_feature(&d->dev, VIRTIO_NET_F_STATUS))
		rc = VIRTIO_EUNSUPP;
	if (rc) {
		selftest_result("net", i, "irq-link", false, "init: %d (%s)", rc,
				virtio_strerror(rc));
		return;
	}
	for (unsigned s = 0; s < 2; s++) {
		uint32_t mark = d->config_events;
		bool got, link;

		board_printf("READY irq net%u %s\n", i, steps[s].step);
		got = wait_for(d, &d->config_events, &mark, IRQ_HOST_TIMEOUT_US);
		link = virtio_net_update_link(&net);
		board_printf("IRQ net%u link=%u config_interrupts=%u\n", i, link ? 1u : 0u,
			     (unsigned)d->irq.stats.config);
		if (!got || link != steps[s].up)
			ok = false;
	}
	selftest_result("net", i, "irq-link", ok, "down and up by config interrupt (%u)",
			(unsigned)d->irq.stats.config);
	virtio_irq_detach(&d->irq);
	virtio_net_destroy(&net);
}

/* ---- rng ---- */

static struct virtio_rng rng;

static void rng_test(struct irq_dev *d, unsigned i)
{
	uint8_t buf[64];
	bool nonzero = false;
	int rc = virtio_rng_init(&rng, &d->dev);

	virtio_irq_init(&d->irq, &d->dev);
	d->seen = 0;
	if (!rc)
		rc = virtio_rng_use_irq(&rng, &d->irq);
	if (!rc)
		rc = virtio_irq_attach(&d->irq, board_virtio_mmio_slots[d->slot].irq);
	for (unsigned k = 0; k < sizeof(buf); k++)
		buf[k] = 0;
	if (!rc)
		rc = virtio_rng_read(&rng, buf, sizeof(buf));
	for (unsigned k = 0; k < sizeof(buf); k++)
		nonzero = nonzero || buf[k] != 0;
	board_printf("IRQ rng%u requests=%llu interrupts=%u\n", i,
		     (unsigned long long)rng.requests, (unsigned)d->irq.stats.interrupts);
	selftest_result("rng", i, "irq-read",
			rc == 0 && nonzero && d->irq.stats.queue_cbs >= rng.requests,
			"%u bytes: %d (%s), %llu requests, %u interrupts", (unsigned)sizeof(buf),
			rc, virtio_strerror(rc), (unsigned long long)rng.requests,
			(unsigned)d->irq.stats.interrupts);
	virtio_irq_detach(&d->irq);
	virtio_rng_destroy(&rng);
}

static void irq_run(void)
{
	static struct irq_dev d;
	unsigned n_blk = 0, n_net = 0, n_con = 0, n_rng = 0;

	blk_buf = virtio_port_dma_alloc(IRQ_MAX_DEPTH * IRQ_SECTORS * VIRTIO_BLK_SECTOR_SIZE, 64);
	if (blk_buf == NULL) {
		selftest_result("irq", 0, "setup", false, "out of DMA memory");
		return;
	}
	for (unsigned slot = 0; slot < board_virtio_mmio_slot_count; slot++) {
		if (virtio_mmio_probe(&d.dev, board_virtio_mmio_slots[slot].base) != 0)
			continue;
		d.slot = slot;
		if (d.dev.device_id == VIRTIO_ID_BLOCK)
			blk_test(&d, n_blk++);
		else if (d.dev.device_id == VIRTIO_ID_NET)
			net_test(&d, n_net++);
		else if (d.dev.device_id == VIRTIO_ID_CONSOLE)
			console_test(&d, n_con++);
		else if (d.dev.device_id == VIRTIO_ID_RNG)
			rng_test(&d, n_rng++);
	}
	board_printf("IRQ total interrupts=%u\n", (unsigned)board_irq_count());
}

const struct selftest_driver selftest_irq = {
	.device_id = 0, /* matches no device: irq_run scans by itself */
	.attach = 0,
	.run = irq_run,
};

#else
typedef int selftest_irq_absent; /* keeps the translation unit non-empty */
#endif /* SELFTEST_IRQ */
