/*
 * wl_relay.c - CPython's import-lock hand-off in C, with a known root
 * holder for every wait (issue 3, criterion 4: nothing lost, nothing
 * invented).
 *
 *   wl_relay TALLY [THREADS [ROUNDS [BURST [HOLD_US [EVERY]]]]]  (6 40 0 2000 1)
 *
 * Round r has its own semaphore sems[r] (initialised to 0, so every round
 * is a distinct primitive at a distinct address) and one holder, thread
 * r % THREADS. All threads meet on a pthread_barrier (not a wrapped call).
 * The others block in sem_wait(&sems[r]); the holder sleeps 1 ms (so they
 * are all blocked), makes BURST failing close(-1) calls, holds HOLD_US more
 * by sleeping, and posts once. Each woken waiter makes BURST close(-1)
 * calls and posts again, waking the next: a relay, as CPython's module
 * locks do with their `wakeup` lock. The root of every wait on sems[r] is
 * therefore the holder of round r, whoever's post happened to wake it.
 *
 * BURST (a few hundred) overflows a tiny ring (SYSWATCH_RING_KB=4), so
 * events are dropped right before the posts, holders' and relayers' alike.
 * Bursts happen in every EVERY-th round only (rounds 0, EVERY, 2*EVERY...),
 * so the rounds between have whole streams and can still be attributed.
 *
 * TALLY gets: threads, rounds, burst, hold_us, every, and
 * "round R ADDRESS HOLDER_TID BURST" per round (BURST: calls made before
 * each post of that round).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int nthreads = 6, rounds = 40, burst, every = 1;
static long hold_us = 2000;
static sem_t *sems;
static pid_t *holder;
static pthread_barrier_t bar;

static int burst_of(int round)
{
	return round % every == 0 ? burst : 0;
}

static void make_burst(int round)
{
	for (int i = 0; i < burst_of(round); i++)
		close(-1);
}

static void *run(void *arg)
{
	long me = (long)arg;
	for (int r = 0; r < rounds; r++) {
		pthread_barrier_wait(&bar);
		if (r % nthreads == me) {
			holder[r] = gettid();
			struct timespec settle = {0, 1000000}, hold = {0, hold_us * 1000};
			nanosleep(&settle, NULL);
			make_burst(r);
			nanosleep(&hold, NULL);
			sem_post(&sems[r]);
		} else {
			while (sem_wait(&sems[r]) != 0)
				;
			make_burst(r);
			sem_post(&sems[r]);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr,
			"usage: wl_relay TALLY [THREADS [ROUNDS [BURST [HOLD_US [EVERY]]]]]\n");
		return 2;
	}
	nthreads = argc > 2 ? atoi(argv[2]) : nthreads;
	rounds = argc > 3 ? atoi(argv[3]) : rounds;
	burst = argc > 4 ? atoi(argv[4]) : burst;
	hold_us = argc > 5 ? atol(argv[5]) : hold_us;
	every = argc > 6 ? atoi(argv[6]) : every;
	if (nthreads < 2 || nthreads > 64 || rounds < 1 || burst < 0 || hold_us < 0 || every < 1 ||
	    hold_us >= 1000000) {
		fprintf(stderr, "wl_relay: bad arguments\n");
		return 2;
	}
	sems = calloc((size_t)rounds, sizeof *sems);
	holder = calloc((size_t)rounds, sizeof *holder);
	if (sems == NULL || holder == NULL)
		return 1;
	for (int r = 0; r < rounds; r++)
		sem_init(&sems[r], 0, 0);
	pthread_barrier_init(&bar, NULL, (unsigned)nthreads);
	pthread_t th[64];
	for (long i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, run, (void *)i) != 0)
			return 1;
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	FILE *f = fopen(argv[1], "w");
	if (f == NULL)
		return 1;
	fprintf(f, "threads %d\nrounds %d\nburst %d\nhold_us %ld\nevery %d\n", nthreads, rounds,
		burst, hold_us, every);
	for (int r = 0; r < rounds; r++)
		fprintf(f, "round %d %p %d %d\n", r, (void *)&sems[r], (int)holder[r], burst_of(r));
	fclose(f);
	for (int r = 0; r < rounds; r++)
		sem_destroy(&sems[r]);
	printf("wl_relay: %d rounds of %d threads\n", rounds, nthreads);
	return 0;
}
