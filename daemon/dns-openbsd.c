/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * DNS for a tunnel on OpenBSD (dns.h): a proposal to resolvd(8).
 *
 * resolvd(8) builds /etc/resolv.conf from the name servers proposed on
 * the routing socket: an RTM_PROPOSAL message for an interface index,
 * with RTA_DNS carrying a struct sockaddr_rtdns.  Its priority names the
 * source; a VPN daemon that learnt its servers itself proposes them as
 * RTP_PROPOSAL_STATIC, as iked(8) does for its tunnel interface and
 * "route nameserver" does by hand (RTP_PROPOSAL_PPP is sppp(4)'s, the
 * kernel's own PPP).  The same message without addresses (sr_len 2)
 * withdraws the proposal, and resolvd drops an interface's proposals
 * when the interface goes, so a pptpcd that died leaves nothing behind.
 * resolvd takes name servers only: dns-domains has nothing to go to
 * here (the tunnel's servers serve every name).
 *
 * Written against OpenBSD's net/route.h; built only on OpenBSD.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns.h"
#include "log.h"

#define ROUNDUP(a)	\
	((a) > 0 ? (1 + (((a) - 1) | (sizeof(long) - 1))) : sizeof(long))

static int
propose(const char *ifname, const struct in_addr *servers, size_t n,
    char *err, size_t errlen)
{
	struct rt_msghdr rtm;
	struct sockaddr_rtdns rtdns;
	struct iovec iov[3];
	unsigned int ifindex;
	long pad = 0;
	size_t padlen, i;
	int s, iovcnt = 0;

	if ((ifindex = if_nametoindex(ifname)) == 0) {
		/* Withdrawing from a gone interface: resolvd has done it. */
		if (n == 0)
			return 0;
		snprintf(err, errlen, "dns: %s: %s", ifname, strerror(errno));
		return -1;
	}
	if (n * sizeof(struct in_addr) > sizeof(rtdns.sr_dns)) {
		snprintf(err, errlen, "dns: too many servers");
		return -1;
	}
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_version = RTM_VERSION;
	rtm.rtm_type = RTM_PROPOSAL;
	rtm.rtm_msglen = sizeof(rtm);
	rtm.rtm_hdrlen = sizeof(rtm);
	rtm.rtm_index = ifindex;
	rtm.rtm_seq = arc4random();
	rtm.rtm_priority = RTP_PROPOSAL_STATIC;
	rtm.rtm_addrs = RTA_DNS;
	rtm.rtm_flags = RTF_UP;

	memset(&rtdns, 0, sizeof(rtdns));
	rtdns.sr_family = AF_INET;
	rtdns.sr_len = 2 + n * sizeof(struct in_addr);
	for (i = 0; i < n; i++)
		memcpy(rtdns.sr_dns + i * sizeof(struct in_addr), &servers[i],
		    sizeof(struct in_addr));

	iov[iovcnt].iov_base = &rtm;
	iov[iovcnt++].iov_len = sizeof(rtm);
	iov[iovcnt].iov_base = &rtdns;
	iov[iovcnt++].iov_len = sizeof(rtdns);
	rtm.rtm_msglen += sizeof(rtdns);
	padlen = ROUNDUP(sizeof(rtdns)) - sizeof(rtdns);
	if (padlen > 0) {
		iov[iovcnt].iov_base = &pad;
		iov[iovcnt++].iov_len = padlen;
		rtm.rtm_msglen += padlen;
	}

	if ((s = socket(AF_ROUTE, SOCK_RAW, AF_UNSPEC)) == -1) {
		snprintf(err, errlen, "dns: routing socket: %s",
		    strerror(errno));
		return -1;
	}
	if (writev(s, iov, iovcnt) == -1) {
		snprintf(err, errlen, "dns: RTM_PROPOSAL for %s: %s", ifname,
		    strerror(errno));
		close(s);
		return -1;
	}
	close(s);
	return 0;
}

int
dns_apply(const char *tunnel, const char *ifname,
    const struct in_addr *servers, size_t n, const char *const *domains,
    size_t ndomains, enum dns_backend *used, char *err, size_t errlen)
{
	*used = DNS_BACKEND_NONE;
	if (dns_check(ifname, servers, n, domains, ndomains, err,
	    errlen) == -1)
		return -1;
	if (propose(ifname, servers, n, err, errlen) == -1)
		return -1;
	if (ndomains > 0)
		log_warnx("%s: dns-domains: resolvd takes no domains; the "
		    "tunnel's servers answer every name", tunnel);
	*used = DNS_BACKEND_PROPOSAL;
	return 0;
}

int
dns_revert(const char *tunnel, const char *ifname, enum dns_backend backend,
    char *err, size_t errlen)
{
	(void)tunnel;
	if (!dns_ifname_valid(ifname)) {
		snprintf(err, errlen, "dns: not an interface name");
		return -1;
	}
	if (backend == DNS_BACKEND_NONE)
		return 0;
	if (backend != DNS_BACKEND_PROPOSAL) {
		snprintf(err, errlen, "dns: backend %d is not this system's",
		    (int)backend);
		return -1;
	}
	return propose(ifname, NULL, 0, err, errlen);
}

/* resolvd drops a gone interface's proposals: nothing is left over. */
int
dns_recover(void)
{
	return 0;
}
