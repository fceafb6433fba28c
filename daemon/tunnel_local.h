/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * What the files of one tunnel share (tunnel.c, tunnel_ctrl.c,
 * tunnel_engine.c, tunnel_host.c): the struct, its life's states, and
 * the functions each offers the others.  Nothing outside them includes
 * this; the rest of pptpcd sees tunnel.h.
 */
#ifndef PPTPC_TUNNEL_LOCAL_H
#define PPTPC_TUNNEL_LOCAL_H

#include <sys/types.h>

#include <netinet/in.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "dns.h"
#include "killswitch.h"
#include "offload.h"
#include "pptpc_ctl.h"
#include "ppp.h"
#include "route.h"
#include "script.h"
#include "session_info.h"
#include "timer.h"
#include "tunnel_policy.h"

struct bufferevent;
struct pptp_ctrl;
struct resolve_req;
struct tunnel_conf;
struct offload_call;
struct offload_env;

#define TUNNEL_ERR_MAX		256
#define TUNNEL_RECV_WINDOW	64	/* GRE receive window we announce */
/*
 * A SYN unanswered for 20 s (the kernel retries after 1, 3, 7 and 15 s)
 * will not be answered; the RFC's 60 s only delays the redial.
 */
#define TUNNEL_CONNECT_MS	20000
#define TUNNEL_OUTQ_MAX		(64 * 1024)	/* control messages are small */
#define CALL_ID_TRIES		128

/*
 * A tunnel's life, one state at a time.  Dialling builds a session in
 * the order the protocols go (the server's name, TCP and the PPTP
 * control connection, the call, PPP, then the host side at LIFE_UP);
 * teardown undoes it in the order tunnel_step() documents, with one
 * state for each step that waits for the network.  Outside a session
 * (LIFE_IDLE, LIFE_BACKOFF) the tunnel holds nothing but, possibly, a
 * down-script still running.  What people see (enum session_state) is
 * set alongside: it also tells PPP's phases apart while dialling.
 */
enum tunnel_life {
	LIFE_IDLE,		/* not dialling; stopped or given up */
	LIFE_BACKOFF,		/* t->wait dials again */
	LIFE_DIALLING,		/* name, TCP, PPTP, the call, PPP */
	LIFE_UP,		/* the session is up on the host */
	LIFE_CLOSING,		/* ending: tunnel_step() takes step 1 */
	LIFE_BYE_PPP,		/* 1. LCP Terminate-Request sent; waits for
				   ppp_down_cb() */
	LIFE_BYE_CALL,		/* 3. Call-Clear and Stop-Control-
				   Connection-Request sent; waits for
				   ctrl_closed_cb() */
};

struct tunnel_route {
	struct route_spec	 r;
	int			 added;
};

/* An IPv6 route or address pptpcd put on the host, to take back. */
struct tunnel_net6 {
	struct in6_addr		 addr;
	uint8_t			 plen;
	int			 added;
};
#define TUNNEL_DEFROUTE6	2	/* ::/1 and 8000::/1 */

struct tunnel {
	struct tunnel_env	 env;
	const struct tunnel_conf *conf;		/* NULL: removed by a reload */
	char			 name[TUNNEL_NAME_MAX + 1];
	enum tunnel_life	 life;
	enum session_state	 state;		/* for people: pptpctl, monitor */

	/* What the end of a teardown leads to (tunnel_after()). */
	int			 admin_down;	/* stopped: idle until started */
	int			 failed;	/* this teardown is a failure */
	int			 redial;	/* after teardown, dial at once */
	char			 why[TUNNEL_ERR_MAX];	/* why it ends */
	char			 last_error[TUNNEL_ERR_MAX];
	struct backoff		 backoff;
	unsigned int		 reconnects;	/* attempts since the last up */
	uint64_t		 next_attempt_ms;
	struct timer		 step;		/* deferred work, 0 ms */
	struct timer		 wait;		/* backoff */

	/* The connection. */
	struct resolve_req	*resolving;
	struct sockaddr_in	 server;
	struct bufferevent	*bev;
	struct pptp_ctrl	*ctrl;
	int			 call_id;	/* -1: none held */
	int			 gre_fd;	/* wansock.h: this tunnel's
						   own GRE socket, or -1 */
	struct offload_prep	*prep;		/* the engine's, TCP up to
						   call-up; NULL if none */
	struct offload_session	*os;		/* the engine, from call-up */
	uint64_t		 frames_in;	/* PPP frames it delivered */
	struct ppp		*ppp;
	int			 ppp_done;	/* ops->down came */
	enum ppp_phase		 top_phase;	/* furthest phase reached */

	/* The engine of this dial, and why the others were not taken. */
	enum offload_engine_id	 engine;
	const char		*why_not[OFFLOAD_ENGINE_COUNT];
	char			 why_bufs[OFFLOAD_ENGINE_COUNT][OFFLOAD_WHY_MAX];
	struct timer		 alive;		/* engine data as life */
	unsigned int		 alive_ms;
	uint64_t		 alive_rx;	/* rx_packets at the last look */

	/* The session on the host. */
	char			 ifname[OFFLOAD_IFNAME_MAX]; /* "" if none */
	struct in_addr		 local, peer;
	struct tunnel_route	*routes;
	size_t			 nroutes;
	struct defroute		 defroute;
	struct killsw		 killsw;	/* from dial to removal */
	uint64_t		 up_since_ms;	/* 0: the host side is not up */
	uint64_t		 last_uptime_ms;
	unsigned int		 mtu;
	struct in_addr		 dns[2];
	enum dns_backend	 dns_applied;	/* what holds dns[] on the
						   host for ifname; NONE */
	/* IPv6 (IPv6CP opened): nothing of it when ll6.added is 0. */
	struct tunnel_net6	 ll6;		/* fe80::ours (peer below) */
	struct in6_addr		 peer_ll6;	/* fe80::peer, or :: */
	struct tunnel_net6	 addr6;		/* address6 */
	struct tunnel_net6	*routes6;	/* config, then the default */
	size_t			 nroutes6;
	char			*down_script;	/* as it was when up; NULL: none */
	struct script		 up_script;
	struct script		 down_script_run;

	struct session_info	 info;		/* the parts that keep still */
};

/* tunnel.c: the lifecycle. */
void	tunnel_event(struct tunnel *, enum ctl_event, const char *detail);
void	tunnel_set_state(struct tunnel *, enum session_state);
void	tunnel_kick(struct tunnel *);
int	tunnel_closing(const struct tunnel *);
/* The session ends, for why; failed says whether it is a failure. */
void	tunnel_end(struct tunnel *, int failed, const char *why);
void	tunnel_info_clear(struct tunnel *);
extern const struct ppp_ops tunnel_ppp_ops;

/* tunnel_ctrl.c: the server's name, TCP and the PPTP control connection. */
void	tunnel_connect(struct tunnel *);
void	tunnel_resolved(void *arg, const struct in_addr *, const char *error);
void	tunnel_bev_release(struct tunnel *);

/* tunnel_engine.c: the data-path engine of offload.h, and CCP's keys. */
int	tunnel_engine_select(struct tunnel *, char *err, size_t errlen);
void	tunnel_engine_prepare(struct tunnel *);
int	tunnel_engine_open(struct tunnel *, struct offload_call *,
	    char *err, size_t errlen);
void	tunnel_local(const struct tunnel *, struct in_addr *);
void	tunnel_os_frame(void *arg, const uint8_t *frame, size_t len);
int	tunnel_ppp_ccp(void *arg, enum ccp_moment, const struct ppp_mppe_keys *,
	    char *err, size_t errlen);
enum mppe_policy tunnel_mppe_policy(enum mppe_mode);
uint32_t tunnel_mppe_strengths(unsigned int bits);

/* tunnel_host.c: the session on the host (routes, kill switch, scripts). */
void	tunnel_route_where(const struct tunnel_conf *, struct route_where *);
void	tunnel_routes_add(struct tunnel *);
void	tunnel_routes_delete(struct tunnel *);
void	tunnel_killsw_sync(struct tunnel *);
void	tunnel_script_env(struct tunnel *, struct script_env *);
/*
 * The host's DNS follows "dns apply": applied while up is 1 and the
 * configuration asks for it, taken back otherwise; reapply takes back
 * and applies again (the domains changed).  The one caller of
 * dns_apply() and dns_revert().
 */
void	tunnel_dns_sync(struct tunnel *, int up, int reapply);
/*
 * IPv6 on the interface once IPv6CP is up (net6.h): the link-local
 * addresses, address6, the IPv6 routes and the IPv6 half of the default
 * route.  -1 with a reason if the default route could not be made whole,
 * which would leak what was meant to be inside.
 */
int	tunnel_ipv6_up(struct tunnel *, uint64_t ifid, uint64_t peer_ifid,
	    char *err, size_t errlen);
void	tunnel_ipv6_down(struct tunnel *);
/* Teardown step 2, and the one place that frees the host side. */
void	tunnel_session_down(struct tunnel *, int run_script);

#endif /* PPTPC_TUNNEL_LOCAL_H */
