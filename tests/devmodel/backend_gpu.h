/*
 * virtio-gpu 2D backend for the device model (VirtIO 1.2, 5.7): display
 * info, EDID, 2D resources with guest backing, transfers into a host-side
 * copy of each resource (so tests can look at the pixels), scanouts,
 * flushes, fences, the cursor queue, and display-change events in config.
 *
 * Hostile knobs change the next response: its type, its length, the fence
 * echo; config values (num_scanouts, display sizes, EDID size) are set
 * freely.
 */
#ifndef DM_BACKEND_GPU_H
#define DM_BACKEND_GPU_H

#include "devmodel.h"

#define DM_GPU_MAX_RES 16
#define DM_GPU_F_EDID 1

struct dm_gpu_resource {
	uint32_t id, format, width, height;
	uint8_t *pixels;                /* width * height * 4, host copy */
	unsigned nr_entries;            /* backing entries attached */
	uint64_t entry_addr[64];
	uint32_t entry_len[64];
};

struct dm_gpu_scanout {
	uint32_t width, height, enabled;  /* what display info reports */
	uint32_t resource_id;             /* set by SET_SCANOUT */
	uint32_t rx, ry, rw, rh;
};

struct dm_gpu {
	struct dm_device *dev;
	struct dm_gpu_resource res[DM_GPU_MAX_RES];
	struct dm_gpu_scanout scanout[16];
	uint32_t pmodes_reported;       /* display-info entries filled (16 max) */
	uint32_t edid_size;             /* size field of the EDID response */
	uint8_t edid[1024];
	/* Counters. */
	uint64_t commands, flushes, transfers;
	uint32_t last_type;
	uint32_t last_flags;
	/* Cursor queue: the last command seen. */
	uint32_t cursor_type, cursor_scanout, cursor_x, cursor_y, cursor_res,
		 cursor_hot_x, cursor_hot_y;
	uint64_t cursor_cmds;
	/* One-shot hostile answers (for the next control response). */
	int64_t next_type;              /* >= 0: answer with this type */
	int64_t next_len;               /* >= 0: report this used length */
	bool next_no_fence;             /* echo fence_id without FLAG_FENCE */
	bool next_bad_fence;            /* echo fence_id + 1 */
};

/* Sets device id 16, VIRTIO_GPU_F_EDID, config (num_scanouts 1), one
 * 1024x768 enabled scanout, a valid 128-byte EDID, and the backend on a
 * device with queues 0 (controlq) and 1 (cursorq). */
struct dm_gpu *dm_gpu_attach(struct dm_device *dev);
void dm_gpu_free(struct dm_gpu *g);

/* Config helpers (little-endian, bump the generation). */
void dm_gpu_set_num_scanouts(struct dm_gpu *g, uint32_t n);
/* Raises VIRTIO_GPU_EVENT_DISPLAY in events_read (and a config interrupt). */
void dm_gpu_display_event(struct dm_gpu *g);
uint32_t dm_gpu_events_read(struct dm_gpu *g);

/* The resource with this id, or NULL. */
struct dm_gpu_resource *dm_gpu_resource(struct dm_gpu *g, uint32_t id);
unsigned dm_gpu_resource_count(struct dm_gpu *g);

#endif /* DM_BACKEND_GPU_H */
