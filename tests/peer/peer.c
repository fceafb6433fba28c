/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptp-peer: the test peer.  A PPTP server (PAC) and PPP server built from
 * pptpcd's own modules, that tests and make demo dial in a network
 * namespace of their own, and that misbehaves on request.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <event2/event.h>
#include <event2/listener.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "auth_hooks.h"
#include "crypto.h"
#include "datapath.h"
#include "fdcloser.h"
#include "gre_fault.h"
#include "log.h"
#include "peer.h"
#include "timer_event.h"

/* Time to say goodbye to every client on SIGTERM before exiting anyway. */
#define STOP_GRACE_S	4
/*
 * Connections the kernel queues before we accept them: a hub that dials
 * a thousand tunnels within seconds overflows a short queue, and a SYN
 * dropped there comes back only a second later.  The kernel caps it at
 * net.core.somaxconn.
 */
#define LISTEN_BACKLOG	1024

static void	usage(void) __attribute__((__noreturn__));

static void
usage(void)
{
	fprintf(stderr,
"usage: pptp-peer [-dv] -l address [-p port] -u user -P password\n"
"           [-a methods] [-m mppe ...] [--local address] [--remote address]\n"
"           [--dns a[,b]] [--nbns a[,b]] [--mtu n] [--keepalive s]\n"
"           [misbehaviour ...]\n"
"\n"
"  -d             stay in the foreground, log to stderr\n"
"  -v             more verbose (twice: packet-level debug)\n"
"  -l address     listen on this IPv4 address\n"
"  -p port        TCP port (1723)\n"
"  -u user        the user name a client must give\n"
"  -P password    its password (a test peer: it is on the command line)\n"
"  -a methods     comma-separated: pap, chap-md5, mschap, mschapv2\n"
"                 (default mschapv2)\n"
"  -m mppe        comma-separated, may repeat: required (default),\n"
"                 optional, off (refuse MPPE), 40, 56, 128 (key lengths\n"
"                 offered; default 128), stateful (allow stateful mode)\n"
"  --local a      the server's tunnel address (192.0.2.1)\n"
"  --remote a     the first client's tunnel address (192.0.2.10); the\n"
"                 next client gets the next address\n"
"  --dns a[,b]    DNS servers given in IPCP (none)\n"
"  --nbns a[,b]   NBNS servers given in IPCP (none)\n"
"  --mtu n        the server tun's MTU (from the client's MRU)\n"
"  --keepalive s  send LCP Echo-Requests every s seconds (0, none)\n"
"\n"
"misbehaviour, for tests:\n"
"  --no-lcp-echo          never answer an LCP Echo-Request\n"
"  --no-pptp-echo         never answer a PPTP Echo-Request\n"
"  --pptp-echo s          send PPTP Echo-Requests every s seconds\n"
"  --refuse-ctrl code     answer SCCRQ with this result code\n"
"  --refuse-call code     answer OCRQ with this result code\n"
"  --malformed kind[@s]   s seconds (0) after the call is up send a broken\n"
"                         control message: bad-cookie, short-length,\n"
"                         huge-length, unknown-type, bad-version\n"
"  --clear-call s         clear the call (CDN) s seconds after it is up\n"
"  --stop-ctrl s          stop the control connection (StopCCRQ) s seconds\n"
"                         after the call is up\n"
"  --exit-after s         exit s seconds after start, without a goodbye\n"
"  --gre-drop pct         drop this percentage of the GRE packets sent\n"
"  --gre-dup pct          send this percentage twice\n"
"  --gre-reorder pct      send this percentage after the next packet\n"
"  --ocrp-delay ms        start PPP on the call (its first LCP packet goes\n"
"                         out) this long before sending the OCRP\n"
"  --inject-cleartext n   once the data path is up, send n unencrypted\n"
"                         IPv4 frames (PPP protocol 0x0021, UDP to the\n"
"                         client's tunnel address, port 5399) inside the\n"
"                         call, one every 100 ms, in turn with FF03 and\n"
"                         a 2-byte protocol, without FF03, and with a\n"
"                         1-byte protocol\n"
"  --ipv6                 answer IPv6CP and carry IPv6 (0x0057); without\n"
"                         it IPv6CP is Protocol-Rejected, as by Poptop\n"
"                         without +ipv6\n"
"  --auth-wrong-s         MS-CHAPv2 Success with a wrong authenticator\n"
"                         response (S=)\n"
"  --auth-no-s            MS-CHAPv2 Success without S=\n"
"  --auth-e648            MS-CHAP Failure E=648 (password expired)\n"
"  --auth-e649            MS-CHAP Failure E=649 (no dial-in permission)\n"
"  --auth-fail-first      MS-CHAP Failure E=691 to the first Response of a\n"
"                         call, right or not\n"
"  --auth-retry           the same with R=1 and a new challenge, then\n"
"                         accept a right Response\n"
"\n"
"A wrong password is just a different -P.  SIGTERM and SIGINT end every\n"
"call (CDN, StopCCRQ) and exit.\n");
	exit(1);
}

enum {
	OPT_LOCAL = 256,
	OPT_REMOTE,
	OPT_DNS,
	OPT_NBNS,
	OPT_MTU,
	OPT_KEEPALIVE,
	OPT_NO_LCP_ECHO,
	OPT_NO_PPTP_ECHO,
	OPT_PPTP_ECHO,
	OPT_REFUSE_CTRL,
	OPT_REFUSE_CALL,
	OPT_MALFORMED,
	OPT_CLEAR_CALL,
	OPT_STOP_CTRL,
	OPT_EXIT_AFTER,
	OPT_GRE_DROP,
	OPT_GRE_DUP,
	OPT_GRE_REORDER,
	OPT_AUTH_WRONG_S,
	OPT_AUTH_NO_S,
	OPT_AUTH_E648,
	OPT_AUTH_E649,
	OPT_AUTH_FAIL_FIRST,
	OPT_AUTH_RETRY,
	OPT_OCRP_DELAY,
	OPT_INJECT_CLEARTEXT,
	OPT_IPV6,
};

static const struct option longopts[] = {
	{ "local",		required_argument, NULL, OPT_LOCAL },
	{ "remote",		required_argument, NULL, OPT_REMOTE },
	{ "dns",		required_argument, NULL, OPT_DNS },
	{ "nbns",		required_argument, NULL, OPT_NBNS },
	{ "mtu",		required_argument, NULL, OPT_MTU },
	{ "keepalive",		required_argument, NULL, OPT_KEEPALIVE },
	{ "no-lcp-echo",	no_argument,	   NULL, OPT_NO_LCP_ECHO },
	{ "no-pptp-echo",	no_argument,	   NULL, OPT_NO_PPTP_ECHO },
	{ "pptp-echo",		required_argument, NULL, OPT_PPTP_ECHO },
	{ "refuse-ctrl",	required_argument, NULL, OPT_REFUSE_CTRL },
	{ "refuse-call",	required_argument, NULL, OPT_REFUSE_CALL },
	{ "malformed",		required_argument, NULL, OPT_MALFORMED },
	{ "clear-call",		required_argument, NULL, OPT_CLEAR_CALL },
	{ "stop-ctrl",		required_argument, NULL, OPT_STOP_CTRL },
	{ "exit-after",		required_argument, NULL, OPT_EXIT_AFTER },
	{ "gre-drop",		required_argument, NULL, OPT_GRE_DROP },
	{ "gre-dup",		required_argument, NULL, OPT_GRE_DUP },
	{ "gre-reorder",	required_argument, NULL, OPT_GRE_REORDER },
	{ "auth-wrong-s",	no_argument,	   NULL, OPT_AUTH_WRONG_S },
	{ "auth-no-s",		no_argument,	   NULL, OPT_AUTH_NO_S },
	{ "auth-e648",		no_argument,	   NULL, OPT_AUTH_E648 },
	{ "auth-e649",		no_argument,	   NULL, OPT_AUTH_E649 },
	{ "auth-fail-first",	no_argument,	   NULL, OPT_AUTH_FAIL_FIRST },
	{ "auth-retry",		no_argument,	   NULL, OPT_AUTH_RETRY },
	{ "ocrp-delay",		required_argument, NULL, OPT_OCRP_DELAY },
	{ "inject-cleartext",	required_argument, NULL,
	    OPT_INJECT_CLEARTEXT },
	{ "ipv6",		no_argument,	   NULL, OPT_IPV6 },
	{ NULL,			0,		   NULL, 0 },
};

static const struct {
	const char		*name;
	enum pptp_pac_malformed	 kind;
} malformed_kinds[] = {
	{ "bad-cookie",		PPTP_PAC_BAD_COOKIE },
	{ "short-length",	PPTP_PAC_SHORT_LENGTH },
	{ "huge-length",	PPTP_PAC_HUGE_LENGTH },
	{ "unknown-type",	PPTP_PAC_UNKNOWN_TYPE },
	{ "bad-version",	PPTP_PAC_BAD_VERSION },
};

static unsigned int
parse_num(const char *opt, const char *s, unsigned int min, unsigned int max)
{
	const char *errstr = NULL;
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || *s == '-')
		errstr = "not a number";
	else if (errno == ERANGE || v < min || v > max)
		errstr = "out of range";
	if (errstr != NULL) {
		fprintf(stderr, "pptp-peer: %s %s: %s (%u-%u)\n", opt, s,
		    errstr, min, max);
		exit(1);
	}
	return (unsigned int)v;
}

/* glibc 2.36 has no strlcpy(). */
static int
copy_arg(char *dst, const char *src, size_t size)
{
	int n;

	n = snprintf(dst, size, "%s", src);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* A percentage with decimals, as per mille. */
static unsigned int
parse_rate(const char *opt, const char *s)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno != 0 || !(v >= 0.0) ||
	    v > 100.0) {
		fprintf(stderr, "pptp-peer: %s %s: a percentage from 0 to "
		    "100 is needed\n", opt, s);
		exit(1);
	}
	return (unsigned int)(v * 10.0 + 0.5);
}

static void
parse_addr(const char *opt, const char *s, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) != 1) {
		fprintf(stderr, "pptp-peer: %s %s: not an IPv4 address\n",
		    opt, s);
		exit(1);
	}
}

/* "a" or "a,b" into two host-order addresses. */
static void
parse_addr_pair(const char *opt, const char *s, uint32_t out[2])
{
	char buf[64], *comma;
	struct in_addr a;

	if (copy_arg(buf, s, sizeof(buf)) == -1) {
		fprintf(stderr, "pptp-peer: %s: too long\n", opt);
		exit(1);
	}
	out[1] = 0;
	if ((comma = strchr(buf, ',')) != NULL) {
		*comma = '\0';
		parse_addr(opt, comma + 1, &a);
		out[1] = ntohl(a.s_addr);
	}
	parse_addr(opt, buf, &a);
	out[0] = ntohl(a.s_addr);
}

static unsigned int
parse_auth(const char *s)
{
	char buf[128], *p, *w;
	unsigned int allow = 0;

	if (copy_arg(buf, s, sizeof(buf)) == -1) {
		fprintf(stderr, "pptp-peer: -a: too long\n");
		exit(1);
	}
	p = buf;
	while ((w = strsep(&p, ",")) != NULL) {
		if (strcmp(w, "pap") == 0)
			allow |= AUTH_ALLOW(AUTH_PAP);
		else if (strcmp(w, "chap-md5") == 0)
			allow |= AUTH_ALLOW(AUTH_CHAP_MD5);
		else if (strcmp(w, "mschap") == 0)
			allow |= AUTH_ALLOW(AUTH_MSCHAPV1);
		else if (strcmp(w, "mschapv2") == 0)
			allow |= AUTH_ALLOW(AUTH_MSCHAPV2);
		else {
			fprintf(stderr, "pptp-peer: -a %s: unknown method "
			    "\"%s\" (pap, chap-md5, mschap, mschapv2)\n", s, w);
			exit(1);
		}
	}
	return allow;
}

static void
parse_mppe(struct peer_config *cfg, const char *s, int *strengths_set)
{
	char buf[128], *p, *w;

	if (copy_arg(buf, s, sizeof(buf)) == -1) {
		fprintf(stderr, "pptp-peer: -m: too long\n");
		exit(1);
	}
	p = buf;
	while ((w = strsep(&p, ",")) != NULL) {
		if (strcmp(w, "required") == 0)
			cfg->mppe = MPPE_REQUIRED;
		else if (strcmp(w, "optional") == 0)
			cfg->mppe = MPPE_OPTIONAL;
		else if (strcmp(w, "off") == 0 || strcmp(w, "refuse") == 0)
			cfg->mppe = MPPE_OFF;
		else if (strcmp(w, "stateful") == 0)
			cfg->mppe_stateful = 1;
		else if (strcmp(w, "40") == 0 || strcmp(w, "56") == 0 ||
		    strcmp(w, "128") == 0) {
			/* The first length named replaces the default. */
			if (!*strengths_set)
				cfg->mppe_strengths = 0;
			*strengths_set = 1;
			cfg->mppe_strengths |= w[0] == '4' ? MPPE_L :
			    w[0] == '5' ? MPPE_M : MPPE_S;
		} else {
			fprintf(stderr, "pptp-peer: -m %s: unknown word \"%s\" "
			    "(required, optional, off, 40, 56, 128, "
			    "stateful)\n", s, w);
			exit(1);
		}
	}
}

static void
parse_malformed(struct peer_config *cfg, const char *s)
{
	char buf[64], *at;
	size_t i;

	if (copy_arg(buf, s, sizeof(buf)) == -1) {
		fprintf(stderr, "pptp-peer: --malformed: too long\n");
		exit(1);
	}
	cfg->malformed_s = 0;
	if ((at = strchr(buf, '@')) != NULL) {
		*at = '\0';
		cfg->malformed_s = parse_num("--malformed", at + 1, 0, 86400);
	}
	for (i = 0; i < sizeof(malformed_kinds) / sizeof(malformed_kinds[0]);
	    i++)
		if (strcmp(buf, malformed_kinds[i].name) == 0) {
			cfg->malformed = (int)malformed_kinds[i].kind;
			return;
		}
	fprintf(stderr, "pptp-peer: --malformed %s: unknown kind (bad-cookie, "
	    "short-length, huge-length, unknown-type, bad-version)\n", s);
	exit(1);
}

/*
 * The module would quietly pick one of two quirks that exclude each
 * other; a test that asks for both has a mistake worth hearing about.
 */
static void
check_quirks(const struct peer_config *cfg)
{
	unsigned int q = cfg->auth_quirks;

	if ((q & AUTH_QUIRK_WRONG_S) && (q & AUTH_QUIRK_NO_S)) {
		fprintf(stderr, "pptp-peer: --auth-wrong-s and --auth-no-s "
		    "exclude each other\n");
		exit(1);
	}
	if ((q & AUTH_QUIRK_E648) && (q & AUTH_QUIRK_E649)) {
		fprintf(stderr, "pptp-peer: --auth-e648 and --auth-e649 "
		    "exclude each other\n");
		exit(1);
	}
	if (q != 0 && !(cfg->auth_allow & (AUTH_ALLOW(AUTH_MSCHAPV1) |
	    AUTH_ALLOW(AUTH_MSCHAPV2))))
		fprintf(stderr, "pptp-peer: warning: the --auth-* misbehaviour "
		    "applies to MS-CHAP only, which -a does not allow\n");
}

static void
parse_args(struct peer_config *cfg, int argc, char *argv[], int *debug,
    int *verbose)
{
	const char *password = NULL;
	int ch, have_listen = 0, strengths_set = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->port = 1723;
	cfg->auth_allow = AUTH_ALLOW(AUTH_MSCHAPV2);
	cfg->mppe = MPPE_REQUIRED;
	cfg->mppe_strengths = MPPE_S;
	cfg->malformed = -1;
	inet_pton(AF_INET, "192.0.2.1", &cfg->local);
	inet_pton(AF_INET, "192.0.2.10", &cfg->remote);

	while ((ch = getopt_long(argc, argv, "a:dl:m:p:P:u:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			cfg->auth_allow = parse_auth(optarg);
			break;
		case 'd':
			*debug = 1;
			break;
		case 'l':
			parse_addr("-l", optarg, &cfg->listen_addr);
			have_listen = 1;
			break;
		case 'm':
			parse_mppe(cfg, optarg, &strengths_set);
			break;
		case 'p':
			cfg->port = (uint16_t)parse_num("-p", optarg, 1, 65535);
			break;
		case 'P':
			password = optarg;
			break;
		case 'u':
			cfg->user = optarg;
			break;
		case 'v':
			(*verbose)++;
			break;
		case OPT_LOCAL:
			parse_addr("--local", optarg, &cfg->local);
			break;
		case OPT_REMOTE:
			parse_addr("--remote", optarg, &cfg->remote);
			break;
		case OPT_DNS:
			parse_addr_pair("--dns", optarg, cfg->dns);
			break;
		case OPT_NBNS:
			parse_addr_pair("--nbns", optarg, cfg->nbns);
			break;
		case OPT_MTU:
			cfg->mtu = parse_num("--mtu", optarg, 576, 1500);
			break;
		case OPT_KEEPALIVE:
			cfg->keepalive_s = parse_num("--keepalive", optarg, 0,
			    3600);
			break;
		case OPT_NO_LCP_ECHO:
			cfg->ignore_lcp_echo = 1;
			break;
		case OPT_NO_PPTP_ECHO:
			cfg->ignore_pptp_echo = 1;
			break;
		case OPT_PPTP_ECHO:
			cfg->pptp_echo_s = parse_num("--pptp-echo", optarg, 1,
			    3600);
			break;
		case OPT_REFUSE_CTRL:
			cfg->refuse_ctrl = (uint8_t)parse_num("--refuse-ctrl",
			    optarg, 2, 255);
			break;
		case OPT_REFUSE_CALL:
			cfg->refuse_call = (uint8_t)parse_num("--refuse-call",
			    optarg, 2, 255);
			break;
		case OPT_MALFORMED:
			parse_malformed(cfg, optarg);
			break;
		case OPT_CLEAR_CALL:
			cfg->clear_call_s = parse_num("--clear-call", optarg, 1,
			    86400);
			break;
		case OPT_STOP_CTRL:
			cfg->stop_ctrl_s = parse_num("--stop-ctrl", optarg, 1,
			    86400);
			break;
		case OPT_EXIT_AFTER:
			cfg->exit_s = parse_num("--exit-after", optarg, 1,
			    86400);
			break;
		case OPT_GRE_DROP:
			cfg->gre_drop_pm = parse_rate("--gre-drop", optarg);
			break;
		case OPT_GRE_DUP:
			cfg->gre_dup_pm = parse_rate("--gre-dup", optarg);
			break;
		case OPT_GRE_REORDER:
			cfg->gre_reorder_pm = parse_rate("--gre-reorder",
			    optarg);
			break;
		case OPT_AUTH_WRONG_S:
			cfg->auth_quirks |= AUTH_QUIRK_WRONG_S;
			break;
		case OPT_AUTH_NO_S:
			cfg->auth_quirks |= AUTH_QUIRK_NO_S;
			break;
		case OPT_AUTH_E648:
			cfg->auth_quirks |= AUTH_QUIRK_E648;
			break;
		case OPT_AUTH_E649:
			cfg->auth_quirks |= AUTH_QUIRK_E649;
			break;
		case OPT_AUTH_FAIL_FIRST:
			cfg->auth_quirks |= AUTH_QUIRK_FAIL_FIRST;
			break;
		case OPT_IPV6:
			cfg->ipv6 = 1;
			break;
		case OPT_OCRP_DELAY:
			cfg->ocrp_delay_ms = parse_num("--ocrp-delay", optarg,
			    1, 10000);
			break;
		case OPT_INJECT_CLEARTEXT:
			cfg->cleartext_n = parse_num("--inject-cleartext",
			    optarg, 1, 100000);
			break;
		case OPT_AUTH_RETRY:
			/* A retry needs a failure to follow: the first one. */
			cfg->auth_quirks |= AUTH_QUIRK_RETRY |
			    AUTH_QUIRK_FAIL_FIRST;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || !have_listen || cfg->user == NULL ||
	    password == NULL)
		usage();
	if (strlen(cfg->user) == 0 || strlen(cfg->user) > 255) {
		fprintf(stderr, "pptp-peer: -u: 1 to 255 bytes\n");
		exit(1);
	}
	cfg->password_len = strlen(password);
	if (cfg->password_len > PEER_PASSWORD_MAX) {
		fprintf(stderr, "pptp-peer: -P: at most %d bytes\n",
		    PEER_PASSWORD_MAX);
		exit(1);
	}
	memcpy(cfg->password, password, cfg->password_len);
	/* Keep it out of ps(1) from here on. */
	explicit_bzero((char *)password, cfg->password_len);
	check_quirks(cfg);
	if (cfg->mppe != MPPE_OFF && !(cfg->auth_allow &
	    (AUTH_ALLOW(AUTH_MSCHAPV1) | AUTH_ALLOW(AUTH_MSCHAPV2))) &&
	    cfg->mppe == MPPE_REQUIRED)
		fprintf(stderr, "pptp-peer: warning: MPPE is required but "
		    "only MS-CHAP gives its keys\n");
}

/*
 * Each call holds its TCP connection and a tun: a thousand need more
 * than the usual soft limit of 1024 descriptors.
 */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max != RLIM_INFINITY ? rl.rlim_max : 65536;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		log_warn("setrlimit RLIMIT_NOFILE");
}

static void
on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct peer *p = arg;

	(void)l;
	if (p->stopping || sa->sa_family != AF_INET ||
	    (size_t)salen < sizeof(struct sockaddr_in)) {
		close(fd);
		return;
	}
	peer_conn_new(p, fd, (struct sockaddr_in *)sa);
}

static void
on_stop_signal(evutil_socket_t sig, short ev, void *arg)
{
	struct peer *p = arg;
	struct timeval tv = { STOP_GRACE_S, 0 };

	(void)ev;
	if (p->stopping) {
		event_base_loopexit(p->evbase, NULL);
		return;
	}
	log_info("signal %d: ending every call", (int)sig);
	p->stopping = 1;
	if (TAILQ_EMPTY(&p->conns)) {
		event_base_loopexit(p->evbase, NULL);
		return;
	}
	peer_conns_stop(p);
	event_base_loopexit(p->evbase, &tv);
}

static void
on_exit_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct peer *p = arg;

	(void)fd;
	(void)ev;
	log_info("exiting after %u s as told", p->cfg->exit_s);
	p->stopping = 1;
	event_base_loopexit(p->evbase, NULL);
}

int
main(int argc, char *argv[])
{
	struct peer_config cfg;
	struct gre_fault_config fc;
	struct gre_fault_stats fs;
	struct peer p;
	struct sockaddr_in sin;
	struct evconnlistener *listener;
	struct event *ev_term, *ev_int, *ev_exit = NULL;
	char err[256], a[INET_ADDRSTRLEN];
	int debug = 0, verbose = 0;

	parse_args(&cfg, argc, argv, &debug, &verbose);
	log_init(debug, LOG_DAEMON);
	log_setverbose(verbose);
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();

	if (crypto_init(err, sizeof(err)) == -1)
		fatalx("%s", err);

	memset(&p, 0, sizeof(p));
	p.cfg = &cfg;
	TAILQ_INIT(&p.conns);
	if ((p.evbase = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	if ((p.tb = timer_base_new(p.evbase)) == NULL)
		fatalx("timer_base_new failed");
	if ((p.dp = datapath_new(p.evbase, p.tb, err, sizeof(err))) == NULL)
		fatalx("%s", err);
	p.closer = fdcloser_new();

	memset(&fc, 0, sizeof(fc));
	fc.drop_pm = cfg.gre_drop_pm;
	fc.dup_pm = cfg.gre_dup_pm;
	fc.reorder_pm = cfg.gre_reorder_pm;
	if (gre_fault_init(p.evbase, &fc) == -1)
		fatal("GRE faults");

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = cfg.listen_addr;
	sin.sin_port = htons(cfg.port);
	if ((listener = evconnlistener_new_bind(p.evbase, on_accept, &p,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    LISTEN_BACKLOG, (struct sockaddr *)&sin, sizeof(sin))) == NULL)
		fatal("listen on %s port %u", inet_ntop(AF_INET,
		    &cfg.listen_addr, a, sizeof(a)), cfg.port);

	ev_term = evsignal_new(p.evbase, SIGTERM, on_stop_signal, &p);
	ev_int = evsignal_new(p.evbase, SIGINT, on_stop_signal, &p);
	if (ev_term == NULL || ev_int == NULL ||
	    evsignal_add(ev_term, NULL) == -1 ||
	    evsignal_add(ev_int, NULL) == -1)
		fatalx("cannot watch signals");
	if (cfg.exit_s != 0) {
		struct timeval tv = { (time_t)cfg.exit_s, 0 };

		if ((ev_exit = evtimer_new(p.evbase, on_exit_timer, &p)) ==
		    NULL || evtimer_add(ev_exit, &tv) == -1)
			fatalx("cannot set the exit timer");
	}

	log_info("listening on %s port %u, user %s, auth%s%s%s%s, mppe %s",
	    inet_ntop(AF_INET, &cfg.listen_addr, a, sizeof(a)), cfg.port,
	    cfg.user,
	    cfg.auth_allow & AUTH_ALLOW(AUTH_PAP) ? " pap" : "",
	    cfg.auth_allow & AUTH_ALLOW(AUTH_CHAP_MD5) ? " chap-md5" : "",
	    cfg.auth_allow & AUTH_ALLOW(AUTH_MSCHAPV1) ? " mschap" : "",
	    cfg.auth_allow & AUTH_ALLOW(AUTH_MSCHAPV2) ? " mschapv2" : "",
	    cfg.mppe == MPPE_OFF ? "refused" : cfg.mppe == MPPE_OPTIONAL ?
	    "optional" : "required");

	if (cfg.auth_quirks != 0)
		log_info("misbehaving in MS-CHAP as told:%s%s%s%s%s%s",
		    cfg.auth_quirks & AUTH_QUIRK_WRONG_S ? " wrong S=" : "",
		    cfg.auth_quirks & AUTH_QUIRK_NO_S ? " no S=" : "",
		    cfg.auth_quirks & AUTH_QUIRK_E648 ? " E=648" : "",
		    cfg.auth_quirks & AUTH_QUIRK_E649 ? " E=649" : "",
		    cfg.auth_quirks & AUTH_QUIRK_FAIL_FIRST ?
		    " first Response refused" : "",
		    cfg.auth_quirks & AUTH_QUIRK_RETRY ? " with R=1" : "");

	event_base_dispatch(p.evbase);

	gre_fault_get_stats(&fs);
	if (fs.seen != 0)
		log_info("GRE faults: %llu sent, %llu dropped, %llu "
		    "duplicated, %llu reordered", (unsigned long long)fs.seen,
		    (unsigned long long)fs.dropped,
		    (unsigned long long)fs.duplicated,
		    (unsigned long long)fs.reordered);
	peer_conns_free(&p);
	fdcloser_free(p.closer);
	evconnlistener_free(listener);
	if (ev_exit != NULL)
		event_free(ev_exit);
	event_free(ev_term);
	event_free(ev_int);
	gre_fault_free();
	datapath_free(p.dp);
	timer_base_free(p.tb);
	event_base_free(p.evbase);
	explicit_bzero(cfg.password, sizeof(cfg.password));
	log_info("stopped");
	return 0;
}
