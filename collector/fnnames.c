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
	/* Wrapped by hand (the ids after the table's). A new one without a
	 * name here leaves a NULL, which tests/test_trace.c catches. */
	[SW_FN_dlopen] = "dlopen",
	[SW_FN_exit] = "exit",
	[SW_FN__exit] = "_exit",
	[SW_FN__Exit] = "_Exit",
	[SW_FN_syscall] = "syscall",
	[SW_FN_pthread_exit] = "pthread_exit",
	[SW_FN_fork] = "fork",
	[SW_FN_vfork] = "vfork",
	[SW_FN_execve] = "execve",
	[SW_FN_execv] = "execv",
	[SW_FN_execvp] = "execvp",
	[SW_FN_execvpe] = "execvpe",
	[SW_FN_execl] = "execl",
	[SW_FN_execlp] = "execlp",
	[SW_FN_execle] = "execle",
	[SW_FN_fexecve] = "fexecve",
	[SW_FN_execveat] = "execveat",
	[SW_FN_posix_spawn] = "posix_spawn",
	[SW_FN_posix_spawnp] = "posix_spawnp",
	[SW_FN_system] = "system",
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
