/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * "pptpcd -nv": the configuration as pptpcd understood it, every setting
 * spelled out with its default filled in, in one fixed order.  The output
 * is itself a valid configuration that prints the same again, which the
 * golden tests check.  A password is never printed: "password ********"
 * stands in for an inline one, a password file is shown by its path.
 */
#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "config.h"

/* Must match what parse.y's lexer takes as one unquoted word. */
static int
plain_word(const char *s)
{
	const char *p;
	int digits = 1;

	if (*s == '\0' || parse_is_keyword(s))
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.:/", *p) != NULL))
			return 0;
		if (*p < '0' || *p > '9')
			digits = 0;
	}
	/* Otherwise it would read back as a number. */
	if (digits || (s[0] == '-' && strspn(s + 1, "0123456789") ==
	    strlen(s + 1)))
		return 0;
	return 1;
}

static void
print_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void
print_word(FILE *f, const char *s)
{
	if (plain_word(s))
		fputs(s, f);
	else
		print_quoted(f, s);
}

static void
print_auth(FILE *f, unsigned int allow)
{
	static const struct {
		enum auth_method m;
		const char	*name;
	} order[] = {
		{ AUTH_PAP,		"pap" },
		{ AUTH_CHAP_MD5,	"chap-md5" },
		{ AUTH_MSCHAPV1,	"mschap" },
		{ AUTH_MSCHAPV2,	"mschapv2" },
	};
	size_t i;

	fputs("\tauth", f);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (allow & AUTH_ALLOW(order[i].m))
			fprintf(f, " %s", order[i].name);
	fputc('\n', f);
}

static void
print_tunnel(FILE *f, const struct tunnel_conf *t)
{
	const struct route_conf *r;
	const struct route6_conf *r6;
	char addr[INET6_ADDRSTRLEN];
	size_t i;

	fputs("tunnel ", f);
	print_word(f, t->name);
	fputs(" {\n", f);

	fputs("\tserver ", f);
	print_word(f, t->server != NULL ? t->server : "");
	fprintf(f, " port %u\n", t->port);
	fputs("\tusername ", f);
	print_quoted(f, t->username != NULL ? t->username : "");
	fputc('\n', f);
	if (t->password_file != NULL) {
		fputs("\tpassword-file ", f);
		print_quoted(f, t->password_file);
		fputc('\n', f);
	} else
		fputs("\tpassword ********\n", f);
	print_auth(f, t->auth_allow);

	fprintf(f, "\tmppe %s", conf_mppe_name(t->mppe));
	if (t->mppe_bits & MPPE_BITS_40)
		fputs(" 40", f);
	if (t->mppe_bits & MPPE_BITS_56)
		fputs(" 56", f);
	if (t->mppe_bits & MPPE_BITS_128)
		fputs(" 128", f);
	if (t->mppe_stateful == CONF_MPPE_STATEFUL_PREFER)
		fputs(" prefer-stateful", f);
	else if (t->mppe_stateful == CONF_MPPE_STATEFUL_ALLOW)
		fputs(" stateful", f);
	fputc('\n', f);

	/* No default name: the first free interface is taken at start. */
	if (t->interface[0] != '\0') {
		fputs("\tinterface ", f);
		print_word(f, t->interface);
		fputc('\n', f);
	}
	TAILQ_FOREACH(r, &t->routes, entry) {
		inet_ntop(AF_INET, &r->addr, addr, sizeof(addr));
		fprintf(f, "\troute %s/%u\n", addr, r->prefixlen);
	}
	TAILQ_FOREACH(r6, &t->routes6, entry) {
		inet_ntop(AF_INET6, &r6->addr, addr, sizeof(addr));
		fprintf(f, "\troute %s/%u\n", addr, r6->prefixlen);
	}
	fprintf(f, "\tdefault-route %s\n", t->default_route ? "yes" : "no");
	fprintf(f, "\tipv6 %s\n", t->ipv6 ? "yes" : "no");
	if (t->address6_len != 0) {
		inet_ntop(AF_INET6, &t->address6, addr, sizeof(addr));
		fprintf(f, "\taddress6 %s/%u\n", addr, t->address6_len);
	}
	fprintf(f, "\tkill-switch %s\n", t->kill_switch ? "yes" : "no");
	if (t->mtu == 0)
		fputs("\tmtu auto\n", f);
	else
		fprintf(f, "\tmtu %u\n", t->mtu);
	fprintf(f, "\tmru %u\n", t->mru);
	if (t->keepalive == 0)
		fputs("\tkeepalive no\n", f);
	else
		fprintf(f, "\tkeepalive %u %u\n", t->keepalive,
		    t->keepalive_fail);
	if (t->reconnect)
		fprintf(f, "\treconnect %u %u\n", t->reconnect_first,
		    t->reconnect_max);
	else
		fputs("\treconnect no\n", f);
	if (t->reorder_pkts == 0)
		fputs("\treorder no\n", f);
	else
		fprintf(f, "\treorder %u %u\n", t->reorder_pkts,
		    t->reorder_wait_ms);
	fprintf(f, "\toffload %s\n", conf_offload_name(t->offload));
	fprintf(f, "\ttcp-mss-adjust %s\n", t->tcp_mss_adjust ? "yes" : "no");
	if (t->local_addr.s_addr == INADDR_ANY)
		fputs("\tlocal-address any\n", f);
	else {
		inet_ntop(AF_INET, &t->local_addr, addr, sizeof(addr));
		fprintf(f, "\tlocal-address %s\n", addr);
	}
	/* Every system reads the other's keywords at their defaults. */
	fprintf(f, "\tfwmark %u\n", t->fwmark);
	if (t->table == 0)
		fputs("\ttable main\n", f);
	else
		fprintf(f, "\ttable %u\n", t->table);
	fprintf(f, "\trdomain %u\n", t->rdomain);
	fprintf(f, "\tinterface-rdomain %u\n", t->iface_rdomain);
	if (t->up_script != NULL) {
		fputs("\tup-script ", f);
		print_quoted(f, t->up_script);
		fputc('\n', f);
	}
	if (t->down_script != NULL) {
		fputs("\tdown-script ", f);
		print_quoted(f, t->down_script);
		fputc('\n', f);
	}
	fprintf(f, "\tdns %s\n", t->dns_apply ? "apply" : "no");
	if (t->ndns_domains > 0) {
		fputs("\tdns-domains", f);
		for (i = 0; i < t->ndns_domains; i++) {
			fputc(' ', f);
			print_word(f, t->dns_domains[i]);
		}
		fputc('\n', f);
	}
	fputs("}\n", f);
}

void
print_config(FILE *f, const struct config *conf)
{
	const struct tunnel_conf *t;

	TAILQ_FOREACH(t, &conf->tunnels, entry) {
		if (t != TAILQ_FIRST(&conf->tunnels))
			fputc('\n', f);
		print_tunnel(f, t);
	}
}
