/*
 * GPU device (VirtIO 1.2 section 5.7).
 *
 * Generated from spec/devices/gpu.yaml by `python3 -m generator`. Do not edit:
 * change the YAML and regenerate.
 */
#ifndef VIRTIO_GEN_GPU_H
#define VIRTIO_GEN_GPU_H

#include <stdint.h>
#include <stddef.h>
#include <virtio/config_io.h>

/* Device type VIRTIO_ID_GPU (16); short name "gpu". */

/* Feature bits (section 5.7.3): bit numbers, as in Linux. */
#define VIRTIO_GPU_F_VIRGL 0 /* virgl 3D mode is supported. (5.7.3) */
#define VIRTIO_GPU_F_EDID 1 /* VIRTIO_GPU_CMD_GET_EDID is supported. (5.7.3) */
#define VIRTIO_GPU_F_RESOURCE_UUID 2 /* Resources can be assigned UUIDs for export to other virtio devices. (5.7.3) */
#define VIRTIO_GPU_F_RESOURCE_BLOB 3 /* Size-based blob resources can be created and used. (5.7.3) */
#define VIRTIO_GPU_F_CONTEXT_INIT 4 /* Several context types and synchronisation timelines; requires VIRGL. (5.7.3) */

/* Request and response types (type of struct virtio_gpu_ctrl_hdr): commands 0x01xx (2D), 0x02xx (3D), 0x03xx (cursor); responses 0x11xx (success) and 0x12xx (error). (section 5.7.6.7). */
#define VIRTIO_GPU_UNDEFINED 0 /* No type. Linux uapi only; not a valid request or response. */
#define VIRTIO_GPU_CMD_GET_DISPLAY_INFO 256 /* Current output configuration; answer VIRTIO_GPU_RESP_OK_DISPLAY_INFO. */
#define VIRTIO_GPU_CMD_RESOURCE_CREATE_2D 257 /* Create a 2D resource in host memory. */
#define VIRTIO_GPU_CMD_RESOURCE_UNREF 258 /* Destroy a resource. */
#define VIRTIO_GPU_CMD_SET_SCANOUT 259 /* Show a rectangle of a resource on a scanout (resource 0 disables it). */
#define VIRTIO_GPU_CMD_RESOURCE_FLUSH 260 /* Flush a rectangle of a resource to the scanouts showing it. */
#define VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D 261 /* Copy a rectangle from guest backing memory into the resource. */
#define VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING 262 /* Give a resource guest memory (a list of struct virtio_gpu_mem_entry). */
#define VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING 263 /* Take the guest memory back from a resource. */
#define VIRTIO_GPU_CMD_GET_CAPSET_INFO 264 /* Information about one capability set. */
#define VIRTIO_GPU_CMD_GET_CAPSET 265 /* The contents of one capability set. */
#define VIRTIO_GPU_CMD_GET_EDID 266 /* The EDID blob of a scanout (VIRTIO_GPU_F_EDID). */
#define VIRTIO_GPU_CMD_RESOURCE_ASSIGN_UUID 267 /* Assign a UUID to a resource (VIRTIO_GPU_F_RESOURCE_UUID). */
#define VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB 268 /* Create a blob resource (VIRTIO_GPU_F_RESOURCE_BLOB). */
#define VIRTIO_GPU_CMD_SET_SCANOUT_BLOB 269 /* Show a blob resource on a scanout. */
#define VIRTIO_GPU_CMD_CTX_CREATE 512 /* Create a 3D rendering context. */
#define VIRTIO_GPU_CMD_CTX_DESTROY 513 /* Destroy a 3D context. */
#define VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE 514 /* Make a resource usable in a context. */
#define VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE 515 /* Remove a resource from a context. */
#define VIRTIO_GPU_CMD_RESOURCE_CREATE_3D 516 /* Create a 3D resource. */
#define VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D 517 /* Copy guest memory into a 3D resource. */
#define VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D 518 /* Copy a 3D resource into guest memory. */
#define VIRTIO_GPU_CMD_SUBMIT_3D 519 /* Submit a 3D command buffer. */
#define VIRTIO_GPU_CMD_RESOURCE_MAP_BLOB 520 /* Map a blob resource into the host visible shared memory region. */
#define VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB 521 /* Unmap a blob resource. */
#define VIRTIO_GPU_CMD_UPDATE_CURSOR 768 /* Set the cursor image (a 64x64 resource), hot spot and position (cursorq). */
#define VIRTIO_GPU_CMD_MOVE_CURSOR 769 /* Move the cursor without changing its image (cursorq). */
#define VIRTIO_GPU_RESP_OK_NODATA 4352 /* Success without payload. */
#define VIRTIO_GPU_RESP_OK_DISPLAY_INFO 4353 /* Success: struct virtio_gpu_resp_display_info. */
#define VIRTIO_GPU_RESP_OK_CAPSET_INFO 4354 /* Success: struct virtio_gpu_resp_capset_info. */
#define VIRTIO_GPU_RESP_OK_CAPSET 4355 /* Success: struct virtio_gpu_resp_capset. */
#define VIRTIO_GPU_RESP_OK_EDID 4356 /* Success: struct virtio_gpu_resp_edid. */
#define VIRTIO_GPU_RESP_OK_RESOURCE_UUID 4357 /* Success: struct virtio_gpu_resp_resource_uuid. */
#define VIRTIO_GPU_RESP_OK_MAP_INFO 4358 /* Success: struct virtio_gpu_resp_map_info. */
#define VIRTIO_GPU_RESP_ERR_UNSPEC 4608 /* Unspecified error. */
#define VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY 4609 /* The host ran out of memory. */
#define VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID 4610 /* No such scanout. */
#define VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID 4611 /* No such resource (or the id is taken). */
#define VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID 4612 /* No such 3D context. */
#define VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER 4613 /* A parameter is out of range. */

/* Bits of flags in struct virtio_gpu_ctrl_hdr. (section 5.7.6.7): masks. */
#define VIRTIO_GPU_FLAG_FENCE 0x1 /* Answer only once the command is complete, echoing fence_id. */
#define VIRTIO_GPU_FLAG_INFO_RING_IDX 0x2 /* ring_idx is valid (VIRTIO_GPU_F_CONTEXT_INIT). */

/* Bits of events_read and events_clear in struct virtio_gpu_config. (section 5.7.4.2): masks. */
#define VIRTIO_GPU_EVENT_DISPLAY 0x1 /* Display configuration changed: fetch the display info (and EDIDs) again. */

/* Pixel formats of 2D resources (format of struct virtio_gpu_resource_create_2d); byte order in memory as named, e.g. B8G8R8X8: blue first. (section 5.7.6.8). */
#define VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM 1
#define VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM 2
#define VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM 3
#define VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM 4
#define VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM 67
#define VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM 68
#define VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM 121
#define VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM 134

/* Fixed limits of the protocol. (section 5.7.6.8). */
#define VIRTIO_GPU_MAX_SCANOUTS 16 /* Entries of pmodes in the display info; num_scanouts is at most this. */
#define VIRTIO_GPU_EDID_BYTES 1024 /* Size of the edid array of struct virtio_gpu_resp_edid. Project name, not Linux uapi. */
#define VIRTIO_GPU_CURSOR_SIZE 64 /* Width and height of a cursor resource. Project name, not Linux uapi. */
#define VIRTIO_GPU_CONTEXT_INIT_CAPSET_ID_MASK 255 /* Bits of context_init that name the capset of a context. */

/* Capability set ids (capset_id). (section 5.7.6.8). */
#define VIRTIO_GPU_CAPSET_VIRGL 1
#define VIRTIO_GPU_CAPSET_VIRGL2 2

/* Shared memory region ids of the GPU device. (section 5.7.5). */
#define VIRTIO_GPU_SHM_ID_UNDEFINED 0
#define VIRTIO_GPU_SHM_ID_HOST_VISIBLE 1 /* The host visible memory region (RESOURCE_MAP_BLOB). */

/* Flags of 3D resources. (section 5.7.6.9): masks. */
#define VIRTIO_GPU_RESOURCE_FLAG_Y_0_TOP 0x1 /* Row 0 is the top row. */

/* blob_mem of struct virtio_gpu_resource_create_blob (0 is invalid). (section 5.7.6.8). */
#define VIRTIO_GPU_BLOB_MEM_GUEST 1 /* Backed by guest memory only. */
#define VIRTIO_GPU_BLOB_MEM_HOST3D 2 /* Host memory created by a 3D context. */
#define VIRTIO_GPU_BLOB_MEM_HOST3D_GUEST 3 /* Host 3D memory with guest backing. */

/* blob_flags of struct virtio_gpu_resource_create_blob. (section 5.7.6.8): masks. */
#define VIRTIO_GPU_BLOB_FLAG_USE_MAPPABLE 0x1
#define VIRTIO_GPU_BLOB_FLAG_USE_SHAREABLE 0x2
#define VIRTIO_GPU_BLOB_FLAG_USE_CROSS_DEVICE 0x4

/* map_info of struct virtio_gpu_resp_map_info. (section 5.7.6.9). */
#define VIRTIO_GPU_MAP_CACHE_MASK 15
#define VIRTIO_GPU_MAP_CACHE_NONE 0
#define VIRTIO_GPU_MAP_CACHE_CACHED 1
#define VIRTIO_GPU_MAP_CACHE_UNCACHED 2
#define VIRTIO_GPU_MAP_CACHE_WC 3

#ifndef VIRTIO_GEN_PACKED
#define VIRTIO_GEN_PACKED __attribute__((packed))
#endif

/*
 * Device configuration layout (VirtIO 1.2; later revisions append blob_alignment). (section 5.7.4)
 */
struct virtio_gpu_config {
	uint32_t events_read; /* le32 (little-endian): Pending events (VIRTIO_GPU_EVENT_*); the driver must not write it. */
	uint32_t events_clear; /* le32 (little-endian): Write 1 bits to clear them in events_read. */
	uint32_t num_scanouts; /* le32 (little-endian): Scanouts the device has: 1..16 (untrusted: bound it). */
	uint32_t num_capsets; /* le32 (little-endian): Capability sets the device has. */
};
_Static_assert(sizeof(struct virtio_gpu_config) == 16, "sizeof(struct virtio_gpu_config) must be 16 (section 5.7.4)");
_Static_assert(offsetof(struct virtio_gpu_config, events_read) == 0, "offsetof(struct virtio_gpu_config, events_read) must be 0 (section 5.7.4)");
_Static_assert(offsetof(struct virtio_gpu_config, events_clear) == 4, "offsetof(struct virtio_gpu_config, events_clear) must be 4 (section 5.7.4)");
_Static_assert(offsetof(struct virtio_gpu_config, num_scanouts) == 8, "offsetof(struct virtio_gpu_config, num_scanouts) must be 8 (section 5.7.4)");
_Static_assert(offsetof(struct virtio_gpu_config, num_capsets) == 12, "offsetof(struct virtio_gpu_config, num_capsets) must be 12 (section 5.7.4)");

/*
 * Field accessors for struct virtio_gpu_config, through the transport's
 * configuration access (virtio/config_io.h): values are in host order.
 */
static inline uint32_t virtio_gpu_config_events_read(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_gpu_config, events_read)));
}

static inline uint32_t virtio_gpu_config_events_clear(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_gpu_config, events_clear)));
}

static inline void virtio_gpu_config_set_events_clear(struct virtio_device *dev, uint32_t value)
{
	virtio_config_write32(dev, (uint32_t)(offsetof(struct virtio_gpu_config, events_clear)), value);
}

static inline uint32_t virtio_gpu_config_num_scanouts(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_gpu_config, num_scanouts)));
}

static inline uint32_t virtio_gpu_config_num_capsets(struct virtio_device *dev)
{
	return virtio_config_read32(dev, (uint32_t)(offsetof(struct virtio_gpu_config, num_capsets)));
}

/*
 * Reads the whole configuration consistently: retried while the
 * configuration generation changes. Returns 0, or -1 when it never settled
 * within VIRTIO_CONFIG_READ_TRIES attempts.
 */
static inline int virtio_gpu_config_read(struct virtio_device *dev, struct virtio_gpu_config *out)
{
	for (unsigned int tries = 0; tries < VIRTIO_CONFIG_READ_TRIES; tries++) {
		uint32_t generation = virtio_config_generation(dev);
		out->events_read = virtio_gpu_config_events_read(dev);
		out->events_clear = virtio_gpu_config_events_clear(dev);
		out->num_scanouts = virtio_gpu_config_num_scanouts(dev);
		out->num_capsets = virtio_gpu_config_num_capsets(dev);
		if (virtio_config_generation(dev) == generation)
			return 0;
	}
	return -1;
}

/*
 * Header of every request and response. (section 5.7.6.7)
 */
struct virtio_gpu_ctrl_hdr {
	uint32_t type; /* le32 (little-endian): VIRTIO_GPU_CMD_* in a request, VIRTIO_GPU_RESP_* in a response. */
	uint32_t flags; /* le32 (little-endian): VIRTIO_GPU_FLAG_*. */
	uint64_t fence_id; /* le64 (little-endian): Echoed in the response when FLAG_FENCE is set. */
	uint32_t ctx_id; /* le32 (little-endian): 3D rendering context. */
	uint8_t ring_idx; /* u8: Context ring (FLAG_INFO_RING_IDX), 0..63. */
	uint8_t padding[3]; /* u8[3], reserved */
};
_Static_assert(sizeof(struct virtio_gpu_ctrl_hdr) == 24, "sizeof(struct virtio_gpu_ctrl_hdr) must be 24 (section 5.7.6.7)");
_Static_assert(offsetof(struct virtio_gpu_ctrl_hdr, type) == 0, "offsetof(struct virtio_gpu_ctrl_hdr, type) must be 0 (section 5.7.6.7)");
_Static_assert(offsetof(struct virtio_gpu_ctrl_hdr, flags) == 4, "offsetof(struct virtio_gpu_ctrl_hdr, flags) must be 4 (section 5.7.6.7)");
_Static_assert(offsetof(struct virtio_gpu_ctrl_hdr, fence_id) == 8, "offsetof(struct virtio_gpu_ctrl_hdr, fence_id) must be 8 (section 5.7.6.7)");
_Static_assert(offsetof(struct virtio_gpu_ctrl_hdr, ctx_id) == 16, "offsetof(struct virtio_gpu_ctrl_hdr, ctx_id) must be 16 (section 5.7.6.7)");
_Static_assert(offsetof(struct virtio_gpu_ctrl_hdr, ring_idx) == 20, "offsetof(struct virtio_gpu_ctrl_hdr, ring_idx) must be 20 (section 5.7.6.7)");
_Static_assert(offsetof(struct virtio_gpu_ctrl_hdr, padding) == 21, "offsetof(struct virtio_gpu_ctrl_hdr, padding) must be 21 (section 5.7.6.7)");

/*
 * A rectangle; 0,0 is the top left corner. (section 5.7.6.8)
 */
struct virtio_gpu_rect {
	uint32_t x; /* le32 (little-endian) */
	uint32_t y; /* le32 (little-endian) */
	uint32_t width; /* le32 (little-endian) */
	uint32_t height; /* le32 (little-endian) */
};
_Static_assert(sizeof(struct virtio_gpu_rect) == 16, "sizeof(struct virtio_gpu_rect) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_rect, x) == 0, "offsetof(struct virtio_gpu_rect, x) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_rect, y) == 4, "offsetof(struct virtio_gpu_rect, y) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_rect, width) == 8, "offsetof(struct virtio_gpu_rect, width) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_rect, height) == 12, "offsetof(struct virtio_gpu_rect, height) must be 12 (section 5.7.6.8)");

/*
 * One scanout in the display info (nested in struct virtio_gpu_resp_display_info in Linux). (section 5.7.6.8)
 */
struct virtio_gpu_display_one {
	struct virtio_gpu_rect r; /* struct virtio_gpu_rect: Preferred position and size. */
	uint32_t enabled; /* le32 (little-endian): Non-zero if the scanout is enabled. */
	uint32_t flags; /* le32 (little-endian) */
};
_Static_assert(sizeof(struct virtio_gpu_display_one) == 24, "sizeof(struct virtio_gpu_display_one) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_display_one, r) == 0, "offsetof(struct virtio_gpu_display_one, r) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_display_one, r.x) == 0, "offsetof(struct virtio_gpu_display_one, r.x) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_display_one, r.y) == 4, "offsetof(struct virtio_gpu_display_one, r.y) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_display_one, r.width) == 8, "offsetof(struct virtio_gpu_display_one, r.width) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_display_one, r.height) == 12, "offsetof(struct virtio_gpu_display_one, r.height) must be 12 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_display_one, enabled) == 16, "offsetof(struct virtio_gpu_display_one, enabled) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_display_one, flags) == 20, "offsetof(struct virtio_gpu_display_one, flags) must be 20 (section 5.7.6.8)");

/*
 * Response to VIRTIO_GPU_CMD_GET_DISPLAY_INFO (type VIRTIO_GPU_RESP_OK_DISPLAY_INFO). (section 5.7.6.8)
 */
struct virtio_gpu_resp_display_info {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	struct virtio_gpu_display_one pmodes[16]; /* struct virtio_gpu_display_one[16]: One per scanout; only the first num_scanouts count. */
};
_Static_assert(sizeof(struct virtio_gpu_resp_display_info) == 408, "sizeof(struct virtio_gpu_resp_display_info) must be 408 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_display_info, hdr) == 0, "offsetof(struct virtio_gpu_resp_display_info, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_display_info, hdr.type) == 0, "offsetof(struct virtio_gpu_resp_display_info, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_display_info, hdr.flags) == 4, "offsetof(struct virtio_gpu_resp_display_info, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_display_info, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resp_display_info, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_display_info, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resp_display_info, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_display_info, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resp_display_info, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_display_info, hdr.padding) == 21, "offsetof(struct virtio_gpu_resp_display_info, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_display_info, pmodes) == 24, "offsetof(struct virtio_gpu_resp_display_info, pmodes) must be 24 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_RESOURCE_CREATE_2D request. (section 5.7.6.8)
 */
struct virtio_gpu_resource_create_2d {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t resource_id; /* le32 (little-endian): Chosen by the driver; 0 is not a valid id. */
	uint32_t format; /* le32 (little-endian): VIRTIO_GPU_FORMAT_*. */
	uint32_t width; /* le32 (little-endian) */
	uint32_t height; /* le32 (little-endian) */
};
_Static_assert(sizeof(struct virtio_gpu_resource_create_2d) == 40, "sizeof(struct virtio_gpu_resource_create_2d) must be 40 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, hdr) == 0, "offsetof(struct virtio_gpu_resource_create_2d, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, hdr.type) == 0, "offsetof(struct virtio_gpu_resource_create_2d, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, hdr.flags) == 4, "offsetof(struct virtio_gpu_resource_create_2d, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resource_create_2d, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resource_create_2d, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resource_create_2d, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, hdr.padding) == 21, "offsetof(struct virtio_gpu_resource_create_2d, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, resource_id) == 24, "offsetof(struct virtio_gpu_resource_create_2d, resource_id) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, format) == 28, "offsetof(struct virtio_gpu_resource_create_2d, format) must be 28 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, width) == 32, "offsetof(struct virtio_gpu_resource_create_2d, width) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_2d, height) == 36, "offsetof(struct virtio_gpu_resource_create_2d, height) must be 36 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_RESOURCE_UNREF request. (section 5.7.6.8)
 */
struct virtio_gpu_resource_unref {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_resource_unref) == 32, "sizeof(struct virtio_gpu_resource_unref) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_unref, hdr) == 0, "offsetof(struct virtio_gpu_resource_unref, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_unref, hdr.type) == 0, "offsetof(struct virtio_gpu_resource_unref, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_unref, hdr.flags) == 4, "offsetof(struct virtio_gpu_resource_unref, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_unref, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resource_unref, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_unref, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resource_unref, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_unref, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resource_unref, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_unref, hdr.padding) == 21, "offsetof(struct virtio_gpu_resource_unref, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_unref, resource_id) == 24, "offsetof(struct virtio_gpu_resource_unref, resource_id) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_unref, padding) == 28, "offsetof(struct virtio_gpu_resource_unref, padding) must be 28 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_SET_SCANOUT request. (section 5.7.6.8)
 */
struct virtio_gpu_set_scanout {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	struct virtio_gpu_rect r; /* struct virtio_gpu_rect: The part of the resource to show. */
	uint32_t scanout_id; /* le32 (little-endian) */
	uint32_t resource_id; /* le32 (little-endian): 0 disables the scanout. */
};
_Static_assert(sizeof(struct virtio_gpu_set_scanout) == 48, "sizeof(struct virtio_gpu_set_scanout) must be 48 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, hdr) == 0, "offsetof(struct virtio_gpu_set_scanout, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, hdr.type) == 0, "offsetof(struct virtio_gpu_set_scanout, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, hdr.flags) == 4, "offsetof(struct virtio_gpu_set_scanout, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_set_scanout, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_set_scanout, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_set_scanout, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, hdr.padding) == 21, "offsetof(struct virtio_gpu_set_scanout, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, r) == 24, "offsetof(struct virtio_gpu_set_scanout, r) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, r.x) == 24, "offsetof(struct virtio_gpu_set_scanout, r.x) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, r.y) == 28, "offsetof(struct virtio_gpu_set_scanout, r.y) must be 28 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, r.width) == 32, "offsetof(struct virtio_gpu_set_scanout, r.width) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, r.height) == 36, "offsetof(struct virtio_gpu_set_scanout, r.height) must be 36 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, scanout_id) == 40, "offsetof(struct virtio_gpu_set_scanout, scanout_id) must be 40 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout, resource_id) == 44, "offsetof(struct virtio_gpu_set_scanout, resource_id) must be 44 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_RESOURCE_FLUSH request. (section 5.7.6.8)
 */
struct virtio_gpu_resource_flush {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	struct virtio_gpu_rect r; /* struct virtio_gpu_rect */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_resource_flush) == 48, "sizeof(struct virtio_gpu_resource_flush) must be 48 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, hdr) == 0, "offsetof(struct virtio_gpu_resource_flush, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, hdr.type) == 0, "offsetof(struct virtio_gpu_resource_flush, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, hdr.flags) == 4, "offsetof(struct virtio_gpu_resource_flush, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resource_flush, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resource_flush, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resource_flush, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, hdr.padding) == 21, "offsetof(struct virtio_gpu_resource_flush, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, r) == 24, "offsetof(struct virtio_gpu_resource_flush, r) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, r.x) == 24, "offsetof(struct virtio_gpu_resource_flush, r.x) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, r.y) == 28, "offsetof(struct virtio_gpu_resource_flush, r.y) must be 28 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, r.width) == 32, "offsetof(struct virtio_gpu_resource_flush, r.width) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, r.height) == 36, "offsetof(struct virtio_gpu_resource_flush, r.height) must be 36 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, resource_id) == 40, "offsetof(struct virtio_gpu_resource_flush, resource_id) must be 40 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_flush, padding) == 44, "offsetof(struct virtio_gpu_resource_flush, padding) must be 44 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D request. (section 5.7.6.8)
 */
struct virtio_gpu_transfer_to_host_2d {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	struct virtio_gpu_rect r; /* struct virtio_gpu_rect: Rectangle of the resource to update. */
	uint64_t offset; /* le64 (little-endian): Byte offset in the backing where the rectangle's first pixel is. */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_transfer_to_host_2d) == 56, "sizeof(struct virtio_gpu_transfer_to_host_2d) must be 56 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, hdr) == 0, "offsetof(struct virtio_gpu_transfer_to_host_2d, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.type) == 0, "offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.flags) == 4, "offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.padding) == 21, "offsetof(struct virtio_gpu_transfer_to_host_2d, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, r) == 24, "offsetof(struct virtio_gpu_transfer_to_host_2d, r) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, r.x) == 24, "offsetof(struct virtio_gpu_transfer_to_host_2d, r.x) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, r.y) == 28, "offsetof(struct virtio_gpu_transfer_to_host_2d, r.y) must be 28 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, r.width) == 32, "offsetof(struct virtio_gpu_transfer_to_host_2d, r.width) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, r.height) == 36, "offsetof(struct virtio_gpu_transfer_to_host_2d, r.height) must be 36 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, offset) == 40, "offsetof(struct virtio_gpu_transfer_to_host_2d, offset) must be 40 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, resource_id) == 48, "offsetof(struct virtio_gpu_transfer_to_host_2d, resource_id) must be 48 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_transfer_to_host_2d, padding) == 52, "offsetof(struct virtio_gpu_transfer_to_host_2d, padding) must be 52 (section 5.7.6.8)");

/*
 * One piece of guest memory in an attach-backing request. (section 5.7.6.8)
 */
struct virtio_gpu_mem_entry {
	uint64_t addr; /* le64 (little-endian): Guest physical address. */
	uint32_t length; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_mem_entry) == 16, "sizeof(struct virtio_gpu_mem_entry) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_mem_entry, addr) == 0, "offsetof(struct virtio_gpu_mem_entry, addr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_mem_entry, length) == 8, "offsetof(struct virtio_gpu_mem_entry, length) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_mem_entry, padding) == 12, "offsetof(struct virtio_gpu_mem_entry, padding) must be 12 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING request; nr_entries struct virtio_gpu_mem_entry follow it. (section 5.7.6.8)
 */
struct virtio_gpu_resource_attach_backing {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t nr_entries; /* le32 (little-endian) */
};
_Static_assert(sizeof(struct virtio_gpu_resource_attach_backing) == 32, "sizeof(struct virtio_gpu_resource_attach_backing) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_attach_backing, hdr) == 0, "offsetof(struct virtio_gpu_resource_attach_backing, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_attach_backing, hdr.type) == 0, "offsetof(struct virtio_gpu_resource_attach_backing, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_attach_backing, hdr.flags) == 4, "offsetof(struct virtio_gpu_resource_attach_backing, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_attach_backing, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resource_attach_backing, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_attach_backing, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resource_attach_backing, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_attach_backing, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resource_attach_backing, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_attach_backing, hdr.padding) == 21, "offsetof(struct virtio_gpu_resource_attach_backing, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_attach_backing, resource_id) == 24, "offsetof(struct virtio_gpu_resource_attach_backing, resource_id) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_attach_backing, nr_entries) == 28, "offsetof(struct virtio_gpu_resource_attach_backing, nr_entries) must be 28 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING request. (section 5.7.6.8)
 */
struct virtio_gpu_resource_detach_backing {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_resource_detach_backing) == 32, "sizeof(struct virtio_gpu_resource_detach_backing) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_detach_backing, hdr) == 0, "offsetof(struct virtio_gpu_resource_detach_backing, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_detach_backing, hdr.type) == 0, "offsetof(struct virtio_gpu_resource_detach_backing, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_detach_backing, hdr.flags) == 4, "offsetof(struct virtio_gpu_resource_detach_backing, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_detach_backing, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resource_detach_backing, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_detach_backing, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resource_detach_backing, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_detach_backing, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resource_detach_backing, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_detach_backing, hdr.padding) == 21, "offsetof(struct virtio_gpu_resource_detach_backing, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_detach_backing, resource_id) == 24, "offsetof(struct virtio_gpu_resource_detach_backing, resource_id) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_detach_backing, padding) == 28, "offsetof(struct virtio_gpu_resource_detach_backing, padding) must be 28 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_GET_EDID request (the spec calls it struct virtio_gpu_get_edid). (section 5.7.6.8)
 */
struct virtio_gpu_cmd_get_edid {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t scanout; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_cmd_get_edid) == 32, "sizeof(struct virtio_gpu_cmd_get_edid) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_cmd_get_edid, hdr) == 0, "offsetof(struct virtio_gpu_cmd_get_edid, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_cmd_get_edid, hdr.type) == 0, "offsetof(struct virtio_gpu_cmd_get_edid, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_cmd_get_edid, hdr.flags) == 4, "offsetof(struct virtio_gpu_cmd_get_edid, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_cmd_get_edid, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_cmd_get_edid, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_cmd_get_edid, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_cmd_get_edid, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_cmd_get_edid, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_cmd_get_edid, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_cmd_get_edid, hdr.padding) == 21, "offsetof(struct virtio_gpu_cmd_get_edid, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_cmd_get_edid, scanout) == 24, "offsetof(struct virtio_gpu_cmd_get_edid, scanout) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_cmd_get_edid, padding) == 28, "offsetof(struct virtio_gpu_cmd_get_edid, padding) must be 28 (section 5.7.6.8)");

/*
 * Response to VIRTIO_GPU_CMD_GET_EDID (type VIRTIO_GPU_RESP_OK_EDID). (section 5.7.6.8)
 */
struct virtio_gpu_resp_edid {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t size; /* le32 (little-endian): Valid bytes of edid (untrusted: at most 1024). */
	uint32_t padding; /* le32 (little-endian), reserved */
	uint8_t edid[1024]; /* u8[1024] */
};
_Static_assert(sizeof(struct virtio_gpu_resp_edid) == 1056, "sizeof(struct virtio_gpu_resp_edid) must be 1056 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, hdr) == 0, "offsetof(struct virtio_gpu_resp_edid, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, hdr.type) == 0, "offsetof(struct virtio_gpu_resp_edid, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, hdr.flags) == 4, "offsetof(struct virtio_gpu_resp_edid, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resp_edid, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resp_edid, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resp_edid, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, hdr.padding) == 21, "offsetof(struct virtio_gpu_resp_edid, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, size) == 24, "offsetof(struct virtio_gpu_resp_edid, size) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, padding) == 28, "offsetof(struct virtio_gpu_resp_edid, padding) must be 28 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_edid, edid) == 32, "offsetof(struct virtio_gpu_resp_edid, edid) must be 32 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_GET_CAPSET_INFO request. (section 5.7.6.8)
 */
struct virtio_gpu_get_capset_info {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t capset_index; /* le32 (little-endian): Below num_capsets. */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_get_capset_info) == 32, "sizeof(struct virtio_gpu_get_capset_info) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset_info, hdr) == 0, "offsetof(struct virtio_gpu_get_capset_info, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset_info, hdr.type) == 0, "offsetof(struct virtio_gpu_get_capset_info, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset_info, hdr.flags) == 4, "offsetof(struct virtio_gpu_get_capset_info, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset_info, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_get_capset_info, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset_info, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_get_capset_info, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset_info, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_get_capset_info, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset_info, hdr.padding) == 21, "offsetof(struct virtio_gpu_get_capset_info, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset_info, capset_index) == 24, "offsetof(struct virtio_gpu_get_capset_info, capset_index) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset_info, padding) == 28, "offsetof(struct virtio_gpu_get_capset_info, padding) must be 28 (section 5.7.6.8)");

/*
 * Response to VIRTIO_GPU_CMD_GET_CAPSET_INFO. (section 5.7.6.8)
 */
struct virtio_gpu_resp_capset_info {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t capset_id; /* le32 (little-endian) */
	uint32_t capset_max_version; /* le32 (little-endian) */
	uint32_t capset_max_size; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_resp_capset_info) == 40, "sizeof(struct virtio_gpu_resp_capset_info) must be 40 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, hdr) == 0, "offsetof(struct virtio_gpu_resp_capset_info, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, hdr.type) == 0, "offsetof(struct virtio_gpu_resp_capset_info, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, hdr.flags) == 4, "offsetof(struct virtio_gpu_resp_capset_info, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resp_capset_info, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resp_capset_info, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resp_capset_info, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, hdr.padding) == 21, "offsetof(struct virtio_gpu_resp_capset_info, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, capset_id) == 24, "offsetof(struct virtio_gpu_resp_capset_info, capset_id) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, capset_max_version) == 28, "offsetof(struct virtio_gpu_resp_capset_info, capset_max_version) must be 28 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, capset_max_size) == 32, "offsetof(struct virtio_gpu_resp_capset_info, capset_max_size) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset_info, padding) == 36, "offsetof(struct virtio_gpu_resp_capset_info, padding) must be 36 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_GET_CAPSET request. (section 5.7.6.8)
 */
struct virtio_gpu_get_capset {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t capset_id; /* le32 (little-endian) */
	uint32_t capset_version; /* le32 (little-endian) */
};
_Static_assert(sizeof(struct virtio_gpu_get_capset) == 32, "sizeof(struct virtio_gpu_get_capset) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset, hdr) == 0, "offsetof(struct virtio_gpu_get_capset, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset, hdr.type) == 0, "offsetof(struct virtio_gpu_get_capset, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset, hdr.flags) == 4, "offsetof(struct virtio_gpu_get_capset, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_get_capset, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_get_capset, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_get_capset, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset, hdr.padding) == 21, "offsetof(struct virtio_gpu_get_capset, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset, capset_id) == 24, "offsetof(struct virtio_gpu_get_capset, capset_id) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_get_capset, capset_version) == 28, "offsetof(struct virtio_gpu_get_capset, capset_version) must be 28 (section 5.7.6.8)");

/*
 * Response to VIRTIO_GPU_CMD_GET_CAPSET: the capability set's bytes follow the header. (section 5.7.6.8)
 */
struct virtio_gpu_resp_capset {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint8_t capset_data[]; /* u8[] */
};
_Static_assert(sizeof(struct virtio_gpu_resp_capset) == 24, "sizeof(struct virtio_gpu_resp_capset) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset, hdr) == 0, "offsetof(struct virtio_gpu_resp_capset, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset, hdr.type) == 0, "offsetof(struct virtio_gpu_resp_capset, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset, hdr.flags) == 4, "offsetof(struct virtio_gpu_resp_capset, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resp_capset, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resp_capset, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resp_capset, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset, hdr.padding) == 21, "offsetof(struct virtio_gpu_resp_capset, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_capset, capset_data) == 24, "offsetof(struct virtio_gpu_resp_capset, capset_data) must be 24 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_RESOURCE_ASSIGN_UUID request. (section 5.7.6.8)
 */
struct virtio_gpu_resource_assign_uuid {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_resource_assign_uuid) == 32, "sizeof(struct virtio_gpu_resource_assign_uuid) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_assign_uuid, hdr) == 0, "offsetof(struct virtio_gpu_resource_assign_uuid, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_assign_uuid, hdr.type) == 0, "offsetof(struct virtio_gpu_resource_assign_uuid, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_assign_uuid, hdr.flags) == 4, "offsetof(struct virtio_gpu_resource_assign_uuid, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_assign_uuid, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resource_assign_uuid, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_assign_uuid, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resource_assign_uuid, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_assign_uuid, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resource_assign_uuid, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_assign_uuid, hdr.padding) == 21, "offsetof(struct virtio_gpu_resource_assign_uuid, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_assign_uuid, resource_id) == 24, "offsetof(struct virtio_gpu_resource_assign_uuid, resource_id) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_assign_uuid, padding) == 28, "offsetof(struct virtio_gpu_resource_assign_uuid, padding) must be 28 (section 5.7.6.8)");

/*
 * Response to VIRTIO_GPU_CMD_RESOURCE_ASSIGN_UUID. (section 5.7.6.8)
 */
struct virtio_gpu_resp_resource_uuid {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint8_t uuid[16]; /* u8[16] */
};
_Static_assert(sizeof(struct virtio_gpu_resp_resource_uuid) == 40, "sizeof(struct virtio_gpu_resp_resource_uuid) must be 40 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_resource_uuid, hdr) == 0, "offsetof(struct virtio_gpu_resp_resource_uuid, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_resource_uuid, hdr.type) == 0, "offsetof(struct virtio_gpu_resp_resource_uuid, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_resource_uuid, hdr.flags) == 4, "offsetof(struct virtio_gpu_resp_resource_uuid, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_resource_uuid, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resp_resource_uuid, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_resource_uuid, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resp_resource_uuid, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_resource_uuid, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resp_resource_uuid, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_resource_uuid, hdr.padding) == 21, "offsetof(struct virtio_gpu_resp_resource_uuid, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resp_resource_uuid, uuid) == 24, "offsetof(struct virtio_gpu_resp_resource_uuid, uuid) must be 24 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB request; nr_entries struct virtio_gpu_mem_entry follow it. (section 5.7.6.8)
 */
struct virtio_gpu_resource_create_blob {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t blob_mem; /* le32 (little-endian): VIRTIO_GPU_BLOB_MEM_*. */
	uint32_t blob_flags; /* le32 (little-endian): VIRTIO_GPU_BLOB_FLAG_*. */
	uint32_t nr_entries; /* le32 (little-endian) */
	uint64_t blob_id; /* le64 (little-endian) */
	uint64_t size; /* le64 (little-endian) */
};
_Static_assert(sizeof(struct virtio_gpu_resource_create_blob) == 56, "sizeof(struct virtio_gpu_resource_create_blob) must be 56 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, hdr) == 0, "offsetof(struct virtio_gpu_resource_create_blob, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, hdr.type) == 0, "offsetof(struct virtio_gpu_resource_create_blob, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, hdr.flags) == 4, "offsetof(struct virtio_gpu_resource_create_blob, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resource_create_blob, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resource_create_blob, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resource_create_blob, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, hdr.padding) == 21, "offsetof(struct virtio_gpu_resource_create_blob, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, resource_id) == 24, "offsetof(struct virtio_gpu_resource_create_blob, resource_id) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, blob_mem) == 28, "offsetof(struct virtio_gpu_resource_create_blob, blob_mem) must be 28 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, blob_flags) == 32, "offsetof(struct virtio_gpu_resource_create_blob, blob_flags) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, nr_entries) == 36, "offsetof(struct virtio_gpu_resource_create_blob, nr_entries) must be 36 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, blob_id) == 40, "offsetof(struct virtio_gpu_resource_create_blob, blob_id) must be 40 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_resource_create_blob, size) == 48, "offsetof(struct virtio_gpu_resource_create_blob, size) must be 48 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_SET_SCANOUT_BLOB request. (section 5.7.6.8)
 */
struct virtio_gpu_set_scanout_blob {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	struct virtio_gpu_rect r; /* struct virtio_gpu_rect */
	uint32_t scanout_id; /* le32 (little-endian) */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t width; /* le32 (little-endian) */
	uint32_t height; /* le32 (little-endian) */
	uint32_t format; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
	uint32_t strides[4]; /* le32[4] (little-endian) */
	uint32_t offsets[4]; /* le32[4] (little-endian) */
};
_Static_assert(sizeof(struct virtio_gpu_set_scanout_blob) == 96, "sizeof(struct virtio_gpu_set_scanout_blob) must be 96 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, hdr) == 0, "offsetof(struct virtio_gpu_set_scanout_blob, hdr) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, hdr.type) == 0, "offsetof(struct virtio_gpu_set_scanout_blob, hdr.type) must be 0 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, hdr.flags) == 4, "offsetof(struct virtio_gpu_set_scanout_blob, hdr.flags) must be 4 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_set_scanout_blob, hdr.fence_id) must be 8 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_set_scanout_blob, hdr.ctx_id) must be 16 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_set_scanout_blob, hdr.ring_idx) must be 20 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, hdr.padding) == 21, "offsetof(struct virtio_gpu_set_scanout_blob, hdr.padding) must be 21 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, r) == 24, "offsetof(struct virtio_gpu_set_scanout_blob, r) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, r.x) == 24, "offsetof(struct virtio_gpu_set_scanout_blob, r.x) must be 24 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, r.y) == 28, "offsetof(struct virtio_gpu_set_scanout_blob, r.y) must be 28 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, r.width) == 32, "offsetof(struct virtio_gpu_set_scanout_blob, r.width) must be 32 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, r.height) == 36, "offsetof(struct virtio_gpu_set_scanout_blob, r.height) must be 36 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, scanout_id) == 40, "offsetof(struct virtio_gpu_set_scanout_blob, scanout_id) must be 40 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, resource_id) == 44, "offsetof(struct virtio_gpu_set_scanout_blob, resource_id) must be 44 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, width) == 48, "offsetof(struct virtio_gpu_set_scanout_blob, width) must be 48 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, height) == 52, "offsetof(struct virtio_gpu_set_scanout_blob, height) must be 52 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, format) == 56, "offsetof(struct virtio_gpu_set_scanout_blob, format) must be 56 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, padding) == 60, "offsetof(struct virtio_gpu_set_scanout_blob, padding) must be 60 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, strides) == 64, "offsetof(struct virtio_gpu_set_scanout_blob, strides) must be 64 (section 5.7.6.8)");
_Static_assert(offsetof(struct virtio_gpu_set_scanout_blob, offsets) == 80, "offsetof(struct virtio_gpu_set_scanout_blob, offsets) must be 80 (section 5.7.6.8)");

/*
 * VIRTIO_GPU_CMD_RESOURCE_MAP_BLOB request. (section 5.7.6.9)
 */
struct virtio_gpu_resource_map_blob {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
	uint64_t offset; /* le64 (little-endian): Offset in the host visible region. */
};
_Static_assert(sizeof(struct virtio_gpu_resource_map_blob) == 40, "sizeof(struct virtio_gpu_resource_map_blob) must be 40 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, hdr) == 0, "offsetof(struct virtio_gpu_resource_map_blob, hdr) must be 0 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, hdr.type) == 0, "offsetof(struct virtio_gpu_resource_map_blob, hdr.type) must be 0 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, hdr.flags) == 4, "offsetof(struct virtio_gpu_resource_map_blob, hdr.flags) must be 4 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resource_map_blob, hdr.fence_id) must be 8 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resource_map_blob, hdr.ctx_id) must be 16 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resource_map_blob, hdr.ring_idx) must be 20 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, hdr.padding) == 21, "offsetof(struct virtio_gpu_resource_map_blob, hdr.padding) must be 21 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, resource_id) == 24, "offsetof(struct virtio_gpu_resource_map_blob, resource_id) must be 24 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, padding) == 28, "offsetof(struct virtio_gpu_resource_map_blob, padding) must be 28 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_map_blob, offset) == 32, "offsetof(struct virtio_gpu_resource_map_blob, offset) must be 32 (section 5.7.6.9)");

/*
 * Response to VIRTIO_GPU_CMD_RESOURCE_MAP_BLOB. (section 5.7.6.9)
 */
struct virtio_gpu_resp_map_info {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t map_info; /* le32 (little-endian): VIRTIO_GPU_MAP_CACHE_* (Linux declares it __u32). */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_resp_map_info) == 32, "sizeof(struct virtio_gpu_resp_map_info) must be 32 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resp_map_info, hdr) == 0, "offsetof(struct virtio_gpu_resp_map_info, hdr) must be 0 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resp_map_info, hdr.type) == 0, "offsetof(struct virtio_gpu_resp_map_info, hdr.type) must be 0 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resp_map_info, hdr.flags) == 4, "offsetof(struct virtio_gpu_resp_map_info, hdr.flags) must be 4 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resp_map_info, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resp_map_info, hdr.fence_id) must be 8 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resp_map_info, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resp_map_info, hdr.ctx_id) must be 16 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resp_map_info, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resp_map_info, hdr.ring_idx) must be 20 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resp_map_info, hdr.padding) == 21, "offsetof(struct virtio_gpu_resp_map_info, hdr.padding) must be 21 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resp_map_info, map_info) == 24, "offsetof(struct virtio_gpu_resp_map_info, map_info) must be 24 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resp_map_info, padding) == 28, "offsetof(struct virtio_gpu_resp_map_info, padding) must be 28 (section 5.7.6.9)");

/*
 * VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB request. (section 5.7.6.9)
 */
struct virtio_gpu_resource_unmap_blob {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	uint32_t resource_id; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_resource_unmap_blob) == 32, "sizeof(struct virtio_gpu_resource_unmap_blob) must be 32 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_unmap_blob, hdr) == 0, "offsetof(struct virtio_gpu_resource_unmap_blob, hdr) must be 0 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_unmap_blob, hdr.type) == 0, "offsetof(struct virtio_gpu_resource_unmap_blob, hdr.type) must be 0 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_unmap_blob, hdr.flags) == 4, "offsetof(struct virtio_gpu_resource_unmap_blob, hdr.flags) must be 4 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_unmap_blob, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_resource_unmap_blob, hdr.fence_id) must be 8 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_unmap_blob, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_resource_unmap_blob, hdr.ctx_id) must be 16 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_unmap_blob, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_resource_unmap_blob, hdr.ring_idx) must be 20 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_unmap_blob, hdr.padding) == 21, "offsetof(struct virtio_gpu_resource_unmap_blob, hdr.padding) must be 21 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_unmap_blob, resource_id) == 24, "offsetof(struct virtio_gpu_resource_unmap_blob, resource_id) must be 24 (section 5.7.6.9)");
_Static_assert(offsetof(struct virtio_gpu_resource_unmap_blob, padding) == 28, "offsetof(struct virtio_gpu_resource_unmap_blob, padding) must be 28 (section 5.7.6.9)");

/*
 * Cursor position on a scanout. (section 5.7.6.10)
 */
struct virtio_gpu_cursor_pos {
	uint32_t scanout_id; /* le32 (little-endian) */
	uint32_t x; /* le32 (little-endian) */
	uint32_t y; /* le32 (little-endian) */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_cursor_pos) == 16, "sizeof(struct virtio_gpu_cursor_pos) must be 16 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_cursor_pos, scanout_id) == 0, "offsetof(struct virtio_gpu_cursor_pos, scanout_id) must be 0 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_cursor_pos, x) == 4, "offsetof(struct virtio_gpu_cursor_pos, x) must be 4 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_cursor_pos, y) == 8, "offsetof(struct virtio_gpu_cursor_pos, y) must be 8 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_cursor_pos, padding) == 12, "offsetof(struct virtio_gpu_cursor_pos, padding) must be 12 (section 5.7.6.10)");

/*
 * VIRTIO_GPU_CMD_UPDATE_CURSOR and VIRTIO_GPU_CMD_MOVE_CURSOR request (cursorq). (section 5.7.6.10)
 */
struct virtio_gpu_update_cursor {
	struct virtio_gpu_ctrl_hdr hdr; /* struct virtio_gpu_ctrl_hdr */
	struct virtio_gpu_cursor_pos pos; /* struct virtio_gpu_cursor_pos: Update and move. */
	uint32_t resource_id; /* le32 (little-endian): Update only: the 64x64 image, 0 hides the cursor. */
	uint32_t hot_x; /* le32 (little-endian): Update only. */
	uint32_t hot_y; /* le32 (little-endian): Update only. */
	uint32_t padding; /* le32 (little-endian), reserved */
};
_Static_assert(sizeof(struct virtio_gpu_update_cursor) == 56, "sizeof(struct virtio_gpu_update_cursor) must be 56 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, hdr) == 0, "offsetof(struct virtio_gpu_update_cursor, hdr) must be 0 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, hdr.type) == 0, "offsetof(struct virtio_gpu_update_cursor, hdr.type) must be 0 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, hdr.flags) == 4, "offsetof(struct virtio_gpu_update_cursor, hdr.flags) must be 4 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, hdr.fence_id) == 8, "offsetof(struct virtio_gpu_update_cursor, hdr.fence_id) must be 8 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, hdr.ctx_id) == 16, "offsetof(struct virtio_gpu_update_cursor, hdr.ctx_id) must be 16 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, hdr.ring_idx) == 20, "offsetof(struct virtio_gpu_update_cursor, hdr.ring_idx) must be 20 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, hdr.padding) == 21, "offsetof(struct virtio_gpu_update_cursor, hdr.padding) must be 21 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, pos) == 24, "offsetof(struct virtio_gpu_update_cursor, pos) must be 24 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, pos.scanout_id) == 24, "offsetof(struct virtio_gpu_update_cursor, pos.scanout_id) must be 24 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, pos.x) == 28, "offsetof(struct virtio_gpu_update_cursor, pos.x) must be 28 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, pos.y) == 32, "offsetof(struct virtio_gpu_update_cursor, pos.y) must be 32 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, pos.padding) == 36, "offsetof(struct virtio_gpu_update_cursor, pos.padding) must be 36 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, resource_id) == 40, "offsetof(struct virtio_gpu_update_cursor, resource_id) must be 40 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, hot_x) == 44, "offsetof(struct virtio_gpu_update_cursor, hot_x) must be 44 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, hot_y) == 48, "offsetof(struct virtio_gpu_update_cursor, hot_y) must be 48 (section 5.7.6.10)");
_Static_assert(offsetof(struct virtio_gpu_update_cursor, padding) == 52, "offsetof(struct virtio_gpu_update_cursor, padding) must be 52 (section 5.7.6.10)");

#endif /* VIRTIO_GEN_GPU_H */
