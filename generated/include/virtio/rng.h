/*
 * Entropy device (VirtIO 1.2 section 5.4).
 *
 * Generated from spec/devices/rng.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_RNG_H
#define VIRTIO_GEN_RNG_H

#include <stdint.h>

/* Device type VIRTIO_ID_RNG (4); short name "rng". */

/* Virtqueue indexes. Not Linux uapi names (Linux has none for rng). (section 5.4.2). */
#define VIRTIO_RNG_QUEUE_REQUEST 0 /* requestq: the only queue. */

#endif /* VIRTIO_GEN_RNG_H */
