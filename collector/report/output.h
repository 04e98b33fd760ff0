/*
 * collector/report/: the strace -c table and all a report prints: the
 * selectors (filter.h), the summary, the per-process split, the table, the
 * text (output.c) and the JSON (json.c).
 * May use: the analyses, trace/, model/, util/ (collector/layers.txt).
 */
/*
 * output.h - a whole report: the table or JSON, the legend, the warnings.
 */
#ifndef SW_COLLECTOR_OUTPUT_H
#define SW_COLLECTOR_OUTPUT_H

#include <stdio.h>

#include "model.h"
#include "summary.h"

enum sw_format {
	SW_FORMAT_TEXT, /* strace's table */
	SW_FORMAT_JSON, /* one JSON object */
};

struct sw_locks;
struct sw_evtrace;
struct sw_filter;

struct sw_report_opts {
	enum sw_sort sort;     /* -S */
	enum sw_format format; /* --format */
	const struct sw_filter *filter; /* -e trace=/status=, -z, -Z, -U
					   (filter.h), or NULL: everything */
	const struct sw_locks *locks; /* --locks: the lock analysis to report
					 after the table, or NULL */
	bool locks_full;       /* --locks=full, -v: every detail of it */
	bool per_process;      /* --per-process: a table per process */
	bool per_thread;       /* --per-thread: a table per thread */
	bool paths;            /* --paths: the files and directories report */
	bool net;              /* --net: the peers and DNS report */
	bool diagnose;         /* --diagnose: the verdicts in full */
	const struct sw_evtrace *events; /* the trace's events, when one of
					    the reports above needs them */
	const struct sw_locks *lockinfo; /* the lock analysis whether or not
					    it is printed (verdicts use it) */
};

/* Parse a --format value (text, json); -EINVAL if unknown. */
int sw_format_parse(const char *s, enum sw_format *out);

/* Write the report of m to f: the table, then the legend for the kinds of
 * rows present, then the warnings, then the lock report if o->locks (or
 * all of it as JSON); 0, -ENOMEM or -EIO (f could not be written). */
int sw_report_write(FILE *f, const struct sw_model *m,
		    const struct sw_report_opts *o);

/* The warning lines of m ("syswatch: ..."): the collector's own, then the
 * ones derived from the counters (drops, lost threads, nothing seen);
 * *out is malloc'ed (free each line and the array); 0 or -ENOMEM. */
int sw_report_warnings(const struct sw_model *m, char ***out, size_t *n);

#endif
