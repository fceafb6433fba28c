/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * DNS for a tunnel, the part every system shares (dns.h): the checks the
 * privileged side makes of a request, and resolvconf's input.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dns.h"

#define DNS_IFNAME_MAX	15	/* IFNAMSIZ - 1 */

const char *
dns_backend_name(enum dns_backend b)
{
	switch (b) {
	case DNS_BACKEND_RESOLVED:
		return "resolved";
	case DNS_BACKEND_RESOLVCONF:
		return "resolvconf";
	case DNS_BACKEND_PROPOSAL:
		return "resolvd";
	case DNS_BACKEND_NONE:
		break;
	}
	return "";
}

int
dns_domain_valid(const char *d, char *err, size_t errlen)
{
	size_t len = strlen(d), label = 0;
	const char *p;

	if (len == 0 || len > DNS_DOMAIN_MAX) {
		snprintf(err, errlen, "a DNS domain is 1 to %d characters "
		    "long", DNS_DOMAIN_MAX);
		return -1;
	}
	for (p = d; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				break;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			break;
		if ((label == 0 && *p == '-') || ++label > 63)
			break;
	}
	if (*p != '\0' || label == 0 || p[-1] == '-') {
		snprintf(err, errlen, "\"%.*s\" is not a DNS domain: labels of "
		    "1 to 63 letters, digits, \"-\" or \"_\" between dots, "
		    "none starting or ending with \"-\"", DNS_DOMAIN_MAX, d);
		return -1;
	}
	return 0;
}

int
dns_ifname_valid(const char *ifname)
{
	size_t len = strlen(ifname);
	const char *p;

	/* resolvconf's argument, a file's name: never an option or a path. */
	if (len == 0 || len > DNS_IFNAME_MAX || ifname[0] == '-' ||
	    strcmp(ifname, ".") == 0 || strcmp(ifname, "..") == 0)
		return 0;
	for (p = ifname; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' &&
		    *p != '-')
			return 0;
	return 1;
}

int
dns_server_usable(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	/*
	 * 0/8 and 127/8 would send the host's every query to itself (a
	 * local service of the server's choosing), 224/4 and 240/4 are
	 * not a server at all.
	 */
	return (h >> 24) != 0 && (h >> 24) != 127 && (h >> 28) != 0xe &&
	    (h >> 28) != 0xf;
}

int
dns_check(const char *ifname, const struct in_addr *servers, size_t n,
    const char *const *domains, size_t ndomains, char *err, size_t errlen)
{
	size_t i;

	if (!dns_ifname_valid(ifname)) {
		snprintf(err, errlen, "dns: not an interface name");
		return -1;
	}
	if (n == 0 || n > DNS_SERVERS_MAX) {
		snprintf(err, errlen, "dns: 1 to %d servers, not %zu",
		    DNS_SERVERS_MAX, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!dns_server_usable(servers[i])) {
			snprintf(err, errlen, "dns: server %zu is not a unicast "
			    "address off this host", i + 1);
			return -1;
		}
	}
	if (ndomains > DNS_DOMAINS_MAX) {
		snprintf(err, errlen, "dns: at most %d domains",
		    DNS_DOMAINS_MAX);
		return -1;
	}
	for (i = 0; i < ndomains; i++)
		if (domains[i] == NULL ||
		    dns_domain_valid(domains[i], err, errlen) == -1)
			return -1;
	return 0;
}

int
dns_resolvconf_text(char *buf, size_t len, const struct in_addr *servers,
    size_t n, const char *const *domains, size_t ndomains)
{
	char a[INET_ADDRSTRLEN];
	size_t i, off = 0;
	int r;

	if (len == 0)
		return -1;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		inet_ntop(AF_INET, &servers[i], a, sizeof(a));
		r = snprintf(buf + off, len - off, "nameserver %s\n", a);
		if (r < 0 || (size_t)r >= len - off)
			return -1;
		off += r;
	}
	for (i = 0; i < ndomains; i++) {
		r = snprintf(buf + off, len - off, "%s%s", i == 0 ? "search " :
		    " ", domains[i]);
		if (r < 0 || (size_t)r >= len - off)
			return -1;
		off += r;
	}
	if (ndomains > 0) {
		if (len - off < 2)
			return -1;
		buf[off++] = '\n';
		buf[off] = '\0';
	}
	return (int)off;
}
