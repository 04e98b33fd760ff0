/*
 * test_verdicts.c - the verdict rules on hand-made counters and events:
 * each rule fires on the pattern it names, stays quiet just below its
 * threshold, ranks by the share of the run it explains, and "none" comes
 * when nothing applies. The end-to-end scenarios are in tests/verdicts/.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evtrace.h"
#include "model.h"
#include "verdicts.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"

#define MS 1000000ull
#define US 1000ull

/* A row of a hand-made thread: calls of ns_each, errors failed. */
struct spec {
	uint32_t row;
	uint64_t calls, ns_each, errors;
};

struct fixture {
	struct sw_model m;
	struct sw_evtrace t;
	bool have_t;
	struct sw_verdicts v;
};

static void model(struct fixture *f, uint64_t wall_ns)
{
	memset(f, 0, sizeof(*f));
	sw_model_init(&f->m);
	cr_assert_eq(sw_model_builtin_rows(&f->m), 0);
	struct sw_proc_rec p = {.pid = 100, .ppid = 1, .command = "prog", .has_exit = true};
	cr_assert_eq(sw_model_put_process(&f->m, &p), 0);
	f->m.wall_ns = wall_ns;
}

static void thread(struct fixture *f, int32_t tid, const struct spec *s, size_t n)
{
	struct sw_rowval rv[16];
	cr_assert_leq(n, 16);
	for (size_t i = 0; i < n; i++) {
		struct sw_rowstat *st = &rv[i].st;
		sw_rowstat_zero(st);
		rv[i].row = s[i].row;
		st->calls = s[i].calls;
		st->errors = s[i].errors;
		st->total_ns = s[i].calls * s[i].ns_each;
		st->min_ns = st->max_ns = s[i].ns_each;
		st->hist[64 - __builtin_clzll(s[i].ns_each | 1)] = s[i].calls;
	}
	struct sw_thread_rec t = {.pid = 100, .tid = tid, .start_ns = 1, .nrows = n, .rows = rv};
	cr_assert_eq(sw_model_add_thread(&f->m, &t), 0);
}

static void build(struct fixture *f, bool with_events)
{
	cr_assert_eq(sw_verdicts_build(&f->m, with_events ? &f->t : NULL, NULL, &f->v), 0);
	for (size_t i = 0; i < f->v.n; i++)
		printf("  %s (%.2f): %s\n", f->v.v[i].cause, f->v.v[i].confidence,
		       f->v.v[i].evidence);
}

static void done(struct fixture *f)
{
	if (f->have_t)
		sw_evtrace_free(&f->t);
	sw_model_free(&f->m);
}

static const char *first(const struct fixture *f)
{
	cr_assert_gt(f->v.n, 0, "no verdict at all");
	return f->v.v[0].cause;
}

static bool has(const struct fixture *f, const char *cause)
{
	for (size_t i = 0; i < f->v.n; i++)
		if (strcmp(f->v.v[i].cause, cause) == 0)
			return true;
	return false;
}

Test(verdicts_unit, slow_stats_are_slow_metadata_with_their_figures)
{
	struct fixture f;
	model(&f, 1100 * MS);
	struct spec s[] = {{SW_ROW_newfstatat, 800, 1 * MS, 400}, {SW_ROW_openat, 200, 1 * MS, 0}};
	thread(&f, 100, s, 2);
	build(&f, false);
	cr_assert_str_eq(first(&f), "slow-metadata");
	cr_expect_eq(f.v.n, 1, "only one cause applies");
	/* 1000 calls of 1 ms in 1.1 s of wall time. */
	cr_expect_float_eq(f.v.v[0].confidence, 1000.0 / 1100.0, 0.01);
	cr_expect(strstr(f.v.v[0].evidence, "1000 metadata calls"), "%s", f.v.v[0].evidence);
	cr_expect(strstr(f.v.v[0].evidence, "newfstatat 800"), "%s", f.v.v[0].evidence);
	done(&f);
}

Test(verdicts_unit, the_same_stats_from_the_page_cache_are_no_clear_cause)
{
	struct fixture f;
	model(&f, 20 * MS);
	struct spec s[] = {{SW_ROW_newfstatat, 800, 5 * US, 400}, {SW_ROW_openat, 200, 8 * US, 0}};
	thread(&f, 100, s, 2);
	build(&f, false);
	cr_assert_str_eq(first(&f), "none");
	cr_expect_eq(f.v.n, 1);
	cr_expect(strncmp(f.v.v[0].evidence, "no clear cause: ", 16) == 0, "%s",
		  f.v.v[0].evidence);
	done(&f);
}

/* Just under and just over the metadata threshold (250 us a call). */
Test(verdicts_unit, metadata_threshold_is_a_mean_of_250_us)
{
	const uint64_t each[] = {240 * US, 260 * US};
	for (int i = 0; i < 2; i++) {
		struct fixture f;
		model(&f, 100 * each[i] / MS * MS + 1 * MS);
		struct spec s[] = {{SW_ROW_newfstatat, 100, each[i], 0}};
		thread(&f, 100, s, 1);
		build(&f, false);
		cr_expect_str_eq(first(&f), i ? "slow-metadata" : "none", "mean %llu ns",
				 (unsigned long long)each[i]);
		done(&f);
	}
}

/* The import scenario from the counters: 32 threads wait on futex while
 * the holder's stats are slow: lock amplification first, the metadata
 * second. */
Test(verdicts_unit, futex_dominating_over_slow_stats_is_lock_amplification)
{
	struct fixture f;
	model(&f, 2000 * MS);
	struct spec holder[] = {{SW_ROW_newfstatat, 1500, 1 * MS, 0}, {SW_ROW_read, 100, 3 * MS, 0}};
	thread(&f, 100, holder, 2);
	for (int t = 1; t <= 32; t++) {
		struct spec waiter[] = {{SW_ROW_futex, 60, 30 * MS, 0}};
		thread(&f, 100 + t, waiter, 1);
	}
	build(&f, false);
	cr_assert_str_eq(first(&f), "lock-amplification");
	cr_expect(has(&f, "slow-metadata") || f.v.n == 1);
	cr_expect(strstr(f.v.v[0].evidence, "metadata"), "%s", f.v.v[0].evidence);
	/* 33 threads: the summed-versus-wall note. */
	cr_expect(strstr(f.v.v[0].evidence, "over 33 threads, wall 2.00 s"), "%s",
		  f.v.v[0].evidence);
	done(&f);
}

/* Waits dominating with nothing slow inside: no guess. */
Test(verdicts_unit, futex_alone_is_not_blamed_on_the_filesystem)
{
	struct fixture f;
	model(&f, 2000 * MS);
	struct spec holder[] = {{SW_ROW_newfstatat, 1500, 5 * US, 0}};
	thread(&f, 100, holder, 1);
	for (int t = 1; t <= 8; t++) {
		struct spec waiter[] = {{SW_ROW_futex, 60, 30 * MS, 0}};
		thread(&f, 100 + t, waiter, 1);
	}
	build(&f, false);
	cr_expect_not(has(&f, "lock-amplification"));
	cr_expect_not(has(&f, "slow-metadata"));
	done(&f);
}

Test(verdicts_unit, causes_are_ranked_by_the_share_they_explain)
{
	struct fixture f;
	model(&f, 1000 * MS);
	struct spec s[] = {{SW_ROW_clock_nanosleep, 10, 20 * MS, 0}, /* 200 ms */
			   {SW_ROW_dlopen, 40, 10 * MS, 0},           /* 400 ms */
			   {SW_ROW_recvfrom, 3, 100 * MS, 0}};        /* 300 ms */
	thread(&f, 100, s, 3);
	build(&f, false);
	cr_assert_eq(f.v.n, 3);
	cr_expect_str_eq(f.v.v[0].cause, "library-loading");
	cr_expect_str_eq(f.v.v[1].cause, "network-wait");
	cr_expect_str_eq(f.v.v[2].cause, "sleep-backoff");
	for (size_t i = 1; i < f.v.n; i++)
		cr_expect_geq(f.v.v[i - 1].confidence, f.v.v[i].confidence);
	done(&f);
}

/* A parent waiting for its child counts the child's time again: the
 * child's slow reads still explain the run. */
Test(verdicts_unit, waits_for_children_do_not_dilute_the_cause)
{
	struct fixture f;
	model(&f, 1000 * MS);
	struct spec parent[] = {{SW_ROW_wait4, 1, 1000 * MS, 0}};
	struct spec child[] = {{SW_ROW_read, 180, 5 * MS, 0}};
	thread(&f, 100, parent, 1);
	thread(&f, 101, child, 1);
	build(&f, false);
	cr_assert_str_eq(first(&f), "slow-reads");
	cr_expect_gt(f.v.v[0].confidence, 0.85);
	done(&f);
}

Test(verdicts_unit, epoll_dominating_is_an_idle_loop)
{
	struct fixture f;
	model(&f, 1000 * MS);
	struct spec s[] = {{SW_ROW_epoll_wait, 90, 10 * MS, 0}, {SW_ROW_read, 90, 10 * US, 0}};
	thread(&f, 100, s, 2);
	build(&f, false);
	cr_assert_str_eq(first(&f), "idle-event-loop");
	done(&f);
}

/* --- with events ------------------------------------------------------- */

static void events(struct fixture *f, int32_t tid, const struct sw_ev *ev, size_t n)
{
	if (!f->have_t) {
		sw_evtrace_init(&f->t, &f->m);
		f->have_t = true;
	}
	cr_assert_eq(sw_evtrace_add(&f->t, 100, 0, tid, ev, n), 0);
}

static struct sw_ev call(uint32_t fn, uint32_t row, uint64_t start, uint64_t len,
			 const char *path)
{
	return (struct sw_ev){.start = start, .end = start + len, .fn = fn, .row = row,
			      .path = path, .fd = -1};
}

Test(verdicts_unit, events_name_the_directory_the_slow_stats_went_to)
{
	struct fixture f;
	model(&f, 500 * MS);
	struct spec s[] = {{SW_ROW_newfstatat, 400, 1 * MS, 0}};
	thread(&f, 100, s, 1);
	struct sw_ev ev[400];
	char paths[400][64];
	for (int i = 0; i < 400; i++) {
		/* Most under /nfs/proj/{a,b}/, a few fast ones elsewhere. */
		snprintf(paths[i], sizeof paths[i], i % 10 ? "/nfs/proj/%c/f%d" : "/usr/lib/x%d",
			 i % 10 ? 'a' + i % 2 : i, i);
		ev[i] = call(SW_FN_stat, SW_ROW_newfstatat, 1000 + (uint64_t)i * MS,
			     i % 10 ? 1 * MS : 2 * US, paths[i]);
	}
	events(&f, 100, ev, 400);
	cr_assert_eq(sw_evtrace_end(&f.t), 0);
	build(&f, true);
	cr_assert_str_eq(first(&f), "slow-metadata");
	/* The deepest directory holding the slow calls: not /nfs/proj/a. */
	const char *under = strstr(f.v.v[0].evidence, "was under /nfs/proj");
	cr_expect(under && (under[19] == ',' || under[19] == '\0'), "%s", f.v.v[0].evidence);
	cr_expect(strstr(f.v.v[0].evidence, "100% of the time"), "%s", f.v.v[0].evidence);
	done(&f);
}

Test(verdicts_unit, events_show_sleeps_after_failed_connects_as_a_retry_loop)
{
	struct fixture f;
	model(&f, 400 * MS);
	struct spec s[] = {{SW_ROW_connect, 6, 50 * US, 6}, {SW_ROW_close, 6, 2 * US, 0},
			   {SW_ROW_clock_nanosleep, 6, 60 * MS, 0}};
	thread(&f, 100, s, 3);
	struct sw_ev ev[18];
	uint64_t t = 1000, wait = 10 * MS;
	for (int i = 0; i < 6; i++) {
		ev[3 * i] = call(SW_FN_connect, SW_ROW_connect, t, 50 * US, NULL);
		ev[3 * i].flags = SW_EVF_FAILED;
		ev[3 * i].err = ECONNREFUSED;
		ev[3 * i + 1] = call(SW_FN_close, SW_ROW_close, t + 60 * US, 2 * US, NULL);
		ev[3 * i + 2] = call(SW_FN_nanosleep, SW_ROW_clock_nanosleep, t + 70 * US, wait, NULL);
		t += wait + 100 * US;
		wait *= 2;
	}
	events(&f, 100, ev, 18);
	cr_assert_eq(sw_evtrace_end(&f.t), 0);
	build(&f, true);
	cr_assert_str_eq(first(&f), "sleep-backoff");
	const char *e = f.v.v[0].evidence;
	cr_expect(strstr(e, "6 of 6 sleeps came after a failed call"), "%s", e);
	cr_expect(strstr(e, "ECONNREFUSED"), "%s", e);
	cr_expect(strstr(e, "growing backoff"), "%s", e);
	done(&f);
}

/* Slow reads that the events show were on a socket (no file behind the
 * descriptor) are not slow data reads. */
Test(verdicts_unit, slow_reads_of_sockets_are_not_slow_reads)
{
	struct fixture f;
	model(&f, 600 * MS);
	struct spec s[] = {{SW_ROW_read, 5, 100 * MS, 0}, {SW_ROW_socket, 1, 5 * US, 0}};
	thread(&f, 100, s, 2);
	build(&f, false);
	cr_expect(!has(&f, "slow-reads"), "counters alone cannot tell: no guess");
	cr_expect_str_eq(first(&f), "none");
	cr_expect(strstr(f.v.v[0].evidence, "pipes or sockets"), "%s", f.v.v[0].evidence);
	struct sw_ev ev[5];
	for (int i = 0; i < 5; i++) {
		ev[i] = call(SW_FN_read, SW_ROW_read, 1000 + (uint64_t)i * 101 * MS, 100 * MS, NULL);
		ev[i].fd = 3;
		ev[i].flags = SW_EVF_FD;
	}
	events(&f, 100, ev, 5);
	cr_assert_eq(sw_evtrace_end(&f.t), 0);
	build(&f, true);
	cr_expect_not(has(&f, "slow-reads"));
	done(&f);
}

/* --- the outputs ---------------------------------------------------------- */

static char *print(const struct sw_verdicts *v, bool full)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	cr_assert_eq(sw_verdicts_print(f, v, full), 0);
	fclose(f);
	return buf;
}

Test(verdicts_unit, short_form_names_the_first_cause_and_the_rest)
{
	struct fixture f;
	model(&f, 1000 * MS);
	struct spec s[] = {{SW_ROW_dlopen, 40, 10 * MS, 0}, {SW_ROW_clock_nanosleep, 10, 30 * MS, 0}};
	thread(&f, 100, s, 2);
	build(&f, false);
	char *shrt = print(&f.v, false), *full = print(&f.v, true);
	printf("%s%s", shrt, full);
	cr_expect(strncmp(shrt, "verdict: library-loading (0.40): 40 dlopen calls", 48) == 0,
		  "%s", shrt);
	cr_expect(strstr(shrt, "also: sleep-backoff (0.30)"), "%s", shrt);
	cr_expect(strstr(shrt, "--diagnose"), "%s", shrt);
	cr_expect(strstr(full, "1. library-loading (0.40):"), "%s", full);
	cr_expect(strstr(full, "2. sleep-backoff (0.30):"), "%s", full);
	for (char *line = strtok(full, "\n"); line; line = strtok(NULL, "\n"))
		cr_expect_leq(strlen(line), 78, "line too long: %s", line);
	free(shrt);
	free(full);
	done(&f);
}

Test(verdicts_unit, json_has_cause_confidence_and_evidence_strongest_first)
{
	struct fixture f;
	model(&f, 10 * MS);
	thread(&f, 100, (struct spec[]){{SW_ROW_write, 3, 2 * US, 0}}, 1);
	build(&f, false);
	json_object *arr = sw_verdicts_json(&f.v);
	cr_assert_not_null(arr);
	cr_assert_eq(json_object_array_length(arr), 1);
	json_object *v = json_object_array_get_idx(arr, 0), *x;
	cr_assert(json_object_object_get_ex(v, "cause", &x));
	cr_expect_str_eq(json_object_get_string(x), "none");
	cr_assert(json_object_object_get_ex(v, "confidence", &x));
	cr_expect(json_object_get_double(x) >= 0.0 && json_object_get_double(x) <= 1.0);
	cr_assert(json_object_object_get_ex(v, "evidence", &x));
	cr_expect(strstr(json_object_get_string(x), "no clear cause"));
	json_object_put(arr);
	done(&f);
}
