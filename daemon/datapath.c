/*
 * The userspace engine (see datapath.h): one raw IPPROTO_GRE socket for
 * every call of the process, a small hash table from (peer address, our
 * call ID) to the call, and per call the path between its tun fd and its
 * gre_call.
 *
 * Memory: the receive and send slots belong to the datapath and are
 * allocated once in datapath_new(); a call owns only its gre_call and,
 * while data runs, its two MPPE objects.  Nothing is allocated per packet
 * and nothing is copied on the data path: MPPE works in place, and PPP,
 * MPPE and GRE headers are written into headroom in front of the packet
 * read from tun.
 *
 * GRE that comes before its call (datapath.h, dp_expect()) waits in
 * DP_HOLD_PKTS slots of the datapath, copied there from the receive slot
 * because the next recvmmsg() reuses that.  Expectations are few (one per
 * tunnel dialling) and live on a list; held packets are matched to their
 * call when it registers, and delivered from a 0 ms timer, or at once if
 * newer GRE for the call comes first, so that gre_call always sees them in
 * the order they came.
 *
 * Idle: on Linux a raw socket gets a copy of every GRE packet of the
 * namespace, kernel-engine tunnels' included.  Under datapath_read_idle(dp,
 * 0) the socket's read event is added only while some call is registered
 * or expected (dp_watch()).  Meanwhile what arrives stays in the socket
 * buffer, and the kernel drops it for nothing once the buffer is full;
 * what is there when the event comes back predates every call and is
 * discarded unread, as reading it would have dropped it too.
 *
 * Free safety: dp_call_free() from inside a callback (ctrl_frame,
 * reset_needed, failed) unregisters the call at once, so nothing more
 * reaches it, but the memory goes only when the event loop runs the
 * datapath's reap timer, because gre_call code is still on the stack.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "datapath.h"
#include "gre.h"
#include "gre_call.h"
#include "log.h"
#include "mppe.h"
#include "mss.h"
#include "ppp.h"
#include "ppp_defs.h"
#include "timer.h"
#include "tun.h"

/*
 * 32 packets per system call amortise the syscall well past the point
 * where RC4 dominates; 256 per wakeup bounds how long one busy tunnel
 * holds the loop (well under a millisecond of work) before others run.
 */
#define DP_RX_BATCH	32
#define DP_TX_BATCH	32
#define DP_RX_BUDGET	256
#define DP_TX_BUDGET	256
/* IPv4 header (up to 60), GRE, PPP, MPPE and an MRU-1500 payload fit. */
#define DP_RX_SLOT	2048
/* GRE, PPP address/control and protocol, MPPE header, inner protocol. */
#define DP_HEADROOM	(GRE_HDR_MAX + 4 + MPPE_HDRLEN + 2)
#define DP_DATA_OFF	32	/* DP_HEADROOM rounded up: aligned IP */
#define DP_TX_SLOT	(DP_DATA_OFF + DP_PKT_MAX)
#define DP_CTRL_MAX	(DP_PKT_MAX + 8)	/* a control frame */
#define DP_MPPE_OVERHEAD (MPPE_HDRLEN + 2)	/* header, inner protocol */
#define DP_HASH_SIZE	64		/* a power of two */
#define DP_SOCKBUF	(4 * 1024 * 1024)
#define DP_LOG_DEBUG_MS	1000
#define DP_LOG_WARN_MS	10000
#define IPV4_HDR_MIN	20

#if DP_DATA_OFF < DP_HEADROOM
#error "DP_DATA_OFF must leave room for every header"
#endif

/* At most one line per interval, with a count of what was held back. */
struct dp_ratelog {
	uint64_t	 next;
	unsigned int	 suppressed;
};

LIST_HEAD(dp_list, dp_call);

/* A call about to be placed (dp_expect()). */
struct dp_expect {
	LIST_ENTRY(dp_expect)	 entry;
	struct in_addr		 peer;
	uint16_t		 call_id;
	uint64_t		 until;		/* timer_now() */
};
LIST_HEAD(dp_expect_list, dp_expect);

/* A packet that came before its call: the GRE part, without IPv4. */
struct dp_held {
	uint64_t		 arrived;	/* timer_now() */
	uint64_t		 order;		/* arrival, for delivery */
	struct in_addr		 src;
	uint16_t		 call_id;
	uint16_t		 len;		/* 0: slot free */
	uint8_t			 pkt[DP_RX_SLOT - IPV4_HDR_MIN];
};

struct dp_call {
	struct datapath		*dp;
	LIST_ENTRY(dp_call)	 entry;		/* hash bucket or reap list */
	char			 tag[GRE_TAG_MAX];
	struct dp_call_ops	 ops;
	void			*arg;
	struct in_addr		 peer;
	char			 peer_str[INET_ADDRSTRLEN];
	uint16_t		 our_call_id;
	struct sockaddr_in	 peer_sa;
	struct gre_call		*gre;
#ifdef IP_PKTINFO
	/*
	 * IP_PKTINFO naming our source address, built once.  CMSG_SPACE()
	 * is no constant to every compiler, hence the room to spare.
	 */
	uint8_t			 cmsg[sizeof(struct cmsghdr) +
				    sizeof(struct in_pktinfo) +
				    2 * sizeof(size_t)]
				    __attribute__((__aligned__(sizeof(size_t))));
#endif
	size_t			 cmsglen;	/* 0: let routing choose */

	int			 dead;		/* freed; reaped later */
	unsigned int		 busy;		/* our frames on the stack */
	int			 held;		/* packets wait in the hold */

	/* While data runs (dp_call_start_data()). */
	int			 running;
	struct tun		 tun;
	struct event		*tun_ev;
	struct mppe_tx		*mtx;
	struct mppe_rx		*mrx;
	int			 acfc, pfc;
	uint16_t		 mss;
	size_t			 tx_ip_max;

	struct dp_stats		 st;		/* own counters only */
	struct mppe_stats	 mppe_tx_done;	/* from earlier runs */
	struct mppe_stats	 mppe_rx_done;
	struct dp_ratelog	 rl_rx, rl_tx, rl_send;
};

struct datapath {
	struct event_base	*evbase;
	struct timer_base	*tb;
	int			 fd;
	struct event		*ev;
	int			 watching;	/* ev is added */
	int			 read_idle;	/* datapath_read_idle() */
	unsigned int		 ncalls;	/* registered, in hash */
	struct dp_list		 hash[DP_HASH_SIZE];
	struct dp_list		 reap;
	struct timer		 reap_timer;

	uint8_t			*rx_mem;
	struct mmsghdr		 rx_msg[DP_RX_BATCH];
	struct iovec		 rx_iov[DP_RX_BATCH];

	uint8_t			*tx_mem;
	struct mmsghdr		 tx_msg[DP_TX_BATCH];
	struct iovec		 tx_iov[DP_TX_BATCH];
	size_t			 tx_iplen[DP_TX_BATCH];

	uint8_t			 ctrl_buf[GRE_HDR_MAX + DP_CTRL_MAX];

	struct dp_expect_list	 expect;
	struct dp_held		 hold[DP_HOLD_PKTS];
	uint64_t		 hold_order;
	struct timer		 hold_timer;

	struct datapath_stats	 st;
	struct dp_ratelog	 rl;
};

static void	dp_call_destroy(struct dp_call *);

/*
 * Drops on the data path are counted, and logged at most once per
 * interval: a flood (or another program's GRE) must stay cheap and quiet.
 * RATELOG() evaluates its arguments only when a line is due.
 */
#define RATELOG(tb, rl, warn, ...) do {					\
	if (rl_due((tb), (rl), (warn)))					\
		rl_log((tb), (rl), (warn), __VA_ARGS__);		\
} while (0)

static int
rl_due(struct timer_base *tb, struct dp_ratelog *rl, int warn)
{
	if (!warn && log_getverbose() < 1)
		return 0;
	if (timer_now(tb) < rl->next) {
		rl->suppressed++;
		return 0;
	}
	return 1;
}

static void rl_log(struct timer_base *, struct dp_ratelog *, int,
    const char *, ...) __attribute__((__format__(printf, 4, 5)));

static void
rl_log(struct timer_base *tb, struct dp_ratelog *rl, int warn,
    const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rl->suppressed > 0) {
		if (warn)
			log_warnx("%s (%u more since)", msg, rl->suppressed);
		else
			log_debug("%s (%u more since)", msg, rl->suppressed);
	} else if (warn)
		log_warnx("%s", msg);
	else
		log_debug("%s", msg);
	rl->next = timer_now(tb) + (warn ? DP_LOG_WARN_MS : DP_LOG_DEBUG_MS);
	rl->suppressed = 0;
}

static unsigned int
dp_hash(struct in_addr a, uint16_t call_id)
{
	uint32_t h;

	h = ntohl(a.s_addr) * 0x9e3779b1u ^ (uint32_t)call_id * 0x85ebca6bu;
	return (h ^ h >> 16) & (DP_HASH_SIZE - 1);
}

static struct dp_call *
dp_lookup(struct datapath *dp, struct in_addr src, uint16_t call_id)
{
	struct dp_call *c;

	LIST_FOREACH(c, &dp->hash[dp_hash(src, call_id)], entry)
		if (c->our_call_id == call_id &&
		    c->peer.s_addr == src.s_addr)
			return c;
	return NULL;
}

/* Grows a socket buffer, past the sysctl limit where the OS allows. */
static int
set_sockbuf(int fd, int rcv, int size)
{
#ifdef SO_RCVBUFFORCE
	/* Linux, with CAP_NET_ADMIN (pptpcd has root). */
	if (setsockopt(fd, SOL_SOCKET, rcv ? SO_RCVBUFFORCE : SO_SNDBUFFORCE,
	    &size, sizeof(size)) == 0)
		return 0;
#endif
	return setsockopt(fd, SOL_SOCKET, rcv ? SO_RCVBUF : SO_SNDBUF, &size,
	    sizeof(size));
}

/* ---- Sending. ---- */

static int
tx_err_is_congestion(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS;
}

/* Logs a failed send of n packets; counting is the caller's. */
static void
tx_fail_log(struct dp_call *c, int e, unsigned int n)
{
	struct timer_base *tb = c->dp->tb;

	if (tx_err_is_congestion(e))
		RATELOG(tb, &c->rl_send, 0, "%s: GRE send queue full, "
		    "dropped %u packet(s)", c->tag, n);
	else if (e == EPERM || e == EACCES)
		RATELOG(tb, &c->rl_send, 1, "%s: GRE send to %s refused: %s "
		    "(a firewall rule for IP protocol 47?)", c->tag,
		    c->peer_str, strerror(e));
	else if (e == EMSGSIZE)
		RATELOG(tb, &c->rl_send, 1, "%s: GRE send to %s: %s (the "
		    "path MTU is below the tunnel MTU)", c->tag,
		    c->peer_str, strerror(e));
	else
		RATELOG(tb, &c->rl_send, 1, "%s: GRE send to %s: %s", c->tag,
		    c->peer_str, strerror(e));
}

static void
msg_prepare(struct dp_call *c, struct msghdr *m, struct iovec *iov,
    uint8_t *pkt, size_t len)
{
	iov->iov_base = pkt;
	iov->iov_len = len;
	memset(m, 0, sizeof(*m));
	m->msg_name = &c->peer_sa;
	m->msg_namelen = sizeof(c->peer_sa);
	m->msg_iov = iov;
	m->msg_iovlen = 1;
#ifdef IP_PKTINFO
	if (c->cmsglen > 0) {
		m->msg_control = c->cmsg;
		m->msg_controllen = c->cmsglen;
	}
#endif
}

/* gre_call's send: control frames and ack-only packets. */
static int
dp_gre_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct dp_call *c = arg;
	struct msghdr m;
	struct iovec iov;
	ssize_t r;

	if (c->dead)
		return -1;
	msg_prepare(c, &m, &iov, (uint8_t *)(uintptr_t)pkt, len);
	do {
		r = sendmsg(c->dp->fd, &m, MSG_DONTWAIT);
	} while (r == -1 && errno == EINTR);
	if (r == -1) {
		tx_fail_log(c, errno, 1);
		return -1;
	}
	return 0;
}

/* Sends the n packets queued in the datapath's send slots for c. */
static void
tx_flush(struct dp_call *c, int n)
{
	struct datapath *dp = c->dp;
	int i = 0, r, j, e;

	while (i < n) {
		r = sendmmsg(dp->fd, dp->tx_msg + i, (unsigned int)(n - i),
		    MSG_DONTWAIT);
		if (r == -1) {
			if ((e = errno) == EINTR)
				continue;
			/*
			 * Never wait for the socket: a full queue drops the
			 * rest of the burst (TCP backs off), any other error
			 * drops the one packet it names.
			 */
			if (tx_err_is_congestion(e)) {
				c->st.tx_errors += (uint64_t)(n - i);
				tx_fail_log(c, e, (unsigned int)(n - i));
				break;
			}
			c->st.tx_errors++;
			tx_fail_log(c, e, 1);
			i++;
			continue;
		}
		for (j = i; j < i + r; j++) {
			c->st.tx_packets++;
			c->st.tx_bytes += dp->tx_iplen[j];
		}
		i += r;
	}
}

static void
dp_stop(struct dp_call *c)
{
	const struct mppe_stats *s;

	if (!c->running)
		return;
	c->running = 0;
	event_free(c->tun_ev);
	c->tun_ev = NULL;
	c->tun.fd = -1;
	/* Keep the totals for pptpctl across a restart of the data path. */
	if (c->mtx != NULL) {
		s = mppe_tx_stats(c->mtx);
		c->mppe_tx_done.packets += s->packets;
		c->mppe_tx_done.bytes += s->bytes;
		c->mppe_tx_done.errors += s->errors;
		c->mppe_tx_done.resets += s->resets;
	}
	if (c->mrx != NULL) {
		s = mppe_rx_stats(c->mrx);
		c->mppe_rx_done.packets += s->packets;
		c->mppe_rx_done.bytes += s->bytes;
		c->mppe_rx_done.errors += s->errors;
		c->mppe_rx_done.lost += s->lost;
		c->mppe_rx_done.late += s->late;
		c->mppe_rx_done.discarded += s->discarded;
		c->mppe_rx_done.resets += s->resets;
	}
	mppe_tx_free(c->mtx);
	mppe_rx_free(c->mrx);
	c->mtx = NULL;
	c->mrx = NULL;
}

static void dp_fail(struct dp_call *, const char *, ...)
    __attribute__((__format__(printf, 2, 3)));

/*
 * A fatal error of the data path: stop it first, so that a tun fd in
 * error cannot wake the loop again, then tell the owner once.
 */
static void
dp_fail(struct dp_call *c, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_warnx("%s: data path: %s", c->tag, why);
	dp_stop(c);
	if (!c->dead && c->ops.failed != NULL)
		c->ops.failed(c->arg, why);
}

/*
 * Frames the IPv4 packet of n bytes at slot + DP_DATA_OFF into GRE and
 * queues it as send slot i.  0 if queued, -1 if dropped (counted), -2 if
 * the data path failed.
 */
static int
tx_frame(struct dp_call *c, uint8_t *slot, size_t n, int i)
{
	struct datapath *dp = c->dp;
	uint8_t *ip = slot + DP_DATA_OFF, *payload, *frame, *pkt;
	size_t plen, pktlen;
	uint16_t proto;

	if (n == 0 || ip[0] >> 4 != 4) {
		/* IPv6 (router solicitations...): the link carries IPv4. */
		c->st.tx_dropped++;
		return -1;
	}
	if (n > c->tx_ip_max) {
		c->st.tx_errors++;
		RATELOG(dp->tb, &c->rl_tx, 0, "%s: dropped a %zu-byte packet "
		    "from tun: the peer takes at most %zu", c->tag, n,
		    c->tx_ip_max);
		return -1;
	}
	if (c->mss != 0)
		(void)mss_clamp(ip, n, c->mss);
	if (c->mtx != NULL) {
		payload = ip - DP_MPPE_OVERHEAD;
		put_be16(payload + MPPE_HDRLEN, PPP_IP);
		plen = n + DP_MPPE_OVERHEAD;
		if (mppe_tx_encrypt(c->mtx, payload, plen) == -1) {
			dp_fail(c, "MPPE encryption failed (libcrypto)");
			return -2;
		}
		proto = PPP_COMP;
	} else {
		payload = ip;
		plen = n;
		proto = PPP_IP;
	}
	frame = ppp_frame_prepend(payload,
	    (size_t)(payload - slot) - GRE_HDR_MAX, proto, c->acfc, c->pfc);
	if (frame == NULL || gre_call_output(c->gre, frame,
	    (size_t)(payload + plen - frame), &pkt, &pktlen) == -1) {
		/* Unreachable with the headroom above; counted if not. */
		c->st.tx_errors++;
		return -1;
	}
	msg_prepare(c, &dp->tx_msg[i].msg_hdr, &dp->tx_iov[i], pkt, pktlen);
	dp->tx_iplen[i] = n;
	return 0;
}

/* The tun fd is readable: read, frame and send bursts of packets. */
static void
dp_tun_readable(evutil_socket_t fd, short what, void *arg)
{
	struct dp_call *c = arg;
	struct datapath *dp = c->dp;
	unsigned int budget = DP_TX_BUDGET, reads;
	ssize_t r;
	int nq, drained = 0, e = 0, rc;
	uint8_t *slot;

	(void)fd;
	(void)what;
	c->busy++;
	while (budget > 0 && c->running && !drained && e == 0) {
		nq = 0;
		for (reads = 0; reads < DP_TX_BATCH && reads < budget;
		    reads++) {
			slot = dp->tx_mem + (size_t)nq * DP_TX_SLOT;
			r = tun_read(&c->tun, slot + DP_DATA_OFF, DP_PKT_MAX);
			if (r == -1) {
				if (errno == EAGAIN || errno == EWOULDBLOCK) {
					drained = 1;
					break;
				}
				if (errno == EINTR)
					continue;
				if (errno == EMSGSIZE) {
					/* Cut by tun_read(): too long. */
					c->st.tx_errors++;
					RATELOG(dp->tb, &c->rl_tx, 0, "%s: "
					    "dropped a packet from tun longer "
					    "than %d bytes", c->tag,
					    DP_PKT_MAX);
					continue;
				}
				e = errno;
				break;
			}
			rc = tx_frame(c, slot, (size_t)r, nq);
			if (rc == -2)
				goto out;
			if (rc == 0)
				nq++;
		}
		budget -= reads;
		tx_flush(c, nq);
	}
	if (e != 0)
		dp_fail(c, "tun read: %s", strerror(e));
out:
	c->busy--;
}

int
dp_call_send_frame(struct dp_call *c, const uint8_t *frame, size_t len)
{
	struct datapath *dp = c->dp;
	uint8_t *p = dp->ctrl_buf + GRE_HDR_MAX;

	if (c->dead)
		return -1;
	if (len == 0 || len > DP_CTRL_MAX) {
		log_warnx("%s: dropped a %zu-byte control frame: longer than "
		    "%d bytes", c->tag, len, DP_CTRL_MAX);
		c->st.tx_errors++;
		errno = EMSGSIZE;
		return -1;
	}
	/* Control frames are rare: one copy buys the GRE headroom. */
	memcpy(p, frame, len);
	if (gre_call_send(c->gre, p, len) == -1) {
		c->st.tx_errors++;
		return -1;
	}
	return 0;
}

/* ---- Receiving. ---- */

static void
rx_ip(struct dp_call *c, uint8_t *ip, size_t n)
{
	struct timer_base *tb = c->dp->tb;
	int e;

	if (n < IPV4_HDR_MIN || ip[0] >> 4 != 4) {
		c->st.rx_errors++;
		RATELOG(tb, &c->rl_rx, 0, "%s: dropped a %zu-byte IPv4 frame "
		    "that is not IPv4", c->tag, n);
		return;
	}
	if (c->mss != 0)
		(void)mss_clamp(ip, n, c->mss);
	if (tun_write(&c->tun, ip, n) == -1) {
		e = errno;
		c->st.rx_dropped++;
		if (tx_err_is_congestion(e) || e == ENOMEM)
			RATELOG(tb, &c->rl_rx, 0, "%s: tun queue full, "
			    "dropped a packet", c->tag);
		else
			RATELOG(tb, &c->rl_rx, 1, "%s: tun write: %s",
			    c->tag, strerror(e));
		return;
	}
	c->st.rx_packets++;
	c->st.rx_bytes += n;
}

/* The MPPE datagram in f[0..len): header, then the encrypted frame. */
static void
rx_mppe(struct dp_call *c, uint8_t *f, size_t len)
{
	struct timer_base *tb = c->dp->tb;
	enum mppe_result res;
	struct rbuf r;
	uint8_t b0, b1;
	uint16_t proto;

	res = mppe_rx_decrypt(c->mrx, f, len);
	switch (res) {
	case MPPE_OK:
		break;
	case MPPE_NEEDS_RESET:
		c->st.rx_errors++;
		RATELOG(tb, &c->rl_rx, 0, "%s: MPPE lost sync, asking for a "
		    "reset", c->tag);
		if (c->ops.reset_needed != NULL)
			c->ops.reset_needed(c->arg);
		return;
	case MPPE_FAILED:
		dp_fail(c, "MPPE decryption failed (libcrypto)");
		return;
	default:
		c->st.rx_errors++;
		RATELOG(tb, &c->rl_rx, 0, "%s: dropped an MPPE packet: %s",
		    c->tag, mppe_result_name(res));
		return;
	}

	/* The inner protocol, possibly compressed to one (odd) byte. */
	rbuf_init(&r, f + MPPE_HDRLEN, len - MPPE_HDRLEN);
	if (rbuf_u8(&r, &b0) == -1)
		goto bad;
	if (b0 & 1)
		proto = b0;
	else {
		if (rbuf_u8(&r, &b1) == -1 || !(b1 & 1))
			goto bad;
		proto = (uint16_t)(b0 << 8 | b1);
	}
	if (proto == PPP_IP) {
		rx_ip(c, f + MPPE_HDRLEN + r.off, rbuf_left(&r));
		return;
	}
	/* IPv6 (no IPV6CP today) or anything else we never negotiated. */
	c->st.rx_dropped++;
	RATELOG(tb, &c->rl_rx, 0, "%s: dropped encrypted protocol 0x%04x",
	    c->tag, proto);
	return;
bad:
	c->st.rx_errors++;
	RATELOG(tb, &c->rl_rx, 0, "%s: dropped an MPPE packet with a bad "
	    "inner protocol field", c->tag);
}

/*
 * gre_call's deliver: one PPP frame, in order.  The frame lies in a
 * datapath receive slot or a gre_call reorder slot, both writable and
 * unused by gre_call once this returns, so MPPE may decrypt it in place.
 */
static void
dp_gre_deliver(void *arg, const uint8_t *frame, size_t len)
{
	struct dp_call *c = arg;
	uint8_t *f = (uint8_t *)(uintptr_t)frame;
	uint16_t proto;
	int hl;

	if (c->dead)
		return;
	c->busy++;
	if (!c->running)
		goto ctrl;
	if ((hl = ppp_frame_decode(frame, len, &proto)) == -1) {
		c->st.rx_errors++;
		RATELOG(c->dp->tb, &c->rl_rx, 0, "%s: dropped a %zu-byte "
		    "frame with a bad PPP header", c->tag, len);
		goto out;
	}
	switch (proto) {
	case PPP_COMP:
		if (c->mrx == NULL)
			goto ctrl;	/* PPP rejects it */
		rx_mppe(c, f + hl, len - (size_t)hl);
		goto out;
	case PPP_IP:
		if (c->mrx != NULL) {
			/* Never plaintext on an encrypted link. */
			c->st.rx_errors++;
			RATELOG(c->dp->tb, &c->rl_rx, 1, "%s: dropped "
			    "unencrypted IPv4 from %s: MPPE is on", c->tag,
			    c->peer_str);
			goto out;
		}
		rx_ip(c, f + hl, len - (size_t)hl);
		goto out;
	case PPP_IPV6:
		/* IPV6CP is never opened: RFC 1661 says discard. */
		c->st.rx_dropped++;
		goto out;
	default:
		break;
	}
ctrl:
	if (c->ops.ctrl_frame != NULL)
		c->ops.ctrl_frame(c->arg, frame, len);
out:
	c->busy--;
}

/*
 * Bounds dp_drain(): more than a 4 MB buffer holds, and a flood that
 * outruns it is read by the event like any other.
 */
#define DP_DRAIN_MAX	8192

/*
 * Discards what came while the socket was not read.  A zero-length
 * recv() dequeues a datagram without copying it, and leaves the receive
 * slots alone: this may run inside dp_readable(), from a call's callback.
 */
static void
dp_drain(struct datapath *dp)
{
	unsigned int n = 0;

	while (n < DP_DRAIN_MAX) {
		if (recv(dp->fd, NULL, 0, MSG_DONTWAIT | MSG_TRUNC) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		n++;
	}
	dp->st.rx_idle += n;
}

/*
 * Unless datapath_read_idle() says otherwise, adds the socket's read
 * event while a call is registered or expected and deletes it when the
 * last is gone.  An expectation that has lapsed keeps the event until
 * expect_find() next meets it, at the latest with the next packet read.
 * Failing to add the event is logged; the next change of calls tries
 * again.
 */
static void
dp_watch(struct datapath *dp)
{
	int want = dp->read_idle || dp->ncalls > 0 ||
	    !LIST_EMPTY(&dp->expect);

	if (want == dp->watching)
		return;
	if (want) {
		dp_drain(dp);
		if (event_add(dp->ev, NULL) == -1) {
			log_warnx("raw GRE socket: cannot watch it (libevent)");
			return;
		}
	} else
		(void)event_del(dp->ev);
	dp->watching = want;
}

/* ---- GRE that came before its call. ---- */

static struct dp_expect *
expect_find(struct datapath *dp, struct in_addr peer, uint16_t call_id)
{
	struct dp_expect *x, *next;
	uint64_t now = timer_now(dp->tb);

	/* Expired ones go as they are met; the list is a few entries. */
	for (x = LIST_FIRST(&dp->expect); x != NULL; x = next) {
		next = LIST_NEXT(x, entry);
		if (now >= x->until) {
			LIST_REMOVE(x, entry);
			free(x);
			continue;
		}
		if (x->call_id == call_id && x->peer.s_addr == peer.s_addr)
			return x;
	}
	return NULL;
}

static int
held_too_old(struct datapath *dp, const struct dp_held *h)
{
	return timer_now(dp->tb) - h->arrived > DP_HOLD_MS;
}

static void
held_drop(struct datapath *dp, struct dp_held *h)
{
	h->len = 0;
	dp->st.rx_held_dropped++;
}

/* Drops what is held for (peer, call_id). */
static void
hold_purge(struct datapath *dp, struct in_addr peer, uint16_t call_id)
{
	struct dp_held *h;
	size_t i;

	for (i = 0; i < DP_HOLD_PKTS; i++) {
		h = &dp->hold[i];
		if (h->len != 0 && h->call_id == call_id &&
		    h->src.s_addr == peer.s_addr)
			held_drop(dp, h);
	}
}

/*
 * GRE for no registered call: held if its call is expected.  0 if held,
 * -1 if the caller is to drop it.
 */
static int
hold_put(struct datapath *dp, struct in_addr src, uint16_t call_id,
    const uint8_t *pkt, size_t len)
{
	struct dp_held *h, *slot = NULL;
	char a[INET_ADDRSTRLEN];
	size_t i;

	if (LIST_EMPTY(&dp->expect) || len == 0 ||
	    len > sizeof(dp->hold[0].pkt) ||
	    expect_find(dp, src, call_id) == NULL)
		return -1;
	/* A free slot, else an expired one, else the oldest gives way. */
	for (i = 0; i < DP_HOLD_PKTS; i++) {
		h = &dp->hold[i];
		if (h->len != 0 && held_too_old(dp, h))
			held_drop(dp, h);
		if (h->len == 0) {
			slot = h;
			break;
		}
		if (slot == NULL || h->order < slot->order)
			slot = h;
	}
	if (slot->len != 0)
		held_drop(dp, slot);
	memcpy(slot->pkt, pkt, len);
	slot->len = (uint16_t)len;
	slot->src = src;
	slot->call_id = call_id;
	slot->arrived = timer_now(dp->tb);
	slot->order = dp->hold_order++;
	dp->st.rx_held++;
	if (rl_due(dp->tb, &dp->rl, 0)) {
		inet_ntop(AF_INET, &src, a, sizeof(a));
		rl_log(dp->tb, &dp->rl, 0, "GRE: holding a packet from %s for "
		    "call ID %u until the call is registered", a, call_id);
	}
	return 0;
}

/*
 * Hands c what is held for it, oldest first.  The caller holds c->busy.
 * A slot is freed before its packet goes in, and its bytes stay put until
 * gre_call_input() returns: only hold_put(), from the socket's read event,
 * fills slots, and that never runs inside a call's callbacks.
 */
static void
hold_release(struct datapath *dp, struct dp_call *c)
{
	struct dp_held *h, *next;
	unsigned int n = 0;
	uint16_t len;
	size_t i;

	c->held = 0;
	while (!c->dead) {
		next = NULL;
		for (i = 0; i < DP_HOLD_PKTS; i++) {
			h = &dp->hold[i];
			if (h->len != 0 && h->call_id == c->our_call_id &&
			    h->src.s_addr == c->peer.s_addr &&
			    (next == NULL || h->order < next->order))
				next = h;
		}
		if (next == NULL)
			break;
		if (held_too_old(dp, next)) {
			held_drop(dp, next);
			continue;
		}
		len = next->len;
		next->len = 0;
		(void)gre_call_input(c->gre, next->pkt, len);
		n++;
	}
	if (n > 0)
		log_debug("%s: GRE: %u packet(s) that came before the call "
		    "handed over", c->tag, n);
}

/* The 0 ms timer dp_call_new() set: every new call gets its packets. */
static void
dp_hold_flush(void *arg)
{
	struct datapath *dp = arg;
	struct dp_call *c;
	struct dp_held *h;
	size_t i;

	for (i = 0; i < DP_HOLD_PKTS; i++) {
		h = &dp->hold[i];
		if (h->len == 0)
			continue;
		if ((c = dp_lookup(dp, h->src, h->call_id)) != NULL &&
		    c->held) {
			c->busy++;
			hold_release(dp, c);
			c->busy--;
		} else if (held_too_old(dp, h))
			held_drop(dp, h);
	}
}

int
dp_expect(struct datapath *dp, struct in_addr peer, uint16_t our_call_id)
{
	struct dp_expect *x;

	if (peer.s_addr == INADDR_ANY) {
		errno = EINVAL;
		return -1;
	}
	if ((x = expect_find(dp, peer, our_call_id)) == NULL) {
		if ((x = calloc(1, sizeof(*x))) == NULL)
			return -1;
		x->peer = peer;
		x->call_id = our_call_id;
		LIST_INSERT_HEAD(&dp->expect, x, entry);
	}
	x->until = timer_now(dp->tb) + DP_EXPECT_MS;
	dp_watch(dp);
	return 0;
}

void
dp_expect_cancel(struct datapath *dp, struct in_addr peer,
    uint16_t our_call_id)
{
	struct dp_expect *x;

	if ((x = expect_find(dp, peer, our_call_id)) != NULL) {
		LIST_REMOVE(x, entry);
		free(x);
	}
	/* Once the call is registered, what is held is its own. */
	if (dp_lookup(dp, peer, our_call_id) == NULL)
		hold_purge(dp, peer, our_call_id);
	dp_watch(dp);
}

unsigned int
dp_expect_take(struct datapath *dp, struct in_addr peer, uint16_t our_call_id,
    dp_frame_fn *fn, void *arg)
{
	struct dp_held *h, *next;
	struct gre_hdr gh;
	/* Copied out: fn may run long enough for the slot to matter. */
	uint8_t frame[sizeof(dp->hold[0].pkt)];
	unsigned int n = 0;
	enum gre_err e;
	size_t i;

	for (;;) {
		next = NULL;
		for (i = 0; i < DP_HOLD_PKTS; i++) {
			h = &dp->hold[i];
			if (h->len != 0 && h->call_id == our_call_id &&
			    h->src.s_addr == peer.s_addr &&
			    (next == NULL || h->order < next->order))
				next = h;
		}
		if (next == NULL)
			break;
		if (held_too_old(dp, next)) {
			held_drop(dp, next);
			continue;
		}
		if ((e = gre_decode(next->pkt, next->len, &gh)) != GRE_OK) {
			held_drop(dp, next);
			log_debug("GRE: dropped a held packet for call ID %u: "
			    "%s", our_call_id, gre_strerror(e));
			continue;
		}
		next->len = 0;
		if (!gh.has_seq || gh.payload_len == 0)
			continue;
		memcpy(frame, next->pkt + gh.hdr_len, gh.payload_len);
		fn(arg, frame, gh.payload_len);
		n++;
	}
	dp_expect_cancel(dp, peer, our_call_id);
	return n;
}

/* One packet from the raw socket: IPv4 header, then GRE. */
static void
dp_input(struct datapath *dp, uint8_t *buf, size_t len, int flags)
{
	struct dp_call *c;
	struct in_addr src;
	enum gre_err e;
	struct rbuf r;
	size_t off, glen;
	uint16_t gflags, proto, plen, call_id;
	char a[INET_ADDRSTRLEN];

	dp->st.rx_packets++;
	if (flags & MSG_TRUNC) {
		dp->st.rx_truncated++;
		RATELOG(dp->tb, &dp->rl, 0, "GRE: dropped a packet longer "
		    "than %d bytes", DP_RX_SLOT);
		return;
	}
	if ((e = gre_ipv4_decode(buf, len, &src, &off, &glen)) != GRE_OK) {
		dp->st.rx_malformed++;
		RATELOG(dp->tb, &dp->rl, 0, "GRE: dropped a %zu-byte packet: "
		    "%s", len, gre_strerror(e));
		return;
	}
	/*
	 * Just enough of the header to find the call; gre_call_input()
	 * checks all of it.  Other GRE (version 0 tunnels) is not ours to
	 * judge and goes quietly.
	 */
	rbuf_init(&r, buf + off, glen);
	rbuf_u16(&r, &gflags);
	rbuf_u16(&r, &proto);
	rbuf_u16(&r, &plen);
	rbuf_u16(&r, &call_id);
	if (rbuf_failed(&r) || (gflags & GRE_FL_VER) != GRE_VERSION ||
	    !(gflags & GRE_FL_K) || proto != GRE_PROTO_PPP) {
		dp->st.rx_foreign++;
		return;
	}
	if ((c = dp_lookup(dp, src, call_id)) == NULL) {
		if (hold_put(dp, src, call_id, buf + off, glen) == 0)
			return;
		/* Normal: other programs' calls, our own on loopback. */
		dp->st.rx_unknown++;
		if (rl_due(dp->tb, &dp->rl, 0)) {
			inet_ntop(AF_INET, &src, a, sizeof(a));
			rl_log(dp->tb, &dp->rl, 0, "GRE: dropped a packet from "
			    "%s for call ID %u: no such call", a, call_id);
		}
		return;
	}
	c->busy++;
	/* Newer GRE beat the hold's timer: the older packets go first. */
	if (c->held)
		hold_release(dp, c);
	if (!c->dead)
		(void)gre_call_input(c->gre, buf + off, glen);
	c->busy--;
}

static void
dp_readable(evutil_socket_t fd, short what, void *arg)
{
	struct datapath *dp = arg;
	unsigned int budget = DP_RX_BUDGET;
	int n, i, e;

	(void)what;
	while (budget > 0) {
		n = recvmmsg(fd, dp->rx_msg, DP_RX_BATCH, MSG_DONTWAIT, NULL);
		if (n == -1) {
			if ((e = errno) == EINTR)
				continue;
			if (e != EAGAIN && e != EWOULDBLOCK) {
				dp->st.rx_errors++;
				RATELOG(dp->tb, &dp->rl, 1, "GRE: recvmmsg: "
				    "%s", strerror(e));
			}
			break;
		}
		for (i = 0; i < n; i++) {
			dp_input(dp, dp->rx_mem + (size_t)i * DP_RX_SLOT,
			    dp->rx_msg[i].msg_len,
			    dp->rx_msg[i].msg_hdr.msg_flags);
			dp->rx_msg[i].msg_hdr.msg_flags = 0;
		}
		if (n < DP_RX_BATCH)
			break;
		budget -= (unsigned int)n;
	}
	/* hold_put() may have met lapsed expectations. */
	dp_watch(dp);
}

/* ---- Calls. ---- */

static const struct gre_call_ops dp_gre_ops = {
	.send = dp_gre_send,
	.deliver = dp_gre_deliver,
};

struct dp_call *
dp_call_new(struct datapath *dp, const struct dp_call_config *cfg,
    const struct dp_call_ops *ops, void *arg, char *err, size_t errlen)
{
	struct gre_call_config gcfg;
#ifdef IP_PKTINFO
	struct in_pktinfo pi;
	struct cmsghdr *cm;
	struct msghdr m;
#endif
	struct dp_call *c;
	char peer[INET_ADDRSTRLEN];
	const char *tag = cfg->tag != NULL ? cfg->tag : "gre";
	size_t i;

	inet_ntop(AF_INET, &cfg->peer, peer, sizeof(peer));
	if (cfg->peer.s_addr == INADDR_ANY) {
		snprintf(err, errlen, "GRE: no peer address");
		return NULL;
	}
	if (dp_lookup(dp, cfg->peer, cfg->gre.our_call_id) != NULL) {
		snprintf(err, errlen, "GRE: call ID %u with %s is already "
		    "registered", cfg->gre.our_call_id, peer);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "GRE call: %s", strerror(errno));
		return NULL;
	}
	c->dp = dp;
	snprintf(c->tag, sizeof(c->tag), "%s", tag);
	if (ops != NULL)
		c->ops = *ops;
	c->arg = arg;
	c->peer = cfg->peer;
	memcpy(c->peer_str, peer, sizeof(peer));
	c->our_call_id = cfg->gre.our_call_id;
	c->peer_sa.sin_family = AF_INET;
	c->peer_sa.sin_addr = cfg->peer;
	c->tun.fd = -1;

#ifdef IP_PKTINFO
	if (cfg->local.s_addr != INADDR_ANY &&
	    CMSG_SPACE(sizeof(pi)) <= sizeof(c->cmsg)) {
		/*
		 * One socket serves every call, so it cannot be bound: the
		 * source the server expects (that of the control connection)
		 * goes with each packet.  Elsewhere routing picks it.
		 */
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = cfg->local;
		memset(&m, 0, sizeof(m));
		m.msg_control = c->cmsg;
		m.msg_controllen = CMSG_SPACE(sizeof(pi));
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		c->cmsglen = CMSG_SPACE(sizeof(pi));
	}
#endif

	gcfg = cfg->gre;
	if (gcfg.tag == NULL)
		gcfg.tag = tag;
	if ((c->gre = gre_call_new(&gcfg, &dp_gre_ops, c, dp->tb)) == NULL) {
		snprintf(err, errlen, "GRE call: %s", errno == EINVAL ?
		    "bad configuration" : strerror(errno));
		free(c);
		return NULL;
	}
	LIST_INSERT_HEAD(&dp->hash[dp_hash(c->peer, c->our_call_id)], c,
	    entry);
	dp->ncalls++;
	log_debug("%s: GRE call ID %u with %s registered", c->tag,
	    c->our_call_id, peer);

	/*
	 * The expected call has come.  What came before it goes in from the
	 * loop: our caller has yet to make the PPP that will take it.
	 */
	dp_expect_cancel(dp, c->peer, c->our_call_id);
	for (i = 0; i < DP_HOLD_PKTS; i++)
		if (dp->hold[i].len != 0 &&
		    dp->hold[i].call_id == c->our_call_id &&
		    dp->hold[i].src.s_addr == c->peer.s_addr)
			c->held = 1;
	if (c->held)
		timer_set(&dp->hold_timer, 0);
	return c;
}

static void
dp_call_destroy(struct dp_call *c)
{
	dp_stop(c);
	gre_call_free(c->gre);
	free(c);
}

void
dp_call_free(struct dp_call *c)
{
	struct datapath *dp;

	if (c == NULL || c->dead)
		return;
	dp = c->dp;
	dp_stop(c);
	LIST_REMOVE(c, entry);
	dp->ncalls--;
	c->dead = 1;
	/* Its packets, even if freed while they were being handed over. */
	c->held = 0;
	hold_purge(dp, c->peer, c->our_call_id);
	dp_watch(dp);
	if (c->busy > 0) {
		/* gre_call and our frames are on the stack: later. */
		LIST_INSERT_HEAD(&dp->reap, c, entry);
		timer_set(&dp->reap_timer, 0);
		return;
	}
	dp_call_destroy(c);
}

static void
dp_reap(void *arg)
{
	struct datapath *dp = arg;
	struct dp_call *c;

	while ((c = LIST_FIRST(&dp->reap)) != NULL) {
		LIST_REMOVE(c, entry);
		dp_call_destroy(c);
	}
}

int
dp_call_start_data(struct dp_call *c, int tun_fd,
    const struct ppp_link *link, uint16_t mss, char *err, size_t errlen)
{
	int fl, bits;
	size_t mru;

	if (c->dead || c->running) {
		snprintf(err, errlen, "data path already running");
		return -1;
	}
	if (tun_fd < 0) {
		snprintf(err, errlen, "data path: no tun device");
		return -1;
	}
	if (link->mppe) {
		bits = link->mppe_keybits;
		if (!link->have_keys || (bits != 40 && bits != 56 &&
		    bits != 128)) {
			snprintf(err, errlen, "MPPE: no %s", link->have_keys ?
			    "valid key length" : "keys");
			return -1;
		}
		c->mtx = mppe_tx_new(link->send_key, bits,
		    link->mppe_stateless);
		c->mrx = mppe_rx_new(link->recv_key, bits,
		    link->mppe_stateless);
		if (c->mtx == NULL || c->mrx == NULL) {
			snprintf(err, errlen, "MPPE: %s", errno == EINVAL ?
			    "no cipher (crypto_init() not done?)" :
			    strerror(errno));
			goto fail;
		}
	}
	if ((fl = fcntl(tun_fd, F_GETFL)) == -1 ||
	    fcntl(tun_fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		snprintf(err, errlen, "tun: %s", strerror(errno));
		goto fail;
	}
	c->tun.fd = tun_fd;
	c->tun.name[0] = '\0';
	if ((c->tun_ev = event_new(c->dp->evbase, tun_fd, EV_READ | EV_PERSIST,
	    dp_tun_readable, c)) == NULL || event_add(c->tun_ev, NULL) == -1) {
		snprintf(err, errlen, "tun: cannot watch it (libevent)");
		goto fail;
	}
	c->acfc = link->acfc_tx;
	c->pfc = link->pfc_tx;
	c->mss = mss;
	mru = link->peer_mru != 0 ? link->peer_mru : PPP_MRU_DEFAULT;
	if (c->mtx != NULL)
		mru = mru > DP_MPPE_OVERHEAD ? mru - DP_MPPE_OVERHEAD : 0;
	c->tx_ip_max = mru < DP_PKT_MAX ? mru : DP_PKT_MAX;
	c->running = 1;
	log_debug("%s: userspace data path running, MPPE %s", c->tag,
	    c->mtx != NULL ? mppe_tx_mode(c->mtx) : "none");
	return 0;
fail:
	if (c->tun_ev != NULL)
		event_free(c->tun_ev);
	c->tun_ev = NULL;
	c->tun.fd = -1;
	mppe_tx_free(c->mtx);
	mppe_rx_free(c->mrx);
	c->mtx = NULL;
	c->mrx = NULL;
	return -1;
}

void
dp_call_stop_data(struct dp_call *c)
{
	dp_stop(c);
}

void
dp_call_mppe_reset(struct dp_call *c)
{
	if (c->mtx != NULL)
		mppe_tx_reset(c->mtx);
}

static void
mppe_add(struct mppe_stats *to, const struct mppe_stats *a,
    const struct mppe_stats *b)
{
	*to = *a;
	if (b == NULL)
		return;
	to->packets += b->packets;
	to->bytes += b->bytes;
	to->errors += b->errors;
	to->lost += b->lost;
	to->late += b->late;
	to->discarded += b->discarded;
	to->resets += b->resets;
}

void
dp_call_get_stats(const struct dp_call *c, struct dp_stats *st)
{
	const struct gre_stats *g = gre_call_stats(c->gre);

	*st = c->st;
	st->gre = *g;
	/* Ack-only packets the socket refused, and GRE that made no sense. */
	st->tx_errors += g->tx_errors;
	st->rx_errors += g->rx_malformed;
	st->rx_lost = g->rx_lost;
	mppe_add(&st->mppe_tx, &c->mppe_tx_done,
	    c->mtx != NULL ? mppe_tx_stats(c->mtx) : NULL);
	mppe_add(&st->mppe_rx, &c->mppe_rx_done,
	    c->mrx != NULL ? mppe_rx_stats(c->mrx) : NULL);
}

/* ---- The datapath. ---- */

struct datapath *
datapath_new(struct event_base *evbase, struct timer_base *tb, char *err,
    size_t errlen)
{
	struct datapath *dp;
	int i;

	if ((dp = calloc(1, sizeof(*dp))) == NULL) {
		snprintf(err, errlen, "datapath: %s", strerror(errno));
		return NULL;
	}
	dp->evbase = evbase;
	dp->tb = tb;
	for (i = 0; i < DP_HASH_SIZE; i++)
		LIST_INIT(&dp->hash[i]);
	LIST_INIT(&dp->reap);
	timer_init(&dp->reap_timer, tb, dp_reap, dp);
	LIST_INIT(&dp->expect);
	timer_init(&dp->hold_timer, tb, dp_hold_flush, dp);

	if ((dp->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_GRE)) == -1) {
		snprintf(err, errlen, "raw GRE socket: %s%s", strerror(errno),
		    errno == EPERM || errno == EACCES ? " (pptpcd needs root "
		    "or CAP_NET_RAW)" : "");
		timer_free(&dp->reap_timer);
		timer_free(&dp->hold_timer);
		free(dp);
		return NULL;
	}
	/*
	 * A burst from a fast server must not overflow the socket while
	 * the loop encrypts the other way; failing to grow it only costs
	 * speed, so it is not an error.
	 */
	if (set_sockbuf(dp->fd, 1, DP_SOCKBUF) == -1)
		log_debug("raw GRE socket: receive buffer: %s",
		    strerror(errno));
	if (set_sockbuf(dp->fd, 0, DP_SOCKBUF) == -1)
		log_debug("raw GRE socket: send buffer: %s", strerror(errno));

	dp->rx_mem = calloc(DP_RX_BATCH, DP_RX_SLOT);
	dp->tx_mem = calloc(DP_TX_BATCH, DP_TX_SLOT);
	if (dp->rx_mem == NULL || dp->tx_mem == NULL) {
		snprintf(err, errlen, "datapath: %s", strerror(ENOMEM));
		goto fail;
	}
	for (i = 0; i < DP_RX_BATCH; i++) {
		dp->rx_iov[i].iov_base = dp->rx_mem + (size_t)i * DP_RX_SLOT;
		dp->rx_iov[i].iov_len = DP_RX_SLOT;
		/* The sender comes from the IPv4 header: no msg_name. */
		dp->rx_msg[i].msg_hdr.msg_iov = &dp->rx_iov[i];
		dp->rx_msg[i].msg_hdr.msg_iovlen = 1;
	}
	dp->read_idle = 1;
	if ((dp->ev = event_new(evbase, dp->fd, EV_READ | EV_PERSIST,
	    dp_readable, dp)) == NULL || event_add(dp->ev, NULL) == -1) {
		snprintf(err, errlen, "raw GRE socket: cannot watch it "
		    "(libevent)");
		goto fail;
	}
	dp->watching = 1;
	return dp;
fail:
	if (dp->ev != NULL)
		event_free(dp->ev);
	close(dp->fd);
	free(dp->rx_mem);
	free(dp->tx_mem);
	timer_free(&dp->reap_timer);
	timer_free(&dp->hold_timer);
	free(dp);
	return NULL;
}

void
datapath_free(struct datapath *dp)
{
	struct dp_expect *x;
	struct dp_call *c;
	int i;

	if (dp == NULL)
		return;
	dp_reap(dp);
	for (i = 0; i < DP_HASH_SIZE; i++)
		while ((c = LIST_FIRST(&dp->hash[i])) != NULL) {
			LIST_REMOVE(c, entry);
			dp_call_destroy(c);
		}
	while ((x = LIST_FIRST(&dp->expect)) != NULL) {
		LIST_REMOVE(x, entry);
		free(x);
	}
	timer_free(&dp->reap_timer);
	timer_free(&dp->hold_timer);
	event_free(dp->ev);
	close(dp->fd);
	free(dp->rx_mem);
	free(dp->tx_mem);
	free(dp);
}

void
datapath_read_idle(struct datapath *dp, int read_idle)
{
	dp->read_idle = read_idle != 0;
	dp_watch(dp);
}

void
datapath_get_stats(const struct datapath *dp, struct datapath_stats *st)
{
	*st = dp->st;
}
