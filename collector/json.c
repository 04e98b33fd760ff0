/*
 * json.c - the JSON report through json-c.
 *
 *   {"syscalls": [{"name", "calls", "errors", "seconds", "usecs_per_call",
 *                  "min_us", "max_us", "library", "libc_level"}],
 *    "total": {"calls", "errors", "seconds"},
 *    "wall_seconds", "dropped_events", "threads_lost",
 *    "processes": [{"pid", "command", "exe", "threads", "exit_status"}],
 *    "warnings": ["syswatch: ..."],
 *    "locks": [...], "locks_summary": {...}}   (--locks: locks_json.c)
 *
 * Fractional numbers are serialised from a fixed number of decimals
 * (json-c would otherwise print 17 significant digits).
 */
#include "json.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "locks_report.h"
#include "syswatch/rows.h"
#include "table.h"

static json_object *row_obj(const struct sw_line *l)
{
	const struct sw_rowstat *st = l->st;
	uint64_t timed = sw_timed_calls(st->calls, st->untimed);
	bool has_min = timed && st->min_ns != SW_NO_MIN;
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	bool ok = sw_json_put(o, "name", json_object_new_string(l->name)) &&
		  sw_json_put(o, "calls", json_object_new_uint64(st->calls)) &&
		  sw_json_put(o, "errors", json_object_new_uint64(st->errors)) &&
		  sw_json_put(o, "seconds", sw_json_num(sw_ns_to_sec(st->total_ns), 6)) &&
		  sw_json_put(o, "usecs_per_call",
		      sw_json_num(timed ? (double)st->total_ns / 1e3 / (double)timed
				: 0.0,
			  3)) &&
		  sw_json_put(o, "min_us", sw_json_num(has_min ? st->min_ns / 1e3 : 0.0, 3)) &&
		  sw_json_put(o, "max_us", sw_json_num(has_min ? st->max_ns / 1e3 : 0.0, 3)) &&
		  sw_json_put(o, "library", json_object_new_boolean(
					    (l->flags & SW_ROWF_LIBRARY) != 0)) &&
		  sw_json_put(o, "libc_level", json_object_new_boolean(
					       (l->flags & SW_ROWF_LIBC) != 0));
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *proc_obj(const struct sw_proc_view *p)
{
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	bool ok = sw_json_put(o, "pid", json_object_new_int(p->pid)) &&
		  sw_json_put(o, "command", sw_json_str(p->command)) &&
		  sw_json_put(o, "exe", sw_json_str(p->exe)) &&
		  sw_json_put(o, "threads", json_object_new_uint64(p->threads));
	/* json-c's null is a NULL object: unknown status → null. */
	if (ok && p->has_exit)
		ok = sw_json_put(o, "exit_status", json_object_new_int(p->exit_status));
	else if (ok)
		ok = json_object_object_add(o, "exit_status", NULL) == 0;
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *build(const struct sw_model *m, const struct sw_summary *s,
			  char *const *warnings, size_t nwarnings,
			  const struct sw_locks *locks)
{
	json_object *root = json_object_new_object();
	json_object *rows = json_object_new_array();
	json_object *total = json_object_new_object();
	json_object *procs = json_object_new_array();
	json_object *warns = json_object_new_array();
	struct sw_proc_view *pv = NULL;
	size_t npv = 0;
	bool ok = root && rows && total && procs && warns &&
		  sw_model_processes(m, &pv, &npv) == 0;

	for (size_t i = 0; ok && i < s->n; i++)
		ok = sw_json_push(rows, row_obj(&s->lines[i]));
	ok = ok && sw_json_put(total, "calls", json_object_new_uint64(s->calls)) &&
	     sw_json_put(total, "errors", json_object_new_uint64(s->errors)) &&
	     sw_json_put(total, "seconds", sw_json_num(sw_ns_to_sec(s->total_ns), 6));
	for (size_t i = 0; ok && i < npv; i++)
		ok = sw_json_push(procs, proc_obj(&pv[i]));
	for (size_t i = 0; ok && i < nwarnings; i++)
		ok = sw_json_push(warns, sw_json_str(warnings[i]));
	free(pv);

	if (!root) {
		json_object_put(rows);
		json_object_put(total);
		json_object_put(procs);
		json_object_put(warns);
		return NULL;
	}
	/* sw_json_put() takes ownership of each part, whether it succeeds or not. */
	ok = sw_json_put(root, "syscalls", rows) && ok;
	ok = sw_json_put(root, "total", total) && ok;
	ok = ok && sw_json_put(root, "wall_seconds", sw_json_num(sw_ns_to_sec(m->wall_ns), 6)) &&
	     sw_json_put(root, "dropped_events",
		 json_object_new_uint64(sw_model_dropped_total(m))) &&
	     sw_json_put(root, "threads_lost",
		 json_object_new_uint64(sw_model_threads_lost(m)));
	ok = sw_json_put(root, "processes", procs) && ok;
	ok = sw_json_put(root, "warnings", warns) && ok;
	if (locks)
		ok = ok && sw_json_put(root, "locks", sw_locks_json(locks)) &&
		     sw_json_put(root, "locks_summary", sw_locks_summary_json(locks));
	if (!ok) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

int sw_json_print(FILE *f, const struct sw_model *m, const struct sw_summary *s,
		  char *const *warnings, size_t nwarnings, const struct sw_locks *locks)
{
	json_object *root = build(m, s, warnings, nwarnings, locks);
	if (!root)
		return -ENOMEM;
	const char *text = json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = text ? 0 : -ENOMEM;
	if (text)
		fprintf(f, "%s\n", text);
	json_object_put(root);
	if (rc == 0 && ferror(f))
		rc = -EIO;
	return rc;
}
