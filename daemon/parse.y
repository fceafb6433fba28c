/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The grammar of pptpcd.conf, in the way of OpenBSD's parse.y files: the
 * lexer lives here, keywords sit in a sorted table, every error is reported
 * as "file:line: message" and parsing goes on after one so that a single
 * run of "pptpcd -n" lists all of them.  Every number is range-checked in
 * its action; nothing is silently ignored.
 *
 *	tunnel NAME {
 *		server HOST [port N]
 *		username STRING
 *		password STRING | password-file PATH
 *		auth METHOD...		pap chap-md5 mschap mschapv2
 *		mppe required|optional|off [40] [56] [128]
 *		    [stateful | prefer-stateful]
 *		interface NAME
 *		route PREFIX/LEN	repeatable
 *		default-route yes|no
 *		kill-switch yes|no
 *		mtu N|auto
 *		mru N
 *		keepalive SECONDS [FAILURES] | keepalive no
 *		reconnect FIRST MAX | reconnect no
 *		reorder PACKETS MS | reorder no
 *		offload auto|pipex|kernel|userspace
 *		tcp-mss-adjust yes|no
 *		local-address ADDRESS | any
 *		fwmark N		Linux
 *		table N | main		Linux
 *		rdomain N		OpenBSD
 *		interface-rdomain N	OpenBSD
 *		up-script PATH
 *		down-script PATH
 *		dns apply|no
 *		dns-domains DOMAIN...
 *	}
 *
 * Macros as in pf.conf: "name = value" at the top level, "$name" later is
 * replaced by the value's text (not inside quotes).
 *
 * The parser's state is the one set of globals pptpcd keeps (HACKING.md);
 * it lives only for the duration of parse_config().
 */

%{
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "compat.h"
#include "config.h"
#include "dns.h"
#include "filecheck.h"
#include "log.h"
#include "mschap.h"

struct yyvalue {
	union {
		long long	 number;
		char		*string;
	} v;
	char		*word;		/* a NUMBER as written */
	int		 lineno;
};
#define YYSTYPE		struct yyvalue

int	yylex(void);
void	yyerror(const char *);
int	yyparse(void);

#define MAXTOKEN	1024	/* longest word or quoted string */
#define MAXPUSHBACK	(MAXTOKEN + 16)
#define START_EXPAND	256	/* out of the byte range on purpose */
#define DONE_EXPAND	257
#define PLACEHOLDER_PW	"********"	/* what print_config() shows */

/* Options that may appear once per tunnel block. */
enum opt {
	OPT_SERVER,
	OPT_USERNAME,
	OPT_PASSWORD,		/* password and password-file alike */
	OPT_AUTH,
	OPT_MPPE,
	OPT_INTERFACE,
	OPT_DEFAULTROUTE,
	OPT_IPV6,
	OPT_ADDRESS6,
	OPT_KILLSWITCH,
	OPT_MTU,
	OPT_MRU,
	OPT_KEEPALIVE,
	OPT_RECONNECT,
	OPT_REORDER,
	OPT_OFFLOAD,
	OPT_TCPMSSADJUST,
	OPT_LOCALADDRESS,
	OPT_FWMARK,
	OPT_TABLE,
	OPT_RDOMAIN,
	OPT_IFRDOMAIN,
	OPT_UPSCRIPT,
	OPT_DOWNSCRIPT,
	OPT_DNS,
	OPT_DNSDOMAINS,
	OPT_MAX
};

struct sym {
	TAILQ_ENTRY(sym)	 entry;
	char			*name;
	char			*val;	/* may be a password: wiped */
};

struct keywords {
	const char	*k_name;
	int		 k_val;
	const char	*k_usage;	/* what follows it, for messages */
};

struct tokinfo {
	int		 tok;
	int		 lineno;
	int		 first;		/* first token of its line */
	const char	*keyword;	/* keyword tokens only */
};

static struct {
	FILE		*stream;
	const char	*name;
	int		 lineno;
	int		 errors;
	int		 flags;
	int		 secret_inline;	/* a password in the file */
	int		 secrecy_failed;
	char		 secrecy_err[512];
	char		 trust_err[1024];	/* owner, mode, directories */
	int		 read_errno;	/* getc() failed, not at EOF */
} file;

static struct config		*conf;
static struct tunnel_conf	*tun;		/* the block being read */
static int			 tun_keep;	/* add it to conf at "}" */
static int			 tun_badname;	/* reported; no more */
static int			 optline[OPT_MAX];
static int			 route6_line;	/* first IPv6 route */
static const char		*optkw[OPT_MAX];
static unsigned int		 auth_acc;
static unsigned int		 mppe_bits_acc;
static int			 mppe_stateful_acc;

static TAILQ_HEAD(, sym)	 symhead = TAILQ_HEAD_INITIALIZER(symhead);
static int			 pushback[MAXPUSHBACK];
static int			 pushback_index;
static int			 expanding;
static int			 at_linestart;
static struct tokinfo		 tok_last, tok_prev;
static char			 tokbuf[MAXTOKEN];
static char			 firstword[64];	/* for messages */
static const struct keywords	*line_kw;	/* the line's first word */
static int			 line_kw_lineno;

/*
 * Every string the lexer hands to the grammar lives here until the end of
 * the parse, when all are wiped and freed: tokens thrown away by error
 * recovery can then neither leak nor be freed twice, and an action copies
 * only what it keeps.
 */
struct pooled {
	struct pooled	*next;
	size_t		 len;
	char		 s[];
};
static struct pooled		*pool;

static void	 conf_err(int, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static void	 conf_warn(int, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static void	 tunnel_begin(const char *, int);
static void	 tunnel_end(void);
static int	 opt_once(enum opt, const char *, int);
static int	 range(long long, long long, long long, const char *, int);
static int	 yesno(const char *, const char *, int);
static void	 set_string(char **, const char *, enum opt, const char *,
		    int);
static void	 set_server(const char *, long long, int);
static void	 set_password(const char *, int);
static void	 set_password_file(const char *, int);
static void	 set_auth_method(const char *, int);
static void	 set_mppe(const char *, int);
static void	 add_mppe_opt_string(const char *, int);
static void	 add_mppe_bits(long long, int);
static void	 set_path(char **, const char *, enum opt, const char *,
		    int);
static void	 set_enum_word(const char *, enum opt, int);
static void	 add_dns_domain(const char *, int);
static void	 set_local_address(const char *, int);
static int	 os_has(int, long long, const char *, const char *, int);
static char	*pool_strdup(const char *);
static void	 pool_clear(void);
static char	*xstrdup(const char *);
static void	 symset(const char *, const char *, int);
static char	*symget(const char *);
static void	 symclear(void);
%}

%token	AUTH ADDRESS6 DEFAULTROUTE DNS DNSDOMAINS DOWNSCRIPT INTERFACE IPV6
%token	KEEPALIVE KILLSWITCH MPPE
%token	MRU MTU OFFLOAD PASSWORD PASSWORDFILE PORT RECONNECT REORDER ROUTE
%token	FWMARK IFRDOMAIN LOCALADDRESS RDOMAIN TABLE
%token	SERVER TCPMSSADJUST TUNNEL UPSCRIPT USERNAME
%token	STRING NUMBER ERROR

%%

grammar		: /* empty */
		| grammar '\n'
		| grammar varset '\n'
		| grammar tunnel
		| grammar error '\n'	{ yyerrok; }
		;

varset		: STRING '=' STRING {
			symset($1.v.string, $3.v.string, $1.lineno);
		}
		| STRING '=' NUMBER {
			symset($1.v.string, $3.word, $1.lineno);
		}
		;

/* A name of digits only is a NUMBER to the lexer. */
name		: STRING	{ $$ = $1; }
		| NUMBER {
			$$.v.string = $1.word;
			$$.lineno = $1.lineno;
		}
		;

tunnel		: TUNNEL name '{' {
			tunnel_begin($2.v.string, $1.lineno);
		} tunnelbody tunnelclose {
			tunnel_end();
		}
		;

tunnelclose	: '}'
		| tunnelopt '}'
		| error '}'		{ yyerrok; }
		;

tunnelbody	: /* empty */
		| tunnelbody '\n'
		| tunnelbody tunnelopt '\n'
		| tunnelbody error '\n'	{ yyerrok; }
		;

tunnelopt	: SERVER STRING {
			set_server($2.v.string, PPTP_PORT_DEFAULT, $1.lineno);
		}
		| SERVER STRING PORT NUMBER {
			if (range($4.v.number, 1, 65535, "port", $3.lineno))
				set_server($2.v.string, $4.v.number,
				    $1.lineno);
		}
		| USERNAME STRING {
			if (strlen($2.v.string) == 0 ||
			    strlen($2.v.string) > CONF_USERNAME_MAX) {
				conf_err($1.lineno, "username must be 1 to %d "
				    "bytes long", CONF_USERNAME_MAX);
			} else
				set_string(&tun->username, $2.v.string,
				    OPT_USERNAME, "username", $1.lineno);
		}
		| PASSWORD STRING {
			set_password($2.v.string, $1.lineno);
		}
		| PASSWORDFILE STRING {
			set_password_file($2.v.string, $1.lineno);
		}
		| AUTH {
			auth_acc = 0;
		} authlist {
			if (opt_once(OPT_AUTH, "auth", $1.lineno)) {
				tun->auth_allow = auth_acc;
				if (auth_acc & AUTH_ALLOW(AUTH_PAP))
					conf_warn($1.lineno, "auth pap sends "
					    "the password in clear text");
			}
		}
		| MPPE {
			mppe_bits_acc = 0;
			mppe_stateful_acc = 0;
		} STRING mppeopts {
			set_mppe($3.v.string, $1.lineno);
		}
		| INTERFACE STRING {
			char err[128];

			if (conf_valid_ifname($2.v.string, err,
			    sizeof(err)) == -1)
				conf_err($1.lineno, "%s", err);
			else if (opt_once(OPT_INTERFACE, "interface",
			    $1.lineno))
				strlcpy(tun->interface, $2.v.string,
				    sizeof(tun->interface));
		}
		| ROUTE STRING {
			struct in_addr addr;
			struct in6_addr a6;
			uint8_t len;
			char err[256];

			/* Only an IPv6 prefix has a colon. */
			if (strchr($2.v.string, ':') != NULL) {
				if (conf_parse_prefix6($2.v.string, 0, &a6,
				    &len, err, sizeof(err)) == -1)
					conf_err($1.lineno, "%s", err);
				else if (tunnel_conf_add_route6(tun, &a6,
				    len) == -1) {
					if (errno != EEXIST)
						fatal("%s", __func__);
					conf_err($1.lineno, "route %s is "
					    "listed twice", $2.v.string);
				} else if (route6_line == 0)
					route6_line = $1.lineno;
			} else if (conf_parse_prefix($2.v.string, &addr, &len,
			    err, sizeof(err)) == -1)
				conf_err($1.lineno, "%s", err);
			else if (tunnel_conf_add_route(tun, addr, len) == -1) {
				if (errno != EEXIST)
					fatal("%s", __func__);
				conf_err($1.lineno, "route %s is listed twice",
				    $2.v.string);
			}
		}
		| DEFAULTROUTE STRING {
			int v = yesno($2.v.string, "default-route", $1.lineno);

			if (v != -1 && opt_once(OPT_DEFAULTROUTE,
			    "default-route", $1.lineno))
				tun->default_route = v;
		}
		| IPV6 STRING {
			int v = yesno($2.v.string, "ipv6", $1.lineno);

			if (v != -1 && opt_once(OPT_IPV6, "ipv6", $1.lineno))
				tun->ipv6 = v;
		}
		| ADDRESS6 STRING {
			struct in6_addr a6;
			uint8_t len;
			char err[256];

			if (conf_parse_prefix6($2.v.string, 1, &a6, &len, err,
			    sizeof(err)) == -1)
				conf_err($1.lineno, "%s", err);
			else if (opt_once(OPT_ADDRESS6, "address6",
			    $1.lineno)) {
				tun->address6 = a6;
				tun->address6_len = len;
			}
		}
		| KILLSWITCH STRING {
			int v = yesno($2.v.string, "kill-switch", $1.lineno);

			if (v != -1 && opt_once(OPT_KILLSWITCH, "kill-switch",
			    $1.lineno))
				tun->kill_switch = v;
		}
		| MTU NUMBER {
			if (range($2.v.number, MTU_MIN, MTU_MAX, "mtu",
			    $1.lineno) && opt_once(OPT_MTU, "mtu", $1.lineno))
				tun->mtu = $2.v.number;
		}
		| MTU STRING {
			if (strcmp($2.v.string, "auto") != 0)
				conf_err($1.lineno, "mtu must be a number from "
				    "%d to %d or \"auto\"", MTU_MIN, MTU_MAX);
			else if (opt_once(OPT_MTU, "mtu", $1.lineno))
				tun->mtu = 0;
		}
		| MRU NUMBER {
			if (range($2.v.number, MRU_MIN, MRU_MAX, "mru",
			    $1.lineno) && opt_once(OPT_MRU, "mru", $1.lineno))
				tun->mru = $2.v.number;
		}
		| KEEPALIVE NUMBER {
			if (range($2.v.number, 0, KEEPALIVE_MAX, "keepalive",
			    $1.lineno) &&
			    opt_once(OPT_KEEPALIVE, "keepalive", $1.lineno))
				tun->keepalive = $2.v.number;
		}
		| KEEPALIVE NUMBER NUMBER {
			if ($2.v.number == 0)
				conf_err($1.lineno, "keepalive 0 turns echoes "
				    "off and takes no failure count");
			else if (range($2.v.number, 1, KEEPALIVE_MAX,
			    "keepalive", $1.lineno) &&
			    range($3.v.number, KEEPALIVE_FAIL_MIN,
			    KEEPALIVE_FAIL_MAX, "keepalive failure count",
			    $1.lineno) &&
			    opt_once(OPT_KEEPALIVE, "keepalive", $1.lineno)) {
				tun->keepalive = $2.v.number;
				tun->keepalive_fail = $3.v.number;
			}
		}
		| KEEPALIVE STRING {
			if (strcmp($2.v.string, "no") != 0)
				conf_err($1.lineno, "keepalive takes an "
				    "interval in seconds, then optionally a "
				    "failure count, or \"no\"");
			else if (opt_once(OPT_KEEPALIVE, "keepalive",
			    $1.lineno))
				tun->keepalive = 0;
		}
		| RECONNECT NUMBER NUMBER {
			if (!range($2.v.number, 1, RECONNECT_FIRST_MAX,
			    "reconnect's first delay", $1.lineno) ||
			    !range($3.v.number, 1, RECONNECT_MAX_MAX,
			    "reconnect's longest delay", $1.lineno))
				;
			else if ($2.v.number > $3.v.number)
				conf_err($1.lineno, "reconnect %lld %lld: the "
				    "first delay is longer than the longest",
				    $2.v.number, $3.v.number);
			else if (opt_once(OPT_RECONNECT, "reconnect",
			    $1.lineno)) {
				tun->reconnect = 1;
				tun->reconnect_first = $2.v.number;
				tun->reconnect_max = $3.v.number;
			}
		}
		| RECONNECT STRING {
			if (strcmp($2.v.string, "no") != 0)
				conf_err($1.lineno, "reconnect takes the first "
				    "and the longest delay in seconds, or "
				    "\"no\"");
			else if (opt_once(OPT_RECONNECT, "reconnect",
			    $1.lineno))
				tun->reconnect = 0;
		}
		| REORDER NUMBER NUMBER {
			if (range($2.v.number, 1, REORDER_PKTS_MAX,
			    "reorder queue length", $1.lineno) &&
			    range($3.v.number, 1, REORDER_WAIT_MAX,
			    "reorder wait (ms)", $1.lineno) &&
			    opt_once(OPT_REORDER, "reorder", $1.lineno)) {
				tun->reorder_pkts = $2.v.number;
				tun->reorder_wait_ms = $3.v.number;
			}
		}
		| REORDER STRING {
			if (strcmp($2.v.string, "no") != 0)
				conf_err($1.lineno, "reorder takes a queue "
				    "length in packets and a wait in ms, or "
				    "\"no\"");
			else if (opt_once(OPT_REORDER, "reorder", $1.lineno)) {
				tun->reorder_pkts = 0;
				tun->reorder_wait_ms = 0;
			}
		}
		| OFFLOAD STRING {
			set_enum_word($2.v.string, OPT_OFFLOAD, $1.lineno);
		}
		| TCPMSSADJUST STRING {
			int v = yesno($2.v.string, "tcp-mss-adjust", $1.lineno);

			if (v != -1 && opt_once(OPT_TCPMSSADJUST,
			    "tcp-mss-adjust", $1.lineno))
				tun->tcp_mss_adjust = v;
		}
		| LOCALADDRESS STRING {
			set_local_address($2.v.string, $1.lineno);
		}
		| FWMARK NUMBER {
			if (os_has(CONF_HAS_FWMARK, $2.v.number, "fwmark",
			    "rdomain", $1.lineno) &&
			    range($2.v.number, 0, UINT32_MAX,
			    "fwmark", $1.lineno) && opt_once(OPT_FWMARK,
			    "fwmark", $1.lineno))
				tun->fwmark = (uint32_t)$2.v.number;
		}
		| TABLE NUMBER {
			/* 0 is no table; 255 is the kernel's local one. */
			if (!os_has(CONF_HAS_FWMARK, $2.v.number, "table",
			    "interface-rdomain", $1.lineno))
				;
			else if ($2.v.number == 255)
				conf_err($1.lineno, "table 255 is the kernel's "
				    "local table");
			else if (range($2.v.number, 1, UINT32_MAX, "table",
			    $1.lineno) && opt_once(OPT_TABLE, "table",
			    $1.lineno))
				tun->table = (uint32_t)$2.v.number;
		}
		| TABLE STRING {
			if (strcmp($2.v.string, "main") != 0)
				conf_err($1.lineno, "table takes a number or "
				    "\"main\"");
			else if (opt_once(OPT_TABLE, "table", $1.lineno))
				tun->table = 0;
		}
		| RDOMAIN NUMBER {
			if (os_has(CONF_HAS_RDOMAIN, $2.v.number, "rdomain",
			    "fwmark", $1.lineno) &&
			    range($2.v.number, 0, RDOMAIN_MAX,
			    "rdomain", $1.lineno) && opt_once(OPT_RDOMAIN,
			    "rdomain", $1.lineno))
				tun->rdomain = (unsigned int)$2.v.number;
		}
		| IFRDOMAIN NUMBER {
			if (os_has(CONF_HAS_RDOMAIN, $2.v.number,
			    "interface-rdomain", "table", $1.lineno) &&
			    range($2.v.number, 0,
			    RDOMAIN_MAX, "interface-rdomain", $1.lineno) &&
			    opt_once(OPT_IFRDOMAIN, "interface-rdomain",
			    $1.lineno))
				tun->iface_rdomain = (unsigned int)$2.v.number;
		}
		| UPSCRIPT STRING {
			set_path(&tun->up_script, $2.v.string, OPT_UPSCRIPT,
			    "up-script", $1.lineno);
		}
		| DOWNSCRIPT STRING {
			set_path(&tun->down_script, $2.v.string,
			    OPT_DOWNSCRIPT, "down-script", $1.lineno);
		}
		| DNS STRING {
			if (strcmp($2.v.string, "apply") == 0) {
				if (opt_once(OPT_DNS, "dns", $1.lineno))
					tun->dns_apply = 1;
			} else if (strcmp($2.v.string, "no") == 0) {
				if (opt_once(OPT_DNS, "dns", $1.lineno))
					tun->dns_apply = 0;
			} else
				conf_err($1.lineno, "dns takes \"apply\" or "
				    "\"no\"");
		}
		| DNSDOMAINS domainlist {
			(void)opt_once(OPT_DNSDOMAINS, "dns-domains",
			    $1.lineno);
		}
		;

domainlist	: domain
		| domainlist domain
		;

domain		: STRING	{ add_dns_domain($1.v.string, $1.lineno); }
		;

authlist	: authmethod
		| authlist authmethod
		;

authmethod	: STRING	{ set_auth_method($1.v.string, $1.lineno); }
		;

mppeopts	: /* empty */
		| mppeopts NUMBER {
			add_mppe_bits($2.v.number, $2.lineno);
		}
		| mppeopts STRING {
			add_mppe_opt_string($2.v.string, $2.lineno);
		}
		;

%%

/*
 * Keywords met in the current block, valid or not: a setting with a bad
 * value has been reported already and is not also "missing".
 */
static int	kw_seen[USERNAME - AUTH + 1];
#define SEEN(tok)	(kw_seen[(tok) - AUTH])

/* Sorted for bsearch(). */
static const struct keywords keywords[] = {
	{ "address6",		ADDRESS6,	"ADDRESS/LEN" },
	{ "auth",		AUTH,
	    "METHOD ... (pap chap-md5 mschap mschapv2)" },
	{ "default-route",	DEFAULTROUTE,	"yes | no" },
	{ "dns",		DNS,		"apply | no" },
	{ "dns-domains",	DNSDOMAINS,	"DOMAIN ..." },
	{ "down-script",	DOWNSCRIPT,	"PATH" },
	{ "fwmark",		FWMARK,		"N" },
	{ "interface",		INTERFACE,	"NAME" },
	{ "interface-rdomain",	IFRDOMAIN,	"N" },
	{ "ipv6",		IPV6,		"yes | no" },
	{ "keepalive",		KEEPALIVE,
	    "SECONDS [FAILURES] | no" },
	{ "kill-switch",	KILLSWITCH,	"yes | no" },
	{ "local-address",	LOCALADDRESS,	"ADDRESS | any" },
	{ "mppe",		MPPE,
	    "required | optional | off [40] [56] [128] [stateful | "
	    "prefer-stateful]" },
	{ "mru",		MRU,		"BYTES" },
	{ "mtu",		MTU,		"BYTES | auto" },
	{ "offload",		OFFLOAD,
	    "auto | pipex | kernel | userspace" },
	{ "password",		PASSWORD,	"STRING" },
	{ "password-file",	PASSWORDFILE,	"PATH" },
	{ "port",		PORT,		NULL },
	{ "rdomain",		RDOMAIN,	"N" },
	{ "reconnect",		RECONNECT,	"FIRST MAX | no" },
	{ "reorder",		REORDER,	"PACKETS MS | no" },
	{ "route",		ROUTE,		"PREFIX/LEN" },
	{ "server",		SERVER,		"HOST [port N]" },
	{ "table",		TABLE,		"N | main" },
	{ "tcp-mss-adjust",	TCPMSSADJUST,	"yes | no" },
	{ "tunnel",		TUNNEL,		"NAME {" },
	{ "up-script",		UPSCRIPT,	"PATH" },
	{ "username",		USERNAME,	"STRING" },
};

static int
kw_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct keywords *)e)->k_name);
}

static const struct keywords *
lookup(const char *s)
{
	return bsearch(s, keywords, sizeof(keywords) / sizeof(keywords[0]),
	    sizeof(keywords[0]), kw_cmp);
}

static void
vreport(int lineno, const char *kind, const char *fmt, va_list ap)
{
	char msg[1024];

	if (file.flags & CONF_QUIET)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (lineno > 0)
		log_warnx("%s:%d: %s%s", file.name, lineno, kind, msg);
	else if (lineno == 0)
		log_warnx("%s: %s%s", file.name, kind, msg);
	else
		log_warnx("%s%s", kind, msg);	/* msg names the file */
}

static void
conf_err(int lineno, const char *fmt, ...)
{
	va_list ap;

	file.errors++;
	va_start(ap, fmt);
	vreport(lineno, "", fmt, ap);
	va_end(ap);
}

static void
conf_warn(int lineno, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(lineno, "warning: ", fmt, ap);
	va_end(ap);
}

/*
 * Called by the generated parser on a syntax error; the offending token
 * is the one yylex() returned last.  Words from the file are quoted back
 * only when they stand first on a line, where a password never does.
 */
void
yyerror(const char *msg)
{
	int line = tok_last.lineno;

	if (tok_last.tok == ERROR)
		return;		/* the lexer has said what was wrong */
	if (strcmp(msg, "syntax error") != 0) {
		conf_err(line, "%s", msg);
		return;
	}
	if (tok_last.tok == 0) {
		if (tok_prev.lineno > 0)
			line = tok_prev.lineno;
		if (tun != NULL)
			conf_err(line, "unexpected end of file: tunnel %s "
			    "has no closing \"}\"", tun->name);
		else
			conf_err(line, "unexpected end of file");
	} else if (tok_last.tok == '\n' && tok_prev.tok == STRING &&
	    tok_prev.first)
		conf_err(line, "unknown keyword \"%s\"", firstword);
	else if (tok_last.first && tok_last.tok == STRING)
		conf_err(line, "unknown keyword \"%s\"", firstword);
	else if (tok_last.tok == TUNNEL && tun != NULL)
		conf_err(line, "tunnel %s has no closing \"}\" before this "
		    "\"tunnel\"", tun->name);
	else if (tok_last.first && tok_last.keyword != NULL && tun == NULL)
		conf_err(line, "\"%s\" belongs inside a tunnel block",
		    tok_last.keyword);
	else if (line_kw != NULL && line_kw_lineno == line &&
	    line_kw->k_usage != NULL)
		conf_err(line, "usage: %s %s", line_kw->k_name,
		    line_kw->k_usage);
	else if (tok_last.tok == '\n')
		conf_err(line, "unexpected end of line");
	else if (tok_last.keyword != NULL)
		conf_err(line, "unexpected \"%s\"", tok_last.keyword);
	else if (tok_last.tok == STRING || tok_last.tok == NUMBER)
		conf_err(line, "unexpected value");
	else
		conf_err(line, "unexpected \"%c\"", tok_last.tok);
}

/*
 * expand_macro() leaves room for its value plus the few bytes the lexer
 * puts back around it, so the check below never drops one in practice;
 * it is there so that no input can write past the buffer.
 */
static int
lungetc(int c)
{
	if (c == EOF)
		return EOF;
	if (pushback_index >= MAXPUSHBACK)
		return EOF;
	pushback[pushback_index++] = c;
	return c;
}

/* getc() that remembers why it stopped on a read error. */
static int
fgetc_checked(void)
{
	int c;

	if ((c = getc(file.stream)) == EOF && ferror(file.stream) &&
	    file.read_errno == 0)
		file.read_errno = errno != 0 ? errno : EIO;
	return c;
}

static int
lgetc(int quoted)
{
	int c, next;

	if (pushback_index > 0)
		return pushback[--pushback_index];
	c = fgetc_checked();
	/* Outside quotes a backslash at the end of a line joins lines. */
	while (!quoted && c == '\\') {
		next = fgetc_checked();
		if (next != '\n') {
			lungetc(next);
			break;
		}
		file.lineno++;
		c = fgetc_checked();
	}
	return c;
}

/*
 * After a lexical error: skip the rest of the line, leaving its newline
 * for the grammar's error rules to resynchronise on.
 */
static int
findeol(void)
{
	int c;

	for (;;) {
		c = lgetc(0);
		if (c == START_EXPAND || c == DONE_EXPAND) {
			expanding = c == START_EXPAND;
			continue;
		}
		if (c == '\n' || c == EOF)
			break;
	}
	lungetc(c);
	return ERROR;
}

static int
lex_error(const char *fmt, ...)
    __attribute__((__format__(printf, 1, 2)));

static int
lex_error(const char *fmt, ...)
{
	va_list ap;

	file.errors++;
	va_start(ap, fmt);
	vreport(file.lineno, "", fmt, ap);
	va_end(ap);
	return findeol();
}

static int
allowed_in_word(int c)
{
	if (c < 0 || c > 0x7f)
		return 0;
	if (isalnum(c))
		return 1;
	/* Inside a macro's text "$" is an ordinary character. */
	if (c == '$')
		return expanding;
	return ispunct(c) && strchr("{}=#\"'!(),;", c) == NULL;
}

static int
expand_macro(void)
{
	char name[64], *val;
	size_t n = 0, i;
	int c;

	for (;;) {
		c = lgetc(0);
		if (c == EOF || !(isalnum(c) || c == '_'))
			break;
		if (n + 1 >= sizeof(name))
			return lex_error("macro name is too long");
		name[n++] = c;
	}
	name[n] = '\0';
	lungetc(c);
	if (n == 0)
		return lex_error("\"$\" must be followed by a macro name");
	if ((val = symget(name)) == NULL)
		return lex_error("macro \"%s\" is not defined", name);
	if (pushback_index + strlen(val) + 2 > MAXPUSHBACK)
		return lex_error("macro \"%s\" is too long", name);
	lungetc(DONE_EXPAND);
	for (i = strlen(val); i > 0; i--)
		lungetc((unsigned char)val[i - 1]);
	lungetc(START_EXPAND);
	return 0;
}

static int
lex_quoted(int quotec)
{
	char *p = tokbuf;
	int c, next;

	for (;;) {
		c = lgetc(1);
		if (c == START_EXPAND || c == DONE_EXPAND) {
			expanding = c == START_EXPAND;
			continue;
		}
		if (c == EOF || c == '\n') {
			lungetc(c);
			return lex_error("quoted string has no closing %c",
			    quotec);
		}
		if (c == '\\') {
			next = lgetc(1);
			if (next == '\n') {
				file.lineno++;
				continue;
			}
			if (next != '"' && next != '\'' && next != '\\') {
				lungetc(next);
				return lex_error("unknown escape in a quoted "
				    "string; write \\\\ for a backslash");
			}
			c = next;
		} else if (c == quotec)
			break;
		else if (c == 0 || c == 0x7f || (c < 0x20 && c != '\t'))
			return lex_error("control character in a quoted "
			    "string");
		if (p + 1 >= tokbuf + sizeof(tokbuf))
			return lex_error("string is longer than %d bytes",
			    MAXTOKEN - 1);
		*p++ = c;
	}
	*p = '\0';
	yylval.v.string = pool_strdup(tokbuf);
	return STRING;
}

static int
lex_token(void)
{
	const struct keywords *kw;
	char *p;
	long long n;
	int c, r;

 top:
	while ((c = lgetc(0)) == ' ' || c == '\t' || c == '\r')
		;
	yylval.lineno = file.lineno;
	if (c == '#') {
		while ((c = lgetc(0)) != '\n' && c != EOF)
			if (c == START_EXPAND || c == DONE_EXPAND)
				expanding = c == START_EXPAND;
	}
	if (c == START_EXPAND || c == DONE_EXPAND) {
		expanding = c == START_EXPAND;
		goto top;
	}
	if (c == '$' && !expanding) {
		if ((r = expand_macro()) != 0)
			return r;
		goto top;
	}
	if (c == '"' || c == '\'')
		return lex_quoted(c);
	if (c == '\n') {
		file.lineno++;
		return '\n';
	}
	if (c == EOF)
		return 0;
	if (c == '{' || c == '}' || c == '=')
		return c;
	if (!allowed_in_word(c)) {
		if (c == 0)
			return lex_error("NUL byte in the file");
		if (isprint(c))
			return lex_error("unexpected character \"%c\"", c);
		return lex_error("unexpected byte 0x%02x", c);
	}

	p = tokbuf;
	do {
		if (p + 1 >= tokbuf + sizeof(tokbuf))
			return lex_error("word is longer than %d bytes",
			    MAXTOKEN - 1);
		*p++ = c;
	} while ((c = lgetc(0)) != EOF && allowed_in_word(c));
	lungetc(c);
	*p = '\0';

	/* A word of digits, maybe signed, is a number. */
	p = tokbuf + (tokbuf[0] == '-');
	if (*p != '\0' && strspn(p, "0123456789") == strlen(p)) {
		errno = 0;
		n = strtoll(tokbuf, NULL, 10);
		/* UINT32_MAX: fwmark and table are 32-bit. */
		if (errno == ERANGE || n > UINT32_MAX || n < INT_MIN)
			return lex_error("number %s is too large", tokbuf);
		yylval.v.number = n;
		yylval.word = pool_strdup(tokbuf);
		return NUMBER;
	}
	if ((kw = lookup(tokbuf)) != NULL)
		return kw->k_val;
	yylval.v.string = pool_strdup(tokbuf);
	return STRING;
}

/* Remembers the last two tokens, for yyerror()'s messages. */
int
yylex(void)
{
	const struct keywords *kw;
	int tok;

	tok = lex_token();
	tok_prev = tok_last;
	tok_last.tok = tok;
	tok_last.lineno = yylval.lineno;
	tok_last.first = at_linestart;
	if (tok == STRING && at_linestart) {
		size_t n = strnlen(tokbuf, sizeof(firstword) - 1);

		memcpy(firstword, tokbuf, n);
		firstword[n] = '\0';
	}
	tok_last.keyword = NULL;
	kw = NULL;
	if (tok != STRING && tok != NUMBER && tok != ERROR && tok > 255 &&
	    (kw = lookup(tokbuf)) != NULL)
		tok_last.keyword = kw->k_name;
	if (at_linestart && tok != '\n') {
		line_kw = kw;
		line_kw_lineno = yylval.lineno;
		if (kw != NULL && tok >= AUTH && tok <= USERNAME)
			SEEN(tok) = 1;
	}
	at_linestart = tok == '\n' || tok == '{';
	return tok;
}

static char *
pool_strdup(const char *s)
{
	struct pooled *p;
	size_t len = strlen(s);

	if ((p = malloc(sizeof(*p) + len + 1)) == NULL)
		fatal("%s", __func__);
	memcpy(p->s, s, len + 1);
	p->len = len;
	p->next = pool;
	pool = p;
	return p->s;
}

static void
pool_clear(void)
{
	struct pooled *p;

	while ((p = pool) != NULL) {
		pool = p->next;
		explicit_bzero(p->s, p->len);
		free(p);
	}
}

static char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		fatal("%s", __func__);
	return p;
}

static void
symset(const char *name, const char *val, int lineno)
{
	struct sym *sym;
	const char *p;

	for (p = name; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_') {
			conf_err(lineno, "macro name \"%s\" may only hold "
			    "letters, digits and \"_\"", name);
			return;
		}
	}
	if (strlen(name) >= 64) {
		conf_err(lineno, "macro name is too long");
		return;
	}
	/* A later definition replaces an earlier one, as in pf.conf. */
	TAILQ_FOREACH(sym, &symhead, entry) {
		if (strcmp(sym->name, name) == 0) {
			conf_free_secret(sym->val);
			sym->val = xstrdup(val);
			return;
		}
	}
	if ((sym = calloc(1, sizeof(*sym))) == NULL)
		fatal("%s", __func__);
	sym->name = xstrdup(name);
	sym->val = xstrdup(val);
	TAILQ_INSERT_TAIL(&symhead, sym, entry);
}

static char *
symget(const char *name)
{
	struct sym *sym;

	TAILQ_FOREACH(sym, &symhead, entry)
		if (strcmp(sym->name, name) == 0)
			return sym->val;
	return NULL;
}

static void
symclear(void)
{
	struct sym *sym;

	while ((sym = TAILQ_FIRST(&symhead)) != NULL) {
		TAILQ_REMOVE(&symhead, sym, entry);
		free(sym->name);
		conf_free_secret(sym->val);
		free(sym);
	}
}

static void
tunnel_begin(const char *name, int lineno)
{
	char err[128];

	tun_keep = 1;
	tun_badname = 0;
	if (conf_valid_tunnel_name(name, err, sizeof(err)) == -1) {
		conf_err(lineno, "%s", err);
		tun_keep = 0;
		tun_badname = 1;
	} else if (config_find_tunnel(conf, name) != NULL) {
		conf_err(lineno, "tunnel %s is defined twice (first at line "
		    "%d)", name, config_find_tunnel(conf, name)->lineno);
		tun_keep = 0;
	}
	/* Parse a bad block all the same, to report what else is wrong. */
	tunnel_conf_free(tun);
	if ((tun = tunnel_conf_new(name)) == NULL)
		fatal("%s", __func__);
	tun->lineno = lineno;
	memset(optline, 0, sizeof(optline));
	route6_line = 0;
	memset(optkw, 0, sizeof(optkw));
	/* "tunnel" itself was seen before this block began. */
	memset(kw_seen, 0, sizeof(kw_seen));
}

static void
tunnel_end(void)
{
	unsigned int mschap = AUTH_ALLOW(AUTH_MSCHAPV1) |
	    AUTH_ALLOW(AUTH_MSCHAPV2);
	char err[128];

	if (tun_badname)
		goto out;
	if (!SEEN(SERVER))
		conf_err(tun->lineno, "tunnel %s: no server given", tun->name);
	if (!SEEN(USERNAME))
		conf_err(tun->lineno, "tunnel %s: no username given",
		    tun->name);
	if (!SEEN(PASSWORD) && !SEEN(PASSWORDFILE))
		conf_err(tun->lineno, "tunnel %s: no password or "
		    "password-file given", tun->name);
	/* Unless auth or mppe was wrong already. */
	if ((SEEN(AUTH) && optline[OPT_AUTH] == 0) ||
	    (SEEN(MPPE) && optline[OPT_MPPE] == 0))
		;
	else if (tun->mppe == CONF_MPPE_REQUIRED &&
	    (tun->auth_allow & mschap) == 0)
		conf_err(optline[OPT_MPPE] ? optline[OPT_MPPE] : tun->lineno,
		    "tunnel %s: mppe required needs mschap or mschapv2 in "
		    "auth; MPPE keys come from MS-CHAP", tun->name);
	/*
	 * MS-CHAP hashes the password as UTF-16: one it cannot convert
	 * would fail every dial, so say so now.  The message gives a byte
	 * offset, never the password.
	 */
	if ((tun->auth_allow & mschap) != 0 && tun->password != NULL &&
	    mschap_password_check(tun->password, tun->password_len, err,
	    sizeof(err)) == -1)
		conf_err(optline[OPT_PASSWORD] ? optline[OPT_PASSWORD] :
		    tun->lineno, "tunnel %s: %s, which mschap and mschapv2 "
		    "need", tun->name, err);
	/* IPv6 settings mean nothing on a link that carries IPv4 alone. */
	if (!tun->ipv6 && route6_line != 0)
		conf_err(route6_line, "tunnel %s: an IPv6 route needs "
		    "\"ipv6 yes\"", tun->name);
	if (!tun->ipv6 && tun->address6_len != 0)
		conf_err(optline[OPT_ADDRESS6], "tunnel %s: address6 needs "
		    "\"ipv6 yes\"", tun->name);
	if (tun->password_file == NULL && tun->password != NULL)
		file.secret_inline = 1;
	if (tun->ndns_domains > 0 && !tun->dns_apply)
		conf_err(optline[OPT_DNSDOMAINS], "tunnel %s: dns-domains "
		    "needs \"dns apply\"", tun->name);
 out:
	if (tun_keep)
		TAILQ_INSERT_TAIL(&conf->tunnels, tun, entry);
	else
		tunnel_conf_free(tun);
	tun = NULL;
}

static int
opt_once(enum opt opt, const char *kw, int lineno)
{
	if (optline[opt] != 0) {
		if (strcmp(optkw[opt], kw) != 0)
			conf_err(lineno, "\"%s\" conflicts with \"%s\" at "
			    "line %d", kw, optkw[opt], optline[opt]);
		else
			conf_err(lineno, "\"%s\" is given twice (first at "
			    "line %d)", kw, optline[opt]);
		return 0;
	}
	optline[opt] = lineno;
	optkw[opt] = kw;
	return 1;
}

static int
range(long long v, long long min, long long max, const char *what,
    int lineno)
{
	if (v < min || v > max) {
		conf_err(lineno, "%s %lld is out of range (%lld to %lld)",
		    what, v, min, max);
		return 0;
	}
	return 1;
}

/* Takes the string; -1 after reporting a word other than yes or no. */
static int
yesno(const char *s, const char *kw, int lineno)
{
	int v = -1;

	if (strcmp(s, "yes") == 0)
		v = 1;
	else if (strcmp(s, "no") == 0)
		v = 0;
	else
		conf_err(lineno, "%s takes yes or no", kw);
	return v;
}

static void
set_string(char **dst, const char *s, enum opt opt, const char *kw, int lineno)
{
	if (opt_once(opt, kw, lineno))
		*dst = xstrdup(s);
}

/* A script's path: root runs it, so only root may change it. */
static void
set_path(char **dst, const char *s, enum opt opt, const char *kw, int lineno)
{
	char err[1024];

	/* pptpcd runs from "/"; a relative path would mean something else. */
	if (s[0] != '/') {
		conf_err(lineno, "%s \"%s\" must be an absolute path", kw, s);
		return;
	}
	if (!opt_once(opt, kw, lineno))
		return;
	*dst = xstrdup(s);
	if (!(file.flags & CONF_NOFILES) &&
	    filecheck_path(s, 0, err, sizeof(err)) == -1)
		conf_err(lineno, "%s", err);
}

/*
 * 1 if this system has the keyword kw, or v is its default (0, "main"),
 * which means the same everywhere: "pptpcd -nv" prints every keyword, so
 * its output reads back on both systems.  Otherwise reports it, naming
 * what this system has instead, and returns 0.
 */
static int
os_has(int has, long long v, const char *kw, const char *instead,
    int lineno)
{
	if (!has && v != 0) {
		conf_err(lineno, "%s %lld: not available on this system (it "
		    "has %s)", kw, v, instead);
		return 0;
	}
	return 1;
}

/*
 * An IPv4 address of this host, or "any".  Whether the host has it is
 * checked when the tunnel binds to it (bind(2) says EADDRNOTAVAIL), as
 * an address may come and go while pptpcd runs.
 */
static void
set_local_address(const char *s, int lineno)
{
	struct in_addr in;

	if (strcmp(s, "any") == 0)
		in.s_addr = INADDR_ANY;
	else if (inet_pton(AF_INET, s, &in) != 1 ||
	    in.s_addr == INADDR_ANY || IN_MULTICAST(ntohl(in.s_addr)) ||
	    in.s_addr == INADDR_BROADCAST) {
		conf_err(lineno, "local-address \"%s\" is not an IPv4 "
		    "unicast address or \"any\"", s);
		return;
	}
	if (opt_once(OPT_LOCALADDRESS, "local-address", lineno))
		tun->local_addr = in;
}

static void
set_server(const char *host, long long port, int lineno)
{
	char err[512];

	if (conf_valid_host(host, err, sizeof(err)) == -1) {
		conf_err(lineno, "%s", err);
		return;
	}
	if (!opt_once(OPT_SERVER, "server", lineno))
		return;
	tun->server = xstrdup(host);
	tun->port = port;
}

static void
set_password(const char *pw, int lineno)
{
	size_t len = strlen(pw);

	if (len == 0 || len > CONF_PASSWORD_MAX) {
		conf_err(lineno, "password must be 1 to %d bytes long",
		    CONF_PASSWORD_MAX);
		return;
	}
	if (!opt_once(OPT_PASSWORD, "password", lineno))
		return;
	/*
	 * -nv prints this in place of a password so that its output parses
	 * again; reading it back as a real password is almost surely wrong.
	 */
	if (strcmp(pw, PLACEHOLDER_PW) == 0)
		conf_warn(lineno, "the password is \"%s\", which pptpcd -nv "
		    "prints in place of the real one", PLACEHOLDER_PW);
	tun->password = xstrdup(pw);
	tun->password_len = len;
}

static void
set_password_file(const char *path, int lineno)
{
	char err[1024], *pw;
	size_t len;

	if (path[0] != '/') {
		conf_err(lineno, "password-file \"%s\" must be an absolute "
		    "path", path);
		return;
	}
	if (!opt_once(OPT_PASSWORD, "password-file", lineno))
		return;
	tun->password_file = xstrdup(path);
	if (file.flags & CONF_NOFILES)
		return;
	if (conf_read_password_file(path, &pw, &len, err, sizeof(err)) == -1) {
		conf_err(lineno, "%s", err);
		return;
	}
	tun->password = pw;
	tun->password_len = len;
}

static void
set_auth_method(const char *s, int lineno)
{
	static const struct {
		const char	*name;
		enum auth_method m;
	} methods[] = {
		{ "pap",	AUTH_PAP },
		{ "chap-md5",	AUTH_CHAP_MD5 },
		{ "mschap",	AUTH_MSCHAPV1 },
		{ "mschapv2",	AUTH_MSCHAPV2 },
	};
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(s, methods[i].name) == 0)
			break;
	if (i == sizeof(methods) / sizeof(methods[0]))
		conf_err(lineno, "unknown auth method \"%s\"; the methods are "
		    "pap, chap-md5, mschap and mschapv2", s);
	else if (auth_acc & AUTH_ALLOW(methods[i].m))
		conf_err(lineno, "auth method %s is listed twice", s);
	else
		auth_acc |= AUTH_ALLOW(methods[i].m);
}

static void
add_mppe_bits(long long n, int lineno)
{
	unsigned int bit;

	switch (n) {
	case 40:
		bit = MPPE_BITS_40;
		break;
	case 56:
		bit = MPPE_BITS_56;
		break;
	case 128:
		bit = MPPE_BITS_128;
		break;
	default:
		conf_err(lineno, "mppe key length %lld is not 40, 56 or 128",
		    n);
		return;
	}
	if (mppe_bits_acc & bit)
		conf_err(lineno, "mppe key length %lld is listed twice", n);
	mppe_bits_acc |= bit;
}

static void
add_mppe_opt_string(const char *s, int lineno)
{
	int v;

	if (strcmp(s, "stateful") == 0)
		v = CONF_MPPE_STATEFUL_ALLOW;
	else if (strcmp(s, "prefer-stateful") == 0)
		v = CONF_MPPE_STATEFUL_PREFER;
	else {
		conf_err(lineno, "unknown mppe option \"%s\"; expected 40, "
		    "56, 128, stateful or prefer-stateful", s);
		return;
	}
	if (mppe_stateful_acc)
		conf_err(lineno, "mppe takes one of stateful and "
		    "prefer-stateful, once");
	else
		mppe_stateful_acc = v;
}

static void
set_mppe(const char *mode, int lineno)
{
	enum mppe_mode m;

	if (strcmp(mode, "required") == 0)
		m = CONF_MPPE_REQUIRED;
	else if (strcmp(mode, "optional") == 0)
		m = CONF_MPPE_OPTIONAL;
	else if (strcmp(mode, "off") == 0)
		m = CONF_MPPE_OFF;
	else {
		conf_err(lineno, "mppe takes required, optional or off, not "
		    "\"%s\"", mode);
		return;
	}
	if (m == CONF_MPPE_OFF && (mppe_bits_acc != 0 || mppe_stateful_acc)) {
		conf_err(lineno, "mppe off takes no key lengths and no "
		    "stateful or prefer-stateful");
		return;
	}
	if (!opt_once(OPT_MPPE, "mppe", lineno))
		return;
	if (m != CONF_MPPE_OFF && mppe_bits_acc == 0)
		mppe_bits_acc = MPPE_BITS_DEFAULT;
	tun->mppe = m;
	tun->mppe_bits = mppe_bits_acc;
	tun->mppe_stateful = mppe_stateful_acc;
	if (m == CONF_MPPE_OFF)
		conf_warn(lineno, "mppe off: the tunnel carries data in clear "
		    "text");
	else if (m == CONF_MPPE_OPTIONAL)
		conf_warn(lineno, "mppe optional: the tunnel carries data in "
		    "clear text if the server refuses MPPE");
	if (mppe_bits_acc & (MPPE_BITS_40 | MPPE_BITS_56))
		conf_warn(lineno, "40- and 56-bit MPPE keys are weak");
}

static void
set_enum_word(const char *s, enum opt opt, int lineno)
{
	static const char *const offload[] = {
		[OFFLOAD_AUTO] = "auto",
		[OFFLOAD_PIPEX] = "pipex",
		[OFFLOAD_KERNEL] = "kernel",
		[OFFLOAD_USERSPACE] = "userspace",
	};
	size_t i;

	for (i = 0; i < sizeof(offload) / sizeof(offload[0]); i++)
		if (strcmp(s, offload[i]) == 0)
			break;
	if (i == sizeof(offload) / sizeof(offload[0]))
		conf_err(lineno, "offload takes auto, pipex, kernel or "
		    "userspace, not \"%s\"", s);
	else if (opt_once(opt, "offload", lineno))
		tun->offload = i;
}

/*
 * A name for dns-domains, checked as dns_apply() will check it again.
 * A second dns-domains line is reported by opt_once(), not merged.
 */
static void
add_dns_domain(const char *d, int lineno)
{
	char err[DNS_ERR_MAX];

	if (optline[OPT_DNSDOMAINS] != 0)
		return;
	if (dns_domain_valid(d, err, sizeof(err)) == -1)
		conf_err(lineno, "dns-domains: %s", err);
	else if (tun->ndns_domains >= DNS_DOMAINS_MAX)
		conf_err(lineno, "dns-domains: at most %d domains",
		    DNS_DOMAINS_MAX);
	else if (tunnel_conf_add_dns_domain(tun, d) == -1) {
		if (errno != EEXIST)
			fatal("%s", __func__);
		conf_err(lineno, "dns-domains: %s is listed twice", d);
	}
}

/* One run of the grammar over file.stream, which the caller has set up. */
int
parse_is_keyword(const char *s)
{
	return lookup(s) != NULL;
}

static struct config *
parse_stream(void)
{
	struct config *result;

	if ((conf = config_new()) == NULL)
		fatal("%s", __func__);
	tun = NULL;
	file.lineno = 1;
	file.errors = 0;
	file.secret_inline = 0;
	file.read_errno = 0;
	pushback_index = 0;
	expanding = 0;
	at_linestart = 1;
	line_kw = NULL;
	memset(&tok_last, 0, sizeof(tok_last));
	memset(&tok_prev, 0, sizeof(tok_prev));

	/* The file itself, before what it says. */
	if (file.trust_err[0] != '\0')
		conf_err(-1, "%s", file.trust_err);
	yyparse();

	/* A block cut short by the end of the file. */
	tunnel_conf_free(tun);
	tun = NULL;
	symclear();
	pool_clear();
	/* The lexer's buffers may have held a password. */
	explicit_bzero(tokbuf, sizeof(tokbuf));
	explicit_bzero(firstword, sizeof(firstword));
	explicit_bzero(pushback, sizeof(pushback));
	explicit_bzero(&yylval, sizeof(yylval));

	/* A directory, say, or an I/O error: what was read is not all. */
	if (file.read_errno != 0)
		conf_err(0, "%s", strerror(file.read_errno));
	if (file.secret_inline && file.secrecy_failed)
		conf_err(-1, "%s", file.secrecy_err);
	if (file.errors == 0 && TAILQ_EMPTY(&conf->tunnels))
		conf_warn(0, "no tunnel is defined");
	result = conf;
	conf = NULL;
	if (file.errors > 0) {
		config_free(result);
		return NULL;
	}
	return result;
}

struct config *
parse_config(const char *path, int flags)
{
	struct config *result;
	char iobuf[BUFSIZ];

	memset(&file, 0, sizeof(file));
	file.name = path;
	file.flags = flags;
	if ((file.stream = fopen(path, "re")) == NULL) {
		if (!(flags & CONF_QUIET))
			log_warn("%s", path);
		return NULL;
	}
	/* Our own buffer, so that the file's text can be wiped after. */
	setvbuf(file.stream, iobuf, _IOFBF, sizeof(iobuf));
	/*
	 * Who may change it, password or not, since it names what root
	 * runs; then, if that is right, who may read it (which matters only
	 * if a password turns out to be inline).
	 */
	if (!(flags & CONF_NOSECRECY) &&
	    conf_check_trust(fileno(file.stream), path, file.trust_err,
	    sizeof(file.trust_err)) == 0 &&
	    conf_check_secrecy(fileno(file.stream), path, file.secrecy_err,
	    sizeof(file.secrecy_err)) == -1)
		file.secrecy_failed = 1;
	result = parse_stream();
	fclose(file.stream);
	explicit_bzero(iobuf, sizeof(iobuf));
	memset(&file, 0, sizeof(file));
	return result;
}

struct config *
parse_config_buffer(const char *name, const void *buf, size_t len,
    int flags)
{
	struct config *result;

	memset(&file, 0, sizeof(file));
	file.name = name;
	file.flags = flags | CONF_NOSECRECY;
	/* fmemopen() refuses an empty buffer on older C libraries. */
	if (len == 0)
		file.stream = fopen("/dev/null", "re");
	else
		file.stream = fmemopen((void *)buf, len, "r");
	if (file.stream == NULL)
		fatal("%s: %s", __func__, name);
	result = parse_stream();
	fclose(file.stream);
	memset(&file, 0, sizeof(file));
	return result;
}
