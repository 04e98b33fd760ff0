/*
 * collector/cmd/: the command line and the commands (run, report, collect,
 * export, list, recover), and main.c. The only folder that uses engine/.
 * May use: every folder below it (collector/layers.txt).
 */
/*
 * commands.h - the commands of the CLI, and what they share.
 */
#ifndef SW_COLLECTOR_COMMANDS_H
#define SW_COLLECTOR_COMMANDS_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "model.h"
#include "output.h"
#include "trace.h"

/* syswatch run: returns the exit status for main(). */
int sw_cmd_run(const struct sw_cli *cli);

/* syswatch report: returns the exit status for main(). */
int sw_cmd_report(const struct sw_cli *cli);

/* syswatch collect: returns the exit status for main(). */
int sw_cmd_collect(const struct sw_cli *cli);

/* syswatch export (export_cmd.c): returns the exit status for main(). */
int sw_cmd_export(const struct sw_cli *cli);

/* syswatch list KIND (list.c): the words bash completion offers. */
int sw_cmd_list(const struct sw_cli *cli);

/* Open the trace file at path for reading; NULL after printing why (it
 * cannot be opened, or it is a directory). */
FILE *sw_trace_fopen(const char *path);

/* Open the report destination: path, or stderr when path is NULL or
 * empty. NULL (after printing why) if it cannot be opened. */
FILE *sw_output_open(const char *path);

/* Write the report of m to out and close out (unless it is stderr);
 * 0, or -1 after printing why. */
int sw_output_finish(FILE *out, const char *path, const struct sw_model *m,
		     const struct sw_report_opts *o);

/* Start a trace at path (if path is non-NULL and non-empty) with m's
 * header; 0 with *tw set (NULL when no trace is wanted), or -1 after
 * printing why. */
int sw_trace_start(const char *path, const struct sw_model *m,
		   struct sw_trace_writer **tw);

/* Write the summary and close the trace; 0, or -1 after printing why. */
int sw_trace_finish(struct sw_trace_writer *tw, const struct sw_model *m);

/* How long to sleep after a pass that consumed `moved` ring bytes, given
 * the previous sleep: short while data flows, backing off to 5 ms. */
uint64_t sw_pace(uint64_t moved, uint64_t prev_ns);

/* Sleep for ns nanoseconds (a signal may cut it short). */
void sw_sleep_ns(uint64_t ns);

/* The value of environment variable name, or NULL if unset or empty. */
const char *sw_env(const char *name);

#endif
