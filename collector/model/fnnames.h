/*
 * fnnames.h - the names of the call ids (include/syswatch/calls.h), so a
 * trace can say which id meant which call when it was written.
 */
#ifndef SW_COLLECTOR_FNNAMES_H
#define SW_COLLECTOR_FNNAMES_H

#include <stdint.h>

/* The name of call id fn (its C function in the shim), or NULL. */
const char *sw_fn_name(uint32_t fn);

/* The call id named name in this build, or SW_FN_COUNT if none. */
uint32_t sw_fn_by_name(const char *name);

#endif
