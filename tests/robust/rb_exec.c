/*
 * rb_exec_a, rb_exec_b, rb_exec_c - an exec chain three images deep, one
 * source built three times (RB_STAGE 'a', 'b', 'c').
 *
 *   rb_exec_a N DIR TALLY PIDS
 *
 * a: N getcwd, then execv(DIR/rb_exec_b)
 * b: N failing access, an execv of a missing file (fails, ENOENT), then
 *    execve(DIR/rb_exec_c, environ)
 * c: opens /dev/null, N writes to it, closes it, exits with status 7
 *
 * Each image appends its tally and "stage pid" to PIDS with raw syscalls.
 */
#include <errno.h>
#include <stdlib.h>

#include "rb_tally.h"

#ifndef RB_STAGE
#error "build with -DRB_STAGE='a', 'b' or 'c'"
#endif

extern char **environ;

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	int n = atoi(argv[1]);
	const char *dir = argv[2], *tally_path = argv[3], *pids = argv[4];
	struct rb_tally *t = rb_tally_new();
	char tag[] = {'p', 'i', 'd', '-', RB_STAGE, 0};
	rb_note(pids, tag, (long)syscall(SYS_getpid));
	char next[4096];
	char buf[4096];

	switch (RB_STAGE) {
	case 'a': {
		for (int i = 0; i < n; i++) {
			char *ok = getcwd(buf, sizeof buf);
			rb_did(t, RB_getcwd, 1, ok == NULL);
		}
		snprintf(next, sizeof next, "%s/rb_exec_b", dir);
		rb_did(t, RB_execve, 1, 0); /* counted before it is attempted */
		rb_tally_write(tally_path, t);
		char *args[] = {"rb_exec_b", argv[1], argv[2], argv[3], argv[4], NULL};
		execv(next, args);
		return 3;
	}
	case 'b': {
		for (int i = 0; i < n; i++) {
			int r = access("/nonexistent/rb_exec", F_OK);
			rb_did(t, RB_access, 1, r != 0);
		}
		snprintf(next, sizeof next, "%s/rb_exec_missing", dir);
		char *args0[] = {"rb_exec_missing", NULL};
		int r = execv(next, args0);
		rb_did(t, RB_execve, 1, r != 0);
		if (r == 0 || errno != ENOENT)
			return 4;
		snprintf(next, sizeof next, "%s/rb_exec_c", dir);
		rb_did(t, RB_execve, 1, 0);
		rb_tally_write(tally_path, t);
		char *args[] = {"rb_exec_c", argv[1], argv[2], argv[3], argv[4], NULL};
		execve(next, args, environ);
		return 5;
	}
	case 'c': {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		rb_did(t, RB_openat, 1, fd < 0);
		for (int i = 0; i < n; i++) {
			ssize_t w = write(fd, "c", 1);
			rb_did(t, RB_write, 1, w != 1);
		}
		int r = close(fd);
		rb_did(t, RB_close, 1, r != 0);
		rb_did(t, RB_exit_group, 1, 0);
		rb_tally_write(tally_path, t);
		return 7;
	}
	}
	return 6;
}
