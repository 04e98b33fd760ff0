/*
 * test_robust_process.c - the process model (issue 4, criterion 1): fork
 * in a multithreaded parent, vfork through CPython's subprocess,
 * posix_spawn, an exec chain three deep, children whose environment lost
 * the shim.
 *
 * Every expectation comes from the program itself: the workloads keep
 * their own tally of the calls they make (tests/robust/rb_tally.h), and
 * each is run twice, with N units of work and with none, so that what
 * does not depend on N (start-up, exit) cancels:
 *
 *     report(N) - report(0) == tally(N) - tally(0)   on every row
 *
 * except the lock rows (waits that happened to block: timing).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "robust.h"

/* Run one workload under syswatch: report and tally. */
struct runres {
	int status;
	struct rb_report rep;
	struct e2e_table tally;
};

static void run_wl(const char *tmp, const char *tag, char *const *argv, const char *tally,
		   const char *const *env, const char *const *opts, struct runres *r)
{
	if (tally != NULL)
		unlink(tally);
	r->status = rb_syswatch(tmp, tag, opts, argv, env, &r->rep, 120000);
	char err[4096];
	snprintf(err, sizeof err, "%s/%s.err", tmp, tag);
	if (r->status != 0 || r->rep.nprocs < 0)
		e2e_dump(err);
	cr_assert_geq(r->rep.nprocs, 0, "%s: no readable report", tag);
	memset(&r->tally, 0, sizeof r->tally);
	if (tally != NULL)
		cr_assert_eq(e2e_read_tally(tally, &r->tally), 0, "%s: no tally %s", tag, tally);
}

static int all_exited_zero(const struct rb_report *r)
{
	for (int i = 0; i < r->nprocs; i++)
		if (!r->procs[i].has_exit || r->procs[i].exit_status != 0) {
			printf("  process %d (%s): exit_status %s%d\n", r->procs[i].pid,
			       r->procs[i].command, r->procs[i].has_exit ? "" : "null/",
			       r->procs[i].exit_status);
			return 0;
		}
	return 1;
}

/* ---- fork in a multithreaded parent ------------------------------------- */

Test(process, fork_in_a_multithreaded_parent_counts_every_process_exactly, .timeout = 300)
{
	char tmp[4096], tn[4200], t0[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "forkmt"), 0);
	snprintf(tn, sizeof tn, "%s/n.tally", tmp);
	snprintf(t0, sizeof t0, "%s/0.tally", tmp);
	enum { NFORKS = 12, NTHREADS = 3 };
	char nf[16], nt[16];
	snprintf(nf, sizeof nf, "%d", NFORKS);
	snprintf(nt, sizeof nt, "%d", NTHREADS);
	static struct runres rn, r0;
	char *argv_n[] = {(char *)rb_bin("rb_forkmt"), nf, nt, tn, NULL};
	char *argv_0[] = {(char *)rb_bin("rb_forkmt"), "0", nt, t0, NULL};
	run_wl(tmp, "n", argv_n, tn, NULL, NULL, &rn);
	run_wl(tmp, "0", argv_0, t0, NULL, NULL, &r0);

	cr_expect_eq(rn.status, 0, "syswatch run exited %d", rn.status);
	/* the parent, NFORKS children, one grandchild each */
	cr_expect_eq(rn.rep.nprocs, 1 + 2 * NFORKS, "report lists %d processes, ran %d",
		     rn.rep.nprocs, 1 + 2 * NFORKS);
	cr_expect(all_exited_zero(&rn.rep), "a process is reported with a non-zero exit");
	cr_expect_eq(rn.rep.threads_lost, 0);
	int bad = rb_expect_exact("rb_forkmt", &rn.rep.table, &r0.rep.table, &rn.tally,
				  &r0.tally, NULL);
	cr_expect_eq(bad, 0, "%d rows differ from what the program did (table above)", bad);
	if (bad == 0)
		e2e_rmtree(tmp);
}

/* ---- vfork through CPython's subprocess --------------------------------- */

/* The real interpreter (python3 may be a pyenv launcher script). */
static int real_python(char *out, size_t cap)
{
	if (e2e_capture_line("python3 -c 'import sys; print(sys.executable)' 2>/dev/null", out,
			     cap) != 0 ||
	    access(out, X_OK) != 0)
		return -1;
	return 0;
}

/*
 * The script: N subprocess.run of /bin/true with stdout=PIPE and cwd="/"
 * while a second thread calls os.getcwd in a loop. CPython 3.10+ starts
 * such children with vfork; between vfork and exec the child calls
 * chdir("/"), dup2(pipe, 1) and execve. The parent itself never calls
 * chdir or dup2 (neither does /bin/true), so those rows must not move
 * with N: a vfork child writing into its parent's slots would show there.
 * Its execve alone is counted, into the parent thread's counters, once
 * per child, as strace -f counts it (issue 9). env={} (mode "cleared")
 * makes the children run untraced.
 */
static const char py_script[] =
    "import os, subprocess, sys, threading\n"
    "n, mode = int(sys.argv[1]), sys.argv[2]\n"
    "stop = False\n"
    "def spin():\n"
    "    while not stop:\n"
    "        os.getcwd()\n"
    "t = threading.Thread(target=spin)\n"
    "t.start()\n"
    "env = {} if mode == 'cleared' else None\n"
    "outs = set()\n"
    "for i in range(n):\n"
    "    r = subprocess.run(['/bin/true'], stdout=subprocess.PIPE, cwd='/', env=env)\n"
    "    outs.add((r.returncode, r.stdout))\n"
    "stop = True\n"
    "t.join()\n"
    "print('ran', n, 'children, results', sorted(outs))\n";

static void vfork_python(const char *mode, int traced_children)
{
	char py[4096];
	if (real_python(py, sizeof py) != 0) {
		cr_skip_test("no python3 interpreter found");
	}
	char tmp[4096], script[4200], plain_out[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "vfork"), 0);
	snprintf(script, sizeof script, "%s/spawn.py", tmp);
	cr_assert_eq(rb_write_file(script, py_script), 0);
	enum { N = 40 };
	char nbuf[16];
	snprintf(nbuf, sizeof nbuf, "%d", N);
	char *argv_n[] = {py, "-S", "-s", script, nbuf, (char *)mode, NULL};
	char *argv_0[] = {py, "-S", "-s", script, "0", (char *)mode, NULL};

	/* the same program without syswatch: its output is the reference */
	snprintf(plain_out, sizeof plain_out, "%s/plain.out", tmp);
	struct rb_cmd plain = {.argv = argv_n, .out = plain_out};
	cr_assert_eq(rb_run(&plain, 120000), 0, "python without syswatch failed");

	static struct runres rn, r0;
	run_wl(tmp, "n", argv_n, NULL, NULL, NULL, &rn);
	run_wl(tmp, "0", argv_0, NULL, NULL, NULL, &r0);
	cr_expect_eq(rn.status, 0, "syswatch run python exited %d", rn.status);
	char outn[4200];
	snprintf(outn, sizeof outn, "%s/n.out", tmp);
	char *a = rb_slurp(plain_out), *b = rb_slurp(outn);
	cr_expect(a && b && strcmp(a, b) == 0, "output differs: without syswatch '%s', with '%s'",
		  a ? a : "?", b ? b : "?");
	free(a);
	free(b);

	struct e2e_table d;
	e2e_sub(&d, &rn.rep.table, &r0.rep.table);
	printf("\nvfork via CPython subprocess (%s children), N=%d: report(N) - report(0)\n", mode,
	       N);
	for (int i = 0; i < d.n; i++)
		if (d.rows[i].calls != 0)
			printf("  %-16s %8lld %8lld\n", d.rows[i].name, d.rows[i].calls,
			       d.rows[i].errors);
	fflush(stdout);
	cr_expect_eq(rb_calls(&d, "vfork"), N, "vfork row moved by %lld, the program vforked %d",
		     rb_calls(&d, "vfork"), N);
	static const char *const child_only[] = {"chdir", "dup2", "dup3", NULL};
	for (int i = 0; child_only[i]; i++)
		cr_expect_eq(rb_calls(&d, child_only[i]), 0,
			     "%s moved by %lld: the vfork children's pre-exec calls were "
			     "counted in their parent",
			     child_only[i], rb_calls(&d, child_only[i]));
	/* The children's execs alone are counted, into their parent (issue 9:
	 * strace -f counts them; a vfork child shares its parent's memory). */
	cr_expect_eq(rb_calls(&d, "execve"), N,
		     "execve moved by %lld: the %d vfork children's execs are counted once each",
		     rb_calls(&d, "execve"), N);
	int want = 1 + (traced_children ? N : 0);
	cr_expect_eq(rn.rep.nprocs, want, "report lists %d processes, expected %d",
		     rn.rep.nprocs, want);
	cr_expect(all_exited_zero(&rn.rep));
	cr_expect_eq(rn.rep.threads_lost, 0);
	e2e_rmtree(tmp);
}

Test(process, vfork_children_of_cpython_subprocess_do_not_pollute_the_parent, .timeout = 300)
{
	vfork_python("inherit", 1);
}

Test(process, vfork_children_with_cleared_environment_do_not_pollute_the_parent,
     .timeout = 300)
{
	vfork_python("cleared", 0);
}

/* ---- posix_spawn -------------------------------------------------------- */

Test(process, posix_spawn_children_are_traced_and_counted_exactly, .timeout = 300)
{
	char tmp[4096], tn[4200], t0[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "spawn"), 0);
	snprintf(tn, sizeof tn, "%s/n.tally", tmp);
	snprintf(t0, sizeof t0, "%s/0.tally", tmp);
	enum { N = 10 };
	static struct runres rn, r0;
	char *argv_n[] = {(char *)rb_bin("rb_spawn"), "10", tn, NULL};
	char *argv_0[] = {(char *)rb_bin("rb_spawn"), "0", t0, NULL};
	run_wl(tmp, "n", argv_n, tn, NULL, NULL, &rn);
	run_wl(tmp, "0", argv_0, t0, NULL, NULL, &r0);
	cr_expect_eq(rn.status, 0);
	cr_expect_eq(rn.rep.nprocs, 1 + N, "report lists %d processes, ran %d", rn.rep.nprocs,
		     1 + N);
	cr_expect(all_exited_zero(&rn.rep));
	int bad = rb_expect_exact("rb_spawn", &rn.rep.table, &r0.rep.table, &rn.tally,
				  &r0.tally, NULL);
	cr_expect_eq(bad, 0, "%d rows differ from what the programs did (table above)", bad);
	if (bad == 0)
		e2e_rmtree(tmp);
}

/* ---- an exec chain three deep ------------------------------------------- */

/* "pid-X NNN" lines of a notes file. */
static int note_value(const char *path, const char *tag)
{
	char *s = rb_slurp(path);
	if (s == NULL)
		return -1;
	int v = -1;
	size_t tl = strlen(tag);
	for (char *l = s; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, tag, tl) == 0 && l[tl] == ' ')
			v = atoi(l + tl + 1);
	free(s);
	return v;
}

Test(process, exec_chain_three_deep_is_one_process_with_every_image_counted, .timeout = 300)
{
	char tmp[4096], tn[4200], t0[4200], pn[4200], p0[4200];
	cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "exec"), 0);
	snprintf(tn, sizeof tn, "%s/n.tally", tmp);
	snprintf(t0, sizeof t0, "%s/0.tally", tmp);
	snprintf(pn, sizeof pn, "%s/n.pids", tmp);
	snprintf(p0, sizeof p0, "%s/0.pids", tmp);
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", rb_bin(""));
	dir[strlen(dir) - 1] = 0; /* no trailing slash */
	static struct runres rn, r0;
	char *argv_n[] = {(char *)rb_bin("rb_exec_a"), "50", dir, tn, pn, NULL};
	char *argv_0[] = {(char *)rb_bin("rb_exec_a"), "0", dir, t0, p0, NULL};
	run_wl(tmp, "n", argv_n, tn, NULL, NULL, &rn);
	run_wl(tmp, "0", argv_0, t0, NULL, NULL, &r0);

	/* the program's own account: one pid through three images, exit 7 */
	int pa = note_value(pn, "pid-a"), pb = note_value(pn, "pid-b"), pc = note_value(pn, "pid-c");
	cr_assert(pa > 0 && pa == pb && pb == pc, "the chain did not run as one pid: %d %d %d", pa,
		  pb, pc);
	cr_expect_eq(rn.status, 7, "syswatch run exited %d, the program 7", rn.status);
	cr_expect_eq(rn.rep.nprocs, 1, "report lists %d processes, the chain is one",
		     rn.rep.nprocs);
	const struct rb_proc *p = rb_proc_find(&rn.rep, pa);
	cr_assert_not_null(p, "pid %d is not in the report", pa);
	cr_expect_str_eq(p->command, "rb_exec_c", "the process is named '%s', its newest image "
						  "is rb_exec_c", p->command);
	cr_expect(p->has_exit && p->exit_status == 7, "exit_status %d (has %d), expected 7",
		  p->exit_status, p->has_exit);

	/* absolute counts of the process rows: the execve that started the
	 * chain (syswatch run's, counted once as strace counts it), then the
	 * chain's 3 execs (one failed), 1 exit */
	cr_expect_eq(rb_calls(&rn.rep.table, "execve"), 1 + rb_calls(&rn.tally, "execve"),
		     "execve: report %lld, program %lld + the root's", rb_calls(&rn.rep.table, "execve"),
		     rb_calls(&rn.tally, "execve"));
	cr_expect_eq(rb_errors(&rn.rep.table, "execve"), rb_errors(&rn.tally, "execve"));
	cr_expect_eq(rb_calls(&rn.rep.table, "exit_group"), rb_calls(&rn.tally, "exit_group"));
	int bad = rb_expect_exact("exec chain a -> b -> c", &rn.rep.table, &r0.rep.table,
				  &rn.tally, &r0.tally, NULL);
	cr_expect_eq(bad, 0, "%d rows differ from what the images did (table above)", bad);
	if (bad == 0)
		e2e_rmtree(tmp);
}

/* ---- a cleared environment ---------------------------------------------- */

struct clearenv_run {
	struct runres rn, r0;
	struct e2e_table tn, t0; /* what was traced: parent (+ leaf if followed) */
	int leaf_pid;
	char tmp[4096];
};

/* tally of the parent, plus the leaf's when it was traced */
static void read_clearenv_tally(const char *notes, int with_leaf, struct e2e_table *out)
{
	char p[4200];
	struct e2e_table parent, leaf;
	snprintf(p, sizeof p, "%s.parent", notes);
	cr_assert_eq(e2e_read_tally(p, &parent), 0, "no parent tally %s", p);
	memset(&leaf, 0, sizeof leaf);
	snprintf(p, sizeof p, "%s.tally", notes);
	if (with_leaf)
		cr_assert_eq(e2e_read_tally(p, &leaf), 0, "no leaf tally %s", p);
	struct e2e_table none;
	memset(&none, 0, sizeof none);
	struct e2e_table neg;
	e2e_sub(&neg, &none, &leaf);
	e2e_sub(out, &parent, &neg); /* parent + leaf */
}

static void clearenv_run(const char *mode, int follow, const char *const *opts,
			 struct clearenv_run *c)
{
	cr_assert_eq(rb_tmpdir(c->tmp, sizeof c->tmp, "clearenv"), 0);
	char nn[4200], n0[4200];
	snprintf(nn, sizeof nn, "%s/n.notes", c->tmp);
	snprintf(n0, sizeof n0, "%s/0.notes", c->tmp);
	const char *env_follow[] = {"SYSWATCH_FOLLOW_EXEC=1", NULL};
	const char *env_plain[] = {"SYSWATCH_FOLLOW_EXEC", NULL};
	const char *const *env = follow && opts == NULL ? env_follow : env_plain;
	char *argv_n[] = {(char *)rb_bin("rb_clearenv"), (char *)mode, (char *)rb_bin("rb_leaf"),
			  "40", nn, NULL};
	char *argv_0[] = {(char *)rb_bin("rb_clearenv"), (char *)mode, (char *)rb_bin("rb_leaf"),
			  "0", n0, NULL};
	run_wl(c->tmp, "n", argv_n, NULL, env, opts, &c->rn);
	run_wl(c->tmp, "0", argv_0, NULL, env, opts, &c->r0);
	cr_expect_eq(c->rn.status, 0, "syswatch run exited %d", c->rn.status);
	c->leaf_pid = note_value(nn, "pid-leaf");
	cr_assert_gt(c->leaf_pid, 0, "the child (rb_leaf) did not run");
	read_clearenv_tally(nn, follow, &c->tn);
	read_clearenv_tally(n0, follow, &c->t0);
}

static void cleared_env_untraced(const char *mode)
{
	static struct clearenv_run c;
	clearenv_run(mode, 0, NULL, &c);
	/* After fork + execve the pid is in the report, as the image that
	 * was traced (rb_clearenv's fork child); the untraced image must not
	 * be: no process of the report may be named rb_leaf. */
	const struct rb_proc *p = rb_proc_find(&c.rn.rep, c.leaf_pid);
	if (strcmp(mode, "execve") == 0) {
		cr_expect_not_null(p, "the fork child %d (traced until its exec) is missing",
				   c.leaf_pid);
		if (p != NULL)
			cr_expect_str_eq(p->command, "rb_clearenv");
	} else {
		cr_expect_null(p, "the child %d ran with a cleared environment, yet it is in "
				  "the report", c.leaf_pid);
	}
	for (int i = 0; i < c.rn.rep.nprocs; i++)
		cr_expect_str_neq(c.rn.rep.procs[i].command, "rb_leaf",
				  "process %d is reported as rb_leaf, which ran untraced",
				  c.rn.rep.procs[i].pid);
	cr_expect_eq(c.rn.rep.nprocs, strcmp(mode, "execve") == 0 ? 2 : 1);
	char what[64];
	snprintf(what, sizeof what, "cleared environment (%s), untraced child", mode);
	int bad = rb_expect_exact(what, &c.rn.rep.table, &c.r0.rep.table, &c.tn, &c.t0, NULL);
	cr_expect_eq(bad, 0, "%d rows differ from what the traced part did (table above)", bad);
	if (bad == 0)
		e2e_rmtree(c.tmp);
}

static void cleared_env_followed(const char *mode, const char *const *opts)
{
	static struct clearenv_run c;
	clearenv_run(mode, 1, opts, &c);
	const struct rb_proc *p = rb_proc_find(&c.rn.rep, c.leaf_pid);
	cr_expect_not_null(p, "--follow-exec: the child %d is not in the report", c.leaf_pid);
	if (p != NULL)
		cr_expect_str_eq(p->command, "rb_leaf");
	char what[80];
	snprintf(what, sizeof what, "cleared environment (%s), followed", mode);
	int bad = rb_expect_exact(what, &c.rn.rep.table, &c.r0.rep.table, &c.tn, &c.t0, NULL);
	cr_expect_eq(bad, 0, "%d rows differ from what parent and child did (table above)", bad);
	if (bad == 0 && p != NULL)
		e2e_rmtree(c.tmp);
}

Test(clearenv, execve_with_empty_environment_runs_the_child_untraced, .timeout = 120)
{
	cleared_env_untraced("execve");
}

Test(clearenv, posix_spawn_with_empty_environment_runs_the_child_untraced, .timeout = 120)
{
	cleared_env_untraced("spawn");
}

Test(clearenv, system_without_ld_preload_runs_the_child_untraced, .timeout = 120)
{
	cleared_env_untraced("system");
}

Test(clearenv, follow_exec_env_traces_the_execve_child, .timeout = 120)
{
	cleared_env_followed("execve", NULL);
}

Test(clearenv, follow_exec_env_traces_the_posix_spawn_child, .timeout = 120)
{
	cleared_env_followed("spawn", NULL);
}

Test(clearenv, follow_exec_env_traces_the_system_child, .timeout = 120)
{
	cleared_env_followed("system", NULL);
}

Test(clearenv, run_follow_exec_option_traces_the_execve_child, .timeout = 120)
{
	static const char *const opts[] = {"--follow-exec", NULL};
	cleared_env_followed("execve", opts);
}

/*
 * The wording: "1 child ran untraced: /usr/bin/foo, environment
 * cleared", in the text report and as a warning of the JSON one.
 */
Test(clearenv, untraced_child_is_reported_in_json_and_text, .timeout = 120)
{
	const char *modes[] = {"execve", "spawn", "system"};
	for (int m = 0; m < 3; m++) {
		char tmp[4096], notes[4200], err[4200];
		cr_assert_eq(rb_tmpdir(tmp, sizeof tmp, "untraced"), 0);
		snprintf(notes, sizeof notes, "%s/n.notes", tmp);
		const char *leaf = rb_bin("rb_leaf");
		char *argv[] = {(char *)rb_bin("rb_clearenv"), (char *)modes[m], (char *)leaf, "3",
				notes, NULL};
		static struct rb_report rep;
		int st = rb_syswatch(tmp, "j", NULL, argv, NULL, &rep, 60000);
		cr_expect_eq(st, 0);
		static const char *const words[] = {"untraced", "rb_leaf", NULL};
		int found = rb_warning_has(&rep, words);
		printf("%s: JSON warnings (%d):\n", modes[m], rep.nwarnings);
		for (int i = 0; i < rep.nwarnings; i++)
			printf("  %s\n", rep.warnings[i]);
		cr_expect(found, "%s: no JSON warning names the untraced child %s", modes[m], leaf);

		/* the text report, on syswatch's stderr */
		const char *sw = e2e_syswatch();
		cr_assert_not_null(sw);
		snprintf(err, sizeof err, "%s/text.err", tmp);
		char *targv[] = {(char *)sw, "run", "--", argv[0], argv[1], argv[2], argv[3],
				 argv[4], NULL};
		struct rb_cmd cmd = {.argv = targv, .err = err};
		cr_expect_eq(rb_run(&cmd, 60000), 0);
		char *text = rb_slurp(err);
		int ok = text && strstr(text, "1 child ran untraced") && strstr(text, "rb_leaf");
		cr_expect(ok, "%s: the text report does not say \"1 child ran untraced: ...rb_leaf\"",
			  modes[m]);
		if (!ok)
			e2e_dump(err);
		free(text);
		e2e_rmtree(tmp);
	}
}
