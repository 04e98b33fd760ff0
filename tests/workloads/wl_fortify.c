/*
 * wl_fortify.c - the fortified entry points (__open_2, __openat_2,
 * __read_chk), which programs built with -D_FORTIFY_SOURCE=2 call instead
 * of open, openat and read. This file is built with that flag
 * (tests/e2e.cmake); the flags argument is not a constant, so the compiler
 * cannot prove the call safe and keeps the checking entry point.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "tally.h"

#if !defined(__OPTIMIZE__) || !defined(_FORTIFY_SOURCE) || _FORTIFY_SOURCE < 2
#error "wl_fortify.c must be built with -O2 -D_FORTIFY_SOURCE=2"
#endif

void wl_fortified(struct wl_tally *t, const char *dir, const char *data);

void wl_fortified(struct wl_tally *t, const char *dir, const char *data)
{
	static volatile int rdonly = O_RDONLY; /* not a constant: __open_2 */
	static volatile size_t want = 64;      /* not a constant: __read_chk */
	char buf[128];

	int fd = open(data, rdonly); /* __open_2 */
	wl_did(t, WL_openat, 1, fd < 0);
	ssize_t n = read(fd, buf, want); /* __read_chk */
	wl_did(t, WL_read, 1, n < 0);
	wl_did(t, WL_close, 1, close(fd) != 0);

	int dfd = open(dir, rdonly | O_DIRECTORY); /* __open_2 */
	wl_did(t, WL_openat, 1, dfd < 0);
	fd = openat(dfd, "data", rdonly); /* __openat_2 */
	wl_did(t, WL_openat, 1, fd < 0);
	wl_did(t, WL_close, 1, close(fd) != 0);
	fd = openat(dfd, "missing", rdonly); /* __openat_2, ENOENT */
	wl_did(t, WL_openat, 1, fd < 0);
	wl_did(t, WL_close, 1, close(dfd) != 0);
}
