/*
 * libc_protos.h - prototypes of glibc entry points that its 2.36 headers
 * no longer declare (the fortified opens and reads, the legacy __xstat
 * family), for the wrappers and the tests that call them.
 */
#ifndef SW_PRELOAD_LIBC_PROTOS_H
#define SW_PRELOAD_LIBC_PROTOS_H

#include <sys/stat.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>

ssize_t __recvfrom_chk(int, void *, size_t, size_t, int, __SOCKADDR_ARG, socklen_t *);

int __open_2(const char *, int);
int __open64_2(const char *, int);
int __openat_2(int, const char *, int);
int __openat64_2(int, const char *, int);
ssize_t __read_chk(int, void *, size_t, size_t);
ssize_t __pread_chk(int, void *, size_t, off_t, size_t);
ssize_t __pread64_chk(int, void *, size_t, off64_t, size_t);
ssize_t __readlink_chk(const char *, char *, size_t, size_t);
ssize_t __readlinkat_chk(int, const char *, char *, size_t, size_t);
char *__getcwd_chk(char *, size_t, size_t);
struct pollfd;
struct timespec;
ssize_t __recv_chk(int, void *, size_t, size_t, int);
int __poll_chk(struct pollfd *, unsigned long, int, size_t);
int __ppoll_chk(struct pollfd *, unsigned long, const struct timespec *, const __sigset_t *,
		size_t);
int __xstat(int, const char *, struct stat *);
int __xstat64(int, const char *, struct stat64 *);
int __lxstat(int, const char *, struct stat *);
int __lxstat64(int, const char *, struct stat64 *);
int __fxstat(int, int, struct stat *);
int __fxstat64(int, int, struct stat64 *);
int __fxstatat(int, int, const char *, struct stat *, int);
int __fxstatat64(int, int, const char *, struct stat64 *, int);

#endif
