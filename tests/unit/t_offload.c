/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Engine selection (offload_select, offload_probe), dispatch through the
 * ops table, and the userspace engine's adapter over datapath.h.  The
 * per-OS registry, the data path and the interface calls are stubs here,
 * so the choice is tested with every combination of refusals.
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "datapath.h"
#include "gre_call.h"
#include "offload.h"
#include "tun.h"

/* ---- stubs: the per-OS registry ---- */

static int fake_kernel_ok;
static int fake_kernel_silent;
static int fake_calls;
static const struct offload_engine fake_kernel;
static int fake_preps;		/* preparations alive */
static int fake_prep_fail;
static int fake_unprepared;	/* released without being opened */
static int fake_took;		/* taken over by fake_open() */

static int
fake_probe(const struct offload_sys *sys, char *why, size_t len)
{
	(void)sys;
	if (fake_kernel_ok)
		return 0;
	if (!fake_kernel_silent)
		snprintf(why, len, "/dev/ppp is missing: load ppp_generic");
	return -1;
}

struct fake_session {
	struct offload_session	 base;
	int			 frames;
	int			 ccp_events[8];
	int			 nccp;
	int			 resets;
};

static struct offload_session *
fake_open(const struct offload_env *env, const struct offload_call *call,
    const struct offload_ops *ops, void *arg, char *err, size_t errlen)
{
	struct fake_session *f;

	(void)env;
	(void)ops;
	(void)arg;
	/* Takes the preparation over whatever happens, as kl_open() does. */
	if (call->prep != NULL) {
		ATF_CHECK(call->prep->engine == &fake_kernel);
		free(call->prep);
		fake_preps--;
		fake_took++;
	}
	if (call->our_call_id == 0) {
		snprintf(err, errlen, "fake: no call ID");
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	ATF_REQUIRE(f != NULL);
	fake_calls++;
	return &f->base;
}

static int
fake_prepare(const struct offload_env *env, const struct offload_call *call,
    struct offload_prep **out, char *err, size_t errlen)
{
	(void)env;
	if (fake_prep_fail) {
		snprintf(err, errlen, "fake: call ID %u taken",
		    call->our_call_id);
		return -1;
	}
	ATF_REQUIRE((*out = calloc(1, sizeof(**out))) != NULL);
	fake_preps++;
	return 0;
}

static void
fake_unprepare(struct offload_prep *p)
{
	ATF_CHECK(p->engine == &fake_kernel);
	free(p);
	fake_preps--;
	fake_unprepared++;
}

static int
fake_send(struct offload_session *s, const uint8_t *frame, size_t len)
{
	(void)frame;
	((struct fake_session *)s)->frames++;
	return len > 0 ? 0 : -1;
}

static int
fake_ccp(struct offload_session *s, enum offload_ccp_event ev,
    const struct offload_mppe *m, char *err, size_t errlen)
{
	struct fake_session *f = (struct fake_session *)s;

	(void)m;
	(void)err;
	(void)errlen;
	f->ccp_events[f->nccp++] = ev;
	return 0;
}

static int
fake_attach(struct offload_session *s, struct offload_attach *a, char *err,
    size_t errlen)
{
	(void)s;
	(void)err;
	(void)errlen;
	snprintf(a->ifname, sizeof(a->ifname), "ppp7");
	return 0;
}

static void
fake_reset(struct offload_session *s)
{
	((struct fake_session *)s)->resets++;
}

static void
fake_stats(struct offload_session *s, struct offload_stats *st)
{
	st->rx_packets = (uint64_t)((struct fake_session *)s)->frames;
}

static void
fake_close(struct offload_session *s, struct offload_stats *final)
{
	if (final != NULL)
		fake_stats(s, final);
	fake_calls--;
	free(s);
}

static const struct offload_engine fake_kernel = {
	.id = OFFLOAD_ENGINE_KERNEL,
	.name = "kernel",
	.probe = fake_probe,
	.prepare = fake_prepare,
	.unprepare = fake_unprepare,
	.open = fake_open,
	.send_frame = fake_send,
	.ccp = fake_ccp,
	.attach = fake_attach,
	.mppe_reset = fake_reset,
	.get_stats = fake_stats,
	.close = fake_close,
};

const struct offload_engine *
offload_os_engine(enum offload_engine_id id, const char **why)
{
	*why = NULL;
	if (id == OFFLOAD_ENGINE_KERNEL)
		return &fake_kernel;
	*why = "pipex(4) is OpenBSD's, not Linux's";
	return NULL;
}

/* ---- stubs: datapath.h, gre_call.h, tun.h ---- */

static struct dp_call_config dp_cfg;
static char dp_tag[32];
static int dp_live, dp_started, dp_frames, dp_resets, dp_fail_start;
static uint16_t dp_mss;
static int tun_fd_open;
static char tun_want[32];
static char iface_log[256];
static const struct dp_call_ops *dp_ops;
static void *dp_arg;

void
gre_call_config_default(struct gre_call_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->reorder_slots = GRE_REORDER_SLOTS_DEF;
	cfg->reorder_wait_ms = GRE_REORDER_WAIT_DEF;
	cfg->max_frame = GRE_FRAME_DEF;
}

struct dp_call *
dp_call_new(struct datapath *dp, const struct dp_call_config *cfg,
    const struct dp_call_ops *ops, void *arg, char *err, size_t errlen)
{
	(void)dp;
	(void)err;
	(void)errlen;
	dp_cfg = *cfg;
	snprintf(dp_tag, sizeof(dp_tag), "%s", cfg->tag);
	dp_ops = ops;
	dp_arg = arg;
	dp_live++;
	return (struct dp_call *)&dp_cfg;
}

void
dp_call_free(struct dp_call *c)
{
	(void)c;
	dp_live--;
}

int
dp_call_send_frame(struct dp_call *c, const uint8_t *frame, size_t len)
{
	(void)c;
	(void)frame;
	(void)len;
	dp_frames++;
	return 0;
}

int
dp_call_start_data(struct dp_call *c, int tun_fd, const struct ppp_link *l,
    uint16_t mss, char *err, size_t errlen)
{
	(void)c;
	(void)l;
	if (dp_fail_start) {
		snprintf(err, errlen, "tun%d: failed", tun_fd);
		return -1;
	}
	dp_started = 1;
	dp_mss = mss;
	return 0;
}

void
dp_call_stop_data(struct dp_call *c)
{
	(void)c;
	dp_started = 0;
}

void
dp_call_mppe_reset(struct dp_call *c)
{
	(void)c;
	dp_resets++;
}

void
dp_call_get_stats(const struct dp_call *c, struct dp_stats *st)
{
	(void)c;
	memset(st, 0, sizeof(*st));
	st->tx_packets = 11;
	st->rx_packets = 22;
	st->rx_lost = 3;
}

int
tun_open(struct tun *t, const char *want, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	snprintf(tun_want, sizeof(tun_want), "%s", want != NULL ? want : "");
	t->fd = 42;
	snprintf(t->name, sizeof(t->name), "%s",
	    want != NULL && *want != '\0' ? want : "tun0");
	tun_fd_open = 1;
	return 0;
}

void
tun_close(struct tun *t)
{
	t->fd = -1;
	tun_fd_open = 0;
}

int
iface_set_addr(const char *ifname, struct in_addr local, struct in_addr peer,
    char *err, size_t errlen)
{
	char a[16], b[16];
	size_t n = strlen(iface_log);

	(void)err;
	(void)errlen;
	inet_ntop(AF_INET, &local, a, sizeof(a));
	inet_ntop(AF_INET, &peer, b, sizeof(b));
	snprintf(iface_log + n, sizeof(iface_log) - n, "addr %s %s %s;",
	    ifname, a, b);
	return 0;
}

int
iface_set_mtu(const char *ifname, unsigned int mtu, char *err, size_t errlen)
{
	size_t n = strlen(iface_log);

	(void)err;
	(void)errlen;
	snprintf(iface_log + n, sizeof(iface_log) - n, "mtu %s %u;", ifname,
	    mtu);
	return 0;
}

int
iface_set_up(const char *ifname, int up, char *err, size_t errlen)
{
	size_t n = strlen(iface_log);

	(void)err;
	(void)errlen;
	snprintf(iface_log + n, sizeof(iface_log) - n, "up %s %d;", ifname,
	    up);
	return 0;
}

int
iface_set_rdomain(const char *ifname, unsigned int rdomain, char *err,
    size_t errlen)
{
	size_t n = strlen(iface_log);

	(void)err;
	(void)errlen;
	snprintf(iface_log + n, sizeof(iface_log) - n, "rdomain %s %u;",
	    ifname, rdomain);
	return 0;
}

/* ---- selection ---- */

static const char *const all_ok[OFFLOAD_ENGINE_COUNT] = { NULL, NULL, NULL };
static const char *const no_pipex[OFFLOAD_ENGINE_COUNT] = {
	"not OpenBSD", NULL, NULL
};
static const char *const only_user[OFFLOAD_ENGINE_COUNT] = {
	"not OpenBSD", "load ppp_generic", NULL
};
static const char *const none[OFFLOAD_ENGINE_COUNT] = {
	"not OpenBSD", "load ppp_generic", "no raw socket"
};

ATF_TC_WITHOUT_HEAD(auto_order);
ATF_TC_BODY(auto_order, tc)
{
	enum offload_engine_id e;
	char note[OFFLOAD_NOTE_MAX], err[256];

	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, all_ok, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_PIPEX);
	ATF_CHECK_STREQ(note, "");

	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, no_pipex, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_KERNEL);
	ATF_CHECK_STREQ(note, "pipex: not OpenBSD");

	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, only_user, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_USERSPACE);
	ATF_CHECK_STREQ(note, "pipex: not OpenBSD; kernel: load ppp_generic");
}

ATF_TC_WITHOUT_HEAD(auto_nothing_usable);
ATF_TC_BODY(auto_nothing_usable, tc)
{
	enum offload_engine_id e = OFFLOAD_ENGINE_COUNT;
	char note[OFFLOAD_NOTE_MAX], err[512];

	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, none, &e, note,
	    sizeof(note), err, sizeof(err)), -1);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_COUNT);
	ATF_CHECK(strstr(err, "offload auto") != NULL);
	ATF_CHECK(strstr(err, "kernel: load ppp_generic") != NULL);
	ATF_CHECK(strstr(err, "userspace: no raw socket") != NULL);
}

ATF_TC_WITHOUT_HEAD(forced_unavailable);
ATF_TC_BODY(forced_unavailable, tc)
{
	enum offload_engine_id e = OFFLOAD_ENGINE_COUNT;
	char note[OFFLOAD_NOTE_MAX], err[256];

	ATF_REQUIRE_EQ(offload_select(OFFLOAD_PIPEX, only_user, &e, note,
	    sizeof(note), err, sizeof(err)), -1);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_COUNT);	/* untouched: no fallback */
	ATF_CHECK_STREQ(err, "offload pipex: the pipex engine cannot be "
	    "used: not OpenBSD (fix that, or use offload auto)");

	ATF_REQUIRE_EQ(offload_select(OFFLOAD_KERNEL, only_user, &e, note,
	    sizeof(note), err, sizeof(err)), -1);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_COUNT);
	ATF_CHECK(strstr(err, "offload kernel: the kernel engine cannot be "
	    "used: load ppp_generic") != NULL);

	ATF_REQUIRE_EQ(offload_select(OFFLOAD_USERSPACE, none, &e, note,
	    sizeof(note), err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "no raw socket") != NULL);
}

ATF_TC_WITHOUT_HEAD(forced_available);
ATF_TC_BODY(forced_available, tc)
{
	enum offload_engine_id e;
	char note[OFFLOAD_NOTE_MAX], err[256];

	ATF_REQUIRE_EQ(offload_select(OFFLOAD_KERNEL, no_pipex, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_KERNEL);
	ATF_CHECK_STREQ(note, "");	/* nothing was passed over */
	ATF_REQUIRE_EQ(offload_select(OFFLOAD_PIPEX, all_ok, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_PIPEX);
	ATF_REQUIRE_EQ(offload_select(OFFLOAD_USERSPACE, only_user, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_USERSPACE);
}

ATF_TC_WITHOUT_HEAD(unknown_mode);
ATF_TC_BODY(unknown_mode, tc)
{
	enum offload_engine_id e;
	char note[OFFLOAD_NOTE_MAX], err[256];

	ATF_REQUIRE_EQ(offload_select(17, all_ok, &e, note, sizeof(note),
	    err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "offload mode 17 is unknown");
}

ATF_TC_WITHOUT_HEAD(note_truncates);
ATF_TC_BODY(note_truncates, tc)
{
	enum offload_engine_id e;
	char note[12], err[256];

	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, only_user, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_USERSPACE);
	ATF_CHECK_EQ(strlen(note), sizeof(note) - 1);
	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, only_user, &e, NULL, 0,
	    err, sizeof(err)), 0);
}

ATF_TC_WITHOUT_HEAD(probe_then_select);
ATF_TC_BODY(probe_then_select, tc)
{
	const char *why[OFFLOAD_ENGINE_COUNT];
	char bufs[OFFLOAD_ENGINE_COUNT][OFFLOAD_WHY_MAX];
	char note[OFFLOAD_NOTE_MAX], err[256];
	enum offload_engine_id e;

	fake_kernel_ok = 0;
	fake_kernel_silent = 0;
	offload_probe(NULL, why, bufs);
	ATF_CHECK_STREQ(why[OFFLOAD_ENGINE_PIPEX],
	    "pipex(4) is OpenBSD's, not Linux's");
	ATF_CHECK_STREQ(why[OFFLOAD_ENGINE_KERNEL],
	    "/dev/ppp is missing: load ppp_generic");
	ATF_CHECK(why[OFFLOAD_ENGINE_USERSPACE] == NULL);
	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, why, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_USERSPACE);
	ATF_CHECK_STREQ(note, "pipex: pipex(4) is OpenBSD's, not Linux's; "
	    "kernel: /dev/ppp is missing: load ppp_generic");

	fake_kernel_ok = 1;
	offload_probe(NULL, why, bufs);
	ATF_CHECK(why[OFFLOAD_ENGINE_KERNEL] == NULL);
	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, why, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_KERNEL);

	/* An engine that refuses without a word still gets one. */
	fake_kernel_ok = 0;
	fake_kernel_silent = 1;
	offload_probe(NULL, why, bufs);
	ATF_CHECK_STREQ(why[OFFLOAD_ENGINE_KERNEL],
	    "not usable (no reason given)");
	fake_kernel_silent = 0;
}

/* A failed open under auto: the tunnel marks it and selects again. */
ATF_TC_WITHOUT_HEAD(open_failure_falls_through);
ATF_TC_BODY(open_failure_falls_through, tc)
{
	const char *why[OFFLOAD_ENGINE_COUNT] = { "not OpenBSD", NULL, NULL };
	struct offload_call call;
	struct offload_env env;
	struct offload_ops ops;
	const struct offload_engine *eng;
	enum offload_engine_id e;
	char note[OFFLOAD_NOTE_MAX], err[256];
	const char *w;

	memset(&call, 0, sizeof(call));
	memset(&env, 0, sizeof(env));
	memset(&ops, 0, sizeof(ops));
	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, why, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_REQUIRE_EQ(e, OFFLOAD_ENGINE_KERNEL);
	ATF_REQUIRE((eng = offload_engine(e, &w)) != NULL);
	ATF_REQUIRE(offload_open(eng, &env, &call, &ops, NULL, err,
	    sizeof(err)) == NULL);
	ATF_CHECK_STREQ(err, "fake: no call ID");
	why[e] = err;
	ATF_REQUIRE_EQ(offload_select(OFFLOAD_AUTO, why, &e, note,
	    sizeof(note), err + 0, 0), 0);
	ATF_CHECK_EQ(e, OFFLOAD_ENGINE_USERSPACE);
	ATF_CHECK_STREQ(note, "pipex: not OpenBSD; kernel: fake: no call ID");
}

ATF_TC_WITHOUT_HEAD(names_and_registry);
ATF_TC_BODY(names_and_registry, tc)
{
	const char *why;

	ATF_CHECK_STREQ(offload_engine_name(OFFLOAD_ENGINE_PIPEX), "pipex");
	ATF_CHECK_STREQ(offload_engine_name(OFFLOAD_ENGINE_KERNEL), "kernel");
	ATF_CHECK_STREQ(offload_engine_name(OFFLOAD_ENGINE_USERSPACE),
	    "userspace");
	ATF_CHECK_STREQ(offload_engine_name(OFFLOAD_ENGINE_COUNT), "unknown");
	ATF_CHECK(offload_engine(OFFLOAD_ENGINE_USERSPACE, &why) ==
	    &offload_userspace);
	ATF_CHECK(offload_engine(OFFLOAD_ENGINE_PIPEX, &why) == NULL);
	ATF_CHECK(why != NULL);
	ATF_CHECK(offload_engine(OFFLOAD_ENGINE_COUNT, &why) == NULL);
	ATF_CHECK_STREQ(why, "no such engine");
	ATF_CHECK_EQ(offload_userspace.probe(NULL, (char[8]){ 0 }, 8), 0);
}

/* ---- dispatch ---- */

ATF_TC_WITHOUT_HEAD(dispatch);
ATF_TC_BODY(dispatch, tc)
{
	struct offload_call call;
	struct offload_env env;
	struct offload_ops ops;
	struct offload_attach at;
	struct offload_stats st;
	struct offload_session *s;
	struct fake_session *f;
	uint8_t frame[4] = { 0xc0, 0x21, 1, 2 };
	char err[128];

	memset(&call, 0, sizeof(call));
	memset(&env, 0, sizeof(env));
	memset(&ops, 0, sizeof(ops));
	memset(&at, 0, sizeof(at));
	call.our_call_id = 7;
	ATF_REQUIRE((s = offload_open(&fake_kernel, &env, &call, &ops, NULL,
	    err, sizeof(err))) != NULL);
	ATF_CHECK(offload_session_engine(s) == &fake_kernel);
	f = (struct fake_session *)s;
	ATF_CHECK_EQ(offload_send_frame(s, frame, sizeof(frame)), 0);
	ATF_CHECK_EQ(offload_send_frame(s, frame, 0), -1);
	ATF_CHECK_EQ(offload_ccp(s, OFFLOAD_CCP_OPEN, NULL, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(offload_ccp(s, OFFLOAD_CCP_UP, NULL, err, sizeof(err)),
	    0);
	ATF_CHECK_EQ(f->nccp, 2);
	ATF_CHECK_EQ(f->ccp_events[1], OFFLOAD_CCP_UP);
	snprintf(at.ifname, sizeof(at.ifname), "stale");
	ATF_CHECK_EQ(offload_attach(s, &at, err, sizeof(err)), 0);
	ATF_CHECK_STREQ(at.ifname, "ppp7");
	offload_mppe_reset(s);
	ATF_CHECK_EQ(f->resets, 1);
	st.rx_idle_s = 99;
	offload_get_stats(s, &st);
	ATF_CHECK_EQ(st.rx_packets, 2);
	ATF_CHECK_EQ(st.rx_idle_s, -1);	/* reset before the engine */
	offload_close(s, &st);
	ATF_CHECK_EQ(st.rx_packets, 2);
	ATF_CHECK_EQ(fake_calls, 0);
	offload_close(NULL, &st);
	ATF_CHECK_EQ(st.rx_packets, 0);
	offload_close(NULL, NULL);
}

/*
 * Phase 0: an engine without prepare needs nothing; a preparation goes to
 * the open of its own engine, and is released by another engine's open,
 * by a failing open, and by offload_unprepare().
 */
ATF_TC_WITHOUT_HEAD(prepare_dispatch);
ATF_TC_BODY(prepare_dispatch, tc)
{
	struct offload_call call;
	struct offload_env env;
	struct offload_ops ops;
	struct offload_prep *p;
	struct offload_session *s;
	char err[128];

	memset(&call, 0, sizeof(call));
	memset(&env, 0, sizeof(env));
	memset(&ops, 0, sizeof(ops));
	call.our_call_id = 7;
	fake_preps = fake_unprepared = fake_took = fake_prep_fail = 0;

	p = (struct offload_prep *)&call;	/* must be overwritten */
	ATF_CHECK_EQ(offload_prepare(&offload_userspace, &env, &call, &p,
	    err, sizeof(err)), 0);
	ATF_CHECK(p == NULL);

	fake_prep_fail = 1;
	p = (struct offload_prep *)&call;
	ATF_CHECK_EQ(offload_prepare(&fake_kernel, &env, &call, &p, err,
	    sizeof(err)), -1);
	ATF_CHECK(p == NULL);
	ATF_CHECK_STREQ(err, "fake: call ID 7 taken");
	fake_prep_fail = 0;

	/* Its own engine takes it over. */
	ATF_REQUIRE_EQ(offload_prepare(&fake_kernel, &env, &call, &p, err,
	    sizeof(err)), 0);
	ATF_REQUIRE(p != NULL);
	ATF_CHECK(p->engine == &fake_kernel);
	ATF_CHECK_EQ(fake_preps, 1);
	call.prep = p;
	ATF_REQUIRE((s = offload_open(&fake_kernel, &env, &call, &ops, NULL,
	    err, sizeof(err))) != NULL);
	ATF_CHECK_EQ(fake_took, 1);
	ATF_CHECK_EQ(fake_preps, 0);
	offload_close(s, NULL);

	/* A failing open of its engine still takes it. */
	ATF_REQUIRE_EQ(offload_prepare(&fake_kernel, &env, &call, &p, err,
	    sizeof(err)), 0);
	call.prep = p;
	call.our_call_id = 0;
	ATF_CHECK(offload_open(&fake_kernel, &env, &call, &ops, NULL, err,
	    sizeof(err)) == NULL);
	ATF_CHECK_EQ(fake_took, 2);
	ATF_CHECK_EQ(fake_preps, 0);
	call.our_call_id = 7;

	/* auto fell back to userspace: the kernel's socket is released. */
	ATF_REQUIRE_EQ(offload_prepare(&fake_kernel, &env, &call, &p, err,
	    sizeof(err)), 0);
	call.prep = p;
	ATF_CHECK(offload_open(&offload_userspace, &env, &call, &ops, NULL,
	    err, sizeof(err)) == NULL);	/* no datapath here */
	ATF_CHECK_EQ(fake_unprepared, 1);
	ATF_CHECK_EQ(fake_preps, 0);
	ATF_CHECK(call.prep == p);	/* the caller's copy is untouched */

	/* A dial that ends before call-up. */
	ATF_REQUIRE_EQ(offload_prepare(&fake_kernel, &env, &call, &p, err,
	    sizeof(err)), 0);
	offload_unprepare(p);
	offload_unprepare(NULL);
	ATF_CHECK_EQ(fake_unprepared, 2);
	ATF_CHECK_EQ(fake_preps, 0);
	ATF_CHECK_EQ(fake_calls, 0);
}

/* ---- the userspace engine over datapath.h ---- */

static int us_frames, us_resets, us_failed;

static void
us_frame_cb(void *arg, const uint8_t *frame, size_t len)
{
	(void)arg;
	(void)frame;
	(void)len;
	us_frames++;
}

static void
us_reset_cb(void *arg)
{
	(void)arg;
	us_resets++;
}

static void
us_failed_cb(void *arg, const char *why)
{
	(void)arg;
	(void)why;
	us_failed++;
}

static const struct offload_ops us_ops = {
	.frame = us_frame_cb,
	.reset_needed = us_reset_cb,
	.failed = us_failed_cb,
};

ATF_TC_WITHOUT_HEAD(userspace_needs_datapath);
ATF_TC_BODY(userspace_needs_datapath, tc)
{
	struct offload_call call;
	struct offload_env env;
	char err[128];

	memset(&call, 0, sizeof(call));
	memset(&env, 0, sizeof(env));
	ATF_CHECK(offload_open(&offload_userspace, &env, &call, &us_ops,
	    NULL, err, sizeof(err)) == NULL);
	ATF_CHECK(strstr(err, "no data path") != NULL);
}

ATF_TC_WITHOUT_HEAD(userspace_session);
ATF_TC_BODY(userspace_session, tc)
{
	struct offload_call call;
	struct offload_env env;
	struct offload_attach at;
	struct offload_stats st;
	struct offload_session *s;
	uint8_t frame[4] = { 0xff, 0x03, 0xc0, 0x21 };
	char err[128];

	memset(&call, 0, sizeof(call));
	memset(&env, 0, sizeof(env));
	memset(&at, 0, sizeof(at));
	env.dp = (struct datapath *)&call;	/* opaque to the adapter */
	call.tag = "office";
	call.local.s_addr = htonl(0xc0000201);
	call.peer.s_addr = htonl(0xc6336402);
	call.our_call_id = 0x1234;
	call.peer_call_id = 0x4321;
	call.our_rwin = 64;
	call.peer_rwin = 16;
	call.reorder_pkts = 8;
	call.reorder_wait_ms = 30;
	call.ifname_want = "tun5";
	ATF_REQUIRE((s = offload_open(&offload_userspace, &env, &call,
	    &us_ops, NULL, err, sizeof(err))) != NULL);
	ATF_CHECK_EQ(dp_live, 1);
	ATF_CHECK_STREQ(dp_tag, "office");
	ATF_CHECK_EQ(dp_cfg.local.s_addr, call.local.s_addr);
	ATF_CHECK_EQ(dp_cfg.peer.s_addr, call.peer.s_addr);
	ATF_CHECK_EQ(dp_cfg.gre.our_call_id, 0x1234);
	ATF_CHECK_EQ(dp_cfg.gre.peer_call_id, 0x4321);
	ATF_CHECK_EQ(dp_cfg.gre.our_rwin, 64);
	ATF_CHECK_EQ(dp_cfg.gre.peer_rwin, 16);
	ATF_CHECK_EQ(dp_cfg.gre.reorder_slots, 8);
	ATF_CHECK_EQ(dp_cfg.gre.reorder_wait_ms, 30);
	ATF_CHECK_EQ(dp_cfg.gre.max_frame, GRE_FRAME_DEF);

	ATF_CHECK_EQ(offload_send_frame(s, frame, sizeof(frame)), 0);
	ATF_CHECK_EQ(dp_frames, 1);
	ATF_CHECK_EQ(offload_ccp(s, OFFLOAD_CCP_OPEN, NULL, err,
	    sizeof(err)), 0);

	/* The data path's callbacks reach the tunnel's. */
	dp_ops->ctrl_frame(dp_arg, frame, sizeof(frame));
	dp_ops->reset_needed(dp_arg);
	dp_ops->failed(dp_arg, "tun gone");
	ATF_CHECK_EQ(us_frames, 1);
	ATF_CHECK_EQ(us_resets, 1);
	ATF_CHECK_EQ(us_failed, 1);

	/* A failing start closes the tun again. */
	at.mtu = 1396;
	at.local.s_addr = htonl(0x0a000002);
	at.peer.s_addr = htonl(0x0a000001);
	dp_fail_start = 1;
	ATF_CHECK_EQ(offload_attach(s, &at, err, sizeof(err)), -1);
	ATF_CHECK_EQ(tun_fd_open, 0);
	dp_fail_start = 0;
	iface_log[0] = '\0';
	at.mss = 1356;
	ATF_REQUIRE_EQ(offload_attach(s, &at, err, sizeof(err)), 0);
	ATF_CHECK_STREQ(tun_want, "tun5");
	ATF_CHECK_STREQ(at.ifname, "tun5");
	ATF_CHECK_STREQ(iface_log, "mtu tun5 1396;addr tun5 10.0.0.2 "
	    "10.0.0.1;up tun5 1;");
	ATF_CHECK_EQ(dp_started, 1);
	ATF_CHECK_EQ(dp_mss, 1356);
	ATF_CHECK_EQ(offload_attach(s, &at, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "already attached") != NULL);

	offload_mppe_reset(s);
	ATF_CHECK_EQ(dp_resets, 1);
	offload_get_stats(s, &st);
	ATF_CHECK_EQ(st.tx_packets, 11);
	ATF_CHECK_EQ(st.rx_packets, 22);
	ATF_CHECK_EQ(st.rx_lost, 3);
	offload_close(s, &st);
	ATF_CHECK_EQ(st.rx_packets, 22);
	ATF_CHECK_EQ(dp_live, 0);
	ATF_CHECK_EQ(dp_started, 0);
	ATF_CHECK_EQ(tun_fd_open, 0);
}

/*
 * Several WANs: the tunnel's own GRE socket reaches the data path, and
 * interface-rdomain moves the tun before its address is set (OpenBSD
 * strips addresses on the move).
 */
ATF_TC_WITHOUT_HEAD(userspace_wan);
ATF_TC_BODY(userspace_wan, tc)
{
	struct offload_call call;
	struct offload_env env;
	struct offload_attach at;
	struct offload_session *s;
	char err[128];

	memset(&call, 0, sizeof(call));
	memset(&env, 0, sizeof(env));
	memset(&at, 0, sizeof(at));
	env.dp = (struct datapath *)&call;
	call.tag = "wan1";
	call.local.s_addr = htonl(0xc0000201);
	call.peer.s_addr = htonl(0xc6336402);
	call.ifname_want = "tun7";
	call.gre_own = 1;
	call.gre_fd = 42;
	call.iface_rdomain = 3;
	ATF_REQUIRE((s = offload_open(&offload_userspace, &env, &call,
	    &us_ops, NULL, err, sizeof(err))) != NULL);
	ATF_CHECK_EQ(dp_cfg.gre_own, 1);
	ATF_CHECK_EQ(dp_cfg.gre_fd, 42);
	iface_log[0] = '\0';
	at.mtu = 1396;
	at.local.s_addr = htonl(0x0a000002);
	at.peer.s_addr = htonl(0x0a000001);
	ATF_REQUIRE_EQ(offload_attach(s, &at, err, sizeof(err)), 0);
	ATF_CHECK_STREQ(iface_log, "rdomain tun7 3;mtu tun7 1396;addr tun7 "
	    "10.0.0.2 10.0.0.1;up tun7 1;");
	offload_close(s, NULL);

	/* Without: the shared socket, no rdomain. */
	call.gre_own = 0;
	call.gre_fd = 0;
	call.iface_rdomain = 0;
	ATF_REQUIRE((s = offload_open(&offload_userspace, &env, &call,
	    &us_ops, NULL, err, sizeof(err))) != NULL);
	ATF_CHECK_EQ(dp_cfg.gre_own, 0);
	iface_log[0] = '\0';
	ATF_REQUIRE_EQ(offload_attach(s, &at, err, sizeof(err)), 0);
	ATF_CHECK(strstr(iface_log, "rdomain") == NULL);
	offload_close(s, NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, userspace_wan);
	ATF_TP_ADD_TC(tp, auto_order);
	ATF_TP_ADD_TC(tp, auto_nothing_usable);
	ATF_TP_ADD_TC(tp, forced_unavailable);
	ATF_TP_ADD_TC(tp, forced_available);
	ATF_TP_ADD_TC(tp, unknown_mode);
	ATF_TP_ADD_TC(tp, note_truncates);
	ATF_TP_ADD_TC(tp, probe_then_select);
	ATF_TP_ADD_TC(tp, open_failure_falls_through);
	ATF_TP_ADD_TC(tp, names_and_registry);
	ATF_TP_ADD_TC(tp, dispatch);
	ATF_TP_ADD_TC(tp, prepare_dispatch);
	ATF_TP_ADD_TC(tp, userspace_needs_datapath);
	ATF_TP_ADD_TC(tp, userspace_session);
	return atf_no_error();
}
