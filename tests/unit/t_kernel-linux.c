/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The Linux kernel engine: its probe on this host, every probe failure
 * mapped to the module to load (through a fake system-call table), and a
 * session against a scripted kernel: the order of the set-up ioctls, the
 * demultiplexing of frames between channel and unit, the CCP key order of
 * pppd, the "cannot decrypt" signal and the teardown order.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_pppox.h>
#include <linux/ppp-ioctl.h>
#include <linux/ppp_defs.h>

#include <atf-c.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "offload.h"

/* ---- a scripted kernel ---- */

struct fake {
	int	 open_errno;		/* for /dev/ppp */
	int	 socket_errno;		/* for AF_PPPOX */
	int	 newunit_errno;
	int	 compress_errno;
	int	 bind_errno;
	int	 flags;			/* the unit's PPPIOCGFLAGS */
	int	 set_flags[8];
	int	 nset_flags;
	int	 compress_transmit[4];
	uint8_t	 compress_opt[4][22];
	int	 ncompress;
	char	 log[1024];
	int	 pipes[4][2];		/* fds handed out for /dev/ppp */
	int	 nopen;
	int	 chan_fd, unit_fd;
	uint16_t bound_call, connected_call;
	uint8_t	 rx[64];		/* the next frame read() returns */
	size_t	 rxlen;
	int	 rx_fd;
	int	 wrote_fd[8];
	uint8_t	 wrote[8][64];
	size_t	 wrote_len[8];
	int	 nwrote;
};

static struct fake F;

static void
note(const char *s)
{
	size_t n = strlen(F.log);

	snprintf(F.log + n, sizeof(F.log) - n, "%s%s", n ? " " : "", s);
}

static int
f_open(const char *path, int flags)
{
	int *p;

	(void)flags;
	ATF_REQUIRE_STREQ(path, "/dev/ppp");
	note("open");
	if (F.open_errno != 0) {
		errno = F.open_errno;
		return -1;
	}
	ATF_REQUIRE(F.nopen < 4);
	p = F.pipes[F.nopen++];
	ATF_REQUIRE(pipe2(p, O_NONBLOCK) == 0);
	return p[0];
}

static int
f_socket(int domain, int type, int proto)
{
	(void)type;
	if (domain == AF_PPPOX) {
		ATF_CHECK_EQ(proto, PX_PROTO_PPTP);
		note("socket");
		if (F.socket_errno != 0) {
			errno = F.socket_errno;
			return -1;
		}
		return 100;
	}
	note("ctlsock");
	return 101;
}

static int
f_ioctl(int fd, unsigned long req, void *arg)
{
	char buf[48];

	switch (req) {
	case PPPIOCGCHAN:
		ATF_CHECK_EQ(fd, 100);
		*(int *)arg = 9;
		note("GCHAN");
		return 0;
	case PPPIOCATTCHAN:
		ATF_CHECK_EQ(*(int *)arg, 9);
		F.chan_fd = fd;
		note("ATTCHAN");
		return 0;
	case PPPIOCNEWUNIT:
		snprintf(buf, sizeof(buf), "NEWUNIT(%d)", *(int *)arg);
		note(buf);
		if (F.newunit_errno != 0) {
			errno = F.newunit_errno;
			return -1;
		}
		F.unit_fd = fd;
		if (*(int *)arg == -1)
			*(int *)arg = 4;
		return 0;
	case PPPIOCCONNECT:
		ATF_CHECK_EQ(fd, F.chan_fd);
		snprintf(buf, sizeof(buf), "CONNECT(%d)", *(int *)arg);
		note(buf);
		return 0;
	case FIONBIO:
		return 0;
	case SIOCGPPPSTATS: {
		struct ifreq *ifr = arg;
		struct ppp_stats *ps = (struct ppp_stats *)ifr->ifr_data;

		ATF_CHECK_EQ(fd, 101);
		ATF_CHECK_STREQ(ifr->ifr_name, "ppp4");
		ps->p.ppp_ipackets = 5;
		ps->p.ppp_ibytes = 500;
		ps->p.ppp_ierrors = 1;
		ps->p.ppp_opackets = 7;
		ps->p.ppp_obytes = 700;
		ps->p.ppp_oerrors = 2;
		return 0;
	}
	case PPPIOCGIDLE64:
		((struct ppp_idle64 *)arg)->recv_idle = 3;
		return 0;
	case PPPIOCGFLAGS:
		*(int *)arg = F.flags;
		return 0;
	case PPPIOCSFLAGS:
		ATF_CHECK_EQ(fd, F.unit_fd);
		F.set_flags[F.nset_flags++] = *(int *)arg;
		F.flags = *(int *)arg;
		note("SFLAGS");
		return 0;
	case PPPIOCSCOMPRESS: {
		struct ppp_option_data *od = arg;

		note("SCOMPRESS");
		if (F.compress_errno != 0) {
			errno = F.compress_errno;
			return -1;
		}
		ATF_CHECK_EQ(od->length, 22);
		if (F.ncompress < 4) {
			F.compress_transmit[F.ncompress] = od->transmit;
			memcpy(F.compress_opt[F.ncompress], od->ptr, 22);
		}
		F.ncompress++;
		return 0;
	}
	default:
		note("ioctl?");
		errno = ENOTTY;
		return -1;
	}
}

static int
f_close(int fd)
{
	char buf[16];

	if (fd == 100)
		note("close(sock)");
	else if (fd == 101)
		note("close(ctl)");
	else {
		snprintf(buf, sizeof(buf), "close(%s)", fd == F.chan_fd ?
		    "chan" : fd == F.unit_fd ? "unit" : "dev");
		note(buf);
		close(fd);
	}
	return 0;
}

static int
f_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_pppox sp;

	ATF_CHECK_EQ(fd, 100);
	ATF_REQUIRE_EQ(len, sizeof(sp));
	memcpy(&sp, sa, sizeof(sp));
	ATF_CHECK_EQ(sp.sa_family, AF_PPPOX);
	ATF_CHECK_EQ(sp.sa_protocol, PX_PROTO_PPTP);
	ATF_CHECK_EQ(sp.sa_addr.pptp.sin_addr.s_addr, htonl(0xc0000201));
	F.bound_call = sp.sa_addr.pptp.call_id;
	note("bind");
	if (F.bind_errno != 0) {
		errno = F.bind_errno;
		return -1;
	}
	return 0;
}

static int
f_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_pppox sp;

	ATF_CHECK_EQ(fd, 100);
	ATF_REQUIRE_EQ(len, sizeof(sp));
	memcpy(&sp, sa, sizeof(sp));
	ATF_CHECK_EQ(sp.sa_addr.pptp.sin_addr.s_addr, htonl(0xcb007102));
	F.connected_call = sp.sa_addr.pptp.call_id;
	note("connect");
	return 0;
}

static ssize_t
f_read(int fd, void *buf, size_t len)
{
	char c;

	/* Drain the pipe byte that made fd readable, then script. */
	if (read(fd, &c, 1) != 1 || F.rxlen == 0) {
		errno = EAGAIN;
		return -1;
	}
	ATF_REQUIRE(F.rxlen <= len);
	memcpy(buf, F.rx, F.rxlen);
	F.rx_fd = fd;
	len = F.rxlen;
	F.rxlen = 0;
	return (ssize_t)len;
}

static ssize_t
f_write(int fd, const void *buf, size_t len)
{
	ATF_REQUIRE(F.nwrote < 8 && len <= 64);
	F.wrote_fd[F.nwrote] = fd;
	memcpy(F.wrote[F.nwrote], buf, len);
	F.wrote_len[F.nwrote++] = len;
	return (ssize_t)len;
}

static const struct offload_sys fake_sys = {
	.open = f_open,
	.socket = f_socket,
	.ioctl = f_ioctl,
	.close = f_close,
	.bind = f_bind,
	.connect = f_connect,
	.read = f_read,
	.write = f_write,
};

static const struct offload_engine *
kernel_engine(void)
{
	const struct offload_engine *e;
	const char *why;

	ATF_REQUIRE((e = offload_os_engine(OFFLOAD_ENGINE_KERNEL, &why)) !=
	    NULL);
	return e;
}

static int
probe(char *why, size_t len)
{
	return kernel_engine()->probe(&fake_sys, why, len);
}

/* ---- the probe ---- */

ATF_TC_WITHOUT_HEAD(probe_this_host);
ATF_TC_BODY(probe_this_host, tc)
{
	char why[OFFLOAD_WHY_MAX];

	if (access("/dev/ppp", F_OK) == 0)
		atf_tc_skip("this host has /dev/ppp");
	ATF_REQUIRE_EQ(kernel_engine()->probe(NULL, why, sizeof(why)), -1);
	ATF_CHECK(strstr(why, "/dev/ppp is missing") != NULL);
	ATF_CHECK(strstr(why, "modprobe ppp_generic") != NULL);
}

ATF_TC_WITHOUT_HEAD(probe_dev_errors);
ATF_TC_BODY(probe_dev_errors, tc)
{
	char why[OFFLOAD_WHY_MAX];

	unsetenv("INVOCATION_ID");	/* not under systemd */
	memset(&F, 0, sizeof(F));
	F.open_errno = ENOENT;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "/dev/ppp is missing: load ppp_generic "
	    "(modprobe ppp_generic), or create the node (mknod /dev/ppp c "
	    "108 0)");
	F.open_errno = ENODEV;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "/dev/ppp has no driver: load ppp_generic "
	    "(modprobe ppp_generic)");
	F.open_errno = ENXIO;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK(strstr(why, "load ppp_generic") != NULL);
	F.open_errno = EPERM;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK(strstr(why, "CAP_NET_ADMIN") != NULL);
	F.open_errno = EIO;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "/dev/ppp: Input/output error");
}

ATF_TC_WITHOUT_HEAD(probe_pptp_errors);
ATF_TC_BODY(probe_pptp_errors, tc)
{
	char why[OFFLOAD_WHY_MAX];

	unsetenv("INVOCATION_ID");	/* not under systemd */
	memset(&F, 0, sizeof(F));
	F.socket_errno = EAFNOSUPPORT;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "no PPPoX sockets in the kernel: load pptp "
	    "(modprobe pptp, which brings pppox and gre)");
	ATF_CHECK_STREQ(F.log, "open socket close(dev)");

	memset(&F, 0, sizeof(F));
	F.socket_errno = EPROTONOSUPPORT;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK(strncmp(why, "PPPoX has no PPTP: load pptp (modprobe "
	    "pptp", 39) == 0);
	F.socket_errno = EACCES;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK(strstr(why, "CAP_NET_ADMIN") != NULL);
}

/*
 * Under systemd (INVOCATION_ID set) a missing or refused /dev/ppp or
 * AF_PPPOX is the unit's doing unless shown otherwise: the probe names
 * the unit's setting and the drop-in, never "needs root", which would
 * send an administrator the wrong way.
 */
ATF_TC_WITHOUT_HEAD(probe_under_systemd);
ATF_TC_BODY(probe_under_systemd, tc)
{
	char why[OFFLOAD_WHY_MAX];

	ATF_REQUIRE(setenv("INVOCATION_ID", "0123456789abcdef", 1) == 0);
	memset(&F, 0, sizeof(F));
	F.open_errno = ENOENT;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "/dev/ppp is missing: the systemd unit hides "
	    "it (PrivateDevices=yes: add BindPaths=-/dev/ppp and "
	    "DeviceAllow=/dev/ppp rw, the drop-in pptpcd-kernel-engine.conf), "
	    "or load ppp_generic");
	F.open_errno = EPERM;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "/dev/ppp refused: Operation not permitted: the "
	    "systemd unit does not allow it (DeviceAllow=/dev/ppp rw, the "
	    "drop-in pptpcd-kernel-engine.conf)");
	F.open_errno = EACCES;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK(strstr(why, "DeviceAllow=/dev/ppp rw") != NULL);
	ATF_CHECK(strstr(why, "CAP_NET_ADMIN") == NULL);

	memset(&F, 0, sizeof(F));
	F.socket_errno = EAFNOSUPPORT;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "AF_PPPOX refused: the systemd unit does not "
	    "allow it (RestrictAddressFamilies=AF_PPPOX, the drop-in "
	    "pptpcd-kernel-engine.conf), or the kernel lacks it (modprobe "
	    "pptp)");
	F.socket_errno = EPERM;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK(strstr(why, "RestrictAddressFamilies=AF_PPPOX") != NULL);
	/* What the unit cannot cause keeps its module hint. */
	F.socket_errno = EPROTONOSUPPORT;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK(strncmp(why, "PPPoX has no PPTP: load pptp", 28) == 0);
	/* An empty INVOCATION_ID is no systemd. */
	ATF_REQUIRE(setenv("INVOCATION_ID", "", 1) == 0);
	F.socket_errno = EAFNOSUPPORT;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK(strncmp(why, "no PPPoX sockets in the kernel", 30) == 0);
	unsetenv("INVOCATION_ID");
}

ATF_TC_WITHOUT_HEAD(probe_mppe_errors);
ATF_TC_BODY(probe_mppe_errors, tc)
{
	char why[OFFLOAD_WHY_MAX];

	memset(&F, 0, sizeof(F));
	F.compress_errno = EINVAL;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK_STREQ(why, "MPPE is missing in the kernel: load ppp_mppe "
	    "(modprobe ppp_mppe; it refuses to load in FIPS mode)");
	/* The throw-away unit goes with its descriptor. */
	ATF_CHECK_STREQ(F.log, "open socket close(sock) NEWUNIT(-1) "
	    "SCOMPRESS close(unit)");

	memset(&F, 0, sizeof(F));
	F.newunit_errno = EPERM;
	ATF_CHECK_EQ(probe(why, sizeof(why)), -1);
	ATF_CHECK(strstr(why, "PPPIOCNEWUNIT") != NULL);

	/* ENOBUFS: the compressor exists, it only disliked the key. */
	memset(&F, 0, sizeof(F));
	F.compress_errno = ENOBUFS;
	ATF_CHECK_EQ(probe(why, sizeof(why)), 0);
}

ATF_TC_WITHOUT_HEAD(probe_ok);
ATF_TC_BODY(probe_ok, tc)
{
	char why[OFFLOAD_WHY_MAX] = "stale";

	memset(&F, 0, sizeof(F));
	ATF_CHECK_EQ(probe(why, sizeof(why)), 0);
	ATF_CHECK_STREQ(why, "");
	/* A dummy 128-bit stateless receive key, as pppd probes. */
	ATF_CHECK_EQ(F.compress_transmit[0], 0);
	ATF_CHECK_EQ(F.compress_opt[0][0], 18);
	ATF_CHECK_EQ(F.compress_opt[0][1], 6);
	ATF_CHECK_EQ(F.compress_opt[0][2], 0x01);
	ATF_CHECK_EQ(F.compress_opt[0][5], 0x40);
}

ATF_TC_WITHOUT_HEAD(registry);
ATF_TC_BODY(registry, tc)
{
	const char *why;

	ATF_CHECK(offload_os_engine(OFFLOAD_ENGINE_PIPEX, &why) == NULL);
	ATF_CHECK(strstr(why, "OpenBSD") != NULL);
	ATF_CHECK_STREQ(kernel_engine()->name, "kernel");
	ATF_CHECK_EQ(kernel_engine()->id, OFFLOAD_ENGINE_KERNEL);
}

/* ---- a session against the scripted kernel ---- */

static int got_frames, got_resets, got_failed;
static uint8_t got[64];
static size_t got_len;

static void
cb_frame(void *arg, const uint8_t *frame, size_t len)
{
	(void)arg;
	got_frames++;
	memcpy(got, frame, len < sizeof(got) ? len : sizeof(got));
	got_len = len;
}

static void
cb_reset(void *arg)
{
	(void)arg;
	got_resets++;
}

static void
cb_failed(void *arg, const char *why)
{
	(void)arg;
	(void)why;
	got_failed++;
}

static const struct offload_ops ops = {
	.frame = cb_frame,
	.reset_needed = cb_reset,
	.failed = cb_failed,
};

static void
call_init(struct offload_call *c)
{
	memset(c, 0, sizeof(*c));
	c->tag = "office";
	c->local.s_addr = htonl(0xc0000201);
	c->peer.s_addr = htonl(0xcb007102);
	c->our_call_id = 0x1234;
	c->peer_call_id = 0x4321;
}

/* Makes fd readable and lets the engine read frame. */
static void
deliver(struct event_base *evb, int pipe_idx, const uint8_t *frame,
    size_t len)
{
	memcpy(F.rx, frame, len);
	F.rxlen = len;
	ATF_REQUIRE(write(F.pipes[pipe_idx][1], "x", 1) == 1);
	event_base_loop(evb, EVLOOP_NONBLOCK);
}

ATF_TC_WITHOUT_HEAD(session);
ATF_TC_BODY(session, tc)
{
	static const uint8_t lcp[] = { 0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4 };
	static const uint8_t ccp_pfc[] = { 0x80, 0xfd, 1, 1, 0, 4 };
	static const uint8_t bad[] = { 0xff, 0x03, 0xc0 };
	static const uint8_t in_ipcp[] = { 0x80, 0x21, 2, 1, 0, 4 };
	static const uint8_t in_comp[] = { 0x00, 0xfd, 0x90, 0x00, 0xaa };
	struct offload_session *s;
	struct offload_mppe m;
	struct offload_call call;
	struct offload_env env;
	struct offload_stats st;
	struct event_base *evb;
	char err[256];
	int i;

	/*
	 * CCP's start makes the cleartext guard's nf_tables table (real
	 * netlink, not the scripted kernel): in a network namespace of this
	 * test process's own when it may make one, never the host's.
	 * Without root the table is refused, which costs a warning only.
	 */
	(void)unshare(CLONE_NEWNET);
	memset(&F, 0, sizeof(F));
	ATF_REQUIRE((evb = event_base_new()) != NULL);
	memset(&env, 0, sizeof(env));
	env.sys = &fake_sys;
	env.evb = evb;
	call_init(&call);
	ATF_REQUIRE_MSG((s = kernel_engine()->open(&env, &call, &ops,
	    NULL, err, sizeof(err))) != NULL, "%s", err);
	/* pppd's order: bind, connect, channel, unit, connect the two. */
	ATF_CHECK_STREQ(F.log, "socket bind connect GCHAN open open ATTCHAN "
	    "NEWUNIT(-1) CONNECT(4) ctlsock");
	ATF_CHECK_EQ(F.bound_call, 0x1234);	/* host order */
	ATF_CHECK_EQ(F.connected_call, 0x4321);

	/* LCP to the channel without FF 03; CCP (1-byte? no) to the unit. */
	ATF_CHECK_EQ(kernel_engine()->send_frame(s, lcp, sizeof(lcp)), 0);
	ATF_CHECK_EQ(kernel_engine()->send_frame(s, ccp_pfc, sizeof(ccp_pfc)), 0);
	ATF_CHECK_EQ(kernel_engine()->send_frame(s, bad, sizeof(bad)), -1);
	ATF_CHECK_EQ(kernel_engine()->send_frame(s, bad, 0), -1);
	ATF_REQUIRE_EQ(F.nwrote, 2);
	ATF_CHECK_EQ(F.wrote_fd[0], F.chan_fd);
	ATF_CHECK_EQ(F.wrote_len[0], sizeof(lcp) - 2);
	ATF_CHECK(memcmp(F.wrote[0], lcp + 2, sizeof(lcp) - 2) == 0);
	ATF_CHECK_EQ(F.wrote_fd[1], F.unit_fd);
	ATF_CHECK(memcmp(F.wrote[1], ccp_pfc, sizeof(ccp_pfc)) == 0);

	/* CCP: OPEN (flags, rx key) -> ACK (tx key) -> UP. */
	memset(&m, 0, sizeof(m));
	for (i = 0; i < 16; i++) {
		m.send_key[i] = (uint8_t)(0xa0 + i);
		m.recv_key[i] = (uint8_t)(0x50 + i);
	}
	m.rx_bits = 0x01000040;
	F.flags = SC_DC_ERROR | SC_COMP_RUN;	/* kernel state bits */
	F.log[0] = '\0';
	ATF_REQUIRE_EQ(kernel_engine()->ccp(s, OFFLOAD_CCP_OPEN, &m, err, sizeof(err)),
	    0);
	ATF_CHECK_EQ(F.set_flags[0], SC_CCP_OPEN);	/* no MUST_COMP */
	ATF_CHECK_EQ(F.compress_transmit[0], 0);
	ATF_CHECK(memcmp(F.compress_opt[0] + 6, m.recv_key, 16) == 0);
	ATF_CHECK_EQ(F.compress_opt[0][2], 0x01);
	m.tx_bits = 0x01000040;
	ATF_REQUIRE_EQ(kernel_engine()->ccp(s, OFFLOAD_CCP_ACK, &m, err, sizeof(err)),
	    0);
	ATF_CHECK_EQ(F.compress_transmit[1], 1);
	ATF_CHECK(memcmp(F.compress_opt[1] + 6, m.send_key, 16) == 0);
	ATF_REQUIRE_EQ(kernel_engine()->ccp(s, OFFLOAD_CCP_UP, NULL, err, sizeof(err)),
	    0);
	ATF_CHECK_EQ(F.set_flags[1], SC_CCP_OPEN | SC_CCP_UP);
	ATF_CHECK_STREQ(F.log, "SFLAGS SCOMPRESS SCOMPRESS SFLAGS");
	/* Keys are gone after UP: an ACK now has nothing to load. */
	ATF_CHECK_EQ(kernel_engine()->ccp(s, OFFLOAD_CCP_ACK, &m, err, sizeof(err)),
	    -1);
	ATF_REQUIRE_EQ(kernel_engine()->ccp(s, OFFLOAD_CCP_DOWN, NULL, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(F.set_flags[2], SC_CCP_OPEN);
	ATF_REQUIRE_EQ(kernel_engine()->ccp(s, OFFLOAD_CCP_CLOSED, NULL, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(F.set_flags[3], 0);
	ATF_CHECK_EQ(kernel_engine()->ccp(s, OFFLOAD_CCP_OPEN, NULL, err, sizeof(err)),
	    -1);
	F.compress_errno = EINVAL;
	ATF_CHECK_EQ(kernel_engine()->ccp(s, OFFLOAD_CCP_OPEN, &m, err, sizeof(err)),
	    -1);
	ATF_CHECK(strstr(err, "modprobe ppp_mppe") != NULL);
	F.compress_errno = 0;

	/* Frames in: IPCP from the unit goes to PPP as read. */
	deliver(evb, 1, in_ipcp, sizeof(in_ipcp));
	ATF_CHECK_EQ(got_frames, 1);
	ATF_CHECK_EQ(got_len, sizeof(in_ipcp));
	ATF_CHECK(memcmp(got, in_ipcp, sizeof(in_ipcp)) == 0);
	/* 0x00FD on the unit: a Reset-Request, not a frame for PPP. */
	F.flags = SC_DC_ERROR;
	deliver(evb, 1, in_comp, sizeof(in_comp));
	ATF_CHECK_EQ(got_frames, 1);
	ATF_CHECK_EQ(got_resets, 1);
	/* A 1-byte read is dropped. */
	deliver(evb, 0, in_comp, 1);
	ATF_CHECK_EQ(got_frames, 1);
	/* Fatal: the engine gives up and stops reading. */
	F.flags = SC_DC_FERROR;
	deliver(evb, 1, in_comp, sizeof(in_comp));
	ATF_CHECK_EQ(got_resets, 1);
	ATF_CHECK_EQ(got_failed, 1);
	ATF_CHECK_EQ(kernel_engine()->send_frame(s, lcp, sizeof(lcp)), -1);

	F.log[0] = '\0';
	memset(&st, 0, sizeof(st));
	kernel_engine()->close(s, &st);
	/* The unit's counters, plus the two undecryptable frames. */
	ATF_CHECK_EQ(st.rx_errors, 1 + 2);
	ATF_CHECK_EQ(st.rx_packets, 5);
	ATF_CHECK_EQ(st.rx_bytes, 500);
	ATF_CHECK_EQ(st.tx_packets, 7);
	ATF_CHECK_EQ(st.tx_bytes, 700);
	ATF_CHECK_EQ(st.tx_errors, 2 + 2);	/* and the two malformed */
	ATF_CHECK_EQ(st.rx_idle_s, 3);
	/* pppd's teardown: channel, unit (pppN goes), socket. */
	ATF_CHECK_STREQ(F.log, "close(chan) close(unit) close(sock) "
	    "close(ctl)");
	for (i = 0; i < F.nopen; i++)
		close(F.pipes[i][1]);
	event_base_free(evb);
}

ATF_TC_WITHOUT_HEAD(session_open_failures);
ATF_TC_BODY(session_open_failures, tc)
{
	struct offload_call call;
	struct offload_env env;
	struct event_base *evb;
	char err[256];
	int i;

	ATF_REQUIRE((evb = event_base_new()) != NULL);
	memset(&env, 0, sizeof(env));
	env.sys = &fake_sys;
	env.evb = evb;
	call_init(&call);

	memset(&F, 0, sizeof(F));
	F.bind_errno = EBUSY;
	ATF_CHECK(kernel_engine()->open(&env, &call, &ops, NULL,
	    err, sizeof(err)) == NULL);
	ATF_CHECK_STREQ(err, "kernel engine: call ID 4660 is taken by "
	    "another PPTP session on this host");
	ATF_CHECK_STREQ(F.log, "socket bind close(sock)");

	memset(&F, 0, sizeof(F));
	F.socket_errno = EAFNOSUPPORT;
	ATF_CHECK(kernel_engine()->open(&env, &call, &ops, NULL,
	    err, sizeof(err)) == NULL);
	ATF_CHECK(strstr(err, "modprobe pptp") != NULL);

	/* A wanted unit that is taken: the first free one instead. */
	memset(&F, 0, sizeof(F));
	F.newunit_errno = EEXIST;
	call.ifname_want = "ppp3";
	ATF_CHECK(kernel_engine()->open(&env, &call, &ops, NULL,
	    err, sizeof(err)) == NULL);
	ATF_CHECK(strstr(F.log, "NEWUNIT(3) NEWUNIT(-1)") != NULL);
	ATF_CHECK(strstr(err, "PPPIOCNEWUNIT") != NULL);
	ATF_CHECK(strstr(F.log, "close(chan) close(dev) close(sock)") !=
	    NULL);
	for (i = 0; i < F.nopen; i++)
		close(F.pipes[i][1]);
	event_base_free(evb);
}

/*
 * Phase 0: the socket is made and bound before the OCRQ, so that call-up
 * only connects it (doc/linux-pptp.md §2.2); the preparation is used up by
 * open, replaced if it was for another call, and released on its own by
 * a dial that ends early.
 */
ATF_TC_WITHOUT_HEAD(prepare);
ATF_TC_BODY(prepare, tc)
{
	struct offload_prep *p;
	struct offload_session *s;
	struct offload_call call;
	struct offload_env env;
	struct event_base *evb;
	char err[256];
	int i;

	ATF_REQUIRE((evb = event_base_new()) != NULL);
	memset(&env, 0, sizeof(env));
	env.sys = &fake_sys;
	env.evb = evb;
	call_init(&call);

	/* Prepared, then opened: nothing but connect is left at call-up. */
	memset(&F, 0, sizeof(F));
	ATF_REQUIRE_EQ(kernel_engine()->prepare(&env, &call, &p, err,
	    sizeof(err)), 0);
	ATF_REQUIRE(p != NULL);
	ATF_CHECK_STREQ(F.log, "socket bind");
	ATF_CHECK_EQ(F.bound_call, 0x1234);
	F.log[0] = '\0';
	call.prep = p;
	ATF_REQUIRE_MSG((s = kernel_engine()->open(&env, &call, &ops,
	    NULL, err, sizeof(err))) != NULL, "%s", err);
	ATF_CHECK_STREQ(F.log, "connect GCHAN open open ATTCHAN NEWUNIT(-1) "
	    "CONNECT(4) ctlsock");
	ATF_CHECK_EQ(F.connected_call, 0x4321);
	F.log[0] = '\0';
	kernel_engine()->close(s, NULL);
	ATF_CHECK_STREQ(F.log, "close(chan) close(unit) close(sock) "
	    "close(ctl)");
	for (i = 0; i < F.nopen; i++)
		close(F.pipes[i][1]);

	/* Prepared for another call ID: released and done again. */
	memset(&F, 0, sizeof(F));
	ATF_REQUIRE_EQ(kernel_engine()->prepare(&env, &call, &p, err,
	    sizeof(err)), 0);
	call.prep = p;
	call.our_call_id = 0x5678;
	F.log[0] = '\0';
	ATF_REQUIRE_MSG((s = kernel_engine()->open(&env, &call, &ops,
	    NULL, err, sizeof(err))) != NULL, "%s", err);
	ATF_CHECK(strncmp(F.log, "close(sock) socket bind connect ", 32) ==
	    0);
	ATF_CHECK_EQ(F.bound_call, 0x5678);
	kernel_engine()->close(s, NULL);
	for (i = 0; i < F.nopen; i++)
		close(F.pipes[i][1]);
	call.our_call_id = 0x1234;

	/* Prepared, and open fails after connect: the socket still goes. */
	memset(&F, 0, sizeof(F));
	ATF_REQUIRE_EQ(kernel_engine()->prepare(&env, &call, &p, err,
	    sizeof(err)), 0);
	call.prep = p;
	F.open_errno = ENOENT;
	F.log[0] = '\0';
	ATF_CHECK(kernel_engine()->open(&env, &call, &ops, NULL, err,
	    sizeof(err)) == NULL);
	ATF_CHECK(strstr(err, "modprobe ppp_generic") != NULL);
	ATF_CHECK_STREQ(F.log, "connect GCHAN open close(sock)");

	/* A dial that ends before call-up frees the call ID. */
	memset(&F, 0, sizeof(F));
	ATF_REQUIRE_EQ(kernel_engine()->prepare(&env, &call, &p, err,
	    sizeof(err)), 0);
	kernel_engine()->unprepare(p);
	ATF_CHECK_STREQ(F.log, "socket bind close(sock)");

	/* Failures name the trouble and leave nothing behind. */
	memset(&F, 0, sizeof(F));
	F.bind_errno = EBUSY;
	ATF_CHECK_EQ(kernel_engine()->prepare(&env, &call, &p, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "kernel engine: call ID 4660 is taken by "
	    "another PPTP session on this host");
	ATF_CHECK_STREQ(F.log, "socket bind close(sock)");
	memset(&F, 0, sizeof(F));
	F.bind_errno = EADDRNOTAVAIL;
	ATF_CHECK_EQ(kernel_engine()->prepare(&env, &call, &p, err,
	    sizeof(err)), -1);
	ATF_CHECK(strstr(err, "bind PPTP socket") != NULL);
	memset(&F, 0, sizeof(F));
	F.socket_errno = EPROTONOSUPPORT;
	ATF_CHECK_EQ(kernel_engine()->prepare(&env, &call, &p, err,
	    sizeof(err)), -1);
	ATF_CHECK(strstr(err, "modprobe pptp") != NULL);
	ATF_CHECK_STREQ(F.log, "socket");
	event_base_free(evb);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, probe_this_host);
	ATF_TP_ADD_TC(tp, probe_dev_errors);
	ATF_TP_ADD_TC(tp, probe_pptp_errors);
	ATF_TP_ADD_TC(tp, probe_under_systemd);
	ATF_TP_ADD_TC(tp, probe_mppe_errors);
	ATF_TP_ADD_TC(tp, probe_ok);
	ATF_TP_ADD_TC(tp, registry);
	ATF_TP_ADD_TC(tp, session);
	ATF_TP_ADD_TC(tp, session_open_failures);
	ATF_TP_ADD_TC(tp, prepare);
	return atf_no_error();
}
