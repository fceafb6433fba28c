/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The Linux `kernel` engine: GRE in pptp.ko, PPP framing and the pppN
 * interface in ppp_generic, MPPE in ppp_mppe (doc/linux-pptp.md).
 *
 * Before our OCRQ (offload_prepare) the PPTP socket is made and bound to
 * our call ID and address; at call-up (offload_open) it is connected to
 * the server's, and a /dev/ppp channel and unit are made and joined, as
 * pppd does before LCP.  The server's first LCP Configure-Request follows
 * its OCRP at once, and pptp.ko drops GRE for a call it does not know
 * (§2.4): preparing leaves only connect() between reading the OCRP and
 * receiving, where socket, bind (and a module load) used to be.  From
 * then on the kernel owns GRE for the call; PPP's control frames travel as
 * [protocol][payload] on two descriptors, which the kernel demultiplexes
 * (§3.3): LCP and authentication (protocol >= 0xC000) on the channel,
 * IPCP and CCP on the unit, where ppp_generic snoops CCP to start MPPE.
 * The CCP hooks load the keys in pppd's order (§4.5): receive key before
 * our Configure-Request, send key before our Configure-Ack, SC_CCP_UP
 * only once CCP is opened.  Frames of protocol 0x00FD reaching the unit
 * are the kernel's "cannot decrypt" (§4.6): each one asks the tunnel for a
 * CCP Reset-Request, whose Reset-Ack clears the kernel's error latch.
 * ppp_generic cannot clamp TCP MSS; at attach an nf_tables table of ours
 * does (nft_mss.h), and it goes at close.  Nor does it drop a frame that
 * is not 0x00FD once MPPE runs: it hands cleartext IPv4 from anyone who
 * can spoof the server to the stack.  From CCP's start (before our first
 * Configure-Request) to its end, another table drops such GRE before
 * pptp.ko sees it, and counts it (nft_guard.h).
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_pppox.h>
#include <linux/ppp-ioctl.h>
#include <linux/ppp-comp.h>
#include <linux/ppp_defs.h>

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "nft_guard.h"
#include "nft_mss.h"
#include "offload.h"
#include "ppp.h"
#include "priv.h"
#include "tun.h"
#include "wansock.h"

#define KL_DEV		"/dev/ppp"
/* The largest frame we read or write: MRU 1500 is the ceiling, with room. */
#define KL_FRAME_MAX	4096
/* Each /dev/ppp queue holds 32 frames (PPP_MAX_RQLEN): drain one wakeup. */
#define KL_READ_BATCH	32
#define KL_MPPE_OPTLEN	(CILEN_MPPE + 16)	/* 22, what mppe_alloc wants */
/* The kernel's own state bits in PPPIOCGFLAGS; never written back. */
#define KL_STATE_BITS	(SC_COMP_RUN | SC_DECOMP_RUN | SC_DC_ERROR | \
			    SC_DC_FERROR)
#define KL_TAG_MAX	32

struct kl_session {
	struct offload_session	 base;	/* first: offload.c casts */
	const struct offload_sys *sys;
	const struct offload_ops *ops;
	void			*arg;
	char			 tag[KL_TAG_MAX];
	int			 sock;		/* AF_PPPOX, PX_PROTO_PPTP */
	int			 chan_fd;	/* /dev/ppp on the channel */
	int			 unit_fd;	/* /dev/ppp owning pppN */
	int			 ctl_fd;	/* AF_INET for SIOCGPPPSTATS */
	int			 unit;
	char			 ifname[OFFLOAD_IFNAME_MAX];
	struct event		*ev_chan;
	struct event		*ev_unit;
	int			 dead;		/* ops->failed() was called */
	int			 have_keys;
	int			 mss_clamped;	/* our nftables table exists */
	int			 guarded;	/* our cleartext guard exists */
	struct in_addr		 peer;		/* the server, for the guard */
	uint16_t		 our_call_id;
	uint64_t		 cleartext;	/* dropped by the guard so far */
	uint64_t		 cleartext_base; /* by guards now removed */
	uint8_t			 send_key[16];
	uint8_t			 recv_key[16];
	uint64_t		 tx_errors;	/* frames the kernel refused */
	uint64_t		 rx_dc_errors;	/* 0x00FD frames seen */
	uint8_t			 buf[KL_FRAME_MAX];
};

/*
 * /dev/ppp and the AF_PPPOX socket need root: a split pptpcd's parent
 * opens them and passes the descriptors (priv.h).  PPPIOCNEWUNIT and
 * PPPIOCATTCHAN are checked for CAP_NET_ADMIN at the call, so the parent
 * makes them too (sys_ioctl(), kl_open()); the rest (connect,
 * PPPIOCCONNECT, ...) the engine does itself.
 */
static int
sys_open(const char *path, int flags)
{
	if (priv_separated())
		return priv_open_dev(path, flags);
	return open(path, flags);
}

/* The probe's socket: made for no tunnel (kl_bound_socket() names one). */
static int
sys_socket(int domain, int type, int protocol)
{
	if (priv_separated() && domain == AF_PPPOX)
		return priv_socket(NULL, domain, type, protocol);
	return socket(domain, type, protocol);
}

/* nf_tables needs CAP_NET_ADMIN: through the parent when split. */
static int
kl_nft(const struct kl_session *k, int op, uint16_t mss, uint64_t *value,
    char *err, size_t errlen)
{
	struct in_addr none;

	none.s_addr = INADDR_ANY;
	if (priv_separated() && k == NULL)
		return priv_nft(NULL, op, "", 0, none, 0, value, err, errlen);
	if (priv_separated())
		return priv_nft(k->tag, op, k->ifname, mss, k->peer,
		    k->our_call_id, value, err, errlen);
	switch (op) {
	case PRIV_NFT_MSS_ADD:
		return nft_mss_clamp_add(k->ifname, mss, err, errlen);
	case PRIV_NFT_MSS_DEL:
		return nft_mss_clamp_del(k->ifname, err, errlen);
	case PRIV_NFT_SWEEP:
		return nft_mss_sweep(err, errlen);
	case PRIV_NFT_GUARD_ADD:
		return nft_guard_add(k->ifname, k->peer, k->our_call_id, err,
		    errlen);
	case PRIV_NFT_GUARD_DEL:
		return nft_guard_del(k->ifname, err, errlen);
	case PRIV_NFT_GUARD_DROPPED:
		return nft_guard_dropped(k->ifname, value, err, errlen);
	}
	errno = EINVAL;
	return -1;
}

static int
sys_ioctl(int fd, unsigned long req, void *arg)
{
	/* Checked for CAP_NET_ADMIN at the call: the parent's to make. */
	if (priv_separated() && req == PPPIOCNEWUNIT)
		return priv_ppp_newunit(fd, arg);
	return ioctl(fd, req, arg);
}

static const struct offload_sys real_sys = {
	.open = sys_open,
	.socket = sys_socket,
	.ioctl = sys_ioctl,
	.close = close,
	.sysctl = NULL,
	.bind = bind,
	.connect = connect,
	.read = read,
	.write = write,
};

static const struct offload_sys *
kl_sys(const struct offload_sys *sys)
{
	return sys != NULL ? sys : &real_sys;
}

static void
errno_msg(char *buf, size_t len, const char *what, int errnum)
{
	snprintf(buf, len, "%s: %s", what, strerror(errnum));
}

/*
 * Started by systemd (it sets INVOCATION_ID for every service it runs):
 * then a refused or missing /dev/ppp or AF_PPPOX is most likely the
 * unit's sandbox (etc/pptpcd.service: PrivateDevices=, DeviceAllow=,
 * RestrictAddressFamilies=), not the kernel, and the hint names the
 * setting.  The drop-in etc/pptpcd-kernel-engine.conf allows both.
 */
static int
under_systemd(void)
{
	const char *id = getenv("INVOCATION_ID");

	return id != NULL && id[0] != '\0';
}

/*
 * The probe's words.  Each failure names the module to load, or the
 * unit's setting, because that is what an administrator can do about
 * it (§6).
 */
static void
why_dev(char *why, size_t len, int e)
{
	switch (e) {
	case ENOENT:
		if (under_systemd())
			snprintf(why, len, "%s is missing: the systemd unit "
			    "hides it (PrivateDevices=yes: add BindPaths=-%s "
			    "and DeviceAllow=%s rw, the drop-in "
			    "pptpcd-kernel-engine.conf), or load ppp_generic",
			    KL_DEV, KL_DEV, KL_DEV);
		else
			snprintf(why, len, "%s is missing: load ppp_generic "
			    "(modprobe ppp_generic), or create the node "
			    "(mknod %s c 108 0)", KL_DEV, KL_DEV);
		break;
	case ENODEV:
	case ENXIO:
		snprintf(why, len, "%s has no driver: load ppp_generic "
		    "(modprobe ppp_generic)", KL_DEV);
		break;
	case EPERM:
	case EACCES:
		if (under_systemd())
			snprintf(why, len, "%s refused: %s: the systemd unit "
			    "does not allow it (DeviceAllow=%s rw, the "
			    "drop-in pptpcd-kernel-engine.conf)", KL_DEV,
			    strerror(e), KL_DEV);
		else
			snprintf(why, len, "%s: %s (pptpcd needs root or "
			    "CAP_NET_ADMIN)", KL_DEV, strerror(e));
		break;
	default:
		snprintf(why, len, "%s: %s", KL_DEV, strerror(e));
		break;
	}
}

static void
why_sock(char *why, size_t len, int e)
{
	switch (e) {
	case EAFNOSUPPORT:
		if (under_systemd())
			snprintf(why, len, "AF_PPPOX refused: the systemd "
			    "unit does not allow it (RestrictAddressFamilies="
			    "AF_PPPOX, the drop-in pptpcd-kernel-engine.conf), "
			    "or the kernel lacks it (modprobe pptp)");
		else
			snprintf(why, len, "no PPPoX sockets in the kernel: "
			    "load pptp (modprobe pptp, which brings pppox "
			    "and gre)");
		break;
	case EPROTONOSUPPORT:
	case EPROTOTYPE:
		snprintf(why, len, "PPPoX has no PPTP: load pptp "
		    "(modprobe pptp; it needs gre, and GRE version 1 must "
		    "not be taken by another driver)");
		break;
	case EPERM:
	case EACCES:
		if (under_systemd())
			snprintf(why, len, "AF_PPPOX refused: %s: the "
			    "systemd unit does not allow it "
			    "(RestrictAddressFamilies=AF_PPPOX, the drop-in "
			    "pptpcd-kernel-engine.conf)", strerror(e));
		else
			snprintf(why, len, "PPTP socket: %s (pptpcd needs "
			    "root or CAP_NET_ADMIN)", strerror(e));
		break;
	default:
		snprintf(why, len, "PPTP socket: %s", strerror(e));
		break;
	}
}

static void
why_mppe(char *why, size_t len, int e)
{
	if (e == EINVAL)
		/* No compressor 18: missing, not loadable, or FIPS mode. */
		snprintf(why, len, "MPPE is missing in the kernel: load "
		    "ppp_mppe (modprobe ppp_mppe; it refuses to load in "
		    "FIPS mode)");
	else
		snprintf(why, len, "MPPE (PPPIOCSCOMPRESS): %s",
		    strerror(e));
}

/* The option PPPIOCSCOMPRESS takes: CI_MPPE, 6, the bits, the key. */
static void
mppe_option(uint8_t opt[KL_MPPE_OPTLEN], uint32_t bits, const uint8_t *key)
{
	struct wbuf w;

	wbuf_init(&w, opt, KL_MPPE_OPTLEN);
	wbuf_u8(&w, CI_MPPE);
	wbuf_u8(&w, CILEN_MPPE);
	wbuf_u32(&w, bits);
	if (key != NULL)
		wbuf_bytes(&w, key, 16);
	else
		memset(opt + CILEN_MPPE, 0, 16);
}

static int
kl_probe(const struct offload_sys *sys, char *why, size_t len)
{
	struct ppp_option_data od;
	uint8_t opt[KL_MPPE_OPTLEN];
	int fd, s, unit, rc = -1;

	sys = kl_sys(sys);
	if ((fd = sys->open(KL_DEV, O_RDWR | O_CLOEXEC)) == -1) {
		why_dev(why, len, errno);
		return -1;
	}
	if ((s = sys->socket(AF_PPPOX, SOCK_STREAM | SOCK_CLOEXEC,
	    PX_PROTO_PPTP)) == -1) {
		why_sock(why, len, errno);
		goto out;
	}
	sys->close(s);

	/*
	 * ppp_mppe is looked up when a key is set, on a unit: make a
	 * throw-away pppN (gone when fd closes) and set a dummy receive
	 * key, as pppd's ccp_resetci() does.
	 */
	unit = -1;
	if (sys->ioctl(fd, PPPIOCNEWUNIT, &unit) == -1) {
		snprintf(why, len, "%s: cannot make a ppp unit "
		    "(PPPIOCNEWUNIT): %s", KL_DEV, strerror(errno));
		goto out;
	}
	mppe_option(opt, 0x01000040U, NULL);	/* H|S: 128 stateless */
	memset(&od, 0, sizeof(od));
	od.ptr = opt;
	od.length = sizeof(opt);
	od.transmit = 0;
	/* ENOBUFS is "known compressor, parameters refused": it exists. */
	if (sys->ioctl(fd, PPPIOCSCOMPRESS, &od) == -1 && errno != ENOBUFS) {
		why_mppe(why, len, errno);
		goto out;
	}
	if (len > 0)
		why[0] = '\0';
	rc = 0;
 out:
	sys->close(fd);
	return rc;
}

/*
 * Splits a frame from PPP (FF 03 optional, protocol 1 or 2 bytes) into
 * its protocol and payload.  -1 if it is empty or malformed.
 */
static int
frame_split(const uint8_t *frame, size_t len, uint16_t *proto,
    const uint8_t **payload, size_t *plen)
{
	struct rbuf r;
	uint8_t b0, b1;

	rbuf_init(&r, frame, len);
	if (len >= 2 && frame[0] == 0xff && frame[1] == 0x03)
		rbuf_skip(&r, 2);
	if (rbuf_u8(&r, &b0) == -1)
		return -1;
	if (b0 & 1)
		*proto = b0;		/* PFC: one byte, odd */
	else {
		if (rbuf_u8(&r, &b1) == -1 || (b1 & 1) == 0)
			return -1;	/* RFC 1661 §2: the last byte is odd */
		*proto = (uint16_t)(b0 << 8 | b1);
	}
	*plen = rbuf_left(&r);
	*payload = rbuf_take(&r, *plen);
	return *payload == NULL ? -1 : 0;
}

static void
kl_fail(struct kl_session *k, const char *why)
{
	if (k->dead)
		return;
	k->dead = 1;
	/* Stop reading: the tunnel closes us from the event loop. */
	if (k->ev_chan != NULL)
		event_del(k->ev_chan);
	if (k->ev_unit != NULL)
		event_del(k->ev_unit);
	k->ops->failed(k->arg, why);
}

/* A 0x00FD frame on the unit: the kernel could not decrypt (§4.6). */
static void
kl_decrypt_error(struct kl_session *k)
{
	int flags;

	k->rx_dc_errors++;
	if (k->sys->ioctl(k->unit_fd, PPPIOCGFLAGS, &flags) == 0 &&
	    (flags & SC_DC_FERROR)) {
		kl_fail(k, "too many MPPE errors in the kernel (ppp_mppe "
		    "gave up)");
		return;
	}
	/* PPP rate-limits the Reset-Requests; each frame may ask. */
	k->ops->reset_needed(k->arg);
}

static void
kl_readable(evutil_socket_t fd, short what, void *arg)
{
	struct kl_session *k = arg;
	uint16_t proto;
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < KL_READ_BATCH && !k->dead; i++) {
		n = k->sys->read(fd, k->buf, sizeof(k->buf));
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (errno == ENXIO) {	/* pppd: the same as EOF */
				kl_fail(k, "the kernel closed the PPP channel");
				return;
			}
			/* EOVERFLOW: a frame over KL_FRAME_MAX, dropped. */
			log_warn("%s: read %s", k->tag, fd == k->chan_fd ?
			    "channel" : "unit");
			continue;
		}
		if (n == 0) {
			kl_fail(k, "the kernel closed the PPP channel");
			return;
		}
		if (n < 2) {
			log_debug("%s: %zd-byte frame from the kernel "
			    "dropped", k->tag, n);
			continue;
		}
		proto = (uint16_t)(k->buf[0] << 8 | k->buf[1]);
		if (proto == PPP_COMP && fd == k->unit_fd) {
			kl_decrypt_error(k);
			continue;
		}
		/* [protocol][payload] is a frame ppp_input() accepts. */
		k->ops->frame(k->arg, k->buf, (size_t)n);
	}
}

static int
kl_nonblock(const struct offload_sys *sys, int fd)
{
	int one = 1;

	return sys->ioctl(fd, FIONBIO, &one);
}

/* "ppp3" asks for unit 3; anything else takes the first free unit. */
static int
wanted_unit(const char *want)
{
	char *end;
	long u;

	if (want == NULL || strncmp(want, "ppp", 3) != 0 || want[3] == '\0')
		return -1;
	errno = 0;
	u = strtol(want + 3, &end, 10);
	if (*end != '\0' || errno != 0 || u < 0 || u > 65535)
		return -1;
	return (int)u;
}

/* The pptp socket between offload_prepare() and offload_open(). */
struct kl_prep {
	struct offload_prep	 base;	/* first: offload.c casts */
	const struct offload_sys *sys;
	int			 sock;	/* bound, not connected */
	uint16_t		 call_id;
	struct in_addr		 local;
};

union kl_sockaddr {
	struct sockaddr		sa;
	struct sockaddr_pppox	pp;	/* packed: reach it via sa */
};

static void
kl_sockaddr(union kl_sockaddr *sp, uint16_t call_id, struct in_addr addr)
{
	/* Call IDs are host order in sockaddr_pppox (§2.1). */
	memset(sp, 0, sizeof(*sp));
	sp->pp.sa_family = AF_PPPOX;
	sp->pp.sa_protocol = PX_PROTO_PPTP;
	sp->pp.sa_addr.pptp.call_id = call_id;
	sp->pp.sa_addr.pptp.sin_addr = addr;
}

/* Steps 1-2 of §2.2: a pptp socket bound to our call; -1 on failure. */
static int
kl_bound_socket(const struct offload_sys *sys, const struct offload_call *call,
    char *err, size_t errlen)
{
	union kl_sockaddr sp;
	int s;

	/*
	 * Split, the parent remembers the socket as the tunnel's: the only
	 * one whose channel it will attach (priv_ppp_attchan()).
	 */
	if ((s = priv_separated() ? priv_socket(call->tag, AF_PPPOX,
	    SOCK_STREAM | SOCK_CLOEXEC, PX_PROTO_PPTP) : sys->socket(AF_PPPOX,
	    SOCK_STREAM | SOCK_CLOEXEC, PX_PROTO_PPTP)) == -1) {
		why_sock(err, errlen, errno);
		return -1;
	}
	/*
	 * pptp.ko routes its GRE by the socket's mark since Linux 6.5 (and
	 * the stable kernels that took the fix, doc/linux-pptp.md §2.3);
	 * before, by the bound source address alone.
	 */
	if (call->fwmark != 0 && (priv_separated() ? priv_sock_mark(call->tag,
	    s, err, errlen) : wansock_mark(s, call->fwmark, err,
	    errlen)) == -1) {
		sys->close(s);
		return -1;
	}
	kl_sockaddr(&sp, call->our_call_id, call->local);
	if (sys->bind(s, &sp.sa, sizeof(sp.pp)) == -1) {
		if (errno == EBUSY)
			snprintf(err, errlen, "kernel engine: call ID %u is "
			    "taken by another PPTP session on this host",
			    call->our_call_id);
		else
			errno_msg(err, errlen, "kernel engine: bind "
			    "PPTP socket", errno);
		sys->close(s);
		return -1;
	}
	return s;
}

static int
kl_prepare(const struct offload_env *env, const struct offload_call *call,
    struct offload_prep **out, char *err, size_t errlen)
{
	struct kl_prep *p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		errno_msg(err, errlen, "kernel engine", errno);
		return -1;
	}
	p->sys = kl_sys(env->sys);
	if ((p->sock = kl_bound_socket(p->sys, call, err, errlen)) == -1) {
		free(p);
		return -1;
	}
	p->call_id = call->our_call_id;
	p->local = call->local;
	*out = &p->base;
	return 0;
}

static void
kl_unprepare(struct offload_prep *op)
{
	struct kl_prep *p = (struct kl_prep *)op;

	/* Frees the call ID in pptp.ko. */
	p->sys->close(p->sock);
	free(p);
}

/*
 * The prepared socket if it is for this call, else -1; either way the
 * preparation is used up.
 */
static int
kl_take_prep(struct offload_prep *op, const struct offload_call *call)
{
	struct kl_prep *p = (struct kl_prep *)op;
	int s;

	if (p == NULL)
		return -1;
	if (p->call_id != call->our_call_id ||
	    p->local.s_addr != call->local.s_addr) {
		kl_unprepare(op);
		return -1;
	}
	s = p->sock;
	free(p);
	return s;
}

static void kl_close(struct offload_session *, struct offload_stats *);

static struct offload_session *
kl_open(const struct offload_env *env, const struct offload_call *call,
    const struct offload_ops *ops, void *arg, char *err, size_t errlen)
{
	union kl_sockaddr sp;
	struct kl_session *k;
	const char *what;
	char why[160];
	int chan, unit, prepared;

	prepared = kl_take_prep(call->prep, call);
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		errno_msg(err, errlen, "kernel engine", errno);
		if (prepared != -1)
			kl_sys(env->sys)->close(prepared);
		return NULL;
	}
	k->sys = kl_sys(env->sys);
	k->ops = ops;
	k->arg = arg;
	k->sock = k->chan_fd = k->unit_fd = k->ctl_fd = -1;
	snprintf(k->tag, sizeof(k->tag), "%s", call->tag);
	k->peer = call->peer;
	k->our_call_id = call->our_call_id;

	/* Unprepared (or prepared for another call): do it now. */
	if ((k->sock = prepared) == -1 &&
	    (k->sock = kl_bound_socket(k->sys, call, err, errlen)) == -1)
		goto fail;
	/*
	 * First: from connect() on pptp.ko accepts the call's GRE (§2.4)
	 * and ppp_generic queues its LCP on the channel until we read it
	 * (§3.3); before, the server's first Configure-Request is dropped.
	 */
	kl_sockaddr(&sp, call->peer_call_id, call->peer);
	if (k->sys->connect(k->sock, &sp.sa, sizeof(sp.pp)) == -1) {
		errno_msg(err, errlen, "kernel engine: connect PPTP "
		    "socket", errno);
		goto fail;
	}
	if (priv_separated()) {
		/*
		 * The parent attaches a /dev/ppp of its own to the channel
		 * it reads from this socket, and passes it (priv.h).
		 */
		if ((k->chan_fd = priv_ppp_attchan(k->tag, k->sock, why,
		    sizeof(why))) == -1) {
			snprintf(err, errlen, "kernel engine: %s", why);
			goto fail;
		}
		if ((k->unit_fd = k->sys->open(KL_DEV, O_RDWR |
		    O_CLOEXEC)) == -1) {
			why_dev(err, errlen, errno);
			goto fail;
		}
	} else {
		what = "PPPIOCGCHAN";
		if (k->sys->ioctl(k->sock, PPPIOCGCHAN, &chan) == -1)
			goto fail_ioctl;
		if ((k->chan_fd = k->sys->open(KL_DEV, O_RDWR |
		    O_CLOEXEC)) == -1 || (k->unit_fd = k->sys->open(KL_DEV,
		    O_RDWR | O_CLOEXEC)) == -1) {
			why_dev(err, errlen, errno);
			goto fail;
		}
		what = "PPPIOCATTCHAN";
		if (k->sys->ioctl(k->chan_fd, PPPIOCATTCHAN, &chan) == -1)
			goto fail_ioctl;
	}
	unit = wanted_unit(call->ifname_want);
	what = "PPPIOCNEWUNIT";
	if (k->sys->ioctl(k->unit_fd, PPPIOCNEWUNIT, &unit) == -1) {
		if (errno != EEXIST || unit == -1)
			goto fail_ioctl;
		/* pppd does the same when the wanted unit is taken. */
		log_warnx("%s: %s is taken, using the first free ppp unit",
		    k->tag, call->ifname_want);
		unit = -1;
		if (k->sys->ioctl(k->unit_fd, PPPIOCNEWUNIT, &unit) == -1)
			goto fail_ioctl;
	}
	k->unit = unit;
	snprintf(k->ifname, sizeof(k->ifname), "ppp%d", unit);
	/*
	 * Split: the parent learns pppN now, from the unit itself, since
	 * CCP (the cleartext guard) comes before the attach.
	 */
	what = "the parent";
	if (priv_separated() && priv_iface_claim(k->tag, k->ifname,
	    k->unit_fd, err, errlen) == -1)
		goto fail;
	what = "PPPIOCCONNECT";
	if (k->sys->ioctl(k->chan_fd, PPPIOCCONNECT, &unit) == -1)
		goto fail_ioctl;
	what = "FIONBIO";
	if (kl_nonblock(k->sys, k->chan_fd) == -1 ||
	    kl_nonblock(k->sys, k->unit_fd) == -1)
		goto fail_ioctl;
	if ((k->ctl_fd = k->sys->socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC,
	    0)) == -1) {
		errno_msg(err, errlen, "kernel engine: socket", errno);
		goto fail;
	}

	if ((k->ev_chan = event_new(env->evb, k->chan_fd, EV_READ | EV_PERSIST,
	    kl_readable, k)) == NULL ||
	    (k->ev_unit = event_new(env->evb, k->unit_fd, EV_READ | EV_PERSIST,
	    kl_readable, k)) == NULL ||
	    event_add(k->ev_chan, NULL) == -1 ||
	    event_add(k->ev_unit, NULL) == -1) {
		snprintf(err, errlen, "kernel engine: cannot watch %s",
		    KL_DEV);
		goto fail;
	}
	log_info("%s: kernel engine: call %u/%u on %s", k->tag,
	    call->our_call_id, call->peer_call_id, k->ifname);
	return &k->base;

 fail_ioctl:
	snprintf(err, errlen, "kernel engine: %s: %s", what, strerror(errno));
 fail:
	kl_close(&k->base, NULL);
	return NULL;
}

static int
kl_send_frame(struct offload_session *s, const uint8_t *frame, size_t len)
{
	struct kl_session *k = (struct kl_session *)s;
	const uint8_t *payload;
	uint16_t proto;
	size_t plen;
	int fd;

	if (k->dead)
		return -1;
	if (frame_split(frame, len, &proto, &payload, &plen) == -1 ||
	    plen > sizeof(k->buf) - 2) {
		k->tx_errors++;
		log_debug("%s: malformed or oversized %zu-byte frame not "
		    "sent", k->tag, len);
		return -1;
	}
	/*
	 * The kernel's rule (§3.3): link protocols (>= 0xC000) go straight
	 * to the channel; the rest through the unit, where CCP is snooped.
	 */
	fd = proto >= 0xc000 || proto == PPP_CCPFRAG ? k->chan_fd :
	    k->unit_fd;
	k->buf[0] = proto >> 8;
	k->buf[1] = proto & 0xff;
	memcpy(k->buf + 2, payload, plen);
	if (k->sys->write(fd, k->buf, plen + 2) == -1) {
		/* PPP retransmits what matters; a full queue is transient. */
		k->tx_errors++;
		if (errno != EAGAIN)
			log_warn("%s: write to the PPP %s", k->tag,
			    fd == k->chan_fd ? "channel" : "unit");
		return -1;
	}
	return 0;
}

/* Read-modify-write of the unit's flags, without the kernel's state bits. */
static int
kl_flags(struct kl_session *k, int set, int clear)
{
	int flags;

	if (k->sys->ioctl(k->unit_fd, PPPIOCGFLAGS, &flags) == -1)
		return -1;
	/* SC_DC_ERROR is SC_MUST_COMP's value: never write it back. */
	flags &= ~KL_STATE_BITS;
	flags = (flags | set) & ~clear;
	return k->sys->ioctl(k->unit_fd, PPPIOCSFLAGS, &flags);
}

static int
kl_set_key(struct kl_session *k, int transmit, uint32_t bits,
    const uint8_t *key)
{
	struct ppp_option_data od;
	uint8_t opt[KL_MPPE_OPTLEN];
	int rc, e;

	mppe_option(opt, bits, key);
	memset(&od, 0, sizeof(od));
	od.ptr = opt;
	od.length = sizeof(opt);
	od.transmit = transmit;
	rc = k->sys->ioctl(k->unit_fd, PPPIOCSCOMPRESS, &od);
	e = errno;
	explicit_bzero(opt, sizeof(opt));
	errno = e;
	return rc;
}

static void
kl_wipe_keys(struct kl_session *k)
{
	explicit_bzero(k->send_key, sizeof(k->send_key));
	explicit_bzero(k->recv_key, sizeof(k->recv_key));
	k->have_keys = 0;
}

/*
 * The cleartext guard (nft_guard.h), from CCP's start to its end: with
 * MPPE on, nothing but 0x00FD and control protocols may come from the
 * server.  Like the MSS clamp, a failure costs the guard, not the
 * session, and says so.
 */
static void
kl_guard(struct kl_session *k)
{
	char err[OFFLOAD_WHY_MAX];
	int n;

	if (k->guarded)
		return;
	/* What a killed pptpcd left would drop others' traffic. */
	if ((n = kl_nft(NULL, PRIV_NFT_SWEEP, 0, NULL, err,
	    sizeof(err))) > 0)
		log_info("%s: removed %d nftables table(s) of pptpcd's whose "
		    "interface is gone", k->tag, n);
	if (kl_nft(k, PRIV_NFT_GUARD_ADD, 0, NULL, err, sizeof(err)) == -1) {
		log_warnx("%s: kernel engine: unencrypted frames from the "
		    "server are not dropped (%s); ppp_generic delivers them "
		    "on %s", k->tag, err, k->ifname);
		return;
	}
	k->guarded = 1;
	k->cleartext = 0;
	log_info("%s: cleartext guard on %s (nftables table %s%s)", k->tag,
	    k->ifname, NFT_GUARD_TABLE_PREFIX, k->ifname);
}

/* Reads the guard's counter into k->cleartext; quiet on failure. */
static void
kl_guard_read(struct kl_session *k)
{
	char err[OFFLOAD_WHY_MAX];
	uint64_t n;

	if (k->guarded && kl_nft(k, PRIV_NFT_GUARD_DROPPED, 0, &n, err,
	    sizeof(err)) == 0)
		k->cleartext = n;
}

static void
kl_unguard(struct kl_session *k)
{
	char err[OFFLOAD_WHY_MAX];

	if (!k->guarded)
		return;
	kl_guard_read(k);
	k->cleartext_base += k->cleartext;
	k->cleartext = 0;
	k->guarded = 0;
	if (kl_nft(k, PRIV_NFT_GUARD_DEL, 0, NULL, err, sizeof(err)) == -1)
		log_warnx("%s: kernel engine: %s", k->tag, err);
}

static int
kl_ccp(struct offload_session *s, enum offload_ccp_event ev,
    const struct offload_mppe *m, char *err, size_t errlen)
{
	struct kl_session *k = (struct kl_session *)s;
	const char *what;

	switch (ev) {
	case OFFLOAD_CCP_OPEN:
		if (m == NULL) {
			snprintf(err, errlen, "kernel engine: CCP opens "
			    "without MPPE keys");
			return -1;
		}
		memcpy(k->send_key, m->send_key, sizeof(k->send_key));
		memcpy(k->recv_key, m->recv_key, sizeof(k->recv_key));
		k->have_keys = 1;
		/* Before the server can send its first encrypted frame. */
		kl_guard(k);
		/* pppd: SC_CCP_OPEN, then the receive key, then ConfReq. */
		what = "PPPIOCSFLAGS";
		if (kl_flags(k, SC_CCP_OPEN, SC_CCP_UP) == -1)
			goto fail;
		if (kl_set_key(k, 0, m->rx_bits, k->recv_key) == -1) {
			why_mppe(err, errlen, errno);
			return -1;
		}
		return 0;
	case OFFLOAD_CCP_ACK:
		/*
		 * The send key must be in before our Configure-Ack passes
		 * the unit: the kernel starts its compressor on seeing it.
		 */
		if (!k->have_keys) {
			snprintf(err, errlen, "kernel engine: CCP acks "
			    "without MPPE keys (CCP was not opened)");
			return -1;
		}
		if (kl_set_key(k, 1, m != NULL ? m->tx_bits : 0,
		    k->send_key) == -1) {
			why_mppe(err, errlen, errno);
			return -1;
		}
		return 0;
	case OFFLOAD_CCP_UP:
		/* Last, or the kernel ignores the Configure-Acks (§4.4). */
		what = "PPPIOCSFLAGS";
		if (kl_flags(k, SC_CCP_OPEN | SC_CCP_UP, 0) == -1)
			goto fail;
		/* The kernel holds the keys now; pppd wipes here too. */
		kl_wipe_keys(k);
		return 0;
	case OFFLOAD_CCP_DOWN:
		what = "PPPIOCSFLAGS";
		if (kl_flags(k, SC_CCP_OPEN, SC_CCP_UP) == -1)
			goto fail;
		return 0;
	case OFFLOAD_CCP_CLOSED:
		/* Clearing SC_CCP_OPEN frees both kernel MPPE states. */
		kl_wipe_keys(k);
		/* No MPPE, no rule: a link without it carries IP in clear. */
		kl_unguard(k);
		what = "PPPIOCSFLAGS";
		if (kl_flags(k, 0, SC_CCP_OPEN | SC_CCP_UP) == -1)
			goto fail;
		return 0;
	}
	snprintf(err, errlen, "kernel engine: CCP event %d unknown", (int)ev);
	return -1;
 fail:
	snprintf(err, errlen, "kernel engine: %s: %s", what, strerror(errno));
	return -1;
}

static void
kl_mss_unclamp(struct kl_session *k)
{
	char err[OFFLOAD_WHY_MAX];

	if (!k->mss_clamped)
		return;
	k->mss_clamped = 0;
	if (kl_nft(k, PRIV_NFT_MSS_DEL, 0, NULL, err, sizeof(err)) == -1)
		log_warnx("%s: kernel engine: %s", k->tag, err);
}

/*
 * ppp_generic has no MSS clamp, so nf_tables does it (nft_mss.h).  A
 * failure costs the clamp, not the session: the tunnel works, only some
 * TCP through it may stall, and the warning (and pptpctl's tcp_mss)
 * says so.  Returns the MSS now clamped to, 0 for none.
 */
static uint16_t
kl_mss_clamp(struct kl_session *k, uint16_t mss)
{
	char err[OFFLOAD_WHY_MAX];
	int n;

	if (mss == 0) {
		/* A renegotiation that turned the clamp off. */
		kl_mss_unclamp(k);
		return 0;
	}
	/* What a killed pptpcd left would clamp others' interfaces. */
	if ((n = kl_nft(NULL, PRIV_NFT_SWEEP, 0, NULL, err,
	    sizeof(err))) > 0)
		log_info("%s: removed %d nftables table(s) of pptpcd's whose "
		    "interface is gone", k->tag, n);
	if (kl_nft(k, PRIV_NFT_MSS_ADD, mss, NULL, err, sizeof(err)) == -1) {
		log_warnx("%s: kernel engine: TCP MSS is not clamped (%s); "
		    "add a TCPMSS rule for %s", k->tag, err, k->ifname);
		return 0;
	}
	k->mss_clamped = 1;
	log_info("%s: TCP MSS clamped to %u on %s (nftables table %s%s)",
	    k->tag, mss, k->ifname, NFT_MSS_TABLE_PREFIX, k->ifname);
	return mss;
}

static int
kl_attach(struct offload_session *s, struct offload_attach *a, char *err,
    size_t errlen)
{
	struct kl_session *k = (struct kl_session *)s;
	struct npioctl npi;
	int mru;

	/*
	 * The unit's MRU sizes the kernel's decryption buffer; too small
	 * and every large packet is a decryption error (§5).
	 */
	mru = a->link != NULL ? a->link->mru : 0;
	if (mru < PPP_MRU)
		mru = PPP_MRU;
	if (k->sys->ioctl(k->unit_fd, PPPIOCSMRU, &mru) == -1) {
		errno_msg(err, errlen, "kernel engine: PPPIOCSMRU", errno);
		return -1;
	}
	/* pppd's ipcp_up order: address, up, then NP mode pass. */
	if (priv_separated()) {
		/* The parent learns pppN from the unit itself. */
		if (priv_iface_claim(k->tag, k->ifname, k->unit_fd, err,
		    errlen) == -1 ||
		    priv_iface_set_mtu(k->tag, k->ifname, a->mtu, err,
		    errlen) == -1 ||
		    priv_iface_set_addr(k->tag, k->ifname, a->local, a->peer,
		    err, errlen) == -1 ||
		    priv_iface_set_up(k->tag, k->ifname, 1, err, errlen) == -1)
			return -1;
	} else if (iface_set_mtu(k->ifname, a->mtu, err, errlen) == -1 ||
	    iface_set_addr(k->ifname, a->local, a->peer, err, errlen) == -1 ||
	    iface_set_up(k->ifname, 1, err, errlen) == -1)
		return -1;
	/* Before NPMODE_PASS, so that no SYN passes unclamped. */
	a->mss = kl_mss_clamp(k, a->mss);
	npi.protocol = PPP_IP;
	npi.mode = NPMODE_PASS;
	if (k->sys->ioctl(k->unit_fd, PPPIOCSNPMODE, &npi) == -1) {
		errno_msg(err, errlen, "kernel engine: PPPIOCSNPMODE",
		    errno);
		kl_mss_unclamp(k);
		return -1;
	}
	/*
	 * IPv6CP is up: pppN carries 0x0057 natively once its NP mode
	 * passes (the unit starts with every protocol's mode at drop, so
	 * without IPv6CP IPv6 stays out).  The cleartext guard drops
	 * unencrypted IPv6 under MPPE as it does IPv4 (nft_guard-linux.c:
	 * any protocol below 0x8000 but MPPE's).
	 */
	if (a->link != NULL && a->link->ipv6) {
		npi.protocol = PPP_IPV6;
		npi.mode = NPMODE_PASS;
		if (k->sys->ioctl(k->unit_fd, PPPIOCSNPMODE, &npi) == -1) {
			errno_msg(err, errlen, "kernel engine: PPPIOCSNPMODE "
			    "(IPv6)", errno);
			kl_mss_unclamp(k);
			return -1;
		}
	}
	snprintf(a->ifname, sizeof(a->ifname), "%s", k->ifname);
	return 0;
}

static void
kl_mppe_reset(struct offload_session *s)
{
	/*
	 * Nothing to do: PPP answers the Reset-Request with a Reset-Ack on
	 * the unit, and the kernel resets its compressor as it passes.
	 */
	(void)s;
}

static void
kl_get_stats(struct offload_session *s, struct offload_stats *st)
{
	struct kl_session *k = (struct kl_session *)s;
	struct ppp_stats ps;
	struct ppp_idle64 idle;
	struct ifreq ifr;

	st->tx_errors = k->tx_errors;
	st->rx_errors = k->rx_dc_errors;
	st->rx_idle_s = -1;
	kl_guard_read(k);
	/* Counted only where the guard stands (or stood): else unknown. */
	if (k->guarded || k->cleartext_base > 0)
		st->cleartext_dropped = k->cleartext_base + k->cleartext;
	if (k->ctl_fd == -1 || k->unit_fd == -1)
		return;
	memset(&ifr, 0, sizeof(ifr));
	memset(&ps, 0, sizeof(ps));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", k->ifname);
	ifr.ifr_data = (char *)&ps;
	if (k->sys->ioctl(k->ctl_fd, SIOCGPPPSTATS, &ifr) == 0) {
		/* 32-bit kernel counters: they wrap after 4 GB. */
		st->tx_packets = ps.p.ppp_opackets;
		st->tx_bytes = ps.p.ppp_obytes;
		st->tx_errors += ps.p.ppp_oerrors;
		st->rx_packets = ps.p.ppp_ipackets;
		st->rx_bytes = ps.p.ppp_ibytes;
		st->rx_errors += ps.p.ppp_ierrors;
	}
	if (k->sys->ioctl(k->unit_fd, PPPIOCGIDLE64, &idle) == 0)
		st->rx_idle_s = idle.recv_idle;
}

static void
kl_close(struct offload_session *s, struct offload_stats *final)
{
	struct kl_session *k = (struct kl_session *)s;

	if (final != NULL)
		kl_get_stats(s, final);
	if (k->ev_chan != NULL)
		event_free(k->ev_chan);
	if (k->ev_unit != NULL)
		event_free(k->ev_unit);
	kl_wipe_keys(k);
	/* The table matches pppN by name: leave none to the next pppN. */
	kl_mss_unclamp(k);
	kl_unguard(k);
	/*
	 * pppd's order (§3.5): the channel, then the unit (which removes
	 * pppN), then the PPTP socket (which frees the call ID).
	 */
	if (k->chan_fd != -1)
		k->sys->close(k->chan_fd);
	if (k->unit_fd != -1)
		k->sys->close(k->unit_fd);
	if (k->sock != -1)
		k->sys->close(k->sock);
	if (k->ctl_fd != -1)
		k->sys->close(k->ctl_fd);
	free(k);
}

static const struct offload_engine kl_engine = {
	.id = OFFLOAD_ENGINE_KERNEL,
	.name = "kernel",
	.probe = kl_probe,
	.prepare = kl_prepare,
	.unprepare = kl_unprepare,
	.open = kl_open,
	.send_frame = kl_send_frame,
	.ccp = kl_ccp,
	.attach = kl_attach,
	.mppe_reset = kl_mppe_reset,
	.get_stats = kl_get_stats,
	.close = kl_close,
};

const struct offload_engine *
offload_os_engine(enum offload_engine_id id, const char **why)
{
	*why = NULL;
	switch (id) {
	case OFFLOAD_ENGINE_KERNEL:
		return &kl_engine;
	case OFFLOAD_ENGINE_PIPEX:
		*why = "pipex(4) is OpenBSD's, not Linux's";
		return NULL;
	default:
		*why = "not a kernel engine";
		return NULL;
	}
}
