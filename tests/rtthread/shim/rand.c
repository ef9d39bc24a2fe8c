/* picolibc keeps rand()'s state in thread-local storage, and RT-Thread never
 * sets up a thread pointer (tpidr_el0 is 0 on aarch64, tp is 0xdeadbeef in
 * every riscv64 thread): rand() faulted at boot. A plain global state,
 * linked before libc, avoids TLS. */
#include <stdlib.h>

static unsigned long long shim_rand_state = 1;

void srand(unsigned int seed)
{
    shim_rand_state = seed;
}

int rand(void)
{
    /* 64-bit LCG (Knuth's MMIX constants), top 31 bits: 0..RAND_MAX. */
    shim_rand_state = shim_rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)(shim_rand_state >> 33);
}
