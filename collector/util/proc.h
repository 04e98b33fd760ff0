/*
 * proc.h - what /proc says about a process: alive or not, and whether it
 * is still the process that created a given segment (pid reuse).
 */
#ifndef SW_COLLECTOR_PROC_H
#define SW_COLLECTOR_PROC_H

#include <stdbool.h>
#include <stdint.h>

/* Read state letter and starttime (clock ticks since boot, field 22) of
 * /proc/<pid>/stat; 0, or a negative errno (-ENOENT: no such process). */
int sw_proc_stat(int32_t pid, char *state, uint64_t *starttime);

/* True while pid runs and, if proc_start is non-zero, is the process
 * that started at proc_start: false once it is gone, a zombie, or another
 * process that got the same pid. */
bool sw_proc_alive(int32_t pid, uint64_t proc_start);

/* The wait status of pid, a zombie not reaped yet whose starttime is
 * proc_start (0: any), from /proc/PID/stat's exit_code (Linux >= 3.5);
 * -ESRCH once it is reaped (its parent was quicker), or -errno. */
int sw_proc_zombie_status(int32_t pid, uint64_t proc_start);

/* Read /proc/<pid>/cmdline into a NULL-terminated argv (malloc'ed, one
 * block); 0 or a negative errno. */
int sw_proc_cmdline(int32_t pid, char ***argv, int *argc);

#endif
