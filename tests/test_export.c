/*
 * test_export.c - `syswatch export`: the Chrome/Perfetto trace-event JSON
 * parses back and has what the viewers need (fields per event type, exact
 * times, tracks that nest, paired flows, one slice per call, wait and
 * hold), and the HTML page is one self-contained file whose embedded data
 * is the analysis, safe against hostile paths. The trace is the synthetic
 * import convoy of export_scenario.h, written and read back through the
 * trace file, as `syswatch export` reads it.
 */
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "evtrace.h"
#include "export.h"
#include "export_scenario.h"
#include "locks.h"
#include "locks_report.h"

#define THREADS 12
#define MODULES 4

static struct {
	char trace[64];
	char out[64];
	struct sw_model m;
	struct sw_evtrace tr;
	struct sw_locks l;
	char *doc;      /* the last export */
	size_t len;
	json_object *j; /* the last export, parsed */
} tb;

static void setup(void)
{
	memset(&tb, 0, sizeof(tb));
	snprintf(tb.trace, sizeof(tb.trace), "/tmp/sw_test_export_XXXXXX");
	int fd = mkstemp(tb.trace);
	cr_assert_geq(fd, 0);
	close(fd);
	char err[256] = "";
	cr_assert_eq(exs_write(tb.trace, THREADS, MODULES, err, sizeof(err)), 0, "%s", err);
	FILE *f = fopen(tb.trace, "re");
	cr_assert_not_null(f);
	sw_model_init(&tb.m);
	cr_assert_eq(sw_evtrace_read(f, &tb.m, &tb.tr, err, sizeof(err)), 0, "%s", err);
	fclose(f);
	cr_assert_eq(sw_locks_analyse(&tb.tr, &tb.l), 0);
}

static void teardown(void)
{
	json_object_put(tb.j);
	free(tb.doc);
	sw_locks_free(&tb.l);
	sw_evtrace_free(&tb.tr);
	sw_model_free(&tb.m);
	unlink(tb.trace);
	if (tb.out[0])
		unlink(tb.out);
}

TestSuite(export, .init = setup, .fini = teardown);

/* Export with fn into tb.doc. */
static void export(int (*fn)(FILE *, const struct sw_locks *, const struct sw_model *))
{
	FILE *f = open_memstream(&tb.doc, &tb.len);
	cr_assert_not_null(f);
	cr_assert_eq(fn(f, &tb.l, &tb.m), 0);
	cr_assert_eq(fclose(f), 0);
}

static void export_chrome(void)
{
	export(sw_export_chrome);
	tb.j = json_tokener_parse(tb.doc);
	cr_assert_not_null(tb.j, "the chrome export is not JSON");
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	cr_assert(json_object_object_get_ex(o, key, &v), "no \"%s\" in %s", key,
		  json_object_to_json_string(o));
	return v;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	cr_assert(json_object_is_type(v, json_type_string), "\"%s\" is no string", key);
	return json_object_get_string(v);
}

static double num(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	cr_assert(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int),
		  "\"%s\" is no number", key);
	return json_object_get_double(v);
}

static size_t total_events(void)
{
	size_t n = 0;
	for (size_t t = 0; t < tb.tr.nthreads; t++)
		n += tb.tr.threads[t].nev;
	return n;
}

/* --- chrome ---------------------------------------------------------------- */

struct track {
	int64_t pid, tid;
	double last_ts;          /* of its last X event */
	double open_end[16];     /* ends of the X slices open on it */
	int depth;
};

Test(export, chrome_is_trace_event_json_the_viewers_accept)
{
	export_chrome();
	cr_expect_str_eq(str(tb.j, "displayTimeUnit"), "ns");
	get(get(tb.j, "otherData"), "locks_summary");
	json_object *evs = get(tb.j, "traceEvents");
	cr_assert(json_object_is_type(evs, json_type_array));
	size_t n = json_object_array_length(evs);
	struct track tracks[256];
	size_t ntracks = 0, calls = 0, waits = 0, holds = 0, gaps = 0, meta = 0;
	size_t starts = 0, finishes = 0;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(evs, i);
		const char *ph = str(e, "ph");
		str(e, "name");
		int64_t pid = json_object_get_int64(get(e, "pid"));
		int64_t tid = json_object_get_int64(get(e, "tid"));
		if (!strcmp(ph, "M")) {
			meta++;
			json_object *args = get(e, "args");
			if (!strcmp(str(e, "name"), "thread_name") ||
			    !strcmp(str(e, "name"), "process_name"))
				cr_expect_gt(strlen(str(args, "name")), 0);
			continue;
		}
		double ts = num(e, "ts");
		cr_expect_geq(ts, 0.0, "event %zu: negative ts", i);
		if (!strcmp(ph, "s") || !strcmp(ph, "f")) {
			get(e, "id");
			str(e, "cat");
			if (*ph == 'f') {
				cr_expect_str_eq(str(e, "bp"), "e");
				finishes++;
			} else {
				starts++;
			}
			continue;
		}
		cr_assert_str_eq(ph, "X", "event %zu: unexpected phase %s", i, ph);
		double dur = num(e, "dur");
		cr_expect_geq(dur, 0.0);
		const char *cat = str(e, "cat");
		if (!strcmp(cat, "wait")) {
			waits++;
			json_object *a = get(e, "args");
			str(a, "status");
			str(a, "kind");
			cr_expect_eq(strncmp(str(a, "address"), "0x", 2), 0);
		} else if (!strcmp(cat, "hold")) {
			holds++;
			cr_expect_eq(strncmp(str(e, "name"), "hold ", 5), 0, "%s",
				     str(e, "name"));
		} else if (!strcmp(cat, "gap")) {
			gaps++;
		} else {
			calls++;
			get(get(e, "args"), "result");
		}
		/* X slices of one track start in order and nest */
		size_t k = 0;
		while (k < ntracks && !(tracks[k].pid == pid && tracks[k].tid == tid))
			k++;
		if (k == ntracks) {
			cr_assert_lt(ntracks, 256);
			tracks[ntracks++] = (struct track){.pid = pid, .tid = tid, .last_ts = -1};
		}
		struct track *t = &tracks[k];
		cr_expect_geq(ts, t->last_ts, "track %lld/%lld goes back in time at event %zu",
			      (long long)pid, (long long)tid, i);
		t->last_ts = ts;
		while (t->depth && t->open_end[t->depth - 1] <= ts + 1e-9)
			t->depth--;
		if (t->depth)
			cr_expect_leq(ts + dur, t->open_end[t->depth - 1] + 1e-9,
				      "event %zu overlaps its track's open slice without nesting", i);
		cr_assert_lt(t->depth, 16);
		t->open_end[t->depth++] = ts + dur;
	}
	cr_expect_eq(calls, total_events(), "one slice per recorded call");
	cr_expect_eq(waits, tb.l.nwaits, "one slice per blocked wait");
	cr_expect_eq(holds, tb.l.nholds, "one slice per hold");
	cr_expect_gt(holds, 0);
	cr_expect_eq(gaps, 1, "the dropped stretch");
	cr_expect_geq(meta, 2 * (1 + THREADS), "processes and threads are named");
	size_t woken = 0;
	for (size_t i = 0; i < tb.l.nwaits; i++)
		woken += tb.l.waits[i].waker != SW_NONE;
	cr_expect_eq(starts, woken, "one arrow per woken wait");
	cr_expect_eq(finishes, woken);
}

/* Every flow id has exactly one start and one finish, on the releaser's
 * and the waiter's tracks, the start not after the finish. */
Test(export, chrome_flows_pair_each_release_with_the_wait_it_woke)
{
	export_chrome();
	json_object *evs = get(tb.j, "traceEvents");
	size_t n = json_object_array_length(evs);
	size_t nid = tb.l.nwaits + 2;
	int *s = calloc(nid, sizeof(*s)), *f = calloc(nid, sizeof(*f));
	double *s_ts = calloc(nid, sizeof(double)), *f_ts = calloc(nid, sizeof(double));
	int64_t *s_tid = calloc(nid, sizeof(int64_t)), *f_tid = calloc(nid, sizeof(int64_t));
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(evs, i);
		const char *ph = str(e, "ph");
		if (strcmp(ph, "s") && strcmp(ph, "f"))
			continue;
		uint64_t id = json_object_get_uint64(get(e, "id"));
		cr_assert(id > 0 && id < nid, "flow id %llu", (unsigned long long)id);
		if (*ph == 's') {
			s[id]++;
			s_ts[id] = num(e, "ts");
			s_tid[id] = json_object_get_int64(get(e, "tid"));
		} else {
			f[id]++;
			f_ts[id] = num(e, "ts");
			f_tid[id] = json_object_get_int64(get(e, "tid"));
		}
	}
	size_t pairs = 0;
	for (size_t id = 1; id < nid; id++) {
		cr_expect_eq(s[id], f[id], "flow %zu: %d starts, %d finishes", id, s[id], f[id]);
		cr_expect_leq(s[id], 1);
		if (s[id] && f[id]) {
			pairs++;
			cr_expect_leq(s_ts[id], f_ts[id], "flow %zu goes back in time", id);
			cr_expect_neq(s_tid[id], f_tid[id], "flow %zu stays on one thread", id);
			const struct sw_wait *w = &tb.l.waits[id - 1];
			cr_expect_eq(f_tid[id], tb.tr.threads[w->thread].tid);
			cr_expect_eq(s_tid[id], tb.tr.threads[tb.l.rels[w->waker].thread].tid);
		}
	}
	/* all but the last module's waits, which the dropped events leave
	 * without a waker */
	cr_expect_geq(pairs, (size_t)(THREADS - 1) * (MODULES - 1), "relays are arrows too");
	free(s);
	free(f);
	free(s_ts);
	free(f_ts);
	free(s_tid);
	free(f_tid);
}

/* The first stat of module 1: 10.1 ms after the origin, 1.7 ms long, in
 * microseconds to the nanosecond, with its path and result. */
Test(export, chrome_calls_have_exact_times_and_their_arguments)
{
	export_chrome();
	json_object *evs = get(tb.j, "traceEvents");
	bool found = false;
	for (size_t i = 0; i < json_object_array_length(evs) && !found; i++) {
		json_object *e = json_object_array_get_idx(evs, i);
		if (strcmp(str(e, "ph"), "X") || strcmp(str(e, "name"), "newfstatat"))
			continue;
		json_object *a = get(e, "args");
		if (strcmp(str(a, "path"), "/slow/pkg/mod1.py"))
			continue;
		found = true;
		cr_expect(fabs(num(e, "ts") - 10100.0) < 1e-6, "ts %f", num(e, "ts"));
		cr_expect(fabs(num(e, "dur") - 1700.0) < 1e-6, "dur %f", num(e, "dur"));
		cr_expect_str_eq(str(e, "cat"), "file");
		cr_expect_eq(json_object_get_int64(get(a, "result")), 0);
		cr_expect_eq(json_object_get_int64(get(e, "tid")), EXS_PID);
	}
	cr_expect(found, "no newfstatat slice for mod1.py");
	/* the timed-out wait says so, with its errno */
	bool timed_out = false;
	for (size_t i = 0; i < json_object_array_length(evs); i++) {
		json_object *e = json_object_array_get_idx(evs, i);
		json_object *a;
		if (!json_object_object_get_ex(e, "args", &a))
			continue;
		json_object *st;
		if (json_object_object_get_ex(a, "status", &st) &&
		    !strcmp(json_object_get_string(st), "timed out"))
			timed_out = true;
		json_object *en;
		if (json_object_object_get_ex(a, "errno", &en))
			cr_expect_str_eq(json_object_get_string(en), "ETIMEDOUT");
	}
	cr_expect(timed_out);
}

Test(export, chrome_holds_name_the_module_on_a_track_of_their_own)
{
	export_chrome();
	json_object *evs = get(tb.j, "traceEvents");
	int named = 0;
	bool track_named = false;
	for (size_t i = 0; i < json_object_array_length(evs); i++) {
		json_object *e = json_object_array_get_idx(evs, i);
		const char *ph = str(e, "ph"), *name = str(e, "name");
		int64_t tid = json_object_get_int64(get(e, "tid"));
		if (!strcmp(ph, "X") && !strncmp(name, "hold ", 5)) {
			cr_expect_neq(tid, EXS_PID, "holds do not share the holder's track");
			cr_expect_eq(json_object_get_int64(get(get(e, "args"), "holder_tid")),
				     EXS_PID);
			named += strstr(name, "hold sem 0x") && strstr(name, "(module ");
		}
		if (!strcmp(ph, "M") && !strcmp(name, "thread_name") &&
		    !strcmp(str(get(e, "args"), "name"), "holds of 4000"))
			track_named = true;
	}
	/* the last module's waits are incomplete: no hold is inferred */
	cr_expect_eq(named, MODULES - 1, "each module's hold names it");
	cr_expect(track_named);
}

/* --- html ------------------------------------------------------------------ */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The JSON inside <script type="application/json" id="sw-data">. */
static json_object *page_data(void)
{
	const char *open = "<script type=\"application/json\" id=\"sw-data\">";
	const char *a = strstr(tb.doc, open);
	cr_assert_not_null(a);
	a += strlen(open);
	const char *b = strstr(a, "</script>");
	cr_assert_not_null(b);
	char *text = strndup(a, (size_t)(b - a));
	json_object *d = json_tokener_parse(text);
	free(text);
	cr_assert_not_null(d, "the page's data is not JSON");
	return d;
}

Test(export, html_is_one_self_contained_page)
{
	export(sw_export_html);
	cr_expect_eq(strncmp(tb.doc, "<!DOCTYPE html>", 15), 0);
	cr_expect_not_null(strstr(tb.doc, "</html>"));
	cr_expect_not_null(strstr(tb.doc, "<style>"));
	cr_expect_not_null(strstr(tb.doc, "id=\"chart\""));
	cr_expect_not_null(strstr(tb.doc, "class=\"legend\""));
	/* nothing fetched from anywhere */
	cr_expect_null(strstr(tb.doc, " src="));
	cr_expect_null(strstr(tb.doc, "<link"));
	cr_expect_null(strstr(tb.doc, "@import"));
	cr_expect_null(strstr(tb.doc, "url(http"));
	cr_expect_null(strstr(tb.doc, "fetch("));
	cr_expect_null(strstr(tb.doc, "XMLHttpRequest"));
	/* the hostile path did not end the data element: the page's own two
	 * script elements are the only ones closed */
	cr_expect_eq(count(tb.doc, "</script>"), 2);
	cr_expect_eq(count(tb.doc, "<!--m0"), 0);
}

Test(export, html_carries_the_analysis)
{
	export(sw_export_html);
	json_object *d = page_data();
	tb.j = d;
	char *summary = sw_locks_summary(&tb.l);
	cr_expect_str_eq(str(d, "summary"), summary);
	free(summary);
	const char *head = str(d, "headline");
	cr_expect_not_null(strstr(head, "Most contended lock: sem 0x"), "%s", head);
	cr_expect_not_null(strstr(head, "thread 4000"), "%s", head);
	cr_expect_eq(json_object_array_length(get(d, "threads")), THREADS);
	json_object *holds = get(d, "holds"), *waits = get(d, "waits"), *calls = get(d, "calls");
	cr_expect_eq(json_object_array_length(holds), tb.l.nholds);
	cr_expect_eq(json_object_array_length(waits), tb.l.nwaits);
	/* the holder is the first row */
	json_object *first = json_object_array_get_idx(get(d, "threads"), 0);
	cr_expect_eq(json_object_get_int(json_object_array_get_idx(first, 1)), EXS_PID);
	/* its slow calls are there, with their files, the hostile one intact */
	bool hostile = false;
	size_t file_calls = 0;
	for (size_t i = 0; i < json_object_array_length(calls); i++) {
		json_object *c = json_object_array_get_idx(calls, i);
		cr_expect_eq(json_object_get_int(json_object_array_get_idx(c, 0)), 0);
		const char *cls = json_object_get_string(json_object_array_get_idx(c, 7));
		file_calls += !strcmp(cls, "file") || !strcmp(cls, "desc");
		const char *file = json_object_get_string(json_object_array_get_idx(c, 4));
		if (file && !strcmp(file, "/slow/pkg/</script><!--m0.py"))
			hostile = true;
	}
	cr_expect_eq(file_calls, 4 * (MODULES - 1),
		     "stat, open, read, close of each module with a hold");
	cr_expect(hostile, "the path with </script> is in the data, intact");
	/* a hold names its module; a wait points back at the hold */
	bool module = false;
	for (size_t i = 0; i < json_object_array_length(holds); i++) {
		const char *m = json_object_get_string(
			json_object_array_get_idx(json_object_array_get_idx(holds, i), 4));
		module |= m && strstr(m, "mod2") != NULL;
	}
	cr_expect(module);
	size_t pointing = 0;
	for (size_t i = 0; i < json_object_array_length(waits); i++) {
		json_object *w = json_object_array_get_idx(waits, i);
		int64_t h = json_object_get_int64(json_object_array_get_idx(w, 10));
		cr_expect_lt(h, (int64_t)tb.l.nholds);
		pointing += h >= 0;
	}
	cr_expect_geq(pointing, (size_t)(THREADS - 1) * (MODULES - 1));
}

/* --- the command ------------------------------------------------------------- */

static int run_cli(int argc, char **argv)
{
	struct sw_cli cli;
	char err[256];
	int rc = sw_cli_parse(argc, argv, &cli, err, sizeof(err));
	if (rc < 0)
		return -1;
	return sw_cmd_export(&cli);
}

Test(export, the_command_writes_the_file_it_is_asked_for)
{
	snprintf(tb.out, sizeof(tb.out), "/tmp/sw_test_export_out_XXXXXX.json");
	int fd = mkstemps(tb.out, 5);
	cr_assert_geq(fd, 0);
	close(fd);
	char *argv[] = {"syswatch", "export", "--format", "chrome", "-o", tb.out, tb.trace, NULL};
	cr_assert_eq(run_cli(7, argv), 0);
	tb.j = json_object_from_file(tb.out);
	cr_assert_not_null(tb.j);
	get(tb.j, "traceEvents");
	/* the format follows from the extension when not given */
	char *argv2[] = {"syswatch", "export", "-o", tb.out, tb.trace, NULL};
	cr_expect_eq(run_cli(5, argv2), 0);
	char *argv3[] = {"syswatch", "export", "--format", "svg", tb.trace, NULL};
	cr_expect_eq(run_cli(5, argv3), -1, "an unknown format is bad usage");
	char *argv4[] = {"syswatch", "export", "--format", "html", NULL};
	cr_expect_eq(run_cli(4, argv4), -1, "no trace is bad usage");
	char *argv5[] = {"syswatch", "export", "/nonexistent.trace", NULL};
	cr_expect_eq(run_cli(3, argv5), 2, "no format, no extension to tell it");
	char *argv6[] = {"syswatch", "export", "--format", "html", "/nonexistent.trace", NULL};
	cr_expect_eq(run_cli(5, argv6), 1);
}
