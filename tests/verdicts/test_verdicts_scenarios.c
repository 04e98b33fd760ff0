/*
 * test_verdicts_scenarios.c - issue 5, acceptance 4: real programs run
 * under `syswatch run --diagnose --format json`, each doing one thing an
 * expert would name, and the cause the report puts first.
 *
 * tests/verdicts/run_verdict.sh runs a vd_work mode (tests/verdicts/
 * vd_work.c) on a directory made slow by slowfs (FUSE) or, where FUSE is
 * unusable, by libslowpath.so (the note says which), and reports the same
 * trace again without --diagnose: the short form every report ends with,
 * from the counters alone. The import scenario (lock amplification) runs
 * through tests/locks/run_scenario.sh with --diagnose.
 *
 * Each scenario checks the first verdict of the full form, that its
 * evidence names what the program did (the slow directory, the failed
 * call, the holder), the short form's first cause where the counters
 * suffice, and the text forms. The negative controls are the same
 * workloads on a plain directory and `ls /`: "none".
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e.h"
#include "locks.h"

/* One scenario run and what it left. */
struct vd_run {
	char work[4096];
	char dir[4096];     /* the directory the workload was given */
	json_object *diag;  /* run --diagnose */
	json_object *shrt;  /* report, no --diagnose: counters only */
	char *diag_txt, *short_txt;
};

static void vd_path(char *out, size_t cap, const char *dir, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

static char *vd_read(const char *dir, const char *name)
{
	char p[4200];
	vd_path(p, sizeof p, dir, name);
	return lk_slurp(p);
}

/* Load what a run left in r->work, print the full text form for the log. */
static void vd_load(struct vd_run *r, const char *diag_json)
{
	char p[4200];
	vd_path(p, sizeof p, r->work, diag_json);
	r->diag = lk_load(p);
	vd_path(p, sizeof p, r->work, "short.json");
	r->shrt = lk_load(p);
	r->diag_txt = vd_read(r->work, "diag.txt");
	r->short_txt = vd_read(r->work, "short.txt");
	char *dir = vd_read(r->work, "slow_dir");
	snprintf(r->dir, sizeof r->dir, "%s", dir ? dir : "");
	r->dir[strcspn(r->dir, "\n")] = '\0';
	free(dir);
	char *note = vd_read(r->work, "note");
	const char *txt = r->diag_txt ? strstr(r->diag_txt, "Verdicts, strongest first:") : NULL;
	printf("%s%s\n", note ? note : "", txt ? txt : "(no verdicts in the text report)");
	free(note);
	cr_assert_not_null(r->diag, "no JSON report from syswatch run --diagnose");
	cr_assert_not_null(r->shrt, "no JSON report from syswatch report");
}

static void vd_fail_log(const char *work, const char *script_log)
{
	char *s = lk_slurp(script_log), *t = vd_read(work, "run.log");
	fprintf(stderr, "---- script ----\n%s---- run.log ----\n%s----\n", s ? s : "",
		t ? t : "");
	free(s);
	free(t);
}

/* Run argv (NULL-terminated: the workload, @DIR@ for the directory)
 * through run_verdict.sh in mode (slow|plain). */
static void vd_scenario(struct vd_run *r, const char *tag, const char *mode,
			char *const *argv)
{
	cr_assert_eq(e2e_tmpdir(r->work, sizeof r->work, tag), 0, "no temporary directory");
	char *av[64];
	int n = 0;
	av[n++] = "bash";
	av[n++] = VD_SCRIPT;
	av[n++] = r->work;
	av[n++] = (char *)mode;
	av[n++] = "--";
	for (int i = 0; argv[i] && n < 63; i++)
		av[n++] = argv[i];
	av[n] = NULL;
	char log[4200];
	vd_path(log, sizeof log, r->work, "script.log");
	int rc = lk_run(av, log, 120);
	if (rc != 0)
		vd_fail_log(r->work, log);
	cr_assert_eq(rc, 0, "run_verdict.sh %s (%s) exited %d", tag, mode, rc);
	vd_load(r, "diag.json");
}

static void vd_done(struct vd_run *r)
{
	json_object_put(r->diag);
	json_object_put(r->shrt);
	free(r->diag_txt);
	free(r->short_txt);
	lk_rmtree(r->work);
}

static json_object *verdict(json_object *report, size_t i)
{
	return lk_at(report, "verdicts", i);
}

/* The first verdict of report is cause; print all of them if not. */
static void expect_first(json_object *report, const char *form, const char *cause)
{
	size_t n = lk_len(report, "verdicts");
	cr_assert_gt(n, 0, "%s: no verdicts at all", form);
	const char *got = lk_str(verdict(report, 0), "cause");
	if (strcmp(got, cause) != 0)
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "%s verdict %zu: %s (%.2f): %s\n", form, i,
				lk_str(verdict(report, i), "cause"),
				lk_num(verdict(report, i), "confidence", -1),
				lk_str(verdict(report, i), "evidence"));
	cr_expect_str_eq(got, cause, "%s: first verdict %s, expected %s", form, got, cause);
	double conf = lk_num(verdict(report, 0), "confidence", -1);
	cr_expect(conf > 0.0 && conf <= 1.0, "%s: confidence %g outside (0, 1]", form, conf);
}

/* The first verdict's evidence mentions each of the NULL-terminated
 * words. */
static void expect_evidence(json_object *report, const char *const *words)
{
	const char *ev = lk_str(verdict(report, 0), "evidence");
	for (int i = 0; words[i]; i++)
		cr_expect(strstr(ev, words[i]) != NULL, "evidence does not mention \"%s\": %s",
			  words[i], ev);
}

/* Both forms put cause first, the text forms say so too. */
static void expect_both(struct vd_run *r, const char *cause)
{
	char line[128];
	expect_first(r->diag, "full form (--diagnose)", cause);
	expect_first(r->shrt, "short form (counters)", cause);
	if (strcmp(cause, "none") == 0)
		snprintf(line, sizeof line, "verdict: no clear cause");
	else
		snprintf(line, sizeof line, "verdict: %s (", cause);
	cr_expect(r->short_txt && strstr(r->short_txt, line),
		  "the text report does not end with \"%s...\"", line);
	cr_expect(r->diag_txt && strstr(r->diag_txt, "Verdicts, strongest first:"),
		  "the --diagnose text report has no verdicts");
}

TestSuite(verdicts, .timeout = 280);

Test(verdicts, many_stats_on_a_slow_directory_are_slow_metadata)
{
	struct vd_run r = {0};
	char *argv[] = {VD_WORK, "stat", "@DIR@", "200", NULL};
	vd_scenario(&r, "vd-meta", "slow", argv);
	expect_both(&r, "slow-metadata");
	const char *words[] = {"metadata calls", r.dir, NULL};
	expect_evidence(r.diag, words);
	vd_done(&r);
}

Test(verdicts, reads_of_a_slow_file_are_slow_reads)
{
	struct vd_run r = {0};
	char *argv[] = {VD_WORK, "read", "@DIR@/data.bin", "60", "4096", NULL};
	vd_scenario(&r, "vd-read", "slow", argv);
	expect_both(&r, "slow-reads");
	const char *words[] = {"pread64", r.dir, NULL};
	expect_evidence(r.diag, words);
	vd_done(&r);
}

Test(verdicts, many_dlopens_are_library_loading)
{
	struct vd_run r = {0};
	char *argv[64] = {VD_WORK, "dlopen"}, libs[] = VD_LIB_LIST;
	int n = 2;
	for (char *save, *s = strtok_r(libs, ":", &save); s && n < 63; s = strtok_r(NULL, ":", &save))
		argv[n++] = s;
	argv[n] = NULL;
	vd_scenario(&r, "vd-dlopen", "plain", argv);
	expect_both(&r, "library-loading");
	const char *words[] = {"dlopen calls", "slowest: libvd_lib", NULL};
	expect_evidence(r.diag, words);
	vd_done(&r);
}

Test(verdicts, a_retry_loop_with_sleeps_is_sleep_backoff)
{
	struct vd_run r = {0};
	char *argv[] = {VD_WORK, "retry", "10", "5", NULL};
	vd_scenario(&r, "vd-retry", "plain", argv);
	expect_both(&r, "sleep-backoff");
	const char *words[] = {"10 sleeps", "retry loop", "connect", "ECONNREFUSED", "backoff", NULL};
	expect_evidence(r.diag, words);
	vd_done(&r);
}

/* The slow peer: vd_work serve, started here, untraced, answers each
 * request after 100 ms; the traced client blocks in recv. */
Test(verdicts, a_slow_tcp_peer_is_network_wait)
{
	int out[2];
	cr_assert_eq(pipe(out), 0);
	pid_t srv = fork();
	cr_assert_neq(srv, -1);
	if (srv == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* a failed assertion ends the test */
		dup2(out[1], 1);
		close(out[0]);
		execl(VD_WORK, VD_WORK, "serve", "100", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char port[16] = "";
	FILE *f = fdopen(out[0], "r");
	cr_assert(f && fgets(port, sizeof port, f), "the server printed no port");
	fclose(f);
	port[strcspn(port, "\n")] = '\0';

	struct vd_run r = {0};
	char *argv[] = {VD_WORK, "client", port, "5", NULL};
	vd_scenario(&r, "vd-peer", "plain", argv);
	kill(srv, SIGTERM);
	waitpid(srv, NULL, 0);
	expect_both(&r, "network-wait");
	const char *words[] = {"recvfrom", NULL};
	expect_evidence(r.diag, words);
	vd_done(&r);
}

Test(verdicts, epoll_timeouts_are_an_idle_event_loop)
{
	struct vd_run r = {0};
	char *argv[] = {VD_WORK, "epoll", "10", "20", NULL};
	vd_scenario(&r, "vd-epoll", "plain", argv);
	expect_both(&r, "idle-event-loop");
	const char *words[] = {"epoll_wait", NULL};
	expect_evidence(r.diag, words);
	vd_done(&r);
}

/* The same workloads on a plain directory, and ls: nothing to blame. */
Test(verdicts, ordinary_fast_programs_get_no_clear_cause)
{
	char *stat_argv[] = {VD_WORK, "stat", "@DIR@", "200", NULL};
	char *read_argv[] = {VD_WORK, "read", "@DIR@/data.bin", "60", "4096", NULL};
	char *ls_argv[] = {"ls", "-l", "/", NULL};
	char *const *runs[] = {stat_argv, read_argv, ls_argv};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct vd_run r = {0};
		vd_scenario(&r, "vd-fast", "plain", runs[i]);
		expect_both(&r, "none");
		const char *words[] = {"no clear cause", NULL};
		expect_evidence(r.diag, words);
		vd_done(&r);
	}
}

/* The real interpreter (not a launcher script such as pyenv's), or skip. */
static void vd_python(char *py, size_t cap)
{
	if (e2e_capture_line("python3 -c 'import sys; print(sys.executable)'", py, cap) != 0 ||
	    access(py, X_OK) != 0) {
		printf("SKIPPED: python3 not found\n");
		fflush(stdout);
		cr_skip_test("python3 not found");
	}
}

/* The import scenario (tests/locks/run_scenario.sh) under syswatch run
 * --diagnose in mode (slow|plain), modules and threads as given, extra
 * (VAR=VALUE or NULL) for the program; its trace is r->work/trace.pb and
 * its JSON report r->work/report.json. */
static void vd_import(struct vd_run *r, const char *tag, const char *mode, const char *modules,
		      const char *threads, char *extra)
{
	char py[4096];
	vd_python(py, sizeof py);
	cr_assert_eq(e2e_tmpdir(r->work, sizeof r->work, tag), 0);
	char trace[4200], args[4400], log[4200];
	vd_path(trace, sizeof trace, r->work, "trace.pb");
	snprintf(args, sizeof args, "--diagnose --trace %s", trace);
	setenv("LK_RUN_ARGS", args, 1);
	setenv("LK_MODULES", modules, 1);
	setenv("LK_THREADS", threads, 1);
	char *av[] = {"bash", VD_LOCKS_SCRIPT, py, r->work, (char *)mode, extra, NULL};
	vd_path(log, sizeof log, r->work, "script.log");
	int rc = lk_run(av, log, 200);
	unsetenv("LK_RUN_ARGS");
	unsetenv("LK_MODULES");
	unsetenv("LK_THREADS");
	if (rc != 0)
		vd_fail_log(r->work, log);
	cr_assert_eq(rc, 0, "run_scenario.sh exited %d", rc);
}

/* 32 Python threads import a package from a slow filesystem: futex
 * dominates the table, the holders were in slow file calls. */
Test(verdicts, the_import_scenario_is_lock_amplification)
{
	struct vd_run r = {0};
	vd_import(&r, "vd-import", "slow", "40", "32", NULL);
	char trace[4200], log[4200];
	vd_path(trace, sizeof trace, r.work, "trace.pb");
	vd_path(log, sizeof log, r.work, "script.log");
	/* The short forms from the same trace, as run_verdict.sh makes them. */
	const char *sw = e2e_syswatch();
	cr_assert_not_null(sw);
	char sjson[4200], dtxt[4200], stxt[4200];
	vd_path(sjson, sizeof sjson, r.work, "short.json");
	vd_path(dtxt, sizeof dtxt, r.work, "diag.txt");
	vd_path(stxt, sizeof stxt, r.work, "short.txt");
	char *rep1[] = {(char *)sw, "report", "--format", "json", "-o", sjson, trace, NULL};
	char *rep2[] = {(char *)sw, "report", "--diagnose", "-o", dtxt, trace, NULL};
	char *rep3[] = {(char *)sw, "report", "-o", stxt, trace, NULL};
	char *const *reps[] = {rep1, rep2, rep3};
	for (int i = 0; i < 3; i++)
		cr_assert_eq(lk_run(reps[i], log, 120), 0, "syswatch report failed");
	{
		/* run_scenario.sh names the slow directory slow_prefix. */
		char p[4200], q[4200];
		vd_path(p, sizeof p, r.work, "slow_prefix");
		vd_path(q, sizeof q, r.work, "slow_dir");
		rename(p, q);
	}
	vd_load(&r, "report.json");
	expect_both(&r, "lock-amplification");
	const char *words[] = {"threads waited", "Thread", "lock amplification of slow", NULL};
	expect_evidence(r.diag, words);
	vd_done(&r);
}

/* Issue 10, point 9: 24 threads import a package whose module bodies sleep
 * 150 ms, from a plain directory. The lock analysis attributes the waits
 * to the importing holder, which was sleeping: still lock amplification,
 * the evidence saying the holders slept. */
Test(verdicts, holders_sleeping_in_module_bodies_is_lock_amplification)
{
	struct vd_run r = {0};
	vd_import(&r, "vd-import-sleep", "plain", "10", "24", "SCENARIO_BODY=sleep:150");
	char p[4200];
	vd_path(p, sizeof p, r.work, "report.json");
	r.diag = lk_load(p);
	cr_assert_not_null(r.diag, "no JSON report");
	expect_first(r.diag, "full form (--diagnose)", "lock-amplification");
	const char *words[] = {"threads waited", "Thread", "clock_nanosleep",
			       "lock amplification of sleeps in the holders", NULL};
	expect_evidence(r.diag, words);
	vd_done(&r);
}

/* Issue 10, point 9: a loop of subprocess.run() whose table is mostly
 * wait4 (the children compute: an interpreter starting) is waiting for
 * children, in both forms. */
Test(verdicts, a_subprocess_loop_is_waiting_for_children)
{
	char py[4096];
	vd_python(py, sizeof py);
	char *argv[] = {py, "-c",
			"import subprocess, sys\n"
			"for _ in range(10): subprocess.run([sys.executable, '-c', 'pass'])",
			NULL};
	struct vd_run r = {0};
	vd_scenario(&r, "vd-children", "plain", argv);
	expect_both(&r, "waiting-for-children");
	const char *words[] = {"waits for child processes", "wait4", "child processes were traced",
			       NULL};
	expect_evidence(r.diag, words);
	vd_done(&r);
}
