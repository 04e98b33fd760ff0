/*
 * robust.c - helpers of the robustness tests (see robust.h).
 */
#define _GNU_SOURCE
#include "robust.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "robust: %s: %s\n", path, what);
	return -1;
}

/* ---- the JSON report ---------------------------------------------------- */

static long long get_int(json_object *o, const char *key, long long dflt)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return dflt;
	return json_object_get_int64(v);
}

int rb_read_report(const char *path, struct rb_report *r)
{
	memset(r, 0, sizeof *r);
	if (e2e_read_json(path, &r->table) != 0)
		return -1;
	json_object *root = json_object_from_file(path);
	if (root == NULL)
		return fail("not JSON", path);
	r->threads_lost = get_int(root, "threads_lost", -1);
	r->dropped = get_int(root, "dropped_events", -1);
	json_object *procs, *warns;
	if (json_object_object_get_ex(root, "processes", &procs) &&
	    json_object_is_type(procs, json_type_array)) {
		size_t n = json_object_array_length(procs);
		for (size_t i = 0; i < n && r->nprocs < RB_MAX_PROCS; i++) {
			json_object *p = json_object_array_get_idx(procs, i), *v;
			struct rb_proc *q = &r->procs[r->nprocs++];
			q->pid = (int)get_int(p, "pid", -1);
			q->threads = get_int(p, "threads", -1);
			if (json_object_object_get_ex(p, "command", &v) && v != NULL)
				snprintf(q->command, sizeof q->command, "%s",
					 json_object_get_string(v));
			if (json_object_object_get_ex(p, "exit_status", &v) && v != NULL &&
			    json_object_is_type(v, json_type_int)) {
				q->has_exit = 1;
				q->exit_status = json_object_get_int(v);
			}
		}
	}
	if (json_object_object_get_ex(root, "warnings", &warns) &&
	    json_object_is_type(warns, json_type_array)) {
		size_t n = json_object_array_length(warns);
		for (size_t i = 0; i < n && r->nwarnings < RB_MAX_WARNINGS; i++) {
			json_object *w = json_object_array_get_idx(warns, i);
			snprintf(r->warnings[r->nwarnings++], sizeof r->warnings[0], "%s",
				 json_object_get_string(w));
		}
	}
	json_object_put(root);
	return 0;
}

const struct rb_proc *rb_proc_find(const struct rb_report *r, int pid)
{
	for (int i = 0; i < r->nprocs; i++)
		if (r->procs[i].pid == pid)
			return &r->procs[i];
	return NULL;
}

long long rb_calls(const struct e2e_table *t, const char *row)
{
	const struct e2e_row *x = e2e_find(t, row);
	return x ? x->calls : 0;
}

long long rb_errors(const struct e2e_table *t, const char *row)
{
	const struct e2e_row *x = e2e_find(t, row);
	return x ? x->errors : 0;
}

int rb_warning_has(const struct rb_report *r, const char *const *words)
{
	for (int i = 0; i < r->nwarnings; i++) {
		int all = 1;
		for (const char *const *w = words; *w && all; w++)
			all = strstr(r->warnings[i], *w) != NULL;
		if (all)
			return 1;
	}
	return 0;
}

/* ---- running programs --------------------------------------------------- */

/* environ + cmd->env, in a malloc'd array (strings are not copied). */
static char **make_env(const struct rb_cmd *cmd)
{
	size_t n = 0, m = 0;
	if (!cmd->clear_env)
		while (environ[n])
			n++;
	while (cmd->env && cmd->env[m])
		m++;
	char **v = calloc(n + m + 1, sizeof *v);
	if (v == NULL)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int drop = 0;
		size_t kl = strcspn(environ[i], "=");
		for (size_t j = 0; j < m && !drop; j++) {
			size_t jl = strcspn(cmd->env[j], "=");
			drop = jl == kl && strncmp(environ[i], cmd->env[j], kl) == 0;
		}
		if (!drop)
			v[k++] = environ[i];
	}
	for (size_t j = 0; j < m; j++)
		if (strchr(cmd->env[j], '=') != NULL)
			v[k++] = (char *)cmd->env[j];
	v[k] = NULL;
	return v;
}

static int redirect(int fd, const char *path)
{
	int f = open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (f < 0 || dup2(f, fd) < 0)
		return -1;
	close(f);
	return 0;
}

pid_t rb_start(const struct rb_cmd *cmd)
{
	char **env = make_env(cmd);
	if (env == NULL)
		return -1;
	/* The files are created here, as root, and handed over to the user. */
	const char *files[2] = {cmd->out, cmd->err};
	for (int i = 0; i < 2; i++) {
		if (files[i] == NULL)
			continue;
		int f = open(files[i], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (f >= 0) {
			if (cmd->uid != 0 && fchown(f, cmd->uid, cmd->gid) != 0)
				perror("robust: fchown");
			close(f);
		}
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		free(env);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		if (redirect(1, cmd->out) < 0 || redirect(2, cmd->err) < 0)
			_exit(125);
		signal(SIGPIPE, SIG_DFL);
		if (cmd->uid != 0) {
			gid_t g = cmd->gid;
			if (setgroups(1, &g) != 0 || setresgid(g, g, g) != 0 ||
			    setresuid(cmd->uid, cmd->uid, cmd->uid) != 0)
				_exit(125);
		}
		execve(cmd->argv[0], cmd->argv, env);
		dprintf(2, "robust: cannot run %s: %s\n", cmd->argv[0], strerror(errno));
		_exit(127);
	}
	free(env);
	return pid;
}

int rb_wait(pid_t pid, int timeout_ms)
{
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int st;
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (r < 0 && errno != EINTR)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms > timeout_ms) {
			fprintf(stderr, "robust: pid %d still runs after %d ms: killed\n", (int)pid,
				timeout_ms);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -2;
		}
		struct timespec d = {0, 2000000};
		nanosleep(&d, NULL);
	}
}

int rb_run(const struct rb_cmd *cmd, int timeout_ms)
{
	pid_t pid = rb_start(cmd);
	return pid < 0 ? -1 : rb_wait(pid, timeout_ms);
}

int rb_syswatch(const char *dir, const char *tag, const char *const *opts,
		char *const *prog, const char *const *env, struct rb_report *rep,
		int timeout_ms)
{
	const char *sw = e2e_syswatch();
	if (sw == NULL)
		return -1;
	char json[4096], out[4096], err[4096];
	snprintf(json, sizeof json, "%s/%s.json", dir, tag);
	snprintf(out, sizeof out, "%s/%s.out", dir, tag);
	snprintf(err, sizeof err, "%s/%s.err", dir, tag);
	unlink(json);
	unlink(out);
	unlink(err);
	char *argv[128];
	int k = 0;
	argv[k++] = (char *)sw;
	argv[k++] = "run";
	for (int i = 0; opts && opts[i] && k < 100; i++)
		argv[k++] = (char *)opts[i];
	argv[k++] = "--format";
	argv[k++] = "json";
	argv[k++] = "-o";
	argv[k++] = json;
	argv[k++] = "--";
	for (int i = 0; prog[i] && k < 127; i++)
		argv[k++] = prog[i];
	argv[k] = NULL;
	struct rb_cmd cmd = {.argv = argv, .env = env, .out = out, .err = err};
	int st = rb_run(&cmd, timeout_ms);
	if (rep != NULL) {
		memset(rep, 0, sizeof *rep);
		rep->nprocs = -1;
		if (access(json, F_OK) == 0 && rb_read_report(json, rep) != 0)
			rep->nprocs = -1;
	}
	return st;
}

/* ---- files -------------------------------------------------------------- */

char *rb_slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, n = 0, k;
	char *buf = malloc(cap);
	while (buf != NULL && (k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += k;
		if (cap - n - 1 == 0) {
			char *b = realloc(buf, cap * 2);
			if (b == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf != NULL)
		buf[n] = 0;
	return buf;
}

int rb_count_lines(const char *text)
{
	int n = 0;
	for (const char *s = text; s && *s; s++)
		if (*s == '\n' || s[1] == 0)
			n++;
	return n;
}

int rb_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f == NULL)
		return fail(strerror(errno), path);
	fputs(text, f);
	return fclose(f) == 0 ? 0 : -1;
}

int rb_tmpdir(char *out, size_t cap, const char *tag)
{
	const char *b = e2e_build_dir();
	if (b == NULL)
		return -1;
	char base[4096];
	snprintf(base, sizeof base, "%s/robust-tmp", b);
	if (mkdir(base, 0755) != 0 && errno != EEXIST)
		return fail(strerror(errno), base);
	chmod(base, 0755);
	if ((size_t)snprintf(out, cap, "%s/%s.XXXXXX", base, tag) >= cap)
		return fail("path too long", base);
	if (mkdtemp(out) == NULL)
		return fail(strerror(errno), out);
	chmod(out, 0755);
	return 0;
}

const char *rb_bin(const char *name)
{
	static char path[8][4096];
	static int next;
	char *p = path[next++ % 8];
	snprintf(p, sizeof path[0], "%s/%s", RB_BINDIR, name);
	return p;
}

const char *rb_shim(void)
{
	static char path[4096];
	const char *b = e2e_build_dir();
	if (b == NULL)
		return NULL;
	snprintf(path, sizeof path, "%s/libsyswatch.so", b);
	return path;
}

int rb_read_pid(const char *path)
{
	char *s = rb_slurp(path);
	if (s == NULL)
		return -1;
	int pid = atoi(s);
	free(s);
	return pid > 0 ? pid : -1;
}

/* ---- exact counts ------------------------------------------------------- */

static int listed(const char *name, const char *const *skip)
{
	for (; skip && *skip; skip++)
		if (strcmp(*skip, name) == 0)
			return 1;
	return 0;
}

int rb_expect_exact(const char *what, const struct e2e_table *rep_n,
		    const struct e2e_table *rep_0, const struct e2e_table *tally_n,
		    const struct e2e_table *tally_0, const char *const *skip)
{
	static struct e2e_table rd, td, all;
	e2e_sub(&rd, rep_n, rep_0);
	e2e_sub(&td, tally_n, tally_0);
	e2e_sub(&all, &rd, &td); /* every name of either side */

	printf("\n%s: syswatch(N) - syswatch(0) against the program's own tally\n", what);
	printf("  %-16s %10s %10s   %10s %10s\n", "row", "sw calls", "sw errors", "did calls",
	       "did errors");
	int bad = 0;
	for (int i = 0; i < all.n; i++) {
		const char *name = all.rows[i].name;
		long long dc = rb_calls(&rd, name), de = rb_errors(&rd, name);
		long long tc = rb_calls(&td, name), te = rb_errors(&td, name);
		int timing = e2e_row_kind(name, &rd) == E2E_SLOW_PATH;
		int skipped = listed(name, skip);
		int ok = timing || skipped || (dc == tc && de == te);
		bad += !ok;
		if (dc != 0 || de != 0 || tc != 0 || te != 0 || !ok)
			printf("  %-16s %10lld %10lld   %10lld %10lld   %s\n", name, dc, de, tc, te,
			       !ok	 ? "<-- differs"
			       : timing	 ? e2e_kind_note(E2E_SLOW_PATH)
			       : skipped ? "(checked separately)"
					 : "");
	}
	fflush(stdout);
	return bad;
}
