/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * pptpcd's run loop (pptpcd.h): the shared pieces every tunnel uses (the
 * event loop, timers, the raw GRE socket, the resolver), the set of
 * tunnels, signals, reload, the control socket and an orderly shutdown.
 *
 * Everything lives in one struct pptpcd on pptpcd_run()'s stack; the
 * tunnels reach it only through struct tunnel_env.
 *
 * Signals: SIGTERM and SIGINT close every tunnel politely and exit once
 * all are closed or PPTPCD_GRACE_MS has passed, whichever comes first (a
 * second signal does not wait); SIGHUP reloads; SIGCHLD reaps scripts;
 * SIGPIPE is ignored, as a write to a dead peer is an error we handle.
 *
 * Many tunnels: the descriptor limit is raised at start-up (each tunnel
 * holds its TCP connection and its interface), and tunnels that start
 * together (start-up, a reload that adds many) dial at random moments
 * spread over a few seconds, so that a thousand do not reach the server,
 * nor open a thousand interfaces here, in the same millisecond.
 */
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <errno.h>
#include <event2/event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "dns.h"
#include "crypto.h"
#include "datapath.h"
#include "fdcloser.h"
#include "log.h"
#include "pptpcd.h"
#include "priv.h"
#include "resolve.h"
#include "sandbox.h"
#include "sdnotify.h"
#include "session_info.h"
#include "timer.h"
#include "timer_event.h"
#include "tunnel.h"

/* Long enough for LCP Terminate and the PPTP goodbyes over a slow link. */
#define PPTPCD_GRACE_MS		5000
/*
 * Tunnels that start together dial within (n - 1) * DIAL_SPACING_MS, at
 * most DIAL_SPREAD_MAX_MS: 200 dials a second is what a small server
 * (and this side: an interface, its address and routes per tunnel) takes
 * without a queue, and one tunnel alone dials at once.
 */
#define DIAL_SPACING_MS		5
#define DIAL_SPREAD_MAX_MS	10000
/* Descriptors a tunnel holds (TCP, tun), and the daemon's own besides. */
#define FDS_PER_TUNNEL		2
#define FDS_SLACK		64

struct pptpcd;

struct tnode {
	TAILQ_ENTRY(tnode)	 entry;
	struct pptpcd		*d;
	struct tunnel		*t;
	struct timer		 dial;		/* its spread-out start */
	int			 dial_now;	/* kill switch: no delay */
	int			 retired;	/* removed by a reload */
};
TAILQ_HEAD(tnode_list, tnode);

struct pptpcd {
	struct event_base	*evbase;
	struct timer_base	*tb;
	struct datapath		*dp;
	struct resolver		*res;
	struct fdcloser		*closer;	/* tun(4)s close off the loop */
	struct control		*ctl;
	struct config		*conf;
	const char		*conffile;
	struct tnode_list	 tunnels;	/* configuration order, retired last */
	struct tunnel_env	 env;
	struct event		*sig[5];
	struct timer		 reap;		/* frees what went idle for good */
	struct timer		 grace;
	struct sdnotify		 sd;		/* systemd's Type=notify */
	struct timer		 watchdog;
	int			 stopping;
	char			 reload_msg[CONTROL_MSG_MAX];
};

static void	tnode_free(struct tnode *);

static struct tnode *
find(struct pptpcd *d, const char *name, int retired)
{
	struct tnode *n;

	TAILQ_FOREACH(n, &d->tunnels, entry)
		if (n->retired == retired &&
		    strcmp(tunnel_name(n->t), name) == 0)
			return n;
	return NULL;
}

static int
call_id_used(void *arg, uint16_t id)
{
	struct pptpcd *d = arg;
	struct tnode *n;

	TAILQ_FOREACH(n, &d->tunnels, entry)
		if (tunnel_call_id(n->t) == id)
			return 1;
	return 0;
}

/* From a tunnel's own timer: act later, from ours. */
static void
tunnel_idle(void *arg, struct tunnel *t)
{
	struct pptpcd *d = arg;

	(void)t;
	timer_set(&d->reap, 0);
}

static void
tunnel_notify(void *arg, const char *tunnel, enum ctl_event ev,
    const char *detail)
{
	struct pptpcd *d = arg;

	control_event(d->ctl, tunnel, ev, detail);
}

/*
 * The service manager hears that we serve, and what the last news was.
 * Separated, through the parent: only the main process may notify
 * (NotifyAccess=main), and the engine can make no socket to do it.
 */
static void
ready(struct pptpcd *d, const char *status)
{
	char text[512];

	if (priv_separated()) {
		(void)priv_ready(status);
		return;
	}
	snprintf(text, sizeof(text), "READY=1\nSTATUS=%s", status);
	sdnotify_send(&d->sd, text);
}

/*
 * Answered from the event loop itself, so that a loop that hangs stops
 * answering and the service manager restarts us.
 */
static void
watchdog(void *arg)
{
	struct pptpcd *d = arg;

	sdnotify_send(&d->sd, "WATCHDOG=1");
	if (d->sd.watchdog_ms > 0)
		timer_set(&d->watchdog, (unsigned int)d->sd.watchdog_ms);
}

static void
reap(void *arg)
{
	struct pptpcd *d = arg;
	struct tnode *n, *next;
	int busy = 0;

	for (n = TAILQ_FIRST(&d->tunnels); n != NULL; n = next) {
		next = TAILQ_NEXT(n, entry);
		if (!tunnel_is_idle(n->t)) {
			busy = 1;
			continue;
		}
		if (n->retired) {
			log_info("%s: removed", tunnel_name(n->t));
			control_event(d->ctl, tunnel_name(n->t),
			    CTL_EVENT_REMOVED, NULL);
			TAILQ_REMOVE(&d->tunnels, n, entry);
			tnode_free(n);
		}
	}
	if (d->stopping && !busy) {
		log_debug("every tunnel is closed");
		event_base_loopbreak(d->evbase);
	}
}

static void
grace_over(void *arg)
{
	struct pptpcd *d = arg;

	log_warnx("tunnels still closing after %d s; exiting anyway",
	    PPTPCD_GRACE_MS / 1000);
	event_base_loopbreak(d->evbase);
}

static void
start(struct tunnel *t)
{
	char msg[CONTROL_MSG_MAX];

	/* tunnel_start() has logged why it could not. */
	tunnel_start(t, msg, sizeof(msg));
}

static void
dial_due(void *arg)
{
	struct tnode *n = arg;

	if (!n->retired && !n->d->stopping)
		start(n->t);
}

static struct tnode *
tnode_new(struct pptpcd *d, const struct tunnel_conf *tc)
{
	struct tnode *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return NULL;
	if ((n->t = tunnel_new(&d->env, tc)) == NULL) {
		free(n);
		return NULL;
	}
	n->d = d;
	n->dial_now = tc->kill_switch;
	timer_init(&n->dial, d->tb, dial_due, n);
	return n;
}

/* Before tunnel_free(): the tunnel's own timers go with it. */
static void
tnode_free(struct tnode *n)
{
	timer_free(&n->dial);
	tunnel_free(n->t);
	free(n);
}

/* The window "nstart" tunnels that start together dial within. */
static unsigned int
dial_spread_ms(int nstart)
{
	if (nstart <= 1)
		return 0;
	if ((unsigned int)(nstart - 1) > DIAL_SPREAD_MAX_MS / DIAL_SPACING_MS)
		return DIAL_SPREAD_MAX_MS;
	return (unsigned int)(nstart - 1) * DIAL_SPACING_MS;
}

/*
 * Starts n now, or at a random moment within spread_ms.  A tunnel with
 * a kill switch dials at once: the switch is armed by the dial, and
 * traffic must not leave outside the tunnel while it waits its turn.
 */
static void
start_within(struct tnode *n, unsigned int spread_ms)
{
	if (spread_ms == 0 || n->dial_now)
		start(n->t);
	else
		timer_set(&n->dial, arc4random_uniform(spread_ms));
}

/*
 * Each tunnel holds a TCP connection and an interface: a thousand need
 * more than the usual soft limit of 1024 descriptors.  The soft limit
 * goes up to the hard one, which is the administrator's to set; when
 * even that is too low, the log says so before dials start failing with
 * "Too many open files".
 */
static void
raise_nofile(int ntunnels)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)ntunnels * FDS_PER_TUNNEL + FDS_SLACK;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("getrlimit RLIMIT_NOFILE");
		return;
	}
	/* A split pptpcd's parent raised it before the fork (priv_run.c). */
	if (rl.rlim_cur < rl.rlim_max && !priv_separated()) {
		rlim_t old = rl.rlim_cur;

		/* Linux refuses an infinite one; "need" is what counts. */
		rl.rlim_cur = rl.rlim_max != RLIM_INFINITY ? rl.rlim_max :
		    need > old ? need : old;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
			log_warn("setrlimit RLIMIT_NOFILE %llu",
			    (unsigned long long)rl.rlim_cur);
			rl.rlim_cur = old;
		} else if (rl.rlim_cur != old)
			log_debug("descriptor limit raised from %llu to %llu",
			    (unsigned long long)old,
			    (unsigned long long)rl.rlim_cur);
	}
	if (rl.rlim_cur < need)
		log_warnx("%d tunnels need about %llu descriptors, but the "
		    "limit is %llu (RLIMIT_NOFILE, hard limit %llu): raise "
		    "it (ulimit -n, LimitNOFILE=) or some tunnels will fail "
		    "to dial", ntunnels, (unsigned long long)need,
		    (unsigned long long)rl.rlim_cur,
		    (unsigned long long)rl.rlim_max);
}

/*
 * The engine asks for a password when it dials (priv_password()); in
 * its place it holds the parent's fingerprint of it, so that a reload
 * that changes a password restarts the tunnel.  They come as comment
 * lines after the text (priv.h's PRIV_FP_PREFIX).
 */
static void
take_fingerprints(struct config *c, const char *text, size_t len)
{
	struct tunnel_conf *tc;
	const char *p, *end = text + len, *nl;
	char line[128], name[PRIVMSG_NAME_MAX], hex[65];

	TAILQ_FOREACH(tc, &c->tunnels, entry) {
		conf_free_secret(tc->password);
		tc->password = NULL;
		tc->password_len = 0;
	}
	for (p = text; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((size_t)(nl - p) >= sizeof(line))
			continue;
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		if (strncmp(line, PRIV_FP_PREFIX, strlen(PRIV_FP_PREFIX)) != 0 ||
		    sscanf(line + strlen(PRIV_FP_PREFIX), "%15s %64s", name,
		    hex) != 2)
			continue;
		if ((tc = config_find_tunnel(c, name)) != NULL &&
		    tc->password == NULL && (tc->password = strdup(hex)) != NULL)
			tc->password_len = strlen(hex);
	}
}

static int	apply_config(struct pptpcd *, struct config *, char *, size_t);

/*
 * Reads the file again.  On errors the running configuration stays;
 * otherwise unchanged tunnels run on untouched, changed ones redial with
 * their new settings, removed ones hang up and go, new ones start.
 * Separated, the parent reads it (the engine cannot, in its empty root)
 * and the new text comes back as a notice (config_notice()).
 */
static int
reload(struct pptpcd *d, char *msg, size_t msglen)
{
	struct config *nc;

	if (d->stopping) {
		snprintf(msg, msglen, "pptpcd is shutting down");
		return -1;
	}
	log_info("reloading %s", d->conffile);
	/* A reload is also the administrator's way to say "DNS changed". */
	resolver_reload(d->res);
	sdnotify_send(&d->sd, "RELOADING=1");
	if (priv_separated()) {
		d->reload_msg[0] = '\0';
		if (priv_reload(msg, msglen) == -1) {
			log_warnx("reload: %s", msg);
			control_event(d->ctl, NULL, CTL_EVENT_RELOAD, msg);
			ready(d, msg);
			return -1;
		}
		/* The new text has come: apply it before answering. */
		priv_engine_flush();
		if (d->reload_msg[0] != '\0')
			snprintf(msg, msglen, "%s", d->reload_msg);
		return 0;
	}
	if ((nc = parse_config(d->conffile, 0)) == NULL) {
		snprintf(msg, msglen, "%s has errors (see the log); the "
		    "running configuration stays", d->conffile);
		log_warnx("reload: %s", msg);
		control_event(d->ctl, NULL, CTL_EVENT_RELOAD, msg);
		ready(d, msg);
		return -1;
	}
	return apply_config(d, nc, msg, msglen);
}

/* A new configuration, parsed: takes nc. */
static int
apply_config(struct pptpcd *d, struct config *nc, char *msg, size_t msglen)
{
	struct tunnel_conf *tc, *old;
	struct tnode_list order;
	struct tnode *n;
	unsigned int spread;
	int kept = 0, changed = 0, added = 0, removed = 0, total = 0;

	TAILQ_FOREACH(tc, &nc->tunnels, entry) {
		total++;
		if (find(d, tc->name, 0) == NULL)
			added++;
	}
	raise_nofile(total);
	spread = dial_spread_ms(added);
	added = 0;
	TAILQ_INIT(&order);
	TAILQ_FOREACH(tc, &nc->tunnels, entry) {
		if ((n = find(d, tc->name, 0)) != NULL) {
			old = config_find_tunnel(d->conf, tc->name);
			if (old != NULL && tunnel_conf_equal(old, tc))
				kept++;
			else
				changed++;
			TAILQ_REMOVE(&d->tunnels, n, entry);
			n->dial_now = tc->kill_switch;
			tunnel_set_conf(n->t, tc);
		} else if ((n = find(d, tc->name, 1)) != NULL) {
			/* Removed by an earlier reload, still closing: back. */
			TAILQ_REMOVE(&d->tunnels, n, entry);
			n->retired = 0;
			n->dial_now = tc->kill_switch;
			tunnel_set_conf(n->t, tc);
			start_within(n, spread);
			added++;
		} else if ((n = tnode_new(d, tc)) != NULL) {
			control_event(d->ctl, tc->name, CTL_EVENT_ADDED, NULL);
			start_within(n, spread);
			added++;
		} else {
			log_warnx("%s: out of memory; not started", tc->name);
			continue;
		}
		TAILQ_INSERT_TAIL(&order, n, entry);
	}
	/* What is left in d->tunnels is gone from the file, or retired. */
	while ((n = TAILQ_FIRST(&d->tunnels)) != NULL) {
		TAILQ_REMOVE(&d->tunnels, n, entry);
		if (!n->retired) {
			n->retired = 1;
			timer_stop(&n->dial);
			tunnel_set_conf(n->t, NULL);
			removed++;
		}
		TAILQ_INSERT_TAIL(&order, n, entry);
	}
	TAILQ_CONCAT(&d->tunnels, &order, entry);
	/* No tunnel points into the old configuration any more. */
	config_free(d->conf);
	d->conf = nc;
	timer_set(&d->reap, 0);
	snprintf(msg, msglen, "reloaded: %d unchanged, %d restarted, %d "
	    "added, %d removed", kept, changed, added, removed);
	log_info("%s", msg);
	snprintf(d->reload_msg, sizeof(d->reload_msg), "%s", msg);
	control_event(d->ctl, NULL, CTL_EVENT_RELOAD, msg);
	ready(d, msg);
	return 0;
}

/* The parent's new configuration: the normalised text in fd. */
static void
config_notice(struct pptpcd *d, int fd)
{
	struct config *nc;
	char *text = NULL, msg[CONTROL_MSG_MAX];
	size_t len = 0, cap = 0;
	ssize_t n;

	if (d->stopping)
		return;
	for (;;) {
		if (len == cap) {
			char *nt;

			cap = cap == 0 ? 8192 : cap * 2;
			if (cap > (16u << 20) ||
			    (nt = realloc(text, cap)) == NULL) {
				log_warnx("reload: the configuration is too "
				    "large");
				free(text);
				return;
			}
			text = nt;
		}
		if ((n = read(fd, text + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("reload: configuration from the parent");
			free(text);
			return;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	/*
	 * Password files are the parent's: it hands one over at dial.  An
	 * empty file is one newline: parse_config_buffer() would open
	 * /dev/null for it, which the empty root has not.
	 */
	if (len == 0)
		text[len++] = '\n';
	nc = parse_config_buffer(d->conffile, text, len, CONF_NOFILES);
	if (nc == NULL) {
		free(text);
		log_warnx("reload: the parent's configuration does not parse");
		return;
	}
	take_fingerprints(nc, text, len);
	free(text);
	(void)apply_config(d, nc, msg, sizeof(msg));
}

static void
priv_notice(void *arg, const struct priv_notice *pn)
{
	struct pptpcd *d = arg;
	struct tnode *n;

	switch (pn->type) {
	case PRIV_SCRIPT_DONE:
		if ((n = find(d, pn->tunnel, 0)) != NULL ||
		    (n = find(d, pn->tunnel, 1)) != NULL)
			tunnel_script_done(n->t, pn->done.which ==
			    PRIV_SCRIPT_UP, pn->done.status);
		timer_set(&d->reap, 0);
		break;
	case PRIV_CONFIG:
		config_notice(d, pn->fd);
		close(pn->fd);
		break;
	}
}

static void
shutdown_begin(struct pptpcd *d, const char *why)
{
	struct tnode *n;

	if (d->stopping) {
		log_info("%s again; exiting now", why);
		event_base_loopbreak(d->evbase);
		return;
	}
	d->stopping = 1;
	log_info("%s; closing every tunnel", why);
	sdnotify_send(&d->sd, "STOPPING=1");
	TAILQ_FOREACH(n, &d->tunnels, entry) {
		timer_stop(&n->dial);
		tunnel_stop(n->t, "pptpcd is shutting down");
	}
	timer_set(&d->grace, PPTPCD_GRACE_MS);
	timer_set(&d->reap, 0);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct pptpcd *d = arg;
	struct tnode *n;
	char msg[CONTROL_MSG_MAX];

	(void)what;
	switch (sig) {
	case SIGTERM:
		shutdown_begin(d, "SIGTERM");
		break;
	case SIGINT:
		shutdown_begin(d, "SIGINT");
		break;
	case SIGHUP:
		reload(d, msg, sizeof(msg));
		break;
	case SIGCHLD:
		TAILQ_FOREACH(n, &d->tunnels, entry)
			tunnel_reap(n->t);
		break;
#ifdef PPTPC_TEST_HOOKS
	case SIGUSR2:
		/* Test builds: a system call the sandbox kills (t_privsep). */
		log_info("test hook: a forbidden system call");
		sandbox_test_forbidden();
		break;
#endif
	}
}

/* ---- The control socket's operations ---- */

static void
ctl_list(void *arg, void (*visit)(const struct session_info *, void *),
    void *varg)
{
	struct pptpcd *d = arg;
	struct session_info si;
	struct tnode *n;

	TAILQ_FOREACH(n, &d->tunnels, entry) {
		if (n->retired)
			continue;
		tunnel_info(n->t, &si);
		visit(&si, varg);
	}
}

static int
ctl_connect(void *arg, const char *name, char *msg, size_t msglen)
{
	struct pptpcd *d = arg;
	struct tnode *n;

	if (d->stopping) {
		snprintf(msg, msglen, "pptpcd is shutting down");
		return -1;
	}
	if ((n = find(d, name, 0)) == NULL) {
		snprintf(msg, msglen, "no tunnel %s", name);
		return -1;
	}
	timer_stop(&n->dial);
	return tunnel_start(n->t, msg, msglen);
}

static int
ctl_disconnect(void *arg, const char *name, char *msg, size_t msglen)
{
	struct pptpcd *d = arg;
	struct tnode *n;

	if ((n = find(d, name, 0)) == NULL) {
		snprintf(msg, msglen, "no tunnel %s", name);
		return -1;
	}
	/* A start still to come would undo the disconnect. */
	timer_stop(&n->dial);
	tunnel_stop(n->t, "disconnect requested");
	return 0;
}

static int
ctl_reload(void *arg, char *msg, size_t msglen)
{
	return reload(arg, msg, msglen);
}

static const struct control_ops pptpcd_ctl_ops = {
	.list = ctl_list,
	.connect = ctl_connect,
	.disconnect = ctl_disconnect,
	.reload = ctl_reload,
};

/* ---- Start and end ---- */

/* libevent's own complaints ("All nameservers have failed") join ours. */
static void
event_log(int severity, const char *msg)
{
	if (severity >= EVENT_LOG_WARN)
		log_warnx("libevent: %s", msg);
	else
		log_debug("libevent: %s", msg);
}

static void
teardown(struct pptpcd *d)
{
	struct tnode *n;
	size_t i;

	while ((n = TAILQ_FIRST(&d->tunnels)) != NULL) {
		TAILQ_REMOVE(&d->tunnels, n, entry);
		tnode_free(n);
	}
	control_free(d->ctl);
	d->ctl = NULL;
	/* Every interface is gone before we exit. */
	fdcloser_free(d->closer);
	datapath_free(d->dp);
	resolver_free(d->res);
	for (i = 0; i < sizeof(d->sig) / sizeof(d->sig[0]); i++)
		if (d->sig[i] != NULL)
			event_free(d->sig[i]);
	/*
	 * Freeing the events put back the default actions: a second
	 * SIGTERM during the last frees would end us with status 143.
	 */
	(void)signal(SIGTERM, SIG_IGN);
	(void)signal(SIGINT, SIG_IGN);
	(void)signal(SIGHUP, SIG_IGN);
	if (d->tb != NULL) {
		timer_free(&d->reap);
		timer_free(&d->grace);
		timer_free(&d->watchdog);
		timer_base_free(d->tb);
	}
	config_free(d->conf);
	priv_engine_stop();
	if (d->evbase != NULL)
		event_base_free(d->evbase);
	sdnotify_close(&d->sd);
}

int
pptpcd_run(struct config *conf, const char *conffile, const char *sockpath,
    int foreground, int privfd)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD,
#ifdef PPTPC_TEST_HOOKS
	    SIGUSR2,
#endif
	};
	struct pptpcd d;
	struct tnode *n;
	struct tunnel_conf *tc;
	char err[256];
	size_t i;
	unsigned int spread;
	int ntunnels = 0;

	memset(&d, 0, sizeof(d));
	d.sd.fd = -1;
	d.conf = conf;
	d.conffile = conffile;
	TAILQ_INIT(&d.tunnels);

	/* First: nothing can run without MD4, DES and RC4. */
	if (crypto_init(err, sizeof(err)) == -1) {
		log_warnx("%s", err);
		config_free(conf);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	event_set_log_callback(event_log);

	/* Whatever can fail for want of rights fails here, on stderr. */
	if ((d.evbase = event_base_new()) == NULL ||
	    (d.tb = timer_base_new(d.evbase)) == NULL ||
	    (d.res = resolver_new(d.evbase)) == NULL) {
		log_warnx("out of memory");
		goto fail;
	}
	/* The engine of a split pptpcd: privileged work goes to the parent. */
	if (privfd != -1 && priv_engine_start(privfd, d.evbase, priv_notice,
	    &d) == -1) {
		log_warnx("privsep: cannot watch the parent");
		goto fail;
	}
	/* Sandboxed, the resolver cannot open its files: the parent reads. */
	if (privfd != -1)
		resolver_set_fetch(d.res, priv_resolv_files, NULL);
	if ((d.dp = datapath_new(d.evbase, d.tb, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		goto fail;
	}
	/* Kernel-engine tunnels' GRE reaches the raw socket too: not ours. */
	datapath_read_idle(d.dp, 0);
	if ((d.ctl = control_new(d.evbase, sockpath, &pptpcd_ctl_ops,
	    &d)) == NULL)
		goto fail;
	/*
	 * The engine has all it needs from root now: the crypto provider
	 * loaded, the control socket bound, the GRE socket from the parent,
	 * syslog's socket open.  From here it runs as SANDBOX_USER in an
	 * empty root, before the first byte from the network and before
	 * fdcloser_new() makes a thread (sandbox.h).
	 */
	if (privfd != -1) {
		log_init(foreground, LOG_DAEMON);
		if (sandbox_engine_enter(SANDBOX_USER, SANDBOX_CHROOT_DIR, err,
		    sizeof(err)) == -1) {
			log_warnx("engine sandbox: %s", err);
			goto fail;
		}
	}
	timer_init(&d.reap, d.tb, reap, &d);
	timer_init(&d.grace, d.tb, grace_over, &d);
	timer_init(&d.watchdog, d.tb, watchdog, &d);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if ((d.sig[i] = evsignal_new(d.evbase, sigs[i], on_signal,
		    &d)) == NULL || evsignal_add(d.sig[i], NULL) == -1) {
			log_warnx("cannot watch signal %d", sigs[i]);
			goto fail;
		}
	}
	d.env.evbase = d.evbase;
	d.env.tb = d.tb;
	d.env.dp = d.dp;
	d.env.res = d.res;
	/* Without it tun(4)s close in place, as before: slower, still right. */
	d.closer = fdcloser_new();
	d.env.closer = d.closer;
	d.env.call_id_used = call_id_used;
	d.env.idle = tunnel_idle;
	d.env.notify = tunnel_notify;
	d.env.arg = &d;
	/*
	 * What a pptpcd that was killed left in the host's DNS; split, the
	 * parent did it before the first engine (priv_run.c).
	 */
	if (!priv_separated())
		(void)dns_recover();
	TAILQ_FOREACH(tc, &d.conf->tunnels, entry) {
		if ((n = tnode_new(&d, tc)) == NULL) {
			log_warnx("%s: out of memory", tc->name);
			goto fail;
		}
		TAILQ_INSERT_TAIL(&d.tunnels, n, entry);
		ntunnels++;
	}

	if (!foreground && privfd == -1) {
		if (daemon(0, 0) == -1) {
			log_warn("daemon");
			goto fail;
		}
		/* epoll and friends do not survive a fork unaided. */
		if (event_reinit(d.evbase) == -1) {
			log_init(0, LOG_DAEMON);
			log_warnx("event_reinit failed after daemon()");
			goto fail;
		}
	}
	log_init(foreground, LOG_DAEMON);
	log_info("pptpcd started: %d tunnel%s, control socket %s", ntunnels,
	    ntunnels == 1 ? "" : "s", sockpath);
	raise_nofile(ntunnels);

	spread = dial_spread_ms(ntunnels);
	if (spread > 0)
		log_info("dialling %d tunnels within %u ms", ntunnels, spread);
	TAILQ_FOREACH(n, &d.tunnels, entry)
		start_within(n, spread);
	/*
	 * The configuration is loaded and the control socket answers.  The
	 * parent of a split pptpcd owns the notify socket and the watchdog.
	 */
	if (privfd == -1)
		(void)sdnotify_init(&d.sd);
	snprintf(err, sizeof(err), "%d tunnel%s configured", ntunnels,
	    ntunnels == 1 ? "" : "s");
	ready(&d, err);
	if (d.sd.watchdog_ms > 0)
		watchdog(&d);
	event_base_dispatch(d.evbase);

	teardown(&d);
	log_info("pptpcd exiting");
	return 0;
fail:
	teardown(&d);
	return 1;
}
