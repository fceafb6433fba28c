/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The userspace engine (see datapath.h): one raw IPPROTO_GRE socket for
 * every call of the process, a small hash table from (peer address, our
 * call ID) to the call, and per call the path between its tun fd and its
 * gre_call.  This file has the calls, the hash and the per-call data
 * path; the raw socket is datapath_sock.c's, GRE that comes before its
 * call datapath_hold.c's, and what they share is in datapath_local.h.
 *
 * Memory: the receive and send slots belong to the datapath and are
 * allocated once in datapath_new(); a call owns only its gre_call and,
 * while data runs, its two MPPE objects.  Nothing is allocated per packet
 * and nothing is copied on the data path: MPPE works in place, and PPP,
 * MPPE and GRE headers are written into headroom in front of the packet
 * read from tun.
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

#include "buf.h"
#include "datapath.h"
#include "datapath_local.h"
#include "gre.h"
#include "gre_call.h"
#include "log.h"
#include "mppe.h"
#include "mss.h"
#include "ppp.h"
#include "ppp_defs.h"
#include "timer.h"
#include "tun.h"

static void	dp_call_destroy(struct dp_call *);

/* Whether a line is due under rl (RATELOG() in datapath_local.h). */
int
dp_rl_due(struct timer_base *tb, struct dp_ratelog *rl, int warn)
{
	if (!warn && log_getverbose() < 1)
		return 0;
	if (timer_now(tb) < rl->next) {
		rl->suppressed++;
		return 0;
	}
	return 1;
}

void
dp_rl_log(struct timer_base *tb, struct dp_ratelog *rl, int warn,
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

struct dp_call *
dp_lookup(struct datapath *dp, struct in_addr src, uint16_t call_id)
{
	struct dp_call *c;

	LIST_FOREACH(c, &dp->hash[dp_hash(src, call_id)], entry)
		if (c->our_call_id == call_id &&
		    c->peer.s_addr == src.s_addr)
			return c;
	return NULL;
}

/* ---- Sending. ---- */

/* Adds the counters of from to to. */
static void
mppe_sum(struct mppe_stats *to, const struct mppe_stats *from)
{
	to->packets += from->packets;
	to->bytes += from->bytes;
	to->errors += from->errors;
	to->lost += from->lost;
	to->late += from->late;
	to->discarded += from->discarded;
	to->resets += from->resets;
	to->undecryptable += from->undecryptable;
	to->budget_dropped += from->budget_dropped;
	to->key_changes += from->key_changes;
}

static void
dp_stop(struct dp_call *c)
{
	if (!c->running)
		return;
	/* Segments joined for this call go out before it stops. */
	if (c->dp->gro.owner == c)
		dp_gro_flush(c->dp);
	tun_offload_off(&c->tun);
	c->running = 0;
	event_free(c->tun_ev);
	c->tun_ev = NULL;
	c->tun.fd = -1;
	/* Keep the totals for pptpctl across a restart of the data path. */
	if (c->mtx != NULL)
		mppe_sum(&c->mppe_tx_done, mppe_tx_stats(c->mtx));
	if (c->mrx != NULL)
		mppe_sum(&c->mppe_rx_done, mppe_rx_stats(c->mrx));
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
	uint16_t proto, inner;

	/* tun gives no family but the version nibble (IFF_NO_PI). */
	if (n > 0 && ip[0] >> 4 == 4)
		inner = PPP_IP;
	else if (n > 0 && ip[0] >> 4 == 6 && c->ipv6)
		inner = PPP_IPV6;
	else {
		/* IPv6 without IPv6CP (router solicitations...). */
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
	if (c->mss != 0 && inner == PPP_IP)
		(void)mss_clamp(ip, n, c->mss);
	else if (c->mss > MSS_IPV6_EXTRA)
		(void)mss_clamp6(ip, n, c->mss - MSS_IPV6_EXTRA);
	if (c->mtx != NULL) {
		payload = ip - DP_MPPE_OVERHEAD;
		/* MPPE covers IPv6 exactly as IPv4 (RFC 3078 §2). */
		put_be16(payload + MPPE_HDRLEN, inner);
		plen = n + DP_MPPE_OVERHEAD;
		if (mppe_tx_encrypt(c->mtx, payload, plen) == -1) {
			dp_fail(c, "MPPE encryption failed (libcrypto)");
			return -2;
		}
		proto = PPP_COMP;
	} else {
		payload = ip;
		plen = n;
		proto = inner;
	}
	frame = ppp_frame_prepend(payload,
	    (size_t)(payload - slot) - GRE_HDR_MAX, proto, c->acfc, c->pfc);
	if (frame == NULL || gre_call_output(c->gre, frame,
	    (size_t)(payload + plen - frame), &pkt, &pktlen) == -1) {
		/* Unreachable with the headroom above; counted if not. */
		c->st.tx_errors++;
		return -1;
	}
	dp_msg_prepare(c, &dp->tx_msg[i].msg_hdr, &dp->tx_iov[i], pkt, pktlen);
	dp->tx_iplen[i] = n;
	return 0;
}

/*
 * Offloads on: one read brings a packet or a TCP super-packet with its
 * virtio_net_hdr into dp->gso_buf; a packet is copied into the next send
 * slot, a super-packet cut into segments there (tso.h), each framed by
 * tx_frame() in order, so MPPE and GRE number them one by one as if they
 * had come one by one.  The slots go out with sendmmsg() whenever they
 * are full and at the end.  -1 when the data path failed.
 */
static int
tun_read_offload(struct dp_call *c, int *drained, int *err)
{
	struct datapath *dp = c->dp;
	unsigned int budget = DP_TX_BUDGET;
	struct vnet_hdr h;
	struct tso t;
	enum tso_err te;
	size_t n;
	ssize_t r;
	int nq = 0, rc;
	uint8_t *slot;

	while (budget > 0 && c->running) {
		r = tun_read_vnet(&c->tun, &h, dp->gso_buf, TSO_PKT_MAX);
		if (r == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				*drained = 1;
				break;
			}
			if (errno == EINTR)
				continue;
			if (errno == EMSGSIZE) {
				c->st.tx_errors++;
				RATELOG(dp->tb, &c->rl_tx, 0, "%s: dropped a "
				    "packet from tun longer than %d bytes",
				    c->tag, TSO_PKT_MAX);
				continue;
			}
			*err = errno;
			break;
		}
		if (h.gso_type == VNET_GSO_NONE) {
			budget--;
			if ((h.flags & VNET_F_NEEDS_CSUM) && tso_csum_finish(
			    dp->gso_buf, (size_t)r, &h) == -1) {
				c->st.tx_errors++;
				RATELOG(dp->tb, &c->rl_tx, 0, "%s: dropped a "
				    "packet from tun with its checksum offset "
				    "outside it", c->tag);
				continue;
			}
			if ((size_t)r > DP_PKT_MAX) {
				c->st.tx_errors++;
				RATELOG(dp->tb, &c->rl_tx, 0, "%s: dropped a "
				    "packet from tun longer than %d bytes",
				    c->tag, DP_PKT_MAX);
				continue;
			}
			slot = dp->tx_mem + (size_t)nq * DP_TX_SLOT;
			memcpy(slot + DP_DATA_OFF, dp->gso_buf, (size_t)r);
			if ((rc = tx_frame(c, slot, (size_t)r, nq)) == -2)
				return -1;
			if (rc == 0 && ++nq == DP_TX_BATCH) {
				dp_tx_flush(c, nq);
				nq = 0;
			}
			continue;
		}
		if ((te = tso_begin(&t, &h, dp->gso_buf, (size_t)r,
		    c->tx_ip_max)) != TSO_OK) {
			budget--;
			c->st.tx_errors++;
			RATELOG(dp->tb, &c->rl_tx, 0, "%s: dropped a %zd-byte "
			    "super-packet from tun: %s", c->tag, r,
			    tso_strerror(te));
			continue;
		}
		for (;;) {
			slot = dp->tx_mem + (size_t)nq * DP_TX_SLOT;
			if ((n = tso_next(&t, slot + DP_DATA_OFF)) == 0)
				break;
			if ((rc = tx_frame(c, slot, n, nq)) == -2)
				return -1;
			if (rc == 0 && ++nq == DP_TX_BATCH) {
				dp_tx_flush(c, nq);
				nq = 0;
			}
		}
		budget -= t.n < budget ? t.n : budget;
	}
	dp_tx_flush(c, nq);
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
	if (c->tun.offload) {
		if (tun_read_offload(c, &drained, &e) == -1)
			goto out;
		budget = 0;
	}
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
		dp_tx_flush(c, nq);
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

/* Writes the segments joined in dp->gro, if any, to their call's tun. */
void
dp_gro_flush(struct datapath *dp)
{
	struct dp_call *c = dp->gro.owner;
	struct vnet_hdr h;
	size_t n;
	int e;

	if (c == NULL || dp->gro.len == 0) {
		dp->gro.len = 0;
		dp->gro.owner = NULL;
		return;
	}
	n = gro_finish(&dp->gro, &h);
	if (tun_write_vnet(&c->tun, &h, dp->gro.buf, n) == -1) {
		e = errno;
		c->st.rx_dropped += dp->gro.nseg;
		if (tx_err_is_congestion(e) || e == ENOMEM)
			RATELOG(dp->tb, &c->rl_rx, 0, "%s: tun queue full, "
			    "dropped %u packet(s)", c->tag, dp->gro.nseg);
		else
			RATELOG(dp->tb, &c->rl_rx, 1, "%s: tun write: %s",
			    c->tag, strerror(e));
	} else {
		c->st.rx_packets += dp->gro.nseg;
		c->st.rx_bytes += dp->gro.bytes;
	}
	dp->gro.len = 0;
	dp->gro.owner = NULL;
}

/* Hands a checked IP packet to tun. */
static void
rx_deliver(struct dp_call *c, uint8_t *ip, size_t n)
{
	struct datapath *dp = c->dp;
	struct timer_base *tb = dp->tb;
	int e;

	/*
	 * Offloads on, inside a read of the socket: consecutive segments
	 * of one TCP flow become one write (dp_gro_flush()).  Anything
	 * else writes what was joined first, so that order holds.
	 */
	if (c->tun.offload && dp->in_rx) {
		if (dp->gro.owner == c && gro_append(&dp->gro, ip, n))
			return;
		dp_gro_flush(dp);
		if (gro_start(&dp->gro, ip, n)) {
			dp->gro.owner = c;
			return;
		}
	}
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

static void
rx_ip(struct dp_call *c, uint8_t *ip, size_t n)
{
	struct timer_base *tb = c->dp->tb;

	if (n < IPV4_HDR_MIN || ip[0] >> 4 != 4) {
		c->st.rx_errors++;
		RATELOG(tb, &c->rl_rx, 0, "%s: dropped a %zu-byte IPv4 frame "
		    "that is not IPv4", c->tag, n);
		return;
	}
	if (c->mss != 0)
		(void)mss_clamp(ip, n, c->mss);
	rx_deliver(c, ip, n);
}

/* An IPv6 packet from the peer; only once IPv6CP is up. */
static void
rx_ip6(struct dp_call *c, uint8_t *ip, size_t n)
{
	struct timer_base *tb = c->dp->tb;

	if (!c->ipv6) {
		/* RFC 1661: a protocol not negotiated is discarded. */
		c->st.rx_dropped++;
		return;
	}
	if (n < IPV6_HDR_LEN || ip[0] >> 4 != 6) {
		c->st.rx_errors++;
		RATELOG(tb, &c->rl_rx, 0, "%s: dropped a %zu-byte IPv6 frame "
		    "that is not IPv6", c->tag, n);
		return;
	}
	/* c->mss is IPv4's (mss_for_mtu()); IPv6's header is longer. */
	if (c->mss > MSS_IPV6_EXTRA)
		(void)mss_clamp6(ip, n, c->mss - MSS_IPV6_EXTRA);
	rx_deliver(c, ip, n);
}

/* Asks the owner for a CCP Reset-Request, and counts it. */
static void
ask_reset(struct dp_call *c)
{
	c->st.mppe_reset_requests++;
	if (c->ops.reset_needed != NULL)
		c->ops.reset_needed(c->arg);
}

/*
 * An MPPE packet did not decrypt: a step of the sync watch, which may
 * ask for a reset or end the call (datapath_sync.h).  The data path may
 * be stopped on return.
 */
static void
mppe_sync_bad(struct dp_call *c)
{
	char why[160];

	switch (dp_sync_bad(&c->sync, c->dp->tb, why, sizeof(why))) {
	case DP_SYNC_WAIT:
		break;
	case DP_SYNC_RESET:
		RATELOG(c->dp->tb, &c->rl_sync, 1, "%s: MPPE: %u packets in a "
		    "row did not decrypt, asking %s for a reset", c->tag,
		    c->sync.run, c->peer_str);
		ask_reset(c);
		break;
	case DP_SYNC_FAIL:
		dp_fail(c, "%s", why);
		break;
	}
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
		dp_sync_good(&c->sync);
		break;
	case MPPE_NEEDS_RESET:
		c->st.rx_errors++;
		RATELOG(tb, &c->rl_rx, 0, "%s: MPPE lost sync, asking for a "
		    "reset", c->tag);
		ask_reset(c);
		if (c->running)
			mppe_sync_bad(c);
		return;
	case MPPE_FAILED:
		dp_fail(c, "MPPE decryption failed (libcrypto)");
		return;
	default:
		c->st.rx_errors++;
		RATELOG(tb, &c->rl_rx, 0, "%s: dropped an MPPE packet: %s",
		    c->tag, mppe_result_name(res));
		mppe_sync_bad(c);
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
	if (proto == PPP_IPV6 && c->ipv6) {
		rx_ip6(c, f + MPPE_HDRLEN + r.off, rbuf_left(&r));
		return;
	}
	/* IPv6 without IPv6CP, or anything else we never negotiated. */
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
			c->st.rx_cleartext++;
			RATELOG(c->dp->tb, &c->rl_rx, 1, "%s: dropped "
			    "unencrypted IPv4 from %s: MPPE is on", c->tag,
			    c->peer_str);
			goto out;
		}
		rx_ip(c, f + hl, len - (size_t)hl);
		goto out;
	case PPP_IPV6:
		if (!c->ipv6) {
			/* IPv6CP is not open: RFC 1661 says discard. */
			c->st.rx_dropped++;
			goto out;
		}
		if (c->mrx != NULL) {
			/* Never plaintext on an encrypted link. */
			c->st.rx_errors++;
			c->st.rx_cleartext++;
			RATELOG(c->dp->tb, &c->rl_rx, 1, "%s: dropped "
			    "unencrypted IPv6 from %s: MPPE is on", c->tag,
			    c->peer_str);
			goto out;
		}
		rx_ip6(c, f + hl, len - (size_t)hl);
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
 * gre_call's probe, for a frame far outside the GRE window: an MPPE frame
 * that stateless MPPE can judge gets its verdict, so that a forged one
 * never moves the window and a genuine one after a long loss moves it at
 * once.  With stateless MPPE running, anything else far away (LCP, CCP,
 * IPCP, a bad PPP header) is refused too: the peer's data would have
 * moved the window had its sequence really moved, and a run of such
 * frames is how a blind spoofer who knows the call ID would otherwise get
 * a forged Terminate-Request to PPP without guessing the sequence
 * number.  Otherwise (no MPPE, stateful, not yet running), gre_call's
 * agreement rule decides.
 */
static int
dp_gre_probe(void *arg, const uint8_t *frame, size_t len, uint32_t moved)
{
	struct dp_call *c = arg;
	uint16_t proto;
	int hl, r = GRE_PROBE_UNKNOWN;

	if (c->dead || !c->running || c->mrx == NULL)
		return GRE_PROBE_UNKNOWN;
	if ((hl = ppp_frame_decode(frame, len, &proto)) == -1 ||
	    proto != PPP_COMP)
		return c->mppe_stateless ? GRE_PROBE_NO : GRE_PROBE_UNKNOWN;
	switch (mppe_rx_probe(c->mrx, frame + hl, len - (size_t)hl, moved)) {
	case MPPE_PROBE_YES:
		r = GRE_PROBE_YES;
		break;
	case MPPE_PROBE_NO:
		/*
		 * Not for the sync watch: a blind spoofer who knows only the
		 * call ID can send these at will, and on an idle link nothing
		 * would end its run.  A genuine stream that moved past what
		 * MPPE can follow is refused here too, control frames
		 * included, and LCP keepalive ends the call.
		 */
		r = GRE_PROBE_NO;
		break;
	default:
		/*
		 * Not judged: the key-change budget is spent, which is what
		 * a spoofer's far MPPE packets do first.  Agreement alone
		 * would then let them move the stream (an on-path spoofer
		 * knows the call ID), so a stateless link follows nothing it
		 * could not verify; a genuine stream is followed once the
		 * budget has refilled.
		 */
		r = c->mppe_stateless ? GRE_PROBE_NO : GRE_PROBE_UNKNOWN;
		break;
	}
	return r;
}

/* mppe_rx's clock, for its key-change budget. */
static uint64_t
dp_clock(void *arg)
{
	return timer_now(arg);
}

/* ---- Calls. ---- */

static const struct gre_call_ops dp_gre_ops = {
	.send = dp_gre_send,
	.deliver = dp_gre_deliver,
	.probe = dp_gre_probe,
};

struct dp_call *
dp_call_new(struct datapath *dp, const struct dp_call_config *cfg,
    const struct dp_call_ops *ops, void *arg, char *err, size_t errlen)
{
	struct gre_call_config gcfg;
	struct dp_call *c;
	char peer[INET_ADDRSTRLEN];
	const char *tag = cfg->tag != NULL ? cfg->tag : "gre";

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
	c->tx_fd = dp->fd;
	dp_sock_pktinfo(c, cfg->local);
	if (cfg->gre_own && dp_sock_own(c, cfg->gre_fd, err, errlen) == -1) {
		free(c);
		return NULL;
	}

	gcfg = cfg->gre;
	if (gcfg.tag == NULL)
		gcfg.tag = tag;
	if ((c->gre = gre_call_new(&gcfg, &dp_gre_ops, c, dp->tb)) == NULL) {
		snprintf(err, errlen, "GRE call: %s", errno == EINVAL ?
		    "bad configuration" : strerror(errno));
		dp_sock_own_close(c);
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
	dp_hold_claim(dp, c);
	return c;
}

static void
dp_call_destroy(struct dp_call *c)
{
	dp_stop(c);
	dp_sock_own_close(c);
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
	/* The socket is its owner's to close once we return. */
	dp_sock_own_close(c);
	LIST_REMOVE(c, entry);
	dp->ncalls--;
	c->dead = 1;
	/* Its packets, even if freed while they were being handed over. */
	c->held = 0;
	dp_hold_purge(dp, c->peer, c->our_call_id);
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
		mppe_rx_set_clock(c->mrx, dp_clock, c->dp->tb);
		c->mppe_stateless = link->mppe_stateless != 0;
	}
	memset(&c->sync, 0, sizeof(c->sync));
	if ((fl = fcntl(tun_fd, F_GETFL)) == -1 ||
	    fcntl(tun_fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		snprintf(err, errlen, "tun: %s", strerror(errno));
		goto fail;
	}
	c->tun.fd = tun_fd;
	c->tun.name[0] = '\0';
	(void)tun_offload_on(&c->tun);
	if ((c->tun_ev = event_new(c->dp->evbase, tun_fd, EV_READ | EV_PERSIST,
	    dp_tun_readable, c)) == NULL || event_add(c->tun_ev, NULL) == -1) {
		snprintf(err, errlen, "tun: cannot watch it (libevent)");
		goto fail;
	}
	c->acfc = link->acfc_tx;
	c->pfc = link->pfc_tx;
	c->ipv6 = link->ipv6 != 0;
	c->mss = mss;
	mru = link->peer_mru != 0 ? link->peer_mru : PPP_MRU_DEFAULT;
	if (c->mtx != NULL)
		mru = mru > DP_MPPE_OVERHEAD ? mru - DP_MPPE_OVERHEAD : 0;
	c->tx_ip_max = mru < DP_PKT_MAX ? mru : DP_PKT_MAX;
	c->running = 1;
	log_debug("%s: userspace data path running, MPPE %s, tun offloads %s",
	    c->tag, c->mtx != NULL ? mppe_tx_mode(c->mtx) : "none",
	    c->tun.offload ? "on" : "off");
	return 0;
fail:
	if (c->tun_ev != NULL)
		event_free(c->tun_ev);
	c->tun_ev = NULL;
	tun_offload_off(&c->tun);
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
	if (b != NULL)
		mppe_sum(to, b);
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
	dp_hold_init(dp);
	if (dp_sock_open(dp, err, errlen) == -1) {
		timer_free(&dp->reap_timer);
		dp_hold_free(dp);
		free(dp);
		return NULL;
	}
	return dp;
}

void
datapath_free(struct datapath *dp)
{
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
	dp_hold_free(dp);
	timer_free(&dp->reap_timer);
	dp_sock_close(dp);
	free(dp);
}
