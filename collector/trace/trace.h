/*
 * collector/trace/: the trace file (trace_write.c, trace_read.c) and the
 * events it holds, per thread (evtrace.h), with the descriptor replay that
 * names each event's file or peer (evfiles.c).
 * May use: model/, util/ (collector/layers.txt).
 */
/*
 * trace.h - the trace file: "SWTRACE1", then varint-length-prefixed
 * sw.TraceRecord messages (proto/syswatch.proto): one header (format
 * version, row names, command), Process records, EventBatch records as
 * events are drained, one ThreadCounters per thread, and a Summary last.
 *
 * The reader treats the file as untrusted: every length is bounded, every
 * record must decode and make sense, and the Summary must be there (a
 * trace cut at a record boundary is still reported as truncated).
 */
#ifndef SW_COLLECTOR_TRACE_H
#define SW_COLLECTOR_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "syswatch.pb-c.h"

#define SW_TRACE_MAGIC "SWTRACE1"
#define SW_TRACE_VERSION 1u
#define SW_TRACE_RECORD_MAX (64u << 20) /* largest record the reader takes */
#define SW_TRACE_FNS_MAX 65536u /* call ids a trace may name */

struct sw_trace_writer;

/* Create (truncate) the trace file at path; 0 or a negative errno with a
 * one-line reason in err. */
int sw_trace_create(struct sw_trace_writer **out, const char *path, char *err,
		    size_t errlen);

/* Write the header: m's rows and command line, and its start time. */
int sw_trace_header(struct sw_trace_writer *w, const struct sw_model *m);

/* Write a Process record (a later one for the same pid and epoch wins). */
int sw_trace_process(struct sw_trace_writer *w, const struct sw_proc_rec *p);

/* Write one thread's events (times already in monotonic ns). */
int sw_trace_events(struct sw_trace_writer *w, int32_t pid, uint32_t epoch,
		    int32_t tid, Sw__Event **ev, size_t n);

/* Write one finished thread's counters. */
int sw_trace_thread(struct sw_trace_writer *w, const struct sw_thread_rec *t);

/* Write the closing Summary from m (wall time, drops, exit status). */
int sw_trace_summary(struct sw_trace_writer *w, const struct sw_model *m);

/* Flush and close; returns the first error of the writer's life (0 if
 * everything was written). w is freed either way. */
int sw_trace_close(struct sw_trace_writer *w);

/* Path the writer writes to (for messages). */
const char *sw_trace_path(const struct sw_trace_writer *w);

/* Read a whole trace from f into m (initialised, with no rows declared).
 * 0, or a negative errno with a one-line reason in err such as
 * "truncated record at offset 1234". */
int sw_trace_read(FILE *f, struct sw_model *m, char *err, size_t errlen);

/* What else a reader may want from the records besides the model: each
 * EventBatch and each ThreadCounters record, as decoded (the message is
 * freed when the callback returns). A negative return ends the read with
 * that error (-ENOMEM: "out of memory"; others: a bad record). Either
 * callback may be NULL. */
struct sw_trace_sink {
	int (*events)(void *arg, const Sw__EventBatch *b);
	int (*counters)(void *arg, const Sw__ThreadCounters *tc);
	void *arg;
};

/* sw_trace_read(), also handing the event and counter records to sink
 * (NULL: none), in file order, after the model has taken them. */
int sw_trace_read_sink(FILE *f, struct sw_model *m,
		       const struct sw_trace_sink *sink, char *err,
		       size_t errlen);

#endif
