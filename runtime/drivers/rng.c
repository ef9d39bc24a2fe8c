/*
 * virtio-rng driver (spec 5.4): one device-writable buffer per request,
 * completion by polling or by interrupt (use_irq). The used length is the number of random bytes
 * (5.4.6.1: the driver must look at it); the virtqueue has already
 * checked it is no more than the buffer.
 */
#include <virtio/drivers/rng.h>
#include <virtio/interrupt.h>

/* Bytes that held entropy are cleared once copied out. */
static void wipe(uint8_t *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

static int init_fail(struct virtio_rng *rng, int err)
{
	virtio_fail(rng->dev);
	virtio_rng_destroy(rng);
	virtio_fail(rng->dev); /* destroy reset it: show FAILED at the end */
	return err;
}

int virtio_rng_init(struct virtio_rng *rng, struct virtio_device *dev)
{
	int err;

	rng->dev = dev;
	rng->irq = NULL; /* polled until use_irq */
	rng->dma = NULL;
	rng->vq.mem = NULL;
	rng->requests = rng->short_reads = rng->empty_reads = 0;
	if (dev->device_id != VIRTIO_ID_RNG)
		return VIRTIO_EINVAL;
	/* No device features (5.4.3); only the ring features. */
	err = virtio_negotiate(dev, VIRTIO_RUNTIME_FEATURES);
	if (err)
		return err;
	rng->dma = virtio_port_dma_alloc(VIRTIO_RNG_CHUNK, 16);
	if (!rng->dma)
		return init_fail(rng, VIRTIO_ENOMEM);
	err = virtqueue_setup(dev, &rng->vq, VIRTIO_RNG_QUEUE_REQUEST, 4);
	if (err)
		return init_fail(rng, err);
	virtqueue_disable_cb(&rng->vq); /* we poll */
	err = virtio_driver_ok(dev);
	if (err)
		return init_fail(rng, err);
	return VIRTIO_OK;
}

void virtio_rng_destroy(struct virtio_rng *rng)
{
	if (rng->vq.mem) {
		virtio_reset(rng->dev); /* no DMA into freed memory */
		while (virtqueue_detach_unused(&rng->vq))
			;
		virtqueue_destroy(&rng->vq);
	}
	if (rng->dma)
		virtio_port_dma_free(rng->dma, VIRTIO_RNG_CHUNK);
	rng->dma = NULL;
}

/* The device broke a rule or stopped answering: stop it, so it cannot
 * write into our buffer later, and refuse further reads. */
static int abandon(struct virtio_rng *rng, int err)
{
	virtio_reset(rng->dev);
	while (virtqueue_detach_unused(&rng->vq))
		;
	virtio_fail(rng->dev);
	virtqueue_destroy(&rng->vq);
	return err;
}

/* One request for up to `want` bytes; returns the bytes received (may be
 * 0) or a negative error. */
static long request(struct virtio_rng *rng, uint32_t want)
{
	struct virtio_buf b = { rng->dma, want };
	uint64_t start;
	void *token;
	uint32_t len, seen = rng->irq ? virtio_irq_events(rng->irq) : 0;
	int r;

	r = virtqueue_add(&rng->vq, &b, 0, 1, rng->dma);
	if (r)
		return r;
	rng->requests++;
	virtqueue_kick(&rng->vq);
	start = virtio_port_time_us();
	while ((r = virtqueue_get(&rng->vq, &token, &len)) == 0) {
		uint64_t spent = virtio_port_time_us() - start;

		if (spent > VIRTIO_RNG_TIMEOUT_US) {
			r = virtio_check_status(rng->dev);
			return abandon(rng, r ? r : VIRTIO_ETIMEDOUT);
		}
		/* With an interrupt: sleep until the next one (seen was taken
		 * before the kick, so the completion cannot slip by). */
		if (rng->irq)
			(void)virtio_irq_wait(rng->irq, &seen,
					      VIRTIO_RNG_TIMEOUT_US - spent + 1);
	}
	if (r < 0)
		return abandon(rng, r);
	if (token != rng->dma) /* only one request is ever in flight */
		return abandon(rng, VIRTIO_EUSEDNOTINFLIGHT);
	return (long)len; /* <= want: checked by the queue */
}

int virtio_rng_use_irq(struct virtio_rng *rng, struct virtio_irq *irq)
{
	int r;

	if (!irq || !rng->vq.mem || irq->dev != rng->dev)
		return VIRTIO_EINVAL;
	r = virtio_irq_on_queue(irq, &rng->vq, NULL, NULL);
	if (!r)
		rng->irq = irq;
	return r;
}

int virtio_rng_read(struct virtio_rng *rng, void *buf, size_t len)
{
	uint8_t *out = buf;
	unsigned empty = 0;

	if (!rng->dma || !rng->vq.mem)
		return VIRTIO_EBROKEN;
	if (len && !buf)
		return VIRTIO_EINVAL;
	while (len) {
		uint32_t want = len < VIRTIO_RNG_CHUNK ? (uint32_t)len
						       : VIRTIO_RNG_CHUNK;
		long got = request(rng, want);

		if (got < 0)
			return (int)got;
		if (got == 0) {
			rng->empty_reads++;
			if (++empty >= VIRTIO_RNG_MAX_EMPTY)
				return VIRTIO_EIO;
			continue;
		}
		empty = 0;
		if ((uint32_t)got < want)
			rng->short_reads++;
		for (long i = 0; i < got; i++)
			out[i] = rng->dma[i];
		wipe(rng->dma, (size_t)got);
		out += got;
		len -= (size_t)got;
	}
	return VIRTIO_OK;
}
