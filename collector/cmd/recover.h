/*
 * recover.h - sessions a dead collector left behind (see recover.c).
 */
#ifndef SW_COLLECTOR_RECOVER_H
#define SW_COLLECTOR_RECOVER_H

#include "cli.h"

#define SW_STALE_AGE_S 3600 /* abandoned sessions older than this go at run */

/* syswatch report --recover: report every abandoned session of ours,
 * then remove it; the exit status for main(). */
int sw_cmd_recover(const struct sw_cli *cli);

/* Remove abandoned sessions older than SW_STALE_AGE_S (quietly). */
void sw_recover_sweep_stale(void);

#endif
