/*
 * filter.h - strace's selectors: which rows (-e trace=SET), which calls
 * (-e status=SET, -z, -Z) and which columns (-U) a report shows.
 *
 * A zeroed struct sw_filter selects everything with the default columns,
 * so a report without selectors is the counters' table, unchanged.
 *
 * Rows are selected from the counters: a row is in or out. Statuses
 * select calls, and the shim's counters do not split a row by status, so
 * a status-filtered table is rebuilt from the events (summary.c): calls
 * and time of the selected statuses only. That is where syswatch differs
 * from strace 6.1, whose -c table ignores status=, -z and -Z (it counts
 * every call whatever the status selects for printing).
 *
 * Classes (%file, %desc, ...) are strace's own, per syscall, from its
 * x86-64 table: they overlap (mmap is %memory and %desc, execve %file and
 * %process). %lock is syswatch's: the rows of the lock class (futex).
 * The library rows (dlopen, system, getaddrinfo) are in no class, since
 * strace cannot see them; they are selected by name, `all`, or a negation.
 */
#ifndef SW_COLLECTOR_FILTER_H
#define SW_COLLECTOR_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "summary.h"
#include "syswatch/rows.h"

/* -e status= values (strace's names). */
enum sw_status {
	SW_ST_SUCCESSFUL = 1u << 0,
	SW_ST_FAILED = 1u << 1,
	SW_ST_UNFINISHED = 1u << 2,  /* never in syswatch: a call returns */
	SW_ST_UNAVAILABLE = 1u << 3, /* never in syswatch */
	SW_ST_DETACHED = 1u << 4,    /* never in syswatch */
	SW_ST_ALL = (1u << 5) - 1,
};

struct sw_filter {
	bool trace_set;              /* -e trace= given (else every row) */
	uint8_t rows[SW_ROW_COUNT];  /* builtin rows (rows.h ids) selected */
	bool others;                 /* rows a trace declares that rows.h
					does not know (a newer syswatch's) */
	bool status_set;             /* -e status=, -z or -Z given */
	unsigned status;             /* enum sw_status bits wanted */
	struct sw_columns cols;      /* -U; n == 0: the default columns */
};

/* Apply one -e EXPR: trace=SET (t=SET), status=SET, or a bare SET (as
 * trace=). The last of each kind wins, as in strace. 0, or -EINVAL with a
 * one-line message in err. */
int sw_filter_expr(struct sw_filter *f, const char *expr, char *err,
		   size_t errlen);

/* -e trace=SET: [!]VALUE[,VALUE...], VALUE a row name, %CLASS, all, none
 * or /REGEX, each optionally preceded by '?' (no error if it matches
 * nothing) and followed by @64 (@32, @x32: nothing on x86-64). */
int sw_filter_trace(struct sw_filter *f, const char *set, char *err,
		    size_t errlen);

/* -e status=SET: [!]successful,failed,unfinished,unavailable,detached,
 * all,none. -z is status=successful, -Z status=failed. */
int sw_filter_status(struct sw_filter *f, const char *set, char *err,
		     size_t errlen);

/* -U COLUMNS: column names (strace's, plus min, max, avg), each once;
 * the name column is added last when missing. */
int sw_filter_columns(struct sw_filter *f, const char *list, char *err,
		      size_t errlen);

/* With -e trace= given, whether at least one selected row is one the
 * wrappers count (the default mode): -EINVAL with a one-line message in
 * err when none is (they are seen only with run --complete), else 0. */
int sw_filter_check_wrapped(const struct sw_filter *f, char *err, size_t errlen);

/* Whether the row called name is selected (f NULL: every row). */
bool sw_filter_row(const struct sw_filter *f, const char *name);

/* Whether f selects calls by status, so the table comes from the events
 * (false for no status selector, or all of successful and failed). */
bool sw_filter_by_status(const struct sw_filter *f);

/* Whether a call that failed (or not) is selected. */
bool sw_filter_call(const struct sw_filter *f, bool failed);

/* The shim's SYSWATCH_ROWS value for f's rows into buf: 1 with the list
 * ("-" when no row is selected: a name no row has), 0 when f selects
 * every row (leave the shim alone), -ENOSPC if cap is too small. */
int sw_filter_shim_rows(const struct sw_filter *f, char *buf, size_t cap);

/* ---- strace's syscall classes (sel_classes.c) ---- */

/* Class bits of strace's syscall table (TD, TF, ...). */
enum sw_sel_class {
	SW_SEL_DESC = 1u << 0,     /* %desc */
	SW_SEL_FILE = 1u << 1,     /* %file */
	SW_SEL_NETWORK = 1u << 2,  /* %network, %net */
	SW_SEL_PROCESS = 1u << 3,  /* %process */
	SW_SEL_SIGNAL = 1u << 4,   /* %signal */
	SW_SEL_IPC = 1u << 5,      /* %ipc */
	SW_SEL_MEMORY = 1u << 6,   /* %memory */
	SW_SEL_CREDS = 1u << 7,    /* %creds */
	SW_SEL_CLOCK = 1u << 8,    /* %clock */
	SW_SEL_PURE = 1u << 9,     /* %pure */
	SW_SEL_STAT = 1u << 10,    /* %stat */
	SW_SEL_LSTAT = 1u << 11,   /* %lstat */
	SW_SEL_FSTAT = 1u << 12,   /* %fstat */
	SW_SEL_STAT_ANY = 1u << 13, /* %%stat */
	SW_SEL_STATFS = 1u << 14,  /* %statfs */
	SW_SEL_FSTATFS = 1u << 15, /* %fstatfs */
	SW_SEL_STATFS_ANY = 1u << 16, /* %%statfs */
};

/* strace's facts about the row called name: its class bits and its
 * x86-64 syscall number (-1 for a library row). 0, or -ENOENT when the
 * row has no entry. */
int sw_sel_lookup(const char *name, unsigned *classes, int *nr);

/* The class bits of a class name without its '%' ("file", "%stat"), or
 * 0 if unknown. legacy: also accept the bare names strace deprecated
 * (-e trace=file). */
unsigned sw_sel_class_parse(const char *name, bool legacy);

/* The i-th class name sw_sel_class_parse knows, without its '%' ("desc",
 * "%stat"), or NULL past the last (%lock is filter.c's own). */
const char *sw_sel_class_name(size_t i);

/* Parse a -S key: any column name of -U (strace's aliases) or none,
 * nothing; -EINVAL if unknown. */
int sw_sort_parse(const char *s, enum sw_sort *out);

/* The column called name[0..len) (strace's -U aliases, plus min, max and
 * avg); -EINVAL if unknown. */
int sw_col_parse(const char *name, size_t len, enum sw_col *out);

/* The i-th name -U and -S accept ("time", "total-time", ...), or NULL
 * past the last: what `syswatch list columns` prints for completion. */
const char *sw_col_name(size_t i);

#endif
