/*
 * sys.h - raw system calls for the shim's own work.
 *
 * The shim exports open, read, close, ... itself, so a call to them from
 * inside the shim would land back in its own wrappers. Its own I/O (segment
 * files, /proc reads) therefore goes straight to the kernel. These return
 * the kernel's result: a negative errno on failure. errno is never touched,
 * and they are async-signal-safe.
 */
#ifndef SW_PRELOAD_SYS_H
#define SW_PRELOAD_SYS_H

#include <stdint.h>
#include <sys/syscall.h>

static inline long sw__sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define sw__sys0(n) sw__sys6((n), 0, 0, 0, 0, 0, 0)
#define sw__sys1(n, a) sw__sys6((n), (long)(a), 0, 0, 0, 0, 0)
#define sw__sys2(n, a, b) sw__sys6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define sw__sys3(n, a, b, c) sw__sys6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sw__sys4(n, a, b, c, d) \
	sw__sys6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

static inline int sw__gettid(void)
{
	return (int)sw__sys0(SYS_gettid);
}

#endif
