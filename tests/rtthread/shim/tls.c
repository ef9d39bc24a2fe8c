/* picolibc keeps errno in thread-local storage, addressed at a fixed offset
 * from the thread pointer (local-exec model), and RT-Thread sets no thread
 * pointer: tpidr_el0 is 0 on aarch64 (unmapped), tp is 0xdeadbeef in every
 * riscv64 thread. Every thread gets the same zeroed block, so errno acts as
 * a plain global, as with a non-reentrant libc. rtt.py checks after the
 * link that the TLS segment fits and has no initialised data. */
#include <rtthread.h>

/* Keep in sync with SHIM_TLS_SIZE in rtt.py. */
#define SHIM_TLS_SIZE 256

static rt_uint8_t shim_tls[SHIM_TLS_SIZE] __attribute__((aligned(64)));

#if defined(__aarch64__)

/* tpidr_el0 is not part of RT-Thread's thread context: set it once. */
static int shim_tls_init(void)
{
    __asm__ volatile ("msr tpidr_el0, %0" : : "r" (shim_tls));
    return 0;
}

#elif defined(__riscv)

#include <stack.h>

#if !defined(RT_USING_HOOK) || !defined(RT_HOOK_USING_FUNC_PTR)
#error "the TLS shim needs RT_USING_HOOK and RT_HOOK_USING_FUNC_PTR"
#endif

/* tp is restored from each thread's initial stack frame: patch the frame
 * of every thread created from now on (all of them: this runs at board
 * init, before the first thread is created). */
static void shim_thread_inited(rt_thread_t thread)
{
    ((struct rt_hw_stack_frame *)thread->sp)->tp = (rt_ubase_t)shim_tls;
}

static int shim_tls_init(void)
{
    __asm__ volatile ("mv tp, %0" : : "r" (shim_tls));
    rt_thread_inited_sethook(shim_thread_inited);
    return 0;
}

#else
#error "tls.c: unknown architecture"
#endif

INIT_BOARD_EXPORT(shim_tls_init);
