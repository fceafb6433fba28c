/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The data-path engines behind one small interface, and the choice
 * between them (`offload auto|pipex|kernel|userspace`).
 *
 *	userspace	pptpcd's own loop (daemon/datapath.h): tun(4), PPP,
 *			MPPE and GRE in the process.  Everywhere.
 *	kernel		Linux: an AF_PPPOX/PX_PROTO_PPTP socket, a ppp_generic
 *			channel and unit (pppN), ppp_mppe (kernel-linux.c).
 *	pipex		OpenBSD: pipex(4) through a pppx(4) device
 *			(pipex-openbsd.c, pipex_map.c).
 *
 * Choosing.  offload_probe() asks each engine whether it can run here and,
 * if not, why and what would fix it ("/dev/ppp is missing: load
 * ppp_generic").  offload_select() is the pure decision: auto takes the
 * first usable of pipex, kernel, userspace and explains each refusal; a
 * forced engine that is not usable is an error naming the reason, never a
 * silent fallback.  The tunnel code probes at dial time, selects, logs
 * "office: engine kernel (pipex: ...)" and shows the engine in pptpctl.
 * If opening the chosen engine fails at call-up under auto, the tunnel
 * puts that failure into why_not[] and selects again, which falls through
 * to the next engine (userspace always works); under a forced engine the
 * session fails with that error.
 *
 * The moment of handover differs between the kernels, so a session has
 * two phases and every engine implements both, even where one is trivial:
 *
 *  0. Optional, before our Outgoing-Call-Request: offload_prepare().  The
 *     call can only be completed with the server's call ID from the OCRP,
 *     so the engine does all it can before, leaving the least possible
 *     work between reading the OCRP and receiving.  GRE of the call that
 *     comes before call-up (a server's first LCP Configure-Request often
 *     overtakes its OCRP) is held by datapath.h's dp_expect() for every
 *     engine, and handed to PPP at call-up (dp_expect_take()).
 *	userspace: nothing.
 *	kernel:    the pptp socket is made and bound to our call ID and
 *		   local address (doc/linux-pptp.md §2.2 steps 1-2, as in
 *		   accel-ppp and pppd's pptp plugin): the kernel takes the
 *		   call ID before the OCRQ announces it, and call-up is a
 *		   single connect() away from receiving.
 *     offload_open() takes the prepared state over; a dial that ends
 *     before call-up releases it with offload_unprepare().
 *
 *  1. Transport, from call-up (the server's OCRP) to teardown:
 *     offload_open().  From then on the engine carries the control
 *     plane's PPP frames: ppp_ops.send goes to offload_send_frame(), and
 *     every frame the engine receives for PPP comes back through
 *     offload_ops.frame, to be handed to ppp_input().
 *	userspace: a dp_call on the shared raw GRE socket.
 *	kernel:    the pptp socket is bound to our call ID and connected to
 *		   the server's, and the channel and unit (pppN) exist: from
 *		   here on the kernel owns GRE sequencing for the call, so
 *		   LCP and authentication already travel through it (a
 *		   userspace GRE socket must not send for this call).
 *	pipex:     a raw GRE socket with IP_PIPEX and userland GRE state,
 *		   exactly as without pipex, plus an open pppx(4) device.
 *
 *  2. Data, at offload_attach(), called from ppp_ops.up (IPCP, and CCP if
 *     MPPE is used, are opened; no data has flowed either way).  The
 *     engine creates or finishes the network interface (MTU, addresses,
 *     up) and starts carrying IP.  pipex takes the whole session here, in
 *     one PIPEXASESSION, as npppd does: it has no field for an MPPE
 *     coherency count, so this must happen before the first encrypted
 *     packet.  The interface's name is returned for routes.
 *
 * Between the two, the Linux kernel must follow CCP itself (ppp_mppe
 * snoops the Configure-Acks on the unit, doc/linux-pptp.md §4.3-4.5), so the
 * PPP code reports CCP's moments through offload_ccp(), synchronously and
 * before the frame in question is sent:
 *
 *	OFFLOAD_CCP_OPEN	before our first CCP Configure-Request, with
 *				both start keys and our requested bits
 *	OFFLOAD_CCP_ACK		before each Configure-Ack of the peer's MPPE
 *				request, with the bits being acked
 *	OFFLOAD_CCP_UP		CCP reached Opened
 *	OFFLOAD_CCP_DOWN	CCP left Opened (the peer renegotiates)
 *	OFFLOAD_CCP_CLOSED	CCP is finished
 *
 * The userspace and pipex engines accept and ignore these (pipex gets the
 * keys at attach); so the PPP code need not know which engine runs.
 *
 * MPPE resets.  When the kernel cannot decrypt (Linux: 0x00FD frames
 * reach the unit, §4.6), or the userspace MPPE loses sync, the engine
 * calls offload_ops.reset_needed: the tunnel answers with
 * ppp_ccp_reset_request(), which is rate-limited.  The peer's
 * Reset-Request reaches PPP as usual; PPP's reset_req callback calls
 * offload_mppe_reset() (userspace resets its sender; Linux resets in the
 * kernel when our Reset-Ack passes the unit; pipex consumes
 * Reset-Requests in the kernel).
 *
 * Callbacks run from the event loop.  They may call offload_send_frame()
 * and offload_ccp() but must not call offload_close(): a session that
 * must go is closed later (a 0 ms timer), like every other object here.
 */
#ifndef PPTPC_OFFLOAD_H
#define PPTPC_OFFLOAD_H

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct timer_base;
struct datapath;
struct ppp_link;

#define OFFLOAD_WHY_MAX		256	/* one engine's "why not" */
#define OFFLOAD_NOTE_MAX	(3 * OFFLOAD_WHY_MAX)
#define OFFLOAD_IFNAME_MAX	16	/* IFNAMSIZ on both systems */

/* In the order `offload auto` tries them. */
enum offload_engine_id {
	OFFLOAD_ENGINE_PIPEX = 0,
	OFFLOAD_ENGINE_KERNEL,
	OFFLOAD_ENGINE_USERSPACE,
	OFFLOAD_ENGINE_COUNT
};

/*
 * The system calls the kernel engines make, so that tests can play every
 * errno the kernel can give and script a session.  NULL (in
 * offload_probe() and offload_env) means the real ones, which each per-OS
 * file keeps for itself.
 */
struct offload_sys {
	int	(*open)(const char *path, int flags);
	int	(*socket)(int domain, int type, int protocol);
	int	(*ioctl)(int fd, unsigned long req, void *arg);
	int	(*close)(int fd);
	/* sysctl(2) by MIB; OpenBSD only, NULL elsewhere. */
	int	(*sysctl)(const int *mib, unsigned int miblen, void *old,
		    size_t *oldlen);
	/* What a kernel session does besides (Linux). */
	int	(*bind)(int fd, const struct sockaddr *, socklen_t);
	int	(*connect)(int fd, const struct sockaddr *, socklen_t);
	ssize_t	(*read)(int fd, void *, size_t);
	ssize_t	(*write)(int fd, const void *, size_t);
};

/* What every engine needs from the daemon. */
struct fdcloser;

struct offload_env {
	const struct offload_sys *sys;	/* NULL: the real system calls */
	struct event_base	*evb;
	struct timer_base	*tb;
	struct datapath		*dp;	/* userspace only; NULL otherwise */
	struct fdcloser		*closer; /* closes tun(4)s; NULL: in place */
};

/* The PPTP call, as known at call-up. */
struct offload_call {
	const char	*tag;		/* tunnel name for log lines, copied */
	struct in_addr	 local;		/* getsockname() of the TCP socket */
	struct in_addr	 peer;		/* the server address dialled */
	uint16_t	 our_call_id;	/* ours, sent in the OCRQ */
	uint16_t	 peer_call_id;	/* the server's, from the OCRP */
	uint16_t	 our_rwin;	/* our OCRQ receive window */
	uint16_t	 peer_rwin;	/* the OCRP receive window */
	const char	*ifname_want;	/* config "interface"; "" or NULL:
					   the engine's first free one */
	unsigned int	 reorder_pkts;	/* userspace GRE reordering, 0: off */
	unsigned int	 reorder_wait_ms;
	/* Several WANs (wansock.h): 0 where not configured. */
	int		 gre_own;	/* gre_fd is the tunnel's own GRE
					   socket (the tunnel's to close);
					   0: the datapath's shared one */
	int		 gre_fd;
	uint32_t	 fwmark;	/* Linux SO_MARK of the GRE */
	unsigned int	 rdomain;	/* OpenBSD rtable of the GRE */
	unsigned int	 iface_rdomain;	/* OpenBSD rdomain of the interface */
	/*
	 * offload_prepare()'s state for this call, or NULL.  offload_open()
	 * takes it over whether it succeeds or not, and releases it if it
	 * belongs to another engine.
	 */
	struct offload_prep	*prep;
};

/* What the engine tells the tunnel. */
struct offload_ops {
	/*
	 * A PPP frame for ppp_input(): [FF 03] protocol payload.  Valid
	 * during the call only.
	 */
	void	(*frame)(void *arg, const uint8_t *frame, size_t len);
	/* Our receiver lost MPPE sync: ppp_ccp_reset_request(). */
	void	(*reset_needed)(void *arg);
	/* The engine cannot go on (device gone, fatal MPPE errors). */
	void	(*failed)(void *arg, const char *why);
};

enum offload_ccp_event {
	OFFLOAD_CCP_OPEN = 0,
	OFFLOAD_CCP_ACK,
	OFFLOAD_CCP_UP,
	OFFLOAD_CCP_DOWN,
	OFFLOAD_CCP_CLOSED,
};

/*
 * MPPE material for OFFLOAD_CCP_OPEN and _ACK.  The keys are the RFC 3079
 * start keys of the client's directions (mppe_keys.h); the engine copies
 * what it needs and wipes its copy once CCP is up.  The bits are option 18
 * words in the form of ccp.h (MPPE_H, MPPE_S, ...).
 */
struct offload_mppe {
	uint8_t		 send_key[16];
	uint8_t		 recv_key[16];
	uint32_t	 rx_bits;	/* OPEN: what we request to receive */
	uint32_t	 tx_bits;	/* ACK: the peer's request we ack */
};

/* Phase 2, from ppp_ops.up. */
struct offload_attach {
	const struct ppp_link	*link;	/* read during the call only */
	struct in_addr	 local;		/* IPCP: ours, network order */
	struct in_addr	 peer;		/* IPCP: the server's */
	unsigned int	 mtu;		/* tunnel_mtu() */
	uint16_t	 mss;		/* clamp TCP MSS to this; 0: off.
					   out: 0 if the engine could not */
	char		 ifname[OFFLOAD_IFNAME_MAX]; /* out: carries the data */
};

/* Counters at the tunnel interface, for pptpctl. */
struct offload_stats {
	uint64_t	 tx_packets;
	uint64_t	 tx_bytes;
	uint64_t	 tx_errors;
	uint64_t	 rx_packets;
	uint64_t	 rx_bytes;
	uint64_t	 rx_errors;
	uint64_t	 rx_lost;
	/*
	 * Seconds since the last data packet arrived, -1 if unknown.  A
	 * kernel engine moves data PPP never sees: when this is small the
	 * tunnel calls ppp_alive().
	 */
	int64_t		 rx_idle_s;
	/*
	 * Per layer, for pptpctl: OFFLOAD_UNKNOWN unless the engine sees
	 * that layer (the userspace engine sees all; the kernel engines run
	 * GRE and MPPE out of pptpcd's sight).
	 */
	uint64_t	 gre_reordered;
	uint64_t	 gre_late;
	uint64_t	 gre_duplicate;
	uint64_t	 gre_out_of_window;
	uint64_t	 gre_resyncs;
	uint64_t	 mppe_undecryptable;
	uint64_t	 mppe_over_budget;
	uint64_t	 mppe_resets_sent;
	uint64_t	 mppe_resets_received;
	uint64_t	 cleartext_dropped;	/* unencrypted under MPPE: the
						   kernel engine's nf_tables
						   guard counts them too */
};
#define OFFLOAD_UNKNOWN		UINT64_MAX

struct offload_session;

/*
 * An engine's state for one call between offload_prepare() and
 * offload_open(); engines extend it like struct offload_session.
 */
struct offload_prep {
	const struct offload_engine	*engine;
};

/*
 * One engine.  Every member is set except prepare and unprepare, which
 * are NULL for an engine with nothing to do before call-up, and ccp,
 * NULL for one that takes its keys from the link at attach; offload_*()
 * below dispatch to them.
 */
struct offload_engine {
	enum offload_engine_id	 id;
	const char		*name;		/* "pipex", "kernel", ... */
	/* 0 if usable here; -1 with the reason and the fix in why. */
	int	(*probe)(const struct offload_sys *, char *why, size_t);
	struct offload_session *(*open)(const struct offload_env *,
		    const struct offload_call *, const struct offload_ops *,
		    void *arg, char *err, size_t errlen);
	/* Phase 0: our_call_id, local and peer of the call are set. */
	int	(*prepare)(const struct offload_env *,
		    const struct offload_call *, struct offload_prep **out,
		    char *err, size_t errlen);
	void	(*unprepare)(struct offload_prep *);
	int	(*send_frame)(struct offload_session *, const uint8_t *,
		    size_t);
	int	(*ccp)(struct offload_session *, enum offload_ccp_event,
		    const struct offload_mppe *, char *err, size_t errlen);
	int	(*attach)(struct offload_session *, struct offload_attach *,
		    char *err, size_t errlen);
	void	(*mppe_reset)(struct offload_session *);
	void	(*get_stats)(struct offload_session *, struct offload_stats *);
	void	(*close)(struct offload_session *, struct offload_stats *);
};

/*
 * Every engine's session starts with this, so that the calls below can
 * dispatch on it.  Engines own the rest.
 */
struct offload_session {
	const struct offload_engine	*engine;
};

/*
 * The engines of this build, indexed by enum offload_engine_id; NULL for
 * an engine this system does not have, with the reason in *why.  The
 * kernel engines come from the per-OS files (offload_os_engine()).
 */
const struct offload_engine *offload_engine(enum offload_engine_id,
		    const char **why);
/* Implemented once per OS, by kernel-linux.c and pipex-openbsd.c. */
const struct offload_engine *offload_os_engine(enum offload_engine_id,
		    const char **why);
/* The userspace engine over daemon/datapath.h (offload.c). */
extern const struct offload_engine offload_userspace;

const char	*offload_engine_name(enum offload_engine_id);

/*
 * Probes every engine of this build (sys NULL: the real system calls).
 * why_not[i] becomes NULL for a usable engine, else it points into
 * bufs[i] with the reason.  Probing opens and closes devices; it leaves
 * nothing behind.
 */
void		 offload_probe(const struct offload_sys *,
		    const char *why_not[OFFLOAD_ENGINE_COUNT],
		    char bufs[OFFLOAD_ENGINE_COUNT][OFFLOAD_WHY_MAX]);

/*
 * The pure choice for mode, an enum offload_mode of config.h (an int here
 * because config.h and ccp.h both define MPPE_REQUIRED, so this header,
 * which ppp.h users include, cannot include config.h yet).  why_not[i]
 * is NULL when engine i is usable.  On
 * success *out is the engine and note says why the ones auto passed over
 * were not used ("pipex: ...; kernel: ..."), or is "" if none was.  A
 * forced engine that is not usable gives -1 and a message in err, as does
 * auto with nothing usable or an unknown mode.
 */
int		 offload_select(int mode,
		    const char *const why_not[OFFLOAD_ENGINE_COUNT],
		    enum offload_engine_id *out, char *note, size_t notelen,
		    char *err, size_t errlen);

/*
 * Phase 0, before the OCRQ: only our_call_id, local, peer and tag of call
 * need be set.  0 with *out NULL for an engine that needs nothing, 0
 * with *out set, or -1 with a message in err (offload_open() will meet
 * the same trouble and report it).
 */
int		 offload_prepare(const struct offload_engine *,
		    const struct offload_env *, const struct offload_call *,
		    struct offload_prep **out, char *err, size_t errlen);
/* Releases what offload_prepare() made, for a dial that ends early. */
void		 offload_unprepare(struct offload_prep *);

/* Phase 1: NULL with a message in err.  Takes over call->prep. */
struct offload_session *offload_open(const struct offload_engine *,
		    const struct offload_env *, const struct offload_call *,
		    const struct offload_ops *, void *arg, char *err,
		    size_t errlen);
/* A control-plane PPP frame from ppp_ops.send; 0, or -1 if dropped. */
int		 offload_send_frame(struct offload_session *,
		    const uint8_t *frame, size_t len);
/* CCP's moments (above); 0, or -1 with a message: close the link. */
int		 offload_ccp(struct offload_session *, enum offload_ccp_event,
		    const struct offload_mppe *, char *err, size_t errlen);
/* Phase 2; fills a->ifname.  -1 with a message: close the link. */
int		 offload_attach(struct offload_session *,
		    struct offload_attach *, char *err, size_t errlen);
/* The peer's CCP Reset-Request reached PPP. */
void		 offload_mppe_reset(struct offload_session *);
void		 offload_get_stats(struct offload_session *,
		    struct offload_stats *);
/*
 * Detaches, tears down in the kernel's order and frees; final (may be
 * NULL) receives the last counters.  NULL is fine.
 */
void		 offload_close(struct offload_session *,
		    struct offload_stats *final);
const struct offload_engine *offload_session_engine(
		    const struct offload_session *);



#endif /* PPTPC_OFFLOAD_H */
