/*
 * test_cli.c - the command line: options parse into what they say, and
 * every kind of bad input gets one "syswatch: ..." line and a non-zero
 * exit, never a crash. The last tests run the built binary.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "filter.h"
#include "syswatch/rows.h"
#include "exec.h"

TestSuite(cli);
TestSuite(exec);
TestSuite(binary);

static int parse(struct sw_cli *cli, char *err, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	err[0] = '\0';
	return sw_cli_parse(argc, argv, cli, err, 256);
}

Test(cli, run_takes_strace_options_and_the_command)
{
	struct sw_cli c;
	char err[256];
	char *argv[] = {"syswatch", "run", "-c", "-f", "-w", "-S", "calls", "-o",
			"out.txt", "--format", "json", "--trace", "t.pb", "--",
			"ls", "-l", NULL};
	cr_assert_eq(parse(&c, err, argv), 0, "%s", err);
	cr_assert_eq(c.cmd, SW_CMD_RUN);
	cr_assert_eq(c.report.sort, SW_SORT_CALLS);
	cr_assert_eq(c.report.format, SW_FORMAT_JSON);
	cr_assert_str_eq(c.output, "out.txt");
	cr_assert_str_eq(c.trace, "t.pb");
	cr_assert_eq(c.nargs, 2);
	cr_assert_str_eq(c.args[0], "ls");
	cr_assert_str_eq(c.args[1], "-l");
	cr_assert_null(c.args[2]);
}

Test(cli, the_commands_options_are_its_own)
{
	struct sw_cli c;
	char err[256];
	char *argv[] = {"syswatch", "run", "grep", "-c", "x", NULL};
	cr_assert_eq(parse(&c, err, argv), 0, "%s", err);
	cr_assert_eq(c.nargs, 3);
	cr_assert_str_eq(c.args[1], "-c");
}

Test(cli, bad_usage_says_what_is_wrong)
{
	static const struct {
		char *argv[7];
		const char *says;
	} cases[] = {
		{{"syswatch", NULL}, "missing command"},
		{{"syswatch", "frob", NULL}, "unknown command 'frob'"},
		{{"syswatch", "--frob", NULL}, "unknown option '--frob'"},
		{{"syswatch", "run", NULL}, "missing command to run"},
		{{"syswatch", "run", "-x", "ls", NULL}, "unknown option '-x'"},
		{{"syswatch", "run", "--nope", "ls", NULL}, "unknown option '--nope'"},
		{{"syswatch", "run", "-S", NULL}, "needs an argument"},
		{{"syswatch", "run", "-S", "size", "ls", NULL}, "unknown sort key 'size'"},
		{{"syswatch", "run", "--format", "xml", "ls", NULL}, "unknown format 'xml'"},
		{{"syswatch", "report", NULL}, "missing trace file"},
		{{"syswatch", "report", "a", "b", NULL}, "one trace file only"},
		{{"syswatch", "report", "--trace", "x", "a", NULL}, "unknown option"},
		{{"syswatch", "collect", "--session", "/x", NULL}, "--root-pid"},
		{{"syswatch", "collect", "--session", "/x", "--root-pid", "abc"}, "bad --root-pid"},
		{{"syswatch", "run", "-e", "trace=opnat", "ls", NULL}, "no row 'opnat'"},
		{{"syswatch", "run", "-e", "trace=%files", "ls", NULL}, "unknown class '%files'"},
		{{"syswatch", "run", "-e", "trace=", "ls", NULL}, "empty set"},
		{{"syswatch", "run", "-e", "trace=read,,close", "ls", NULL}, "empty value"},
		{{"syswatch", "run", "-e", "trace=/(", "ls", NULL}, "bad regular expression"},
		{{"syswatch", "run", "-e", "trace=read@16", "ls", NULL}, "unknown personality"},
		{{"syswatch", "run", "-e", "status=good", "ls", NULL}, "unknown status 'good'"},
		{{"syswatch", "run", "-e", "abbrev=all", "ls", NULL}, "-e abbrev: not supported"},
		{{"syswatch", "report", "-U", "calls,calls", "t", NULL}, "more than once"},
		{{"syswatch", "report", "-U", "seconds", "t", NULL}, "unknown column 'seconds'"},
		{{"syswatch", "export", "-z", "t", NULL}, "unknown option '-z'"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sw_cli c;
		char err[256];
		cr_assert_lt(parse(&c, err, (char **)cases[i].argv), 0, "case %zu", i);
		cr_assert(strstr(err, cases[i].says), "case %zu: '%s'", i, err);
		cr_assert_null(strchr(err, '\n'), "one line");
	}
}

Test(cli, help_and_version)
{
	struct sw_cli c;
	char err[256];
	char *h[] = {"syswatch", "--help", NULL};
	cr_assert_eq(parse(&c, err, h), 0);
	cr_assert_eq(c.cmd, SW_CMD_HELP);
	char *v[] = {"syswatch", "--version", NULL};
	cr_assert_eq(parse(&c, err, v), 0);
	cr_assert_eq(c.cmd, SW_CMD_VERSION);
	char *rh[] = {"syswatch", "run", "--help", NULL};
	cr_assert_eq(parse(&c, err, rh), 0);
	cr_assert_eq(c.cmd, SW_CMD_HELP);
}

Test(exec, commands_resolve_like_execvp)
{
	char buf[4096];
	setenv("PATH", "/nonexistent:/usr/bin:/bin", 1);
	cr_assert_eq(sw_resolve_cmd("sh", buf, sizeof(buf)), 0);
	cr_assert(strcmp(buf, "/usr/bin/sh") == 0 || strcmp(buf, "/bin/sh") == 0, "%s", buf);
	cr_assert_eq(sw_resolve_cmd("no-such-command-here", buf, sizeof(buf)), -ENOENT);
	cr_assert_eq(sw_resolve_cmd("/etc/passwd", buf, sizeof(buf)), -EACCES);
	cr_assert_eq(sw_resolve_cmd("/etc", buf, sizeof(buf)), -EACCES);
	cr_assert_eq(sw_resolve_cmd("", buf, sizeof(buf)), -ENOENT);
}

Test(exec, static_binaries_are_recognised)
{
	cr_assert_eq(sw_is_static("/bin/sh"), 0);
	/* Debian's ldconfig is a static-pie: no PT_INTERP. */
	if (access("/sbin/ldconfig", X_OK) == 0)
		cr_assert_eq(sw_is_static("/sbin/ldconfig"), 1);
	/* A script: its interpreter decides. */
	char path[] = "/tmp/sw_test_script_XXXXXX";
	int fd = mkstemp(path);
	dprintf(fd, "#!/sbin/ldconfig -p\n");
	close(fd);
	cr_assert_eq(sw_is_static(path), access("/sbin/ldconfig", X_OK) == 0);
	fd = open(path, O_WRONLY | O_TRUNC);
	dprintf(fd, "#!/bin/sh\necho hi\n");
	close(fd);
	cr_assert_eq(sw_is_static(path), 0);
	unlink(path);
	cr_assert_eq(sw_is_static("/etc/passwd"), 0, "not ELF: let exec decide");
}

/* --- the built binary ---------------------------------------------------- */

static char bin[4096];
static char errbuf[65536];

/* Run the built syswatch with args; its exit status, stderr in errbuf. */
static int sw(char *const args[])
{
	const char *dir = getenv("SW_BUILD_DIR");
	if (!dir)
		cr_skip_test("SW_BUILD_DIR not set (run through ctest)");
	snprintf(bin, sizeof(bin), "%s/syswatch", dir);
	if (access(bin, X_OK) != 0)
		cr_skip_test("%s not built", bin);
	char *argv[32] = {bin};
	int n = 1;
	while (args[n - 1] && n < 31) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	char errpath[] = "/tmp/sw_test_cli_err_XXXXXX";
	int efd = mkstemp(errpath);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, efd, 2);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	extern char **environ;
	cr_assert_eq(posix_spawn(&pid, bin, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	int st;
	waitpid(pid, &st, 0);
	ssize_t len = pread(efd, errbuf, sizeof(errbuf) - 1, 0);
	errbuf[len > 0 ? len : 0] = '\0';
	close(efd);
	unlink(errpath);
	cr_assert(WIFEXITED(st), "syswatch died of signal %d: %s",
		  WIFSIGNALED(st) ? WTERMSIG(st) : 0, errbuf);
	return WEXITSTATUS(st);
}

static bool have_shim(void)
{
	char shim[4096];
	snprintf(shim, sizeof(shim), "%s/libsyswatch.so", getenv("SW_BUILD_DIR") ?: ".");
	return access(shim, R_OK) == 0;
}

Test(binary, bad_input_is_one_line_and_a_non_zero_exit)
{
	static const struct {
		char *args[5];
		int status;
		const char *says;
	} cases[] = {
		{{NULL}, 2, "syswatch: missing command\ntry 'syswatch --help'\n"},
		{{"run", "-x", "ls", NULL}, 2, "syswatch: run: unknown option '-x'\n"},
		{{"run", "--", "/no/such/program", NULL}, 127,
		 "syswatch: cannot execute '/no/such/program': No such file or directory\n"},
		{{"run", "--", "/etc/passwd", NULL}, 126,
		 "syswatch: cannot execute '/etc/passwd': Permission denied\n"},
		{{"report", "/no/such/trace", NULL}, 1,
		 "syswatch: /no/such/trace: No such file or directory\n"},
		{{"report", "/etc/passwd", NULL}, 1,
		 "syswatch: /etc/passwd: not a syswatch trace (bad magic)\n"},
		{{"report", "/tmp", NULL}, 1, "syswatch: /tmp: Is a directory\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st = sw(cases[i].args);
		cr_assert_eq(st, cases[i].status, "case %zu: status %d: %s", i, st, errbuf);
		cr_assert(strncmp(errbuf, cases[i].says, strlen(cases[i].says)) == 0,
			  "case %zu: got '%s'", i, errbuf);
	}
}

Test(binary, version_and_help_succeed)
{
	cr_assert_eq(sw((char *[]){"--version", NULL}), 0);
	cr_assert_eq(sw((char *[]){"--help", NULL}), 0);
}

Test(binary, a_static_program_is_not_run)
{
	if (access("/sbin/ldconfig", X_OK) != 0)
		cr_skip_test("no static program to try");
	if (!have_shim())
		cr_skip_test("libsyswatch.so not built");
	cr_assert_eq(sw((char *[]){"run", "--", "/sbin/ldconfig", "-p", NULL}), 2);
	cr_assert(strstr(errbuf, "syswatch: /sbin/ldconfig is statically linked"),
		  "%s", errbuf);
}

Test(binary, exit_status_is_the_programs)
{
	if (!have_shim())
		cr_skip_test("libsyswatch.so not built");
	cr_assert_eq(sw((char *[]){"run", "--", "sh", "-c", "exit 3", NULL}), 3);
	cr_assert(strstr(errbuf, "% time     seconds  usecs/call"), "%s", errbuf);
	cr_assert_eq(sw((char *[]){"run", "--", "sh", "-c", "kill -9 $$", NULL}), 137);
	cr_assert(strstr(errbuf, " total\n"), "the table is printed: %s", errbuf);
}

Test(binary, report_reprints_the_run_table)
{
	if (!have_shim())
		cr_skip_test("libsyswatch.so not built");
	char tr[] = "/tmp/sw_test_cli_trace_XXXXXX";
	close(mkstemp(tr));
	cr_assert_eq(sw((char *[]){"run", "--trace", tr, "--", "ls", "-la", "/usr/lib",
				   NULL}), 0);
	char *first = strdup(errbuf);
	cr_assert_eq(sw((char *[]){"report", tr, NULL}), 0, "%s", errbuf);
	cr_assert_str_eq(errbuf, first);
	free(first);

	/* A cut trace is refused with its offset. */
	struct stat st;
	cr_assert_eq(stat(tr, &st), 0);
	cr_assert_eq(truncate(tr, st.st_size - 3), 0);
	cr_assert_eq(sw((char *[]){"report", tr, NULL}), 1);
	cr_assert(strstr(errbuf, "truncated record at offset"), "%s", errbuf);
	unlink(tr);
}

Test(binary, json_report_parses)
{
	if (!have_shim())
		cr_skip_test("libsyswatch.so not built");
	char out[] = "/tmp/sw_test_cli_json_XXXXXX";
	close(mkstemp(out));
	cr_assert_eq(sw((char *[]){"run", "--format", "json", "-o", out, "--", "ls",
				   "/", NULL}), 0, "%s", errbuf);
	json_object *root = json_object_from_file(out);
	cr_assert_not_null(root);
	json_object *v;
	cr_assert(json_object_object_get_ex(root, "syscalls", &v));
	cr_assert_gt(json_object_array_length(v), 0);
	cr_assert(json_object_object_get_ex(root, "processes", &v));
	json_object *p = json_object_array_get_idx(v, 0);
	cr_assert(json_object_object_get_ex(p, "command", &v));
	cr_assert_str_eq(json_object_get_string(v), "ls");
	cr_assert(json_object_object_get_ex(p, "exit_status", &v));
	cr_assert_eq(json_object_get_int(v), 0);
	json_object_put(root);
	unlink(out);
}

/* --- children, splits ---------------------------------------------------- */

/* Run syswatch with args writing JSON to a temporary file; the parsed
 * report (the caller puts it). */
static json_object *run_json(char *const args[], int want_status)
{
	char out[] = "/tmp/sw_test_cli_json_XXXXXX";
	close(mkstemp(out));
	char *argv[32] = {"--format", "json", "-o", out};
	int n = 4;
	for (int i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	/* the subcommand goes first */
	char *sub = argv[4];
	memmove(argv + 1, argv, 4 * sizeof(*argv));
	argv[0] = sub;
	int st = sw(argv);
	cr_assert_eq(st, want_status, "status %d: %s", st, errbuf);
	json_object *root = json_object_from_file(out);
	cr_assert_not_null(root, "no JSON in %s", out);
	unlink(out);
	return root;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	cr_assert(json_object_object_get_ex(o, key, &v), "no \"%s\"", key);
	return v;
}

/* Every syscall has a row, but the table lists only the rows that were
 * called: /bin/true makes a handful of calls the shim sees. */
Test(binary, the_table_lists_only_the_rows_that_were_called)
{
	if (!have_shim())
		cr_skip_test("libsyswatch.so not built");
	json_object *root = run_json((char *[]){"run", "--", "/bin/true", NULL}, 0);
	json_object *rows = get(root, "syscalls");
	size_t n = json_object_array_length(rows);
	cr_assert(n > 0 && n < 20, "%zu rows for /bin/true (of %d)", n, SW_ROW_COUNT);
	for (size_t i = 0; i < n; i++) {
		json_object *r = json_object_array_get_idx(rows, i);
		cr_assert_gt(json_object_get_int64(get(r, "calls")), 0, "row %s has no calls",
			     json_object_get_string(get(r, "name")));
	}
	json_object_put(root);
}

Test(binary, a_child_with_a_cleared_environment_is_reported_untraced)
{
	if (!have_shim())
		cr_skip_test("libsyswatch.so not built");
	char tr[] = "/tmp/sw_test_cli_trace_XXXXXX";
	close(mkstemp(tr));
	/* env -i execs with an empty environment; the failed exec of a
	 * missing program started nothing and is not reported. */
	char *script = "env -i /bin/true; env -i /no/such/program; exit 0";
	json_object *root = run_json((char *[]){"run", "--trace", tr, "--", "sh",
						"-c", script, NULL}, 0);
	json_object *u = get(root, "untraced_children");
	cr_assert_eq(json_object_array_length(u), 1, "%s",
		     json_object_to_json_string(u));
	json_object *c = json_object_array_get_idx(u, 0);
	cr_assert_str_eq(json_object_get_string(get(c, "path")), "/bin/true");
	cr_assert_str_eq(json_object_get_string(get(c, "reason")), "environment cleared");
	cr_assert_gt(json_object_get_int(get(c, "pid")), 0);
	json_object_put(root);

	/* The trace keeps it: report says it after the table. */
	cr_assert_eq(sw((char *[]){"report", tr, NULL}), 0, "%s", errbuf);
	cr_assert(strstr(errbuf, " total\n"), "%s", errbuf);
	cr_assert(strstr(errbuf, "syswatch: 1 child ran untraced: /bin/true, "
			 "environment cleared (use syswatch run --follow-exec)\n"),
		  "%s", errbuf);
	unlink(tr);

	/* Without a trace too (only exec events are decoded then). */
	cr_assert_eq(sw((char *[]){"run", "--", "sh", "-c", script, NULL}), 0);
	cr_assert(strstr(errbuf, "syswatch: 1 child ran untraced: /bin/true"),
		  "%s", errbuf);
}

Test(binary, follow_exec_keeps_the_shim_in_such_children)
{
	if (!have_shim())
		cr_skip_test("libsyswatch.so not built");
	json_object *root = run_json((char *[]){"run", "--follow-exec", "--", "env",
						"-i", "/bin/sh", "-c", "exit 5",
						NULL}, 5);
	cr_assert_eq(json_object_array_length(get(root, "untraced_children")), 0);
	/* The image after the exec reported itself: the process is sh now. */
	json_object *p = json_object_array_get_idx(get(root, "processes"), 0);
	cr_assert_str_eq(json_object_get_string(get(p, "command")), "sh");
	cr_assert_eq(json_object_get_int(get(p, "exit_status")), 5);
	json_object_put(root);
	cr_assert_eq(sw((char *[]){"--help", NULL}), 0);
}

/* Sum of "calls" over the "total" of each element of arr. */
static uint64_t sum_calls(json_object *arr)
{
	uint64_t n = 0;
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		n += json_object_get_uint64(get(get(json_object_array_get_idx(arr, i),
						    "total"), "calls"));
	return n;
}

Test(binary, per_process_and_per_thread_split_the_table)
{
	if (!have_shim())
		cr_skip_test("libsyswatch.so not built");
	char tr[] = "/tmp/sw_test_cli_trace_XXXXXX";
	close(mkstemp(tr));
	json_object *root = run_json((char *[]){"run", "--per-process", "--per-thread",
						"--trace", tr, "--", "sh", "-c",
						"ls / >/dev/null; exit 4", NULL}, 4);
	uint64_t total = json_object_get_uint64(get(get(root, "total"), "calls"));
	json_object *pp = get(root, "per_process"), *pt = get(root, "per_thread");
	cr_assert_eq(json_object_array_length(pp), 2);
	cr_assert_eq(sum_calls(pp), total, "the parts add up to the whole");
	cr_assert_eq(sum_calls(pt), total);
	json_object *sh = json_object_array_get_idx(pp, 0);
	cr_assert_str_eq(json_object_get_string(get(sh, "command")), "sh");
	cr_assert_eq(json_object_get_int(get(sh, "exit_status")), 4);
	cr_assert_gt(json_object_array_length(get(sh, "syscalls")), 0);
	json_object *t = json_object_array_get_idx(pt, 0);
	cr_assert_gt(json_object_get_int(get(t, "tid")), 0);
	get(t, "name");
	json_object_put(root);

	/* report splits a saved trace the same way, in strace's format. */
	cr_assert_eq(sw((char *[]){"report", "--per-process", "--per-thread", tr,
				   NULL}), 0, "%s", errbuf);
	cr_assert(strstr(errbuf, "\nprocess "), "%s", errbuf);
	cr_assert(strstr(errbuf, "(sh), exit status 4:\n% time     seconds"), "%s", errbuf);
	cr_assert(strstr(errbuf, "(ls), exit status 0:\n"), "%s", errbuf);
	cr_assert(strstr(errbuf, "\nthread "), "%s", errbuf);
	unlink(tr);
}

/* A copy of src with an empty section `section` added (objcopy); false
 * if objcopy cannot do it here. */
static bool with_section(const char *src, const char *section, char *out)
{
	char cmd[1024];
	strcpy(out, "/tmp/sw_test_cli_go_XXXXXX");
	close(mkstemp(out));
	snprintf(cmd, sizeof(cmd), "printf x >%s.sec && objcopy --add-section "
		 "%s=%s.sec %s %s 2>/dev/null; rc=$?; rm -f %s.sec; exit $rc",
		 out, section, out, src, out, out);
	if (access(src, R_OK) != 0 || system(cmd) != 0) {
		unlink(out);
		return false;
	}
	chmod(out, 0755);
	return true;
}

Test(binary, a_go_program_is_not_run)
{
	static const char *const sections[] = {".go.buildinfo", ".note.go.buildid"};
	/* A dynamically linked program, and a static one where there is. */
	static const char *const progs[] = {"/bin/true", "/sbin/ldconfig"};
	char path[64];
	int tried = 0;
	cr_assert_eq(sw_is_go("/bin/true"), 0);
	for (size_t p = 0; p < 2; p++) {
		for (size_t s = 0; s < 2; s++) {
			if (!with_section(progs[p], sections[s], path))
				continue;
			tried++;
			cr_assert_eq(sw_is_go(path), 1, "%s with %s", progs[p], sections[s]);
			if (have_shim()) {
				cr_assert_eq(sw((char *[]){"run", "--", path, NULL}), 2);
				cr_assert(strstr(errbuf, "is a Go program: Go programs make "
						 "their system calls directly, not "
						 "through libc"), "%s", errbuf);
			}
			unlink(path);
		}
	}
	if (!tried)
		cr_skip_test("objcopy cannot add a section here");
}

/* A 4 KiB ring and nobody fast enough: the drops are stated per cause and
 * per thread, and both add up to the total (issue 4, "Overflow and loss"). */
Test(binary, drops_are_reported_per_cause_and_per_thread)
{
	if (!have_shim())
		cr_skip_test("no libsyswatch.so next to the binary");
	setenv("SYSWATCH_RING_KB", "4", 1);
	char *args[] = {"run", "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=50000",
			"status=none", NULL};
	json_object *r = run_json(args, 0);
	unsetenv("SYSWATCH_RING_KB");
	uint64_t total = (uint64_t)json_object_get_uint64(get(r, "dropped_events"));
	json_object *by_cause = get(r, "dropped_by_cause");
	uint64_t causes = (uint64_t)json_object_get_uint64(get(by_cause, "ring_full")) +
			  (uint64_t)json_object_get_uint64(get(by_cause, "too_big"));
	json_object *by_thread = get(r, "dropped_by_thread");
	uint64_t threads = 0;
	for (size_t i = 0; i < json_object_array_length(by_thread); i++)
		threads += (uint64_t)json_object_get_uint64(
			get(json_object_array_get_idx(by_thread, i), "dropped_events"));
	cr_expect_gt(total, 0, "a 4 KiB ring under dd must overflow");
	cr_expect_eq(causes, total, "per cause %llu, total %llu", (unsigned long long)causes,
		     (unsigned long long)total);
	cr_expect_eq(threads, total, "per thread %llu, total %llu", (unsigned long long)threads,
		     (unsigned long long)total);
	json_object_put(r);
}

/* ---- selectors ------------------------------------------------------- */

static void parse_ok(struct sw_cli *c, char **argv)
{
	char err[256];
	cr_assert_eq(parse(c, err, argv), 0, "%s", err);
	cr_assert_eq(c->report.filter, &c->filter);
}

static bool sel(const struct sw_cli *c, const char *row)
{
	return sw_filter_row(&c->filter, row);
}

Test(cli, trace_classes_are_straces_and_overlap)
{
	struct sw_cli c;
	char *file[] = {"syswatch", "run", "-e", "trace=%file", "ls", NULL};
	parse_ok(&c, file);
	cr_assert(sel(&c, "openat") && sel(&c, "execve") && sel(&c, "newfstatat"));
	cr_assert(!sel(&c, "read") && !sel(&c, "mmap") && !sel(&c, "dlopen"));
	char *desc[] = {"syswatch", "run", "-e", "%desc", "ls", NULL};
	parse_ok(&c, desc);
	cr_assert(sel(&c, "read") && sel(&c, "mmap") && sel(&c, "openat"));
	cr_assert(!sel(&c, "munmap") && !sel(&c, "execve") && !sel(&c, "socket"));
	char *net[] = {"syswatch", "run", "-e", "trace=%net", "ls", NULL};
	parse_ok(&c, net);
	cr_assert(sel(&c, "connect") && sel(&c, "sendfile") && !sel(&c, "getaddrinfo"));
	char *proc[] = {"syswatch", "run", "-e", "trace=process", "ls", NULL};
	parse_ok(&c, proc); /* strace's deprecated bare class name */
	cr_assert(sel(&c, "execve") && sel(&c, "kill") && sel(&c, "exit_group"));
	cr_assert(!sel(&c, "futex") && !sel(&c, "system"));
	char *sig[] = {"syswatch", "run", "-e", "trace=%signal", "ls", NULL};
	parse_ok(&c, sig);
	cr_assert(sel(&c, "kill") && !sel(&c, "wait4"));
	char *mem[] = {"syswatch", "run", "-e", "trace=%memory", "ls", NULL};
	parse_ok(&c, mem);
	cr_assert(sel(&c, "mmap") && sel(&c, "madvise") && !sel(&c, "read"));
	char *ipc[] = {"syswatch", "run", "-e", "trace=%ipc", "ls", NULL};
	parse_ok(&c, ipc);
	cr_assert(sel(&c, "shmget") && sel(&c, "semop") && sel(&c, "msgsnd"));
	cr_assert(!sel(&c, "read") && !sel(&c, "mmap") && !sel(&c, "kill"));
	char *creds[] = {"syswatch", "run", "-e", "trace=%creds", "ls", NULL};
	parse_ok(&c, creds);
	cr_assert(sel(&c, "getuid") && sel(&c, "setresuid") && sel(&c, "prctl"));
	cr_assert(!sel(&c, "getpid") && !sel(&c, "kill"));
	char *signal[] = {"syswatch", "run", "-e", "trace=%signal", "ls", NULL};
	parse_ok(&c, signal);
	cr_assert(sel(&c, "rt_sigaction") && sel(&c, "rt_sigprocmask") && sel(&c, "tgkill"));
	cr_assert(sel(&c, "signalfd4") && !sel(&c, "getpid"));
	char *lock[] = {"syswatch", "run", "-e", "trace=%lock", "ls", NULL};
	parse_ok(&c, lock);
	cr_assert(sel(&c, "futex") && !sel(&c, "clock_nanosleep") && !sel(&c, "openat"));
}

Test(cli, trace_names_negation_regex_and_last_wins)
{
	struct sw_cli c;
	char *names[] = {"syswatch", "report", "-e", "openat,close", "t", NULL};
	parse_ok(&c, names);
	cr_assert(sel(&c, "openat") && sel(&c, "close") && !sel(&c, "read"));
	cr_assert(!sel(&c, "a_row_of_a_newer_trace"));
	char *neg[] = {"syswatch", "report", "-e", "trace=!%file,close", "t", NULL};
	parse_ok(&c, neg);
	cr_assert(!sel(&c, "openat") && !sel(&c, "close") && sel(&c, "read"));
	cr_assert(sel(&c, "dlopen") && sel(&c, "a_row_of_a_newer_trace"));
	char *re[] = {"syswatch", "report", "-e", "trace=/^p(read|write)", "t", NULL};
	parse_ok(&c, re);
	cr_assert(sel(&c, "pread64") && sel(&c, "pwrite64") && sel(&c, "preadv"));
	cr_assert(!sel(&c, "read") && !sel(&c, "poll"));
	char *last[] = {"syswatch", "run", "-e", "trace=read", "-e", "trace=close",
			"-e", "status=failed", "ls", NULL};
	parse_ok(&c, last);
	cr_assert(sel(&c, "close") && !sel(&c, "read"), "the last -e trace= wins");
	cr_assert(sw_filter_by_status(&c.filter));
	char *quiet[] = {"syswatch", "run", "-e", "trace=?brk,read@64,close@32", "ls", NULL};
	parse_ok(&c, quiet);
	cr_assert(sel(&c, "read") && !sel(&c, "close"));
	char *none[] = {"syswatch", "run", "-e", "trace=none", "ls", NULL};
	parse_ok(&c, none);
	cr_assert(!sel(&c, "read"));
	char *all[] = {"syswatch", "run", "-e", "trace=all", "ls", NULL};
	parse_ok(&c, all);
	cr_assert(sel(&c, "read") && sel(&c, "dlopen"));
	char *nothing[] = {"syswatch", "run", "ls", NULL};
	parse_ok(&c, nothing);
	cr_assert(sel(&c, "read") && !sw_filter_by_status(&c.filter));
}

Test(cli, status_z_and_Z)
{
	struct sw_cli c;
	char *z[] = {"syswatch", "run", "-z", "ls", NULL};
	parse_ok(&c, z);
	cr_assert(sw_filter_by_status(&c.filter));
	cr_assert(sw_filter_call(&c.filter, false) && !sw_filter_call(&c.filter, true));
	char *zz[] = {"syswatch", "run", "-z", "-Z", "ls", NULL};
	parse_ok(&c, zz); /* the last wins, as in strace */
	cr_assert(!sw_filter_call(&c.filter, false) && sw_filter_call(&c.filter, true));
	char *both[] = {"syswatch", "run", "-e", "status=successful,failed", "ls", NULL};
	parse_ok(&c, both);
	cr_assert(!sw_filter_by_status(&c.filter), "every call: the counters' table");
	char *neg[] = {"syswatch", "run", "--status", "!successful", "ls", NULL};
	parse_ok(&c, neg);
	cr_assert(!sw_filter_call(&c.filter, false) && sw_filter_call(&c.filter, true));
}

Test(cli, U_and_S_take_straces_column_names)
{
	struct sw_cli c;
	char *u[] = {"syswatch", "report", "-U", "calls,shortest,wall-avg", "-S", "longest", "t",
		     NULL};
	parse_ok(&c, u);
	cr_assert_eq(c.filter.cols.n, 4);
	cr_assert_eq(c.filter.cols.col[0], SW_COL_CALLS);
	cr_assert_eq(c.filter.cols.col[1], SW_COL_MIN);
	cr_assert_eq(c.filter.cols.col[2], SW_COL_WALL_AVG);
	cr_assert_eq(c.filter.cols.col[3], SW_COL_NAME);
	cr_assert_eq(c.report.sort, SW_SORT_MAX);
}

/* Without --complete, a selection of rows no wrapper counts is refused
 * (the table would be empty); one wrapped row is enough. */
Test(cli, trace_of_unwrapped_rows_asks_for_complete)
{
	struct sw_filter f = {0};
	char err[256];
	cr_assert_eq(sw_filter_check_wrapped(&f, err, sizeof err), 0, "no -e: fine");
	cr_assert_eq(sw_filter_trace(&f, "set_robust_list,rseq", err, sizeof err), 0);
	cr_assert_eq(sw_filter_check_wrapped(&f, err, sizeof err), -EINVAL);
	cr_assert(strstr(err, "--complete") != NULL, "%s", err);
	cr_assert_eq(sw_filter_trace(&f, "rseq,openat", err, sizeof err), 0);
	cr_assert_eq(sw_filter_check_wrapped(&f, err, sizeof err), 0);
	cr_assert_eq(sw_filter_trace(&f, "none", err, sizeof err), 0);
	cr_assert_eq(sw_filter_check_wrapped(&f, err, sizeof err), 0, "none is asked for");
}

Test(cli, shim_rows_list_the_selection)
{
	struct sw_filter f = {0};
	char err[256], buf[4096];
	cr_assert_eq(sw_filter_shim_rows(&f, buf, sizeof buf), 0, "no -e: the shim records all");
	cr_assert_eq(sw_filter_trace(&f, "close,openat", err, sizeof err), 0);
	cr_assert_eq(sw_filter_shim_rows(&f, buf, sizeof buf), 1);
	cr_assert_str_eq(buf, "openat,close"); /* rows.h order */
	cr_assert_eq(sw_filter_shim_rows(&f, buf, 8), -ENOSPC);
	cr_assert_eq(sw_filter_trace(&f, "none", err, sizeof err), 0);
	cr_assert_eq(sw_filter_shim_rows(&f, buf, sizeof buf), 1);
	cr_assert_str_eq(buf, "-", "a name no row has: nothing recorded");
	cr_assert_eq(sw_filter_trace(&f, "all", err, sizeof err), 0);
	cr_assert_eq(sw_filter_shim_rows(&f, buf, sizeof buf), 0);
}

/* Every syscall row of rows.h has strace's classes (sel_classes.c); the
 * library rows are in none. */
Test(cli, every_row_has_straces_classes)
{
	static const struct {
		const char *name;
		unsigned flags;
	} rows[] = {
#define ROW_DEF(id, name, cls, flags) {name, flags},
		SW_ROWS(ROW_DEF)
#undef ROW_DEF
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		unsigned cls;
		int nr;
		cr_assert_eq(sw_sel_lookup(rows[i].name, &cls, &nr), 0, "%s has no line",
			     rows[i].name);
		bool lib = (rows[i].flags & SW_ROWF_LIBRARY) != 0;
		cr_assert_eq(nr < 0, lib, "%s: number %d", rows[i].name, nr);
		if (lib)
			cr_assert_eq(cls, 0, "%s: a library row is in no class", rows[i].name);
	}
}
