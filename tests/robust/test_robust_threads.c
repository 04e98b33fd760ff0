/*
 * test_robust_threads.c - threads and signals (issue 4, criterion 1):
 * thread churn with tid reuse, a signal storm against a thread in write(),
 * stacking with a second LD_PRELOAD library.
 *
 * Expectations come from the workloads' own tallies (rb_tally.h), run with
 * N units of work and with none (see test_robust_process.c).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "robust.h"

/* "tag value" lines of a notes file; -1 when missing. */
static long note_value(const char *path, const char *tag)
{
	char *s = rb_slurp(path);
	if (s == NULL)
		return -1;
	long v = -1;
	size_t tl = strlen(tag);
	for (char *l = s; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, tag, tl) == 0 && l[tl] == ' ')
			v = atol(l + tl + 1);
	free(s);
	return v;
}

/* ---- thread churn ------------------------------------------------------- */

struct churn {
	char tmp[4096];
	struct rb_report rn, r0;
	struct e2e_table tn, t0;
	long threads, distinct, reused, steered, reuse_available;
	int status;
};

/* rb_churn NTHREADS K BATCH under syswatch, with and without threads;
 * with `reuse`, inside a pid namespace of its own (unshare) where it can
 * make the kernel hand out the same tid again and again. */
static int churn_run(struct churn *c, int nthreads, int batch, int reuse)
{
	cr_assert_eq(rb_tmpdir(c->tmp, sizeof c->tmp, "churn"), 0);
	char tn[4200], t0[4200], nb[16], bb[16], notes[4300];
	snprintf(tn, sizeof tn, "%s/n.tally", c->tmp);
	snprintf(t0, sizeof t0, "%s/0.tally", c->tmp);
	snprintf(nb, sizeof nb, "%d", nthreads);
	snprintf(bb, sizeof bb, "%d", batch);
	const char *sw = e2e_syswatch();
	cr_assert_not_null(sw);
	for (int pass = 0; pass < 2; pass++) {
		char json[4200], err[4200];
		snprintf(json, sizeof json, "%s/%s.json", c->tmp, pass ? "0" : "n");
		snprintf(err, sizeof err, "%s/%s.err", c->tmp, pass ? "0" : "n");
		char *argv[24];
		int k = 0;
		if (reuse) {
			argv[k++] = "/usr/bin/unshare";
			argv[k++] = "--pid";
			argv[k++] = "--fork";
			argv[k++] = "--mount-proc";
		}
		argv[k++] = (char *)sw;
		argv[k++] = "run";
		argv[k++] = "--format";
		argv[k++] = "json";
		argv[k++] = "-o";
		argv[k++] = json;
		argv[k++] = "--";
		argv[k++] = (char *)rb_bin("rb_churn");
		argv[k++] = pass ? "0" : nb;
		argv[k++] = "5";
		argv[k++] = bb;
		argv[k++] = pass ? t0 : tn;
		if (reuse)
			argv[k++] = "reuse";
		argv[k] = NULL;
		struct rb_cmd cmd = {.argv = argv, .err = err};
		int st = rb_run(&cmd, 240000);
		if (st != 0)
			e2e_dump(err);
		if (pass == 0)
			c->status = st;
		if (reuse && st != 0 && pass == 0) {
			char *e = rb_slurp(err);
			int no_ns = e && strstr(e, "unshare") != NULL;
			free(e);
			if (no_ns)
				return -1;
		}
		cr_assert_eq(st, 0, "syswatch run rb_churn exited %d", st);
		cr_assert_eq(rb_read_report(json, pass ? &c->r0 : &c->rn), 0);
		cr_assert_eq(e2e_read_tally(pass ? t0 : tn, pass ? &c->t0 : &c->tn), 0);
	}
	snprintf(notes, sizeof notes, "%s.notes", tn);
	c->threads = note_value(notes, "threads");
	c->distinct = note_value(notes, "distinct-tids");
	c->reused = note_value(notes, "reused-tids");
	c->steered = note_value(notes, "steered");
	c->reuse_available = note_value(notes, "reuse-available");
	printf("\nrb_churn: %ld threads, %ld distinct tids, %ld started with the tid of the "
	       "previous one; report: threads_lost %lld, %d process(es), threads %lld\n",
	       c->threads, c->distinct, c->reused, c->rn.threads_lost, c->rn.nprocs,
	       c->rn.nprocs > 0 ? c->rn.procs[0].threads : -1);
	return 0;
}

static void churn_counts(int reuse)
{
	enum { N = 3000 };
	static struct churn c;
	if (churn_run(&c, N, reuse ? 1 : 8, reuse) != 0) {
		cr_skip_test("cannot make a pid namespace here (unshare --pid failed)");
	}
	cr_assert_eq(c.threads, N, "the workload ran %ld threads, not %d", c.threads, N);
	if (reuse) {
		cr_assert_eq(c.reuse_available, 1, "ns_last_pid not writable in the namespace");
		/* nearly every thread got its predecessor's tid */
		cr_expect_geq(c.reused, N * 9 / 10, "only %ld of %d threads reused a tid", c.reused,
			      N);
	}
	cr_expect_eq(c.rn.nprocs, 1);
	cr_expect_eq(c.rn.threads_lost, 0, "%lld threads found no slot (their calls are missing)",
		     c.rn.threads_lost);
	/* with distinct tids, threads = workers + the main thread (with
	 * reused tids: the test below) */
	if (!reuse && c.rn.nprocs == 1)
		cr_expect_eq(c.rn.procs[0].threads, (long long)N + 1 - c.rn.threads_lost,
			     "report says %lld threads, %d made calls", c.rn.procs[0].threads,
			     N + 1);
	int bad = rb_expect_exact(reuse ? "thread churn, one tid reused" : "thread churn",
				  &c.rn.table, &c.r0.table, &c.tn, &c.t0, NULL);
	cr_expect_eq(bad, 0, "%d rows differ from what the threads did (table above)", bad);
	if (bad == 0)
		e2e_rmtree(c.tmp);
}

Test(churn, thousands_of_short_threads_are_all_counted, .timeout = 300)
{
	churn_counts(0);
}

Test(churn, threads_that_reuse_one_tid_are_all_counted, .timeout = 300)
{
	churn_counts(1);
}

/*
 * What is exact about the thread count: every thread that made a call had
 * a slot of its own, and a slot is a thread identity (pid, tid, start):
 * DESIGN.md, "Processes and threads". So the process's "threads" must be
 * the number of threads that made calls (the main thread, which made
 * some, and every worker), not the number of distinct tids among them:
 * with tid reuse the two differ by thousands.
 */
Test(churn, reused_tids_are_distinct_threads_in_the_report, .timeout = 300)
{
	enum { N = 500 };
	static struct churn c;
	if (churn_run(&c, N, 1, 1) != 0) {
		cr_skip_test("cannot make a pid namespace here (unshare --pid failed)");
	}
	cr_assert_gt(c.reused, N / 2, "the kernel did not hand tids out again (%ld)", c.reused);
	cr_assert_eq(c.rn.nprocs, 1);
	long long want = (long long)N + 1 - c.rn.threads_lost;
	cr_expect_eq(c.rn.procs[0].threads, want,
		     "report says %lld threads; %lld made calls (%ld workers with %ld distinct "
		     "tids, and the main thread)",
		     c.rn.procs[0].threads, want, c.threads, c.distinct);
	e2e_rmtree(c.tmp);
}

/* ---- signal storm ------------------------------------------------------- */

/*
 * The handler's write() is either counted or passed through, never a
 * deadlock, a crash or a corrupt ring: counted when the signal lands
 * outside the shim's own bookkeeping (the wrapper's real call, or the
 * program's code), passed through when it lands inside it (the thread's
 * busy flag is up while a call is being recorded). So
 *
 *     writer's writes <= write row <= writer's writes + handler runs
 *
 * and every other row is exact. The test prints how many of the handler's
 * writes were counted.
 */
static void signal_storm(const char *ring_kb)
{
	char tmp[4096];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "sigstorm"), 0);
	enum { N = 200000 };
	char nb[16];
	snprintf(nb, sizeof nb, "%d", N);
	char notes_p[4200], notes_n[4200], notes_0[4200], plain_out[4200], out_n[4200];
	snprintf(notes_p, sizeof notes_p, "%s/plain.notes", tmp);
	snprintf(notes_n, sizeof notes_n, "%s/n.notes", tmp);
	snprintf(notes_0, sizeof notes_0, "%s/0.notes", tmp);
	snprintf(plain_out, sizeof plain_out, "%s/plain.out", tmp);
	snprintf(out_n, sizeof out_n, "%s/n.out", tmp);

	char *argv_p[] = {(char *)rb_bin("rb_sigstorm"), nb, notes_p, NULL};
	struct rb_cmd plain = {.argv = argv_p, .out = plain_out};
	cr_assert_eq(rb_run(&plain, 120000), 0, "rb_sigstorm without syswatch failed");

	char ring[64];
	snprintf(ring, sizeof ring, "SYSWATCH_RING_KB=%s", ring_kb ? ring_kb : "");
	const char *env[] = {ring_kb ? ring : "SYSWATCH_RING_KB", NULL};
	static struct rb_report rn, r0;
	char *argv_n[] = {(char *)rb_bin("rb_sigstorm"), nb, notes_n, NULL};
	char *argv_0[] = {(char *)rb_bin("rb_sigstorm"), "0", notes_0, NULL};
	int st = rb_syswatch(tmp, "n", NULL, argv_n, env, &rn, 120000);
	cr_assert_eq(st, 0, "syswatch run rb_sigstorm exited %d (-2: hung and killed)", st);
	st = rb_syswatch(tmp, "0", NULL, argv_0, env, &r0, 120000);
	cr_assert_eq(st, 0, "syswatch run rb_sigstorm 0 exited %d", st);
	cr_assert_geq(rn.nprocs, 1, "no report");

	char *a = rb_slurp(plain_out), *b = rb_slurp(out_n);
	cr_assert(a && b, "no output");
	cr_expect_str_eq(b, a, "output under syswatch differs from the plain run");
	cr_expect(strstr(b, "handler ran: yes") != NULL, "the handler never ran: no storm");
	free(a);
	free(b);

	char tn_p[4300], t0_p[4300];
	snprintf(tn_p, sizeof tn_p, "%s.tally", notes_n);
	snprintf(t0_p, sizeof t0_p, "%s.tally", notes_0);
	static struct e2e_table tn, t0;
	cr_assert_eq(e2e_read_tally(tn_p, &tn), 0);
	cr_assert_eq(e2e_read_tally(t0_p, &t0), 0);
	long handled = note_value(notes_n, "handled"), sent = note_value(notes_n, "sent");
	long long w = rb_calls(&rn.table, "write"), did = rb_calls(&tn, "write");
	printf("\nsignal storm (ring %s KB): %ld signals sent, handler ran %ld times; write row "
	       "%lld = writer's %lld + %lld of the handler's %ld (the rest passed through); "
	       "dropped events %lld\n",
	       ring_kb ? ring_kb : "default", sent, handled, w, did, w - did, handled, rn.dropped);
	cr_expect_gt(handled, 100, "only %ld handler runs: not a storm", handled);
	cr_expect(w >= did && w <= did + handled,
		  "write row %lld outside [writer's %lld, + handler's %ld]", w, did, handled);
	cr_expect_eq(rb_errors(&rn.table, "write"), 0);
	static const char *const skip[] = {"write", NULL};
	int bad = rb_expect_exact("signal storm", &rn.table, &r0.table, &tn, &t0, skip);
	cr_expect_eq(bad, 0, "%d rows differ from what the program did (table above)", bad);
	if (bad == 0)
		e2e_rmtree(tmp);
}

Test(signals, storm_against_a_thread_in_write_neither_deadlocks_nor_miscounts, .timeout = 300)
{
	signal_storm(NULL);
}

Test(signals, storm_with_a_tiny_ring_neither_deadlocks_nor_miscounts, .timeout = 300)
{
	signal_storm("4");
}

/* ---- stacking with a second LD_PRELOAD library ---------------------------- */

/* Wait (at most 20 s) until the auto session of pid is gone: its
 * collector has written the report and removed the session. */
static void wait_auto_session(pid_t pid)
{
	char pattern[64];
	snprintf(pattern, sizeof pattern, "a%d-", (int)pid);
	for (int i = 0; i < 400; i++) {
		char dir[64];
		snprintf(dir, sizeof dir, "/dev/shm/syswatch-%u", (unsigned)getuid());
		DIR *d = opendir(dir);
		struct dirent *de;
		int found = 0;
		while (d != NULL && (de = readdir(d)) != NULL)
			found |= strncmp(de->d_name, pattern, strlen(pattern)) == 0;
		if (d != NULL)
			closedir(d);
		if (!found)
			return;
		usleep(50000);
	}
}

/* Run rb_stack N under a plain LD_PRELOAD (the shim starts its own
 * collector, which writes the JSON report to SYSWATCH_OUTPUT). */
static int stack_run(const char *tmp, const char *tag, const char *preload, const char *n,
		     int with_report, struct rb_report *rep, struct e2e_table *tally)
{
	char out[4200], err[4200], json[4200], tpath[4200], data[4200];
	snprintf(out, sizeof out, "%s/%s.out", tmp, tag);
	snprintf(err, sizeof err, "%s/%s.err", tmp, tag);
	snprintf(json, sizeof json, "%s/%s.json", tmp, tag);
	snprintf(tpath, sizeof tpath, "%s/%s.tally", tmp, tag);
	snprintf(data, sizeof data, "%s/data", tmp);
	char pre[8300], outv[4300];
	snprintf(pre, sizeof pre, "LD_PRELOAD=%s", preload);
	snprintf(outv, sizeof outv, "SYSWATCH_OUTPUT=%s", json);
	const char *env[] = {pre, "SYSWATCH_REPORT=json", outv, "SYSWATCH_SESSION",
			     "SYSWATCH_ROOT_PID", NULL};
	char *argv[] = {(char *)rb_bin("rb_stack"), (char *)n, data, tpath, NULL};
	struct rb_cmd cmd = {.argv = argv, .env = env, .out = out, .err = err};
	pid_t pid = rb_start(&cmd);
	int st = pid > 0 ? rb_wait(pid, 60000) : -1;
	if (st != 0)
		e2e_dump(err);
	/* The program's exit waits a few ms at most for its collector,
	 * which may print later: wait for it to remove its session. */
	if (with_report && pid > 0)
		wait_auto_session(pid);
	if (with_report) {
		if (rb_read_report(json, rep) != 0) {
			e2e_dump(err);
			return -1;
		}
		if (e2e_read_tally(tpath, tally) != 0)
			return -1;
	}
	return st;
}

static void stacking(int shim_first)
{
	char tmp[4096], data[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "stack"), 0);
	snprintf(data, sizeof data, "%s/data", tmp);
	cr_assert_eq(rb_write_file(data, "some bytes to read\n"), 0);
	const char *ip = rb_bin("librb_interpose.so"), *shim = rb_shim();
	char both[8300];
	snprintf(both, sizeof both, "%s:%s", shim_first ? shim : ip, shim_first ? ip : shim);

	/* the reference: the interposer alone */
	cr_assert_eq(stack_run(tmp, "plain", ip, "200", 0, NULL, NULL), 0);
	static struct rb_report rn, r0;
	static struct e2e_table tn, t0;
	cr_assert_eq(stack_run(tmp, "n", both, "200", 1, &rn, &tn), 0, "LD_PRELOAD=%s failed",
		     both);
	cr_assert_eq(stack_run(tmp, "0", both, "0", 1, &r0, &t0), 0);

	char p1[4200], p2[4200];
	snprintf(p1, sizeof p1, "%s/plain.out", tmp);
	snprintf(p2, sizeof p2, "%s/n.out", tmp);
	char *a = rb_slurp(p1), *b = rb_slurp(p2);
	cr_assert(a && b);
	printf("\n%s first: program says: %s", shim_first ? "libsyswatch.so" : "librb_interpose.so",
	       b);
	cr_expect(strstr(a, "loaded; it saw 200 opens, 200 reads") != NULL,
		  "the interposer alone did not see every call: %s", a);
	cr_expect_str_eq(b, a, "with both libraries the program's output differs");
	free(a);
	free(b);
	int bad = rb_expect_exact(shim_first ? "stacked, shim first" : "stacked, interposer first",
				  &rn.table, &r0.table, &tn, &t0, NULL);
	cr_expect_eq(bad, 0, "%d rows differ from what the program did (table above)", bad);
	if (bad == 0)
		e2e_rmtree(tmp);
}

Test(stacking, interposer_before_the_shim_both_see_every_call, .timeout = 120)
{
	stacking(0);
}

Test(stacking, shim_before_the_interposer_both_see_every_call, .timeout = 120)
{
	stacking(1);
}
