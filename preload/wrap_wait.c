/*
 * wrap_wait.c - waiting for descriptors: poll, select, epoll. glibc 2.36
 * implements select and pselect with pselect6.
 */
#include "wrap.h"

SW_CALLS_WAIT(SW_WRAP)
