/*
 * rb_spawn - children started with posix_spawn and posix_spawnp.
 *
 *   rb_spawn N TALLY          parent: N children, alternately posix_spawn
 *                             (full path) and posix_spawnp (bare name, found
 *                             in PATH), each waited for
 *   rb_spawn child K TALLY    a child: K getcwd, one failing access, exit
 *
 * Every process appends its own tally (raw syscalls, unseen by the shim).
 * The parent puts its own directory first in PATH for posix_spawnp; the
 * environment is otherwise passed on unchanged, so children keep the shim.
 */
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "rb_tally.h"

extern char **environ;

static int child(int k, const char *tally_path)
{
	struct rb_tally *t = rb_tally_new();
	char buf[4096];
	for (int i = 0; i < k; i++) {
		char *ok = getcwd(buf, sizeof buf);
		rb_did(t, RB_getcwd, 1, ok == NULL);
	}
	int r = access("/nonexistent/rb_spawn", R_OK);
	rb_did(t, RB_access, 1, r != 0);
	rb_did(t, RB_exit_group, 1, 0); /* return from main: exit */
	rb_tally_write(tally_path, t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "child") == 0)
		return child(atoi(argv[2]), argv[3]);
	if (argc != 3)
		return 2;
	int n = atoi(argv[1]);
	struct rb_tally *t = rb_tally_new();

	/* PATH = our directory, for posix_spawnp of the bare name. */
	char self[4096];
	long len = syscall(SYS_readlink, "/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		return 3;
	self[len] = 0;
	char *slash = strrchr(self, '/');
	*slash = 0;
	const char *oldpath = getenv("PATH");
	char path[8192];
	snprintf(path, sizeof path, "%s:%s", self, oldpath ? oldpath : "/usr/bin:/bin");
	setenv("PATH", path, 1);
	*slash = '/';

	for (int i = 0; i < n; i++) {
		char kbuf[16];
		snprintf(kbuf, sizeof kbuf, "%d", 2 + i % 3);
		pid_t pid;
		int e;
		if (i % 2 == 0) {
			char *args[] = {self, "child", kbuf, argv[2], NULL};
			e = posix_spawn(&pid, self, NULL, NULL, args, environ);
		} else {
			char *args[] = {"rb_spawn", "child", kbuf, argv[2], NULL};
			e = posix_spawnp(&pid, "rb_spawn", NULL, NULL, args, environ);
		}
		rb_did(t, RB_clone3, 1, e != 0);
		if (e != 0)
			return 4;
		int st;
		pid_t w = waitpid(pid, &st, 0);
		rb_did(t, RB_wait4, 1, w != pid);
		if (w != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return 5;
	}
	rb_tally_write(argv[2], t);
	return 0;
}
