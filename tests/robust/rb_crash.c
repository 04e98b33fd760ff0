/*
 * rb_crash - a program that is killed or crashes in the middle of its work
 * and keeps its own account of how far it got.
 *
 *   rb_crash kill NTHREADS PROGRESS   loop until killed from outside
 *   rb_crash segv M PROGRESS          M iterations, then crash in the next
 *   rb_crash abort M PROGRESS         M iterations, then abort() in the next
 *
 * One iteration is: getcwd, a failing access, two writes to /dev/null.
 * PROGRESS is a file the program maps MAP_SHARED (with raw syscalls, so
 * the shim sees none of it) and where, after each complete iteration, it
 * stores the iterations done per thread; stores to a mapping are not
 * system calls, so the account costs nothing syswatch could count. The
 * crashing modes stop after getcwd and the first write of iteration M+1.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "rb_tally.h"

struct progress {
	int64_t pid;
	int64_t nthreads;
	int64_t ready;	   /* every thread has started */
	int64_t iters[16]; /* complete iterations, per thread */
};

static struct progress *prog;
static int devnull;

static void iteration_part1(void)
{
	char buf[4096];
	(void)!getcwd(buf, sizeof buf);
	(void)!write(devnull, "a", 1);
}

static void iteration_part2(void)
{
	(void)access("/nonexistent/rb_crash", F_OK);
	(void)!write(devnull, "b", 1);
}

static void *loop(void *arg)
{
	int idx = (int)(long)arg;
	for (;;) {
		iteration_part1();
		iteration_part2();
		__atomic_store_n(&prog->iters[idx], prog->iters[idx] + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	const char *mode = argv[1];
	long arg = atol(argv[2]);
	int fd = (int)syscall(SYS_openat, AT_FDCWD, argv[3], O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || syscall(SYS_ftruncate, fd, 4096) != 0)
		return 3;
	prog = (void *)syscall(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if ((long)prog < 0 && (long)prog > -4096)
		return 3;
	syscall(SYS_close, fd);
	prog->pid = (int64_t)syscall(SYS_getpid);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0)
		return 3;

	if (strcmp(mode, "kill") == 0) {
		int n = arg < 1 ? 1 : arg > 16 ? 16 : (int)arg;
		prog->nthreads = n;
		pthread_t th;
		for (int i = 1; i < n; i++)
			if (pthread_create(&th, NULL, loop, (void *)(long)i) != 0)
				return 4;
		__atomic_store_n(&prog->ready, 1, __ATOMIC_RELEASE);
		loop((void *)0);
	}
	prog->nthreads = 1;
	__atomic_store_n(&prog->ready, 1, __ATOMIC_RELEASE);
	for (long i = 0; i < arg; i++) {
		iteration_part1();
		iteration_part2();
		__atomic_store_n(&prog->iters[0], prog->iters[0] + 1, __ATOMIC_RELEASE);
	}
	iteration_part1();
	if (strcmp(mode, "segv") == 0)
		*(volatile int *)(uintptr_t)8 = 1;
	else if (strcmp(mode, "abort") == 0)
		abort();
	return 5;
}
