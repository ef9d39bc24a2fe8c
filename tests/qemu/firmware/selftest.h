/*
 * Shared by the self-test firmware's core (main.c) and its per-driver test
 * files (selftest_<device>.c). A driver's tests register a
 * struct selftest_driver named selftest_<device>; main.c lists those names
 * as weak symbols, so a build without a driver's file reports its devices
 * as having no driver.
 */
#ifndef SELFTEST_H
#define SELFTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <virtio/names.h>
#include <virtio/spec.h>
#include <virtio/transport.h>
#include <virtio/virtio.h>

#include "board.h"

/* Exit codes (the port uses BOARD_EXIT_TRAP for exceptions). */
#define EXIT_PASS 0
#define EXIT_TESTS_FAILED 1
#define EXIT_OUT_OF_MEMORY 2

struct selftest_driver {
	uint32_t device_id;
	/* Called during the scan for each device of this id, in slot order;
	 * dev is a probed device the driver may copy and initialise. */
	void (*attach)(unsigned slot, const struct virtio_device *dev);
	/* Runs the tests of every attached device, after the scan. */
	void (*run)(void);
};

/* Prints one RESULT line and counts it. */
void selftest_result(const char *dev, unsigned index, const char *test, bool pass,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Prints a FEATURES line: the bits and their names. */
void selftest_print_features(unsigned slot, const char *what, uint32_t id, uint64_t bits);
/* Prints a SKIP line for a device that is left alone, and counts it. */
void selftest_skip(unsigned slot, uint32_t id, const char *reason);

#endif /* SELFTEST_H */
