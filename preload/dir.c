/*
 * dir.c - peeking into stdio and dirent state to count what they issue.
 *
 * readdir() issues getdents64 only when its buffer is used up. glibc 2.36
 * keeps the buffer's fill and read offset in struct __dirstream (private,
 * unchanged since 2.3): fd, lock, allocation, size, offset. We read those
 * two fields, and only after checking the layout against dirfd(), so that
 * an unexpected libc makes us count nothing rather than something wrong.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>

#include "shim.h"

struct glibc_dirstream {
	int fd;
	int lock;
	size_t allocation;
	size_t size;
	size_t offset;
};

int sw__dir_will_refill(DIR *d) SW_HIDDEN;
int sw__file_has_fd(FILE *f) SW_HIDDEN;
int sw__dir_fd(DIR *d) SW_HIDDEN;
int sw__file_fd(FILE *f) SW_HIDDEN;

/* Whether readdir(d) will call getdents64 now. Signal-safe. */
int sw__dir_will_refill(DIR *d)
{
	if (d == NULL)
		return 0;
	const struct glibc_dirstream *g = (const void *)d;
	if (g->fd != dirfd(d) || g->size > g->allocation || g->offset > g->allocation + 4096)
		return 0;
	return g->offset >= g->size;
}

/* Whether fclose(f) will close a descriptor (fmemopen streams have none). */
int sw__file_has_fd(FILE *f)
{
	return f != NULL && fileno(f) >= 0;
}

/* dirfd() that accepts NULL (closedir(NULL) must reach libc unharmed). */
int sw__dir_fd(DIR *d)
{
	return d != NULL ? dirfd(d) : -1;
}

/* fileno() that accepts NULL; may set errno (the wrapper restores it). */
int sw__file_fd(FILE *f)
{
	return f != NULL ? fileno(f) : -1;
}
