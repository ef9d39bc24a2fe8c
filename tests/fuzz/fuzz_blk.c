/*
 * libFuzzer target for the virtio-blk driver: the fuzz input is the
 * device. It chooses the transport version, the offered features, the
 * whole configuration space (capacity, size_max, seg_max, blk_size,
 * topology, discard and write-zeroes limits) and, request by request,
 * how the RAM disk answers: honestly, with another used length, with any
 * status byte, never (the driver's timeout), or with a hostile used entry.
 * The driver side runs the blocking calls (read, write, flush, discard,
 * write_zeroes, get_id) and the asynchronous ones (submit, poll, drain).
 *
 * Besides ASan/UBSan (data buffers sit before guard pages), the harness
 * aborts when the driver breaks a promise: a result that is neither 0 nor
 * a negative virtio error, a callback called twice or never (destroy
 * completes what is left), an id string that is not NUL-terminated
 * printable text, a DMA allocation leaked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devmodel.h"
#include "fuzz_input.h"
#include "virtio_port_host.h"
#include <virtio/drivers/blk.h>
#include <virtio/transport.h>

#define BASE 0x10001000u
#define BUF_SECTORS 128
#define MAXREQ 64


/* What the runs reached (printed when FUZZ_DRIVER_VERBOSE is set). */
static struct {
	unsigned inits, ops, ok, errors, last_error;
} reached;

static void check_result(int r)
{
	CHECK(r == 0 || (r < 0 && r >= VIRTIO_ERO - 32));
	if (r == 0)
		reached.ok++;
	else {
		reached.errors++;
		reached.last_error = (unsigned)-r;
	}
}

/* ---- the device's answers ---- */

struct answer {
	struct input *in;
	dm_backend_fn disk;
	void *disk_ctx;
};

static uint32_t fuzz_backend(struct dm_device *dev, unsigned q,
			     struct dm_req *r, void *ctx)
{
	struct answer *a = ctx;
	uint8_t how = u8(a->in);
	switch (how % 10) {
	default: /* honest */
		return a->disk(dev, q, r, a->disk_ctx);
	case 5: { /* honest data, any used length */
		(void)a->disk(dev, q, r, a->disk_ctx);
		return u32(a->in);
	}
	case 6: { /* any status byte (and data), any length */
		(void)a->disk(dev, q, r, a->disk_ctx);
		for (unsigned i = r->nseg; i-- > 0;) {
			if (r->seg[i].write && r->seg[i].len > 0) {
				r->seg[i].ptr[r->seg[i].len - 1] = u8(a->in);
				break;
			}
		}
		return (how & 0x80) ? u32(a->in) : r->writable;
	}
	case 7: /* never answers */
		return DM_DEFER;
	case 8: /* honest, published with a hostile used entry */
		dm_queue_hostile(dev, q, (enum dm_hostile_used)(u8(a->in) % 6),
				 u32(a->in));
		return a->disk(dev, q, r, a->disk_ctx);
	}
}

/* ---- asynchronous requests ---- */

static struct req {
	bool pending;
	int calls;
	int result;
} reqs[MAXREQ];

static void done(void *ctx, int result)
{
	struct req *r = ctx;
	CHECK(r->pending);
	r->calls++;
	r->pending = false;
	r->result = result;
	check_result(result);
}

static uint8_t *buf;

static void run(struct input *in)
{
	uint8_t hdr = u8(in);
	uint32_t version = (hdr & 1) ? 2 : 1;
	struct dm_device *d = dm_create(BASE, version, 2, 1, (hdr & 2) ? 8 : 128);
	d->quiet = true;
	struct dm_blk *disk = dm_blk_attach(d, 256);
	d->device_features = u64(in);
	if (version == 2 && (hdr & 4) == 0)
		d->device_features |= DM_BIT(DM_F_VERSION_1);
	uint8_t cfg[72];
	for (unsigned i = 0; i < sizeof(cfg); i++)
		cfg[i] = u8(in);
	if (hdr & 8) { /* mostly sane: capacity within the disk, 512 blocks */
		cfg[0] = 0;
		cfg[1] = 1;
		memset(cfg + 2, 0, 6);
		memcpy(cfg + 20, "\0\2\0\0", 4);
	}
	dm_config_set(d, 0, cfg, sizeof(cfg), false);
	struct answer ans = { in, d->backend, d->backend_ctx };
	d->backend = fuzz_backend;
	d->backend_ctx = &ans;

	struct virtio_device vdev;
	struct virtio_blk blk;
	memset(&blk, 0, sizeof(blk));
	memset(reqs, 0, sizeof(reqs));
	if (virtio_mmio_probe(&vdev, BASE) != 0)
		goto out;
	int r = virtio_blk_init(&blk, &vdev);
	check_result(r);
	if (r != 0)
		goto out;
	reached.inits++;
	CHECK(blk.limits.max_sectors > 0);
	CHECK(blk.blk_size >= 512 && (blk.blk_size & (blk.blk_size - 1)) == 0);

	int next = 0;
	for (unsigned step = 0; step < 64 && in->n > 0; step++) {
		uint8_t op = u8(in);
		reached.ops++;
		uint64_t sector = u16(in) % 300;
		uint32_t count = u8(in) % (BUF_SECTORS + 1);
		switch (op % 9) {
		case 0:
			check_result(virtio_blk_read(&blk, sector, buf, count));
			break;
		case 1:
			check_result(virtio_blk_write(&blk, sector, buf, count));
			break;
		case 2:
			check_result(virtio_blk_flush(&blk));
			break;
		case 3:
			check_result(virtio_blk_discard(&blk, sector, count));
			break;
		case 4:
			check_result(virtio_blk_write_zeroes(&blk, sector, count,
							     op & 0x80));
			break;
		case 5: {
			char id[VIRTIO_BLK_ID_BYTES + 1];
			r = virtio_blk_get_id(&blk, id);
			check_result(r);
			if (r == 0) {
				size_t n = 0;
				while (n < sizeof(id) && id[n] != '\0')
					n++;
				CHECK(n <= VIRTIO_BLK_ID_BYTES);
				for (size_t k = 0; k < n; k++)
					CHECK(id[k] >= 0x20 && id[k] < 0x7f);
			}
			break;
		}
		case 6:
		case 7: { /* asynchronous */
			if (next >= MAXREQ)
				break;
			enum virtio_blk_op bop = (enum virtio_blk_op)(op >> 4) % 7;
			struct req *q = &reqs[next];
			q->pending = true;
			void *b = bop == VIRTIO_BLK_OP_GET_ID ? buf
				  : (bop == VIRTIO_BLK_OP_READ || bop == VIRTIO_BLK_OP_WRITE) ? buf
				  : NULL;
			if (bop > VIRTIO_BLK_OP_WRITE && bop != VIRTIO_BLK_OP_GET_ID &&
			    bop != VIRTIO_BLK_OP_DISCARD && bop != VIRTIO_BLK_OP_WRITE_ZEROES &&
			    bop != VIRTIO_BLK_OP_WRITE_ZEROES_UNMAP) {
				sector = 0; /* FLUSH */
				count = 0;
			}
			r = virtio_blk_submit(&blk, bop, sector, b, count, done, q);
			check_result(r);
			if (r == 0)
				next++;
			else
				q->pending = false;
			break;
		}
		case 8:
			if (op & 0x10)
				check_result(virtio_blk_drain(&blk));
			else {
				r = virtio_blk_poll(&blk);
				CHECK(r >= 0 || (r < 0 && r >= VIRTIO_ERO - 32));
			}
			break;
		}
	}
	virtio_blk_destroy(&blk);
	for (int i = 0; i < next; i++) {
		CHECK(!reqs[i].pending);
		CHECK(reqs[i].calls == 1);
	}
out:
	dm_destroy(d);
	dm_blk_free(disk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static size_t baseline;
	if (buf == NULL) {
		virtio_host_log_capture(true);
		virtio_host_time_set_autostep(100000);
		buf = virtio_port_dma_alloc(BUF_SECTORS * 512, 16);
		CHECK(buf != NULL);
		baseline = virtio_host_dma_outstanding_count();
	}
	virtio_host_log_clear();
	struct input in = { data, size };
	run(&in);
	if (getenv("FUZZ_DRIVER_VERBOSE"))
		fprintf(stderr, "reached: inits %u ops %u ok %u errors %u (last -%u), "
			"DMA allocations %zu (expected %zu)\n",
			reached.inits, reached.ops, reached.ok, reached.errors,
			reached.last_error, virtio_host_dma_outstanding_count(),
			baseline);
	CHECK(virtio_host_dma_outstanding_count() == baseline);
	return 0;
}
