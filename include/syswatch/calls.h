/*
 * calls.h - the call table: every libc entry point the shim wraps.
 *
 * This is the single source of truth (DESIGN.md, decision 5). The shim
 * expands it into the wrappers and the symbol resolver, the collector into
 * function names, the tests into per-wrapper checks.
 *
 * SW_CALL(name, ret, row, err, cap, va, params, args, gate, also, also_n)
 *   name    the exported symbol
 *   ret     return type
 *   row     the report row (rows.h) it is counted under: the syscall glibc
 *           2.36 on x86-64 really issues for it
 *   err     how failure shows: NEG (-1, errno set), POS (an error number
 *           returned, 0 on success), NUL (NULL), MAPF (MAP_FAILED), NONE;
 *           FOPEN and FDOPENDIR tell glibc's own argument checks (no
 *           syscall, or a successful one) from a failed syscall
 *   cap     what the event records, evaluated before the real call:
 *           CAP_NONE, CAP_FD(fd), CAP_PATH(path), CAP_AT(dirfd, path),
 *           CAP_ADDR(addr), CAP_SA(fd, sockaddr, len) (the peer or local
 *           address of connect/bind/sendto, kept as raw sockaddr bytes)
 *   va      how trailing variadic arguments are fetched: VA_NONE,
 *           VA_MODE(flagsarg) (open's mode), VA_ARG(lastarg) (fcntl/ioctl)
 *   params  the parameter list, arguments named a0..a5 (and va)
 *   args    the arguments passed to the real function
 *   gate    expression deciding whether this call is counted at all
 *           (readdir counts only the calls that refill with getdents64)
 *   also    a second row this call issues on success (opendir also issues
 *           newfstatat), or none; also_n how many such calls
 *
 * Symbols that exist only as compatibility versions in glibc 2.36 (the
 * __xstat family) are resolved with dlvsym; see preload/resolve.c.
 *
 * The table continues in calls_sys.h (signals, the process's attributes,
 * more file calls, IPC); COVERAGE.md says which entry points are wrapped
 * and which are left out, and why.
 */
#ifndef SYSWATCH_CALLS_H
#define SYSWATCH_CALLS_H

/* clang-format off */
#define SW_CALLS_FS(X) \
 X(open,        int, openat, NEG, CAP_PATH(a0), VA_MODE(a1), (const char *a0, int a1, ...), (a0, a1, va), 1, none, 0) \
 X(open64,      int, openat, NEG, CAP_PATH(a0), VA_MODE(a1), (const char *a0, int a1, ...), (a0, a1, va), 1, none, 0) \
 X(openat,      int, openat, NEG, CAP_AT(a0, a1), VA_MODE(a2), (int a0, const char *a1, int a2, ...), (a0, a1, a2, va), 1, none, 0) \
 X(openat64,    int, openat, NEG, CAP_AT(a0, a1), VA_MODE(a2), (int a0, const char *a1, int a2, ...), (a0, a1, a2, va), 1, none, 0) \
 X(__open_2,    int, openat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, int a1), (a0, a1), 1, none, 0) \
 X(__open64_2,  int, openat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, int a1), (a0, a1), 1, none, 0) \
 X(__openat_2,  int, openat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(__openat64_2, int, openat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(creat,       int, creat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, mode_t a1), (a0, a1), 1, none, 0) \
 X(creat64,     int, creat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, mode_t a1), (a0, a1), 1, none, 0) \
 X(read,        ssize_t, read, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(__read_chk,  ssize_t, read, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2, size_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(pread,       ssize_t, pread64, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2, off_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(pread64,     ssize_t, pread64, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2, off64_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(readv,       ssize_t, readv, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(preadv,      ssize_t, preadv, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, int a2, off_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(preadv64,    ssize_t, preadv, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, int a2, off64_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(write,       ssize_t, write, NEG, CAP_FD(a0), VA_NONE, (int a0, const void *a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(pwrite,      ssize_t, pwrite64, NEG, CAP_FD(a0), VA_NONE, (int a0, const void *a1, size_t a2, off_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(pwrite64,    ssize_t, pwrite64, NEG, CAP_FD(a0), VA_NONE, (int a0, const void *a1, size_t a2, off64_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(writev,      ssize_t, writev, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(close,       int, close, NEG, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, none, 0) \
 X(lseek,       off_t, lseek, NEG, CAP_FD(a0), VA_NONE, (int a0, off_t a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(lseek64,     off64_t, lseek, NEG, CAP_FD(a0), VA_NONE, (int a0, off64_t a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(stat,        int, newfstatat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, struct stat *a1), (a0, a1), 1, none, 0) \
 X(stat64,      int, newfstatat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, struct stat64 *a1), (a0, a1), 1, none, 0) \
 X(lstat,       int, newfstatat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, struct stat *a1), (a0, a1), 1, none, 0) \
 X(lstat64,     int, newfstatat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, struct stat64 *a1), (a0, a1), 1, none, 0) \
 X(fstat,       int, newfstatat, NEG, CAP_FD(a0), VA_NONE, (int a0, struct stat *a1), (a0, a1), 1, none, 0) \
 X(fstat64,     int, newfstatat, NEG, CAP_FD(a0), VA_NONE, (int a0, struct stat64 *a1), (a0, a1), 1, none, 0) \
 X(fstatat,     int, newfstatat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, struct stat *a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(fstatat64,   int, newfstatat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, struct stat64 *a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(__xstat,     int, stat, NEG, CAP_PATH(a1), VA_NONE, (int a0, const char *a1, struct stat *a2), (a0, a1, a2), 1, none, 0) \
 X(__xstat64,   int, stat, NEG, CAP_PATH(a1), VA_NONE, (int a0, const char *a1, struct stat64 *a2), (a0, a1, a2), 1, none, 0) \
 X(__lxstat,    int, lstat, NEG, CAP_PATH(a1), VA_NONE, (int a0, const char *a1, struct stat *a2), (a0, a1, a2), 1, none, 0) \
 X(__lxstat64,  int, lstat, NEG, CAP_PATH(a1), VA_NONE, (int a0, const char *a1, struct stat64 *a2), (a0, a1, a2), 1, none, 0) \
 X(__fxstat,    int, fstat, NEG, CAP_FD(a1), VA_NONE, (int a0, int a1, struct stat *a2), (a0, a1, a2), 1, none, 0) \
 X(__fxstat64,  int, fstat, NEG, CAP_FD(a1), VA_NONE, (int a0, int a1, struct stat64 *a2), (a0, a1, a2), 1, none, 0) \
 X(__fxstatat,  int, newfstatat, NEG, CAP_AT(a1, a2), VA_NONE, (int a0, int a1, const char *a2, struct stat *a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(__fxstatat64, int, newfstatat, NEG, CAP_AT(a1, a2), VA_NONE, (int a0, int a1, const char *a2, struct stat64 *a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(statx,       int, statx, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, int a2, unsigned int a3, struct statx *a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(access,      int, access, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, int a1), (a0, a1), 1, none, 0) \
 X(faccessat,   int, faccessat2, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, int a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(readlink,    ssize_t, readlink, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, char *a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(readlinkat,  ssize_t, readlinkat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, char *a2, size_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(getcwd,      char *, getcwd, NUL, CAP_NONE, VA_NONE, (char *a0, size_t a1), (a0, a1), 1, none, 0) \
 X(opendir,     DIR *, openat, NUL, CAP_PATH(a0), VA_NONE, (const char *a0), (a0), 1, newfstatat, 1) \
 X(fdopendir,   DIR *, newfstatat, FDOPENDIR, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, fcntl, 2) \
 X(readdir,     struct dirent *, getdents64, NONE, CAP_DIR(a0), VA_NONE, (DIR *a0), (a0), sw__dir_will_refill(a0), none, 0) \
 X(readdir64,   struct dirent64 *, getdents64, NONE, CAP_DIR(a0), VA_NONE, (DIR *a0), (a0), sw__dir_will_refill(a0), none, 0) \
 X(closedir,    int, close, NEG, CAP_DIR(a0), VA_NONE, (DIR *a0), (a0), 1, none, 0) \
 X(fopen,       FILE *, openat, FOPEN, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1), (a0, a1), 1, none, 0) \
 X(fopen64,     FILE *, openat, FOPEN, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1), (a0, a1), 1, none, 0) \
 X(fclose,      int, close, NEG, CAP_FILE(a0), VA_NONE, (FILE *a0), (a0), sw__file_has_fd(a0), none, 0) \
 X(unlink,      int, unlink, NEG, CAP_PATH(a0), VA_NONE, (const char *a0), (a0), 1, none, 0) \
 X(unlinkat,    int, unlinkat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(rename,      int, rename, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1), (a0, a1), 1, none, 0) \
 X(renameat,    int, renameat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, int a2, const char *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(mkdir,       int, mkdir, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, mode_t a1), (a0, a1), 1, none, 0) \
 X(mkdirat,     int, mkdirat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, mode_t a2), (a0, a1, a2), 1, none, 0) \
 X(rmdir,       int, rmdir, NEG, CAP_PATH(a0), VA_NONE, (const char *a0), (a0), 1, none, 0) \
 X(fsync,       int, fsync, NEG, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, none, 0) \
 X(fdatasync,   int, fdatasync, NEG, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, none, 0) \
 X(ftruncate,   int, ftruncate, NEG, CAP_FD(a0), VA_NONE, (int a0, off_t a1), (a0, a1), 1, none, 0) \
 X(ftruncate64, int, ftruncate, NEG, CAP_FD(a0), VA_NONE, (int a0, off64_t a1), (a0, a1), 1, none, 0) \
 X(fcntl,       int, fcntl, NEG, CAP_FD(a0), VA_ARG(a1), (int a0, int a1, ...), (a0, a1, va), 1, none, 0) \
 X(fcntl64,     int, fcntl, NEG, CAP_FD(a0), VA_ARG(a1), (int a0, int a1, ...), (a0, a1, va), 1, none, 0) \
 X(ioctl,       int, ioctl, NEG, CAP_FD(a0), VA_ARG(a1), (int a0, unsigned long a1, ...), (a0, a1, va), 1, none, 0) \
 X(dup,         int, dup, NEG, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, none, 0) \
 X(dup2,        int, dup2, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1), (a0, a1), 1, none, 0) \
 X(dup3,        int, dup3, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(pipe,        int, pipe2, NEG, CAP_NONE, VA_NONE, (int a0[2]), (a0), 1, none, 0) \
 X(pipe2,       int, pipe2, NEG, CAP_NONE, VA_NONE, (int a0[2], int a1), (a0, a1), 1, none, 0) \
 X(__pread_chk, ssize_t, pread64, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2, off_t a3, size_t a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(__pread64_chk, ssize_t, pread64, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2, off64_t a3, size_t a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(__readlink_chk, ssize_t, readlink, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, char *a1, size_t a2, size_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(__readlinkat_chk, ssize_t, readlinkat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, char *a2, size_t a3, size_t a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(__getcwd_chk, char *, getcwd, NUL, CAP_NONE, VA_NONE, (char *a0, size_t a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(chdir,       int, chdir, NEG, CAP_PATH(a0), VA_NONE, (const char *a0), (a0), 1, none, 0) \
 X(fchdir,      int, fchdir, NEG, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, none, 0) \
 X(chmod,       int, chmod, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, mode_t a1), (a0, a1), 1, none, 0) \
 X(fchmod,      int, fchmod, NEG, CAP_FD(a0), VA_NONE, (int a0, mode_t a1), (a0, a1), 1, none, 0) \
 X(fchmodat,    int, fchmodat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, mode_t a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(chown,       int, chown, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, uid_t a1, gid_t a2), (a0, a1, a2), 1, none, 0) \
 X(lchown,      int, lchown, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, uid_t a1, gid_t a2), (a0, a1, a2), 1, none, 0) \
 X(fchown,      int, fchown, NEG, CAP_FD(a0), VA_NONE, (int a0, uid_t a1, gid_t a2), (a0, a1, a2), 1, none, 0) \
 X(symlink,     int, symlink, NEG, CAP_PATH(a1), VA_NONE, (const char *a0, const char *a1), (a0, a1), 1, none, 0) \
 X(link,        int, link, NEG, CAP_PATH(a1), VA_NONE, (const char *a0, const char *a1), (a0, a1), 1, none, 0) \
 X(truncate,    int, truncate, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, off_t a1), (a0, a1), 1, none, 0) \
 X(truncate64,  int, truncate, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, off64_t a1), (a0, a1), 1, none, 0) \
 X(getdents64,  ssize_t, getdents64, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(sendfile,    ssize_t, sendfile, NEG, CAP_FD(a1), VA_NONE, (int a0, int a1, off_t *a2, size_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(sendfile64,  ssize_t, sendfile, NEG, CAP_FD(a1), VA_NONE, (int a0, int a1, off64_t *a2, size_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(copy_file_range, ssize_t, copy_file_range, NEG, CAP_FD(a0), VA_NONE, (int a0, off64_t *a1, int a2, off64_t *a3, size_t a4, unsigned int a5), (a0, a1, a2, a3, a4, a5), 1, none, 0) \
 X(splice,      ssize_t, splice, NEG, CAP_FD(a0), VA_NONE, (int a0, off64_t *a1, int a2, off64_t *a3, size_t a4, unsigned int a5), (a0, a1, a2, a3, a4, a5), 1, none, 0) \
 X(eventfd,     int, eventfd2, NEG, CAP_NONE, VA_NONE, (unsigned int a0, int a1), (a0, a1), 1, none, 0) \
 X(inotify_init, int, inotify_init, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(inotify_init1, int, inotify_init1, NEG, CAP_NONE, VA_NONE, (int a0), (a0), 1, none, 0) \
 X(inotify_add_watch, int, inotify_add_watch, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, uint32_t a2), (a0, a1, a2), 1, none, 0) \
 X(inotify_rm_watch, int, inotify_rm_watch, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1), (a0, a1), 1, none, 0)

#define SW_CALLS_MEM(X) \
 X(mmap,        void *, mmap, MAPF, CAP_FD(a4), VA_NONE, (void *a0, size_t a1, int a2, int a3, int a4, off_t a5), (a0, a1, a2, a3, a4, a5), 1, none, 0) \
 X(mmap64,      void *, mmap, MAPF, CAP_FD(a4), VA_NONE, (void *a0, size_t a1, int a2, int a3, int a4, off64_t a5), (a0, a1, a2, a3, a4, a5), 1, none, 0) \
 X(munmap,      int, munmap, NEG, CAP_ADDR(a0), VA_NONE, (void *a0, size_t a1), (a0, a1), 1, none, 0) \
 X(mprotect,    int, mprotect, NEG, CAP_ADDR(a0), VA_NONE, (void *a0, size_t a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(madvise,     int, madvise, NEG, CAP_ADDR(a0), VA_NONE, (void *a0, size_t a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(brk,         int, brk, NEG, CAP_ADDR(a0), VA_NONE, (void *a0), (a0), 1, none, 0) \
 X(sbrk,        void *, brk, MAPF, CAP_NONE, VA_NONE, (intptr_t a0), (a0), sw__sbrk_issues(a0), none, 0) \
 X(mremap,      void *, mremap, MAPF, CAP_ADDR(a0), VA_ARG(a3), (void *a0, size_t a1, size_t a2, int a3, ...), (a0, a1, a2, a3, va), 1, none, 0) \
 X(msync,       int, msync, NEG, CAP_ADDR(a0), VA_NONE, (void *a0, size_t a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(mincore,     int, mincore, NEG, CAP_ADDR(a0), VA_NONE, (void *a0, size_t a1, unsigned char *a2), (a0, a1, a2), 1, none, 0) \
 X(mlock,       int, mlock, NEG, CAP_ADDR(a0), VA_NONE, (const void *a0, size_t a1), (a0, a1), 1, none, 0) \
 X(mlock2,      int, mlock2, NEG, CAP_ADDR(a0), VA_NONE, (const void *a0, size_t a1, unsigned int a2), (a0, a1, a2), 1, none, 0) \
 X(munlock,     int, munlock, NEG, CAP_ADDR(a0), VA_NONE, (const void *a0, size_t a1), (a0, a1), 1, none, 0) \
 X(mlockall,    int, mlockall, NEG, CAP_NONE, VA_NONE, (int a0), (a0), 1, none, 0) \
 X(munlockall,  int, munlockall, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(remap_file_pages, int, remap_file_pages, NEG, CAP_ADDR(a0), VA_NONE, (void *a0, size_t a1, int a2, size_t a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(pkey_alloc,  int, pkey_alloc, NEG, CAP_NONE, VA_NONE, (unsigned int a0, unsigned int a1), (a0, a1), 1, none, 0) \
 X(pkey_free,   int, pkey_free, NEG, CAP_NONE, VA_NONE, (int a0), (a0), 1, none, 0) \
 X(memfd_create, int, memfd_create, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, unsigned int a1), (a0, a1), 1, none, 0) \
 X(posix_madvise, int, madvise, POS, CAP_ADDR(a0), VA_NONE, (void *a0, size_t a1, int a2), (a0, a1, a2), (a2) != POSIX_MADV_DONTNEED, none, 0)

#define SW_CALLS_NET(X) \
 X(socket,      int, socket, NEG, CAP_NONE, VA_NONE, (int a0, int a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(socketpair,  int, socketpair, NEG, CAP_NONE, VA_NONE, (int a0, int a1, int a2, int a3[2]), (a0, a1, a2, a3), 1, none, 0) \
 X(connect,     int, connect, NEG, CAP_SA(a0, a1.__sockaddr__, a2), VA_NONE, (int a0, __CONST_SOCKADDR_ARG a1, socklen_t a2), (a0, a1, a2), 1, none, 0) \
 X(bind,        int, bind, NEG, CAP_SA(a0, a1.__sockaddr__, a2), VA_NONE, (int a0, __CONST_SOCKADDR_ARG a1, socklen_t a2), (a0, a1, a2), 1, none, 0) \
 X(accept,      int, accept, NEG, CAP_FD(a0), VA_NONE, (int a0, __SOCKADDR_ARG a1, socklen_t *a2), (a0, a1, a2), 1, none, 0) \
 X(accept4,     int, accept4, NEG, CAP_FD(a0), VA_NONE, (int a0, __SOCKADDR_ARG a1, socklen_t *a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(listen,      int, listen, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1), (a0, a1), 1, none, 0) \
 X(shutdown,    int, shutdown, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1), (a0, a1), 1, none, 0) \
 X(getsockname, int, getsockname, NEG, CAP_FD(a0), VA_NONE, (int a0, __SOCKADDR_ARG a1, socklen_t *a2), (a0, a1, a2), 1, none, 0) \
 X(getpeername, int, getpeername, NEG, CAP_FD(a0), VA_NONE, (int a0, __SOCKADDR_ARG a1, socklen_t *a2), (a0, a1, a2), 1, none, 0) \
 X(send,        ssize_t, sendto, NEG, CAP_FD(a0), VA_NONE, (int a0, const void *a1, size_t a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(sendto,      ssize_t, sendto, NEG, CAP_SA(a0, a4.__sockaddr__, a5), VA_NONE, (int a0, const void *a1, size_t a2, int a3, __CONST_SOCKADDR_ARG a4, socklen_t a5), (a0, a1, a2, a3, a4, a5), 1, none, 0) \
 X(sendmsg,     ssize_t, sendmsg, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct msghdr *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(sendmmsg,    int, sendmmsg, NEG, CAP_FD(a0), VA_NONE, (int a0, struct mmsghdr *a1, unsigned int a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(recv,        ssize_t, recvfrom, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(__recv_chk,  ssize_t, recvfrom, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2, size_t a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(recvfrom,    ssize_t, recvfrom, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2, int a3, __SOCKADDR_ARG a4, socklen_t *a5), (a0, a1, a2, a3, a4, a5), 1, none, 0) \
 X(__recvfrom_chk, ssize_t, recvfrom, NEG, CAP_FD(a0), VA_NONE, (int a0, void *a1, size_t a2, size_t a3, int a4, __SOCKADDR_ARG a5, socklen_t *a6), (a0, a1, a2, a3, a4, a5, a6), 1, none, 0) \
 X(recvmsg,     ssize_t, recvmsg, NEG, CAP_FD(a0), VA_NONE, (int a0, struct msghdr *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(recvmmsg,    int, recvmmsg, NEG, CAP_FD(a0), VA_NONE, (int a0, struct mmsghdr *a1, unsigned int a2, int a3, struct timespec *a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(getsockopt,  int, getsockopt, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, int a2, void *a3, socklen_t *a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(setsockopt,  int, setsockopt, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, int a2, const void *a3, socklen_t a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(getaddrinfo, int, getaddrinfo, POS, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1, const struct addrinfo *a2, struct addrinfo **a3), (a0, a1, a2, a3), 1, none, 0)

#define SW_CALLS_WAIT(X) \
 X(poll,        int, poll, NEG, CAP_NONE, VA_NONE, (struct pollfd *a0, nfds_t a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(__poll_chk,  int, poll, NEG, CAP_NONE, VA_NONE, (struct pollfd *a0, nfds_t a1, int a2, size_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(ppoll,       int, ppoll, NEG, CAP_NONE, VA_NONE, (struct pollfd *a0, nfds_t a1, const struct timespec *a2, const __sigset_t *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(__ppoll_chk, int, ppoll, NEG, CAP_NONE, VA_NONE, (struct pollfd *a0, nfds_t a1, const struct timespec *a2, const __sigset_t *a3, size_t a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(select,      int, pselect6, NEG, CAP_NONE, VA_NONE, (int a0, fd_set *a1, fd_set *a2, fd_set *a3, struct timeval *a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(pselect,     int, pselect6, NEG, CAP_NONE, VA_NONE, (int a0, fd_set *a1, fd_set *a2, fd_set *a3, const struct timespec *a4, const __sigset_t *a5), (a0, a1, a2, a3, a4, a5), 1, none, 0) \
 X(epoll_create, int, epoll_create, NEG, CAP_NONE, VA_NONE, (int a0), (a0), 1, none, 0) \
 X(epoll_create1, int, epoll_create1, NEG, CAP_NONE, VA_NONE, (int a0), (a0), 1, none, 0) \
 X(epoll_ctl,   int, epoll_ctl, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, int a2, struct epoll_event *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(epoll_wait,  int, epoll_wait, NEG, CAP_FD(a0), VA_NONE, (int a0, struct epoll_event *a1, int a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(epoll_pwait, int, epoll_pwait, NEG, CAP_FD(a0), VA_NONE, (int a0, struct epoll_event *a1, int a2, int a3, const __sigset_t *a4), (a0, a1, a2, a3, a4), 1, none, 0)

#define SW_CALLS_TIME(X) \
 X(nanosleep,   int, clock_nanosleep, NEG, CAP_NONE, VA_NONE, (const struct timespec *a0, struct timespec *a1), (a0, a1), 1, none, 0) \
 X(clock_nanosleep, int, clock_nanosleep, POS, CAP_NONE, VA_NONE, (clockid_t a0, int a1, const struct timespec *a2, struct timespec *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(usleep,      int, clock_nanosleep, NEG, CAP_NONE, VA_NONE, (useconds_t a0), (a0), 1, none, 0) \
 X(sleep,       unsigned int, clock_nanosleep, NONE, CAP_NONE, VA_NONE, (unsigned int a0), (a0), 1, none, 0) \
 X(alarm,       unsigned int, alarm, NONE, CAP_NONE, VA_NONE, (unsigned int a0), (a0), 1, none, 0) \
 X(setitimer,   int, setitimer, NEG, CAP_NONE, VA_NONE, (__itimer_which_t a0, const struct itimerval *a1, struct itimerval *a2), (a0, a1, a2), 1, none, 0) \
 X(getitimer,   int, getitimer, NEG, CAP_NONE, VA_NONE, (__itimer_which_t a0, struct itimerval *a1), (a0, a1), 1, none, 0) \
 X(timer_create, int, timer_create, NEG, CAP_NONE, VA_NONE, (clockid_t a0, struct sigevent *a1, timer_t *a2), (a0, a1, a2), 1, none, 0) \
 X(timer_settime, int, timer_settime, NEG, CAP_NONE, VA_NONE, (timer_t a0, int a1, const struct itimerspec *a2, struct itimerspec *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(timer_gettime, int, timer_gettime, NEG, CAP_NONE, VA_NONE, (timer_t a0, struct itimerspec *a1), (a0, a1), 1, none, 0) \
 X(timer_getoverrun, int, timer_getoverrun, NEG, CAP_NONE, VA_NONE, (timer_t a0), (a0), 1, none, 0) \
 X(timer_delete, int, timer_delete, NEG, CAP_NONE, VA_NONE, (timer_t a0), (a0), 1, none, 0) \
 X(timerfd_create, int, timerfd_create, NEG, CAP_NONE, VA_NONE, (__clockid_t a0, int a1), (a0, a1), 1, none, 0) \
 X(timerfd_settime, int, timerfd_settime, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, const struct itimerspec *a2, struct itimerspec *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(timerfd_gettime, int, timerfd_gettime, NEG, CAP_FD(a0), VA_NONE, (int a0, struct itimerspec *a1), (a0, a1), 1, none, 0) \
 X(clock_settime, int, clock_settime, NEG, CAP_NONE, VA_NONE, (clockid_t a0, const struct timespec *a1), (a0, a1), sw__timespec_valid(a1), none, 0) \
 X(adjtimex,    int, clock_adjtime, NEG, CAP_NONE, VA_NONE, (struct timex *a0), (a0), 1, none, 0) \
 X(ntp_adjtime, int, clock_adjtime, NEG, CAP_NONE, VA_NONE, (struct timex *a0), (a0), 1, none, 0) \
 X(clock_adjtime, int, clock_adjtime, NEG, CAP_NONE, VA_NONE, (clockid_t a0, struct timex *a1), (a0, a1), 1, none, 0)

#define SW_CALLS_PROC(X) \
 X(wait,        pid_t, wait4, NEG, CAP_NONE, VA_NONE, (int *a0), (a0), 1, none, 0) \
 X(waitpid,     pid_t, wait4, NEG, CAP_NONE, VA_NONE, (pid_t a0, int *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(wait4,       pid_t, wait4, NEG, CAP_NONE, VA_NONE, (pid_t a0, int *a1, int a2, struct rusage *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(waitid,      int, waitid, NEG, CAP_NONE, VA_NONE, (idtype_t a0, id_t a1, siginfo_t *a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(wait3,       pid_t, wait4, NEG, CAP_NONE, VA_NONE, (int *a0, int a1, struct rusage *a2), (a0, a1, a2), 1, none, 0) \
 X(kill,        int, kill, NEG, CAP_NONE, VA_NONE, (pid_t a0, int a1), (a0, a1), 1, none, 0)

#include "calls_sys.h"

#define SW_CALLS(X)                                                              \
	SW_CALLS_FS(X) SW_CALLS_MEM(X) SW_CALLS_NET(X) SW_CALLS_WAIT(X) SW_CALLS_TIME(X) \
	SW_CALLS_PROC(X) SW_CALLS_SIGNAL(X) SW_CALLS_TASK(X) SW_CALLS_FSX(X) SW_CALLS_IPC(X)

/*
 * The synchronisation calls (DESIGN.md, decision 7). They do not fit the
 * plain wrapper: a blocking primitive is first tried without blocking and
 * only a wait that really blocks is timed (under the futex row, which is
 * what strace would show); a release is recorded only when it may wake
 * someone; init/destroy only bump the primitive's generation.
 *
 * SW_LOCK(cname, sym, ver, kind, prim, err, params, args, aux)
 *   cname   the C function in the shim (differs from sym for the second
 *           symbol version of the condition variable calls)
 *   sym     the exported symbol
 *   ver     V_DEFAULT (unversioned), V_2_3_2 (exported as sym@@GLIBC_2.3.2)
 *           or V_2_2_5 (exported as the compat sym@GLIBC_2.2.5); each
 *           forwards to libc's definition of the same version
 *   kind    ACQ: try aux first, block and time only if it would block
 *           WAIT: always blocks (condition waits): always timed
 *           REL: release; recorded (and counted as a futex wake) when aux
 *                says someone may be waiting
 *           INIT, DESTROY: event only, starts a new generation of a0
 *           PASS: forwarded untouched (non-blocking tries)
 *   prim    MUTEX, RWLOCK, COND, SEM, THREAD
 *   err     PTH: returns an error number; NEG: returns -1 and sets errno
 *   aux     ACQ: TRY(cname of the non-blocking form, (args));
 *           REL: a predicate on a0; others: 0
 */
#define SW_CALLS_LOCK(X) \
 X(pthread_mutex_lock, pthread_mutex_lock, V_DEFAULT, ACQ, MUTEX, PTH, (pthread_mutex_t *a0), (a0), TRY(pthread_mutex_trylock, (a0))) \
 X(pthread_mutex_timedlock, pthread_mutex_timedlock, V_DEFAULT, ACQ, MUTEX, PTH, (pthread_mutex_t *a0, const struct timespec *a1), (a0, a1), TRY(pthread_mutex_trylock, (a0))) \
 X(pthread_mutex_clocklock, pthread_mutex_clocklock, V_DEFAULT, ACQ, MUTEX, PTH, (pthread_mutex_t *a0, clockid_t a1, const struct timespec *a2), (a0, a1, a2), TRY(pthread_mutex_trylock, (a0))) \
 X(pthread_mutex_trylock, pthread_mutex_trylock, V_DEFAULT, PASS, MUTEX, PTH, (pthread_mutex_t *a0), (a0), 0) \
 X(pthread_mutex_unlock, pthread_mutex_unlock, V_DEFAULT, REL, MUTEX, PTH, (pthread_mutex_t *a0), (a0), sw__mutex_has_waiters(a0)) \
 X(pthread_mutex_init, pthread_mutex_init, V_DEFAULT, INIT, MUTEX, PTH, (pthread_mutex_t *a0, const pthread_mutexattr_t *a1), (a0, a1), 0) \
 X(pthread_mutex_destroy, pthread_mutex_destroy, V_DEFAULT, DESTROY, MUTEX, PTH, (pthread_mutex_t *a0), (a0), 0) \
 X(pthread_rwlock_rdlock, pthread_rwlock_rdlock, V_DEFAULT, ACQ, RWLOCK, PTH, (pthread_rwlock_t *a0), (a0), TRY(pthread_rwlock_tryrdlock, (a0))) \
 X(pthread_rwlock_wrlock, pthread_rwlock_wrlock, V_DEFAULT, ACQ, RWLOCK, PTH, (pthread_rwlock_t *a0), (a0), TRY(pthread_rwlock_trywrlock, (a0))) \
 X(pthread_rwlock_timedrdlock, pthread_rwlock_timedrdlock, V_DEFAULT, ACQ, RWLOCK, PTH, (pthread_rwlock_t *a0, const struct timespec *a1), (a0, a1), TRY(pthread_rwlock_tryrdlock, (a0))) \
 X(pthread_rwlock_timedwrlock, pthread_rwlock_timedwrlock, V_DEFAULT, ACQ, RWLOCK, PTH, (pthread_rwlock_t *a0, const struct timespec *a1), (a0, a1), TRY(pthread_rwlock_trywrlock, (a0))) \
 X(pthread_rwlock_clockrdlock, pthread_rwlock_clockrdlock, V_DEFAULT, ACQ, RWLOCK, PTH, (pthread_rwlock_t *a0, clockid_t a1, const struct timespec *a2), (a0, a1, a2), TRY(pthread_rwlock_tryrdlock, (a0))) \
 X(pthread_rwlock_clockwrlock, pthread_rwlock_clockwrlock, V_DEFAULT, ACQ, RWLOCK, PTH, (pthread_rwlock_t *a0, clockid_t a1, const struct timespec *a2), (a0, a1, a2), TRY(pthread_rwlock_trywrlock, (a0))) \
 X(pthread_rwlock_tryrdlock, pthread_rwlock_tryrdlock, V_DEFAULT, PASS, RWLOCK, PTH, (pthread_rwlock_t *a0), (a0), 0) \
 X(pthread_rwlock_trywrlock, pthread_rwlock_trywrlock, V_DEFAULT, PASS, RWLOCK, PTH, (pthread_rwlock_t *a0), (a0), 0) \
 X(pthread_rwlock_unlock, pthread_rwlock_unlock, V_DEFAULT, REL, RWLOCK, PTH, (pthread_rwlock_t *a0), (a0), sw__rwlock_has_waiters(a0)) \
 X(sw__cond_wait_232, pthread_cond_wait, V_2_3_2, WAIT, COND, PTH, (pthread_cond_t *a0, pthread_mutex_t *a1), (a0, a1), 0) \
 X(sw__cond_timedwait_232, pthread_cond_timedwait, V_2_3_2, WAIT, COND, PTH, (pthread_cond_t *a0, pthread_mutex_t *a1, const struct timespec *a2), (a0, a1, a2), 0) \
 X(pthread_cond_clockwait, pthread_cond_clockwait, V_DEFAULT, WAIT, COND, PTH, (pthread_cond_t *a0, pthread_mutex_t *a1, clockid_t a2, const struct timespec *a3), (a0, a1, a2, a3), 0) \
 X(sw__cond_signal_232, pthread_cond_signal, V_2_3_2, REL, COND, PTH, (pthread_cond_t *a0), (a0), sw__cond_has_waiters(a0)) \
 X(sw__cond_broadcast_232, pthread_cond_broadcast, V_2_3_2, REL, COND, PTH, (pthread_cond_t *a0), (a0), sw__cond_has_waiters(a0)) \
 X(sw__cond_init_232, pthread_cond_init, V_2_3_2, INIT, COND, PTH, (pthread_cond_t *a0, const pthread_condattr_t *a1), (a0, a1), 0) \
 X(sw__cond_destroy_232, pthread_cond_destroy, V_2_3_2, DESTROY, COND, PTH, (pthread_cond_t *a0), (a0), 0) \
 X(sw__cond_wait_225, pthread_cond_wait, V_2_2_5, WAIT, COND, PTH, (pthread_cond_t *a0, pthread_mutex_t *a1), (a0, a1), 0) \
 X(sw__cond_timedwait_225, pthread_cond_timedwait, V_2_2_5, WAIT, COND, PTH, (pthread_cond_t *a0, pthread_mutex_t *a1, const struct timespec *a2), (a0, a1, a2), 0) \
 X(sw__cond_signal_225, pthread_cond_signal, V_2_2_5, REL, COND, PTH, (pthread_cond_t *a0), (a0), 1) \
 X(sw__cond_broadcast_225, pthread_cond_broadcast, V_2_2_5, REL, COND, PTH, (pthread_cond_t *a0), (a0), 1) \
 X(sw__cond_init_225, pthread_cond_init, V_2_2_5, INIT, COND, PTH, (pthread_cond_t *a0, const pthread_condattr_t *a1), (a0, a1), 0) \
 X(sw__cond_destroy_225, pthread_cond_destroy, V_2_2_5, DESTROY, COND, PTH, (pthread_cond_t *a0), (a0), 0) \
 X(sem_wait, sem_wait, V_DEFAULT, ACQ, SEM, NEG, (sem_t *a0), (a0), TRY(sem_trywait, (a0))) \
 X(sem_timedwait, sem_timedwait, V_DEFAULT, ACQ, SEM, NEG, (sem_t *a0, const struct timespec *a1), (a0, a1), TRY(sem_trywait, (a0))) \
 X(sem_clockwait, sem_clockwait, V_DEFAULT, ACQ, SEM, NEG, (sem_t *a0, clockid_t a1, const struct timespec *a2), (a0, a1, a2), TRY(sem_trywait, (a0))) \
 X(sem_trywait, sem_trywait, V_DEFAULT, PASS, SEM, NEG, (sem_t *a0), (a0), 0) \
 X(sem_post, sem_post, V_DEFAULT, REL, SEM, NEG, (sem_t *a0), (a0), sw__sem_has_waiters(a0)) \
 X(sem_init, sem_init, V_DEFAULT, INIT, SEM, NEG, (sem_t *a0, int a1, unsigned int a2), (a0, a1, a2), 0) \
 X(sem_destroy, sem_destroy, V_DEFAULT, DESTROY, SEM, NEG, (sem_t *a0), (a0), 0) \
 X(pthread_join, pthread_join, V_DEFAULT, ACQ, THREAD, PTH, (pthread_t a0, void **a1), (a0, a1), TRY(pthread_tryjoin_np, (a0, a1))) \
 X(pthread_tryjoin_np, pthread_tryjoin_np, V_DEFAULT, PASS, THREAD, PTH, (pthread_t a0, void **a1), (a0, a1), 0) \
 X(pthread_create, pthread_create, V_DEFAULT, CREATE, THREAD, PTH, (pthread_t *a0, const pthread_attr_t *a1, void *(*a2)(void *), void *a3), (a0, a1, a2, a3), 0)
/* clang-format on */

/* The functions wrapped by hand (preload/dl.c, exit.c, proc.c,
 * wrap_lock.c, wrap_syscall.c, wrap_signal.c, wrap_fsx.c, wrap_mem.c):
 * dlopen, whose caller's address matters; the exit and exec families,
 * which do not return; fork and vfork, which return twice; syscall,
 * variadic by number; raise and sigqueue, which issue several syscalls;
 * sync and closefrom, which return nothing; renameat2 and pkey_mprotect,
 * whose syscall depends on their arguments. Their ids follow the
 * tables'. syscall_trap is no libc function: it names the calls complete
 * mode (preload/sud.c) caught at a raw syscall instruction. */
#define SW_CALLS_HAND(X) \
 X(dlopen) \
 X(exit) \
 X(_exit) \
 X(_Exit) \
 X(syscall) \
 X(pthread_exit) \
 X(fork) \
 X(vfork) \
 X(execve) \
 X(execv) \
 X(execvp) \
 X(execvpe) \
 X(execl) \
 X(execlp) \
 X(execle) \
 X(fexecve) \
 X(execveat) \
 X(posix_spawn) \
 X(posix_spawnp) \
 X(system) \
 X(raise) \
 X(sigqueue) \
 X(sync) \
 X(closefrom) \
 X(renameat2) \
 X(pkey_mprotect) \
 X(syscall_trap)

/* The rows the hand-wrapped functions count under (proc.c, exit.c, dl.c,
 * wrap_lock.c): with the tables' rows, every row the default mode can
 * show (the CLI refuses a -e trace= selection of none of them without
 * --complete). */
#define SW_CALLS_HAND_ROWS(X) \
 X(dlopen) X(exit_group) X(futex) X(clone) X(clone3) X(vfork) X(execve) X(execveat) \
 X(system) \
 X(gettid) X(getpid) X(tgkill) X(getuid) X(rt_sigqueueinfo) X(sync) X(close_range) \
 X(renameat2) X(renameat) X(pkey_mprotect) X(mprotect)

/* Function ids, in table order, then the hand-wrapped ones. */
enum sw_fn_id {
#define SW_FN_ENUM(name, ...) SW_FN_##name,
	SW_CALLS(SW_FN_ENUM)
	SW_CALLS_LOCK(SW_FN_ENUM)
#undef SW_FN_ENUM
#define SW_FN_HAND_ENUM(name) SW_FN_##name,
	SW_CALLS_HAND(SW_FN_HAND_ENUM)
#undef SW_FN_HAND_ENUM
	SW_FN_COUNT
};

#endif
