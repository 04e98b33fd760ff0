/*
 * wrap_mem.c - the memory family of the call table. Only the program's
 * own calls pass through here: malloc's and the loader's mmap calls are
 * made inside libc (see README, "Known limits").
 */
#include "wrap.h"

SW_CALLS_MEM(SW_WRAP)
