/*
 * clock.h - the shim's timestamp.
 *
 * Measured on this machine (tests/../README "Clock"): clock_gettime(
 * CLOCK_MONOTONIC) through the vDSO costs 23 ns, rdtsc 10 ns. Every
 * recorded call reads the clock twice, so on a syscall loop of ~1 us per
 * call the TSC saves about 3% of the whole budget. The TSC is used when the
 * CPU says it is invariant (CPUID 0x80000007 EDX bit 8: constant rate, runs
 * in every C-state); the shim never calibrates it (that would cost the
 * traced program startup time): the segment header stores one (tsc,
 * monotonic) pair and the collector, which runs anyway, derives the rate
 * from a second pair it takes itself. SYSWATCH_CLOCK=monotonic forces the
 * portable clock.
 */
#ifndef SW_PRELOAD_CLOCK_H
#define SW_PRELOAD_CLOCK_H

#include <stdint.h>
#include <time.h>
#include <x86intrin.h>

extern int sw__use_tsc;

static inline uint64_t sw__mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Current time in ticks (TSC cycles or nanoseconds); signal-safe. */
static inline uint64_t sw__ticks(void)
{
	if (__builtin_expect(sw__use_tsc, 1))
		return __rdtsc();
	return sw__mono_ns();
}

/* Whether this CPU has an invariant TSC. */
int sw__tsc_invariant(void);

#endif
