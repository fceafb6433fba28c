/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptpcd's configuration: what parse.y builds from /etc/pptpcd.conf and
 * what the tunnels are started from.
 *
 * A struct config owns a list of struct tunnel_conf, one per "tunnel NAME
 * { ... }" block, in file order.  Every field holds a value: parse.y fills
 * in the defaults below before it reads a block, so the code that runs a
 * tunnel never has to know what the default of anything is.  A reload
 * parses the file into a fresh struct config and keeps each running tunnel
 * whose tunnel_conf_equal() to its new self, so nothing in here may point
 * into the old configuration.
 *
 * Passwords (inline or read from a password file) live only in
 * tunnel_conf.password and are wiped by tunnel_conf_free().
 */
#ifndef PPTPC_CONFIG_H
#define PPTPC_CONFIG_H

#include <sys/queue.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pptpc_ctl.h"

#define PPTPCD_CONF_FILE	"/etc/pptpcd.conf"
#define PPTPCD_SOCKET		"/var/run/pptpcd.sock"

#define TUNNEL_NAME_MAX		PPTPC_NAME_MAX	/* [A-Za-z0-9_-] */
#define IFACE_NAME_MAX		15	/* IFNAMSIZ - 1 */
#define CONF_PASSWORD_MAX	256	/* bytes; MS-CHAP takes 256 chars */
#define CONF_USERNAME_MAX	256
#define CONF_HOST_MAX		253	/* RFC 1035 */

/* Ranges and defaults; parse.y checks every number against these. */
#define PPTP_PORT_DEFAULT	1723
#define MTU_MIN			576
#define MTU_MAX			1500
#define MRU_MIN			576
#define MRU_MAX			1500
#define MRU_DEFAULT		1400	/* GRE + PPP + MPPE fit 1500 */
#define KEEPALIVE_MAX		3600
#define KEEPALIVE_DEFAULT	30
#define KEEPALIVE_FAIL_MIN	1
#define KEEPALIVE_FAIL_MAX	100
#define KEEPALIVE_FAIL_DEFAULT	4
#define RECONNECT_FIRST_MAX	3600
#define RECONNECT_MAX_MAX	86400
#define RECONNECT_FIRST_DEFAULT	5
#define RECONNECT_MAX_DEFAULT	300
#define REORDER_PKTS_MAX	64
#define REORDER_PKTS_DEFAULT	16
#define REORDER_WAIT_MAX	1000	/* ms */
#define REORDER_WAIT_DEFAULT	50
#define RDOMAIN_MAX		255	/* OpenBSD's RT_TABLEID_MAX */

/*
 * Which routing-domain keywords this system takes: Linux marks sockets
 * (fwmark) and has numbered tables (table); OpenBSD has routing domains
 * (rdomain, interface-rdomain).  parse.y refuses the other system's
 * except at their defaults, which print_config() prints everywhere.
 */
#if defined(__OpenBSD__)
#define CONF_HAS_FWMARK		0
#define CONF_HAS_RDOMAIN	1
#else
#define CONF_HAS_FWMARK		1
#define CONF_HAS_RDOMAIN	0
#endif

enum mppe_mode {
	CONF_MPPE_REQUIRED = 0,
	CONF_MPPE_OPTIONAL,
	CONF_MPPE_OFF,
};

/* Key lengths allowed, a set. */
#define MPPE_BITS_40		0x01
#define MPPE_BITS_56		0x02
#define MPPE_BITS_128		0x04
#define MPPE_BITS_DEFAULT	MPPE_BITS_128

/* mppe ... [stateful | prefer-stateful] */
enum mppe_stateful {
	CONF_MPPE_STATELESS = 0,
	CONF_MPPE_STATEFUL_ALLOW,	/* stateful if the server asks */
	CONF_MPPE_STATEFUL_PREFER,	/* asked for; stateless if refused */
};

enum offload_mode {
	OFFLOAD_AUTO = 0,
	OFFLOAD_PIPEX,
	OFFLOAD_KERNEL,
	OFFLOAD_USERSPACE,
};

struct route_conf {
	TAILQ_ENTRY(route_conf)	 entry;
	struct in_addr		 addr;	/* host bits 0 */
	uint8_t			 prefixlen;	/* 1..32 */
};
TAILQ_HEAD(route_list, route_conf);

struct route6_conf {
	TAILQ_ENTRY(route6_conf) entry;
	struct in6_addr		 addr;	/* host bits 0 */
	uint8_t			 prefixlen;	/* 1..128 */
};
TAILQ_HEAD(route6_list, route6_conf);

struct tunnel_conf {
	TAILQ_ENTRY(tunnel_conf) entry;
	char		 name[TUNNEL_NAME_MAX + 1];
	int		 lineno;	/* of "tunnel NAME {" */

	char		*server;	/* name or IPv4 address */
	uint16_t	 port;
	char		*username;
	char		*password;	/* NUL-terminated; never logged */
	size_t		 password_len;
	char		*password_file;	/* NULL: inline password */

	unsigned int	 auth_allow;	/* AUTH_ALLOW() bits, auth.h */
	enum mppe_mode	 mppe;
	unsigned int	 mppe_bits;	/* MPPE_BITS_*; 0: off */
	int		 mppe_stateful;	/* CONF_MPPE_STATEFUL_* */

	char		 interface[IFACE_NAME_MAX + 1]; /* "": first free */
	struct route_list routes;	/* sorted, no duplicates */
	int		 default_route;	/* with ipv6: ::/1 and 8000::/1 too */
	int		 ipv6;		/* IPv6CP; 0: IPv4 only, as before */
	struct route6_list routes6;	/* sorted; only with ipv6 */
	struct in6_addr	 address6;	/* on the interface beside the
					   link-local */
	uint8_t		 address6_len;	/* 0: no address6 */
	int		 kill_switch;	/* refused while down */
	unsigned int	 mtu;		/* 0: from MRU, MPPE */
	unsigned int	 mru;
	unsigned int	 keepalive;	/* LCP echo interval s, 0: off */
	unsigned int	 keepalive_fail; /* unanswered echoes: down */
	int		 reconnect;	/* 0: give up after a failure */
	unsigned int	 reconnect_first; /* s */
	unsigned int	 reconnect_max;	/* s */
	unsigned int	 reorder_pkts;	/* GRE reorder, 0: off */
	unsigned int	 reorder_wait_ms;
	enum offload_mode offload;
	int		 tcp_mss_adjust;
	/* Several WANs (pptpcd.conf(5) "Several WANs"). */
	struct in_addr	 local_addr;	/* INADDR_ANY: routing picks it */
	uint32_t	 fwmark;	/* Linux SO_MARK, 0: none */
	uint32_t	 table;		/* Linux routing table, 0: main */
	unsigned int	 rdomain;	/* OpenBSD: the sockets' rtable */
	unsigned int	 iface_rdomain;	/* OpenBSD: the interface's */
	char		*up_script;	/* NULL: none */
	char		*down_script;
	int		 dns_apply;	/* IPCP's servers to the host (dns.h) */
	char		**dns_domains;	/* routing domains; ndns_domains */
	size_t		 ndns_domains;	/* at most DNS_DOMAINS_MAX */
};
TAILQ_HEAD(tunnel_list, tunnel_conf);

struct config {
	struct tunnel_list	 tunnels;
};

struct config		*config_new(void);
void			 config_free(struct config *);
struct tunnel_conf	*config_find_tunnel(const struct config *,
			    const char *);

/* A tunnel with every default filled in; NULL if out of memory. */
struct tunnel_conf	*tunnel_conf_new(const char *name);
void			 tunnel_conf_free(struct tunnel_conf *);
/* 1 when a running tunnel can keep going under the new configuration. */
int			 tunnel_conf_equal(const struct tunnel_conf *,
			    const struct tunnel_conf *);
/*
 * 1 when dns and dns-domains are the same.  tunnel_conf_equal() leaves
 * them out: a running tunnel takes a change of them without a redial.
 */
int			 tunnel_conf_dns_equal(const struct tunnel_conf *,
			    const struct tunnel_conf *);
/* Adds a dns-domains name; -1 with errno EEXIST if listed already. */
int			 tunnel_conf_add_dns_domain(struct tunnel_conf *,
			    const char *);
/* Adds a route; -1 with errno EEXIST if it is there already. */
int			 tunnel_conf_add_route(struct tunnel_conf *,
			    struct in_addr, uint8_t);

/*
 * Syntax checks used by parse.y.  Each returns 0, or -1 with a message for
 * people in err (without the "file:line: " that the caller adds).
 */
/* config6.c: the IPv6 parts. */
int			 tunnel_conf_add_route6(struct tunnel_conf *,
			    const struct in6_addr *, uint8_t);
void			 tunnel_conf_free6(struct tunnel_conf *);
int			 tunnel_conf_equal6(const struct tunnel_conf *,
			    const struct tunnel_conf *);
/* host_ok 0: a route prefix (host bits 0); 1: an address6. */
int	conf_parse_prefix6(const char *, int host_ok, struct in6_addr *,
	    uint8_t *, char *err, size_t errlen);

int	conf_valid_tunnel_name(const char *, char *err, size_t errlen);
int	conf_valid_ifname(const char *, char *err, size_t errlen);
int	conf_valid_host(const char *, char *err, size_t errlen);
int	conf_split_prefix(const char *, int af, void *addr, int *len);
int	conf_parse_prefix(const char *, struct in_addr *, uint8_t *,
	    char *err, size_t errlen);

/*
 * The configuration file names the scripts root runs: it and its directories
 * must be owned by root or the user running pptpcd and not writable by
 * group or others (filecheck.h).  0, or -1 with the reason and the fix in
 * err.  Anything but a regular file is left to the read.
 */
int	conf_check_trust(int fd, const char *path, char *err, size_t errlen);
/*
 * A file holding a password must be a regular file owned by root or by the
 * user running pptpcd and closed to group and others.  Returns 0 when it
 * is, -1 with the reason and the fix in err.
 */
int	conf_check_secrecy(int fd, const char *path, char *err,
	    size_t errlen);
/*
 * Reads a password file: one line, the newline optional, at most
 * CONF_PASSWORD_MAX bytes, after conf_check_secrecy() and a check of its
 * directories; never through a symbolic link.  On success *pw is
 * a NUL-terminated copy that the caller wipes and frees.
 */
int	conf_read_password_file(const char *path, char **pw, size_t *pwlen,
	    char *err, size_t errlen);
/* Wipes a string that may hold a secret, then frees it. */
void	conf_free_secret(char *);

const char	*conf_mppe_name(enum mppe_mode);
const char	*conf_offload_name(enum offload_mode);

/* parse.y.  Errors go to the log as "file:line: message". */
#define CONF_QUIET	0x01	/* count errors, print nothing */
#define CONF_NOFILES	0x02	/* leave password files alone */
#define CONF_NOSECRECY	0x04	/* no file, no mode to check */

/* NULL after printing every error found. */
struct config	*parse_config(const char *path, int flags);
/* The same for text in memory; name is used in messages. */
struct config	*parse_config_buffer(const char *name, const void *,
		    size_t, int flags);
/* 1 if s is a keyword, which must be quoted to be a value. */
int		 parse_is_keyword(const char *s);

/* printconf.c: the normalised form, which parse_config() reads back. */
void		 print_config(FILE *, const struct config *);

#endif /* PPTPC_CONFIG_H */
