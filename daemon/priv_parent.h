/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The parent's side of the channel (priv.h): each request from the engine
 * decoded, checked against the parent's own configuration and what the
 * parent itself made for the tunnel, then done through struct priv_ops
 * and answered.  A request outside that is refused with EPERM and a
 * rate-limited log line; the parent carries on.
 *
 * What the parent holds per tunnel (struct ptun): the interface it opened,
 * the session addresses it set (after addr_policy.c's rules), the server
 * address the engine dials, the host routes it pinned towards it.  What
 * the engine may ask (doc/privsep.md §2):
 *   - a route through the tunnel's own interface: one of the tunnel's
 *     `route` prefixes, 0/1 and 128/1 with default-route, or the peer;
 *     deleting any route through that interface;
 *   - a /32 host route to the tunnel's server through anything but a
 *     tunnel interface (the default-route and kill-switch pins); deleting
 *     only such a route it added;
 *   - an unreachable route for a prefix a kill-switch tunnel carries, or
 *     removing one the parent added; the same for an IPv6 prefix of the
 *     tunnel named, with "ipv6 yes" (priv_parent11.c);
 *   - one tun per configured tunnel, named as the configuration says;
 *   - address, MTU and link state of that interface only;
 *   - the tunnel's configured up or down script, with the interface and
 *     addresses the parent knows and an environment it builds itself;
 *   - the tunnel's password, the raw GRE socket, a reload;
 *   - the text of resolv.conf and /etc/hosts, never parsed here;
 *   - for the Linux kernel engine: /dev/ppp opened read-write, an
 *     AF_PPPOX PPTP socket, a /dev/ppp attached to the channel of a
 *     PPTP socket the parent made for that tunnel (the channel read from
 *     the socket, never taken from the engine), a pppN whose unit
 *     descriptor it shows, and
 *     that interface's nf_tables tables (MSS clamp, cleartext guard for
 *     the tunnel's server);
 *   - issue 11's (priv_parent11.c): DNS on its own interface with `dns
 *     apply`, the tunnel's TCP and GRE sockets made with the values of
 *     its configuration, the mark of its kernel PPTP socket, the
 *     interface's rdomain, and with `ipv6 yes` the link-local address,
 *     address6, the IPv6 routes and halves on its interface.
 *   - for OpenBSD's pipex engine (priv_pipex.c): whether pipex can run,
 *     a raw GRE socket with IP_PIPEX, one session per tunnel on a
 *     /dev/pppxN the parent opens and keeps, built by the parent from
 *     checked values (its own server, policed addresses), and that
 *     session's counters and delete only;
 *   - to say it serves (a printable status line for systemd's STATUS=)
 *     and to answer the parent's watchdog pings: never answered.
 *
 * The host actions are a table, so that the unit tests and the fuzz
 * target drive the decoder against fakes.
 */
#ifndef PPTPC_PRIV_PARENT_H
#define PPTPC_PRIV_PARENT_H

#include <sys/types.h>

#include <netinet/in.h>
#include <stddef.h>

#include "priv.h"
#include "ratelog.h"
#include "route.h"
#include "script.h"
#include "tun.h"

#define PTUN_HOSTS_MAX	4	/* the default-route pin, the kill switch's */
/*
 * The PPTP sockets made for a tunnel and not yet attached: one per call,
 * one more prepared for the next; older ones are forgotten (and then
 * cannot be attached: the engine breaks only its own call).
 */
#define PTUN_PPTP_MAX	4

/* A socket's identity, as fstat(2) gives it. */
struct priv_sockid {
	dev_t		 dev;
	ino_t		 ino;
};

struct config;
struct priv_parent;

struct ptun {
	struct ptun	*next;
	struct priv_parent *parent;
	char		 name[PRIVMSG_NAME_MAX];
	char		 ifname[PRIV_IFNAME_MAX];	/* "" for none */
	struct in_addr	 local;		/* as set on ifname */
	struct in_addr	 peer;
	struct in_addr	 server;	/* INADDR_ANY: not yet known */
	struct route_spec hosts[PTUN_HOSTS_MAX];
	int		 nhosts;
	struct script	 up;
	struct script	 down;
	/* Issue 11's: what the parent applied, to take back itself. */
	int		 dns_backend;	/* enum dns_backend; 0: none */
	char		 dns_ifname[PRIV_IFNAME_MAX];
	char		 net6_ifname[PRIV_IFNAME_MAX];	/* "" for none */
	struct in6_addr	 ll6;		/* the link-local address set */
	struct in6_addr	 ll6_peer;
	uint8_t		 ll6_plen;	/* 0: none set */
	/* The pipex session the parent made (priv_pipex.c). */
	int		 px_active;	/* px_fd and the rest are valid */
	int		 px_fd;		/* /dev/pppxN: closing it ends all */
	uint16_t	 px_call_id;	/* ours: the session's id */
	char		 px_ifname[PRIV_IFNAME_MAX];	/* pppxM */
	/* The PPTP sockets the parent made for it (PPP_ATTCHAN's proof). */
	struct priv_sockid pptp[PTUN_PPTP_MAX];
	unsigned int	 npptp;		/* made so far; slot npptp % MAX */
};

struct pipex_session_req;

struct priv_ops {
	int	(*route)(int add, const struct route_spec *, char *, size_t);
	int	(*reject)(int add, struct in_addr, uint8_t, uint32_t table,
		    char *, size_t);
	int	(*tun_open)(struct tun *, const char *want, char *, size_t);
	int	(*iface_addr)(int set, const char *, struct in_addr,
		    struct in_addr, char *, size_t);
	int	(*iface_mtu)(const char *, unsigned int, char *, size_t);
	int	(*iface_up)(const char *, int, char *, size_t);
	/* 1 if the interface exists now. */
	int	(*iface_exists)(const char *);
	/* Starts a script; its end is priv_parent_script_done()'s to tell. */
	int	(*script)(struct priv_parent *, struct ptun *, int which,
		    const char *path, const struct script_env *, char *,
		    size_t);
	int	(*gre_socket)(char *, size_t);
	/* The kernel engine's: /dev/ppp, an AF_PPPOX socket, pppN. */
	int	(*open_dev)(const char *path, int flags, char *, size_t);
	int	(*socket)(int domain, int type, int protocol, char *, size_t);
	/* The unit number of a ppp unit descriptor, or -1. */
	int	(*ppp_unit)(int fd);
	/* PPPIOCNEWUNIT on a /dev/ppp descriptor: 0 with *unit, or -1. */
	int	(*ppp_newunit)(int fd, int *unit);
	/* PPPIOCATTCHAN on a /dev/ppp descriptor. */
	int	(*ppp_attchan)(int fd, int chan);
	/* SO_DOMAIN and SO_PROTOCOL of a socket: 0, or -1 (not a socket). */
	int	(*sock_proto)(int fd, int *domain, int *protocol);
	/* PPPIOCGCHAN on a PPPoX socket: 0 with *chan, or -1. */
	int	(*ppp_chan)(int fd, int *chan);
	/* PRIV_NFT_*: 0 (SWEEP: how many went), or -1 with a message. */
	int	(*nft)(int op, const char *ifname, uint16_t mss,
		    struct in_addr server, uint16_t call_id, uint64_t *value,
		    char *, size_t);
	/* dns.h: the servers checked, the domains the configuration's. */
	int	(*dns_apply)(const char *tunnel, const char *ifname,
		    const struct in_addr *, size_t, const char *const *,
		    size_t, int *used, char *, size_t);
	int	(*dns_revert)(const char *tunnel, const char *ifname,
		    int backend, char *, size_t);
	/* wansock.h: PRIV_WANSOCK_TCP or _GRE, the configuration's values. */
	int	(*wansock)(int kind, uint32_t mark, unsigned int rtable,
		    struct in_addr local, char *, size_t);
	/* SO_MARK on a PPTP (AF_PPPOX) socket; refuses any other. */
	int	(*sock_mark)(int fd, uint32_t mark, char *, size_t);
	int	(*iface_rdomain)(const char *, unsigned int, char *, size_t);
	/* net6.h */
	int	(*addr6)(int add, const char *, struct in6_addr, uint8_t,
		    struct in6_addr, char *, size_t);
	int	(*route6)(int add, const char *, struct in6_addr, uint8_t,
		    uint32_t table, char *, size_t);
	int	(*reject6)(int add, struct in6_addr, uint8_t, uint32_t table,
		    char *, size_t);
	/*
	 * The resolver's files if not still have (NULL: in any case): as
	 * resolve_text_read(), then a descriptor holding their text in *fd.
	 */
	int	(*resolv_files)(const struct resolve_file_id *have,
		    struct priv_resolv_text *, int *fd);
	/*
	 * pipex(4), OpenBSD's (pipex_host.h); NULL elsewhere.  probe: 0 if
	 * pipex can carry a tunnel, else -1 and why.  socket: a raw GRE
	 * socket bound to local with IP_PIPEX.  add: opens a pppx device,
	 * adds the session to it and names the interface: the device's
	 * descriptor, or -1.  del, stat: counters of call_id on that
	 * device.  close: the device, which destroys what is left on it.
	 */
	int	(*pipex_probe)(char *, size_t);
	int	(*pipex_socket)(struct in_addr local, char *, size_t);
	int	(*pipex_add)(const struct pipex_session_req *, const char *tag,
		    char *ifname, size_t, uint16_t *peer_mru, char *, size_t);
	int	(*pipex_del)(int fd, uint16_t call_id,
		    struct priv_pipex_counters *);
	int	(*pipex_stat)(int fd, uint16_t call_id,
		    struct priv_pipex_counters *);
	void	(*pipex_close)(int fd);
	/* Reads the file again: 0, or -1 with a message. */
	int	(*reload)(void *, char *, size_t);
	/*
	 * systemd's notify protocol (priv_run.c): the engine serves, with a
	 * checked status line; the engine's loop answered ping seq (-1: no
	 * such ping was sent).  NULL: refused.
	 */
	void	(*ready)(void *, const char *status);
	int	(*pong)(void *, uint32_t seq);
	void	*arg;
};

/* A kill switch's unreachable route, by the tunnel that asked for it. */
struct priv_reject_rec {
	struct priv_reject_rec *next;
	char		 tunnel[PRIVMSG_NAME_MAX];
	struct in_addr	 dst;
	uint8_t		 plen;
	uint32_t	 table;		/* where the parent put it */
};

struct priv_reject6_rec {
	struct priv_reject6_rec *next;
	char		 tunnel[PRIVMSG_NAME_MAX];
	struct in6_addr	 dst;
	uint8_t		 plen;
	uint32_t	 table;		/* where the parent put it */
};

struct priv_parent {
	const struct config	*conf;
	const struct priv_ops	*ops;
	struct timer_base	*tb;
	struct ptun		*tunnels;
	struct priv_reject_rec	*rejects;	/* the kill switches' routes */
	struct priv_reject6_rec	*rejects6;	/* and their IPv6 ones */
	int			 sock;		/* to the engine, -1: none */
	struct ratelog		 refused_rl;
	unsigned int		 refused;	/* requests refused, ever */
	int			 gre_given;	/* this engine has its socket */
};

void	priv_parent_init(struct priv_parent *, const struct config *,
	    const struct priv_ops *, struct timer_base *);
void	priv_parent_free(struct priv_parent *);
/* After a reload: the parent's configuration changes under the checks. */
void	priv_parent_set_conf(struct priv_parent *, const struct config *);
/*
 * Handles one message received from the engine on sock (privmsg_recv()
 * has checked the frame): decodes, checks, acts, answers.  Takes the
 * message's descriptor.  Returns 0 if done, -1 if refused (and logged).
 */
int	priv_parent_handle(struct priv_parent *, int sock, struct privmsg *);
/* A script ended (or could not start): tells the engine. */
void	priv_parent_script_done(struct priv_parent *, int sock,
	    const char *tunnel, int which, int status);
/*
 * The engine died: removes the host routes it pinned and forgets what it
 * made (the interfaces went with its descriptors); the kill switches'
 * unreachable routes stay, as they should while no tunnel is up.
 */
void	priv_parent_engine_gone(struct priv_parent *);
struct ptun	*priv_parent_tunnel(struct priv_parent *, const char *);

/* priv_parent11.c: issue 11's requests, and what they leave to undo. */
int	priv_parent_dns(struct priv_parent *, int sock, struct privmsg *);
int	priv_parent_wansock(struct priv_parent *, int sock, struct privmsg *);
int	priv_parent_sock_mark(struct priv_parent *, int sock,
	    struct privmsg *);
int	priv_parent_rdomain(struct priv_parent *, int sock, struct privmsg *);
int	priv_parent_addr6(struct priv_parent *, int sock, struct privmsg *);
int	priv_parent_route6(struct priv_parent *, int sock, struct privmsg *);
int	priv_parent_reject6(struct priv_parent *, int sock, struct privmsg *);
void	priv_parent_gone11(struct priv_parent *, struct ptun *);

/* priv_pipex.c: the pipex engine's requests (PRIV_PIPEX_*). */
int	priv_parent_pipex(struct priv_parent *, int sock, struct privmsg *);
/* Ends the tunnel's pipex session (engine gone, parent exits). */
void	priv_parent_pipex_gone(struct priv_parent *, struct ptun *);

/* priv_parent.c's helpers, shared with priv_parent11.c. */
int	priv_parent_refuse(struct priv_parent *, int sock,
	    const struct privmsg *, const char *why, ...)
	    __attribute__((__format__(printf, 4, 5)));
void	priv_parent_answer(int sock, const char *tunnel, int error,
	    uint64_t value, const char *msg);
void	priv_parent_answer_fd(int sock, int fd, int error, const char *msg);
struct ptun	*priv_parent_own_iface(struct priv_parent *,
		    const struct privmsg *, const char *ifname);
struct ptun	*priv_parent_ptun_get(struct priv_parent *, const char *);

#endif /* PPTPC_PRIV_PARENT_H */
