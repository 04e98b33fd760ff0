/*
 * lockpeek.h - "may this release wake someone?", read from the primitive.
 *
 * A release is worth an event only when a thread may be blocked on it:
 * exactly when glibc itself issues a futex wake. The fields read here are
 * those glibc 2.36 tests before waking (public struct members for mutexes
 * and condition variables; the semaphore's waiter count is the upper half
 * of its first word on 64-bit targets). Reads are relaxed: a stale answer
 * only misses or adds one event, it never changes the program.
 */
#ifndef SW_PRELOAD_LOCKPEEK_H
#define SW_PRELOAD_LOCKPEEK_H

#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>

enum {
	KIND_ROBUST = 16,      /* PTHREAD_MUTEX_ROBUST_NORMAL_NP */
	KIND_PI = 32,          /* PTHREAD_MUTEX_PRIO_INHERIT_NP */
	FUTEX_WAITERS_BIT = (int)0x80000000u,
};

static inline int sw__mutex_has_waiters(pthread_mutex_t *m)
{
	int v = __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED);
	int kind = __atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED);
	if (kind & (KIND_ROBUST | KIND_PI))
		return (v & FUTEX_WAITERS_BIT) != 0;
	return v > 1; /* 2: locked, and someone waits or waited */
}

static inline int sw__cond_has_waiters(pthread_cond_t *c)
{
	/* __wrefs counts waiters in its bits 3 and up. */
	return (__atomic_load_n(&c->__data.__wrefs, __ATOMIC_RELAXED) >> 3) != 0;
}

static inline int sw__sem_has_waiters(sem_t *s)
{
	const uint64_t *data = (const uint64_t *)(void *)s;
	return (__atomic_load_n(data, __ATOMIC_RELAXED) >> 32) != 0;
}

static inline int sw__rwlock_has_waiters(pthread_rwlock_t *rw)
{
	/* Readers waiting (__readers bit 2) or a writer or phase futex with
	 * its waiters bit (value 2) set. */
	unsigned r = __atomic_load_n(&rw->__data.__readers, __ATOMIC_RELAXED);
	unsigned w = __atomic_load_n(&rw->__data.__writers_futex, __ATOMIC_RELAXED);
	unsigned p = __atomic_load_n(&rw->__data.__wrphase_futex, __ATOMIC_RELAXED);
	return (r & 4) != 0 || (w & 2) != 0 || (p & 2) != 0;
}

#endif
