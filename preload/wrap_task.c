/*
 * wrap_task.c - the process's own attributes (SW_CALLS_TASK): ids and
 * credentials, limits, scheduling, host names, randomness.
 *
 * The set*id calls are one syscall each in a single-threaded process; in
 * a threaded one glibc makes every thread repeat the call from a signal
 * handler inside libc, which strace counts and no wrapper sees.
 */
#include "wrap.h"

/* getentropy fails with EIO before any syscall above 256 bytes. */
int sw__getentropy_issues(size_t len)
{
	return len <= 256;
}

SW_CALLS_TASK(SW_WRAP)
