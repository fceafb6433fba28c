/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The parent process (priv_run.h).
 *
 * The engine is a fork of the parent, started with the parent's copy of
 * the configuration (passwords wiped: it asks for one when it dials) and
 * one end of a SOCK_SEQPACKET socketpair.  When it dies, however it dies,
 * the parent says how, takes away what it had made on the host that does
 * not go by itself (host routes, nf_tables tables; interfaces go with its
 * descriptors, kill-switch routes stay on purpose) and starts another
 * after a pause that doubles from 1 s to 60 s, back to 1 s once an engine
 * has lived a minute.  The new engine dials every tunnel again.
 *
 * systemd's notify protocol is the parent's alone: it is the main
 * process (NotifyAccess=main, WATCHDOG_PID) and the engine can make no
 * socket.  READY=1 goes when the engine says it serves (PRIV_READY);
 * WATCHDOG=1 every half period while the engine's event loop answers
 * the parent's pings (PRIV_PING, PRIV_PONG), or while the parent waits
 * to start a new one.  An engine that has not answered for a whole
 * period is hung: the parent kills it (SIGKILL) and starts another as
 * if it had died.  If it cannot kill it, it stops answering the
 * watchdog, and systemd restarts the service.
 */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <sys/prctl.h>
#include <linux/ppp-ioctl.h>
#endif

#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <event2/event.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdarg.h>
#include <syslog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dns.h"
#include "log.h"
#include "net6.h"
#include "pptpcd.h"
#include "priv_parent.h"
#include "priv_run.h"
#include "route.h"
#include "sandbox.h"
#include "sdnotify.h"
#include "timer.h"
#include "timer_event.h"
#include "tun.h"
#include "unveil_list.h"
#include "wansock.h"
#ifdef __OpenBSD__
#include "pipex_host.h"
#endif
#ifdef __linux__
#include "nft_guard.h"
#include "nft_mss.h"
#endif

#define BACKOFF_FIRST_MS	1000
#define BACKOFF_MAX_MS		60000
#define ENGINE_SETTLED_MS	60000	/* lived this long: backoff resets */
#define GRE_SOCKBUF		(4 * 1024 * 1024)	/* DP_SOCKBUF */

struct prun {
	struct event_base	*evbase;
	struct timer_base	*tb;
	struct config		*conf;
	const char		*conffile;
	const char		*sockpath;
	int			 foreground;
	struct priv_parent	 pp;
	struct priv_ops		 ops;
	struct event		*sig[4];
	struct event		*ev_engine;
	struct timer		 restart;
	pid_t			 engine;	/* -1: none */
	int			 sock;		/* to the engine, -1: none */
	uint64_t		 started_ms;
	unsigned int		 backoff_ms;
	unsigned int		 backoff_first_ms;
	unsigned int		 backoff_max_ms;
	uint8_t			 fp_key[32];	/* password fingerprints */
	int			 stopping;
	int			 status;	/* ours, at exit */
	struct sdnotify		 sd;		/* systemd's Type=notify */
	struct timer		 watchdog;
	uint32_t		 ping_seq;	/* the last ping sent */
	uint64_t		 answered_ms;	/* the engine's last pong */
	int			 hung_killed;	/* this engine, for hanging */
	struct unveil_list	 uv;		/* OpenBSD: what stays visible */
};

static void	engine_start(void *);
static void	notify_status(struct prun *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));

/* ---- The real host actions (priv_ops) ---- */

static int
op_route(int add, const struct route_spec *r, char *err, size_t errlen)
{
	return add ? route_add(r, err, errlen) : route_delete(r, err, errlen);
}

static int
op_reject(int add, struct in_addr dst, uint8_t plen, uint32_t table,
    char *err, size_t errlen)
{
	return kroute_reject(add, dst, plen, table, "kill switch", err,
	    errlen);
}

static int
op_tun_open(struct tun *t, const char *want, char *err, size_t errlen)
{
	return tun_open(t, want, err, errlen);
}

static int
op_iface_addr(int set, const char *ifname, struct in_addr local,
    struct in_addr peer, char *err, size_t errlen)
{
	return set ? iface_set_addr(ifname, local, peer, err, errlen) :
	    iface_del_addr(ifname, local, peer, err, errlen);
}

static int
op_iface_exists(const char *ifname)
{
	return if_nametoindex(ifname) != 0;
}

static void
script_done_up(void *arg, int status)
{
	struct ptun *t = arg;

	priv_parent_script_done(t->parent, t->parent->sock, t->name,
	    PRIV_SCRIPT_UP, status);
}

static void
script_done_down(void *arg, int status)
{
	struct ptun *t = arg;

	priv_parent_script_done(t->parent, t->parent->sock, t->name,
	    PRIV_SCRIPT_DOWN, status);
}

/* Scripts end on SIGCHLD; the engine hears it from script_done_*(). */
static int
op_script(struct priv_parent *p, struct ptun *t, int which, const char *path,
    const struct script_env *env, char *err, size_t errlen)
{
	(void)p;
	if (which == PRIV_SCRIPT_UP)
		return script_start(&t->up, "up-script", path, env,
		    script_done_up, t, err, errlen);
	return script_start(&t->down, "down-script", path, env,
	    script_done_down, t, err, errlen);
}

static int
set_sockbuf(int fd, int rcv)
{
	int size = GRE_SOCKBUF;

#ifdef SO_RCVBUFFORCE
	if (setsockopt(fd, SOL_SOCKET, rcv ? SO_RCVBUFFORCE : SO_SNDBUFFORCE,
	    &size, sizeof(size)) == 0)
		return 0;
#endif
	return setsockopt(fd, SOL_SOCKET, rcv ? SO_RCVBUF : SO_SNDBUF, &size,
	    sizeof(size));
}

static int
op_gre_socket(char *err, size_t errlen)
{
	int fd;

	if ((fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_GRE)) == -1) {
		snprintf(err, errlen, "raw GRE socket: %s", strerror(errno));
		return -1;
	}
	/* Forced sizes need CAP_NET_ADMIN: set here, not in the engine. */
	if (set_sockbuf(fd, 1) == -1 || set_sockbuf(fd, 0) == -1)
		log_debug("raw GRE socket: buffers: %s", strerror(errno));
	return fd;
}

static int
op_open_dev(const char *path, int flags, char *err, size_t errlen)
{
	int fd;

	if ((fd = open(path, flags)) == -1)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return fd;
}

static int
op_socket(int domain, int type, int protocol, char *err, size_t errlen)
{
	int fd;

	if ((fd = socket(domain, type, protocol)) == -1)
		snprintf(err, errlen, "socket: %s", strerror(errno));
	return fd;
}

static int
op_ppp_unit(int fd)
{
#ifdef __linux__
	int unit = -1;

	if (ioctl(fd, PPPIOCGUNIT, &unit) == -1)
		return -1;
	return unit;
#else
	(void)fd;
	return -1;
#endif
}

#ifdef __linux__
/* PPPIOCNEWUNIT, on /dev/ppp (a character device of ppp_generic) only. */
static int
is_dev_ppp(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == -1)
		return 0;
	if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 108) {
		errno = EPERM;
		return 0;
	}
	return 1;
}
#endif

static int
op_ppp_attchan(int fd, int chan)
{
#ifdef __linux__
	if (!is_dev_ppp(fd))
		return -1;
	return ioctl(fd, PPPIOCATTCHAN, &chan);
#else
	(void)fd;
	(void)chan;
	errno = ENOSYS;
	return -1;
#endif
}

static int
op_sock_proto(int fd, int *domain, int *protocol)
{
#if defined(SO_DOMAIN) && defined(SO_PROTOCOL)
	socklen_t len = sizeof(*domain);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, domain, &len) == -1)
		return -1;
	len = sizeof(*protocol);
	return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, protocol, &len);
#else
	(void)fd;
	(void)domain;
	(void)protocol;
	errno = ENOSYS;
	return -1;
#endif
}

static int
op_ppp_chan(int fd, int *chan)
{
#ifdef __linux__
	return ioctl(fd, PPPIOCGCHAN, chan);
#else
	(void)fd;
	(void)chan;
	errno = ENOSYS;
	return -1;
#endif
}

static int
op_ppp_newunit(int fd, int *unit)
{
#ifdef __linux__
	if (!is_dev_ppp(fd))
		return -1;
	return ioctl(fd, PPPIOCNEWUNIT, unit);
#else
	(void)fd;
	(void)unit;
	errno = ENOSYS;
	return -1;
#endif
}

static int
op_nft(int op, const char *ifname, uint16_t mss, struct in_addr server,
    uint16_t call_id, uint64_t *value, char *err, size_t errlen)
{
#ifdef __linux__
	switch (op) {
	case PRIV_NFT_MSS_ADD:
		return nft_mss_clamp_add(ifname, mss, err, errlen);
	case PRIV_NFT_MSS_DEL:
		return nft_mss_clamp_del(ifname, err, errlen);
	case PRIV_NFT_SWEEP:
		return nft_mss_sweep(err, errlen);
	case PRIV_NFT_GUARD_ADD:
		return nft_guard_add(ifname, server, call_id, err, errlen);
	case PRIV_NFT_GUARD_DEL:
		return nft_guard_del(ifname, err, errlen);
	case PRIV_NFT_GUARD_DROPPED:
		return nft_guard_dropped(ifname, value, err, errlen);
	}
#else
	(void)op;
	(void)ifname;
	(void)mss;
	(void)server;
	(void)call_id;
	(void)value;
#endif
	snprintf(err, errlen, "nftables: not on this system");
	errno = ENOSYS;
	return -1;
}

/* Issue 11's (priv_parent11.c checked them). */
static int
op_dns_apply(const char *tunnel, const char *ifname,
    const struct in_addr *servers, size_t n, const char *const *domains,
    size_t ndomains, int *used, char *err, size_t errlen)
{
	enum dns_backend b = DNS_BACKEND_NONE;
	int r;

	r = dns_apply(tunnel, ifname, servers, n, domains, ndomains, &b, err,
	    errlen);
	*used = (int)b;
	return r;
}

static int
op_dns_revert(const char *tunnel, const char *ifname, int backend,
    char *err, size_t errlen)
{
	return dns_revert(tunnel, ifname, (enum dns_backend)backend, err,
	    errlen);
}

static int
op_wansock(int kind, uint32_t mark, unsigned int rtable,
    struct in_addr local, char *err, size_t errlen)
{
	if (kind == PRIV_WANSOCK_TCP)
		return wansock_tcp(mark, rtable, local, err, errlen);
	return wansock_gre(mark, rtable, local, err, errlen);
}

#ifndef AF_PPPOX
#define AF_PPPOX	24	/* <linux/if_pppox.h> */
#endif
#ifndef PX_PROTO_PPTP
#define PX_PROTO_PPTP	2
#endif

/* SO_MARK needs CAP_NET_ADMIN; only on a PPTP socket of pptp.ko. */
static int
op_sock_mark(int fd, uint32_t mark, char *err, size_t errlen)
{
#if defined(__linux__) && defined(SO_DOMAIN) && defined(SO_PROTOCOL)
	int dom = -1, proto = -1;
	socklen_t len = sizeof(dom);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len) == -1 ||
	    (len = sizeof(proto), getsockopt(fd, SOL_SOCKET, SO_PROTOCOL,
	    &proto, &len)) == -1 || dom != AF_PPPOX ||
	    proto != PX_PROTO_PPTP) {
		snprintf(err, errlen, "fwmark: not a PPTP socket");
		errno = EPERM;
		return -1;
	}
	return wansock_mark(fd, mark, err, errlen);
#else
	(void)fd;
	(void)mark;
	snprintf(err, errlen, "fwmark: not on this system");
	errno = ENOSYS;
	return -1;
#endif
}

/* ---- The configuration ---- */

/*
 * What the engine holds instead of a password: a keyed digest, so that a
 * reload that changes only a password still restarts that tunnel (the
 * engine compares configurations), while the engine learns nothing it
 * could guess a password from: the key never leaves the parent.
 */
static void
fingerprint(const uint8_t key[32], const char *pw, size_t len,
    char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *ctx;

	memset(md, 0, sizeof(md));
	if ((ctx = EVP_MD_CTX_new()) != NULL) {
		if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
		    EVP_DigestUpdate(ctx, key, 32) != 1 ||
		    (len > 0 && EVP_DigestUpdate(ctx, pw, len) != 1) ||
		    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
			mdlen = 0;
		EVP_MD_CTX_free(ctx);
	}
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0xf];
	}
	hex[64] = '\0';
	explicit_bzero(md, sizeof(md));
}

/* The normalised text of conf in a file the engine can read. */
static int
config_text_fd(const struct config *conf, const uint8_t key[32])
{
	FILE *f;
	int fd;

	const struct tunnel_conf *tc;
	char hex[65];

	if ((f = tmpfile()) == NULL)
		return -1;
	print_config(f, conf);
	/* Comments to the parser; take_fingerprints() reads them. */
	TAILQ_FOREACH(tc, &conf->tunnels, entry) {
		fingerprint(key, tc->password, tc->password != NULL ?
		    tc->password_len : 0, hex);
		fprintf(f, PRIV_FP_PREFIX "%s %s\n", tc->name, hex);
	}
	if (fflush(f) == EOF || ferror(f) ||
	    (fd = dup(fileno(f))) == -1) {
		fclose(f);
		return -1;
	}
	fclose(f);
	if (lseek(fd, 0, SEEK_SET) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The resolver's files for the engine, which may not open them: read as
 * bytes (resolv_files.c), written to an unlinked file whose descriptor
 * the engine reads.  Never parsed here.
 */
static int
op_resolv_files(const struct resolve_file_id *have,
    struct priv_resolv_text *a, int *fdp)
{
	static const char *const paths[RESOLVE_TEXT_FILES] = {
		RESOLVE_RESOLV_CONF, RESOLVE_HOSTS
	};
	struct resolve_text t;
	FILE *f;
	int fd = -1, i, r;

	*fdp = -1;
	if ((r = resolve_text_read(paths, have, &t, a->msg,
	    sizeof(a->msg))) == -1) {
		a->error = EFBIG;
		return -1;
	}
	if (r == 0)
		return 0;
	if ((f = tmpfile()) == NULL)
		goto fail;
	for (i = 0; i < RESOLVE_TEXT_FILES; i++)
		if (t.len[i] > 0 && fwrite(t.text[i], 1, t.len[i], f) !=
		    t.len[i])
			break;
	if (i < RESOLVE_TEXT_FILES || fflush(f) == EOF || ferror(f) ||
	    (fd = dup(fileno(f))) == -1) {
		fclose(f);
		goto fail;
	}
	fclose(f);
	if (lseek(fd, 0, SEEK_SET) == -1) {
		close(fd);
		goto fail;
	}
	memcpy(a->id, t.id, sizeof(a->id));
	for (i = 0; i < RESOLVE_TEXT_FILES; i++)
		a->len[i] = (uint32_t)t.len[i];
	a->changed = 1;
	resolve_text_free(&t);
	*fdp = fd;
	return 0;
fail:
	a->error = errno != 0 ? errno : EIO;
	snprintf(a->msg, sizeof(a->msg), "the resolver's files: %s",
	    strerror(a->error));
	resolve_text_free(&t);
	return -1;
}

/* Reads the file again; on success the engine gets the new text. */
static int
reload(struct prun *r, int answer_fd, char *msg, size_t msglen)
{
	struct config *nc;
	int fd;

	log_info("privsep: reading %s again", r->conffile);
	notify_status(r, "RELOADING=1");
	if ((nc = parse_config(r->conffile, 0)) == NULL) {
		snprintf(msg, msglen, "%s has errors (see the log); the "
		    "running configuration stays", r->conffile);
		log_warnx("reload: %s", msg);
		notify_status(r, "READY=1\nSTATUS=%s", msg);
		return -1;
	}
	/* A script or device the parent's unveil(2) hides: refused whole. */
	if (unveil_list_allows(&r->uv, nc, msg, msglen) == -1) {
		config_free(nc);
		log_warnx("reload: %s; the running configuration stays", msg);
		notify_status(r, "READY=1\nSTATUS=%s", msg);
		return -1;
	}
	config_free(r->conf);
	r->conf = nc;
	priv_parent_set_conf(&r->pp, nc);
	snprintf(msg, msglen, "configuration read");
	if (answer_fd && r->sock != -1) {
		if ((fd = config_text_fd(nc, r->fp_key)) == -1) {
			log_warn("privsep: configuration for the engine");
			goto ready;
		}
		if (privmsg_send(r->sock, PRIV_CONFIG, NULL, NULL, 0, fd) ==
		    -1) {
			log_warn("privsep: config");
			close(fd);
			goto ready;
		}
		close(fd);
		return 0;	/* the engine says READY once it applied it */
	}
ready:
	/* No engine to apply it now: the next one starts with it. */
	notify_status(r, "READY=1\nSTATUS=configuration read; the engine "
	    "takes it when it starts");
	return 0;
}

static int
op_reload(void *arg, char *msg, size_t msglen)
{
	return reload(arg, 1, msg, msglen);
}

/* ---- systemd's notify protocol ---- */

static void
notify_status(struct prun *r, const char *fmt, ...)
{
	char text[256];
	va_list ap;
	int n;

	if (r->sd.fd == -1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n > 0)
		sdnotify_send(&r->sd, text);
}

/* The engine serves: status checked by priv_parent.c (printable). */
static void
op_ready(void *arg, const char *status)
{
	struct prun *r = arg;

	log_debug("privsep: the engine serves: %s", status);
	notify_status(r, "READY=1\nSTATUS=%s", status);
}

static int
op_pong(void *arg, uint32_t seq)
{
	struct prun *r = arg;

	/* Only an answer to a ping sent (serial arithmetic: it wraps). */
	if (seq == 0 || (int32_t)(seq - r->ping_seq) > 0)
		return -1;
	r->answered_ms = timer_now(r->tb);
	r->hung_killed = 0;	/* it turns again: a new hang is news */
	return 0;
}

/*
 * Every half period: WATCHDOG=1 if the engine's loop answered within the
 * last period (or none runs and a new one is due: the parent is well),
 * then the next ping.  An engine silent for a period is killed once.
 */
static void
watchdog(void *arg)
{
	struct prun *r = arg;
	uint64_t now = timer_now(r->tb), period = 2 * r->sd.watchdog_ms;
	struct priv_ping q;

	if (r->stopping)
		return;
	if (r->engine != -1 && now - r->answered_ms >= period &&
	    !r->hung_killed) {
		r->hung_killed = 1;
		log_warnx("privsep: the engine (pid %ld) has not answered "
		    "for %llu ms; killing it", (long)r->engine,
		    (unsigned long long)(now - r->answered_ms));
		if (kill(r->engine, SIGKILL) == -1)
			log_warn("privsep: cannot kill the engine; no more "
			    "WATCHDOG=1, systemd restarts pptpcd");
	}
	if (r->engine == -1 || now - r->answered_ms < period)
		sdnotify_send(&r->sd, "WATCHDOG=1");
	if (r->sock != -1) {
		memset(&q, 0, sizeof(q));
		if (++r->ping_seq == 0)
			r->ping_seq = 1;
		q.seq = r->ping_seq;
		if (privmsg_send(r->sock, PRIV_PING, NULL, &q, sizeof(q),
		    -1) == -1)
			log_debug("privsep: ping: %s", strerror(errno));
	}
	if (r->sd.watchdog_ms > 0)
		timer_set(&r->watchdog, (unsigned int)r->sd.watchdog_ms);
}

/* ---- The engine ---- */

static void
on_engine(evutil_socket_t fd, short what, void *arg)
{
	struct prun *r = arg;
	struct privmsg m;
	char err[128];
	int n;

	(void)fd;
	(void)what;
	for (n = 0; n < 64; n++) {
		switch (privmsg_recv(r->sock, &m, err, sizeof(err))) {
		case PRIVMSG_OK:
			(void)priv_parent_handle(&r->pp, r->sock, &m);
			break;
		case PRIVMSG_BAD:
			r->pp.refused++;
			RATELOG_LINE(&r->pp.refused_rl, r->tb, RATELOG_WARN,
			    "privsep: refused a message from the engine: %s",
			    err);
			break;
		case PRIVMSG_AGAIN:
			return;
		case PRIVMSG_EOF:
		case PRIVMSG_ERR:
			/* SIGCHLD tells the rest. */
			event_del(r->ev_engine);
			return;
		}
	}
}

static void
engine_closed(struct prun *r)
{
	if (r->ev_engine != NULL) {
		event_free(r->ev_engine);
		r->ev_engine = NULL;
	}
	if (r->sock != -1) {
		close(r->sock);
		r->sock = -1;
		r->pp.sock = -1;
	}
}

/* The engine's process, after the fork: never returns. */
static void __attribute__((__noreturn__))
engine_main(struct prun *r, int sock)
{
	struct tunnel_conf *tc;
	size_t i;

#ifdef __linux__
	/* If the parent dies, so do we; it may have died already. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	if (getppid() == 1)
		_exit(1);
	/*
	 * Nothing of the parent's loop may run here.  Its epoll instance is
	 * shared with the parent across the fork: a new one first, or the
	 * frees below would take the parent's events out of it.
	 */
	if (event_reinit(r->evbase) == -1)
		_exit(1);
	for (i = 0; i < sizeof(r->sig) / sizeof(r->sig[0]); i++)
		if (r->sig[i] != NULL)
			event_free(r->sig[i]);
	timer_free(&r->restart);
	timer_free(&r->watchdog);
	timer_base_free(r->tb);
	event_base_free(r->evbase);
	/* systemd hears only the parent (NotifyAccess=main). */
	sdnotify_close(&r->sd);
	/*
	 * It asks for a password when it dials (priv_password()); what it
	 * holds is the fingerprint, and the key goes before it runs.
	 */
	TAILQ_FOREACH(tc, &r->conf->tunnels, entry) {
		char hex[65];

		fingerprint(r->fp_key, tc->password, tc->password != NULL ?
		    tc->password_len : 0, hex);
		conf_free_secret(tc->password);
		tc->password = strdup(hex);
		tc->password_len = tc->password != NULL ? strlen(hex) : 0;
	}
	explicit_bzero(r->fp_key, sizeof(r->fp_key));
	_exit(pptpcd_run(r->conf, r->conffile, r->sockpath, r->foreground,
	    sock));
}

static void
engine_start(void *arg)
{
	struct prun *r = arg;
	int sv[2];
	pid_t pid;

	if (r->stopping)
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("privsep: socketpair");
		goto retry;
	}
	if ((pid = fork()) == -1) {
		log_warn("privsep: fork");
		close(sv[0]);
		close(sv[1]);
		goto retry;
	}
	if (pid == 0) {
		close(sv[0]);
		engine_main(r, sv[1]);
	}
	close(sv[1]);
	r->engine = pid;
	r->sock = sv[0];
	r->pp.sock = sv[0];
	r->started_ms = timer_now(r->tb);
	/* Its first period counts from now. */
	r->answered_ms = r->started_ms;
	r->hung_killed = 0;
	if (evutil_make_socket_nonblocking(r->sock) == -1 ||
	    (r->ev_engine = event_new(r->evbase, r->sock,
	    EV_READ | EV_PERSIST, on_engine, r)) == NULL ||
	    event_add(r->ev_engine, NULL) == -1) {
		log_warnx("privsep: cannot watch the engine");
		kill(pid, SIGKILL);
		return;		/* SIGCHLD restarts it */
	}
	log_debug("privsep: engine started, pid %ld", (long)pid);
	return;
retry:
	timer_set(&r->restart, r->backoff_ms);
}

/* How the engine ended, in words, and the clean-up after it. */
static void
engine_ended(struct prun *r, int st)
{
	char err[128];
	uint64_t lived = timer_now(r->tb) - r->started_ms;
	pid_t pid = r->engine;
	int n;

	if (WIFSIGNALED(st))
		log_warnx("privsep: the engine (pid %ld) was killed by "
		    "signal %d (%s)%s", (long)r->engine, WTERMSIG(st),
		    strsignal(WTERMSIG(st)), WTERMSIG(st) == SIGSYS ?
		    ": a system call outside its seccomp filter" : "");
	else if (WEXITSTATUS(st) != 0 || !r->stopping)
		log_warnx("privsep: the engine (pid %ld) exited with "
		    "status %d", (long)r->engine, WEXITSTATUS(st));
	else
		log_debug("privsep: the engine exited");
	r->engine = -1;
	engine_closed(r);
	priv_parent_engine_gone(&r->pp);
#ifdef __linux__
	if ((n = nft_mss_sweep(err, sizeof(err))) > 0)
		log_info("privsep: removed %d nftables table(s) of the "
		    "engine's", n);
	else if (n == -1)
		log_debug("privsep: nftables: %s", err);
#else
	(void)err;
	(void)n;
#endif
	if (r->stopping) {
		if (WIFEXITED(st))
			r->status = WEXITSTATUS(st);
		event_base_loopbreak(r->evbase);
		return;
	}
	if (lived >= ENGINE_SETTLED_MS)
		r->backoff_ms = r->backoff_first_ms;
	log_info("privsep: starting a new engine in %u.%03u s",
	    r->backoff_ms / 1000, r->backoff_ms % 1000);
	notify_status(r, "STATUS=the engine (pid %ld) %s %d; starting a new "
	    "one in %u.%03u s", (long)pid, WIFSIGNALED(st) ? "was killed by "
	    "signal" : "exited with status", WIFSIGNALED(st) ? WTERMSIG(st) :
	    WEXITSTATUS(st), r->backoff_ms / 1000, r->backoff_ms % 1000);
	timer_set(&r->restart, r->backoff_ms);
	r->backoff_ms = r->backoff_ms * 2 > r->backoff_max_ms ?
	    r->backoff_max_ms : r->backoff_ms * 2;
}

static void
reap_scripts(struct prun *r)
{
	struct ptun *t;

	for (t = r->pp.tunnels; t != NULL; t = t->next) {
		(void)script_reap(&t->up);
		(void)script_reap(&t->down);
	}
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct prun *r = arg;
	char msg[PRIV_MSG_MAX];
	pid_t pid;
	int st;

	(void)what;
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		/* The engine closes every tunnel politely, then exits. */
		if (!r->stopping) {
			log_info("privsep: %s; stopping the engine",
			    sig == SIGTERM ? "SIGTERM" : "SIGINT");
			notify_status(r, "STOPPING=1");
		}
		r->stopping = 1;
		timer_stop(&r->restart);
		if (r->engine != -1)
			kill(r->engine, (int)sig);
		else
			event_base_loopbreak(r->evbase);
		break;
	case SIGHUP:
		(void)reload(r, 1, msg, sizeof(msg));
		break;
	case SIGCHLD:
		while (r->engine != -1 &&
		    (pid = waitpid(r->engine, &st, WNOHANG)) == r->engine)
			engine_ended(r, st);
		reap_scripts(r);
		break;
	}
}

int
priv_run(struct config *conf, const char *conffile, const char *sockpath,
    int foreground)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD };
	struct prun r;
	struct rlimit rl;
	char err[256];
	struct stat st;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.conf = conf;
	r.conffile = conffile;
	r.sockpath = sockpath;
	r.foreground = foreground;
	r.engine = -1;
	r.sock = -1;
	r.sd.fd = -1;
	r.backoff_ms = r.backoff_first_ms = BACKOFF_FIRST_MS;
	r.backoff_max_ms = BACKOFF_MAX_MS;
	arc4random_buf(r.fp_key, sizeof(r.fp_key));
#ifdef PPTPC_TEST_HOOKS
	/* Test builds: ten engine deaths in a test must not take minutes. */
	if (getenv("PPTPCD_TEST_BACKOFF_MS") != NULL) {
		r.backoff_first_ms = r.backoff_ms =
		    (unsigned int)atoi(getenv("PPTPCD_TEST_BACKOFF_MS"));
		r.backoff_max_ms = 8 * r.backoff_first_ms;
	}
#endif
	r.ops.route = op_route;
	r.ops.reject = op_reject;
	r.ops.tun_open = op_tun_open;
	r.ops.iface_addr = op_iface_addr;
	r.ops.iface_mtu = iface_set_mtu;
	r.ops.iface_up = iface_set_up;
	r.ops.iface_exists = op_iface_exists;
	r.ops.script = op_script;
	r.ops.gre_socket = op_gre_socket;
	r.ops.reload = op_reload;
	r.ops.resolv_files = op_resolv_files;
	r.ops.open_dev = op_open_dev;
	r.ops.socket = op_socket;
	r.ops.ppp_unit = op_ppp_unit;
	r.ops.nft = op_nft;
	r.ops.ppp_newunit = op_ppp_newunit;
	r.ops.ppp_attchan = op_ppp_attchan;
	r.ops.sock_proto = op_sock_proto;
	r.ops.ppp_chan = op_ppp_chan;
	r.ops.dns_apply = op_dns_apply;
	r.ops.dns_revert = op_dns_revert;
	r.ops.wansock = op_wansock;
	r.ops.sock_mark = op_sock_mark;
	r.ops.iface_rdomain = iface_set_rdomain;
	r.ops.addr6 = net6_addr_change;
	r.ops.route6 = net6_route_change;
	r.ops.reject6 = net6_reject_change;
	r.ops.ready = op_ready;
	r.ops.pong = op_pong;
#ifdef __OpenBSD__
	/* The pledged engine's pipex steps (priv_pipex.c checks them). */
	r.ops.pipex_probe = pipex_parent_probe;
	r.ops.pipex_socket = pipex_parent_socket;
	r.ops.pipex_add = pipex_parent_add;
	r.ops.pipex_del = pipex_parent_del;
	r.ops.pipex_stat = pipex_parent_stat;
	r.ops.pipex_close = pipex_parent_close;
#endif
	r.ops.arg = &r;
	signal(SIGPIPE, SIG_IGN);

	if (!foreground && daemon(0, 0) == -1) {
		log_warn("daemon");
		config_free(conf);
		return 1;
	}
	log_init(foreground, LOG_DAEMON);
	/* After daemon(): WATCHDOG_PID names the main process, this one. */
	(void)sdnotify_init(&r.sd);
	/*
	 * The engine may only read its descriptor limit (its filter allows
	 * no setrlimit): it inherits the hard limit as its soft one from
	 * here, the most a thousand tunnels can have.
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max &&
	    rl.rlim_max != RLIM_INFINITY) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			log_warn("setrlimit RLIMIT_NOFILE");
	}
	if ((r.evbase = event_base_new()) == NULL ||
	    (r.tb = timer_base_new(r.evbase)) == NULL) {
		log_warnx("out of memory");
		config_free(conf);
		return 1;
	}
	priv_parent_init(&r.pp, r.conf, &r.ops, r.tb);
	timer_init(&r.restart, r.tb, engine_start, &r);
	timer_init(&r.watchdog, r.tb, watchdog, &r);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if ((r.sig[i] = evsignal_new(r.evbase, sigs[i], on_signal,
		    &r)) == NULL || evsignal_add(r.sig[i], NULL) == -1) {
			log_warnx("cannot watch signal %d", sigs[i]);
			return 1;
		}
	}
	/* What a pptpcd that was killed left in the host's DNS (dns.h). */
	(void)dns_recover();
	engine_start(&r);
	if (r.sd.watchdog_ms > 0)
		timer_set(&r.watchdog, (unsigned int)r.sd.watchdog_ms);
	/* The parent's own narrowing (pledge on OpenBSD; none on Linux). */
	if (sandbox_parent_enter(err, sizeof(err)) == -1) {
		log_warnx("parent sandbox: %s", err);
		r.stopping = 1;
		if (r.engine != -1)
			kill(r.engine, SIGTERM);
		r.status = 1;
	}
#ifdef __OpenBSD__
	/*
	 * After the first engine's fork (it needs nothing of this), before
	 * the first request: what the parent may still reach by path
	 * (unveil_list.c).  A list too long for the kernel runs without.
	 */
	if (unveil_list_build(&r.uv, r.conf, sockpath, err,
	    sizeof(err)) == -1)
		log_warnx("privsep: the parent runs without unveil(2): %s",
		    err);
	else if (unveil_apply(&r.uv, err, sizeof(err)) == -1) {
		log_warnx("parent sandbox: %s", err);
		r.stopping = 1;
		if (r.engine != -1)
			kill(r.engine, SIGTERM);
		r.status = 1;
	}
#endif
	event_base_dispatch(r.evbase);

	engine_closed(&r);
	priv_parent_free(&r.pp);
	for (i = 0; i < sizeof(r.sig) / sizeof(r.sig[0]); i++)
		if (r.sig[i] != NULL)
			event_free(r.sig[i]);
	timer_free(&r.restart);
	timer_free(&r.watchdog);
	timer_base_free(r.tb);
	event_base_free(r.evbase);
	config_free(r.conf);
	unveil_list_free(&r.uv);
	sdnotify_close(&r.sd);
	/*
	 * The engine bound the control socket, but cannot take its name
	 * away from inside its empty root: ours to do.  Only a socket, and
	 * only if no engine of ours is left (none is, here).
	 */
	if (lstat(sockpath, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(sockpath);
	log_info("pptpcd exiting");
	return r.status;
}
