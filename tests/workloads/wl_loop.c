/*
 * wl_loop - the syscall-heavy loop of the benchmark (bench/run.sh).
 *
 *   wl_loop [-t THREADS] N DIR
 *
 * Each of THREADS threads runs N iterations of: open a 4 KiB file, fstat
 * it, read 4 KiB, close it, stat a path that does not exist; 5 calls per
 * iteration. DIR holds the file (created if missing). The threads start
 * together at a barrier; the program prints one line
 *
 *   loop_seconds=S user_seconds=U sys_seconds=Y calls=C threads=T maxrss_kib=M
 *
 * where S is the wall time from the barrier to the last thread's end, so
 * that start-up (the shim's, the threads') is not part of the per-call
 * figures, U and Y the user and system CPU time of all threads over the
 * same span, and M its own peak RSS (to tell it from a collector's). The whole
 * run's wall time is measured by the caller. With one
 * thread the loop runs in the main thread and no other thread exists: an
 * idle second thread alone slows a syscall loop (DESIGN.md, decision 1),
 * and the single-threaded baseline must be the common case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CALLS_PER_ITERATION 5

static long iterations;
static char data[4096], missing[4096];
static pthread_barrier_t start;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* User CPU time of the whole process (all threads), in seconds; system
 * time in *sys. */
static double user_cpu(double *sys)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	*sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
}

static void *loop(void *arg)
{
	char buf[4096];
	struct stat st;
	if (arg != NULL)
		pthread_barrier_wait(&start);
	for (long i = 0; i < iterations; i++) {
		int fd = open(data, O_RDONLY);
		if (fd < 0 || fstat(fd, &st) != 0 ||
		    read(fd, buf, sizeof buf) != (ssize_t)sizeof buf) {
			perror("wl_loop: data");
			exit(2);
		}
		close(fd);
		if (stat(missing, &st) == 0) {
			fprintf(stderr, "wl_loop: %s exists\n", missing);
			exit(2);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int nthreads = 1, opt;
	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't')
			goto usage;
		nthreads = atoi(optarg);
	}
	if (argc - optind != 2 || nthreads < 1 || nthreads > 1024)
		goto usage;
	iterations = atol(argv[optind]);
	const char *dir = argv[optind + 1];
	snprintf(data, sizeof data, "%s/wl_loop.data", dir);
	snprintf(missing, sizeof missing, "%s/wl_loop.missing", dir);

	struct stat st;
	if (stat(data, &st) != 0 || st.st_size < 4096) {
		static char bytes[4096];
		int fd = open(data, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, bytes, sizeof bytes) != (ssize_t)sizeof bytes ||
		    close(fd)) {
			fprintf(stderr, "wl_loop: cannot create %s: %s\n", data, strerror(errno));
			return 2;
		}
	}

	double t0, u0, s0;
	if (nthreads == 1) {
		t0 = now();
		u0 = user_cpu(&s0);
		loop(NULL);
	} else {
		pthread_t *th = calloc((size_t)nthreads, sizeof *th);
		pthread_barrier_init(&start, NULL, (unsigned)nthreads + 1);
		for (int i = 0; i < nthreads; i++)
			if (th == NULL || pthread_create(&th[i], NULL, loop, &start) != 0) {
				fprintf(stderr, "wl_loop: cannot start %d threads\n", nthreads);
				return 2;
			}
		pthread_barrier_wait(&start);
		t0 = now();
		u0 = user_cpu(&s0);
		for (int i = 0; i < nthreads; i++)
			pthread_join(th[i], NULL);
		free(th);
	}
	double s1, t1 = now(), u1 = user_cpu(&s1);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("loop_seconds=%.6f user_seconds=%.6f sys_seconds=%.6f calls=%ld threads=%d "
	       "maxrss_kib=%ld\n",
	       t1 - t0, u1 - u0, s1 - s0, (long)nthreads * iterations * CALLS_PER_ITERATION,
	       nthreads, ru.ru_maxrss);
	return 0;
usage:
	fprintf(stderr, "usage: wl_loop [-t THREADS] N DIR\n");
	return 2;
}
