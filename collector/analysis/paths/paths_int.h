/*
 * paths_int.h - what the --paths files share: the aggregate of the
 * events (paths.c builds it) and the sorted views of it that the text
 * (paths_text.c) and JSON (paths_json.c) printers walk.
 */
#ifndef SW_COLLECTOR_PATHS_INT_H
#define SW_COLLECTOR_PATHS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evtrace.h"
#include "mounts.h"

/* Said with the mounts: the table is the collector's, not the trace's. */
#define SW__PATHS_MOUNTS_NOTE                                              \
	"this machine's /proc/self/mountinfo at report time; for an older " \
	"trace, or one made elsewhere, an approximation"

struct sw__paths_agg {
	uint64_t calls;
	uint64_t errors;
	uint64_t ns; /* time inside the calls */
};

/* Calls of one row (syscall). */
struct sw__paths_bycall {
	uint32_t row;
	struct sw__paths_agg a;
};

struct sw__paths_calls {
	struct sw__paths_bycall *v; /* sorted by calls, most first, once built */
	uint32_t n;
	uint32_t cap;
};

/* A file, a (file, errno), a directory or a mount. */
struct sw__paths_entry {
	const char *path;  /* file or directory (a directory's is a copy) */
	size_t len;        /* directories: length of path */
	uint32_t err;      /* the errno of an error entry, else 0 */
	const struct sw_mount *mount; /* mounts: which, NULL: unknown */
	struct sw__paths_agg a;
	uint64_t files;    /* directories and mounts: distinct files */
	struct sw__paths_calls by;   /* files and errors: per row */
};

/* Entries found by key through open addressing. */
struct sw__paths_set {
	struct sw__paths_entry *v;
	size_t n;
	size_t cap;
	uint32_t *slot;   /* entry index + 1; 0: empty */
	size_t nslots;    /* a power of two, over twice n */
	bool by_content;  /* keys compared (and paths owned) as strings,
			     not as interned pointers */
};

struct sw__paths_report {
	const struct sw_evtrace *t;
	const struct sw_mounts *ms; /* NULL: no mount table */
	struct sw__paths_set files;
	struct sw__paths_set errs;
	struct sw__paths_set dirs;
	struct sw__paths_entry *mounts; /* one per mount of ms, then "unknown" */
	size_t nmounts;
	struct sw__paths_agg total;
};

/* The sorted views the printers walk: entries with calls only. */
struct sw__paths_views {
	struct sw__paths_entry **time, **calls, **errs, **dirs, **mounts;
	size_t nfiles, nerrs, ndirs, nmounts;
};

/* Add b's counts to a. */
static inline void sw__paths_agg_add(struct sw__paths_agg *a, const struct sw__paths_agg *b)
{
	a->calls += b->calls;
	a->errors += b->errors;
	a->ns += b->ns;
}

/* Nanoseconds as seconds. */
static inline double sw__paths_sec(uint64_t ns)
{
	return (double)ns / 1e9;
}

/* Aggregate t's events into r, mounts from ms (NULL: none): 0, or
 * -ENOMEM with r already freed. */
int sw__paths_build(struct sw__paths_report *r, const struct sw_evtrace *t,
		    const struct sw_mounts *ms);

/* Free what sw__paths_build allocated in r. */
void sw__paths_free(struct sw__paths_report *r);

/* Sort r's entries into w (files by time and by calls, errors by count,
 * directories and mounts by time): 0, or -ENOMEM with w already freed. */
int sw__paths_views_make(const struct sw__paths_report *r, struct sw__paths_views *w);

/* Free the arrays of w (not the entries: they are r's). */
void sw__paths_views_free(struct sw__paths_views *w);

/* The name of errno e ("ENOENT"), written into buf (cap bytes) when glibc
 * has none ("errno 4242"). */
const char *sw__paths_errno_name(uint32_t e, char *buf, size_t cap);

#endif
