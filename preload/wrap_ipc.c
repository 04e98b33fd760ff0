/*
 * wrap_ipc.c - System V shared memory, semaphores and message queues,
 * POSIX message queues (SW_CALLS_IPC): one syscall each on x86-64 (semop
 * is semtimedop without a timeout; mq_send and mq_receive are the timed
 * calls, mq_getattr and mq_setattr one mq_getsetattr, mq_close a close).
 * mq_notify with SIGEV_THREAD starts glibc's helper thread and netlink
 * socket the first time, inside libc.
 */
#include "wrap.h"

#include <mqueue.h>

/* glibc refuses a queue name without its leading '/' (EINVAL, no
 * syscall), and passes the kernel the name without it. */
int sw__mq_name_ok(const char *name)
{
	return name != NULL && name[0] == '/';
}

SW_CALLS_IPC(SW_WRAP)
