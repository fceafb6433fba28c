/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Private to the userspace engine (datapath.h): datapath.c (calls, the
 * hash, the per-call data path), datapath_sock.c (the raw GRE socket)
 * and datapath_hold.c (GRE that comes before its call).  The state they
 * share and the functions each offers the others.
 */
#ifndef PPTPC_DATAPATH_LOCAL_H
#define PPTPC_DATAPATH_LOCAL_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "datapath.h"
#include "datapath_sync.h"
#include "gre.h"
#include "gre_call.h"
#include "mppe.h"
#include "timer.h"
#include "tso.h"
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
#define DP_HASH_SIZE	1024		/* a power of two; 1000 calls */
#define DP_SOCKBUF	(4 * 1024 * 1024)
#define DP_LOG_DEBUG_MS	1000
#define DP_LOG_WARN_MS	10000
#define IPV4_HDR_MIN	20
#define IPV6_HDR_LEN	40

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
	int			 tx_fd;		/* dp->fd, or the call's own */
	struct event		*own_ev;	/* reads the call's own */
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
	int			 mppe_stateless; /* mrx judges every data frame */
	int			 ipv6;		/* IPv6CP opened: 0x0057 flows */
	uint16_t		 mss;
	size_t			 tx_ip_max;

	struct dp_sync		 sync;		/* MPPE sync watch */

	struct dp_stats		 st;		/* own counters only */
	struct mppe_stats	 mppe_tx_done;	/* from earlier runs */
	struct mppe_stats	 mppe_rx_done;
	struct dp_ratelog	 rl_rx, rl_tx, rl_send, rl_sync;
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

	/*
	 * Tun offloads (tso.h): one super-packet read at a time, cut into
	 * the send slots; one super-packet being joined for one call at a
	 * time, written when a segment of anything else comes, when the
	 * call stops, and at the end of every read of the socket (in_rx).
	 * Shared by all calls: a thousand idle tunnels cost nothing more.
	 */
	uint8_t			*gso_buf;	/* TSO_PKT_MAX */
	struct gro		 gro;		/* gro.owner: a struct dp_call */
	int			 in_rx;		/* inside dp_readable() */

	struct dp_expect_list	 expect;
	struct dp_held		 hold[DP_HOLD_PKTS];
	uint64_t		 hold_order;
	struct timer		 hold_timer;

	struct datapath_stats	 st;
	struct dp_ratelog	 rl;
};

/*
 * Drops on the data path are counted, and logged at most once per
 * interval: a flood (or another program's GRE) must stay cheap and quiet.
 * RATELOG() evaluates its arguments only when a line is due.
 */
#define RATELOG(tb, rl, warn, ...) do {					\
	if (dp_rl_due((tb), (rl), (warn)))				\
		dp_rl_log((tb), (rl), (warn), __VA_ARGS__);		\
} while (0)

/* A send that failed for a full queue, not for a fault to report. */
static inline int
tx_err_is_congestion(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == ENOBUFS;
}

/* datapath.c */
void		 dp_gro_flush(struct datapath *);
int		 dp_rl_due(struct timer_base *, struct dp_ratelog *, int warn);
void		 dp_rl_log(struct timer_base *, struct dp_ratelog *, int warn,
		    const char *, ...)
		    __attribute__((__format__(printf, 4, 5)));
struct dp_call	*dp_lookup(struct datapath *, struct in_addr src,
		    uint16_t call_id);

/* datapath_sock.c */
int		 dp_sock_open(struct datapath *, char *err, size_t errlen);
void		 dp_sock_close(struct datapath *);
void		 dp_sock_pktinfo(struct dp_call *, struct in_addr local);
/* A call's own GRE socket (dp_call_config.gre_own): sends and reads. */
int		 dp_sock_own(struct dp_call *, int fd, char *err,
		    size_t errlen);
void		 dp_sock_own_close(struct dp_call *);
void		 dp_msg_prepare(struct dp_call *, struct msghdr *,
		    struct iovec *, uint8_t *pkt, size_t len);
int		 dp_gre_send(void *arg, const uint8_t *pkt, size_t len);
void		 dp_tx_flush(struct dp_call *, int n);
void		 dp_watch(struct datapath *);

/* datapath_hold.c */
void		 dp_hold_init(struct datapath *);
void		 dp_hold_free(struct datapath *);
int		 dp_hold_put(struct datapath *, struct in_addr src,
		    uint16_t call_id, const uint8_t *pkt, size_t len);
void		 dp_hold_claim(struct datapath *, struct dp_call *);
void		 dp_hold_release(struct datapath *, struct dp_call *);
void		 dp_hold_purge(struct datapath *, struct in_addr peer,
		    uint16_t call_id);

#endif /* PPTPC_DATAPATH_LOCAL_H */
