/*
 * test_trace.c - the trace file: what is written is read back into the
 * same model and the same report; a cut or damaged file is an error with
 * a message, never a crash.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "output.h"
#include "syswatch/rows.h"
#include "trace.h"

static struct sw_model src;
static char path[] = "/tmp/sw_test_trace_XXXXXX";
static uint8_t *file;
static size_t file_len;

/* Two processes (one exec'd), three threads, events, drops. */
static void build_and_write(void)
{
	sw_model_init(&src);
	cr_assert_eq(sw_model_builtin_rows(&src), 0);
	char *argv[] = {"python3", "-c", "import json"};
	cr_assert_eq(sw_model_set_command(&src, argv, 3), 0);
	src.start_real_ns = 1700000000000000000ull;

	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	struct sw_trace_writer *w;
	char err[256];
	cr_assert_eq(sw_trace_create(&w, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(sw_trace_header(w, &src), 0);

	struct sw_proc_rec procs[] = {
		{.pid = 100, .ppid = 1, .epoch = 0, .command = "sh", .exe = "/bin/sh",
		 .start_ns = 10, .end_ns = 20, .cwd = "/home/u/proj"},
		{.pid = 100, .ppid = 1, .epoch = 1, .command = "python3",
		 .exe = "/usr/bin/python3.11", .start_ns = 20, .end_ns = 900,
		 .has_exit = true, .exit_status = 0, .threads_lost = 2},
		{.pid = 101, .ppid = 100, .epoch = 0, .command = "child",
		 .start_ns = 30, .end_ns = 40, .has_exit = true, .exit_status = 137,
		 .cwd = "/"},
	};
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(sw_trace_process(w, &procs[i]), 0);
		cr_assert_eq(sw_model_put_process(&src, &procs[i]), 0);
	}

	Sw__Event e1 = SW__EVENT__INIT, e2 = SW__EVENT__INIT;
	e1.has_row = e1.has_start = true;
	e1.row = SW_ROW_openat;
	e1.start = 12345;
	e1.has_path = true;
	e1.path.data = (uint8_t *)"/etc/passwd";
	e1.path.len = 11;
	e2.has_row = true;
	e2.row = SW_ROW_read;
	Sw__Event *evs[] = {&e1, &e2};
	cr_assert_eq(sw_trace_events(w, 100, 1, 100, evs, 2), 0);

	struct sw_rowval rows[3];
	for (int i = 0; i < 3; i++)
		sw_rowstat_zero(&rows[i].st);
	rows[0].row = SW_ROW_openat;
	rows[0].st.calls = 262;
	rows[0].st.errors = 33;
	rows[0].st.total_ns = 2062000;
	rows[0].st.min_ns = 1200;
	rows[0].st.max_ns = 80000;
	rows[0].st.hist[11] = 200;
	rows[0].st.hist[17] = 62;
	rows[1].row = SW_ROW_newfstatat;
	rows[1].st.calls = 10;
	rows[1].st.untimed = 10; /* no timed call: no min/max */
	rows[2].row = SW_ROW_dlopen;
	rows[2].st.calls = 1;
	rows[2].st.total_ns = 999;
	rows[2].st.min_ns = rows[2].st.max_ns = 999;
	rows[2].st.hist[10] = 1;
	struct sw_thread_rec threads[] = {
		{.pid = 100, .epoch = 0, .tid = 100, .name = "sh", .start_ns = 10,
		 .end_ns = 20, .nrows = 1, .rows = rows},
		{.pid = 100, .epoch = 1, .tid = 100, .name = "python3", .start_ns = 20,
		 .end_ns = 0, .events = 2, .dropped = {5, 1, 0, 0}, .nrows = 3,
		 .rows = rows},
		{.pid = 101, .epoch = 0, .tid = 101, .name = "child", .nrows = 2,
		 .rows = rows + 1},
	};
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(sw_trace_thread(w, &threads[i]), 0);
		cr_assert_eq(sw_model_add_thread(&src, &threads[i]), 0);
	}
	src.wall_ns = 210000000;
	src.has_exit = true;
	src.exit_status = 3;
	cr_assert_eq(sw_trace_summary(w, &src), 0);
	cr_assert_eq(sw_trace_close(w), 0);

	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	file_len = (size_t)ftell(f);
	rewind(f);
	file = malloc(file_len);
	cr_assert_eq(fread(file, 1, file_len, f), file_len);
	fclose(f);
}

static void cleanup(void)
{
	sw_model_free(&src);
	free(file);
	unlink(path);
}

TestSuite(trace, .init = build_and_write, .fini = cleanup);

/* Read n bytes of buf as a trace file into m. */
static int read_bytes(const uint8_t *buf, size_t n, struct sw_model *m,
		      char *err, size_t errlen)
{
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(buf, 1, n, f), n);
	rewind(f);
	sw_model_init(m);
	err[0] = '\0';
	int rc = sw_trace_read(f, m, err, errlen);
	fclose(f);
	return rc;
}

static char *render(const struct sw_model *m, enum sw_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct sw_report_opts o = {.sort = SW_SORT_TIME, .format = fmt};
	cr_assert_eq(sw_report_write(f, m, &o), 0);
	fclose(f);
	return buf;
}

Test(trace, starts_with_the_magic)
{
	cr_assert_geq(file_len, 8);
	cr_assert_eq(memcmp(file, "SWTRACE1", 8), 0);
}

Test(trace, reads_back_the_same_model)
{
	struct sw_model m;
	char err[256];
	cr_assert_eq(read_bytes(file, file_len, &m, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(m.nrows, src.nrows);
	for (uint32_t i = 0; i < m.nrows; i++) {
		cr_assert_str_eq(m.rows[i].name, src.rows[i].name);
		cr_assert_eq(m.rows[i].flags, src.rows[i].flags);
		cr_assert_eq(memcmp(&m.sums[i], &src.sums[i], sizeof(m.sums[i])), 0,
			     "row %s differs", m.rows[i].name);
	}
	cr_assert_eq(m.nprocs, src.nprocs);
	for (size_t i = 0; i < m.nprocs; i++)
		cr_assert_eq(memcmp(&m.procs[i], &src.procs[i], sizeof(m.procs[i])), 0);
	cr_assert_str_eq(m.procs[0].cwd, "/home/u/proj");
	cr_assert_str_eq(m.procs[1].cwd, "", "no cwd written, none read");
	cr_assert_str_eq(m.procs[2].cwd, "/");
	cr_assert_eq(m.ntids, 3);
	cr_assert_eq(m.dropped[0], 5);
	cr_assert_eq(m.dropped[1], 1);
	cr_assert_eq(m.events, 2);
	cr_assert_eq(m.wall_ns, src.wall_ns);
	cr_assert(m.has_exit);
	cr_assert_eq(m.exit_status, 3);
	cr_assert_eq(m.ncommand, 3);
	cr_assert_str_eq(m.command[2], "import json");
	cr_assert_eq(m.start_real_ns, src.start_real_ns);

	for (int fmt = SW_FORMAT_TEXT; fmt <= SW_FORMAT_JSON; fmt++) {
		char *a = render(&src, (enum sw_format)fmt);
		char *b = render(&m, (enum sw_format)fmt);
		cr_assert_str_eq(b, a, "the report from the trace differs");
		free(a);
		free(b);
	}
	sw_model_free(&m);
}

Test(trace, truncated_at_every_offset_is_an_error)
{
	for (size_t n = 0; n < file_len; n++) {
		struct sw_model m;
		char err[256];
		int rc = read_bytes(file, n, &m, err, sizeof(err));
		cr_assert_lt(rc, 0, "a trace cut to %zu of %zu bytes was accepted",
			     n, file_len);
		cr_assert(strlen(err) > 0, "no message at %zu", n);
		cr_assert(n < 8 || strstr(err, "truncated") || strstr(err, "corrupt"),
			  "cut at %zu: %s", n, err);
		sw_model_free(&m);
	}
}

Test(trace, flipped_bytes_are_an_error_or_valid_never_a_crash)
{
	uint8_t *copy = malloc(file_len);
	static const uint8_t masks[] = {0x01, 0x80, 0xff, 0x7f};
	for (size_t i = 0; i < file_len; i++) {
		for (size_t k = 0; k < sizeof(masks); k++) {
			memcpy(copy, file, file_len);
			copy[i] ^= masks[k];
			struct sw_model m;
			char err[256];
			int rc = read_bytes(copy, file_len, &m, err, sizeof(err));
			if (rc < 0)
				cr_assert(strlen(err) > 0);
			else /* it parsed: the report must still print */
				free(render(&m, SW_FORMAT_TEXT));
			sw_model_free(&m);
		}
	}
	free(copy);
}

Test(trace, bad_magic_and_empty_file)
{
	struct sw_model m;
	char err[256];
	cr_assert_lt(read_bytes((const uint8_t *)"", 0, &m, err, sizeof(err)), 0);
	cr_assert(strstr(err, "empty"), "%s", err);
	sw_model_free(&m);
	cr_assert_lt(read_bytes((const uint8_t *)"SWTRACE2xxxx", 12, &m, err,
				sizeof(err)), 0);
	cr_assert(strstr(err, "bad magic"), "%s", err);
	sw_model_free(&m);
}

/* Append a hand-made record after the magic and the real header. */
static size_t header_end(void)
{
	size_t off = 8, len = 0;
	unsigned shift = 0;
	while (file[off] & 0x80)
		len |= (size_t)(file[off++] & 0x7f) << shift, shift += 7;
	len |= (size_t)file[off++] << shift;
	return off + len;
}

/* The trace with rec right after its header, then the rest of the file
 * when whole (a complete trace) or nothing else, read into m (to be freed
 * by the caller). */
static int read_with_record_into(const Sw__TraceRecord *rec, bool whole,
				 struct sw_model *m, char *err, size_t errlen)
{
	size_t hend = header_end();
	size_t n = sw__trace_record__get_packed_size(rec);
	uint8_t *buf = malloc(file_len + n + 10);
	memcpy(buf, file, hend);
	size_t at = hend;
	for (size_t v = n;; v >>= 7) {
		buf[at++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		if (v <= 0x7f)
			break;
	}
	at += sw__trace_record__pack(rec, buf + at);
	if (whole) {
		memcpy(buf + at, file + hend, file_len - hend);
		at += file_len - hend;
	}
	int rc = read_bytes(buf, at, m, err, errlen);
	free(buf);
	return rc;
}

static int read_with_record(const Sw__TraceRecord *rec, char *err, size_t errlen)
{
	struct sw_model m;
	int rc = read_with_record_into(rec, false, &m, err, errlen);
	sw_model_free(&m);
	return rc;
}

/* The cwd of a process record read from a trace with one more record of
 * pid 77 whose cwd field is cwd (NULL: absent). */
static void read_cwd(const char *cwd, char *out, size_t outlen)
{
	Sw__Process pr = SW__PROCESS__INIT;
	pr.has_pid = true;
	pr.pid = 77;
	pr.cwd = (char *)cwd;
	Sw__TraceRecord rec = SW__TRACE_RECORD__INIT;
	rec.rec_case = SW__TRACE_RECORD__REC_PROCESS;
	rec.process = &pr;
	struct sw_model m;
	char err[256];
	cr_assert_eq(read_with_record_into(&rec, true, &m, err, sizeof(err)), 0, "%s", err);
	const struct sw_proc_rec *p = NULL;
	for (size_t i = 0; i < m.nprocs; i++)
		if (m.procs[i].pid == 77)
			p = &m.procs[i];
	cr_assert_not_null(p);
	snprintf(out, outlen, "%s", p->cwd);
	sw_model_free(&m);
}

Test(trace, a_cwd_that_is_not_an_absolute_path_that_fits_is_dropped)
{
	static char longest[SW_PATH_MAX], too_long[SW_PATH_MAX + 1];
	memset(longest, 'a', sizeof(longest) - 1);
	longest[0] = '/';
	memset(too_long, 'a', sizeof(too_long) - 1);
	too_long[0] = '/';
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"/srv/app", "/srv/app"},
		{NULL, ""},
		{"", ""},
		{"srv/app", ""},
		{"(unreachable)/x", ""},
		{longest, longest},
		{too_long, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[SW_PATH_MAX + 8];
		read_cwd(cases[i].in, got, sizeof(got));
		cr_assert_str_eq(got, cases[i].out, "case %zu", i);
	}
}

Test(trace, unknown_row_id_is_refused)
{
	Sw__RowCounter rc = SW__ROW_COUNTER__INIT;
	rc.has_row = rc.has_calls = true;
	rc.row = 3999; /* never declared by the header */
	rc.calls = 1;
	Sw__RowCounter *rows[] = {&rc};
	Sw__ThreadCounters tc = SW__THREAD_COUNTERS__INIT;
	tc.has_pid = true;
	tc.pid = 5;
	tc.n_rows = 1;
	tc.rows = rows;
	Sw__TraceRecord rec = SW__TRACE_RECORD__INIT;
	rec.rec_case = SW__TRACE_RECORD__REC_COUNTERS;
	rec.counters = &tc;
	char err[256];
	cr_assert_lt(read_with_record(&rec, err, sizeof(err)), 0);
	cr_assert(strstr(err, "unknown row id 3999"), "%s", err);
}

Test(trace, oversized_record_length_is_refused)
{
	uint8_t buf[32];
	memcpy(buf, "SWTRACE1", 8);
	/* varint for 1 GiB */
	size_t at = 8;
	for (uint64_t v = 1ull << 30;; v >>= 7) {
		buf[at++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		if (v <= 0x7f)
			break;
	}
	struct sw_model m;
	char err[256];
	cr_assert_lt(read_bytes(buf, at, &m, err, sizeof(err)), 0);
	cr_assert(strstr(err, "over the"), "%s", err);
	sw_model_free(&m);
}

Test(trace, new_rows_in_old_readers_use_the_header_names)
{
	/* A header that declares a row this build does not know. */
	struct sw_model m;
	sw_model_init(&m);
	cr_assert_eq(sw_model_define_row(&m, 0, "openat", 0, 0), 0);
	cr_assert_eq(sw_model_define_row(&m, 200, "io_uring_enter", 0, 0), 0);
	struct sw_trace_writer *w;
	char err[256];
	cr_assert_eq(sw_trace_create(&w, path, err, sizeof(err)), 0);
	sw_trace_header(w, &m);
	struct sw_rowval v = {.row = 200};
	sw_rowstat_zero(&v.st);
	v.st.calls = 4;
	v.st.total_ns = 4000;
	struct sw_thread_rec t = {.pid = 1, .tid = 1, .nrows = 1, .rows = &v};
	sw_trace_thread(w, &t);
	sw_trace_summary(w, &m);
	cr_assert_eq(sw_trace_close(w), 0);
	sw_model_free(&m);

	FILE *f = fopen(path, "r");
	sw_model_init(&m);
	cr_assert_eq(sw_trace_read(f, &m, err, sizeof(err)), 0, "%s", err);
	fclose(f);
	char *text = render(&m, SW_FORMAT_TEXT);
	cr_assert(strstr(text, " io_uring_enter\n"), "%s", text);
	free(text);
	sw_model_free(&m);
}
