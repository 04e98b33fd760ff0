/*
 * locks_classify.c - what a lock event is (see sw_lock_classify in
 * locks.h): the lowest step of the analysis, which every other file of
 * it may call.
 */
#include <errno.h>

#include "locks.h"
#include "syswatch/calls.h"

/* --- classification ----------------------------------------------------- */

/* The call table's lock kinds, as the analysis sees them: PASS (tries)
 * and CREATE (pthread_create) carry nothing to attribute. */
#define LOP_ACQ SW_LOP_ACQ
#define LOP_WAIT SW_LOP_WAIT
#define LOP_REL SW_LOP_REL
#define LOP_INIT SW_LOP_INIT
#define LOP_DESTROY SW_LOP_DESTROY
#define LOP_PASS SW_LOP_NONE
#define LOP_CREATE SW_LOP_NONE

static const struct {
	unsigned char op;   /* enum sw_lock_op; 0 (NONE): not a lock call */
	unsigned char kind; /* enum sw_prim_kind */
} lock_fns[SW_FN_COUNT] = {
#define LOCK_ROW(cname, sym, ver, kind, prim, err, params, args, aux) \
	[SW_FN_##cname] = {LOP_##kind, SW_PRIM_##prim},
	SW_CALLS_LOCK(LOCK_ROW)
#undef LOCK_ROW
};

/* Raw futex operations (linux/futex.h; op & FUTEX_CMD_MASK). */
enum {
	FX_WAIT = 0, FX_WAKE = 1, FX_REQUEUE = 3, FX_CMP_REQUEUE = 4,
	FX_WAKE_OP = 5, FX_LOCK_PI = 6, FX_UNLOCK_PI = 7, FX_WAIT_BITSET = 9,
	FX_WAKE_BITSET = 10, FX_WAIT_REQUEUE_PI = 11, FX_CMP_REQUEUE_PI = 12,
	FX_LOCK_PI2 = 13,
};

static struct sw_lockcls classify_futex(const struct sw_ev *ev)
{
	struct sw_lockcls c = {SW_LOP_NONE, SW_PRIM_FUTEX};
	if (!(ev->flags & SW_EVF_AUX) || !(ev->flags & SW_EVF_ADDR))
		return c;
	bool failed = (ev->flags & SW_EVF_FAILED) != 0;
	switch (ev->aux & 127) {
	case FX_WAIT:
	case FX_WAIT_BITSET:
	case FX_LOCK_PI:
	case FX_LOCK_PI2:
	case FX_WAIT_REQUEUE_PI:
		/* EAGAIN: the word had changed, the call did not block. */
		if (!(failed && ev->err == EAGAIN))
			c.op = SW_LOP_ACQ;
		break;
	case FX_WAKE:
	case FX_WAKE_BITSET:
	case FX_REQUEUE:
	case FX_CMP_REQUEUE:
	case FX_WAKE_OP:
	case FX_CMP_REQUEUE_PI:
		if (!failed && ev->result > 0) /* it woke (or moved) someone */
			c.op = SW_LOP_REL;
		break;
	case FX_UNLOCK_PI:
		if (!failed)
			c.op = SW_LOP_REL;
		break;
	}
	return c;
}

struct sw_lockcls sw_lock_classify(const struct sw_ev *ev)
{
	if (ev->fn == SW_FN_syscall)
		return classify_futex(ev);
	struct sw_lockcls c = {SW_LOP_NONE, SW_PRIM_MUTEX};
	if (ev->fn >= SW_FN_COUNT || !(ev->flags & SW_EVF_ADDR))
		return c;
	c.op = (enum sw_lock_op)lock_fns[ev->fn].op;
	c.kind = (enum sw_prim_kind)lock_fns[ev->fn].kind;
	return c;
}
