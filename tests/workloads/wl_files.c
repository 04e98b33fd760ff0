/*
 * wl_files - N iterations of known file, descriptor and memory calls, and a
 * tally of the system calls they issued.
 *
 *   wl_files [-t THREADS] [-p PROCS] N DIR TALLY
 *
 * DIR must not exist: the workload creates it with its fixtures (a data
 * file, a symlink, a small directory to list), runs N iterations in each of
 * THREADS threads of each of PROCS processes (forked), writes its tally to
 * TALLY and removes DIR again. Only the iterations are tallied; everything
 * else (fixtures, threads, children, the tally file, clean-up) is the same
 * for every N, so the difference between a run with N and one with 0 is
 * exactly N times one iteration per worker. The tally is one line
 * "syscall calls errors" per syscall the workload knows, zeros included.
 *
 * Every call's syscall name is written beside it (glibc 2.36, x86-64), and
 * whether it failed is read from its return value. A call that does not
 * behave as planned (a stat of the missing path that succeeds) stops the
 * workload with exit status 2: a tally nobody planned proves nothing.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "tally.h"

#define LIST_FILES 5	 /* files in DIR/list (plus . and ..) */
#define DATA_SIZE  8192	 /* bytes in DIR/data */
#define MAP_LEN	   65536 /* anonymous mapping per iteration */

/* The fortified entry points live in their own translation unit, built
 * with -D_FORTIFY_SOURCE=2 (wl_fortify.c). */
void wl_fortified(struct wl_tally *t, const char *dir, const char *data);

static const char *dir;	     /* DIR */
static char data[4096];	     /* DIR/data: DATA_SIZE bytes */
static char link_path[4096]; /* DIR/link -> data */
static char list[4096];	     /* DIR/list: LIST_FILES empty files */
static char missing[4096];   /* DIR/missing: never exists */
static long iterations;
static int nthreads = 1;
static struct wl_tally *shared;	      /* MAP_SHARED: all processes add here */
static pid_t my_pid;		      /* this process, for per-worker names */
static pthread_barrier_t all_started; /* the process's workers, when > 1 */

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "wl_files: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d: %s)\n", errno, strerror(errno));
	va_end(ap);
	_exit(2);
}

/* Record one call of syscall `sys` and insist it went as planned. */
#define DID(sys, failed, planned_to_fail)                                                          \
	do {                                                                                       \
		int f_ = (failed) ? 1 : 0;                                                         \
		wl_did(t, WL_##sys, 1, f_);                                                        \
		if (f_ != (planned_to_fail))                                                       \
			die("%s:%d: %s %s", __FILE__, __LINE__, #sys,                              \
			    f_ ? "failed" : "succeeded unexpectedly");                             \
	} while (0)
#define OK(sys, failed)	   DID(sys, failed, 0)
#define FAILS(sys, failed) DID(sys, failed, 1)

static void path_in(char *out, size_t cap, const char *name)
{
	if ((size_t)snprintf(out, cap, "%s/%s", dir, name) >= cap)
		die("path too long");
}

/* open/fstat/read/lseek/pread/readv/close and friends on the data file. */
static void descriptors(struct wl_tally *t)
{
	char buf[4096], b2[512];
	struct stat st;
	struct iovec iov[2] = {{buf, 1000}, {b2, sizeof b2}};

	int fd = open(data, O_RDONLY);
	OK(openat, fd < 0);
	OK(newfstatat, fstat(fd, &st) != 0);
	OK(read, read(fd, buf, sizeof buf) != (ssize_t)sizeof buf);
	OK(lseek, lseek(fd, 100, SEEK_SET) != 100);
	OK(pread64, pread(fd, buf, 512, 1024) != 512);
	OK(readv, readv(fd, iov, 2) != 1512);
	OK(preadv, preadv(fd, iov, 2, 0) != 1512);
	FAILS(lseek, lseek(fd, -1, SEEK_SET) < 0); /* EINVAL */
	OK(fcntl, fcntl(fd, F_GETFD) < 0);
	FAILS(fcntl, fcntl(-1, F_GETFL) < 0);			     /* EBADF */
	FAILS(ioctl, ioctl(fd, TCGETS, (struct termios *)buf) != 0); /* ENOTTY */
	int d = dup(fd);
	OK(dup, d < 0);
	OK(dup2, dup2(fd, d) != d);
	OK(dup3, dup3(fd, d, O_CLOEXEC) != d);
	OK(close, close(d) != 0);
	OK(close, close(fd) != 0);
	/* -1, not the fd just closed: another thread may own that number. */
	FAILS(close, close(-1) != 0);	   /* EBADF */
	FAILS(read, read(-1, buf, 1) < 0); /* EBADF */

	fd = open(missing, O_RDONLY);
	FAILS(openat, fd < 0);
	fd = openat(AT_FDCWD, data, O_RDONLY | O_CLOEXEC);
	OK(openat, fd < 0);
	void *m = mmap(NULL, DATA_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	OK(mmap, m == MAP_FAILED);
	OK(munmap, munmap(m, DATA_SIZE) != 0);
	OK(close, close(fd) != 0);
}

/* Calls on paths: stats, access, readlink, getcwd. */
static void paths(struct wl_tally *t)
{
	struct stat st;
	struct statx stx;
	char buf[4096];

	FAILS(newfstatat, stat(missing, &st) != 0); /* ENOENT */
	OK(newfstatat, stat(data, &st) != 0);
	OK(newfstatat, lstat(link_path, &st) != 0);
	OK(newfstatat, fstatat(AT_FDCWD, data, &st, AT_SYMLINK_NOFOLLOW) != 0);
	OK(statx, statx(AT_FDCWD, data, 0, STATX_BASIC_STATS, &stx) != 0);
	FAILS(statx, statx(AT_FDCWD, missing, 0, STATX_BASIC_STATS, &stx) != 0);
	FAILS(access, access(missing, F_OK) != 0);
	OK(access, access(data, R_OK) != 0);
	OK(faccessat2, faccessat(AT_FDCWD, data, R_OK, 0) != 0);
	FAILS(faccessat2, faccessat(AT_FDCWD, missing, R_OK, AT_EACCESS) != 0);
	OK(readlink, readlink(link_path, buf, sizeof buf) != 4);
	FAILS(readlink, readlink(data, buf, sizeof buf) < 0); /* EINVAL */
	OK(readlinkat, readlinkat(AT_FDCWD, link_path, buf, sizeof buf) != 4);
	OK(getcwd, getcwd(buf, sizeof buf) == NULL);
}

/* List `fd`'s or `path`'s directory; every listing here is a readdir
 * loop over LIST_FILES + 2 entries. glibc reads into a 32 KiB buffer and
 * issues getdents64 only when the buffer is used up: once to fill it (all
 * our entries fit) and once more to find the end. */
static void list_dir(struct wl_tally *t, DIR *d, int use64)
{
	int n = 0;
	if (use64)
		while (readdir64(d) != NULL)
			n++;
	else
		while (readdir(d) != NULL)
			n++;
	if (n != LIST_FILES + 2)
		die("listed %d entries, planned %d", n, LIST_FILES + 2);
	wl_did(t, WL_getdents64, 2, 0);
}

/* opendir/fdopendir/readdir/closedir and stdio opens. */
static void directories(struct wl_tally *t)
{
	DIR *d = opendir(list);
	OK(openat, d == NULL);	   /* openat(O_DIRECTORY) ... */
	OK(newfstatat, d == NULL); /* ... then fstat of it */
	list_dir(t, d, 0);
	OK(close, closedir(d) != 0);

	d = opendir(missing);
	FAILS(openat, d == NULL); /* no fstat */

	int fd = open(list, O_RDONLY | O_DIRECTORY);
	OK(openat, fd < 0);
	d = fdopendir(fd);
	OK(newfstatat, d == NULL);	   /* fstat: is it a directory? */
	wl_did(t, WL_fcntl, 2, d == NULL); /* F_GETFL, then F_SETFD FD_CLOEXEC */
	list_dir(t, d, 1);
	OK(close, closedir(d) != 0);

	FILE *f = fopen(data, "r");
	OK(openat, f == NULL);
	OK(close, fclose(f) != 0); /* nothing read: no buffer, no fstat */
	f = fopen64(missing, "r");
	FAILS(openat, f == NULL);
}

/* Creating, writing, renaming and removing; per-worker names. */
static void changes(struct wl_tally *t, int worker)
{
	char tmp[4096], tmp2[4096], sub[4096], name[64];
	char buf[256] = {0};
	struct iovec iov[2] = {{buf, 10}, {buf, 20}};

	snprintf(name, sizeof name, "w%d.%d.tmp", (int)my_pid, worker);
	path_in(tmp, sizeof tmp, name);
	snprintf(name, sizeof name, "w%d.%d.moved", (int)my_pid, worker);
	path_in(tmp2, sizeof tmp2, name);
	snprintf(name, sizeof name, "w%d.%d.d", (int)my_pid, worker);
	path_in(sub, sizeof sub, name);

	int fd = creat(tmp, 0600);
	OK(creat, fd < 0);
	OK(write, write(fd, buf, 100) != 100);
	OK(pwrite64, pwrite(fd, buf, 100, 200) != 100);
	OK(writev, writev(fd, iov, 2) != 30);
	OK(ftruncate, ftruncate(fd, 50) != 0);
	FAILS(ftruncate, ftruncate(fd, -1) != 0); /* EINVAL */
	OK(close, close(fd) != 0);
	FAILS(write, write(-1, buf, 1) < 0); /* EBADF */
	OK(rename, rename(tmp, tmp2) != 0);
	OK(renameat, renameat(AT_FDCWD, tmp2, AT_FDCWD, tmp) != 0);
	FAILS(rename, rename(missing, tmp2) != 0);
	OK(unlink, unlink(tmp) != 0);
	FAILS(unlink, unlink(tmp) != 0);
	OK(mkdir, mkdir(sub, 0700) != 0);
	FAILS(mkdir, mkdir(sub, 0700) != 0); /* EEXIST */
	OK(rmdir, rmdir(sub) != 0);
	OK(mkdirat, mkdirat(AT_FDCWD, sub, 0700) != 0);
	OK(unlinkat, unlinkat(AT_FDCWD, sub, AT_REMOVEDIR) != 0);
	FAILS(unlinkat, unlinkat(AT_FDCWD, sub, AT_REMOVEDIR) != 0);
	FAILS(rmdir, rmdir(missing) != 0);
}

/* Pipes: also where fsync/fdatasync fail cheaply (EINVAL) without ever
 * waiting for a disk. */
static void pipes(struct wl_tally *t)
{
	int p[2], q[2], n;
	OK(pipe2, pipe(p) != 0);
	OK(pipe2, pipe2(q, O_CLOEXEC) != 0);
	OK(write, write(p[1], "x", 1) != 1);
	OK(ioctl, ioctl(p[0], FIONREAD, &n) != 0);
	if (n != 1)
		die("FIONREAD said %d bytes, wrote 1", n);
	OK(read, read(p[0], &n, 1) != 1);
	FAILS(fsync, fsync(p[0]) != 0);
	FAILS(fdatasync, fdatasync(q[1]) != 0);
	OK(close, close(p[0]) != 0);
	OK(close, close(p[1]) != 0);
	OK(close, close(q[0]) != 0);
	OK(close, close(q[1]) != 0);
}

/* Anonymous memory: map, protect, advise, unmap, and two that fail. */
static void memory(struct wl_tally *t)
{
	char *m = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK(mmap, m == MAP_FAILED);
	m[0] = 1;
	OK(mprotect, mprotect(m, 4096, PROT_READ) != 0);
	OK(madvise, madvise(m + 4096, 4096, MADV_DONTNEED) != 0);
	OK(munmap, munmap(m, MAP_LEN) != 0);
	FAILS(munmap, munmap(m + 1, 4096) != 0); /* EINVAL: unaligned */
	void *z = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FAILS(mmap, z == MAP_FAILED); /* EINVAL: length 0 */
	m = mmap64(NULL, MAP_LEN, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	OK(mmap, m == MAP_FAILED);
	OK(munmap, munmap(m, MAP_LEN) != 0);
}

/* The large-file names programs built with _FILE_OFFSET_BITS=64 call:
 * glibc 2.36 exports them as separate symbols of the same functions. */
static void largefile(struct wl_tally *t)
{
	struct stat64 st;
	char buf[512];
	int fd = open64(data, O_RDONLY);
	OK(openat, fd < 0);
	OK(newfstatat, fstat64(fd, &st) != 0);
	OK(lseek, lseek64(fd, 10, SEEK_SET) != 10);
	OK(pread64, pread64(fd, buf, sizeof buf, 0) != (ssize_t)sizeof buf);
	OK(close, close(fd) != 0);
	OK(newfstatat, stat64(data, &st) != 0);
	OK(newfstatat, lstat64(link_path, &st) != 0);
	FAILS(newfstatat, fstatat64(AT_FDCWD, missing, &st, 0) != 0);
	fd = openat64(AT_FDCWD, missing, O_RDONLY);
	FAILS(openat, fd < 0);
}

/* One worker: N iterations, then its tally into the shared one. */
static void *worker(void *arg)
{
	int id = (int)(long)arg;
	struct wl_tally t = {0};
	/* A thread's first malloc creates its arena (mmap/mprotect inside
	 * glibc), and a thread that ends early hands its arena and its stack
	 * to the next one. Allocate here, for every N, and let no worker
	 * start before all exist: then runs with N and with 0 make the same
	 * arenas and stacks and differ only in the loop (fopen and opendir
	 * allocate). volatile: the pair must not be optimised away. */
	void *volatile warm = malloc(40000);
	if (nthreads > 1)
		pthread_barrier_wait(&all_started);
	free(warm);
	for (long i = 0; i < iterations; i++) {
		descriptors(&t);
		paths(&t);
		directories(&t);
		changes(&t, id);
		pipes(&t);
		memory(&t);
		largefile(&t);
		wl_fortified(&t, dir, data);
	}
	wl_tally_add(shared, &t);
	return NULL;
}

/* One process: its threads, or the main thread alone. */
static void run_process(void)
{
	my_pid = getpid();
	if (nthreads == 1) {
		worker((void *)0L);
		return;
	}
	pthread_t th[256];
	pthread_barrier_init(&all_started, NULL, (unsigned)nthreads);
	for (int i = 0; i < nthreads; i++)
		if ((errno = pthread_create(&th[i], NULL, worker, (void *)(long)i)) != 0)
			die("pthread_create");
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
}

static void write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0)
		die("cannot write %s", path);
}

static void make_fixtures(void)
{
	static char bytes[DATA_SIZE];
	char p[4096], name[32];
	memset(bytes, 'd', sizeof bytes);
	if (mkdir(dir, 0700) != 0)
		die("mkdir %s (it must not exist yet)", dir);
	path_in(data, sizeof data, "data");
	path_in(link_path, sizeof link_path, "link");
	path_in(list, sizeof list, "list");
	path_in(missing, sizeof missing, "missing");
	write_file(data, bytes, sizeof bytes);
	if (symlink("data", link_path) != 0 || mkdir(list, 0700) != 0)
		die("fixtures in %s", dir);
	for (int i = 0; i < LIST_FILES; i++) {
		snprintf(name, sizeof name, "list/f%d", i);
		path_in(p, sizeof p, name);
		write_file(p, "", 0);
	}
}

static void remove_fixtures(void)
{
	char p[4096], name[32];
	for (int i = 0; i < LIST_FILES; i++) {
		snprintf(name, sizeof name, "list/f%d", i);
		path_in(p, sizeof p, name);
		unlink(p);
	}
	rmdir(list);
	unlink(link_path);
	unlink(data);
	rmdir(dir);
}

/* The tally file: built in memory, written with one write() so that its
 * length (which depends on N) never changes the number of calls. */
static void write_tally(const char *path)
{
	static const char *const names[WL_NSYS] = {
#define WL_NAME(name) [WL_##name] = #name,
	    WL_SYSCALLS(WL_NAME)
#undef WL_NAME
	};
	static char text[WL_NSYS * 64];
	size_t len = 0;
	for (int i = 0; i < WL_NSYS; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "%s %llu %llu\n", names[i],
					(unsigned long long)shared->calls[i],
					(unsigned long long)shared->errors[i]);
	write_file(path, text, len);
}

int main(int argc, char **argv)
{
	int nprocs = 1, opt;
	while ((opt = getopt(argc, argv, "t:p:")) != -1) {
		if (opt == 't')
			nthreads = atoi(optarg);
		else if (opt == 'p')
			nprocs = atoi(optarg);
		else
			goto usage;
	}
	if (argc - optind != 3 || nthreads < 1 || nthreads > 256 || nprocs < 1 || nprocs > 64)
		goto usage;
	iterations = atol(argv[optind]);
	dir = argv[optind + 1];
	/* One malloc arena: a new arena is mapped at an address aligned by
	 * trimming its mapping with one or two munmaps, depending on where
	 * the kernel put it. That would make strace's munmap count (inside
	 * glibc, unseen by any preload) vary from run to run. */
	mallopt(M_ARENA_MAX, 1);
	shared =
	    mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED)
		die("mmap");
	make_fixtures();

	/* Process 0 is this one; the others are forked children. */
	pid_t kids[64];
	for (int i = 1; i < nprocs; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			die("fork");
		if (kids[i] == 0) {
			run_process();
			exit(0);
		}
	}
	run_process();
	for (int i = 1; i < nprocs; i++) {
		int st;
		if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			die("child %d failed", (int)kids[i]);
	}
	write_tally(argv[optind + 2]);
	remove_fixtures();
	return 0;
usage:
	fprintf(stderr, "usage: wl_files [-t THREADS] [-p PROCS] N DIR TALLY\n");
	return 2;
}
