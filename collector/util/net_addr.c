/*
 * net_addr.c - socket addresses and error codes as text (see net_addr.h).
 *
 * Addresses in a trace are untrusted bytes: every family's length is
 * checked before its fields are read, and nothing is read past len.
 */
#include "net_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Append the bytes p[0..n) to out at *at, printable ASCII as is, the rest
 * as \xNN; stops at cap - 1. */
static void put_escaped(char *out, size_t cap, size_t *at, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && *at + 1 < cap; i++) {
		int w;
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			w = snprintf(out + *at, cap - *at, "%c", p[i]);
		else
			w = snprintf(out + *at, cap - *at, "\\x%02x", p[i]);
		if (w < 0 || (size_t)w >= cap - *at) {
			out[*at] = 0;
			return;
		}
		*at += (size_t)w;
	}
}

static int fmt_unix(const uint8_t *b, size_t len, char *out, size_t cap)
{
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n = len - off; /* len >= off: checked by the caller */
	if (n > sizeof(((struct sockaddr_un *)0)->sun_path))
		n = sizeof(((struct sockaddr_un *)0)->sun_path);
	const uint8_t *p = b + off;
	size_t at = (size_t)snprintf(out, cap, "unix:");
	if (at >= cap)
		return 0;
	if (n == 0) {
		snprintf(out + at, cap - at, "(unnamed)");
	} else if (p[0] == 0) {
		/* abstract: every byte of the length counts, NULs too */
		put_escaped(out, cap, &at, (const uint8_t *)"@", 1);
		put_escaped(out, cap, &at, p + 1, n - 1);
	} else {
		const uint8_t *z = memchr(p, 0, n);
		put_escaped(out, cap, &at, p, z ? (size_t)(z - p) : n);
	}
	return 0;
}

int sw_sockaddr_format(const void *sa, size_t len, char *out, size_t cap)
{
	const uint8_t *b = sa;
	sa_family_t fam;
	if (!cap)
		return -EINVAL;
	if (!sa || len < sizeof(fam)) {
		snprintf(out, cap, "invalid address (%zu bytes)", len);
		return -EINVAL;
	}
	memcpy(&fam, b, sizeof(fam)); /* no alignment is promised */
	switch (fam) {
	case AF_UNSPEC:
		snprintf(out, cap, "unspec");
		return 0;
	case AF_INET: {
		struct sockaddr_in in;
		char ip[INET_ADDRSTRLEN];
		if (len < sizeof(in))
			break;
		memcpy(&in, b, sizeof(in));
		inet_ntop(AF_INET, &in.sin_addr, ip, sizeof(ip));
		snprintf(out, cap, "%s:%u", ip, (unsigned)ntohs(in.sin_port));
		return 0;
	}
	case AF_INET6: {
		/* the kernel takes the RFC 2133 size, without sin6_scope_id */
		struct sockaddr_in6 in6;
		char ip[INET6_ADDRSTRLEN];
		size_t min = offsetof(struct sockaddr_in6, sin6_scope_id);
		if (len < min)
			break;
		memset(&in6, 0, sizeof(in6));
		memcpy(&in6, b, len < sizeof(in6) ? len : sizeof(in6));
		inet_ntop(AF_INET6, &in6.sin6_addr, ip, sizeof(ip));
		if (in6.sin6_scope_id)
			snprintf(out, cap, "[%s%%%" PRIu32 "]:%u", ip,
				 (uint32_t)in6.sin6_scope_id, (unsigned)ntohs(in6.sin6_port));
		else
			snprintf(out, cap, "[%s]:%u", ip, (unsigned)ntohs(in6.sin6_port));
		return 0;
	}
	case AF_UNIX:
		return fmt_unix(b, len, out, cap);
	case AF_NETLINK: {
		uint32_t pid; /* struct sockaddr_nl: family, pad, pid, groups */
		if (len < 12)
			break;
		memcpy(&pid, b + 4, sizeof(pid));
		snprintf(out, cap, "netlink:%" PRIu32, pid);
		return 0;
	}
	default:
		snprintf(out, cap, "family %u", (unsigned)fam);
		return 0;
	}
	snprintf(out, cap, "invalid address (family %u, %zu bytes)", (unsigned)fam, len);
	return -EINVAL;
}

static const struct {
	int code;
	const char *name;
} eai_names[] = {
	{EAI_BADFLAGS, "EAI_BADFLAGS"}, {EAI_NONAME, "EAI_NONAME"},
	{EAI_AGAIN, "EAI_AGAIN"},       {EAI_FAIL, "EAI_FAIL"},
	{EAI_FAMILY, "EAI_FAMILY"},     {EAI_SOCKTYPE, "EAI_SOCKTYPE"},
	{EAI_SERVICE, "EAI_SERVICE"},   {EAI_MEMORY, "EAI_MEMORY"},
	{EAI_SYSTEM, "EAI_SYSTEM"},     {EAI_OVERFLOW, "EAI_OVERFLOW"},
	{EAI_NODATA, "EAI_NODATA"},     {EAI_ADDRFAMILY, "EAI_ADDRFAMILY"},
	{EAI_INPROGRESS, "EAI_INPROGRESS"}, {EAI_CANCELED, "EAI_CANCELED"},
	{EAI_NOTCANCELED, "EAI_NOTCANCELED"}, {EAI_ALLDONE, "EAI_ALLDONE"},
	{EAI_INTR, "EAI_INTR"},         {EAI_IDN_ENCODE, "EAI_IDN_ENCODE"},
};

const char *sw_eai_name(int code)
{
	for (size_t i = 0; i < sizeof(eai_names) / sizeof(eai_names[0]); i++)
		if (eai_names[i].code == code)
			return eai_names[i].name;
	return NULL;
}

/* See net_int.h. */
const char *sw__net_err_name(int code, bool eai, char *buf, size_t cap)
{
	const char *s = eai ? sw_eai_name(code) : strerrorname_np(code);
	if (s)
		return s;
	snprintf(buf, cap, "%d", code);
	return buf;
}
