/*
 * wl_mutex.c - 8 threads on one pthread_mutex_t with known hold times,
 * and their own account of what they did (issue 3, criterion 3).
 *
 *   wl_mutex TALLY [THREADS [ROUNDS [HOLD_US [GAP_US]]]]   (8 200 100 300)
 *
 * Each thread takes the mutex ROUNDS times, holds it by spinning on the
 * clock (clock_gettime is not a wrapped call: the hold is pure CPU),
 * releases it and sleeps GAP_US outside it. Thread i (0-based) holds it
 * (i+1)*HOLD_US microseconds, so the threads' shares of the others' waiting
 * differ and a report that blamed the wrong holders would show it. The
 * mutex is nearly always held when a thread comes back: most acquisitions
 * have to wait.
 *
 * The shim counts an acquisition as a blocked wait when its non-blocking
 * try fails. So that the tally can be compared with that, each thread makes
 * the same try itself first: `contended` counts the acquisitions whose
 * trylock failed (it then calls pthread_mutex_lock, which the shim tries
 * once more and times only if that fails too). contended_wait_ns is the
 * time of those acquisitions, from before the trylock to after the lock.
 *
 * TALLY gets "key value" lines: threads, rounds, hold_us, gap_us,
 * acquisitions, contended, contended_wait_ns, hold_ns (all holds summed),
 * hold_min_ns, hold_max_ns, mutex (its address), and per thread
 * "thread TID HOLDS HOLD_NS CONTENDED HOLD_MAX_NS". TALLY.acq gets every
 * acquisition, "TID T0 T1 T2 CONTENDED WOKE" (CLOCK_MONOTONIC ns: before
 * the trylock, acquired, just before the unlock; WOKE: a waiter was asleep
 * on the mutex at the unlock), for the test to work out exactly which
 * holds each wait sat through. A hold that ends while no waiter sleeps on
 * the mutex kept nobody waiting: a waiter woken earlier was not yet back
 * on a CPU (it finds the mutex free when it is), or it would have gone
 * back to sleep on the mutex and made the word say so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;
static int rounds = 200;
static long hold_us = 100, gap_us = 300;

struct acq {
	uint64_t t0, t1, t2;
	int contended;
	int woke; /* a waiter was asleep on the mutex when it was released */
};

struct worker {
	pthread_t th;
	int idx;
	pid_t tid;
	long holds, contended;
	uint64_t hold_ns, wait_ns, hold_min, hold_max;
	struct acq *log;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	w->tid = gettid();
	w->hold_min = UINT64_MAX;
	pthread_barrier_wait(&start); /* not a wrapped call: invisible */
	struct timespec gap = {0, gap_us * 1000};
	uint64_t hold = (uint64_t)(w->idx + 1) * (uint64_t)hold_us * 1000;
	for (int i = 0; i < rounds; i++) {
		uint64_t t0 = now_ns(), t1;
		int r = pthread_mutex_trylock(&mu);
		if (r == EBUSY) {
			w->contended++;
			if (pthread_mutex_lock(&mu) != 0)
				abort();
			t1 = now_ns();
			w->wait_ns += t1 - t0;
		} else if (r == 0) {
			t1 = now_ns();
		} else {
			abort();
		}
		uint64_t t2;
		while ((t2 = now_ns()) - t1 < hold)
			;
		/* glibc wakes a sleeper exactly when the lock word says one is
		 * asleep (2); read it just before letting go. */
		int woke = __atomic_load_n(&mu.__data.__lock, __ATOMIC_RELAXED) > 1;
		w->log[i] = (struct acq){t0, t1, t2, r == EBUSY, woke};
		w->holds++;
		w->hold_ns += t2 - t1;
		if (t2 - t1 < w->hold_min)
			w->hold_min = t2 - t1;
		if (t2 - t1 > w->hold_max)
			w->hold_max = t2 - t1;
		pthread_mutex_unlock(&mu);
		nanosleep(&gap, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: wl_mutex TALLY [THREADS [ROUNDS [HOLD_US [GAP_US]]]]\n");
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 8;
	rounds = argc > 3 ? atoi(argv[3]) : rounds;
	hold_us = argc > 4 ? atol(argv[4]) : hold_us;
	gap_us = argc > 5 ? atol(argv[5]) : gap_us;
	if (n < 1 || n > 64 || rounds < 1 || hold_us < 1 || gap_us < 0) {
		fprintf(stderr, "wl_mutex: bad arguments\n");
		return 2;
	}
	struct worker w[64] = {{0}};
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		w[i].idx = i;
		w[i].log = calloc((size_t)rounds, sizeof *w[i].log);
		if (w[i].log == NULL || pthread_create(&w[i].th, NULL, run, &w[i]) != 0)
			return 1;
	}
	for (int i = 0; i < n; i++)
		pthread_join(w[i].th, NULL);

	long acq = 0, cont = 0;
	uint64_t hold = 0, wait = 0, hmin = UINT64_MAX, hmax = 0;
	for (int i = 0; i < n; i++) {
		acq += w[i].holds;
		cont += w[i].contended;
		hold += w[i].hold_ns;
		wait += w[i].wait_ns;
		hmin = w[i].hold_min < hmin ? w[i].hold_min : hmin;
		hmax = w[i].hold_max > hmax ? w[i].hold_max : hmax;
	}
	FILE *f = fopen(argv[1], "w");
	if (f == NULL)
		return 1;
	fprintf(f, "threads %d\nrounds %d\nhold_us %ld\ngap_us %ld\n", n, rounds, hold_us, gap_us);
	fprintf(f, "acquisitions %ld\ncontended %ld\ncontended_wait_ns %llu\n", acq, cont,
		(unsigned long long)wait);
	fprintf(f, "hold_ns %llu\nhold_min_ns %llu\nhold_max_ns %llu\n", (unsigned long long)hold,
		(unsigned long long)hmin, (unsigned long long)hmax);
	fprintf(f, "mutex %p\n", (void *)&mu);
	for (int i = 0; i < n; i++)
		fprintf(f, "thread %d %ld %llu %ld %llu\n", (int)w[i].tid, w[i].holds,
			(unsigned long long)w[i].hold_ns, w[i].contended,
			(unsigned long long)w[i].hold_max);
	if (fclose(f) != 0)
		return 1;
	char path[4096];
	snprintf(path, sizeof path, "%s.acq", argv[1]);
	if ((f = fopen(path, "w")) == NULL)
		return 1;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < rounds; k++)
			fprintf(f, "%d %llu %llu %llu %d %d\n", (int)w[i].tid,
				(unsigned long long)w[i].log[k].t0,
				(unsigned long long)w[i].log[k].t1,
				(unsigned long long)w[i].log[k].t2, w[i].log[k].contended,
				w[i].log[k].woke);
	if (fclose(f) != 0)
		return 1;
	printf("wl_mutex: %ld acquisitions, %ld contended\n", acq, cont);
	return 0;
}
