/*
 * wrap_fs.c - the file and descriptor families of the call table.
 */
#include "wrap.h"

SW_CALLS_FS(SW_WRAP)
