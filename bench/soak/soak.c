/*
 * soak.c - the program of bench/soak.sh: THREADS threads making system
 * calls at full speed for SECONDS, each counting its own calls.
 *
 *   soak SECONDS THREADS TALLY [CHURN_MS]
 *
 * One iteration: write 1 byte to /dev/null, read 64 bytes of /dev/zero,
 * lseek it back to 0, getcwd. The deadline is checked with clock_gettime
 * (the vDSO: no system call). With CHURN_MS > 0 the main thread also
 * starts and joins a short thread (10 getcwd) every CHURN_MS ms, so that
 * thread slots are claimed and given back all along.
 *
 * At the end TALLY gets "syscall calls errors" lines, written with raw
 * syscall(2) so that the shim does not count the bookkeeping.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double deadline;
static int devnull, zero_fds[64];
static uint64_t n_write, n_read, n_lseek, n_getcwd, n_errors;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *worker(void *arg)
{
	int zfd = zero_fds[(long)arg];
	char buf[4096];
	uint64_t w = 0, r = 0, l = 0, g = 0, e = 0;
	for (;;) {
		for (int i = 0; i < 256; i++) {
			e += write(devnull, "x", 1) != 1;
			w++;
			e += read(zfd, buf, 64) != 64;
			r++;
			e += lseek(zfd, 0, SEEK_SET) != 0;
			l++;
			e += getcwd(buf, sizeof buf) == NULL;
			g++;
		}
		if (now() >= deadline)
			break;
	}
	__atomic_fetch_add(&n_write, w, __ATOMIC_RELAXED);
	__atomic_fetch_add(&n_read, r, __ATOMIC_RELAXED);
	__atomic_fetch_add(&n_lseek, l, __ATOMIC_RELAXED);
	__atomic_fetch_add(&n_getcwd, g, __ATOMIC_RELAXED);
	__atomic_fetch_add(&n_errors, e, __ATOMIC_RELAXED);
	return NULL;
}

static void *short_thread(void *arg)
{
	(void)arg;
	char buf[4096];
	uint64_t e = 0;
	for (int i = 0; i < 10; i++)
		e += getcwd(buf, sizeof buf) == NULL;
	__atomic_fetch_add(&n_getcwd, 10, __ATOMIC_RELAXED);
	__atomic_fetch_add(&n_errors, e, __ATOMIC_RELAXED);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: soak SECONDS THREADS TALLY [CHURN_MS]\n");
		return 2;
	}
	double secs = atof(argv[1]);
	int nt = atoi(argv[2]);
	long churn_ms = argc > 4 ? atol(argv[4]) : 0;
	if (nt < 1 || nt > 64)
		return 2;
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	for (int i = 0; i < nt; i++)
		zero_fds[i] = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	deadline = now() + secs;
	pthread_t th[64];
	for (long i = 0; i < nt; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	long churned = 0;
	if (churn_ms > 0) {
		while (now() < deadline) {
			struct timespec d = {churn_ms / 1000, (churn_ms % 1000) * 1000000L};
			nanosleep(&d, NULL);
			pthread_t t;
			if (pthread_create(&t, NULL, short_thread, NULL) == 0) {
				pthread_join(t, NULL);
				churned++;
			}
		}
	}
	for (int i = 0; i < nt; i++)
		pthread_join(th[i], NULL);
	char out[512];
	int n = snprintf(out, sizeof out,
			 "write %llu 0\nread %llu 0\nlseek %llu 0\ngetcwd %llu 0\n"
			 "# errors %llu, short threads %ld\n",
			 (unsigned long long)n_write, (unsigned long long)n_read,
			 (unsigned long long)n_lseek, (unsigned long long)n_getcwd,
			 (unsigned long long)n_errors, churned);
	int fd = (int)syscall(SYS_openat, AT_FDCWD, argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		syscall(SYS_write, fd, out, (size_t)n);
		syscall(SYS_close, fd);
	}
	return n_errors != 0;
}
