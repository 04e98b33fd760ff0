/*
 * analysis.h - what the reports beyond the table are made from: the
 * events of a trace, and the lock analysis of those events.
 *
 * The table comes from the counters alone. --locks, --paths, --net,
 * --diagnose and the status selectors need the events too: `syswatch run`
 * keeps them in a trace (a temporary one without --trace) and reads it
 * back after the program ended; `syswatch report` reads them from its
 * trace file directly.
 */
#ifndef SW_COLLECTOR_ANALYSIS_H
#define SW_COLLECTOR_ANALYSIS_H

#include <stdbool.h>
#include <stdio.h>

#include "evtrace.h"
#include "locks.h"
#include "model.h"
#include "output.h"

struct sw_cli;

enum sw_need {
	SW_NEED_EVENTS = 1u << 0, /* the evtrace */
	SW_NEED_LOCKS = 1u << 1,  /* the lock analysis (implies events) */
};

/* What the options in cli need (enum sw_need bits; 0: counters only). */
unsigned sw_analysis_needs(const struct sw_cli *cli);

struct sw_analysis {
	struct sw_model model;  /* the trace's own model (tr refers to it) */
	struct sw_evtrace tr;
	struct sw_locks locks;
	bool have_tr;
	bool have_locks;
};

/* Read the trace in f into a: its model, and the events and the lock
 * analysis when `need` asks for them. 0, or a negative errno with a
 * one-line reason in err; a must be freed with sw_analysis_free() either
 * way. */
int sw_analysis_read(struct sw_analysis *a, FILE *f, unsigned need, char *err,
		     size_t errlen);

/* Read the trace at path for what `need` asks; 0, or -1 after printing
 * one line saying why (and which reports are missing). a must be freed
 * with sw_analysis_free() either way. */
int sw_analysis_load(struct sw_analysis *a, const char *path, unsigned need);

/* Point the report options at what a holds (events, lock analysis; the
 * lock report itself only if print_locks). */
void sw_analysis_opts(const struct sw_analysis *a, bool print_locks,
		      struct sw_report_opts *o);

void sw_analysis_free(struct sw_analysis *a);

#endif
