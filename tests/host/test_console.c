/*
 * The virtio-console driver (spec 5.3) against the console backend:
 * port 0 alone (write, chunked write, input with refill, partial reads,
 * size, emergency write), multiport (DEVICE_READY, PORT_ADD/READY,
 * CONSOLE_PORT, PORT_NAME, PORT_OPEN, RESIZE, PORT_REMOVE, per-port
 * queues), and a hostile device: port ids at or beyond max_nr_ports and
 * beyond the platform bound, short/unknown/out-of-order control messages,
 * long names, used lengths beyond the buffer, a device that never takes
 * output.
 */
#include "harness.h"

#include <string.h>

#include <virtio/drivers/console.h>

#include "backend_console.h"

#define F(bit) DM_BIT(bit)

struct fixture {
	struct dm_device *d;
	struct dm_console *m;
	struct virtio_device vdev;
	struct virtio_console con;
};

static void setup(struct fixture *f, uint32_t version, uint64_t features,
		  uint32_t max_nr_ports, unsigned queues)
{
	f->d = vt_device(version, 3, queues, 32);
	f->m = dm_console_attach(f->d, features, 80, 25, max_nr_ports);
	f->d->strict_buffers = true;
	assert_int_equal(virtio_mmio_probe(&f->vdev, VT_BASE), 0);
}

static void finish(struct fixture *f)
{
	vt_assert_no_violations(f->d);
	assert_int_equal(f->m->bad_buffers, 0);
	virtio_console_destroy(&f->con);
	dm_console_free(f->m);
}

static void single_port(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		char big[300], in[16];
		uint16_t cols = 0, rows = 0;

		setup(&f, version, F(DM_CON_F_SIZE) | F(DM_CON_F_EMERG_WRITE), 1, 2);
		assert_int_equal(virtio_console_init(&f.con, &f.vdev, 1), 0);
		assert_false(f.con.multiport);
		assert_true(f.con.emerg);
		assert_true(f.d->status & DM_S_DRIVER_OK);
		assert_int_equal(virtio_console_write(&f.con, 0, "hello", 5), 5);
		for (unsigned i = 0; i < sizeof(big); i++)
			big[i] = (char)('a' + i % 26);
		/* Longer than one transmit buffer: sent in chunks, in order. */
		assert_int_equal(virtio_console_write(&f.con, 0, big, sizeof(big)), 300);
		assert_int_equal(f.m->out_len[0], 305);
		assert_memory_equal(f.m->out[0], "hello", 5);
		assert_memory_equal(f.m->out[0] + 5, big, 300);
		/* Nothing received yet. */
		assert_int_equal(virtio_console_read(&f.con, 0, in, sizeof(in)), 0);
		/* Many more inputs than receive buffers: each is refilled. */
		for (unsigned i = 0; i < 3 * VIRTIO_CONSOLE_RX_BUFS; i++) {
			char msg[8] = "line-00";

			msg[6] = (char)('0' + i % 10);
			assert_int_equal(dm_console_input(f.m, 0, msg, 7, 7), 0);
			memset(in, 0, sizeof(in));
			assert_int_equal(virtio_console_read(&f.con, 0, in, sizeof(in)), 7);
			assert_memory_equal(in, msg, 7);
		}
		/* Partial reads take the rest later; two buffers join. */
		assert_int_equal(dm_console_input(f.m, 0, "0123456789", 10, 10), 0);
		assert_int_equal(dm_console_input(f.m, 0, "ab", 2, 2), 0);
		assert_int_equal(virtio_console_read(&f.con, 0, in, 4), 4);
		assert_memory_equal(in, "0123", 4);
		assert_int_equal(virtio_console_read(&f.con, 0, in, sizeof(in)), 8);
		assert_memory_equal(in, "456789ab", 8);
		/* Size from the config (SIZE). */
		assert_true(virtio_console_size(&f.con, 0, &cols, &rows));
		assert_int_equal(cols, 80);
		assert_int_equal(rows, 25);
		/* Ports other than 0 do not exist. */
		assert_int_equal(virtio_console_write(&f.con, 1, "x", 1), VIRTIO_EINVAL);
		assert_int_equal(virtio_console_read(&f.con, 1, in, 1), VIRTIO_EINVAL);
		assert_int_equal(virtio_console_poll(&f.con), 0);
		finish(&f);
	}
}

static void emergency_write(void **state)
{
	(void)state;
	struct fixture f;
	uint64_t before;

	setup(&f, 2, F(DM_CON_F_EMERG_WRITE), 1, 2);
	/* Before any initialisation: only a probe. */
	before = f.d->config_writes;
	assert_int_equal(virtio_console_emerg_write(&f.vdev, "SOS", 3), 0);
	assert_int_equal(f.d->config_writes - before, 3);
	assert_int_equal(f.d->config[8], 'S');
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 1), 0);
	assert_int_equal(virtio_console_emerg_write(&f.vdev, "!", 1), 0);
	assert_int_equal(f.d->config[8], '!');
	finish(&f);

	/* Not offered: refused, nothing written. */
	setup(&f, 1, 0, 1, 2);
	before = f.d->config_writes;
	assert_int_equal(virtio_console_emerg_write(&f.vdev, "x", 1), VIRTIO_EUNSUPP);
	assert_int_equal(f.d->config_writes, before);
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 1), 0);
	assert_false(f.con.emerg);
	finish(&f);
}

/* A multiport device offered but the caller wants one port. */
static void multiport_declined(void **state)
{
	(void)state;
	struct fixture f;

	setup(&f, 2, F(DM_CON_F_MULTIPORT), 3, 8);
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 1), 0);
	assert_false(f.d->driver_features & F(DM_CON_F_MULTIPORT));
	assert_false(f.con.multiport);
	assert_int_equal(f.d->q[2].num, 0); /* no control queue set up */
	assert_int_equal(virtio_console_write(&f.con, 0, "p0", 2), 2);
	assert_int_equal(f.m->out_len[0], 2);
	assert_int_equal(f.m->nlog, 0);
	finish(&f);
}

static void add_ports(struct fixture *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(dm_console_ctrl(f->m, i, DM_CON_PORT_ADD, 0, NULL, 0), 0);
	assert_int_equal(virtio_console_poll(&f->con), (int)n);
}

static void multiport(void **state)
{
	(void)state;
	for (uint32_t version = 1; version <= 2; version++) {
		struct fixture f;
		const struct dm_con_msg *m;
		uint8_t resize[4] = { 132, 0, 43, 0 };
		char in[16];
		uint16_t cols, rows;

		setup(&f, version, F(DM_CON_F_MULTIPORT) | F(DM_CON_F_SIZE), 3, 8);
		assert_int_equal(virtio_console_init(&f.con, &f.vdev, 3), 0);
		assert_true(f.con.multiport);
		assert_int_equal(f.con.nr_ports, 3);
		/* 5.3.6.2.2: DEVICE_READY with value 1 first. */
		assert_int_equal(f.m->nlog, 1);
		assert_int_equal(f.m->log[0].event, DM_CON_DEVICE_READY);
		assert_int_equal(f.m->log[0].value, 1);
		/* No port before the device adds it. */
		assert_int_equal(virtio_console_write(&f.con, 0, "x", 1), VIRTIO_EINVAL);
		add_ports(&f, 3);
		for (unsigned i = 0; i < 3; i++) {
			m = dm_console_last(f.m, DM_CON_PORT_READY, i);
			assert_non_null(m);
			assert_int_equal(m->value, 1);
			assert_true(f.con.port[i].present);
		}
		/* Console port: the driver answers PORT_OPEN 1. */
		assert_int_equal(dm_console_ctrl(f.m, 0, DM_CON_CONSOLE_PORT, 1, NULL, 0), 0);
		assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_NAME, 0, "org.test.one", 12), 0);
		assert_int_equal(dm_console_ctrl(f.m, 2, DM_CON_PORT_NAME, 0, "org.test.two", 12), 0);
		assert_int_equal(dm_console_ctrl(f.m, 2, DM_CON_PORT_OPEN, 1, NULL, 0), 0);
		assert_int_equal(dm_console_ctrl(f.m, 0, DM_CON_RESIZE, 0, resize, 4), 0);
		assert_int_equal(virtio_console_poll(&f.con), 5);
		assert_int_equal(f.con.bad_ctrl, 0);
		m = dm_console_last(f.m, DM_CON_PORT_OPEN, 0);
		assert_non_null(m);
		assert_int_equal(m->value, 1);
		assert_true(f.con.port[0].console);
		assert_int_equal(virtio_console_find(&f.con, "org.test.one"), 1);
		assert_int_equal(virtio_console_find(&f.con, "org.test.two"), 2);
		assert_int_equal(virtio_console_find(&f.con, "org.test"), -1);
		assert_true(f.con.port[2].host_open);
		assert_false(f.con.port[1].host_open);
		/* RESIZE wins over the config size for port 0. */
		assert_true(virtio_console_size(&f.con, 0, &cols, &rows));
		assert_int_equal(cols, 132);
		assert_int_equal(rows, 43);
		/* Each port has its own queues. */
		assert_int_equal(virtio_console_write(&f.con, 1, "one", 3), 3);
		assert_int_equal(virtio_console_write(&f.con, 2, "two!", 4), 4);
		assert_int_equal(virtio_console_write(&f.con, 0, "zero", 4), 4);
		assert_int_equal(f.m->out_len[1], 3);
		assert_int_equal(f.m->out_len[2], 4);
		assert_memory_equal(f.m->out[0], "zero", 4);
		assert_memory_equal(f.m->out[2], "two!", 4);
		assert_int_equal(dm_console_input(f.m, 2, "in2", 3, 3), 0);
		assert_int_equal(virtio_console_read(&f.con, 1, in, sizeof(in)), 0);
		assert_int_equal(virtio_console_read(&f.con, 2, in, sizeof(in)), 3);
		assert_memory_equal(in, "in2", 3);
		/* Our side of a generic port opens on request, and the
		 * receive queue is notified so that a device holding input
		 * back until then (QEMU) looks at the buffers again. */
		uint64_t notifies = f.d->q[4].notifies;

		assert_int_equal(virtio_console_open(&f.con, 1, true), 0);
		assert_int_equal(f.d->q[4].notifies, notifies + 1);
		m = dm_console_last(f.m, DM_CON_PORT_OPEN, 1);
		assert_non_null(m);
		assert_int_equal(m->value, 1);
		/* Removal: the port and its name are gone. */
		assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_REMOVE, 0, NULL, 0), 0);
		assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_OPEN, 0, NULL, 0), 0);
		assert_int_equal(virtio_console_poll(&f.con), 2);
		assert_int_equal(f.con.ctrl_ignored, 1);
		assert_int_equal(virtio_console_find(&f.con, "org.test.one"), -1);
		assert_int_equal(virtio_console_write(&f.con, 1, "x", 1), VIRTIO_EINVAL);
		/* Hot-plug again. */
		assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_ADD, 0, NULL, 0), 0);
		assert_int_equal(virtio_console_poll(&f.con), 1);
		assert_int_equal(dm_console_count(f.m, DM_CON_PORT_READY, 1), 2);
		assert_int_equal(virtio_console_write(&f.con, 1, "!", 1), 1);
		assert_int_equal(f.con.bad_ctrl, 0);
		finish(&f);
	}
}

static void hostile_control(void **state)
{
	(void)state;
	struct fixture f;
	char name[200];
	uint8_t raw[8] = { 1, 0, 0, 0, DM_CON_PORT_ADD, 0, 0, 0 };
	unsigned bad = 0, readies;

	setup(&f, 2, F(DM_CON_F_MULTIPORT), 3, 8);
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 3), 0);
	readies = dm_console_count(f.m, DM_CON_PORT_READY, -1);
	/* Port ids at or past max_nr_ports: dropped, never answered. */
	assert_int_equal(dm_console_ctrl(f.m, 3, DM_CON_PORT_ADD, 0, NULL, 0), 0);
	assert_int_equal(dm_console_ctrl(f.m, 0xffffffffu, DM_CON_PORT_ADD, 0, NULL, 0), 0);
	assert_int_equal(dm_console_ctrl(f.m, 0x80000000u, DM_CON_PORT_NAME, 0, "x", 1), 0);
	bad += 3;
	/* Events a device never sends, and unknown ones. */
	assert_int_equal(dm_console_ctrl(f.m, 0, DM_CON_DEVICE_READY, 1, NULL, 0), 0);
	assert_int_equal(dm_console_ctrl(f.m, 0, DM_CON_PORT_READY, 1, NULL, 0), 0);
	assert_int_equal(dm_console_ctrl(f.m, 0, 8, 0, NULL, 0), 0);
	assert_int_equal(dm_console_ctrl(f.m, 0, 0xffff, 0, NULL, 0), 0);
	bad += 4;
	/* Events for a port never added: removing it is a lie, the others
	 * are dropped without blame (late messages for a removed port). */
	assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_CONSOLE_PORT, 1, NULL, 0), 0);
	assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_NAME, 0, "ghost", 5), 0);
	assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_REMOVE, 0, NULL, 0), 0);
	bad += 1;
	/* A message shorter than its header (id and event of a PORT_ADD
	 * are there, value is not). */
	assert_int_equal(dm_console_ctrl_raw(f.m, raw, 8, 6), 0);
	assert_int_equal(dm_console_ctrl_raw(f.m, raw, 8, 0), 0);
	bad += 2;
	assert_int_equal(virtio_console_poll(&f.con), 12);
	assert_int_equal(f.con.bad_ctrl, bad);
	assert_int_equal(f.con.ctrl_ignored, 2);
	assert_int_equal(dm_console_count(f.m, DM_CON_PORT_READY, -1), readies);
	assert_int_equal(dm_console_count(f.m, DM_CON_PORT_OPEN, -1), 0);
	assert_int_equal(virtio_console_find(&f.con, "ghost"), -1);
	/* Added twice; bad open value; resize without its sizes. */
	add_ports(&f, 2);
	assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_ADD, 0, NULL, 0), 0);
	assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_OPEN, 7, NULL, 0), 0);
	assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_RESIZE, 0, "\x01\x00", 2), 0);
	bad += 3;
	/* A name longer than we keep, one with control bytes, one with a NUL. */
	memset(name, 'n', sizeof(name));
	assert_int_equal(dm_console_ctrl(f.m, 0, DM_CON_PORT_NAME, 0, name, sizeof(name)), 0);
	assert_int_equal(virtio_console_poll(&f.con), 4);
	assert_int_equal(f.con.bad_ctrl, bad);
	assert_int_equal(dm_console_count(f.m, DM_CON_PORT_READY, 1), 1);
	assert_false(f.con.port[1].host_open);
	assert_int_equal(strlen(f.con.port[0].name), VIRTIO_CONSOLE_NAME_MAX);
	assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_NAME, 0, "a\x1b[2Jb\xc3\xa9", 8), 0);
	assert_int_equal(dm_console_ctrl(f.m, 0, DM_CON_PORT_NAME, 0, "ab\0cd", 5), 0);
	assert_int_equal(virtio_console_poll(&f.con), 2);
	assert_string_equal(f.con.port[1].name, "a?[2Jb??");
	assert_string_equal(f.con.port[0].name, "ab");
	/* The driver still works. */
	assert_int_equal(virtio_console_write(&f.con, 1, "ok", 2), 2);
	assert_int_equal(f.m->out_len[1], 2);
	/* A used length past the buffer breaks the control queue. */
	dm_queue_hostile(f.d, 2, DM_HOSTILE_LEN_TOO_BIG, 1);
	assert_int_equal(dm_console_ctrl(f.m, 1, DM_CON_PORT_OPEN, 1, NULL, 0), 0);
	assert_int_equal(virtio_console_poll(&f.con), VIRTIO_EUSEDLEN);
	assert_int_equal(virtio_console_poll(&f.con), VIRTIO_EBROKEN);
	assert_false(f.con.port[1].host_open);
	finish(&f);
}

/* More ports on the device than the platform bound: the driver says no. */
static void port_bound(void **state)
{
	(void)state;
	struct fixture f;
	const struct dm_con_msg *m;

	setup(&f, 2, F(DM_CON_F_MULTIPORT), 3, 8);
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 2), 0);
	assert_int_equal(f.con.nr_ports, 2);
	assert_int_equal(f.d->q[6].num, 0); /* port 2's queues never set up */
	add_ports(&f, 3);
	m = dm_console_last(f.m, DM_CON_PORT_READY, 2);
	assert_non_null(m);
	assert_int_equal(m->value, 0);
	assert_int_equal(dm_console_ctrl(f.m, 2, DM_CON_PORT_NAME, 0, "far", 3), 0);
	assert_int_equal(virtio_console_poll(&f.con), 1);
	assert_int_equal(virtio_console_find(&f.con, "far"), -1);
	assert_int_equal(virtio_console_write(&f.con, 2, "x", 1), VIRTIO_EINVAL);
	assert_int_equal(f.con.bad_ctrl, 0);
	finish(&f);

	/* A device claiming 2^32-1 ports gets the bound. */
	setup(&f, 1, F(DM_CON_F_MULTIPORT), 0xffffffffu, 8);
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 3), 0);
	assert_int_equal(f.con.nr_ports, 3);
	assert_int_equal(f.con.max_nr_ports, 0xffffffffu);
	add_ports(&f, 3);
	assert_int_equal(dm_console_ctrl(f.m, 1000, DM_CON_PORT_ADD, 0, NULL, 0), 0);
	assert_int_equal(virtio_console_poll(&f.con), 1);
	m = dm_console_last(f.m, DM_CON_PORT_READY, 1000);
	assert_non_null(m);
	assert_int_equal(m->value, 0);
	finish(&f);

	/* No ports at all is a lie: init fails with FAILED set. */
	setup(&f, 2, F(DM_CON_F_MULTIPORT), 0, 8);
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 3), VIRTIO_ECONFIG);
	assert_true(f.d->status & DM_S_FAILED);
	finish(&f);
}

static void hostile_data(void **state)
{
	(void)state;
	struct fixture f;
	char in[256];

	setup(&f, 2, 0, 1, 2);
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 1), 0);
	/* Used length 0: nothing to read, the buffer comes back. */
	for (unsigned i = 0; i < 2 * VIRTIO_CONSOLE_RX_BUFS; i++) {
		assert_int_equal(dm_console_input(f.m, 0, "zz", 2, 0), 0);
		assert_int_equal(virtio_console_read(&f.con, 0, in, sizeof(in)), 0);
	}
	assert_int_equal(dm_console_input(f.m, 0, "ok", 2, 2), 0);
	assert_int_equal(virtio_console_read(&f.con, 0, in, sizeof(in)), 2);
	/* More than the buffer holds: the queue refuses it. */
	assert_int_equal(dm_console_input(f.m, 0, "x", 1, VIRTIO_CONSOLE_BUF_SIZE + 1), 0);
	assert_int_equal(virtio_console_read(&f.con, 0, in, sizeof(in)), VIRTIO_EUSEDLEN);
	assert_int_equal(virtio_console_read(&f.con, 0, in, sizeof(in)), VIRTIO_EBROKEN);
	finish(&f);

	/* UINT32_MAX as used length. */
	setup(&f, 1, 0, 1, 2);
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 1), 0);
	assert_int_equal(dm_console_input(f.m, 0, "x", 1, UINT32_MAX), 0);
	assert_int_equal(virtio_console_read(&f.con, 0, in, sizeof(in)), VIRTIO_EUSEDLEN);
	finish(&f);
}

/* A device that never takes output: bounded wait, buffer not reused. */
static void tx_stall(void **state)
{
	(void)state;
	struct fixture f;

	setup(&f, 2, 0, 1, 2);
	assert_int_equal(virtio_console_init(&f.con, &f.vdev, 1), 0);
	f.m->tx_stall = true;
	virtio_host_time_set_autostep(100000);
	assert_int_equal(virtio_console_write(&f.con, 0, "lost", 4), VIRTIO_ETIMEDOUT);
	assert_int_equal(virtio_console_write(&f.con, 0, "busy", 4), VIRTIO_ETIMEDOUT);
	assert_int_equal(dm_queue_held(f.d, 1), 1); /* only the first went out */
	/* The device catches up: the next write goes through. */
	f.m->tx_stall = false;
	assert_true(dm_queue_complete(f.d, 1, 0) >= 0);
	assert_int_equal(virtio_console_write(&f.con, 0, "next", 4), 4);
	assert_int_equal(f.m->out_len[0], 8);
	assert_memory_equal(f.m->out[0], "lostnext", 8);
	virtio_host_time_set_autostep(0);
	finish(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(single_port, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(emergency_write, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(multiport_declined, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(multiport, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(hostile_control, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(port_bound, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(hostile_data, vt_setup, vt_teardown),
		cmocka_unit_test_setup_teardown(tx_stall, vt_setup, vt_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
