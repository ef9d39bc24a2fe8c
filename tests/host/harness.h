/*
 * Shared helpers of the host tests: a device model at a fixed address,
 * leak and violation checks, small DMA buffers.
 */
#ifndef VT_HARNESS_H
#define VT_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka needs the four headers above first */
#include <cmocka.h>

#include "devmodel.h"
#include "virtio_port_host.h"

#define VT_BASE 0x10001000u
#define VT_BASE2 0x10002000u

/* Per-test state kept by the fixture. */
struct vt_ctx {
	struct dm_device *dev;
	size_t dma_count_at_start;
	unsigned expected_violations_min; /* test expects the driver to be caught */
};
extern struct vt_ctx vt;

/* cmocka group/test fixtures: log capture, clean clock, leak check. */
int vt_setup(void **state);
int vt_teardown(void **state);

/* A device model at VT_BASE, destroyed by vt_teardown. */
struct dm_device *vt_device(uint32_t version, uint32_t device_id,
			    unsigned num_queues, uint16_t num_max);

/* Fails the test if the device model saw driver violations. */
void vt_assert_no_violations_(struct dm_device *dev, const char *file, int line);
#define vt_assert_no_violations(dev) \
	vt_assert_no_violations_((dev), __FILE__, __LINE__)

/*
 * Ring layout under test. test_<name>_packed.c builds test_<name>.c with
 * vt_packed set: modern devices from vt_device() then offer
 * VIRTIO_F_RING_PACKED and the driver side asks for it (vt_bring_up, and
 * VT_LAYOUT in a test's own virtio_negotiate calls), so their queues are
 * packed rings; legacy devices cannot offer it and stay split.
 */
extern bool vt_packed;
#define VT_LAYOUT (vt_packed ? (uint64_t)1 << 34 /* RING_PACKED */ : 0)

/* DMA buffer helpers (so strict_buffers can be on). */
void *vt_dma(size_t size);
void vt_dma_free(void *p, size_t size);

#ifdef VT_WITH_RUNTIME
#include <virtio/virtio.h>
#include <virtio/transport.h>
#include <virtio/virtqueue.h>
#include <virtio/drivers/blk.h>

/* probe + negotiate(wanted) + virtqueue_setup(queue 0, size) + DRIVER_OK;
 * asserts every step succeeds. */
void vt_bring_up(struct virtio_device *vdev, struct virtqueue *vq,
		 uint64_t wanted, uint16_t size);
/* Resets the device, detaches everything left, frees the queue. */
void vt_tear_down_queue(struct virtio_device *vdev, struct virtqueue *vq);
#endif

#endif /* VT_HARNESS_H */
