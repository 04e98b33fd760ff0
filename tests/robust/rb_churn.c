/*
 * rb_churn - thousands of short threads, each making known calls.
 *
 *   rb_churn NTHREADS K BATCH TALLY [reuse]
 *
 * Threads are started BATCH at a time and joined before the next batch;
 * each makes K getcwd calls and one failing access, and notes its tid.
 * With "reuse", BATCH is 1 and before each thread the previous thread's
 * tid is written back to /proc/sys/kernel/ns_last_pid (possible in a pid
 * namespace of our own), so that the kernel hands the same tid out again:
 * many threads, one tid. Notes go to TALLY.notes: how many threads ran,
 * how many distinct tids they had, how many threads got a reused tid.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "rb_tally.h"

static struct rb_tally *tally;
static int k_calls;
static int *tids;

static void *worker(void *arg)
{
	int idx = (int)(long)arg;
	tids[idx] = (int)syscall(SYS_gettid);
	char buf[4096];
	uint64_t ok = 0, bad = 0;
	for (int i = 0; i < k_calls; i++) {
		if (getcwd(buf, sizeof buf) != NULL)
			ok++;
		else
			bad++;
	}
	rb_did(tally, RB_getcwd, ok, 0);
	rb_did(tally, RB_getcwd, bad, 1);
	int r = access("/nonexistent/rb_churn", F_OK);
	rb_did(tally, RB_access, 1, r != 0);
	return NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Wait until tid is free again, then make it the next one handed out. */
static int steer_to(int last_pid_fd, int tid)
{
	long pid = syscall(SYS_getpid);
	for (int spin = 0; spin < 100000; spin++) {
		if (syscall(SYS_tgkill, pid, tid, 0) != 0 && errno == ESRCH)
			break;
		syscall(SYS_sched_yield); /* the harness waiting: raw, not counted */
	}
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%d", tid - 1);
	return syscall(SYS_pwrite64, last_pid_fd, buf, n, 0) == n ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 5 && argc != 6)
		return 2;
	int n = atoi(argv[1]), batch = atoi(argv[3]);
	k_calls = atoi(argv[2]);
	int reuse = argc == 6 && strcmp(argv[5], "reuse") == 0;
	tally = rb_tally_new();
	tids = calloc((size_t)n + 1, sizeof *tids);
	pthread_t *th = calloc((size_t)batch + 1, sizeof *th);
	if (tids == NULL || th == NULL || batch < 1)
		return 3;
	int last_pid_fd = -1;
	if (reuse) {
		batch = 1;
		last_pid_fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/sys/kernel/ns_last_pid",
					   O_RDWR | O_CLOEXEC, 0);
	}
	int steered = 0;
	for (int i = 0; i < n; i += batch) {
		int m = n - i < batch ? n - i : batch;
		if (last_pid_fd >= 0 && i > 0 && steer_to(last_pid_fd, tids[i - 1]) == 0)
			steered++;
		for (int j = 0; j < m; j++) {
			int e = pthread_create(&th[j], NULL, worker, (void *)(long)(i + j));
			rb_did(tally, RB_clone3, 1, e != 0); /* glibc 2.34+: clone3 */
			if (e != 0)
				return 4;
		}
		for (int j = 0; j < m; j++)
			pthread_join(th[j], NULL);
	}
	int reused = 0; /* threads that got their predecessor's tid */
	for (int i = 1; i < n; i++)
		reused += tids[i] == tids[i - 1];
	qsort(tids, (size_t)n, sizeof *tids, cmp_int);
	int distinct = n > 0;
	for (int i = 1; i < n; i++)
		distinct += tids[i] != tids[i - 1];

	char notes[4096];
	snprintf(notes, sizeof notes, "%s.notes", argv[4]);
	rb_note(notes, "threads", n);
	rb_note(notes, "distinct-tids", distinct);
	rb_note(notes, "reused-tids", reused);
	rb_note(notes, "reuse-available", last_pid_fd >= 0);
	rb_note(notes, "steered", steered);
	rb_tally_write(argv[4], tally);
	return 0;
}
