/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A tunnel's session on the host: the routes it adds and takes away, the
 * kill switch kept in step with the configuration, the scripts'
 * environment, and teardown step 2 (tunnel_session_down()), the one
 * place that frees what a session holds on the host.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr_policy.h"
#include "config.h"
#include "datapath.h"
#include "killswitch.h"
#include "log.h"
#include "mss.h"
#include "offload.h"
#include "ppp.h"
#include "pptp_ctrl.h"
#include "resolve.h"
#include "route.h"
#include "script.h"
#include "session_info.h"
#include "timer.h"
#include "tun.h"
#include "tunnel.h"
#include "tunnel_local.h"
#include "tunnel_policy.h"

/* Routes from the configuration, through the interface. */
void
tunnel_routes_add(struct tunnel *t)
{
	const struct route_conf *rc;
	char err[ROUTE_ERR_MAX];
	size_t n = 0;

	TAILQ_FOREACH(rc, &t->conf->routes, entry)
		n++;
	if (n == 0)
		return;
	if ((t->routes = calloc(n, sizeof(*t->routes))) == NULL) {
		log_warnx("%s: routes: out of memory; none added", t->name);
		return;
	}
	TAILQ_FOREACH(rc, &t->conf->routes, entry) {
		struct tunnel_route *tr = &t->routes[t->nroutes++];

		route_init(&tr->r, rc->addr, rc->prefixlen, t->ifname);
		/*
		 * A route that cannot be added is logged, not fatal: the
		 * others still work, and a gateway that redialled forever
		 * over one clashing route would carry nothing at all.
		 */
		if (route_add(&tr->r, err, sizeof(err)) == 0)
			tr->added = 1;
		else
			log_warnx("%s: %s", t->name, err);
	}
}

void
tunnel_routes_delete(struct tunnel *t)
{
	char err[ROUTE_ERR_MAX];
	size_t i;

	for (i = t->nroutes; i-- > 0;) {
		if (!t->routes[i].added)
			continue;
		/* Gone with the interface, or by another hand: fine. */
		if (route_delete(&t->routes[i].r, err, sizeof(err)) == -1 &&
		    errno != ESRCH && errno != ENODEV)
			log_warnx("%s: %s", t->name, err);
	}
	free(t->routes);
	t->routes = NULL;
	t->nroutes = 0;
}

/*
 * The kill switch follows the configuration: armed for what the tunnel
 * carries now, disarmed when "kill-switch no".  Called with the server's
 * address known, before the session's own routes go in (killswitch.h).
 */
void
tunnel_killsw_sync(struct tunnel *t)
{
	const struct tunnel_conf *c = t->conf;
	const struct route_conf *rc;
	struct killsw_net *nets;
	char err[TUNNEL_ERR_MAX];
	size_t n = 0;

	if (c == NULL)
		return;		/* removed: held until tunnel_free() */
	if (!c->kill_switch) {
		if (killsw_disarm(&t->killsw, err, sizeof(err)) == -1)
			log_warnx("%s: %s", t->name, err);
		return;
	}
	TAILQ_FOREACH(rc, &c->routes, entry)
		n++;
	if ((nets = calloc(n + 2, sizeof(*nets))) == NULL) {
		log_warnx("%s: kill switch: out of memory", t->name);
		return;
	}
	n = 0;
	if (c->default_route) {
		nets[n].dst.s_addr = htonl(0x00000000);
		nets[n++].plen = 1;
		nets[n].dst.s_addr = htonl(0x80000000);
		nets[n++].plen = 1;
	}
	TAILQ_FOREACH(rc, &c->routes, entry) {
		nets[n].dst = rc->addr;
		nets[n++].plen = rc->prefixlen;
	}
	/*
	 * Logged by killsw_arm(), not fatal: refusing to dial would not
	 * close anything more, and a session puts the traffic inside.
	 */
	(void)killsw_arm(&t->killsw, t->server.sin_addr, nets, n, err,
	    sizeof(err));
	free(nets);
}

void
tunnel_script_env(struct tunnel *t, struct script_env *e)
{
	memset(e, 0, sizeof(*e));
	e->tunnel = t->name;
	e->interface = t->ifname;
	e->local = t->local;
	e->peer = t->peer;
	e->dns1 = t->dns[0];
	e->dns2 = t->dns[1];
	e->mtu = t->mtu;
	e->local6 = t->info.local_ip6;
	e->peer6 = t->info.peer_ip6;
}

/* Step 2 of the teardown: everything the session holds on the host. */
void
tunnel_session_down(struct tunnel *t, int run_script)
{
	struct script_env env;
	char err[TUNNEL_ERR_MAX];

	timer_stop(&t->alive);
	if (t->up_since_ms != 0) {
		t->last_uptime_ms = timer_now(t->env.tb) - t->up_since_ms;
		t->up_since_ms = 0;
		if (run_script && t->down_script[0] != '\0') {
			tunnel_script_env(t, &env);
			if (script_start(&t->down_script_run, "down-script",
			    t->down_script, &env, NULL, NULL, err,
			    sizeof(err)) == -1)
				log_warnx("%s: %s", t->name, err);
		}
	}
	if (defroute_active(&t->defroute) &&
	    defroute_down(&t->defroute, err, sizeof(err)) == -1)
		log_warnx("%s: %s", t->name, err);
	tunnel_routes_delete(t);
	tunnel_ipv6_down(t);
	if (t->ppp != NULL) {
		ppp_free(t->ppp);
		t->ppp = NULL;
	}
	/* The engine takes its interface, address and call with it. */
	if (t->os != NULL) {
		offload_close(t->os, NULL);
		t->os = NULL;
	}
	/* A dial that ended before call-up: the kernel frees the call ID. */
	offload_unprepare(t->prep);
	t->prep = NULL;
	t->ifname[0] = '\0';
	tunnel_info_clear(t);
}
