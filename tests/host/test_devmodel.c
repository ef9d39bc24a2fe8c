/*
 * Self-test of the device model and the host port, driven by a tiny
 * hand-written driver in this file (no runtime code): proves the model
 * publishes what the other tests rely on, including each hostile value.
 */
#include "harness.h"

#include <string.h>

struct mini {
	struct dm_device *dev;
	uint8_t *mem;
	size_t mem_size;
	uint16_t num;
	uint8_t *desc;
	uint8_t *avail;
	uint8_t *used;
	uint16_t avail_idx;
};

static void w32(uint32_t off, uint32_t v)
{
	virtio_port_write32(VT_BASE + off, v);
}
static uint32_t r32(uint32_t off)
{
	return virtio_port_read32(VT_BASE + off);
}

static uint16_t *avail_ring(struct mini *m)
{
	return (uint16_t *)(m->avail + 4);
}
static uint16_t *used_event(struct mini *m)
{
	return (uint16_t *)(m->avail + 4 + 2 * m->num);
}
static volatile uint16_t *used_idx(struct mini *m)
{
	return (volatile uint16_t *)(m->used + 2);
}
static uint32_t used_id(struct mini *m, unsigned i)
{
	return *(uint32_t *)(m->used + 4 + 8 * (i % m->num));
}
static uint32_t used_len(struct mini *m, unsigned i)
{
	return *(uint32_t *)(m->used + 4 + 8 * (i % m->num) + 4);
}
static uint16_t avail_event(struct mini *m)
{
	return *(uint16_t *)(m->used + 4 + 8 * m->num);
}

static void set_desc(struct mini *m, uint8_t *table, unsigned i, void *addr,
		     uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *d = table + 16 * i;
	uint64_t a = (uint64_t)(uintptr_t)addr;
	memcpy(d, &a, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
	(void)m;
}

/* Modern bring-up with `features` accepted and queue 0 of size num. */
static void mini_modern(struct mini *m, uint64_t features, uint16_t num)
{
	memset(m, 0, sizeof(*m));
	m->dev = vt.dev;
	m->num = num;
	w32(DM_REG_STATUS, 0);
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE | DM_S_DRIVER);
	w32(DM_REG_DRIVER_FEATURES_SEL, 0);
	w32(DM_REG_DRIVER_FEATURES, (uint32_t)features);
	w32(DM_REG_DRIVER_FEATURES_SEL, 1);
	w32(DM_REG_DRIVER_FEATURES, (uint32_t)(features >> 32));
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE | DM_S_DRIVER | DM_S_FEATURES_OK);
	m->mem_size = 16384;
	m->mem = vt_dma(m->mem_size);
	m->desc = m->mem;
	m->avail = m->mem + 4096;
	m->used = m->mem + 8192;
	w32(DM_REG_QUEUE_SEL, 0);
	w32(DM_REG_QUEUE_NUM, num);
	uint64_t d = (uintptr_t)m->desc, a = (uintptr_t)m->avail,
		 u = (uintptr_t)m->used;
	w32(DM_REG_QUEUE_DESC_LOW, (uint32_t)d);
	w32(DM_REG_QUEUE_DESC_HIGH, (uint32_t)(d >> 32));
	w32(DM_REG_QUEUE_DRIVER_LOW, (uint32_t)a);
	w32(DM_REG_QUEUE_DRIVER_HIGH, (uint32_t)(a >> 32));
	w32(DM_REG_QUEUE_DEVICE_LOW, (uint32_t)u);
	w32(DM_REG_QUEUE_DEVICE_HIGH, (uint32_t)(u >> 32));
	w32(DM_REG_QUEUE_READY, 1);
	assert_true(vt.dev->q[0].live);
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE | DM_S_DRIVER | DM_S_FEATURES_OK |
				   DM_S_DRIVER_OK);
}

static void mini_free(struct mini *m)
{
	w32(DM_REG_STATUS, 0);
	vt_dma_free(m->mem, m->mem_size);
}

static void mini_post(struct mini *m, uint16_t head)
{
	avail_ring(m)[m->avail_idx % m->num] = head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	m->avail_idx++;
	*(volatile uint16_t *)(m->avail + 2) = m->avail_idx;
	w32(DM_REG_QUEUE_NOTIFY, 0);
}

/* ---------------------------------------------------------------- */

static void identity_and_features(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	d->device_features |= DM_BIT(3) | DM_BIT(DM_F_RING_RESET);
	assert_int_equal(r32(DM_REG_MAGIC), 0x74726976);
	assert_int_equal(r32(DM_REG_VERSION), 2);
	assert_int_equal(r32(DM_REG_DEVICE_ID), 2);
	w32(DM_REG_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(r32(DM_REG_DEVICE_FEATURES), 1u << 3);
	w32(DM_REG_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(r32(DM_REG_DEVICE_FEATURES), 1u | (1u << 8));
	w32(DM_REG_DEVICE_FEATURES_SEL, 2);
	assert_int_equal(r32(DM_REG_DEVICE_FEATURES), 0);
	w32(DM_REG_QUEUE_SEL, 0);
	assert_int_equal(r32(DM_REG_QUEUE_NUM_MAX), 8);
	w32(DM_REG_QUEUE_SEL, 1);
	assert_int_equal(r32(DM_REG_QUEUE_NUM_MAX), 0);
	vt_assert_no_violations(d);

	/* legacy: only 32 feature bits */
	d = vt_device(1, 2, 1, 8);
	d->device_features = DM_BIT(3) | DM_BIT(DM_F_VERSION_1);
	w32(DM_REG_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(r32(DM_REG_DEVICE_FEATURES), 0);
	/* modern-only register on legacy is a violation */
	d->quiet = true;
	(void)r32(DM_REG_CONFIG_GENERATION);
	assert_int_equal(d->violations, 1);
	/* 16-bit register access is a violation */
	(void)virtio_port_read16(VT_BASE + DM_REG_STATUS);
	assert_int_equal(d->violations, 2);
}

static void status_reset_and_hostile_status(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE);
	assert_int_equal(r32(DM_REG_STATUS), DM_S_ACKNOWLEDGE);
	w32(DM_REG_STATUS, 0);
	assert_int_equal(r32(DM_REG_STATUS), 0);
	assert_int_equal(d->resets, 1);

	d->reset_never_completes = true;
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE);
	w32(DM_REG_STATUS, 0);
	assert_int_equal(r32(DM_REG_STATUS), DM_S_ACKNOWLEDGE);
	d->reset_never_completes = false;
	w32(DM_REG_STATUS, 0);

	/* FEATURES_OK refused */
	d->refuse_features_ok = true;
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE | DM_S_DRIVER);
	w32(DM_REG_DRIVER_FEATURES_SEL, 1);
	w32(DM_REG_DRIVER_FEATURES, 1); /* VERSION_1 */
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE | DM_S_DRIVER | DM_S_FEATURES_OK);
	assert_int_equal(r32(DM_REG_STATUS) & DM_S_FEATURES_OK, 0);
	vt_assert_no_violations(d);

	/* accepting a feature not offered is refused and flagged */
	d->quiet = true;
	d->refuse_features_ok = false;
	w32(DM_REG_STATUS, 0);
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE | DM_S_DRIVER);
	w32(DM_REG_DRIVER_FEATURES_SEL, 1);
	w32(DM_REG_DRIVER_FEATURES, 1 | 4); /* VERSION_1 | RING_PACKED */
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE | DM_S_DRIVER | DM_S_FEATURES_OK);
	assert_int_equal(r32(DM_REG_STATUS) & DM_S_FEATURES_OK, 0);
	assert_int_equal(d->violations, 1);

	/* NEEDS_RESET + config interrupt */
	w32(DM_REG_STATUS, 0);
	dm_set_needs_reset(d);
	assert_true(r32(DM_REG_STATUS) & DM_S_NEEDS_RESET);
	assert_int_equal(r32(DM_REG_INTERRUPT_STATUS), DM_INT_CONFIG);
	w32(DM_REG_INTERRUPT_ACK, DM_INT_CONFIG);
	assert_int_equal(r32(DM_REG_INTERRUPT_STATUS), 0);
	w32(DM_REG_STATUS, 0);
	assert_int_equal(r32(DM_REG_STATUS), 0);
}

static void config_and_generation(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 2, 1, 8);
	dm_config_set_le64(d, 0, 0x1122334455667788ull);
	assert_int_equal(r32(DM_REG_CONFIG), 0x55667788);
	assert_int_equal(r32(DM_REG_CONFIG + 4), 0x11223344);
	assert_int_equal(virtio_port_read8(VT_BASE + DM_REG_CONFIG + 1), 0x77);
	uint32_t g = r32(DM_REG_CONFIG_GENERATION);
	assert_int_equal(r32(DM_REG_CONFIG_GENERATION), g);
	d->generation_always_changes = true;
	assert_int_not_equal(r32(DM_REG_CONFIG_GENERATION), g);
	uint32_t g2 = r32(DM_REG_CONFIG_GENERATION);
	assert_int_not_equal(r32(DM_REG_CONFIG_GENERATION), g2);
	d->generation_always_changes = false;
	d->generation_changes = 2;
	g = r32(DM_REG_CONFIG_GENERATION);
	g2 = r32(DM_REG_CONFIG_GENERATION);
	assert_int_not_equal(g, g2);
	assert_int_equal(r32(DM_REG_CONFIG_GENERATION), g2);
	vt_assert_no_violations(d);
	/* unaligned modern config access is flagged */
	d->quiet = true;
	(void)virtio_port_read32(VT_BASE + DM_REG_CONFIG + 2);
	assert_int_equal(d->violations, 1);
}

static void echo_chain_and_interrupts(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 8);
	dm_echo_attach(d);
	d->strict_buffers = true;
	struct mini m;
	mini_modern(&m, DM_BIT(DM_F_VERSION_1), 8);
	uint8_t *out = vt_dma(64), *in = vt_dma(64);
	memcpy(out, "hello device", 13);
	set_desc(&m, m.desc, 3, out, 13, DM_DESC_F_NEXT, 5);
	set_desc(&m, m.desc, 5, in, 64, DM_DESC_F_WRITE, 0);
	mini_post(&m, 3);
	assert_int_equal(*used_idx(&m), 1);
	assert_int_equal(used_id(&m, 0), 3);
	assert_int_equal(used_len(&m, 0), 13);
	assert_string_equal((char *)in, "hello device");
	assert_int_equal(d->q[0].notifies, 1);
	assert_int_equal(d->q[0].interrupts, 1);
	assert_int_equal(r32(DM_REG_INTERRUPT_STATUS), DM_INT_VRING);
	w32(DM_REG_INTERRUPT_ACK, DM_INT_VRING);

	/* NO_INTERRUPT honoured without EVENT_IDX */
	*(uint16_t *)m.avail = DM_AVAIL_F_NO_INTERRUPT;
	mini_post(&m, 3);
	assert_int_equal(*used_idx(&m), 2);
	assert_int_equal(d->q[0].interrupts, 1);
	assert_int_equal(r32(DM_REG_INTERRUPT_STATUS), 0);
	vt_assert_no_violations(d);

	/* writable before readable is flagged */
	d->quiet = true;
	set_desc(&m, m.desc, 3, in, 64, DM_DESC_F_WRITE | DM_DESC_F_NEXT, 5);
	set_desc(&m, m.desc, 5, out, 13, 0, 0);
	mini_post(&m, 3);
	assert_int_equal(d->violations, 1);
	/* buffer outside DMA memory is flagged under strict_buffers */
	static uint8_t not_dma[16];
	set_desc(&m, m.desc, 3, not_dma, 16, DM_DESC_F_WRITE, 0);
	mini_post(&m, 3);
	assert_int_equal(d->violations, 2);
	vt_dma_free(out, 64);
	vt_dma_free(in, 64);
	mini_free(&m);
}

static void indirect_and_event_idx(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 4, 1, 8);
	dm_rng_attach(d, 7);
	d->device_features |= DM_BIT(DM_F_INDIRECT_DESC) | DM_BIT(DM_F_EVENT_IDX);
	struct mini m;
	mini_modern(&m, DM_BIT(DM_F_VERSION_1) | DM_BIT(DM_F_INDIRECT_DESC) |
				 DM_BIT(DM_F_EVENT_IDX), 8);
	uint8_t *table = vt_dma(48), *b0 = vt_dma(10), *b1 = vt_dma(20);
	set_desc(&m, table, 0, b0, 10, DM_DESC_F_WRITE | DM_DESC_F_NEXT, 2);
	set_desc(&m, table, 2, b1, 20, DM_DESC_F_WRITE, 0);
	set_desc(&m, m.desc, 1, table, 48, DM_DESC_F_INDIRECT, 0);
	*used_event(&m) = 0; /* interrupt after the first completion */
	mini_post(&m, 1);
	assert_int_equal(used_id(&m, 0), 1);
	assert_int_equal(used_len(&m, 0), 30);
	assert_int_equal(d->q[0].indirect_seen, 1);
	assert_int_equal(d->q[0].max_chain, 2);
	assert_int_equal(avail_event(&m), 1);
	assert_int_equal(d->q[0].interrupts, 1);
	/* used_event = 5: no interrupt until used idx passes 5 */
	*used_event(&m) = 5;
	*(uint16_t *)m.avail = DM_AVAIL_F_NO_INTERRUPT; /* ignored under EVENT_IDX */
	for (int i = 0; i < 4; i++)
		mini_post(&m, 1);
	assert_int_equal(*used_idx(&m), 5);
	assert_int_equal(d->q[0].interrupts, 1);
	mini_post(&m, 1); /* used idx 5 -> 6 crosses used_event 5 */
	assert_int_equal(d->q[0].interrupts, 2);
	assert_int_equal(avail_event(&m), 6);
	dm_queue_set_avail_event(d, 0, 100);
	mini_post(&m, 1);
	assert_int_equal(avail_event(&m), 100);
	vt_assert_no_violations(d);
	vt_dma_free(table, 48);
	vt_dma_free(b0, 10);
	vt_dma_free(b1, 20);
	mini_free(&m);
}

static void defer_and_hostile_values(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(2, 3, 1, 8);
	dm_echo_attach(d);
	struct mini m;
	mini_modern(&m, DM_BIT(DM_F_VERSION_1), 8);
	uint8_t *buf = vt_dma(64);
	for (unsigned i = 0; i < 8; i += 2) {
		set_desc(&m, m.desc, i, buf, 4, DM_DESC_F_NEXT, (uint16_t)(i + 1));
		set_desc(&m, m.desc, i + 1, buf + 8, 8, DM_DESC_F_WRITE, 0);
	}
	d->q[0].defer = true;
	mini_post(&m, 0);
	mini_post(&m, 2);
	mini_post(&m, 4);
	mini_post(&m, 6);
	assert_int_equal(dm_queue_held(d, 0), 4);
	assert_int_equal(*used_idx(&m), 0);
	/* out of order: third, first */
	assert_int_equal(dm_queue_complete(d, 0, 2), 4);
	assert_int_equal(dm_queue_complete(d, 0, 0), 4);
	assert_int_equal(used_id(&m, 0), 4);
	assert_int_equal(used_id(&m, 1), 0);
	assert_int_equal(dm_queue_held(d, 0), 2); /* heads 2 and 6 */

	dm_queue_hostile(d, 0, DM_HOSTILE_ID_OUT_OF_RANGE, 0);
	dm_queue_complete(d, 0, 0);
	assert_int_equal(used_id(&m, 2), 8);
	dm_queue_hostile(d, 0, DM_HOSTILE_ID_NOT_HEAD, 0);
	mini_post(&m, 0);
	dm_queue_complete(d, 0, 1);
	assert_int_equal(used_id(&m, 3), 1); /* second descriptor of chain 0 */
	dm_queue_hostile(d, 0, DM_HOSTILE_ID_TWICE, 0);
	dm_queue_complete(d, 0, 0);
	assert_int_equal(used_id(&m, 4), 6);
	assert_int_equal(used_id(&m, 5), 6);
	assert_int_equal(*used_idx(&m), 6);
	mini_post(&m, 2);
	dm_queue_hostile(d, 0, DM_HOSTILE_LEN_TOO_BIG, 0);
	dm_queue_complete(d, 0, 0);
	assert_int_equal(used_len(&m, 6), UINT32_MAX);
	mini_post(&m, 2);
	dm_queue_hostile(d, 0, DM_HOSTILE_LEN_TOO_BIG, 1);
	dm_queue_complete(d, 0, 0);
	assert_int_equal(used_len(&m, 7), 9);
	mini_post(&m, 2);
	dm_queue_hostile(d, 0, DM_HOSTILE_IDX_JUMP, 0);
	dm_queue_complete(d, 0, 0);
	assert_int_equal(*used_idx(&m), 8 + 8 + 1);
	dm_queue_push_used(d, 0, 1234, 5678);
	assert_int_equal(used_id(&m, 17), 1234);
	assert_int_equal(used_len(&m, 17), 5678);
	dm_queue_set_used_idx(d, 0, 0xfff0);
	assert_int_equal(*used_idx(&m), 0xfff0);
	vt_assert_no_violations(d);
	vt_dma_free(buf, 64);
	mini_free(&m);
}

static void legacy_layout_and_blk(void **state)
{
	(void)state;
	struct dm_device *d = vt_device(1, 2, 1, 16);
	struct dm_blk *blk = dm_blk_attach(d, 64);
	d->strict_buffers = true;
	struct mini m;
	memset(&m, 0, sizeof(m));
	m.num = 16;
	m.mem_size = 8192;
	m.mem = virtio_port_dma_alloc(m.mem_size, 4096);
	assert_non_null(m.mem);
	assert_true((uintptr_t)m.mem + m.mem_size <= (1ull << 32));
	m.desc = m.mem;
	m.avail = m.mem + 16 * 16;
	m.used = m.mem + 4096;
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE | DM_S_DRIVER);
	w32(DM_REG_DRIVER_FEATURES, 0);
	w32(DM_REG_GUEST_PAGE_SIZE, 4096);
	w32(DM_REG_QUEUE_SEL, 0);
	assert_int_equal(r32(DM_REG_QUEUE_NUM_MAX), 16);
	w32(DM_REG_QUEUE_NUM, 16);
	w32(DM_REG_QUEUE_ALIGN, 4096);
	w32(DM_REG_QUEUE_PFN, (uint32_t)((uintptr_t)m.mem / 4096));
	assert_int_equal(d->q[0].used_addr, (uintptr_t)m.used);
	w32(DM_REG_STATUS, DM_S_ACKNOWLEDGE | DM_S_DRIVER | DM_S_DRIVER_OK);

	uint8_t *hdr = vt_dma(16), *data = vt_dma(1024), *st = vt_dma(1);
	/* write sectors 3..4 */
	uint32_t type = 1;
	uint64_t sector = 3;
	memcpy(hdr, &type, 4);
	memcpy(hdr + 8, &sector, 8);
	memset(data, 0x5a, 1024);
	set_desc(&m, m.desc, 0, hdr, 16, DM_DESC_F_NEXT, 1);
	set_desc(&m, m.desc, 1, data, 1024, DM_DESC_F_NEXT, 2);
	set_desc(&m, m.desc, 2, st, 1, DM_DESC_F_WRITE, 0);
	*st = 0xff;
	mini_post(&m, 0);
	assert_int_equal(*st, 0);
	assert_int_equal(used_len(&m, 0), 1);
	assert_int_equal(blk->data[3 * 512], 0x5a);
	assert_int_equal(blk->data[5 * 512], 0);
	/* read back beyond capacity: IOERR */
	type = 0;
	sector = 63;
	memcpy(hdr, &type, 4);
	memcpy(hdr + 8, &sector, 8);
	set_desc(&m, m.desc, 1, data, 1024, DM_DESC_F_WRITE | DM_DESC_F_NEXT, 2);
	mini_post(&m, 0);
	assert_int_equal(*st, 1);
	/* read sectors 3..4 */
	sector = 3;
	memcpy(hdr + 8, &sector, 8);
	memset(data, 0, 1024);
	mini_post(&m, 0);
	assert_int_equal(*st, 0);
	assert_int_equal(used_len(&m, 2), 1025);
	assert_int_equal(data[1023], 0x5a);
	/* unknown type: UNSUPP */
	type = 99;
	memcpy(hdr, &type, 4);
	mini_post(&m, 0);
	assert_int_equal(*st, 2);
	/* GET_ID: 20 bytes of id + status */
	type = 8;
	memcpy(hdr, &type, 4);
	uint8_t *id = vt_dma(20);
	set_desc(&m, m.desc, 1, id, 20, DM_DESC_F_WRITE | DM_DESC_F_NEXT, 2);
	mini_post(&m, 0);
	assert_int_equal(*st, 0);
	assert_memory_equal(id, "devmodel-ramdisk-01", 19);
	assert_int_equal(blk->get_ids, 1);
	/* FLUSH: header + status only */
	type = 4;
	memcpy(hdr, &type, 4);
	set_desc(&m, m.desc, 0, hdr, 16, DM_DESC_F_NEXT, 2);
	*st = 0xff;
	mini_post(&m, 0);
	assert_int_equal(*st, 0);
	assert_int_equal(blk->flushes, 1);
	vt_dma_free(id, 20);
	assert_int_equal(r32(DM_REG_CONFIG), 64);
	assert_int_equal(virtio_port_read8(VT_BASE + DM_REG_CONFIG + 20), 0);
	assert_int_equal(virtio_port_read8(VT_BASE + DM_REG_CONFIG + 21), 2);
	vt_assert_no_violations(d);
	vt_dma_free(hdr, 16);
	vt_dma_free(data, 1024);
	vt_dma_free(st, 1);
	w32(DM_REG_STATUS, 0);
	virtio_port_dma_free(m.mem, m.mem_size);
	dm_blk_free(blk);
}

static void port_time_log_dma(void **state)
{
	(void)state;
	uint64_t t0 = virtio_port_time_us();
	virtio_host_time_advance(5000000);
	assert_true(virtio_port_time_us() - t0 >= 5000000);
	virtio_host_time_set_autostep(1000);
	uint64_t a = virtio_port_time_us(), b = virtio_port_time_us();
	assert_true(b - a >= 1000);
	virtio_host_time_set_autostep(0);
	virtio_port_log(VIRTIO_LOG_WARN, "something odd");
	assert_true(virtio_host_log_contains("something odd"));
	assert_int_equal(virtio_host_log_count(VIRTIO_LOG_WARN), 1);
	virtio_host_dma_fail_next(1);
	assert_null(virtio_port_dma_alloc(10, 8));
	void *p = virtio_port_dma_alloc(100, 4096);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 4096, 0);
	assert_true((uintptr_t)p + 100 <= (1ull << 32));
	assert_true(virtio_host_dma_contains((uintptr_t)p, 100));
	assert_false(virtio_host_dma_contains((uintptr_t)p, 101));
	for (int i = 0; i < 100; i++)
		assert_int_equal(((uint8_t *)p)[i], 0);
	assert_int_equal(virtio_port_virt_to_phys(p), (uintptr_t)p);
	assert_ptr_equal(virtio_port_phys_to_virt((uintptr_t)p), p);
	virtio_port_dma_free(p, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(identity_and_features, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(status_reset_and_hostile_status, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(config_and_generation, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(echo_chain_and_interrupts, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(indirect_and_event_idx, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(defer_and_hostile_values, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(legacy_layout_and_blk, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(port_time_log_dma, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
