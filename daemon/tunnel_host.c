/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A tunnel's session on the host: the routes it adds and takes away, the
 * kill switch kept in step with the configuration, the DNS servers it
 * lends the host, the scripts' environment, and teardown step 2 (tunnel_session_down()), the one
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
#include "dns.h"
#include "killswitch.h"
#include "log.h"
#include "mss.h"
#include "offload.h"
#include "ppp.h"
#include "pptp_ctrl.h"
#include "resolve.h"
#include "route.h"
#include "script.h"
#include "priv.h"
#include "session_info.h"
#include "timer.h"
#include "tun.h"
#include "tunnel.h"
#include "tunnel_local.h"
#include "tunnel_policy.h"

/* Where the tunnel's routes go (route_where.c, shared with the parent). */
void
tunnel_route_where(const struct tunnel_conf *c, struct route_where *w)
{
	route_where_conf(c, w);
}

/* Routes from the configuration, through the interface. */
void
tunnel_routes_add(struct tunnel *t)
{
	const struct route_conf *rc;
	struct route_where w;
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
	tunnel_route_where(t->conf, &w);
	TAILQ_FOREACH(rc, &t->conf->routes, entry) {
		struct tunnel_route *tr = &t->routes[t->nroutes++];

		route_init(&tr->r, rc->addr, rc->prefixlen, t->ifname);
		tr->r.table = w.table;
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
 * The IPv6 half, with "ipv6 yes": the prefixes tunnel_ipv6_up() routes
 * through the interface.  Without it, none (those it held go).
 */
static void
killsw_sync6(struct tunnel *t)
{
	const struct tunnel_conf *c = t->conf;
	const struct route6_conf *rc;
	struct killsw_net6 *nets = NULL;
	char err[TUNNEL_ERR_MAX];
	size_t n = 0;

	if (c->ipv6) {
		TAILQ_FOREACH(rc, &c->routes6, entry)
			n++;
		if ((nets = calloc(n + 2, sizeof(*nets))) == NULL) {
			log_warnx("%s: kill switch: out of memory", t->name);
			return;
		}
		n = 0;
		if (c->default_route) {
			nets[n++].plen = 1;		/* ::/1 */
			nets[n].dst.s6_addr[0] = 0x80;	/* 8000::/1 */
			nets[n++].plen = 1;
		}
		TAILQ_FOREACH(rc, &c->routes6, entry) {
			nets[n].dst = rc->addr;
			nets[n++].plen = rc->prefixlen;
		}
	}
	/* Logged by killsw_arm6(), not fatal, as for IPv4. */
	(void)killsw_arm6(&t->killsw, nets, n, err, sizeof(err));
	free(nets);
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
	struct route_where w;
	char err[TUNNEL_ERR_MAX];
	size_t n = 0;

	if (c == NULL)
		return;		/* removed: held until tunnel_free() */
	tunnel_route_where(c, &w);
	if (killsw_set_where(&t->killsw, &w, err, sizeof(err)) == -1)
		log_warnx("%s: %s", t->name, err);
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
	killsw_sync6(t);
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

void
tunnel_dns_sync(struct tunnel *t, int up, int reapply)
{
	const struct tunnel_conf *c = t->conf;
	struct in_addr servers[DNS_SERVERS_MAX];
	char err[DNS_ERR_MAX], a[INET_ADDRSTRLEN];
	enum dns_backend used;
	size_t i, n = 0;
	int want, backend;

	want = up && c != NULL && c->dns_apply && t->ifname[0] != '\0';
	for (i = 0; i < sizeof(t->dns) / sizeof(t->dns[0]) &&
	    n < DNS_SERVERS_MAX; i++) {
		if (t->dns[i].s_addr == htonl(INADDR_ANY))
			continue;
		if (dns_server_usable(t->dns[i]))
			servers[n++] = t->dns[i];
		else if (want && t->dns_applied == DNS_BACKEND_NONE)
			log_warnx("%s: dns apply: the server named %s as a "
			    "DNS server; not lent to the host", t->name,
			    inet_ntop(AF_INET, &t->dns[i], a, sizeof(a)));
	}
	if (t->dns_applied != DNS_BACKEND_NONE && (!want || reapply)) {
		/* Split: the parent reverts what it applied (priv.h). */
		if ((priv_separated() ? priv_dns_revert(t->name, t->ifname,
		    err, sizeof(err)) : dns_revert(t->name, t->ifname,
		    t->dns_applied, err, sizeof(err))) == -1)
			log_warnx("%s: dns: %s", t->name, err);
		else
			log_info("%s: dns: the host's DNS is back as it was "
			    "(%s)", t->name, dns_backend_name(t->dns_applied));
		/* Nothing more to try: it is not ours any more. */
		t->dns_applied = DNS_BACKEND_NONE;
		t->info.dns_applied[0] = '\0';
	}
	if (!want || t->dns_applied != DNS_BACKEND_NONE)
		return;
	if (n == 0) {
		log_info("%s: dns apply: the server gave no DNS servers; the "
		    "host's DNS stays as it is", t->name);
		return;
	}
	/* A host without a backend keeps the tunnel: it still carries. */
	if (priv_separated()) {
		/* The parent adds the domains of its own configuration. */
		if (priv_dns_apply(t->name, t->ifname, servers, n, &backend,
		    err, sizeof(err)) == -1) {
			log_warnx("%s: %s", t->name, err);
			return;
		}
		used = (enum dns_backend)backend;
	} else if (dns_apply(t->name, t->ifname, servers, n,
	    (const char *const *)c->dns_domains, c->ndns_domains, &used, err,
	    sizeof(err)) == -1) {
		log_warnx("%s: %s", t->name, err);
		return;
	}
	t->dns_applied = used;
	snprintf(t->info.dns_applied, sizeof(t->info.dns_applied), "%s",
	    dns_backend_name(used));
	log_info("%s: dns: applied to %s through %s%s", t->name, t->ifname,
	    dns_backend_name(used), c->ndns_domains > 0 ?
	    " for its dns-domains" : "");
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
		if (run_script && t->down_script != NULL) {
			tunnel_script_env(t, &env);
			if (script_start(&t->down_script_run, "down-script",
			    t->down_script, &env, NULL, NULL, err,
			    sizeof(err)) == -1)
				log_warnx("%s: %s", t->name, err);
		}
	}
	/* While the interface is there: resolved reverts by its index. */
	tunnel_dns_sync(t, 0, 0);
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
	/* After the engine: its GRE call sent on this socket. */
	if (t->gre_fd != -1) {
		close(t->gre_fd);
		t->gre_fd = -1;
	}
	t->ifname[0] = '\0';
	tunnel_info_clear(t);
}
