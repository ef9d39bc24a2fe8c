#include "harness.h"

#include <stdio.h>
#include <string.h>

struct vt_ctx vt;
bool vt_packed;

int vt_setup(void **state)
{
	(void)state;
	memset(&vt, 0, sizeof(vt));
	virtio_host_log_capture(true);
	virtio_host_log_clear();
	virtio_host_time_set_autostep(0);
	virtio_host_dma_fail_next(0);
	virtio_host_irq_reset();
	vt.dma_count_at_start = virtio_host_dma_outstanding_count();
	return 0;
}

int vt_teardown(void **state)
{
	(void)state;
	if (vt.dev) {
		dm_destroy(vt.dev);
		vt.dev = NULL;
	}
	virtio_host_time_set_autostep(0);
	size_t left = virtio_host_dma_outstanding_count();
	if (left != vt.dma_count_at_start) {
		fprintf(stderr, "DMA leak: %zu allocations outstanding (%zu at start)\n",
			left, vt.dma_count_at_start);
		return -1;
	}
	return 0;
}

struct dm_device *vt_device(uint32_t version, uint32_t device_id,
			    unsigned num_queues, uint16_t num_max)
{
	if (vt.dev)
		dm_destroy(vt.dev);
	vt.dev = dm_create(VT_BASE, version, device_id, num_queues, num_max);
	if (vt_packed && version >= 2)
		vt.dev->device_features |= DM_BIT(DM_F_RING_PACKED);
	return vt.dev;
}

void vt_assert_no_violations_(struct dm_device *dev, const char *file, int line)
{
	if (dev->violations != 0)
		fail_msg("%s:%d: device model saw %u driver violation(s), last: %s",
			 file, line, dev->violations, dev->last_violation);
}

void *vt_dma(size_t size)
{
	void *p = virtio_port_dma_alloc(size, 16);
	assert_non_null(p);
	return p;
}

void vt_dma_free(void *p, size_t size)
{
	virtio_port_dma_free(p, size);
}

#ifdef VT_WITH_RUNTIME
void vt_bring_up(struct virtio_device *vdev, struct virtqueue *vq,
		 uint64_t wanted, uint16_t size)
{
	assert_int_equal(virtio_mmio_probe(vdev, VT_BASE), 0);
	assert_int_equal(virtio_negotiate(vdev, wanted | VT_LAYOUT), 0);
	assert_int_equal(virtqueue_setup(vdev, vq, 0, size), 0);
	assert_int_equal(virtqueue_is_packed(vq), vt_packed && !vdev->legacy);
	assert_int_equal(virtio_driver_ok(vdev), 0);
}

void vt_tear_down_queue(struct virtio_device *vdev, struct virtqueue *vq)
{
	assert_int_equal(virtio_reset(vdev), 0);
	while (virtqueue_detach_unused(vq) != NULL)
		;
	virtqueue_destroy(vq);
}
#endif
