/*
 * sud_text.c - what the shim and its audit object (audit.c) both need to
 * run Syscall User Dispatch: the range of their own code, and a restorer
 * inside it. Compiled into each, so each allows its own text.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stddef.h>

#include "sud_text.h"

struct find_text {
	uintptr_t base;
	uintptr_t lo, hi;
};

/* The executable PT_LOAD of the object loaded at f->base. */
static int text_of(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct find_text *f = arg;
	if (info->dlpi_addr != f->base)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		if (p->p_type == PT_LOAD && (p->p_flags & PF_X)) {
			f->lo = info->dlpi_addr + p->p_vaddr;
			f->hi = f->lo + p->p_memsz;
			return 1;
		}
	}
	return 0;
}

int sw__text_range(const void *code, uintptr_t *lo, uintptr_t *len)
{
	Dl_info info;
	struct find_text f = {0};
	if (dladdr(code, &info) == 0 || info.dli_fbase == NULL)
		return -1;
	f.base = (uintptr_t)info.dli_fbase;
	if (dl_iterate_phdr(text_of, &f) == 0)
		return -1;
	*lo = f.lo;
	*len = f.hi - f.lo + 2; /* the kernel tests the address after the syscall */
	return 0;
}

/* rt_sigreturn from inside the allowed text: the restorer of the SIGSYS
 * handlers (the kernel would trap glibc's, which lives in libc). */
__asm__(".text\n"
	".globl sw__sud_restore_quiet\n"
	".hidden sw__sud_restore_quiet\n"
	".type sw__sud_restore_quiet, @function\n"
	"sw__sud_restore_quiet:\n"
	"	movl $15, %eax\n"
	"	syscall\n"
	"	hlt\n"
	".size sw__sud_restore_quiet, .-sw__sud_restore_quiet\n");
