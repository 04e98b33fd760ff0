/*
 * fnnames.c - names of the call ids (see fnnames.h), from the call table
 * plus the few functions the shim wraps by hand.
 */
#include "fnnames.h"

#include <string.h>

#include "syswatch/calls.h"

static const char *const names[SW_FN_COUNT] = {
#define FN_NAME(name, ...) [SW_FN_##name] = #name,
	SW_CALLS(FN_NAME)
	SW_CALLS_LOCK(FN_NAME)
#undef FN_NAME
#define FN_HAND_NAME(name) [SW_FN_##name] = #name,
	SW_CALLS_HAND(FN_HAND_NAME)
#undef FN_HAND_NAME
};

const char *sw_fn_name(uint32_t fn)
{
	return fn < SW_FN_COUNT ? names[fn] : NULL;
}

uint32_t sw_fn_by_name(const char *name)
{
	for (uint32_t i = 0; name && i < SW_FN_COUNT; i++)
		if (names[i] && strcmp(names[i], name) == 0)
			return i;
	return SW_FN_COUNT;
}
