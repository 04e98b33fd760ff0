/*
 * sel_mix - N iterations of calls from every strace class, for the
 * selector tests (tests/e2e/test_selectors.c):
 *
 *   sel_mix N
 *
 * Per iteration: %file (openat, newfstatat, access), %desc (read, lseek,
 * dup, pipe2, write, close), %memory (mmap, mprotect, munmap), %network
 * (socketpair, sendto, recvfrom, getsockopt, connect, shutdown), %signal
 * and %process (kill, wait4) and %ipc (shmget, shmctl: strace sees them,
 * syswatch has no row for them). Some calls fail on purpose, and the rows
 * get different counts, so that sorting by calls or errors has an order
 * to check. Nothing is written to stdout.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void iteration(const char *self)
{
	char buf[512];
	struct stat st;

	/* %file */
	int fd = open(self, O_RDONLY);
	(void)!fstat(fd, &st);
	(void)!stat("/nonexistent/sel_mix", &st);   /* fails */
	(void)!access("/nonexistent/sel_mix", F_OK); /* fails */

	/* %desc: 2 reads (1 fails), 4 lseeks (2 fail), 3 dups */
	(void)!read(fd, buf, sizeof buf);
	(void)!read(-1, buf, 1);
	for (int i = 0; i < 2; i++)
		(void)!lseek(fd, 0, SEEK_SET);
	for (int i = 0; i < 2; i++)
		(void)!lseek(fd, -1, SEEK_SET);
	for (int i = 0; i < 3; i++)
		close(dup(fd));
	int p[2];
	if (pipe2(p, O_CLOEXEC) == 0) {
		(void)!write(p[1], "x", 1);
		close(p[0]);
		close(p[1]);
	}
	close(fd);

	/* %memory */
	char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m != MAP_FAILED) {
		mprotect(m, 4096, PROT_READ);
		munmap(m, 8192);
	}

	/* %network: 5 sendto, 4 recvfrom, 2 getsockopt, connect fails */
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) == 0) {
		for (int i = 0; i < 5; i++)
			(void)!sendto(sv[0], "y", 1, 0, NULL, 0);
		for (int i = 0; i < 4; i++)
			(void)!recvfrom(sv[1], buf, sizeof buf, 0, NULL, NULL);
		int v;
		socklen_t vl = sizeof v;
		getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &vl);
		getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &vl);
		struct sockaddr sa = {.sa_family = AF_UNIX};
		(void)!connect(sv[0], &sa, sizeof(sa.sa_family)); /* fails */
		shutdown(sv[0], SHUT_RDWR);
		close(sv[0]);
		close(sv[1]);
	}

	/* %signal and %process: kill twice (once failing), wait4 fails */
	kill(getpid(), 0);
	kill(INT_MAX, 0);
	int status;
	(void)!wait4(-1, &status, WNOHANG, NULL); /* ECHILD */

	/* %ipc */
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sel_mix N\n");
		return 2;
	}
	long n = atol(argv[1]);
	for (long i = 0; i < n; i++)
		iteration(argv[0]);
	return 0;
}
