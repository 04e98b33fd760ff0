/*
 * export_scenario.h - a synthetic trace for the export tests: CPython's
 * import convoy in miniature. Thread 1 of pid EXS_PID ("python3") loads
 * nmodules modules from a slow filesystem, one after the other; for each,
 * it initialises the module's semaphore, stats, opens and reads the
 * source, and posts; threads 2 .. nthreads wait on that semaphore from
 * shortly after the init and wake one another in a relay after the post.
 * Module 0's file is named "</script><!--m0.py" on purpose (the HTML page
 * must survive it). Thread 2 also has a condition wait signalled by
 * thread 1, thread 3 a semaphore wait that times out, and the last thread
 * loses two events before its wait on the last module (so that wait is
 * incomplete).
 *
 * Times: the trace starts at EXS_T0 (monotonic ns); module m's window
 * starts at EXS_T0 + m * EXS_MODULE_NS.
 */
#ifndef SW_TESTS_EXPORT_SCENARIO_H
#define SW_TESTS_EXPORT_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#define EXS_PID 4000
#define EXS_T0 1000000000000ull
#define EXS_MODULE_NS 10000000ull /* 10 ms per module */
#define EXS_SEM(m) (0x7f0000001000ull + 0x40 * (uint64_t)(m))
#define EXS_CV 0x7f0000800000ull
#define EXS_TIMED 0x7f0000900000ull

/* Write the trace to path: 0, or a negative errno (err says why). */
int exs_write(const char *path, int nthreads, int nmodules, char *err, size_t errlen);

/* The source path of module m. */
void exs_module_path(char *out, size_t cap, int m);

#endif
