/*
 * rb_victim - a program whose collector gets killed while it runs.
 *
 *   rb_victim PIDFILE GOFILE
 *
 * Notes its pid, prints a line, then makes calls (getcwd, a write to
 * /dev/null, a 1 ms sleep) until GOFILE exists (checked with a raw
 * syscall), then 200 more iterations, prints a checksum of a fixed
 * computation and exits with status 5. Its output never depends on
 * timing, so it can be compared with an uninstrumented run.
 */
#include <stdlib.h>
#include <time.h>

#include "rb_tally.h"

static void calls(int devnull)
{
	char buf[4096];
	(void)!getcwd(buf, sizeof buf);
	(void)!write(devnull, "v", 1);
	struct timespec d = {0, 1000000};
	nanosleep(&d, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	printf("victim: started\n");
	fflush(stdout);
	rb_note(argv[1], "pid", (long)syscall(SYS_getpid));
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0)
		return 3;
	long waited = 0;
	while (syscall(SYS_faccessat, AT_FDCWD, argv[2], F_OK, 0) != 0 && waited < 20000) {
		calls(devnull);
		waited++;
	}
	uint64_t sum = 1;
	for (int i = 0; i < 200; i++) {
		calls(devnull);
		sum = sum * 6364136223846793005ull + (uint64_t)i;
	}
	printf("victim: %s, checksum %016llx\n", waited < 20000 ? "go seen" : "no go",
	       (unsigned long long)sum);
	return 5;
}
