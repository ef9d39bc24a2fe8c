/*
 * Host program: probes two fake virtio-mmio register blocks, Version 1
 * (legacy) and Version 2 (modern), and prints what virtio_mmio_probe
 * returned for each, so a test sees which transport interface the build's
 * configuration accepts.
 */
#include <stdio.h>

#include <virtio/transport.h>

static uint32_t regs[2][64];

static int probe(uint32_t version)
{
	struct virtio_device dev;
	uint32_t *r = regs[version - 1];

	r[0] = 0x74726976u; /* MagicValue "virt" */
	r[1] = version;     /* Version */
	r[2] = 2;           /* DeviceID: block */
	return virtio_mmio_probe(&dev, (uintptr_t)r);
}

int main(void)
{
	printf("legacy %d modern %d\n", probe(1), probe(2));
	return 0;
}
