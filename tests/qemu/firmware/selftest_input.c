/*
 * Self-tests of the virtio-input driver.
 *
 * Per device (input<i> = i-th input device by slot), after an INPUT line
 * with what its configuration says:
 *   config    name, serial, device ids, property and event bits read, and
 *             the device told apart as keyboard/mouse/tablet/other
 *   abs-info  (tablets) ABS_X and ABS_Y ranges are non-empty
 *   led       (keyboards) Caps Lock on then off through the statusq
 * Then, with at least one keyboard, the host interaction:
 *   READY input ...            the harness may now inject events
 *   EVENT input<i> <kind> type=<t> code=<c> value=<v>   one per event
 *   events    PASS when Escape was released (the harness's last key),
 *             FAIL after INPUT_WAIT_US without it; a NOTE instead when
 *             no event came within INPUT_FIRST_US (nobody injecting)
 */
#include <virtio/drivers/input.h>

#include "selftest.h"

#define MAX_INPUT 32
#define INPUT_FIRST_US 5000000u /* for the harness's first event (guest time) */
#define INPUT_WAIT_US 20000000u /* for all of them */
#define KEY_ESC 1u              /* evdev code of Escape */

struct input_slot {
	struct virtio_device dev;
	struct virtio_input in;
	unsigned slot;
	bool ready;
};

static struct input_slot inputs[MAX_INPUT];
static unsigned n_input;

/* Printable copy of a device string for a "quoted" field. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == '"')
			*s = '?';
}

static void input_config(unsigned i)
{
	struct input_slot *p = &inputs[i];
	struct virtio_device *dev = &p->dev;
	char name[VIRTIO_INPUT_CFG_U_SIZE + 1], serial[VIRTIO_INPUT_CFG_U_SIZE + 1];
	uint8_t bits[VIRTIO_INPUT_CFG_U_SIZE];
	struct virtio_input_devids ids = {0};
	int nlen = virtio_input_name(dev, name, sizeof(name));
	int slen = virtio_input_serial(dev, serial, sizeof(serial));
	int idrc = virtio_input_devids(dev, &ids);
	int props = virtio_input_prop_bits(dev, bits);
	unsigned nkeys = 0;
	int klen = virtio_input_ev_bits(dev, VIRTIO_INPUT_EV_KEY, bits);

	for (unsigned c = 0; c < VIRTIO_INPUT_CFG_U_SIZE * 8; c++)
		nkeys += virtio_input_bit(bits, klen, c);
	if (nlen < 0)
		name[0] = '\0';
	if (slen < 0)
		serial[0] = '\0';
	sanitize(name);
	sanitize(serial);
	board_printf("INPUT slot=%u name=\"%s\" kind=%s serial=\"%s\" bustype=0x%04x"
		     " vendor=0x%04x product=0x%04x version=0x%04x props=%d ev_types=0x%08x"
		     " keys=%u\n", p->slot, name, virtio_input_kind_name(p->in.kind), serial,
		     ids.bustype, ids.vendor, ids.product, ids.version, props,
		     (unsigned)p->in.ev_types, nkeys);
	selftest_result("input", i, "config",
			nlen > 0 && slen >= 0 && (idrc == 0 || idrc == VIRTIO_EUNSUPP) &&
			props >= 0 && klen >= 0 && p->in.kind != VIRTIO_INPUT_KIND_OTHER,
			"name %d bytes, serial %d, devids %d, kind %s", nlen, slen, idrc,
			virtio_input_kind_name(p->in.kind));
}

static void input_abs_info(unsigned i)
{
	struct virtio_input_absinfo x, y;
	int rx = virtio_input_abs_info(&inputs[i].dev, VIRTIO_INPUT_ABS_X, &x);
	int ry = virtio_input_abs_info(&inputs[i].dev, VIRTIO_INPUT_ABS_Y, &y);

	selftest_result("input", i, "abs-info",
			rx == 0 && ry == 0 && (int32_t)x.max > (int32_t)x.min &&
			(int32_t)y.max > (int32_t)y.min,
			"x %ld..%ld, y %ld..%ld (%d, %d)", (long)(int32_t)x.min,
			(long)(int32_t)x.max, (long)(int32_t)y.min, (long)(int32_t)y.max, rx, ry);
}

static void input_led(unsigned i)
{
	int on = virtio_input_set_led(&inputs[i].in, VIRTIO_INPUT_LED_CAPSL, true);
	int off = virtio_input_set_led(&inputs[i].in, VIRTIO_INPUT_LED_CAPSL, false);

	selftest_result("input", i, "led", on == 0 && off == 0,
			"caps lock on -> %s, off -> %s", virtio_strerror(on),
			virtio_strerror(off));
}

/* Reports every event from every device until Escape is released. */
static void input_events(void)
{
	unsigned keyboards = 0, tablets = 0, mice = 0, n = 0;
	uint64_t start;
	bool done = false;
	int err = 0;

	for (unsigned i = 0; i < n_input; i++) {
		if (!inputs[i].ready)
			continue;
		keyboards += inputs[i].in.kind == VIRTIO_INPUT_KIND_KEYBOARD;
		tablets += inputs[i].in.kind == VIRTIO_INPUT_KIND_TABLET;
		mice += inputs[i].in.kind == VIRTIO_INPUT_KIND_MOUSE;
	}
	if (keyboards == 0)
		return; /* nothing could end the wait */
	board_printf("READY input keyboards=%u tablets=%u mice=%u\n", keyboards, tablets, mice);
	start = board_time_us();
	while (!done && err == 0 && board_time_us() - start < INPUT_WAIT_US &&
	       (n > 0 || board_time_us() - start < INPUT_FIRST_US)) {
		for (unsigned i = 0; i < n_input && err == 0; i++) {
			struct virtio_input_ev ev;
			int r;

			if (!inputs[i].ready)
				continue;
			while ((r = virtio_input_get_event(&inputs[i].in, &ev)) == 1) {
				board_printf("EVENT input%u %s type=%u code=%u value=%ld\n", i,
					     virtio_input_kind_name(inputs[i].in.kind),
					     ev.type, ev.code, (long)(int32_t)ev.value);
				n++;
				if (ev.type == VIRTIO_INPUT_EV_KEY && ev.code == KEY_ESC &&
				    ev.value == 0)
					done = true;
			}
			if (r < 0)
				err = r;
		}
	}
	if (n == 0 && err == 0) {
		/* Nobody injected anything (a run by hand): no verdict; the
		 * harness counts the missing RESULT when it expected one. */
		board_printf("NOTE input0 events not run: no event within %u s"
			     " (the harness injects them after READY)\n",
			     INPUT_FIRST_US / 1000000u);
		return;
	}
	selftest_result("input", 0, "events", done,
			"%u events%s%s", n, done ? ", ended by Escape" : ", no Escape release",
			err ? virtio_strerror(err) : "");
}

static void input_attach(unsigned slot, const struct virtio_device *dev)
{
	struct input_slot *p;
	int rc;

	if (n_input == MAX_INPUT) {
		selftest_skip(slot, dev->device_id, "more-input-devices-than-MAX_INPUT");
		return;
	}
	p = &inputs[n_input];
	p->dev = *dev;
	p->slot = slot;
	rc = virtio_input_init(&p->in, &p->dev);
	selftest_print_features(slot, "offered", p->dev.device_id, p->dev.offered);
	if (rc != 0) {
		selftest_result("input", n_input, "init", false, "slot %u: %s (%d)", slot,
				virtio_strerror(rc), rc);
		n_input++;
		return;
	}
	selftest_print_features(slot, "negotiated", p->dev.device_id, p->dev.features);
	p->ready = true;
	n_input++;
}

static void input_tests(void)
{
	for (unsigned i = 0; i < n_input; i++) {
		if (!inputs[i].ready)
			continue;
		input_config(i);
		if (inputs[i].in.kind == VIRTIO_INPUT_KIND_TABLET)
			input_abs_info(i);
		if (inputs[i].in.kind == VIRTIO_INPUT_KIND_KEYBOARD)
			input_led(i);
	}
	input_events();
	for (unsigned i = n_input; i-- > 0;)
		if (inputs[i].ready)
			virtio_input_destroy(&inputs[i].in);
}

const struct selftest_driver selftest_input = {
	.device_id = VIRTIO_ID_INPUT,
	.attach = input_attach,
	.run = input_tests,
};
