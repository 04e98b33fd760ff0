/*
 * cli.h - the command line: commands, options, help and version.
 */
#ifndef SW_COLLECTOR_CLI_H
#define SW_COLLECTOR_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "diag.h"
#include "export.h"
#include "filter.h"
#include "output.h"
#include "summary.h"

enum sw_cmd {
	SW_CMD_HELP,
	SW_CMD_VERSION,
	SW_CMD_RUN,     /* syswatch run [opts] -- CMD [ARGS] */
	SW_CMD_REPORT,  /* syswatch report [opts] TRACE */
	SW_CMD_COLLECT, /* syswatch collect --session DIR --root-pid PID */
	SW_CMD_EXPORT,  /* syswatch export --format chrome|html [-o FILE] TRACE */
	SW_CMD_LIST,    /* syswatch list KIND [COMMAND] (hidden: for completion) */
};

struct sw_cli {
	enum sw_cmd cmd;
	struct sw_report_opts report; /* -S, --format; .filter = &filter */
	struct sw_filter filter;      /* -e, -z, -Z, -U */
	const char *output;   /* -o FILE, or NULL for stderr */
	const char *trace;    /* --trace FILE, or NULL */
	const char *session;  /* collect: --session */
	pid_t root_pid;       /* collect: --root-pid */
	char **args;          /* run: CMD ARGS (NULL-terminated); report: TRACE */
	int nargs;
	bool format_set;      /* --format was given */
	bool locks;           /* --locks: lock-holder attribution */
	bool follow_exec;     /* run --follow-exec */
	bool complete;        /* run --complete: SYSWATCH_COMPLETE=1 */
	bool recover;         /* report --recover */
	enum sw_export_format export_format; /* export: --format */
};

/* Parse argv. 0 on success; on bad usage a negative errno and a one-line
 * message (without the "syswatch: " prefix) in err. */
int sw_cli_parse(int argc, char **argv, struct sw_cli *cli, char *err,
		 size_t errlen);

/* Parse a --format value of `export` (chrome, html); -EINVAL if unknown
 * (export_cmd.c, with the table of exporters). */
int sw_export_format_parse(const char *s, enum sw_export_format *out);

/* Print the usage text. */
void sw_cli_usage(FILE *f);

/* Print "syswatch <version>". */
void sw_cli_version(FILE *f);

/* Print the user commands (run, report, export), one a line. */
void sw_cli_list_commands(FILE *f);

/* Print the options command takes, one a line as typed ("-c",
 * "--summary", "--locks", "--locks=full"), internal ones left out;
 * -EINVAL if command is not a user command. */
int sw_cli_list_options(FILE *f, const char *command);

#endif
