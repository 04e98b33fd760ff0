/*
 * net.h - the --net report (placeholder: being written).
 */
#ifndef SW_COLLECTOR_NET_H
#define SW_COLLECTOR_NET_H

#include <json-c/json.h>
#include <stdio.h>

#include "evtrace.h"

/* Print the --net report of the events in t; 0 or a negative errno. */
int sw_net_print(FILE *f, const struct sw_evtrace *t);

/* The same as JSON (for the "net" key), or NULL if out of memory. */
json_object *sw_net_json(const struct sw_evtrace *t);

#endif
