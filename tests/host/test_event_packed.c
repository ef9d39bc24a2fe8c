/*
 * test_event.c again with the packed ring (VIRTIO_F_RING_PACKED offered by
 * modern devices and asked for by the driver side; see harness.h).
 */
#include "harness.h"

__attribute__((constructor)) static void packed_layout(void)
{
	vt_packed = true;
}

#include "test_event.c"
