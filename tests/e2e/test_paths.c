/*
 * test_paths.c - `syswatch run|report --paths` on a program that probes
 * missing config files and opens a few existing ones (issue 5,
 * acceptance criterion 3).
 *
 * The workload (tests/workloads/paths_probe.c) does it in a directory on
 * a tmpfs (/dev/shm) and in one on a regular filesystem (the build tree,
 * or /var/tmp), and writes its own tally: per path and syscall, calls,
 * errors and errno. Every expectation comes from that tally or from
 * findmnt, never from syswatch: every missing path is listed with its
 * exact count and ENOENT, every existing file with its exact calls, and
 * the mount of each directory with the type findmnt names.
 *
 * The workload also probes names relative to its working directory after
 * chdir() into each directory (and after fchdir() back): the tally names
 * them by the absolute path getcwd() gives, so they must show up joined to
 * the directory, counted exactly, and on the directory's mount, never on
 * the "unknown" mount of paths with no directory.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "e2e.h"

#define K 5 /* probes of each missing name with each call */
#define MAX_TALLY 256

/* One tally line: path, syscall, calls, errors, errno name or "-". */
struct trow {
	char path[4096];
	char sys[32];
	long calls;
	long errors;
	char err[32];
};

struct tally {
	int n;
	struct trow r[MAX_TALLY];
};

/* One directory the workload probed, and what findmnt says of it. */
struct pdir {
	char path[4200];
	char target[4096]; /* findmnt TARGET */
	char fstype[64];   /* findmnt FSTYPE */
};

struct setup {
	char tmp[4096];	  /* private dir: outputs, logs */
	struct pdir d[2]; /* [0] tmpfs, [1] a regular filesystem */
	char shm_dir[4096];
	char var_dir[4096];
	struct tally t;
	char json[4200];  /* run's report */
	char trace[4200]; /* run's trace */
	char out[4200];	  /* for the report from the trace */
	char log[4200];	  /* for its stderr */
};

static void read_tally(const char *file, struct tally *t)
{
	FILE *f = fopen(file, "r");
	char line[8192];
	cr_assert_not_null(f, "no tally %s", file);
	t->n = 0;
	while (fgets(line, sizeof line, f)) {
		cr_assert_lt(t->n, MAX_TALLY);
		struct trow *r = &t->r[t->n++];
		char *f1 = strtok(line, "\t\n"), *f2 = strtok(NULL, "\t\n"), *f3 = strtok(NULL, "\t\n"),
		     *f4 = strtok(NULL, "\t\n"), *f5 = strtok(NULL, "\t\n");
		cr_assert(f1 && f2 && f3 && f4 && f5, "bad tally line in %s", file);
		snprintf(r->path, sizeof r->path, "%s", f1);
		snprintf(r->sys, sizeof r->sys, "%s", f2);
		r->calls = atol(f3);
		r->errors = atol(f4);
		snprintf(r->err, sizeof r->err, "%s", f5);
	}
	fclose(f);
	cr_assert_gt(t->n, 0, "empty tally");
}

/* What findmnt says about dir: 0, or -1 when it cannot say. */
static int findmnt(struct pdir *d)
{
	char cmd[8300];
	snprintf(cmd, sizeof cmd, "findmnt -no TARGET --target '%s'", d->path);
	if (e2e_capture_line(cmd, d->target, sizeof d->target) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "findmnt -no FSTYPE --target '%s'", d->path);
	return e2e_capture_line(cmd, d->fstype, sizeof d->fstype);
}

static void skip(const char *why)
{
	printf("SKIPPED: %s\n", why);
	fflush(stdout);
	cr_skip_test("%s", why);
}

/* The two directories: one on tmpfs, one on a disk filesystem. */
static void make_dirs(struct setup *s)
{
	cr_assert_eq(e2e_tmpdir(s->tmp, sizeof s->tmp, "paths"), 0);
	snprintf(s->shm_dir, sizeof s->shm_dir, "/dev/shm/syswatch-paths.XXXXXX");
	if (!mkdtemp(s->shm_dir)) {
		s->shm_dir[0] = '\0';
		skip("cannot make a directory in /dev/shm");
	}
	snprintf(s->d[0].path, sizeof s->d[0].path, "%s", s->shm_dir);
	if (findmnt(&s->d[0]) < 0)
		skip("findmnt cannot say what /dev/shm is");
	if (strcmp(s->d[0].fstype, "tmpfs") != 0)
		skip("/dev/shm is no tmpfs here");

	snprintf(s->d[1].path, sizeof s->d[1].path, "%s/regular", s->tmp);
	cr_assert_eq(mkdir(s->d[1].path, 0700), 0);
	cr_assert_eq(findmnt(&s->d[1]), 0, "findmnt on %s", s->d[1].path);
	if (!strcmp(s->d[1].fstype, "tmpfs")) { /* the build tree is on tmpfs */
		snprintf(s->var_dir, sizeof s->var_dir, "/var/tmp/syswatch-paths.XXXXXX");
		cr_assert_not_null(mkdtemp(s->var_dir));
		snprintf(s->d[1].path, sizeof s->d[1].path, "%s", s->var_dir);
		cr_assert_eq(findmnt(&s->d[1]), 0, "findmnt on %s", s->d[1].path);
	}
	printf("probing %s (%s on %s) and %s (%s on %s)\n", s->d[0].path, s->d[0].fstype,
	       s->d[0].target, s->d[1].path, s->d[1].fstype, s->d[1].target);
	if (!strcmp(s->d[1].fstype, "tmpfs"))
		printf("note: no disk filesystem found for the regular directory\n");
}

static void cleanup(struct setup *s)
{
	if (s->shm_dir[0])
		e2e_rmtree(s->shm_dir);
	if (s->var_dir[0])
		e2e_rmtree(s->var_dir);
	e2e_rmtree(s->tmp);
}

/* Run argv, whose output goes to out; assert it exits 0. */
static void run(char **argv, const char *log)
{
	int st = e2e_run(argv, log);
	if (st != 0)
		e2e_dump(log);
	cr_assert_eq(st, 0, "%s %s exited with %d", argv[0], argv[1], st);
}

/* `syswatch run --paths --format json -o JSON --trace TRACE -- paths_probe`. */
static void run_probe(struct setup *s, const char *json, const char *trace)
{
	char tally[4200], log[4200], k[16];
	snprintf(tally, sizeof tally, "%s/tally", s->tmp);
	snprintf(log, sizeof log, "%s/run.log", s->tmp);
	snprintf(k, sizeof k, "%d", K);
	char *argv[] = {(char *)e2e_syswatch(), "run", "--paths", "--format", "json",
			"-o", (char *)json, "--trace", (char *)trace, "--",
			PATHS_PROBE, k, tally, s->d[0].path, s->d[1].path, NULL};
	cr_assert_not_null(argv[0], "no syswatch binary");
	run(argv, log);
	read_tally(tally, &s->t);
}

/* Make the directories, name the files, run the probe under syswatch. */
static void start(struct setup *s)
{
	make_dirs(s);
	snprintf(s->json, sizeof s->json, "%s/run.json", s->tmp);
	snprintf(s->trace, sizeof s->trace, "%s/trace.pb", s->tmp);
	snprintf(s->out, sizeof s->out, "%s/report.out", s->tmp);
	snprintf(s->log, sizeof s->log, "%s/report.log", s->tmp);
	run_probe(s, s->json, s->trace);
}

/* The report's root object (json_object_put it). */
static json_object *load(const char *file)
{
	json_object *root = json_object_from_file(file);
	cr_assert_not_null(root, "unreadable JSON %s", file);
	json_object *drops = json_object_object_get(root, "dropped_events");
	cr_assert_eq(json_object_get_int64(drops), 0,
		     "events were dropped: the counts cannot be exact");
	cr_assert_not_null(json_object_object_get(root, "paths"), "no \"paths\" in %s", file);
	return root;
}

/* The element of array key of o whose k1 is v1 (and k2 is v2), or NULL. */
static json_object *find(json_object *o, const char *key, const char *k1, const char *v1,
			 const char *k2, const char *v2)
{
	json_object *a = json_object_object_get(o, key);
	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		json_object *e = json_object_array_get_idx(a, i);
		const char *x = json_object_get_string(json_object_object_get(e, k1));
		const char *y = k2 ? json_object_get_string(json_object_object_get(e, k2)) : NULL;
		if (x && !strcmp(x, v1) && (!k2 || (y && !strcmp(y, v2))))
			return e;
	}
	return NULL;
}

static long long num(json_object *o, const char *key)
{
	return json_object_get_int64(json_object_object_get(o, key));
}

/* Sum of the tally's calls and errors on path. */
static void path_sums(const struct tally *t, const char *path, long *calls, long *errors)
{
	*calls = *errors = 0;
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->r[i].path, path)) {
			*calls += t->r[i].calls;
			*errors += t->r[i].errors;
		}
}

/* Whether tally path p is one of the relative probes ("rel-" names). */
static bool relative_probe(const char *p)
{
	const char *base = strrchr(p, '/');
	return base && !strncmp(base + 1, "rel-", 4);
}

/* The relative probes: absolute in the tally, some in each directory, on
 * its mount (whose calls include theirs), and no file on an unknown mount;
 * the number of mismatches (each printed). */
static int check_relative(json_object *paths, const struct setup *s, const char *what)
{
	int bad = 0;
	for (int i = 0; i < 2; i++) {
		const struct pdir *d = &s->d[i];
		char real[PATH_MAX], under[PATH_MAX + 2];
		cr_assert_not_null(realpath(d->path, real), "realpath %s", d->path);
		snprintf(under, sizeof under, "%s/", real);
		long calls = 0;
		for (int k = 0; k < s->t.n; k++)
			if (relative_probe(s->t.r[k].path) &&
			    !strncmp(s->t.r[k].path, under, strlen(under)))
				calls += s->t.r[k].calls;
		cr_expect_gt(calls, 0, "no relative probe in %s", real);
		json_object *m = find(paths, "mounts", "mount_point", d->target, NULL, NULL);
		if (!m || num(m, "calls") < calls) {
			printf("%s: mount %s: at least the %ld calls of the relative probes in %s "
			       "wanted, syswatch says %s\n", what, d->target, calls, real,
			       m ? json_object_to_json_string(m) : "nothing");
			bad++;
		}
	}
	json_object *a = json_object_object_get(paths, "mounts");
	for (size_t i = 0; a && i < json_object_array_length(a); i++) {
		json_object *m = json_object_array_get_idx(a, i);
		if (json_object_get_type(json_object_object_get(m, "mount_point")) == json_type_null) {
			printf("%s: files on no known mount: %s\n", what,
			       json_object_to_json_string(m));
			bad++;
		}
	}
	return bad;
}

/* Check the "paths" object against the tally and findmnt; the number of
 * mismatches (each printed). */
static int check(json_object *paths, const struct setup *s, const char *what)
{
	int bad = 0, missing = 0;
	for (int i = 0; i < s->t.n; i++) {
		const struct trow *r = &s->t.r[i];
		long calls, errors;
		path_sums(&s->t, r->path, &calls, &errors);
		json_object *f = find(paths, "files", "path", r->path, NULL, NULL);
		json_object *by = f ? json_object_object_get(f, "by_call") : NULL;
		if (!f || num(f, "calls") != calls || num(f, "errors") != errors ||
		    num(by, r->sys) != r->calls) {
			printf("%s: %s: %s %ld calls, %ld errors (%s %ld): syswatch says %s\n", what,
			       r->path, f ? "wanted" : "missing, wanted", calls, errors, r->sys,
			       r->calls, f ? json_object_to_json_string(f) : "nothing");
			bad++;
		}
		if (!r->errors)
			continue;
		missing++;
		json_object *e = find(paths, "errors", "path", r->path, "errno", r->err);
		by = e ? json_object_object_get(e, "by_call") : NULL;
		if (!e || num(e, "count") != errors || num(by, r->sys) != r->errors) {
			printf("%s: %s: %ld %s wanted (%ld by %s): syswatch says %s\n", what, r->path,
			       errors, r->err, r->errors, r->sys,
			       e ? json_object_to_json_string(e) : "nothing");
			bad++;
		}
	}
	cr_expect_gt(missing, 0, "the tally has no failing probe");
	bad += check_relative(paths, s, what);
	for (int i = 0; i < 2; i++) {
		const struct pdir *d = &s->d[i];
		json_object *m = find(paths, "mounts", "mount_point", d->target, NULL, NULL);
		const char *type = m ? json_object_get_string(json_object_object_get(m, "fs_type")) : NULL;
		if (!type || strcmp(type, d->fstype) != 0 || num(m, "files") <= 0) {
			printf("%s: mount %s of %s: wanted %s, syswatch says %s\n", what, d->target,
			       d->path, d->fstype, m ? json_object_to_json_string(m) : "nothing");
			bad++;
		}
	}
	fflush(stdout);
	return bad;
}

Test(paths_e2e, every_missing_path_with_its_count_and_errno_and_the_mount_types,
     .timeout = 300)
{
	static struct setup s;
	start(&s);
	const char *json = s.json, *json2 = s.out, *trace = s.trace, *log = s.log;

	json_object *a = load(json);
	int bad = check(json_object_object_get(a, "paths"), &s, "run --paths");
	cr_expect_eq(bad, 0, "run --paths: %d mismatches (above)", bad);

	/* the same from the trace, later */
	char *argv[] = {(char *)e2e_syswatch(), "report", "--paths", "--format", "json",
			"-o", (char *)json2, (char *)trace, NULL};
	run(argv, log);
	json_object *b = load(json2);
	int bad2 = check(json_object_object_get(b, "paths"), &s, "report --paths");
	cr_expect_eq(bad2, 0, "report --paths: %d mismatches (above)", bad2);
	static const char *const same[] = {"files", "errors", "directories", "total"};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		cr_expect(json_object_equal(
				  json_object_object_get(json_object_object_get(a, "paths"), same[i]),
				  json_object_object_get(json_object_object_get(b, "paths"), same[i])),
			  "run and report differ in \"%s\"", same[i]);
	json_object_put(a);
	json_object_put(b);
	if (!bad && !bad2)
		cleanup(&s);
}

/* The line of text holding needle, copied into out, or NULL. */
static char *line_with(const char *text, const char *needle, char *out, size_t cap)
{
	const char *p = strstr(text, needle);
	if (!p)
		return NULL;
	const char *b = p, *e = strchr(p, '\n');
	while (b > text && b[-1] != '\n')
		b--;
	size_t n = (size_t)((e ? e : p + strlen(p)) - b);
	snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), b);
	return out;
}

Test(paths_e2e, text_report_lists_errors_and_mounts, .timeout = 300)
{
	static struct setup s;
	char line[8192], want[4200];
	start(&s);
	const char *txt = s.out, *trace = s.trace, *log = s.log;
	char *argv[] = {(char *)e2e_syswatch(), "report", "--paths", "-o", (char *)txt,
			(char *)trace, NULL};
	run(argv, log);
	FILE *f = fopen(txt, "r");
	cr_assert_not_null(f);
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);

	cr_expect(strstr(text, "\npaths: "), "no paths header");
	cr_expect(strstr(text, "\nerrors: every failing path ("), "no error section");
	int bad = 0;
	for (int i = 0; i < s.t.n; i++) {
		const struct trow *r = &s.t.r[i];
		long calls, errors;
		path_sums(&s.t, r->path, &calls, &errors);
		if (!r->errors)
			continue;
		/* "  <count>  ENOENT  <calls>  <path>" ends with the path */
		char tail[4200];
		snprintf(tail, sizeof tail, "  %s\n", r->path);
		snprintf(want, sizeof want, " %ld  %s ", errors, r->err);
		const char *errs = strstr(text, "\nerrors: ");
		const char *l = line_with(errs ? errs : text, tail, line, sizeof line);
		if (!l || !strstr(l, want) || !strstr(l, r->sys)) {
			printf("text: no line \"...%s...%s...%s\": %s\n", want, r->sys, r->path,
			       l ? l : "none");
			bad++;
		}
	}
	const char *mounts = strstr(text, "\nby mount (");
	cr_assert_not_null(mounts, "no mount section");
	for (int i = 0; i < 2; i++) {
		snprintf(want, sizeof want, "\n  %s ", s.d[i].target);
		const char *l = line_with(mounts, want + 1, line, sizeof line);
		if (!l || !strstr(l, s.d[i].fstype)) {
			printf("text: mount line of %s (%s) wanted: %s\n", s.d[i].target,
			       s.d[i].fstype, l ? l : "none");
			bad++;
		}
	}
	fflush(stdout);
	cr_expect_eq(bad, 0, "%d lines missing or wrong in the text report (above)", bad);
	if (!bad)
		cleanup(&s);
}
