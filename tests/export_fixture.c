/*
 * export_fixture.c - write the export tests' synthetic trace to a file
 * (for the shell tests): export_fixture OUT [THREADS [MODULES]].
 */
#include <stdio.h>
#include <stdlib.h>

#include "export_scenario.h"

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: export_fixture OUT [THREADS [MODULES]]\n");
		return 2;
	}
	int threads = argc > 2 ? atoi(argv[2]) : 32;
	int modules = argc > 3 ? atoi(argv[3]) : 8;
	if (threads < 1 || threads > 4096 || modules < 1 || modules > 1000) {
		fprintf(stderr, "export_fixture: 1..4096 threads, 1..1000 modules\n");
		return 2;
	}
	char err[256] = "";
	if (exs_write(argv[1], threads, modules, err, sizeof(err)) < 0) {
		fprintf(stderr, "export_fixture: %s\n", err[0] ? err : "out of memory");
		return 1;
	}
	return 0;
}
