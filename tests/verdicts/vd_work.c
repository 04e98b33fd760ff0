/*
 * vd_work - the workloads of the verdict scenarios (tests/verdicts/): each
 * mode does one thing an expert would recognise in a profile, so that the
 * verdict syswatch gives can be checked against what the program did.
 *
 * Usage: vd_work MODE ARGS...
 *   stat DIR N          N stat()s and open()s of files in DIR, half of them
 *                       missing (metadata only)
 *   read FILE N SIZE    N pread()s of SIZE bytes from FILE (data reads)
 *   dlopen LIB...       dlopen() every LIB (RTLD_NOW) and call its vd_id()
 *   retry N MS          connect N times to a closed loopback port, sleeping
 *                       MS, 2*MS, 4*MS ... (at most 8*MS) between tries
 *   serve MS            listen on 127.0.0.1, print the port, answer each
 *                       request after MS (the slow peer; run untraced)
 *   client PORT N       N request/answer exchanges with 127.0.0.1:PORT
 *   epoll N MS          N epoll_wait()s of MS on an event that never fires
 * Prints "vd_work: MODE done" and exits 0, or one line and exits 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "vd_work: %s: %s\n", what, strerror(errno));
	return 1;
}

static long num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *end || v < 0 ? -1 : v;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int do_stat(char **a)
{
	long n = num(a[1]);
	char path[4096];
	struct stat st;
	for (long i = 0; i < n; i++) {
		/* f0..f9 exist (the test makes them); m<i> never do. */
		if (i % 2)
			snprintf(path, sizeof(path), "%s/m%ld", a[0], i);
		else
			snprintf(path, sizeof(path), "%s/f%ld", a[0], (i / 2) % 10);
		if (i % 4 == 2) {
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return fail(path);
			close(fd);
		} else if (stat(path, &st) != 0 && !(i % 2 && errno == ENOENT)) {
			return fail(path);
		}
	}
	return 0;
}

static int do_read(char **a)
{
	long n = num(a[1]), size = num(a[2]);
	int fd = open(a[0], O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		return fail(a[0]);
	char *buf = malloc((size_t)size);
	long blocks = st.st_size / size;
	if (!buf || blocks < 1)
		return fail("buffer");
	for (long i = 0; i < n; i++)
		if (pread(fd, buf, (size_t)size, (i % blocks) * size) != size)
			return fail("pread");
	free(buf);
	close(fd);
	return 0;
}

static int do_dlopen(char **a)
{
	long sum = 0;
	for (int i = 0; a[i]; i++) {
		void *h = dlopen(a[i], RTLD_NOW | RTLD_LOCAL);
		long (*id)(void) = h ? (long (*)(void))dlsym(h, "vd_id") : NULL;
		if (!id) {
			fprintf(stderr, "vd_work: %s: %s\n", a[i], dlerror());
			return 1;
		}
		sum += id();
	}
	return sum < 0;
}

/* A loopback port nobody listens on: bound, never listening. */
static int closed_port(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)sa, sizeof(*sa)) != 0 ||
	    getsockname(s, (struct sockaddr *)sa, &len) != 0)
		return -1;
	return s;
}

static int do_retry(char **a)
{
	long n = num(a[0]), ms = num(a[1]), wait = ms;
	struct sockaddr_in sa;
	if (closed_port(&sa) < 0)
		return fail("closed port");
	for (long i = 0; i < n; i++) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0)
			return fail("socket");
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno != ECONNREFUSED)
			return fail("connect to a closed port");
		close(s);
		sleep_ms(wait);
		wait = wait * 2 > 8 * ms ? 8 * ms : wait * 2;
	}
	return 0;
}

static int do_serve(char **a)
{
	long ms = num(a[0]);
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int s = closed_port(&sa);
	if (s < 0 || listen(s, 8) != 0 || getsockname(s, (struct sockaddr *)&sa, &len) != 0)
		return fail("listen");
	printf("%d\n", ntohs(sa.sin_port));
	fflush(stdout);
	for (;;) {
		int c = accept(s, NULL, NULL);
		char buf[64];
		if (c < 0)
			return fail("accept");
		while (recv(c, buf, sizeof(buf), 0) > 0) {
			sleep_ms(ms);
			if (send(c, "pong\n", 5, MSG_NOSIGNAL) != 5)
				break;
		}
		close(c);
	}
}

static int do_client(char **a)
{
	long port = num(a[0]), n = num(a[1]);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return fail("connect");
	for (long i = 0; i < n; i++) {
		char buf[64];
		if (send(s, "ping\n", 5, MSG_NOSIGNAL) != 5 || recv(s, buf, sizeof(buf), 0) <= 0)
			return fail("exchange");
	}
	close(s);
	return 0;
}

static int do_epoll(char **a)
{
	long n = num(a[0]), ms = num(a[1]);
	int ep = epoll_create1(EPOLL_CLOEXEC), ev = eventfd(0, EFD_CLOEXEC);
	struct epoll_event e = {.events = EPOLLIN}, out;
	if (ep < 0 || ev < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, ev, &e) != 0)
		return fail("epoll");
	for (long i = 0; i < n; i++)
		if (epoll_wait(ep, &out, 1, (int)ms) != 0)
			return fail("epoll_wait");
	return 0;
}

static const struct mode {
	const char *name;
	int nargs; /* at least */
	int (*run)(char **args);
} modes[] = {
	{"stat", 2, do_stat},     {"read", 3, do_read},     {"dlopen", 1, do_dlopen},
	{"retry", 2, do_retry},   {"serve", 1, do_serve},   {"client", 2, do_client},
	{"epoll", 2, do_epoll},
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc >= 2 && i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(argv[1], modes[i].name) != 0)
			continue;
		if (argc - 2 < modes[i].nargs) {
			fprintf(stderr, "vd_work: %s needs %d arguments\n", argv[1], modes[i].nargs);
			return 1;
		}
		for (int k = 2; k < argc && strcmp(argv[1], "dlopen") != 0; k++)
			if (k > 2 && num(argv[k]) < 0) {
				fprintf(stderr, "vd_work: %s: not a number\n", argv[k]);
				return 1;
			}
		int rc = modes[i].run(argv + 2);
		if (rc == 0)
			printf("vd_work: %s done\n", argv[1]);
		return rc;
	}
	fprintf(stderr, "usage: vd_work stat|read|dlopen|retry|serve|client|epoll ARGS...\n");
	return 1;
}
