/*
 * collector/export/: the formats of `syswatch export` (Chrome JSON, HTML).
 * May use: analysis/locks/, trace/, model/, util/ (collector/layers.txt).
 */
/*
 * export.h - `syswatch export`: a trace's timeline for eyes rather than
 * for grep.
 *
 *   chrome   the Chrome/Perfetto trace-event JSON (export_chrome.c): one
 *            track per thread with a slice per recorded call, the blocked
 *            waits as slices around their calls, each root's holds on a
 *            track of their own next to the holder's, and flow arrows from
 *            every release to the wait it woke. Opens in ui.perfetto.dev
 *            and chrome://tracing.
 *   html     one self-contained page (export_html.c, the page itself in
 *            export_html.tmpl.html): the lock timeline, threads as rows,
 *            holds and waits as bars, the holders' slowest calls inside
 *            their holds, and the lock report's summary on top. No network
 *            access needed to view it.
 *
 * Both stream: memory beyond the analysis stays bounded by one event (the
 * page caps how many bars it carries, see export_html.c).
 */
#ifndef SW_COLLECTOR_EXPORT_H
#define SW_COLLECTOR_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "locks.h"
#include "model.h"

enum sw_export_format {
	SW_EXPORT_NONE,   /* not chosen */
	SW_EXPORT_CHROME, /* trace-event JSON */
	SW_EXPORT_HTML,   /* the self-contained page */
};

/* Write the trace-event JSON of l (and its evtrace) to f: 0, -ENOMEM, or
 * -EIO when f could not be written. m gives the command line. */
int sw_export_chrome(FILE *f, const struct sw_locks *l, const struct sw_model *m);

/* Write the HTML timeline of l to f: 0, -ENOMEM or -EIO. */
int sw_export_html(FILE *f, const struct sw_locks *l, const struct sw_model *m);

/* --- shared by the exporters (export.c) ---------------------------------- */

/* The origin of the exported clock: the earliest event or thread start of
 * the trace (0 if it has none), so that times start near zero. */
uint64_t sw__export_origin(const struct sw_evtrace *t);

/* "mutex", "sem", ... and the address: "sem 0x7f3f580675a0". */
void sw__export_prim_name(char *out, size_t cap, const struct sw_prim *p);

/* A hold's label: "hold sem 0x7f... (module slowpkg.mod3)". */
void sw__export_hold_name(char *out, size_t cap, const struct sw_locks *l,
			  const struct sw_hold *h);

/* Name of an event class (enum sw_class): "file", "lock", ...; "other". */
const char *sw__export_class_name(int cls);

/* Holds ordered by (thread, start, longest first): a malloc'ed array of
 * l->nholds indices, or NULL (nholds 0 or out of memory: check nholds). */
uint32_t *sw__export_holds_by_thread(const struct sw_locks *l);

/* One paragraph on the most contended lock (not a condition variable):
 * what it is, who waited how long, and the thread they waited for most
 * ("Most contended lock: sem 0x... in pid 4000 (python3): 31 waits by 31
 * threads, ..."), malloc'ed; NULL if out of memory. */
char *sw__export_headline(const struct sw_locks *l);

/* The command line of m as one string, malloc'ed ("" if none); NULL if
 * out of memory. */
char *sw__export_command(const struct sw_model *m);

#endif
