/*
 * exit.c - the exit family, wrapped by hand because they never return.
 *
 * exit() only remembers the status: the process really ends after atexit
 * handlers and destructors, and the shim's destructor (init.c) closes the
 * segment then. _exit() and _Exit() skip all of that, so they close it
 * themselves before calling the real function.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <unistd.h>

#include "shim.h"
#include "sys.h"

typedef void (*exit_fn)(int);

__attribute__((noreturn)) static void die_now(unsigned fn, int status)
{
	exit_fn real = (exit_fn)sw__real(fn);
	if (real != NULL)
		real(status);
	for (;;)
		(void)sw__sys1(SYS_exit_group, status);
}

SW_EXPORT void exit(int status)
{
	/* Not in a vfork child: its memory is its parent's. */
	if (sw__g.seg != NULL && sw__g.seg->pid == (int)sw__sys0(SYS_getpid)) {
		sw__g.exit_status = status;
		sw__g.have_exit_status = 1;
	}
	die_now(SW_FN_exit, status);
}

SW_EXPORT void _exit(int status)
{
	sw__process_end(status, 1);
	die_now(SW_FN__exit, status);
}

SW_EXPORT void _Exit(int status)
{
	sw__process_end(status, 1);
	die_now(SW_FN__Exit, status);
}
