/*
 * paths.h - the --paths report (placeholder: being written).
 */
#ifndef SW_COLLECTOR_PATHS_H
#define SW_COLLECTOR_PATHS_H

#include <json-c/json.h>
#include <stdio.h>

#include "evtrace.h"

/* Print the --paths report of the events in t; 0 or a negative errno. */
int sw_paths_print(FILE *f, const struct sw_evtrace *t);

/* The same as JSON (for the "paths" key), or NULL if out of memory. */
json_object *sw_paths_json(const struct sw_evtrace *t);

#endif
