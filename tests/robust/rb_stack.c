/*
 * rb_stack - open/read/close a file N times, for the stacking test.
 *
 *   rb_stack N FILE TALLY
 *
 * Prints what the other preloaded library (librb_interpose.so, found with
 * dlsym) counted, so the test can tell it saw every call too.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

#include "rb_tally.h"

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int n = atoi(argv[1]);
	struct rb_tally *t = rb_tally_new();
	typedef void (*counts_fn)(uint64_t *, uint64_t *);
	counts_fn counts = (counts_fn)dlsym(RTLD_DEFAULT, "rb_ip_counts");
	uint64_t o0 = 0, r0 = 0, o1 = 0, r1 = 0;
	if (counts)
		counts(&o0, &r0);
	char buf[64];
	for (int i = 0; i < n; i++) {
		int fd = open(argv[2], O_RDONLY);
		rb_did(t, RB_openat, 1, fd < 0);
		ssize_t k = read(fd, buf, sizeof buf);
		rb_did(t, RB_read, 1, k < 0);
		int r = close(fd);
		rb_did(t, RB_close, 1, r != 0);
	}
	if (counts)
		counts(&o1, &r1);
	printf("interposer: %s; it saw %llu opens, %llu reads of the %d each made\n",
	       counts ? "loaded" : "absent", (unsigned long long)(o1 - o0),
	       (unsigned long long)(r1 - r0), n);
	rb_did(t, RB_exit_group, 0, 0);
	rb_tally_write(argv[3], t);
	return 0;
}
