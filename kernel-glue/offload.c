/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Choosing a data-path engine, dispatching to it, and the userspace
 * engine's adapter over daemon/datapath.h.  No system-specific code: the
 * kernel engines come from offload_os_engine() in the per-OS files.
 */
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datapath.h"
#include "fdcloser.h"
#include "gre_call.h"
#include "config.h"
#include "offload.h"
#include "priv.h"
#include "tun.h"

static const char *const engine_names[OFFLOAD_ENGINE_COUNT] = {
	[OFFLOAD_ENGINE_PIPEX] = "pipex",
	[OFFLOAD_ENGINE_KERNEL] = "kernel",
	[OFFLOAD_ENGINE_USERSPACE] = "userspace",
};

const char *
offload_engine_name(enum offload_engine_id id)
{
	if ((unsigned int)id >= OFFLOAD_ENGINE_COUNT)
		return "unknown";
	return engine_names[id];
}

const struct offload_engine *
offload_engine(enum offload_engine_id id, const char **why)
{
	*why = NULL;
	switch (id) {
	case OFFLOAD_ENGINE_PIPEX:
	case OFFLOAD_ENGINE_KERNEL:
		return offload_os_engine(id, why);
	case OFFLOAD_ENGINE_USERSPACE:
		return &offload_userspace;
	case OFFLOAD_ENGINE_COUNT:
		break;
	}
	*why = "no such engine";
	return NULL;
}

void
offload_probe(const struct offload_sys *sys,
    const char *why_not[OFFLOAD_ENGINE_COUNT],
    char bufs[OFFLOAD_ENGINE_COUNT][OFFLOAD_WHY_MAX])
{
	const struct offload_engine *e;
	const char *why;
	int i;

	for (i = 0; i < OFFLOAD_ENGINE_COUNT; i++) {
		bufs[i][0] = '\0';
		if ((e = offload_engine(i, &why)) == NULL) {
			snprintf(bufs[i], OFFLOAD_WHY_MAX, "%s",
			    why != NULL ? why : "not built");
			why_not[i] = bufs[i];
		} else if (e->probe(sys, bufs[i], OFFLOAD_WHY_MAX) == -1) {
			/* An engine that forgot to say why still says so. */
			if (bufs[i][0] == '\0')
				snprintf(bufs[i], OFFLOAD_WHY_MAX,
				    "not usable (no reason given)");
			why_not[i] = bufs[i];
		} else
			why_not[i] = NULL;
	}
}

/* Appends "name: why" to note, separated by "; ". */
static void
note_add(char *note, size_t len, enum offload_engine_id id, const char *why)
{
	size_t n;

	if (len == 0)
		return;
	n = strlen(note);
	if (n + 1 >= len)
		return;
	snprintf(note + n, len - n, "%s%s: %s", n > 0 ? "; " : "",
	    engine_names[id], why);
}

int
offload_select(int mode,
    const char *const why_not[OFFLOAD_ENGINE_COUNT],
    enum offload_engine_id *out, char *note, size_t notelen, char *err,
    size_t errlen)
{
	enum offload_engine_id forced;
	int i;

	if (notelen > 0)
		note[0] = '\0';
	if (errlen > 0)
		err[0] = '\0';

	switch (mode) {
	case OFFLOAD_AUTO:
		for (i = 0; i < OFFLOAD_ENGINE_COUNT; i++) {
			if (why_not[i] == NULL) {
				*out = i;
				return 0;
			}
			note_add(note, notelen, i, why_not[i]);
		}
		/* Userspace refused too (it only does if it was tried). */
		snprintf(err, errlen, "offload auto: no engine can carry the "
		    "session (%s)", notelen > 0 ? note : "");
		return -1;
	case OFFLOAD_PIPEX:
		forced = OFFLOAD_ENGINE_PIPEX;
		break;
	case OFFLOAD_KERNEL:
		forced = OFFLOAD_ENGINE_KERNEL;
		break;
	case OFFLOAD_USERSPACE:
		forced = OFFLOAD_ENGINE_USERSPACE;
		break;
	default:
		snprintf(err, errlen, "offload mode %d is unknown", (int)mode);
		return -1;
	}
	if (why_not[forced] != NULL) {
		/*
		 * Never fall back behind the administrator's back: "offload
		 * kernel" is a promise about where keys and data live.
		 */
		snprintf(err, errlen, "offload %s: the %s engine cannot be "
		    "used: %s (fix that, or use offload auto)",
		    engine_names[forced], engine_names[forced],
		    why_not[forced]);
		return -1;
	}
	*out = forced;
	return 0;
}

struct offload_session *
offload_open(const struct offload_engine *e, const struct offload_env *env,
    const struct offload_call *call, const struct offload_ops *ops,
    void *arg, char *err, size_t errlen)
{
	struct offload_session *s;
	struct offload_call own;

	/* Another engine's socket is no use to this one (auto fell back). */
	if (call->prep != NULL && call->prep->engine != e) {
		own = *call;
		offload_unprepare(own.prep);
		own.prep = NULL;
		call = &own;
	}
	if ((s = e->open(env, call, ops, arg, err, errlen)) != NULL)
		s->engine = e;
	return s;
}

int
offload_prepare(const struct offload_engine *e, const struct offload_env *env,
    const struct offload_call *call, struct offload_prep **out, char *err,
    size_t errlen)
{
	*out = NULL;
	if (e->prepare == NULL)
		return 0;
	if (e->prepare(env, call, out, err, errlen) == -1) {
		*out = NULL;
		return -1;
	}
	if (*out != NULL)
		(*out)->engine = e;
	return 0;
}

void
offload_unprepare(struct offload_prep *p)
{
	if (p != NULL)
		p->engine->unprepare(p);
}

int
offload_send_frame(struct offload_session *s, const uint8_t *frame,
    size_t len)
{
	return s->engine->send_frame(s, frame, len);
}

int
offload_ccp(struct offload_session *s, enum offload_ccp_event ev,
    const struct offload_mppe *m, char *err, size_t errlen)
{
	/* An engine keyed from the link at attach has nothing to do. */
	if (s->engine->ccp == NULL)
		return 0;
	return s->engine->ccp(s, ev, m, err, errlen);
}

int
offload_attach(struct offload_session *s, struct offload_attach *a,
    char *err, size_t errlen)
{
	a->ifname[0] = '\0';
	return s->engine->attach(s, a, err, errlen);
}

void
offload_mppe_reset(struct offload_session *s)
{
	s->engine->mppe_reset(s);
}

/* Nothing counted yet, and no layer seen. */
static void
stats_init(struct offload_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->rx_idle_s = -1;
	st->gre_reordered = OFFLOAD_UNKNOWN;
	st->gre_late = OFFLOAD_UNKNOWN;
	st->gre_duplicate = OFFLOAD_UNKNOWN;
	st->gre_out_of_window = OFFLOAD_UNKNOWN;
	st->gre_resyncs = OFFLOAD_UNKNOWN;
	st->mppe_undecryptable = OFFLOAD_UNKNOWN;
	st->mppe_over_budget = OFFLOAD_UNKNOWN;
	st->mppe_resets_sent = OFFLOAD_UNKNOWN;
	st->mppe_resets_received = OFFLOAD_UNKNOWN;
	st->cleartext_dropped = OFFLOAD_UNKNOWN;
}

void
offload_get_stats(struct offload_session *s, struct offload_stats *st)
{
	stats_init(st);
	s->engine->get_stats(s, st);
}

void
offload_close(struct offload_session *s, struct offload_stats *final)
{
	if (final != NULL)
		stats_init(final);
	if (s == NULL)
		return;
	s->engine->close(s, final);
}

const struct offload_engine *
offload_session_engine(const struct offload_session *s)
{
	return s->engine;
}

/*
 * The userspace engine.  The data path already exists as daemon/datapath.h;
 * this only gives it the engines' shape and adds the tun(4) interface, so
 * that the tunnel code treats all engines alike.
 */
struct us_session {
	struct offload_session	 base;	/* first: offload.c casts */
	struct dp_call		*call;
	struct tun		 tun;
	int			 tun_open;
	char			 ifname_want[OFFLOAD_IFNAME_MAX];
	unsigned int		 iface_rdomain;	/* OpenBSD; 0: leave it */
	char			 tag[PRIVMSG_NAME_MAX];	/* the tunnel */
	struct fdcloser		*closer;
	const struct offload_ops *ops;
	void			*arg;
};

static void
us_ctrl_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct us_session *u = arg;

	u->ops->frame(u->arg, frame, len);
}

static void
us_reset_needed(void *arg)
{
	struct us_session *u = arg;

	u->ops->reset_needed(u->arg);
}

static void
us_failed(void *arg, const char *why)
{
	struct us_session *u = arg;

	u->ops->failed(u->arg, why);
}

static const struct dp_call_ops us_dp_ops = {
	.ctrl_frame = us_ctrl_frame,
	.reset_needed = us_reset_needed,
	.failed = us_failed,
};

static int
us_probe(const struct offload_sys *sys, char *why, size_t len)
{
	(void)sys;
	/* Needs only a raw socket, which datapath_new() reports on. */
	if (len > 0)
		why[0] = '\0';
	return 0;
}

static struct offload_session *
us_open(const struct offload_env *env, const struct offload_call *call,
    const struct offload_ops *ops, void *arg, char *err, size_t errlen)
{
	struct dp_call_config cfg;
	struct us_session *u;

	if (env->dp == NULL) {
		snprintf(err, errlen, "userspace engine: no data path "
		    "(datapath_new() was not called)");
		return NULL;
	}
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		snprintf(err, errlen, "userspace engine: %s",
		    strerror(errno));
		return NULL;
	}
	u->ops = ops;
	u->arg = arg;
	u->closer = env->closer;
	u->tun.fd = -1;
	if (call->tag != NULL)
		snprintf(u->tag, sizeof(u->tag), "%s", call->tag);
	if (call->ifname_want != NULL)
		snprintf(u->ifname_want, sizeof(u->ifname_want), "%s",
		    call->ifname_want);
	u->iface_rdomain = call->iface_rdomain;

	memset(&cfg, 0, sizeof(cfg));
	cfg.tag = call->tag;
	cfg.local = call->local;
	cfg.peer = call->peer;
	cfg.gre_own = call->gre_own;
	cfg.gre_fd = call->gre_fd;
	gre_call_config_default(&cfg.gre);
	cfg.gre.tag = call->tag;
	cfg.gre.our_call_id = call->our_call_id;
	cfg.gre.peer_call_id = call->peer_call_id;
	cfg.gre.our_rwin = call->our_rwin;
	cfg.gre.peer_rwin = call->peer_rwin;
	cfg.gre.reorder_slots = call->reorder_pkts;
	cfg.gre.reorder_wait_ms = call->reorder_wait_ms;
	if ((u->call = dp_call_new(env->dp, &cfg, &us_dp_ops, u, err,
	    errlen)) == NULL) {
		free(u);
		return NULL;
	}
	return &u->base;
}

static int
us_send_frame(struct offload_session *s, const uint8_t *frame, size_t len)
{
	struct us_session *u = (struct us_session *)s;

	return dp_call_send_frame(u->call, frame, len);
}

/*
 * The interface, through the parent when pptpcd is split (priv.h): it
 * opens the tun and hands the descriptor over, and sets what needs root.
 */
static int
us_iface(struct us_session *u, const struct offload_attach *a, char *err,
    size_t errlen)
{
	int r;

	if (priv_separated()) {
		if (priv_tun_open(u->tag, &u->tun, u->ifname_want, err,
		    errlen) == -1)
			return -1;
		u->tun_open = 1;
		r = (u->iface_rdomain != 0 && priv_iface_set_rdomain(u->tag,
		    u->tun.name, u->iface_rdomain, err, errlen) == -1) ||
		    priv_iface_set_mtu(u->tag, u->tun.name, a->mtu, err,
		    errlen) == -1 || priv_iface_set_addr(u->tag, u->tun.name,
		    a->local, a->peer, err, errlen) == -1 ||
		    priv_iface_set_up(u->tag, u->tun.name, 1, err, errlen) ==
		    -1;
	} else {
		if (tun_open(&u->tun, u->ifname_want, err, errlen) == -1)
			return -1;
		u->tun_open = 1;
		/* Before the address: a move to another rdomain strips it. */
		r = (u->iface_rdomain != 0 && iface_set_rdomain(u->tun.name,
		    u->iface_rdomain, err, errlen) == -1) ||
		    iface_set_mtu(u->tun.name, a->mtu, err, errlen) == -1 ||
		    iface_set_addr(u->tun.name, a->local, a->peer, err,
		    errlen) == -1 || iface_set_up(u->tun.name, 1, err,
		    errlen) == -1;
	}
	if (r) {
		tun_close(&u->tun);
		u->tun_open = 0;
		return -1;
	}
	return 0;
}

static int
us_attach(struct offload_session *s, struct offload_attach *a, char *err,
    size_t errlen)
{
	struct us_session *u = (struct us_session *)s;
	if (u->tun_open) {
		snprintf(err, errlen, "userspace engine: already attached");
		return -1;
	}
	if (us_iface(u, a, err, errlen) == -1)
		return -1;
	if (dp_call_start_data(u->call, u->tun.fd, a->link, a->mss, err,
	    errlen) == -1) {
		tun_close(&u->tun);
		u->tun_open = 0;
		return -1;
	}
	snprintf(a->ifname, sizeof(a->ifname), "%s", u->tun.name);
	return 0;
}

static void
us_mppe_reset(struct offload_session *s)
{
	struct us_session *u = (struct us_session *)s;

	dp_call_mppe_reset(u->call);
}

static void
us_get_stats(struct offload_session *s, struct offload_stats *st)
{
	struct us_session *u = (struct us_session *)s;
	struct dp_stats ds;

	dp_call_get_stats(u->call, &ds);
	st->tx_packets = ds.tx_packets;
	st->tx_bytes = ds.tx_bytes;
	st->tx_errors = ds.tx_errors;
	st->rx_packets = ds.rx_packets;
	st->rx_bytes = ds.rx_bytes;
	st->rx_errors = ds.rx_errors;
	st->rx_lost = ds.rx_lost;
	st->gre_reordered = ds.gre.rx_reordered;
	st->gre_late = ds.gre.rx_late;
	st->gre_duplicate = ds.gre.rx_duplicate;
	/* Far packets the MPPE probe refuted are out of the window too. */
	st->gre_out_of_window = ds.gre.rx_out_of_window + ds.gre.rx_far_refused;
	st->gre_resyncs = ds.gre.rx_resync;
	st->mppe_resets_received = ds.mppe_tx.resets;
	st->mppe_resets_sent = ds.mppe_reset_requests;
	st->mppe_undecryptable = ds.mppe_rx.undecryptable;
	st->mppe_over_budget = ds.mppe_rx.budget_dropped;
	st->cleartext_dropped = ds.rx_cleartext;
	/* PPP sees no data here either, but the data path is in-process. */
	st->rx_idle_s = -1;
}

static void
us_close(struct offload_session *s, struct offload_stats *final)
{
	struct us_session *u = (struct us_session *)s;

	if (final != NULL)
		us_get_stats(s, final);
	dp_call_stop_data(u->call);
	dp_call_free(u->call);
	/*
	 * The kernel takes ~20 ms to remove the interface (fdcloser.h):
	 * off the event loop, unless the next dial wants its name back.
	 */
	if (u->tun_open && u->ifname_want[0] == '\0') {
		fdcloser_close(u->closer, u->tun.fd);
		u->tun.fd = -1;
	} else if (u->tun_open)
		tun_close(&u->tun);
	free(u);
}

const struct offload_engine offload_userspace = {
	.id = OFFLOAD_ENGINE_USERSPACE,
	.name = "userspace",
	.probe = us_probe,
	/* No prepare: the tunnel's dp_expect() holds early GRE instead. */
	.open = us_open,
	.send_frame = us_send_frame,
	.attach = us_attach,
	.mppe_reset = us_mppe_reset,
	.get_stats = us_get_stats,
	.close = us_close,
};
