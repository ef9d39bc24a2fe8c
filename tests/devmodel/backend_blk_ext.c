/*
 * virtio-blk backend extensions (see backend_blk_ext.h). Request formats:
 * VirtIO 1.2, 5.2.6: a 16-byte header (type, reserved, sector), data, a
 * status byte; discard and write-zeroes data is a list of 16-byte ranges
 * (le64 sector, le32 num_sectors, le32 flags, bit 0 = unmap). Numbers are
 * written here again on purpose (see devmodel.h).
 */
#include "backend_blk_ext.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_IN 0u
#define T_OUT 1u
#define T_FLUSH 4u
#define T_DISCARD 11u
#define T_WRITE_ZEROES 13u
#define S_OK 0u
#define S_IOERR 1u
#define F_SIZE_MAX 1
#define F_TOPOLOGY 10
#define F_DISCARD 13
#define F_WRITE_ZEROES 14
#define SECTOR 512u
#define RANGE 16u
#define FLAG_UNMAP 1u

static uint64_t rd_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Readable bytes [off, off + len) of the request into dst. */
static bool readable_bytes(const struct dm_req *r, uint32_t off, uint8_t *dst,
			   uint32_t len)
{
	uint32_t pos = 0, done = 0;

	for (unsigned i = 0; i < r->nseg && done < len; i++) {
		const struct dm_seg *s = &r->seg[i];

		if (s->write)
			continue;
		for (uint32_t j = 0; j < s->len && done < len; j++, pos++)
			if (pos >= off)
				dst[done++] = s->ptr[j];
	}
	return done == len;
}

static void set_status(const struct dm_req *r, uint8_t status)
{
	const struct dm_seg *last = &r->seg[r->nseg - 1];

	if (r->nseg && last->write && last->len)
		last->ptr[last->len - 1] = status;
}

static void limit_violation(struct dm_blk_ext *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void limit_violation(struct dm_blk_ext *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->last_violation, sizeof(x->last_violation), fmt, ap);
	va_end(ap);
	x->limit_violations++;
}

/* Discard / write zeroes: every range checked against the limits. */
static uint8_t ranges(struct dm_blk_ext *x, const struct dm_req *r,
		      uint32_t type)
{
	bool zeroes = type == T_WRITE_ZEROES;
	uint32_t max_sectors = zeroes ? x->max_zeroes_sectors : x->max_discard_sectors;
	uint32_t max_seg = zeroes ? x->max_zeroes_seg : x->max_discard_seg;
	uint32_t bytes = r->readable - 16, n = bytes / RANGE;
	uint8_t rec[RANGE];

	if (zeroes)
		x->zeroes++;
	else
		x->discards++;
	if (bytes == 0 || bytes % RANGE) {
		limit_violation(x, "range data of %u bytes", bytes);
		return S_IOERR;
	}
	if (n > max_seg) {
		limit_violation(x, "%u ranges, max_seg %u", n, max_seg);
		return S_IOERR;
	}
	for (uint32_t i = 0; i < n; i++) {
		readable_bytes(r, 16 + i * RANGE, rec, RANGE);
		uint64_t sector = rd_le(rec, 8);
		uint32_t count = (uint32_t)rd_le(rec + 8, 4);
		uint32_t flags = (uint32_t)rd_le(rec + 12, 4);

		x->ranges++;
		if (count > max_sectors || sector > x->disk->sectors ||
		    count > x->disk->sectors - sector) {
			limit_violation(x, "range %llu+%u (max %u, disk %llu)",
					(unsigned long long)sector, count, max_sectors,
					(unsigned long long)x->disk->sectors);
			return S_IOERR;
		}
		if (flags & ~(zeroes ? FLAG_UNMAP : 0u)) {
			limit_violation(x, "range flags %#x", flags);
			return S_IOERR;
		}
		if (flags & FLAG_UNMAP) {
			x->unmap_flags++;
			if (!x->zeroes_may_unmap)
				limit_violation(x, "unmap without write_zeroes_may_unmap");
		}
		memset(x->disk->data + sector * SECTOR,
		       zeroes ? 0 : DM_BLK_DISCARD_FILL, (size_t)count * SECTOR);
	}
	return S_OK;
}

static uint32_t ext_backend(struct dm_device *dev, unsigned queue,
			    struct dm_req *r, void *ctx)
{
	struct dm_blk_ext *x = ctx;
	uint8_t hdr[16];
	uint32_t type, data_segs;
	uint64_t sector;

	if (r->nseg < 2 || !readable_bytes(r, 0, hdr, 16) || r->writable < 1)
		return x->base(dev, queue, r, x->disk);
	type = (uint32_t)rd_le(hdr, 4);
	sector = rd_le(hdr + 8, 8);
	if (type != T_IN && type != T_OUT && sector != 0)
		x->sector_not_zero++;
	if (x->disk->fail_next_status >= 0)
		return x->base(dev, queue, r, x->disk);

	/* Data segments: all but the header and status descriptors. */
	data_segs = r->nseg - 2;
	if (data_segs > x->max_data_segs)
		x->max_data_segs = data_segs;
	for (unsigned i = 1; i + 1 < r->nseg; i++) {
		if (r->seg[i].len > x->max_seg_len)
			x->max_seg_len = r->seg[i].len;
		if (x->size_max && r->seg[i].len > x->size_max) {
			limit_violation(x, "segment of %u bytes, size_max %u",
					r->seg[i].len, x->size_max);
			set_status(r, S_IOERR);
			return r->writable;
		}
	}
	if ((type == T_IN || type == T_OUT) && x->seg_max &&
	    data_segs > x->seg_max) {
		limit_violation(x, "%u data segments, seg_max %u", data_segs,
				x->seg_max);
		set_status(r, S_IOERR);
		return r->writable;
	}
	if ((type == T_DISCARD && x->max_discard_seg) ||
	    (type == T_WRITE_ZEROES && x->max_zeroes_seg)) {
		uint8_t st = x->disk->read_only ? S_IOERR : ranges(x, r, type);

		set_status(r, st);
		return r->writable;
	}
	if (type == T_FLUSH && x->dirty) {
		x->flushes_after_writes++;
		x->dirty = 0;
	}
	uint32_t len = x->base(dev, queue, r, x->disk);
	if (type == T_OUT && r->seg[r->nseg - 1].ptr[r->seg[r->nseg - 1].len - 1] == S_OK)
		x->dirty++;
	return len;
}

struct dm_blk_ext *dm_blk_ext_attach(struct dm_device *dev, uint64_t sectors)
{
	struct dm_blk_ext *x = calloc(1, sizeof(*x));

	if (x == NULL)
		abort();
	x->dev = dev;
	x->disk = dm_blk_attach(dev, sectors);
	x->base = dev->backend;
	x->seg_max = 126; /* as dm_blk_attach announces */
	dev->backend = ext_backend;
	dev->backend_ctx = x;
	return x;
}

void dm_blk_ext_free(struct dm_blk_ext *x)
{
	if (x) {
		dm_blk_free(x->disk);
		free(x);
	}
}

void dm_blk_ext_seg_limits(struct dm_blk_ext *x, uint32_t size_max,
			   uint32_t seg_max)
{
	x->size_max = size_max;
	x->seg_max = seg_max;
	if (size_max)
		x->dev->device_features |= DM_BIT(F_SIZE_MAX);
	dm_config_set_le32(x->dev, 8, size_max);
	dm_config_set_le32(x->dev, 12, seg_max);
}

/* struct virtio_blk_config: max_discard_sectors @36, max_discard_seg @40,
 * discard_sector_alignment @44, max_write_zeroes_sectors @48,
 * max_write_zeroes_seg @52, write_zeroes_may_unmap @56. */
void dm_blk_ext_discard(struct dm_blk_ext *x, uint32_t max_sectors,
			uint32_t max_seg, uint32_t alignment)
{
	x->max_discard_sectors = max_sectors;
	x->max_discard_seg = max_seg;
	x->dev->device_features |= DM_BIT(F_DISCARD);
	dm_config_set_le32(x->dev, 36, max_sectors);
	dm_config_set_le32(x->dev, 40, max_seg);
	dm_config_set_le32(x->dev, 44, alignment);
}

void dm_blk_ext_write_zeroes(struct dm_blk_ext *x, uint32_t max_sectors,
			     uint32_t max_seg, bool may_unmap)
{
	uint8_t unmap = may_unmap;

	x->max_zeroes_sectors = max_sectors;
	x->max_zeroes_seg = max_seg;
	x->zeroes_may_unmap = may_unmap;
	x->dev->device_features |= DM_BIT(F_WRITE_ZEROES);
	dm_config_set_le32(x->dev, 48, max_sectors);
	dm_config_set_le32(x->dev, 52, max_seg);
	dm_config_set(x->dev, 56, &unmap, 1, false);
}

/* topology: physical_block_exp @24, alignment_offset @25,
 * min_io_size @26 (le16), opt_io_size @28. */
void dm_blk_ext_topology(struct dm_blk_ext *x, uint8_t physical_block_exp,
			 uint8_t alignment_offset, uint16_t min_io_size,
			 uint32_t opt_io_size)
{
	uint8_t b[2] = { physical_block_exp, alignment_offset };

	x->dev->device_features |= DM_BIT(F_TOPOLOGY);
	dm_config_set(x->dev, 24, b, 2, false);
	dm_config_set_le16(x->dev, 26, min_io_size);
	dm_config_set_le32(x->dev, 28, opt_io_size);
}

void dm_blk_ext_serial(struct dm_blk_ext *x, const char *id, size_t len)
{
	memset(x->disk->id, 0, sizeof(x->disk->id));
	memcpy(x->disk->id, id, len < sizeof(x->disk->id) ? len : sizeof(x->disk->id));
}
