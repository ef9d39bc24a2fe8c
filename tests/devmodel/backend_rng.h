/*
 * virtio-rng backend with test controls: short and zero-length
 * completions, and a log of every byte handed out (to compare with what
 * the driver returns).
 */
#ifndef VIRTIO_DEVMODEL_BACKEND_RNG_H
#define VIRTIO_DEVMODEL_BACKEND_RNG_H

#include "devmodel.h"

#define DM_RNG_LOG_MAX 8192u

struct dm_rng {
	uint32_t state;        /* xorshift32 */
	uint32_t max_bytes;    /* > 0: write at most this many per request */
	unsigned empty_next;   /* the next N requests complete with 0 bytes */
	uint8_t constant;      /* with constant_mode: the byte written */
	bool constant_mode;
	uint64_t requests;
	uint64_t readable_bufs; /* driver-readable buffers seen (5.4.6.1: never) */
	uint8_t log[DM_RNG_LOG_MAX];
	size_t logged;          /* bytes handed out (log keeps the first MAX) */
};

/* Sets device id 4, one queue's backend; no features, no config. */
struct dm_rng *dm_rng_ext_attach(struct dm_device *dev, uint32_t seed);
void dm_rng_ext_free(struct dm_rng *rng);

#endif /* VIRTIO_DEVMODEL_BACKEND_RNG_H */
