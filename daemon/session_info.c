/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * struct session_info for people and scripts: state names and the JSON
 * session object that pptpctl reads.
 *
 * The JSON object has every key of pptpc_ctl.h's PPTPC_CTL_KEYS, always
 * all of them and always in that order.  A string field that
 * is empty means "not known" or "does not apply" (no interface before
 * the tunnel is up, no last error), and is written as null, so that a
 * script can tell "none" from a value; name, state and server always have
 * one.  Numbers are numbers (0 where nothing was counted), except a layer
 * counter the engine cannot tell, which is null.  dns is
 * an array of the servers the peer gave, empty when none.
 */
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "session_info.h"

/* A fixed char array as a string, or null when empty. */
static void
opt_str(struct json *j, const char *key, const char *s, size_t n)
{
	if (n == 0 || s[0] == '\0')
		json_null(j, key);
	else
		json_strn(j, key, s, n);
}

/* A counter, or null when the engine cannot tell. */
static void
opt_u64(struct json *j, const char *key, uint64_t v)
{
	if (v == SESSION_UNKNOWN)
		json_null(j, key);
	else
		json_u64(j, key, v);
}

void
session_info_counters_unknown(struct session_info *si)
{
	si->gre_reordered = SESSION_UNKNOWN;
	si->gre_late = SESSION_UNKNOWN;
	si->gre_duplicate = SESSION_UNKNOWN;
	si->gre_out_of_window = SESSION_UNKNOWN;
	si->gre_resyncs = SESSION_UNKNOWN;
	si->mppe_undecryptable = SESSION_UNKNOWN;
	si->mppe_over_budget = SESSION_UNKNOWN;
	si->mppe_resets_sent = SESSION_UNKNOWN;
	si->mppe_resets_received = SESSION_UNKNOWN;
	si->cleartext_dropped = SESSION_UNKNOWN;
	si->lcp_echo_rtt_ms = SESSION_UNKNOWN;
	si->lcp_echoes_missed = SESSION_UNKNOWN;
}

#define FIELD(j, key, si, f)	opt_str((j), (key), (si)->f, sizeof((si)->f))

/* One key of the session object (pptpc_ctl.h's list says which). */
static void
session_field(struct json *j, enum session_key k,
    const struct session_info *si)
{
	const char *key = session_key(k);
	size_t i;

	/* The arrays are read up to their size: a missing NUL is no overrun. */
	switch (k) {
	case SK_NAME:
		json_strn(j, key, si->name, sizeof(si->name));
		break;
	case SK_STATE:
		json_str(j, key, session_state_name(si->state));
		break;
	case SK_SERVER:
		json_strn(j, key, si->server, sizeof(si->server));
		break;
	case SK_SERVER_ADDR:
		FIELD(j, key, si, server_addr);
		break;
	case SK_INTERFACE:
		FIELD(j, key, si, interface);
		break;
	case SK_LOCAL_IP:
		FIELD(j, key, si, local_ip);
		break;
	case SK_PEER_IP:
		FIELD(j, key, si, peer_ip);
		break;
	case SK_LOCAL_IP6:
		FIELD(j, key, si, local_ip6);
		break;
	case SK_PEER_IP6:
		FIELD(j, key, si, peer_ip6);
		break;
	case SK_DNS:
		json_arr_open(j, key);
		for (i = 0; i < sizeof(si->dns) / sizeof(si->dns[0]); i++)
			if (si->dns[i][0] != '\0')
				json_strn(j, NULL, si->dns[i],
				    sizeof(si->dns[i]));
		json_arr_close(j);
		break;
	case SK_DNS_APPLIED:
		FIELD(j, key, si, dns_applied);
		break;
	case SK_ENGINE:
		FIELD(j, key, si, engine);
		break;
	case SK_MPPE:
		FIELD(j, key, si, mppe);
		break;
	case SK_AUTH:
		FIELD(j, key, si, auth);
		break;
	case SK_MTU:
		json_u64(j, key, si->mtu);
		break;
	case SK_TCP_MSS:
		/* null: no clamp (none asked for, or the engine could not). */
		if (si->tcp_mss != 0)
			json_u64(j, key, si->tcp_mss);
		else
			json_null(j, key);
		break;
	case SK_KILL_SWITCH:
		FIELD(j, key, si, kill_switch);
		break;
	case SK_UPTIME:
		json_u64(j, key, si->uptime_s);
		break;
	case SK_TX_PACKETS:
		json_u64(j, key, si->tx_packets);
		break;
	case SK_TX_BYTES:
		json_u64(j, key, si->tx_bytes);
		break;
	case SK_RX_PACKETS:
		json_u64(j, key, si->rx_packets);
		break;
	case SK_RX_BYTES:
		json_u64(j, key, si->rx_bytes);
		break;
	case SK_RX_ERRORS:
		json_u64(j, key, si->rx_errors);
		break;
	case SK_RX_LOST:
		json_u64(j, key, si->rx_lost);
		break;
	case SK_GRE_REORDERED:
		opt_u64(j, key, si->gre_reordered);
		break;
	case SK_GRE_LATE:
		opt_u64(j, key, si->gre_late);
		break;
	case SK_GRE_DUPLICATE:
		opt_u64(j, key, si->gre_duplicate);
		break;
	case SK_GRE_OUT_OF_WINDOW:
		opt_u64(j, key, si->gre_out_of_window);
		break;
	case SK_GRE_RESYNCS:
		opt_u64(j, key, si->gre_resyncs);
		break;
	case SK_MPPE_UNDECRYPTABLE:
		opt_u64(j, key, si->mppe_undecryptable);
		break;
	case SK_MPPE_OVER_BUDGET:
		opt_u64(j, key, si->mppe_over_budget);
		break;
	case SK_MPPE_RESETS_SENT:
		opt_u64(j, key, si->mppe_resets_sent);
		break;
	case SK_MPPE_RESETS_RECEIVED:
		opt_u64(j, key, si->mppe_resets_received);
		break;
	case SK_CLEARTEXT_DROPPED:
		opt_u64(j, key, si->cleartext_dropped);
		break;
	case SK_LCP_ECHO_RTT:
		opt_u64(j, key, si->lcp_echo_rtt_ms);
		break;
	case SK_LCP_ECHOES_MISSED:
		opt_u64(j, key, si->lcp_echoes_missed);
		break;
	case SK_RECONNECTS:
		json_u64(j, key, si->reconnects);
		break;
	case SK_NEXT_ATTEMPT:
		json_u64(j, key, si->next_attempt_s);
		break;
	case SK_LAST_ERROR:
		FIELD(j, key, si, last_error);
		break;
	case SESSION_KEY_MAX:
		break;
	}
}

void
session_info_json(struct json *j, const char *key,
    const struct session_info *si)
{
	enum session_key k;

	json_obj_open(j, key);
	for (k = 0; k < SESSION_KEY_MAX; k++)
		session_field(j, k, si);
	json_obj_close(j);
}
