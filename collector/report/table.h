/*
 * table.h - the text report: strace's `-c -w` table, byte for byte.
 */
#ifndef SW_COLLECTOR_TABLE_H
#define SW_COLLECTOR_TABLE_H

#include <stdio.h>

#include "summary.h"

/* Print the table (header, rule, rows, rule, total) of s to f; 0 or -EIO. */
int sw_table_print(FILE *f, const struct sw_summary *s);

/* Seconds as strace computes them from a timespec (sec + nsec / 1e9). */
double sw_ns_to_sec(uint64_t ns);

/* Microseconds per timed call, truncated as strace does; 0 if none. */
uint64_t sw_usecs_per_call(uint64_t total_ns, uint64_t timed_calls);

#endif
