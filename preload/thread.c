/*
 * thread.c - giving each thread its slot in the segment.
 *
 * A thread claims a FREE slot on its first recorded call (a compare-and-swap
 * on the slot state; no lock), and gives it back at exit by marking it
 * EXITED: the collector harvests the counters and frees it for reuse, so a
 * tid that comes back later gets a new slot and a new identity. A thread
 * that finds no free slot runs untraced and is counted in threads_lost;
 * one whose new slot cannot be reserved or mapped, in threads_nospace or
 * threads_nomap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>

#include "clock.h"
#include "shim.h"
#include "sud.h"
#include "sys.h"

__thread struct sw_tls sw__t __attribute__((tls_model("initial-exec")));

static pthread_key_t exit_key;
static int exit_key_ok;

static void bump_high_water(struct sw_seg_header *h, uint32_t n)
{
	uint32_t cur = __atomic_load_n(&h->slots_used, __ATOMIC_RELAXED);
	while (cur < n && !__atomic_compare_exchange_n(&h->slots_used, &cur, n, 1, __ATOMIC_RELEASE,
						       __ATOMIC_RELAXED))
		;
}

void sw__thread_release(struct sw_tls *t)
{
	struct sw_slot_header *s = t->slot;
	if (s == NULL || t->gen != sw__g.gen || t->rec_sp != 0)
		return;
	sw__rec_begin(t);
	s->end_ticks = sw__ticks();
	__atomic_store_n(&s->state, SW_SLOT_EXITED, __ATOMIC_RELEASE);
	t->slot = NULL;
	t->gen = 0; /* a call from a later destructor claims a fresh slot */
	sw__rec_end(t);
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

/* Take slot s (mapped) for this thread if it is FREE. */
static int take(struct sw_slot_header *s)
{
	uint32_t expect = SW_SLOT_FREE;
	return __atomic_load_n(&s->state, __ATOMIC_RELAXED) == SW_SLOT_FREE &&
	       __atomic_compare_exchange_n(&s->state, &expect, SW_SLOT_ACTIVE, 0, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/*
 * A slot for this thread: first one this process mapped before and the
 * collector has freed since, else the next never-used one, reserved and
 * mapped now. NULL when none is left (threads_lost) or the new one could
 * not be had (threads_nospace, threads_nomap: the thread runs uncounted
 * and the header says why). The count of slots handed out only moves past
 * a slot once it is reserved and mapped, so the collector never meets an
 * unreserved slot below slots_used (reading a tmpfs hole allocates a page,
 * which a full tmpfs answers with SIGBUS). Mapping is idempotent: threads
 * racing for the same new slot share its mapping, one of them takes it.
 */
static struct sw_slot_header *claim(struct sw_seg_header *h, uint32_t *index)
{
	uint32_t used = __atomic_load_n(&sw__g.next_slot, __ATOMIC_ACQUIRE);
	for (uint32_t i = 0; i < used && i < sw__g.nslots; i++) {
		struct sw_slot_header *s = sw__slot_mapped(i);
		if (s != NULL && take(s)) {
			*index = i;
			return s;
		}
	}
	for (;;) {
		uint32_t i = __atomic_load_n(&sw__g.next_slot, __ATOMIC_ACQUIRE);
		if (i >= sw__g.nslots) {
			__atomic_fetch_add(&h->threads_lost, 1, __ATOMIC_RELAXED);
			return NULL;
		}
		int err = 0;
		struct sw_slot_header *s = sw__slot_map(i, &err);
		if (s == NULL) {
			__atomic_fetch_add(err == -ENOSPC ? &h->threads_nospace : &h->threads_nomap,
					   1, __ATOMIC_RELAXED);
			__atomic_store_n(&h->slot_errno, -err, __ATOMIC_RELAXED);
			return NULL;
		}
		uint32_t expect = i;
		__atomic_compare_exchange_n(&sw__g.next_slot, &expect, i + 1, 0, __ATOMIC_ACQ_REL,
					    __ATOMIC_ACQUIRE);
		if (take(s)) {
			*index = i;
			return s;
		}
		/* Taken by a thread racing us (or marked by a hostile writer):
		 * try the next one. */
	}
}

struct sw_tls *sw__enter_slow(struct sw_tls *t, uintptr_t sp)
{
	uint32_t gen = __atomic_load_n(&sw__g.gen, __ATOMIC_ACQUIRE);
	struct sw_seg_header *h = sw__g.seg;
	if (gen == 0 || !sw__g.on || h == NULL || t->busy)
		return NULL;
	if (t->rec_sp) /* nested in a claim, or left one with siglongjmp */
		return sw__enter_busy(t, sp);
	if (t->gen == gen) /* already tried: no slot for this thread */
		return NULL;
	sw__rec_begin(t);
	t->slot = NULL;
	uint32_t i = 0;
	struct sw_slot_header *s = claim(h, &i);
	if (s != NULL) {
		s->tid = sw__gettid();
		s->gen++;
		s->start_ticks = sw__ticks();
		s->end_ticks = 0;
		(void)sw__sys2(SYS_prctl, PR_GET_NAME, s->name);
		t->counters = (struct sw_counter *)((uint8_t *)s + sizeof(struct sw_slot_header));
		t->ring = (uint8_t *)t->counters + SW_ROW_COUNT * sizeof(struct sw_counter);
		t->tid = sw__gettid();
		t->gap = 0;
		t->slot = s;
		bump_high_water(h, i + 1);
		if (exit_key_ok)
			(void)pthread_setspecific(exit_key, s);
	}
	t->gen = gen; /* last: a claim abandoned half-way is tried again */
	/* A thread that existed before complete mode started, or was made
	 * while its creator's calls were let through, traps from now on. */
	sw__sud_thread_on(0);
	sw__rec_end(t);
	return t->slot ? t : NULL;
}

/* Whether sp lies on the signal stack this thread has installed, and
 * whether the thread runs on it now. */
static int on_altstack(uintptr_t sp, int *running)
{
	stack_t ss = {0}; /* filled by the raw syscall */
	*running = 0;
	if (sw__sys2(SYS_sigaltstack, 0, &ss) != 0 || (ss.ss_flags & SS_DISABLE))
		return 0;
	*running = (ss.ss_flags & SS_ONSTACK) != 0;
	uintptr_t lo = (uintptr_t)ss.ss_sp;
	return sp >= lo && sp - lo < ss.ss_size;
}

/*
 * sw__enter found the thread held (fork, vfork), slotless or recording.
 * Recording: the frame that set rec_sp is either still below us (we are
 * a signal handler that interrupted it: pass through, as always) or gone
 * (a handler interrupted it and left with siglongjmp, and the program
 * went on). A frame is gone when we run on a shallower part of the same
 * stack (sp above it; stacks grow down), or on the ordinary stack while
 * it was on the signal stack. A handler running on the signal stack over
 * a recording on the ordinary one is nested, whatever the addresses say.
 * Once gone, the lost work is counted as drops (SW_DROP_JUMPED: the
 * interrupted call's event, and the calls passed through meanwhile) and
 * the thread records again. Signal-safe, no lock.
 */
struct sw_tls *sw__enter_busy(struct sw_tls *t, uintptr_t sp)
{
	if (t->busy)
		return NULL;
	uintptr_t rec = t->rec_sp;
	if (rec != 0) {
		int now_alt = 0;
		int rec_alt = on_altstack(rec, &now_alt);
		int gone = now_alt ? rec_alt && sp > rec : rec_alt || sp > rec;
		if (!gone) {
			t->passed++;
			return NULL;
		}
		struct sw_slot_header *s = t->slot;
		if (s != NULL)
			__atomic_store_n(&s->dropped[SW_DROP_JUMPED],
					 s->dropped[SW_DROP_JUMPED] + 1 + t->passed,
					 __ATOMIC_RELAXED);
		t->gap += 1;
		sw__rec_end(t);
		if (t->gen != sw__g.gen || t->gen == 0) /* left a claim half-way */
			return sw__enter_slow(t, sp);
	}
	return t->slot != NULL ? t : NULL;
}
