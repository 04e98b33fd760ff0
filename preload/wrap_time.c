/*
 * wrap_time.c - sleeping: so that a lock holder that sleeps shows as
 * sleeping. glibc 2.36 implements all of these with clock_nanosleep.
 */
#include "wrap.h"

SW_CALLS_TIME(SW_WRAP)
