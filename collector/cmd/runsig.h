/*
 * runsig.h - the signals of `syswatch run`: the program starts with
 * exactly the dispositions and mask syswatch was started with, and a
 * signal sent to syswatch reaches the program as if syswatch were not
 * there (the way `env CMD` behaves, since env becomes CMD).
 */
#ifndef SW_COLLECTOR_RUNSIG_H
#define SW_COLLECTOR_RUNSIG_H

#include <sys/types.h>

/* Remember the caller's dispositions and mask, then catch the signals we
 * forward (those the caller did not ignore) and SIGCHLD (to wake the
 * collector). Call once, before anything is started. */
void sw_runsig_setup(void);

/* Block every signal we handle, so that none is handled between fork and
 * the moment the child's pid is known; sw_runsig_unblock undoes it. */
void sw_runsig_block(void);
void sw_runsig_unblock(void);

/* In the child, between fork and exec: the caller's dispositions and
 * mask back. Async-signal-safe. */
void sw_runsig_child(void);

/* Forward from now on to pid (0: to nobody, e.g. once it is reaped). */
void sw_runsig_target(pid_t pid);

#endif
