/*
 * virtio-blk driver (spec 5.2). See <virtio/drivers/blk.h> for the two
 * interfaces. A request is a chain: header (device-readable), data
 * (readable for writes, discard and write-zeroes ranges; writable for
 * reads and GET_ID), status byte (writable). Headers, ranges and status
 * bytes live in one DMA block, one record per request slot.
 */
#include <virtio/drivers/blk.h>
#include <virtio/interrupt.h>

#define SECTOR VIRTIO_BLK_SECTOR_SIZE
/* Largest block size we believe; anything else is a hostile config. */
#define BLK_SIZE_LIMIT (1u << 16)

/* Device-visible part of one request slot. */
struct virtio_blk_dma {
	struct virtio_blk_outhdr hdr;
	union {
		struct virtio_blk_discard_write_zeroes range[VIRTIO_BLK_MAX_RANGES];
		uint8_t id[VIRTIO_BLK_ID_BYTES];
	} u;
	uint8_t status;
	uint8_t pad[15]; /* next record on a 16-byte boundary */
};
_Static_assert(VIRTIO_BLK_MAX_RANGES >= 2, "the GET_ID bytes share the ranges");
_Static_assert(VIRTIO_BLK_MAX_INFLIGHT >= 1, "at least one request slot");
_Static_assert(VIRTIO_BLK_MAX_SEGS >= 1, "at least one data segment");

/* Ranges are little-endian whatever the transport (5.2.6). */
static uint32_t le32(uint32_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap32(v) : v;
}
static uint64_t le64(uint64_t v)
{
	return VIRTIO_HOST_BE ? __builtin_bswap64(v) : v;
}

static uint32_t min32(uint64_t a, uint64_t b)
{
	uint64_t m = a < b ? a : b;

	return m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}

/* Sectors per logical block. */
static uint32_t spb(const struct virtio_blk *blk)
{
	return blk->blk_size / SECTOR;
}

/* ---- set-up ---- */

/* Configuration values, each only if its feature was negotiated, read
 * consistently (generation unchanged around the reads). */
static int read_config(struct virtio_blk *blk, struct virtio_blk_config *c)
{
	struct virtio_device *dev = blk->dev;

	for (unsigned tries = 0; tries < VIRTIO_CONFIG_RETRIES; tries++) {
		uint32_t gen = virtio_config_generation(dev);

		c->capacity = virtio_blk_config_capacity(dev);
		c->size_max = virtio_blk_has(blk, VIRTIO_BLK_F_SIZE_MAX)
				      ? virtio_blk_config_size_max(dev) : 0;
		c->seg_max = virtio_blk_has(blk, VIRTIO_BLK_F_SEG_MAX)
				     ? virtio_blk_config_seg_max(dev) : 0;
		c->blk_size = virtio_blk_has(blk, VIRTIO_BLK_F_BLK_SIZE)
				      ? virtio_blk_config_blk_size(dev) : SECTOR;
		if (virtio_blk_has(blk, VIRTIO_BLK_F_TOPOLOGY)) {
			c->physical_block_exp = virtio_blk_config_physical_block_exp(dev);
			c->alignment_offset = virtio_blk_config_alignment_offset(dev);
			c->min_io_size = virtio_blk_config_min_io_size(dev);
			c->opt_io_size = virtio_blk_config_opt_io_size(dev);
		}
		if (virtio_blk_has(blk, VIRTIO_BLK_F_DISCARD)) {
			c->max_discard_sectors = virtio_blk_config_max_discard_sectors(dev);
			c->max_discard_seg = virtio_blk_config_max_discard_seg(dev);
			c->discard_sector_alignment =
				virtio_blk_config_discard_sector_alignment(dev);
		}
		if (virtio_blk_has(blk, VIRTIO_BLK_F_WRITE_ZEROES)) {
			c->max_write_zeroes_sectors =
				virtio_blk_config_max_write_zeroes_sectors(dev);
			c->max_write_zeroes_seg = virtio_blk_config_max_write_zeroes_seg(dev);
			c->write_zeroes_may_unmap =
				virtio_blk_config_write_zeroes_may_unmap(dev);
		}
		if (virtio_config_generation(dev) == gen)
			return VIRTIO_OK;
	}
	return VIRTIO_ECONFIGUNSTABLE;
}

/* Sectors per discard/write-zeroes range: the device's maximum (0 read as
 * "no limit", as Linux does), whole blocks, at least one block. */
static uint32_t range_sectors(const struct virtio_blk *blk, uint32_t max)
{
	uint32_t s = max ? max : UINT32_MAX;

	s -= s % spb(blk);
	return s;
}

static unsigned range_count(uint32_t max_seg)
{
	return max_seg == 0 ? 1u : min32(max_seg, VIRTIO_BLK_MAX_RANGES);
}

/* Checks the configuration and derives the limits; VIRTIO_ECONFIG for
 * values no honest device has. Needs the queue size (descriptors). */
static int apply_config(struct virtio_blk *blk, const struct virtio_blk_config *c)
{
	struct virtio_blk_limits *l = &blk->limits;
	uint32_t bs = c->blk_size;
	uint64_t bytes;

	/* A power of two from one sector up. */
	if (bs < SECTOR || bs > BLK_SIZE_LIMIT || (bs & (bs - 1)))
		return VIRTIO_ECONFIG;
	blk->blk_size = bs;
	blk->capacity = c->capacity;
	blk->read_only = virtio_blk_has(blk, VIRTIO_BLK_F_RO);

	/* seg_max counts data segments (header and status come on top);
	 * 0 would allow nothing: read it as 1, as Linux does. Without
	 * indirect descriptors a request must also fit the ring. */
	if (!virtio_blk_has(blk, VIRTIO_BLK_F_SEG_MAX))
		l->max_segs = VIRTIO_BLK_MAX_SEGS;
	else
		l->max_segs = min32(c->seg_max ? c->seg_max : 1u,
				    VIRTIO_BLK_MAX_SEGS);
	if (l->max_segs + 2u > virtqueue_size(&blk->vq))
		l->max_segs = virtqueue_size(&blk->vq) - 2u;
	/* size_max 0 sets no limit (vhost-user-blk of qemu-storage-daemon
	 * offers SIZE_MAX with 0); below a sector, sectors span descriptors. */
	l->seg_bytes = virtio_blk_has(blk, VIRTIO_BLK_F_SIZE_MAX) && c->size_max ?
		min32(c->size_max, VIRTIO_BLK_MAX_REQ_BYTES) : VIRTIO_BLK_MAX_REQ_BYTES;
	bytes = (uint64_t)l->max_segs * l->seg_bytes;
	if (bytes > VIRTIO_BLK_MAX_REQ_BYTES)
		bytes = VIRTIO_BLK_MAX_REQ_BYTES;
	l->max_sectors = (uint32_t)(bytes / SECTOR);
	l->max_sectors -= l->max_sectors % spb(blk);
	if (l->max_sectors == 0)
		return VIRTIO_ECONFIG;

	l->discard_sectors = range_sectors(blk, c->max_discard_sectors);
	l->discard_ranges = range_count(c->max_discard_seg);
	l->discard_align = c->discard_sector_alignment;
	l->zeroes_sectors = range_sectors(blk, c->max_write_zeroes_sectors);
	l->zeroes_ranges = range_count(c->max_write_zeroes_seg);
	l->zeroes_may_unmap = c->write_zeroes_may_unmap != 0;
	/* A maximum below one block leaves the operation unusable, not the
	 * device: those requests get VIRTIO_EUNSUPP. */

	blk->has_topology = virtio_blk_has(blk, VIRTIO_BLK_F_TOPOLOGY);
	if (blk->has_topology) {
		blk->topology.physical_block_exp = c->physical_block_exp;
		blk->topology.alignment_offset = c->alignment_offset;
		blk->topology.min_io_size = c->min_io_size;
		blk->topology.opt_io_size = c->opt_io_size;
	}
	return VIRTIO_OK;
}

static void release(struct virtio_blk *blk)
{
	if (blk->vq.mem)
		virtqueue_destroy(&blk->vq);
	if (blk->dma)
		virtio_port_dma_free(blk->dma,
				     sizeof(*blk->dma) * VIRTIO_BLK_MAX_INFLIGHT);
	blk->dma = NULL;
}

/* Completes every request in flight with `err` (the device is stopped). */
static void fail_inflight(struct virtio_blk *blk, int err)
{
	for (unsigned i = 0; i < VIRTIO_BLK_MAX_INFLIGHT; i++) {
		struct virtio_blk_slot *s = &blk->slot[i];

		if (!s->busy)
			continue;
		s->busy = false;
		blk->inflight--;
		if (s->done)
			s->done(s->ctx, err);
	}
}

/* Gives up on the device: reset first (no DMA into anything after
 * this), then FAILED, which stays visible (spec 3.1.1). */
static int abandon(struct virtio_blk *blk, int err)
{
	virtio_reset(blk->dev);
	if (blk->vq.mem)
		while (virtqueue_detach_unused(&blk->vq))
			;
	virtio_fail(blk->dev);
	release(blk);
	fail_inflight(blk, err);
	return err;
}

int virtio_blk_init_refuse(struct virtio_blk *blk, struct virtio_device *dev,
			   uint64_t refuse)
{
	uint64_t wanted = (1ull << VIRTIO_BLK_F_RO) |
			  (1ull << VIRTIO_BLK_F_BLK_SIZE) |
			  (1ull << VIRTIO_BLK_F_SIZE_MAX) |
			  (1ull << VIRTIO_BLK_F_SEG_MAX) |
			  (1ull << VIRTIO_BLK_F_FLUSH) |
			  (1ull << VIRTIO_BLK_F_TOPOLOGY) |
			  (1ull << VIRTIO_BLK_F_DISCARD) |
			  (1ull << VIRTIO_BLK_F_WRITE_ZEROES) |
			  VIRTIO_RUNTIME_FEATURES;
	struct virtio_blk_config cfg = { 0 };
	int err;

	blk->dev = dev;
	blk->irq = NULL; /* polled until use_irq */
	blk->dma = NULL;
	blk->vq.mem = NULL;
	blk->inflight = 0;
	blk->plugged = false;
	blk->has_topology = false;
	blk->topology = (struct virtio_blk_topology){ 0 };
	blk->depth = VIRTIO_BLK_MAX_INFLIGHT;
	blk->stats = (struct virtio_blk_stats){ 0 };
	for (unsigned i = 0; i < VIRTIO_BLK_MAX_INFLIGHT; i++)
		blk->slot[i].busy = false;
	if (dev->device_id != VIRTIO_ID_BLOCK)
		return VIRTIO_EINVAL;
	err = virtio_negotiate(dev, wanted & ~refuse);
	if (err)
		return err;
	err = read_config(blk, &cfg);
	if (!err) {
		blk->dma = virtio_port_dma_alloc(
			sizeof(*blk->dma) * VIRTIO_BLK_MAX_INFLIGHT, 16);
		err = blk->dma ? VIRTIO_OK : VIRTIO_ENOMEM;
	}
	if (!err)
		err = virtqueue_setup(dev, &blk->vq, 0, VIRTIO_BLK_QUEUE_SIZE);
	if (!err && virtqueue_size(&blk->vq) < 3)
		err = VIRTIO_ECONFIG; /* header, data, status */
	if (!err)
		err = apply_config(blk, &cfg);
	if (!err) {
		virtqueue_disable_cb(&blk->vq); /* we poll */
		err = virtio_driver_ok(dev);
	}
	if (err)
		return abandon(blk, err);
	return VIRTIO_OK;
}

int virtio_blk_init(struct virtio_blk *blk, struct virtio_device *dev)
{
	return virtio_blk_init_refuse(blk, dev, 0);
}

void virtio_blk_destroy(struct virtio_blk *blk)
{
	if (blk->vq.mem) {
		/* Stop all DMA before the rings go away. */
		virtio_reset(blk->dev);
		while (virtqueue_detach_unused(&blk->vq))
			;
	}
	release(blk);
	fail_inflight(blk, VIRTIO_EBROKEN);
}

void virtio_blk_set_depth(struct virtio_blk *blk, unsigned depth)
{
	blk->depth = depth < 1 ? 1
		     : depth > VIRTIO_BLK_MAX_INFLIGHT ? VIRTIO_BLK_MAX_INFLIGHT
						       : depth;
}

/* ---- asynchronous interface ---- */

/* The range [sector, sector + count) lies on the disk, in whole blocks. */
static int check_range(const struct virtio_blk *blk, uint64_t sector,
		       uint64_t count)
{
	if (count == 0 || sector > blk->capacity ||
	    count > blk->capacity - sector)
		return VIRTIO_EINVAL;
	if (sector % spb(blk) || count % spb(blk))
		return VIRTIO_EINVAL;
	return VIRTIO_OK;
}

/* Fills the discard / write-zeroes ranges; returns how many. */
static unsigned fill_ranges(struct virtio_blk_dma *d, uint64_t sector,
			    uint32_t count, uint32_t per_range, uint32_t flags)
{
	unsigned n = 0;

	while (count) {
		uint32_t k = count < per_range ? count : per_range;

		d->u.range[n].sector = le64(sector);
		d->u.range[n].num_sectors = le32(k);
		d->u.range[n].flags = le32(flags);
		n++;
		sector += k;
		count -= k;
	}
	return n;
}

/* What the request needs: feature, permission, range and limits. */
static int check_op(const struct virtio_blk *blk, enum virtio_blk_op op,
		    uint64_t sector, const void *buf, uint32_t count)
{
	const struct virtio_blk_limits *l = &blk->limits;

	switch (op) {
	case VIRTIO_BLK_OP_READ:
	case VIRTIO_BLK_OP_WRITE:
		if (op == VIRTIO_BLK_OP_WRITE && blk->read_only)
			return VIRTIO_ERO;
		if (!buf || count > l->max_sectors)
			return VIRTIO_EINVAL;
		return check_range(blk, sector, count);
	case VIRTIO_BLK_OP_FLUSH:
		return virtio_blk_has(blk, VIRTIO_BLK_F_FLUSH) ? VIRTIO_OK
							       : VIRTIO_EUNSUPP;
	case VIRTIO_BLK_OP_DISCARD:
		if (!virtio_blk_has(blk, VIRTIO_BLK_F_DISCARD) || !l->discard_sectors)
			return VIRTIO_EUNSUPP;
		if (blk->read_only)
			return VIRTIO_ERO;
		if ((uint64_t)count > (uint64_t)l->discard_sectors * l->discard_ranges)
			return VIRTIO_EINVAL;
		return check_range(blk, sector, count);
	case VIRTIO_BLK_OP_WRITE_ZEROES:
	case VIRTIO_BLK_OP_WRITE_ZEROES_UNMAP:
		if (!virtio_blk_has(blk, VIRTIO_BLK_F_WRITE_ZEROES) || !l->zeroes_sectors)
			return VIRTIO_EUNSUPP;
		if (blk->read_only)
			return VIRTIO_ERO;
		if ((uint64_t)count > (uint64_t)l->zeroes_sectors * l->zeroes_ranges)
			return VIRTIO_EINVAL;
		return check_range(blk, sector, count);
	case VIRTIO_BLK_OP_GET_ID:
		return buf ? VIRTIO_OK : VIRTIO_EINVAL;
	}
	return VIRTIO_EINVAL;
}

/* Publishes what was added; notifies if the device asks for it. */
static void kick(struct virtio_blk *blk)
{
	if (virtqueue_kick_prepare(&blk->vq)) {
		blk->stats.kicks++;
		virtqueue_notify(&blk->vq);
	}
}

int virtio_blk_submit(struct virtio_blk *blk, enum virtio_blk_op op,
		      uint64_t sector, void *buf, uint32_t count,
		      virtio_blk_done_fn done, void *ctx)
{
	struct virtio_device *dev = blk->dev;
	struct virtio_buf *b = blk->bufs;
	struct virtio_blk_slot *s = NULL;
	struct virtio_blk_dma *d;
	unsigned n = 1, n_out, i;
	uint32_t type, in_bytes = 0;
	int err;

	if (!blk->dma || !blk->vq.mem)
		return VIRTIO_EBROKEN;
	err = check_op(blk, op, sector, buf, count);
	if (err)
		return err;
	if (blk->inflight >= blk->depth)
		return VIRTIO_ENOSPC;
	for (i = 0; i < VIRTIO_BLK_MAX_INFLIGHT; i++) {
		if (!blk->slot[i].busy) {
			s = &blk->slot[i];
			break;
		}
	}
	if (!s)
		return VIRTIO_ENOSPC;
	d = &blk->dma[i];

	b[0].addr = &d->hdr;
	b[0].len = sizeof(d->hdr);
	switch (op) {
	case VIRTIO_BLK_OP_READ:
	case VIRTIO_BLK_OP_WRITE: {
		uint8_t *p = buf;
		uint32_t left = count * SECTOR, seg = blk->limits.seg_bytes;

		type = op == VIRTIO_BLK_OP_READ ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT;
		if (op == VIRTIO_BLK_OP_READ)
			in_bytes = left;
		/* size_max: no data descriptor longer than seg_bytes. */
		while (left) {
			uint32_t k = left < seg ? left : seg;

			b[n].addr = p;
			b[n].len = k;
			n++;
			p += k;
			left -= k;
		}
		break;
	}
	case VIRTIO_BLK_OP_DISCARD:
		type = VIRTIO_BLK_T_DISCARD;
		b[n].addr = d->u.range;
		b[n].len = sizeof(d->u.range[0]) *
			   fill_ranges(d, sector, count,
				       blk->limits.discard_sectors, 0);
		n++;
		break;
	case VIRTIO_BLK_OP_WRITE_ZEROES:
	case VIRTIO_BLK_OP_WRITE_ZEROES_UNMAP: {
		/* UNMAP only where the device said it may deallocate. */
		uint32_t flags = op == VIRTIO_BLK_OP_WRITE_ZEROES_UNMAP &&
						 blk->limits.zeroes_may_unmap
					 ? VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP : 0;

		type = VIRTIO_BLK_T_WRITE_ZEROES;
		b[n].addr = d->u.range;
		b[n].len = sizeof(d->u.range[0]) *
			   fill_ranges(d, sector, count,
				       blk->limits.zeroes_sectors, flags);
		n++;
		break;
	}
	case VIRTIO_BLK_OP_GET_ID:
		type = VIRTIO_BLK_T_GET_ID;
		in_bytes = VIRTIO_BLK_ID_BYTES;
		for (unsigned k = 0; k < VIRTIO_BLK_ID_BYTES; k++)
			d->u.id[k] = 0;
		b[n].addr = d->u.id;
		b[n].len = VIRTIO_BLK_ID_BYTES;
		n++;
		break;
	default: /* FLUSH: header and status only */
		type = VIRTIO_BLK_T_FLUSH;
		break;
	}
	/* Only reads and writes carry a sector (5.2.6: 0 otherwise). */
	d->hdr.type = virtio32(dev, type);
	d->hdr.ioprio = 0;
	d->hdr.sector = virtio64(dev, type == VIRTIO_BLK_T_IN ||
					      type == VIRTIO_BLK_T_OUT
					      ? sector : 0);
	d->status = 0xff; /* no valid status: catches a device that skips it */
	b[n].addr = &d->status;
	b[n].len = 1;
	n++;
	n_out = (type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_GET_ID ||
		 type == VIRTIO_BLK_T_FLUSH) ? 1 : n - 1;
	err = virtqueue_add(&blk->vq, b, n_out, n - n_out, s);
	if (err)
		return err;
	s->busy = true;
	s->done = done;
	s->ctx = ctx;
	s->in_bytes = in_bytes;
	s->id_out = op == VIRTIO_BLK_OP_GET_ID ? buf : NULL;
	blk->inflight++;
	blk->stats.requests++;
	if (blk->inflight > blk->stats.max_inflight)
		blk->stats.max_inflight = blk->inflight;
	if (!blk->plugged)
		kick(blk);
	return VIRTIO_OK;
}

void virtio_blk_plug(struct virtio_blk *blk)
{
	blk->plugged = true;
}

void virtio_blk_unplug(struct virtio_blk *blk)
{
	blk->plugged = false;
	if (blk->vq.mem)
		kick(blk);
}

/* The result of a completed request: used length, then status byte. */
static int result_of(struct virtio_blk *blk, struct virtio_blk_slot *s,
		     const struct virtio_blk_dma *d, uint32_t len)
{
	/* The queue checked len <= writable bytes. A modern device must also
	 * report the status byte and, for a read, all the data; legacy
	 * devices are known to report len carelessly (2.7.8.2). */
	if (!virtio_is_legacy(blk->dev) && (len < 1 || (s->in_bytes && !s->id_out &&
					      len != s->in_bytes + 1)))
		return VIRTIO_EIO;
	switch (*(const volatile uint8_t *)&d->status) {
	case VIRTIO_BLK_S_OK:
		return VIRTIO_OK;
	case VIRTIO_BLK_S_UNSUPP:
		return VIRTIO_EUNSUPP;
	default: /* IOERR, or no status written */
		return VIRTIO_EIO;
	}
}

int virtio_blk_poll(struct virtio_blk *blk)
{
	int n = 0;

	if (!blk->vq.mem)
		return VIRTIO_EBROKEN;
	for (;;) {
		struct virtio_blk_slot *s;
		void *token;
		uint32_t len;
		uintptr_t off;
		int r = virtqueue_get(&blk->vq, &token, &len);

		if (r == 0)
			return n;
		if (r < 0)
			return abandon(blk, r);
		/* Only our own slots go in as tokens; check anyway. */
		off = (uintptr_t)token - (uintptr_t)&blk->slot[0];
		if ((uintptr_t)token < (uintptr_t)&blk->slot[0] ||
		    off % sizeof(blk->slot[0]) ||
		    off / sizeof(blk->slot[0]) >= VIRTIO_BLK_MAX_INFLIGHT ||
		    !((struct virtio_blk_slot *)token)->busy)
			return abandon(blk, VIRTIO_EUSEDNOTINFLIGHT);
		s = token;
		r = result_of(blk, s, &blk->dma[s - blk->slot], len);
		if (r == 0 && s->id_out) {
			const uint8_t *id = blk->dma[s - blk->slot].u.id;

			for (unsigned k = 0; k < VIRTIO_BLK_ID_BYTES; k++)
				s->id_out[k] = id[k];
		}
		/* Free the slot first: the callback may submit again. */
		s->busy = false;
		blk->inflight--;
		blk->stats.completed++;
		n++;
		if (s->done)
			s->done(s->ctx, r);
	}
}

/* Nothing completed: with an interrupt, sleep until the next one (or
 * the rest of the timeout); *seen was taken before the poll that found
 * nothing, so a completion in between is not slept through. */
static void idle(struct virtio_blk *blk, uint32_t *seen, uint64_t last)
{
	uint64_t spent = virtio_port_time_us() - last;

	if (blk->irq && spent <= VIRTIO_BLK_TIMEOUT_US)
		(void)virtio_irq_wait(blk->irq, seen, VIRTIO_BLK_TIMEOUT_US - spent + 1);
}

static uint32_t events(const struct virtio_blk *blk)
{
	return blk->irq ? virtio_irq_events(blk->irq) : 0;
}

int virtio_blk_drain(struct virtio_blk *blk)
{
	uint64_t last = virtio_port_time_us();
	uint32_t seen = events(blk);

	if (blk->plugged)
		virtio_blk_unplug(blk);
	while (blk->inflight) {
		int r = virtio_blk_poll(blk);

		if (r < 0)
			return r;
		if (r > 0) {
			last = virtio_port_time_us();
		} else if (virtio_port_time_us() - last > VIRTIO_BLK_TIMEOUT_US) {
			r = virtio_check_status(blk->dev);
			return abandon(blk, r ? r : VIRTIO_ETIMEDOUT);
		} else {
			idle(blk, &seen, last);
		}
	}
	return VIRTIO_OK;
}

int virtio_blk_use_irq(struct virtio_blk *blk, struct virtio_irq *irq)
{
	int r;

	if (!irq || !blk->vq.mem || irq->dev != blk->dev)
		return VIRTIO_EINVAL;
	r = virtio_irq_on_queue(irq, &blk->vq, NULL, NULL);
	if (r)
		return r;
	blk->irq = irq;
	return VIRTIO_OK;
}

int virtio_blk_config_changed(struct virtio_blk *blk)
{
	struct virtio_blk_config cfg = { 0 };
	uint32_t bs;
	int r;

	if (!blk->dma)
		return VIRTIO_EBROKEN;
	r = read_config(blk, &cfg);
	if (r)
		return r;
	bs = cfg.blk_size;
	if (bs != blk->blk_size)
		return VIRTIO_ECONFIG;
	if (cfg.capacity == blk->capacity)
		return 0;
	/* Requests in flight were checked against the old capacity; the
	 * device answers any beyond a shrunk disk with an error. */
	blk->capacity = cfg.capacity;
	return 1;
}

/* ---- blocking interface ---- */

struct waiter {
	int result;       /* first error */
	unsigned pending; /* requests of this call in flight */
};

static void waiter_done(void *ctx, int result)
{
	struct waiter *w = ctx;

	if (result && !w->result)
		w->result = result;
	w->pending--;
}

/*
 * Runs op over [sector, sector + count) in requests of at most `chunk`
 * sectors, keeping up to `depth` in flight. The whole range is checked
 * first, so an invalid call sends nothing.
 */
static int run(struct virtio_blk *blk, enum virtio_blk_op op,
	       uint64_t sector, uint8_t *buf, uint64_t count, uint32_t chunk)
{
	struct waiter w = { 0, 0 };
	bool data = op == VIRTIO_BLK_OP_READ || op == VIRTIO_BLK_OP_WRITE;
	uint64_t done = 0, last;
	uint32_t seen;
	int r;

	if (!blk->dma || !blk->vq.mem)
		return VIRTIO_EBROKEN;
	if (blk->plugged)
		virtio_blk_unplug(blk);
	if (op != VIRTIO_BLK_OP_FLUSH && op != VIRTIO_BLK_OP_GET_ID) {
		r = check_op(blk, op, sector, buf, count > chunk ? chunk : (uint32_t)count);
		if (!r)
			r = check_range(blk, sector, count);
		if (r)
			return r;
	}
	last = virtio_port_time_us();
	seen = events(blk);
	for (;;) {
		if (done < count && !w.result) {
			uint32_t n = count - done < chunk ? (uint32_t)(count - done)
							  : chunk;

			r = virtio_blk_submit(blk, op, sector + done,
					      data ? buf + done * SECTOR : buf, n,
					      waiter_done, &w);
			if (r == 0) {
				w.pending++;
				done += n;
				continue;
			}
			/* Full: wait for a completion; anything else (or full
			 * with nothing in flight) cannot get better. */
			if (r != VIRTIO_ENOSPC || blk->inflight == 0)
				w.result = r;
		}
		if (w.pending == 0 && (done >= count || w.result))
			return w.result;
		r = virtio_blk_poll(blk);
		if (r < 0) {
			/* The device was abandoned: every request completed. */
			return w.result ? w.result : r;
		}
		if (r > 0) {
			last = virtio_port_time_us();
		} else if (virtio_port_time_us() - last > VIRTIO_BLK_TIMEOUT_US) {
			r = virtio_check_status(blk->dev);
			abandon(blk, r ? r : VIRTIO_ETIMEDOUT);
			return w.result ? w.result : VIRTIO_ETIMEDOUT;
		} else {
			idle(blk, &seen, last);
		}
	}
}

int virtio_blk_read(struct virtio_blk *blk, uint64_t sector, void *buf,
		    uint32_t count)
{
	return run(blk, VIRTIO_BLK_OP_READ, sector, buf, count,
		   blk->limits.max_sectors);
}

int virtio_blk_write(struct virtio_blk *blk, uint64_t sector,
		     const void *buf, uint32_t count)
{
	/* The device only reads it; the buffer type is shared with reads. */
	return run(blk, VIRTIO_BLK_OP_WRITE, sector, (uint8_t *)(uintptr_t)buf,
		   count, blk->limits.max_sectors);
}

int virtio_blk_flush(struct virtio_blk *blk)
{
	if (!blk->dma || !blk->vq.mem)
		return VIRTIO_EBROKEN;
	/* Without FLUSH the cache is write-through: nothing to do. */
	if (!virtio_blk_has(blk, VIRTIO_BLK_F_FLUSH))
		return VIRTIO_OK;
	return run(blk, VIRTIO_BLK_OP_FLUSH, 0, NULL, 1, 1);
}

int virtio_blk_discard(struct virtio_blk *blk, uint64_t sector,
		       uint64_t count)
{
	const struct virtio_blk_limits *l = &blk->limits;

	if (!blk->dma || !blk->vq.mem)
		return VIRTIO_EBROKEN;
	return run(blk, VIRTIO_BLK_OP_DISCARD, sector, NULL, count,
		   min32((uint64_t)l->discard_sectors * l->discard_ranges,
			 UINT32_MAX - UINT32_MAX % spb(blk)));
}

int virtio_blk_write_zeroes(struct virtio_blk *blk, uint64_t sector,
			    uint64_t count, bool may_unmap)
{
	const struct virtio_blk_limits *l = &blk->limits;

	if (!blk->dma || !blk->vq.mem)
		return VIRTIO_EBROKEN;
	return run(blk, may_unmap ? VIRTIO_BLK_OP_WRITE_ZEROES_UNMAP
				  : VIRTIO_BLK_OP_WRITE_ZEROES,
		   sector, NULL, count,
		   min32((uint64_t)l->zeroes_sectors * l->zeroes_ranges,
			 UINT32_MAX - UINT32_MAX % spb(blk)));
}

int virtio_blk_get_id(struct virtio_blk *blk, char id[VIRTIO_BLK_ID_BYTES + 1])
{
	uint8_t raw[VIRTIO_BLK_ID_BYTES];
	unsigned k;
	int r;

	id[0] = '\0';
	r = run(blk, VIRTIO_BLK_OP_GET_ID, 0, raw, 1, 1);
	if (r)
		return r;
	/* NUL-padded, no NUL when all 20 bytes are used (5.2.6). */
	for (k = 0; k < VIRTIO_BLK_ID_BYTES && raw[k]; k++)
		id[k] = raw[k] >= 0x20 && raw[k] < 0x7f ? (char)raw[k] : '?';
	id[k] = '\0';
	return VIRTIO_OK;
}
