/*
 * test_selectors.c - strace's selectors in syswatch (issue 5, acceptance
 * criterion 2): one test per selector, each comparing syswatch with
 * strace 6.1 on the same workload (tests/workloads/sel_mix.c) under the
 * same selector.
 *
 *  - trace= (names, negation, each class): the rows present and their
 *    calls and errors. Both sides run the workload with N iterations and
 *    with none, and the differences are compared, so the dynamic loader's
 *    start-up (which no preload sees) cancels out. Compared are the rows
 *    syswatch counts one-for-one (e2e_row_kind); syswatch must also print
 *    no row strace did not select.
 *  - status=, -z, -Z: strace 6.1's -c table ignores them, so the ground
 *    truth is strace's per-call output under the same selector (`strace
 *    -f -e trace=SET -e status=... -o FILE`), counted per syscall.
 *  - -U: the column set and order equal strace's header.
 *  - -S: where strace's values differ (calls, errors, name, syscall
 *    number), the order equals strace's; for the time keys (times under
 *    ptrace are not syswatch's) the order must follow the values syswatch
 *    prints itself.
 *
 * Needs ptrace: without it every test prints why and is skipped.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"

#define N 40 /* iterations of sel_mix */

static void need_ptrace(void)
{
	if (e2e_sh_quiet("strace -f -c -o /dev/null true") != 0) {
		fprintf(stderr, "SKIPPED: strace -f -c true fails here (no strace, or ptrace is "
				"not allowed: CAP_SYS_PTRACE, seccomp, yama ptrace_scope)\n");
		cr_skip_test("ptrace is not available");
	}
}

enum side { SW_JSON, SW_TEXT, STRACE_C, STRACE_CALLS };

/* Run sel_mix n under one side with the options in opts (split at
 * spaces); the result file's path into res. */
static void run(const char *tmp, enum side side, const char *opts, long n, char *res,
		size_t cap)
{
	static int seq;
	char log[4096], nbuf[32], optbuf[512];
	snprintf(res, cap, "%s/r%d.out", tmp, ++seq);
	snprintf(log, sizeof log, "%s/r%d.log", tmp, seq);
	snprintf(nbuf, sizeof nbuf, "%ld", n);
	snprintf(optbuf, sizeof optbuf, "%s", opts);
	char *argv[48];
	int k = 0;
	if (side == SW_JSON || side == SW_TEXT) {
		const char *sw = e2e_syswatch();
		cr_assert_not_null(sw, "no syswatch binary");
		argv[k++] = (char *)sw;
		argv[k++] = "run";
		if (side == SW_JSON) {
			argv[k++] = "--format";
			argv[k++] = "json";
		}
	} else {
		argv[k++] = "strace";
		argv[k++] = "-f";
		if (side == STRACE_C) {
			argv[k++] = "-c";
			argv[k++] = "-w";
		} else { /* results right after the call: ") = -1 E..." */
			argv[k++] = "-a";
			argv[k++] = "1";
		}
	}
	argv[k++] = "-o";
	argv[k++] = res;
	for (char *s = strtok(optbuf, " "); s != NULL && k < 40; s = strtok(NULL, " "))
		argv[k++] = s;
	argv[k++] = "--";
	argv[k++] = SEL_MIX;
	argv[k++] = nbuf;
	argv[k] = NULL;
	int st = e2e_run(argv, log);
	if (st != 0)
		e2e_dump(log);
	cr_assert_eq(st, 0, "%s %s ... sel_mix %ld exited with %d", argv[0], opts, n, st);
}

/* The table of one side (N minus 0 in *diff, the N run in *full). */
static void tables(const char *tmp, enum side side, const char *opts, struct e2e_table *diff,
		   struct e2e_table *full)
{
	static struct e2e_table zero;
	char res[4096];
	for (int pass = 0; pass < 2; pass++) {
		struct e2e_table *t = pass ? &zero : full;
		run(tmp, side, opts, pass ? 0 : N, res, sizeof res);
		int rc = side == SW_JSON	   ? e2e_read_json(res, t)
			 : side == STRACE_C ? e2e_read_strace_c(res, t)
					    : e2e_read_strace_y(res, t);
		if (rc != 0 && side != SW_JSON)
			memset(t, 0, sizeof *t); /* an empty selection: no calls */
		else
			cr_assert_eq(rc, 0, "unreadable %s", res);
	}
	e2e_sub(diff, full, &zero);
}

static long long calls_of(const struct e2e_table *t, const char *name, long long *errors)
{
	const struct e2e_row *r = e2e_find(t, name);
	*errors = r ? r->errors : 0;
	return r ? r->calls : 0;
}

/*
 * syswatch with sw_opts against strace (side st) with st_opts: on every
 * one-for-one row, equal N-0 calls and errors; no row printed by syswatch
 * that strace did not select. Returns the rows compared with calls.
 */
static int agree(const char *tag, const char *sw_opts, enum side st, const char *st_opts)
{
	need_ptrace();
	char tmp[4096];
	cr_assert_eq(e2e_tmpdir(tmp, sizeof tmp, tag), 0);
	static struct e2e_table ds, dw, sfull, wfull, rows;
	tables(tmp, st, st_opts, &ds, &sfull);
	tables(tmp, SW_JSON, sw_opts, &dw, &wfull);
	e2e_sub(&rows, &ds, &dw); /* every name of either side */

	printf("\nsel_mix %d, N - 0: syswatch %s against strace %s\n", N, sw_opts, st_opts);
	int bad = 0, compared = 0;
	for (int i = 0; i < rows.n; i++) {
		const char *name = rows.rows[i].name;
		long long se, we, sc = calls_of(&ds, name, &se), wc = calls_of(&dw, name, &we);
		enum e2e_row_kind kind = e2e_row_kind(name, &dw);
		const char *note = e2e_kind_note(kind);
		if (kind == E2E_ONE_FOR_ONE) {
			compared += sc != 0;
			if (sc != wc || se != we) {
				bad++;
				note = "<-- differs";
			}
		}
		if (sc || se || wc || we)
			printf("  %-14s strace %6lld %6lld   syswatch %6lld %6lld   %s\n", name, sc,
			       se, wc, we, note);
	}
	/* strace -c never counts exit_group (the call does not return); its
	 * per-call output shows it unfinished, which no status selects. */
	for (int i = 0; i < wfull.n; i++) {
		const char *name = wfull.rows[i].name;
		if (e2e_row_kind(name, &wfull) == E2E_ONE_FOR_ONE && !e2e_find(&sfull, name) &&
		    strcmp(name, "exit_group") != 0) {
			printf("  %-14s printed by syswatch, not selected by strace\n", name);
			bad++;
		}
	}
	printf("  %d rows compared, %d differ\n", compared, bad);
	fflush(stdout);
	cr_expect_eq(bad, 0, "%s: %d rows differ from strace (table above)", tag, bad);
	if (bad == 0)
		e2e_rmtree(tmp);
	return compared;
}

/* A trace= selector, the same on both sides; at least `least` rows with
 * calls must have been compared (a vacuous pass proves nothing). */
static void trace_sel(const char *tag, const char *sel, int least)
{
	char opts[256];
	snprintf(opts, sizeof opts, "-e trace=%s", sel);
	int n = agree(tag, opts, STRACE_C, opts);
	cr_assert_geq(n, least, "%s: only %d rows compared", sel, n);
}

Test(selectors, trace_names, .timeout = 300)
{
	trace_sel("sel-names", "openat,close,read,sendto,kill", 5);
}

Test(selectors, trace_negated_names, .timeout = 300)
{
	trace_sel("sel-neg", "!openat,close,read,sendto,kill", 10);
}

Test(selectors, trace_class_file, .timeout = 300)
{
	trace_sel("sel-file", "%file", 2);
}

Test(selectors, trace_class_desc, .timeout = 300)
{
	trace_sel("sel-desc", "%desc", 8);
}

Test(selectors, trace_class_network, .timeout = 300)
{
	trace_sel("sel-net", "%network", 6);
}

Test(selectors, trace_class_process, .timeout = 300)
{
	trace_sel("sel-proc", "%process", 2);
}

Test(selectors, trace_class_memory, .timeout = 300)
{
	trace_sel("sel-mem", "%memory", 3);
}

Test(selectors, trace_class_signal, .timeout = 300)
{
	trace_sel("sel-sig", "%signal", 1);
}

/* syswatch has no SysV IPC row: strace's rows (shmget, shmctl) are not
 * comparable, and syswatch must print none. */
Test(selectors, trace_class_ipc, .timeout = 300)
{
	trace_sel("sel-ipc", "%ipc", 0);
}

/* %lock is syswatch's (strace has no such class): the lock rows, futex,
 * which strace selects by name; only the rows present are compared (the
 * futex row counts the waits that blocked). */
Test(selectors, trace_class_lock, .timeout = 300)
{
	agree("sel-lock", "-e trace=%lock", STRACE_C, "-e trace=futex");
}

/* status: strace's per-call output under the same selector. */
static void status_sel(const char *tag, const char *sw, const char *st)
{
	int n = agree(tag, sw, STRACE_CALLS, st);
	cr_assert_geq(n, 4, "%s: only %d rows compared", tag, n);
}

#define SET "%desc,%network,%signal,%process"

Test(selectors, status_failed, .timeout = 300)
{
	status_sel("sel-failed", "-e trace=" SET " -e status=failed",
		   "-e trace=" SET " -e status=failed");
}

Test(selectors, status_successful, .timeout = 300)
{
	status_sel("sel-ok", "-e trace=" SET " -e status=successful",
		   "-e trace=" SET " -e status=successful");
}

Test(selectors, Z_is_failed_only, .timeout = 300)
{
	status_sel("sel-Z", "-e trace=" SET " -Z", "-e trace=" SET " -Z");
}

Test(selectors, z_is_successful_only, .timeout = 300)
{
	status_sel("sel-z", "-e trace=" SET " -z", "-e trace=" SET " -z");
}

/* ---- text tables: -U and -S ------------------------------------------- */

/* The text table of sel_mix N under one side into buf. */
static void text_table(const char *tmp, enum side side, const char *opts, char *buf, size_t cap)
{
	char res[4096];
	run(tmp, side, opts, N, res, sizeof res);
	FILE *f = fopen(res, "r");
	cr_assert_not_null(f, "%s", res);
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* The header line with runs of spaces collapsed (column titles, in order). */
static void header(const char *table, char *out, size_t cap)
{
	size_t k = 0;
	for (const char *p = table; *p && *p != '\n' && k + 1 < cap; p++) {
		if (*p == ' ' && (k == 0 || out[k - 1] == ' '))
			continue;
		out[k++] = *p;
	}
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = 0;
}

static void columns_sel(const char *tag, const char *cols)
{
	need_ptrace();
	char tmp[4096], opts[256];
	static char sw[65536], st[65536];
	char hs[512], hw[512];
	cr_assert_eq(e2e_tmpdir(tmp, sizeof tmp, tag), 0);
	snprintf(opts, sizeof opts, "-e trace=%%network -U %s", cols);
	text_table(tmp, STRACE_C, opts, st, sizeof st);
	text_table(tmp, SW_TEXT, opts, sw, sizeof sw);
	header(st, hs, sizeof hs);
	header(sw, hw, sizeof hw);
	cr_assert_str_eq(hw, hs, "-U %s: syswatch's header differs from strace's\n%s\n%s", cols,
			 sw, st);
	e2e_rmtree(tmp);
}

Test(selectors, U_default_order_spelled_out, .timeout = 300)
{
	columns_sel("sel-U1", "time-percent,total-time,avg-time,calls,errors,name");
}

Test(selectors, U_min_max_name_first, .timeout = 300)
{
	columns_sel("sel-U2", "name,calls,min-time,max-time,avg-time,errors,total-time");
}

Test(selectors, U_name_in_the_middle_and_aliases, .timeout = 300)
{
	columns_sel("sel-U3", "longest,count,syscall,time,shortest");
}

Test(selectors, U_name_appended_when_missing, .timeout = 300)
{
	columns_sel("sel-U4", "errors,calls");
}

/* The rows of a text table in order, each with the value of its first
 * column (the -U column the test put first) as a number. */
struct trow {
	char name[E2E_NAME_LEN];
	double v;
};

static int table_rows(char *table, struct trow *out, int max)
{
	char *line = strchr(table, '\n');
	line = line ? strchr(line + 1, '\n') : NULL; /* past header and rule */
	int n = 0;
	while (line && line[1] && line[1] != '-' && n < max) {
		line++;
		char *end = strchr(line, '\n');
		if (!end)
			break;
		*end = 0;
		char *last = strrchr(line, ' ');
		out[n].v = strtod(line, NULL);
		snprintf(out[n].name, sizeof out[n].name, "%s", last ? last + 1 : line);
		n++;
		*end = '\n';
		line = end;
	}
	return n;
}

static const struct trow *find_row(const struct trow *r, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(r[i].name, name) == 0)
			return &r[i];
	return NULL;
}

/*
 * -S key, with -U col,name so that the first column is the key's value.
 * like_strace: strace's values are comparable (counts, names, numbers),
 * so for every pair of rows both print whose strace values differ, the
 * order must be strace's. Unless by_name (name, none: every pair differs,
 * checked through strace only), syswatch's order follows the values it
 * prints, descending.
 */
static void sort_sel(const char *tag, const char *key, const char *col, bool like_strace,
		     bool by_name)
{
	need_ptrace();
	char tmp[4096], opts[256];
	static char sw[65536], st[65536];
	static struct trow rs[128], rw[128];
	cr_assert_eq(e2e_tmpdir(tmp, sizeof tmp, tag), 0);
	/* No loader work in these rows: strace's counts are the loop's. */
	snprintf(opts, sizeof opts, "-e trace=%%network,%%signal,wait4,lseek,dup,pipe2 -S %s -U %s,name",
		 key, col);
	text_table(tmp, STRACE_C, opts, st, sizeof st);
	text_table(tmp, SW_TEXT, opts, sw, sizeof sw);
	int ns = table_rows(st, rs, 128), nw = table_rows(sw, rw, 128);
	cr_assert_geq(nw, 8, "-S %s: too few rows:\n%s", key, sw);
	int bad = 0;
	for (int i = 0; i < nw; i++) {
		for (int j = i + 1; j < nw; j++) {
			if (!by_name && rw[i].v < rw[j].v) {
				printf("-S %s: %s (%g) before %s (%g)\n", key, rw[i].name, rw[i].v,
				       rw[j].name, rw[j].v);
				bad++;
			}
			if (!like_strace)
				continue;
			const struct trow *a = find_row(rs, ns, rw[i].name);
			const struct trow *b = find_row(rs, ns, rw[j].name);
			cr_assert(a && b, "-S %s: %s or %s missing in strace's table", key, rw[i].name,
				  rw[j].name);
			bool differ = by_name || a->v != b->v;
			if (differ && a > b) { /* strace put b first */
				printf("-S %s: syswatch has %s before %s, strace the reverse\n", key,
				       rw[i].name, rw[j].name);
				bad++;
			}
		}
	}
	cr_expect_eq(bad, 0, "-S %s: %d pairs out of order\n%s\n%s", key, bad, sw, st);
	if (bad == 0)
		e2e_rmtree(tmp);
}

Test(selectors, S_calls, .timeout = 300)
{
	sort_sel("sel-Sc", "calls", "calls", true, false);
}

Test(selectors, S_errors, .timeout = 300)
{
	sort_sel("sel-Se", "errors", "errors", true, false);
}

Test(selectors, S_name, .timeout = 300)
{
	sort_sel("sel-Sn", "name", "calls", true, true);
}

Test(selectors, S_none_is_syscall_number_order, .timeout = 300)
{
	sort_sel("sel-S0", "none", "calls", true, true);
}

Test(selectors, S_time, .timeout = 300)
{
	sort_sel("sel-St", "time", "total-time", false, false);
}

Test(selectors, S_min, .timeout = 300)
{
	sort_sel("sel-Smin", "min-time", "min-time", false, false);
}

Test(selectors, S_max, .timeout = 300)
{
	sort_sel("sel-Smax", "max-time", "max-time", false, false);
}

Test(selectors, S_avg, .timeout = 300)
{
	sort_sel("sel-Savg", "avg-time", "avg-time", false, false);
}
