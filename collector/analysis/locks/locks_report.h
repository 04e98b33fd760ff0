/*
 * locks_report.h - the lock report (`--locks`): the plain-language
 * summary, the text report printed after the syscall table, and the
 * "locks" part of the JSON report.
 */
#ifndef SW_COLLECTOR_LOCKS_REPORT_H
#define SW_COLLECTOR_LOCKS_REPORT_H

#include <json-c/json.h>
#include <stdio.h>

#include "locks.h"

#define SW_OUTSIDE_CALLS "outside calls (CPU or untraced)"

/* The last line of a short lock report that left something out. */
#define SW_LOCKS_MORE "(the top locks and blockers only: --locks=full or -v prints them all)"

/* How much of the lock report the text prints (JSON always has it all). */
enum sw_locks_detail {
	SW_LOCKS_SHORT, /* --locks: summary, lock table, top blockers */
	SW_LOCKS_FULL,  /* --locks=full, -v: every detail */
};

/* The one-paragraph summary ("31 threads waited 172.7 s in total (5.4 s
 * wall) on ..."), malloc'ed, without a trailing newline; NULL if out of
 * memory. */
char *sw_locks_summary(const struct sw_locks *l);

/* Print the lock report to f: the summary, the contended locks ranked by
 * total wait with their blockers and what those did, then the condition
 * waits; level cuts the detail (the full level prints every part; the
 * short one prints a subset of its lines, then SW_LOCKS_MORE if it left
 * anything out). 0 or -ENOMEM. */
int sw_locks_print(FILE *f, const struct sw_locks *l, enum sw_locks_detail level);

/* The "locks" array of the JSON report (see locks_json.c for the fields),
 * or NULL if out of memory. */
json_object *sw_locks_json(const struct sw_locks *l);

/* The "locks_summary" object: totals and the summary text; NULL if out
 * of memory. */
json_object *sw_locks_summary_json(const struct sw_locks *l);

/* The verdict on what a holder did (the summary's last words): "the
 * filesystem is the root cause" ...; NULL if nothing dominates. */
const char *sw_locks_verdict(const struct sw_locks *l, const struct sw_activity *act,
			     uint32_t nact, uint64_t outside_ns);

#endif
