/*
 * test_exact_counts.c - every row of syswatch's table equals what the
 * program really did (issue 2, acceptance criterion 2).
 *
 * The workload (tests/workloads/wl_files.c) runs N iterations of known
 * calls and writes its own tally: for each call it made, the syscall glibc
 * issues for it and whether it failed, taken from the call's return value.
 * The expectation therefore comes from the workload, never from syswatch
 * and never typed into this test. A second run with N = 0 does everything
 * else the same (start-up, fixtures, threads, the tally file), so for
 * every row of the report
 *
 *     calls(N) - calls(0) == tally calls,  errors(N) - errors(0) == tally errors
 *
 * including the rows the tally does not mention (they must not move),
 * except the lock rows (futex): they count only the waits that blocked
 * (DESIGN.md, decision 7), and whether the workload's pthread_join had to
 * wait for a thread is timing, not something the workload did.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "e2e.h"

struct result {
	struct e2e_table report; /* syswatch's JSON */
	struct e2e_table tally;	 /* the workload's own account */
};

/* Run `syswatch run --format json -o OUT -- wl_files OPTS N DIR TALLY`. */
static void run_workload(const char *tmp, const char *opts, long n, struct result *res)
{
	const char *sw = e2e_syswatch();
	cr_assert_not_null(sw, "no syswatch binary");
	char out[4096], dir[4096], tally[4096], log[4096], nbuf[32], optbuf[256];
	snprintf(out, sizeof out, "%s/n%ld.json", tmp, n);
	snprintf(dir, sizeof dir, "%s/n%ld.d", tmp, n);
	snprintf(tally, sizeof tally, "%s/n%ld.tally", tmp, n);
	snprintf(log, sizeof log, "%s/n%ld.log", tmp, n);
	snprintf(nbuf, sizeof nbuf, "%ld", n);
	snprintf(optbuf, sizeof optbuf, "%s", opts);

	char *argv[32];
	int k = 0;
	argv[k++] = (char *)sw;
	argv[k++] = "run";
	argv[k++] = "--format";
	argv[k++] = "json";
	argv[k++] = "-o";
	argv[k++] = out;
	argv[k++] = "--";
	argv[k++] = WL_FILES;
	for (char *s = strtok(optbuf, " "); s != NULL && k < 24; s = strtok(NULL, " "))
		argv[k++] = s;
	argv[k++] = nbuf;
	argv[k++] = dir;
	argv[k++] = tally;
	argv[k] = NULL;

	int st = e2e_run(argv, log);
	if (st != 0)
		e2e_dump(log);
	cr_assert_eq(st, 0, "syswatch run ... wl_files %s %ld exited with %d", opts, n, st);
	cr_assert_eq(e2e_read_json(out, &res->report), 0, "unreadable report %s", out);
	cr_assert_eq(e2e_read_tally(tally, &res->tally), 0, "unreadable tally %s", tally);
}

/* Compare (report N - report 0) with the tally on every row; print them.
 * Returns the number of rows that differ. */
static int expect_rows_equal_tally(const char *what, const struct result *rn,
				   const struct result *r0)
{
	struct e2e_table diff, rows;
	e2e_sub(&diff, &rn->report, &r0->report);
	e2e_sub(&rows, &diff, &rn->tally); /* every name of either side */

	printf("\n%s: syswatch(N) - syswatch(0) against the workload's tally\n", what);
	printf("  %-14s %10s %10s   %10s %10s\n", "row", "sw calls", "sw errors", "did calls",
	       "did errors");
	int bad = 0;
	for (int i = 0; i < rows.n; i++) {
		const char *name = rows.rows[i].name;
		const struct e2e_row *d = e2e_find(&diff, name), *t = e2e_find(&rn->tally, name);
		long long dc = d ? d->calls : 0, de = d ? d->errors : 0;
		long long tc = t ? t->calls : 0, te = t ? t->errors : 0;
		/* Lock rows count the waits that blocked: how many did is a
		 * matter of timing (did pthread_join find the thread done?),
		 * which no workload can know. Every other row is compared. */
		int timing = e2e_row_kind(name, &diff) == E2E_SLOW_PATH;
		int ok = timing || (dc == tc && de == te);
		bad += !ok;
		if (dc != 0 || de != 0 || tc != 0 || te != 0 || !ok)
			printf("  %-14s %10lld %10lld   %10lld %10lld   %s\n", name, dc, de, tc, te,
			       !ok	? "<-- differs"
			       : timing ? e2e_kind_note(E2E_SLOW_PATH)
					: "");
	}
	fflush(stdout);
	cr_expect_eq(bad, 0, "%s: %d rows differ from what the workload did (table above)", what,
		     bad);
	return bad;
}

static void exact_counts(const char *tag, const char *opts, long n, int nprocs)
{
	char tmp[4096];
	cr_assert_eq(e2e_tmpdir(tmp, sizeof tmp, tag), 0);
	static struct result rn, r0;
	run_workload(tmp, opts, n, &rn);
	run_workload(tmp, opts, 0, &r0);

	/* the report is of the whole tree, and complete */
	cr_expect_eq(rn.report.nprocesses, nprocs, "report lists %d processes, ran %d",
		     rn.report.nprocesses, nprocs);
	cr_expect_eq(rn.report.failed_processes, 0);
	const struct e2e_row *open0 = e2e_find(&r0.report, "openat");
	cr_expect(open0 != NULL && open0->calls > 0,
		  "the N = 0 run shows no openat at all: is anything traced?");

	char what[128];
	snprintf(what, sizeof what, "wl_files %s N=%ld", opts, n);
	if (expect_rows_equal_tally(what, &rn, &r0) == 0)
		e2e_rmtree(tmp); /* kept when failing, to look at */
}

Test(exact_counts, every_row_equals_what_one_thread_did, .timeout = 300)
{
	exact_counts("exact-1", "", 300, 1);
}

Test(exact_counts, threads_and_forked_children_are_all_counted, .timeout = 300)
{
	exact_counts("exact-tp", "-t 4 -p 3", 40, 3);
}
