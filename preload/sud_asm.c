/*
 * sud_asm.c - the few instructions of complete mode that cannot be C:
 * signal restorers, the emulated rt_sigreturn and the clone that gives
 * its child a new stack. They live in the shim's text, which the dispatch
 * always allows (sud.c), so none of their syscall instructions traps.
 */
#include <stdint.h>
#include <string.h>

#include "sud.h"
#include "sys.h"

/* The child of a clone issued by sw__sud_clone_stack, on its new stack
 * below the saved registers: it has no dispatch yet (the kernel does not
 * pass it on through clone). */
void sw__sud_child_start(void) SW_HIDDEN;
void sw__sud_child_start(void)
{
	sw__sud_thread_on(1);
}

/* Called by the counted restorer: a program's handler returned (strace
 * counts that rt_sigreturn). */
void sw__sud_note_sigreturn(void) SW_HIDDEN;

/*
 * The counted restorer (sa_restorer) given to the program's handlers:
 * rt_sigreturn from the shim's text, counted (strace sees it); the quiet
 * one of the shim's own SIGSYS handler is in sud_text.c. At entry rsp points just past
 * the frame's return address, 16-byte aligned, so a call is allowed.
 */
__asm__(".text\n"
	".globl sw__sud_restore_counted\n"
	".hidden sw__sud_restore_counted\n"
	".type sw__sud_restore_counted, @function\n"
	"sw__sud_restore_counted:\n"
	"	call sw__sud_note_sigreturn\n"
	"	movl $15, %eax\n"
	"	syscall\n"
	"	hlt\n"
	".size sw__sud_restore_counted, .-sw__sud_restore_counted\n"
	/* The trapped rt_sigreturn of a restorer outside the shim: return
	 * through the frame that restorer was returning through, with the
	 * stack pointer it had (the handler's own frame is dropped). */
	".globl sw__sud_sigreturn\n"
	".hidden sw__sud_sigreturn\n"
	".type sw__sud_sigreturn, @function\n"
	"sw__sud_sigreturn:\n"
	"	movq %rdi, %rsp\n"
	"	movl $15, %eax\n"
	"	syscall\n"
	"	hlt\n"
	".size sw__sud_sigreturn, .-sw__sud_sigreturn\n");

/*
 * long sw__sud_clone_raw(long nr, const long args[6], uintptr_t child_sp)
 * The parent returns the kernel's result. The child starts with rsp =
 * child_sp (the kernel's doing); its saved registers wait 256 bytes below
 * it. It moves below them, turns its dispatch on, then takes the
 * interrupted registers back, rax = 0, rcx = the interrupted rip (as the
 * syscall instruction itself leaves rcx), rsp = child_sp, and jumps.
 */
long sw__sud_clone_raw(long nr, const long args[6], uintptr_t child_sp) SW_HIDDEN;
__asm__(".text\n"
	".globl sw__sud_clone_raw\n"
	".hidden sw__sud_clone_raw\n"
	".type sw__sud_clone_raw, @function\n"
	"sw__sud_clone_raw:\n"
	"	pushq %r12\n"
	"	movq %rdx, %r12\n"
	"	movq %rdi, %rax\n"
	"	movq 0(%rsi), %rdi\n"
	"	movq 16(%rsi), %rdx\n"
	"	movq 24(%rsi), %r10\n"
	"	movq 32(%rsi), %r8\n"
	"	movq 40(%rsi), %r9\n"
	"	movq 8(%rsi), %rsi\n"
	"	syscall\n"
	"	testq %rax, %rax\n"
	"	jz 1f\n"
	"	popq %r12\n"
	"	ret\n"
	"1:	leaq -512(%rsp), %rsp\n"
	"	andq $-16, %rsp\n"
	"	call sw__sud_child_start\n"
	"	leaq -256(%r12), %rax\n"
	"	movq 0(%rax), %rbx\n"
	"	movq 8(%rax), %rbp\n"
	"	movq 16(%rax), %r11\n"
	"	movq 24(%rax), %r13\n"
	"	movq 32(%rax), %r14\n"
	"	movq 40(%rax), %r15\n"
	"	movq 48(%rax), %rdi\n"
	"	movq 56(%rax), %rsi\n"
	"	movq 64(%rax), %rdx\n"
	"	movq 72(%rax), %r10\n"
	"	movq 80(%rax), %r8\n"
	"	movq 88(%rax), %r9\n"
	"	movq 96(%rax), %rcx\n"
	"	movq %r12, %rsp\n"
	"	movq %r11, %r12\n"
	"	xorl %eax, %eax\n"
	"	jmp *%rcx\n"
	".size sw__sud_clone_raw, .-sw__sud_clone_raw\n");

enum { SW_CLONE_REGS = 13 };

long sw__sud_clone_stack(long nr, const long args[6], uintptr_t child_sp, const long *regs)
{
	/* The child's stack is the program's, unused below its top until the
	 * child runs; the kernel gives the child child_sp exactly. */
	memcpy((void *)(child_sp - 256), regs, SW_CLONE_REGS * sizeof(long));
	return sw__sud_clone_raw(nr, args, child_sp);
}

/*
 * long sw__sud_int80(const long r[7]): a 32-bit system call (int $0x80,
 * which dispatch traps too) issued from the shim's text with the
 * interrupted registers: eax, ebx, ecx, edx, esi, edi, ebp.
 */
__asm__(".text\n"
	".globl sw__sud_int80\n"
	".hidden sw__sud_int80\n"
	".type sw__sud_int80, @function\n"
	"sw__sud_int80:\n"
	"	pushq %rbx\n"
	"	pushq %rbp\n"
	"	movq %rdi, %r8\n"
	"	movq 0(%r8), %rax\n"
	"	movq 8(%r8), %rbx\n"
	"	movq 16(%r8), %rcx\n"
	"	movq 24(%r8), %rdx\n"
	"	movq 32(%r8), %rsi\n"
	"	movq 40(%r8), %rdi\n"
	"	movq 48(%r8), %rbp\n"
	"	int $0x80\n"
	"	popq %rbp\n"
	"	popq %rbx\n"
	"	ret\n"
	".size sw__sud_int80, .-sw__sud_int80\n");
