/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The one way the engine does something privileged (doc/privsep.md).
 *
 * pptpcd runs as two processes: a root parent that owns the host (routes,
 * interfaces, scripts, passwords) and the engine, which runs the event
 * loop and parses every byte that comes from the network.  Each call site
 * of a privileged operation reads
 *	if (priv_separated()) priv_x(...); else x(...);
 * so that without a channel (pptpcd -S, the unit tests, the test peer)
 * the real function runs in place, and the programs that link route.c
 * need not link the tun and script code as well.  Separated, priv_x()
 * sends one request over the socketpair and waits for the parent's
 * answer: every one is short, so a synchronous request/answer keeps the
 * call sites as they were.  What the parent says on its own (a script ended, a new
 * configuration) while the engine waits is queued, never lost, and
 * handed to the notice callback from the event loop.
 *
 * The channel is process-wide state, set once when the engine starts
 * (like log.c's settings): the calls sit deep in route.c, killswitch.c
 * and the engines, which have no tunnel at hand to carry it.
 *
 * The message catalogue (type, direction, payload, descriptor):
 *   PRIV_RESULT	p->e  struct priv_result		no
 *   PRIV_ROUTE		e->p  struct priv_route			no
 *   PRIV_REJECT	e->p  struct priv_reject		no
 *   PRIV_TUN_OPEN	e->p  struct priv_ifreq (want)		no
 *   PRIV_TUN		p->e  struct priv_tun			yes, if ok
 *   PRIV_IFACE_ADDR	e->p  struct priv_ifaddr		no
 *   PRIV_IFACE_MTU	e->p  struct priv_ifreq (value = mtu)	no
 *   PRIV_IFACE_UP	e->p  struct priv_ifreq (value = 0/1)	no
 *   PRIV_SCRIPT	e->p  struct priv_script		no
 *   PRIV_SCRIPT_DONE	p->e  struct priv_script_done		no
 *   PRIV_PASSWORD	e->p  (empty)				no
 *   PRIV_SECRET	p->e  struct priv_secret		no
 *   PRIV_SERVER	e->p  struct priv_server		no
 *   PRIV_GRE_SOCKET	e->p  (empty)				no
 *   PRIV_FD		p->e  struct priv_result		yes, if ok
 *   PRIV_RELOAD	e->p  (empty)				no
 *   PRIV_CONFIG	p->e  (empty): the normalised text	yes
 *   PRIV_OPEN_DEV	e->p  struct priv_open (/dev/ppp)	no
 *   PRIV_SOCKET	e->p  struct priv_socket (AF_PPPOX)	no
 *   PRIV_IFACE_CLAIM	e->p  struct priv_ifreq			yes: the unit
 *   PRIV_NFT		e->p  struct priv_nft			no
 *   PRIV_PPP_NEWUNIT	e->p  struct priv_ifreq (value = unit)	yes: /dev/ppp
 *   PRIV_PPP_ATTCHAN	e->p  struct priv_ifreq (empty)		yes: AF_PPPOX
 *   PRIV_DNS		e->p  struct priv_dns			no
 *   PRIV_WANSOCK	e->p  struct priv_wansock		no
 *   PRIV_SOCK_MARK	e->p  (empty)				yes: AF_PPPOX
 *   PRIV_IFACE_RDOMAIN	e->p  struct priv_ifreq (value = rdomain) no
 *   PRIV_ADDR6		e->p  struct priv_addr6			no
 *   PRIV_ROUTE6	e->p  struct priv_route6		no
 *   PRIV_READY		e->p  struct priv_ready			no
 *   PRIV_PING		p->e  struct priv_ping			no
 *   PRIV_PONG		e->p  struct priv_ping (the ping's seq)	no
 *   PRIV_RESOLV_FILES	e->p  struct priv_resolv_req		no
 *   PRIV_RESOLV_TEXT	p->e  struct priv_resolv_text		yes, if new
 *   PRIV_REJECT6	e->p  struct priv_reject6		no
 *   PRIV_PIPEX_PROBE	e->p  (empty)				no
 *   PRIV_PIPEX_SOCKET	e->p  struct priv_pipex_sock		no
 *   PRIV_PIPEX_ADD	e->p  struct priv_pipex_add		no
 *   PRIV_PIPEX_SESSION	p->e  struct priv_pipex_session		no
 *   PRIV_PIPEX_DEL	e->p  struct priv_pipex_id		no
 *   PRIV_PIPEX_STAT	e->p  struct priv_pipex_id		no
 *   PRIV_PIPEX_COUNTERS p->e struct priv_pipex_counters	no
 * Every request is answered by exactly one PRIV_RESULT, PRIV_TUN,
 * PRIV_SECRET, PRIV_FD, PRIV_RESOLV_TEXT, PRIV_PIPEX_SESSION or
 * PRIV_PIPEX_COUNTERS; the tunnel is the header's
 * name.  READY and PONG are the exceptions: news for systemd's notify
 * protocol, which only the parent may speak (NotifyAccess=main), never
 * answered, not even when refused, so that they cannot be taken for
 * another request's answer.
 */
#ifndef PPTPC_PRIV_H
#define PPTPC_PRIV_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "privmsg.h"
#include "resolve.h"

struct route_spec;
struct script_env;
struct tun;

enum priv_type {
	PRIV_RESULT = 1,
	PRIV_ROUTE,
	PRIV_REJECT,
	PRIV_TUN_OPEN,
	PRIV_TUN,
	PRIV_IFACE_ADDR,
	PRIV_IFACE_MTU,
	PRIV_IFACE_UP,
	PRIV_SCRIPT,
	PRIV_SCRIPT_DONE,
	PRIV_PASSWORD,
	PRIV_SECRET,
	PRIV_SERVER,
	PRIV_GRE_SOCKET,
	PRIV_FD,
	PRIV_RELOAD,
	PRIV_CONFIG,
	PRIV_OPEN_DEV,
	PRIV_SOCKET,
	PRIV_IFACE_CLAIM,
	PRIV_NFT,
	PRIV_PPP_NEWUNIT,
	PRIV_PPP_ATTCHAN,
	PRIV_DNS,
	PRIV_WANSOCK,
	PRIV_SOCK_MARK,
	PRIV_IFACE_RDOMAIN,
	PRIV_ADDR6,
	PRIV_ROUTE6,
	PRIV_READY,
	PRIV_PING,
	PRIV_PONG,
	PRIV_RESOLV_FILES,
	PRIV_RESOLV_TEXT,
	PRIV_REJECT6,
	/* OpenBSD's pipex(4) engine, made by the parent (doc/pipex.md §6). */
	PRIV_PIPEX_PROBE,
	PRIV_PIPEX_SOCKET,
	PRIV_PIPEX_ADD,
	PRIV_PIPEX_SESSION,
	PRIV_PIPEX_DEL,
	PRIV_PIPEX_STAT,
	PRIV_PIPEX_COUNTERS,
	PRIV_TYPE_MAX		/* last + 1 */
};

#define PRIV_IFNAME_MAX		16
/* A line of PRIV_CONFIG's text: "#pptpcd-pw NAME HEX", a fingerprint. */
#define PRIV_FP_PREFIX		"#pptpcd-pw "
#define PRIV_MSG_MAX		160
#define PRIV_SECRET_MAX		256

struct priv_result {
	int32_t		 error;		/* 0, or an errno */
	uint32_t	 pad;
	uint64_t	 value;		/* PRIV_NFT_GUARD_DROPPED's count */
	char		 msg[PRIV_MSG_MAX];	/* why, NUL-terminated */
};

#define PRIV_DEV_MAX		32
struct priv_open {
	int32_t		 flags;
	char		 path[PRIV_DEV_MAX];
};

struct priv_socket {
	int32_t		 domain;
	int32_t		 type;
	int32_t		 protocol;
};

/* The kernel engine's nf_tables tables (nft_mss.h, nft_guard.h). */
#define PRIV_NFT_MSS_ADD	1
#define PRIV_NFT_MSS_DEL	2
#define PRIV_NFT_SWEEP		3
#define PRIV_NFT_GUARD_ADD	4
#define PRIV_NFT_GUARD_DEL	5
#define PRIV_NFT_GUARD_DROPPED	6
struct priv_nft {
	uint8_t		 op;
	uint8_t		 pad;
	uint16_t	 mss;
	struct in_addr	 server;
	uint16_t	 call_id;
	uint16_t	 pad2;
	char		 ifname[PRIV_IFNAME_MAX];
};

struct priv_route {
	uint8_t		 add;		/* 1 add, 0 delete */
	uint8_t		 plen;		/* 0-32 */
	uint8_t		 flags;		/* ROUTE_GATEWAY, ROUTE_ONLINK */
	uint8_t		 pad;
	struct in_addr	 dst;
	struct in_addr	 gateway;
	char		 ifname[PRIV_IFNAME_MAX];
};

struct priv_reject {
	uint8_t		 add;
	uint8_t		 plen;		/* 1-32 */
	uint8_t		 pad[2];
	struct in_addr	 dst;
};

struct priv_ifreq {
	uint32_t	 value;
	char		 ifname[PRIV_IFNAME_MAX];
};

struct priv_ifaddr {
	uint8_t		 set;		/* 1 set, 0 delete */
	uint8_t		 pad[3];
	struct in_addr	 local;
	struct in_addr	 peer;
	char		 ifname[PRIV_IFNAME_MAX];
};

struct priv_tun {
	int32_t		 error;
	char		 name[PRIV_IFNAME_MAX];
	char		 msg[PRIV_MSG_MAX];
};

#define PRIV_SCRIPT_UP		1
#define PRIV_SCRIPT_DOWN	2

struct priv_script {
	uint8_t		 which;		/* PRIV_SCRIPT_UP, _DOWN */
	uint8_t		 pad[3];
	struct in_addr	 local;
	struct in_addr	 peer;
	struct in_addr	 dns1;
	struct in_addr	 dns2;
	uint32_t	 mtu;
	char		 ifname[PRIV_IFNAME_MAX];
};

struct priv_script_done {
	uint8_t		 which;
	uint8_t		 pad[3];
	int32_t		 status;	/* wait status; -1: not started */
};

struct priv_secret {
	int32_t		 error;
	uint32_t	 len;
	char		 secret[PRIV_SECRET_MAX + 1];	/* NUL-terminated */
};

struct priv_server {
	struct in_addr	 addr;
	uint16_t	 port;		/* host order */
	uint16_t	 pad;
};

/*
 * DNS for the host (dns.h): the servers only; the domains are the
 * parent's configuration's, the backend the one the parent used.
 * Answered by PRIV_RESULT, value = the enum dns_backend applied.
 */
#define PRIV_DNS_APPLY		1
#define PRIV_DNS_REVERT		2
#define PRIV_DNS_SERVERS_MAX	2	/* DNS_SERVERS_MAX */
struct priv_dns {
	uint8_t		 op;		/* PRIV_DNS_APPLY, _REVERT */
	uint8_t		 nservers;	/* 0-PRIV_DNS_SERVERS_MAX */
	uint8_t		 pad[2];
	struct in_addr	 servers[PRIV_DNS_SERVERS_MAX];
	char		 ifname[PRIV_IFNAME_MAX];
};

/*
 * A tunnel's own TCP or GRE socket (wansock.h): made by the parent with
 * the mark, rtable and local address of the tunnel's configuration, none
 * of which the engine sends.  Answered by PRIV_FD.
 */
#define PRIV_WANSOCK_TCP	1
#define PRIV_WANSOCK_GRE	2
struct priv_wansock {
	uint8_t		 kind;		/* PRIV_WANSOCK_TCP, _GRE */
	uint8_t		 pad[3];
};

/* An IPv6 address on the tunnel's interface (net6.h). */
struct priv_addr6 {
	uint8_t		 add;		/* 1 add, 0 delete */
	uint8_t		 plen;		/* 1-128 */
	uint8_t		 pad[2];
	struct in6_addr	 local;
	struct in6_addr	 peer;		/* :: for none */
	char		 ifname[PRIV_IFNAME_MAX];
};

/* An IPv6 route through it; the table is the parent's (route_where). */
struct priv_route6 {
	uint8_t		 add;
	uint8_t		 plen;		/* 1-128 */
	uint8_t		 pad[2];
	struct in6_addr	 dst;
	char		 ifname[PRIV_IFNAME_MAX];
};

/*
 * The kill switch's IPv6 unreachable route (net6_reject_change()) for
 * the tunnel named in the header; the table is the parent's.
 */
struct priv_reject6 {
	uint8_t		 add;
	uint8_t		 plen;		/* 1-128 */
	uint8_t		 pad[2];
	struct in6_addr	 dst;
};

/*
 * The engine serves (its configuration is loaded, the control socket
 * answers): status is for systemd's STATUS=, printable ASCII only.
 */
struct priv_ready {
	char		 status[PRIV_MSG_MAX];	/* NUL-terminated */
};

/* The parent's watchdog: the engine's event loop echoes seq. */
struct priv_ping {
	uint32_t	 seq;
	uint32_t	 pad;
};

/*
 * The resolver's files (resolve.h), which the sandboxed engine cannot
 * open: "their text, unless they are still id" (have 1) or "their text"
 * (have 0: a first lookup, a reload).  The answer's descriptor holds
 * len[0] bytes of resolv.conf then len[1] of /etc/hosts, read by the
 * parent as bytes and parsed only by the engine.
 */
struct priv_resolv_req {
	uint8_t			 have;		/* 0, 1 */
	uint8_t			 pad[7];
	struct resolve_file_id	 id[RESOLVE_TEXT_FILES];
};

struct priv_resolv_text {
	int32_t			 error;		/* 0, or an errno */
	uint32_t		 changed;	/* 1: the descriptor has it */
	struct resolve_file_id	 id[RESOLVE_TEXT_FILES];
	uint32_t		 len[RESOLVE_TEXT_FILES];
	char			 msg[PRIV_MSG_MAX];
};

/*
 * The pipex engine (kernel-glue/pipex-openbsd.c): the sysctls, /dev/pppxN,
 * IP_PIPEX and the PIPEX* ioctls are outside every pledge(2) promise, so
 * the parent does them.  PRIV_PIPEX_PROBE is answered by PRIV_RESULT
 * (error 0: pipex can carry a tunnel; else why, in msg).
 * PRIV_PIPEX_SOCKET: a raw GRE socket bound to local with IP_PIPEX set,
 * answered by PRIV_FD.
 */
struct priv_pipex_sock {
	struct in_addr	 local;		/* the control connection's own */
};

/*
 * A session, in plain values the parent checks before it builds the
 * pipex_session_req itself (pipex_map.c).  The keys are the MPPE start
 * keys: the parent wipes them once the kernel has them.
 */
#define PRIV_PX_ACFC_TX		0x01
#define PRIV_PX_PFC_TX		0x02
#define PRIV_PX_ACFC_RX		0x04
#define PRIV_PX_PFC_RX		0x08
#define PRIV_PX_MPPE		0x10
#define PRIV_PX_TCPMSS		0x20
#define PRIV_PX_FLAGS		0x3f
struct priv_pipex_add {
	uint16_t	 our_call_id;
	uint16_t	 peer_call_id;
	uint16_t	 our_rwin;	/* 0: pptp_ctrl's default */
	uint16_t	 peer_rwin;
	struct in_addr	 local;		/* outer: the control connection's */
	struct in_addr	 peer;		/* outer: the tunnel's server */
	struct in_addr	 ip_local;	/* IPCP: ours */
	struct in_addr	 ip_peer;	/* IPCP: the server's */
	uint32_t	 snd_nxt;	/* pipex_gre_state at the handover */
	uint32_t	 snd_una;
	uint32_t	 rcv_nxt;
	uint32_t	 rcv_acked;
	uint16_t	 peer_mru;	/* 0: LCP never heard one */
	uint8_t		 flags;		/* PRIV_PX_* */
	uint8_t		 mppe_keybits;	/* 40, 56, 128; 0 without MPPE */
	uint32_t	 mppe_tx_bits;	/* option 18 words (ccp.h) */
	uint32_t	 mppe_rx_bits;
	uint8_t		 send_key[16];
	uint8_t		 recv_key[16];
};

struct priv_pipex_session {
	int32_t		 error;		/* 0, or an errno */
	uint16_t	 peer_mru;	/* pppxM's MTU as made */
	uint16_t	 pad;
	char		 ifname[PRIV_IFNAME_MAX];	/* pppxM */
	char		 msg[PRIV_MSG_MAX];
};

/* PRIV_PIPEX_DEL, PRIV_PIPEX_STAT: the session the parent made. */
struct priv_pipex_id {
	uint16_t	 call_id;	/* ours */
	uint16_t	 pad;
};

/* pipex_statistics, as PIPEXGSTAT or PIPEXDSESSION left them. */
struct priv_pipex_counters {
	int32_t		 error;
	uint32_t	 pad;
	uint64_t	 ipackets;
	uint64_t	 ierrors;
	uint64_t	 ibytes;
	uint64_t	 opackets;
	uint64_t	 oerrors;
	uint64_t	 obytes;
	char		 msg[PRIV_MSG_MAX];
};

/*
 * The parent's news, handed over from the event loop: a script's end,
 * a new configuration (fd: its normalised text, the callee's to close).
 */
struct priv_notice {
	uint16_t	 type;		/* PRIV_SCRIPT_DONE, PRIV_CONFIG */
	char		 tunnel[PRIVMSG_NAME_MAX];
	struct priv_script_done done;
	int		 fd;
	uint32_t	 seq;		/* PRIV_PING, answered in priv.c */
};

struct event_base;

/*
 * The engine's side.  priv_engine_start() makes every priv_*() below go
 * to the parent over sock, and watches sock on evbase for its notices;
 * on EOF (the parent died) the engine exits.  Without it, direct mode.
 */
int	priv_engine_start(int sock, struct event_base *evbase,
	    void (*notice)(void *, const struct priv_notice *), void *arg);
void	priv_engine_stop(void);
/* Hands the queued notices over now, not from the loop. */
void	priv_engine_flush(void);
int	priv_separated(void);

int	priv_route_change(int add, const struct route_spec *, const char *what,
	    char *err, size_t errlen);
/*
 * The table of a route or an unreachable route is not sent: the parent
 * takes it from its own configuration of the tunnel (route_where_conf()),
 * the one the route names (route_spec.tunnel) or the one named here.
 */
int	priv_route_reject(const char *tunnel, int add, struct in_addr dst,
	    uint8_t plen, uint32_t table, const char *what, char *err,
	    size_t errlen);
/* The same for IPv6, for the tunnel named (killswitch.h). */
int	priv_route_reject6(const char *tunnel, int add, struct in6_addr dst,
	    uint8_t plen, char *err, size_t errlen);
int	priv_tun_open(const char *tunnel, struct tun *, const char *want,
	    char *err, size_t errlen);
int	priv_iface_set_addr(const char *tunnel, const char *ifname,
	    struct in_addr local, struct in_addr peer, char *err,
	    size_t errlen);
int	priv_iface_del_addr(const char *tunnel, const char *ifname,
	    struct in_addr local, struct in_addr peer, char *err,
	    size_t errlen);
int	priv_iface_set_mtu(const char *tunnel, const char *ifname,
	    unsigned int mtu, char *err, size_t errlen);
int	priv_iface_set_up(const char *tunnel, const char *ifname, int up,
	    char *err, size_t errlen);
/*
 * Separated: asks the parent to run the tunnel's configured script and
 * returns 0 once it runs; its end comes as a PRIV_SCRIPT_DONE notice.
 */
int	priv_script_start(const char *tunnel, int which,
	    const struct script_env *, char *err, size_t errlen);
/*
 * The tunnel's password, fetched when it dials: *pw is the caller's to
 * wipe and free (conf_free_secret()).  Direct mode: a copy of fallback.
 */
int	priv_password(const char *tunnel, const char *fallback,
	    size_t fallback_len, char **pw, size_t *pwlen, char *err,
	    size_t errlen);
/* The address the tunnel dials, so that the parent may pin a way to it. */
int	priv_server(const char *tunnel, struct in_addr addr, uint16_t port,
	    char *err, size_t errlen);
/* The raw GRE socket (-1 and err on failure). */
int	priv_gre_socket(char *err, size_t errlen);
/*
 * Separated: asks the parent to read the file again; the new text comes
 * as a PRIV_CONFIG notice.  Returns 0, or -1 with the parse errors' hint.
 */
int	priv_reload(char *msg, size_t msglen);

/*
 * The kernel engine's opens that need root: /dev/ppp, AF_PPPOX.  A PPTP
 * socket made for a tunnel (tunnel not NULL) is remembered by the parent
 * as that tunnel's, the only kind priv_ppp_attchan() takes.
 */
int	priv_open_dev(const char *path, int flags);
int	priv_socket(const char *tunnel, int domain, int type, int protocol);
/*
 * PPPIOCNEWUNIT needs CAP_NET_ADMIN when it is made, whoever opened the
 * descriptor: the parent makes the unit on our /dev/ppp descriptor.
 * *unit: wanted (-1: any) in, made out.
 */
int	priv_ppp_newunit(int fd, int *unit);
/*
 * PPPIOCATTCHAN needs CAP_NET_ADMIN too.  The engine names no channel:
 * it shows the tunnel's connected PPTP socket, the parent asks the
 * socket its channel (PPPIOCGCHAN), attaches a /dev/ppp of its own to
 * it and answers with that descriptor (-1 and err on failure).  So the
 * engine can attach only its own channel, never another pppd's.
 */
int	priv_ppp_attchan(const char *tunnel, int sock, char *err,
	    size_t errlen);
/* The kernel engine's pppN, proven by its unit descriptor. */
int	priv_iface_claim(const char *tunnel, const char *ifname, int unit_fd,
	    char *err, size_t errlen);
/* An nf_tables operation; *value gets GUARD_DROPPED's count. */
int	priv_nft(const char *tunnel, int op, const char *ifname, uint16_t mss,
	    struct in_addr server, uint16_t call_id, uint64_t *value,
	    char *err, size_t errlen);

/*
 * The pipex engine's privileged steps (OpenBSD), done by the parent.
 * priv_pipex_probe(): 0 if pipex can carry a tunnel, else -1 and why.
 * priv_pipex_socket(): the raw GRE socket with IP_PIPEX, bound to local.
 * priv_pipex_add(): the parent opens /dev/pppxN and keeps it for the
 * session's life; ifname gets pppxM, *peer_mru its MTU as made.  The
 * caller wipes q (it holds the MPPE keys).
 * priv_pipex_del() and priv_pipex_stat(): counters of the session with
 * our call ID call_id (the delete's are the final ones).
 */
int	priv_pipex_probe(char *why, size_t len);
int	priv_pipex_socket(const char *tunnel, struct in_addr local,
	    char *err, size_t errlen);
int	priv_pipex_add(const char *tunnel, const struct priv_pipex_add *q,
	    char *ifname, size_t iflen, uint16_t *peer_mru, char *err,
	    size_t errlen);
int	priv_pipex_del(const char *tunnel, uint16_t call_id,
	    struct priv_pipex_counters *, char *err, size_t errlen);
int	priv_pipex_stat(const char *tunnel, uint16_t call_id,
	    struct priv_pipex_counters *, char *err, size_t errlen);

/*
 * Issue 11's host operations.  Separated, none sends a value the parent
 * could take from the tunnel's configuration instead: it checks the rest.
 */
/* dns_apply(): *used gets the backend.  Domains: the configuration's. */
int	priv_dns_apply(const char *tunnel, const char *ifname,
	    const struct in_addr *servers, size_t n, int *used, char *err,
	    size_t errlen);
/* dns_revert() of what the parent applied for the tunnel. */
int	priv_dns_revert(const char *tunnel, const char *ifname, char *err,
	    size_t errlen);
/* wansock_tcp()/wansock_gre() with the configuration's values: the fd. */
int	priv_wansock(const char *tunnel, int kind, char *err, size_t errlen);
/* wansock_mark() of the kernel engine's PPTP socket with the config's. */
int	priv_sock_mark(const char *tunnel, int fd, char *err, size_t errlen);
/* OpenBSD: iface_set_rdomain() to the configuration's interface-rdomain. */
int	priv_iface_set_rdomain(const char *tunnel, const char *ifname,
	    unsigned int rdomain, char *err, size_t errlen);
int	priv_addr6(const char *tunnel, int add, const char *ifname,
	    struct in6_addr local, uint8_t plen, struct in6_addr peer,
	    char *err, size_t errlen);
int	priv_route6(const char *tunnel, int add, const char *ifname,
	    struct in6_addr dst, uint8_t plen, char *err, size_t errlen);
/*
 * Separated: tells the parent that the engine serves, with a status line
 * for the service manager (priv_ready); the parent notifies systemd.
 * Direct mode: does nothing and returns -1.
 */
int	priv_ready(const char *status);
/* A resolve_fetch_fn (resolve.h) that asks the parent; arg unused. */
int	priv_resolv_files(void *arg, const struct resolve_file_id *have,
	    struct resolve_text *out, char *err, size_t errlen);

/* Names for log lines. */
const char	*priv_type_name(unsigned int type);

#endif /* PPTPC_PRIV_H */
