/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The parent's checks of the pipex engine's requests (daemon/priv_pipex.c)
 * against a compromised engine, on the fake host: a session for an
 * unknown tunnel, for a tunnel whose server is not pinned, towards
 * another server, with addresses the policy refuses, with unknown flags,
 * MPPE values out of range or key material without MPPE, a second one, a
 * call ID another tunnel's session holds, bad lengths and padding; the
 * counters or the delete of a session the parent did not make for that
 * tunnel -- each refused with EPERM and a rate-limited line, the fake
 * host untouched.  And the legitimate session: built as pptpcd -S builds
 * it, its pppxM the tunnel's interface until the delete or the engine's
 * death closes the device.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ccp.h"
#include "config.h"
#include "log.h"
#include "logcap.h"
#include "pipex_map.h"
#include "ppp.h"
#include "priv_fake.h"
#include "priv_parent.h"
#include "timer_manual.h"

static const char conf_text[] =
    "tunnel office {\n"
    "\tserver 198.51.100.1\n"
    "\tusername alice\n"
    "\tpassword \"s3cret\"\n"
    "\troute 10.1.0.0/16\n"
    "\toffload pipex\n"
    "}\n"
    "tunnel lab {\n"
    "\tserver 203.0.113.9\n"
    "\tusername bob\n"
    "\tpassword \"other\"\n"
    "\troute 172.16.0.0/12\n"
    "}\n"
    "tunnel slow {\n"
    "\tserver 192.0.2.77\n"
    "\tusername carol\n"
    "\tpassword \"third\"\n"
    "\toffload userspace\n"
    "}\n";

struct fixture {
	struct config		*conf;
	struct timer_base	*tb;
	struct priv_parent	 p;
	int			 sv[2];	/* [0] engine, [1] parent */
};

static void
setup(struct fixture *f)
{
	log_init(1, 0);
	priv_fake_reset();
	ATF_REQUIRE((f->conf = parse_config_buffer("test", conf_text,
	    strlen(conf_text), CONF_NOFILES)) != NULL);
	ATF_REQUIRE((f->tb = timer_manual_new()) != NULL);
	priv_parent_init(&f->p, f->conf, &priv_fake_ops, f->tb);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    f->sv) == 0);
	f->p.sock = f->sv[1];
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

/* One request handled by the parent: the answer's type, into ans. */
static int
ask_fd(struct fixture *f, uint16_t type, const char *tunnel,
    const void *req, size_t len, void *ans, size_t anslen, int *fd)
{
	struct privmsg m;
	char err[128];

	ATF_REQUIRE(privmsg_send(f->sv[0], type, tunnel, req, len, -1) == 0);
	ATF_REQUIRE_EQ(privmsg_recv(f->sv[1], &m, err, sizeof(err)),
	    PRIVMSG_OK);
	(void)priv_parent_handle(&f->p, f->sv[1], &m);
	ATF_REQUIRE_EQ(privmsg_recv(f->sv[0], &m, err, sizeof(err)),
	    PRIVMSG_OK);
	ATF_REQUIRE(m.hdr.len <= anslen);
	memset(ans, 0, anslen);
	memcpy(ans, m.payload, m.hdr.len);
	if (fd != NULL)
		*fd = m.fd;
	else if (m.fd != -1)
		close(m.fd);
	return m.hdr.type;
}

static int
ask(struct fixture *f, uint16_t type, const char *tunnel, const void *req,
    size_t len)
{
	struct priv_result r;

	ATF_REQUIRE_EQ(ask_fd(f, type, tunnel, req, len, &r, sizeof(r),
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

static void
server(struct fixture *f, const char *tunnel, const char *addr)
{
	struct priv_server q;

	memset(&q, 0, sizeof(q));
	q.addr = ip(addr);
	q.port = 1723;
	ATF_REQUIRE_EQ(ask(f, PRIV_SERVER, tunnel, &q, sizeof(q)), 0);
}

/* The engine's side of a negotiated session with 128-bit MPPE. */
static void
link_of(struct ppp_link *l)
{
	memset(l, 0, sizeof(*l));
	l->local_addr = 0x0a000002;	/* 10.0.0.2 */
	l->peer_addr = 0x0a000001;
	l->peer_mru = 1400;
	l->acfc_tx = l->pfc_tx = 1;
	l->mppe = 1;
	l->have_keys = 1;
	l->mppe_keybits = 128;
	l->mppe_tx_bits = MPPE_S | MPPE_H;
	l->mppe_rx_bits = MPPE_S | MPPE_H;
	memset(l->send_key, 0xa5, sizeof(l->send_key));
	memset(l->recv_key, 0x5a, sizeof(l->recv_key));
}

static void
in_of(struct pipex_map_in *in, const struct ppp_link *l, const char *outer,
    uint16_t call_id)
{
	memset(in, 0, sizeof(*in));
	in->our_call_id = call_id;
	in->peer_call_id = 9;
	in->our_rwin = 64;
	in->peer_rwin = 16;
	in->local = ip("192.0.2.10");
	in->peer = ip(outer);
	in->link = l;
	pipex_gre_init(&in->gre);
	in->gre.snd_nxt = 40;
	in->gre.rcv_nxt = 31;
	in->ppp_id = call_id;
	in->adjust_tcpmss = 1;
}

/* What the engine sends for office's session. */
static struct priv_pipex_add
good_add(uint16_t call_id)
{
	struct priv_pipex_add q;
	struct pipex_map_in in;
	struct ppp_link l;

	link_of(&l);
	in_of(&in, &l, "198.51.100.1", call_id);
	pipex_map_to_priv(&in, &q);
	return q;
}

static int
add(struct fixture *f, const char *tunnel, const struct priv_pipex_add *q,
    size_t len, struct priv_pipex_session *a)
{
	ATF_REQUIRE_EQ(ask_fd(f, PRIV_PIPEX_ADD, tunnel, q, len, a,
	    sizeof(*a), NULL), PRIV_PIPEX_SESSION);
	return a->error;
}

static int
counters(struct fixture *f, uint16_t type, const char *tunnel,
    uint16_t call_id, uint16_t pad, struct priv_pipex_counters *c)
{
	struct priv_pipex_id q;

	memset(&q, 0, sizeof(q));
	q.call_id = call_id;
	q.pad = pad;
	ATF_REQUIRE_EQ(ask_fd(f, type, tunnel, &q, sizeof(q), c, sizeof(*c),
	    NULL), PRIV_PIPEX_COUNTERS);
	return c->error;
}

static int
route_via(struct fixture *f, const char *dst, int plen, const char *ifname)
{
	struct priv_route q;

	memset(&q, 0, sizeof(q));
	q.add = 1;
	q.dst = ip(dst);
	q.plen = (uint8_t)plen;
	snprintf(q.ifname, sizeof(q.ifname), "%s", ifname);
	return ask(f, PRIV_ROUTE, "office", &q, sizeof(q));
}

/*
 * The privsep path builds, in the parent, the very request pptpcd -S
 * builds in place from the same session.
 */
ATF_TC_WITHOUT_HEAD(same_request_as_in_place);
ATF_TC_BODY(same_request_as_in_place, tc)
{
	struct pipex_session_req direct, parent;
	struct priv_pipex_add q;
	struct pipex_map_in in, back;
	struct ppp_link l, lback;
	char err[128];

	(void)tc;
	link_of(&l);
	l.acfc_rx = 1;
	in_of(&in, &l, "198.51.100.1", 5);
	ATF_REQUIRE_EQ(pipex_map_session(&in, &direct, err, sizeof(err)), 0);
	pipex_map_to_priv(&in, &q);
	ATF_REQUIRE_EQ(pipex_map_from_priv(&q, &back, &lback, err,
	    sizeof(err)), 0);
	ATF_REQUIRE_EQ(pipex_map_session(&back, &parent, err, sizeof(err)),
	    0);
	ATF_CHECK(memcmp(&direct, &parent, sizeof(direct)) == 0);

	/* Without MPPE too: no key material travels. */
	l.mppe = l.have_keys = 0;
	l.mppe_keybits = 0;
	in_of(&in, &l, "198.51.100.1", 5);
	pipex_map_to_priv(&in, &q);
	ATF_CHECK_EQ(q.mppe_keybits, 0);
	ATF_CHECK_EQ(q.send_key[0], 0);
	ATF_REQUIRE_EQ(pipex_map_session(&in, &direct, err, sizeof(err)), 0);
	ATF_REQUIRE_EQ(pipex_map_from_priv(&q, &back, &lback, err,
	    sizeof(err)), 0);
	ATF_REQUIRE_EQ(pipex_map_session(&back, &parent, err, sizeof(err)),
	    0);
	ATF_CHECK(memcmp(&direct, &parent, sizeof(direct)) == 0);
}

ATF_TC_WITHOUT_HEAD(probe);
ATF_TC_BODY(probe, tc)
{
	struct fixture f;
	struct priv_ops nopipex;
	struct priv_result r;
	char one = 1;

	(void)tc;
	setup(&f);
	ATF_CHECK_EQ(ask(&f, PRIV_PIPEX_PROBE, "", NULL, 0), 0);
	ATF_CHECK_EQ(ask(&f, PRIV_PIPEX_PROBE, "office", NULL, 0), 0);
	/* No: the reason comes back as text, not as a refusal. */
	priv_fake.pipex_off = 1;
	ATF_REQUIRE_EQ(ask_fd(&f, PRIV_PIPEX_PROBE, "", NULL, 0, &r,
	    sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, EOPNOTSUPP);
	ATF_CHECK(strstr(r.msg, "net.pipex.enable=1") != NULL);
	ATF_CHECK_EQ(f.p.refused, 0);
	/* Hostile: an unknown tunnel, a payload. */
	ATF_CHECK_EQ(ask(&f, PRIV_PIPEX_PROBE, "ghost", NULL, 0), EPERM);
	ATF_CHECK_EQ(ask(&f, PRIV_PIPEX_PROBE, "", &one, 1), EPERM);
	ATF_CHECK_EQ(f.p.refused, 2);
	/* Linux: no pipex at all. */
	nopipex = priv_fake_ops;
	nopipex.pipex_probe = NULL;
	f.p.ops = &nopipex;
	ATF_REQUIRE_EQ(ask_fd(&f, PRIV_PIPEX_PROBE, "", NULL, 0, &r,
	    sizeof(r), NULL), PRIV_RESULT);
	ATF_CHECK_EQ(r.error, EOPNOTSUPP);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(socket_for_a_pipex_tunnel_only);
ATF_TC_BODY(socket_for_a_pipex_tunnel_only, tc)
{
	struct fixture f;
	struct priv_pipex_sock q;
	struct priv_result r;
	int fd;

	(void)tc;
	setup(&f);
	memset(&q, 0, sizeof(q));
	q.local = ip("192.0.2.10");
	/* Before the tunnel said which server it dials. */
	ATF_REQUIRE_EQ(ask_fd(&f, PRIV_PIPEX_SOCKET, "office", &q, sizeof(q),
	    &r, sizeof(r), &fd), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_CHECK_EQ(fd, -1);
	server(&f, "office", "198.51.100.1");
	server(&f, "slow", "192.0.2.77");
	/* Unknown tunnel; a tunnel configured for userspace only. */
	ATF_REQUIRE_EQ(ask_fd(&f, PRIV_PIPEX_SOCKET, "ghost", &q, sizeof(q),
	    &r, sizeof(r), &fd), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_REQUIRE_EQ(ask_fd(&f, PRIV_PIPEX_SOCKET, "slow", &q, sizeof(q),
	    &r, sizeof(r), &fd), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	/* Bound to a multicast or a zero address; a short request. */
	q.local = ip("224.0.0.1");
	ATF_REQUIRE_EQ(ask_fd(&f, PRIV_PIPEX_SOCKET, "office", &q, sizeof(q),
	    &r, sizeof(r), &fd), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	q.local.s_addr = INADDR_ANY;
	ATF_REQUIRE_EQ(ask_fd(&f, PRIV_PIPEX_SOCKET, "office", &q, sizeof(q),
	    &r, sizeof(r), &fd), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_REQUIRE_EQ(ask_fd(&f, PRIV_PIPEX_SOCKET, "office", &q, 2,
	    &r, sizeof(r), &fd), PRIV_FD);
	ATF_CHECK_EQ(r.error, EPERM);
	ATF_CHECK(strstr(priv_fake.log, "pipex socket") == NULL);
	/* The legitimate one. */
	q.local = ip("192.0.2.10");
	ATF_REQUIRE_EQ(ask_fd(&f, PRIV_PIPEX_SOCKET, "office", &q, sizeof(q),
	    &r, sizeof(r), &fd), PRIV_FD);
	ATF_CHECK_EQ(r.error, 0);
	ATF_CHECK(fd != -1);
	if (fd != -1)
		close(fd);
	ATF_CHECK(strstr(priv_fake.log, "pipex socket 192.0.2.10;") != NULL);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(session_of_the_tunnel_only);
ATF_TC_BODY(session_of_the_tunnel_only, tc)
{
	struct fixture f;
	struct priv_pipex_add q, bad;
	struct priv_pipex_session a;
	struct priv_ifreq mtu;

	(void)tc;
	setup(&f);
	q = good_add(5);
	/* Unknown tunnel; a known one that has not pinned its server. */
	ATF_CHECK_EQ(add(&f, "ghost", &q, sizeof(q), &a), EPERM);
	ATF_CHECK_EQ(add(&f, "office", &q, sizeof(q), &a), EPERM);
	server(&f, "office", "198.51.100.1");
	server(&f, "lab", "203.0.113.9");
	/* Towards another server than the one the tunnel pinned. */
	bad = q;
	bad.peer = ip("203.0.113.9");
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	ATF_CHECK(strstr(a.msg, "not the tunnel's server") != NULL);
	/* IPCP addresses the policy refuses. */
	bad = q;
	bad.ip_local = ip("127.0.0.1");
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	bad = q;
	bad.ip_peer = ip("198.51.100.1");	/* the server's own */
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	bad = q;
	bad.ip_local.s_addr = INADDR_ANY;
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	bad = q;
	bad.local = ip("255.255.255.255");
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	/* Lengths, flags, MPPE values out of range. */
	ATF_CHECK_EQ(add(&f, "office", &q, sizeof(q) - 1, &a), EPERM);
	bad = q;
	bad.flags |= 0x80;
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	bad = q;
	bad.mppe_keybits = 64;
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	bad = q;
	bad.mppe_tx_bits |= MPPE_C;
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	bad = q;
	bad.flags &= ~PRIV_PX_MPPE;	/* keys left where none may be */
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	bad = q;
	bad.peer_mru = 64;
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	ATF_CHECK(strstr(priv_fake.log, "pipex add") == NULL);

	/* The legitimate one, built as the configuration says. */
	ATF_REQUIRE_EQ(add(&f, "office", &q, sizeof(q), &a), 0);
	ATF_CHECK_STREQ(a.ifname, "pppx0");
	ATF_CHECK_EQ(a.peer_mru, 1400);
	ATF_CHECK(strstr(priv_fake.log, "pipex add office 5/9 10.0.0.2 "
	    "10.0.0.1 mru 1400") != NULL);
	ATF_CHECK(strstr(priv_fake.log, "keybits 128/128;") != NULL);
	/* pppx0 is now office's interface: its routes and MTU, no other. */
	ATF_CHECK_EQ(route_via(&f, "10.1.0.0", 16, "pppx0"), 0);
	ATF_CHECK_EQ(route_via(&f, "192.168.0.0", 16, "pppx0"), EPERM);
	memset(&mtu, 0, sizeof(mtu));
	mtu.value = 1396;
	snprintf(mtu.ifname, sizeof(mtu.ifname), "pppx0");
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_MTU, "office", &mtu, sizeof(mtu)), 0);
	ATF_CHECK_EQ(ask(&f, PRIV_IFACE_MTU, "lab", &mtu, sizeof(mtu)),
	    EPERM);

	/*
	 * A second session (another call ID too); another tunnel taking
	 * office's call ID.
	 */
	ATF_CHECK_EQ(add(&f, "office", &q, sizeof(q), &a), EPERM);
	bad = good_add(6);
	ATF_CHECK_EQ(add(&f, "office", &bad, sizeof(bad), &a), EPERM);
	ATF_CHECK(strstr(a.msg, "already") != NULL);
	bad = q;
	bad.peer = ip("203.0.113.9");
	ATF_CHECK_EQ(add(&f, "lab", &bad, sizeof(bad), &a), EPERM);
	ATF_CHECK(strstr(a.msg, "office's") != NULL);
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(counters_and_delete_of_its_own_session);
ATF_TC_BODY(counters_and_delete_of_its_own_session, tc)
{
	struct fixture f;
	struct priv_pipex_add q;
	struct priv_pipex_session a;
	struct priv_pipex_counters c;

	(void)tc;
	setup(&f);
	server(&f, "office", "198.51.100.1");
	server(&f, "lab", "203.0.113.9");
	/* Before any session: nothing to read or delete. */
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_STAT, "office", 5, 0, &c),
	    EPERM);
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_DEL, "office", 5, 0, &c),
	    EPERM);
	q = good_add(5);
	ATF_REQUIRE_EQ(add(&f, "office", &q, sizeof(q), &a), 0);
	/* Another tunnel's session, another call ID, padding. */
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_STAT, "lab", 5, 0, &c), EPERM);
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_DEL, "lab", 5, 0, &c), EPERM);
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_STAT, "office", 6, 0, &c),
	    EPERM);
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_DEL, "office", 6, 0, &c),
	    EPERM);
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_STAT, "office", 5, 1, &c),
	    EPERM);
	ATF_CHECK(strstr(priv_fake.log, "pipex stat") == NULL);
	ATF_CHECK(strstr(priv_fake.log, "pipex del") == NULL);

	/* Its own: the counters, then the delete's final ones. */
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_STAT, "office", 5, 0, &c), 0);
	ATF_CHECK_EQ(c.ipackets, 10);
	ATF_CHECK_EQ(c.obytes, 2000);
	ATF_CHECK(strstr(priv_fake.log, "pipex stat 5;") != NULL);
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_DEL, "office", 5, 0, &c), 0);
	ATF_CHECK_EQ(c.ipackets, 11);
	ATF_CHECK(strstr(priv_fake.log, "pipex del 5;pipex close;") != NULL);
	/* Gone: no more counters, pppx0 no longer office's. */
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_STAT, "office", 5, 0, &c),
	    EPERM);
	ATF_CHECK_EQ(route_via(&f, "10.1.0.0", 16, "pppx0"), EPERM);
	/* And a new session may be made (a redial). */
	ATF_CHECK_EQ(add(&f, "office", &q, sizeof(q), &a), 0);
	ATF_CHECK_STREQ(a.ifname, "pppx1");
	teardown(&f);
}

ATF_TC_WITHOUT_HEAD(engine_gone_closes_the_device);
ATF_TC_BODY(engine_gone_closes_the_device, tc)
{
	struct fixture f;
	struct priv_pipex_add q;
	struct priv_pipex_session a;
	struct priv_pipex_counters c;

	(void)tc;
	setup(&f);
	server(&f, "office", "198.51.100.1");
	q = good_add(5);
	ATF_REQUIRE_EQ(add(&f, "office", &q, sizeof(q), &a), 0);
	priv_parent_engine_gone(&f.p);
	ATF_CHECK(strstr(priv_fake.log, "pipex close;") != NULL);
	ATF_CHECK(strstr(priv_fake.log, "pipex del") == NULL);
	/* The next engine starts from nothing. */
	ATF_CHECK_EQ(counters(&f, PRIV_PIPEX_STAT, "office", 5, 0, &c),
	    EPERM);
	server(&f, "office", "198.51.100.1");
	ATF_CHECK_EQ(add(&f, "office", &q, sizeof(q), &a), 0);
	teardown(&f);
	/* The parent's exit closes it as well. */
	ATF_CHECK(strstr(strstr(priv_fake.log, "pipex close;") +
	    strlen("pipex close;"), "pipex close;") != NULL);
}

ATF_TC_WITHOUT_HEAD(refusals_logged_rate_limited);
ATF_TC_BODY(refusals_logged_rate_limited, tc)
{
	struct fixture f;
	struct capture cap;
	struct priv_pipex_add q;
	struct priv_pipex_session a;
	char buf[8192], *s;
	int i, lines = 0;

	(void)tc;
	setup(&f);
	server(&f, "office", "198.51.100.1");
	q = good_add(5);
	q.peer = ip("203.0.113.200");
	capture_begin(&cap);
	for (i = 0; i < 50; i++)
		(void)add(&f, "office", &q, sizeof(q), &a);
	timer_manual_advance(f.tb, RATELOG_WARN_MS);
	(void)add(&f, "office", &q, sizeof(q), &a);
	capture_end(&cap, buf, sizeof(buf));
	for (s = buf; (s = strstr(s, "privsep: refused pipex-add")) != NULL;
	    s++)
		lines++;
	ATF_CHECK_EQ(lines, 2);
	ATF_CHECK(strstr(buf, "203.0.113.200") != NULL);
	ATF_CHECK(strstr(buf, "(and 49 more since)") != NULL);
	/* Never a key in the log. */
	ATF_CHECK(strstr(buf, "a5a5") == NULL);
	ATF_CHECK_EQ(f.p.refused, 51);
	teardown(&f);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, same_request_as_in_place);
	ATF_TP_ADD_TC(tp, probe);
	ATF_TP_ADD_TC(tp, socket_for_a_pipex_tunnel_only);
	ATF_TP_ADD_TC(tp, session_of_the_tunnel_only);
	ATF_TP_ADD_TC(tp, counters_and_delete_of_its_own_session);
	ATF_TP_ADD_TC(tp, engine_gone_closes_the_device);
	ATF_TP_ADD_TC(tp, refusals_logged_rate_limited);
	return atf_no_error();
}
