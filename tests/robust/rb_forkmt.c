/*
 * rb_forkmt - fork from a multithreaded parent.
 *
 *   rb_forkmt NFORKS NTHREADS TALLY
 *
 * NTHREADS threads write to /dev/null at full speed (each counts its own
 * writes) while the main thread forks NFORKS children, one after the
 * other. Each child does a known set of calls, forks a grandchild that
 * does the same, waits for it and leaves with _exit. The threads stop
 * only after the last fork, so every fork happens while they are inside
 * (or between) write calls. With NFORKS = 0 everything else is the same.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "rb_tally.h"

static struct rb_tally *tally;
static int devnull;
static volatile int stop;

/* The known calls of one child (or grandchild). */
static void child_calls(void)
{
	char buf[4096];
	for (int i = 0; i < 3; i++) {
		char *ok = getcwd(buf, sizeof buf);
		rb_did(tally, RB_getcwd, 1, ok == NULL);
	}
	for (int i = 0; i < 2; i++) {
		int r = access("/nonexistent/rb_forkmt", F_OK);
		rb_did(tally, RB_access, 1, r != 0);
	}
	ssize_t w = write(devnull, "c", 1);
	rb_did(tally, RB_write, 1, w != 1);
}

static void *writer(void *arg)
{
	(void)arg;
	uint64_t n = 0, bad = 0;
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		ssize_t w = write(devnull, "t", 1);
		n++;
		bad += w != 1;
	}
	rb_did(tally, RB_write, n - bad, 0);
	rb_did(tally, RB_write, bad, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int nforks = atoi(argv[1]), nthreads = atoi(argv[2]);
	tally = rb_tally_new();
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0)
		return 3;
	rb_did(tally, RB_openat, 1, 0);

	pthread_t th[64];
	if (nthreads > 64)
		nthreads = 64;
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, writer, NULL) != 0)
			return 4;
	/* Let the writers get going before the first fork. */
	struct timespec d = {0, 20 * 1000000};
	nanosleep(&d, NULL);

	for (int i = 0; i < nforks; i++) {
		pid_t c = fork();
		if (c != 0) /* one syscall, returning twice: the parent counts it */
			rb_did(tally, RB_clone, 1, c < 0);
		if (c < 0)
			return 5;
		if (c == 0) {
			child_calls();
			pid_t g = fork();
			if (g != 0)
				rb_did(tally, RB_clone, 1, g < 0);
			if (g == 0) {
				child_calls();
				rb_did(tally, RB_exit_group, 1, 0);
				_exit(0);
			}
			int st;
			pid_t w = waitpid(g, &st, 0);
			rb_did(tally, RB_wait4, 1, w != g);
			rb_did(tally, RB_exit_group, 1, 0);
			_exit(w == g && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1);
		}
		int st;
		pid_t w = waitpid(c, &st, 0);
		rb_did(tally, RB_wait4, 1, w != c);
		if (w != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return 6;
	}
	nanosleep(&d, NULL); /* the nanosleep row is the same in both runs */
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	int r = close(devnull);
	rb_did(tally, RB_close, 1, r != 0);
	rb_tally_write(argv[3], tally);
	return 0;
}
