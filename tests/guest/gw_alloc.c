/*
 * gw_alloc - a program that needs most of its address space.
 *
 *   gw_alloc MB
 *
 * Allocates MB mebibytes in one block and writes one byte per page (so
 * the memory is really there), opens and closes /dev/null ten times, and
 * prints "allocated MB MiB; VmPeak N kB" (N from /proc/self/status). Exit
 * 0, or 1 when the allocation failed: the line then says so.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* VmPeak in kB, or -1. */
static long vm_peak(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "VmPeak:", 7) == 0)
			kb = strtol(line + 7, NULL, 10);
	fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	char *p = mb ? malloc(mb << 20) : NULL;
	if (mb && p == NULL) {
		printf("cannot allocate %zu MiB\n", mb);
		return 1;
	}
	for (size_t i = 0; i < (mb << 20); i += 4096)
		p[i] = 1;
	for (int i = 0; i < 10; i++) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	printf("allocated %zu MiB; VmPeak %ld kB\n", mb, vm_peak());
	free(p);
	return 0;
}
