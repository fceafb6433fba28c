/*
 * Tests of the resolver against libevent's real evdns, in a network
 * namespace of the test's own with only loopback up: the name server
 * named in the test's resolv.conf (192.0.2.1) is unreachable, so lookups
 * of names not in the hosts file fail the way they do on a gateway whose
 * DNS is down.  The unit-test build runs LeakSanitizer at exit, which is
 * what catches the libevent 2.1.12 leak resolve.c is built to avoid.
 */
#include <sys/time.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <event2/event.h>
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
	ATF_TP_ADD_TC(tp, bad_input);
	return atf_no_error();
}
