/*
 * paths_json.c - the --paths report as JSON (see paths.h): the "paths"
 * object, every list in the order of the text report.
 */
#include "paths.h"

#include <stdbool.h>

#include "json_util.h"
#include "paths_int.h"

#define SECS(ns) sw_json_num(sw__paths_sec(ns), 6)

/* Put a's calls, errors and seconds into o: false if out of memory. */
static bool put_agg(json_object *o, const struct sw__paths_agg *a)
{
	return sw_json_put(o, "calls", json_object_new_uint64(a->calls)) &&
	       sw_json_put(o, "errors", json_object_new_uint64(a->errors)) &&
	       sw_json_put(o, "seconds", SECS(a->ns));
}

/* {"openat": 3, ...}, most first. */
static json_object *by_call_json(const struct sw__paths_report *r, const struct sw__paths_entry *e)
{
	json_object *o = json_object_new_object();
	bool ok = o != NULL;
	for (uint32_t i = 0; ok && i < e->by.n; i++)
		ok = sw_json_put(o, sw_evtrace_row_name(r->t, e->by.v[i].row),
				 json_object_new_uint64(e->by.v[i].a.calls));
	if (!ok)
		json_object_put(o);
	return ok ? o : NULL;
}

/* A file: path, counts, calls by row. */
static json_object *file_json(const struct sw__paths_report *r, const struct sw__paths_entry *e)
{
	json_object *o = json_object_new_object();
	if (o && sw_json_put(o, "path", sw_json_str(e->path)) && put_agg(o, &e->a) &&
	    sw_json_put(o, "by_call", by_call_json(r, e)))
		return o;
	json_object_put(o);
	return NULL;
}

/* A failing (path, errno): its count, time, and the calls that failed. */
static json_object *error_json(const struct sw__paths_report *r, const struct sw__paths_entry *e)
{
	char eb[32];
	json_object *o = json_object_new_object(), *calls = json_object_new_array();
	const char *en = sw__paths_errno_name(e->err, eb, sizeof(eb));
	bool ok = o && calls && sw_json_put(o, "path", sw_json_str(e->path)) &&
		  sw_json_put(o, "errno", sw_json_str(en)) &&
		  sw_json_put(o, "count", json_object_new_uint64(e->a.calls)) &&
		  sw_json_put(o, "seconds", SECS(e->a.ns));
	for (uint32_t i = 0; ok && i < e->by.n; i++)
		ok = sw_json_push(calls, sw_json_str(sw_evtrace_row_name(r->t, e->by.v[i].row)));
	ok = ok && sw_json_put(o, "calls", calls);
	calls = NULL;
	if (ok && sw_json_put(o, "by_call", by_call_json(r, e)))
		return o;
	json_object_put(calls);
	json_object_put(o);
	return NULL;
}

/* A directory: path, files, counts. */
static json_object *dir_json(const struct sw__paths_report *r, const struct sw__paths_entry *e)
{
	(void)r;
	json_object *o = json_object_new_object();
	if (o && sw_json_put(o, "path", sw_json_str(e->path)) &&
	    sw_json_put(o, "files", json_object_new_uint64(e->files)) && put_agg(o, &e->a))
		return o;
	json_object_put(o);
	return NULL;
}

/* A string or null. */
static bool put_str(json_object *o, const char *key, const char *s)
{
	return s ? sw_json_put(o, key, sw_json_str(s)) : sw_json_put_null(o, key);
}

/* A mount: point, type and source (null: unknown), files, counts. */
static json_object *mount_json(const struct sw__paths_report *r, const struct sw__paths_entry *e)
{
	(void)r;
	const struct sw_mount *m = e->mount;
	json_object *o = json_object_new_object();
	if (o && put_str(o, "mount_point", m ? m->point : NULL) &&
	    put_str(o, "fs_type", m ? m->fstype : NULL) &&
	    put_str(o, "source", m ? m->source : NULL) &&
	    sw_json_put(o, "files", json_object_new_uint64(e->files)) && put_agg(o, &e->a))
		return o;
	json_object_put(o);
	return NULL;
}

/* One entry as JSON (file_json, error_json, ...). */
typedef json_object *(*entry_json_fn)(const struct sw__paths_report *r,
				      const struct sw__paths_entry *e);

/* The n entries of v as a JSON array, each made by one; NULL if out of
 * memory. */
static json_object *list_json(const struct sw__paths_report *r,
			      struct sw__paths_entry *const *v, size_t n, entry_json_fn one)
{
	json_object *a = json_object_new_array();
	bool ok = a != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok = sw_json_push(a, one(r, v[i]));
	if (!ok)
		json_object_put(a);
	return ok ? a : NULL;
}

/* The "paths" object of r, through its views w; NULL if out of memory. */
static json_object *report_json(const struct sw__paths_report *r, const struct sw__paths_views *w)
{
	json_object *o = json_object_new_object(), *total = json_object_new_object();
	bool ok = o && total && sw_json_put(total, "files", json_object_new_uint64(w->nfiles)) &&
		  put_agg(total, &r->total);
	ok = ok && sw_json_put(o, "total", total);
	total = NULL;
	ok = ok && put_str(o, "mount_table", r->ms ? SW__PATHS_MOUNTS_NOTE : NULL) &&
	     sw_json_put(o, "files", list_json(r, w->time, w->nfiles, file_json)) &&
	     sw_json_put(o, "errors", list_json(r, w->errs, w->nerrs, error_json)) &&
	     sw_json_put(o, "directories", list_json(r, w->dirs, w->ndirs, dir_json)) &&
	     sw_json_put(o, "mounts", list_json(r, w->mounts, w->nmounts, mount_json));
	if (ok)
		return o;
	json_object_put(total);
	json_object_put(o);
	return NULL;
}

/* See paths.h. */
json_object *sw_paths_json_with(const struct sw_evtrace *t, const struct sw_mounts *ms)
{
	struct sw__paths_report r;
	struct sw__paths_views w;
	json_object *o = NULL;
	if (sw__paths_build(&r, t, ms) < 0)
		return NULL;
	if (sw__paths_views_make(&r, &w) == 0) {
		o = report_json(&r, &w);
		sw__paths_views_free(&w);
	}
	sw__paths_free(&r);
	return o;
}

/* ---- with this machine's mount table ---- */

/* See paths.h: the same as JSON. */
json_object *sw_paths_json(const struct sw_evtrace *t)
{
	struct sw_mounts ms;
	int rc = sw_mounts_read(NULL, &ms);
	json_object *o = sw_paths_json_with(t, rc == 0 ? &ms : NULL);
	sw_mounts_free(&ms);
	return o;
}
