/*
 * rb_leaf - the last program of a chain: N getcwd calls, then it notes its
 * pid and its tally in NOTES (raw syscalls), and exits 0.
 *
 *   rb_leaf N NOTES
 *
 * It takes everything from argv, nothing from the environment, so it
 * works the same when its parent cleared the environment.
 */
#include <stdlib.h>

#include "rb_tally.h"

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int n = atoi(argv[1]);
	struct rb_tally *t = rb_tally_new();
	char buf[4096];
	for (int i = 0; i < n; i++) {
		char *ok = getcwd(buf, sizeof buf);
		rb_did(t, RB_getcwd, 1, ok == NULL);
	}
	rb_did(t, RB_exit_group, 1, 0);
	rb_note(argv[2], "pid-leaf", (long)syscall(SYS_getpid));
	char tally[4096];
	snprintf(tally, sizeof tally, "%s.tally", argv[2]);
	rb_tally_write(tally, t);
	return 0;
}
