/*
 * audit.c - libsyswatch_audit.so, the LD_AUDIT side of complete mode.
 *
 * The dynamic loader maps an audit library and calls its la_version
 * before it loads the program's dependencies (and LD_PRELOAD'ed
 * libsyswatch.so). From there to la_preinit, when every object is loaded
 * and relocated, this object turns Syscall User Dispatch on for the main
 * thread (the only one) and counts every syscall by number. The shim's
 * constructor (which runs before la_preinit: glibc calls that from
 * __libc_start_main) finds this object through the SIGSYS handler it
 * replaces, takes the table (exported as sw_audit_table), marks it taken
 * and adds it to the main thread's counters. So the loader's
 * openat/read/mmap/mprotect/close of the libraries are in the sw_audit_table.
 * When no shim took over (SYSWATCH_DISABLE, no LD_PRELOAD), la_preinit
 * turns dispatch off again.
 *
 * A separate object, not la_version in libsyswatch.so: an audit library is
 * loaded into a namespace of its own, and its constructors run there; the
 * shim's would start a second session. It links nothing, not even libc
 * (built -nostdlib): a libc in the audit namespace would be searched for
 * along the program's RPATH first, and the loader, which remembers the
 * directories it found missing, would then skip probes strace sees it
 * make for the program's own libraries (measured on pyenv's CPython: 10
 * failed openat and 10 failed newfstatat fewer). Its code is in one
 * section, sw_audit_text, whose bounds are the allowed range.
 * Only the loader and IFUNC resolvers run in the window, on one thread:
 * the handler needs none of the shim's signal and clone handling, and
 * when the shim is not there (SYSWATCH_DISABLE, a setuid program) nothing
 * is left on after la_preinit. LD_AUDIT names it only under
 * `syswatch run --complete`.
 */
#define _GNU_SOURCE
#include <link.h>
#include <signal.h>
#include <ucontext.h>
#include <x86intrin.h>

#include "sud_text.h"
#include "sys.h"

#define AUDIT_EXPORT __attribute__((visibility("default")))
#define AUDIT_TEXT   __attribute__((section("sw_audit_text"), noinline))

/* Bounds of the section, from the linker. */
extern const char __start_sw_audit_text[] __attribute__((visibility("hidden")));
extern const char __stop_sw_audit_text[] __attribute__((visibility("hidden")));

void sw__audit_restore(void) __attribute__((visibility("hidden")));
__asm__(".section sw_audit_text,\"ax\",@progbits\n"
	"sw__audit_restore:\n"
	"	movl $15, %eax\n"
	"	syscall\n"
	"	hlt\n"
	".text\n");

AUDIT_EXPORT struct sw_audit_early sw_audit_table = {.magic = SW_AUDIT_MAGIC};
static volatile char selector = SW_SEL_ALLOW;
static int active;

/* Perform the trapped call from this object's text and count it. */
AUDIT_TEXT static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
	long nr = (long)g[REG_RAX];
	uint64_t t0 = __rdtsc();
	long r = sw__sys6(nr, (long)g[REG_RDI], (long)g[REG_RSI], (long)g[REG_RDX],
			  (long)g[REG_R10], (long)g[REG_R8], (long)g[REG_R9]);
	uint64_t t1 = __rdtsc();
	if (nr >= 0 && nr < SW_AUDIT_NR) {
		sw_audit_table.calls[nr]++;
		sw_audit_table.errors[nr] += r < 0 && r > -4096;
		sw_audit_table.ticks[nr] += t1 - t0;
	}
	g[REG_RAX] = (greg_t)r;
}

AUDIT_EXPORT AUDIT_TEXT unsigned la_version(unsigned version)
{
	uintptr_t lo = (uintptr_t)__start_sw_audit_text;
	uintptr_t len = (uintptr_t)__stop_sw_audit_text - lo + 2;
	struct sw_ksigaction sa;
	sa.handler = (void *)on_sigsys;
	sa.flags = SA_SIGINFO | SA_NODEFER | SA_RESTORER;
	sa.restorer = (void *)sw__audit_restore;
	sa.mask = 0;
	if (sw__sys4(SYS_rt_sigaction, SIGSYS, &sa, &sw_audit_table.old, 8) != 0)
		return version;
	uint64_t sigsys = 1ull << (SIGSYS - 1);
	(void)sw__sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &sigsys, 0, 8);
	if (sw__sys6(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (long)lo,
		     (long)len, (long)&selector, 0) != 0) {
		(void)sw__sys4(SYS_rt_sigaction, SIGSYS, &sw_audit_table.old, 0, 8);
		return version; /* the shim says why, in one line */
	}
	selector = SW_SEL_BLOCK;
	active = 1;
	return version;
}

/* Whether path names the shim (".../libsyswatch.so"). */
AUDIT_TEXT static int is_shim(const char *path)
{
	static const char tail[] = "/libsyswatch.so";
	size_t n = 0, k = sizeof tail - 1;
	while (path != NULL && path[n] != 0)
		n++;
	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (path[n - k + i] != tail[i])
			return 0;
	return 1;
}

/*
 * The loader's work on libsyswatch.so itself (open, read, stat, map,
 * close) is not the program's: la_objsearch is called before the loader
 * opens it, la_objopen once it is mapped, and the calls in between are
 * set apart (the shim subtracts them). Flags 0: no symbol binding is
 * audited, so binding costs nothing more.
 */
static uint64_t at_search[SW_AUDIT_NR];

AUDIT_EXPORT AUDIT_TEXT char *la_objsearch(const char *name, uintptr_t *cookie, unsigned flag)
{
	(void)cookie;
	(void)flag;
	if (active && is_shim(name))
		for (unsigned i = 0; i < SW_AUDIT_NR; i++)
			at_search[i] = sw_audit_table.calls[i];
	return (char *)name;
}

AUDIT_EXPORT AUDIT_TEXT unsigned la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie)
{
	(void)lmid;
	(void)cookie;
	if (active && is_shim(map->l_name))
		for (unsigned i = 0; i < SW_AUDIT_NR; i++)
			sw_audit_table.self[i] = sw_audit_table.calls[i] - at_search[i];
	return 0;
}

AUDIT_EXPORT AUDIT_TEXT void la_preinit(uintptr_t *cookie)
{
	(void)cookie;
	if (!active || __atomic_load_n(&sw_audit_table.taken, __ATOMIC_ACQUIRE))
		return;
	selector = SW_SEL_ALLOW;
	(void)sw__sys6(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0, 0);
	(void)sw__sys4(SYS_rt_sigaction, SIGSYS, &sw_audit_table.old, 0, 8);
	active = 0;
}
