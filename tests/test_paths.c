/*
 * test_paths.c - the --paths report on hand-made event streams: counts
 * per file and per call, every failing (path, errno), directories,
 * mounts from a given mount table, paths printed safely, top-N cuts.
 *
 * Events go through sw_evtrace_add and sw_evtrace_end, so files are
 * resolved (dirfd, descriptors) the way a real trace's are.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ev_fixture.h"
#include "evtrace.h"
#include "model.h"
#include "mounts.h"
#include "paths.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"

static struct sw_model m;
static struct sw_evtrace tr;
static struct sw_mounts ms;
static json_object *out;
static uint64_t now = 1000000;

static const char mountinfo[] =
	"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n"
	"2 1 0:20 / /d rw - tmpfs tmpfs rw\n"
	"3 1 0:21 / /dd rw - xfs /dev/sdb rw\n";

static void setup(void)
{
	sw_model_init(&m);
	cr_assert_eq(sw_model_builtin_rows(&m), 0);
	sw_evtrace_init(&tr, &m);
	cr_assert_eq(sw_mounts_parse(mountinfo, strlen(mountinfo), &ms), 0);
}

static void teardown(void)
{
	json_object_put(out);
	sw_mounts_free(&ms);
	sw_evtrace_free(&tr);
	sw_model_free(&m);
}

TestSuite(paths, .init = setup, .fini = teardown);

/* One call by thread 1 of process 100, lasting us microseconds; err 0:
 * it succeeded and returned result. */
static void call(uint32_t row, uint32_t fn, const char *path, int fd, int64_t result,
		 int err, uint64_t us)
{
	struct sw_ev e = evfx_call(&now, row, fn, fd, result, err, us);
	e.path = path;
	cr_assert_eq(sw_evtrace_add(&tr, 100, 0, 1, &e, 1), 0);
}

static void build(void)
{
	cr_assert_eq(sw_evtrace_end(&tr), 0);
	out = sw_paths_json_with(&tr, &ms);
	cr_assert_not_null(out);
}

/* The element of array key whose fields k1 (and k2, if not NULL) have
 * those string values, or NULL. */
static json_object *find(const char *key, const char *k1, const char *v1, const char *k2,
			 const char *v2)
{
	json_object *a = json_object_object_get(out, key);
	cr_assert_not_null(a, "no \"%s\" in the report", key);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *o = json_object_array_get_idx(a, i);
		json_object *x = json_object_object_get(o, k1);
		json_object *y = k2 ? json_object_object_get(o, k2) : NULL;
		if (x && !strcmp(json_object_get_string(x), v1) &&
		    (!k2 || (y && !strcmp(json_object_get_string(y), v2))))
			return o;
	}
	return NULL;
}

static int64_t num(json_object *o, const char *key)
{
	json_object *v = json_object_object_get(o, key);
	cr_assert_not_null(v, "no \"%s\" in %s", key, json_object_to_json_string(o));
	return json_object_get_int64(v);
}

/* The usual scenario: a file opened, read and closed; a missing one
 * probed three ways; a forbidden one; a relative one. */
static void scenario(void)
{
	call(SW_ROW_openat, SW_FN_open, "/d/a", -1, 3, 0, 5);
	call(SW_ROW_read, SW_FN_read, NULL, 3, 10, 0, 2);
	call(SW_ROW_read, SW_FN_read, NULL, 3, 0, 0, 2);
	call(SW_ROW_close, SW_FN_close, NULL, 3, 0, 0, 1);
	for (int i = 0; i < 3; i++)
		call(SW_ROW_newfstatat, SW_FN_stat, "/d/missing", -1, 0, ENOENT, 1);
	call(SW_ROW_access, SW_FN_access, "/d/missing", -1, 0, ENOENT, 1);
	call(SW_ROW_openat, SW_FN_open, "/d/missing", -1, 0, EACCES, 1);
	call(SW_ROW_openat, SW_FN_open, "/dd/x/y", -1, 4, 0, 100);
	call(SW_ROW_openat, SW_FN_openat, "rel", -100, 0, ENOENT, 1);
	build();
}

Test(paths, every_call_on_a_file_counts_for_it_by_call)
{
	scenario();
	json_object *a = find("files", "path", "/d/a", NULL, NULL);
	cr_assert_not_null(a, "/d/a not listed: %s", json_object_to_json_string(out));
	cr_expect_eq(num(a, "calls"), 4, "the open, the two reads, the close");
	cr_expect_eq(num(a, "errors"), 0);
	json_object *by = json_object_object_get(a, "by_call");
	cr_expect_eq(num(by, "openat"), 1);
	cr_expect_eq(num(by, "read"), 2);
	cr_expect_eq(num(by, "close"), 1);
	cr_expect_float_eq(json_object_get_double(json_object_object_get(a, "seconds")),
			   10e-6, 1e-9);
	json_object *t = json_object_object_get(out, "total");
	cr_expect_eq(num(t, "files"), 4);
	cr_expect_eq(num(t, "calls"), 11);
	cr_expect_eq(num(t, "errors"), 6);
	/* files by time: the slowest first */
	json_object *first = json_object_array_get_idx(json_object_object_get(out, "files"), 0);
	cr_expect_str_eq(json_object_get_string(json_object_object_get(first, "path")), "/dd/x/y");
}

Test(paths, every_failing_path_with_each_errno_its_count_and_calls)
{
	scenario();
	json_object *e = find("errors", "path", "/d/missing", "errno", "ENOENT");
	cr_assert_not_null(e, "no ENOENT for /d/missing: %s", json_object_to_json_string(out));
	cr_expect_eq(num(e, "count"), 4);
	json_object *calls = json_object_object_get(e, "calls");
	cr_assert_eq(json_object_array_length(calls), 2);
	cr_expect_str_eq(json_object_get_string(json_object_array_get_idx(calls, 0)), "newfstatat",
			 "the most frequent call first");
	cr_expect_str_eq(json_object_get_string(json_object_array_get_idx(calls, 1)), "access");
	json_object *by = json_object_object_get(e, "by_call");
	cr_expect_eq(num(by, "newfstatat"), 3);
	cr_expect_eq(num(by, "access"), 1);
	e = find("errors", "path", "/d/missing", "errno", "EACCES");
	cr_assert_not_null(e, "the EACCES is another entry");
	cr_expect_eq(num(e, "count"), 1);
	cr_expect_not_null(find("errors", "path", "rel", "errno", "ENOENT"));
	cr_expect_eq(json_object_array_length(json_object_object_get(out, "errors")), 3);
}

Test(paths, directories_and_mounts_are_summed_from_the_files)
{
	scenario();
	json_object *d = find("directories", "path", "/d", NULL, NULL);
	cr_assert_not_null(d);
	cr_expect_eq(num(d, "files"), 2);
	cr_expect_eq(num(d, "calls"), 9);
	cr_expect_eq(num(d, "errors"), 5);
	cr_expect_not_null(find("directories", "path", "/dd/x", NULL, NULL));
	cr_expect_not_null(find("directories", "path", ".", NULL, NULL), "rel is in .");

	json_object *t = find("mounts", "mount_point", "/d", NULL, NULL);
	cr_assert_not_null(t);
	cr_expect_str_eq(json_object_get_string(json_object_object_get(t, "fs_type")), "tmpfs");
	cr_expect_eq(num(t, "calls"), 9);
	cr_expect_eq(num(t, "files"), 2);
	json_object *x = find("mounts", "mount_point", "/dd", NULL, NULL);
	cr_assert_not_null(x);
	cr_expect_str_eq(json_object_get_string(json_object_object_get(x, "fs_type")), "xfs");
	cr_expect_str_eq(json_object_get_string(json_object_object_get(x, "source")), "/dev/sdb");
	cr_expect_null(find("mounts", "mount_point", "/", NULL, NULL), "no call on /: not listed");
	/* the relative path: a mount entry with nulls */
	json_object *a = json_object_object_get(out, "mounts");
	cr_assert_eq(json_object_array_length(a), 3);
	int unknown = 0;
	for (size_t i = 0; i < 3; i++) {
		json_object *o = json_object_array_get_idx(a, i);
		if (json_object_get_type(json_object_object_get(o, "mount_point")) == json_type_null) {
			unknown++;
			cr_expect_eq(num(o, "calls"), 1);
		}
	}
	cr_expect_eq(unknown, 1);
}

Test(paths, relative_paths_are_joined_to_their_dirfd)
{
	call(SW_ROW_openat, SW_FN_open, "/dd/dir", -1, 5, 0, 1);
	call(SW_ROW_openat, SW_FN_openat, "f.conf", 5, 0, ENOENT, 1);
	build();
	cr_expect_not_null(find("errors", "path", "/dd/dir/f.conf", "errno", "ENOENT"),
			   "%s", json_object_to_json_string(out));
}

/* Whether the report has an entry for file path with that many calls. */
static void expect_file(const char *path, int64_t calls)
{
	json_object *f = find("files", "path", path, NULL, NULL);
	cr_assert_not_null(f, "%s not listed: %s", path, json_object_to_json_string(out));
	cr_expect_eq(num(f, "calls"), calls, "%s", path);
}

Test(paths, relative_paths_follow_the_working_directory_and_chdir)
{
	struct sw_proc_rec p = {.pid = 100, .command = "prog"};
	sw_proc_set_cwd(&p, "/d/work");
	cr_assert_eq(sw_model_put_process(&m, &p), 0);
	call(SW_ROW_newfstatat, SW_FN_stat, "cfg", -1, 0, ENOENT, 1);
	call(SW_ROW_openat, SW_FN_openat, "./sub/../x", -100, 0, ENOENT, 1);
	call(SW_ROW_newfstatat, SW_FN_stat, ".", -1, 0, 0, 1);
	call(SW_ROW_chdir, SW_FN_chdir, "/dd", -1, 0, 0, 1);
	call(SW_ROW_access, SW_FN_access, "a", -1, 0, ENOENT, 1);
	call(SW_ROW_chdir, SW_FN_chdir, "gone", -1, 0, ENOENT, 1);
	call(SW_ROW_chdir, SW_FN_chdir, "x/", -1, 0, 0, 1);
	call(SW_ROW_openat, SW_FN_open, "y", -1, 0, ENOENT, 1);
	call(SW_ROW_openat, SW_FN_open, "/d", -1, 7, 0, 1);
	call(SW_ROW_fchdir, SW_FN_fchdir, NULL, 7, 0, 0, 1);
	call(SW_ROW_newfstatat, SW_FN_stat, "z", -1, 0, ENOENT, 1);
	call(SW_ROW_getaddrinfo, SW_FN_getaddrinfo, "example.com", -1, 0, 0, 1);
	call(SW_ROW_dlopen, SW_FN_dlopen, "libm.so.6", -1, 1, 0, 1);
	call(SW_ROW_dlopen, SW_FN_dlopen, "./plug.so", -1, 0, ENOENT, 1);
	/* another process whose working directory is unknown: as given */
	struct sw_ev e = evfx_call(&now, SW_ROW_newfstatat, SW_FN_stat, -1, 0, ENOENT, 1);
	e.path = "rel";
	cr_assert_eq(sw_evtrace_add(&tr, 101, 0, 1, &e, 1), 0);
	build();

	expect_file("/d/work/cfg", 1);
	expect_file("/d/work/sub/../x", 1); /* "." dropped, ".." kept */
	expect_file("/d/work", 1);
	expect_file("/dd/a", 1);
	expect_file("/dd/gone", 1); /* the failed chdir moved nothing */
	expect_file("/dd/x/y", 1);
	expect_file("/d", 2);       /* the open and the fchdir */
	expect_file("/d/z", 1);
	expect_file("example.com", 1); /* a host name, not a file */
	expect_file("libm.so.6", 1);   /* searched, not relative */
	expect_file("/d/plug.so", 1);
	expect_file("rel", 1);
	json_object *t = find("mounts", "mount_point", "/d", NULL, NULL);
	cr_assert_not_null(t);
	cr_expect_str_eq(json_object_get_string(json_object_object_get(t, "fs_type")), "tmpfs");
	cr_expect_eq(num(t, "files"), 6, "cfg, x, work, /d, z, plug.so");
}

/* Print the report to a string (free it). */
static char *text(const struct sw_mounts *with)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(sw_paths_print_with(f, &tr, with), 0);
	fclose(f);
	return buf;
}

Test(paths, text_has_every_section_and_every_error)
{
	scenario();
	char *s = text(&ms);
	static const char *const want[] = {
		"files by time (4)", "files by calls (4)", "errors: every failing path (3)",
		"directories by time (3)", "by mount (3)", "tmpfs", "xfs", "/dev/sdb",
		"4 files in 3 directories on 3 mounts: 11 calls, 6 failed",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect(strstr(s, want[i]), "no \"%s\" in:\n%s", want[i], s);
	/* the ENOENT line: count, errno, calls, path on one line */
	const char *l = strstr(s, "ENOENT  newfstatat 3, access 1");
	cr_expect(l, "no ENOENT line with its calls in:\n%s", s);
	cr_expect(l && strstr(l, "/d/missing\n") && strchr(l, '\n') == strstr(l, "/d/missing\n") + 10);
	free(s);
}

Test(paths, control_characters_in_paths_are_escaped)
{
	call(SW_ROW_newfstatat, SW_FN_stat, "/d/evil\nname\x1b[31m\\", -1, 0, ENOENT, 1);
	cr_assert_eq(sw_evtrace_end(&tr), 0);
	char *s = text(&ms);
	cr_expect(strstr(s, "/d/evil\\nname\\x1b[31m\\\\"), "not escaped:\n%s", s);
	cr_expect_null(strchr(s, '\x1b'));
	cr_expect_null(strstr(s, "evil\n"));
	free(s);
	out = sw_paths_json_with(&tr, &ms);
	cr_expect_not_null(find("errors", "path", "/d/evil\nname\x1b[31m\\", NULL, NULL),
			   "JSON keeps the path as it was");
}

Test(paths, long_lists_are_cut_but_errors_never)
{
	char p[64];
	for (int i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "/d/many/f%02d", i);
		call(SW_ROW_newfstatat, SW_FN_stat, p, -1, 0, ENOENT, 1 + (uint64_t)i);
	}
	cr_assert_eq(sw_evtrace_end(&tr), 0);
	char *s = text(&ms);
	cr_expect(strstr(s, "files by time (top 15 of 40)"), "%s", s);
	cr_expect(strstr(s, "... and 25 more files"), "%s", s);
	cr_expect(strstr(s, "errors: every failing path (40)"), "%s", s);
	for (int i = 0; i < 40; i++) {
		char line[80];
		snprintf(line, sizeof(line), "newfstatat 1  /d/many/f%02d\n", i);
		cr_expect(strstr(s, line), "error line of f%02d missing", i);
	}
	/* by time: f39 (the slowest) comes first */
	cr_expect(strstr(s, "/d/many/f39") < strstr(s, "/d/many/f38"));
	free(s);
}

Test(paths, no_mount_table_says_so)
{
	scenario();
	char *s = text(NULL);
	cr_expect(strstr(s, "no mount table"), "%s", s);
	cr_expect(strstr(s, "by mount (1)"), "%s", s);
	free(s);
}

Test(paths, no_file_events_is_an_empty_report)
{
	call(SW_ROW_read, SW_FN_read, NULL, 7, 0, 0, 1); /* unknown descriptor */
	build();
	cr_expect_eq(json_object_array_length(json_object_object_get(out, "files")), 0);
	cr_expect_eq(num(json_object_object_get(out, "total"), "calls"), 0);
}

Test(paths, a_million_events_aggregate_in_linear_time, .timeout = 60)
{
	enum { N = 1000000, FILES = 5000 };
	struct sw_ev *ev = calloc(N, sizeof(*ev));
	char p[64];
	cr_assert_not_null(ev);
	for (size_t i = 0; i < N; i++) {
		snprintf(p, sizeof(p), "/dd/tree/d%zu/f%zu", i % FILES % 97, i % FILES);
		ev[i] = (struct sw_ev){.start = i * 10, .end = i * 10 + 5,
				       .path = sw_evtrace_intern(&tr, p, strlen(p)),
				       .row = SW_ROW_newfstatat, .fn = SW_FN_stat,
				       .flags = SW_EVF_FAILED, .err = ENOENT, .result = -1};
	}
	cr_assert_eq(sw_evtrace_add(&tr, 100, 0, 1, ev, N), 0);
	free(ev);
	cr_assert_eq(sw_evtrace_end(&tr), 0);
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	out = sw_paths_json_with(&tr, &ms);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	cr_assert_not_null(out);
	printf("paths: %d events on %d files in %.3f s\n", N, FILES, s);
	cr_expect_eq(json_object_array_length(json_object_object_get(out, "files")), FILES);
	cr_expect_eq(json_object_array_length(json_object_object_get(out, "errors")), FILES);
	cr_expect_eq(num(json_object_array_get_idx(json_object_object_get(out, "errors"), 0),
			 "count"),
		     N / FILES);
	cr_expect_lt(s, 10.0, "quadratic? %.1f s", s);
}
