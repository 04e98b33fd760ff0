/*
 * wl_procs.c - threads, fork, vfork + exec, posix_spawn, signal handlers and a fully
 * blocked mask under complete mode: each of them must behave as without
 * the shim (the clone stub, the fork child, SIGSYS never blocked).
 * Usage: wl_procs N. Exits 0 when every check holds.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static volatile sig_atomic_t got;

static void on_usr1(int s)
{
	(void)s;
	got++;
	(void)write(1, "", 0); /* a syscall inside the handler */
}

static void *reader(void *arg)
{
	char line[256];
	FILE *f = fopen("/etc/passwd", "r");
	if (f == NULL)
		return NULL;
	while (fgets(line, sizeof line, f) != NULL)
		;
	fclose(f);
	return arg;
}

/* vfork and exec /bin/true (out of line: vfork returns twice, which
 * would clobber the caller's loop variables). 0 when it ran and exited 0. */
__attribute__((noinline)) static int vfork_true(void)
{
	int st;
	pid_t p = vfork();
	if (p == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	return p < 0 || waitpid(p, &st, 0) != p || st != 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	signal(SIGUSR1, on_usr1);
	for (long i = 0; i < n; i++) {
		raise(SIGUSR1);
		pthread_t t[4];
		static int tags[4];
		for (int k = 0; k < 4; k++)
			if (pthread_create(&t[k], NULL, reader, &tags[k]) != 0)
				return 2;
		for (int k = 0; k < 4; k++) {
			void *r;
			if (pthread_join(t[k], &r) != 0 || r != &tags[k])
				return 3;
		}
		int st;
		pid_t p = fork();
		if (p == 0)
			_exit(getppid() > 0 ? 7 : 8);
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 7)
			return 4;
		if (vfork_true() != 0)
			return 7;
		char *av[] = {"true", NULL};
		if (posix_spawn(&p, "/bin/true", NULL, NULL, av, environ) != 0 ||
		    waitpid(p, &st, 0) != p || st != 0)
			return 5;
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		(void)getppid();
		sigprocmask(SIG_UNBLOCK, &all, NULL);
	}
	printf("handled %d signals\n", (int)got);
	return got == n ? 0 : 6;
}
