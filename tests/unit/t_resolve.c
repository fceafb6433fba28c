/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Tests of the resolver against libevent's real evdns, in a network
 * namespace of the test's own with only loopback up: the name server
 * named in the test's resolv.conf (192.0.2.1) is unreachable, so lookups
 * of names not in the hosts file fail the way they do on a gateway whose
 * DNS is down.  The unit-test build runs LeakSanitizer at exit, which is
 * what catches the libevent 2.1.12 leak resolve.c is built to avoid.
 * Where a test needs answers, fake name servers on 127.0.0.x:53 in the
 * same namespace answer every A query with an address of their own.
 */
#include <sys/stat.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "resolve.h"

#define ERRLEN	256

struct answer {
	int		 calls;
	int		 ok;
	struct in_addr	 addr;
	char		 error[400];
	double		 at;		/* seconds since the lookup began */
	double		 t0;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
cb(void *arg, const struct in_addr *addr, const char *error)
{
	struct answer *a = arg;

	a->calls++;
	a->at = now_s() - a->t0;
	a->ok = addr != NULL;
	if (addr != NULL)
		a->addr = *addr;
	snprintf(a->error, sizeof(a->error), "%s", error != NULL ? error :
	    "");
}

/* A namespace of our own: loopback up, no route anywhere else. */
static void
ns_enter(void)
{
	struct ifreq ifr;
	int fd;

	ATF_REQUIRE_MSG(unshare(CLONE_NEWNET) == 0, "unshare: %s",
	    strerror(errno));
	ATF_REQUIRE((fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	ATF_REQUIRE(ioctl(fd, SIOCGIFFLAGS, &ifr) == 0);
	ifr.ifr_flags |= IFF_UP;
	ATF_REQUIRE(ioctl(fd, SIOCSIFFLAGS, &ifr) == 0);
	close(fd);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f;

	ATF_REQUIRE((f = fopen(path, "w")) != NULL);
	ATF_REQUIRE(fputs(text, f) >= 0);
	ATF_REQUIRE(fclose(f) == 0);
}

/* A resolver on files in the test's directory; times in seconds. */
static struct resolver *
open_res(struct event_base *eb, unsigned int try_s, unsigned int tries,
    unsigned int backstop_s)
{
	struct resolver_params p;
	struct resolver *res;

	write_file("resolv.conf", "nameserver 192.0.2.1\n");
	write_file("hosts", "192.0.2.7 vpn.test\n");
	memset(&p, 0, sizeof(p));
	p.resolv_conf = "resolv.conf";
	p.hosts = "hosts";
	p.try_s = try_s;
	p.tries = tries;
	p.backstop_s = backstop_s;
	ATF_REQUIRE((res = resolver_new_params(eb, &p)) != NULL);
	return res;
}

static void
pump(struct event_base *eb, int ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	event_base_loopexit(eb, &tv);
	event_base_dispatch(eb);
}

/* Runs the loop until a answers, for at most ms. */
static void
pump_until(struct event_base *eb, struct answer *a, int ms)
{
	int i;

	for (i = 0; i < ms / 50 && a->calls == 0; i++)
		pump(eb, 50);
}

static struct resolve_req *
start(struct resolver *res, const char *host, struct answer *a)
{
	struct resolve_req *rq;
	char err[ERRLEN];

	memset(a, 0, sizeof(*a));
	a->t0 = now_s();
	rq = resolve_start(res, host, cb, a, err, sizeof(err));
	ATF_REQUIRE_MSG(rq != NULL, "%s", err);
	return rq;
}

#define RS_TC(name, descr)						\
	ATF_TC(name);							\
	ATF_TC_HEAD(name, tc)						\
	{								\
		atf_tc_set_md_var(tc, "descr", descr);			\
		atf_tc_set_md_var(tc, "require.user", "root");		\
		atf_tc_set_md_var(tc, "timeout", "60");			\
	}								\
	ATF_TC_BODY(name, tc)

RS_TC(hosts_answer, "a name in the hosts file is answered from the loop, "
    "never from inside resolve_start(), exactly once")
{
	struct event_base *eb;
	struct resolver *res;
	struct answer a;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	res = open_res(eb, 1, 1, 5);
	(void)start(res, "vpn.test", &a);
	ATF_REQUIRE_EQ(a.calls, 0);
	pump(eb, 100);
	ATF_REQUIRE_EQ(a.calls, 1);
	ATF_REQUIRE_MSG(a.ok, "%s", a.error);
	ATF_REQUIRE_EQ(a.addr.s_addr, inet_addr("192.0.2.7"));
	pump(eb, 100);
	ATF_REQUIRE_EQ(a.calls, 1);
	resolver_free(res);
	event_base_free(eb);
}

RS_TC(dead_dns_fails, "with every name server down, evdns gives up by "
    "itself after tries * timeout, before the backstop, and nothing leaks")
{
	struct event_base *eb;
	struct resolver *res;
	struct answer a, b;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	res = open_res(eb, 1, 2, 10);
	(void)start(res, "vpn.example.com", &a);
	pump_until(eb, &a, 12000);
	ATF_REQUIRE_EQ(a.calls, 1);
	ATF_REQUIRE(!a.ok);
	ATF_REQUIRE_MATCH("cannot resolve vpn.example.com: no answer from "
	    "the name servers in resolv.conf", a.error);
	ATF_REQUIRE_MSG(a.at >= 1.5 && a.at < 5, "answered after %.1f s",
	    a.at);
	/* Again, as a redialling tunnel does, all on the same resolver. */
	(void)start(res, "vpn.example.com", &b);
	pump_until(eb, &b, 12000);
	ATF_REQUIRE_EQ(b.calls, 1);
	ATF_REQUIRE(!b.ok);
	ATF_REQUIRE(b.at < 5);
	resolver_free(res);
	event_base_free(eb);
}

RS_TC(backstop, "if evdns takes longer than the backstop, the caller is "
    "answered at the backstop and evdns finishes on its own, no leak")
{
	struct event_base *eb;
	struct resolver *res;
	struct answer a;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	res = open_res(eb, 1, 3, 1);
	(void)start(res, "vpn.example.com", &a);
	pump_until(eb, &a, 5000);
	ATF_REQUIRE_EQ(a.calls, 1);
	ATF_REQUIRE_MATCH("no answer within 1 s", a.error);
	ATF_REQUIRE_MSG(a.at < 2.5, "answered after %.1f s", a.at);
	/* evdns gives up at 3 s: its answer is dropped. */
	pump(eb, 3000);
	ATF_REQUIRE_EQ(a.calls, 1);
	resolver_free(res);
	event_base_free(eb);
}

RS_TC(cancel, "a cancelled lookup never calls back, whether evdns is "
    "still at it or its answer waits in the loop, and nothing leaks")
{
	struct event_base *eb;
	struct resolver *res;
	struct resolve_req *rq;
	struct answer a, b;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	res = open_res(eb, 1, 2, 10);
	rq = start(res, "vpn.example.com", &a);
	pump(eb, 300);
	resolve_cancel(rq);
	/* Past the moment evdns gives up. */
	pump(eb, 3000);
	ATF_REQUIRE_EQ(a.calls, 0);

	/* Answered already (hosts file), not delivered yet. */
	rq = start(res, "vpn.test", &b);
	resolve_cancel(rq);
	pump(eb, 100);
	ATF_REQUIRE_EQ(b.calls, 0);
	resolve_cancel(NULL);
	resolver_free(res);
	event_base_free(eb);
}

RS_TC(free_while_running, "resolver_free() with cancelled lookups still in "
    "evdns releases them and calls nobody")
{
	struct event_base *eb;
	struct resolver *res;
	struct answer a, b;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	res = open_res(eb, 1, 3, 10);
	resolve_cancel(start(res, "vpn.example.com", &a));
	resolve_cancel(start(res, "other.example.com", &b));
	pump(eb, 200);
	resolver_free(res);
	ATF_REQUIRE_EQ(a.calls + b.calls, 0);
	event_base_free(eb);
}

/*
 * A fake name server on addr:53: every A query gets answer (or, with
 * answer 0.0.0.0, nothing at all: a server that is down).
 */
struct fake_ns {
	int		 fd;
	struct event	*ev;
	struct in_addr	 answer;
	int		 queries;
};

static void
fake_ns_read(evutil_socket_t fd, short what, void *arg)
{
	struct fake_ns *ns = arg;
	struct sockaddr_in from;
	socklen_t fromlen = sizeof(from);
	uint8_t q[512], r[600];
	ssize_t n;
	size_t off, qend;
	uint16_t qtype;

	(void)what;
	if ((n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from,
	    &fromlen)) < 12)
		return;
	ns->queries++;
	if (ns->answer.s_addr == INADDR_ANY)
		return;
	/* The question: labels up to the root, then type and class. */
	for (off = 12; off < (size_t)n && q[off] != 0; off += q[off] + 1)
		;
	if (off + 5 > (size_t)n)
		return;
	qend = off + 5;
	qtype = (uint16_t)(q[off + 1] << 8 | q[off + 2]);
	memcpy(r, q, qend);
	r[2] = 0x81;			/* response, recursion desired */
	r[3] = 0x80;			/* recursion available, no error */
	r[6] = 0;
	r[7] = qtype == 1 ? 1 : 0;	/* answers */
	memset(r + 8, 0, 4);		/* authority, additional */
	off = qend;
	if (qtype == 1) {
		static const uint8_t rr[] = { 0xc0, 0x0c, 0, 1, 0, 1,
		    0, 0, 0, 60, 0, 4 };

		memcpy(r + off, rr, sizeof(rr));
		off += sizeof(rr);
		memcpy(r + off, &ns->answer, 4);
		off += 4;
	}
	(void)sendto(fd, r, off, 0, (struct sockaddr *)&from, fromlen);
}

static void
fake_ns_start(struct fake_ns *ns, struct event_base *eb, const char *addr,
    const char *answer)
{
	struct sockaddr_in sin;

	memset(ns, 0, sizeof(*ns));
	ns->answer.s_addr = inet_addr(answer);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(53);
	sin.sin_addr.s_addr = inet_addr(addr);
	ATF_REQUIRE((ns->fd = socket(AF_INET, SOCK_DGRAM, 0)) != -1);
	ATF_REQUIRE_MSG(bind(ns->fd, (struct sockaddr *)&sin,
	    sizeof(sin)) == 0, "bind %s: %s", addr, strerror(errno));
	ATF_REQUIRE((ns->ev = event_new(eb, ns->fd, EV_READ | EV_PERSIST,
	    fake_ns_read, ns)) != NULL);
	ATF_REQUIRE(event_add(ns->ev, NULL) == 0);
}

static void
fake_ns_stop(struct fake_ns *ns)
{
	event_free(ns->ev);
	close(ns->fd);
}

/* Replaces path the way DHCP clients do: a new file renamed over it. */
static void
replace_file(const char *path, const char *text)
{
	write_file("replacement.tmp", text);
	ATF_REQUIRE(rename("replacement.tmp", path) == 0);
}

/* Looks host up to the end and requires the answer addr. */
static void
resolve_expect(struct event_base *eb, struct resolver *res, const char *host,
    const char *addr)
{
	struct answer a;

	(void)start(res, host, &a);
	pump_until(eb, &a, 5000);
	ATF_REQUIRE_EQ(a.calls, 1);
	ATF_REQUIRE_MSG(a.ok, "%s", a.error);
	ATF_REQUIRE_MSG(a.addr.s_addr == inet_addr(addr), "%s answered %s, "
	    "not %s", host, inet_ntoa(a.addr), addr);
}

RS_TC(resolv_conf_changed, "after resolv.conf changes (a new uplink), "
    "the next lookup asks the new name server")
{
	struct event_base *eb;
	struct resolver *res;
	struct fake_ns ns1, ns2;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	fake_ns_start(&ns1, eb, "127.0.0.2", "192.0.2.10");
	fake_ns_start(&ns2, eb, "127.0.0.3", "192.0.2.20");
	res = open_res(eb, 1, 2, 10);
	replace_file("resolv.conf", "nameserver 127.0.0.2\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.10");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.10");
	ATF_REQUIRE_EQ(ns2.queries, 0);

	replace_file("resolv.conf", "nameserver 127.0.0.3\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");
	ATF_REQUIRE(ns2.queries > 0);
	/* The hosts file is read again with it. */
	resolve_expect(eb, res, "vpn.test", "192.0.2.7");
	resolver_free(res);
	fake_ns_stop(&ns1);
	fake_ns_stop(&ns2);
	event_base_free(eb);
}

RS_TC(reload_rereads, "resolver_reload() makes the next lookup read "
    "resolv.conf again even when it looks unchanged")
{
	struct event_base *eb;
	struct resolver *res;
	struct fake_ns ns1, ns2;
	struct timespec times[2];
	struct stat st;
	int fd;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	fake_ns_start(&ns1, eb, "127.0.0.2", "192.0.2.10");
	fake_ns_start(&ns2, eb, "127.0.0.3", "192.0.2.20");
	res = open_res(eb, 1, 2, 10);
	replace_file("resolv.conf", "nameserver 127.0.0.2\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.10");

	/* Same inode, same size, same mtime: only the text differs. */
	ATF_REQUIRE(stat("resolv.conf", &st) == 0);
	ATF_REQUIRE((fd = open("resolv.conf", O_WRONLY)) != -1);
	ATF_REQUIRE(pwrite(fd, "3", 1, strlen("nameserver 127.0.0.")) == 1);
	times[0] = st.st_atim;
	times[1] = st.st_mtim;
	ATF_REQUIRE(futimens(fd, times) == 0);
	close(fd);
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.10");

	resolver_reload(res);
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");
	resolver_free(res);
	fake_ns_stop(&ns1);
	fake_ns_stop(&ns2);
	event_base_free(eb);
}

RS_TC(changed_while_running, "a lookup still running when resolv.conf "
    "changes ends in the old resolver, the next one uses the new, and "
    "nothing leaks")
{
	struct event_base *eb;
	struct resolver *res;
	struct fake_ns dead, ns2;
	struct answer a;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	fake_ns_start(&dead, eb, "127.0.0.4", "0.0.0.0");
	fake_ns_start(&ns2, eb, "127.0.0.3", "192.0.2.20");
	res = open_res(eb, 1, 2, 10);
	replace_file("resolv.conf", "nameserver 127.0.0.4\n");
	(void)start(res, "vpn.example.com", &a);
	pump(eb, 200);
	ATF_REQUIRE(dead.queries > 0);
	ATF_REQUIRE_EQ(a.calls, 0);

	replace_file("resolv.conf", "nameserver 127.0.0.3\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");
	ATF_REQUIRE_EQ(a.calls, 0);
	/* The first gives up in its own time, against its own server. */
	pump_until(eb, &a, 5000);
	ATF_REQUIRE_EQ(a.calls, 1);
	ATF_REQUIRE(!a.ok);
	/* A lookup more frees the retired resolver (LSan would tell). */
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");

	/* And at exit with one still running in a retired resolver. */
	replace_file("resolv.conf", "nameserver 127.0.0.4\n");
	resolve_cancel(start(res, "vpn.example.com", &a));
	replace_file("resolv.conf", "nameserver 127.0.0.3\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");
	resolver_free(res);
	fake_ns_stop(&dead);
	fake_ns_stop(&ns2);
	event_base_free(eb);
}

/*
 * The sandboxed engine's mode (resolver_set_fetch()): the resolver never
 * opens a file; its params name a path that does not exist, so anything
 * it read itself would be evdns's defaults (127.0.0.1), not the text.
 * The fetch reads the test's files as pptpcd's parent does
 * (resolve_text_read()), or fails on demand.
 */
struct fetcher {
	int	 calls;
	int	 forced;	/* calls with have NULL */
	int	 fail;		/* answer -1 as for a file over 64 kB */
};

static int
fetch(void *arg, const struct resolve_file_id *have, struct resolve_text *t,
    char *err, size_t errlen)
{
	static const char *const paths[RESOLVE_TEXT_FILES] = {
		"resolv.conf", "hosts"
	};
	struct fetcher *f = arg;

	f->calls++;
	if (have == NULL)
		f->forced++;
	if (f->fail) {
		snprintf(err, errlen, "resolv.conf is over 65536 bytes");
		return -1;
	}
	return resolve_text_read(paths, have, t, err, errlen);
}

static struct resolver *
open_text_res(struct event_base *eb, struct fetcher *f)
{
	struct resolver_params p;
	struct resolver *res;

	write_file("resolv.conf", "nameserver 192.0.2.1\n");
	write_file("hosts", "192.0.2.7 vpn.test alias.test\n");
	memset(&p, 0, sizeof(p));
	p.resolv_conf = "/nonexistent/resolv.conf";
	p.try_s = 1;
	p.tries = 2;
	p.backstop_s = 10;
	ATF_REQUIRE((res = resolver_new_params(eb, &p)) != NULL);
	memset(f, 0, sizeof(*f));
	resolver_set_fetch(res, fetch, f);
	return res;
}

RS_TC(text_hosts_answer, "sandboxed: a name of the hosts text is answered "
    "from the loop, first match, without case, aliases too")
{
	struct event_base *eb;
	struct resolver *res;
	struct fetcher f;
	struct answer a;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	res = open_text_res(eb, &f);
	replace_file("hosts", "# comment\n192.0.2.7 vpn.test alias.test\n"
	    "192.0.2.8 VPN.TEST\n");
	(void)start(res, "Vpn.Test", &a);
	ATF_REQUIRE_EQ(a.calls, 0);
	pump(eb, 100);
	ATF_REQUIRE_EQ(a.calls, 1);
	ATF_REQUIRE_MSG(a.ok, "%s", a.error);
	ATF_REQUIRE_EQ(a.addr.s_addr, inet_addr("192.0.2.7"));
	resolve_expect(eb, res, "alias.test", "192.0.2.7");
	ATF_REQUIRE_EQ(f.forced, 1);
	ATF_REQUIRE_EQ(f.calls, 2);
	resolver_free(res);
	event_base_free(eb);
}

RS_TC(text_resolv_conf_changed, "sandboxed: after resolv.conf changes, the "
    "next lookup asks the new name server, from the text it was handed")
{
	struct event_base *eb;
	struct resolver *res;
	struct fake_ns ns1, ns2;
	struct fetcher f;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	fake_ns_start(&ns1, eb, "127.0.0.2", "192.0.2.10");
	fake_ns_start(&ns2, eb, "127.0.0.3", "192.0.2.20");
	res = open_text_res(eb, &f);
	replace_file("resolv.conf", "options timeout:30 attempts:5\n"
	    "nameserver 127.0.0.2\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.10");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.10");
	ATF_REQUIRE_EQ(ns2.queries, 0);

	replace_file("resolv.conf", "nameserver 127.0.0.3\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");
	ATF_REQUIRE(ns2.queries > 0);
	resolve_expect(eb, res, "vpn.test", "192.0.2.7");
	/* Only the first lookup had nothing to name. */
	ATF_REQUIRE_EQ(f.forced, 1);

	/* A reload asks for the text whatever the identity says. */
	resolver_reload(res);
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");
	ATF_REQUIRE_EQ(f.forced, 2);
	resolver_free(res);
	fake_ns_stop(&ns1);
	fake_ns_stop(&ns2);
	event_base_free(eb);
}

RS_TC(text_no_nameserver, "sandboxed: a resolv.conf without a name server "
    "means 127.0.0.1, as glibc and evdns take it")
{
	struct event_base *eb;
	struct resolver *res;
	struct fake_ns ns;
	struct fetcher f;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	fake_ns_start(&ns, eb, "127.0.0.1", "192.0.2.30");
	res = open_text_res(eb, &f);
	replace_file("resolv.conf", "# nothing yet\nsearch example.com\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.30");
	ATF_REQUIRE(ns.queries > 0);
	resolver_free(res);
	fake_ns_stop(&ns);
	event_base_free(eb);
}

RS_TC(text_fetch_fails, "sandboxed: when the text cannot come (a file over "
    "64 kB), the resolver keeps what it has, or says why it has nothing")
{
	struct event_base *eb;
	struct resolver *res;
	struct fake_ns ns1;
	struct fetcher f;
	struct answer a;
	char err[ERRLEN];

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	fake_ns_start(&ns1, eb, "127.0.0.2", "192.0.2.10");
	res = open_text_res(eb, &f);
	f.fail = 1;
	ATF_REQUIRE(resolve_start(res, "vpn.example.com", cb, &a, err,
	    sizeof(err)) == NULL);
	ATF_REQUIRE_MATCH("cannot resolve vpn.example.com: resolv.conf is "
	    "over 65536 bytes", err);

	f.fail = 0;
	replace_file("resolv.conf", "nameserver 127.0.0.2\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.10");
	f.fail = 1;
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.10");
	resolve_expect(eb, res, "vpn.test", "192.0.2.7");
	/* And it asks again in full once the parent can answer. */
	f.fail = 0;
	f.forced = 0;
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.10");
	ATF_REQUIRE_EQ(f.forced, 1);
	resolver_free(res);
	fake_ns_stop(&ns1);
	event_base_free(eb);
}

RS_TC(text_changed_while_running, "sandboxed: a lookup still running when "
    "resolv.conf changes ends in the old resolver, the next one uses the "
    "new, and nothing leaks")
{
	struct event_base *eb;
	struct resolver *res;
	struct fake_ns dead, ns2;
	struct fetcher f;
	struct answer a;

	ns_enter();
	ATF_REQUIRE((eb = event_base_new()) != NULL);
	fake_ns_start(&dead, eb, "127.0.0.4", "0.0.0.0");
	fake_ns_start(&ns2, eb, "127.0.0.3", "192.0.2.20");
	res = open_text_res(eb, &f);
	replace_file("resolv.conf", "nameserver 127.0.0.4\n");
	(void)start(res, "vpn.example.com", &a);
	pump(eb, 200);
	ATF_REQUIRE(dead.queries > 0);
	ATF_REQUIRE_EQ(a.calls, 0);

	replace_file("resolv.conf", "nameserver 127.0.0.3\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");
	ATF_REQUIRE_EQ(a.calls, 0);
	pump_until(eb, &a, 5000);
	ATF_REQUIRE_EQ(a.calls, 1);
	ATF_REQUIRE(!a.ok);
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");

	replace_file("resolv.conf", "nameserver 127.0.0.4\n");
	resolve_cancel(start(res, "vpn.example.com", &a));
	replace_file("resolv.conf", "nameserver 127.0.0.3\n");
	resolve_expect(eb, res, "vpn.example.com", "192.0.2.20");
	resolver_free(res);
	fake_ns_stop(&dead);
	fake_ns_stop(&ns2);
	event_base_free(eb);
}

RS_TC(bad_input, "a name too long and a path too long are refused with a "
    "message")
{
	struct resolver_params p;
	struct event_base *eb;
	struct resolver *res;
	struct answer a;
	char err[ERRLEN], name[300], *path;

	ATF_REQUIRE((eb = event_base_new()) != NULL);
	ATF_REQUIRE((res = resolver_new(eb)) != NULL);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ATF_REQUIRE(resolve_start(res, name, cb, &a, err, sizeof(err)) ==
	    NULL);
	ATF_REQUIRE_MATCH("name too long", err);
	resolver_free(res);

	ATF_REQUIRE((path = malloc(PATH_MAX + 10)) != NULL);
	memset(path, 'x', PATH_MAX + 9);
	path[PATH_MAX + 9] = '\0';
	memset(&p, 0, sizeof(p));
	p.resolv_conf = path;
	errno = 0;
	ATF_REQUIRE(resolver_new_params(eb, &p) == NULL);
	ATF_REQUIRE_EQ(errno, ENAMETOOLONG);
	free(path);
	event_base_free(eb);
}

ATF_TP_ADD_TCS(tp)
{
	log_init(1, 0);
	ATF_TP_ADD_TC(tp, hosts_answer);
	ATF_TP_ADD_TC(tp, dead_dns_fails);
	ATF_TP_ADD_TC(tp, backstop);
	ATF_TP_ADD_TC(tp, cancel);
	ATF_TP_ADD_TC(tp, free_while_running);
	ATF_TP_ADD_TC(tp, resolv_conf_changed);
	ATF_TP_ADD_TC(tp, reload_rereads);
	ATF_TP_ADD_TC(tp, changed_while_running);
	ATF_TP_ADD_TC(tp, bad_input);
	ATF_TP_ADD_TC(tp, text_hosts_answer);
	ATF_TP_ADD_TC(tp, text_resolv_conf_changed);
	ATF_TP_ADD_TC(tp, text_no_nameserver);
	ATF_TP_ADD_TC(tp, text_fetch_fails);
	ATF_TP_ADD_TC(tp, text_changed_while_running);
	return atf_no_error();
}
