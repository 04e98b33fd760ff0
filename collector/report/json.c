/*
 * json.c - the JSON report through json-c.
 *
 *   {"syscalls": [{"name", "calls", "errors", "seconds", "usecs_per_call",
 *                  "min_us", "max_us", "library", "libc_level"}],
 *    "total": {"calls", "errors", "seconds"},
 *    "wall_seconds", "dropped_events", "dropped_by_cause": {"ring_full",
 *    "too_big", "jumped"}, "dropped_by_thread": [{"pid", "tid", "name",
 *    "dropped_events", "by_cause"}], "threads_lost",
 *    "processes": [{"pid", "command", "exe", "threads", "exit_status",
 *                   "signal"}],
 *    "warnings": ["syswatch: ..."],
 *    "untraced_children": [{"pid", "path", "reason"}],
 *    "per_process": [{"pid", "command", "exit_status", "signal", "syscalls",
 *                     "total"}],
 *    "per_thread": [{"pid", "tid", "name", "command", "syscalls", "total"}],
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
#include "net.h"
#include "paths.h"
#include "verdicts.h"
#include "output.h"
#include "split.h"
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

/* "signal": "SIGPIPE" for a process killed by a signal, else null. */
static bool put_signal(json_object *o, int32_t sig)
{
	char buf[16];
	if (sig == 0)
		return sw_json_put_null(o, "signal");
	if (sig == SW_SIGNAL_UNKNOWN)
		return sw_json_put(o, "signal", sw_json_str("unknown"));
	return sw_json_put(o, "signal", sw_json_str(sw_signal_name(sig, buf)));
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
	ok = ok && put_signal(o, p->signal);
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *untraced_arr(const struct sw_model *m)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; a && i < m->nuntraced; i++) {
		const struct sw_untraced *u = &m->untraced[i];
		json_object *o = json_object_new_object();
		bool ok = o && sw_json_put(o, "pid", json_object_new_int(u->pid)) &&
			  sw_json_put(o, "path", sw_json_str(u->path)) &&
			  sw_json_put(o, "reason", sw_json_str(u->reason));
		if (!ok)
			json_object_put(o);
		if (!ok || !sw_json_push(a, o)) {
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

/* "syscalls" and "total" of a summary, into o. */
static bool put_rows(json_object *o, const struct sw_summary *s)
{
	json_object *rows = json_object_new_array();
	json_object *total = json_object_new_object();
	bool ok = rows && total;
	for (size_t i = 0; ok && i < s->n; i++)
		ok = sw_json_push(rows, row_obj(&s->lines[i]));
	ok = ok && sw_json_put(total, "calls", json_object_new_uint64(s->calls)) &&
	     sw_json_put(total, "errors", json_object_new_uint64(s->errors)) &&
	     sw_json_put(total, "seconds", sw_json_num(sw_ns_to_sec(s->total_ns), 6));
	if (!ok) {
		json_object_put(rows);
		json_object_put(total);
		return false;
	}
	ok = sw_json_put(o, "syscalls", rows);
	return sw_json_put(o, "total", total) && ok;
}

struct split_ctx {
	const struct sw_model *m;
	const struct sw_report_opts *o;
	json_object *arr;
};

static int split_one(void *arg, const struct sw_split_group *g)
{
	struct split_ctx *c = arg;
	struct sw_summary s;
	if (sw_summary_select(c->m, g, c->o, &s) < 0)
		return -ENOMEM;
	json_object *o = json_object_new_object();
	bool ok = o && sw_json_put(o, "pid", json_object_new_int(g->pid));
	if (ok && g->tid)
		ok = sw_json_put(o, "tid", json_object_new_int(g->tid)) &&
		     sw_json_put(o, "name", sw_json_str(g->name ? g->name : "")) &&
		     sw_json_put(o, "command", sw_json_str(g->command ? g->command : "?"));
	else if (ok)
		ok = sw_json_put(o, "command", sw_json_str(g->command ? g->command : "?")) &&
		     (g->has_exit ? sw_json_put(o, "exit_status",
						json_object_new_int(g->exit_status))
				  : sw_json_put_null(o, "exit_status")) &&
		     put_signal(o, g->signal);
	ok = ok && put_rows(o, &s);
	sw_summary_free(&s);
	if (!ok)
		json_object_put(o);
	return ok && sw_json_push(c->arr, o) ? 0 : -ENOMEM;
}

static json_object *split_arr(const struct sw_model *m,
			      const struct sw_report_opts *o, bool by_thread)
{
	struct split_ctx c = {m, o, json_object_new_array()};
	if (c.arr && sw_split_each(m, by_thread, split_one, &c) < 0) {
		json_object_put(c.arr);
		return NULL;
	}
	return c.arr;
}

/* Names of the drop causes in JSON (enum sw_drop_cause). */
static const char *const drop_cause_keys[SW_DROP_NCAUSES] = {"ring_full", "too_big",
							       "jumped"};

/* {"ring_full": n, "too_big": n} for one set of counters. */
static json_object *drops_obj(const uint64_t *dropped)
{
	json_object *o = json_object_new_object();
	for (int c = 0; o && c < SW_DROP_NCAUSES; c++)
		if (drop_cause_keys[c] && !sw_json_put(o, drop_cause_keys[c],
						       json_object_new_uint64(dropped[c])))
			return NULL;
	return o;
}

/* Every thread that lost events: who, how many, why. */
static json_object *drops_by_thread(const struct sw_model *m)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; arr && i < m->nthreads; i++) {
		const struct sw_model_thread *t = &m->threads[i];
		uint64_t n = 0;
		for (int c = 0; c < SW_DROP_NCAUSES; c++)
			n += t->dropped[c];
		if (n == 0)
			continue;
		json_object *o = json_object_new_object();
		if (!o || !sw_json_put(o, "pid", json_object_new_int(t->pid)) ||
		    !sw_json_put(o, "tid", json_object_new_int(t->tid)) ||
		    !sw_json_put(o, "name", sw_json_str(t->name)) ||
		    !sw_json_put(o, "dropped_events", json_object_new_uint64(n)) ||
		    !sw_json_put(o, "by_cause", drops_obj(t->dropped)) || !sw_json_push(arr, o)) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static json_object *build(const struct sw_model *m, const struct sw_summary *s,
			  char *const *warnings, size_t nwarnings,
			  const struct sw_verdicts *verdicts,
			  const struct sw_report_opts *o)
{
	const struct sw_locks *locks = o->locks;
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
	     sw_json_put(root, "dropped_by_cause", drops_obj(m->dropped)) &&
	     sw_json_put(root, "dropped_by_thread", drops_by_thread(m)) &&
	     sw_json_put(root, "threads_lost",
		 json_object_new_uint64(sw_model_threads_lost(m)));
	ok = sw_json_put(root, "processes", procs) && ok;
	ok = ok && sw_json_put(root, "mode", json_object_new_string(sw_mode_name(m)));
	ok = sw_json_put(root, "warnings", warns) && ok;
	ok = ok && sw_json_put(root, "untraced_children", untraced_arr(m));
	if (o->per_process)
		ok = ok && sw_json_put(root, "per_process", split_arr(m, o, false));
	if (o->per_thread)
		ok = ok && sw_json_put(root, "per_thread", split_arr(m, o, true));
	if (locks)
		ok = ok && sw_json_put(root, "locks", sw_locks_json(locks)) &&
		     sw_json_put(root, "locks_summary", sw_locks_summary_json(locks));
	if (o->paths && o->events)
		ok = ok && sw_json_put(root, "paths", sw_paths_json(o->events));
	if (o->net && o->events)
		ok = ok && sw_json_put(root, "net", sw_net_json(o->events));
	ok = ok && sw_json_put(root, "verdicts", sw_verdicts_json(verdicts));
	if (!ok) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

int sw_json_print(FILE *f, const struct sw_model *m, const struct sw_summary *s,
		  char *const *warnings, size_t nwarnings,
		  const struct sw_verdicts *verdicts,
		  const struct sw_report_opts *o)
{
	json_object *root = build(m, s, warnings, nwarnings, verdicts, o);
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
