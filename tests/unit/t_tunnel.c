/*
 * The tunnel lifecycle's pure decisions (daemon/tunnel_policy.c): the
 * redial schedule and its jitter bounds, the interface MTU, the engine
 * choice and its messages, the state names and what pptpctl is shown.
 * The lifecycle itself needs sockets, a tun device and a server: the
 * end-to-end tests drive it against the test peer.
 */
#include <atf-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datapath.h"
#include "session_info.h"
#include "tunnel_policy.h"

/* Checks one wait against the step it was drawn around and the bounds. */
static void
check_wait(const struct backoff *b, unsigned int step, unsigned int w)
{
	unsigned int lo = step - step / 4, hi = step + step / 4;

	if (lo < b->first_ms)
		lo = b->first_ms;
	if (hi > b->max_ms)
		hi = b->max_ms;
	ATF_CHECK_MSG(w >= lo && w <= hi, "wait %u outside [%u, %u] for step "
	    "%u", w, lo, hi, step);
	ATF_CHECK(w >= b->first_ms && w <= b->max_ms);
}

ATF_TC_WITHOUT_HEAD(backoff_first);
ATF_TC_BODY(backoff_first, tc)
{
	struct backoff b;

	backoff_init(&b, 5, 300);
	ATF_CHECK_EQ(b.first_ms, 5000);
	ATF_CHECK_EQ(b.max_ms, 300000);
	/* The lowest draw is held at the configured first delay. */
	ATF_CHECK_EQ(backoff_next(&b, 0, 0), 5000);
	backoff_reset(&b);
	/* The highest draw is a quarter above the step. */
	ATF_CHECK_EQ(backoff_next(&b, 0, UINT32_MAX), 6250);
	ATF_CHECK_EQ(b.failures, 1);
}

ATF_TC_WITHOUT_HEAD(backoff_doubles_to_max);
ATF_TC_BODY(backoff_doubles_to_max, tc)
{
	static const unsigned int steps[] = { 5000, 10000, 20000, 40000,
	    80000, 160000, 300000, 300000, 300000 };
	struct backoff b;
	unsigned int i, w;

	backoff_init(&b, 5, 300);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		ATF_CHECK_EQ_MSG(b.step_ms, steps[i], "step %u: %u", i,
		    b.step_ms);
		w = backoff_next(&b, 0, 0x80000000u);
		check_wait(&b, steps[i], w);
	}
	ATF_CHECK_EQ(b.failures, 9);
	/* Never above the maximum, whatever the draw. */
	ATF_CHECK_EQ(backoff_next(&b, 0, UINT32_MAX), 300000);
}

ATF_TC_WITHOUT_HEAD(backoff_jitter_bounds);
ATF_TC_BODY(backoff_jitter_bounds, tc)
{
	struct backoff b;
	unsigned int i, step, w, lo = UINT32_MAX, hi = 0;

	/* Many draws around one step cover the band and stay inside it. */
	backoff_init(&b, 8, 3600);
	for (i = 0; i < 20000; i++) {
		backoff_reset(&b);
		backoff_next(&b, 0, 0);		/* step 16 s */
		step = b.step_ms;
		w = backoff_next(&b, 0, arc4random());
		check_wait(&b, step, w);
		lo = w < lo ? w : lo;
		hi = w > hi ? w : hi;
	}
	ATF_CHECK_MSG(lo < 12500 && hi > 19500, "draws spread only over "
	    "[%u, %u]", lo, hi);

	/* Equal bounds: no jitter can leave them. */
	backoff_init(&b, 30, 30);
	for (i = 0; i < 100; i++)
		ATF_CHECK_EQ(backoff_next(&b, 0, arc4random()), 30000);
}

ATF_TC_WITHOUT_HEAD(backoff_reset_after_stable);
ATF_TC_BODY(backoff_reset_after_stable, tc)
{
	struct backoff b;

	backoff_init(&b, 2, 60);
	backoff_next(&b, 0, 0);
	backoff_next(&b, 0, 0);
	backoff_next(&b, 0, 0);
	ATF_CHECK_EQ(b.step_ms, 16000);
	backoff_reset(&b);
	ATF_CHECK_EQ(b.step_ms, 2000);
	ATF_CHECK_EQ(b.failures, 0);
	ATF_CHECK_EQ(backoff_next(&b, 0, 0), 2000);
}

ATF_TC_WITHOUT_HEAD(backoff_auth_failure);
ATF_TC_BODY(backoff_auth_failure, tc)
{
	struct backoff b;
	unsigned int w;

	/* A bad password is not retried every five seconds. */
	backoff_init(&b, 5, 300);
	w = backoff_next(&b, 1, 0x80000000u);
	check_wait(&b, AUTH_BACKOFF_MIN_MS, w);
	ATF_CHECK(w >= AUTH_BACKOFF_MIN_MS * 3 / 4);
	ATF_CHECK_EQ(b.step_ms, 2 * AUTH_BACKOFF_MIN_MS);
	/* Later steps go on doubling from there. */
	w = backoff_next(&b, 1, 0x80000000u);
	check_wait(&b, 2 * AUTH_BACKOFF_MIN_MS, w);

	/* The configured maximum still wins. */
	backoff_init(&b, 1, 10);
	ATF_CHECK_EQ(backoff_next(&b, 1, UINT32_MAX), 10000);
	ATF_CHECK(backoff_next(&b, 1, 0) <= 10000);
}

ATF_TC_WITHOUT_HEAD(backoff_bad_bounds);
ATF_TC_BODY(backoff_bad_bounds, tc)
{
	struct backoff b;

	/* parse.y forbids these; the schedule must still not spin. */
	backoff_init(&b, 0, 0);
	ATF_CHECK_EQ(b.first_ms, 1000);
	ATF_CHECK_EQ(b.max_ms, 1000);
	ATF_CHECK_EQ(backoff_next(&b, 0, 0), 1000);
	backoff_init(&b, 20, 10);
	ATF_CHECK_EQ(b.max_ms, 20000);
	ATF_CHECK_EQ(backoff_next(&b, 0, UINT32_MAX), 20000);
}

ATF_TC_WITHOUT_HEAD(mtu_derived);
ATF_TC_BODY(mtu_derived, tc)
{
	int big;

	/* The peer's MRU less MPPE's header and inner protocol. */
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 1400, 1, &big), 1396);
	ATF_CHECK_EQ(big, 0);
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 1400, 0, &big), 1400);
	/* Capped by our MRU: packets come back the same size. */
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 1500, 1, &big), 1396);
	ATF_CHECK_EQ(tunnel_mtu(0, 1500, 1450, 1, &big), 1446);
	/* An MRU not negotiated is RFC 1661's 1500. */
	ATF_CHECK_EQ(tunnel_mtu(0, 0, 0, 1, &big), 1496);
	ATF_CHECK_EQ(tunnel_mtu(0, 1500, 0, 0, &big), 1500);
	/* Never below what IPv4 needs of every link. */
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 70, 1, &big), 68);
	ATF_CHECK_EQ(tunnel_mtu(0, 1400, 128, 1, &big), 124);
}

ATF_TC_WITHOUT_HEAD(mtu_configured);
ATF_TC_BODY(mtu_configured, tc)
{
	int big;

	ATF_CHECK_EQ(tunnel_mtu(1300, 1400, 1400, 1, &big), 1300);
	ATF_CHECK_EQ(big, 0);
	ATF_CHECK_EQ(tunnel_mtu(1396, 1400, 1400, 1, &big), 1396);
	ATF_CHECK_EQ(big, 0);
	/* Honoured, but flagged for a warning. */
	ATF_CHECK_EQ(tunnel_mtu(1500, 1400, 1400, 1, &big), 1500);
	ATF_CHECK_EQ(big, 1);
}

ATF_TC_WITHOUT_HEAD(engine_auto);
ATF_TC_BODY(engine_auto, tc)
{
	struct engine_avail a;
	enum engine e;
	char note[128], err[128];

	a.pipex = "not OpenBSD";
	a.kernel = "not available yet";
	ATF_REQUIRE_EQ(engine_choose(OFFLOAD_AUTO, &a, &e, note, sizeof(note),
	    err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, ENGINE_USERSPACE);
	ATF_CHECK_STREQ(note, "pipex: not OpenBSD; kernel: not available yet");
	ATF_CHECK_STREQ(engine_name(e), "userspace");

	/* The first usable one wins, and only those before it are noted. */
	a.kernel = NULL;
	ATF_REQUIRE_EQ(engine_choose(OFFLOAD_AUTO, &a, &e, note, sizeof(note),
	    err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, ENGINE_KERNEL);
	ATF_CHECK_STREQ(note, "pipex: not OpenBSD");
	a.pipex = NULL;
	ATF_REQUIRE_EQ(engine_choose(OFFLOAD_AUTO, &a, &e, note, sizeof(note),
	    err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, ENGINE_PIPEX);
	ATF_CHECK_STREQ(note, "");

	/* A short note buffer is cut, never overrun. */
	a.pipex = "not OpenBSD";
	a.kernel = "not available yet";
	ATF_REQUIRE_EQ(engine_choose(OFFLOAD_AUTO, &a, &e, note, 8, err,
	    sizeof(err)), 0);
	ATF_CHECK_STREQ(note, "pipex: ");
}

ATF_TC_WITHOUT_HEAD(engine_forced);
ATF_TC_BODY(engine_forced, tc)
{
	struct engine_avail a;
	enum engine e = ENGINE_NONE;
	char note[128], err[160];

	a.pipex = "not OpenBSD";
	a.kernel = "not available yet";
	/* Never a silent fallback. */
	ATF_CHECK_EQ(engine_choose(OFFLOAD_KERNEL, &a, &e, note, sizeof(note),
	    err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "offload kernel") != NULL);
	ATF_CHECK(strstr(err, "not available yet") != NULL);
	ATF_CHECK_EQ(e, ENGINE_NONE);
	ATF_CHECK_EQ(engine_choose(OFFLOAD_PIPEX, &a, &e, note, sizeof(note),
	    err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "offload pipex") != NULL);
	ATF_CHECK(strstr(err, "not OpenBSD") != NULL);
	ATF_CHECK_EQ(e, ENGINE_NONE);

	ATF_CHECK_EQ(engine_choose(OFFLOAD_USERSPACE, &a, &e, note,
	    sizeof(note), err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, ENGINE_USERSPACE);
	ATF_CHECK_STREQ(note, "");

	a.kernel = NULL;
	ATF_CHECK_EQ(engine_choose(OFFLOAD_KERNEL, &a, &e, note, sizeof(note),
	    err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, ENGINE_KERNEL);

	ATF_CHECK_EQ(engine_choose((enum offload_mode)42, &a, &e, note,
	    sizeof(note), err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "unknown") != NULL);
}

ATF_TC_WITHOUT_HEAD(engine_probe_here);
ATF_TC_BODY(engine_probe_here, tc)
{
	struct engine_avail a;
	enum engine e;
	char note[128], err[128];

	/* This issue ships no kernel engine: auto lands on userspace. */
	engine_probe(&a);
	ATF_CHECK(a.pipex != NULL);
	ATF_CHECK(a.kernel != NULL);
	ATF_REQUIRE_EQ(engine_choose(OFFLOAD_AUTO, &a, &e, note, sizeof(note),
	    err, sizeof(err)), 0);
	ATF_CHECK_EQ(e, ENGINE_USERSPACE);
#ifdef __linux__
	ATF_CHECK_STREQ(note, "pipex: not OpenBSD; kernel: not available yet");
#endif
	ATF_CHECK_STREQ(engine_name(ENGINE_PIPEX), "pipex");
	ATF_CHECK_STREQ(engine_name(ENGINE_KERNEL), "kernel");
	ATF_CHECK_STREQ(engine_name(ENGINE_NONE), "");
}

ATF_TC_WITHOUT_HEAD(state_names);
ATF_TC_BODY(state_names, tc)
{
	/* DESIGN.md's words; pptpctl and scripts rely on them. */
	ATF_CHECK_STREQ(session_state_name(SESSION_IDLE), "idle");
	ATF_CHECK_STREQ(session_state_name(SESSION_CONNECTING), "connecting");
	ATF_CHECK_STREQ(session_state_name(SESSION_AUTHENTICATING),
	    "authenticating");
	ATF_CHECK_STREQ(session_state_name(SESSION_NETWORK), "network");
	ATF_CHECK_STREQ(session_state_name(SESSION_UP), "up");
	ATF_CHECK_STREQ(session_state_name(SESSION_CLOSING), "closing");
	ATF_CHECK_STREQ(session_state_name(SESSION_BACKOFF), "backoff");
	ATF_CHECK_STREQ(session_state_name((enum session_state)99),
	    "unknown");
}

ATF_TC_WITHOUT_HEAD(info_texts);
ATF_TC_BODY(info_texts, tc)
{
	char buf[SESSION_TEXT_MAX], small[8];

	tunnel_server_text(buf, sizeof(buf), "vpn.example.com", 1723);
	ATF_CHECK_STREQ(buf, "vpn.example.com");
	tunnel_server_text(buf, sizeof(buf), "192.0.2.1", 10723);
	ATF_CHECK_STREQ(buf, "192.0.2.1 port 10723");
	tunnel_server_text(small, sizeof(small), "vpn.example.com", 1723);
	ATF_CHECK_STREQ(small, "vpn.exa");

	tunnel_mppe_text(buf, sizeof(buf), 128, 1);
	ATF_CHECK_STREQ(buf, "128 stateless");
	tunnel_mppe_text(buf, sizeof(buf), 40, 0);
	ATF_CHECK_STREQ(buf, "40 stateful");
	tunnel_mppe_text(buf, sizeof(buf), 56, 1);
	ATF_CHECK_STREQ(buf, "56 stateless");
	tunnel_mppe_text(buf, sizeof(buf), 0, 1);
	ATF_CHECK_STREQ(buf, "none");
	tunnel_mppe_text(buf, sizeof(buf), 64, 1);
	ATF_CHECK_STREQ(buf, "none");

	tunnel_addr_text(buf, sizeof(buf), 0xc000020a);
	ATF_CHECK_STREQ(buf, "192.0.2.10");
	tunnel_addr_text(buf, sizeof(buf), 0);
	ATF_CHECK_STREQ(buf, "");
	/* Too small for the address: empty, not a partial one. */
	tunnel_addr_text(small, sizeof(small), 0xc000020a);
	ATF_CHECK_STREQ(small, "");
}

ATF_TC_WITHOUT_HEAD(info_live);
ATF_TC_BODY(info_live, tc)
{
	struct session_info si;
	struct dp_stats st;

	memset(&si, 0, sizeof(si));
	memset(&st, 0, sizeof(st));
	st.tx_packets = 10;
	st.tx_bytes = 1000;
	st.rx_packets = 20;
	st.rx_bytes = 2000;
	st.rx_errors = 3;
	st.rx_lost = 4;

	si.state = SESSION_UP;
	tunnel_info_live(&si, &st, 5000, 65999);
	ATF_CHECK_EQ(si.uptime_s, 60);
	ATF_CHECK_EQ(si.tx_packets, 10);
	ATF_CHECK_EQ(si.tx_bytes, 1000);
	ATF_CHECK_EQ(si.rx_packets, 20);
	ATF_CHECK_EQ(si.rx_bytes, 2000);
	ATF_CHECK_EQ(si.rx_errors, 3);
	ATF_CHECK_EQ(si.rx_lost, 4);

	/* Uptime is only for a session that is up. */
	si.state = SESSION_BACKOFF;
	tunnel_info_live(&si, NULL, 5000, 65999);
	ATF_CHECK_EQ(si.uptime_s, 0);
	/* A clock behind the start (cannot happen) is not a huge uptime. */
	si.state = SESSION_UP;
	tunnel_info_live(&si, NULL, 5000, 4000);
	ATF_CHECK_EQ(si.uptime_s, 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, backoff_first);
	ATF_TP_ADD_TC(tp, backoff_doubles_to_max);
	ATF_TP_ADD_TC(tp, backoff_jitter_bounds);
	ATF_TP_ADD_TC(tp, backoff_reset_after_stable);
	ATF_TP_ADD_TC(tp, backoff_auth_failure);
	ATF_TP_ADD_TC(tp, backoff_bad_bounds);
	ATF_TP_ADD_TC(tp, mtu_derived);
	ATF_TP_ADD_TC(tp, mtu_configured);
	ATF_TP_ADD_TC(tp, engine_auto);
	ATF_TP_ADD_TC(tp, engine_forced);
	ATF_TP_ADD_TC(tp, engine_probe_here);
	ATF_TP_ADD_TC(tp, state_names);
	ATF_TP_ADD_TC(tp, info_texts);
	ATF_TP_ADD_TC(tp, info_live);
	return atf_no_error();
}
