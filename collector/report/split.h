/*
 * split.h - the report split by process or by thread (--per-process,
 * --per-thread): the model keeps every thread's rows, and this folds them
 * into one set of row counters per process (all its images and threads)
 * or per thread (all claims of one pid/tid), for the printers.
 */
#ifndef SW_COLLECTOR_SPLIT_H
#define SW_COLLECTOR_SPLIT_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

/* One part of the report. */
struct sw_split_group {
	int32_t pid;
	int32_t tid;                  /* by thread; else 0 */
	const char *command;          /* the process's newest command */
	const char *name;             /* by thread: the thread's name */
	bool has_exit;                /* by process: exit status known */
	int32_t exit_status;
	int32_t signal;               /* by process: killed by it, or 0 */
	const struct sw_rowstat *sums; /* indexed by row id, m->nrows */
};

/* Call fn for each process (by_thread false), in order of first
 * appearance, or each thread (ordered by pid, then tid). Returns 0,
 * -ENOMEM, or fn's first non-zero return. */
int sw_split_each(const struct sw_model *m, bool by_thread,
		  int (*fn)(void *arg, const struct sw_split_group *g),
		  void *arg);

#endif
