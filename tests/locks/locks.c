/*
 * locks.c - helpers of the lock-attribution acceptance tests (see locks.h).
 */
#define _GNU_SOURCE
#include "locks.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "locks: %s: %s\n", path, what);
	return -1;
}

/* ---- the JSON report --------------------------------------------------- */

json_object *lk_load(const char *path)
{
	json_object *root = json_object_from_file(path);
	if (root == NULL)
		fail(json_util_get_last_err() ? json_util_get_last_err() : "not JSON", path);
	return root;
}

json_object *lk_get(json_object *o, const char *key)
{
	json_object *v;
	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

double lk_num(json_object *o, const char *key, double dflt)
{
	json_object *v = lk_get(o, key);
	if (v == NULL ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return dflt;
	return json_object_get_double(v);
}

const char *lk_str(json_object *o, const char *key)
{
	json_object *v = lk_get(o, key);
	if (v == NULL || !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

int lk_bool(json_object *o, const char *key)
{
	json_object *v = lk_get(o, key);
	if (v == NULL)
		return -1;
	return json_object_get_boolean(v) ? 1 : 0;
}

size_t lk_len(json_object *o, const char *key)
{
	json_object *v = lk_get(o, key);
	if (v == NULL || !json_object_is_type(v, json_type_array))
		return 0;
	return json_object_array_length(v);
}

json_object *lk_at(json_object *o, const char *key, size_t i)
{
	return json_object_array_get_idx(lk_get(o, key), i);
}

unsigned long long lk_addr(json_object *lock)
{
	json_object *v = lk_get(lock, "address");
	if (v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_string))
		return strtoull(json_object_get_string(v), NULL, 0);
	return (unsigned long long)json_object_get_int64(v);
}

json_object *lk_row(json_object *report, const char *name)
{
	for (size_t i = 0; i < lk_len(report, "syscalls"); i++) {
		json_object *r = lk_at(report, "syscalls", i);
		if (strcmp(lk_str(r, "name"), name) == 0)
			return r;
	}
	return NULL;
}

json_object *lk_lock_at(json_object *report, unsigned long long addr, const char *kind)
{
	for (size_t i = 0; i < lk_len(report, "locks"); i++) {
		json_object *l = lk_at(report, "locks", i);
		if (lk_addr(l) == addr && (kind == NULL || strcmp(lk_str(l, "kind"), kind) == 0))
			return l;
	}
	return NULL;
}

const char *lk_keys(json_object *o, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = 0;
	if (o == NULL || !json_object_is_type(o, json_type_object))
		return out;
	json_object_object_foreach(o, k, v)
	{
		(void)v;
		int w = snprintf(out + n, cap - n, "%s%s", n ? "," : "", k);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
	}
	return out;
}

/* ---- the exec log ------------------------------------------------------ */

int lk_exec_read(const char *path, struct lk_exec *x)
{
	memset(x, 0, sizeof *x);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return fail(strerror(errno), path);
	char mod[256];
	long tid;
	int cap = 0, n;
	while ((n = fscanf(f, "%255s %ld", mod, &tid)) == 2) {
		if (lk_exec_tid(x, mod) != 0)
			x->dup++;
		if (x->n == cap) {
			cap = cap ? 2 * cap : 256;
			void *p = realloc(x->lines, (size_t)cap * sizeof *x->lines);
			if (p == NULL) {
				fclose(f);
				return fail("out of memory", path);
			}
			x->lines = p;
		}
		snprintf(x->lines[x->n].module, sizeof x->lines[x->n].module, "%s", mod);
		x->lines[x->n++].tid = tid;
	}
	fclose(f);
	if (n != EOF)
		return fail("not an exec log (\"<module> <tid>\" lines)", path);
	return 0;
}

long lk_exec_tid(const struct lk_exec *x, const char *module)
{
	for (int i = 0; i < x->n; i++)
		if (strcmp(x->lines[i].module, module) == 0)
			return x->lines[i].tid;
	return 0;
}

int lk_exec_has_tid(const struct lk_exec *x, long tid)
{
	for (int i = 0; i < x->n; i++)
		if (x->lines[i].tid == tid)
			return 1;
	return 0;
}

void lk_exec_free(struct lk_exec *x)
{
	free(x->lines);
	memset(x, 0, sizeof *x);
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t k = strlen(suffix);
	return len >= k && memcmp(s + len - k, suffix, k) == 0;
}

int lk_module_name(const char *s, const char *pkg, char *out, size_t cap)
{
	size_t pl = strlen(pkg);
	if (strchr(s, '/') == NULL) {
		/* already dotted: "slowpkg.core.foo" (tolerate a ".py") */
		size_t len = strlen(s);
		if (ends_with(s, len, ".py"))
			len -= 3;
		if (len < pl || memcmp(s, pkg, pl) != 0 || (len > pl && s[pl] != '.') || len >= cap)
			return -1;
		memcpy(out, s, len);
		out[len] = 0;
		return 0;
	}
	/* a path: from the last "/<pkg>/" component on */
	char needle[300];
	snprintf(needle, sizeof needle, "/%s/", pkg);
	const char *p = NULL;
	for (const char *q = strstr(s, needle); q; q = strstr(q + 1, needle))
		p = q;
	if (p == NULL && strncmp(s, needle + 1, pl + 1) == 0)
		p = s - 1; /* relative path starting with "<pkg>/" */
	if (p == NULL)
		return -1;
	p++;
	char tmp[1024];
	if (snprintf(tmp, sizeof tmp, "%s", p) >= (int)sizeof tmp)
		return -1;
	/* drop a __pycache__ component: dir/__pycache__/mod.cpython-311.pyc */
	char *pc = strstr(tmp, "/__pycache__/");
	if (pc != NULL)
		memmove(pc, pc + 12, strlen(pc + 12) + 1);
	char *base = strrchr(tmp, '/');
	base = base ? base + 1 : tmp;
	size_t len = strlen(tmp);
	if (pc != NULL || ends_with(tmp, len, ".so")) {
		/* mod.cpython-311.pyc, mod.cpython-311-x86_64-linux-gnu.so */
		char *dot = strchr(base, '.');
		if (dot == NULL)
			return -1;
		*dot = 0;
	} else if (ends_with(tmp, len, ".py") || ends_with(tmp, len, ".pyc")) {
		*strrchr(base, '.') = 0;
	} else {
		return -1; /* a directory or some other file: names no module */
	}
	len = strlen(tmp);
	if (ends_with(tmp, len, "/__init__"))
		tmp[len - 9] = 0;
	for (char *c = tmp; *c; c++)
		if (*c == '/')
			*c = '.';
	if (strlen(tmp) >= cap)
		return -1;
	strcpy(out, tmp);
	return 0;
}

/* ---- workloads ---------------------------------------------------------- */

int lk_tally_read(const char *path, struct lk_tally *t)
{
	memset(t, 0, sizeof *t);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return fail(strerror(errno), path);
	char line[512];
	int cap = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = 0;
		char *sp = strchr(line, ' ');
		if (line[0] == 0 || line[0] == '#' || sp == NULL)
			continue;
		*sp = 0;
		if (t->n == cap) {
			cap = cap ? 2 * cap : 64;
			void *p = realloc(t->lines, (size_t)cap * sizeof *t->lines);
			if (p == NULL) {
				fclose(f);
				return fail("out of memory", path);
			}
			t->lines = p;
		}
		snprintf(t->lines[t->n].key, sizeof t->lines[t->n].key, "%.63s", line);
		snprintf(t->lines[t->n].val, sizeof t->lines[t->n].val, "%.191s", sp + 1);
		t->n++;
	}
	fclose(f);
	return 0;
}

const char *lk_tally_nth(const struct lk_tally *t, const char *key, int i)
{
	for (int k = 0; k < t->n; k++)
		if (strcmp(t->lines[k].key, key) == 0 && i-- == 0)
			return t->lines[k].val;
	return NULL;
}

double lk_tally_num(const struct lk_tally *t, const char *key, double dflt)
{
	const char *v = lk_tally_nth(t, key, 0);
	return v ? strtod(v, NULL) : dflt;
}

unsigned long long lk_tally_hex(const struct lk_tally *t, const char *key)
{
	const char *v = lk_tally_nth(t, key, 0);
	return v ? strtoull(v, NULL, 0) : 0;
}

void lk_tally_free(struct lk_tally *t)
{
	free(t->lines);
	memset(t, 0, sizeof *t);
}

int lk_run(char *const argv[], const char *log, int limit_s)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	/* its own process group, so a timeout kills the whole tree */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	if (log != NULL) {
		posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	}
	pid_t pid;
	int e = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (e != 0) {
		fprintf(stderr, "locks: cannot run %s: %s\n", argv[0], strerror(e));
		return -1;
	}
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int st, killed = 0;
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!killed && now.tv_sec - t0.tv_sec >= limit_s) {
			fprintf(stderr, "locks: %s still running after %d s: killed\n", argv[0],
				limit_s);
			kill(-pid, SIGKILL);
			killed = 1;
		}
		usleep(20000);
	}
	if (killed)
		return 124;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

char *lk_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			char *p = realloc(buf, cap);
			if (p == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf == NULL)
		buf = calloc(1, 1);
	else
		buf[len] = 0;
	return buf;
}

/* ---- Python ------------------------------------------------------------- */

static int is_elf(const char *path)
{
	FILE *f = fopen(path, "rb");
	char magic[4] = {0};
	int elf = f != NULL && fread(magic, 1, 4, f) == 4 && memcmp(magic, "\177ELF", 4) == 0;
	if (f != NULL)
		fclose(f);
	return elf;
}

static int version_of(const char *py, char *out, size_t cap)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd,
		 "'%s' -c 'import sys; print(\"%%d.%%d\" %% sys.version_info[:2])' 2>/dev/null",
		 py);
	FILE *p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	int ok = fgets(out, (int)cap, p) != NULL;
	if (pclose(p) != 0 || !ok)
		return -1;
	out[strcspn(out, "\n")] = 0;
	return 0;
}

int lk_find_python(const char *ver, char *out, size_t cap, char *why, size_t whycap)
{
	char v[32];
	FILE *p = popen("python3 -c 'import sys; print(sys.executable)' 2>/dev/null", "r");
	if (p != NULL) {
		int ok = fgets(out, (int)cap, p) != NULL;
		if (pclose(p) == 0 && ok) {
			out[strcspn(out, "\n")] = 0;
			if (is_elf(out) && version_of(out, v, sizeof v) == 0 && strcmp(v, ver) == 0)
				return 0;
		}
	}
	char root[2048] = "";
	p = popen("pyenv root 2>/dev/null", "r");
	if (p != NULL) {
		if (fgets(root, sizeof root, p) == NULL)
			root[0] = 0;
		if (pclose(p) != 0)
			root[0] = 0;
		root[strcspn(root, "\n")] = 0;
	}
	if (root[0] == 0) {
		snprintf(why, whycap, "python %s: python3 is not %s and there is no pyenv", ver,
			 ver);
		return -1;
	}
	char pat[2200];
	snprintf(pat, sizeof pat, "%s/versions/%s.*/bin/python3", root, ver);
	glob_t g;
	if (glob(pat, 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		snprintf(why, whycap, "python %s: not installed (no %s)", ver, pat);
		return -1;
	}
	/* glob sorts by name; prefer the highest patch level */
	const char *best = NULL;
	int best_patch = -1;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *s =
		    g.gl_pathv[i] + strlen(root) + strlen("/versions/") + strlen(ver) + 1;
		int patch = atoi(s);
		if (is_elf(g.gl_pathv[i]) && patch > best_patch) {
			best = g.gl_pathv[i];
			best_patch = patch;
		}
	}
	int rc = -1;
	if (best == NULL)
		snprintf(why, whycap, "python %s: %s matches no ELF interpreter", ver, pat);
	else if (version_of(best, v, sizeof v) != 0 || strcmp(v, ver) != 0)
		snprintf(why, whycap, "python %s: %s does not run as %s", ver, best, ver);
	else if (snprintf(out, cap, "%s", best) < (int)cap)
		rc = 0;
	globfree(&g);
	return rc;
}

/* ---- reading a blocker ----------------------------------------------------- */

#include "syswatch/rows.h"

static const struct {
	const char *name;
	enum sw_class cls;
} row_classes[] = {
#define ROW_DEF(id, name, cls, flags) {name, cls},
    SW_ROWS(ROW_DEF)
#undef ROW_DEF
};

int lk_is_file_row(const char *name)
{
	for (size_t i = 0; i < sizeof row_classes / sizeof row_classes[0]; i++)
		if (strcmp(row_classes[i].name, name) == 0)
			return row_classes[i].cls == SW_CLASS_FILE ||
			       row_classes[i].cls == SW_CLASS_DESC;
	return 0;
}

int lk_is_outside(const char *syscall)
{
	return strncmp(syscall, "outside calls", 13) == 0;
}

static int under(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	while (n > 1 && prefix[n - 1] == '/')
		n--;
	return strncmp(path, prefix, n) == 0 && (path[n] == '/' || path[n] == 0);
}

void lk_activity(json_object *b, const char *prefix, struct lk_act *a)
{
	memset(a, 0, sizeof *a);
	a->top = "";
	for (size_t i = 0; i < lk_len(b, "activity"); i++) {
		json_object *e = lk_at(b, "activity", i);
		const char *sc = lk_str(e, "syscall");
		double s = lk_num(e, "seconds", 0);
		a->total += s;
		if (lk_is_file_row(sc)) {
			a->file += s;
			if (prefix != NULL && under(lk_str(e, "top_path"), prefix))
				a->file_under += s;
		} else if (strcmp(sc, "clock_nanosleep") == 0) {
			a->sleep += s;
		} else if (lk_is_outside(sc)) {
			a->outside += s;
		} else if (strcmp(sc, "futex") == 0) {
			a->futex += s;
		}
		if (s > a->top_seconds) {
			a->top_seconds = s;
			a->top = sc;
		}
	}
}

void lk_print_locks(json_object *report, int max_locks, int max_blockers)
{
	size_t n = lk_len(report, "locks");
	printf("  %zu locks in the report (the first %d):\n", n, max_locks);
	for (size_t i = 0; i < n && (int)i < max_locks; i++) {
		json_object *l = lk_at(report, "locks", i);
		char keys[1024];
		printf("  lock %s %-6s waits %-5.0f waiters %-3.0f wait %.6f s wall %.6f s, "
		       "attributed %.6f, unattributed %.6f, incomplete %.6f (%.0f waits)\n",
		       lk_str(l, "address"), lk_str(l, "kind"), lk_num(l, "waits", -1),
		       lk_num(l, "waiters", -1), lk_num(l, "wait_seconds", -1),
		       lk_num(l, "wall_wait_seconds", -1), lk_num(l, "attributed_wait_seconds", -1),
		       lk_num(l, "unattributed_wait_seconds", -1),
		       lk_num(l, "incomplete_wait_seconds", -1), lk_num(l, "incomplete_waits", -1));
		if (i == 0)
			printf("    (lock keys: %s)\n", lk_keys(l, keys, sizeof keys));
		for (size_t j = 0; j < lk_len(l, "blockers") && (int)j < max_blockers; j++) {
			json_object *b = lk_at(l, "blockers", j);
			printf("     blocker tid %-7.0f holds %-4.0f hold %.6f attributed %.6f "
			       "(latency %.6f)%s%s module %s\n",
			       lk_num(b, "tid", -1), lk_num(b, "holds", -1),
			       lk_num(b, "hold_seconds", -1),
			       lk_num(b, "attributed_wait_seconds", -1),
			       lk_num(b, "wakeup_latency_seconds", -1),
			       lk_bool(b, "complete") == 0 ? " INCOMPLETE" : "",
			       lk_get(b, "via_tid") && lk_num(b, "via_tid", 0) ? " via chain" : "",
			       lk_str(b, "module"));
			if (i == 0 && j == 0)
				printf("    (blocker keys: %s)\n", lk_keys(b, keys, sizeof keys));
			for (size_t k = 0; k < lk_len(b, "activity") && k < 6; k++) {
				json_object *e = lk_at(b, "activity", k);
				printf("        %-34s %.6f s %6.0f calls  %s\n",
				       lk_str(e, "syscall"), lk_num(e, "seconds", 0),
				       lk_num(e, "calls", 0), lk_str(e, "top_path"));
			}
		}
	}
	fflush(stdout);
}

#include <ftw.h>

static int rm_one(const char *p, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type, (void)ftw;
	remove(p);
	return 0;
}

void lk_rmtree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

int lk_check_sums(json_object *report)
{
	int bad = 0;
	for (size_t i = 0; i < lk_len(report, "locks"); i++) {
		json_object *l = lk_at(report, "locks", i);
		double w = lk_num(l, "wait_seconds", 0),
		       a = lk_num(l, "attributed_wait_seconds", -1);
		double u = lk_num(l, "unattributed_wait_seconds", -1);
		double inc = lk_num(l, "incomplete_wait_seconds", -1);
		/* six decimals per number: 0.5 us of rounding each */
		double tol = 2e-6 * (4 + (double)lk_len(l, "blockers"));
		if (a < 0 || u < 0 || inc < 0 ||
		    (a + u + inc - w > tol || w - (a + u + inc) > tol)) {
			if (bad++ < 10)
				printf("  SUMS: lock %s: attributed %.6f + unattributed %.6f + "
				       "incomplete %.6f != wait %.6f\n",
				       lk_str(l, "address"), a, u, inc, w);
		}
		double ba = 0;
		for (size_t j = 0; j < lk_len(l, "blockers"); j++) {
			json_object *b = lk_at(l, "blockers", j);
			ba += lk_num(b, "attributed_wait_seconds", 0);
			double h = lk_num(b, "hold_seconds", 0), act = 0;
			for (size_t k = 0; k < lk_len(b, "activity"); k++)
				act += lk_num(lk_at(b, "activity", k), "seconds", 0);
			double t2 = 1e-6 * (1 + (double)lk_len(b, "activity"));
			if (act - h > t2 || h - act > t2) {
				if (bad++ < 10)
					printf(
					    "  SUMS: lock %s blocker %.0f: activity %.6f s != hold "
					    "%.6f s\n",
					    lk_str(l, "address"), lk_num(b, "tid", 0), act, h);
			}
		}
		if (ba - a > tol || a - ba > tol) {
			if (bad++ < 10)
				printf("  SUMS: lock %s: blockers' attributed %.6f != the lock's "
				       "%.6f\n",
				       lk_str(l, "address"), ba, a);
		}
	}
	fflush(stdout);
	return bad;
}
