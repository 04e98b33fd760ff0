/*
 * cli.c - option parsing and help (see cli.h).
 *
 * The options are one table: each row says which commands take it, and
 * both the getopt tables and the help text are generated from it.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifndef SW_VERSION
#define SW_VERSION "0.0.0"
#endif

enum { C_RUN = 1 << 0, C_REPORT = 1 << 1, C_COLLECT = 1 << 2, C_EXPORT = 1 << 3 };

enum opt_id {
	O_SUMMARY = 'c',
	O_FOLLOW = 'f',
	O_WALL = 'w',
	O_SORT = 'S',
	O_EXPR = 'e',
	O_SUCCESSFUL = 'z',
	O_FAILED = 'Z',
	O_COLUMNS = 'U',
	O_OUTPUT = 'o',
	O_HELP = 'h',
	O_VERBOSE = 'v',
	O_FORMAT = 256,
	O_TRACE,
	O_SESSION,
	O_ROOT_PID,
	O_LOCKS,
	O_FOLLOW_EXEC,
	O_COMPLETE,
	O_PER_PROCESS,
	O_PER_THREAD,
	O_RECOVER,
	O_PATHS,
	O_NET,
	O_DIAGNOSE,
	O_STATUS,
};

static const struct opt {
	int id;
	const char *name;  /* long name */
	const char *arg;   /* argument name, or NULL; "[=...]": optional */
	unsigned cmds;     /* C_* that accept it */
	const char *help;
} opts[] = {
	{O_SUMMARY, "summary", NULL, C_RUN | C_REPORT,
	 "summary table (always on; accepted for strace habits)"},
	{O_FOLLOW, "follow-forks", NULL, C_RUN,
	 "follow child processes (always on)"},
	{O_WALL, "wall", NULL, C_RUN | C_REPORT,
	 "time is wall time inside each call (always on)"},
	{O_SORT, "sort", "KEY", C_RUN | C_REPORT | C_COLLECT,
	 "sort rows by time (default), calls, errors, name, min, max, "
	 "avg, none, or any -U column"},
	{O_EXPR, "expr", "EXPR", C_RUN | C_REPORT,
	 "trace=SET or status=SET: strace's selectors (see below)"},
	{O_STATUS, "status", "SET", C_RUN | C_REPORT,
	 "as -e status=SET"},
	{O_SUCCESSFUL, "successful-only", NULL, C_RUN | C_REPORT,
	 "count only calls that succeeded (-e status=successful)"},
	{O_FAILED, "failed-only", NULL, C_RUN | C_REPORT,
	 "count only calls that failed (-e status=failed)"},
	{O_COLUMNS, "summary-columns", "COLS", C_RUN | C_REPORT,
	 "columns of the table, e.g. name,calls,min,max,avg (strace's -U)"},
	{O_OUTPUT, "output", "FILE", C_RUN | C_REPORT | C_COLLECT | C_EXPORT,
	 "write the report to FILE instead of stderr (export: stdout)"},
	{O_FORMAT, "format", "FMT", C_RUN | C_REPORT | C_COLLECT | C_EXPORT,
	 "text (strace's table, default) or json; export: chrome or html"},
	{O_TRACE, "trace", "FILE", C_RUN | C_COLLECT,
	 "also keep the full trace in FILE (or $SYSWATCH_TRACE)"},
	{O_LOCKS, "locks", "[=full]", C_RUN | C_REPORT,
	 "after the table, who held the locks others waited on, and why "
	 "(the top ones; =full: all the detail)"},
	{O_VERBOSE, "verbose", NULL, C_RUN | C_REPORT,
	 "unabbreviated reports: --locks prints as --locks=full"},
	{O_COMPLETE, "complete", NULL, C_RUN,
	 "every system call, also those glibc and the loader make inside "
	 "(Syscall User Dispatch; slower)"},
	{O_FOLLOW_EXEC, "follow-exec", NULL, C_RUN,
	 "keep tracing children whose environment drops the shim"},
	{O_PER_PROCESS, "per-process", NULL, C_RUN | C_REPORT,
	 "also a table per process (pid, command, exit status)"},
	{O_PER_THREAD, "per-thread", NULL, C_RUN | C_REPORT,
	 "also a table per thread (pid/tid, name)"},
	{O_PATHS, "paths", NULL, C_RUN | C_REPORT,
	 "after the table, files and directories by time, calls and errors"},
	{O_NET, "net", NULL, C_RUN | C_REPORT,
	 "after the table, network peers and DNS lookups"},
	{O_DIAGNOSE, "diagnose", NULL, C_RUN | C_REPORT,
	 "the causes the numbers point to, with their evidence"},
	{O_RECOVER, "recover", NULL, C_REPORT,
	 "report (then remove) what a dead collector left in /dev/shm"},
	{O_SESSION, "session", "DIR", C_COLLECT, "session directory (internal)"},
	{O_ROOT_PID, "root-pid", "PID", C_COLLECT, "root process (internal)"},
	{O_HELP, "help", NULL, C_RUN | C_REPORT | C_COLLECT | C_EXPORT, "show this help"},
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static const struct {
	const char *name;
	enum sw_cmd cmd;
	unsigned mask;
} commands[] = {
	{"run", SW_CMD_RUN, C_RUN},
	{"report", SW_CMD_REPORT, C_REPORT},
	{"collect", SW_CMD_COLLECT, C_COLLECT},
	{"export", SW_CMD_EXPORT, C_EXPORT},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* collect is started by the shim, never typed: --help and completion
 * leave it out, as they leave out its options. */
static bool internal_cmd(unsigned mask)
{
	return mask == C_COLLECT;
}

/* Does the option take an optional argument (--locks[=full])? getopt
 * takes it only attached (--locks=full), so `--locks -- CMD` still works. */
static bool optional(const struct opt *o)
{
	return o->arg && o->arg[0] == '[';
}

void sw_cli_version(FILE *f)
{
	fprintf(f, "syswatch %s\n", SW_VERSION);
}

void sw_cli_list_commands(FILE *f)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!internal_cmd(commands[i].mask))
			fprintf(f, "%s\n", commands[i].name);
}

int sw_cli_list_options(FILE *f, const char *command)
{
	unsigned mask = 0;
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(command, commands[i].name) && !internal_cmd(commands[i].mask))
			mask = commands[i].mask;
	if (!mask)
		return -EINVAL;
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt *o = &opts[i];
		if (!(o->cmds & mask) || internal_cmd(o->cmds))
			continue;
		if (o->id < 256)
			fprintf(f, "-%c\n", o->id);
		fprintf(f, "--%s\n", o->name);
		if (optional(o)) /* "[=full]": the attached form too */
			fprintf(f, "--%s%.*s\n", o->name, (int)strlen(o->arg) - 2, o->arg + 1);
	}
	return 0;
}

void sw_cli_usage(FILE *f)
{
	fputs("usage: syswatch run [OPTIONS] [--] CMD [ARGS...]\n"
	      "       syswatch report [OPTIONS] TRACE\n"
	      "       syswatch report --recover [OPTIONS]\n"
	      "       syswatch export --format chrome|html [-o FILE] TRACE\n"
	      "       syswatch -h|--help | -V|--version\n"
	      "\n"
	      "Count the system calls of CMD and of every process and thread\n"
	      "it starts, without ptrace, and print strace -c -f -w's table.\n"
	      "\n"
	      "Options:\n", f);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt *o = &opts[i];
		if (internal_cmd(o->cmds))
			continue;
		char left[64];
		const char *sep = o->arg && !optional(o) ? " " : "";
		if (o->id < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->id, o->name,
				 sep, o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 sep, o->arg ? o->arg : "");
		fprintf(f, "  %-24s %s\n", left, o->help);
	}
	fputs("\n"
	      "Selectors, with strace's syntax: -e trace=SET (row names,\n"
	      "%file %desc %network %process %memory %ipc %signal, %lock for\n"
	      "the lock rows, all, none, /REGEX, a leading ! negates the whole\n"
	      "set; -e SET alone means trace=SET; the last -e trace= wins).\n"
	      "Given to run, the rows left out are not even recorded. -e\n"
	      "status=successful|failed, -z and -Z count only those calls\n"
	      "(from the events; strace -c ignores them and counts all).\n"
	      "-U picks the columns: time, total-time, min-time, max-time,\n"
	      "avg-time, calls, errors, name, wall-total/min/max/avg.\n"
	      "\n"
	      "report --recover reports the sessions in /dev/shm/syswatch-UID\n"
	      "whose collector and processes are all gone (a killed syswatch),\n"
	      "then removes them; syswatch run removes such sessions by itself\n"
	      "once they are an hour old.\n"
	      "\n"
	      "A child started with an environment that no longer carries the\n"
	      "shim (env -i, a cleared environ) runs untraced; the report names\n"
	      "it. --follow-exec (SYSWATCH_FOLLOW_EXEC=1 in CMD's environment)\n"
	      "puts the shim back into such children.\n"
	      "\n"
	      "Without syswatch run, LD_PRELOAD=libsyswatch.so CMD prints the\n"
	      "same table on CMD's stderr when it ends (SYSWATCH_REPORT=json,\n"
	      "SYSWATCH_OUTPUT=FILE and SYSWATCH_TRACE=FILE apply there).\n"
	      "Exit status: CMD's (128+N if a signal N killed it); 2 for bad\n"
	      "usage; 126/127 if CMD cannot be run.\n", f);
}

static int usage_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int usage_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_pid(const char *s, pid_t *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > INT_MAX)
		return -EINVAL;
	*out = (pid_t)v;
	return 0;
}

/* Apply one parsed option. */
static int apply(struct sw_cli *cli, int id, const char *arg, char *err,
		 size_t errlen)
{
	switch (id) {
	case O_SUMMARY:
	case O_FOLLOW:
	case O_WALL:
		return 0;
	case O_SORT:
		if (sw_sort_parse(arg, &cli->report.sort) < 0)
			return usage_err(err, errlen, "unknown sort key '%s' "
					 "(time, calls, errors, name, min, max, "
					 "avg, none, or a -U column)", arg);
		return 0;
	case O_EXPR:
		return sw_filter_expr(&cli->filter, arg, err, errlen);
	case O_STATUS:
		return sw_filter_status(&cli->filter, arg, err, errlen);
	case O_SUCCESSFUL:
		return sw_filter_status(&cli->filter, "successful", err, errlen);
	case O_FAILED:
		return sw_filter_status(&cli->filter, "failed", err, errlen);
	case O_COLUMNS:
		return sw_filter_columns(&cli->filter, arg, err, errlen);
	case O_FORMAT:
		if (cli->cmd == SW_CMD_EXPORT) {
			if (sw_export_format_parse(arg, &cli->export_format) < 0)
				return usage_err(err, errlen, "export: unknown format '%s' "
						 "(chrome or html)", arg);
			return 0;
		}
		if (sw_format_parse(arg, &cli->report.format) < 0)
			return usage_err(err, errlen, "unknown format '%s' "
					 "(text or json)", arg);
		cli->format_set = true;
		return 0;
	case O_OUTPUT:
		cli->output = arg;
		return 0;
	case O_TRACE:
		cli->trace = arg;
		return 0;
	case O_LOCKS:
		cli->locks = true;
		if (arg && strcmp(arg, "full") != 0)
			return usage_err(err, errlen, "--locks=%s: unknown detail "
					 "(only --locks=full)", arg);
		if (arg)
			cli->report.locks_full = true;
		return 0;
	case O_VERBOSE:
		cli->report.locks_full = true;
		return 0;
	case O_FOLLOW_EXEC:
		cli->follow_exec = true;
		return 0;
	case O_COMPLETE:
		cli->complete = true;
		return 0;
	case O_PER_PROCESS:
		cli->report.per_process = true;
		return 0;
	case O_PER_THREAD:
		cli->report.per_thread = true;
		return 0;
	case O_RECOVER:
		cli->recover = true;
		return 0;
	case O_PATHS:
		cli->report.paths = true;
		return 0;
	case O_NET:
		cli->report.net = true;
		return 0;
	case O_DIAGNOSE:
		cli->report.diagnose = true;
		return 0;
	case O_SESSION:
		cli->session = arg;
		return 0;
	case O_ROOT_PID:
		if (parse_pid(arg, &cli->root_pid) < 0)
			return usage_err(err, errlen, "bad --root-pid '%s'", arg);
		return 0;
	case O_HELP:
		cli->cmd = SW_CMD_HELP;
		return 0;
	}
	return usage_err(err, errlen, "internal error: option %d", id);
}

/* getopt tables for the commands in mask. */
static void build(unsigned mask, char *shorts, struct option *longs)
{
	size_t s = 0, l = 0;
	shorts[s++] = '+'; /* stop at CMD: its options are its own */
	shorts[s++] = ':'; /* report a missing argument as ':' */
	for (size_t i = 0; i < NOPTS; i++) {
		if (!(opts[i].cmds & mask))
			continue;
		int has = !opts[i].arg	       ? no_argument
			  : optional(&opts[i]) ? optional_argument
					       : required_argument;
		if (opts[i].id < 256) {
			shorts[s++] = (char)opts[i].id;
			if (has != no_argument)
				shorts[s++] = ':';
			if (has == optional_argument)
				shorts[s++] = ':';
		}
		longs[l++] = (struct option){opts[i].name, has, NULL, opts[i].id};
	}
	shorts[s] = '\0';
	longs[l] = (struct option){NULL, 0, NULL, 0};
}

int sw_cli_parse(int argc, char **argv, struct sw_cli *cli, char *err,
		 size_t errlen)
{
	memset(cli, 0, sizeof(*cli));
	cli->report.filter = &cli->filter;
	if (argc < 2)
		return usage_err(err, errlen, "missing command");
	const char *c = argv[1];
	if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
		cli->cmd = SW_CMD_HELP;
		return 0;
	}
	if (!strcmp(c, "--version") || !strcmp(c, "-V")) {
		cli->cmd = SW_CMD_VERSION;
		return 0;
	}
	if (!strcmp(c, "list")) { /* hidden: words for the shell's completion */
		cli->cmd = SW_CMD_LIST;
		cli->args = argv + 2;
		cli->nargs = argc - 2;
		return 0;
	}
	unsigned mask = 0;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (!strcmp(c, commands[i].name)) {
			cli->cmd = commands[i].cmd;
			mask = commands[i].mask;
		}
	}
	if (!mask)
		return usage_err(err, errlen, c[0] == '-' ? "unknown option '%s'"
							  : "unknown command '%s'", c);

	char shorts[3 * NOPTS + 3];
	struct option longs[NOPTS + 1];
	build(mask, shorts, longs);
	int sub_argc = argc - 1;
	char **sub_argv = argv + 1;
	opterr = 0;
	optind = 0; /* GNU getopt: start over completely */
	for (;;) {
		int id = getopt_long(sub_argc, sub_argv, shorts, longs, NULL);
		if (id == -1)
			break;
		if (id == '?') {
			if (optopt && optopt < 256)
				return usage_err(err, errlen, "%s: unknown option '-%c'",
						 c, optopt);
			return usage_err(err, errlen, "%s: unknown option '%s'", c,
					 sub_argv[optind - 1]);
		}
		if (id == ':')
			return usage_err(err, errlen, "%s: option '%s' needs an "
					 "argument", c, sub_argv[optind - 1]);
		int rc = apply(cli, id, optarg, err, errlen);
		if (rc < 0)
			return rc;
	}
	if (cli->cmd == SW_CMD_HELP)
		return 0;
	cli->args = sub_argv + optind;
	cli->nargs = sub_argc - optind;
	switch (cli->cmd) {
	case SW_CMD_RUN:
		if (cli->nargs < 1)
			return usage_err(err, errlen, "run: missing command to run");
		break;
	case SW_CMD_REPORT:
		if (cli->recover && cli->nargs)
			return usage_err(err, errlen, "report: --recover takes no "
					 "trace file, got '%s'", cli->args[0]);
		if (cli->recover)
			break;
		if (cli->nargs < 1)
			return usage_err(err, errlen, "report: missing trace file");
		if (cli->nargs > 1)
			return usage_err(err, errlen, "report: one trace file only, "
					 "got '%s' too", cli->args[1]);
		break;
	case SW_CMD_EXPORT:
		if (cli->nargs < 1)
			return usage_err(err, errlen, "export: missing trace file");
		if (cli->nargs > 1)
			return usage_err(err, errlen, "export: one trace file only, "
					 "got '%s' too", cli->args[1]);
		break;
	case SW_CMD_COLLECT:
		if (!cli->session || !cli->root_pid)
			return usage_err(err, errlen, "collect: needs --session DIR "
					 "and --root-pid PID");
		if (cli->nargs)
			return usage_err(err, errlen, "collect: unexpected argument "
					 "'%s'", cli->args[0]);
		break;
	default:
		break;
	}
	return 0;
}
