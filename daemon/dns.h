/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The DNS servers a server gave in IPCP, applied to the host while the
 * tunnel is up ("dns apply") and taken back after, through whatever the
 * host uses to own its resolver configuration: pptpcd never writes
 * /etc/resolv.conf itself.
 *
 *	Linux:	 systemd-resolved per link, over D-Bus
 *		 (org.freedesktop.resolve1.Manager SetLinkDNS, SetLinkDomains,
 *		 SetLinkDefaultRoute; RevertLink), where the bus name is
 *		 owned; else resolvconf(8) (openresolv or Debian's), one
 *		 record named after the interface.  dns-linux.c.
 *	OpenBSD: an RTM_PROPOSAL on the routing socket for resolvd(8), with
 *		 RTP_PROPOSAL_STATIC as iked(8) and route(8) nameserver send
 *		 one; a proposal without addresses withdraws it.
 *		 dns-openbsd.c.
 *
 * These change the host and need root: in privilege-separated mode the
 * parent runs them for the engine (priv.h).  Their arguments are plain
 * values, checked again here (dns_check()), so that the parent can take
 * them from an unprivileged process.  tunnel_host.c calls them from one
 * place, tunnel_dns_sync().
 *
 * They block, boundedly: a resolvconf run is a child process waited for
 * until DNS_TIMEOUT_MS (then its process group is killed); each of the
 * at most four D-Bus method calls to resolved (NameHasOwner, SetLinkDNS,
 * SetLinkDomains, SetLinkDefaultRoute) has that timeout.  Both are local
 * and take milliseconds when their service is alive; waiting keeps the
 * result (which backend, or why none) with the call, where the
 * privileged parent can answer it in one message.
 */
#ifndef PPTPC_DNS_H
#define PPTPC_DNS_H

#include <netinet/in.h>

#include <stddef.h>

#define DNS_SERVERS_MAX		2	/* IPCP's primary and secondary */
#define DNS_DOMAINS_MAX		16
#define DNS_DOMAIN_MAX		253	/* RFC 1035, without the final dot */
#define DNS_ERR_MAX		256
#define DNS_TIMEOUT_MS		3000
/* resolvconf's text: "nameserver A.B.C.D\n" and a "search" line. */
#define DNS_TEXT_MAX		(DNS_SERVERS_MAX * 32 + 8 + \
				    DNS_DOMAINS_MAX * (DNS_DOMAIN_MAX + 1) + 2)

enum dns_backend {
	DNS_BACKEND_NONE = 0,
	DNS_BACKEND_RESOLVED,		/* systemd-resolved over D-Bus */
	DNS_BACKEND_RESOLVCONF,		/* resolvconf(8) */
	DNS_BACKEND_PROPOSAL,		/* OpenBSD: RTM_PROPOSAL, resolvd(8) */
};

/* "resolved", "resolvconf", "resolvd", or "" for none. */
const char	*dns_backend_name(enum dns_backend);

/*
 * 0 when a domain is a name pptpcd may hand on: letters, digits, '-',
 * '_' and dots, no empty label, at most DNS_DOMAIN_MAX bytes.  Nothing
 * else, so that it can be neither a second line in resolvconf's input
 * nor a routing domain of resolved's own syntax ("~", ".").
 */
int	dns_domain_valid(const char *, char *err, size_t errlen);

/* 1 for an interface name resolvconf may take as its argument. */
int	dns_ifname_valid(const char *);

/*
 * 1 for a server address the host may be pointed at: the server names
 * them, and it is not trusted to name 0/8, 127/8, 224/4 or 240/4.
 */
int	dns_server_usable(struct in_addr);

/*
 * The arguments of dns_apply() checked as the parent checks a request:
 * an interface name, 1 to DNS_SERVERS_MAX usable addresses, at most
 * DNS_DOMAINS_MAX valid domains.
 */
int	dns_check(const char *ifname, const struct in_addr *servers, size_t n,
	    const char *const *domains, size_t ndomains, char *err,
	    size_t errlen);

/*
 * resolvconf's input for a record: a "nameserver" line per server and,
 * with domains, one "search" line.  Returns its length, or -1 when it
 * does not fit.
 */
int	dns_resolvconf_text(char *buf, size_t len,
	    const struct in_addr *servers, size_t n,
	    const char *const *domains, size_t ndomains);

/*
 * Privileged.  Applies servers (and domains, as routing domains where
 * the backend has them) to ifname for tunnel.  0 with *used set to the
 * backend that took them; -1 with err filled and *used
 * DNS_BACKEND_NONE when no backend is there or it refused.
 */
int	dns_apply(const char *tunnel, const char *ifname,
	    const struct in_addr *servers, size_t n,
	    const char *const *domains, size_t ndomains,
	    enum dns_backend *used, char *err, size_t errlen);

/*
 * Privileged.  Takes back what dns_apply() gave ifname through backend,
 * so that what was there before is in force again.  An interface that
 * is gone already is not an error: resolved and resolvd forget a link
 * that goes.
 */
int	dns_revert(const char *tunnel, const char *ifname,
	    enum dns_backend backend, char *err, size_t errlen);

/*
 * Privileged, at start before any tunnel dials.  Takes back what a
 * pptpcd that was killed left applied and that nothing else takes back:
 * on Linux the resolvconf records it noted (one empty file per record in
 * DNS_STATE_DIR, made by dns_apply() and removed by dns_revert()) whose
 * interface is gone; resolved and resolvd forget a link that goes by
 * themselves.  Returns how many it took back.
 */
#define DNS_STATE_DIR		"/run/pptpcd-dns"
int	dns_recover(void);

#endif /* PPTPC_DNS_H */
