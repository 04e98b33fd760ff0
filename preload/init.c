/*
 * init.c - the shim's start and end: constructor, fork handling, process
 * exit, and starting a collector when the program was run with a plain
 * LD_PRELOAD (no `syswatch run` around it).
 *
 * Nothing here runs on the wrapper path; the constructor may allocate
 * (setenv) and print one line when it cannot work.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "syswatch/dirs.h"
#include "shim.h"
#include "sud.h"
#include "sys.h"

/* The longest the program's exit waits for its collector's table. */
#define SW_EXIT_WAIT_NS 5000000ull

struct sw_global sw__g;
uint8_t sw__row_off[SW_ROW_COUNT];

static const char *const row_names[SW_ROW_COUNT] = {
#define ROW_NAME(id, name, cls, flags) [SW_ROW_##id] = name,
	SW_ROWS(ROW_NAME)
#undef ROW_NAME
};

/*
 * SYSWATCH_ROWS=name,name,...: record only these rows (syswatch run -e
 * trace=SET resolves classes and negation into this list). Unknown names
 * are ignored here; the CLI has already refused them.
 */
static void select_rows(const char *list)
{
	if (list == NULL || *list == 0)
		return;
	memset(sw__row_off, 1, sizeof sw__row_off);
	while (*list) {
		size_t n = strcspn(list, ",");
		for (unsigned r = 0; r < SW_ROW_COUNT; r++)
			if (strlen(row_names[r]) == n && strncmp(row_names[r], list, n) == 0)
				sw__row_off[r] = 0;
		list += n;
		if (*list == ',')
			list++;
	}
}
int sw__use_tsc;

int sw__tsc_invariant(void)
{
	unsigned a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000000u), "c"(0));
	if (a < 0x80000007u)
		return 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x80000007u), "c"(0));
	return (d >> 8) & 1;
}

static void warn(const char *msg)
{
	(void)sw__sys3(SYS_write, 2, msg, strlen(msg));
}

static unsigned long env_num(const char *name, unsigned long dflt, unsigned long lo,
			     unsigned long hi)
{
	const char *s = getenv(name);
	if (s == NULL || *s == 0)
		return dflt;
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*end != 0)
		return dflt;
	return v < lo ? lo : v > hi ? hi : v;
}

/* Whether dir (lstat, no link followed) passes the rule the CLI applies
 * too (syswatch/dirs.h); 0 or a negative errno. */
static int dir_ok(const char *dir)
{
	struct stat st = {0}; /* filled by the raw syscall */
	long r = sw__sys4(SYS_newfstatat, AT_FDCWD, dir, &st, AT_SYMLINK_NOFOLLOW);
	if (r < 0)
		return (int)r;
	switch (sw_dir_check(st.st_mode, st.st_uid, geteuid())) {
	case SW_DIR_OK:
		return 0;
	case SW_DIR_NOT_DIR:
		return S_ISLNK(st.st_mode) ? -ELOOP : -ENOTDIR;
	default:
		return -EPERM;
	}
}

/* The per-user directory ($SYSWATCH_DIR, else /dev/shm/syswatch-UID),
 * created if missing, and passing dir_ok. */
static int user_dir(char *out, size_t cap)
{
	const char *env = getenv(SW_DIR_ENV);
	int n = env != NULL && *env ? snprintf(out, cap, "%s", env)
				    : snprintf(out, cap, SW_DIR_BASE "/syswatch-%u", (unsigned)getuid());
	if (n < 0 || (size_t)n >= cap)
		return -ENAMETOOLONG;
	long r = sw__sys2(SYS_mkdir, out, 0700);
	if (r < 0 && r != -EEXIST)
		return (int)r;
	return dir_ok(out);
}

/* Path of the syswatch binary that belongs to this libsyswatch.so. */
static int find_collector(char *out, size_t cap)
{
	Dl_info info;
	if (dladdr((void *)&find_collector, &info) == 0 || info.dli_fname == NULL)
		return -1;
	const char *slash = strrchr(info.dli_fname, '/');
	int dirlen = slash ? (int)(slash - info.dli_fname) : 1;
	const char *dir = slash ? info.dli_fname : ".";
	static const char *const rel[] = {"/syswatch", "/../bin/syswatch", "/../../bin/syswatch"};
	for (unsigned i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		snprintf(out, cap, "%.*s%s", dirlen, dir, rel[i]);
		if (sw__sys4(SYS_faccessat, AT_FDCWD, out, X_OK, 0) == 0)
			return 0;
	}
	return -1;
}

/* Grandchild: become the collector. Only raw system calls from here. */
static void exec_collector(const char *exe, const char *session, int root)
{
	extern char **environ;
	size_t n = 0;
	while (environ[n])
		n++;
	const char *envp[n + 1];
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) != 0)
			envp[k++] = environ[i];
	envp[k] = NULL;
	char rootbuf[16];
	snprintf(rootbuf, sizeof rootbuf, "%d", root);
	const char *argv[] = {"syswatch", "collect", "--session", session, "--root-pid", rootbuf, NULL};
	(void)sw__sys2(SYS_setpgid, 0, 0);
	long nul = sw__sys4(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR, 0);
	if (nul >= 0) {
		(void)sw__sys2(SYS_dup2, nul, 0);
		(void)sw__sys2(SYS_dup2, nul, 1);
	}
	(void)sw__sys3(SYS_execve, exe, argv, envp);
	warn("syswatch: cannot start the collector; no report will be printed\n");
	sw__sys1(SYS_exit_group, 127);
}

/* No session around us: make one and start a collector for it. */
static int start_auto_session(void)
{
	char dir[200], exe[512];
	int r = user_dir(dir, sizeof dir);
	if (r < 0) {
		fprintf(stderr, "syswatch: %s is not a private directory of ours (%s); not "
				"tracing\n", dir, strerror(-r));
		return -1;
	}
	if (find_collector(exe, sizeof exe) < 0) {
		warn("syswatch: no 'syswatch' binary next to libsyswatch.so; not tracing\n");
		return -1;
	}
	int pid = getpid();
	snprintf(sw__g.session, sizeof sw__g.session, "%s/a%d-%llx", dir, pid,
		 (unsigned long long)(__rdtsc() & 0xffffffffu));
	r = (int)sw__sys2(SYS_mkdir, sw__g.session, 0700);
	if (r < 0) {
		fprintf(stderr, "syswatch: cannot create %s: %s; not tracing\n", sw__g.session,
			strerror(-r));
		return -1;
	}
	char pidbuf[16];
	snprintf(pidbuf, sizeof pidbuf, "%d", pid);
	setenv("SYSWATCH_SESSION", sw__g.session, 1);
	setenv("SYSWATCH_ROOT_PID", pidbuf, 1);
	/* Double fork: the collector must not be our child, or a program that
	 * waits for "any child" would reap it. */
	long c = sw__sys0(SYS_fork);
	if (c == 0) {
		long g = sw__sys0(SYS_fork);
		if (g == 0)
			exec_collector(exe, sw__g.session, pid);
		sw__sys1(SYS_exit_group, g < 0 ? 1 : 0);
	}
	if (c < 0)
		return -1;
	(void)sw__sys4(SYS_wait4, c, 0, 0, 0);
	sw__g.auto_root = 1;
	return 0;
}

/*
 * Around fork, the forking thread's busy flag is held: in the child, any
 * wrapped call made by other atfork handlers before ours passes through
 * instead of writing into the parent's segment (still mapped, and shared).
 */
static void before_fork(void)
{
	sw__t.busy++;
}

static void after_fork_parent(void)
{
	sw__t.busy--;
}

static void after_fork_child(void)
{
	if (sw__g.seg != NULL) {
		sw__segment_drop();
		sw__g.auto_root = 0;
		sw__g.have_exit_status = 0;
		if (sw__segment_create() != 0) {
			__atomic_store_n(&sw__g.gen, 0, __ATOMIC_RELEASE);
		} else {
			uint32_t g = sw__g.gen + 1;
			__atomic_store_n(&sw__g.gen, g ? g : 1, __ATOMIC_RELEASE);
		}
	}
	sw__sud_thread_on(1); /* dispatch does not pass through fork */
	sw__t.busy--;
}

/* Remember where this library lives, for execs under --follow-exec. */
static void note_self_path(void)
{
	Dl_info info;
	if (dladdr((void *)&note_self_path, &info) != 0 && info.dli_fname != NULL &&
	    strlen(info.dli_fname) < sizeof sw__g.self_path)
		strcpy(sw__g.self_path, info.dli_fname);
}

/*
 * The execve that started the traced command: strace -f -c counts it
 * once, in the command's process, and no wrapper saw it (syswatch run
 * made it, or the shell before LD_PRELOAD took effect). Counted, untimed,
 * by the image it started: the root of an auto session, or the process
 * `syswatch run` names in SYSWATCH_ROOT_EXEC, a variable removed here so
 * that a later exec of the same pid (counted by its wrapper) is not
 * counted twice.
 */
static void count_root_exec(int auto_started)
{
	const char *root = getenv("SYSWATCH_ROOT_EXEC");
	int named = root != NULL && atoi(root) == (int)sw__sys0(SYS_getpid); /* not the wrapper */
	if (root != NULL)
		unsetenv("SYSWATCH_ROOT_EXEC");
	struct sw_tls *t = auto_started || named ? sw__enter() : NULL;
	if (t != NULL)
		sw__count_untimed(t, SW_ROW_execve, 1, 0);
}

__attribute__((constructor(101))) static void sw_init(void)
{
	if (getauxval(AT_SECURE))
		return; /* setuid/setgid: stay inert */
	const char *off = getenv("SYSWATCH_DISABLE");
	if (off != NULL && *off != 0 && *off != '0')
		return;
	const char *clk = getenv("SYSWATCH_CLOCK");
	sw__use_tsc = sw__tsc_invariant() && !(clk && strcmp(clk, "monotonic") == 0);
	unsigned long kb = env_num("SYSWATCH_RING_KB", SW_RING_DEFAULT / 1024, SW_RING_MIN / 1024,
				   SW_RING_MAX / 1024);
	uint32_t ring = SW_RING_MIN;
	while ((uint64_t)ring * 2 <= kb * 1024)
		ring *= 2;
	sw__g.ring_size = ring;
	sw__g.nslots = (uint32_t)env_num("SYSWATCH_SLOTS", SW_SLOTS_DEFAULT, 1, SW_SLOTS_MAX);

	/* Complete mode first: from here the shim's own start-up calls pass
	 * through its handler unrecorded (recording is not on yet), instead
	 * of being counted by the audit object as the program's. */
	sw__sud_start();
	select_rows(getenv("SYSWATCH_ROWS"));
	int auto_started = 0;
	sw__resolve_all();
	note_self_path();
	const char *follow = getenv("SYSWATCH_FOLLOW_EXEC");
	sw__g.follow_exec = follow != NULL && strcmp(follow, "1") == 0;
	const char *session = getenv("SYSWATCH_SESSION");
	if (session != NULL && *session != 0) {
		if (strlen(session) >= sizeof sw__g.session) {
			sw__sud_stop();
			return;
		}
		int r = dir_ok(session);
		if (r < 0) {
			sw__sud_stop();
			fprintf(stderr, "syswatch: session directory %s is not a private directory "
					"of ours (%s); not tracing\n", session, strerror(-r));
			return;
		}
		strcpy(sw__g.session, session);
		const char *root = getenv("SYSWATCH_ROOT_PID");
		if (root != NULL && atoi(root) == getpid())
			sw__g.auto_root = 1; /* the root after an exec */
	} else if (start_auto_session() != 0) {
		sw__sud_stop();
		return;
	} else {
		auto_started = 1;
	}
	if (sw__segment_create() != 0) {
		sw__sud_stop();
		return;
	}
	(void)sw__thread_init();
	(void)pthread_atfork(before_fork, after_fork_parent, after_fork_child);
	sw__g.on = 1;
	__atomic_store_n(&sw__g.gen, 1, __ATOMIC_RELEASE);
	count_root_exec(auto_started);
	if (sw__g.complete)
		sw__sud_adopt_early();
}

/*
 * Whether our collector still runs. kill(pid, 0) alone is not enough: a
 * killed collector stays a zombie until whoever adopted it (it was double
 * forked: pid 1 or a subreaper) waits for it, which a pid 1 that never
 * reaps (many containers) never does, and the exit would then wait the
 * full bound. So a pid whose /proc state is Z or X counts as gone, and
 * one that is stopped (T, t) as making no progress; when /proc cannot be
 * read, kill(pid, 0) decides alone.
 */
static int collector_alive(struct sw_seg_header *h)
{
	int pid = __atomic_load_n(&h->collector_pid, __ATOMIC_ACQUIRE);
	if (pid <= 0 || sw__sys2(SYS_kill, pid, 0) != 0)
		return 0;
	char path[32], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	long fd = sw__sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 1;
	long n = sw__sys3(SYS_read, fd, buf, sizeof buf - 1);
	(void)sw__sys1(SYS_close, fd);
	if (n <= 0)
		return 1;
	buf[n] = 0;
	const char *p = strrchr(buf, ')'); /* comm may hold spaces and parens */
	/* Z, X: gone; T, t: stopped (SIGSTOP, a debugger): makes no progress. */
	return !(p != NULL && p[1] == ' ' && p[2] != 0 && strchr("ZXTt", p[2]) != NULL);
}

void sw__process_end(int status, int have_status)
{
	struct sw_seg_header *h = sw__g.seg;
	if (h == NULL || __atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != SW_SEG_RUNNING)
		return;
	if (h->pid != (int)sw__sys0(SYS_getpid))
		return; /* a vfork child: the segment is its parent's */
	struct sw_tls *t = sw__row_off[SW_ROW_exit_group] ? NULL : sw__enter();
	if (t != NULL) {
		uint64_t now = sw__ticks();
		struct sw_cap cap = {0};
		sw__record(t, SW_FN_exit, SW_ROW_exit_group, now, now, 0, 0, 0, &cap, -1, 0);
	}
	if (have_status)
		h->exit_status = status;
	h->end_ticks = sw__ticks();
	__atomic_store_n(&h->state, SW_SEG_EXITED, __ATOMIC_RELEASE);
	if (!sw__g.auto_root)
		return;
	/* Give our collector a few milliseconds to print, so that the table
	 * usually comes before the shell prompt, as with strace -c; never
	 * more: a collector that is stopped, slow or gone must not hold the
	 * program. It reads the segments after we are gone and prints then. */
	uint64_t until = sw__mono_ns() + SW_EXIT_WAIT_NS;
	struct timespec step = {0, 250000};
	while (__atomic_load_n(&h->report_done, __ATOMIC_ACQUIRE) == 0 && collector_alive(h) &&
	       sw__mono_ns() < until)
		(void)sw__sys2(SYS_nanosleep, &step, 0);
}

__attribute__((destructor(101))) static void sw_fini(void)
{
	sw__process_end(sw__g.exit_status, sw__g.have_exit_status);
}
