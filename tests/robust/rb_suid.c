/*
 * rb_suid - a small program to be made setuid root.
 *
 *   rb_suid N
 *
 * Prints its real and effective uid, whether libsyswatch.so is mapped
 * into it (read from /proc/self/maps), and the result of N getcwd calls.
 */
#include <stdlib.h>

#include "rb_tally.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	char buf[4096];
	int ok = 0;
	for (int i = 0; i < n; i++)
		ok += getcwd(buf, sizeof buf) != NULL;
	int mapped = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024];
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		mapped |= strstr(line, "libsyswatch") != NULL;
	if (f != NULL)
		fclose(f);
	printf("uid %d euid %d\n", (int)getuid(), (int)geteuid());
	printf("shim mapped: %s\n", mapped ? "yes" : "no");
	printf("getcwd ok %d of %d\n", ok, n);
	return 0;
}
