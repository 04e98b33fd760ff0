/*
 * strpool.h - interned strings: each distinct string is stored once, so
 * equal strings are equal pointers (paths repeat by the thousand in a
 * trace). Strings live until the pool is freed.
 */
#ifndef SW_COLLECTOR_STRPOOL_H
#define SW_COLLECTOR_STRPOOL_H

#include <stddef.h>

struct sw_strpool;

/* A new empty pool, or NULL if out of memory. */
struct sw_strpool *sw_strpool_new(void);

/* The pool's copy of the len bytes at s (NUL-terminated; s need not be,
 * and an embedded NUL ends the string); NULL if out of memory. */
const char *sw_strpool_intern(struct sw_strpool *p, const char *s, size_t len);

/* Free the pool and every string in it (NULL is fine). */
void sw_strpool_free(struct sw_strpool *p);

#endif
