/*
 * collector/analysis/paths/: the --paths analysis; paths.h is its public
 * header, paths_int.h is private to the folder.
 * May use: trace/, model/, util/ (collector/layers.txt).
 */
/*
 * paths.h - the --paths report: which files and directories the calls
 * touched, how often, how long, how they failed, and on which mounts.
 *
 * Every event that names a file (sw_ev.file: its path made absolute
 * through its dirfd, or the path behind its descriptor) counts for that
 * file: calls, errors, time inside the call, per row. The report lists
 * files by time and by calls (the top ones), every failing (path, errno)
 * with its count and calls (all of them: that list explains "works on my
 * machine"), directories, and mounts with their filesystem type.
 *
 * Mounts come from the collector's own mount table when it reports
 * (/proc/self/mountinfo): for `syswatch report` of an old trace, or one
 * made elsewhere, that is an approximation, and the report says so.
 */
#ifndef SW_COLLECTOR_PATHS_H
#define SW_COLLECTOR_PATHS_H

#include <json-c/json.h>
#include <stdio.h>

#include "evtrace.h"
#include "mounts.h"

/* Print the --paths report of the events in t; 0 or a negative errno. */
int sw_paths_print(FILE *f, const struct sw_evtrace *t);

/* The same as JSON (for the "paths" key), or NULL if out of memory. */
json_object *sw_paths_json(const struct sw_evtrace *t);

/* The same two with the mount table given (tests, tools): ms NULL means
 * no mount table at all (every file on an unknown mount). */
int sw_paths_print_with(FILE *f, const struct sw_evtrace *t,
			const struct sw_mounts *ms);
json_object *sw_paths_json_with(const struct sw_evtrace *t,
				const struct sw_mounts *ms);

#endif
