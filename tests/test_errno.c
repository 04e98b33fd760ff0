/*
 * test_errno.c - every wrapper in the call table leaves errno exactly as
 * libc leaves it, on failure and on success, and really records the call.
 *
 * The test runs with the shim preloaded (it re-executes itself with
 * LD_PRELOAD and a private SYSWATCH_SESSION when started without them).
 * For each function it calls libc's own definition and the shim's with the
 * same arguments and the same errno sentinel, and compares results and
 * errno. A coverage test fails if a row of the table has no case here.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syswatch/abi.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"

#include "preload/libc_protos.h"

/* Typed pointers for every table row: sw_t_<name>. */
#define TYPEDEF(name, ret, row, err, cap, va, params, ...) typedef ret(*sw_t_##name) params;
SW_CALLS(TYPEDEF)
#undef TYPEDEF

static const char *const row_of[SW_FN_COUNT] = {
#define ROWNAME(name, ret, row, ...) [SW_FN_##name] = #row,
	SW_CALLS(ROWNAME)
#undef ROWNAME
};
static const char *const row_names[SW_ROW_COUNT] = {
#define RN(id, name, ...) [SW_ROW_##id] = #id,
	SW_ROWS(RN)
#undef RN
};

static int covered[SW_FN_COUNT];

/* Re-exec with the shim preloaded, once. */
__attribute__((constructor)) static void preload_self(int argc, char **argv)
{
	if (getenv("SW_ERRNO_CHILD") != NULL)
		return;
	const char *build = getenv("SW_BUILD_DIR");
	if (build == NULL)
		build = ".";
	static char shim[PATH_MAX], sess[] = "/tmp/sw-errno-XXXXXX";
	snprintf(shim, sizeof shim, "%s/libsyswatch.so", build);
	if (mkdtemp(sess) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	setenv("LD_PRELOAD", shim, 1);
	setenv("SYSWATCH_SESSION", sess, 1);
	setenv("SW_ERRNO_CHILD", "1", 1);
	execv("/proc/self/exe", argv);
	perror("execv /proc/self/exe");
	exit(1);
}

static void *libc_handle(void)
{
	static void *h;
	if (h == NULL)
		h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	return h;
}

static void *real_sym(const char *name)
{
	void *p = dlsym(libc_handle(), name);
	if (p == NULL)
		p = dlvsym(libc_handle(), name, "GLIBC_2.2.5");
	if (p == NULL)
		p = dlvsym(libc_handle(), name, "GLIBC_2.4");
	return p;
}

/* Our own process's counter for a row, summed over our thread's slot. */
static uint64_t row_calls(int row)
{
	/* libc's syscall(), not the shim's, which would count these calls */
	long (*sys)(long, ...) = (long (*)(long, ...))real_sym("syscall");
	int pid = (int)sys(SYS_getpid), tid = (int)sys(SYS_gettid);
	const char *sess = getenv("SYSWATCH_SESSION");
	char path[PATH_MAX];
	uint64_t sum = 0;
	for (int epoch = 0; epoch < 8; epoch++) {
		snprintf(path, sizeof path, "%s/%d.%d.seg", sess, pid, epoch);
		int fd = (int)sys(SYS_openat, AT_FDCWD, path, O_RDONLY);
		if (fd < 0)
			continue;
		struct stat st;
		sys(SYS_fstat, fd, &st);
		void *m = (void *)sys(SYS_mmap, 0, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		sys(SYS_close, fd);
		if (m == MAP_FAILED)
			continue;
		const struct sw_seg_header *h = m;
		for (uint32_t i = 0; i < h->slots_used; i++) {
			const uint8_t *s = (const uint8_t *)m + h->slots_offset +
					   (uint64_t)i * h->slot_size;
			const struct sw_slot_header *sh = (const void *)s;
			if (sh->tid != tid)
				continue;
			const struct sw_counter *c =
				(const void *)(s + h->slot_header_size + (size_t)row * h->counter_size);
			sum += c->calls;
		}
		sys(SYS_munmap, m, st.st_size);
	}
	return sum;
}

static int row_id(const char *name)
{
	for (int i = 0; i < SW_ROW_COUNT; i++)
		if (strcmp(row_names[i], name) == 0)
			return i;
	return -1;
}

#define SENTINEL 4242

/*
 * CASE(name, counted, (args)): call libc's and the shim's name(args) with
 * errno = SENTINEL; both must give the same result and the same errno; if
 * counted, the shim's row counter must grow by one.
 */
#define CASE(name, counted, args)                                                          \
	do {                                                                               \
		covered[SW_FN_##name] = 1;                                                 \
		sw_t_##name real = (sw_t_##name)real_sym(#name);                           \
		sw_t_##name wrap = (sw_t_##name)dlsym(RTLD_DEFAULT, #name);                \
		cr_assert_not_null(real, "%s: not in libc", #name);                        \
		cr_assert_neq((void *)real, (void *)wrap, "%s: not wrapped", #name);       \
		int row = row_id(row_of[SW_FN_##name]);                                    \
		errno = SENTINEL;                                                          \
		long r1 = (long)real args;                                                 \
		int e1 = errno;                                                            \
		uint64_t before = row_calls(row);                                          \
		errno = SENTINEL;                                                          \
		long r2 = (long)wrap args;                                                 \
		int e2 = errno;                                                            \
		uint64_t after = row_calls(row);                                           \
		cr_expect_eq(e1, e2, "%s%s: errno %d from libc, %d through the shim",      \
			     #name, #args, e1, e2);                                        \
		cr_expect_eq(r1 < 0, r2 < 0, "%s: results differ (%ld vs %ld)", #name, r1, \
			     r2);                                                          \
		if (counted)                                                               \
			cr_expect_eq(after - before, 1, "%s: counted %llu times, not once",   \
				     #name, (unsigned long long)(after - before));         \
	} while (0)

static const char *missing = "/nonexistent-syswatch/x";

Test(wrapper_errno, open_family_on_failure)
{
	CASE(open, 1, (missing, O_RDONLY));
	CASE(open64, 1, (missing, O_RDONLY | O_CREAT, 0600));
	CASE(openat, 1, (AT_FDCWD, missing, O_RDONLY));
	CASE(openat64, 1, (-5, "rel", O_RDONLY));
	CASE(__open_2, 1, (missing, O_RDONLY));
	CASE(__open64_2, 1, (missing, O_RDONLY));
	CASE(__openat_2, 1, (AT_FDCWD, missing, O_RDONLY));
	CASE(__openat64_2, 1, (AT_FDCWD, missing, O_RDONLY));
	CASE(creat, 1, (missing, 0600));
	CASE(creat64, 1, (missing, 0600));
	CASE(fopen, 1, (missing, "r"));
	CASE(fopen64, 1, (missing, "r"));
	CASE(opendir, 1, (missing));
	CASE(fdopendir, 1, (-1));
}

Test(wrapper_errno, descriptor_family_on_bad_fd)
{
	char buf[16];
	struct iovec iov = {buf, sizeof buf};
	CASE(read, 1, (-1, buf, sizeof buf));
	CASE(__read_chk, 1, (-1, buf, sizeof buf, sizeof buf));
	CASE(pread, 1, (-1, buf, sizeof buf, 0));
	CASE(pread64, 1, (-1, buf, sizeof buf, 0));
	CASE(readv, 1, (-1, &iov, 1));
	CASE(preadv, 1, (-1, &iov, 1, 0));
	CASE(preadv64, 1, (-1, &iov, 1, 0));
	CASE(write, 1, (-1, buf, sizeof buf));
	CASE(pwrite, 1, (-1, buf, sizeof buf, 0));
	CASE(pwrite64, 1, (-1, buf, sizeof buf, 0));
	CASE(writev, 1, (-1, &iov, 1));
	CASE(close, 1, (-1));
	CASE(lseek, 1, (-1, 0, SEEK_SET));
	CASE(lseek64, 1, (-1, 0, SEEK_SET));
	CASE(fsync, 1, (-1));
	CASE(fdatasync, 1, (-1));
	CASE(ftruncate, 1, (-1, 0));
	CASE(ftruncate64, 1, (-1, 0));
	CASE(fcntl, 1, (-1, F_GETFL));
	CASE(fcntl64, 1, (-1, F_SETFL, 0));
	CASE(ioctl, 1, (-1, FIONREAD, buf));
	CASE(dup, 1, (-1));
	CASE(dup2, 1, (-1, 500));
	CASE(dup3, 1, (1, 1, 0));
	CASE(pipe, 1, ((int *)NULL + 1));
	CASE(pipe2, 1, ((int *)buf, -1));
}

Test(wrapper_errno, stat_family_on_failure)
{
	struct stat st;
	struct stat64 st64;
	struct statx sx;
	CASE(stat, 1, (missing, &st));
	CASE(stat64, 1, (missing, &st64));
	CASE(lstat, 1, (missing, &st));
	CASE(lstat64, 1, (missing, &st64));
	CASE(fstat, 1, (-1, &st));
	CASE(fstat64, 1, (-1, &st64));
	CASE(fstatat, 1, (AT_FDCWD, missing, &st, 0));
	CASE(fstatat64, 1, (-1, "rel", &st64, 0));
	CASE(__xstat, 1, (1, missing, &st));
	CASE(__xstat64, 1, (1, missing, &st64));
	CASE(__lxstat, 1, (1, missing, &st));
	CASE(__lxstat64, 1, (1, missing, &st64));
	CASE(__fxstat, 1, (1, -1, &st));
	CASE(__fxstat64, 1, (1, -1, &st64));
	CASE(__fxstatat, 1, (1, AT_FDCWD, missing, &st, 0));
	CASE(__fxstatat64, 1, (1, AT_FDCWD, missing, &st64, 0));
	CASE(statx, 1, (AT_FDCWD, missing, 0, STATX_BASIC_STATS, &sx));
	CASE(access, 1, (missing, R_OK));
	CASE(faccessat, 1, (AT_FDCWD, missing, R_OK, 0));
}

Test(wrapper_errno, path_family_on_failure)
{
	char buf[64];
	CASE(readlink, 1, (missing, buf, sizeof buf));
	CASE(readlinkat, 1, (AT_FDCWD, missing, buf, sizeof buf));
	CASE(getcwd, 1, (buf, 1));
	CASE(unlink, 1, (missing));
	CASE(unlinkat, 1, (AT_FDCWD, missing, 0));
	CASE(rename, 1, (missing, "/nonexistent-syswatch/y"));
	CASE(renameat, 1, (AT_FDCWD, missing, AT_FDCWD, "/nonexistent-syswatch/y"));
	CASE(mkdir, 1, (missing, 0700));
	CASE(mkdirat, 1, (AT_FDCWD, missing, 0700));
	CASE(rmdir, 1, (missing));
}

Test(wrapper_errno, memory_family_on_failure)
{
	CASE(mmap, 1, (NULL, 4096, PROT_READ, MAP_PRIVATE, -1, 0));
	CASE(mmap64, 1, (NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	CASE(munmap, 1, ((void *)1, 4096));
	CASE(mprotect, 1, ((void *)1, 4096, PROT_READ));
	CASE(madvise, 1, ((void *)1, 4096, 12345));
}

Test(wrapper_errno, time_family)
{
	struct timespec bad = {0, 2000000000L}, tiny = {0, 1000};
	CASE(nanosleep, 1, (&bad, NULL));
	CASE(nanosleep, 1, (&tiny, NULL));
	CASE(clock_nanosleep, 1, (CLOCK_MONOTONIC, 0, &bad, NULL));
	CASE(clock_nanosleep, 1, (-42, 0, &tiny, NULL));
	CASE(usleep, 1, (1));
	CASE(sleep, 1, (0));
}

Test(wrapper_errno, more_file_calls_on_failure)
{
	char buf[16];
	CASE(__pread_chk, 1, (-1, buf, sizeof buf, 0, sizeof buf));
	CASE(__pread64_chk, 1, (-1, buf, sizeof buf, 0, sizeof buf));
	CASE(__readlink_chk, 1, (missing, buf, sizeof buf, sizeof buf));
	CASE(__readlinkat_chk, 1, (AT_FDCWD, missing, buf, sizeof buf, sizeof buf));
	CASE(__getcwd_chk, 1, (buf, 1, sizeof buf));
	CASE(chdir, 1, (missing));
	CASE(fchdir, 1, (-1));
	CASE(chmod, 1, (missing, 0600));
	CASE(fchmod, 1, (-1, 0600));
	CASE(fchmodat, 1, (AT_FDCWD, missing, 0600, 0));
	CASE(chown, 1, (missing, 0, 0));
	CASE(lchown, 1, (missing, 0, 0));
	CASE(fchown, 1, (-1, 0, 0));
	CASE(symlink, 1, ("/x", missing));
	CASE(link, 1, (missing, "/nonexistent-syswatch/y"));
	CASE(truncate, 1, (missing, 0));
	CASE(truncate64, 1, (missing, 0));
	CASE(getdents64, 1, (-1, buf, sizeof buf));
	CASE(sendfile, 1, (-1, -1, NULL, 1));
	CASE(sendfile64, 1, (-1, -1, NULL, 1));
	CASE(copy_file_range, 1, (-1, NULL, -1, NULL, 1, 0));
	CASE(splice, 1, (-1, NULL, -1, NULL, 1, 0));
	CASE(eventfd, 1, (0, -1));
	CASE(inotify_init1, 1, (-1));
	CASE(inotify_add_watch, 1, (-1, "/", IN_CREATE));
	CASE(inotify_rm_watch, 1, (-1, 1));
	int lowfd = dup(0);
	CASE(inotify_init, 1, ());
	/* two new descriptors (libc's and the shim's call): close them */
	for (int fd = lowfd + 1; fd < lowfd + 3; fd++)
		close(fd);
	close(lowfd);
}

Test(wrapper_errno, network_calls_on_failure)
{
	char buf[16];
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t len = sizeof sin;
	struct iovec iov = {buf, sizeof buf};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct mmsghdr mm = {.msg_hdr = mh};
	int v = 0, sv[2];
	socklen_t vl = sizeof v;
	struct addrinfo *ai = NULL;
	CASE(socket, 1, (-1, SOCK_STREAM, 0));
	CASE(socketpair, 1, (AF_INET, SOCK_STREAM, 0, sv));
	CASE(connect, 1, (-1, (struct sockaddr *)&sin, len));
	CASE(bind, 1, (-1, (struct sockaddr *)&sin, len));
	CASE(accept, 1, (-1, NULL, NULL));
	CASE(accept4, 1, (-1, NULL, NULL, 0));
	CASE(listen, 1, (-1, 1));
	CASE(shutdown, 1, (-1, SHUT_RD));
	CASE(getsockname, 1, (-1, (struct sockaddr *)&sin, &len));
	CASE(getpeername, 1, (-1, (struct sockaddr *)&sin, &len));
	CASE(send, 1, (-1, buf, 1, 0));
	CASE(sendto, 1, (-1, buf, 1, 0, (struct sockaddr *)&sin, len));
	CASE(sendmsg, 1, (-1, &mh, 0));
	CASE(sendmmsg, 1, (-1, &mm, 1, 0));
	CASE(recv, 1, (-1, buf, 1, 0));
	CASE(__recv_chk, 1, (-1, buf, 1, sizeof buf, 0));
	CASE(recvfrom, 1, (-1, buf, 1, 0, NULL, NULL));
	CASE(__recvfrom_chk, 1, (-1, buf, 1, sizeof buf, 0, NULL, NULL));
	CASE(recvmsg, 1, (-1, &mh, 0));
	CASE(recvmmsg, 1, (-1, &mm, 1, 0, NULL));
	CASE(getsockopt, 1, (-1, SOL_SOCKET, SO_TYPE, &v, &vl));
	CASE(setsockopt, 1, (-1, SOL_SOCKET, SO_REUSEADDR, &v, vl));
	CASE(getaddrinfo, 1, (NULL, NULL, NULL, &ai));
}

Test(wrapper_errno, waiting_calls)
{
	struct timespec bad = {0, 2000000000L};
	struct epoll_event ev = {0};
	CASE(poll, 1, (NULL, 0, 0));
	CASE(__poll_chk, 1, (NULL, 0, 0, 0));
	CASE(ppoll, 1, (NULL, 0, &bad, NULL));
	CASE(__ppoll_chk, 1, (NULL, 0, &bad, NULL, 0));
	CASE(select, 1, (-1, NULL, NULL, NULL, NULL));
	CASE(pselect, 1, (-1, NULL, NULL, NULL, NULL, NULL));
	CASE(epoll_create, 1, (0));
	CASE(epoll_create1, 1, (-1));
	CASE(epoll_ctl, 1, (-1, EPOLL_CTL_ADD, 0, &ev));
	CASE(epoll_wait, 1, (-1, &ev, 1, 0));
	CASE(epoll_pwait, 1, (-1, &ev, 1, 0, NULL));
}

Test(wrapper_errno, process_family)
{
	siginfo_t si;
	int status;
	CASE(wait, 1, (&status));
	CASE(waitpid, 1, (-1, &status, WNOHANG));
	CASE(wait4, 1, (99999999, &status, 0, NULL));
	CASE(waitid, 1, (P_PID, 99999999, &si, WEXITED));
	CASE(kill, 1, (-99999999, 0));
	CASE(kill, 1, (getpid(), 0));
}

/* Success must leave errno alone: the sentinel survives both paths. */
Test(wrapper_errno, success_leaves_errno_untouched)
{
	char buf[16];
	int fd = open("/dev/zero", O_RDONLY);
	cr_assert_geq(fd, 0);
	CASE(read, 1, (fd, buf, sizeof buf));
	CASE(lseek, 1, (fd, 0, SEEK_CUR));
	CASE(getcwd, 1, (buf, 1));
	close(fd);
	/* Directory streams: readdir is counted only when it refills. */
	DIR *d1 = opendir("/"), *d2 = opendir("/");
	cr_assert(d1 && d2);
	sw_t_readdir real = (sw_t_readdir)real_sym("readdir");
	covered[SW_FN_readdir] = covered[SW_FN_readdir64] = 1;
	int n1 = 0, n2 = 0;
	errno = SENTINEL;
	while (real(d1))
		n1++;
	int e1 = errno;
	errno = SENTINEL;
	uint64_t before = row_calls(SW_ROW_getdents64);
	errno = SENTINEL;
	while (readdir64(d2))
		n2++;
	int e2 = errno;
	uint64_t refills = row_calls(SW_ROW_getdents64) - before;
	cr_expect_eq(n1, n2);
	cr_expect_eq(e1, e2, "readdir errno %d vs %d", e1, e2);
	cr_expect_geq(refills, 2, "readdir to the end refills at least twice (data, then 0)");
	covered[SW_FN_closedir] = 1;
	errno = SENTINEL;
	closedir(d2);
	cr_expect_eq(errno, SENTINEL);
	((sw_t_closedir)real_sym("closedir"))(d1);
	/* fclose of a stream without a descriptor passes through, errno intact. */
	covered[SW_FN_fclose] = 1;
	char mem[8];
	FILE *f = fmemopen(mem, sizeof mem, "r");
	errno = SENTINEL;
	fclose(f);
	cr_expect_eq(errno, SENTINEL, "fclose(fmemopen) changed errno to %d", errno);
	f = fopen("/dev/null", "r");
	uint64_t c0 = row_calls(SW_ROW_close);
	errno = SENTINEL;
	fclose(f);
	cr_expect_eq(errno, SENTINEL);
	cr_expect_eq(row_calls(SW_ROW_close) - c0, 1, "fclose counted under close");
}

#include "errno_cases_more.c"

/* The text of the file at path (next to this one) appended to text. */
static size_t read_text(const char *name, char *text, size_t at, size_t cap)
{
	char path[4096];
	snprintf(path, sizeof path, "%s", __FILE__);
	char *slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof path - (size_t)(slash ? slash + 1 - path : 0),
		 "%s", name);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "cannot read %s", path);
	at += fread(text + at, 1, cap - 1 - at, f);
	fclose(f);
	text[at] = 0;
	return at;
}

/* Tests run in separate processes, so coverage is checked on the cases'
 * text (this file and errno_cases_more.c): every row of the call table
 * must appear in a CASE or be marked covered by a hand-written check. */
Test(wrapper_errno, every_row_of_the_call_table_has_a_case)
{
	static const char *const names[] = {
#define NAME(name, ...) #name,
		SW_CALLS(NAME)
#undef NAME
	};
	static char text[1 << 18];
	size_t n = read_text("test_errno.c", text, 0, sizeof text);
	(void)read_text("errno_cases_more.c", text, n, sizeof text);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char a[96], b[96];
		snprintf(a, sizeof a, "CASE(%s, ", names[i]);
		snprintf(b, sizeof b, "covered[SW_FN_%s]", names[i]);
		cr_expect(strstr(text, a) != NULL || strstr(text, b) != NULL,
			  "call table row %s has no errno case", names[i]);
	}
}
