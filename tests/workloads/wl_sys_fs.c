/*
 * wl_sys_fs.c - the file and memory families of wl_sys (see wl_sys.c):
 * file systems, advice and space, times, the *at calls, xattrs, mounts,
 * vectored and pipe I/O, terminals; brk and sbrk, mremap and friends; and
 * the legacy __xstat family, bound to its GLIBC_2.2.5 version as a binary
 * built against an old glibc binds it.
 *
 * Calls whose outcome depends on the file system or on privileges (xattrs,
 * fallocate, handles, pkeys) may fail either way; strace and syswatch run
 * on the same directory, so their outcome is the same on both sides.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/fanotify.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/swap.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>
#include <utime.h>

#include "wl_sys.h"

/* What binaries built before glibc 2.33 call for stat, lstat and fstat. */
int old_xstat64(int, const char *, struct stat64 *);
int old_lxstat64(int, const char *, struct stat64 *);
int old_fxstat64(int, int, struct stat64 *);
int old_xstat(int, const char *, struct stat *);
__asm__(".symver old_xstat64, __xstat64@GLIBC_2.2.5");
__asm__(".symver old_lxstat64, __lxstat64@GLIBC_2.2.5");
__asm__(".symver old_fxstat64, __fxstat64@GLIBC_2.2.5");
__asm__(".symver old_xstat, __xstat@GLIBC_2.2.5");

static void path_in(char *out, const char *dir, const char *name)
{
	if ((size_t)snprintf(out, 4096, "%s/%s", dir, name) >= 4096)
		wls_die("path too long");
}

static const char *const missing = "/nonexistent-wl-sys/x";

/* File systems, advice and space, times, links and nodes: on a file made
 * (and removed) inside the iteration. */
static void files_meta(struct wls *w, const char *f, int fd)
{
	char other[4096], node[4096];
	path_in(other, w->dir, "other");
	path_in(node, w->dir, "node");
	struct statfs sf;
	struct statfs64 sf64;
	struct statvfs sv;
	struct statvfs64 sv64;
	WLS_OK(w, statfs, statfs(f, &sf) != 0);
	WLS_FAILS(w, statfs, statfs64(missing, &sf64) != 0);
	WLS_OK(w, fstatfs, fstatfs(fd, &sf) != 0);
	WLS_OK(w, fstatfs, fstatfs64(fd, &sf64) != 0);
	WLS_OK(w, statfs, statvfs(f, &sv) != 0);
	WLS_OK(w, statfs, statvfs64(f, &sv64) != 0);
	WLS_OK(w, fstatfs, fstatvfs(fd, &sv) != 0);
	WLS_FAILS(w, fstatfs, fstatvfs64(-1, &sv64) != 0);
	WLS_OK(w, flock, flock(fd, LOCK_EX) != 0);
	WLS_OK(w, flock, flock(fd, LOCK_UN) != 0);
	WLS_OK(w, fcntl, lockf(fd, F_TEST, 0) != 0);
	WLS_OK(w, fcntl, lockf64(fd, F_TLOCK, 0) != 0);
	WLS_OK(w, fcntl, lockf(fd, F_ULOCK, 0) != 0);
	WLS_OK(w, fadvise64, posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) != 0);
	WLS_FAILS(w, fadvise64, posix_fadvise64(-1, 0, 0, POSIX_FADV_NORMAL) != 0);
	int fa = fallocate(fd, 0, 0, 4096);
	WLS_ANY(w, fallocate, fa != 0); /* EOPNOTSUPP on some file systems */
	if (fa == 0)			/* else glibc would emulate it with writes */
		WLS_OK(w, fallocate, posix_fallocate(fd, 0, 8192) != 0);
	WLS_FAILS(w, fallocate, fallocate64(-1, 0, 0, 1) != 0);
	WLS_OK(w, readahead, readahead(fd, 0, 4096) != 0);
	WLS_OK(w, syncfs, syncfs(fd) != 0);
	WLS_OK(w, sync_file_range, sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) != 0);
	sync();
	wls_did(w, "sync", 0);
	WLS_OK(w, utimensat, utimensat(AT_FDCWD, f, NULL, 0) != 0);
	WLS_OK(w, utimensat, futimens(fd, NULL) != 0);
	WLS_OK(w, utimensat, utime(f, NULL) != 0);
	WLS_OK(w, utimensat, utimes(f, NULL) != 0);
	WLS_OK(w, utimensat, lutimes(f, NULL) != 0);
	WLS_OK(w, utimensat, futimes(fd, NULL) != 0);
	WLS_FAILS(w, utimensat, futimesat(AT_FDCWD, missing, NULL) != 0);
	WLS_OK(w, renameat, renameat2(AT_FDCWD, f, AT_FDCWD, other, 0) != 0);
	WLS_ANY(w, renameat2, renameat2(AT_FDCWD, other, AT_FDCWD, f, RENAME_NOREPLACE) != 0);
	if (access(f, F_OK) != 0) { /* no RENAME_NOREPLACE here: put it back */
		wls_did(w, "access", 1);
		WLS_OK(w, rename, rename(other, f) != 0);
	} else {
		wls_did(w, "access", 0);
	}
	WLS_OK(w, linkat, linkat(AT_FDCWD, f, AT_FDCWD, other, 0) != 0);
	WLS_OK(w, unlink, unlink(other) != 0);
	WLS_OK(w, symlinkat, symlinkat("file", AT_FDCWD, other) != 0);
	WLS_OK(w, fchownat,
	       fchownat(AT_FDCWD, other, (uid_t)-1, (gid_t)-1, AT_SYMLINK_NOFOLLOW) != 0);
	WLS_OK(w, unlink, unlink(other) != 0);
	WLS_OK(w, mknodat, mknod(node, S_IFIFO | 0600, 0) != 0);
	WLS_FAILS(w, mknodat, mknodat(AT_FDCWD, node, S_IFIFO | 0600, 0) != 0); /* EEXIST */
	WLS_OK(w, unlink, unlink(node) != 0);
	WLS_OK(w, mknodat, mkfifo(node, 0600) != 0);
	WLS_FAILS(w, mknodat, mkfifoat(AT_FDCWD, node, 0600) != 0);
	WLS_OK(w, unlink, unlink(node) != 0);
	WLS_FAILS(w, close_range, close_range(5, 2, 0) != 0); /* EINVAL */
	closefrom(100000);
	wls_did(w, "close_range", 0);
}

/* Attributes, mounts, vectored and pipe I/O, terminals, handles. */
static void files_more(struct wls *w, const char *f, int fd)
{
	char buf[256];
	struct iovec iov = {buf, 16};
	struct termios tio;
	WLS_ANY(w, setxattr, setxattr(f, "user.wl", "v", 1, 0) != 0);
	WLS_ANY(w, lsetxattr, lsetxattr(f, "user.wl", "v", 1, 0) != 0);
	WLS_ANY(w, fsetxattr, fsetxattr(fd, "user.wl", "v", 1, 0) != 0);
	WLS_ANY(w, getxattr, getxattr(f, "user.wl", buf, sizeof buf) < 0);
	WLS_ANY(w, lgetxattr, lgetxattr(f, "user.wl", buf, sizeof buf) < 0);
	WLS_ANY(w, fgetxattr, fgetxattr(fd, "user.wl", buf, sizeof buf) < 0);
	WLS_ANY(w, listxattr, listxattr(f, buf, sizeof buf) < 0);
	WLS_ANY(w, llistxattr, llistxattr(f, buf, sizeof buf) < 0);
	WLS_ANY(w, flistxattr, flistxattr(fd, buf, sizeof buf) < 0);
	WLS_ANY(w, removexattr, removexattr(f, "user.wl") != 0);
	WLS_FAILS(w, lremovexattr, lremovexattr(f, "user.wl") != 0); /* gone, or none */
	WLS_FAILS(w, fremovexattr, fremovexattr(fd, "user.wl") != 0);
	WLS_FAILS(w, mount, mount(missing, missing, "tmpfs", 0, NULL) != 0);
	WLS_FAILS(w, umount2, umount(missing) != 0);
	WLS_FAILS(w, umount2, umount2(missing, 0) != 0);
	WLS_FAILS(w, swapon, swapon(missing, 0) != 0);
	WLS_FAILS(w, swapoff, swapoff(missing) != 0);
	WLS_OK(w, pwritev, pwritev(fd, &iov, 1, 0) != 16);
	WLS_FAILS(w, pwritev, pwritev64(-1, &iov, 1, 0) < 0);
	WLS_OK(w, preadv2, preadv2(fd, &iov, 1, 0, 0) != 16);
	WLS_OK(w, pwritev2, pwritev2(fd, &iov, 1, 16, 0) != 16);
	int p[2], q[2];
	WLS_OK(w, pipe2, pipe2(p, O_CLOEXEC) != 0);
	WLS_OK(w, pipe2, pipe2(q, O_CLOEXEC) != 0);
	WLS_OK(w, vmsplice, vmsplice(p[1], &iov, 1, 0) != 16);
	WLS_OK(w, tee, tee(p[0], q[1], 16, 0) != 16);
	WLS_FAILS(w, tee, tee(-1, q[1], 16, 0) < 0);
	for (int i = 0; i < 2; i++) {
		WLS_OK(w, close, close(p[i]) != 0);
		WLS_OK(w, close, close(q[i]) != 0);
	}
	struct {
		struct file_handle fh;
		unsigned char space[128];
	} h = {.fh.handle_bytes = 128};
	int mnt;
	WLS_ANY(w, name_to_handle_at, name_to_handle_at(AT_FDCWD, f, &h.fh, &mnt, 0) != 0);
	WLS_FAILS(w, open_by_handle_at, open_by_handle_at(-1, &h.fh, O_RDONLY) < 0);
	WLS_FAILS(w, fanotify_init, fanotify_init(0xffffffff, 0) < 0);
	WLS_FAILS(w, fanotify_mark, fanotify_mark(-1, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, f) != 0);
	WLS_FAILS(w, ioctl, isatty(fd) == 0); /* ENOTTY: a file */
	WLS_FAILS(w, ioctl, tcgetattr(fd, &tio) != 0);
	WLS_FAILS(w, ioctl, tcgetpgrp(fd) < 0);
	WLS_FAILS(w, ioctl, tcsetpgrp(fd, 1) != 0);
	WLS_FAILS(w, ioctl, tcflush(fd, TCIFLUSH) != 0);
	WLS_FAILS(w, ioctl, tcdrain(fd) != 0);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	WLS_OK(w, epoll_create1, ep < 0);
	struct epoll_event ev;
	struct timespec zero = {0, 0};
	WLS_OK(w, epoll_pwait2, epoll_pwait2(ep, &ev, 1, &zero, NULL) != 0);
	WLS_OK(w, close, close(ep) != 0);
}

void wls_files(struct wls *w)
{
	char f[4096];
	path_in(f, w->dir, "file");
	int fd = open(f, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	WLS_OK(w, openat, fd < 0);
	files_meta(w, f, fd);
	files_more(w, f, fd);
	struct stat64 st64;
	struct stat st;
	WLS_OK(w, stat, old_xstat64(1, f, &st64) != 0);
	WLS_FAILS(w, stat, old_xstat(1, missing, &st) != 0);
	WLS_OK(w, lstat, old_lxstat64(1, f, &st64) != 0);
	WLS_OK(w, fstat, old_fxstat64(1, fd, &st64) != 0);
	WLS_FAILS(w, fstat, old_fxstat64(1, -1, &st64) != 0);
	WLS_OK(w, close, close(fd) != 0);
	WLS_OK(w, unlink, unlink(f) != 0);
}

void wls_memory(struct wls *w)
{
	long page = sysconf(_SC_PAGESIZE);
	void *cur = sbrk(0); /* glibc knows the break: no syscall */
	WLS_OK(w, brk, brk(cur) != 0);
	WLS_OK(w, brk, sbrk(page) == (void *)-1);
	WLS_OK(w, brk, sbrk(-page) == (void *)-1);
	char *m = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	WLS_OK(w, mmap, m == MAP_FAILED);
	char *r = mremap(m, (size_t)page * 2, (size_t)page * 4, MREMAP_MAYMOVE);
	WLS_OK(w, mremap, r == MAP_FAILED);
	unsigned char vec[4];
	WLS_OK(w, msync, msync(r, (size_t)page, MS_ASYNC) != 0);
	WLS_OK(w, mincore, mincore(r, (size_t)page * 4, vec) != 0);
	WLS_ANY(w, mlock, mlock(r, (size_t)page) != 0); /* RLIMIT_MEMLOCK */
	WLS_OK(w, munlock, munlock(r, (size_t)page) != 0);
	WLS_ANY(w, mlock2, mlock2(r, (size_t)page, MLOCK_ONFAULT) != 0);
	WLS_FAILS(w, mlockall, mlockall(0) != 0); /* EINVAL */
	WLS_OK(w, munlockall, munlockall() != 0);
	WLS_FAILS(w, remap_file_pages, remap_file_pages((void *)1, 4096, 0, 0, 0) != 0);
	int key = pkey_alloc(0, 0);
	WLS_ANY(w, pkey_alloc, key < 0); /* no protection keys on this CPU */
	if (key >= 0) {
		WLS_OK(w, pkey_mprotect, pkey_mprotect(r, (size_t)page, PROT_READ, key) != 0);
		WLS_OK(w, pkey_free, pkey_free(key) != 0);
	}
	/* key -1: glibc calls mprotect */
	WLS_OK(w, mprotect, pkey_mprotect(r, (size_t)page, PROT_READ, -1) != 0);
	WLS_OK(w, madvise, posix_madvise(r, (size_t)page, POSIX_MADV_SEQUENTIAL) != 0);
	(void)posix_madvise(r, (size_t)page, POSIX_MADV_DONTNEED); /* a no-op in glibc */
	WLS_OK(w, munmap, munmap(r, (size_t)page * 4) != 0);
	int fd = memfd_create("wl_sys", MFD_CLOEXEC);
	WLS_OK(w, memfd_create, fd < 0);
	WLS_OK(w, close, close(fd) != 0);
}
