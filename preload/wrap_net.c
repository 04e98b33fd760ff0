/*
 * wrap_net.c - sockets and name resolution (getaddrinfo is a library
 * row: DNS latency is a classic hidden cost, and its many syscalls are
 * made inside libc).
 */
#include "wrap.h"

SW_CALLS_NET(SW_WRAP)
