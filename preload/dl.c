/*
 * dl.c - dlopen, wrapped by hand.
 *
 * glibc's dlopen looks at its caller's address: the calling object's
 * DT_RUNPATH/DT_RPATH decide where a bare library name is searched. Called
 * from this wrapper, the caller would be libsyswatch.so, which has neither.
 * So a bare name from a caller that has a RUNPATH or RPATH is passed
 * through untimed, by a tail call that keeps the caller's return address;
 * every other call (a path with '/', or a caller without search paths,
 * where the answer is the same from here) is timed under the dlopen row.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <string.h>

#include "clock.h"
#include "shim.h"

typedef void *(*dlopen_fn)(const char *, int);

/* Whether the object containing addr has DT_RUNPATH or DT_RPATH. */
static int caller_has_search_path(const void *addr)
{
	Dl_info info;
	struct link_map *map = NULL;
	if (dladdr1(addr, &info, (void **)&map, RTLD_DL_LINKMAP) == 0 || map == NULL ||
	    map->l_ld == NULL)
		return 1; /* unknown caller: be safe */
	for (const ElfW(Dyn) *d = map->l_ld; d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_RUNPATH || d->d_tag == DT_RPATH)
			return 1;
	return 0;
}

__attribute__((noinline)) static void *timed_dlopen(dlopen_fn real, struct sw_tls *t,
						   const char *file, int mode)
{
	struct sw_cap cap = {.fd = -1, .path = file};
	uint64_t t0 = sw__ticks();
	void *r = real(file, mode);
	uint64_t t1 = sw__ticks();
	int e = errno;
	sw__record(t, SW_FN_dlopen, SW_ROW_dlopen, t0, t1, r != NULL, r == NULL, 0, &cap, -1, 0);
	errno = e;
	return r;
}

SW_EXPORT void *dlopen(const char *file, int mode)
{
	dlopen_fn real = (dlopen_fn)sw__real(SW_FN_dlopen);
	if (real == NULL)
		return NULL;
	struct sw_tls *t = sw__enter();
	if (t != NULL && file != NULL) {
		int e0 = errno;
		int bare = strchr(file, '/') == NULL;
		int pass = bare && caller_has_search_path(__builtin_return_address(0));
		errno = e0;
		if (!pass)
			return timed_dlopen(real, t, file, mode);
	}
	return real(file, mode); /* compiled as a tail call: see tests */
}
