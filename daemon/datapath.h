/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The userspace engine: GRE for every call of the process over one raw
 * IPPROTO_GRE socket, and, once a session is up, the data path
 *
 *	tun -> [MSS clamp] -> PPP -> MPPE -> GRE -> raw socket
 *	raw socket -> IPv4 -> GRE (reorder) -> PPP -> MPPE -> [MSS clamp] -> tun
 *
 * with batched system calls (recvmmsg/sendmmsg) and no allocation or
 * extra copy per packet.  Role-neutral: pptpcd and the test peer use it
 * the same way.
 *
 * A call is registered when the PPTP call is up (the server's OCRP, or
 * the test peer's OCRP sent), because LCP, authentication and the NCPs
 * already travel over GRE.  Until dp_call_start_data() every PPP frame
 * that arrives goes to ops->ctrl_frame; after it, IPv4 and MPPE frames
 * take the fast path and only control frames (LCP, CCP, IPCP, ...) reach
 * ops->ctrl_frame.  GRE is accepted only from the call's peer address and
 * only for its call ID.
 *
 * The server sends its first LCP Configure-Request right behind its OCRP,
 * and that GRE often reaches the raw socket before the OCRP has come
 * through TCP and dp_call_new() has registered the call; dropped, it
 * would cost LCP a 3 s retransmission on every dial.  So the caller names
 * the call it is about to place with dp_expect() (it knows the server's
 * address and its own call ID before it sends the OCRQ): GRE from that
 * peer for that call ID that finds no call is held, at most DP_HOLD_PKTS
 * packets in all for at most DP_HOLD_MS each, in slots allocated with the
 * datapath, and handed to the call on the first turn of the event loop
 * after dp_call_new() (by then the caller has its PPP ready).  GRE from
 * anyone not expected is never held.
 */
#ifndef PPTPC_DATAPATH_H
#define PPTPC_DATAPATH_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "gre_call.h"
#include "mppe.h"

struct event_base;
struct timer_base;
struct ppp_link;

struct datapath;
struct dp_call;

/*
 * The largest IPv4 packet the engine carries either way; a tun MTU above
 * it (or above the peer's MRU less the MPPE overhead) loses packets.
 */
#define DP_PKT_MAX	2048

struct dp_call_config {
	const char	*tag;		/* tunnel name for log lines, copied */
	struct in_addr	 local;		/* outer source address of our GRE:
					   one of ours, or 0 for routing's */
	struct in_addr	 peer;		/* outer address of the other end */
	/*
	 * With gre_own, the tunnel's own GRE socket (wansock.h) carries
	 * the call's GRE, borrowed until dp_call_free(); otherwise (a
	 * zeroed config) the datapath's shared one.  It is read as well:
	 * on Linux a filter keeps it empty, on OpenBSD it gets its
	 * rdomain's GRE.
	 */
	int		 gre_own;
	int		 gre_fd;
	struct gre_call_config gre;	/* call IDs, windows, reordering */
};

struct dp_call_ops {
	/* A PPP frame (with its PPP header) that is not for the fast path. */
	void	(*ctrl_frame)(void *arg, const uint8_t *frame, size_t len);
	/*
	 * MPPE lost sync: send a CCP Reset-Request.  Stateful MPPE on a
	 * count gap or an undecryptable packet; either mode after a run of
	 * packets that do not decrypt (datapath_sync.h).
	 */
	void	(*reset_needed)(void *arg);
	/*
	 * The session's data path failed fatally (libcrypto, tun gone, MPPE
	 * lost synchronisation for good: datapath_sync.h); why is for
	 * last_error.
	 */
	void	(*failed)(void *arg, const char *why);
};

/* Counters for pptpctl; tx/rx as seen at the tunnel interface. */
struct dp_stats {
	uint64_t	 tx_packets;	/* IP packets sent into the tunnel */
	uint64_t	 tx_bytes;
	uint64_t	 tx_errors;	/* send failures, oversize packets */
	uint64_t	 rx_packets;	/* IP packets delivered to tun */
	uint64_t	 rx_bytes;
	uint64_t	 rx_errors;	/* malformed GRE/PPP/MPPE, undecryptable,
					   cleartext */
	uint64_t	 rx_lost;	/* GRE sequence numbers given up on */
	struct gre_stats gre;
	uint64_t	 tx_dropped;	/* from tun, not for the link (IPv6) */
	uint64_t	 rx_dropped;	/* valid, but not delivered: tun full,
					   protocol not negotiated */
	struct mppe_stats mppe_tx;	/* summed over data-path restarts */
	struct mppe_stats mppe_rx;
	uint64_t	 rx_cleartext;	/* unencrypted IPv4 while MPPE is on:
					   dropped (in rx_errors too) */
	uint64_t	 mppe_reset_requests; /* CCP Reset-Requests asked of
					   ops->reset_needed */
};

/*
 * GRE the process received that belongs to none of its calls.  On Linux
 * every raw GRE socket in a namespace sees every GRE packet, so other
 * programs' calls (and our own packets on loopback) land here too.
 */
struct datapath_stats {
	uint64_t	 rx_packets;	/* read from the raw socket */
	uint64_t	 rx_foreign;	/* GRE that is not PPTP's (version 0) */
	uint64_t	 rx_unknown;	/* PPTP GRE for no call of ours, or from
					   an address other than the call's */
	uint64_t	 rx_malformed;	/* bad IPv4 header */
	uint64_t	 rx_truncated;	/* larger than a receive slot */
	uint64_t	 rx_errors;	/* recvmmsg() failures */
	uint64_t	 rx_idle;	/* discarded unread: they came while
					   no call was (datapath_read_idle()) */
	uint64_t	 rx_held;	/* came before their expected call */
	uint64_t	 rx_held_dropped; /* held, but too old, pushed out by
					   newer ones, or the call never
					   came */
};

/*
 * Opens the raw GRE socket (needs root or CAP_NET_RAW) and watches it on
 * evbase.  NULL with a message in err ("raw GRE socket: Operation not
 * permitted (pptpcd needs root or CAP_NET_RAW)").
 */
struct datapath	*datapath_new(struct event_base *, struct timer_base *,
		    char *err, size_t errlen);
/* Frees every call still registered; never from within a callback. */
void		 datapath_free(struct datapath *);
void		 datapath_get_stats(const struct datapath *,
		    struct datapath_stats *);
/*
 * read_idle 0: read the socket only while a call is registered or
 * expected.  A raw socket sees every GRE packet of the host, and a
 * process whose tunnels run on a kernel engine would otherwise read and
 * drop all their traffic; the socket is still opened by datapath_new(),
 * so that a missing permission shows at start.  What came while it was
 * not read is discarded unread (rx_idle) when reading resumes.  1, the
 * default: always read, every packet counted by kind.
 */
void		 datapath_read_idle(struct datapath *, int read_idle);

#define DP_HOLD_PKTS	8
#define DP_HOLD_MS	1000
/*
 * How long an expectation lasts at most: longer than a dial can take (the
 * tunnel's 20 s TCP connect, then 60 s each for SCCRP and OCRP), so that
 * a caller that forgets dp_expect_cancel() costs little.  It ends sooner
 * with dp_call_new() for the same peer and call ID.
 */
#define DP_EXPECT_MS	180000

/*
 * GRE from peer for our_call_id may come before dp_call_new(): hold it
 * (see above).  Expecting a pair again renews it.  0, or -1 with errno
 * (EINVAL for no address, ENOMEM); a failure costs only the hold.
 */
int		 dp_expect(struct datapath *, struct in_addr peer,
		    uint16_t our_call_id);
/*
 * The call will not come (the dial failed, or another engine carries
 * it): forget the expectation and drop what is held for it.
 */
void		 dp_expect_cancel(struct datapath *, struct in_addr peer,
		    uint16_t our_call_id);

/*
 * Another engine carries the call (kernel-glue/offload.h): hands fn the
 * PPP frames held for it, oldest first, with their GRE headers checked
 * and taken off (acknowledgement-only packets carry none), then forgets
 * the expectation as dp_expect_cancel() does.  A kernel drops a call's
 * GRE until its socket is connected, which it can be only once the OCRP
 * is read, so without this the server's first LCP Configure-Request is
 * lost whenever it overtakes the OCRP.  Returns how many frames fn got.
 * fn must not call dp_expect() or dp_expect_take() itself.
 */
typedef void	 dp_frame_fn(void *arg, const uint8_t *frame, size_t len);
unsigned int	 dp_expect_take(struct datapath *, struct in_addr peer,
		    uint16_t our_call_id, dp_frame_fn *fn, void *arg);

/*
 * Registers a call; NULL with a message in err.  Packets held for it
 * (dp_expect()) reach it from the event loop, never from in here.
 */
struct dp_call	*dp_call_new(struct datapath *, const struct dp_call_config *,
		    const struct dp_call_ops *, void *arg, char *err,
		    size_t errlen);
/* Stops the data path if running and unregisters; safe in callbacks. */
void		 dp_call_free(struct dp_call *);

/* Sends one PPP frame from the control plane (ppp_ops.send). */
int		 dp_call_send_frame(struct dp_call *, const uint8_t *frame,
		    size_t len);

/*
 * The session is up: moves IP packets between tun_fd and the call, with
 * MPPE per link (keys copied, so the caller may wipe them) and the PPP
 * compression negotiated, clamping TCP MSS to mss if it is not 0.
 */
int		 dp_call_start_data(struct dp_call *, int tun_fd,
		    const struct ppp_link *, uint16_t mss, char *err,
		    size_t errlen);
/* Stops moving data (the tun fd stays the caller's). */
void		 dp_call_stop_data(struct dp_call *);
/* The peer sent a CCP Reset-Request: reset the MPPE sender. */
void		 dp_call_mppe_reset(struct dp_call *);

void		 dp_call_get_stats(const struct dp_call *, struct dp_stats *);

#endif /* PPTPC_DATAPATH_H */
