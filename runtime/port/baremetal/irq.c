/*
 * The port layer's interrupt API (port.h) for the bare-metal ports: a
 * table of device handlers and the wfi-based wait. Interrupt controller,
 * timer and trap entry are the architecture's (irq.h).
 */
#include <virtio/port.h>

#include "board.h"
#include "irq.h"

static struct {
	uint32_t line;
	virtio_port_irq_fn fn;
	void *arg;
} handlers[BAREMETAL_IRQ_SLOTS];
static unsigned n_handlers;
static bool ready;
/* Given by every device handler run, taken by virtio_port_irq_wait. */
static volatile bool woken;
static volatile uint32_t dispatched;

static void init_once(void)
{
	if (!ready) {
		ready = true;
		arch_irq_init();
	}
}

uint32_t board_irq_count(void)
{
	return dispatched;
}

void baremetal_irq_dispatch(uint32_t line)
{
	for (unsigned i = 0; i < n_handlers; i++) {
		if (handlers[i].line == line && handlers[i].fn != 0) {
			dispatched++;
			handlers[i].fn(handlers[i].arg);
			woken = true;
			return;
		}
	}
	/* Not ours (detached meanwhile): keep it quiet from now on. */
	arch_irq_line_enable(line, false);
}

/* The table and the controller's enable bits change with interrupts
 * masked: a handler may disable a line too. */
int virtio_port_irq_attach(uint32_t line, virtio_port_irq_fn fn, void *arg)
{
	unsigned long state;
	unsigned i;

	if (fn == 0 || !arch_irq_line_valid(line))
		return -1;
	init_once();
	state = arch_irq_save();
	for (i = 0; i < n_handlers; i++)
		if (handlers[i].line == line)
			break;
	if (i == n_handlers) {
		if (n_handlers == BAREMETAL_IRQ_SLOTS) {
			arch_irq_restore(state);
			return -1;
		}
		n_handlers++;
	}
	arch_irq_line_enable(line, false);
	handlers[i].line = line;
	handlers[i].fn = fn;
	handlers[i].arg = arg;
	arch_irq_restore(state);
	return 0;
}

void virtio_port_irq_detach(uint32_t line)
{
	unsigned long state;

	if (!arch_irq_line_valid(line))
		return;
	state = arch_irq_save();
	arch_irq_line_enable(line, false);
	for (unsigned i = 0; i < n_handlers; i++) {
		if (handlers[i].line == line) {
			handlers[i] = handlers[--n_handlers];
			break;
		}
	}
	arch_irq_restore(state);
}

static void line_enable(uint32_t line, bool on)
{
	unsigned long state;

	if (!arch_irq_line_valid(line))
		return;
	init_once();
	state = arch_irq_save();
	arch_irq_line_enable(line, on);
	arch_irq_restore(state);
}

void virtio_port_irq_enable(uint32_t line)
{
	line_enable(line, true);
}

void virtio_port_irq_disable(uint32_t line)
{
	line_enable(line, false);
}

/* Call from task context with interrupts enabled (handlers run in it). */
bool virtio_port_irq_wait(uint64_t timeout_us)
{
	uint64_t start = board_time_us();

	init_once();
	for (;;) {
		uint64_t spent;

		/* Masked from the test to the wfi: a handler cannot slip in
		 * between (wfi still wakes on the pending interrupt). */
		arch_irq_mask();
		if (woken) {
			woken = false;
			arch_irq_unmask();
			return true;
		}
		spent = board_time_us() - start;
		if (spent >= timeout_us) {
			arch_irq_unmask();
			return false;
		}
		arch_irq_sleep(timeout_us - spent);
		arch_irq_unmask(); /* the pending handler runs here */
	}
}
