/*
 * wrap_mem.c - the memory family of the call table. Only the program's
 * own calls pass through here: malloc's and the loader's mmap calls are
 * made inside libc (see README, "Known limits").
 */
#include "wrap.h"

/* glibc's current break; NULL until the first brk (malloc makes it). */
extern void *__curbrk;

/* sbrk(0) answers from __curbrk without a syscall once the break is
 * known; any other increment issues one brk. (Before the break is known,
 * sbrk(n) issues two: the first, brk(0), is not counted.) */
int sw__sbrk_issues(intptr_t incr)
{
	return incr != 0 || __curbrk == NULL;
}

SW_CALLS_MEM(SW_WRAP)

/* pkey_mprotect with key -1 is plain mprotect in glibc 2.36. */
SW_WRAP_CHOOSE(pkey_mprotect, (void *a0, size_t a1, int a2, int a3), (a0, a1, a2, a3),
	       a3 == -1, mprotect, pkey_mprotect, CAP_ADDR(a0))
