/*
 * Built-in device backends for the device model: a RAM-disk virtio-blk,
 * an echo (loopback) and an entropy source. Request formats follow
 * VirtIO 1.2, 5.2.6 (block) and 5.4.6 (entropy).
 */
#include "devmodel.h"

#include <stdlib.h>
#include <string.h>

/* Copies `len` bytes starting at byte `off` of the readable part. */
static uint32_t gather(const struct dm_req *r, uint32_t off, void *dst,
		       uint32_t len)
{
	uint8_t *d = dst;
	uint32_t done = 0, pos = 0;
	for (unsigned i = 0; i < r->nseg && done < len; i++) {
		const struct dm_seg *s = &r->seg[i];
		if (s->write)
			continue;
		if (off < pos + s->len) {
			uint32_t from = off > pos ? off - pos : 0;
			uint32_t n = s->len - from;
			if (n > len - done)
				n = len - done;
			memcpy(d + done, s->ptr + from, n);
			done += n;
			off += n;
		}
		pos += s->len;
	}
	return done;
}

/* Copies `len` bytes to byte `off` of the writable part. */
static uint32_t scatter(const struct dm_req *r, uint32_t off, const void *src,
			uint32_t len)
{
	const uint8_t *s8 = src;
	uint32_t done = 0, pos = 0;
	for (unsigned i = 0; i < r->nseg && done < len; i++) {
		const struct dm_seg *s = &r->seg[i];
		if (!s->write)
			continue;
		if (off < pos + s->len) {
			uint32_t from = off > pos ? off - pos : 0;
			uint32_t n = s->len - from;
			if (n > len - done)
				n = len - done;
			memcpy(s->ptr + from, s8 + done, n);
			done += n;
			off += n;
		}
		pos += s->len;
	}
	return done;
}

/* ---- virtio-blk RAM disk ---- */

#define BLK_T_IN 0u
#define BLK_T_OUT 1u
#define BLK_T_FLUSH 4u
#define BLK_T_GET_ID 8u
#define BLK_T_DISCARD 11u
#define BLK_T_WRITE_ZEROES 13u
#define BLK_F_DISCARD 13
#define BLK_F_WRITE_ZEROES 14
#define BLK_S_OK 0u
#define BLK_S_IOERR 1u
#define BLK_S_UNSUPP 2u
#define BLK_F_SEG_MAX 2
#define BLK_F_BLK_SIZE 6
#define BLK_F_FLUSH 9
#define SECTOR 512u

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint32_t blk_backend(struct dm_device *dev, unsigned queue,
			    struct dm_req *r, void *ctx)
{
	(void)dev;
	(void)queue;
	struct dm_blk *b = ctx;
	uint8_t hdr[16];
	if (r->writable < 1 || gather(r, 0, hdr, 16) != 16) {
		b->bad++;
		return 0;
	}
	uint32_t type = le32(hdr);
	uint64_t sector = (uint64_t)le32(hdr + 8) | (uint64_t)le32(hdr + 12) << 32;
	uint32_t data_in = r->writable - 1;   /* bytes before the status byte */
	uint32_t data_out = r->readable - 16; /* bytes after the header */
	uint8_t status = BLK_S_OK;
	b->last_type = (uint8_t)type;
	/* shape: segments between the header and the status byte */
	{
		unsigned nseg = 0;
		uint32_t pos = 0, total = 0;
		for (unsigned i = 0; i < r->nseg; i++) {
			const struct dm_seg *s = &r->seg[i];
			uint32_t len = s->len;
			if (!s->write && pos < 16) { /* header (maybe shared) */
				uint32_t h = 16 - pos < len ? 16 - pos : len;
				pos += h;
				len -= h;
			}
			if (s->write && i == r->nseg - 1 && len > 0)
				len--; /* status byte */
			if (len == 0)
				continue;
			nseg++;
			total += len;
			if (len > b->max_seg_len)
				b->max_seg_len = len;
		}
		if (nseg > b->max_data_segs)
			b->max_data_segs = nseg;
		if (total > b->max_request_bytes)
			b->max_request_bytes = total;
	}

	if (b->fail_next_status >= 0) {
		status = (uint8_t)b->fail_next_status;
		b->fail_next_status = -1;
		goto done;
	}
	switch (type) {
	case BLK_T_IN:
		b->reads++;
		if (data_in % SECTOR != 0 || sector > b->sectors ||
		    data_in / SECTOR > b->sectors - sector) {
			status = BLK_S_IOERR;
			break;
		}
		scatter(r, 0, b->data + sector * SECTOR, data_in);
		break;
	case BLK_T_OUT:
		b->writes++;
		if (b->read_only || data_out % SECTOR != 0 ||
		    sector > b->sectors ||
		    data_out / SECTOR > b->sectors - sector) {
			status = BLK_S_IOERR;
			break;
		}
		gather(r, 16, b->data + sector * SECTOR, data_out);
		break;
	case BLK_T_FLUSH:
		b->flushes++;
		break;
	case BLK_T_GET_ID:
		b->get_ids++;
		scatter(r, 0, b->id, data_in < 20 ? data_in : 20);
		break;
	case BLK_T_DISCARD:
	case BLK_T_WRITE_ZEROES: {
		if (type == BLK_T_DISCARD)
			b->discards++;
		else
			b->zeroes++;
		if (data_out == 0 || data_out % 16 != 0 || data_out / 16 > 16) {
			status = BLK_S_IOERR;
			break;
		}
		b->nranges = data_out / 16;
		for (unsigned i = 0; i < b->nranges; i++) {
			uint8_t seg[16];
			gather(r, 16 + 16 * i, seg, 16);
			uint64_t s = (uint64_t)le32(seg) | (uint64_t)le32(seg + 4) << 32;
			uint32_t n = le32(seg + 8);
			b->ranges[i].sector = s;
			b->ranges[i].num = n;
			b->ranges[i].flags = le32(seg + 12);
			if (s > b->sectors || n > b->sectors - s) {
				status = BLK_S_IOERR;
				break;
			}
			memset(b->data + s * SECTOR, 0, (size_t)n * SECTOR);
		}
		break;
	}
	default:
		status = BLK_S_UNSUPP;
		break;
	}
done:
	scatter(r, r->writable - 1, &status, 1);
	/* Like QEMU: the used length is the whole writable part. */
	return r->writable;
}

struct dm_blk *dm_blk_attach(struct dm_device *dev, uint64_t sectors)
{
	struct dm_blk *b = calloc(1, sizeof(*b));
	if (b == NULL)
		abort();
	b->data = calloc(sectors ? sectors : 1, SECTOR);
	if (b->data == NULL)
		abort();
	b->sectors = sectors;
	b->fail_next_status = -1;
	memcpy(b->id, "devmodel-ramdisk-01", 19);
	dev->device_id = 2;
	dev->device_features |= DM_BIT(BLK_F_SEG_MAX) | DM_BIT(BLK_F_BLK_SIZE) |
				DM_BIT(BLK_F_FLUSH) |
				DM_BIT(DM_F_INDIRECT_DESC) |
				DM_BIT(DM_F_EVENT_IDX);
	/* struct virtio_blk_config: capacity @0, size_max @8, seg_max @12,
	 * geometry @16, blk_size @20, ... 60 bytes up to secure erase. */
	uint8_t zero[72] = { 0 };
	dm_config_set(dev, 0, zero, sizeof(zero), false);
	dm_config_set_le64(dev, 0, sectors);
	dm_config_set_le32(dev, 12, 126);
	dm_config_set_le32(dev, 20, SECTOR);
	dev->backend = blk_backend;
	dev->backend_ctx = b;
	return b;
}

void dm_blk_offer_discard(struct dm_device *dev, uint32_t max_sectors,
			  uint32_t max_seg)
{
	dev->device_features |= DM_BIT(BLK_F_DISCARD);
	dm_config_set_le32(dev, 36, max_sectors);
	dm_config_set_le32(dev, 40, max_seg);
	dm_config_set_le32(dev, 44, 1);
}

void dm_blk_offer_write_zeroes(struct dm_device *dev, uint32_t max_sectors,
			       uint32_t max_seg)
{
	dev->device_features |= DM_BIT(BLK_F_WRITE_ZEROES);
	dm_config_set_le32(dev, 48, max_sectors);
	dm_config_set_le32(dev, 52, max_seg);
	uint8_t one = 1;
	dm_config_set(dev, 56, &one, 1, false);
}

void dm_blk_free(struct dm_blk *b)
{
	if (b) {
		free(b->data);
		free(b);
	}
}

/* ---- echo ---- */

static uint32_t echo_backend(struct dm_device *dev, unsigned queue,
			     struct dm_req *r, void *ctx)
{
	(void)dev;
	(void)queue;
	(void)ctx;
	uint32_t n = r->readable < r->writable ? r->readable : r->writable;
	uint8_t *tmp = malloc(n ? n : 1);
	if (tmp == NULL)
		abort();
	gather(r, 0, tmp, n);
	scatter(r, 0, tmp, n);
	free(tmp);
	return n;
}

void dm_echo_attach(struct dm_device *dev)
{
	dev->backend = echo_backend;
	dev->backend_ctx = NULL;
}

/* ---- entropy ---- */

static uint32_t rng_state_default = 0x2545f491u;

static uint32_t rng_backend(struct dm_device *dev, unsigned queue,
			    struct dm_req *r, void *ctx)
{
	(void)dev;
	(void)queue;
	uint32_t *st = ctx ? ctx : &rng_state_default;
	for (unsigned i = 0; i < r->nseg; i++) {
		if (!r->seg[i].write)
			continue;
		for (uint32_t j = 0; j < r->seg[i].len; j++) {
			uint32_t x = *st;
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			*st = x;
			r->seg[i].ptr[j] = (uint8_t)x;
		}
	}
	return r->writable;
}

void dm_rng_attach(struct dm_device *dev, uint32_t seed)
{
	static uint32_t state;
	state = seed ? seed : 1;
	dev->device_id = 4;
	dev->backend = rng_backend;
	dev->backend_ctx = &state;
}
