/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The userspace engine's raw IPPROTO_GRE socket (datapath.h): opening
 * it, the receive and send slots, the recvmmsg() read loop that finds
 * each packet's call (or offers it to the hold, datapath_hold.c), the
 * sendmsg()/sendmmsg() sends, and when the socket is read at all.
 *
 * Idle: on Linux a raw socket gets a copy of every GRE packet of the
 * namespace, kernel-engine tunnels' included.  Under datapath_read_idle(dp,
 * 0) the socket's read event is added only while some call is registered
 * or expected (dp_watch()).  Meanwhile what arrives stays in the socket
 * buffer, and the kernel drops it for nothing once the buffer is full;
 * what is there when the event comes back predates every call and is
 * discarded unread, as reading it would have dropped it too.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "datapath.h"
#include "datapath_local.h"
#include "gre.h"
#include "gre_call.h"
#include "log.h"
#include "priv.h"
#include "timer.h"

static void	dp_readable(evutil_socket_t, short, void *);

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

void
dp_msg_prepare(struct dp_call *c, struct msghdr *m, struct iovec *iov,
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
int
dp_gre_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct dp_call *c = arg;
	struct msghdr m;
	struct iovec iov;
	ssize_t r;

	if (c->dead)
		return -1;
	dp_msg_prepare(c, &m, &iov, (uint8_t *)(uintptr_t)pkt, len);
	do {
		r = sendmsg(c->tx_fd, &m, MSG_DONTWAIT);
	} while (r == -1 && errno == EINTR);
	if (r == -1) {
		tx_fail_log(c, errno, 1);
		return -1;
	}
	return 0;
}

/* Sends the n packets queued in the datapath's send slots for c. */
void
dp_tx_flush(struct dp_call *c, int n)
{
	struct datapath *dp = c->dp;
	int i = 0, r, j, e;

	while (i < n) {
		r = sendmmsg(c->tx_fd, dp->tx_msg + i, (unsigned int)(n - i),
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

/*
 * Has c's packets leave from local, unless that is 0: IP_PKTINFO in the
 * control message dp_msg_prepare() gives each of them.
 */
void
dp_sock_pktinfo(struct dp_call *c, struct in_addr local)
{
#ifdef IP_PKTINFO
	struct in_pktinfo pi;
	struct cmsghdr *cm;
	struct msghdr m;

	if (local.s_addr != INADDR_ANY &&
	    CMSG_SPACE(sizeof(pi)) <= sizeof(c->cmsg)) {
		/*
		 * One socket serves every call, so it cannot be bound: the
		 * source the server expects (that of the control connection)
		 * goes with each packet.  Elsewhere routing picks it.
		 */
		memset(&pi, 0, sizeof(pi));
		pi.ipi_spec_dst = local;
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
#else
	(void)c;
	(void)local;
#endif
}

/*
 * The tunnel's own socket (wansock.h) sends the call's GRE, marked or
 * in its rdomain, and is read like the shared one: on Linux its filter
 * keeps it empty, on OpenBSD it is where the rdomain's GRE arrives.
 * IP_PKTINFO still names the control connection's source: the socket is
 * bound only where local-address is set.
 */
int
dp_sock_own(struct dp_call *c, int fd, char *err, size_t errlen)
{
	if ((c->own_ev = event_new(c->dp->evbase, fd, EV_READ | EV_PERSIST,
	    dp_readable, c->dp)) == NULL || event_add(c->own_ev, NULL) == -1) {
		if (c->own_ev != NULL)
			event_free(c->own_ev);
		c->own_ev = NULL;
		snprintf(err, errlen, "GRE socket: cannot watch it "
		    "(libevent)");
		return -1;
	}
	c->tx_fd = fd;
	return 0;
}

void
dp_sock_own_close(struct dp_call *c)
{
	if (c->own_ev != NULL)
		event_free(c->own_ev);
	c->own_ev = NULL;
	c->tx_fd = c->dp->fd;
}

/* ---- Receiving. ---- */

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
void
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
		if (dp_hold_put(dp, src, call_id, buf + off, glen) == 0)
			return;
		/* Normal: other programs' calls, our own on loopback. */
		dp->st.rx_unknown++;
		if (dp_rl_due(dp->tb, &dp->rl, 0)) {
			inet_ntop(AF_INET, &src, a, sizeof(a));
			dp_rl_log(dp->tb, &dp->rl, 0, "GRE: dropped a packet "
			    "from %s for call ID %u: no such call", a,
			    call_id);
		}
		return;
	}
	c->busy++;
	/* Newer GRE beat the hold's timer: the older packets go first. */
	if (c->held)
		dp_hold_release(dp, c);
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
	dp->in_rx = 1;
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
	/* Segments joined over the whole wakeup go to tun now. */
	dp->in_rx = 0;
	dp_gro_flush(dp);
	/* dp_hold_put() may have met lapsed expectations. */
	dp_watch(dp);
}

/* ---- The socket. ---- */

/*
 * Opens the socket, allocates the receive and send slots and watches the
 * socket on dp->evbase.  -1 with a message in err, and nothing left open.
 */
int
dp_sock_open(struct datapath *dp, char *err, size_t errlen)
{
	int i;

	if (priv_separated()) {
		/* The parent opens it and sets its buffers (priv.h). */
		if ((dp->fd = priv_gre_socket(err, errlen)) == -1)
			return -1;
	} else if ((dp->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, IPPROTO_GRE)) == -1) {
		snprintf(err, errlen, "raw GRE socket: %s%s", strerror(errno),
		    errno == EPERM || errno == EACCES ? " (pptpcd needs root "
		    "or CAP_NET_RAW)" : "");
		return -1;
	}
	/*
	 * A burst from a fast server must not overflow the socket while
	 * the loop encrypts the other way; failing to grow it only costs
	 * speed, so it is not an error.
	 */
	if (!priv_separated() && set_sockbuf(dp->fd, 1, DP_SOCKBUF) == -1)
		log_debug("raw GRE socket: receive buffer: %s",
		    strerror(errno));
	if (!priv_separated() && set_sockbuf(dp->fd, 0, DP_SOCKBUF) == -1)
		log_debug("raw GRE socket: send buffer: %s", strerror(errno));

	dp->rx_mem = calloc(DP_RX_BATCH, DP_RX_SLOT);
	dp->tx_mem = calloc(DP_TX_BATCH, DP_TX_SLOT);
	dp->gso_buf = malloc(TSO_PKT_MAX);
	dp->gro.buf = malloc(TSO_PKT_MAX);
	if (dp->rx_mem == NULL || dp->tx_mem == NULL || dp->gso_buf == NULL ||
	    dp->gro.buf == NULL) {
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
	if ((dp->ev = event_new(dp->evbase, dp->fd, EV_READ | EV_PERSIST,
	    dp_readable, dp)) == NULL || event_add(dp->ev, NULL) == -1) {
		snprintf(err, errlen, "raw GRE socket: cannot watch it "
		    "(libevent)");
		goto fail;
	}
	dp->watching = 1;
	return 0;
fail:
	if (dp->ev != NULL)
		event_free(dp->ev);
	close(dp->fd);
	free(dp->rx_mem);
	free(dp->tx_mem);
	free(dp->gso_buf);
	free(dp->gro.buf);
	return -1;
}

void
dp_sock_close(struct datapath *dp)
{
	event_free(dp->ev);
	close(dp->fd);
	free(dp->rx_mem);
	free(dp->tx_mem);
	free(dp->gso_buf);
	free(dp->gro.buf);
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
