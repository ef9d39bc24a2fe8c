/*
 * Self-test firmware: scans every virtio-mmio slot of the board, reports
 * each device (id, name, transport version, offered and negotiated
 * features), runs the self-tests of every driver the runtime has, and
 * exits 0 only when every test passed.
 *
 * Output lines read by tests/qemu/harness.py (one per line):
 *   BOOT board=<name>
 *   DEVICE slot=<n> addr=0x<hex> id=<id> transport=<legacy|modern> version=<v> vendor=0x<hex> name="<name>"
 *   DEVICE slot=<100+256*bus+8*dev+fn> addr=0x<ecam> id=<id> transport=pci pci=<bus>:<dev>.<fn> pci_id=0x<hex>
 *          iface=<modern|transitional> notify_mult=<n> version=<PCI revision> vendor=0x<hex>
 *          name="<name>"
 *   PCI functions=<n> virtio=<m>  (functions found on the PCIe buses,
 *                      of them virtio)
 *   PCI bridge=<bus>:<dev>.<fn> buses=<secondary>-<subordinate> window=0x<base>+0x<size>
 *   FEATURES slot=<n> offered|negotiated=0x<hex> <name> <name> ...
 *   INPUT slot=<n> name="<name the input device reports>" kind=<kind> ... (selftest_input.c)
 *   SKIP slot=<n> id=<id> reason=<text>
 *   RESULT <device><index> <test> PASS|FAIL <detail>
 *   (driver-specific lines: see selftest_<device>.c)
 *   SUMMARY pass=<n> fail=<n> devices=<n> skipped=<n> time_us=<n> dma_bytes=<n>
 *
 * Build-time fault injection, for the harness's own negative tests:
 *   SELFTEST_INJECT=1  adds a failing RESULT line
 *   SELFTEST_INJECT=2  hangs after the device scan (no SUMMARY, no exit)
 *   SELFTEST_INJECT=3  takes an exception after the device scan
 */
#include "selftest.h"
#include "pci_enum.h"

#ifndef SELFTEST_INJECT
#define SELFTEST_INJECT 0
#endif
#ifndef SELFTEST_IRQ
#define SELFTEST_IRQ 0
#endif

/* Every driver self-test the firmware may contain (selftest_<device>.c). */
extern const struct selftest_driver selftest_blk __attribute__((weak));
extern const struct selftest_driver selftest_rng __attribute__((weak));
extern const struct selftest_driver selftest_net __attribute__((weak));
extern const struct selftest_driver selftest_console __attribute__((weak));
extern const struct selftest_driver selftest_gpu __attribute__((weak));
extern const struct selftest_driver selftest_input __attribute__((weak));
/* Interrupt-driven tests (selftest_irq.c, SELFTEST_IRQ=1 only). */
extern const struct selftest_driver selftest_irq __attribute__((weak));

#if SELFTEST_IRQ
/* selftest-irq.elf: the interrupt-driven tests alone (device_id 0: they
 * probe the slots themselves; the scan reports every device as SKIP). */
static const struct selftest_driver *const drivers[] = { &selftest_irq };
#else
static const struct selftest_driver *const drivers[] = {
	&selftest_blk, &selftest_rng, &selftest_net,
	&selftest_console, &selftest_gpu, &selftest_input,
};
#endif

#define N_DRIVERS (sizeof(drivers) / sizeof(drivers[0]))

static unsigned n_pass, n_fail, n_devices, n_skipped;

void selftest_result(const char *dev, unsigned index, const char *test, bool pass,
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

void selftest_print_features(unsigned slot, const char *what, uint32_t id, uint64_t bits)
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

void selftest_skip(unsigned slot, uint32_t id, const char *reason)
{
	board_printf("SKIP slot=%u id=%u reason=%s\n", slot, (unsigned)id, reason);
	n_skipped++;
}

static const struct selftest_driver *driver_for(uint32_t device_id)
{
	for (unsigned i = 0; i < N_DRIVERS; i++)
		if (drivers[i] != NULL && drivers[i]->device_id == device_id)
			return drivers[i];
	return NULL;
}

/* ---- devices without a driver ---- */

/* Negotiates nothing device-specific (to show what is offered and what the
 * runtime would accept), then resets the device and leaves it alone. */
static void skip_device(unsigned slot, struct virtio_device *dev)
{
	int rc = virtio_negotiate(dev, 0);

	selftest_print_features(slot, "offered", dev->device_id, dev->offered);
	if (rc == 0)
		selftest_print_features(slot, "negotiated", dev->device_id, dev->features);
	virtio_reset(dev);
	selftest_skip(slot, dev->device_id, "no-driver");
}

static void scan(void)
{
	for (unsigned slot = 0; slot < board_virtio_mmio_slot_count; slot++) {
		const struct selftest_driver *driver;
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
		driver = driver_for(dev.device_id);
		if (driver != NULL)
			driver->attach(slot, &dev);
		else
			skip_device(slot, &dev);
	}
}

/* ---- virtio-pci: bus 0 of the board's PCIe host, after the mmio slots ---- */

/* PCI devices get slot numbers PCI_SLOT_BASE + (bus << 8 | device << 3 |
 * function), so FEATURES/SKIP/RESULT lines stay keyed by a number. */
#define PCI_SLOT_BASE 100u
#define MAX_PCI 64u

static struct pci_enum_function pci_fns[MAX_PCI];
/* The transports must outlive the scan: drivers keep copies of dev. */
static struct virtio_pci_transport pci_transports[MAX_PCI];

static void scan_pci(void)
{
	unsigned n = pci_enum_scan(&board_pci, pci_fns, MAX_PCI);
	unsigned found = n, virtio = 0;

	if (n > MAX_PCI)
		n = MAX_PCI;
	for (unsigned i = 0; i < n; i++)
		virtio += pci_fns[i].vendor_id == VIRTIO_PCI_VENDOR_ID;
	board_printf("PCI functions=%u virtio=%u%s\n", found, virtio,
		     virtio == 0 ? " (no virtio-pci device)" : "");
	for (unsigned i = 0; i < n; i++) {
		const struct pci_enum_function *f = &pci_fns[i];
		struct virtio_pci_transport *t = &pci_transports[i];
		unsigned slot = PCI_SLOT_BASE + (f->bus * 256u | f->device * 8u | f->function);
		const struct selftest_driver *driver;
		struct virtio_device dev;
		int rc;

		if (f->header_type == PCI_HEADER_TYPE_BRIDGE)
			board_printf("PCI bridge=%02x:%02x.%x buses=%u-%u window=0x%llx+0x%llx\n",
				     f->bus, f->device, f->function, f->secondary,
				     f->subordinate, (unsigned long long)f->window_base,
				     (unsigned long long)f->window_size);
		if (f->vendor_id != VIRTIO_PCI_VENDOR_ID)
			continue; /* the host bridge, or not ours */
		rc = virtio_pci_probe(&dev, t, &f->pci);
		if (rc != 0) {
			board_printf("SKIP slot=%u id=? pci=%02x:%02x.%x reason=probe:%d(%s) detail=\"%s\"\n",
				     slot, f->bus, f->device, f->function, rc,
				     virtio_strerror(rc), t->error ? t->error : "");
			n_skipped++;
			continue;
		}
		n_devices++;
		board_printf("DEVICE slot=%u addr=0x%llx id=%u transport=pci pci=%02x:%02x.%x"
			     " pci_id=0x%04x iface=%s notify_mult=%u revision=%u vendor=0x%08x"
			     " name=\"%s\"\n",
			     slot, (unsigned long long)f->pci.cfg, (unsigned)dev.device_id,
			     f->bus, f->device, f->function, f->device_id,
			     t->transitional ? "transitional" : "modern",
			     (unsigned)t->notify_mult, (unsigned)dev.version,
			     (unsigned)dev.vendor_id, device_name(dev.device_id));
		driver = driver_for(dev.device_id);
		if (driver != NULL)
			driver->attach(slot, &dev);
		else
			skip_device(slot, &dev);
	}
}

int main(void)
{
	uint64_t t0 = board_time_us();

	board_printf("BOOT board=%s slots=%u\n", board_name, board_virtio_mmio_slot_count);
	scan();
	scan_pci();
#if SELFTEST_INJECT == 2
	board_printf("INJECT hang\n");
	for (;;)
		;
#elif SELFTEST_INJECT == 3
	board_printf("INJECT exception\n");
	__builtin_trap();
#endif
	for (unsigned i = 0; i < N_DRIVERS; i++)
		if (drivers[i] != NULL)
			drivers[i]->run();
#if SELFTEST_INJECT == 1
	selftest_result("selftest", 0, "injected-failure", false, "built with SELFTEST_INJECT=1");
#endif
	board_printf("SUMMARY pass=%u fail=%u devices=%u skipped=%u time_us=%llu dma_bytes=%zu\n",
		     n_pass, n_fail, n_devices, n_skipped,
		     (unsigned long long)(board_time_us() - t0), board_dma_used());
	return n_fail == 0 ? EXIT_PASS : EXIT_TESTS_FAILED;
}
