/*
 * wrap_proc.c - the waiting and signalling rows of the process family;
 * the calls that create or replace processes are in proc.c.
 */
#include "wrap.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

SW_CALLS_PROC(SW_WRAP)
