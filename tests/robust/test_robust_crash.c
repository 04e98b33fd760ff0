/*
 * test_robust_crash.c - crashes (issue 4, criterion 1): the program killed
 * with SIGKILL, crashing with SIGSEGV or abort() mid-run, with the report
 * checked against the program's own account of how far it got; the
 * collector killed while the program runs (the program must not notice).
 *
 * rb_crash keeps its progress in a shared file mapping: stores, not
 * system calls, so the account costs nothing syswatch could count, and it
 * survives the program's death. One iteration is getcwd, a failing access
 * and two writes; with P complete iterations a row that an iteration
 * calls k times must show between P*k and (P+1)*k calls per thread.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "robust.h"

struct progress { /* as in rb_crash.c */
	int64_t pid;
	int64_t nthreads;
	int64_t ready;
	int64_t iters[16];
};

static struct progress *map_progress(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0 || ftruncate(fd, 4096) != 0)
		return NULL;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&d, NULL);
}

static char *const *sw_argv(const char *json, char *const *prog)
{
	static char *argv[32];
	const char *sw = e2e_syswatch();
	int k = 0;
	argv[k++] = (char *)sw;
	argv[k++] = "run";
	argv[k++] = "--format";
	argv[k++] = "json";
	argv[k++] = "-o";
	argv[k++] = (char *)json;
	argv[k++] = "--";
	for (int i = 0; prog[i] && k < 31; i++)
		argv[k++] = prog[i];
	argv[k] = NULL;
	return argv;
}

/* Print and check one row against [lo, hi] calls (errors: all or none). */
static int row_within(const struct e2e_table *t, const char *row, long long lo, long long hi,
		      int all_fail)
{
	long long c = rb_calls(t, row), e = rb_errors(t, row);
	int ok = c >= lo && c <= hi && e == (all_fail ? c : 0);
	printf("  %-8s %10lld calls %10lld errors   program did [%lld, %lld]%s   %s\n", row, c, e,
	       lo, hi, all_fail ? ", all failing" : "", ok ? "" : "<-- outside");
	return ok;
}

/* ---- SIGKILL ------------------------------------------------------------ */

Test(crash, sigkill_mid_run_keeps_every_call_made_until_then, .timeout = 120)
{
	char tmp[4096], prog_path[4200], json[4200], err[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "sigkill"), 0);
	snprintf(prog_path, sizeof prog_path, "%s/progress", tmp);
	snprintf(json, sizeof json, "%s/r.json", tmp);
	snprintf(err, sizeof err, "%s/r.err", tmp);
	struct progress *pg = map_progress(prog_path);
	cr_assert_not_null(pg);
	enum { NT = 3 };
	char *prog[] = {(char *)rb_bin("rb_crash"), "kill", "3", prog_path, NULL};
	struct rb_cmd cmd = {.argv = sw_argv(json, prog), .err = err};
	pid_t sw = rb_start(&cmd);
	cr_assert_gt(sw, 0);

	/* wait until every thread is well into its loop, then kill */
	long long t0 = now_ms();
	int64_t total = 0;
	while (now_ms() - t0 < 30000) {
		total = 0;
		for (int i = 0; i < NT; i++)
			total += __atomic_load_n(&pg->iters[i], __ATOMIC_ACQUIRE);
		int all = __atomic_load_n(&pg->ready, __ATOMIC_ACQUIRE) != 0;
		for (int i = 0; i < NT && all; i++)
			all = __atomic_load_n(&pg->iters[i], __ATOMIC_ACQUIRE) > 500;
		if (all && total > 20000)
			break;
		sleep_ms(5);
	}
	pid_t pid = (pid_t)pg->pid;
	cr_assert_gt(pid, 0, "rb_crash never started");
	cr_assert_eq(kill(pid, SIGKILL), 0);
	int st = rb_wait(sw, 60000);
	if (st != 128 + SIGKILL)
		e2e_dump(err);
	cr_expect_eq(st, 128 + SIGKILL, "syswatch run exited %d, the program was SIGKILLed", st);

	int64_t done = 0;
	for (int i = 0; i < NT; i++)
		done += pg->iters[i];
	static struct rb_report rep;
	cr_assert_eq(rb_read_report(json, &rep), 0, "no report after SIGKILL");
	printf("\nSIGKILL after %lld complete iterations in %d threads:\n", (long long)done, NT);
	int ok = row_within(&rep.table, "getcwd", done, done + NT, 0);
	ok &= row_within(&rep.table, "access", done, done + NT, 1);
	ok &= row_within(&rep.table, "write", 2 * done, 2 * done + 2 * NT, 0);
	fflush(stdout);
	cr_expect(ok, "a row is outside what the program had done (table above)");
	cr_expect_eq(rep.nprocs, 1);
	const struct rb_proc *p = rb_proc_find(&rep, pid);
	cr_expect_not_null(p, "the killed process %d is not in the report", pid);
	if (p != NULL)
		cr_expect(!p->has_exit || p->exit_status != 0,
			  "a SIGKILLed process is reported with exit_status 0");
	if (ok)
		e2e_rmtree(tmp);
}

/* ---- SIGSEGV and abort -------------------------------------------------- */

/* rb_crash MODE 3000: 3000 complete iterations, then getcwd and one write
 * of the next, then the crash. Exact counts are known. */
static void crash_exact(const char *mode, int sig)
{
	char tmp[4096], prog_path[4200], json[4200], err[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, mode), 0);
	snprintf(prog_path, sizeof prog_path, "%s/progress", tmp);
	snprintf(json, sizeof json, "%s/r.json", tmp);
	snprintf(err, sizeof err, "%s/r.err", tmp);
	char *prog[] = {(char *)rb_bin("rb_crash"), (char *)mode, "3000", prog_path, NULL};
	struct rb_cmd cmd = {.argv = sw_argv(json, prog), .err = err};
	int st = rb_run(&cmd, 60000);
	if (st != 128 + sig)
		e2e_dump(err);
	cr_expect_eq(st, 128 + sig, "syswatch run exited %d, expected %d", st, 128 + sig);
	struct progress *pg = map_progress(prog_path);
	cr_assert_not_null(pg);
	long long done = pg->iters[0];
	cr_assert_eq(done, 3000, "the program says it completed %lld iterations", done);
	static struct rb_report rep;
	cr_assert_eq(rb_read_report(json, &rep), 0, "no report after %s", mode);
	printf("\n%s after %lld complete iterations and half of the next:\n", mode, done);
	int ok = row_within(&rep.table, "getcwd", done + 1, done + 1, 0);
	ok &= row_within(&rep.table, "access", done, done, 1);
	ok &= row_within(&rep.table, "write", 2 * done + 1, 2 * done + 1, 0);
	fflush(stdout);
	cr_expect(ok, "a row differs from what the program did before it crashed");
	cr_expect_eq(rep.nprocs, 1);
	if (ok)
		e2e_rmtree(tmp);
}

Test(crash, sigsegv_mid_run_keeps_every_call_made_until_then, .timeout = 120)
{
	crash_exact("segv", SIGSEGV);
}

Test(crash, abort_mid_run_keeps_every_call_made_until_then, .timeout = 120)
{
	crash_exact("abort", SIGABRT);
}

/* ---- the collector killed ----------------------------------------------- */

/* The pid of the collector the shim started for root (plain LD_PRELOAD):
 * `syswatch collect --session DIR --root-pid ROOT`. */
static pid_t find_collector(pid_t root, char *session, size_t cap)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = -1;
	char want[32];
	snprintf(want, sizeof want, "%d", (int)root);
	while (d && (de = readdir(d)) != NULL && found < 0) {
		char path[300], buf[8192];
		snprintf(path, sizeof path, "/proc/%s/cmdline", de->d_name);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		const char *args[32];
		int k = 0;
		for (char *s = buf; s < buf + n && k < 32; s += strlen(s) + 1)
			args[k++] = s;
		int is_collect = 0, is_root = 0;
		const char *sess = NULL;
		for (int i = 0; i < k; i++) {
			is_collect |= strcmp(args[i], "collect") == 0;
			if (i + 1 < k && strcmp(args[i], "--root-pid") == 0)
				is_root = strcmp(args[i + 1], want) == 0;
			if (i + 1 < k && strcmp(args[i], "--session") == 0)
				sess = args[i + 1];
		}
		if (is_collect && is_root) {
			found = atoi(de->d_name);
			if (session && sess)
				snprintf(session, cap, "%s", sess);
		}
	}
	if (d)
		closedir(d);
	return found;
}

struct victim_run {
	char tmp[4096];
	char plain_out[4200], out[4200], err[4200], go[4200], pidfile[4200];
	char session[4096];
	pid_t pid;
	int status;
	long long exit_delay_ms;
	long long ref_ms; /* the plain run, GO there from the start */
};

/* rb_victim plain (GO already there), for the reference output. */
static void victim_reference(struct victim_run *v)
{
	char pf[4300];
	snprintf(pf, sizeof pf, "%s/plain.pid", v->tmp);
	cr_assert_eq(rb_write_file(v->go, ""), 0);
	char *argv[] = {(char *)rb_bin("rb_victim"), pf, v->go, NULL};
	struct rb_cmd cmd = {.argv = argv, .out = v->plain_out};
	long long t0 = now_ms();
	cr_assert_eq(rb_run(&cmd, 60000), 5, "rb_victim without syswatch did not exit 5");
	v->ref_ms = now_ms() - t0;
	unlink(v->go);
}

static void victim_paths(struct victim_run *v, const char *tag)
{
	cr_assert_eq(rb_tmpdir(v->tmp, sizeof v->tmp, tag), 0);
	snprintf(v->plain_out, sizeof v->plain_out, "%s/plain.out", v->tmp);
	snprintf(v->out, sizeof v->out, "%s/run.out", v->tmp);
	snprintf(v->err, sizeof v->err, "%s/run.err", v->tmp);
	snprintf(v->go, sizeof v->go, "%s/go", v->tmp);
	snprintf(v->pidfile, sizeof v->pidfile, "%s/run.pid", v->tmp);
}

static pid_t wait_pidfile(const char *path)
{
	for (int i = 0; i < 3000; i++) {
		char *s = rb_slurp(path);
		pid_t pid = s && strncmp(s, "pid ", 4) == 0 ? atoi(s + 4) : -1;
		free(s);
		if (pid > 0)
			return pid;
		sleep_ms(10);
	}
	return -1;
}

static void expect_same_output(const struct victim_run *v)
{
	char *a = rb_slurp(v->plain_out), *b = rb_slurp(v->out);
	cr_assert(a && b, "no output");
	cr_expect_str_eq(b, a, "the program's output changed when its collector was killed");
	free(a);
	free(b);
}

/*
 * Plain LD_PRELOAD: the shim started its own collector; kill it. The shim
 * double-forks the collector, so it is adopted by the nearest subreaper,
 * normally pid 1. The test makes itself that subreaper and does not reap
 * the killed collector until the program has ended: a killed collector
 * stays a zombie for as long as its adopter has not waited for it (for
 * ever under a pid 1 that never reaps, as in many containers), and the
 * program must not wait for a zombie.
 */
static void kill_auto_collector(struct victim_run *v)
{
	victim_paths(v, "victim");
	victim_reference(v);
	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	char pre[4200], json[4300], outv[4400];
	snprintf(pre, sizeof pre, "LD_PRELOAD=%s", rb_shim());
	snprintf(json, sizeof json, "%s/run.json", v->tmp);
	snprintf(outv, sizeof outv, "SYSWATCH_OUTPUT=%s", json);
	const char *env[] = {pre, "SYSWATCH_REPORT=json", outv, "SYSWATCH_SESSION",
			     "SYSWATCH_ROOT_PID", NULL};
	char *argv[] = {(char *)rb_bin("rb_victim"), v->pidfile, v->go, NULL};
	struct rb_cmd cmd = {.argv = argv, .env = env, .out = v->out, .err = v->err};
	pid_t pid = rb_start(&cmd);
	cr_assert_gt(pid, 0);
	cr_assert_eq(wait_pidfile(v->pidfile), pid, "rb_victim did not note its pid");
	pid_t col = -1;
	for (int i = 0; i < 500 && col < 0; i++) {
		col = find_collector(pid, v->session, sizeof v->session);
		if (col < 0)
			sleep_ms(10);
	}
	cr_assert_gt(col, 0, "no `syswatch collect ... --root-pid %d` process found", pid);
	cr_assert_eq(kill(col, SIGKILL), 0);
	sleep_ms(50);
	cr_assert_eq(rb_write_file(v->go, ""), 0);
	long long t0 = now_ms();
	v->status = rb_wait(pid, 60000);
	v->exit_delay_ms = now_ms() - t0;
	v->pid = pid;
	int zst;
	waitpid(col, &zst, 0); /* the zombie, adopted by us */
	printf("collector %d of pid %d killed; the program exited %d, %lld ms after GO "
	       "(the plain run, 200 iterations of ~1 ms: %lld ms); session %s\n",
	       (int)col, (int)pid, v->status, v->exit_delay_ms, v->ref_ms, v->session);
	fflush(stdout);
}

Test(collector_killed, auto_collector_killed_the_program_runs_on_unaffected, .timeout = 120)
{
	static struct victim_run v;
	kill_auto_collector(&v);
	cr_expect_eq(v.status, 5, "the program exited %d, without syswatch 5", v.status);
	expect_same_output(&v);
	/* The shim waits for its collector's report at exit, but for a dead
	 * collector only briefly (200 ms): the 200 iterations after GO must
	 * not take much longer than the whole plain run did. */
	cr_expect_lt(v.exit_delay_ms, v.ref_ms + 700,
		     "the program needed %lld ms after GO, the whole plain run %lld ms: its exit "
		     "waited for the dead collector",
		     v.exit_delay_ms, v.ref_ms);
	char *e = rb_slurp(v.err);
	printf("program's stderr: %s\n", e && *e ? e : "(empty)");
	free(e);
	/* what it left in /dev/shm is the subject of the test below */
	if (v.session[0] == '/') {
		char rm[4400];
		snprintf(rm, sizeof rm, "rm -rf '%s'", v.session);
		e2e_sh_quiet(rm);
	}
	e2e_rmtree(v.tmp);
}

/*
 * `syswatch run` itself killed: the program is its child; the test makes
 * itself a child subreaper so that it inherits the orphan and can read its
 * real exit status.
 */
Test(collector_killed, syswatch_run_killed_the_program_runs_on_unaffected, .timeout = 120)
{
	static struct victim_run v;
	victim_paths(&v, "victim-run");
	victim_reference(&v);
	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	char json[4300];
	snprintf(json, sizeof json, "%s/run.json", v.tmp);
	char *prog[] = {(char *)rb_bin("rb_victim"), v.pidfile, v.go, NULL};
	struct rb_cmd cmd = {.argv = sw_argv(json, prog), .out = v.out, .err = v.err};
	pid_t sw = rb_start(&cmd);
	cr_assert_gt(sw, 0);
	pid_t pid = wait_pidfile(v.pidfile);
	cr_assert_gt(pid, 0, "rb_victim did not start");
	cr_assert_eq(kill(sw, SIGKILL), 0);
	cr_expect_eq(rb_wait(sw, 10000), 128 + SIGKILL);
	cr_assert_eq(rb_write_file(v.go, ""), 0);
	int st = rb_wait(pid, 60000);
	cr_expect_eq(st, 5, "the program exited %d (-1: not ours to wait for), without syswatch 5",
		     st);
	expect_same_output(&v);
	/* The killed run's session (s<pid>-...) stays behind: say so, and
	 * remove it (the test above checks that syswatch itself cleans up). */
	char sh[512];
	snprintf(sh, sizeof sh,
		 "for d in /dev/shm/syswatch-%u/s%d-*; do [ -d \"$d\" ] && echo \"left behind: $d\" "
		 "&& rm -rf \"$d\"; done; true",
		 (unsigned)getuid(), (int)sw);
	fflush(stdout);
	if (system(sh) != 0)
		printf("cannot clean up after syswatch run %d\n", (int)sw);
	e2e_rmtree(v.tmp);
}

/*
 * What the killed collector leaves behind: the segments are still there
 * (what the program recorded is not lost), and are not left to fill
 * /dev/shm: the next collector, or `syswatch report --recover`, takes
 * care of them (issue 4, "Crashes").
 */
Test(collector_killed, segments_left_behind_are_recovered_and_cleaned_up, .timeout = 120)
{
	static struct victim_run v;
	kill_auto_collector(&v);
	cr_assert_eq(v.status, 5);
	struct stat st;
	cr_assert_eq(stat(v.session, &st), 0, "the session %s is gone: nothing left to recover",
		     v.session);

	/* `syswatch report --recover` salvages what the segments hold */
	const char *sw = e2e_syswatch();
	char json[4300], err[4300];
	snprintf(json, sizeof json, "%s/recovered.json", v.tmp);
	snprintf(err, sizeof err, "%s/recover.err", v.tmp);
	char *argv[] = {(char *)sw, "report", "--recover", "--format", "json", "-o", json, NULL};
	struct rb_cmd cmd = {.argv = argv, .err = err};
	int rc = rb_run(&cmd, 60000);
	if (rc != 0)
		e2e_dump(err);
	cr_expect_eq(rc, 0, "`syswatch report --recover` exited %d", rc);
	static struct rb_report rep;
	if (rc == 0 && rb_read_report(json, &rep) == 0) {
		cr_expect_not_null(rb_proc_find(&rep, v.pid),
				   "the recovered report has no process %d", v.pid);
		/* at least the 200 iterations after GO: getcwd each */
		cr_expect_geq(rb_calls(&rep.table, "getcwd"), 200);
	}

	/* and the stale session is gone once a collector has run again */
	char log[4300];
	snprintf(log, sizeof log, "%s/next.err", v.tmp);
	char *targv[] = {(char *)sw, "run", "--", "/bin/true", NULL};
	struct rb_cmd next = {.argv = targv, .err = log};
	cr_expect_eq(rb_run(&next, 60000), 0);
	int left = stat(v.session, &st) == 0;
	cr_expect(!left, "the stale session %s of a dead program is still in /dev/shm", v.session);
	if (left) {
		char rm[4400];
		snprintf(rm, sizeof rm, "rm -rf '%s'", v.session);
		e2e_sh_quiet(rm);
	}
}
