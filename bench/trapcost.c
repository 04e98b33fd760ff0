/*
 * trapcost - the cost of one unwrapped system call, for complete mode's
 * benchmark (bench/complete.sh).
 *
 *   trapcost N
 *
 * Runs N getppid() system calls issued by a syscall instruction in this
 * program's own code (no libc wrapper: exactly what complete mode traps
 * and the default mode cannot see), timed from the first to the last,
 * and prints "ns_per_call=X calls=N".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>

static long raw_getppid(void)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
	return r;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	struct timespec a, b;
	long sum = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		sum += raw_getppid();
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
	printf("ns_per_call=%.1f calls=%ld%s\n", n ? ns / (double)n : 0.0, n, sum ? "" : " ");
	return 0;
}
