/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * One tunnel's lifecycle: resolve the server, connect TCP, run the PPTP
 * control connection and the call, PPP over the call's GRE, bring the
 * interface, routes, data path and scripts up, keep it alive, take it all
 * down in order, and redial with backoff.
 *
 *   idle --start--> connecting --PPP auth--> authenticating --> network
 *        --IPCP/CCP up--> up --any end--> closing --> backoff --> connecting
 *                                                 \-> idle (stopped, or
 *                                                     "reconnect no")
 *
 * pptpcd.c owns the set of tunnels and the shared pieces (event loop,
 * timers, the raw GRE socket, the resolver); a tunnel reaches them through
 * struct tunnel_env and never through globals.
 */
#ifndef PPTPC_TUNNEL_H
#define PPTPC_TUNNEL_H

#include <stdint.h>

#include "pptpc_ctl.h"

struct event_base;
struct timer_base;
struct datapath;
struct fdcloser;
struct resolver;
struct session_info;
struct tunnel_conf;
struct tunnel;

struct tunnel_env {
	struct event_base	*evbase;
	struct timer_base	*tb;
	struct datapath		*dp;
	struct resolver		*res;
	struct fdcloser		*closer;	/* NULL: close in place */
	/* 1 if another tunnel of this daemon holds the PPTP call ID. */
	int			(*call_id_used)(void *arg, uint16_t id);
	/*
	 * The tunnel has let go of everything and will not go on by itself
	 * (idle, or stopped for good).  Called from the tunnel's own timer,
	 * never from inside a tunnel_*() call; the tunnel may be freed from
	 * here.
	 */
	void			(*idle)(void *arg, struct tunnel *);
	/*
	 * Something an administrator may want to follow as it happens
	 * (pptpctl monitor): a state change, the engine chosen, a failure.
	 * NULL: nobody listens.
	 */
	void			(*notify)(void *arg, const char *tunnel,
				    enum ctl_event, const char *detail);
	void			*arg;
};

/*
 * A tunnel for conf, idle.  conf must outlive the tunnel or be replaced
 * with tunnel_set_conf() before it goes; the env is copied.
 */
struct tunnel	*tunnel_new(const struct tunnel_env *,
		    const struct tunnel_conf *);
/*
 * Ends everything at once, without goodbyes to the server: routes and
 * the interface are restored, scripts killed.  For exit after the grace
 * period; tunnel_stop() is the polite way.
 */
void		 tunnel_free(struct tunnel *);

/* Dial now, cancelling a backoff; 0, or -1 with why in msg. */
int		 tunnel_start(struct tunnel *, char *msg, size_t msglen);
/* Hang up politely and stay idle until tunnel_start(). */
void		 tunnel_stop(struct tunnel *, const char *why);
/*
 * A reload: conf is the tunnel's new configuration.  When it equals the
 * current one (tunnel_conf_equal()), the tunnel just points at it and runs
 * on; otherwise a running session is hung up and redialled with the new
 * one.  NULL means the tunnel was removed: it hangs up and stays idle
 * for good, and env->idle says when it may be freed.
 */
void		 tunnel_set_conf(struct tunnel *, const struct tunnel_conf *);

/* Nothing held: no connection, interface, route or script. */
int		 tunnel_is_idle(const struct tunnel *);
const char	*tunnel_name(const struct tunnel *);
/* The PPTP call ID in use, or -1. */
int		 tunnel_call_id(const struct tunnel *);
/* What pptpctl shows. */
void		 tunnel_info(const struct tunnel *, struct session_info *);
/* SIGCHLD: reaps this tunnel's scripts if they have ended. */
void		 tunnel_reap(struct tunnel *);
/* Separated: the parent says the up (1) or down (0) script has ended. */
void		 tunnel_script_done(struct tunnel *, int up, int status);

#endif /* PPTPC_TUNNEL_H */
