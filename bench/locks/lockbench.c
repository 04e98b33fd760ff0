/*
 * lockbench - the lock workloads of bench/locks.sh.
 *
 *   lockbench pairs N         N uncontended lock/unlock pairs on one mutex;
 *                             prints "ns_per_pair X"
 *   lockbench contend T N     T threads, each taking one shared mutex N times
 *                             around a short critical section; prints
 *                             "seconds X"
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long per_thread;
static volatile unsigned long shared_counter;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *worker(void *arg)
{
	for (long i = 0; i < per_thread; i++) {
		pthread_mutex_lock(&mu);
		for (int k = 0; k < 50; k++) /* a short critical section */
			shared_counter++;
		pthread_mutex_unlock(&mu);
	}
	return arg;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "pairs") == 0) {
		long n = atol(argv[2]);
		double t0 = now();
		for (long i = 0; i < n; i++) {
			pthread_mutex_lock(&mu);
			shared_counter++;
			pthread_mutex_unlock(&mu);
		}
		printf("ns_per_pair %.3f\n", (now() - t0) * 1e9 / (double)n);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "contend") == 0) {
		int nt = atoi(argv[2]);
		per_thread = atol(argv[3]);
		if (nt < 1 || nt > 256)
			return 2;
		pthread_t th[256];
		double t0 = now();
		for (int i = 0; i < nt; i++)
			pthread_create(&th[i], NULL, worker, NULL);
		for (int i = 0; i < nt; i++)
			pthread_join(th[i], NULL);
		printf("seconds %.6f\n", now() - t0);
		return 0;
	}
	fprintf(stderr, "usage: lockbench pairs N | lockbench contend THREADS N\n");
	return 2;
}
