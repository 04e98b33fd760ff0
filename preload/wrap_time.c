/*
 * wrap_time.c - sleeping: so that a lock holder that sleeps shows as
 * sleeping. glibc 2.36 implements all of these with clock_nanosleep.
 */
#include "wrap.h"

/* clock_settime refuses a bad tv_nsec itself (EINVAL, no syscall). */
int sw__timespec_valid(const struct timespec *ts)
{
	return ts != NULL && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}

SW_CALLS_TIME(SW_WRAP)
