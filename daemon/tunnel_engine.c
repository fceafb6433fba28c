/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A tunnel's data-path engine (offload.h): which one carries the call,
 * preparing and opening it, what it reports back (frames for PPP, a
 * needed Reset-Request, a failure), and CCP's keys handed to it.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr_policy.h"
#include "config.h"
#include "datapath.h"
#include "killswitch.h"
#include "log.h"
#include "mss.h"
#include "offload.h"
#include "ppp.h"
#include "pptp_ctrl.h"
#include "resolve.h"
#include "route.h"
#include "script.h"
#include "session_info.h"
#include "timer.h"
#include "tun.h"
#include "tunnel.h"
#include "tunnel_local.h"
#include "tunnel_policy.h"

/* CCP's moments go to the engine: the Linux kernel follows CCP itself. */
int
tunnel_ppp_ccp(void *arg, enum ccp_moment m, const struct ppp_mppe_keys *k,
    char *err, size_t errlen)
{
	struct tunnel *t = arg;
	struct offload_mppe om;
	enum offload_ccp_event ev;
	int rc;

	if (t->os == NULL)
		return 0;
	switch (m) {
	case CCP_MOMENT_OPEN:
		ev = OFFLOAD_CCP_OPEN;
		break;
	case CCP_MOMENT_ACK:
		ev = OFFLOAD_CCP_ACK;
		break;
	case CCP_MOMENT_UP:
		ev = OFFLOAD_CCP_UP;
		break;
	case CCP_MOMENT_DOWN:
		ev = OFFLOAD_CCP_DOWN;
		break;
	case CCP_MOMENT_CLOSED:
		ev = OFFLOAD_CCP_CLOSED;
		break;
	default:
		snprintf(err, errlen, "CCP moment %d unknown", (int)m);
		return -1;
	}
	memset(&om, 0, sizeof(om));
	memcpy(om.send_key, k->send_key, sizeof(om.send_key));
	memcpy(om.recv_key, k->recv_key, sizeof(om.recv_key));
	if (m == CCP_MOMENT_OPEN)
		om.rx_bits = k->bits;
	else if (m == CCP_MOMENT_ACK)
		om.tx_bits = k->bits;
	rc = offload_ccp(t->os, ev, &om, err, errlen);
	explicit_bzero(&om, sizeof(om));
	return rc;
}

void
tunnel_os_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct tunnel *t = arg;

	t->frames_in++;
	if (t->ppp != NULL && !t->ppp_done)
		ppp_input(t->ppp, frame, len);
}

static void
os_reset_needed_cb(void *arg)
{
	struct tunnel *t = arg;

	if (t->ppp != NULL && !t->ppp_done)
		ppp_ccp_reset_request(t->ppp);
}

static void
os_failed_cb(void *arg, const char *why)
{
	struct tunnel *t = arg;
	char msg[TUNNEL_ERR_MAX];

	snprintf(msg, sizeof(msg), "data path failed: %s", why);
	tunnel_end(t, 1, msg);
}

static const struct offload_ops tunnel_offload_ops = {
	.frame = tunnel_os_frame,
	.reset_needed = os_reset_needed_cb,
	.failed = os_failed_cb,
};

/*
 * Picks the engine from this dial's probe and logs the one line that
 * says which carries the session and why the others do not.
 */
int
tunnel_engine_select(struct tunnel *t, char *err, size_t errlen)
{
	char note[OFFLOAD_NOTE_MAX];

	if (t->conf == NULL || offload_select(t->conf->offload, t->why_not,
	    &t->engine, note, sizeof(note), err, errlen) == -1)
		return -1;
	if (note[0] != '\0')
		log_info("%s: engine %s (%s)", t->name,
		    offload_engine_name(t->engine), note);
	else
		log_info("%s: engine %s (offload %s)", t->name,
		    offload_engine_name(t->engine),
		    conf_offload_name(t->conf->offload));
	return 0;
}

static void
engine_env(const struct tunnel *t, struct offload_env *env)
{
	memset(env, 0, sizeof(*env));
	env->evb = t->env.evbase;
	env->tb = t->env.tb;
	env->dp = t->env.dp;
	env->closer = t->env.closer;
}

/* GRE must leave from the address the server sees TCP from. */
void
tunnel_local(const struct tunnel *t, struct in_addr *local)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);

	local->s_addr = INADDR_ANY;
	memset(&sin, 0, sizeof(sin));
	if (getsockname(bufferevent_getfd(t->bev), (struct sockaddr *)&sin,
	    &slen) == 0 && sin.sin_family == AF_INET)
		*local = sin.sin_addr;
}

/*
 * Before the OCRQ (TCP is up: our address is known): lets the engine
 * claim our call ID in the kernel (pptp.ko binds it), so that the ID the
 * OCRQ announces is one the kernel will take.  GRE that comes before
 * call-up is not the kernel's to keep: dp_expect() holds it and
 * ctrl_call_up_cb() hands it to PPP.  A failure is not the dial's:
 * offload_open() meets it again at call-up, where auto falls back.
 */
void
tunnel_engine_prepare(struct tunnel *t)
{
	const struct offload_engine *e;
	struct offload_env env;
	struct offload_call oc;
	const char *nobuild;
	char why[TUNNEL_ERR_MAX];

	if (t->prep != NULL || t->call_id == -1 ||
	    (e = offload_engine(t->engine, &nobuild)) == NULL)
		return;
	engine_env(t, &env);
	memset(&oc, 0, sizeof(oc));
	oc.tag = t->name;
	tunnel_local(t, &oc.local);
	oc.peer = t->server.sin_addr;
	oc.our_call_id = (uint16_t)t->call_id;
	oc.gre_own = t->gre_fd != -1;
	oc.gre_fd = t->gre_fd;
	oc.fwmark = t->conf->fwmark;
	oc.rdomain = t->conf->rdomain;
	oc.iface_rdomain = t->conf->iface_rdomain;
	if (offload_prepare(e, &env, &oc, &t->prep, why, sizeof(why)) == -1)
		log_debug("%s: engine %s: not prepared: %s", t->name,
		    offload_engine_name(t->engine), why);
}

/*
 * Opens the chosen engine for the call.  Under auto an engine that fails
 * here is passed over like one the probe refused, down to userspace;
 * a forced engine that fails fails the session.
 */
int
tunnel_engine_open(struct tunnel *t, struct offload_call *oc, char *err,
    size_t errlen)
{
	const struct offload_engine *e;
	struct offload_env env;
	/* Room in err for "offload userspace: " before it. */
	char why[TUNNEL_ERR_MAX - 32];
	const char *nobuild;

	engine_env(t, &env);
	/* offload_open() takes the preparation over. */
	oc->prep = t->prep;
	t->prep = NULL;
	for (;;) {
		if ((e = offload_engine(t->engine, &nobuild)) == NULL) {
			snprintf(why, sizeof(why), "%s", nobuild != NULL ?
			    nobuild : "not built");
			offload_unprepare(oc->prep);
		} else if ((t->os = offload_open(e, &env, oc,
		    &tunnel_offload_ops, t, why, sizeof(why))) != NULL)
			return 0;
		/* Used or released: the next engine starts afresh. */
		oc->prep = NULL;
		if (t->conf->offload != OFFLOAD_AUTO) {
			snprintf(err, errlen, "offload %s: %s",
			    offload_engine_name(t->engine), why);
			return -1;
		}
		log_warnx("%s: engine %s: %s", t->name,
		    offload_engine_name(t->engine), why);
		snprintf(t->why_bufs[t->engine], OFFLOAD_WHY_MAX, "%s", why);
		t->why_not[t->engine] = t->why_bufs[t->engine];
		if (tunnel_engine_select(t, err, errlen) == -1)
			return -1;
	}
}

enum mppe_policy
tunnel_mppe_policy(enum mppe_mode m)
{
	switch (m) {
	case CONF_MPPE_OPTIONAL:
		return MPPE_OPTIONAL;
	case CONF_MPPE_OFF:
		return MPPE_OFF;
	case CONF_MPPE_REQUIRED:
		break;
	}
	return MPPE_REQUIRED;
}

uint32_t
tunnel_mppe_strengths(unsigned int bits)
{
	uint32_t s = 0;

	if (bits & MPPE_BITS_40)
		s |= MPPE_L;
	if (bits & MPPE_BITS_56)
		s |= MPPE_M;
	if (bits & MPPE_BITS_128)
		s |= MPPE_S;
	return s;
}
