/*
 * tsc_ref.h - a (TSC, CLOCK_MONOTONIC) pair kept for the rest of the boot.
 *
 * The collector turns TSC ticks into nanoseconds with a rate measured
 * between two (TSC, monotonic) pairs; the estimate is good once they are
 * SW_CAL_MIN_NS apart, so a program shorter than that used to keep its
 * report waiting. Both clocks run on from boot, so a pair taken by any
 * earlier collector of this boot is as good a reference as our own, and
 * far older: the first run of a boot saves its pair in the per-user
 * directory (DESIGN.md, decision 4: mode 0700, ours), later runs start
 * from it and need not wait.
 *
 * A pair stays valid while the machine neither reboots (the boot id
 * changes) nor suspends (CLOCK_MONOTONIC stops, the TSC may not: the gap
 * between CLOCK_BOOTTIME and CLOCK_MONOTONIC grows). The file is still
 * untrusted input: a bad one is ignored, and a run long enough to measure
 * its own rate checks the saved one against it (sw_tsc_cal_check()).
 */
#ifndef SW_COLLECTOR_TSC_REF_H
#define SW_COLLECTOR_TSC_REF_H

#include <stdbool.h>

#include "clock.h"

#define SW_TSC_REF_NAME "tsc-ref" /* in the per-user directory */

/* Adopt the pair saved in dir (the per-user directory) as c's reference
 * when it is from this boot and no suspend came since; true if adopted. */
bool sw_tsc_ref_load(struct sw_tsc_cal *c, const char *dir);

/* Save c's collector-own pair in dir unless a valid pair is saved there
 * already (bad: replace it, the last run found it wrong). Best effort:
 * a failure only means the next short run waits again. */
void sw_tsc_ref_save(const struct sw_tsc_cal *c, const char *dir, bool bad);

#endif
