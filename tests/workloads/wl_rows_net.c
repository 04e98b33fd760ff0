/*
 * wl_rows_net.c - the network and waiting families of the rows workload
 * (see wl_rows.c): a TCP client and server on 127.0.0.1, a refused
 * connect, a UDP exchange, a socketpair, name lookups; poll, ppoll,
 * select, pselect, epoll, eventfd and sleeps on descriptors that are
 * ready, so nothing waits.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "wl_rows.h"

static int listener = -1;  /* TCP, listening on 127.0.0.1:tcp_port */
static int udp_srv = -1;   /* UDP, bound to 127.0.0.1:udp_srv_port */
static int udp_cli = -1;   /* UDP, bound to 127.0.0.1:udp_cli_port */
static int refuser = -1;   /* TCP, bound to refused_port, not listening */
static unsigned udp_srv_port, udp_cli_port;

static struct sockaddr_in loopback(unsigned port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A socket of type bound to 127.0.0.1:0, and the port it got. */
static int bound(int type, unsigned *port)
{
	struct sockaddr_in a = loopback(0);
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, type, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &len) != 0)
		wlr_die("setting up a socket");
	*port = ntohs(a.sin_port);
	return s;
}

/* Untallied: the same for every N. The listener binds to its port by
 * number (found with a throwaway socket), so the bind the trace records
 * names the port. */
void wlr_net_setup(struct wlr_ctx *c)
{
	struct wlr_net *n = &c->t->net;
	int one = 1;
	close(bound(SOCK_STREAM, &n->tcp_port));
	struct sockaddr_in a = loopback(n->tcp_port);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0 ||
	    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(listener, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(listener, 16) != 0)
		wlr_die("setting up the listener on port %u", n->tcp_port);
	refuser = bound(SOCK_STREAM, &n->refused_port);
	udp_srv = bound(SOCK_DGRAM, &udp_srv_port);
	udp_cli = bound(SOCK_DGRAM, &udp_cli_port);
}

/* recv* that must return exactly want bytes. */
#define RECV_ALL(c, row, call, want)                                          \
	({                                                                    \
		ssize_t r_ = (call);                                          \
		WLR_OK(c, row, r_ < 0);                                       \
		if (r_ != (ssize_t)(want))                                    \
			wlr_die("%s returned %zd, not %zu", #row, r_, (size_t)(want)); \
		(uint64_t)r_;                                                 \
	})

/* Two connections to the listener, data both ways on each with every
 * send and receive call, then shutdown and close. */
static void tcp(struct wlr_ctx *c)
{
	struct wlr_net *n = &c->t->net;
	struct sockaddr_in a = loopback(n->tcp_port);
	char msg[400], buf[400];
	int one = 1, err = 0;
	socklen_t len = sizeof(err);
	memset(msg, 'x', sizeof(msg));

	int c1 = socket(AF_INET, SOCK_STREAM, 0);
	WLR_OK(c, socket, c1 < 0);
	WLR_OK(c, setsockopt, setsockopt(c1, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0);
	WLR_FAILS(c, setsockopt, setsockopt(-1, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0);
	WLR_OK(c, connect, connect(c1, (struct sockaddr *)&a, sizeof(a)) != 0);
	n->tcp_connects++;
	int s1 = accept(listener, NULL, NULL);
	WLR_OK(c, accept, s1 < 0);
	n->accepts++;
	int c2 = socket(AF_INET, SOCK_STREAM, 0);
	WLR_OK(c, socket, c2 < 0);
	WLR_OK(c, connect, connect(c2, (struct sockaddr *)&a, sizeof(a)) != 0);
	n->tcp_connects++;
	int s2 = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	WLR_OK(c, accept4, s2 < 0);
	n->accepts++;
	WLR_FAILS(c, accept, accept(-1, NULL, NULL) < 0); /* EBADF */
	WLR_FAILS(c, connect, connect(-1, NULL, 0) != 0);   /* EBADF */

	/* connection 1: send/recv, sendto/recvfrom */
	ssize_t r = send(c1, msg, 100, 0);
	WLR_OK(c, sendto, r != 100);
	n->client_sent += 100;
	n->server_recvd += RECV_ALL(c, recvfrom, recv(s1, buf, 100, MSG_WAITALL), 100);
	r = sendto(s1, msg, 200, 0, NULL, 0);
	WLR_OK(c, sendto, r != 200);
	n->server_sent += 200;
	n->client_recvd += RECV_ALL(c, recvfrom,
				    recvfrom(c1, buf, 200, MSG_WAITALL, NULL, NULL), 200);
	/* connection 2: sendmsg/recvmsg, write/read */
	struct iovec iov[2] = {{msg, 150}, {msg + 150, 150}};
	struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
	r = sendmsg(c2, &mh, 0);
	WLR_OK(c, sendmsg, r != 300);
	n->client_sent += 300;
	struct iovec riov = {buf, 300};
	struct msghdr rh = {.msg_iov = &riov, .msg_iovlen = 1};
	n->server_recvd += RECV_ALL(c, recvmsg, recvmsg(s2, &rh, MSG_WAITALL), 300);
	r = write(s2, msg, 50);
	WLR_OK(c, write, r != 50);
	n->server_sent += 50;
	for (size_t got = 0; got < 50;) { /* a stream may come in pieces */
		r = read(c2, buf, 50 - got);
		WLR_OK(c, read, r <= 0);
		got += (size_t)r;
		n->client_recvd += (uint64_t)r;
	}

	WLR_OK(c, getsockopt, getsockopt(c1, SOL_SOCKET, SO_ERROR, &err, &len) != 0);
	WLR_FAILS(c, getsockopt, getsockopt(-1, SOL_SOCKET, SO_ERROR, &err, &len) != 0);
	struct sockaddr_in me;
	len = sizeof(me);
	WLR_OK(c, getsockname, getsockname(c1, (struct sockaddr *)&me, &len) != 0);
	len = sizeof(me);
	WLR_OK(c, getpeername, getpeername(c1, (struct sockaddr *)&me, &len) != 0);
	WLR_OK(c, shutdown, shutdown(c1, SHUT_WR) != 0);
	WLR_FAILS(c, shutdown, shutdown(-1, SHUT_WR) != 0);
	r = recv(s1, buf, 1, 0); /* end of stream: 0 */
	WLR_OK(c, recvfrom, r != 0);
	int fds[4] = {c1, s1, c2, s2};
	for (int i = 0; i < 4; i++)
		WLR_OK(c, close, close(fds[i]) != 0);

	/* a refused connect */
	struct sockaddr_in ra = loopback(n->refused_port);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	WLR_OK(c, socket, s < 0);
	int rc = connect(s, (struct sockaddr *)&ra, sizeof(ra));
	WLR_FAILS(c, connect, rc != 0);
	if (errno != ECONNREFUSED)
		wlr_die("the connect to port %u was not refused", n->refused_port);
	n->refused++;
	WLR_OK(c, close, close(s) != 0);
}

/* Datagrams both ways, one batch each way, a bind, a socketpair. */
static void udp(struct wlr_ctx *c)
{
	struct sockaddr_in to_srv = loopback(udp_srv_port), to_cli = loopback(udp_cli_port);
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	char msg[64] = "datagram", buf[128];

	WLR_OK(c, sendto, sendto(udp_cli, msg, 64, 0, (struct sockaddr *)&to_srv,
				 sizeof(to_srv)) != 64);
	RECV_ALL(c, recvfrom, recvfrom(udp_srv, buf, sizeof(buf), 0, (struct sockaddr *)&from,
				       &flen), 64);
	WLR_OK(c, sendto, sendto(udp_srv, msg, 32, 0, (struct sockaddr *)&to_cli,
				 sizeof(to_cli)) != 32);
	RECV_ALL(c, recvfrom, recvfrom(udp_cli, buf, sizeof(buf), 0, NULL, NULL), 32);
	WLR_FAILS(c, recvfrom, recvfrom(udp_cli, buf, sizeof(buf), MSG_DONTWAIT, NULL,
					NULL) < 0); /* EAGAIN */

	struct iovec iov[2] = {{msg, 10}, {msg, 20}};
	struct mmsghdr mm[2];
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 2; i++) {
		mm[i].msg_hdr.msg_name = &to_srv;
		mm[i].msg_hdr.msg_namelen = sizeof(to_srv);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	WLR_OK(c, sendmmsg, sendmmsg(udp_cli, mm, 2, 0) != 2);
	struct iovec riov[2] = {{buf, 64}, {buf + 64, 64}};
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 2; i++) {
		mm[i].msg_hdr.msg_iov = &riov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	WLR_OK(c, recvmmsg, recvmmsg(udp_srv, mm, 2, 0, NULL) != 2);
	WLR_FAILS(c, sendmmsg, sendmmsg(-1, mm, 2, 0) < 0);
	WLR_FAILS(c, recvmmsg, recvmmsg(-1, mm, 2, 0, NULL) < 0);
	socklen_t len = sizeof(from);
	WLR_FAILS(c, getpeername, getpeername(udp_srv, (struct sockaddr *)&from, &len) != 0);

	struct sockaddr_in any = loopback(0);
	int b = socket(AF_INET, SOCK_DGRAM, 0);
	WLR_OK(c, socket, b < 0);
	WLR_OK(c, bind, bind(b, (struct sockaddr *)&any, sizeof(any)) != 0);
	WLR_FAILS(c, bind, bind(b, (struct sockaddr *)&any, sizeof(any)) != 0); /* EINVAL */
	WLR_OK(c, close, close(b) != 0);
	WLR_OK(c, listen, listen(listener, 16) != 0);
	WLR_FAILS(c, listen, listen(-1, 16) != 0);

	int sv[2], junk[2]; /* Linux writes the pair before it fails */
	WLR_OK(c, socketpair, socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0);
	WLR_FAILS(c, socketpair, socketpair(AF_INET, SOCK_STREAM, 0, junk) != 0);
	WLR_OK(c, write, write(sv[0], msg, 10) != 10);
	WLR_OK(c, read, read(sv[1], buf, 10) != 10);
	WLR_OK(c, close, close(sv[0]) != 0);
	WLR_OK(c, close, close(sv[1]) != 0);
}

/* getaddrinfo: a library row. A lookup without node and service fails
 * in libc (EAI_NONAME) without a syscall; a real one makes many, inside
 * libc, where strace sees them and no preload does (so not with -x). */
static void lookups(struct wlr_ctx *c)
{
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	WLR_FAILS(c, getaddrinfo, getaddrinfo(NULL, NULL, &hints, &res) != 0);
	if (c->strace_mode)
		return;
	int rc = getaddrinfo("localhost", NULL, &hints, &res);
	WLR_OK(c, getaddrinfo, rc != 0);
	freeaddrinfo(res);
	c->t->net.lookups++;
}

void wlr_net_iteration(struct wlr_ctx *c)
{
	tcp(c);
	udp(c);
	lookups(c);
}

/* poll and friends on an eventfd that is readable, epoll on it, sleeps. */
void wlr_wait_iteration(struct wlr_ctx *c)
{
	uint64_t v = 1;
	int efd = eventfd(0, 0);
	WLR_OK(c, eventfd2, efd < 0);
	WLR_OK(c, write, write(efd, &v, sizeof(v)) != sizeof(v));

	struct pollfd pfd = {efd, POLLIN, 0};
	struct timespec zero = {0, 0}, bad = {0, -1}, tiny = {0, 1};
	WLR_OK(c, poll, poll(&pfd, 1, 0) != 1);
	volatile nfds_t too_many = (nfds_t)INT_MAX + 1u; /* > RLIMIT_NOFILE: EINVAL */
	WLR_FAILS(c, poll, poll(&pfd, too_many, 0) < 0);
	WLR_OK(c, ppoll, ppoll(&pfd, 1, &zero, NULL) != 1);
	WLR_FAILS(c, ppoll, ppoll(&pfd, 1, &bad, NULL) < 0); /* EINVAL */
	fd_set rs;
	struct timeval tv = {0, 0};
	FD_ZERO(&rs);
	FD_SET(efd, &rs);
	WLR_OK(c, pselect6, select(efd + 1, &rs, NULL, NULL, &tv) != 1);
	WLR_FAILS(c, pselect6, select(-1, NULL, NULL, NULL, &tv) < 0); /* EINVAL */
	FD_SET(efd, &rs);
	WLR_OK(c, pselect6, pselect(efd + 1, &rs, NULL, NULL, &zero, NULL) != 1);

	int ep = epoll_create1(0);
	WLR_OK(c, epoll_create1, ep < 0);
	WLR_FAILS(c, epoll_create1, epoll_create1(-1) < 0); /* EINVAL */
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = efd}, got[4];
	WLR_OK(c, epoll_ctl, epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) != 0);
	WLR_FAILS(c, epoll_ctl, epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) != 0); /* EEXIST */
	WLR_OK(c, epoll_wait, epoll_wait(ep, got, 4, 0) != 1);
	WLR_FAILS(c, epoll_wait, epoll_wait(-1, got, 4, 0) < 0); /* EBADF */
	WLR_OK(c, epoll_pwait, epoll_pwait(ep, got, 4, 0, NULL) != 1);
	WLR_OK(c, read, read(efd, &v, sizeof(v)) != sizeof(v));
	WLR_OK(c, close, close(ep) != 0);
	WLR_OK(c, close, close(efd) != 0);

	int in = inotify_init1(IN_CLOEXEC);
	WLR_OK(c, inotify_init1, in < 0);
	int wd = inotify_add_watch(in, c->dir, IN_CREATE);
	WLR_OK(c, inotify_add_watch, wd < 0);
	WLR_FAILS(c, inotify_add_watch, inotify_add_watch(in, "/nonexistent/wl_rows", IN_CREATE) < 0);
	WLR_OK(c, inotify_rm_watch, inotify_rm_watch(in, wd) != 0);
	WLR_FAILS(c, inotify_rm_watch, inotify_rm_watch(in, wd + 1000) != 0); /* EINVAL */
	WLR_OK(c, close, close(in) != 0);

	WLR_OK(c, clock_nanosleep, usleep(1) != 0);
	WLR_OK(c, clock_nanosleep, sleep(0) != 0);
	WLR_OK(c, clock_nanosleep, nanosleep(&tiny, NULL) != 0);
	WLR_FAILS(c, clock_nanosleep, nanosleep(&bad, NULL) != 0); /* EINVAL */
	WLR_OK(c, clock_nanosleep, clock_nanosleep(CLOCK_MONOTONIC, 0, &tiny, NULL) != 0);
}
