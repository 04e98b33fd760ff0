/*
 * main.c - syswatch: parse the command line, run the command.
 */
#include <stdio.h>

#include "cli.h"
#include "commands.h"

int main(int argc, char **argv)
{
	struct sw_cli cli;
	char err[512];
	if (sw_cli_parse(argc, argv, &cli, err, sizeof(err)) < 0) {
		fprintf(stderr, "syswatch: %s\ntry 'syswatch --help'\n", err);
		return 2;
	}
	switch (cli.cmd) {
	case SW_CMD_HELP:
		sw_cli_usage(stdout);
		return 0;
	case SW_CMD_VERSION:
		sw_cli_version(stdout);
		return 0;
	case SW_CMD_RUN:
		return sw_cmd_run(&cli);
	case SW_CMD_REPORT:
		return sw_cmd_report(&cli);
	case SW_CMD_COLLECT:
		return sw_cmd_collect(&cli);
	case SW_CMD_EXPORT:
		return sw_cmd_export(&cli);
	case SW_CMD_LIST:
		return sw_cmd_list(&cli);
	}
	return 2;
}
