/*
 * locks_json.c - the "locks" part of the JSON report (field names are a
 * contract; the first ones are issue 3's, the rest are additions):
 *
 *   "locks": [{"address", "kind", "waits", "waiters", "wait_seconds",
 *              "wall_wait_seconds",
 *              "blockers": [{"tid", "module", "hold_seconds",
 *                            "attributed_wait_seconds",
 *                            "activity": [{"syscall", "seconds", "calls",
 *                                          "top_path"}],
 *                            "pid", "thread_name", "module_name",
 *                            "holds", "after_release", "blamed_wait_seconds",
 *                            "wakeup_latency_seconds", "via_tid",
 *                            "complete", "slowest_paths": [{"path",
 *                            "seconds", "calls"}]}],
 *              "pid", "command", "generation", "parking", "primitives",
 *              "attributed_wait_seconds", "blamed_wait_seconds",
 *              "wakeup_latency_seconds", "unattributed_wait_seconds",
 *              "convoy_wait_seconds",
 *              "unattributed_waits", "unattributed_reason", "timed_out",
 *              "timed_out_seconds", "interrupted", "interrupted_seconds",
 *              "failed", "failed_seconds", "incomplete_waits",
 *              "incomplete_wait_seconds", "complete"}]
 *   "locks_summary": {"text", "waits", "waiters", "wait_seconds",
 *                     "wall_wait_seconds", "attributed_wait_seconds",
 *                     "incomplete_wait_seconds", "locks",
 *                     "cond_waits", "cond_wait_seconds", "top_tid"}
 *
 * "address" is a string ("0x7f..."; "parking" for the merged parking
 * semaphores). A blocker's "attributed_wait_seconds" is the wait time
 * attributed to it as the root: "blamed_wait_seconds" (until its release)
 * plus "wakeup_latency_seconds" (after it). "activity" is what the
 * blocker did in hold_seconds, and ends with the entry "outside calls
 * (CPU or untraced)" (calls 0, top_path null), so the entries add up to
 * hold_seconds. A thread may have a second entry with "after_release"
 * true (and "holds" 0): the wait that, after its releases, went on
 * relays passing the lock on, or began only then (a convoy); its
 * hold_seconds are those stretches and its activity what the thread did
 * meanwhile. "via_tid" is the thread through
 * which the blame came (a chain), null when the blocker held the lock.
 * A lock's "convoy_wait_seconds" is the part of its wake-up latency in
 * waits that began after their root's release (queued behind relays).
 * "unattributed_wait_seconds": timeouts, interruptions, failures,
 * unmatched waits and relays with no root; incomplete waits apart.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"
#include "locks_report.h"

#define SECS(ns) sw_json_num((double)(ns) / 1e9, 6)

static bool put_str_or_null(json_object *o, const char *key, const char *s)
{
	return s ? sw_json_put(o, key, sw_json_str(s)) : sw_json_put_null(o, key);
}

static json_object *activity_obj(const struct sw_locks *l, const struct sw_activity *a)
{
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	bool ok = sw_json_put(o, "syscall", sw_json_str(sw_evtrace_row_name(l->tr, a->row))) &&
		  sw_json_put(o, "seconds", SECS(a->ns)) &&
		  sw_json_put(o, "calls", json_object_new_uint64(a->calls)) &&
		  put_str_or_null(o, "top_path", a->top_file);
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *outside_obj(uint64_t ns)
{
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	bool ok = sw_json_put(o, "syscall", json_object_new_string(SW_OUTSIDE_CALLS)) &&
		  sw_json_put(o, "seconds", SECS(ns)) &&
		  sw_json_put(o, "calls", json_object_new_uint64(0)) &&
		  sw_json_put_null(o, "top_path");
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *file_obj(const struct sw_filetime *f)
{
	json_object *o = json_object_new_object();
	if (!o)
		return NULL;
	bool ok = sw_json_put(o, "path", sw_json_str(f->file)) &&
		  sw_json_put(o, "seconds", SECS(f->ns)) &&
		  sw_json_put(o, "calls", json_object_new_uint64(f->calls));
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *blocker_obj(const struct sw_locks *l, const struct sw_blocker *b)
{
	const struct sw_evthread *th = &l->tr->threads[b->thread];
	json_object *o = json_object_new_object();
	json_object *act = json_object_new_array();
	json_object *files = json_object_new_array();
	bool ok = o && act && files;
	for (uint32_t i = 0; ok && i < b->nact; i++)
		ok = sw_json_push(act, activity_obj(l, &l->report_act[b->act0 + i]));
	ok = ok && sw_json_push(act, outside_obj(b->outside_ns));
	for (uint32_t i = 0; ok && i < b->nfile; i++)
		ok = sw_json_push(files, file_obj(&l->report_files[b->file0 + i]));
	if (!o) {
		json_object_put(act);
		json_object_put(files);
		return NULL;
	}
	ok = ok && sw_json_put(o, "tid", json_object_new_int(th->tid)) &&
	     put_str_or_null(o, "module", b->module) &&
	     sw_json_put(o, "hold_seconds", SECS(b->hold_ns)) &&
	     sw_json_put(o, "attributed_wait_seconds", SECS(b->attributed_ns));
	ok = sw_json_put(o, "activity", act) && ok;
	ok = ok && sw_json_put(o, "pid", json_object_new_int(th->pid)) &&
	     sw_json_put(o, "thread_name", sw_json_str(th->name)) &&
	     put_str_or_null(o, "module_name", b->module_name) &&
	     sw_json_put(o, "holds", json_object_new_uint64(b->nhold)) &&
	     sw_json_put(o, "after_release", json_object_new_boolean(b->after_release)) &&
	     sw_json_put(o, "blamed_wait_seconds", SECS(b->blamed_ns)) &&
	     sw_json_put(o, "wakeup_latency_seconds", SECS(b->latency_ns)) &&
	     (b->via == SW_NONE ? sw_json_put_null(o, "via_tid")
				: sw_json_put(o, "via_tid",
					      json_object_new_int(l->tr->threads[b->via].tid))) &&
	     sw_json_put(o, "complete", json_object_new_boolean(b->complete));
	ok = sw_json_put(o, "slowest_paths", files) && ok;
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *lock_obj(const struct sw_locks *l, const struct sw_lockrep *r)
{
	char addr[32];
	if (r->parking)
		snprintf(addr, sizeof(addr), "parking");
	else
		snprintf(addr, sizeof(addr), "%#" PRIx64, r->addr);
	const char *command = "?";
	for (size_t p = 0; p < l->tr->nprocs; p++)
		if (l->tr->procs[p].pid == r->pid && l->tr->procs[p].epoch == r->epoch)
			command = l->tr->procs[p].command;
	json_object *o = json_object_new_object();
	json_object *blk = json_object_new_array();
	bool ok = o && blk;
	for (uint32_t k = 0; ok && k < r->nblk; k++)
		ok = sw_json_push(blk, blocker_obj(l, &l->report_blk[r->blk0 + k]));
	if (!o) {
		json_object_put(blk);
		return NULL;
	}
	uint64_t unattr = r->unattributed_ns + r->unknown_ns + r->timed_out_ns +
			  r->interrupted_ns + r->failed_ns;
	ok = ok && sw_json_put(o, "address", json_object_new_string(addr)) &&
	     sw_json_put(o, "kind", json_object_new_string(sw_prim_kind_name(r->kind))) &&
	     sw_json_put(o, "waits", json_object_new_uint64(r->waits)) &&
	     sw_json_put(o, "waiters", json_object_new_uint64(r->waiters)) &&
	     sw_json_put(o, "wait_seconds", SECS(r->wait_ns)) &&
	     sw_json_put(o, "wall_wait_seconds", SECS(r->wall_ns));
	ok = sw_json_put(o, "blockers", blk) && ok;
	ok = ok && sw_json_put(o, "pid", json_object_new_int(r->pid)) &&
	     sw_json_put(o, "command", sw_json_str(command)) &&
	     sw_json_put(o, "generation", json_object_new_uint64(r->gen)) &&
	     sw_json_put(o, "parking", json_object_new_boolean(r->parking)) &&
	     sw_json_put(o, "primitives", json_object_new_uint64(r->nprims)) &&
	     sw_json_put(o, "attributed_wait_seconds", SECS(r->attributed_ns)) &&
	     sw_json_put(o, "blamed_wait_seconds", SECS(r->blamed_ns)) &&
	     sw_json_put(o, "wakeup_latency_seconds", SECS(r->latency_ns)) &&
	     sw_json_put(o, "unattributed_wait_seconds", SECS(unattr)) &&
	     sw_json_put(o, "convoy_wait_seconds", SECS(r->convoy_ns)) &&
	     sw_json_put(o, "unattributed_waits", json_object_new_uint64(r->unattributed)) &&
	     (r->unattributed ? sw_json_put(o, "unattributed_reason",
					    json_object_new_string(
						    sw_wait_why_text(r->unattributed_why)))
			      : sw_json_put_null(o, "unattributed_reason")) &&
	     sw_json_put(o, "timed_out", json_object_new_uint64(r->timed_out)) &&
	     sw_json_put(o, "timed_out_seconds", SECS(r->timed_out_ns)) &&
	     sw_json_put(o, "interrupted", json_object_new_uint64(r->interrupted)) &&
	     sw_json_put(o, "interrupted_seconds", SECS(r->interrupted_ns)) &&
	     sw_json_put(o, "failed", json_object_new_uint64(r->failed)) &&
	     sw_json_put(o, "failed_seconds", SECS(r->failed_ns)) &&
	     sw_json_put(o, "incomplete_waits", json_object_new_uint64(r->incomplete)) &&
	     sw_json_put(o, "incomplete_wait_seconds", SECS(r->incomplete_ns)) &&
	     sw_json_put(o, "complete", json_object_new_boolean(r->incomplete == 0));
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *sw_locks_json(const struct sw_locks *l)
{
	json_object *arr = json_object_new_array();
	bool ok = arr != NULL;
	for (size_t e = 0; ok && e < l->nreport; e++)
		ok = sw_json_push(arr, lock_obj(l, &l->report[e]));
	if (!ok) {
		json_object_put(arr);
		return NULL;
	}
	return arr;
}

json_object *sw_locks_summary_json(const struct sw_locks *l)
{
	const struct sw_locks_totals *t = &l->totals;
	char *text = sw_locks_summary(l);
	json_object *o = json_object_new_object();
	bool ok = text && o &&
		  sw_json_put(o, "text", sw_json_str(text)) &&
		  sw_json_put(o, "waits", json_object_new_uint64(t->waits)) &&
		  sw_json_put(o, "waiters", json_object_new_uint64(t->waiters)) &&
		  sw_json_put(o, "wait_seconds", SECS(t->wait_ns)) &&
		  sw_json_put(o, "wall_wait_seconds", SECS(t->wall_ns)) &&
		  sw_json_put(o, "attributed_wait_seconds", SECS(t->attributed_ns)) &&
		  sw_json_put(o, "blamed_wait_seconds", SECS(t->blamed_ns)) &&
		  sw_json_put(o, "wakeup_latency_seconds", SECS(t->latency_ns)) &&
		  sw_json_put(o, "incomplete_wait_seconds", SECS(t->incomplete_ns)) &&
		  sw_json_put(o, "unattributed_wait_seconds", SECS(t->unattributed_ns)) &&
		  sw_json_put(o, "locks", json_object_new_uint64(t->nlocks)) &&
		  sw_json_put(o, "cond_waits", json_object_new_uint64(t->cond_waits)) &&
		  sw_json_put(o, "cond_wait_seconds", SECS(t->cond_wait_ns)) &&
		  (l->nculprits ? sw_json_put(o, "top_tid",
					      json_object_new_int(
						      l->tr->threads[l->culprits[0].thread].tid))
				: sw_json_put_null(o, "top_tid"));
	free(text);
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
