/*
 * gw_jump - opens interrupted by a timer whose handler leaves with
 * siglongjmp, as interpreters and test harnesses do.
 *
 *   gw_jump SECONDS
 *
 * For SECONDS, opens and closes /dev/null in a loop while SIGALRM arrives
 * every 200 us; its handler always siglongjmps back to the loop's head.
 * Prints "opens N jumps J": N counts the open() calls that returned (each
 * passed the shim's wrapper completely), J the jumps taken.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf again;
static volatile sig_atomic_t armed;

static void on_alarm(int sig)
{
	(void)sig;
	if (armed)
		siglongjmp(again, 1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	struct sigaction sa = {.sa_handler = on_alarm};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 200}, {0, 200}};
	setitimer(ITIMER_REAL, &it, NULL);
	static volatile long opens, jumps;
	double end = now() + secs;
	if (sigsetjmp(again, 1)) {
		jumps++;
		/* A jump between open and close leaks the descriptor. */
		syscall(SYS_close_range, 3u, ~0u, 0);
	}
	armed = 1;
	while (now() < end) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			opens++;
			close(fd);
		}
	}
	armed = 0;
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &off, NULL);
	printf("opens %ld jumps %ld\n", opens, jumps);
	return 0;
}
