/*
 * test_net.c - socket addresses from a trace are formatted safely, each
 * event gets the peer behind its descriptor, and the --net report adds
 * them up.
 *
 * Addresses are untrusted bytes: the formatter must read nothing outside
 * them, whatever their family and length, and say "invalid" for the ones
 * too short for their family. Peers: the descriptor table follows
 * socket, connect, bind, accept, dup and close in time order.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <json-c/json.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ev_fixture.h"
#include "evtrace.h"
#include "model.h"
#include "net.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"

/* --- addresses ------------------------------------------------------------ */

static char text[SW_SOCKADDR_TEXT];

/* Format len bytes of sa from a heap copy of exactly len bytes, so that
 * ASan catches any read past them. */
static int fmt(const void *sa, size_t len)
{
	void *copy = malloc(len ? len : 1);
	cr_assert_not_null(copy);
	memcpy(copy, sa, len);
	int rc = sw_sockaddr_format(copy, len, text, sizeof(text));
	free(copy);
	return rc;
}

Test(sockaddr, inet_and_inet6_as_address_and_port)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(8080)};
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	cr_assert_eq(fmt(&in, sizeof(in)), 0);
	cr_assert_str_eq(text, "127.0.0.1:8080");

	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(53)};
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	cr_assert_eq(fmt(&in6, sizeof(in6)), 0);
	cr_assert_str_eq(text, "[::1]:53");
	/* the RFC 2133 size, without the scope id, is what old callers pass */
	cr_assert_eq(fmt(&in6, 24), 0);
	cr_assert_str_eq(text, "[::1]:53");
	in6.sin6_scope_id = 2;
	inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr);
	cr_assert_eq(fmt(&in6, sizeof(in6)), 0);
	cr_assert_str_eq(text, "[fe80::1%2]:53");
}

Test(sockaddr, unix_paths_abstract_names_and_unnamed)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	strcpy(un.sun_path, "/run/x.sock");
	size_t len = offsetof(struct sockaddr_un, sun_path) + strlen(un.sun_path) + 1;
	cr_assert_eq(fmt(&un, len), 0);
	cr_assert_str_eq(text, "unix:/run/x.sock");
	/* no terminating NUL inside the length: the length ends the path */
	cr_assert_eq(fmt(&un, len - 3), 0);
	cr_assert_str_eq(text, "unix:/run/x.so");

	memset(un.sun_path, 0, sizeof(un.sun_path));
	memcpy(un.sun_path, "\0abs\n\x01", 6);
	cr_assert_eq(fmt(&un, offsetof(struct sockaddr_un, sun_path) + 6), 0);
	cr_assert_str_eq(text, "unix:@abs\\x0a\\x01");

	cr_assert_eq(fmt(&un, offsetof(struct sockaddr_un, sun_path)), 0);
	cr_assert_str_eq(text, "unix:(unnamed)");
}

Test(sockaddr, too_short_for_the_family_is_invalid)
{
	struct sockaddr_in in = {.sin_family = AF_INET};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
	uint8_t one = 2;
	cr_assert_eq(fmt(&in, sizeof(in) - 1), -EINVAL);
	cr_assert(strstr(text, "invalid") != NULL, "%s", text);
	cr_assert_eq(fmt(&in6, 23), -EINVAL);
	cr_assert_eq(fmt(&one, 1), -EINVAL);
	cr_assert_eq(sw_sockaddr_format(NULL, 16, text, sizeof(text)), -EINVAL);
	cr_assert_eq(fmt(&in, 0), -EINVAL);
}

Test(sockaddr, unknown_families_are_named_by_number)
{
	uint8_t b[16] = {0};
	sa_family_t fam = 17; /* AF_PACKET */
	memcpy(b, &fam, sizeof(fam));
	cr_assert_eq(fmt(b, sizeof(b)), 0);
	cr_assert_str_eq(text, "family 17");
}

Test(sockaddr, random_bytes_never_crash_and_text_is_terminated)
{
	uint8_t b[160]; /* more than the shim ever keeps */
	srand(12345);
	for (int i = 0; i < 200000; i++) {
		size_t len = (size_t)rand() % sizeof(b);
		for (size_t k = 0; k < len; k++)
			b[k] = (uint8_t)rand();
		if (len >= 2 && i % 3 == 0) { /* the families that get decoded */
			static const sa_family_t fams[] = {AF_INET, AF_INET6, AF_UNIX,
							   AF_NETLINK, AF_UNSPEC};
			memcpy(b, &fams[(size_t)i / 3 % 5], sizeof(sa_family_t));
		}
		char small[(size_t)(i % 7) + 1];
		int rc = sw_sockaddr_format(b, len, small, sizeof(small));
		cr_assert(rc == 0 || rc == -EINVAL);
		cr_assert(memchr(small, 0, sizeof(small)) != NULL);
		fmt(b, len);
		cr_assert(memchr(text, 0, sizeof(text)) != NULL);
	}
}

Test(sockaddr, eai_codes_have_their_names)
{
	cr_assert_str_eq(sw_eai_name(EAI_NONAME), "EAI_NONAME");
	cr_assert_str_eq(sw_eai_name(EAI_AGAIN), "EAI_AGAIN");
	cr_assert_null(sw_eai_name(12345));
}

/* --- peers and the report --------------------------------------------------- */

static struct sw_model m;
static struct sw_evtrace tr;
static json_object *out;
static uint64_t now = 1000000;

static void setup(void)
{
	sw_model_init(&m);
	cr_assert_eq(sw_model_builtin_rows(&m), 0);
	sw_evtrace_init(&tr, &m);
}

static void teardown(void)
{
	json_object_put(out);
	sw_evtrace_free(&tr);
	sw_model_free(&m);
}

/* One call of process pid lasting us microseconds; err 0: it succeeded
 * and returned result. sa: the address it recorded, as text. */
static void call(int32_t pid, uint32_t row, uint32_t fn, int fd, const char *sa,
		 int64_t result, int err, uint64_t us)
{
	struct sw_ev e = evfx_call(&now, row, fn, fd, result, err, us);
	e.sockaddr = sa;
	cr_assert_eq(sw_evtrace_add(&tr, pid, 0, 1, &e, 1), 0);
}

static const struct sw_ev *ev(size_t i)
{
	long t = sw_evtrace_find(&tr, 100, 0, 1);
	cr_assert_geq(t, 0);
	cr_assert_lt(i, tr.threads[t].nev);
	return &tr.threads[t].ev[i];
}

#define S(fn) SW_ROW_##fn, SW_FN_##fn

TestSuite(peers, .init = setup, .fini = teardown);

Test(peers, descriptors_carry_their_peer_through_dup_until_close)
{
	call(100, S(socket), -1, NULL, 3, 0, 1);               /* 0 */
	call(100, S(connect), 3, "10.0.0.1:80", 0, 0, 5);      /* 1 */
	call(100, SW_ROW_sendto, SW_FN_send, 3, NULL, 10, 0, 1); /* 2 */
	call(100, SW_ROW_recvfrom, SW_FN_recv, 3, NULL, 20, 0, 1); /* 3 */
	call(100, S(dup), 3, NULL, 4, 0, 1);                   /* 4 */
	call(100, S(write), 4, NULL, 5, 0, 1);                 /* 5 */
	call(100, S(close), 3, NULL, 0, 0, 1);                 /* 6 */
	call(100, S(close), 4, NULL, 0, 0, 1);                 /* 7 */
	call(100, S(read), 4, NULL, 7, 0, 1);                  /* 8: fd 4 is gone */
	cr_assert_eq(sw_evtrace_end(&tr), 0);
	for (size_t i = 1; i <= 7; i++) {
		cr_assert_str_eq(ev(i)->peer, "10.0.0.1:80", "event %zu", i);
		cr_assert_eq(ev(i)->peer_kind, SW_PEER_REMOTE);
		cr_assert(ev(i)->flags & SW_EVF_SOCK);
		cr_assert_null(ev(i)->file, "a peer is not a file");
	}
	cr_assert_null(ev(8)->peer);
	cr_assert_not(ev(8)->flags & SW_EVF_SOCK);
}

Test(peers, accepted_connections_are_named_by_the_listener_address)
{
	call(100, S(socket), -1, NULL, 5, 0, 1);
	call(100, S(bind), 5, "0.0.0.0:8080", 0, 0, 1);
	call(100, S(listen), 5, NULL, 0, 0, 1);
	call(100, S(accept4), 5, NULL, 6, 0, 1);
	call(100, S(recvmsg), 6, NULL, 42, 0, 1);
	call(100, S(sendto), 5, "192.0.2.9:53", 8, 0, 1); /* this call only */
	call(100, S(close), 6, NULL, 0, 0, 1);
	call(100, S(openat), -1, NULL, 6, 0, 1);          /* 6 is a file now */
	call(100, S(read), 6, NULL, 1, 0, 1);
	cr_assert_eq(sw_evtrace_end(&tr), 0);
	cr_assert_str_eq(ev(2)->peer, "0.0.0.0:8080");
	cr_assert_eq(ev(2)->peer_kind, SW_PEER_LOCAL);
	cr_assert_str_eq(ev(4)->peer, "0.0.0.0:8080");
	cr_assert_eq(ev(4)->peer_kind, SW_PEER_ACCEPTED);
	cr_assert_str_eq(ev(5)->peer, "192.0.2.9:53");
	cr_assert_eq(ev(5)->peer_kind, SW_PEER_REMOTE);
	cr_assert_null(ev(8)->peer);
}

Test(peers, other_processes_have_their_own_descriptors)
{
	call(100, S(socket), -1, NULL, 3, 0, 1);
	call(100, S(connect), 3, "10.0.0.1:80", 0, 0, 1);
	call(200, S(write), 3, NULL, 9, 0, 1);
	cr_assert_eq(sw_evtrace_end(&tr), 0);
	long t = sw_evtrace_find(&tr, 200, 0, 1);
	cr_assert_geq(t, 0);
	cr_assert_null(tr.threads[t].ev[0].peer);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	cr_assert(json_object_object_get_ex(o, key, &v), "no \"%s\"", key);
	return v;
}

static json_object *peer(const char *name, const char *kind)
{
	json_object *peers = get(out, "peers");
	for (size_t i = 0; i < json_object_array_length(peers); i++) {
		json_object *p = json_object_array_get_idx(peers, i), *n = get(p, "peer");
		if (n && !strcmp(json_object_get_string(n), name) &&
		    !strcmp(json_object_get_string(get(p, "kind")), kind))
			return p;
	}
	cr_assert_fail("no peer %s (%s)", name, kind);
	return NULL;
}

static long long num(json_object *o, const char *key)
{
	return json_object_get_int64(get(o, key));
}

Test(peers, report_adds_up_connects_bytes_errors_and_lookups)
{
	call(100, S(socket), -1, NULL, 3, 0, 1);
	call(100, S(connect), 3, "127.0.0.1:9", 0, ECONNREFUSED, 30);
	call(100, S(socket), -1, NULL, 4, 0, 1);
	call(100, S(connect), 4, "127.0.0.1:80", 0, 0, 10);
	call(100, SW_ROW_sendto, SW_FN_send, 4, NULL, 100, 0, 1);
	call(100, S(write), 4, NULL, 50, 0, 1);
	call(100, S(sendto), 4, NULL, 0, EPIPE, 1);
	call(100, SW_ROW_recvfrom, SW_FN_recv, 4, NULL, 70, 0, 4);
	call(100, S(recvmmsg), 4, NULL, 3, 0, 2); /* messages, not bytes */
	call(100, S(getaddrinfo), -1, NULL, 0, 0, 100);
	struct sw_ev e = {.start = now, .end = now + 5000, .path = "nowhere.invalid",
			  .row = SW_ROW_getaddrinfo, .fn = SW_FN_getaddrinfo,
			  .err = (uint32_t)EAI_NONAME, .flags = SW_EVF_FAILED};
	cr_assert_eq(sw_evtrace_add(&tr, 100, 0, 1, &e, 1), 0);
	cr_assert_eq(sw_evtrace_end(&tr), 0);
	out = sw_net_json(&tr);
	cr_assert_not_null(out);

	json_object *refused = peer("127.0.0.1:9", "remote");
	cr_assert_eq(num(get(refused, "connect"), "calls"), 1);
	cr_assert_eq(num(get(get(refused, "connect"), "errors"), "ECONNREFUSED"), 1);
	json_object *web = peer("127.0.0.1:80", "remote");
	cr_assert_eq(num(get(web, "connect"), "calls"), 1);
	cr_assert_eq(num(web, "bytes_sent"), 150);
	cr_assert_eq(num(web, "send_calls"), 3);
	cr_assert_eq(num(web, "bytes_received"), 70);
	cr_assert_eq(num(web, "messages_received"), 3);
	cr_assert_eq(num(get(web, "errors"), "EPIPE"), 1);
	/* the refused peer took longest to connect: it comes first */
	cr_assert_str_eq(json_object_get_string(get(json_object_array_get_idx(
				 get(out, "peers"), 0), "peer")), "127.0.0.1:9");

	json_object *dns = get(out, "dns");
	cr_assert_eq(json_object_array_length(dns), 2);
	json_object *bad = json_object_array_get_idx(dns, 1); /* by time: 5 us < 100 us */
	cr_assert_str_eq(json_object_get_string(get(bad, "node")), "nowhere.invalid");
	cr_assert_eq(num(bad, "failed"), 1);
	cr_assert_eq(num(get(bad, "failures"), "EAI_NONAME"), 1);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cr_assert_eq(sw_net_print(f, &tr), 0);
	fclose(f);
	cr_assert(strstr(buf, "ECONNREFUSED 1"), "%s", buf);
	cr_assert(strstr(buf, "nowhere.invalid - EAI_NONAME 1"), "%s", buf);
	free(buf);
}
