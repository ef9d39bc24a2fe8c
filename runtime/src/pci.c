/*
 * virtio-pci transport, modern interface (spec 4.1.4, 4.1.5). Every value
 * read from configuration space or the capability structures is checked
 * before it becomes an address: the capability walk is bounded and
 * loop-checked, each structure must lie inside an assigned memory BAR, and
 * each queue's notification address inside the notification structure.
 */
#include <virtio/pci.h>

/* Capability pointers live in [PCI_STD_HEADER_SIZEOF, PCI_CFG_SPACE_SIZE)
 * on dword boundaries: at most this many distinct capabilities. */
#define CAP_SLOTS ((PCI_CFG_SPACE_SIZE - PCI_STD_HEADER_SIZEOF) / 4)

static struct virtio_pci_transport *tp(const struct virtio_device *dev)
{
	return (struct virtio_pci_transport *)dev->base;
}

/* ---- errors ---- */

static void append(char *buf, size_t size, size_t *len, const char *s)
{
	while (*s && *len + 1 < size)
		buf[(*len)++] = *s++;
	buf[*len] = '\0';
}

static void log_error(const char *what, const char *why)
{
	char msg[128];
	size_t n = 0;

	append(msg, sizeof(msg), &n, "virtio-pci: ");
	append(msg, sizeof(msg), &n, what);
	append(msg, sizeof(msg), &n, ": ");
	append(msg, sizeof(msg), &n, why);
	virtio_port_log(VIRTIO_LOG_ERROR, msg);
}

static __attribute__((noinline)) int
fail(struct virtio_pci_transport *t, int err, const char *why, unsigned at)
{
	t->error = why;
	t->error_at = (uint16_t)at;
	log_error("probe", why);
	return err;
}

/* ---- probe: capability walk ---- */

/* One structure the transport needs, as found in the capability list. */
struct found {
	uintptr_t addr;
	uint32_t len;
	uint32_t mult;     /* notify only */
	const char *why;   /* first reason a candidate was refused */
	unsigned why_at;
};

static const char *const cap_names[] = {
	[VIRTIO_PCI_CAP_COMMON_CFG] = "common configuration",
	[VIRTIO_PCI_CAP_NOTIFY_CFG] = "notification",
	[VIRTIO_PCI_CAP_ISR_CFG] = "ISR status",
	[VIRTIO_PCI_CAP_DEVICE_CFG] = "device configuration",
};

/* Smallest length and required alignment of each structure's offset. */
static const uint32_t cap_min_len[] = {
	[VIRTIO_PCI_CAP_COMMON_CFG] = sizeof(struct virtio_pci_common_cfg),
	[VIRTIO_PCI_CAP_NOTIFY_CFG] = VIRTIO_PCI_NOTIFY_WIDTH,
	[VIRTIO_PCI_CAP_ISR_CFG] = 1,
	[VIRTIO_PCI_CAP_DEVICE_CFG] = 0,
};
static const uint32_t cap_align[] = {
	[VIRTIO_PCI_CAP_COMMON_CFG] = 4,
	[VIRTIO_PCI_CAP_NOTIFY_CFG] = 2,
	[VIRTIO_PCI_CAP_ISR_CFG] = 1,
	[VIRTIO_PCI_CAP_DEVICE_CFG] = 4,
};

/* A bar value above 5 is reserved: the capability is ignored (4.1.4.1). */
static const char reserved_bar[] = "reserved bar value";

/* Why the capability at `at` of `type` cannot be used, or NULL (then *f
 * is filled). */
static const char *use_cap(const struct virtio_pci_function *fn, unsigned at,
			   unsigned type, struct found *f)
{
	uintptr_t cfg = fn->cfg;
	uint8_t cap_len = virtio_port_read8(cfg + at + VIRTIO_PCI_CAP_LEN);
	unsigned need = type == VIRTIO_PCI_CAP_NOTIFY_CFG
				? sizeof(struct virtio_pci_notify_cap)
				: sizeof(struct virtio_pci_cap);
	uint8_t bar;
	uint32_t bar_reg, off, len, mult = 0;

	if (cap_len < need)
		return "capability shorter than its structure";
	if (at + need > PCI_CFG_SPACE_SIZE)
		return "capability runs past the end of configuration space";
	bar = virtio_port_read8(cfg + at + VIRTIO_PCI_CAP_BAR);
	if (bar >= PCI_NUM_BARS)
		return reserved_bar;
	off = virtio_port_read32(cfg + at + VIRTIO_PCI_CAP_OFFSET);
	len = virtio_port_read32(cfg + at + VIRTIO_PCI_CAP_LENGTH);
	if (type == VIRTIO_PCI_CAP_NOTIFY_CFG)
		mult = virtio_port_read32(cfg + at + VIRTIO_PCI_NOTIFY_CAP_MULT);

	bar_reg = virtio_port_read32(cfg + PCI_BASE_ADDRESS_0 + 4u * bar);
	if ((bar_reg & PCI_BASE_ADDRESS_SPACE) == PCI_BASE_ADDRESS_SPACE_IO)
		return "structure on an I/O-space BAR (only memory BARs are supported)";
	if (fn->bar[bar].size == 0 || fn->bar[bar].base == 0)
		return "structure on a BAR that is not assigned";
	if (len < cap_min_len[type])
		return "structure shorter than the spec requires";
	if ((uint64_t)off + len > fn->bar[bar].size)
		return "structure outside its BAR";
	if (off % cap_align[type])
		return "structure offset misaligned";
	if (type == VIRTIO_PCI_CAP_NOTIFY_CFG &&
	    mult != 0 && (mult < 2 || (mult & (mult - 1)) != 0))
		return "notify_off_multiplier is not 0 or a power of 2 of at least 2";
	f->addr = fn->bar[bar].base + off;
	f->len = len;
	f->mult = mult;
	return NULL;
}

/* Walks the capability list once; fills found[type] with the first
 * usable capability of each type (4.1.4: the device lists them in order
 * of preference). Returns NULL or why the list itself is broken. */
static const char *walk_caps(const struct virtio_pci_function *fn,
			     struct found found[5], unsigned *bad_at)
{
	uintptr_t cfg = fn->cfg;
	uint64_t seen = 0; /* one bit per dword slot of the capability area */
	unsigned at;

	if (!(virtio_port_read16(cfg + PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return "no capability list";
	/* The low two bits of every pointer are reserved (PCI 3.0, 6.7). */
	at = virtio_port_read8(cfg + PCI_CAPABILITY_LIST) & ~3u;
	while (at != 0) {
		unsigned slot, type;

		*bad_at = at;
		if (at < PCI_STD_HEADER_SIZEOF || at >= PCI_CFG_SPACE_SIZE)
			return "capability pointer outside the capability area";
		slot = (at - PCI_STD_HEADER_SIZEOF) / 4;
		if (seen & (1ull << slot))
			return "capability list loops";
		seen |= 1ull << slot;
		if (virtio_port_read8(cfg + at + PCI_CAP_LIST_ID) == PCI_CAP_ID_VNDR) {
			type = virtio_port_read8(cfg + at + VIRTIO_PCI_CAP_CFG_TYPE);
			/* Other types (PCI_CFG, shared memory, reserved) are not
			 * used here. */
			if (type >= VIRTIO_PCI_CAP_COMMON_CFG &&
			    type <= VIRTIO_PCI_CAP_DEVICE_CFG &&
			    found[type].addr == 0) {
				const char *why = use_cap(fn, at, type, &found[type]);

				if (why != NULL && why != reserved_bar) {
					log_error(cap_names[type], why);
					if (found[type].why == NULL) {
						found[type].why = why;
						found[type].why_at = at;
					}
				}
			}
		}
		at = virtio_port_read8(cfg + at + PCI_CAP_LIST_NEXT) & ~3u;
	}
	*bad_at = 0;
	return NULL;
}

int virtio_pci_probe(struct virtio_device *dev, struct virtio_pci_transport *t,
		     const struct virtio_pci_function *fn)
{
	static const unsigned required[] = {
		VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_CAP_NOTIFY_CFG,
		VIRTIO_PCI_CAP_ISR_CFG,
	};
	struct found found[5] = { { 0 } };
	uintptr_t cfg = fn->cfg;
	uint16_t vendor, device, cmd;
	const char *why;
	unsigned bad_at = 0;
	bool modern_seen = false;

	*dev = (struct virtio_device){ 0 };
	*t = (struct virtio_pci_transport){ 0 };
	t->cfg = cfg;
#if defined(VIRTIO_ACCEPT_MODERN) && !VIRTIO_ACCEPT_MODERN
	/* Only the modern interface is driven over PCI. */
	return fail(t, VIRTIO_EVERSION, "modern interface not built in", 0);
#endif

	vendor = virtio_port_read16(cfg + PCI_VENDOR_ID);
	if (vendor != VIRTIO_PCI_VENDOR_ID)
		return fail(t, VIRTIO_ENODEV, "not a VirtIO function (vendor id)", 0);
	device = virtio_port_read16(cfg + PCI_DEVICE_ID);
	t->pci_device_id = device;
	t->revision = virtio_port_read8(cfg + PCI_REVISION_ID);
	if (device >= VIRTIO_PCI_DEVICE_ID_MODERN_BASE &&
	    device <= VIRTIO_PCI_DEVICE_ID_MODERN_LAST) {
		dev->device_id = device - VIRTIO_PCI_DEVICE_ID_MODERN_BASE;
	} else if (device >= VIRTIO_PCI_DEVICE_ID_TRANS_FIRST &&
		   device <= VIRTIO_PCI_DEVICE_ID_TRANS_LAST) {
		/* Transitional: the type is the Subsystem Device ID (4.1.2.3). */
		t->transitional = true;
		dev->device_id = virtio_port_read16(cfg + PCI_SUBSYSTEM_ID);
	} else {
		return fail(t, VIRTIO_ENODEV, "not a VirtIO function (device id)", 0);
	}
	if (dev->device_id == 0)
		return fail(t, VIRTIO_ENODEV, "device type 0 (reserved)", 0);
	dev->vendor_id = virtio_port_read16(cfg + PCI_SUBSYSTEM_VENDOR_ID);
	dev->version = t->revision;

	why = walk_caps(fn, found, &bad_at);
	if (why != NULL && bad_at == 0)
		return fail(t, VIRTIO_EVERSION, "no capability list: legacy-only device", 0);
	if (why != NULL)
		return fail(t, VIRTIO_ECONFIG, why, bad_at);
	for (unsigned i = 0; i < 5; i++)
		modern_seen |= found[i].addr != 0 || found[i].why != NULL;
	if (!modern_seen)
		return fail(t, VIRTIO_EVERSION,
			    "no virtio capabilities: legacy-only device", 0);
	for (unsigned i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		const struct found *f = &found[required[i]];

		if (f->addr != 0)
			continue;
		if (f->why != NULL)
			return fail(t, VIRTIO_ECONFIG, f->why, f->why_at);
		return fail(t, VIRTIO_ECONFIG, "a required capability is missing", 0);
	}
	if (found[VIRTIO_PCI_CAP_DEVICE_CFG].addr == 0 &&
	    found[VIRTIO_PCI_CAP_DEVICE_CFG].why != NULL)
		return fail(t, VIRTIO_ECONFIG, found[VIRTIO_PCI_CAP_DEVICE_CFG].why,
			    found[VIRTIO_PCI_CAP_DEVICE_CFG].why_at);

	t->common = found[VIRTIO_PCI_CAP_COMMON_CFG].addr;
	t->notify = found[VIRTIO_PCI_CAP_NOTIFY_CFG].addr;
	t->notify_len = found[VIRTIO_PCI_CAP_NOTIFY_CFG].len;
	t->notify_mult = found[VIRTIO_PCI_CAP_NOTIFY_CFG].mult;
	t->isr = found[VIRTIO_PCI_CAP_ISR_CFG].addr;
	t->device = found[VIRTIO_PCI_CAP_DEVICE_CFG].addr;
	t->device_len = found[VIRTIO_PCI_CAP_DEVICE_CFG].len;

	/* The structures are in memory BARs and the rings in RAM the device
	 * reads: memory decoding and bus mastering must be on. */
	cmd = virtio_port_read16(cfg + PCI_COMMAND);
	if ((cmd & (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)) !=
	    (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER))
		virtio_port_write16(cfg + PCI_COMMAND,
				    cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	t->num_queues = virtio_port_read16(t->common + VIRTIO_PCI_COMMON_NUMQ);

	dev->base = (uintptr_t)t;
	dev->legacy = false;
	dev->ops = &virtio_pci_ops;
	return VIRTIO_OK;
}

/* ---- ops ---- */

static uint8_t pci_get_status(struct virtio_device *dev)
{
	return virtio_port_read8(tp(dev)->common + VIRTIO_PCI_COMMON_STATUS);
}

static void pci_set_status(struct virtio_device *dev, uint8_t status)
{
	virtio_port_write8(tp(dev)->common + VIRTIO_PCI_COMMON_STATUS, status);
}

/* As in mmio.c: the low 32 bits of the clock, no 64-bit arithmetic. */
_Static_assert(VIRTIO_RESET_TIMEOUT_US <= 0x7fffffffu,
	       "VIRTIO_RESET_TIMEOUT_US must stay below 2^31 us");

static int pci_reset(struct virtio_device *dev)
{
	uint32_t start;

	pci_set_status(dev, 0);
	/* The driver must wait until device_status reads 0 (4.1.4.3.2). */
	start = (uint32_t)virtio_port_time_us();
	while (pci_get_status(dev) != 0) {
		if ((uint32_t)virtio_port_time_us() - start >
		    VIRTIO_RESET_TIMEOUT_US)
			return VIRTIO_ETIMEDOUT;
	}
	return VIRTIO_OK;
}

static uint64_t pci_get_features(struct virtio_device *dev)
{
	uintptr_t c = tp(dev)->common;
	uint64_t f = 0;

	for (unsigned w = 2; w--;) {
		virtio_port_write32(c + VIRTIO_PCI_COMMON_DFSELECT, w);
		f = f << 32 | virtio_port_read32(c + VIRTIO_PCI_COMMON_DF);
	}
	return f;
}

static void pci_set_features(struct virtio_device *dev, uint64_t f)
{
	uintptr_t c = tp(dev)->common;

	for (unsigned w = 0; w < 2; w++, f >>= 32) {
		virtio_port_write32(c + VIRTIO_PCI_COMMON_GFSELECT, w);
		virtio_port_write32(c + VIRTIO_PCI_COMMON_GF, (uint32_t)f);
	}
}

static uint32_t pci_config_generation(struct virtio_device *dev)
{
	return virtio_port_read8(tp(dev)->common + VIRTIO_PCI_COMMON_CFGGENERATION);
}

/* Only inside the device configuration structure: a driver asking for
 * more than the device has gets 0 (reads) or nothing (writes). */
static __attribute__((noinline)) bool
config_in_range(struct virtio_device *dev, uint32_t off, unsigned width)
{
	const struct virtio_pci_transport *t = tp(dev);

	/* off + width <= device_len, without 64-bit arithmetic */
	if (width <= t->device_len && off <= t->device_len - width)
		return true;
	log_error("config access", "outside the device configuration structure");
	return false;
}

/* Little-endian; a misaligned field is accessed byte by byte, as is a
 * 1-byte one (the byte loop's single iteration). */
static uint32_t pci_config_read(struct virtio_device *dev, uint32_t off,
				unsigned width)
{
	uintptr_t a = tp(dev)->device + off;
	uint32_t v = 0;

	if (!config_in_range(dev, off, width))
		return 0;
	if (width > 1 && off % width == 0)
		return width == 2 ? virtio_port_read16(a) : virtio_port_read32(a);
	for (unsigned sh = 0; sh < 8 * width; sh += 8)
		v |= (uint32_t)virtio_port_read8(a++) << sh;
	return v;
}

static void pci_config_write(struct virtio_device *dev, uint32_t off,
			     unsigned width, uint32_t v)
{
	uintptr_t a = tp(dev)->device + off;

	if (!config_in_range(dev, off, width))
		return;
	if (width > 1 && off % width == 0) {
		if (width == 2)
			virtio_port_write16(a, (uint16_t)v);
		else
			virtio_port_write32(a, v);
		return;
	}
	for (; width--; v >>= 8)
		virtio_port_write8(a++, (uint8_t)v);
}

static uint16_t pci_queue_max(struct virtio_device *dev, uint16_t index)
{
	const struct virtio_pci_transport *t = tp(dev);
	uint16_t size;

	if (index >= t->num_queues || index >= VIRTIO_PCI_MAX_QUEUES)
		return 0;
	virtio_port_write16(t->common + VIRTIO_PCI_COMMON_Q_SELECT, index);
	/* 0: the queue is unavailable (4.1.4.3.1). */
	size = virtio_port_read16(t->common + VIRTIO_PCI_COMMON_Q_SIZE);
	return size > VIRTIO_RING_MAX_SIZE ? VIRTIO_RING_MAX_SIZE : size;
}

_Static_assert(VIRTIO_PCI_COMMON_Q_DESCHI == VIRTIO_PCI_COMMON_Q_DESCLO + 4 &&
	       VIRTIO_PCI_COMMON_Q_AVAILLO == VIRTIO_PCI_COMMON_Q_DESCLO + 8 &&
	       VIRTIO_PCI_COMMON_Q_AVAILHI == VIRTIO_PCI_COMMON_Q_DESCLO + 12 &&
	       VIRTIO_PCI_COMMON_Q_USEDLO == VIRTIO_PCI_COMMON_Q_DESCLO + 16 &&
	       VIRTIO_PCI_COMMON_Q_USEDHI == VIRTIO_PCI_COMMON_Q_DESCLO + 20,
	       "virtio-pci queue address fields moved");

static int pci_queue_enable(struct virtio_device *dev, uint16_t index,
			    const struct virtio_queue_addr *q)
{
	struct virtio_pci_transport *t = tp(dev);
	uintptr_t c = t->common;
	uint64_t pos;

	if (index >= t->num_queues || index >= VIRTIO_PCI_MAX_QUEUES)
		return VIRTIO_ENOQUEUE;
	if (q->size == 0)
		return VIRTIO_EINVAL; /* never write 0 to queue_size */
	virtio_port_write16(c + VIRTIO_PCI_COMMON_Q_SELECT, index);
	if (virtio_port_read16(c + VIRTIO_PCI_COMMON_Q_ENABLE) != 0)
		return VIRTIO_EQUEUEBUSY;
	/* 64-bit product: a 16-bit offset times a 32-bit multiplier cannot
	 * wrap, and the result must leave room for the 2-byte write. */
	pos = (uint64_t)virtio_port_read16(c + VIRTIO_PCI_COMMON_Q_NOFF) *
	      t->notify_mult;
	if (pos + VIRTIO_PCI_NOTIFY_WIDTH > t->notify_len) {
		log_error("queue_enable",
			  "queue_notify_off * notify_off_multiplier outside the notification structure");
		return VIRTIO_ECONFIG;
	}
	t->queue_notify[index] = (uint32_t)pos;
	virtio_port_write16(c + VIRTIO_PCI_COMMON_Q_SIZE, q->size);
	/* The three addresses are consecutive low/high dword pairs. */
	c += VIRTIO_PCI_COMMON_Q_DESCLO;
	for (unsigned i = 0; i < 3; i++, c += 8) {
		virtio_port_write32(c, (uint32_t)q->area[i]);
		virtio_port_write32(c + 4, (uint32_t)(q->area[i] >> 32));
	}
	/* Everything above must reach the device before the queue is live. */
	virtio_port_mb();
	virtio_port_write16(t->common + VIRTIO_PCI_COMMON_Q_ENABLE, 1);
	return VIRTIO_OK;
}

static void pci_notify(struct virtio_device *dev, uint16_t index)
{
	const struct virtio_pci_transport *t = tp(dev);

	if (index < VIRTIO_PCI_MAX_QUEUES)
		virtio_port_write16(t->notify + t->queue_notify[index], index);
}

/* Reading the ISR byte acknowledges it (4.1.4.5); its two bits have the
 * values of VIRTIO_MMIO_INT_VRING/CONFIG. */
static uint32_t pci_interrupt_ack(struct virtio_device *dev)
{
	return virtio_port_read8(tp(dev)->isr) &
	       (VIRTIO_PCI_ISR_QUEUE | VIRTIO_PCI_ISR_CONFIG);
}

const struct virtio_transport_ops virtio_pci_ops = {
	.reset = pci_reset,
	.get_status = pci_get_status,
	.set_status = pci_set_status,
	.get_features = pci_get_features,
	.set_features = pci_set_features,
	.config_generation = pci_config_generation,
	.config_read = pci_config_read,
	.config_write = pci_config_write,
	.queue_max = pci_queue_max,
	.queue_enable = pci_queue_enable,
	.notify = pci_notify,
	.interrupt_ack = pci_interrupt_ack,
};
