/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Unit tests for dns.c: the checks the privileged side makes of a
 * "dns apply" request before a name reaches resolvconf's stdin or argv,
 * or resolved's routing domains, and resolvconf's input.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <string.h>

#include "dns.h"

static struct in_addr
addr(const char *s)
{
	struct in_addr a;

	ATF_REQUIRE(inet_pton(AF_INET, s, &a) == 1);
	return a;
}

static int
valid(const char *d)
{
	char err[DNS_ERR_MAX];

	return dns_domain_valid(d, err, sizeof(err)) == 0;
}

ATF_TC_WITHOUT_HEAD(domain_names);
ATF_TC_BODY(domain_names, tc)
{
	char label[70], longname[300];

	ATF_CHECK(valid("corp.example"));
	ATF_CHECK(valid("Lab.Corp.Example"));
	ATF_CHECK(valid("_srv.x-1.example"));
	ATF_CHECK(valid("example"));
	ATF_CHECK(valid("1.2.3.in-addr.arpa"));

	ATF_CHECK(!valid(""));
	ATF_CHECK(!valid("."));
	ATF_CHECK(!valid("a..example"));
	ATF_CHECK(!valid(".example"));
	ATF_CHECK(!valid("example."));
	ATF_CHECK(!valid("-a.example"));
	ATF_CHECK(!valid("a-.example"));
	ATF_CHECK(!valid("a b"));
	/* resolved's own syntax is pptpcd's to add, never the user's. */
	ATF_CHECK(!valid("~corp.example"));
	ATF_CHECK(!valid("*.example"));

	memset(label, 'a', 63);
	label[63] = '\0';
	ATF_CHECK(valid(label));
	memset(label, 'a', 64);
	label[64] = '\0';
	ATF_CHECK(!valid(label));

	/* 253 bytes is the most; 254 is one too many. */
	memset(longname, 'a', sizeof(longname));
	for (size_t i = 63; i < sizeof(longname); i += 64)
		longname[i] = '.';
	longname[253] = '\0';
	ATF_CHECK(valid(longname));
	longname[253] = 'a';
	longname[254] = '\0';
	ATF_CHECK(!valid(longname));
}

/* A domain must never become a second line of resolvconf's input. */
ATF_TC_WITHOUT_HEAD(domain_no_second_line);
ATF_TC_BODY(domain_no_second_line, tc)
{
	ATF_CHECK(!valid("corp.example\nnameserver 198.51.100.66"));
	ATF_CHECK(!valid("corp.example\rnameserver"));
	ATF_CHECK(!valid("corp.example\tx"));
	ATF_CHECK(!valid("corp.example;x"));
	ATF_CHECK(!valid("corp\xc3\xa9.example"));
}

ATF_TC_WITHOUT_HEAD(check_request);
ATF_TC_BODY(check_request, tc)
{
	struct in_addr s[3] = { addr("192.0.2.53"), addr("192.0.2.54"),
	    addr("192.0.2.55") };
	struct in_addr any = addr("0.0.0.0"), bcast = addr("255.255.255.255");
	const char *doms[DNS_DOMAINS_MAX + 1];
	const char *bad[] = { "corp.example", "x\nnameserver 1.2.3.4" };
	const char *nul[] = { NULL };
	char err[DNS_ERR_MAX];
	size_t i;

	for (i = 0; i < DNS_DOMAINS_MAX + 1; i++)
		doms[i] = "corp.example";
	ATF_CHECK_EQ(dns_check("tun0", s, 1, NULL, 0, err, sizeof(err)), 0);
	ATF_CHECK_EQ(dns_check("ppp12", s, 2, doms, DNS_DOMAINS_MAX, err,
	    sizeof(err)), 0);

	/* Servers: one or two real addresses. */
	ATF_CHECK_EQ(dns_check("tun0", s, 0, NULL, 0, err, sizeof(err)), -1);
	ATF_CHECK_EQ(dns_check("tun0", s, 3, NULL, 0, err, sizeof(err)), -1);
	ATF_CHECK_EQ(dns_check("tun0", &any, 1, NULL, 0, err, sizeof(err)),
	    -1);
	ATF_CHECK_EQ(dns_check("tun0", &bcast, 1, NULL, 0, err, sizeof(err)),
	    -1);

	/* The server may not point the host's DNS at the host or nowhere. */
	{
		const char *no[] = { "127.0.0.1", "127.0.0.53", "0.1.2.3",
		    "224.0.0.251", "239.255.255.250", "240.0.0.1" };
		const char *yes[] = { "10.0.0.1", "192.0.2.53", "1.1.1.1",
		    "223.255.255.254", "126.255.255.255", "128.0.0.1" };
		struct in_addr a;

		for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
			a = addr(no[i]);
			ATF_CHECK_MSG(!dns_server_usable(a), "%s", no[i]);
			ATF_CHECK_EQ(dns_check("tun0", &a, 1, NULL, 0, err,
			    sizeof(err)), -1);
		}
		for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
			ATF_CHECK_MSG(dns_server_usable(addr(yes[i])), "%s",
			    yes[i]);
	}

	/* Domains: a bounded count of valid names. */
	ATF_CHECK_EQ(dns_check("tun0", s, 1, doms, DNS_DOMAINS_MAX + 1, err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(dns_check("tun0", s, 1, bad, 2, err, sizeof(err)), -1);
	ATF_CHECK_EQ(dns_check("tun0", s, 1, nul, 1, err, sizeof(err)), -1);
}

/*
 * The interface is resolvconf's argument and names a file in
 * DNS_STATE_DIR: never an option, never a path.
 */
ATF_TC_WITHOUT_HEAD(check_ifname);
ATF_TC_BODY(check_ifname, tc)
{
	struct in_addr s = addr("192.0.2.53");
	char err[DNS_ERR_MAX];

	ATF_CHECK(dns_ifname_valid("tun0"));
	ATF_CHECK(dns_ifname_valid("ppp0"));
	ATF_CHECK(dns_ifname_valid("office-vpn.1"));
	ATF_CHECK(!dns_ifname_valid(""));
	ATF_CHECK(!dns_ifname_valid("-d"));
	ATF_CHECK(!dns_ifname_valid("-a"));
	ATF_CHECK(!dns_ifname_valid("../x"));
	ATF_CHECK(!dns_ifname_valid("."));
	ATF_CHECK(!dns_ifname_valid(".."));
	ATF_CHECK(!dns_ifname_valid("tun0 -x"));
	ATF_CHECK(!dns_ifname_valid("tun0\n"));
	ATF_CHECK(!dns_ifname_valid("abcdefghijklmnop"));	/* 16 */
	ATF_CHECK(dns_ifname_valid("abcdefghijklmno"));		/* 15 */
	ATF_CHECK_EQ(dns_check("-d", &s, 1, NULL, 0, err, sizeof(err)), -1);
}

ATF_TC_WITHOUT_HEAD(resolvconf_text);
ATF_TC_BODY(resolvconf_text, tc)
{
	struct in_addr s[2] = { addr("192.0.2.53"), addr("192.0.2.54") };
	const char *doms[] = { "corp.example", "lab.example" };
	char buf[DNS_TEXT_MAX];
	int n;

	n = dns_resolvconf_text(buf, sizeof(buf), s, 2, doms, 2);
	ATF_CHECK_STREQ(buf, "nameserver 192.0.2.53\nnameserver 192.0.2.54\n"
	    "search corp.example lab.example\n");
	ATF_CHECK_EQ(n, (int)strlen(buf));

	n = dns_resolvconf_text(buf, sizeof(buf), s, 1, NULL, 0);
	ATF_CHECK_STREQ(buf, "nameserver 192.0.2.53\n");
	ATF_CHECK_EQ(n, (int)strlen(buf));

	/* Cut short is an error, never a truncated record. */
	ATF_CHECK_EQ(dns_resolvconf_text(buf, 30, s, 2, NULL, 0), -1);
	ATF_CHECK_EQ(dns_resolvconf_text(buf, 44, s, 2, doms, 1), -1);
	ATF_CHECK_EQ(dns_resolvconf_text(buf, 0, s, 1, NULL, 0), -1);
}

ATF_TC_WITHOUT_HEAD(backend_names);
ATF_TC_BODY(backend_names, tc)
{
	ATF_CHECK_STREQ(dns_backend_name(DNS_BACKEND_RESOLVED), "resolved");
	ATF_CHECK_STREQ(dns_backend_name(DNS_BACKEND_RESOLVCONF),
	    "resolvconf");
	ATF_CHECK_STREQ(dns_backend_name(DNS_BACKEND_PROPOSAL), "resolvd");
	ATF_CHECK_STREQ(dns_backend_name(DNS_BACKEND_NONE), "");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, domain_names);
	ATF_TP_ADD_TC(tp, domain_no_second_line);
	ATF_TP_ADD_TC(tp, check_request);
	ATF_TP_ADD_TC(tp, check_ifname);
	ATF_TP_ADD_TC(tp, resolvconf_text);
	ATF_TP_ADD_TC(tp, backend_names);
	return atf_no_error();
}
