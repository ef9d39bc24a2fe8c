/*
 * virtio-rng (entropy device, spec 5.4): fills a caller's buffer with
 * bytes from the device, one request at a time, polled (or sleeping on
 * the device's interrupt after virtio_rng_use_irq).
 *
 * The device may answer with fewer bytes than asked for (5.4.6.2): the
 * driver asks again until the buffer is full. A completion with no bytes
 * at all is allowed too but gives nothing: after VIRTIO_RNG_MAX_EMPTY of
 * them in a row the read fails with VIRTIO_EIO instead of spinning.
 */
#ifndef VIRTIO_DRIVERS_RNG_H
#define VIRTIO_DRIVERS_RNG_H

#include <virtio/virtqueue.h>

#ifndef VIRTIO_RNG_TIMEOUT_US
#define VIRTIO_RNG_TIMEOUT_US 5000000u /* request timeout (us) */
#endif
#ifndef VIRTIO_RNG_CHUNK
#define VIRTIO_RNG_CHUNK 64u /* bytes asked for per request */
#endif
#ifndef VIRTIO_RNG_MAX_EMPTY
#define VIRTIO_RNG_MAX_EMPTY 16u /* empty completions in a row before an error */
#endif

struct virtio_irq; /* <virtio/interrupt.h> */

struct virtio_rng {
	struct virtio_device *dev;
	struct virtio_irq *irq; /* NULL: reads poll (use_irq) */
	struct virtqueue vq;
	uint8_t *dma;        /* VIRTIO_RNG_CHUNK bytes the device writes */
	uint64_t requests;   /* requests sent */
	uint64_t short_reads; /* completions with fewer bytes than asked */
	uint64_t empty_reads; /* completions with no byte at all */
};

/* Negotiates (no device features), sets up the request queue, DRIVER_OK.
 * Returns 0 or an error (the device is then marked FAILED). */
int virtio_rng_init(struct virtio_rng *rng, struct virtio_device *dev);

/*
 * Fills buf[0..len) (any memory: the device writes a private buffer that
 * is copied). Returns 0, VIRTIO_EIO (too many empty completions),
 * VIRTIO_ETIMEDOUT, VIRTIO_EBROKEN or a queue error. After a timeout or a
 * queue error the device is reset and marked FAILED: re-init to use it.
 * On error buf may hold some bytes already; treat them as unusable.
 */
int virtio_rng_read(struct virtio_rng *rng, void *buf, size_t len);

/* Resets the device and frees the queue. */
void virtio_rng_destroy(struct virtio_rng *rng);

/* Interrupt-driven reads (opt-in, after init): registers the queue with
 * `irq` (virtio_irq_init'ed for rng->dev) so virtio_rng_read sleeps on
 * the device's interrupt instead of spinning. 0 or VIRTIO_EINVAL. */
int virtio_rng_use_irq(struct virtio_rng *rng, struct virtio_irq *irq);

#endif /* VIRTIO_DRIVERS_RNG_H */
