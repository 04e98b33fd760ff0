/*
 * timeit - run a command K times; print its median wall time and peak
 * memory. The benchmark's stopwatch (bench/run.sh builds it).
 *
 *   timeit [-n K] [-s] -o FILE -- CMD [ARGS...]
 *
 * Writes one line to FILE (CMD's own stdout and stderr are left alone):
 *
 *   wall=S cpu=C maxrss_kib=R hwm_kib=H status=X
 *
 *   wall        median wall time of the K runs, in seconds (fork to reap)
 *   cpu         median CPU time (user + system) of the K runs, CMD and the
 *               descendants it reaped (a collector included)
 *   maxrss_kib  largest ru_maxrss wait4() reported: the peak RSS of CMD or
 *               of a descendant it reaped, whichever was larger
 *   hwm_kib     with -s: CMD's own VmHWM, read from /proc/PID/status every
 *               millisecond while it runs (the last reading; 0 without -s)
 *   status      exit status of the last run (128+N: killed by signal N)
 *
 * A failing run stops the loop and is reported with its status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* VmHWM of pid in KiB, or -1 once it is gone (or a zombie). */
static long vm_hwm(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	long kib = -1;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0)
			kib = atol(line + 6);
	fclose(f);
	return kib;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int k = 1, sample = 0, opt;
	const char *out = NULL;
	while ((opt = getopt(argc, argv, "+n:so:")) != -1) {
		if (opt == 'n')
			k = atoi(optarg);
		else if (opt == 's')
			sample = 1;
		else if (opt == 'o')
			out = optarg;
		else
			goto usage;
	}
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc || out == NULL || k < 1)
		goto usage;

	double *walls = calloc((size_t)k, sizeof *walls);
	double *cpus = calloc((size_t)k, sizeof *cpus);
	long maxrss = 0, hwm = 0;
	int status = 0, done = 0;
	if (walls == NULL || cpus == NULL)
		return 1;
	for (; done < k; done++) {
		double t0 = now();
		pid_t pid = fork();
		if (pid < 0) {
			perror("timeit: fork");
			return 1;
		}
		if (pid == 0) {
			execvp(argv[optind], argv + optind);
			fprintf(stderr, "timeit: %s: %s\n", argv[optind], strerror(errno));
			_exit(127);
		}
		int st;
		struct rusage ru;
		for (;;) {
			pid_t r = wait4(pid, &st, sample ? WNOHANG : 0, &ru);
			if (r == pid)
				break;
			if (r < 0 && errno != EINTR) {
				perror("timeit: wait4");
				return 1;
			}
			long h = vm_hwm(pid);
			if (h > hwm)
				hwm = h;
			struct timespec ms = {0, 1000000};
			nanosleep(&ms, NULL);
		}
		walls[done] = now() - t0;
		cpus[done] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
			     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (status != 0) {
			done++;
			break;
		}
	}
	double wall = median(walls, done), cpu = median(cpus, done);
	FILE *f = fopen(out, "w");
	if (f == NULL) {
		fprintf(stderr, "timeit: %s: %s\n", out, strerror(errno));
		return 1;
	}
	fprintf(f, "wall=%.6f cpu=%.6f maxrss_kib=%ld hwm_kib=%ld status=%d\n", wall, cpu, maxrss,
		hwm, status);
	fclose(f);
	free(walls);
	free(cpus);
	return status == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: timeit [-n K] [-s] -o FILE -- CMD [ARGS...]\n");
	return 2;
}
