/*
 * sud_text.h - pieces of Syscall User Dispatch shared by the shim and its
 * audit object (sud_text.c), and the kernel's structures they use.
 */
#ifndef SW_PRELOAD_SUD_TEXT_H
#define SW_PRELOAD_SUD_TEXT_H

#include <stdint.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF	     0
#define PR_SYS_DISPATCH_ON	     1
#endif
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000 /* the kernel's, not exported by glibc */
#endif

enum { SW_SEL_ALLOW = 0, SW_SEL_BLOCK = 1 };

/* The kernel's struct sigaction (what rt_sigaction takes). */
struct sw_ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/* [*lo, *lo + *len): the allowed range for the object holding code (its
 * executable segment, 2 bytes longer: the kernel compares the address
 * after the syscall instruction). 0, or -1 when not found. Start-up only. */
int sw__text_range(const void *code, uintptr_t *lo, uintptr_t *len)
    __attribute__((visibility("hidden")));

/* Restorer for the SIGSYS handlers: rt_sigreturn from the allowed text. */
void sw__sud_restore_quiet(void) __attribute__((visibility("hidden")));

/* What the audit object (audit.c) counted from la_version until the shim
 * took over, by syscall number; exported by it as sw_audit_table. Ticks
 * are TSC cycles. */
#define SW_AUDIT_MAGIC 0x7469647561777373ull
#define SW_AUDIT_NR    451 /* SW_SYSNO_MAX + 1, checked in sud.c */
struct sw_audit_early {
	uint64_t magic; /* SW_AUDIT_MAGIC */
	uint32_t taken; /* the shim took dispatch over */
	uint32_t pad;
	struct sw_ksigaction old; /* the SIGSYS action before the audit's */
	uint64_t calls[SW_AUDIT_NR];
	uint64_t errors[SW_AUDIT_NR];
	uint64_t ticks[SW_AUDIT_NR];
	uint64_t self[SW_AUDIT_NR]; /* of calls: the loader's work on
				       libsyswatch.so itself (not the program's) */
};

#endif
