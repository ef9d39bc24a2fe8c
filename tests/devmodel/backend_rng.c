/*
 * virtio-rng backend with test controls (see backend_rng.h). Request
 * format: VirtIO 1.2, 5.4.6: device-writable buffers only; the device
 * writes one or more bytes and reports how many in the used length.
 */
#include "backend_rng.h"

#include <stdlib.h>

static uint8_t next_byte(struct dm_rng *g)
{
	uint32_t x = g->state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	g->state = x;
	return (uint8_t)(x >> 24);
}

static uint32_t rng_ext_backend(struct dm_device *dev, unsigned queue,
				struct dm_req *r, void *ctx)
{
	struct dm_rng *g = ctx;
	uint32_t budget, done = 0;

	(void)dev;
	(void)queue;
	g->requests++;
	if (r->readable)
		g->readable_bufs++;
	if (g->empty_next) {
		g->empty_next--;
		return 0;
	}
	budget = r->writable;
	if (g->max_bytes && budget > g->max_bytes)
		budget = g->max_bytes;
	for (unsigned i = 0; i < r->nseg && done < budget; i++) {
		if (!r->seg[i].write)
			continue;
		for (uint32_t j = 0; j < r->seg[i].len && done < budget; j++) {
			uint8_t b = g->constant_mode ? g->constant : next_byte(g);

			r->seg[i].ptr[j] = b;
			if (g->logged < DM_RNG_LOG_MAX)
				g->log[g->logged] = b;
			g->logged++;
			done++;
		}
	}
	return done;
}

struct dm_rng *dm_rng_ext_attach(struct dm_device *dev, uint32_t seed)
{
	struct dm_rng *g = calloc(1, sizeof(*g));

	if (g == NULL)
		abort();
	g->state = seed ? seed : 1;
	dev->device_id = 4;
	dev->backend = rng_ext_backend;
	dev->backend_ctx = g;
	return g;
}

void dm_rng_ext_free(struct dm_rng *g)
{
	free(g);
}
