/*
 * RT-Thread device glue: what the per-device files share. probe.c scans
 * the board's virtio-mmio slots at INIT_DEVICE_EXPORT and hands each
 * device to its glue (<device>_device.c), which registers RT-Thread
 * devices named as RT-Thread names them (virtio-blk0, virtio-rng0,
 * vport0p1, virtio-net0, virtio-gpu0, virtio-input0).
 *
 * Every device has a mutex (the drivers are not thread-safe: one caller
 * at a time) and an event its interrupt sets: tasks sleep on it between
 * polls, all of them woken at once, and a set event is never lost.
 */
#ifndef VIRTIO_RTT_GLUE_H
#define VIRTIO_RTT_GLUE_H

#include <rtthread.h>

#include <virtio/interrupt.h>
#include <virtio/virtio.h>

/* The board's virtio-mmio slots: QEMU virt on riscv64 and aarch64, or
 * what the BSP defines. */
#if defined(ARCH_RISCV64)
#define VIRTIO_RTT_DEFAULT_BASE 0x10001000u
#define VIRTIO_RTT_DEFAULT_STRIDE 0x1000u
#define VIRTIO_RTT_DEFAULT_SLOTS 8u
#define VIRTIO_RTT_DEFAULT_IRQ 1u
#elif defined(ARCH_ARMV8)
#define VIRTIO_RTT_DEFAULT_BASE 0x0a000000u
#define VIRTIO_RTT_DEFAULT_STRIDE 0x200u
#define VIRTIO_RTT_DEFAULT_SLOTS 32u
#define VIRTIO_RTT_DEFAULT_IRQ 48u /* SPI 16 */
#endif
#ifndef VIRTIO_RTT_MMIO_BASE
#define VIRTIO_RTT_MMIO_BASE VIRTIO_RTT_DEFAULT_BASE
#endif
#ifndef VIRTIO_RTT_MMIO_STRIDE
#define VIRTIO_RTT_MMIO_STRIDE VIRTIO_RTT_DEFAULT_STRIDE
#endif
#ifndef VIRTIO_RTT_MMIO_SLOTS
#define VIRTIO_RTT_MMIO_SLOTS VIRTIO_RTT_DEFAULT_SLOTS
#endif
#ifndef VIRTIO_RTT_MMIO_IRQ
#define VIRTIO_RTT_MMIO_IRQ VIRTIO_RTT_DEFAULT_IRQ
#endif
#ifndef VIRTIO_RTT_MAX_DEVICES
#define VIRTIO_RTT_MAX_DEVICES 16u /* devices with an interrupt line at most */
#endif
#ifndef VIRTIO_RTT_TIMEBASE_HZ
#define VIRTIO_RTT_TIMEBASE_HZ 10000000u /* riscv64 rdtime frequency (Hz; QEMU virt: 10 MHz) */
#endif

/* What every glued device has. */
struct virtio_rtt_dev {
	struct virtio_device vdev;
	struct virtio_irq irq;
	struct rt_mutex lock;
	struct rt_event wake;
	bool has_irq;
};

/* A device's operations, whether RT-Thread keeps them in a table
 * (RT_USING_DEVICE_OPS) or in the device itself. */
#ifdef RT_USING_DEVICE_OPS
typedef struct rt_device_ops virtio_rtt_ops_t;
#define VIRTIO_RTT_OPS(name, open, read, write, control) \
	static const virtio_rtt_ops_t name = { RT_NULL, open, RT_NULL, read, write, control }
#else
typedef struct {
	rt_err_t (*open)(rt_device_t dev, rt_uint16_t oflag);
	rt_size_t (*read)(rt_device_t dev, rt_off_t pos, void *buffer, rt_size_t size);
	rt_size_t (*write)(rt_device_t dev, rt_off_t pos, const void *buffer, rt_size_t size);
	rt_err_t (*control)(rt_device_t dev, int cmd, void *args);
} virtio_rtt_ops_t;
#define VIRTIO_RTT_OPS(name, open, read, write, control) \
	static const virtio_rtt_ops_t name = { open, read, write, control }
#endif
void virtio_rtt_set_ops(struct rt_device *dev, const virtio_rtt_ops_t *ops);
/* Sets type and operations, registers under `name`: VIRTIO_OK or
 * VIRTIO_EINVAL (a name taken). */
int virtio_rtt_register(struct rt_device *dev, const char *name,
			enum rt_device_class_type type, rt_uint16_t flags,
			const virtio_rtt_ops_t *ops);

/* Mutex and event named after `name`. */
void virtio_rtt_dev_init(struct virtio_rtt_dev *d, const char *name);
/* Attaches the device's interrupt line (with VIRTIO_INTERRUPTS): the
 * driver's waits sleep on the event, which the interrupt sets through
 * wake(d) (NULL: virtio_rtt_dev_wake). Call after the driver's use_irq. */
void virtio_rtt_dev_attach(struct virtio_rtt_dev *d, uint32_t line,
			   virtio_irq_wake_fn wake);
/* Sleeps until the device's interrupt (or a completion another task
 * took) set the event, or for one tick without an interrupt line. */
void virtio_rtt_dev_sleep(struct virtio_rtt_dev *d, uint64_t timeout_us);
void virtio_rtt_dev_wake(struct virtio_rtt_dev *d);

/* Microseconds to ticks, at least one unless 0. */
rt_int32_t virtio_rtt_ticks(uint64_t us);

/* Glue entry points, called by probe.c for each device found. */
int virtio_rtt_blk_attach(struct virtio_device *vdev, uint32_t line);
int virtio_rtt_rng_attach(struct virtio_device *vdev, uint32_t line);
int virtio_rtt_console_attach(struct virtio_device *vdev, uint32_t line);
int virtio_rtt_net_attach(struct virtio_device *vdev, uint32_t line);
int virtio_rtt_gpu_attach(struct virtio_device *vdev, uint32_t line);
int virtio_rtt_input_attach(struct virtio_device *vdev, uint32_t line);

#endif /* VIRTIO_RTT_GLUE_H */
