/*
 * rb_plant - plants a link and a garbage file where the shim is about to
 * create a child's segment, then lets the child start.
 *
 *   rb_plant TARGET LEAF N NOTES
 *
 * Runs under `syswatch run` (it reads SYSWATCH_SESSION). It forks with the
 * raw syscall (no atfork handler, so the child makes no segment of its
 * own); the child waits on a pipe and execs LEAF with raw syscalls. Before
 * letting it go, the parent creates, in the session directory, the names
 * the child's shim will try: <pid>.0.seg as a symlink to TARGET and
 * <pid>.1.seg as a regular file of garbage. The shim must step past both
 * (O_EXCL|O_NOFOLLOW); the collector must not follow the link, and must
 * refuse the garbage with a message, not crash.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "rb_tally.h"

extern char **environ;

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	const char *session = getenv("SYSWATCH_SESSION");
	if (session == NULL)
		return 3;
	int p[2];
	if (syscall(SYS_pipe2, p, O_CLOEXEC) != 0)
		return 4;
	long c = syscall(SYS_fork);
	if (c == 0) {
		char go;
		syscall(SYS_read, p[0], &go, 1);
		char *args[] = {argv[2], argv[3], argv[4], NULL};
		syscall(SYS_execve, argv[2], args, environ);
		rb_raw_exit(127);
	}
	if (c < 0)
		return 5;
	char name[4096];
	snprintf(name, sizeof name, "%s/%ld.0.seg", session, c);
	int r1 = symlink(argv[1], name);
	snprintf(name, sizeof name, "%s/%ld.1.seg", session, c);
	int fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd >= 0) {
		char junk[8192];
		for (size_t i = 0; i < sizeof junk; i++)
			junk[i] = (char)(i * 7 + 3);
		(void)!write(fd, junk, sizeof junk);
		close(fd);
	}
	rb_note(argv[4], "planted", r1 == 0 && fd >= 0);
	syscall(SYS_write, p[1], "g", 1);
	int st;
	pid_t w = waitpid((pid_t)c, &st, 0);
	return w == c && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 6;
}
