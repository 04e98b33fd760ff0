/*
 * thread.c - giving each thread its slot in the segment.
 *
 * A thread claims a FREE slot on its first recorded call (a compare-and-swap
 * on the slot state; no lock), and gives it back at exit by marking it
 * EXITED: the collector harvests the counters and frees it for reuse, so a
 * tid that comes back later gets a new slot and a new identity. A thread
 * that finds no free slot runs untraced and is counted in threads_lost.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/prctl.h>

#include "clock.h"
#include "shim.h"
#include "sud.h"
#include "sys.h"

__thread struct sw_tls sw__t __attribute__((tls_model("initial-exec")));

static pthread_key_t exit_key;
static int exit_key_ok;

static inline struct sw_slot_header *slot_at(struct sw_seg_header *h, uint32_t i)
{
	return (struct sw_slot_header *)((uint8_t *)h + h->slots_offset +
					 (uint64_t)i * h->slot_size);
}

static void bump_high_water(struct sw_seg_header *h, uint32_t n)
{
	uint32_t cur = __atomic_load_n(&h->slots_used, __ATOMIC_RELAXED);
	while (cur < n && !__atomic_compare_exchange_n(&h->slots_used, &cur, n, 1,
						       __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

void sw__thread_release(struct sw_tls *t)
{
	struct sw_slot_header *s = t->slot;
	if (s == NULL || t->gen != sw__g.gen)
		return;
	t->busy = 1;
	s->end_ticks = sw__ticks();
	__atomic_store_n(&s->state, SW_SLOT_EXITED, __ATOMIC_RELEASE);
	t->slot = NULL;
	t->gen = 0; /* a call from a later destructor claims a fresh slot */
	t->busy = 0;
}

/* Thread-specific-data destructor: runs when the thread exits. */
static void thread_gone(void *arg)
{
	struct sw_tls *t = &sw__t;
	/* Under complete mode the thread's last calls (destructors after
	 * this one, its stack's madvise, exit) are still to come, and trap:
	 * its exit syscall gives the slot back (sud_trap.c). */
	if (arg != NULL && arg == t->slot && !(sw__g.complete && t->sud))
		sw__thread_release(t);
}

int sw__thread_init(void)
{
	if (pthread_key_create(&exit_key, thread_gone) != 0)
		return -1;
	exit_key_ok = 1;
	return 0;
}

struct sw_tls *sw__enter_slow(struct sw_tls *t)
{
	uint32_t gen = __atomic_load_n(&sw__g.gen, __ATOMIC_ACQUIRE);
	struct sw_seg_header *h = sw__g.seg;
	if (gen == 0 || !sw__g.on || h == NULL || t->busy)
		return NULL;
	if (t->gen == gen) /* already tried: no slot for this thread */
		return NULL;
	t->busy = 1;
	t->gen = gen;
	t->slot = NULL;
	for (uint32_t i = 0; i < h->nslots; i++) {
		struct sw_slot_header *s = slot_at(h, i);
		uint32_t expect = SW_SLOT_FREE;
		if (__atomic_load_n(&s->state, __ATOMIC_RELAXED) != SW_SLOT_FREE ||
		    !__atomic_compare_exchange_n(&s->state, &expect, SW_SLOT_ACTIVE, 0,
						 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			continue;
		s->tid = sw__gettid();
		s->gen++;
		s->start_ticks = sw__ticks();
		s->end_ticks = 0;
		(void)sw__sys2(SYS_prctl, PR_GET_NAME, s->name);
		t->slot = s;
		t->counters = (struct sw_counter *)((uint8_t *)s + h->slot_header_size);
		t->ring = (uint8_t *)t->counters + (uint64_t)h->nrows * h->counter_size;
		t->tid = s->tid;
		t->gap = 0;
		bump_high_water(h, i + 1);
		if (exit_key_ok)
			(void)pthread_setspecific(exit_key, s);
		break;
	}
	if (t->slot == NULL)
		__atomic_fetch_add(&h->threads_lost, 1, __ATOMIC_RELAXED);
	/* A thread that existed before complete mode started, or was made
	 * while its creator's calls were let through, traps from now on. */
	sw__sud_thread_on(0);
	t->busy = 0;
	return t->slot ? t : NULL;
}
