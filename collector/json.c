/*
 * json.c - the JSON report through json-c.
 *
 *   {"syscalls": [{"name", "calls", "errors", "seconds", "usecs_per_call",
 *                  "min_us", "max_us", "library", "libc_level"}],
 *    "total": {"calls", "errors", "seconds"},
 *    "wall_seconds", "dropped_events", "threads_lost",
 *    "processes": [{"pid", "command", "exe", "threads", "exit_status"}],
 *    "warnings": ["syswatch: ..."]}
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

#include "syswatch/rows.h"
#include "table.h"

/* A double written with at most `decimals` decimals, trailing zeros cut. */
static json_object *num(double v, int decimals)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf) - 1;
		while (end > dot + 1 && *end == '0')
			*end-- = '\0';
	}
	return json_object_new_double_s(v, buf);
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2
		 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (n == 2 && s[0] < 0xc2)
		return 0; /* overlong */
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* A JSON string from bytes that may not be UTF-8 (a command name, a path):
 * invalid bytes become '?', so the document stays valid JSON. */
static json_object *str(const char *s)
{
	size_t len = strlen(s);
	char *copy = malloc(len + 1);
	if (!copy)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0) {
			copy[o++] = '?';
			p++;
			continue;
		}
		memcpy(copy + o, p, n);
		o += n;
		p += n;
	}
	copy[o] = '\0';
	json_object *j = json_object_new_string(copy);
	free(copy);
	return j;
}

/* Add key → val to obj; false (and val freed) on failure. */
static bool put(json_object *obj, const char *key, json_object *val)
{
	if (!val)
		return false;
	if (json_object_object_add(obj, key, val) != 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

static bool push(json_object *arr, json_object *val)
{
	if (!val)
		return false;
	if (json_object_array_add(arr, val) != 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

static json_object *row_obj(const struct sw_line *l)
{
	const struct sw_rowstat *st = l->st;
	uint64_t timed = sw_timed_calls(st->calls, st->untimed);
	bool has_min = timed && st->min_ns != SW_NO_MIN;
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	bool ok = put(o, "name", json_object_new_string(l->name)) &&
		  put(o, "calls", json_object_new_uint64(st->calls)) &&
		  put(o, "errors", json_object_new_uint64(st->errors)) &&
		  put(o, "seconds", num(sw_ns_to_sec(st->total_ns), 6)) &&
		  put(o, "usecs_per_call",
		      num(timed ? (double)st->total_ns / 1e3 / (double)timed
				: 0.0,
			  3)) &&
		  put(o, "min_us", num(has_min ? st->min_ns / 1e3 : 0.0, 3)) &&
		  put(o, "max_us", num(has_min ? st->max_ns / 1e3 : 0.0, 3)) &&
		  put(o, "library", json_object_new_boolean(
					    (l->flags & SW_ROWF_LIBRARY) != 0)) &&
		  put(o, "libc_level", json_object_new_boolean(
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
	bool ok = put(o, "pid", json_object_new_int(p->pid)) &&
		  put(o, "command", str(p->command)) &&
		  put(o, "exe", str(p->exe)) &&
		  put(o, "threads", json_object_new_uint64(p->threads));
	/* json-c's null is a NULL object: unknown status → null. */
	if (ok && p->has_exit)
		ok = put(o, "exit_status", json_object_new_int(p->exit_status));
	else if (ok)
		ok = json_object_object_add(o, "exit_status", NULL) == 0;
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *build(const struct sw_model *m, const struct sw_summary *s,
			  char *const *warnings, size_t nwarnings)
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
		ok = push(rows, row_obj(&s->lines[i]));
	ok = ok && put(total, "calls", json_object_new_uint64(s->calls)) &&
	     put(total, "errors", json_object_new_uint64(s->errors)) &&
	     put(total, "seconds", num(sw_ns_to_sec(s->total_ns), 6));
	for (size_t i = 0; ok && i < npv; i++)
		ok = push(procs, proc_obj(&pv[i]));
	for (size_t i = 0; ok && i < nwarnings; i++)
		ok = push(warns, str(warnings[i]));
	free(pv);

	if (!root) {
		json_object_put(rows);
		json_object_put(total);
		json_object_put(procs);
		json_object_put(warns);
		return NULL;
	}
	/* put() takes ownership of each part, whether it succeeds or not. */
	ok = put(root, "syscalls", rows) && ok;
	ok = put(root, "total", total) && ok;
	ok = ok && put(root, "wall_seconds", num(sw_ns_to_sec(m->wall_ns), 6)) &&
	     put(root, "dropped_events",
		 json_object_new_uint64(sw_model_dropped_total(m))) &&
	     put(root, "threads_lost",
		 json_object_new_uint64(sw_model_threads_lost(m)));
	ok = put(root, "processes", procs) && ok;
	ok = put(root, "warnings", warns) && ok;
	if (!ok) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

int sw_json_print(FILE *f, const struct sw_model *m, const struct sw_summary *s,
		  char *const *warnings, size_t nwarnings)
{
	json_object *root = build(m, s, warnings, nwarnings);
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
