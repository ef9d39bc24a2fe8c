/*
 * virtio-blk backend extensions on top of the built-in RAM disk
 * (dm_blk_attach): SIZE_MAX / SEG_MAX limits that are enforced, DISCARD
 * and WRITE_ZEROES with their limits, TOPOLOGY, a settable GET_ID serial,
 * and flush tracking. Requests that break a limit the device announced
 * are counted in `limit_violations` (and answered IOERR, as a strict
 * device would); tests assert it stays 0.
 */
#ifndef VIRTIO_DEVMODEL_BACKEND_BLK_EXT_H
#define VIRTIO_DEVMODEL_BACKEND_BLK_EXT_H

#include "devmodel.h"

/* Discarded sectors read back as this byte (the spec leaves them
 * unspecified; a value other than 0 shows the discard happened). */
#define DM_BLK_DISCARD_FILL 0xddu

struct dm_blk_ext {
	struct dm_device *dev;
	struct dm_blk *disk;         /* the RAM disk underneath */
	dm_backend_fn base;          /* its backend */
	/* Limits as announced (0 = feature not offered). */
	uint32_t size_max, seg_max;
	uint32_t max_discard_sectors, max_discard_seg;
	uint32_t max_zeroes_sectors, max_zeroes_seg;
	bool zeroes_may_unmap;
	/* What the driver sent. */
	uint64_t discards, zeroes, ranges, unmap_flags;
	uint64_t limit_violations;
	char last_violation[160];
	uint32_t max_data_segs;      /* most data segments in one request */
	uint32_t max_seg_len;        /* longest data segment */
	uint64_t dirty;              /* writes since the last flush */
	uint64_t flushes_after_writes;
	uint64_t sector_not_zero;    /* non-read/write header with sector != 0 */
};

/* dm_blk_attach + the extension backend. */
struct dm_blk_ext *dm_blk_ext_attach(struct dm_device *dev, uint64_t sectors);
void dm_blk_ext_free(struct dm_blk_ext *x);

/* Offer SIZE_MAX (size_max > 0) and set seg_max (SEG_MAX is offered by
 * the RAM disk already). */
void dm_blk_ext_seg_limits(struct dm_blk_ext *x, uint32_t size_max,
			   uint32_t seg_max);
void dm_blk_ext_discard(struct dm_blk_ext *x, uint32_t max_sectors,
			uint32_t max_seg, uint32_t alignment);
void dm_blk_ext_write_zeroes(struct dm_blk_ext *x, uint32_t max_sectors,
			     uint32_t max_seg, bool may_unmap);
void dm_blk_ext_topology(struct dm_blk_ext *x, uint8_t physical_block_exp,
			 uint8_t alignment_offset, uint16_t min_io_size,
			 uint32_t opt_io_size);
/* GET_ID answer: up to 20 bytes, NUL-padded. */
void dm_blk_ext_serial(struct dm_blk_ext *x, const char *id, size_t len);

#endif /* VIRTIO_DEVMODEL_BACKEND_BLK_EXT_H */
