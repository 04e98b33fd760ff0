/*
 * e2e.c - helpers of the end-to-end tests (see e2e.h).
 */
#define _GNU_SOURCE
#include "e2e.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <json-c/json.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syswatch/rows.h"

extern char **environ;

const struct e2e_row *e2e_find(const struct e2e_table *t, const char *name)
{
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].name, name) == 0)
			return &t->rows[i];
	return NULL;
}

struct e2e_row *e2e_row(struct e2e_table *t, const char *name)
{
	const struct e2e_row *r = e2e_find(t, name);
	if (r != NULL)
		return (struct e2e_row *)r;
	if (t->n == E2E_MAX_ROWS || strlen(name) >= E2E_NAME_LEN)
		return NULL;
	struct e2e_row *n = &t->rows[t->n++];
	memset(n, 0, sizeof *n);
	strcpy(n->name, name);
	return n;
}

static const struct {
	const char *name;
	enum sw_class cls;
	unsigned flags;
} sw_rows[] = {
#define ROW_DEF(id, name, cls, flags) {name, cls, flags},
    SW_ROWS(ROW_DEF)
#undef ROW_DEF
};

/* The lock class is seen through its slow paths only (DESIGN.md, decision
 * 7): a count of the waits that happened to block, not of calls made, so
 * it depends on timing and matches no one-for-one count. */
enum e2e_row_kind e2e_row_kind(const char *name, const struct e2e_table *json)
{
	const struct e2e_row *j = json ? e2e_find(json, name) : NULL;
	for (size_t i = 0; i < sizeof sw_rows / sizeof sw_rows[0]; i++) {
		if (strcmp(sw_rows[i].name, name) != 0)
			continue;
		if ((sw_rows[i].flags & SW_ROWF_LIBRARY) || (j && j->library))
			return E2E_LIBRARY;
		if (sw_rows[i].cls == SW_CLASS_LOCK)
			return E2E_SLOW_PATH;
		if ((sw_rows[i].flags & SW_ROWF_LIBC) || (j && j->libc_level))
			return E2E_LIBC_LEVEL;
		return E2E_ONE_FOR_ONE;
	}
	return E2E_NO_ROW;
}

const char *e2e_kind_note(enum e2e_row_kind k)
{
	switch (k) {
	case E2E_NO_ROW:
		return "(no syswatch row: not compared)";
	case E2E_LIBC_LEVEL:
		return "(libc-level row: not compared)";
	case E2E_LIBRARY:
		return "(library row: not compared)";
	case E2E_SLOW_PATH:
		return "(lock row, blocked waits only: not compared)";
	case E2E_ONE_FOR_ONE:
		break;
	}
	return "";
}

void e2e_sub(struct e2e_table *out, const struct e2e_table *a, const struct e2e_table *b)
{
	memset(out, 0, sizeof *out);
	for (int pass = 0; pass < 2; pass++) {
		const struct e2e_table *t = pass ? b : a;
		for (int i = 0; i < t->n; i++) {
			struct e2e_row *r = e2e_row(out, t->rows[i].name);
			if (r == NULL)
				return;
			r->library |= t->rows[i].library;
			r->libc_level |= t->rows[i].libc_level;
			if (pass == 0) {
				r->calls += t->rows[i].calls;
				r->errors += t->rows[i].errors;
				r->excluded += t->rows[i].excluded;
			} else {
				r->calls -= t->rows[i].calls;
				r->errors -= t->rows[i].errors;
				r->excluded -= t->rows[i].excluded;
			}
		}
	}
	out->has_flag_library = a->has_flag_library | b->has_flag_library;
	out->has_flag_libc = a->has_flag_libc | b->has_flag_libc;
}

int e2e_compare(const struct e2e_table *want, const char *want_name,
		const struct e2e_table *got, const char *got_name, e2e_skip_fn skip,
		int *compared)
{
	static struct e2e_table rows;
	e2e_sub(&rows, want, got); /* every name of either side */
	printf("  %-22s %12s %8s   %12s %8s\n", "row", want_name, "errors", got_name, "errors");
	int bad = 0;
	*compared = 0;
	for (int i = 0; i < rows.n; i++) {
		const char *name = rows.rows[i].name;
		const struct e2e_row *a = e2e_find(want, name), *b = e2e_find(got, name);
		long long ac = a ? a->calls : 0, ae = a ? a->errors : 0;
		long long bc = b ? b->calls : 0, be = b ? b->errors : 0;
		const char *note = skip(name, got);
		if (!note) {
			++*compared;
			note = "";
			if (ac != bc || ae != be) {
				bad++;
				note = "<-- differs";
			}
		}
		if (ac || ae || bc || be)
			printf("  %-22s %12lld %8lld   %12lld %8lld   %s\n", name, ac, ae, bc, be,
			       note);
	}
	printf("  %d rows compared, %d differ\n", *compared, bad);
	fflush(stdout);
	return bad;
}

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "e2e: %s: %s\n", path, what);
	return -1;
}

/* ---- syswatch JSON ---------------------------------------------------- */

static long long json_int(json_object *o, const char *key, int *ok)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))) {
		*ok = 0;
		return 0;
	}
	return json_object_get_int64(v);
}

/* A boolean flag of a row: 1, 0, or -1 when the key is absent. */
static int json_flag(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return -1;
	return json_object_get_boolean(v) ? 1 : 0;
}

int e2e_read_json(const char *path, struct e2e_table *t)
{
	memset(t, 0, sizeof *t);
	json_object *root = json_object_from_file(path);
	if (root == NULL)
		return fail(json_util_get_last_err() ? json_util_get_last_err() : "not JSON", path);
	int rc = -1, ok = 1;
	json_object *rows, *procs;
	if (!json_object_object_get_ex(root, "syscalls", &rows) ||
	    !json_object_is_type(rows, json_type_array)) {
		fail("no \"syscalls\" array", path);
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *o = json_object_array_get_idx(rows, i), *name;
		if (!json_object_object_get_ex(o, "name", &name)) {
			fail("a row without \"name\"", path);
			goto out;
		}
		struct e2e_row *r = e2e_row(t, json_object_get_string(name));
		if (r == NULL) {
			fail("too many rows", path);
			goto out;
		}
		r->calls += json_int(o, "calls", &ok);
		r->errors += json_int(o, "errors", &ok);
		int lib = json_flag(o, "library"), libc = json_flag(o, "libc_level");
		r->library = lib > 0;
		r->libc_level = libc > 0;
		t->has_flag_library |= lib >= 0;
		t->has_flag_libc |= libc >= 0;
	}
	t->dropped_events = json_int(root, "dropped_events", &ok);
	if (json_object_object_get_ex(root, "processes", &procs) &&
	    json_object_is_type(procs, json_type_array)) {
		t->nprocesses = (int)json_object_array_length(procs);
		for (int i = 0; i < t->nprocesses; i++) {
			int pok = 1;
			json_object *p = json_object_array_get_idx(procs, (size_t)i);
			if (json_int(p, "exit_status", &pok) != 0 || !pok)
				t->failed_processes++;
		}
	}
	if (!ok) {
		fail("a \"calls\", \"errors\" or \"dropped_events\" is missing or not a number",
		     path);
		goto out;
	}
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

/* ---- a workload's tally ----------------------------------------------- */

int e2e_read_tally(const char *path, struct e2e_table *t)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return fail(strerror(errno), path);
	char name[E2E_NAME_LEN];
	long long calls, errors;
	int n, rc = 0;
	while ((n = fscanf(f, "%39s %lld %lld", name, &calls, &errors)) == 3) {
		struct e2e_row *r = e2e_row(t, name);
		if (r == NULL) {
			rc = fail("too many rows", path);
			break;
		}
		r->calls += calls;
		r->errors += errors;
	}
	if (rc == 0 && n != EOF)
		rc = fail("not a tally (\"syscall calls errors\" lines)", path);
	fclose(f);
	return rc;
}

/* ---- strace -c -------------------------------------------------------- */

/* Rows look like "  12.34    0.000123           4        30         2 openat";
 * the errors column is blank when zero. */
int e2e_read_strace_c(const char *path, struct e2e_table *t)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return fail(strerror(errno), path);
	char line[512];
	int rows = 0, rc = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		char *tok[8];
		int n = 0;
		for (char *s = strtok(line, " \t\n"); s && n < 8; s = strtok(NULL, " \t\n"))
			tok[n++] = s;
		if ((n != 5 && n != 6) || !isdigit((unsigned char)tok[0][0]) ||
		    strcmp(tok[n - 1], "total") == 0)
			continue;
		struct e2e_row *r = e2e_row(t, tok[n - 1]);
		if (r == NULL) {
			rc = fail("too many rows", path);
			break;
		}
		r->calls += atoll(tok[3]);
		r->errors += n == 6 ? atoll(tok[4]) : 0;
		rows++;
	}
	fclose(f);
	if (rc == 0 && rows == 0)
		rc = fail("no rows: not strace -c output", path);
	return rc;
}

/* ---- strace -f -y ----------------------------------------------------- */

/* Whether path names a shared object (libfoo.so, libfoo.so.6.0.1) or the
 * loader's cache of them (/etc/ld.so.cache). */
static int is_shared_object(const char *p, size_t len)
{
	const char *base = memrchr(p, '/', len);
	base = base ? base + 1 : p;
	size_t bl = len - (size_t)(base - p);
	if (bl == 11 && memcmp(base, "ld.so.cache", 11) == 0)
		return 1;
	/* find the last ".so" that is followed only by (.digits)* */
	for (size_t i = bl; i >= 3; i--) {
		if (memcmp(base + i - 3, ".so", 3) != 0)
			continue;
		size_t j = i;
		while (j < bl && base[j] == '.' && j + 1 < bl &&
		       isdigit((unsigned char)base[j + 1])) {
			j++;
			while (j < bl && isdigit((unsigned char)base[j]))
				j++;
		}
		if (j == bl)
			return 1;
	}
	return 0;
}

/* Whether a traced call is the loader's work on a shared object: an openat
 * of one (its path is the call's first string), or any call on a
 * descriptor that -y shows as one ("3</usr/lib/.../libc.so.6>"). A call
 * that merely names a .so path without opening it (CPython's stat of
 * "pkg/__init__.abi3.so" while looking for a module) is the program's
 * own, made through libc's stat, and stays in. */
static int loaders_work(const char *name, const char *args)
{
	int in_str = 0, first_str = 1;
	for (const char *s = args; *s; s++) {
		if (in_str) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				in_str = 0;
			continue;
		}
		if (*s == '"') {
			in_str = 1;
			if (first_str && strcmp(name, "openat") == 0) {
				const char *e = s + 1;
				while (*e && *e != '"')
					e += (*e == '\\' && e[1]) ? 2 : 1;
				if (is_shared_object(s + 1, (size_t)(e - s - 1)))
					return 1;
			}
			first_str = 0;
			continue;
		}
		/* a descriptor: digits right after '(' or ' ', then <path> */
		if (isdigit((unsigned char)*s) && (s == args || s[-1] == ' ' || s[-1] == '(')) {
			const char *d = s;
			while (isdigit((unsigned char)*d))
				d++;
			if (*d == '<') {
				const char *e = strchr(d, '>');
				if (e != NULL && is_shared_object(d + 1, (size_t)(e - d - 1)))
					return 1;
			}
		}
	}
	return 0;
}

/* Per-pid text of calls left "<unfinished ...>" by a thread switch. */
struct pending {
	long pid;
	char *text;
};

static void count_call(struct e2e_table *t, const char *text)
{
	const char *p = text;
	while (*p == '_' || isalnum((unsigned char)*p))
		p++;
	if (p == text || *p != '(' || (size_t)(p - text) >= E2E_NAME_LEN)
		return;
	char name[E2E_NAME_LEN];
	memcpy(name, text, (size_t)(p - text));
	name[p - text] = 0;
	struct e2e_row *r = e2e_row(t, name);
	if (r == NULL)
		return;
	if (loaders_work(name, p + 1)) {
		r->excluded++;
		return;
	}
	r->calls++;
	/* the result: last " = " of the line; an error is "= -1 ENAME ..." */
	const char *eq = NULL;
	for (const char *s = strstr(p, ") = "); s; s = strstr(s + 1, ") = "))
		eq = s;
	if (eq != NULL && strncmp(eq + 4, "-1 E", 4) == 0)
		r->errors++;
}

int e2e_read_strace_y(const char *path, struct e2e_table *t)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return fail(strerror(errno), path);
	struct pending pend[64] = {{0}};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = 0;
		char *s = line;
		long pid = strtol(s, &s, 10);
		while (*s == ' ')
			s++;
		if (strncmp(s, "+++", 3) == 0 || strncmp(s, "---", 3) == 0)
			continue;
		static const char unf[] = " <unfinished ...>";
		size_t sl = strlen(s);
		struct pending *pe = NULL;
		for (int i = 0; i < 64 && pe == NULL; i++)
			if (pend[i].text != NULL && pend[i].pid == pid)
				pe = &pend[i];
		if (sl >= sizeof unf - 1 && strcmp(s + sl - (sizeof unf - 1), unf) == 0) {
			s[sl - (sizeof unf - 1)] = 0;
			for (int i = 0; i < 64 && pe == NULL; i++)
				if (pend[i].text == NULL)
					pe = &pend[i];
			if (pe == NULL || pe->text != NULL) {
				rc = fail("more than 64 calls unfinished at once", path);
				break;
			}
			pe->pid = pid;
			pe->text = strdup(s);
			continue;
		}
		if (strncmp(s, "<... ", 5) == 0) {
			char *res = strstr(s, " resumed>");
			if (res == NULL)
				continue;
			char *whole = NULL;
			if (pe != NULL) {
				if (asprintf(&whole, "%s%s", pe->text, res + 9) < 0)
					whole = NULL;
				free(pe->text);
				pe->text = NULL;
			} else if (asprintf(&whole, "%.*s(%s", (int)(res - s - 5), s + 5, res + 9) <
				   0) {
				whole = NULL;
			}
			if (whole != NULL)
				count_call(t, whole);
			free(whole);
			continue;
		}
		count_call(t, s);
	}
	for (int i = 0; i < 64; i++)
		free(pend[i].text);
	free(line);
	fclose(f);
	if (rc == 0 && t->n == 0)
		rc = fail("no calls: not a strace trace", path);
	return rc;
}

/* ---- paths, directories, processes ------------------------------------ */

const char *e2e_build_dir(void)
{
	const char *b = getenv("SW_BUILD_DIR");
	if (b == NULL || *b == 0) {
		fprintf(stderr, "e2e: SW_BUILD_DIR is not set (run the tests with ctest)\n");
		return NULL;
	}
	return b;
}

const char *e2e_syswatch(void)
{
	static char path[4096];
	const char *b = getenv("SYSWATCH_BIN");
	if (b != NULL && *b != 0)
		snprintf(path, sizeof path, "%s", b);
	else if ((b = e2e_build_dir()) != NULL)
		snprintf(path, sizeof path, "%s/syswatch", b);
	else
		return NULL;
	if (access(path, X_OK) != 0) {
		fprintf(stderr, "e2e: %s: %s (build the collector first)\n", path, strerror(errno));
		return NULL;
	}
	return path;
}

int e2e_tmpdir(char *out, size_t cap, const char *tag)
{
	const char *b = e2e_build_dir();
	if (b == NULL)
		return -1;
	char base[4096];
	snprintf(base, sizeof base, "%s/e2e-tmp", b);
	if (mkdir(base, 0700) != 0 && errno != EEXIST)
		return fail(strerror(errno), base);
	if ((size_t)snprintf(out, cap, "%s/%s.XXXXXX", base, tag) >= cap)
		return fail("path too long", base);
	if (mkdtemp(out) == NULL)
		return fail(strerror(errno), out);
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	remove(p);
	return 0;
}

void e2e_rmtree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int e2e_run(char *const argv[], const char *log)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (log != NULL) {
		posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	}
	pid_t pid;
	int e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e != 0) {
		fprintf(stderr, "e2e: cannot run %s: %s\n", argv[0], strerror(e));
		return -1;
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int e2e_sh_quiet(const char *cmd)
{
	char *line;
	if (asprintf(&line, "(%s) >/dev/null 2>&1", cmd) < 0)
		return -1;
	int st = system(line);
	free(line);
	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int e2e_capture_line(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	int ok = fgets(out, (int)cap, p) != NULL;
	int st = pclose(p);
	if (!ok || st != 0)
		return -1;
	out[strcspn(out, "\n")] = 0;
	return 0;
}

void e2e_dump(const char *log)
{
	FILE *f = fopen(log, "r");
	if (f == NULL)
		return;
	char buf[4096];
	size_t n;
	fprintf(stderr, "---- %s ----\n", log);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stderr);
	fprintf(stderr, "---- end ----\n");
	fclose(f);
}

/* ---- one workload run, counted by strace or by syswatch --------------- */

int e2e_no_ptrace(void)
{
	if (e2e_sh_quiet("strace -f -c -o /dev/null true") == 0)
		return 0;
	fprintf(stderr, "SKIPPED: strace -f -c true fails here (no strace, or ptrace is "
			"not allowed: CAP_SYS_PTRACE, seccomp, yama ptrace_scope)\n");
	return 1;
}

/* The files and words of one e2e_run_counted run. */
struct counted_run {
	char res[4096];	  /* the counting tool's output */
	char dir[4096];	  /* the workload's scratch directory */
	char tal[4096];	  /* the workload's tally */
	char log[4096];	  /* stdout and stderr of the run */
	char nbuf[32];	  /* the iteration count, as text */
	char optbuf[256]; /* the workload's options, split in place */
};

/* The command line of run r into argv (cap entries, the last NULL): the
 * counting tool writing to r->res, then the workload and its arguments.
 * 0, or -1 with a line on stderr. */
static int counted_argv(char **argv, size_t cap, int under_strace, const char *workload,
			struct counted_run *r)
{
	static char *const strace_pre[] = {"strace", "-f", "-c", "-w", "-o"};
	static char *const sw_pre[] = {NULL, "run", "--format", "json", "-o"};
	char *const *pre = under_strace ? strace_pre : sw_pre;
	size_t k = 0;
	for (size_t i = 0; i < 5; i++)
		argv[k++] = pre[i];
	if (!under_strace && (argv[0] = (char *)e2e_syswatch()) == NULL)
		return -1;
	argv[k++] = r->res;
	argv[k++] = "--";
	argv[k++] = (char *)workload;
	for (char *s = strtok(r->optbuf, " "); s != NULL; s = strtok(NULL, " ")) {
		if (k + 4 >= cap) {
			fprintf(stderr, "e2e: too many options for %s\n", workload);
			return -1;
		}
		argv[k++] = s;
	}
	argv[k++] = r->nbuf;
	argv[k++] = r->dir;
	argv[k++] = r->tal;
	argv[k] = NULL;
	return 0;
}

int e2e_run_counted(const char *tmp, int under_strace, const char *workload,
		    const char *opts, long n, struct e2e_table *out, struct e2e_table *tally)
{
	struct counted_run r;
	const char *tag = under_strace ? "strace" : "sw";
	snprintf(r.res, sizeof r.res, "%s/%s-n%ld.%s", tmp, tag, n,
		 under_strace ? "txt" : "json");
	snprintf(r.dir, sizeof r.dir, "%s/%s-n%ld.d", tmp, tag, n);
	snprintf(r.tal, sizeof r.tal, "%s/%s-n%ld.tally", tmp, tag, n);
	snprintf(r.log, sizeof r.log, "%s/%s-n%ld.log", tmp, tag, n);
	snprintf(r.nbuf, sizeof r.nbuf, "%ld", n);
	if ((size_t)snprintf(r.optbuf, sizeof r.optbuf, "%s", opts) >= sizeof r.optbuf)
		return fail("options too long", workload);
	char *argv[40];
	if (counted_argv(argv, sizeof argv / sizeof argv[0], under_strace, workload, &r) < 0)
		return -1;
	int st = e2e_run(argv, r.log);
	if (st != 0) {
		e2e_dump(r.log);
		fprintf(stderr, "e2e: %s ... %s %s %ld exited with %d\n", argv[0], workload, opts,
			n, st);
		return -1;
	}
	if ((under_strace ? e2e_read_strace_c(r.res, out) : e2e_read_json(r.res, out)) != 0)
		return -1;
	return tally != NULL ? e2e_read_tally(r.tal, tally) : 0;
}

int e2e_diffs_n_minus_0(const char *tmp, const char *workload, const char *opts, long n,
			struct e2e_table *ds, struct e2e_table *dw, struct e2e_table *dt)
{
	static struct e2e_table st_n, st_0, sw_n, sw_0, tal_n, tal_0;
	if (e2e_run_counted(tmp, 1, workload, opts, n, &st_n, dt ? &tal_n : NULL) != 0 ||
	    e2e_run_counted(tmp, 1, workload, opts, 0, &st_0, dt ? &tal_0 : NULL) != 0 ||
	    e2e_run_counted(tmp, 0, workload, opts, n, &sw_n, NULL) != 0 ||
	    e2e_run_counted(tmp, 0, workload, opts, 0, &sw_0, NULL) != 0)
		return -1;
	e2e_sub(ds, &st_n, &st_0);
	e2e_sub(dw, &sw_n, &sw_0);
	if (dt != NULL)
		e2e_sub(dt, &tal_n, &tal_0);
	return 0;
}

int e2e_find_python(char *out, size_t cap)
{
	if (e2e_capture_line("python3 -c 'import sys; print(sys.executable)' 2>/dev/null", out,
			     cap) != 0 ||
	    *out == 0) {
		fprintf(stderr, "SKIPPED: no python3 on PATH\n");
		return -1;
	}
	FILE *f = fopen(out, "rb");
	char magic[4] = {0};
	int elf = f != NULL && fread(magic, 1, 4, f) == 4 && memcmp(magic, "\177ELF", 4) == 0;
	if (f != NULL)
		fclose(f);
	if (!elf) {
		fprintf(stderr, "e2e: sys.executable %s is not an ELF binary: it would trace a "
				"launcher\n", out);
		return -2;
	}
	return 0;
}

int e2e_py_prepare(struct e2e_py *p, const char *tag)
{
	int found = e2e_find_python(p->py, sizeof p->py);
	if (found != 0)
		return found;
	if (e2e_tmpdir(p->tmp, sizeof p->tmp, tag) != 0)
		return -2;
	snprintf(p->strace, sizeof p->strace, "%s/strace.txt", p->tmp);
	snprintf(p->json, sizeof p->json, "%s/syswatch.json", p->tmp);
	snprintf(p->log, sizeof p->log, "%s/log", p->tmp);
	setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
	char *plain[] = {p->py, "-c", E2E_PY_IMPORTS, NULL};
	if (e2e_run(plain, p->log) != 0) {
		e2e_dump(p->log);
		fprintf(stderr, "e2e: %s -c '%s' fails on its own\n", p->py, E2E_PY_IMPORTS);
		return -2;
	}
	return 0;
}
