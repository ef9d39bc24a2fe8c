/*
 * libFuzzer target: the fuzz input is the device. It chooses the
 * identification registers, feature words, QueueNumMax, status behaviour
 * (refused FEATURES_OK, slow or stuck reset, NEEDS_RESET, any value read
 * from Status or InterruptStatus), config bytes and
 * generation changes, and every used-ring entry, used idx, used flags and
 * avail_event the device writes, interleaved with driver operations
 * (probe -> negotiate -> queue setup -> add/kick/get/callbacks/reset),
 * on a split or (VIRTIO_F_RING_PACKED, header bit 3) a packed ring.
 *
 * Besides the sanitizers, the harness checks the runtime's promises and
 * aborts when one is broken:
 *  - virtqueue_get hands out only tokens in flight, each once, with a
 *    length no larger than the chain's writable bytes;
 *  - after an error the queue stays broken (EBROKEN) until reset;
 *  - virtqueue_detach_unused returns exactly the tokens in flight;
 *  - virtqueue_in_flight counts exactly the tokens in flight;
 *  - no transport feature outside VIRTIO_RUNTIME_FEATURES is accepted;
 *  - every DMA allocation is freed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devmodel.h"
#include "fuzz_input.h"
#include "virtio_port_host.h"
#include <virtio/drivers/blk.h>
#include <virtio/transport.h>
#include <virtio/virtqueue.h>

#define BASE 0x10001000u
#define NBUF 16
#define BUFSZ 64
#define MAXTOK 64


static uint8_t *bufs[NBUF];

/* Tokens: slot i is token &tokens[i]; what the driver handed in. */
static struct {
	bool in_flight;
	uint32_t writable;
} tokens[MAXTOK];



static int token_index(void *t)
{
	uintptr_t a = (uintptr_t)t, b = (uintptr_t)&tokens[0];
	if (a < b || a >= b + sizeof(tokens) ||
	    (a - b) % sizeof(tokens[0]) != 0)
		return -1;
	return (int)((a - b) / sizeof(tokens[0]));
}

static unsigned tokens_in_flight(void)
{
	unsigned n = 0;

	for (int i = 0; i < MAXTOK; i++)
		n += tokens[i].in_flight;
	return n;
}

/* What the run reached (printed when FUZZ_DRIVER_VERBOSE is set). */
static struct {
	unsigned probed, negotiated, queues, adds, gets, get_errors, resets;
} reached;

static void check_get_result(struct virtqueue *vq, int r, void *t,
			     uint32_t len)
{
	if (r == 1)
		reached.gets++;
	else if (r < 0)
		reached.get_errors++;
	if (r == 1) {
		int i = token_index(t);
		CHECK(i >= 0);
		CHECK(tokens[i].in_flight);
		CHECK(len <= tokens[i].writable);
		tokens[i].in_flight = false;
	} else if (r < 0) {
		CHECK(virtqueue_broken(vq) != 0);
		void *t2 = NULL;
		uint32_t l2;
		CHECK(virtqueue_get(vq, &t2, &l2) == VIRTIO_EBROKEN);
	} else {
		CHECK(r == 0);
	}
	CHECK(virtqueue_in_flight(vq) == tokens_in_flight());
}

static void detach_all(struct virtqueue *vq)
{
	bool seen[MAXTOK] = { false };
	void *t;
	while ((t = virtqueue_detach_unused(vq)) != NULL) {
		int i = token_index(t);
		CHECK(i >= 0);
		CHECK(tokens[i].in_flight);
		CHECK(!seen[i]);
		seen[i] = true;
		tokens[i].in_flight = false;
	}
	for (int i = 0; i < MAXTOK; i++)
		CHECK(!tokens[i].in_flight);
	CHECK(virtqueue_in_flight(vq) == 0);
}

static void run(struct input *in)
{
	uint8_t hdr = u8(in);
	uint32_t version = (hdr & 1) ? 2 : 1;
	uint16_t num_max = u16(in);
	if (!(hdr & 0x10))
		num_max &= 0x3f;
	struct dm_device *d = dm_create(BASE, version, 3, 2, num_max);
	d->quiet = true;
	if (hdr & 0x80)
		d->version = u32(in);
	if (hdr & 0x40)
		d->magic = u32(in);
	if (hdr & 0x20)
		d->device_id = u32(in);
	d->device_features = u64(in);
	/* hdr bit 3: the packed layout (offered, and asked for below), so
	 * both ring layouts are fuzzed; the input's own bits may pick it too */
	if (hdr & 0x08)
		d->device_features |= DM_BIT(DM_F_RING_PACKED);
	uint8_t st = u8(in);
	d->refuse_features_ok = st & 1;
	d->refuse_driver_ok = (st & 2) && (st & 4);
	d->reset_never_completes = (st & 0x0e) == 0x0e;
	d->reset_delay_reads = (st >> 4) & 7;
	d->generation_always_changes = (st & 0x80) && (st & 1);
	d->generation_changes = (st >> 5) & 3;
	if (st & 8) { /* Status reads lie from the start */
		d->status_lie = u8(in);
		d->status_lie_reads = u8(in) & 15;
	}
	uint8_t cfg[32];
	for (int i = 0; i < 32; i++)
		cfg[i] = u8(in);
	dm_config_set(d, 0, cfg, sizeof(cfg), false);
	dm_echo_attach(d);
	d->q[0].defer = true;

	struct virtio_device vdev;
	struct virtqueue vq;
	memset(&vq, 0, sizeof(vq));
	bool have_vq = false;

	if (virtio_mmio_probe(&vdev, BASE) != 0)
		goto out;
	reached.probed++;
	uint64_t wanted = u64(in);
	if (hdr & 0x08)
		wanted |= DM_BIT(DM_F_RING_PACKED);
	if (virtio_negotiate(&vdev, wanted) != 0)
		goto out;
	reached.negotiated++;
	uint64_t transport = vdev.features & (((1ull << 50) - 1) & ~((1ull << 24) - 1));
	CHECK((transport & ~VIRTIO_RUNTIME_FEATURES) == 0);
	CHECK((vdev.features & ~d->device_features) == 0);
	CHECK(!vdev.legacy || (vdev.features >> 32) == 0);
	if (virtqueue_setup(&vdev, &vq, 0, u8(in) & 0x3f) != 0)
		goto out;
	have_vq = true;
	reached.queues++;
	CHECK(virtqueue_size(&vq) > 0);
	CHECK(virtqueue_is_packed(&vq) || /* split rings: a power of two */
	      (virtqueue_size(&vq) & (virtqueue_size(&vq) - 1)) == 0);
	if (virtio_driver_ok(&vdev) != 0)
		goto out;

	int next_tok = 0;
	/* a reset re-zeroes the rings (5 MiB for 32768 entries): keep runs fast */
	unsigned resets_left = virtqueue_size(&vq) > 1024 ? 1 : 8;
	for (unsigned step = 0; step < 4096 && in->n > 0; step++) {
		uint8_t op = u8(in);
		switch (op % 12) {
		case 0:
		case 1: { /* add a chain */
			uint8_t shape = u8(in);
			unsigned n_out = shape & 7, n_in = (shape >> 3) & 7;
			if (n_out + n_in == 0)
				n_in = 1;
			struct virtio_buf v[14];
			uint32_t writable = 0;
			for (unsigned i = 0; i < n_out + n_in; i++) {
				uint8_t b = u8(in);
				v[i].addr = bufs[b % NBUF];
				v[i].len = 1 + (b >> 4) * 4; /* <= BUFSZ */
				if (i >= n_out)
					writable += v[i].len;
			}
			int slot = -1;
			for (int k = 0; k < MAXTOK; k++) {
				int c = (next_tok + k) % MAXTOK;
				if (!tokens[c].in_flight) {
					slot = c;
					break;
				}
			}
			if (slot < 0)
				break;
			next_tok = slot + 1;
			int r = virtqueue_add(&vq, v, n_out, n_in, &tokens[slot]);
			if (r == 0) {
				reached.adds++;
				tokens[slot].in_flight = true;
				tokens[slot].writable = writable;
			} else {
				CHECK(r == VIRTIO_ENOSPC || r == VIRTIO_EINVAL ||
				      r == VIRTIO_EBROKEN);
			}
			break;
		}
		case 2: /* kick (the device holds what it sees) */
			virtqueue_kick(&vq);
			break;
		case 3: { /* device completes a held request, maybe hostile */
			unsigned held = dm_queue_held(d, 0);
			if (held == 0)
				break;
			uint8_t how = u8(in);
			unsigned i = u8(in) % held;
			if (how & 1) {
				dm_queue_hostile(d, 0, (enum dm_hostile_used)((how >> 1) % 6),
						 u32(in));
				dm_queue_complete(d, 0, i);
			} else {
				dm_queue_complete_len(d, 0, i, (how & 2) ? u32(in) : u8(in));
			}
			break;
		}
		case 4: /* device writes any used entry */
			dm_queue_push_used(d, 0, u32(in), u32(in));
			break;
		case 5: /* device sets used idx */
			dm_queue_set_used_idx(d, 0, u16(in));
			break;
		case 6:
		case 7: { /* driver takes completions */
			void *t = NULL;
			uint32_t len = 0;
			int r = virtqueue_get(&vq, &t, &len);
			check_get_result(&vq, r, t, len);
			break;
		}
		case 8: /* device writes avail_event / used flags */
			if (u8(in) & 1)
				dm_queue_set_avail_event(d, 0, u16(in));
			else
				d->q[0].set_no_notify = !d->q[0].set_no_notify;
			break;
		case 9: /* callbacks */
			if (u8(in) & 1)
				virtqueue_disable_cb(&vq);
			else
				(void)virtqueue_enable_cb(&vq);
			(void)virtio_interrupt_ack(&vdev);
			break;
		case 10: { /* config space and status */
			uint8_t w = u8(in);
			uint32_t off = u8(in) % 40;
			switch (w & 3) {
			case 0: (void)virtio_config_read8(&vdev, off); break;
			case 1: (void)virtio_config_read16(&vdev, off & ~1u); break;
			case 2: (void)virtio_config_read32(&vdev, off & ~3u); break;
			case 3: (void)virtio_config_read64(&vdev, off & ~7u); break;
			}
			if (w & 4)
				dm_config_set(d, off & ~7u, &w, 1, true);
			if (w & 8)
				dm_set_needs_reset(d);
			if (w & 16) { /* Status and InterruptStatus read anything */
				d->status_lie = u8(in);
				d->status_lie_reads = u8(in) & 7;
				d->interrupt_status = u32(in);
			}
			(void)virtio_check_status(&vdev);
			break;
		}
		case 11: /* reset and recover */
			if (resets_left == 0)
				break;
			resets_left--;
			reached.resets++;
			if (virtio_reset(&vdev) != 0)
				goto out;
			detach_all(&vq);
			if (virtio_negotiate(&vdev, wanted) != 0)
				goto out;
			if (virtqueue_reset(&vq) != 0)
				goto out;
			CHECK(virtqueue_broken(&vq) == 0);
			if (virtio_driver_ok(&vdev) != 0)
				goto out;
			break;
		}
	}
out:
	if (have_vq) {
		d->reset_never_completes = false;
		d->reset_delay_reads = 0;
		(void)virtio_reset(&vdev);
		detach_all(&vq);
		virtqueue_destroy(&vq);
	}
	for (int i = 0; i < MAXTOK; i++)
		tokens[i].in_flight = false;
	dm_destroy(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static size_t baseline;
	if (bufs[0] == NULL) {
		virtio_host_log_capture(true);
		virtio_host_time_set_autostep(100000); /* timeouts in a few reads */
		for (int i = 0; i < NBUF; i++) {
			bufs[i] = virtio_port_dma_alloc(BUFSZ, 16);
			CHECK(bufs[i] != NULL);
		}
		baseline = virtio_host_dma_outstanding_count();
	}
	virtio_host_log_clear();
	struct input in = { data, size };
	run(&in);
	CHECK(virtio_host_dma_outstanding_count() == baseline);
	if (getenv("FUZZ_DRIVER_VERBOSE"))
		fprintf(stderr,
			"reached: probed %u negotiated %u queues %u adds %u gets %u "
			"get errors %u resets %u\n",
			reached.probed, reached.negotiated, reached.queues,
			reached.adds, reached.gets, reached.get_errors,
			reached.resets);
	return 0;
}
