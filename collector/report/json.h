/*
 * json.h - the JSON report (one object; field names are a contract).
 */
#ifndef SW_COLLECTOR_JSON_H
#define SW_COLLECTOR_JSON_H

#include <stdio.h>

#include "model.h"
#include "summary.h"

struct sw_report_opts;
struct sw_verdicts;

/* Print m (rows from s, in s's order, and the given warning lines) as one
 * JSON object and a newline to f, with "locks" and "locks_summary" when
 * o->locks is not NULL (locks_json.c), "per_process" and "per_thread"
 * when asked for, "paths" and "net" with --paths and --net, and always
 * "verdicts"; 0, -ENOMEM or -EIO. */
int sw_json_print(FILE *f, const struct sw_model *m, const struct sw_summary *s,
		  char *const *warnings, size_t nwarnings,
		  const struct sw_verdicts *verdicts,
		  const struct sw_report_opts *o);

#endif
