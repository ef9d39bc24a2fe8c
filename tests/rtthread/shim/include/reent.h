/* picolibc has no <reent.h>. RT-Thread's newlib glue (syscalls.c) only
 * reads and writes the _errno member of the struct it is given. */
#ifndef RTT_SHIM_REENT_H
#define RTT_SHIM_REENT_H

#include <sys/types.h>

struct _reent {
    int _errno;
};

#endif
