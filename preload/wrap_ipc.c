/*
 * wrap_ipc.c - System V shared memory, semaphores and message queues
 * (SW_CALLS_IPC): one syscall each on x86-64.
 */
#include "wrap.h"

SW_CALLS_IPC(SW_WRAP)
