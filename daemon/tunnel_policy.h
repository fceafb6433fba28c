/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The decisions a tunnel takes that need no sockets, kept apart from
 * tunnel.c so that unit tests can check them without a network: the redial
 * schedule, the interface MTU, the keepalive window of kernel engines,
 * and the words pptpctl shows.  (The engine is chosen by offload.h.)
 */
#ifndef PPTPC_TUNNEL_POLICY_H
#define PPTPC_TUNNEL_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "session_info.h"

struct offload_stats;

/*
 * Redial with exponential backoff.  Each failure waits about the current
 * step, which then doubles up to the configured maximum; the wait is
 * jittered by up to a quarter of the step either way so that many tunnels
 * failing together (the server rebooted) do not redial in lockstep, and
 * always stays within the configured bounds: at a bound the draw spreads
 * over what is left of the band instead of piling up on the bound.  A
 * session that stayed up for BACKOFF_STABLE_MS starts the schedule again.  Authentication failures
 * start at AUTH_BACKOFF_MIN_MS at least: the server may lock the account
 * after a few bad passwords, and retrying fast cannot fix a password.
 */
#define BACKOFF_STABLE_MS	60000u
#define AUTH_BACKOFF_MIN_MS	30000u

struct backoff {
	unsigned int	 first_ms;
	unsigned int	 max_ms;
	unsigned int	 step_ms;	/* the next wait before jitter */
	unsigned int	 failures;	/* since the last reset */
};

void		backoff_init(struct backoff *, unsigned int first_s,
		    unsigned int max_s);
void		backoff_reset(struct backoff *);
/*
 * The wait before the next attempt, in ms; rnd is a uniform random 32-bit
 * number (arc4random() in the daemon, chosen values in tests).
 */
unsigned int	backoff_next(struct backoff *, int auth_failed, uint32_t rnd);

/*
 * The interface MTU (tunnel_policy.c says why): the configured one if
 * any, else the peer's MRU less MPPE's 4 bytes when MPPE is on, capped by
 * our own MRU.  *too_big tells whether a configured MTU exceeds what the
 * peer accepts (worth a warning; it is honoured).
 */
#define MPPE_OVERHEAD	4	/* MPPE header (2) and inner protocol (2) */

unsigned int	tunnel_mtu(unsigned int conf_mtu, unsigned int our_mru,
		    unsigned int peer_mru, int mppe, int *too_big);

/*
 * A kernel engine's receive idle time as a sign of life for LCP's
 * keepalive (tunnel.c): the tunnel looks every tunnel_alive_interval()
 * ms, half the echo interval and at least a second, and data received
 * within that window counts as an answer.  idle_s < 0 means unknown.
 */
unsigned int	tunnel_alive_interval(unsigned int keepalive_s);
int		tunnel_rx_recent(int64_t idle_s, unsigned int window_ms);

/* "host" or "host port N", as pptpctl shows the server. */
void		tunnel_server_text(char *buf, size_t len, const char *host,
		    uint16_t port);
/* "128 stateless", "40 stateful", or "none" without MPPE. */
void		tunnel_mppe_text(char *buf, size_t len, int keybits,
		    int stateless);
/* Dotted quad of a host-order address, "" for 0. */
void		tunnel_addr_text(char *buf, size_t len, uint32_t addr);

/*
 * Fills the parts of a session_info that change while a session runs:
 * uptime (while up) and the engine's counters.  stats may be NULL when
 * there is no engine.
 */
void		tunnel_info_live(struct session_info *,
		    const struct offload_stats *,
		    uint64_t up_since_ms, uint64_t now_ms);

#endif /* PPTPC_TUNNEL_POLICY_H */
