/*
 * virtio-pci transport (runtime/src/pci.c) and the bare-metal enumerator
 * (runtime/port/baremetal/pci_enum.c) against the PCI device model:
 * probe of modern and transitional functions, blk I/O end to end, 64-bit
 * features, config space, notification addresses, ISR, and every hostile
 * capability layout the transport must refuse with a clear error.
 *
 * The PCI model and the enumerator are compiled into this test directly
 * (the device-model library globs only backend_*.c, and the enumerator
 * belongs to the bare-metal port).
 */
#include "harness.h"

#include <string.h>

#include <virtio/pci.h>

#include "pci_model.c"
#include "../../runtime/port/baremetal/pci_enum.c"

#define ECAM 0x30000000u
#define DM_BASE 0x20000000u
#define BAR_BASE 0x40000000u

static struct pm_bus *bus;
static struct virtio_pci_transport pt;

static int setup(void **state)
{
	vt_setup(state);
	bus = pm_bus_create(ECAM, DM_BASE);
	memset(&pt, 0, sizeof(pt));
	return 0;
}

static int teardown(void **state)
{
	pm_bus_destroy(bus);
	bus = NULL;
	return vt_teardown(state);
}

/* What an enumerator hands the transport: BAR 4 assigned at BAR_BASE. */
static struct virtio_pci_function function_of(struct pm_func *f)
{
	struct virtio_pci_function fn = { .cfg = pm_cfg_addr(f) };

	pm_assign_bar4(f, BAR_BASE);
	fn.bar[4].base = BAR_BASE;
	fn.bar[4].size = PM_BAR_SIZE;
	return fn;
}

static int probe(struct pm_func *f, struct virtio_device *dev)
{
	struct virtio_pci_function fn = function_of(f);

	return virtio_pci_probe(dev, &pt, &fn);
}

/* Expects the probe to fail with `err` and an error text containing `why`. */
static void expect_refused(struct pm_func *f, int err, const char *why)
{
	struct virtio_device dev;

	f->dm->quiet = true;
	assert_int_equal(probe(f, &dev), err);
	assert_non_null(pt.error);
	if (strstr(pt.error, why) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", pt.error, why);
	assert_true(virtio_host_log_contains(why));
	assert_null(dev.ops);
	/* Refused before any virtio register was touched. */
	assert_int_equal(f->dm->status_writes, 0);
}

/* ---- identification ---- */

static void probe_modern(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 2, false, 1, 64);
	struct virtio_device dev;

	assert_int_equal(probe(f, &dev), 0);
	assert_ptr_equal(dev.ops, &virtio_pci_ops);
	assert_int_equal(dev.device_id, 2);
	assert_false(dev.legacy);
	assert_int_equal(dev.version, 1); /* PCI revision */
	assert_int_equal(dev.vendor_id, 0x1af4);
	assert_false(pt.transitional);
	assert_int_equal(pt.pci_device_id, 0x1042);
	assert_int_equal(pt.common, BAR_BASE + PM_COMMON_OFF);
	assert_int_equal(pt.isr, BAR_BASE + PM_ISR_OFF);
	assert_int_equal(pt.notify, BAR_BASE + PM_NOTIFY_OFF);
	assert_int_equal(pt.notify_mult, PM_NOTIFY_MULT);
	assert_int_equal(pt.device, 0); /* no config bytes: no device cap */
	assert_int_equal(pt.num_queues, 1);
	assert_null(pt.error);
	/* Memory decoding and bus mastering are on. */
	assert_int_equal(pm_cfg_read16(f, 0x04) & 0x6, 0x6);
	vt_assert_no_violations(f->dm);
}

static void probe_transitional(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 3, 4, true, 1, 64);
	struct virtio_device dev;

	assert_int_equal(probe(f, &dev), 0);
	assert_true(pt.transitional);
	assert_int_equal(pt.pci_device_id, 0x1005);
	assert_int_equal(dev.device_id, 4); /* from the subsystem id */
	assert_int_equal(dev.version, 0);
	assert_false(dev.legacy);           /* driven through the modern interface */
	vt_assert_no_violations(f->dm);
}

static void probe_not_virtio(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 2, false, 1, 64);

	pm_cfg_write16(f, 0x00, 0x8086);
	expect_refused(f, VIRTIO_ENODEV, "vendor id");
	pm_cfg_write16(f, 0x00, 0x1af4);
	pm_cfg_write16(f, 0x02, 0x1100); /* a Red Hat id outside virtio's ranges */
	expect_refused(f, VIRTIO_ENODEV, "device id");
	pm_cfg_write16(f, 0x02, 0x1040); /* virtio device type 0 is reserved */
	expect_refused(f, VIRTIO_ENODEV, "device type 0");
}

static void probe_legacy_only(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 2, true, 1, 64);

	/* No capability list at all. */
	pm_cfg_write16(f, 0x06, 0);
	expect_refused(f, VIRTIO_EVERSION, "legacy-only");
	/* A list without virtio capabilities (e.g. only MSI-X, id 0x11). */
	pm_cfg_write16(f, 0x06, 0x10);
	pm_cfg_write8(f, 0x34, 0x40);
	pm_cfg_write8(f, 0x40, 0x11);
	pm_cfg_write8(f, 0x41, 0);
	expect_refused(f, VIRTIO_EVERSION, "legacy-only");
}

/* ---- end to end ---- */

static void blk_over_pci(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 2, false, 1, 128);
	struct dm_blk *ram = dm_blk_attach(f->dm, 64);
	struct virtio_device dev;
	struct virtio_blk blk;
	uint8_t *buf = vt_dma(4 * 512);

	f->queue_notify_off[0] = 3; /* notify address: 0x3000 + 3 * 4 */
	pm_build_caps(f); /* now with the device configuration */
	assert_int_equal(probe(f, &dev), 0);
	assert_int_equal(pt.device, BAR_BASE + PM_DEVICE_OFF);
	assert_int_equal(virtio_blk_init(&blk, &dev), 0);
	assert_int_equal(blk.capacity, 64);
	for (unsigned i = 0; i < 4 * 512; i++)
		buf[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(virtio_blk_write(&blk, 5, buf, 4), 0);
	assert_memory_equal(ram->data + 5 * 512, buf, 4 * 512);
	memset(buf, 0, 4 * 512);
	assert_int_equal(virtio_blk_read(&blk, 5, buf, 4), 0);
	assert_memory_equal(ram->data + 5 * 512, buf, 4 * 512);
	assert_int_equal(f->queue_size[0], f->dm->q[0].num); /* went through queue_size */
	assert_true(f->dm->q[0].num > 0);
	assert_true(f->notifies >= 2);
	assert_true(f->dm->q[0].notifies >= 2); /* reached the queue at its address */
	virtio_blk_destroy(&blk);
	vt_dma_free(buf, 4 * 512);
	dm_blk_free(ram);
	vt_assert_no_violations(f->dm);
}

static void features_64bit(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);
	struct virtio_device dev;

	f->dm->device_features |= DM_BIT(DM_F_EVENT_IDX) | DM_BIT(DM_F_RING_PACKED) | DM_BIT(3);
	assert_int_equal(probe(f, &dev), 0);
	assert_int_equal(virtio_negotiate(&dev, DM_BIT(DM_F_EVENT_IDX) | DM_BIT(3) |
						DM_BIT(DM_F_RING_PACKED)), 0);
	assert_int_equal(dev.offered, f->dm->device_features);
	/* VERSION_1 (bit 32) and RING_PACKED (bit 34, implemented) went
	 * through the second feature word. */
	assert_int_equal(f->dm->driver_features,
			 DM_BIT(DM_F_VERSION_1) | DM_BIT(DM_F_RING_PACKED) |
				 DM_BIT(DM_F_EVENT_IDX) | DM_BIT(3));
	assert_true(virtio_get_status(&dev) & VIRTIO_CONFIG_S_FEATURES_OK);
	vt_assert_no_violations(f->dm);
}

static void config_space(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 2, false, 1, 16);
	struct dm_blk *ram = dm_blk_attach(f->dm, 8);
	struct virtio_device dev;

	dm_config_set_le64(f->dm, 0, 0x123456789ull); /* needs both halves */
	pm_build_caps(f);
	assert_int_equal(probe(f, &dev), 0);
	f->dm->generation_changes = 3; /* the first reads see it move */
	assert_int_equal(virtio_config_read64(&dev, 0), 0x123456789ull);
	assert_int_equal(virtio_config_read32(&dev, 20), 512);
	assert_int_equal(virtio_config_generation(&dev), f->dm->config_generation & 0xff);
	/* Beyond the structure: 0 and an error, the device is not touched. */
	uint64_t reads = f->dm->config_reads;
	assert_int_equal(virtio_config_read32(&dev, f->dm->config_len), 0);
	assert_int_equal(virtio_config_read8(&dev, 0xffffffffu), 0);
	virtio_config_write32(&dev, f->dm->config_len - 2, 0xdeadbeef);
	assert_int_equal(f->dm->config_reads, reads);
	assert_int_equal(f->dm->config_writes, 0);
	assert_true(virtio_host_log_contains("outside the device configuration"));
	dm_blk_free(ram);
	vt_assert_no_violations(f->dm);
}

static void isr_ack(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);
	struct virtio_device dev;

	assert_int_equal(probe(f, &dev), 0);
	assert_int_equal(virtio_interrupt_ack(&dev), 0);
	dm_raise_interrupt(f->dm, DM_INT_VRING | DM_INT_CONFIG);
	assert_int_equal(virtio_interrupt_ack(&dev),
			 VIRTIO_PCI_ISR_QUEUE | VIRTIO_PCI_ISR_CONFIG);
	assert_int_equal(virtio_interrupt_ack(&dev), 0); /* the read cleared it */
	vt_assert_no_violations(f->dm);
}

/* Two queues with their own notify offsets: each kick lands on its own
 * address (the model checks), and the device processes the right queue. */
static void notify_addresses(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 2, 8);
	struct virtio_device dev;
	struct virtqueue vq0, vq1;
	uint8_t *b = vt_dma(16);
	struct virtio_buf vb = { .addr = b, .len = 16 };

	dm_rng_attach(f->dm, 7);
	f->notify_mult = 8;
	f->queue_notify_off[0] = 5;
	f->queue_notify_off[1] = 1;
	pm_build_caps(f);
	assert_int_equal(probe(f, &dev), 0);
	assert_int_equal(virtio_negotiate(&dev, 0), 0);
	assert_int_equal(virtqueue_setup(&dev, &vq0, 0, 0), 0);
	assert_int_equal(virtqueue_setup(&dev, &vq1, 1, 0), 0);
	assert_int_equal(pt.queue_notify[0], 40);
	assert_int_equal(pt.queue_notify[1], 8);
	assert_int_equal(virtio_driver_ok(&dev), 0);
	assert_int_equal(virtqueue_add(&vq1, &vb, 0, 1, b), 0);
	virtqueue_kick_prepare(&vq1);
	virtqueue_notify(&vq1);
	assert_int_equal(f->dm->q[1].notifies, 1);
	assert_int_equal(f->dm->q[0].notifies, 0);
	assert_int_equal(virtqueue_add(&vq0, &vb, 0, 1, b), 0);
	virtqueue_kick_prepare(&vq0);
	virtqueue_notify(&vq0);
	assert_int_equal(f->dm->q[0].notifies, 1);
	assert_int_equal(virtio_reset(&dev), 0);
	while (virtqueue_detach_unused(&vq0) != NULL)
		;
	while (virtqueue_detach_unused(&vq1) != NULL)
		;
	virtqueue_destroy(&vq0);
	virtqueue_destroy(&vq1);
	vt_dma_free(b, 16);
	vt_assert_no_violations(f->dm);
}

static void reset_timeout(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);
	struct virtio_device dev;

	assert_int_equal(probe(f, &dev), 0);
	virtio_add_status(&dev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	f->dm->reset_never_completes = true;
	virtio_host_time_set_autostep(100000);
	assert_int_equal(virtio_reset(&dev), VIRTIO_ETIMEDOUT);
}

/* ---- hostile capability lists ---- */

static void cap_list_loops(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);

	/* common -> isr -> back to common */
	pm_cfg_write8(f, PM_CAP_ISR_AT + 1, PM_CAP_COMMON_AT);
	expect_refused(f, VIRTIO_ECONFIG, "capability list loops");
	assert_int_equal(pt.error_at, PM_CAP_COMMON_AT);
	/* a capability pointing at itself */
	pm_build_caps(f);
	pm_cfg_write8(f, PM_CAP_NOTIFY_AT + 1, PM_CAP_NOTIFY_AT);
	expect_refused(f, VIRTIO_ECONFIG, "capability list loops");
	/* a loop through the reserved low bits of a pointer (0x52 & ~3 = 0x50) */
	pm_build_caps(f);
	pm_cfg_write8(f, PM_CAP_NOTIFY_AT + 1, PM_CAP_ISR_AT | 2);
	expect_refused(f, VIRTIO_ECONFIG, "capability list loops");
}

static void cap_pointer_outside(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);

	pm_cfg_write8(f, 0x34, 0x20); /* into the standard header */
	expect_refused(f, VIRTIO_ECONFIG, "outside the capability area");
	assert_int_equal(pt.error_at, 0x20);
	pm_build_caps(f);
	pm_cfg_write8(f, PM_CAP_ISR_AT + 1, 0x3c);
	expect_refused(f, VIRTIO_ECONFIG, "outside the capability area");
}

static void cap_outside_bar(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);

	/* 56 bytes from 0x3ff0 end past the 16 KiB BAR */
	pm_cfg_write32(f, PM_CAP_COMMON_AT + 8, PM_BAR_SIZE - 16);
	pm_cfg_write32(f, PM_CAP_COMMON_AT + 12, 56);
	expect_refused(f, VIRTIO_ECONFIG, "outside its BAR");
	assert_int_equal(pt.error_at, PM_CAP_COMMON_AT);
	/* offset + length wraps in 32 bits */
	pm_build_caps(f);
	pm_cfg_write32(f, PM_CAP_ISR_AT + 8, 0xfffffff0u);
	pm_cfg_write32(f, PM_CAP_ISR_AT + 12, 0x20);
	expect_refused(f, VIRTIO_ECONFIG, "outside its BAR");
	/* the notify structure too long */
	pm_build_caps(f);
	pm_cfg_write32(f, PM_CAP_NOTIFY_AT + 12, PM_BAR_SIZE);
	expect_refused(f, VIRTIO_ECONFIG, "outside its BAR");
}

static void cap_too_short(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);

	pm_cfg_write8(f, PM_CAP_NOTIFY_AT + 2, 16); /* notify cap needs 20 */
	expect_refused(f, VIRTIO_ECONFIG, "capability shorter");
	pm_build_caps(f);
	pm_cfg_write32(f, PM_CAP_COMMON_AT + 12, 40); /* common cfg is 56 */
	expect_refused(f, VIRTIO_ECONFIG, "structure shorter");
	pm_build_caps(f);
	pm_cfg_write32(f, PM_CAP_COMMON_AT + 8, 2); /* common must be 4-aligned */
	expect_refused(f, VIRTIO_ECONFIG, "misaligned");
}

static void cap_past_config_space(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);

	/* The last capability at 0xf0 would need bytes up to 0x104. */
	pm_cfg_write8(f, PM_CAP_PCI_AT + 1, 0xf0);
	pm_cap_write(f, 0xf0, 0, 2, 4, PM_NOTIFY_OFF, 0x100);
	pm_cfg_write8(f, PM_CAP_ISR_AT + 1, PM_CAP_PCI_AT); /* skip the good notify cap */
	expect_refused(f, VIRTIO_ECONFIG, "past the end of configuration space");
}

static void bar_not_memory(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 1, true, 1, 16);

	/* The common configuration on the transitional I/O BAR 0. */
	pm_cfg_write8(f, PM_CAP_COMMON_AT + 4, 0);
	expect_refused(f, VIRTIO_ECONFIG, "I/O-space BAR");
	assert_int_equal(pt.error_at, PM_CAP_COMMON_AT);
}

static void bar_not_assigned(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);
	struct virtio_device dev;
	struct virtio_pci_function fn = function_of(f);

	f->dm->quiet = true;
	fn.bar[4].size = 0; /* the enumerator found no room for it */
	assert_int_equal(virtio_pci_probe(&dev, &pt, &fn), VIRTIO_ECONFIG);
	assert_non_null(strstr(pt.error, "not assigned"));
	/* A capability naming BAR 5, the upper half of the 64-bit BAR 4. */
	fn = function_of(f);
	pm_cfg_write8(f, PM_CAP_ISR_AT + 4, 5);
	assert_int_equal(virtio_pci_probe(&dev, &pt, &fn), VIRTIO_ECONFIG);
	assert_non_null(strstr(pt.error, "not assigned"));
}

/* Spec 4.1.4: the first usable capability of a type wins; one with a
 * reserved bar value is ignored; the I/O one is passed over. */
static void cap_preference(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 1, true, 1, 16);
	struct virtio_device dev;

	/* list: common -> isr -> notify(I/O BAR 0) -> notify(bar 9) -> notify(BAR 4) -> pci */
	pm_cfg_write8(f, PM_CAP_ISR_AT + 1, 0xa0);
	pm_cap_write(f, 0xa0, 0xb4, 2, 0, 0, 0x40);
	pm_cap_write(f, 0xb4, PM_CAP_NOTIFY_AT, 2, 9, 0, 0x40);
	pm_cfg_write32(f, 0xa0 + 16, 2);
	pm_cfg_write32(f, 0xb4 + 16, 2);
	assert_int_equal(probe(f, &dev), 0);
	assert_int_equal(pt.notify, BAR_BASE + PM_NOTIFY_OFF);
	assert_int_equal(pt.notify_mult, PM_NOTIFY_MULT);
	/* The passed-over one was reported. */
	assert_true(virtio_host_log_contains("I/O-space BAR"));
	vt_assert_no_violations(f->dm);
}

static void notify_multiplier_invalid(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);

	pm_cfg_write32(f, PM_CAP_NOTIFY_AT + 16, 3);
	expect_refused(f, VIRTIO_ECONFIG, "notify_off_multiplier");
	pm_cfg_write32(f, PM_CAP_NOTIFY_AT + 16, 1); /* odd: 16-bit writes misaligned */
	expect_refused(f, VIRTIO_ECONFIG, "notify_off_multiplier");
	pm_cfg_write32(f, PM_CAP_NOTIFY_AT + 16, 0x80000001u);
	expect_refused(f, VIRTIO_ECONFIG, "notify_off_multiplier");
}

/* queue_notify_off * multiplier beyond the structure, including a product
 * that wraps to a valid-looking offset in 32 bits: the queue is refused
 * and never notified. */
static void notify_multiplier_overflow(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 2, 16);
	struct virtio_device dev;
	struct virtqueue vq;

	f->dm->quiet = true;
	f->notify_mult = 0x10000000u; /* 0x10 * 0x10000000 = 2^32 -> 0 in 32 bits */
	pm_build_caps(f);
	pm_cfg_write32(f, PM_CAP_NOTIFY_AT + 12, 0x100);
	f->queue_notify_off[0] = 0x10;
	f->queue_notify_off[1] = 0xffff;
	assert_int_equal(probe(f, &dev), 0);
	assert_int_equal(virtio_negotiate(&dev, 0), 0);
	assert_int_equal(virtqueue_setup(&dev, &vq, 0, 0), VIRTIO_ECONFIG);
	assert_int_equal(virtqueue_setup(&dev, &vq, 1, 0), VIRTIO_ECONFIG);
	assert_true(virtio_host_log_contains("outside the notification structure"));
	assert_false(f->dm->q[0].ready);
	assert_false(f->dm->q[1].ready);
	assert_int_equal(f->notifies, 0);
	/* A sane offset still works: the device is not poisoned. */
	f->queue_notify_off[0] = 0;
	assert_int_equal(virtqueue_setup(&dev, &vq, 0, 0), 0);
	assert_int_equal(virtio_reset(&dev), 0);
	virtqueue_destroy(&vq);
	assert_int_equal(f->dm->violations, 0);
}

static void queue_size_zero(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 2, 16);
	struct virtio_device dev;
	struct virtqueue vq;

	f->dm->q[1].num_max = 0;
	assert_int_equal(probe(f, &dev), 0);
	assert_int_equal(virtio_negotiate(&dev, 0), 0);
	assert_int_equal(virtqueue_setup(&dev, &vq, 1, 0), VIRTIO_ENOQUEUE);
	/* num_queues says 0: even queue 0 does not exist. */
	f->num_queues_override = 0;
	assert_int_equal(probe(f, &dev), 0);
	assert_int_equal(virtio_negotiate(&dev, 0), 0);
	assert_int_equal(virtqueue_setup(&dev, &vq, 0, 0), VIRTIO_ENOQUEUE);
	/* Nothing was ever written to queue_size (0 must never be). */
	assert_int_equal(f->queue_size[0], 0);
	assert_int_equal(f->queue_size[1], 0);
	vt_assert_no_violations(f->dm);
}

/* Thousands of mutated capability lists: the probe always ends (bounded
 * walk), only ever reads configuration space (any other access would
 * abort the host port), and when it accepts a layout every structure it
 * will use lies inside the assigned BAR with its required length. */
static uint32_t rnd_state = 0x2545f491u;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void random_capability_lists(void **state)
{
	(void)state;
	struct pm_func *f = pm_create(bus, 2, 4, false, 1, 16);
	unsigned accepted = 0, refused = 0;

	f->dm->quiet = true;
	for (unsigned iter = 0; iter < 4000; iter++) {
		struct virtio_device dev;
		unsigned flips = 1 + rnd() % 6;
		int rc;

		pm_build_caps(f);
		for (unsigned i = 0; i < flips; i++) {
			/* the pointer, or a byte of the capability area */
			unsigned at = rnd() % 8 == 0 ? 0x34 : 0x40 + rnd() % 0x60;
			uint8_t v = (uint8_t)rnd();

			if (rnd() % 2) /* favour small values: ids, types, bars, lengths */
				v &= 0x1f;
			pm_cfg_write8(f, at, v);
		}
		virtio_host_log_clear();
		rc = probe(f, &dev);
		if (rc == 0) {
			uint64_t end = BAR_BASE + PM_BAR_SIZE;

			accepted++;
			assert_true(pt.common >= BAR_BASE && pt.common + 56 <= end);
			assert_true(pt.isr >= BAR_BASE && pt.isr + 1 <= end);
			assert_true(pt.notify >= BAR_BASE && pt.notify + pt.notify_len <= end);
			assert_true(pt.notify_len >= 2);
			assert_true(pt.device == 0 ||
				    (pt.device >= BAR_BASE && pt.device + pt.device_len <= end));
			assert_true(pt.notify_mult == 0 ||
				    (pt.notify_mult >= 2 && !(pt.notify_mult & (pt.notify_mult - 1))));
		} else {
			refused++;
			assert_true(rc == VIRTIO_ECONFIG || rc == VIRTIO_EVERSION);
			assert_non_null(pt.error);
		}
	}
	/* Both outcomes were exercised. */
	assert_true(accepted > 100);
	assert_true(refused > 100);
}

/* ---- the bare-metal enumerator on the model's ECAM ---- */

static void enumerator(void **state)
{
	(void)state;
	const struct board_pci_host host = {
		.ecam_base = ECAM, .ecam_size = 0x10000000u,
		.mmio_base = BAR_BASE + 0x1000u, .mmio_size = 0x10000u,
	};
	struct pm_func *a = pm_create(bus, 1, 2, false, 1, 16);
	struct pm_func *b = pm_create(bus, 4, 3, true, 2, 16);
	struct pci_enum_function found[4];
	struct virtio_device dev;
	struct virtio_pci_transport pt2;

	assert_int_equal(pci_enum_scan(&host, found, 4), 2);
	assert_int_equal(found[0].device, 1);
	assert_int_equal(found[1].device, 4);
	assert_int_equal(found[0].vendor_id, 0x1af4);
	assert_int_equal(found[1].device_id, 0x1003);
	/* BAR 4: 16 KiB, naturally aligned inside the window, one after the
	 * other; BAR 5 is its upper half; the I/O BAR is left alone. */
	assert_int_equal(found[0].pci.bar[4].base, BAR_BASE + 0x4000u);
	assert_int_equal(found[0].pci.bar[4].size, PM_BAR_SIZE);
	assert_int_equal(found[1].pci.bar[4].base, BAR_BASE + 0x8000u);
	assert_int_equal(found[0].pci.bar[5].size, 0);
	assert_int_equal(found[1].pci.bar[0].size, 0);
	assert_int_equal(found[1].io_bars, 1u << 0);
	assert_int_equal(found[0].unplaced_bars, 0);
	assert_int_equal(a->mapped, BAR_BASE + 0x4000u);
	assert_int_equal(b->mapped, BAR_BASE + 0x8000u);
	/* What it found is what the transport takes. */
	assert_int_equal(virtio_pci_probe(&dev, &pt, &found[0].pci), 0);
	assert_int_equal(dev.device_id, 2);
	assert_int_equal(virtio_pci_probe(&dev, &pt2, &found[1].pci), 0);
	assert_int_equal(dev.device_id, 3);
	assert_true(pt2.transitional);
	vt_assert_no_violations(a->dm);
	vt_assert_no_violations(b->dm);
}

static void enumerator_window_full(void **state)
{
	(void)state;
	const struct board_pci_host host = {
		.ecam_base = ECAM, .ecam_size = 0x10000000u,
		.mmio_base = BAR_BASE, .mmio_size = 0x6000u, /* room for one BAR */
	};
	struct pci_enum_function found[4];
	struct virtio_device dev;

	pm_create(bus, 1, 2, false, 1, 16);
	pm_create(bus, 2, 2, false, 1, 16);
	assert_int_equal(pci_enum_scan(&host, found, 4), 2);
	assert_int_equal(found[0].pci.bar[4].size, PM_BAR_SIZE);
	assert_int_equal(found[1].pci.bar[4].size, 0);
	assert_int_equal(found[1].unplaced_bars, 1u << 4);
	/* The one without room is refused by the transport, clearly. */
	assert_int_equal(virtio_pci_probe(&dev, &pt, &found[1].pci), VIRTIO_ECONFIG);
	assert_non_null(strstr(pt.error, "not assigned"));
	/* No PCIe on the board: nothing. */
	const struct board_pci_host none = { 0 };
	assert_int_equal(pci_enum_scan(&none, found, 4), 0);
}

/* Bridges: bus numbers depth first, each memory window over exactly what
 * lies behind it, I/O and prefetchable windows closed, bus mastering on. */
static void enumerator_bridges(void **state)
{
	(void)state;
	const struct board_pci_host host = {
		.ecam_base = ECAM, .ecam_size = 0x10000000u,
		.mmio_base = BAR_BASE, .mmio_size = 0x10000000u,
	};
	/* 00:01 bridge A -> bus 1: 01:00 bridge B -> bus 2: 02:03 blk
	 * 00:02 bridge C -> bus 3: 03:00 rng;  00:05 blk on bus 0 */
	struct pm_bus *bus1 = pm_bus_create(ECAM + (1u << 20), DM_BASE + 0x100000u);
	struct pm_bus *bus2 = pm_bus_create(ECAM + (2u << 20), DM_BASE + 0x200000u);
	struct pm_bus *bus3 = pm_bus_create(ECAM + (3u << 20), DM_BASE + 0x300000u);
	struct pm_func *a = pm_bridge_create(bus, 1);
	struct pm_func *c = pm_bridge_create(bus, 2);
	struct pm_func *e = pm_create(bus, 5, 2, false, 1, 16);
	struct pm_func *b = pm_bridge_create(bus1, 0);
	struct pm_func *d = pm_create(bus2, 3, 2, false, 1, 16);
	struct pm_func *r = pm_create(bus3, 0, 4, false, 1, 16);
	struct pci_enum_function found[8];
	const unsigned want_bus[] = { 0, 1, 2, 0, 3, 0 };
	const unsigned want_dev[] = { 1, 0, 3, 2, 0, 5 };

	assert_int_equal(pci_enum_scan(&host, found, 8), 6);
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(found[i].bus, want_bus[i]);
		assert_int_equal(found[i].device, want_dev[i]);
	}
	/* bus numbers */
	assert_int_equal(a->cfg[0x18], 0);
	assert_int_equal(a->cfg[0x19], 1);
	assert_int_equal(a->cfg[0x1a], 2); /* B's bus is behind A too */
	assert_int_equal(b->cfg[0x18], 1);
	assert_int_equal(b->cfg[0x19], 2);
	assert_int_equal(b->cfg[0x1a], 2);
	assert_int_equal(c->cfg[0x19], 3);
	assert_int_equal(c->cfg[0x1a], 3);
	assert_int_equal(found[0].secondary, 1);
	assert_int_equal(found[0].subordinate, 2);
	/* windows: [base, limit] in 1 MiB units cover the BARs behind, nested */
	uint64_t a_base = (uint64_t)pm_cfg_read16(a, 0x20) << 16;
	uint64_t a_end = ((uint64_t)pm_cfg_read16(a, 0x22) << 16) + 0x100000u;
	uint64_t b_base = (uint64_t)pm_cfg_read16(b, 0x20) << 16;
	uint64_t b_end = ((uint64_t)pm_cfg_read16(b, 0x22) << 16) + 0x100000u;
	uint64_t c_base = (uint64_t)pm_cfg_read16(c, 0x20) << 16;
	uint64_t c_end = ((uint64_t)pm_cfg_read16(c, 0x22) << 16) + 0x100000u;
	assert_true(d->mapped >= b_base && d->mapped + PM_BAR_SIZE <= b_end);
	assert_true(b_base >= a_base && b_end <= a_end);
	assert_true(r->mapped >= c_base && r->mapped + PM_BAR_SIZE <= c_end);
	assert_true(c_base >= a_end); /* windows of siblings do not overlap */
	assert_true(e->mapped != 0 && (e->mapped >= c_end || e->mapped + PM_BAR_SIZE <= a_base));
	assert_int_equal(found[0].window_base, a_base);
	assert_int_equal(found[0].window_size, a_end - a_base);
	/* closed windows: base above limit */
	assert_true(a->cfg[0x1c] > a->cfg[0x1d]);
	assert_true(pm_cfg_read16(a, 0x24) > pm_cfg_read16(a, 0x26));
	/* memory decoding and bus mastering on the bridges */
	assert_int_equal(pm_cfg_read16(a, 0x04) & 0x6, 0x6);
	assert_int_equal(pm_cfg_read16(b, 0x04) & 0x6, 0x6);
	assert_int_equal(pm_cfg_read16(c, 0x04) & 0x6, 0x6);
	/* the device two bridges down works through the transport */
	struct virtio_device dev;
	assert_int_equal(virtio_pci_probe(&dev, &pt, &found[2].pci), 0);
	assert_int_equal(dev.device_id, 2);
	vt_assert_no_violations(a->dm);
	vt_assert_no_violations(b->dm);
	vt_assert_no_violations(d->dm);
	pm_bus_destroy(bus1);
	pm_bus_destroy(bus2);
	pm_bus_destroy(bus3);
}

/* An endless chain of bridges (each bus shows one more): the scan stops
 * at PCI_ENUM_MAX_DEPTH instead of using up every bus number. */
static void enumerator_bridge_depth(void **state)
{
	(void)state;
	const struct board_pci_host host = {
		.ecam_base = ECAM, .ecam_size = 0x10000000u,
		.mmio_base = BAR_BASE, .mmio_size = 0x10000000u,
	};
	struct pm_bus *buses[PCI_ENUM_MAX_DEPTH + 2];
	struct pci_enum_function found[32];
	unsigned n;

	pm_bridge_create(bus, 1);
	for (unsigned i = 1; i < PCI_ENUM_MAX_DEPTH + 2; i++) {
		buses[i] = pm_bus_create(ECAM + (i << 20), DM_BASE + (i << 20));
		pm_bridge_create(buses[i], 0);
	}
	n = pci_enum_scan(&host, found, 32);
	assert_int_equal(n, PCI_ENUM_MAX_DEPTH + 1);
	assert_int_equal(found[PCI_ENUM_MAX_DEPTH].secondary, 0); /* not followed */
	for (unsigned i = 1; i < PCI_ENUM_MAX_DEPTH + 2; i++)
		pm_bus_destroy(buses[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(probe_modern, setup, teardown),
		cmocka_unit_test_setup_teardown(probe_transitional, setup, teardown),
		cmocka_unit_test_setup_teardown(probe_not_virtio, setup, teardown),
		cmocka_unit_test_setup_teardown(probe_legacy_only, setup, teardown),
		cmocka_unit_test_setup_teardown(blk_over_pci, setup, teardown),
		cmocka_unit_test_setup_teardown(features_64bit, setup, teardown),
		cmocka_unit_test_setup_teardown(config_space, setup, teardown),
		cmocka_unit_test_setup_teardown(isr_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(notify_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(reset_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(cap_list_loops, setup, teardown),
		cmocka_unit_test_setup_teardown(cap_pointer_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(cap_outside_bar, setup, teardown),
		cmocka_unit_test_setup_teardown(cap_too_short, setup, teardown),
		cmocka_unit_test_setup_teardown(cap_past_config_space, setup, teardown),
		cmocka_unit_test_setup_teardown(bar_not_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(bar_not_assigned, setup, teardown),
		cmocka_unit_test_setup_teardown(cap_preference, setup, teardown),
		cmocka_unit_test_setup_teardown(notify_multiplier_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(notify_multiplier_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(queue_size_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(random_capability_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(enumerator, setup, teardown),
		cmocka_unit_test_setup_teardown(enumerator_window_full, setup, teardown),
		cmocka_unit_test_setup_teardown(enumerator_bridges, setup, teardown),
		cmocka_unit_test_setup_teardown(enumerator_bridge_depth, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
