/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The parent's decoder (daemon/priv_parent.c) against a compromised
 * engine: each request outside the configuration and what the parent
 * made -- a route not the tunnel's, a host route to anything but its
 * server, an unreachable route no kill switch covers, a tun for an
 * unknown tunnel or a second one, another tunnel's interface, a script
 * not configured or with addresses that were not set, an address the
 * policy refuses, a password of a tunnel that does not exist, bad
 * lengths and paddings, a descriptor where none may come, a type that is
 * not a request -- is refused with EPERM and logged, the fake host sees
 * nothing, and the legitimate request next to it still goes through.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "logcap.h"
#include "priv_fake.h"
#include "priv_parent.h"
#include "timer_manual.h"

static const char conf_text[] =
    "tunnel office {\n"
    "\tserver 198.51.100.1\n"
    "\tusername alice\n"
    "\tpassword \"s3cret\"\n"
    "\troute 10.1.0.0/16\n"
    "\tdefault-route yes\n"
    "\tkill-switch yes\n"
    "\tup-script \"/etc/pptpc/up\"\n"
    "}\n"
    "tunnel lab {\n"
    "\tserver 203.0.113.9\n"
    "\tusername bob\n"
    "\tpassword \"other\"\n"
    "\troute 172.16.0.0/12\n"
    "}\n";

/* Issue 11's gateway: a WAN of its own, IPv6, DNS lent to the host. */
static const char conf11_text[] =
    "tunnel gw {\n"
    "\tserver 198.51.100.1\n"
    "\tusername alice\n"
    "\tpassword \"s3cret\"\n"
    "\troute 10.1.0.0/16\n"
    "\tdefault-route yes\n"
    "\tipv6 yes\n"
    "\taddress6 2001:db8:1::5/64\n"
    "\troute 2001:db8:9::/48\n"
    "\tdns apply\n"
    "\tdns-domains corp.example\n"
    "\tlocal-address 192.0.2.10\n"
    "\tfwmark 7\n"
    "\ttable 100\n"
    "}\n"
    "tunnel plain {\n"
    "\tserver 203.0.113.9\n"
    "\tusername bob\n"
    "\tpassword \"other\"\n"
    "\troute 172.16.0.0/12\n"
    "}\n";

struct fixture {
	struct config		*conf;
	struct timer_base	*tb;
	struct priv_parent	 p;
	int			 sv[2];	/* [0] engine, [1] parent */
};

static void
setup_with(struct fixture *f, const char *text)
{
	log_init(1, 0);
	priv_fake_reset();
	ATF_REQUIRE((f->conf = parse_config_buffer("test", text,
	    strlen(text), CONF_NOFILES)) != NULL);
	ATF_REQUIRE((f->tb = timer_manual_new()) != NULL);
	priv_parent_init(&f->p, f->conf, &priv_fake_ops, f->tb);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    f->sv) == 0);
	f->p.sock = f->sv[1];
}

static void
setup(struct fixture *f)
{
	setup_with(f, conf_text);
}

static void
teardown(struct fixture *f)
{
	priv_parent_free(&f->p);
	timer_manual_free(f->tb);
	config_free(f->conf);
	close(f->sv[0]);
	close(f->sv[1]);
}

/*
 * One request from the "engine", handled by the parent; returns the
 * answer's type, fills ans (at most anslen bytes) and *fd.
 */
static int
ask_fd(struct fixture *f, uint16_t type, const char *tunnel,
    const void *req, size_t len, int sendfd, void *ans, size_t anslen,
    int *fd)
{
	struct privmsg m;
	char err[128];

	ATF_REQUIRE(privmsg_send(f->sv[0], type, tunnel, req, len, sendfd) ==
	    0);
	ATF_REQUIRE_EQ(privmsg_recv(f->sv[1], &m, err, sizeof(err)),
	    PRIVMSG_OK);
	(void)priv_parent_handle(&f->p, f->sv[1], &m);
	ATF_REQUIRE_EQ(privmsg_recv(f->sv[0], &m, err, sizeof(err)),
	    PRIVMSG_OK);
	memcpy(ans, m.payload, m.hdr.len < anslen ? m.hdr.len : anslen);
	if (fd != NULL)
		*fd = m.fd;
	else if (m.fd != -1)
		close(m.fd);
	return m.hdr.type;
}

/* A request answered by PRIV_RESULT: its error (0 for done). */
static int
ask(struct fixture *f, uint16_t type, const char *tunnel, const void *req,
    size_t len)
{
	struct priv_result r;

	memset(&r, 0, sizeof(r));
	ATF_REQUIRE_EQ(ask_fd(f, type, tunnel, req, len, -1, &r, sizeof(r),
	    NULL), PRIV_RESULT);
	return r.error;
}

static struct in_addr
ip(const char *s)
{
	struct in_addr a;

	ATF_REQUIRE(inet_pton(AF_INET, s, &a) == 1);
	return a;
}

static struct priv_route
rt(int add, const char *dst, int plen, const char *gw, const char *ifname)
{
	struct priv_route q;

	memset(&q, 0, sizeof(q));
	q.add = (uint8_t)add;
	q.dst = ip(dst);
	q.plen = (uint8_t)plen;
	if (gw != NULL) {
		q.flags = ROUTE_GATEWAY;
		q.gateway = ip(gw);
	}
	snprintf(q.ifname, sizeof(q.ifname), "%s", ifname);
	return q;
}

/* Opens the tunnel's tun through the parent: its name. */
static void
open_tun(struct fixture *f, const char *tunnel, char *name, size_t len)
{
	struct priv_ifreq q;
	struct priv_tun a;
	int fd;

	memset(&q, 0, sizeof(q));
	ATF_REQUIRE_EQ(ask_fd(f, PRIV_TUN_OPEN, tunnel, &q, sizeof(q), -1,
	    &a, sizeof(a), &fd), PRIV_TUN);
	ATF_REQUIRE_EQ(a.error, 0);
	ATF_REQUIRE(fd != -1);
	close(fd);
	snprintf(name, len, "%s", a.name);
}

static void
set_addr(struct fixture *f, const char *tunnel, const char *ifname,
    const char *local, const char *peer, int want)
{
	struct priv_ifaddr q;

	memset(&q, 0, sizeof(q));
	q.set = 1;
	q.local = ip(local);
	q.peer = ip(peer);
	snprintf(q.ifname, sizeof(q.ifname), "%s", ifname);
	ATF_CHECK_EQ(ask(f, PRIV_IFACE_ADDR, tunnel, &q, sizeof(q)), want);
}

static void
server(struct fixture *f, const char *tunnel, const char *addr, int port,
    int want)
{
	struct priv_server q;

	memset(&q, 0, sizeof(q));
	q.addr = ip(addr);
	q.port = (uint16_t)port;
	ATF_CHECK_EQ(ask(f, PRIV_SERVER, tunnel, &q, sizeof(q)), want);
}

ATF_TC_WITHOUT_HEAD(routes_of_the_tunnel_only);
ATF_TC_BODY(routes_of_the_tunnel_only, tc)
{
	struct fixture f;
	struct priv_route q;
	char tun[16], lab[16];

	setup(&f);
	open_tun(&f, "office", tun, sizeof(tun));
	open_tun(&f, "lab", lab, sizeof(lab));
	priv_fake.log[0] = '\0';
	priv_fake.calls = 0;

	/* Its own prefix, the default halves: done. */
	q = rt(1, "10.1.0.0", 16, NULL, tun);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), 0);
	q = rt(1, "0.0.0.0", 1, NULL, tun);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), 0);
	q = rt(1, "128.0.0.0", 1, NULL, tun);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), 0);
	ATF_CHECK_EQ(priv_fake.calls, 3);

	/* Another tunnel's prefix, an arbitrary one, a default: refused. */
	q = rt(1, "172.16.0.0", 12, NULL, tun);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	q = rt(1, "192.168.0.0", 24, NULL, tun);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	q = rt(1, "0.0.0.0", 0, NULL, tun);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	/* lab has no default-route: no halves through its interface. */
	q = rt(1, "0.0.0.0", 1, NULL, lab);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	/* A gateway on a tunnel's interface: refused. */
	q = rt(1, "10.1.0.0", 16, "192.0.2.1", tun);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	/* Through an interface no tunnel has (the WAN): refused. */
	q = rt(1, "10.1.0.0", 16, NULL, "eth0");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 3);
	ATF_CHECK_EQ(f.p.refused, 6);

	/* Taking one through its own interface away is the tunnel's loss. */
	q = rt(0, "10.1.0.0", 16, NULL, tun);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), 0);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(host_route_to_the_server_only);
ATF_TC_BODY(host_route_to_the_server_only, tc)
{
	struct fixture f;
	struct priv_route q;

	setup(&f);
	/* Before the engine said which server it dials: refused. */
	q = rt(1, "198.51.100.1", 32, "192.0.2.254", "eth0");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "office", &q, sizeof(q)), EPERM);
	/* A port other than the configured one: refused. */
	server(&f, "office", "198.51.100.1", 80, EPERM);
	/* Not a unicast host: refused. */
	server(&f, "office", "127.0.0.1", 1723, EPERM);
	server(&f, "office", "198.51.100.1", 1723, 0);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "office", &q, sizeof(q)), 0);
	ATF_CHECK(strstr(priv_fake.log, "add route 198.51.100.1/32 via "
	    "192.0.2.254 on eth0;") != NULL);
	/* Another tunnel's server, or none named: refused. */
	server(&f, "lab", "203.0.113.9", 1723, 0);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "lab", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	/* Any other host, or wider than /32: refused. */
	q = rt(1, "203.0.113.5", 32, "192.0.2.254", "eth0");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "office", &q, sizeof(q)), EPERM);
	q = rt(1, "198.51.100.0", 24, "192.0.2.254", "eth0");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "office", &q, sizeof(q)), EPERM);
	/* Deleting one the parent did not add: refused; its own: done. */
	q = rt(0, "198.51.100.1", 32, "192.0.2.1", "eth1");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "office", &q, sizeof(q)), EPERM);
	q = rt(0, "198.51.100.1", 32, "192.0.2.254", "eth0");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "office", &q, sizeof(q)), 0);
	ATF_CHECK_EQ(priv_fake.calls, 2);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(engine_gone_removes_pins);
ATF_TC_BODY(engine_gone_removes_pins, tc)
{
	struct fixture f;
	struct priv_route q;

	setup(&f);
	server(&f, "lab", "203.0.113.9", 1723, 0);
	q = rt(1, "203.0.113.9", 32, "192.0.2.254", "eth0");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "lab", &q, sizeof(q)), 0);
	priv_fake.log[0] = '\0';
	priv_parent_engine_gone(&f.p);
	ATF_CHECK_STREQ(priv_fake.log,
	    "del route 203.0.113.9/32 via 192.0.2.254 on eth0;");
	/* A new engine starts from nothing: the server is unknown again. */
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "lab", &q, sizeof(q)), EPERM);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(reject_routes_of_kill_switches_only);
ATF_TC_BODY(reject_routes_of_kill_switches_only, tc)
{
	struct fixture f;
	struct priv_reject q;

	setup(&f);
	memset(&q, 0, sizeof(q));
	q.add = 1;
	q.dst = ip("10.1.0.0");
	q.plen = 16;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "office", &q, sizeof(q)), 0);
	q.dst = ip("128.0.0.0");
	q.plen = 1;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "office", &q, sizeof(q)), 0);
	/* lab's prefix: lab has no kill switch; office does not carry it. */
	q.dst = ip("172.16.0.0");
	q.plen = 12;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "lab", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "office", &q, sizeof(q)), EPERM);
	/* office's prefix asked for by lab, or by nobody: refused. */
	q.dst = ip("10.1.0.0");
	q.plen = 16;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "lab", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "", &q, sizeof(q)), EPERM);
	/* Anything else, host bits, /0: refused. */
	q.dst = ip("8.8.8.8");
	q.plen = 32;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "office", &q, sizeof(q)), EPERM);
	q.dst = ip("10.1.0.1");
	q.plen = 16;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "office", &q, sizeof(q)), EPERM);
	q.dst = ip("0.0.0.0");
	q.plen = 0;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "office", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 2);
	teardown(&f);
}

/* Two tunnels to one server, each through its own WAN (t_multiwan). */
static const char conf_two_wans[] =
    "tunnel w1 {\n"
    "\tserver 198.51.100.1\n"
    "\tusername alice\n"
    "\tpassword \"s3cret\"\n"
    "\tdefault-route yes\n"
    "\tkill-switch yes\n"
    "\tfwmark 101\n"
    "\ttable 101\n"
    "}\n"
    "tunnel w2 {\n"
    "\tserver 198.51.100.1\n"
    "\tusername alice\n"
    "\tpassword \"s3cret\"\n"
    "\tdefault-route yes\n"
    "\tkill-switch yes\n"
    "\tfwmark 102\n"
    "\ttable 102\n"
    "}\n";

/*
 * The pin and the kill switch's routes go in the asking tunnel's table.
 * Chosen by server or by prefix alone, w2's pin went into w1's table
 * whichever came first, and w2's own GRE was routed into w2.
 */
ATF_TC_WITHOUT_HEAD(same_server_two_tables);
ATF_TC_BODY(same_server_two_tables, tc)
{
	struct fixture f;
	struct priv_route q;
	struct priv_reject j;

	setup_with(&f, conf_two_wans);
	server(&f, "w1", "198.51.100.1", 1723, 0);
	server(&f, "w2", "198.51.100.1", 1723, 0);
	q = rt(1, "198.51.100.1", 32, "198.18.2.1", "wan2");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "w2", &q, sizeof(q)), 0);
	ATF_CHECK_STREQ(priv_fake.log, "add route 198.51.100.1/32 via "
	    "198.18.2.1 on wan2 table 102;");
	priv_fake.log[0] = '\0';
	q = rt(1, "198.51.100.1", 32, "198.18.1.1", "wan1");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "w1", &q, sizeof(q)), 0);
	ATF_CHECK_STREQ(priv_fake.log, "add route 198.51.100.1/32 via "
	    "198.18.1.1 on wan1 table 101;");

	memset(&j, 0, sizeof(j));
	j.add = 1;
	j.dst = ip("128.0.0.0");
	j.plen = 1;
	priv_fake.log[0] = '\0';
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "w2", &j, sizeof(j)), 0);
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "w1", &j, sizeof(j)), 0);
	/* w2 takes its own away, and w1's stays. */
	j.add = 0;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT, "w2", &j, sizeof(j)), 0);
	ATF_CHECK_STREQ(priv_fake.log, "add reject 128.0.0.0/1 table 102;"
	    "add reject 128.0.0.0/1 table 101;"
	    "del reject 128.0.0.0/1 table 102;");
	teardown(&f);
}


ATF_TC_WITHOUT_HEAD(one_tun_per_configured_tunnel);
ATF_TC_BODY(one_tun_per_configured_tunnel, tc)
{
	struct fixture f;
	struct priv_ifreq q;
	struct priv_tun a;
	char tun[16];
	int fd;

	setup(&f);
	memset(&q, 0, sizeof(q));
	ATF_CHECK_EQ(ask_fd(&f, PRIV_TUN_OPEN, "ghost", &q, sizeof(q), -1,
	    &a, sizeof(a), &fd), PRIV_TUN);
	ATF_CHECK_EQ(a.error, EPERM);
	ATF_CHECK_EQ(fd, -1);
	/* A name other than the configured one (none: first free). */
	snprintf(q.ifname, sizeof(q.ifname), "eth0");
	ATF_CHECK_EQ(ask_fd(&f, PRIV_TUN_OPEN, "office", &q, sizeof(q), -1,
	    &a, sizeof(a), &fd), PRIV_TUN);
	ATF_CHECK_EQ(a.error, EPERM);
	ATF_CHECK_EQ(fd, -1);
	ATF_CHECK_EQ(priv_fake.calls, 0);

	open_tun(&f, "office", tun, sizeof(tun));
	/* The first still exists: a second is refused. */
	priv_fake.iface_exists = 1;
	memset(&q, 0, sizeof(q));
	ATF_CHECK_EQ(ask_fd(&f, PRIV_TUN_OPEN, "office", &q, sizeof(q), -1,
	    &a, sizeof(a), &fd), PRIV_TUN);
	ATF_CHECK_EQ(a.error, EPERM);
	/* Gone with its descriptor (a redial): a new one. */
	priv_fake.iface_exists = 0;
	open_tun(&f, "office", tun, sizeof(tun));
	ATF_CHECK_EQ(priv_fake.calls, 2);
	teardown(&f);
}

/*
 * After an outage both tunnels redial; the kernel gives "lab" the name
 * "office" had, and "office" must still get a tun of its own.
 */
ATF_TC_WITHOUT_HEAD(interface_name_reused_by_another_tunnel);
ATF_TC_BODY(interface_name_reused_by_another_tunnel, tc)
{
	struct fixture f;
	struct priv_ifreq q;
	char tun[16], lab[16], again[16];

	setup(&f);
	open_tun(&f, "office", tun, sizeof(tun));
	/* office's tun is closed; lab's new one comes with the same name. */
	priv_fake.next_tun--;
	open_tun(&f, "lab", lab, sizeof(lab));
	ATF_REQUIRE_STREQ(lab, tun);
	priv_fake.iface_exists = 1;
	open_tun(&f, "office", again, sizeof(again));
	ATF_CHECK(strcmp(again, tun) != 0);
	/* The name is lab's now, not office's. */
	memset(&q, 0, sizeof(q));
	snprintf(q.ifname, sizeof(q.ifname), "%s", lab);
	q.value = 1400;
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_MTU, "office", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_MTU, "lab", &q, sizeof(q)), 0);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(interface_of_the_tunnel_only);
ATF_TC_BODY(interface_of_the_tunnel_only, tc)
{
	struct fixture f;
	struct priv_ifreq q;
	char tun[16], lab[16];

	setup(&f);
	open_tun(&f, "office", tun, sizeof(tun));
	open_tun(&f, "lab", lab, sizeof(lab));
	memset(&q, 0, sizeof(q));
	q.value = 1400;
	snprintf(q.ifname, sizeof(q.ifname), "%s", tun);
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_MTU, "office", &q, sizeof(q)), 0);
	/* lab's interface, asked for as office's; the WAN: refused. */
	snprintf(q.ifname, sizeof(q.ifname), "%s", lab);
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_MTU, "office", &q, sizeof(q)), EPERM);
	snprintf(q.ifname, sizeof(q.ifname), "eth0");
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_UP, "office", &q, sizeof(q)), EPERM);
	/* An MTU out of range, a link state that is not 0 or 1. */
	snprintf(q.ifname, sizeof(q.ifname), "%s", tun);
	q.value = 20;
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_MTU, "office", &q, sizeof(q)), EPERM);
	q.value = 2;
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_UP, "office", &q, sizeof(q)), EPERM);
	/* Addresses the policy refuses (addr_policy.c). */
	set_addr(&f, "office", tun, "127.0.0.2", "192.0.2.1", EPERM);
	set_addr(&f, "office", tun, "192.0.2.10", "224.0.0.1", EPERM);
	set_addr(&f, "office", lab, "192.0.2.10", "192.0.2.1", EPERM);
	set_addr(&f, "office", tun, "192.0.2.10", "192.0.2.1", 0);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(scripts_as_configured);
ATF_TC_BODY(scripts_as_configured, tc)
{
	struct fixture f;
	struct priv_script q;
	char tun[16], lab[16];

	setup(&f);
	open_tun(&f, "office", tun, sizeof(tun));
	open_tun(&f, "lab", lab, sizeof(lab));
	set_addr(&f, "office", tun, "192.0.2.10", "192.0.2.1", 0);
	set_addr(&f, "lab", lab, "192.0.2.20", "192.0.2.2", 0);
	priv_fake.log[0] = '\0';
	priv_fake.calls = 0;

	memset(&q, 0, sizeof(q));
	q.which = PRIV_SCRIPT_UP;
	q.local = ip("192.0.2.10");
	q.peer = ip("192.0.2.1");
	q.mtu = 1400;
	snprintf(q.ifname, sizeof(q.ifname), "%s", tun);
	ATF_CHECK_EQ(ask(&f, PRIV_SCRIPT, "office", &q, sizeof(q)), 0);
	/* The path and the names come from the parent's own copy. */
	ATF_CHECK(strstr(priv_fake.log, "script 1 /etc/pptpc/up "
	    "TUNNEL=office INTERFACE=") != NULL);
	/* No down-script configured; none at all for lab. */
	q.which = PRIV_SCRIPT_DOWN;
	ATF_CHECK_EQ(ask(&f, PRIV_SCRIPT, "office", &q, sizeof(q)), EPERM);
	q.which = PRIV_SCRIPT_UP;
	snprintf(q.ifname, sizeof(q.ifname), "%s", lab);
	ATF_CHECK_EQ(ask(&f, PRIV_SCRIPT, "lab", &q, sizeof(q)), EPERM);
	/* Addresses other than the ones set; another's interface. */
	snprintf(q.ifname, sizeof(q.ifname), "%s", tun);
	q.local = ip("192.0.2.99");
	ATF_CHECK_EQ(ask(&f, PRIV_SCRIPT, "office", &q, sizeof(q)), EPERM);
	q.local = ip("192.0.2.10");
	snprintf(q.ifname, sizeof(q.ifname), "%s", lab);
	ATF_CHECK_EQ(ask(&f, PRIV_SCRIPT, "office", &q, sizeof(q)), EPERM);
	/* A which that is neither. */
	snprintf(q.ifname, sizeof(q.ifname), "%s", tun);
	q.which = 3;
	ATF_CHECK_EQ(ask(&f, PRIV_SCRIPT, "office", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 1);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(password_of_a_configured_tunnel);
ATF_TC_BODY(password_of_a_configured_tunnel, tc)
{
	struct fixture f;
	struct priv_secret a;

	setup(&f);
	memset(&a, 0, sizeof(a));
	ATF_CHECK_EQ(ask_fd(&f, PRIV_PASSWORD, "office", NULL, 0, -1, &a,
	    sizeof(a), NULL), PRIV_SECRET);
	ATF_CHECK_EQ(a.error, 0);
	ATF_CHECK_EQ(a.len, 6);
	ATF_CHECK_STREQ(a.secret, "s3cret");
	memset(&a, 0, sizeof(a));
	ATF_CHECK_EQ(ask_fd(&f, PRIV_PASSWORD, "ghost", NULL, 0, -1, &a,
	    sizeof(a), NULL), PRIV_SECRET);
	ATF_CHECK_EQ(a.error, EPERM);
	ATF_CHECK_EQ(a.len, 0);
	ATF_CHECK_STREQ(a.secret, "");
	/* A payload where none belongs. */
	ATF_CHECK_EQ(ask_fd(&f, PRIV_PASSWORD, "office", "x", 1, -1, &a,
	    sizeof(a), NULL), PRIV_SECRET);
	ATF_CHECK_EQ(a.error, EPERM);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(resolver_files);
ATF_TC_BODY(resolver_files, tc)
{
	struct fixture f;
	struct priv_resolv_req q;
	struct priv_resolv_text a;
	int fd;

	setup(&f);
	/* The text, with its descriptor; then "unchanged", without. */
	memset(&q, 0, sizeof(q));
	memset(&a, 0, sizeof(a));
	ATF_CHECK_EQ(ask_fd(&f, PRIV_RESOLV_FILES, NULL, &q, sizeof(q), -1,
	    &a, sizeof(a), &fd), PRIV_RESOLV_TEXT);
	ATF_CHECK_EQ(a.error, 0);
	ATF_CHECK_EQ(a.changed, 1);
	ATF_CHECK(fd != -1);
	if (fd != -1)
		close(fd);
	q.have = 1;
	ATF_CHECK_EQ(ask_fd(&f, PRIV_RESOLV_FILES, NULL, &q, sizeof(q), -1,
	    &a, sizeof(a), &fd), PRIV_RESOLV_TEXT);
	ATF_CHECK_EQ(a.error, 0);
	ATF_CHECK_EQ(a.changed, 0);
	ATF_CHECK_EQ(fd, -1);
	ATF_CHECK_EQ(priv_fake.calls, 2);

	/* Malformed: each refused with the answer's own type. */
	q.have = 2;
	ATF_CHECK_EQ(ask_fd(&f, PRIV_RESOLV_FILES, NULL, &q, sizeof(q), -1,
	    &a, sizeof(a), NULL), PRIV_RESOLV_TEXT);
	ATF_CHECK_EQ(a.error, EPERM);
	q.have = 1;
	q.pad[6] = 1;
	ATF_CHECK_EQ(ask_fd(&f, PRIV_RESOLV_FILES, NULL, &q, sizeof(q), -1,
	    &a, sizeof(a), NULL), PRIV_RESOLV_TEXT);
	ATF_CHECK_EQ(a.error, EPERM);
	q.pad[6] = 0;
	ATF_CHECK_EQ(ask_fd(&f, PRIV_RESOLV_FILES, NULL, &q, sizeof(q) - 1,
	    -1, &a, sizeof(a), NULL), PRIV_RESOLV_TEXT);
	ATF_CHECK_EQ(a.error, EPERM);
	ATF_CHECK_EQ(ask_fd(&f, PRIV_RESOLV_FILES, "office", &q, sizeof(q),
	    -1, &a, sizeof(a), NULL), PRIV_RESOLV_TEXT);
	ATF_CHECK_EQ(a.error, EPERM);
	ATF_REQUIRE((fd = open("/dev/null", O_RDONLY)) != -1);
	ATF_CHECK_EQ(ask_fd(&f, PRIV_RESOLV_FILES, NULL, &q, sizeof(q), fd,
	    &a, sizeof(a), NULL), PRIV_RESOLV_TEXT);
	ATF_CHECK_EQ(a.error, EPERM);
	close(fd);
	ATF_CHECK_EQ(priv_fake.calls, 2);
	/* The engine may not send the parent's answer. */
	ATF_CHECK_EQ(ask(&f, PRIV_RESOLV_TEXT, NULL, &a, sizeof(a)), EPERM);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(bad_lengths_and_padding);
ATF_TC_BODY(bad_lengths_and_padding, tc)
{
	static const struct {
		uint16_t	 type;
		size_t		 len;
	} reqs[] = {
		{ PRIV_ROUTE, sizeof(struct priv_route) },
		{ PRIV_REJECT, sizeof(struct priv_reject) },
		{ PRIV_IFACE_ADDR, sizeof(struct priv_ifaddr) },
		{ PRIV_IFACE_MTU, sizeof(struct priv_ifreq) },
		{ PRIV_IFACE_UP, sizeof(struct priv_ifreq) },
		{ PRIV_SCRIPT, sizeof(struct priv_script) },
		{ PRIV_SERVER, sizeof(struct priv_server) },
		{ PRIV_DNS, sizeof(struct priv_dns) },
		{ PRIV_IFACE_RDOMAIN, sizeof(struct priv_ifreq) },
		{ PRIV_ADDR6, sizeof(struct priv_addr6) },
		{ PRIV_ROUTE6, sizeof(struct priv_route6) },
		{ PRIV_REJECT6, sizeof(struct priv_reject6) },
	};
	struct fixture f;
	struct priv_route q;
	uint8_t buf[512];
	size_t i;

	setup(&f);
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		ATF_CHECK_EQ(ask(&f, reqs[i].type, "office", buf,
		    reqs[i].len - 1), EPERM);
		ATF_CHECK_EQ(ask(&f, reqs[i].type, "office", buf,
		    reqs[i].len + 1), EPERM);
		ATF_CHECK_EQ(ask(&f, reqs[i].type, "office", buf, 0), EPERM);
	}
	/* An interface name without its NUL; padding not zero. */
	q = rt(1, "10.1.0.0", 16, NULL, "tun0");
	memset(q.ifname, 'x', sizeof(q.ifname));
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	q = rt(1, "10.1.0.0", 16, NULL, "tun0");
	q.pad = 1;
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	q = rt(7, "10.1.0.0", 16, NULL, "tun0");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	q = rt(1, "10.1.0.0", 33, NULL, "tun0");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 0);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(descriptors_and_types);
ATF_TC_BODY(descriptors_and_types, tc)
{
	struct fixture f;
	struct priv_result r;
	int fd, got;

	setup(&f);
	/* A descriptor on a request: refused, and closed (no leak). */
	ATF_REQUIRE((fd = open("/dev/null", O_RDONLY)) != -1);
	ATF_CHECK_EQ(ask_fd(&f, PRIV_RELOAD, "", NULL, 0, fd, &r, sizeof(r),
	    NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, EPERM);
	close(fd);
	ATF_CHECK_EQ(priv_fake.reloads, 0);
	/* What only the parent sends, and types that do not exist. */
	ATF_CHECK_EQ(ask(&f, PRIV_RESULT, "", NULL, 0), EPERM);
	ATF_CHECK_EQ(ask(&f, PRIV_CONFIG, "", NULL, 0), EPERM);
	ATF_CHECK_EQ(ask(&f, 0, "", NULL, 0), EPERM);
	ATF_CHECK_EQ(ask(&f, 999, "", NULL, 0), EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 0);
	/* The GRE socket, once per engine. */
	memset(&r, 0, sizeof(r));
	ATF_CHECK_EQ(ask_fd(&f, PRIV_GRE_SOCKET, "", NULL, 0, -1, &r,
	    sizeof(r), &got), PRIV_FD);
	ATF_CHECK_EQ(r.error, 0);
	ATF_CHECK(got != -1);
	close(got);
	ATF_CHECK_EQ(ask_fd(&f, PRIV_GRE_SOCKET, "", NULL, 0, -1, &r,
	    sizeof(r), &got), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_CHECK_EQ(got, -1);
	/* A reload, legitimately. */
	ATF_CHECK_EQ(ask(&f, PRIV_RELOAD, "", NULL, 0), 0);
	ATF_CHECK_EQ(priv_fake.reloads, 1);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(refusals_logged_rate_limited);
ATF_TC_BODY(refusals_logged_rate_limited, tc)
{
	struct fixture f;
	struct capture cap;
	struct priv_route q;
	char buf[8192], *s;
	int i, lines = 0;

	setup(&f);
	q = rt(1, "192.168.0.0", 24, NULL, "eth0");
	capture_begin(&cap);
	for (i = 0; i < 100; i++)
		(void)ask(&f, PRIV_ROUTE, "", &q, sizeof(q));
	timer_manual_advance(f.tb, RATELOG_WARN_MS);
	(void)ask(&f, PRIV_ROUTE, "", &q, sizeof(q));
	capture_end(&cap, buf, sizeof(buf));
	for (s = buf; (s = strstr(s, "privsep: refused route")) != NULL; s++)
		lines++;
	/* The first, then one with the count held back. */
	ATF_CHECK_EQ(lines, 2);
	ATF_CHECK(strstr(buf, "192.168.0.0/24") != NULL);
	ATF_CHECK(strstr(buf, "(and 99 more since)") != NULL);
	ATF_CHECK_EQ(f.p.refused, 101);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(kernel_engine_requests);
ATF_TC_BODY(kernel_engine_requests, tc)
{
	struct fixture f;
	struct priv_open o;
	struct priv_socket so;
	struct priv_ifreq q;
	struct priv_nft n;
	struct priv_result r;
	int fd, got;

	setup(&f);
	/* /dev/ppp read-write: done; any other file or mode: refused. */
	memset(&o, 0, sizeof(o));
	snprintf(o.path, sizeof(o.path), "/dev/ppp");
	o.flags = O_RDWR | O_CLOEXEC;
	ATF_CHECK_EQ(ask_fd(&f, PRIV_OPEN_DEV, "", &o, sizeof(o), -1, &r,
	    sizeof(r), &got), PRIV_FD);
	ATF_CHECK_EQ(r.error, 0);
	ATF_CHECK(got != -1);
	close(got);
	snprintf(o.path, sizeof(o.path), "/etc/shadow");
	ATF_CHECK_EQ(ask_fd(&f, PRIV_OPEN_DEV, "", &o, sizeof(o), -1, &r,
	    sizeof(r), &got), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_CHECK_EQ(got, -1);
	snprintf(o.path, sizeof(o.path), "/dev/ppp");
	o.flags = O_RDWR;	/* a descriptor a script would inherit */
	ATF_CHECK_EQ(ask_fd(&f, PRIV_OPEN_DEV, "", &o, sizeof(o), -1, &r,
	    sizeof(r), &got), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	/* An AF_PPPOX PPTP socket: done; a raw IP socket: refused. */
	memset(&so, 0, sizeof(so));
	so.domain = 24;		/* AF_PPPOX */
	so.type = SOCK_STREAM | SOCK_CLOEXEC;
	so.protocol = 2;	/* PX_PROTO_PPTP */
	ATF_CHECK_EQ(ask_fd(&f, PRIV_SOCKET, "", &so, sizeof(so), -1, &r,
	    sizeof(r), &got), PRIV_FD);
	ATF_CHECK_EQ(r.error, 0);
	if (got != -1)
		close(got);
	so.domain = AF_INET;
	so.type = SOCK_RAW;
	so.protocol = 255;
	ATF_CHECK_EQ(ask_fd(&f, PRIV_SOCKET, "", &so, sizeof(so), -1, &r,
	    sizeof(r), &got), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);

	/* A unit made by the parent on our /dev/ppp; never without it. */
	memset(&q, 0, sizeof(q));
	q.value = (uint32_t)-1;
	priv_fake.ppp_unit = 7;
	ATF_REQUIRE((fd = open("/dev/null", O_RDONLY)) != -1);
	memset(&r, 0, sizeof(r));
	ATF_CHECK_EQ(ask_fd(&f, PRIV_PPP_NEWUNIT, "", &q, sizeof(q), fd, &r,
	    sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, 0);
	ATF_CHECK_EQ(r.value, 7);
	close(fd);
	ATF_CHECK_EQ(ask(&f, PRIV_PPP_NEWUNIT, "", &q, sizeof(q)), EPERM);
	/* PPPIOCATTCHAN: attchan_own_socket_only. */

	/* pppN is believed only from its unit descriptor. */
	priv_fake.ppp_unit = 7;
	memset(&q, 0, sizeof(q));
	snprintf(q.ifname, sizeof(q.ifname), "ppp3");
	ATF_REQUIRE((fd = open("/dev/null", O_RDONLY)) != -1);
	ATF_CHECK_EQ(ask_fd(&f, PRIV_IFACE_CLAIM, "office", &q, sizeof(q),
	    fd, &r, sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_CLAIM, "office", &q, sizeof(q)),
	    EPERM);
	q.value = 1400;
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_MTU, "office", &q, sizeof(q)), EPERM);
	snprintf(q.ifname, sizeof(q.ifname), "ppp7");
	q.value = 0;
	ATF_CHECK_EQ(ask_fd(&f, PRIV_IFACE_CLAIM, "office", &q, sizeof(q),
	    fd, &r, sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, 0);
	close(fd);
	q.value = 1400;
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_MTU, "office", &q, sizeof(q)), 0);

	/* nf_tables on its own interface, the guard for its own server. */
	server(&f, "office", "198.51.100.1", 1723, 0);
	memset(&n, 0, sizeof(n));
	n.op = PRIV_NFT_MSS_ADD;
	n.mss = 1360;
	snprintf(n.ifname, sizeof(n.ifname), "ppp7");
	ATF_CHECK_EQ(ask(&f, PRIV_NFT, "office", &n, sizeof(n)), 0);
	n.op = PRIV_NFT_GUARD_ADD;
	n.server = ip("198.51.100.1");
	ATF_CHECK_EQ(ask(&f, PRIV_NFT, "office", &n, sizeof(n)), 0);
	n.server = ip("203.0.113.7");
	ATF_CHECK_EQ(ask(&f, PRIV_NFT, "office", &n, sizeof(n)), EPERM);
	n.op = PRIV_NFT_MSS_DEL;
	snprintf(n.ifname, sizeof(n.ifname), "eth0");
	ATF_CHECK_EQ(ask(&f, PRIV_NFT, "office", &n, sizeof(n)), EPERM);
	n.op = 9;
	ATF_CHECK_EQ(ask(&f, PRIV_NFT, "office", &n, sizeof(n)), EPERM);
	n.op = PRIV_NFT_GUARD_DROPPED;
	snprintf(n.ifname, sizeof(n.ifname), "ppp7");
	memset(&r, 0, sizeof(r));
	ATF_CHECK_EQ(ask_fd(&f, PRIV_NFT, "office", &n, sizeof(n), -1, &r,
	    sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, 0);
	ATF_CHECK_EQ(r.value, 42);
	teardown(&f);
}

/* ---- Issue 11's requests (daemon/priv_parent11.c) ---- */

static struct in6_addr
ip6(const char *s)
{
	struct in6_addr a;

	ATF_REQUIRE(inet_pton(AF_INET6, s, &a) == 1);
	return a;
}

static struct priv_dns
dnsq(int op, const char *ifname, const char *s1, const char *s2)
{
	struct priv_dns q;

	memset(&q, 0, sizeof(q));
	q.op = (uint8_t)op;
	if (s1 != NULL)
		q.servers[q.nservers++] = ip(s1);
	if (s2 != NULL)
		q.servers[q.nservers++] = ip(s2);
	snprintf(q.ifname, sizeof(q.ifname), "%s", ifname);
	return q;
}

/* PRIV_PPP_ATTCHAN with sendfd: the answer's error, *got the fd. */
static int
attchan(struct fixture *f, const char *tunnel, int sendfd, uint32_t value,
    int *got)
{
	struct priv_ifreq q;
	struct priv_result r;

	memset(&q, 0, sizeof(q));
	q.value = value;
	memset(&r, 0, sizeof(r));
	*got = -1;
	ATF_REQUIRE_EQ(ask_fd(f, PRIV_PPP_ATTCHAN, tunnel, &q, sizeof(q),
	    sendfd, &r, sizeof(r), got), PRIV_FD);
	if (r.error != 0)
		ATF_CHECK_EQ(*got, -1);
	else
		ATF_CHECK(*got != -1);
	return r.error;
}

/* PRIV_SOCKET for tunnel ("" for the probe's): the socket, or -1. */
static int
pptp_socket(struct fixture *f, const char *tunnel)
{
	struct priv_socket so;
	struct priv_result r;
	int got;

	memset(&so, 0, sizeof(so));
	so.domain = 24;		/* AF_PPPOX */
	so.type = SOCK_STREAM | SOCK_CLOEXEC;
	so.protocol = 2;	/* PX_PROTO_PPTP */
	memset(&r, 0, sizeof(r));
	ATF_REQUIRE_EQ(ask_fd(f, PRIV_SOCKET, tunnel, &so, sizeof(so), -1, &r,
	    sizeof(r), &got), PRIV_FD);
	return r.error == 0 ? got : -1;
}

/*
 * PPPIOCATTCHAN: a compromised engine must not attach to a channel that
 * is not its own (another pppd's on the host).  The parent attaches only
 * the channel of a PPTP socket it made for that very tunnel, read from
 * the socket, never a number the engine names.
 */
ATF_TC_WITHOUT_HEAD(attchan_own_socket_only);
ATF_TC_BODY(attchan_own_socket_only, tc)
{
	struct fixture f;
	struct capture cap;
	char logbuf[4096];
	unsigned int before;
	int s, lab, probe, udp, stray, pfd[2], got, devnull;

	setup(&f);
	priv_fake.ppp_chan = 5;
	ATF_REQUIRE((s = pptp_socket(&f, "office")) != -1);
	ATF_REQUIRE((lab = pptp_socket(&f, "lab")) != -1);
	ATF_REQUIRE((probe = pptp_socket(&f, "")) != -1);
	/* A socket the fake would call PPTP, but the parent never made. */
	ATF_REQUIRE((stray = priv_fake_ops.socket(24, SOCK_STREAM, 2, NULL,
	    0)) != -1);
	ATF_REQUIRE((udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) !=
	    -1);
	ATF_REQUIRE(pipe2(pfd, O_CLOEXEC) == 0);
	ATF_REQUIRE((devnull = open("/dev/null", O_RDWR)) != -1);
	priv_fake.log[0] = '\0';

	before = f.p.refused;
	capture_begin(&cap);
	/* No descriptor: the old request, a number alone. */
	ATF_CHECK_EQ(attchan(&f, "office", -1, 3, &got), EPERM);
	ATF_CHECK_EQ(attchan(&f, "office", -1, 0, &got), EPERM);
	/* Descriptors that are no PPTP socket. */
	ATF_CHECK_EQ(attchan(&f, "office", udp, 0, &got), EPERM);
	ATF_CHECK_EQ(attchan(&f, "office", pfd[0], 0, &got), EPERM);
	ATF_CHECK_EQ(attchan(&f, "office", devnull, 0, &got), EPERM);
	/* PPTP sockets the parent did not make for this tunnel. */
	ATF_CHECK_EQ(attchan(&f, "office", stray, 0, &got), EPERM);
	ATF_CHECK_EQ(attchan(&f, "office", probe, 0, &got), EPERM);
	ATF_CHECK_EQ(attchan(&f, "office", lab, 0, &got), EPERM);
	ATF_CHECK_EQ(attchan(&f, "nosuch", s, 0, &got), EPERM);
	/* Its own socket, but a channel number of the engine's choosing. */
	ATF_CHECK_EQ(attchan(&f, "office", s, 3, &got), EPERM);
	capture_end(&cap, logbuf, sizeof(logbuf));
	ATF_CHECK_STREQ(priv_fake.log, "");
	ATF_CHECK(strstr(logbuf, "privsep: refused ppp-attchan from the "
	    "engine for office: no PPTP socket") != NULL);
	ATF_CHECK_EQ(f.p.refused - before, 10);

	/*
	 * The legitimate case: the tunnel's own socket.  The channel is the
	 * one the socket says, on a /dev/ppp the parent opened itself.
	 */
	ATF_CHECK_EQ(attchan(&f, "office", s, 0, &got), 0);
	if (got != -1)
		close(got);
	ATF_CHECK_STREQ(priv_fake.log,
	    "gchan 5;open /dev/ppp;attchan 5;");
	/* Once: a second attachment of the same socket is refused. */
	ATF_CHECK_EQ(attchan(&f, "office", s, 0, &got), EPERM);
	/* The other tunnel's own socket, for that tunnel. */
	ATF_CHECK_EQ(attchan(&f, "lab", lab, 0, &got), 0);
	if (got != -1)
		close(got);
	ATF_CHECK(strstr(priv_fake.log, "attchan 3;") == NULL);
	/* A new engine cannot use the dead one's sockets. */
	close(s);
	ATF_REQUIRE((s = pptp_socket(&f, "office")) != -1);
	priv_parent_engine_gone(&f.p);
	ATF_CHECK_EQ(attchan(&f, "office", s, 0, &got), EPERM);
	/* A PPTP socket for a tunnel that is not configured: none. */
	ATF_CHECK_EQ(pptp_socket(&f, "nosuch"), -1);

	close(s);
	close(lab);
	close(probe);
	close(stray);
	close(udp);
	close(pfd[0]);
	close(pfd[1]);
	close(devnull);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(dns_as_configured);
ATF_TC_BODY(dns_as_configured, tc)
{
	struct fixture f;
	struct priv_dns q;
	struct priv_result r;
	char gw[16], plain[16];

	setup_with(&f, conf11_text);
	open_tun(&f, "gw", gw, sizeof(gw));
	open_tun(&f, "plain", plain, sizeof(plain));
	priv_fake.calls = 0;
	/* Not the tunnel's interface; a tunnel without "dns apply". */
	q = dnsq(PRIV_DNS_APPLY, plain, "10.1.0.53", NULL);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "plain", &q, sizeof(q)), EPERM);
	q = dnsq(PRIV_DNS_APPLY, "eth0", "10.1.0.53", NULL);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	/* Servers dns_check() refuses: the host itself, multicast, none. */
	q = dnsq(PRIV_DNS_APPLY, gw, "127.0.0.1", NULL);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	q = dnsq(PRIV_DNS_APPLY, gw, "10.1.0.53", "224.0.0.251");
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	q = dnsq(PRIV_DNS_APPLY, gw, NULL, NULL);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	/* Hostile framing: a count past the array, junk past the count. */
	q = dnsq(PRIV_DNS_APPLY, gw, "10.1.0.53", NULL);
	q.nservers = 3;
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	q = dnsq(PRIV_DNS_APPLY, gw, "10.1.0.53", NULL);
	q.servers[1] = ip("10.9.9.9");
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	q.servers[1].s_addr = 0;
	q.pad[1] = 1;
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	q.pad[1] = 0;
	q.op = 3;
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	/* Revert of nothing applied. */
	q = dnsq(PRIV_DNS_REVERT, gw, NULL, NULL);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 0);

	/* The tunnel's own: its interface, the domains of the config. */
	q = dnsq(PRIV_DNS_APPLY, gw, "10.1.0.53", "10.1.0.54");
	memset(&r, 0, sizeof(r));
	ATF_CHECK_EQ(ask_fd(&f, PRIV_DNS, "gw", &q, sizeof(q), -1, &r,
	    sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, 0);
	ATF_CHECK_EQ(r.value, 2);
	ATF_CHECK(strstr(priv_fake.log, "dns apply gw tun0 10.1.0.53 "
	    "10.1.0.54 ~corp.example;") != NULL);
	/* Revert names the interface applied; the parent's backend. */
	q = dnsq(PRIV_DNS_REVERT, "tun9", NULL, NULL);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	q = dnsq(PRIV_DNS_REVERT, gw, NULL, NULL);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), 0);
	ATF_CHECK(strstr(priv_fake.log, "dns revert gw tun0 2;") != NULL);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), EPERM);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(dns_reverted_when_engine_dies);
ATF_TC_BODY(dns_reverted_when_engine_dies, tc)
{
	struct fixture f;
	struct priv_dns q;
	char gw[16];

	setup_with(&f, conf11_text);
	open_tun(&f, "gw", gw, sizeof(gw));
	q = dnsq(PRIV_DNS_APPLY, gw, "10.1.0.53", NULL);
	ATF_CHECK_EQ(ask(&f, PRIV_DNS, "gw", &q, sizeof(q)), 0);
	priv_fake.log[0] = '\0';
	priv_parent_engine_gone(&f.p);
	ATF_CHECK(strstr(priv_fake.log, "dns revert gw tun0 2;") != NULL);
	/* Once: the next engine's revert finds nothing. */
	priv_fake.log[0] = '\0';
	priv_parent_engine_gone(&f.p);
	ATF_CHECK(strstr(priv_fake.log, "dns revert") == NULL);
	teardown(&f);
}

static int
wansock(struct fixture *f, const char *tunnel, int kind, int *fd)
{
	struct priv_wansock q;
	struct priv_result r;

	memset(&q, 0, sizeof(q));
	q.kind = (uint8_t)kind;
	memset(&r, 0, sizeof(r));
	ATF_REQUIRE_EQ(ask_fd(f, PRIV_WANSOCK, tunnel, &q, sizeof(q), -1, &r,
	    sizeof(r), fd), PRIV_FD);
	return r.error;
}

ATF_TC_WITHOUT_HEAD(wan_sockets_from_the_config);
ATF_TC_BODY(wan_sockets_from_the_config, tc)
{
	struct fixture f;
	struct priv_wansock q;
	struct priv_result r;
	int fd;

	setup_with(&f, conf11_text);
	/* The mark, rtable and source are the configuration's. */
	ATF_CHECK_EQ(wansock(&f, "gw", PRIV_WANSOCK_TCP, &fd), 0);
	ATF_CHECK(fd != -1);
	close(fd);
	ATF_CHECK(strstr(priv_fake.log, "wansock tcp mark 7 rtable 0 from "
	    "192.0.2.10;") != NULL);
	ATF_CHECK_EQ(wansock(&f, "gw", PRIV_WANSOCK_GRE, &fd), 0);
	ATF_CHECK(fd != -1);
	close(fd);
	ATF_CHECK(strstr(priv_fake.log, "wansock gre mark 7") != NULL);
	priv_fake.log[0] = '\0';
	priv_fake.calls = 0;
	/* No GRE socket of its own without a mark; none for a stranger. */
	ATF_CHECK_EQ(wansock(&f, "plain", PRIV_WANSOCK_GRE, &fd), EPERM);
	ATF_CHECK_EQ(fd, -1);
	ATF_CHECK_EQ(wansock(&f, "ghost", PRIV_WANSOCK_TCP, &fd), EPERM);
	ATF_CHECK_EQ(fd, -1);
	ATF_CHECK_EQ(wansock(&f, "gw", 3, &fd), EPERM);
	ATF_CHECK_EQ(fd, -1);
	memset(&q, 0, sizeof(q));
	q.kind = PRIV_WANSOCK_TCP;
	q.pad[2] = 9;
	ATF_CHECK_EQ(ask_fd(&f, PRIV_WANSOCK, "gw", &q, sizeof(q), -1, &r,
	    sizeof(r), &fd), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_CHECK_EQ(fd, -1);
	ATF_CHECK_EQ(priv_fake.calls, 0);
	/* A tunnel without a mark still gets its TCP socket. */
	ATF_CHECK_EQ(wansock(&f, "plain", PRIV_WANSOCK_TCP, &fd), 0);
	close(fd);
	ATF_CHECK(strstr(priv_fake.log, "wansock tcp mark 0 rtable 0 from "
	    "0.0.0.0;") != NULL);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(sock_mark_from_the_config);
ATF_TC_BODY(sock_mark_from_the_config, tc)
{
	struct fixture f;
	struct priv_result r;
	int fd;

	setup_with(&f, conf11_text);
	ATF_REQUIRE((fd = open("/dev/null", O_RDONLY)) != -1);
	/* No descriptor; a tunnel without fwmark; a payload. */
	ATF_CHECK_EQ(ask(&f, PRIV_SOCK_MARK, "gw", NULL, 0), EPERM);
	ATF_CHECK_EQ(ask_fd(&f, PRIV_SOCK_MARK, "plain", NULL, 0, fd, &r,
	    sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_CHECK_EQ(ask_fd(&f, PRIV_SOCK_MARK, "gw", "\7\0\0\0", 4, fd, &r,
	    sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 0);
	/* The mark is the configuration's: the engine sends none. */
	ATF_CHECK_EQ(ask_fd(&f, PRIV_SOCK_MARK, "gw", NULL, 0, fd, &r,
	    sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, 0);
	ATF_CHECK(strstr(priv_fake.log, "mark 7;") != NULL);
	close(fd);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(iface_rdomain_from_the_config);
ATF_TC_BODY(iface_rdomain_from_the_config, tc)
{
	struct fixture f;
	struct priv_ifreq q;
	char gw[16];

	setup_with(&f, conf11_text);
	open_tun(&f, "gw", gw, sizeof(gw));
	memset(&q, 0, sizeof(q));
	snprintf(q.ifname, sizeof(q.ifname), "%s", gw);
	/* None configured (Linux has no interface-rdomain): none moves. */
	q.value = 5;
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_RDOMAIN, "gw", &q, sizeof(q)), EPERM);
	q.value = 0;
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_RDOMAIN, "gw", &q, sizeof(q)), EPERM);
	snprintf(q.ifname, sizeof(q.ifname), "eth0");
	q.value = 5;
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_RDOMAIN, "gw", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 1);	/* the tun */
	teardown(&f);
}

static int
addr6(struct fixture *f, const char *tunnel, int add, const char *ifname,
    const char *local, int plen, const char *peer)
{
	struct priv_addr6 q;

	memset(&q, 0, sizeof(q));
	q.add = (uint8_t)add;
	q.plen = (uint8_t)plen;
	q.local = ip6(local);
	q.peer = ip6(peer);
	snprintf(q.ifname, sizeof(q.ifname), "%s", ifname);
	return ask(f, PRIV_ADDR6, tunnel, &q, sizeof(q));
}

static int
route6(struct fixture *f, const char *tunnel, int add, const char *ifname,
    const char *dst, int plen)
{
	struct priv_route6 q;

	memset(&q, 0, sizeof(q));
	q.add = (uint8_t)add;
	q.plen = (uint8_t)plen;
	q.dst = ip6(dst);
	snprintf(q.ifname, sizeof(q.ifname), "%s", ifname);
	return ask(f, PRIV_ROUTE6, tunnel, &q, sizeof(q));
}

ATF_TC_WITHOUT_HEAD(ipv6_of_the_tunnel_only);
ATF_TC_BODY(ipv6_of_the_tunnel_only, tc)
{
	struct fixture f;
	struct priv_route6 q;
	char gw[16], plain[16];

	setup_with(&f, conf11_text);
	open_tun(&f, "gw", gw, sizeof(gw));
	open_tun(&f, "plain", plain, sizeof(plain));
	priv_fake.calls = 0;
	/* Without "ipv6 yes"; not its interface. */
	ATF_CHECK_EQ(addr6(&f, "plain", 1, plain, "fe80::1", 128, "fe80::2"),
	    EPERM);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, plain, "fe80::1", 128, "fe80::2"),
	    EPERM);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, "eth0", "fe80::1", 128, "fe80::2"),
	    EPERM);
	/* Addresses that are neither link-local nor the address6. */
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "2001:db8:66::1", 128,
	    "fe80::2"), EPERM);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "2001:db8:1::5", 48, "::"),
	    EPERM);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "fe80:1::1", 128, "fe80::2"),
	    EPERM);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "fe80::1", 128, "2001:db8::2"),
	    EPERM);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "fe80::1", 128, "fe80::1"),
	    EPERM);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "fe80::", 64, "::"), EPERM);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "fe80::1", 0, "fe80::2"), EPERM);
	/* Routes: not its own, in no table but the config's. */
	ATF_CHECK_EQ(route6(&f, "gw", 1, gw, "::", 0), EPERM);
	ATF_CHECK_EQ(route6(&f, "gw", 1, gw, "2001:db8::", 32), EPERM);
	ATF_CHECK_EQ(route6(&f, "gw", 1, "eth0", "2001:db8:9::", 48), EPERM);
	ATF_CHECK_EQ(route6(&f, "plain", 1, plain, "::", 1), EPERM);
	ATF_CHECK_EQ(route6(&f, "gw", 1, gw, "2001:db8:9::1", 48), EPERM);
	memset(&q, 0, sizeof(q));
	q.add = 1;
	q.plen = 48;
	q.dst = ip6("2001:db8:9::");
	memset(q.ifname, 'x', sizeof(q.ifname));
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE6, "gw", &q, sizeof(q)), EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 0);

	/* The legitimate set, as tunnel_ipv6_up() asks for it. */
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "fe80::1", 128, "fe80::2"), 0);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "fe80::1", 64, "::"), 0);
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "2001:db8:1::5", 64, "::"), 0);
	ATF_CHECK_EQ(route6(&f, "gw", 1, gw, "2001:db8:9::", 48), 0);
	ATF_CHECK_EQ(route6(&f, "gw", 1, gw, "::", 1), 0);
	ATF_CHECK_EQ(route6(&f, "gw", 1, gw, "8000::", 1), 0);
	ATF_CHECK(strstr(priv_fake.log, "add route6 2001:db8:9::/48 via tun0 "
	    "table 100;") != NULL);
	ATF_CHECK(strstr(priv_fake.log, "add route6 8000::/1 via tun0 "
	    "table 100;") != NULL);
	/* Taking away on its own interface only hurts itself. */
	ATF_CHECK_EQ(route6(&f, "gw", 0, gw, "2001:db8::", 32), 0);
	ATF_CHECK_EQ(addr6(&f, "gw", 0, gw, "2001:db8:66::1", 128, "::"), 0);
	ATF_CHECK_EQ(route6(&f, "gw", 0, "eth0", "::", 1), EPERM);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(ipv6_removed_when_engine_dies);
ATF_TC_BODY(ipv6_removed_when_engine_dies, tc)
{
	struct fixture f;
	char gw[16];

	setup_with(&f, conf11_text);
	open_tun(&f, "gw", gw, sizeof(gw));
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "fe80::1", 128, "fe80::2"), 0);
	ATF_CHECK_EQ(route6(&f, "gw", 1, gw, "::", 1), 0);
	/* The interface outlived the engine: the parent takes it back. */
	priv_fake.iface_exists = 1;
	priv_fake.log[0] = '\0';
	priv_parent_engine_gone(&f.p);
	ATF_CHECK(strstr(priv_fake.log, "del route6 2001:db8:9::/48 via tun0 "
	    "table 100;") != NULL);
	ATF_CHECK(strstr(priv_fake.log, "del route6 ::/1 via tun0 "
	    "table 100;") != NULL);
	ATF_CHECK(strstr(priv_fake.log, "del route6 8000::/1 via tun0 "
	    "table 100;") != NULL);
	ATF_CHECK(strstr(priv_fake.log, "del addr6 tun0 2001:db8:1::5/64") !=
	    NULL);
	ATF_CHECK(strstr(priv_fake.log, "del addr6 tun0 fe80::1/128 peer "
	    "fe80::2;") != NULL);
	/* Gone with it (the usual case): nothing left to do. */
	ATF_CHECK_EQ(addr6(&f, "gw", 1, gw, "fe80::1", 128, "fe80::2"),
	    EPERM);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(routes_in_the_config_table);
ATF_TC_BODY(routes_in_the_config_table, tc)
{
	struct fixture f;
	struct priv_route q;
	char gw[16];

	setup_with(&f, conf11_text);
	open_tun(&f, "gw", gw, sizeof(gw));
	/* The engine sends no table: the parent puts the config's. */
	q = rt(1, "10.1.0.0", 16, NULL, gw);
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "gw", &q, sizeof(q)), 0);
	ATF_CHECK(strstr(priv_fake.log, "10.1.0.0/16 via tun0 table 100;") !=
	    NULL);
	/* The pin to the server beside the halves, in the same table. */
	server(&f, "gw", "198.51.100.1", 1723, 0);
	q = rt(1, "198.51.100.1", 32, "192.0.2.1", "eth0");
	ATF_CHECK_EQ(ask(&f, PRIV_ROUTE, "gw", &q, sizeof(q)), 0);
	ATF_CHECK(strstr(priv_fake.log, "198.51.100.1/32 via 192.0.2.1 on "
	    "eth0 table 100;") != NULL);
	teardown(&f);
}

/* ---- systemd's notify protocol: READY and PONG, never answered ---- */

static struct {
	int		 ready;
	char		 status[PRIV_MSG_MAX];
	uint32_t	 sent;		/* the last ping "sent" */
	int		 pongs;
} nt;

static void
nt_ready(void *arg, const char *status)
{
	(void)arg;
	nt.ready++;
	snprintf(nt.status, sizeof(nt.status), "%s", status);
}

static int
nt_pong(void *arg, uint32_t seq)
{
	(void)arg;
	if (seq == 0 || seq > nt.sent)
		return -1;
	nt.pongs++;
	return 0;
}

static struct priv_ops nt_ops;

/* A one-way message: handled, and nothing comes back to the engine. */
static int
tell(struct fixture *f, uint16_t type, const void *msg, size_t len,
    int sendfd)
{
	struct privmsg m;
	struct pollfd pfd;
	char err[128];
	int r;

	ATF_REQUIRE(privmsg_send(f->sv[0], type, NULL, msg, len, sendfd) ==
	    0);
	ATF_REQUIRE_EQ(privmsg_recv(f->sv[1], &m, err, sizeof(err)),
	    PRIVMSG_OK);
	r = priv_parent_handle(&f->p, f->sv[1], &m);
	pfd.fd = f->sv[0];
	pfd.events = POLLIN;
	pfd.revents = 0;
	ATF_CHECK_MSG(poll(&pfd, 1, 0) == 0, "the parent answered a %s",
	    priv_type_name(type));
	return r;
}

static void
nt_setup(struct fixture *f)
{
	setup(f);
	memset(&nt, 0, sizeof(nt));
	nt_ops = priv_fake_ops;
	nt_ops.ready = nt_ready;
	nt_ops.pong = nt_pong;
	f->p.ops = &nt_ops;
}

ATF_TC_WITHOUT_HEAD(ready_and_pong);
ATF_TC_BODY(ready_and_pong, tc)
{
	struct fixture f;
	struct priv_ready q;
	struct priv_ping g;

	nt_setup(&f);
	memset(&q, 0, sizeof(q));
	snprintf(q.status, sizeof(q.status), "2 tunnels configured");
	ATF_CHECK_EQ(tell(&f, PRIV_READY, &q, sizeof(q), -1), 0);
	ATF_CHECK_EQ(nt.ready, 1);
	ATF_CHECK_STREQ(nt.status, "2 tunnels configured");
	/* An answer to a ping sent, an older one too (a slow loop). */
	nt.sent = 5;
	memset(&g, 0, sizeof(g));
	g.seq = 5;
	ATF_CHECK_EQ(tell(&f, PRIV_PONG, &g, sizeof(g), -1), 0);
	g.seq = 4;
	ATF_CHECK_EQ(tell(&f, PRIV_PONG, &g, sizeof(g), -1), 0);
	ATF_CHECK_EQ(nt.pongs, 2);
	ATF_CHECK_EQ(f.p.refused, 0);
	teardown(&f);
}

/*
 * A compromised engine's status must not add lines to the parent's
 * datagram to systemd (MAINPID=, WATCHDOG=1); its pongs must answer a
 * ping; neither may carry a descriptor; and a refusal is not answered,
 * lest the engine take it for its next request's answer.
 */
ATF_TC_WITHOUT_HEAD(ready_and_pong_hostile);
ATF_TC_BODY(ready_and_pong_hostile, tc)
{
	struct fixture f;
	struct priv_ready q;
	struct priv_ping g;
	char longer[sizeof(g) + 1];
	int fd;

	nt_setup(&f);
	memset(&q, 0, sizeof(q));
	snprintf(q.status, sizeof(q.status), "ok\nMAINPID=1");
	ATF_CHECK_EQ(tell(&f, PRIV_READY, &q, sizeof(q), -1), -1);
	snprintf(q.status, sizeof(q.status), "ok\tx\x7f");
	ATF_CHECK_EQ(tell(&f, PRIV_READY, &q, sizeof(q), -1), -1);
	memset(q.status, 'a', sizeof(q.status));	/* no NUL */
	ATF_CHECK_EQ(tell(&f, PRIV_READY, &q, sizeof(q), -1), -1);
	snprintf(q.status, sizeof(q.status), "fine");
	ATF_CHECK_EQ(tell(&f, PRIV_READY, &q, sizeof(q) - 1, -1), -1);
	ATF_CHECK_EQ(tell(&f, PRIV_READY, &q, 0, -1), -1);
	ATF_REQUIRE((fd = open("/dev/null", O_RDONLY)) != -1);
	ATF_CHECK_EQ(tell(&f, PRIV_READY, &q, sizeof(q), fd), -1);
	ATF_CHECK_EQ(nt.ready, 0);

	nt.sent = 3;
	memset(&g, 0, sizeof(g));
	g.seq = 4;		/* never sent */
	ATF_CHECK_EQ(tell(&f, PRIV_PONG, &g, sizeof(g), -1), -1);
	g.seq = 0;
	ATF_CHECK_EQ(tell(&f, PRIV_PONG, &g, sizeof(g), -1), -1);
	g.seq = 3;
	memset(longer, 0, sizeof(longer));
	memcpy(longer, &g, sizeof(g));
	ATF_CHECK_EQ(tell(&f, PRIV_PONG, longer, sizeof(longer), -1), -1);
	ATF_CHECK_EQ(tell(&f, PRIV_PONG, &g, sizeof(g), fd), -1);
	ATF_CHECK_EQ(nt.pongs, 0);
	close(fd);
	ATF_CHECK_EQ(f.p.refused, 10);
	/* Without the hooks (a parent that does not notify): refused. */
	f.p.ops = &priv_fake_ops;
	snprintf(q.status, sizeof(q.status), "fine");
	ATF_CHECK_EQ(tell(&f, PRIV_READY, &q, sizeof(q), -1), -1);
	teardown(&f);
}

/* IPv6 kill switches: one with IPv6, one without it, one without both. */
static const char conf_ks6_text[] =
    "tunnel ks6 {\n"
    "\tserver 198.51.100.1\n"
    "\tusername alice\n"
    "\tpassword \"s3cret\"\n"
    "\tdefault-route yes\n"
    "\tipv6 yes\n"
    "\troute 2001:db8:9::/48\n"
    "\tkill-switch yes\n"
    "\ttable 100\n"
    "}\n"
    "tunnel v6open {\n"
    "\tserver 203.0.113.9\n"
    "\tusername bob\n"
    "\tpassword \"other\"\n"
    "\tipv6 yes\n"
    "\troute 2001:db8:a::/48\n"
    "}\n"
    "tunnel v4ks {\n"
    "\tserver 203.0.113.10\n"
    "\tusername carol\n"
    "\tpassword \"third\"\n"
    "\tdefault-route yes\n"
    "\tkill-switch yes\n"
    "}\n";

static int
reject6(struct fixture *f, const char *tunnel, int add, const char *dst,
    int plen)
{
	struct priv_reject6 q;

	memset(&q, 0, sizeof(q));
	q.add = (uint8_t)add;
	q.plen = (uint8_t)plen;
	q.dst = ip6(dst);
	return ask(f, PRIV_REJECT6, tunnel, &q, sizeof(q));
}

/*
 * The IPv6 kill switch's unreachable routes: only the prefixes of the
 * tunnel named, when it has both kill-switch and ipv6, in the table of
 * its configuration; removed only where the parent put them; kept when
 * the engine dies, as the IPv4 ones.
 */
ATF_TC_WITHOUT_HEAD(reject6_of_ipv6_kill_switches_only);
ATF_TC_BODY(reject6_of_ipv6_kill_switches_only, tc)
{
	struct fixture f;
	struct priv_reject6 q;
	struct config *other;

	setup_with(&f, conf_ks6_text);
	ATF_CHECK_EQ(reject6(&f, "ks6", 1, "::", 1), 0);
	ATF_CHECK_EQ(reject6(&f, "ks6", 1, "8000::", 1), 0);
	ATF_CHECK_EQ(reject6(&f, "ks6", 1, "2001:db8:9::", 48), 0);
	ATF_CHECK_STREQ(priv_fake.log,
	    "add reject6 ::/1 table 100;"
	    "add reject6 8000::/1 table 100;"
	    "add reject6 2001:db8:9::/48 table 100;");
	ATF_CHECK_EQ(priv_fake.calls, 3);
	/* Another tunnel's prefix, or one of nobody's. */
	ATF_CHECK_EQ(reject6(&f, "ks6", 1, "2001:db8:a::", 48), EPERM);
	ATF_CHECK_EQ(reject6(&f, "ks6", 1, "2001:db8::", 32), EPERM);
	/* No kill switch; no ipv6; no such tunnel; no tunnel named. */
	ATF_CHECK_EQ(reject6(&f, "v6open", 1, "2001:db8:a::", 48), EPERM);
	ATF_CHECK_EQ(reject6(&f, "v4ks", 1, "::", 1), EPERM);
	ATF_CHECK_EQ(reject6(&f, "ghost", 1, "::", 1), EPERM);
	ATF_CHECK_EQ(reject6(&f, "", 1, "::", 1), EPERM);
	/* ::/0, host bits, a length past 128, padding, add 2. */
	ATF_CHECK_EQ(reject6(&f, "ks6", 1, "::", 0), EPERM);
	ATF_CHECK_EQ(reject6(&f, "ks6", 1, "2001:db8:9::1", 48), EPERM);
	ATF_CHECK_EQ(reject6(&f, "ks6", 1, "2001:db8:9::", 129), EPERM);
	memset(&q, 0, sizeof(q));
	q.add = 1;
	q.plen = 1;
	q.pad[1] = 1;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT6, "ks6", &q, sizeof(q)), EPERM);
	q.pad[1] = 0;
	q.add = 2;
	ATF_CHECK_EQ(ask(&f, PRIV_REJECT6, "ks6", &q, sizeof(q)), EPERM);
	/* Removing one the parent did not add. */
	ATF_CHECK_EQ(reject6(&f, "ks6", 0, "2001:db8:a::", 48), EPERM);
	ATF_CHECK_EQ(priv_fake.calls, 3);

	/* The engine dies: they stay, for the next engine to take over. */
	priv_fake.log[0] = '\0';
	priv_parent_engine_gone(&f.p);
	ATF_CHECK(strstr(priv_fake.log, "reject6") == NULL);
	ATF_CHECK_EQ(reject6(&f, "ks6", 0, "::", 1), 0);
	ATF_CHECK(strstr(priv_fake.log, "del reject6 ::/1 table 100;") !=
	    NULL);

	/*
	 * The tunnel leaves the configuration: what the parent put in is
	 * removed from the table it went into, never added again.
	 */
	ATF_REQUIRE((other = parse_config_buffer("test", conf_text,
	    strlen(conf_text), CONF_NOFILES)) != NULL);
	priv_parent_set_conf(&f.p, other);
	ATF_CHECK_EQ(reject6(&f, "ks6", 1, "::", 1), EPERM);
	ATF_CHECK_EQ(reject6(&f, "ks6", 0, "8000::", 1), 0);
	ATF_CHECK(strstr(priv_fake.log, "del reject6 8000::/1 table 100;") !=
	    NULL);
	priv_parent_set_conf(&f.p, f.conf);
	config_free(other);
	teardown(&f);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, kernel_engine_requests);
	ATF_TP_ADD_TC(tp, attchan_own_socket_only);
	ATF_TP_ADD_TC(tp, routes_of_the_tunnel_only);
	ATF_TP_ADD_TC(tp, host_route_to_the_server_only);
	ATF_TP_ADD_TC(tp, engine_gone_removes_pins);
	ATF_TP_ADD_TC(tp, reject_routes_of_kill_switches_only);
	ATF_TP_ADD_TC(tp, same_server_two_tables);
	ATF_TP_ADD_TC(tp, reject6_of_ipv6_kill_switches_only);
	ATF_TP_ADD_TC(tp, one_tun_per_configured_tunnel);
	ATF_TP_ADD_TC(tp, interface_name_reused_by_another_tunnel);
	ATF_TP_ADD_TC(tp, interface_of_the_tunnel_only);
	ATF_TP_ADD_TC(tp, scripts_as_configured);
	ATF_TP_ADD_TC(tp, password_of_a_configured_tunnel);
	ATF_TP_ADD_TC(tp, bad_lengths_and_padding);
	ATF_TP_ADD_TC(tp, resolver_files);
	ATF_TP_ADD_TC(tp, descriptors_and_types);
	ATF_TP_ADD_TC(tp, refusals_logged_rate_limited);
	ATF_TP_ADD_TC(tp, dns_as_configured);
	ATF_TP_ADD_TC(tp, dns_reverted_when_engine_dies);
	ATF_TP_ADD_TC(tp, wan_sockets_from_the_config);
	ATF_TP_ADD_TC(tp, sock_mark_from_the_config);
	ATF_TP_ADD_TC(tp, iface_rdomain_from_the_config);
	ATF_TP_ADD_TC(tp, ipv6_of_the_tunnel_only);
	ATF_TP_ADD_TC(tp, ipv6_removed_when_engine_dies);
	ATF_TP_ADD_TC(tp, routes_in_the_config_table);
	ATF_TP_ADD_TC(tp, ready_and_pong);
	ATF_TP_ADD_TC(tp, ready_and_pong_hostile);
	return atf_no_error();
}
