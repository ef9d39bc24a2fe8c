/*
 * Runtime core: error codes, the device handle, feature negotiation and
 * device configuration access.
 *
 * Typical bring-up (spec 3.1.1):
 *
 *     struct virtio_device dev;
 *     if (virtio_mmio_probe(&dev, base) != 0) ...        // transport.h
 *     if (virtio_negotiate(&dev, wanted) != 0) ...       // FAILED is set
 *     ... read config, virtqueue_setup() each queue ...
 *     if (virtio_driver_ok(&dev) != 0) ...
 *
 * Every function returning int returns 0 (VIRTIO_OK) or a negative
 * enum virtio_error value; virtio_strerror() names it.
 */
#ifndef VIRTIO_VIRTIO_H
#define VIRTIO_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <virtio/port.h>
#include <virtio/spec.h>
#include <virtio/config_io.h> /* implemented by config.c */

/* Errors are negative so that "< 0" means failure everywhere. */
enum virtio_error {
	VIRTIO_OK = 0,
	VIRTIO_ENODEV = -1,         /* empty slot: device id 0 */
	VIRTIO_EMAGIC = -2,         /* bad magic value: not a virtio-mmio device */
	VIRTIO_EVERSION = -3,       /* transport version we do not know */
	VIRTIO_ETIMEDOUT = -4,      /* device did not react in time (reset, request) */
	VIRTIO_EINVAL = -5,         /* caller passed a bad argument */
	VIRTIO_ENOMEM = -6,         /* virtio_port_dma_alloc failed */
	VIRTIO_ENOSPC = -7,         /* not enough free descriptors: retry after get */
	VIRTIO_ENOVERSION1 = -8,    /* modern device does not offer VERSION_1 */
	VIRTIO_EFEATURES = -9,      /* device refused features (FEATURES_OK clear) */
	VIRTIO_ENOQUEUE = -10,      /* queue does not exist (QueueNumMax 0) */
	VIRTIO_EQUEUEBUSY = -11,    /* queue already live (QueueReady/PFN set) */
	VIRTIO_ENEEDSRESET = -12,   /* device set DEVICE_NEEDS_RESET */
	VIRTIO_EFAILED = -13,       /* FAILED set, or device dropped our status */
	VIRTIO_EBROKEN = -14,       /* queue broken by an earlier device error */
	VIRTIO_EUSEDID = -15,       /* used id out of range */
	VIRTIO_EUSEDNOTHEAD = -16,  /* used id inside a chain, not its head */
	VIRTIO_EUSEDNOTINFLIGHT = -17, /* used id not in flight (completed twice?) */
	VIRTIO_EUSEDLEN = -18,      /* used len above the chain's writable bytes */
	VIRTIO_EUSEDIDX = -19,      /* used idx moved past what is in flight */
	VIRTIO_ECONFIG = -20,       /* absurd device configuration value */
	VIRTIO_ECONFIGUNSTABLE = -21, /* config generation never settled */
	VIRTIO_EIO = -22,           /* device completed a request with an error */
	VIRTIO_EUNSUPP = -23,       /* device does not support the request */
	VIRTIO_ERO = -24,           /* write to a read-only device */
};

/* Short English text for an error code (never NULL). */
const char *virtio_strerror(int err);

struct virtio_transport_ops; /* transport.h */

/*
 * One device. Filled by a transport's probe function; the fields are
 * readable by drivers, written only by the runtime.
 */
struct virtio_device {
	const struct virtio_transport_ops *ops;
	uintptr_t base;          /* transport registers (CPU address) */
	uint32_t device_id;      /* VIRTIO_ID_* */
	uint32_t vendor_id;
	uint32_t version;        /* transport version (mmio: 1 legacy, 2 modern) */
	bool legacy;             /* legacy interface: guest-endian, 32 features,
	                            contiguous rings aligned to 4096 */
	uint64_t offered;        /* device features read at negotiation */
	uint64_t features;       /* features accepted (valid after negotiate) */
	uint8_t status;          /* status bits the driver has set (our copy:
	                            never write back what the device shows) */
};

/*
 * Transport features this runtime implements; any other bit in 24..41 is
 * never accepted whatever the driver asks (a device may change behaviour
 * when such a bit is accepted: packed rings, in-order, ...).
 * VERSION_1 is added by the runtime itself for modern devices.
 */
#define VIRTIO_RUNTIME_FEATURES \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_EVENT_IDX) | \
	 (1ull << VIRTIO_F_ANY_LAYOUT) | \
	 (VIRTIO_INDIRECT_DESC ? 1ull << VIRTIO_F_INDIRECT_DESC : 0) | \
	 (VIRTIO_PACKED_RING ? 1ull << VIRTIO_F_RING_PACKED : 0))

/*
 * Which interface versions a probe accepts (build-time choice, e.g. from
 * Kconfig): a refused version probes as VIRTIO_EVERSION, and the code for
 * it compiles away.
 */
#ifndef VIRTIO_ACCEPT_LEGACY
#define VIRTIO_ACCEPT_LEGACY 1 /* virtio-mmio Version 1 devices */
#endif
#ifndef VIRTIO_ACCEPT_MODERN
#define VIRTIO_ACCEPT_MODERN 1 /* virtio-mmio Version 2 devices */
#endif
/* Packed virtqueues (VIRTIO_F_RING_PACKED, virtqueue_packed.c); 0 leaves
 * them out: the feature is never accepted and no packed code is linked. */
#ifndef VIRTIO_PACKED_RING
#define VIRTIO_PACKED_RING 1
#endif
/* Indirect descriptors (VIRTIO_F_INDIRECT_DESC); 0 leaves them out. */
#ifndef VIRTIO_INDIRECT_DESC
#define VIRTIO_INDIRECT_DESC 1
#endif
/* Interrupt-driven operation (<virtio/interrupt.h>); 0 leaves it out, and
 * the port then needs none of the virtio_port_irq_* functions. */
#ifndef VIRTIO_INTERRUPTS
#define VIRTIO_INTERRUPTS 1
#endif

/* Bounds, overridable at build time. */
#ifndef VIRTIO_RESET_TIMEOUT_US
#define VIRTIO_RESET_TIMEOUT_US 1000000u /* device reset timeout (us) */
#endif
#ifndef VIRTIO_CONFIG_RETRIES /* config generation re-reads (read64) */
#define VIRTIO_CONFIG_RETRIES VIRTIO_CONFIG_READ_TRIES
#endif

static inline bool virtio_has_feature(const struct virtio_device *dev,
				      unsigned bit)
{
	return bit < 64 && (dev->features >> bit) & 1u;
}

/*
 * Byte order of "virtio-endian" fields in driver-built structures
 * (request headers): little-endian for modern devices, guest-native for
 * legacy ones. Converts either way; free on little-endian hosts.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define VIRTIO_HOST_BE 1
#else
#define VIRTIO_HOST_BE 0
#endif

/* dev->legacy, folded to a constant when only one interface is built. */
static inline bool virtio_is_legacy(const struct virtio_device *dev)
{
	return VIRTIO_ACCEPT_LEGACY && (!VIRTIO_ACCEPT_MODERN || dev->legacy);
}

static inline uint16_t virtio16(const struct virtio_device *dev, uint16_t v)
{
	return (VIRTIO_HOST_BE && !virtio_is_legacy(dev)) ? __builtin_bswap16(v) : v;
}
static inline uint32_t virtio32(const struct virtio_device *dev, uint32_t v)
{
	return (VIRTIO_HOST_BE && !virtio_is_legacy(dev)) ? __builtin_bswap32(v) : v;
}
static inline uint64_t virtio64(const struct virtio_device *dev, uint64_t v)
{
	return (VIRTIO_HOST_BE && !virtio_is_legacy(dev)) ? __builtin_bswap64(v) : v;
}

/* Writes 0 to status and waits (bounded) until it reads 0. */
int virtio_reset(struct virtio_device *dev);
uint8_t virtio_get_status(struct virtio_device *dev);
/* ORs bits into the status register (the spec only ever adds bits). */
void virtio_add_status(struct virtio_device *dev, uint8_t bits);

/*
 * Spec 3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, read the offered
 * features, accept (wanted & offered & what the runtime implements, device
 * bits as the driver asks), write them, FEATURES_OK and read it back
 * (modern). The accepted set is in dev->features. On failure the device is
 * left with FAILED set. `wanted` uses feature bit positions (1ull << bit).
 */
int virtio_negotiate(struct virtio_device *dev, uint64_t wanted);
/* Step 8: DRIVER_OK, then checks the device did not flag NEEDS_RESET/FAILED. */
int virtio_driver_ok(struct virtio_device *dev);
/* Sets FAILED: the driver gives up on the device. */
void virtio_fail(struct virtio_device *dev);
/* VIRTIO_ENEEDSRESET if the device asks for a reset, VIRTIO_EFAILED if
 * FAILED is set, else 0. Cheap enough to call on a timeout or interrupt. */
int virtio_check_status(struct virtio_device *dev);
/* Reads and acknowledges the interrupt status (VIRTIO_MMIO_INT_* bits). */
uint32_t virtio_interrupt_ack(struct virtio_device *dev);

/*
 * Device configuration: virtio_config_read8/16/32/64, virtio_config_write8/
 * 16/32 and virtio_config_generation, declared by the generated
 * <virtio/config_io.h>, are implemented by the runtime (config.c).
 * Values are host order. read64 re-reads until the generation is stable,
 * at most VIRTIO_CONFIG_RETRIES times (default: the generated
 * VIRTIO_CONFIG_READ_TRIES; then it returns the last value read). Use
 * the generated virtio_<dev>_config_read() for consistent multi-field
 * snapshots.
 */

#endif /* VIRTIO_VIRTIO_H */
