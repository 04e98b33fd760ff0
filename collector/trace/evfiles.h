/*
 * evfiles.h - which file or socket peer each event touched (internal to
 * evtrace.c).
 */
#ifndef SW_COLLECTOR_EVFILES_H
#define SW_COLLECTOR_EVFILES_H

#include "evtrace.h"

/* Set every event's `file`: its path, made absolute through its dirfd
 * when that is known, or through the process's working directory (its
 * start from the process record, then its chdirs and fchdirs) when it has
 * none, or the path behind its descriptor; and its `peer`
 * (and SW_EVF_SOCK): the address it recorded, or the address behind its
 * socket descriptor. Follows each process's opens, sockets, connects,
 * binds, accepts, dups and closes in time order. Needs the threads
 * grouped by process. 0 or -ENOMEM. */
int sw__evtrace_files(struct sw_evtrace *t);

#endif
