/*
 * rb_clearenv - a program that starts a child with an environment that no
 * longer carries the shim.
 *
 *   rb_clearenv MODE LEAF N NOTES
 *
 * MODE execve: fork, and the child execve(LEAF, ..., {NULL})
 *      spawn:  posix_spawn(LEAF, ..., {NULL})
 *      system: unsetenv("LD_PRELOAD"), then system("LEAF N NOTES")
 * LEAF (rb_leaf) makes N getcwd calls and notes its pid and tally itself.
 * The parent's own tally goes to NOTES.parent.
 */
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "rb_tally.h"

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	const char *mode = argv[1], *leaf = argv[2], *n = argv[3], *notes = argv[4];
	struct rb_tally *t = rb_tally_new();
	char *args[] = {(char *)leaf, (char *)n, (char *)notes, NULL};
	char *empty[] = {NULL};
	int st = -1;

	if (strcmp(mode, "execve") == 0) {
		pid_t c = fork();
		if (c != 0)
			rb_did(t, RB_clone, 1, c < 0);
		if (c == 0) {
			rb_did(t, RB_execve, 1, 0); /* counted before the attempt */
			execve(leaf, args, empty);
			rb_raw_exit(127);
		}
		pid_t w = waitpid(c, &st, 0);
		rb_did(t, RB_wait4, 1, w != c);
	} else if (strcmp(mode, "spawn") == 0) {
		pid_t c;
		int e = posix_spawn(&c, leaf, NULL, NULL, args, empty);
		rb_did(t, RB_clone3, 1, e != 0);
		if (e != 0)
			return 3;
		pid_t w = waitpid(c, &st, 0);
		rb_did(t, RB_wait4, 1, w != c);
	} else if (strcmp(mode, "system") == 0) {
		char cmd[8192];
		snprintf(cmd, sizeof cmd, "%s %s %s", leaf, n, notes);
		unsetenv("LD_PRELOAD");
		st = system(cmd);
		rb_did(t, RB_system, 1, st == -1);
	} else {
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s.parent", notes);
	rb_tally_write(path, t);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 4;
}
