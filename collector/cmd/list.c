/*
 * list.c - `syswatch list KIND [COMMAND]`: the words the bash completion
 * (completion/syswatch) offers, one a line, taken from the tables the CLI
 * itself parses with, so that the completion never drifts from them:
 *
 *   rows              every row name -e trace= accepts (rows.h)
 *   classes           the -e trace= classes, with their '%'
 *   columns           the -U and -S names
 *   commands          the user commands
 *   options COMMAND   the options of COMMAND, as typed
 *
 * Hidden from --help: people type the words, the completion lists them.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "filter.h"
#include "summary.h"
#include "syswatch/rows.h"

static int rows(FILE *f, const char *arg)
{
	static const char *const names[] = {
#define ROW_NAME(id, name, cls, flags) name,
		SW_ROWS(ROW_NAME)
#undef ROW_NAME
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		fprintf(f, "%s\n", names[i]);
	return 0;
}

static int classes(FILE *f, const char *arg)
{
	const char *n;
	for (size_t i = 0; (n = sw_sel_class_name(i)) != NULL; i++)
		fprintf(f, "%%%s\n", n);
	fputs("%lock\n", f); /* syswatch's own: the lock rows */
	return 0;
}

static int columns(FILE *f, const char *arg)
{
	const char *n;
	for (size_t i = 0; (n = sw_col_name(i)) != NULL; i++)
		fprintf(f, "%s\n", n);
	return 0;
}

static int commands(FILE *f, const char *arg)
{
	sw_cli_list_commands(f);
	return 0;
}

static int options(FILE *f, const char *arg)
{
	if (!arg || sw_cli_list_options(f, arg) < 0) {
		sw_error("list options: name a command (run, report, export)");
		return -1;
	}
	return 0;
}

static const struct {
	const char *kind;
	int (*print)(FILE *f, const char *arg);
} kinds[] = {
	{"rows", rows},         {"classes", classes},   {"columns", columns},
	{"commands", commands}, {"options", options},
};

int sw_cmd_list(const struct sw_cli *cli)
{
	const char *kind = cli->nargs > 0 ? cli->args[0] : "";
	const char *arg = cli->nargs > 1 ? cli->args[1] : NULL;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i].kind, kind) != 0)
			continue;
		if (kinds[i].print(stdout, arg) < 0)
			return 2;
		return fflush(stdout) == 0 ? 0 : 1;
	}
	sw_error("list: unknown kind '%s' (rows, classes, columns, commands, "
		 "options COMMAND)", kind);
	return 2;
}
