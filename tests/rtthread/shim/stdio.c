/* picolibc's tinystdio leaves stdin/stdout/stderr to the system: all three
 * go to the RT-Thread console (output only; msh reads the console itself). */
#include <stdio.h>
#include <rtthread.h>

static int shim_put(char c, FILE *stream)
{
    char s[2] = { c, '\0' };

    (void)stream;
    rt_kputs(s);
    return (unsigned char)c;
}

static int shim_get(FILE *stream)
{
    (void)stream;
    return EOF;
}

static FILE shim_console = FDEV_SETUP_STREAM(shim_put, shim_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &shim_console;
FILE *const stdout = &shim_console;
FILE *const stderr = &shim_console;
