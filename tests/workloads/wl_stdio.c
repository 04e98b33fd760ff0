/*
 * wl_stdio.c - a workload whose system calls happen inside glibc, for
 * complete mode (issue 9, acceptance 1(b)): stdio I/O (fprintf, fwrite,
 * fseek, fgets), malloc above the mmap threshold, getpwnam, setlocale,
 * localtime, realpath, and a posix_spawn'ed child.
 *
 * Usage: wl_stdio N DIR TALLY. N iterations in DIR (created). TALLY is
 * written empty: the expected counts come from strace on the same
 * workload (N minus 0 iterations), not from the workload.
 *
 * The spawned child runs a program that does not exist: its calls
 * (signal resets, the failed execve, exit_group) are all made by glibc in
 * the child, so strace and syswatch see the same ones. A child that
 * really started a dynamic program would run its loader and, under
 * syswatch only, the shim's start-up: those differ by construction.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <locale.h>
#include <pwd.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void one(const char *dir, long i)
{
	char path[PATH_MAX], line[256];
	snprintf(path, sizeof path, "%s/f%ld.txt", dir, i % 4);
	FILE *f = fopen(path, "w+");
	if (f == NULL)
		exit(2);
	for (int k = 0; k < 100; k++)
		fprintf(f, "line %d of iteration %ld\n", k, i);
	static char block[16384];
	fwrite(block, 1, sizeof block, f);
	fflush(f);
	fseek(f, 0, SEEK_SET);
	while (fgets(line, sizeof line, f) != NULL)
		;
	fclose(f);

	char *big = malloc(4u << 20); /* above the mmap threshold */
	if (big == NULL)
		exit(3);
	big[0] = 1;
	free(big);

	if (getpwnam("root") == NULL)
		exit(4);
	setlocale(LC_ALL, i % 2 ? "C.UTF-8" : "C");
	time_t now = time(NULL);
	if (localtime(&now) == NULL)
		exit(5);
	char real[PATH_MAX];
	snprintf(path, sizeof path, "%s/../%s", dir, strrchr(dir, '/') + 1);
	if (realpath(path, real) == NULL)
		exit(6);

	pid_t pid;
	char *argv[] = {"wl_stdio-missing", NULL};
	snprintf(path, sizeof path, "%s/no-such-program", dir);
	if (posix_spawn(&pid, path, NULL, NULL, argv, environ) == 0)
		waitpid(pid, NULL, 0); /* not reached: glibc reports ENOENT */
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 1;
	long n = atol(argv[1]);
	if (mkdir(argv[2], 0700) != 0)
		return 1;
	for (long i = 0; i < n; i++)
		one(argv[2], i);
	FILE *t = fopen(argv[3], "w");
	return t == NULL || fclose(t) != 0;
}
