/*
 * Pure decisions of the tunnel lifecycle (tunnel_policy.h): no sockets,
 * no clocks, no randomness of their own.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "offload.h"
#include "ppp_defs.h"
#include "tun.h"
#include "tunnel_policy.h"

#define MIN(a, b)	((a) < (b) ? (a) : (b))

void
backoff_init(struct backoff *b, unsigned int first_s, unsigned int max_s)
{
	memset(b, 0, sizeof(*b));
	/* parse.y enforces 1 <= first <= max; a zero would spin. */
	b->first_ms = (first_s > 0 ? first_s : 1) * 1000;
	b->max_ms = max_s * 1000;
	if (b->max_ms < b->first_ms)
		b->max_ms = b->first_ms;
	b->step_ms = b->first_ms;
}

void
backoff_reset(struct backoff *b)
{
	b->step_ms = b->first_ms;
	b->failures = 0;
}

unsigned int
backoff_next(struct backoff *b, int auth_failed, uint32_t rnd)
{
	uint64_t base, span, wait;

	if (auth_failed && b->step_ms < AUTH_BACKOFF_MIN_MS)
		b->step_ms = MIN(AUTH_BACKOFF_MIN_MS, b->max_ms);
	base = b->step_ms;
	/* Uniform in [3/4 base, 5/4 base], without modulo bias to speak of. */
	span = base / 2;
	wait = base - base / 4 + (((uint64_t)rnd * (span + 1)) >> 32);
	if (wait < b->first_ms)
		wait = b->first_ms;
	if (wait > b->max_ms)
		wait = b->max_ms;
	b->step_ms = (unsigned int)MIN((uint64_t)b->step_ms * 2, b->max_ms);
	b->failures++;
	return (unsigned int)wait;
}

/*
 * An IP packet of MTU bytes travels in a PPP information field of MTU + 4
 * with MPPE (2 bytes of MPPE header, 2 of inner protocol, which we never
 * compress inside MPPE) and of MTU bytes without.  It must fit the peer's
 * MRU on the way out and our MRU on the way in; one MTU serves both
 * because the MSS clamp derived from it rewrites SYNs in both directions.
 */
unsigned int
tunnel_mtu(unsigned int conf_mtu, unsigned int our_mru, unsigned int peer_mru,
    int mppe, int *too_big)
{
	unsigned int mru, overhead = mppe ? MPPE_OVERHEAD : 0, mtu;

	if (peer_mru == 0)
		peer_mru = PPP_MRU_DEFAULT;
	if (our_mru == 0)
		our_mru = PPP_MRU_DEFAULT;
	mru = MIN(peer_mru, our_mru);
	mtu = mru > overhead + IFACE_MTU_MIN ? mru - overhead :
	    IFACE_MTU_MIN;
	*too_big = 0;
	if (conf_mtu != 0) {
		*too_big = conf_mtu > mtu;
		return conf_mtu;
	}
	return mtu;
}

unsigned int
tunnel_alive_interval(unsigned int keepalive_s)
{
	uint64_t ms = (uint64_t)keepalive_s * 1000 / 2;

	/* Often enough to beat the next echo, rarely enough to cost nothing. */
	if (ms < 1000)
		ms = 1000;
	if (ms > UINT32_MAX)
		ms = UINT32_MAX;
	return (unsigned int)ms;
}

int
tunnel_rx_recent(int64_t idle_s, unsigned int window_ms)
{
	/* The kernel counts whole seconds: 0 is "within the last second". */
	return idle_s >= 0 && (uint64_t)idle_s * 1000 <= window_ms;
}

void
tunnel_server_text(char *buf, size_t len, const char *host, uint16_t port)
{
	if (port == PPTP_PORT_DEFAULT)
		snprintf(buf, len, "%s", host);
	else
		snprintf(buf, len, "%s port %u", host, port);
}

void
tunnel_mppe_text(char *buf, size_t len, int keybits, int stateless)
{
	if (keybits != 40 && keybits != 56 && keybits != 128)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%d %s", keybits,
		    stateless ? "stateless" : "stateful");
}

void
tunnel_addr_text(char *buf, size_t len, uint32_t addr)
{
	struct in_addr in;

	if (addr == 0) {
		if (len > 0)
			buf[0] = '\0';
		return;
	}
	in.s_addr = htonl(addr);
	if (inet_ntop(AF_INET, &in, buf, len) == NULL && len > 0)
		buf[0] = '\0';
}

void
tunnel_info_live(struct session_info *si, const struct offload_stats *st,
    uint64_t up_since_ms, uint64_t now_ms)
{
	si->uptime_s = 0;
	if (si->state == SESSION_UP && now_ms >= up_since_ms)
		si->uptime_s = (now_ms - up_since_ms) / 1000;
	if (st == NULL)
		return;
	si->tx_packets = st->tx_packets;
	si->tx_bytes = st->tx_bytes;
	si->rx_packets = st->rx_packets;
	si->rx_bytes = st->rx_bytes;
	si->rx_errors = st->rx_errors;
	si->rx_lost = st->rx_lost;
	si->rx_cleartext = st->rx_cleartext;
}
