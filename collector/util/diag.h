/*
 * diag.h - the one line the CLI prints when something is wrong. Lives
 * below every command (util/) so that any of them, and any helper they
 * share, can say what went wrong without reaching up to the CLI.
 */
#ifndef SW_COLLECTOR_DIAG_H
#define SW_COLLECTOR_DIAG_H

/* Print one "syswatch: <message>" line on stderr. */
void sw_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
