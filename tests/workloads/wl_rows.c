/*
 * wl_rows - N iterations of every family of rows the shim wraps beyond
 * files (issue 5, acceptance 1), and the workload's own tally of them.
 *
 *   wl_rows [-x] N DIR TALLY
 *   wl_rows --helper            (what it execs and spawns: exits at once)
 *
 * DIR must not exist: the workload makes it with a data file, runs N
 * iterations, writes its tally to TALLY ("syscall calls errors" per row,
 * zeros included, iterations only, like wl_files) and its network facts
 * to TALLY.net ("key value" per line, the whole run), then removes DIR.
 * One iteration:
 *   network  a TCP client and server on 127.0.0.1 (socket, setsockopt,
 *            connect, accept, accept4, send/recv, sendto/recvfrom,
 *            sendmsg/recvmsg, write/read, getsockopt, getsockname,
 *            getpeername, shutdown), a refused connect, a UDP exchange
 *            (sendto/recvfrom, sendmmsg/recvmmsg), bind, listen,
 *            socketpair, getaddrinfo (wl_rows_net.c);
 *   waiting  poll, ppoll, select, pselect, epoll, eventfd, inotify, and
 *            usleep, sleep(0), nanosleep, clock_nanosleep;
 *   process  getpid, kill, waits that find no child, a failing execve;
 *            fork + execve of the helper, vfork + _exit, vfork + execve
 *            of the helper, posix_spawn of the helper reaped by wait4
 *            and by waitid;
 *   the rest getuid, getgid, chdir, fchdir, chmod, fchmod, chown, fchown,
 *            symlink, link, truncate, getdents64, sendfile,
 *            copy_file_range, splice.
 * Most calls also fail once on purpose (EBADF, ENOENT, EEXIST, EINVAL).
 *
 * -x (for the strace comparison): nothing in the loop starts a process
 * or resolves a name. Those run the dynamic loader, the shim's own start
 * and libc's resolver, whose syscalls strace counts and no preload sees.
 *
 * Each call's row is written beside it; whether it failed is read from
 * its return value; a call that does not go as planned stops the
 * workload with exit status 2.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wl_rows.h"

#define DATA_SIZE 8192

extern char **environ;

static char data[4096], copy[4096], sl[4096], hl[4096], missing[4096];

void wlr_die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;
	va_start(ap, fmt);
	fprintf(stderr, "wl_rows: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d: %s)\n", e, strerror(e));
	va_end(ap);
	_exit(2);
}

static void path_in(char *out, const char *dir, const char *name)
{
	if ((size_t)snprintf(out, 4096, "%s/%s", dir, name) >= 4096)
		wlr_die("path too long");
}

/* A child's status must be a clean exit 0. */
static void reaped(pid_t want, pid_t got, int st)
{
	if (got != want || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		wlr_die("child %d: status %#x", (int)want, st);
}

/* kill, waits and an exec that fail here; with processes allowed, fork +
 * exec, vfork, posix_spawn. Each helper is a traced process whose only
 * call is _exit (exit_group). */
static void processes(struct wlr_ctx *c)
{
	char *argv[] = {(char *)c->self, "--helper", NULL};
	siginfo_t si;
	int st;
	pid_t me = getpid();
	WLR_OK(c, getpid, me <= 0);
	WLR_OK(c, kill, kill(me, 0) != 0);
	WLR_FAILS(c, kill, kill(INT_MAX, 0) != 0); /* ESRCH */
	WLR_FAILS(c, wait4, waitpid(-1, &st, WNOHANG) < 0); /* ECHILD */
	WLR_FAILS(c, waitid, waitid(P_ALL, 0, &si, WEXITED | WNOHANG) != 0);
	WLR_FAILS(c, execve, execve(missing, argv, environ) != 0); /* ENOENT */
	if (c->strace_mode)
		return;

	pid_t pid = fork();
	if (pid == 0) {
		execve(c->self, argv, environ);
		_exit(127);
	}
	WLR_OK(c, clone, pid < 0);
	WLR_OK(c, execve, 0);    /* the child's (status 0 says it worked) */
	WLR_OK(c, exit_group, 0); /* the helper's */
	pid_t got = waitpid(pid, &st, 0);
	WLR_OK(c, wait4, got < 0);
	reaped(pid, got, st);

	pid = vfork();
	if (pid == 0)
		_exit(0);
	WLR_OK(c, vfork, pid < 0);
	WLR_OK(c, vfork_child_exit_group, 0);
	got = waitpid(pid, &st, 0);
	WLR_OK(c, wait4, got < 0);
	reaped(pid, got, st);

	pid = vfork(); /* a shell's way to run a command */
	if (pid == 0) {
		execve(c->self, argv, environ);
		_exit(127);
	}
	WLR_OK(c, vfork, pid < 0);
	WLR_OK(c, execve, 0);     /* the vfork child's, counted for its parent */
	WLR_OK(c, exit_group, 0); /* the helper's */
	got = waitpid(pid, &st, 0);
	WLR_OK(c, wait4, got < 0);
	reaped(pid, got, st);

	for (int i = 0; i < 2; i++) {
		int e = posix_spawn(&pid, c->self, NULL, NULL, argv, environ);
		WLR_OK(c, clone3, e != 0);
		WLR_OK(c, spawn_child_execve, 0);
		WLR_OK(c, exit_group, 0);
		if (i == 0) {
			got = wait4(pid, &st, 0, NULL);
			WLR_OK(c, wait4, got < 0);
		} else {
			memset(&si, 0, sizeof(si));
			WLR_OK(c, waitid, waitid(P_PID, (id_t)pid, &si, WEXITED) != 0);
			got = si.si_pid;
			st = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8 : -1;
		}
		reaped(pid, got, st);
	}
}

/* Directory, mode, owner and link calls; the data-moving calls. */
static void the_rest(struct wlr_ctx *c)
{
	char buf[4096];
	uid_t uid = getuid();
	WLR_OK(c, getuid, 0); /* cannot fail */
	gid_t gid = getgid();
	WLR_OK(c, getgid, 0);
	int fd = open(data, O_RDWR);
	WLR_OK(c, openat, fd < 0);
	WLR_OK(c, fchmod, fchmod(fd, 0644) != 0);
	WLR_FAILS(c, fchmod, fchmod(-1, 0644) != 0);
	WLR_OK(c, chmod, chmod(data, 0644) != 0);
	WLR_FAILS(c, chmod, chmod(missing, 0644) != 0);
	WLR_OK(c, chown, chown(data, uid, gid) != 0);
	WLR_FAILS(c, chown, chown(missing, uid, gid) != 0);
	WLR_OK(c, fchown, fchown(fd, uid, gid) != 0);
	WLR_OK(c, symlink, symlink("data", sl) != 0);
	WLR_FAILS(c, symlink, symlink("data", sl) != 0); /* EEXIST */
	WLR_OK(c, unlink, unlink(sl) != 0);
	WLR_OK(c, link, link(data, hl) != 0);
	WLR_FAILS(c, link, link(data, hl) != 0); /* EEXIST */
	WLR_OK(c, unlink, unlink(hl) != 0);
	WLR_OK(c, truncate, truncate(data, DATA_SIZE) != 0);
	WLR_FAILS(c, truncate, truncate(missing, 0) != 0);

	int dfd = open(c->dir, O_RDONLY | O_DIRECTORY);
	WLR_OK(c, openat, dfd < 0);
	WLR_OK(c, getdents64, getdents64(dfd, buf, sizeof(buf)) <= 0);
	WLR_FAILS(c, getdents64, getdents64(-1, buf, sizeof(buf)) < 0);
	int cwd = open(".", O_RDONLY | O_DIRECTORY);
	WLR_OK(c, openat, cwd < 0);
	WLR_OK(c, chdir, chdir(c->dir) != 0);
	WLR_FAILS(c, chdir, chdir(missing) != 0);
	WLR_OK(c, fchdir, fchdir(cwd) != 0);
	WLR_FAILS(c, fchdir, fchdir(-1) != 0);
	WLR_OK(c, close, close(cwd) != 0);
	WLR_OK(c, close, close(dfd) != 0);

	int out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	WLR_OK(c, openat, out < 0);
	off_t off = 0;
	loff_t o1 = 0, o2 = 0, o3 = 0;
	WLR_OK(c, sendfile, sendfile(out, fd, &off, 100) != 100);
	WLR_FAILS(c, sendfile, sendfile(out, -1, &off, 100) < 0);
	WLR_OK(c, copy_file_range, copy_file_range(fd, &o1, out, &o2, 100, 0) != 100);
	WLR_FAILS(c, copy_file_range, copy_file_range(-1, &o1, out, &o2, 100, 0) < 0);
	int p[2];
	WLR_OK(c, pipe2, pipe2(p, 0) != 0);
	WLR_OK(c, splice, splice(fd, &o3, p[1], NULL, 100, 0) != 100);
	WLR_FAILS(c, splice, splice(-1, NULL, p[1], NULL, 100, 0) < 0);
	int fds[4] = {p[0], p[1], out, fd};
	for (int i = 0; i < 4; i++)
		WLR_OK(c, close, close(fds[i]) != 0);
}

static void make_fixtures(const char *dir)
{
	path_in(data, dir, "data");
	path_in(copy, dir, "copy");
	path_in(sl, dir, "symlink");
	path_in(hl, dir, "hardlink");
	path_in(missing, dir, "missing");
	static char bytes[DATA_SIZE];
	memset(bytes, 'd', sizeof(bytes));
	if (mkdir(dir, 0700) != 0)
		wlr_die("mkdir %s", dir);
	int fd = open(data, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, bytes, sizeof(bytes)) != (ssize_t)sizeof(bytes) || close(fd) != 0)
		wlr_die("%s", data);
	if ((fd = open(copy, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0 || close(fd) != 0)
		wlr_die("%s", copy);
}

/* Built in memory and written with one write(), so the length of the
 * text (which depends on N) never changes the number of calls. */
static void write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0)
		wlr_die("%s", path);
}

static void write_tally(const char *path, const struct wlr_tally *t)
{
	static const char *const names[WLR_NROWS] = {
#define WLR_NAME(name) [WLR_##name] = #name,
		WLR_ROWS(WLR_NAME)
#undef WLR_NAME
	};
	static char text[WLR_NROWS * 64 + 1024];
	size_t len = 0;
	for (int i = 0; i < WLR_NROWS; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s %llu %llu\n", names[i],
					(unsigned long long)t->calls[i],
					(unsigned long long)t->errors[i]);
	write_file(path, text, len);

	const struct wlr_net *n = &t->net;
	char netpath[4200];
	snprintf(netpath, sizeof(netpath), "%s.net", path);
	len = (size_t)snprintf(text, sizeof(text),
			       "tcp_port %u\ntcp_connects %llu\nclient_sent %llu\n"
			       "client_recvd %llu\naccepts %llu\nserver_sent %llu\n"
			       "server_recvd %llu\nrefused_port %u\nrefused %llu\n"
			       "lookups %llu\n",
			       n->tcp_port, (unsigned long long)n->tcp_connects,
			       (unsigned long long)n->client_sent,
			       (unsigned long long)n->client_recvd,
			       (unsigned long long)n->accepts,
			       (unsigned long long)n->server_sent,
			       (unsigned long long)n->server_recvd, n->refused_port,
			       (unsigned long long)n->refused, (unsigned long long)n->lookups);
	write_file(netpath, text, len);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--helper") == 0)
		_exit(0);
	static struct wlr_tally tally;
	static char self[4096];
	struct wlr_ctx c = {.t = &tally, .self = self};
	int opt;
	while ((opt = getopt(argc, argv, "x")) != -1) {
		if (opt != 'x')
			goto usage;
		c.strace_mode = 1;
	}
	if (argc - optind != 3)
		goto usage;
	long n = atol(argv[optind]);
	c.dir = argv[optind + 1];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		wlr_die("/proc/self/exe");
	self[len] = 0;
	make_fixtures(c.dir);
	wlr_net_setup(&c);
	for (long i = 0; i < n; i++) {
		wlr_net_iteration(&c);
		wlr_wait_iteration(&c);
		processes(&c);
		the_rest(&c);
	}
	write_tally(argv[optind + 2], &tally);
	unlink(copy);
	unlink(data);
	rmdir(c.dir);
	return 0;
usage:
	fprintf(stderr, "usage: wl_rows [-x] N DIR TALLY | wl_rows --helper\n");
	return 2;
}
