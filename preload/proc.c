/*
 * proc.c - fork, vfork, the exec family, posix_spawn and system.
 *
 * These cannot use the table's wrapper body: fork and vfork return twice,
 * a successful exec never returns. What they keep true:
 *   - a fork child never writes into its parent's segment (the atfork
 *     handlers in init.c hold the thread's busy flag across the fork, and
 *     the child makes its own segment before the flag drops);
 *   - a vfork child, which shares its parent's memory and TLS, passes
 *     every call through: the vfork trampoline raises the busy flag for
 *     the child and lowers it when the parent resumes. Its exec alone is
 *     counted, into the parent thread's counters (the parent is
 *     suspended until then), with no event: that is what strace -f sees
 *     of a shell's vfork + exec;
 *   - an exec is counted before it is attempted (a success does not come
 *     back) and marks the segment EXECED; a failure is added afterwards;
 *   - an exec or spawn whose environment no longer carries the shim is
 *     recorded (the collector reports the child as untraced), or, under
 *     `syswatch run --follow-exec`, gets the shim put back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "shim.h"
#include "sud.h"
#include "sys.h"

extern char **environ;

/* Whether env still names the shim in LD_PRELOAD and carries the session. */
int sw__env_keeps_shim(char *const env[])
{
	int preload = 0, session = 0;
	for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
		if (strncmp(env[i], "LD_PRELOAD=", 11) == 0 && strstr(env[i], "libsyswatch") != NULL)
			preload = 1;
		else if (strncmp(env[i], "SYSWATCH_SESSION=", 17) == 0)
			session = 1;
	}
	return preload && session;
}

static size_t env_count(char *const env[])
{
	size_t n = 0;
	while (env != NULL && env[n] != NULL)
		n++;
	return n;
}

/*
 * Fill out (room for env_count(env) + 4 pointers) with env plus the shim's
 * variables; strings go into buf. Returns out.
 */
static char **env_with_shim(char *const env[], char **out, char *buf, size_t cap)
{
	const char *old = NULL;
	size_t k = 0;
	for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
		if (strncmp(env[i], "LD_PRELOAD=", 11) == 0)
			old = env[i] + 11;
		else if (strncmp(env[i], "SYSWATCH_SESSION=", 17) != 0 &&
			 strncmp(env[i], "SYSWATCH_FOLLOW_EXEC=", 21) != 0)
			out[k++] = env[i];
	}
	int n = snprintf(buf, cap, "LD_PRELOAD=%s%s%s", sw__g.self_path, old && *old ? ":" : "",
			 old ? old : "");
	out[k++] = buf;
	char *p = buf + n + 1;
	size_t left = cap - (size_t)n - 1;
	n = snprintf(p, left, "SYSWATCH_SESSION=%s", sw__g.session);
	out[k++] = p;
	p += n + 1;
	out[k++] = strcpy(p, "SYSWATCH_FOLLOW_EXEC=1");
	out[k] = NULL;
	return out;
}

/* This thread may record, and the segment is this process's own. */
static struct sw_tls *enter_own(void)
{
	struct sw_tls *t = sw__enter();
	if (t != NULL && sw__g.seg->pid != (int)sw__sys0(SYS_getpid))
		return NULL;
	return t;
}

/* Count an exec (or spawn) attempt with what it will run; aux 1 marks an
 * environment that dropped the shim. Also complete mode's trapped execve
 * (sud_trap.c). */
void sw__exec_note_start(struct sw_tls *t, unsigned fn, unsigned row, const char *path, int lost)
{
	struct sw_cap cap = {.fd = -1, .path = path, .aux = (uint64_t)lost, .has_aux = lost};
	uint64_t now = sw__ticks();
	sw__record(t, fn, row, now, now, 0, 0, 0, &cap, -1, 0);
}

/* The exec came back: it failed. Add the error and its time to the row
 * counted by sw__exec_note_start, and an event that says why. */
void sw__exec_note_failed(struct sw_tls *t, unsigned fn, unsigned row, uint64_t t0, int err)
{
	uint64_t t1 = sw__ticks();
	struct sw_counter *c = &t->counters[row];
	sw__rec_begin(t);
	__atomic_store_n(&c->errors, c->errors + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&c->total, c->total + (t1 - t0), __ATOMIC_RELAXED);
	sw__rec_end(t);
	struct sw_cap cap = {.fd = -1};
	sw__event_only(t, fn, row, t0, t1, -1, 1, err, &cap);
	__atomic_store_n(&sw__g.seg->state, SW_SEG_RUNNING, __ATOMIC_RELEASE);
}

/* The parent thread's state when this is a vfork child (sharing it while
 * the parent is suspended, its busy flag raised once by the trampoline),
 * else NULL. */
static struct sw_tls *vfork_child(void)
{
	struct sw_tls *t = &sw__t;
	if (t->gen == 0 || t->gen != sw__g.gen || t->slot == NULL || t->busy != 1 ||
	    sw__g.seg == NULL || sw__g.seg->pid == (int)sw__sys0(SYS_getpid))
		return NULL;
	return t;
}

/* A vfork child's exec: one call counted before it is tried, its error
 * if it comes back; the busy flag stays up, the segment is the parent's. */
static int exec_in_vfork_child(struct sw_tls *t, unsigned row,
			       int (*call)(void *, char *const[]), void *ctx, char *const env[])
{
	sw__count_untimed(t, row, 1, 0);
	int r = call(ctx, (char *const *)env);
	int e = errno;
	sw__count_untimed(t, row, 0, 1);
	errno = e;
	return r;
}

typedef int (*execve_fn)(const char *, char *const[], char *const[]);

/*
 * The one exec path: every exec wrapper ends here with the function to
 * call (execve, execvpe or fexecve-like through a shim) and its env.
 */
static int do_exec(unsigned fn, unsigned row, const char *what, int (*call)(void *, char *const[]),
		   void *ctx, char *const env[])
{
	struct sw_tls *t = enter_own();
	if (t == NULL) {
		struct sw_tls *parent = sw__row_off[row] ? NULL : vfork_child();
		if (parent != NULL)
			return exec_in_vfork_child(parent, row, call, ctx, env);
		return call(ctx, (char *const *)env);
	}
	int keeps = sw__env_keeps_shim(env);
	char *const *use = env;
	size_t n = env_count(env);
	char *fixed[n + 4];
	char buf[sizeof sw__g.self_path + sizeof sw__g.session + 4096];
	if (!keeps && sw__g.follow_exec) {
		use = env_with_shim(env, fixed, buf, sizeof buf);
		keeps = 1;
	}
	if (sw__sud_armed(t)) /* complete mode: each execve attempt traps and is counted */
		return call(ctx, (char *const *)use);
	sw__exec_note_start(t, fn, row, what, !keeps);
	__atomic_store_n(&sw__g.seg->end_ticks, sw__ticks(), __ATOMIC_RELAXED);
	__atomic_store_n(&sw__g.seg->state, SW_SEG_EXECED, __ATOMIC_RELEASE);
	uint64_t t0 = sw__ticks();
	int r = call(ctx, use);
	int e = errno;
	sw__exec_note_failed(t, fn, row, t0, e);
	errno = e;
	return r;
}

struct exec_args {
	unsigned fn;
	const char *path;
	char *const *argv;
	int fd;
	int flags;
};

static int call_execve(void *p, char *const env[])
{
	struct exec_args *a = p;
	return ((execve_fn)sw__real(SW_FN_execve))(a->path, a->argv, env);
}

static int call_execvpe(void *p, char *const env[])
{
	struct exec_args *a = p;
	return ((execve_fn)sw__real(SW_FN_execvpe))(a->path, a->argv, env);
}

static int call_fexecve(void *p, char *const env[])
{
	struct exec_args *a = p;
	typedef int (*fexecve_fn)(int, char *const[], char *const[]);
	return ((fexecve_fn)sw__real(SW_FN_fexecve))(a->fd, a->argv, env);
}

static int call_execveat(void *p, char *const env[])
{
	struct exec_args *a = p;
	typedef int (*execveat_fn)(int, const char *, char *const[], char *const[], int);
	return ((execveat_fn)sw__real(SW_FN_execveat))(a->fd, a->path, a->argv, env, a->flags);
}

SW_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	struct exec_args a = {SW_FN_execve, path, argv, -1, 0};
	return do_exec(SW_FN_execve, SW_ROW_execve, path, call_execve, &a, envp);
}

SW_EXPORT int execv(const char *path, char *const argv[])
{
	struct exec_args a = {SW_FN_execv, path, argv, -1, 0};
	return do_exec(SW_FN_execv, SW_ROW_execve, path, call_execve, &a, environ);
}

SW_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	struct exec_args a = {SW_FN_execvpe, file, argv, -1, 0};
	return do_exec(SW_FN_execvpe, SW_ROW_execve, file, call_execvpe, &a, envp);
}

SW_EXPORT int execvp(const char *file, char *const argv[])
{
	struct exec_args a = {SW_FN_execvp, file, argv, -1, 0};
	return do_exec(SW_FN_execvp, SW_ROW_execve, file, call_execvpe, &a, environ);
}

SW_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
	struct exec_args a = {SW_FN_fexecve, NULL, argv, fd, 0};
	return do_exec(SW_FN_fexecve, SW_ROW_execveat, NULL, call_fexecve, &a, envp);
}

SW_EXPORT int execveat(int fd, const char *path, char *const argv[], char *const envp[],
		       int flags)
{
	struct exec_args a = {SW_FN_execveat, path, argv, fd, flags};
	return do_exec(SW_FN_execveat, SW_ROW_execveat, path, call_execveat, &a, envp);
}

/* execl, execlp, execle: gather the variadic list into an argv on the
 * stack (no allocation), then take the path of execv/execvp/execve.
 * count_args counts the non-NULL arguments, arg included; out of line so
 * that glibc's nonnull attribute on arg does not let the compiler assume
 * what a buggy caller may still pass. */
__attribute__((noinline)) static size_t count_args(const char *arg, va_list ap)
{
	if (arg == NULL)
		return 0;
	size_t n = 1;
	va_list c;
	va_copy(c, ap);
	while (va_arg(c, const char *) != NULL)
		n++;
	va_end(c);
	return n;
}

/* argv[0..n-1] from arg and the list, argv[n] = NULL; the list's NULL
 * terminator is consumed too (execle's envp follows it). */
#define GATHER_ARGV(argv, arg, ap, n)            \
	char *argv[(n) + 1];                     \
	argv[0] = (char *)(arg);                 \
	for (size_t i_ = 1; i_ < (n); i_++)      \
		argv[i_] = va_arg(ap, char *);   \
	if ((n) > 0)                             \
		(void)va_arg(ap, char *);        \
	argv[(n)] = NULL

SW_EXPORT int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	size_t n = count_args(arg, ap);
	GATHER_ARGV(argv, arg, ap, n);
	va_end(ap);
	struct exec_args a = {SW_FN_execl, path, argv, -1, 0};
	return do_exec(SW_FN_execl, SW_ROW_execve, path, call_execve, &a, environ);
}

SW_EXPORT int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	size_t n = count_args(arg, ap);
	GATHER_ARGV(argv, arg, ap, n);
	va_end(ap);
	struct exec_args a = {SW_FN_execlp, file, argv, -1, 0};
	return do_exec(SW_FN_execlp, SW_ROW_execve, file, call_execvpe, &a, environ);
}

SW_EXPORT int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	size_t n = count_args(arg, ap);
	GATHER_ARGV(argv, arg, ap, n);
	char *const *envp = va_arg(ap, char *const *);
	va_end(ap);
	struct exec_args a = {SW_FN_execle, path, argv, -1, 0};
	return do_exec(SW_FN_execle, SW_ROW_execve, path, call_execve, &a, envp);
}

typedef int (*spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
			const posix_spawnattr_t *, char *const[], char *const[]);

/* posix_spawn and posix_spawnp: one clone3 in the parent; the child runs
 * glibc-internal code only until its exec, so it never enters the shim. */
static int spawn(unsigned fn, pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *at, char *const argv[], char *const envp[])
{
	spawn_fn real = (spawn_fn)sw__real(fn);
	if (real == NULL)
		return ENOSYS;
	struct sw_tls *t = enter_own();
	if (t == NULL)
		return real(pid, path, fa, at, argv, envp);
	int keeps = sw__env_keeps_shim(envp);
	char *const *use = envp;
	size_t n = env_count(envp);
	char *fixed[n + 4];
	char buf[sizeof sw__g.self_path + sizeof sw__g.session + 4096];
	if (!keeps && sw__g.follow_exec) {
		use = env_with_shim(envp, fixed, buf, sizeof buf);
		keeps = 1;
	}
	if (sw__sud_armed(t)) /* complete mode: the clone and the child's calls trap */
		return real(pid, path, fa, at, argv, use);
	pid_t child = 0;
	struct sw_cap cap = {.fd = -1, .path = path, .aux = 1, .has_aux = !keeps};
	uint64_t t0 = sw__ticks();
	int r = real(&child, path, fa, at, argv, use);
	uint64_t t1 = sw__ticks();
	int e = errno;
	if (pid != NULL && r == 0)
		*pid = child;
	if (r == 0)
		__atomic_store_n(&sw__g.seg->forked_child, child, __ATOMIC_RELEASE);
	sw__record(t, fn, SW_ROW_clone3, t0, t1, r == 0 ? child : -1, r != 0, r, &cap, -1, 0);
	errno = e;
	return r;
}

SW_EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
			  const posix_spawnattr_t *at, char *const argv[], char *const envp[])
{
	return spawn(SW_FN_posix_spawn, pid, path, fa, at, argv, envp);
}

SW_EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
			   const posix_spawnattr_t *at, char *const argv[], char *const envp[])
{
	return spawn(SW_FN_posix_spawnp, pid, file, fa, at, argv, envp);
}

SW_EXPORT pid_t fork(void)
{
	typedef pid_t (*fork_fn)(void);
	fork_fn real = (fork_fn)sw__real(SW_FN_fork);
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	struct sw_tls *t = enter_own();
	if (t == NULL)
		return real();
	/* Complete mode: the clone is let through and counted here (a trapped
	 * one would come while the atfork handler holds the busy flag); the
	 * child turns its dispatch on in that handler and gets sel back. */
	uint8_t sel = sw__sud_allow(t);
	uint64_t t0 = sw__ticks();
	pid_t r = real();
	sw__sud_restore(t, sel);
	if (r == 0)
		return 0; /* the child has its own segment now (init.c) */
	uint64_t t1 = sw__ticks();
	int e = errno;
	if (r > 0)
		__atomic_store_n(&sw__g.seg->forked_child, r, __ATOMIC_RELEASE);
	struct sw_cap cap = {.fd = -1};
	sw__record(t, SW_FN_fork, SW_ROW_clone, t0, t1, r, r < 0, e, &cap, -1, 0);
	errno = e;
	return r;
}

/* Called by the vfork trampoline in the parent once the child has exec'd
 * or exited; turns the raw syscall result into vfork's. */
long sw__vfork_parent(long r) SW_HIDDEN;
long sw__vfork_parent(long r)
{
	struct sw_tls *t = enter_own();
	if (r < 0) {
		errno = (int)-r;
		r = -1;
	}
	if (t != NULL) {
		int e = errno;
		uint64_t now = sw__ticks();
		struct sw_cap cap = {.fd = -1};
		if (r > 0)
			__atomic_store_n(&sw__g.seg->forked_child, (int)r, __ATOMIC_RELEASE);
		sw__record(t, SW_FN_vfork, SW_ROW_vfork, now, now, r, r < 0, e, &cap, -1, 0);
		errno = e;
	}
	return r;
}

/* In the vfork child, before it returns to its caller. Under complete
 * mode (sud.c) its calls are counted, in its parent's slot (the parent
 * is suspended until the child execs or exits): it lowers the busy flag
 * the trampoline raised and turns its own dispatch on (the kernel does
 * not pass it on). Otherwise its calls pass through uncounted. */
long sw__vfork_child(void) SW_HIDDEN;
long sw__vfork_child(void)
{
	if (sw__g.complete && sw__t.sud) {
		sw__t.busy--;
		sw__sud_thread_on(1);
	}
	return 0;
}

/*
 * vfork: the child borrows the parent's stack and thread-local storage
 * until it execs or exits, so this cannot be a C function (its frame would
 * be reused by the child). The return address is kept in a register, as
 * glibc's own vfork does; the busy flag (struct sw_tls, offset 4) is raised
 * for the child's sake, and the parent puts back the value it had (kept
 * in edx, which the syscall preserves), whatever the child did with it.
 */
_Static_assert(__builtin_offsetof(struct sw_tls, busy) == 4, "vfork trampoline offset");
__asm__(".text\n"
	".globl vfork\n"
	".type vfork, @function\n"
	"vfork:\n"
	"	popq %rsi\n"
	"	movq sw__t@gottpoff(%rip), %rcx\n"
	"	movl %fs:4(%rcx), %edx\n"
	"	incl %fs:4(%rcx)\n"
	"	movl $58, %eax\n" /* SYS_vfork */
	"	syscall\n"
	"	testq %rax, %rax\n"
	"	jz 1f\n"
	"	pushq %rsi\n"
	"	movq sw__t@gottpoff(%rip), %rcx\n"
	"	movl %edx, %fs:4(%rcx)\n"
	"	subq $8, %rsp\n"
	"	movq %rax, %rdi\n"
	"	call sw__vfork_parent\n"
	"	addq $8, %rsp\n"
	"	ret\n"
	"1:	pushq %rsi\n"
	"	jmp sw__vfork_child\n"
	".size vfork, .-vfork\n");

SW_EXPORT int system(const char *cmd)
{
	typedef int (*system_fn)(const char *);
	system_fn real = (system_fn)sw__real(SW_FN_system);
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	struct sw_tls *t = enter_own();
	if (t == NULL || cmd == NULL)
		return real(cmd);
	int keeps = sw__env_keeps_shim(environ);
	if (!keeps && sw__g.follow_exec) {
		/* system() runs its shell with environ: put the shim back there
		 * (setenv allocates, but so does system itself). */
		char buf[sizeof sw__g.self_path + 4096];
		const char *old = getenv("LD_PRELOAD");
		snprintf(buf, sizeof buf, "%s%s%s", sw__g.self_path, old && *old ? ":" : "",
			 old ? old : "");
		setenv("LD_PRELOAD", buf, 1);
		setenv("SYSWATCH_SESSION", sw__g.session, 1);
		setenv("SYSWATCH_FOLLOW_EXEC", "1", 1);
		keeps = 1;
	}
	struct sw_cap cap = {.fd = -1, .path = cmd, .aux = 1, .has_aux = !keeps};
	uint64_t t0 = sw__ticks();
	int r = real(cmd);
	uint64_t t1 = sw__ticks();
	int e = errno;
	sw__record(t, SW_FN_system, SW_ROW_system, t0, t1, r, r == -1, e, &cap, -1, 0);
	errno = e;
	return r;
}
