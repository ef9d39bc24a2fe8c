/* picolibc's malloc() takes memory from sbrk() between __heap_start and
 * __heap_end, which RT-Thread's link scripts do not define (the link fails
 * as soon as anything calls malloc()), and RT-Thread's newlib glue only
 * provides newlib's _malloc_r() family, which picolibc never calls. Route
 * the C allocator to RT-Thread's heap: one heap, picolibc's allocator not
 * linked at all (memalign() and friends would pull it in: a link error). */
#include <stddef.h>
#include <rtthread.h>

void *malloc(size_t size)
{
    return rt_malloc(size);
}

void free(void *ptr)
{
    rt_free(ptr);
}

void *calloc(size_t count, size_t size)
{
    return rt_calloc(count, size);
}

void *realloc(void *ptr, size_t size)
{
    return rt_realloc(ptr, size);
}
