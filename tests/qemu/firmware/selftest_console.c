/*
 * Self-tests of the virtio-console driver (console<i> = i-th console
 * device by slot).
 *
 *   emerg-write   "EMERG console<i>" through emerg_wr, before init (the
 *                 harness finds it in port 0's chardev file)
 * Port 0 alone (no MULTIPORT offered):
 *   write         "HELLO console<i> port0" on port 0
 *   echo          reads one line of input (the harness's chardev input
 *                 file) and writes back "ECHO:<line>"
 * MULTIPORT:
 *   multiport     control queue: the device added port 0 as a console
 *   port<n>-write, port<n>-echo   the same per port the device added
 *   hotplug, unplug   (a port named "vt.hotplug..." says the harness takes
 *                 part) "READY console<i> hotplug": the harness adds a port
 *                 over QMP, we see PORT_ADD + PORT_NAME and write "HOT
 *                 console<i>" to it; "READY console<i> unplug port=<n>":
 *                 the harness removes it, we see PORT_REMOVE
 * Lines for the harness:
 *   CONSOLE slot=<n> multiport=<0|1> max_nr_ports=<m> ports=<p> emerg=<0|1>
 *   PORT console<i> port=<n> name="<name>" console=<0|1> host_open=<0|1>
 */
#include <virtio/drivers/console.h>

#include "selftest.h"

#define MAX_CONSOLES 8
#define LINE_MAX 96
/* How long to wait for input, and for control messages to stop coming. */
#define INPUT_WAIT_US 3000000u
#define CTRL_QUIET_US 300000u
#define HOTPLUG_WAIT_US 10000000u

struct con_slot {
	struct virtio_device dev;
	struct virtio_console con;
	unsigned slot;
	bool ready;
};

static struct con_slot cons[MAX_CONSOLES];
static unsigned n_con;

static unsigned str_len(const char *s)
{
	unsigned n = 0;

	while (s[n])
		n++;
	return n;
}

static int put(struct con_slot *c, uint32_t port, const char *s)
{
	return virtio_console_write(&c->con, port, s, str_len(s));
}

/* One line of input (without the newline), or -1 on timeout / error. */
static int read_line(struct con_slot *c, uint32_t port, char *line, unsigned size)
{
	uint64_t t0 = board_time_us();
	unsigned n = 0;

	while (board_time_us() - t0 < INPUT_WAIT_US) {
		char ch;
		int r = virtio_console_read(&c->con, port, &ch, 1);

		if (r < 0)
			return r;
		if (r == 0) {
			if (c->con.multiport && virtio_console_poll(&c->con) < 0)
				return -1;
			continue;
		}
		if (ch == '\n')
			break;
		if (n + 1 < size && ch >= 0x20 && ch < 0x7f)
			line[n++] = ch;
	}
	line[n] = '\0';
	return n > 0 ? (int)n : -1;
}

static void write_and_echo(unsigned i, uint32_t port, bool named_tests)
{
	struct con_slot *c = &cons[i];
	char msg[LINE_MAX + 16], line[LINE_MAX], test[24];
	int r;

	board_snprintf(msg, sizeof(msg), "HELLO console%u port%u\n", i, (unsigned)port);
	r = put(c, port, msg);
	if (named_tests)
		board_snprintf(test, sizeof(test), "port%u-write", (unsigned)port);
	else
		board_snprintf(test, sizeof(test), "write");
	selftest_result("console", i, test, r == (int)str_len(msg), "%d of %u bytes",
			r, str_len(msg));
	r = read_line(c, port, line, sizeof(line));
	if (named_tests)
		board_snprintf(test, sizeof(test), "port%u-echo", (unsigned)port);
	else
		board_snprintf(test, sizeof(test), "echo");
	if (r < 0) { /* nobody typed: not a fault (a file chardev, a run by hand) */
		board_printf("NOTE console%u %s not run: no input line within %u ms\n", i, test,
			     (unsigned)(INPUT_WAIT_US / 1000));
		return;
	}
	board_snprintf(msg, sizeof(msg), "ECHO:%s\n", line);
	r = put(c, port, msg);
	selftest_result("console", i, test, r == (int)str_len(msg), "echoed \"%s\"", line);
}

/* Takes control messages until none came for CTRL_QUIET_US. */
static int settle(struct con_slot *c)
{
	uint64_t quiet = board_time_us();

	while (board_time_us() - quiet < CTRL_QUIET_US) {
		int r = virtio_console_poll(&c->con);

		if (r < 0)
			return r;
		if (r > 0)
			quiet = board_time_us();
	}
	return 0;
}

static bool has_prefix(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* The first present port with a name starting with `prefix`, or -1. */
static int port_named(const struct virtio_console *con, const char *prefix, int skip)
{
	for (uint32_t p = 0; p < con->nr_ports; p++)
		if (con->port[p].present && (int)p != skip && has_prefix(con->port[p].name, prefix))
			return (int)p;
	return -1;
}

/* The harness adds a port over QMP (PORT_ADD, PORT_NAME) and later
 * removes it (PORT_REMOVE); we wait for each, bounded. */
static void hotplug(unsigned i, int marker)
{
	struct con_slot *c = &cons[i];
	char msg[32];
	uint64_t t0;
	int p = -1, r;

	board_printf("READY console%u hotplug\n", i);
	for (t0 = board_time_us(); board_time_us() - t0 < HOTPLUG_WAIT_US && p < 0;) {
		if ((r = virtio_console_poll(&c->con)) < 0)
			break;
		p = port_named(&c->con, "vt.hot", marker);
	}
	if (p < 0 || settle(c) < 0) {
		selftest_result("console", i, "hotplug", false, "no port added within %u ms",
				HOTPLUG_WAIT_US / 1000);
		return;
	}
	board_snprintf(msg, sizeof(msg), "HOT console%u\n", i);
	r = put(c, (uint32_t)p, msg);
	selftest_result("console", i, "hotplug", r == (int)str_len(msg),
			"port %d \"%s\" added, write -> %d", p, c->con.port[p].name, r);
	board_printf("READY console%u unplug port=%d\n", i, p);
	for (t0 = board_time_us(); board_time_us() - t0 < HOTPLUG_WAIT_US;) {
		if (virtio_console_poll(&c->con) < 0 || !c->con.port[p].present)
			break;
	}
	selftest_result("console", i, "unplug", !c->con.port[p].present && c->con.bad_ctrl == 0,
			"port %d %s, %u control messages rejected, %u for absent ports", p,
			c->con.port[p].present ? "still there" : "removed",
			(unsigned)c->con.bad_ctrl, (unsigned)c->con.ctrl_ignored);
}

static void multiport_tests(unsigned i)
{
	struct con_slot *c = &cons[i];
	struct virtio_console *con = &c->con;
	unsigned present = 0;
	int r = settle(c);

	if (r < 0) {
		selftest_result("console", i, "multiport", false, "control queue: %s (%d)",
				virtio_strerror(r), r);
		return;
	}
	for (uint32_t p = 0; p < con->nr_ports; p++) {
		struct virtio_console_port *pt = &con->port[p];

		if (!pt->present)
			continue;
		present++;
		board_printf("PORT console%u port=%u name=\"%s\" console=%u host_open=%u\n", i,
			     (unsigned)p, pt->name, pt->console ? 1u : 0u, pt->host_open ? 1u : 0u);
	}
	selftest_result("console", i, "multiport",
			con->port[0].present && con->port[0].console && con->bad_ctrl == 0,
			"%u ports, port0 console=%u, %u control messages, %u rejected",
			present, con->port[0].console ? 1u : 0u, (unsigned)con->ctrl_seen,
			(unsigned)con->bad_ctrl);
	for (uint32_t p = 0; p < con->nr_ports; p++) {
		if (!con->port[p].present)
			continue;
		/* The device only sends input to a port we opened. */
		if (!con->port[p].guest_open)
			virtio_console_open(con, p, true);
		write_and_echo(i, p, true);
	}
	r = port_named(con, "vt.hotplug", -1);
	if (r >= 0)
		hotplug(i, r);
}

static void console_attach(unsigned slot, const struct virtio_device *dev)
{
	struct con_slot *c;
	char msg[32];
	int rc, erc;

	if (n_con == MAX_CONSOLES) {
		selftest_skip(slot, dev->device_id, "more-consoles-than-MAX_CONSOLES");
		return;
	}
	c = &cons[n_con];
	c->dev = *dev;
	c->slot = slot;
	/* Emergency write works before any set-up (5.3.5). */
	board_snprintf(msg, sizeof(msg), "EMERG console%u\n", n_con);
	erc = virtio_console_emerg_write(&c->dev, msg, str_len(msg));
	if (erc != VIRTIO_EUNSUPP)
		selftest_result("console", n_con, "emerg-write", erc == 0, "%s (%d)",
				virtio_strerror(erc), erc);
	rc = virtio_console_init(&c->con, &c->dev, VIRTIO_CONSOLE_MAX_PORTS);
	selftest_print_features(slot, "offered", c->dev.device_id, c->dev.offered);
	if (rc != 0) {
		selftest_result("console", n_con, "init", false, "slot %u: %s (%d)", slot,
				virtio_strerror(rc), rc);
		n_con++;
		return;
	}
	selftest_print_features(slot, "negotiated", c->dev.device_id, c->dev.features);
	board_printf("CONSOLE slot=%u multiport=%u max_nr_ports=%u ports=%u emerg=%u\n", slot,
		     c->con.multiport ? 1u : 0u, (unsigned)c->con.max_nr_ports,
		     (unsigned)c->con.nr_ports, c->con.emerg ? 1u : 0u);
	c->ready = true;
	n_con++;
}

static void console_tests(void)
{
	for (unsigned i = 0; i < n_con; i++) {
		if (!cons[i].ready)
			continue;
		if (cons[i].con.multiport)
			multiport_tests(i);
		else
			write_and_echo(i, 0, false);
		virtio_console_destroy(&cons[i].con);
	}
}

const struct selftest_driver selftest_console = {
	.device_id = VIRTIO_ID_CONSOLE,
	.attach = console_attach,
	.run = console_tests,
};
