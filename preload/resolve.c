/*
 * resolve.c - finding the real libc functions behind the wrappers.
 *
 * All symbols are resolved once from the constructor, before the program
 * can start threads. A wrapper that runs earlier (another library's
 * constructor) resolves its own symbol on demand: dlsym is safe to call
 * from there because the shim wraps no allocator.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

#include "shim.h"

void *sw__reals[SW_FN_COUNT];

static const char *const names[SW_FN_COUNT] = {
#define SW_NAME(name, ...) [SW_FN_##name] = #name,
	SW_CALLS(SW_NAME)
#undef SW_NAME
#define SW_LOCK_NAME(cname, sym, ...) [SW_FN_##cname] = #sym,
	SW_CALLS_LOCK(SW_LOCK_NAME)
#undef SW_LOCK_NAME
#define SW_HAND_NAME(name) [SW_FN_##name] = #name,
	SW_CALLS_HAND(SW_HAND_NAME)
#undef SW_HAND_NAME
};

/* The __xstat family exists in glibc 2.33+ only as compatibility symbols
 * (of version GLIBC_2.2.5, or GLIBC_2.4 for __fxstatat), which plain dlsym
 * does not return. */
static const char *const compat_versions[] = {"GLIBC_2.2.5", "GLIBC_2.4"};

/* The symbol version each call id must resolve to, when it has one. */
#define V_DEFAULT NULL
#define V_2_3_2 "GLIBC_2.3.2"
#define V_2_2_5 "GLIBC_2.2.5"
static const char *const versions[SW_FN_COUNT] = {
#define SW_LOCK_VER(cname, sym, ver, ...) [SW_FN_##cname] = ver,
	SW_CALLS_LOCK(SW_LOCK_VER)
#undef SW_LOCK_VER
};

void *sw__real(unsigned fn)
{
	void *p = __atomic_load_n(&sw__reals[fn], __ATOMIC_ACQUIRE);
	if (__builtin_expect(p != NULL, 1))
		return p;
	const char *n = names[fn];
	if (versions[fn] != NULL)
		p = dlvsym(RTLD_NEXT, n, versions[fn]);
	else
		p = dlsym(RTLD_NEXT, n);
	for (unsigned i = 0; p == NULL && i < sizeof compat_versions / sizeof *compat_versions; i++)
		p = dlvsym(RTLD_NEXT, n, compat_versions[i]);
	if (p != NULL)
		__atomic_store_n(&sw__reals[fn], p, __ATOMIC_RELEASE);
	return p;
}

void sw__resolve_all(void)
{
	for (unsigned i = 0; i < SW_FN_COUNT; i++)
		(void)sw__real(i);
}
