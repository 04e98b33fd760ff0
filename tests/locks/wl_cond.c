/*
 * wl_cond.c - a producer and consumers on a pthread_cond_t (issue 3,
 * criterion 3): their waits are condition waits, not mutex contention; and,
 * built with -DWL_OLD_COND, the same program bound to the old condition
 * variables of glibc (pthread_cond_*@GLIBC_2.2.5), which must still run
 * correctly under the shim.
 *
 *   wl_cond TALLY [CONSUMERS [ITEMS [PERIOD_US]]]     (4 200 500)
 *
 * One producer makes ITEMS items, one every PERIOD_US (sleeping between
 * them), each under the mutex, signalling the condition variable; at the
 * end it sets `done` and broadcasts. Consumers wait on the condition while
 * the queue is empty; consumer 0 uses pthread_cond_timedwait (a far
 * deadline), the others pthread_cond_wait. stdout gets one line that does
 * not depend on timing: "wl_cond: consumed N items, sum S".
 *
 * TALLY gets: cond and mutex (addresses), cond_waits (calls of the wait
 * functions: each always blocks, so each is one blocked wait), items,
 * producer TID, and "consumer TID WAITS ITEMS" per consumer.
 *
 * The old condition variables (glibc < 2.3.2) keep, in the first word of
 * the pthread_cond_t, a pointer to a new-style condvar malloc'ed by
 * pthread_cond_init@GLIBC_2.2.5; a shim that forwarded them to the new
 * functions would treat that pointer as the new layout and crash or hang.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#ifdef WL_OLD_COND
int old_cond_init(pthread_cond_t *, const pthread_condattr_t *);
int old_cond_destroy(pthread_cond_t *);
int old_cond_wait(pthread_cond_t *, pthread_mutex_t *);
int old_cond_timedwait(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
int old_cond_signal(pthread_cond_t *);
int old_cond_broadcast(pthread_cond_t *);
__asm__(".symver old_cond_init, pthread_cond_init@GLIBC_2.2.5");
__asm__(".symver old_cond_destroy, pthread_cond_destroy@GLIBC_2.2.5");
__asm__(".symver old_cond_wait, pthread_cond_wait@GLIBC_2.2.5");
__asm__(".symver old_cond_timedwait, pthread_cond_timedwait@GLIBC_2.2.5");
__asm__(".symver old_cond_signal, pthread_cond_signal@GLIBC_2.2.5");
__asm__(".symver old_cond_broadcast, pthread_cond_broadcast@GLIBC_2.2.5");
#define COND(f) old_cond_##f
#define FLAVOUR "old (GLIBC_2.2.5)"
#else
#define COND(f) pthread_cond_##f
#define FLAVOUR "new (GLIBC_2.3.2)"
#endif

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static long queue[64];
static int qhead, qlen, done;
static int items = 200;
static long period_us = 500;

struct consumer {
	pthread_t th;
	int idx;
	pid_t tid;
	long waits, got, sum;
};

static void *consume(void *arg)
{
	struct consumer *c = arg;
	c->tid = gettid();
	for (;;) {
		pthread_mutex_lock(&mu);
		while (qlen == 0 && !done) {
			c->waits++;
			int r;
			if (c->idx == 0) {
				struct timespec dl;
				clock_gettime(CLOCK_REALTIME, &dl);
				dl.tv_sec += 60;
				r = COND(timedwait)(&cv, &mu, &dl);
			} else {
				r = COND(wait)(&cv, &mu);
			}
			if (r != 0) {
				fprintf(stderr, "wl_cond: wait returned %d\n", r);
				abort();
			}
		}
		if (qlen == 0 && done) {
			pthread_mutex_unlock(&mu);
			return NULL;
		}
		long v = queue[qhead];
		qhead = (qhead + 1) % 64;
		qlen--;
		pthread_mutex_unlock(&mu);
		c->got++;
		c->sum += v;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: wl_cond TALLY [CONSUMERS [ITEMS [PERIOD_US]]]\n");
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 4;
	items = argc > 3 ? atoi(argv[3]) : items;
	period_us = argc > 4 ? atol(argv[4]) : period_us;
	if (n < 1 || n > 32 || items < 0 || period_us < 0) {
		fprintf(stderr, "wl_cond: bad arguments\n");
		return 2;
	}
	if (COND(init)(&cv, NULL) != 0)
		return 1;
	struct consumer c[32] = {{0}};
	for (int i = 0; i < n; i++) {
		c[i].idx = i;
		if (pthread_create(&c[i].th, NULL, consume, &c[i]) != 0)
			return 1;
	}
	struct timespec period = {0, period_us * 1000};
	for (int i = 1; i <= items; i++) {
		nanosleep(&period, NULL);
		pthread_mutex_lock(&mu);
		while (qlen == 64) { /* never with these sizes; keeps it correct */
			pthread_mutex_unlock(&mu);
			nanosleep(&period, NULL);
			pthread_mutex_lock(&mu);
		}
		queue[(qhead + qlen) % 64] = i;
		qlen++;
		COND(signal)(&cv);
		pthread_mutex_unlock(&mu);
	}
	pthread_mutex_lock(&mu);
	done = 1;
	COND(broadcast)(&cv);
	pthread_mutex_unlock(&mu);
	long got = 0, sum = 0, waits = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(c[i].th, NULL);
		got += c[i].got;
		sum += c[i].sum;
		waits += c[i].waits;
	}
	if (COND(destroy)(&cv) != 0)
		return 1;
	FILE *f = fopen(argv[1], "w");
	if (f == NULL)
		return 1;
	fprintf(f, "flavour %s\ncond %p\nmutex %p\ncond_waits %ld\nitems %ld\nproducer %d\n",
		FLAVOUR, (void *)&cv, (void *)&mu, waits, got, (int)gettid());
	for (int i = 0; i < n; i++)
		fprintf(f, "consumer %d %ld %ld\n", (int)c[i].tid, c[i].waits, c[i].got);
	fclose(f);
	printf("wl_cond: consumed %ld items, sum %ld\n", got, sum);
	return 0;
}
