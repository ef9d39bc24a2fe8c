/*
 * Block device (VirtIO 1.2 section 5.2).
 *
 * Generated from spec/devices/blk.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_BLK_H
#define VIRTIO_GEN_BLK_H

#include <stdint.h>
#include <stddef.h>
#include <virtio/config_io.h>

/* Device type VIRTIO_ID_BLOCK (2); short name "blk". */

/* Feature bits (section 5.2.3): bit numbers, as in Linux. */
#define VIRTIO_BLK_F_BARRIER 0 /* Requests may carry the VIRTIO_BLK_T_BARRIER ordering flag. Legacy only. (5.2.3.1) */
#define VIRTIO_BLK_F_SIZE_MAX 1 /* size_max holds the largest size of one segment. (5.2.3) */
#define VIRTIO_BLK_F_SEG_MAX 2 /* seg_max holds the largest number of segments in one request. (5.2.3) */
#define VIRTIO_BLK_F_GEOMETRY 4 /* geometry holds a disk-style cylinders/heads/sectors geometry. (5.2.3) */
#define VIRTIO_BLK_F_RO 5 /* The disk is read-only; writes fail. (5.2.3) */
#define VIRTIO_BLK_F_BLK_SIZE 6 /* blk_size holds the disk's block size. (5.2.3) */
#define VIRTIO_BLK_F_SCSI 7 /* SCSI packet command requests are supported. Legacy only. (5.2.3.1) */
#define VIRTIO_BLK_F_FLUSH 9 /* VIRTIO_BLK_T_FLUSH is supported. VIRTIO_BLK_F_WCE is the old legacy name of this bit (5.2.3.1). Linux lists it under legacy bits; the spec does not. (5.2.3) */
#define VIRTIO_BLK_F_WCE 9 /* same as VIRTIO_BLK_F_FLUSH */
#define VIRTIO_BLK_F_TOPOLOGY 10 /* The topology fields describe the physical block size and I/O alignment. (5.2.3) */
#define VIRTIO_BLK_F_CONFIG_WCE 11 /* The cache mode (wce) can be switched between writeback and writethrough. (5.2.3) */
#define VIRTIO_BLK_F_MQ 12 /* Several request queues; num_queues holds their number. (5.2.3) */
#define VIRTIO_BLK_F_DISCARD 13 /* VIRTIO_BLK_T_DISCARD is supported; limits in max_discard_sectors / max_discard_seg. (5.2.3) */
#define VIRTIO_BLK_F_WRITE_ZEROES 14 /* VIRTIO_BLK_T_WRITE_ZEROES is supported; limits in max_write_zeroes_sectors / max_write_zeroes_seg. (5.2.3) */
#define VIRTIO_BLK_F_LIFETIME 15 /* VIRTIO_BLK_T_GET_LIFETIME reports storage wear data. Not in Linux 6.1 uapi. (5.2.3) */
#define VIRTIO_BLK_F_SECURE_ERASE 16 /* VIRTIO_BLK_T_SECURE_ERASE is supported; limits in max_secure_erase_sectors / max_secure_erase_seg. (5.2.3) */

/* Request types (type field of struct virtio_blk_outhdr). (section 5.2.6). */
#define VIRTIO_BLK_T_IN 0 /* Read sectors into the data buffer. */
#define VIRTIO_BLK_T_OUT 1 /* Write the data buffer to the disk. */
#define VIRTIO_BLK_T_SCSI_CMD 2 /* Legacy only (VIRTIO_BLK_F_SCSI): SCSI packet command. */
#define VIRTIO_BLK_T_SCSI_CMD_OUT 3 /* Legacy only: same as SCSI_CMD. Not in Linux uapi. */
#define VIRTIO_BLK_T_FLUSH 4 /* Flush the device's volatile write cache; sector must be 0. */
#define VIRTIO_BLK_T_FLUSH_OUT 5 /* Legacy only: old synonym of FLUSH. Not in Linux uapi. */
#define VIRTIO_BLK_T_GET_ID 8 /* Read the device id string (VIRTIO_BLK_ID_BYTES bytes). */
#define VIRTIO_BLK_T_GET_LIFETIME 10 /* Read struct virtio_blk_lifetime (VIRTIO_BLK_F_LIFETIME). Not in Linux 6.1 uapi. */
#define VIRTIO_BLK_T_DISCARD 11 /* Discard the ranges listed in the data segments. */
#define VIRTIO_BLK_T_WRITE_ZEROES 13 /* Zero the ranges listed in the data segments. */
#define VIRTIO_BLK_T_SECURE_ERASE 14 /* Securely erase the ranges listed in the data segments. */

/* Flag bits or-ed into the request type. (section 5.2.6.3): masks. */
#define VIRTIO_BLK_T_BARRIER 0x80000000 /* Legacy only (VIRTIO_BLK_F_BARRIER): order this request after all earlier ones. */

/* Request completion status, the last byte of a request, written by the device. (section 5.2.6). */
#define VIRTIO_BLK_S_OK 0 /* Success. */
#define VIRTIO_BLK_S_IOERR 1 /* Device or driver error. */
#define VIRTIO_BLK_S_UNSUPP 2 /* Request not supported by the device. */

/* Fixed sizes of the block protocol. (section 5.2.6). */
#define VIRTIO_BLK_ID_BYTES 20 /* Length of the GET_ID string (NUL-padded, no NUL when 20 bytes long). */
#define VIRTIO_BLK_SECTOR_SIZE 512 /* Protocol sector unit in bytes, independent of blk_size. Not a Linux uapi name. */

/* Bits of the flags field of struct virtio_blk_discard_write_zeroes (spec bitfield flags.unmap). (section 5.2.6): masks. */
#define VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP 0x1 /* Write zeroes only: the device may deallocate the range; must be 0 for discard. */

/* Values of virtio_blk_lifetime.pre_eol_info (share of reserved blocks consumed). Not in Linux 6.1 uapi. (section 5.2.6). */
#define VIRTIO_BLK_PRE_EOL_INFO_UNDEFINED 0 /* No information. */
#define VIRTIO_BLK_PRE_EOL_INFO_NORMAL 1 /* Below 80% consumed. */
#define VIRTIO_BLK_PRE_EOL_INFO_WARNING 2 /* 80% consumed. */
#define VIRTIO_BLK_PRE_EOL_INFO_URGENT 3 /* 90% consumed. */

#ifndef VIRTIO_GEN_PACKED
#define VIRTIO_GEN_PACKED __attribute__((packed))
#endif

/*
 * Legacy disk geometry, nested in struct virtio_blk_config. (section 5.2.4)
 */
struct virtio_blk_geometry {
	uint16_t cylinders; /* virtio16 (LE (modern) / guest-native (legacy)): Number of cylinders. */
	uint8_t heads; /* u8: Number of heads. */
	uint8_t sectors; /* u8: Sectors per track. */
};
_Static_assert(sizeof(struct virtio_blk_geometry) == 4, "sizeof(struct virtio_blk_geometry) must be 4 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_geometry, cylinders) == 0, "offsetof(struct virtio_blk_geometry, cylinders) must be 0 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_geometry, heads) == 2, "offsetof(struct virtio_blk_geometry, heads) must be 2 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_geometry, sectors) == 3, "offsetof(struct virtio_blk_geometry, sectors) must be 3 (section 5.2.4)");

/*
 * Device configuration layout. The spec groups the four topology fields in a nested struct virtio_blk_topology; Linux (and this file) keeps them flat at the same offsets. Legacy devices use guest-native byte order (5.2.4.1). (section 5.2.4)
 */
struct virtio_blk_config {
	uint64_t capacity; /* virtio64 (LE (modern) / guest-native (legacy)): Disk size in 512-byte sectors (always present). */
	uint32_t size_max; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_SIZE_MAX: Largest segment size in bytes. */
	uint32_t seg_max; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_SEG_MAX: Largest number of segments per request. */
	struct virtio_blk_geometry geometry; /* struct virtio_blk_geometry, with VIRTIO_BLK_F_GEOMETRY: Disk geometry. */
	uint32_t blk_size; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_BLK_SIZE: Preferred block size in bytes (does not change the 512-byte protocol unit). */
	uint8_t physical_block_exp; /* u8, with VIRTIO_BLK_F_TOPOLOGY: log2 of logical blocks per physical block (spec: topology.physical_block_exp). */
	uint8_t alignment_offset; /* u8, with VIRTIO_BLK_F_TOPOLOGY: Offset of the first aligned logical block (spec: topology.alignment_offset). */
	uint16_t min_io_size; /* virtio16 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_TOPOLOGY: Suggested minimum I/O size in blocks (spec: topology.min_io_size). */
	uint32_t opt_io_size; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_TOPOLOGY: Optimal (suggested maximum) I/O size in blocks (spec: topology.opt_io_size). */
	uint8_t wce; /* u8, with VIRTIO_BLK_F_CONFIG_WCE: Cache mode, spec name writeback: 0 writethrough, 1 writeback; writable by the driver. */
	uint8_t unused; /* u8, reserved: Padding, spec name unused0; zero. */
	uint16_t num_queues; /* virtio16 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_MQ: Number of request queues (the 1.2 text types it u16, later revisions le16). */
	uint32_t max_discard_sectors; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_DISCARD: Largest discard segment in sectors. */
	uint32_t max_discard_seg; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_DISCARD: Largest number of segments in a discard request. */
	uint32_t discard_sector_alignment; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_DISCARD: Discard alignment in sectors, a hint for splitting requests. */
	uint32_t max_write_zeroes_sectors; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_WRITE_ZEROES: Largest write-zeroes segment in sectors. */
	uint32_t max_write_zeroes_seg; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_WRITE_ZEROES: Largest number of segments in a write-zeroes request. */
	uint8_t write_zeroes_may_unmap; /* u8, with VIRTIO_BLK_F_WRITE_ZEROES: Non-zero if write zeroes with UNMAP may deallocate sectors; may change at run time. */
	uint8_t unused1[3]; /* u8[3], reserved: Padding; zero. */
	uint32_t max_secure_erase_sectors; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_SECURE_ERASE: Largest secure-erase segment in sectors. */
	uint32_t max_secure_erase_seg; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_SECURE_ERASE: Largest number of segments in a secure-erase request. */
	uint32_t secure_erase_sector_alignment; /* virtio32 (LE (modern) / guest-native (legacy)), with VIRTIO_BLK_F_SECURE_ERASE: Secure-erase alignment in sectors. */
};
_Static_assert(sizeof(struct virtio_blk_config) == 72, "sizeof(struct virtio_blk_config) must be 72 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, capacity) == 0, "offsetof(struct virtio_blk_config, capacity) must be 0 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, size_max) == 8, "offsetof(struct virtio_blk_config, size_max) must be 8 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, seg_max) == 12, "offsetof(struct virtio_blk_config, seg_max) must be 12 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, geometry) == 16, "offsetof(struct virtio_blk_config, geometry) must be 16 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, geometry.cylinders) == 16, "offsetof(struct virtio_blk_config, geometry.cylinders) must be 16 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, geometry.heads) == 18, "offsetof(struct virtio_blk_config, geometry.heads) must be 18 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, geometry.sectors) == 19, "offsetof(struct virtio_blk_config, geometry.sectors) must be 19 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, blk_size) == 20, "offsetof(struct virtio_blk_config, blk_size) must be 20 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, physical_block_exp) == 24, "offsetof(struct virtio_blk_config, physical_block_exp) must be 24 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, alignment_offset) == 25, "offsetof(struct virtio_blk_config, alignment_offset) must be 25 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, min_io_size) == 26, "offsetof(struct virtio_blk_config, min_io_size) must be 26 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, opt_io_size) == 28, "offsetof(struct virtio_blk_config, opt_io_size) must be 28 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, wce) == 32, "offsetof(struct virtio_blk_config, wce) must be 32 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, unused) == 33, "offsetof(struct virtio_blk_config, unused) must be 33 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, num_queues) == 34, "offsetof(struct virtio_blk_config, num_queues) must be 34 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, max_discard_sectors) == 36, "offsetof(struct virtio_blk_config, max_discard_sectors) must be 36 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, max_discard_seg) == 40, "offsetof(struct virtio_blk_config, max_discard_seg) must be 40 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, discard_sector_alignment) == 44, "offsetof(struct virtio_blk_config, discard_sector_alignment) must be 44 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, max_write_zeroes_sectors) == 48, "offsetof(struct virtio_blk_config, max_write_zeroes_sectors) must be 48 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, max_write_zeroes_seg) == 52, "offsetof(struct virtio_blk_config, max_write_zeroes_seg) must be 52 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, write_zeroes_may_unmap) == 56, "offsetof(struct virtio_blk_config, write_zeroes_may_unmap) must be 56 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, unused1) == 57, "offsetof(struct virtio_blk_config, unused1) must be 57 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, max_secure_erase_sectors) == 60, "offsetof(struct virtio_blk_config, max_secure_erase_sectors) must be 60 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, max_secure_erase_seg) == 64, "offsetof(struct virtio_blk_config, max_secure_erase_seg) must be 64 (section 5.2.4)");
_Static_assert(offsetof(struct virtio_blk_config, secure_erase_sector_alignment) == 68, "offsetof(struct virtio_blk_config, secure_erase_sector_alignment) must be 68 (section 5.2.4)");

/*
 * Field accessors for struct virtio_blk_config, through the transport's
 * configuration access (virtio/config_io.h): values are in host order.
 */
static inline uint64_t virtio_blk_config_capacity(struct virtio_device *dev)
{
	return virtio_config_read64(dev, (uint32_t)(offsetof(struct virtio_blk_config, capacity)));
}

static inline uint32_t virtio_blk_config_size_max(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, size_max)));
}

static inline uint32_t virtio_blk_config_seg_max(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, seg_max)));
}

static inline uint16_t virtio_blk_config_geometry_cylinders(struct virtio_device *dev)
{
	return virtio_config_read16(dev, (uint32_t)(offsetof(struct virtio_blk_config, geometry.cylinders)));
}

static inline uint8_t virtio_blk_config_geometry_heads(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_blk_config, geometry.heads)));
}

static inline uint8_t virtio_blk_config_geometry_sectors(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_blk_config, geometry.sectors)));
}

static inline uint32_t virtio_blk_config_blk_size(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, blk_size)));
}

static inline uint8_t virtio_blk_config_physical_block_exp(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_blk_config, physical_block_exp)));
}

static inline uint8_t virtio_blk_config_alignment_offset(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_blk_config, alignment_offset)));
}

static inline uint16_t virtio_blk_config_min_io_size(struct virtio_device *dev)
{
	return virtio_config_read16(dev, (uint32_t)(offsetof(struct virtio_blk_config, min_io_size)));
}

static inline uint32_t virtio_blk_config_opt_io_size(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, opt_io_size)));
}

static inline uint8_t virtio_blk_config_wce(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_blk_config, wce)));
}

static inline void virtio_blk_config_set_wce(struct virtio_device *dev, uint8_t value)
{
	virtio_config_write8(dev, (uint32_t)(offsetof(struct virtio_blk_config, wce)), value);
}

static inline uint16_t virtio_blk_config_num_queues(struct virtio_device *dev)
{
	return virtio_config_read16(dev, (uint32_t)(offsetof(struct virtio_blk_config, num_queues)));
}

static inline uint32_t virtio_blk_config_max_discard_sectors(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, max_discard_sectors)));
}

static inline uint32_t virtio_blk_config_max_discard_seg(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, max_discard_seg)));
}

static inline uint32_t virtio_blk_config_discard_sector_alignment(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, discard_sector_alignment)));
}

static inline uint32_t virtio_blk_config_max_write_zeroes_sectors(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, max_write_zeroes_sectors)));
}

static inline uint32_t virtio_blk_config_max_write_zeroes_seg(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, max_write_zeroes_seg)));
}

static inline uint8_t virtio_blk_config_write_zeroes_may_unmap(struct virtio_device *dev)
{
	return virtio_config_read8(dev, (uint32_t)(offsetof(struct virtio_blk_config, write_zeroes_may_unmap)));
}

static inline uint32_t virtio_blk_config_max_secure_erase_sectors(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, max_secure_erase_sectors)));
}

static inline uint32_t virtio_blk_config_max_secure_erase_seg(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, max_secure_erase_seg)));
}

static inline uint32_t virtio_blk_config_secure_erase_sector_alignment(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_blk_config, secure_erase_sector_alignment)));
}

/*
 * Reads the whole configuration consistently: retried while the
 * configuration generation changes. Returns 0, or -1 when it never settled
 * within VIRTIO_CONFIG_READ_TRIES attempts.
 */
static inline int virtio_blk_config_read(struct virtio_device *dev, struct virtio_blk_config *out)
{
	for (unsigned int tries = 0; tries < VIRTIO_CONFIG_READ_TRIES; tries++) {
		uint32_t generation = virtio_config_generation(dev);
		out->capacity = virtio_blk_config_capacity(dev);
		out->size_max = virtio_blk_config_size_max(dev);
		out->seg_max = virtio_blk_config_seg_max(dev);
		out->geometry.cylinders = virtio_blk_config_geometry_cylinders(dev);
		out->geometry.heads = virtio_blk_config_geometry_heads(dev);
		out->geometry.sectors = virtio_blk_config_geometry_sectors(dev);
		out->blk_size = virtio_blk_config_blk_size(dev);
		out->physical_block_exp = virtio_blk_config_physical_block_exp(dev);
		out->alignment_offset = virtio_blk_config_alignment_offset(dev);
		out->min_io_size = virtio_blk_config_min_io_size(dev);
		out->opt_io_size = virtio_blk_config_opt_io_size(dev);
		out->wce = virtio_blk_config_wce(dev);
		out->unused = 0;
		out->num_queues = virtio_blk_config_num_queues(dev);
		out->max_discard_sectors = virtio_blk_config_max_discard_sectors(dev);
		out->max_discard_seg = virtio_blk_config_max_discard_seg(dev);
		out->discard_sector_alignment = virtio_blk_config_discard_sector_alignment(dev);
		out->max_write_zeroes_sectors = virtio_blk_config_max_write_zeroes_sectors(dev);
		out->max_write_zeroes_seg = virtio_blk_config_max_write_zeroes_seg(dev);
		out->write_zeroes_may_unmap = virtio_blk_config_write_zeroes_may_unmap(dev);
		for (uint32_t i = 0; i < 3u; i++)
			out->unused1[i] = 0;
		out->max_secure_erase_sectors = virtio_blk_config_max_secure_erase_sectors(dev);
		out->max_secure_erase_seg = virtio_blk_config_max_secure_erase_seg(dev);
		out->secure_erase_sector_alignment = virtio_blk_config_secure_erase_sector_alignment(dev);
		if (virtio_config_generation(dev) == generation)
			return 0;
	}
	return -1;
}

/*
 * Device-readable header that starts every request (the first three fields of the spec's struct virtio_blk_req); data and the status byte follow in later buffers. Legacy devices use guest-native order (5.2.6.3). (section 5.2.6)
 */
struct virtio_blk_outhdr {
	uint32_t type; /* virtio32 (LE (modern) / guest-native (legacy)): VIRTIO_BLK_T_* request type. */
	uint32_t ioprio; /* virtio32 (LE (modern) / guest-native (legacy)): Spec name reserved (formerly ioprio, a legacy priority hint); set 0. */
	uint64_t sector; /* virtio64 (LE (modern) / guest-native (legacy)): Start sector (512-byte units) for reads and writes; 0 otherwise. */
};
_Static_assert(sizeof(struct virtio_blk_outhdr) == 16, "sizeof(struct virtio_blk_outhdr) must be 16 (section 5.2.6)");
_Static_assert(offsetof(struct virtio_blk_outhdr, type) == 0, "offsetof(struct virtio_blk_outhdr, type) must be 0 (section 5.2.6)");
_Static_assert(offsetof(struct virtio_blk_outhdr, ioprio) == 4, "offsetof(struct virtio_blk_outhdr, ioprio) must be 4 (section 5.2.6)");
_Static_assert(offsetof(struct virtio_blk_outhdr, sector) == 8, "offsetof(struct virtio_blk_outhdr, sector) must be 8 (section 5.2.6)");

/*
 * One range (segment) in the data of a discard, write zeroes or secure erase request; always little-endian. (section 5.2.6)
 */
struct virtio_blk_discard_write_zeroes {
	uint64_t sector; /* le64 (little-endian): First sector of the range. */
	uint32_t num_sectors; /* le32 (little-endian): Number of sectors in the range. */
	uint32_t flags; /* le32 (little-endian): VIRTIO_BLK_WRITE_ZEROES_FLAG_* bits; the rest reserved, zero. */
};
_Static_assert(sizeof(struct virtio_blk_discard_write_zeroes) == 16, "sizeof(struct virtio_blk_discard_write_zeroes) must be 16 (section 5.2.6)");
_Static_assert(offsetof(struct virtio_blk_discard_write_zeroes, sector) == 0, "offsetof(struct virtio_blk_discard_write_zeroes, sector) must be 0 (section 5.2.6)");
_Static_assert(offsetof(struct virtio_blk_discard_write_zeroes, num_sectors) == 8, "offsetof(struct virtio_blk_discard_write_zeroes, num_sectors) must be 8 (section 5.2.6)");
_Static_assert(offsetof(struct virtio_blk_discard_write_zeroes, flags) == 12, "offsetof(struct virtio_blk_discard_write_zeroes, flags) must be 12 (section 5.2.6)");

/*
 * Data returned by VIRTIO_BLK_T_GET_LIFETIME (eMMC-style wear information). Not in Linux 6.1 uapi. (section 5.2.6)
 */
struct virtio_blk_lifetime {
	uint16_t pre_eol_info; /* le16 (little-endian): VIRTIO_BLK_PRE_EOL_INFO_* value. */
	uint16_t device_lifetime_est_typ_a; /* le16 (little-endian): SLC wear in 10% steps: 0 unknown, 1 up to 10%, ..., 11 exceeded. */
	uint16_t device_lifetime_est_typ_b; /* le16 (little-endian): MLC wear, same scale as typ_a. */
};
_Static_assert(sizeof(struct virtio_blk_lifetime) == 6, "sizeof(struct virtio_blk_lifetime) must be 6 (section 5.2.6)");
_Static_assert(offsetof(struct virtio_blk_lifetime, pre_eol_info) == 0, "offsetof(struct virtio_blk_lifetime, pre_eol_info) must be 0 (section 5.2.6)");
_Static_assert(offsetof(struct virtio_blk_lifetime, device_lifetime_est_typ_a) == 2, "offsetof(struct virtio_blk_lifetime, device_lifetime_est_typ_a) must be 2 (section 5.2.6)");
_Static_assert(offsetof(struct virtio_blk_lifetime, device_lifetime_est_typ_b) == 4, "offsetof(struct virtio_blk_lifetime, device_lifetime_est_typ_b) must be 4 (section 5.2.6)");

#endif /* VIRTIO_GEN_BLK_H */
