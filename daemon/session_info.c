/*
 * struct session_info for people and scripts: state names and the JSON
 * session object that pptpctl reads.
 *
 * The JSON object has every field of session_info.h under its own name,
 * always all of them and always in the same order.  A string field that
 * is empty means "not known" or "does not apply" (no interface before
 * the tunnel is up, no last error), and is written as null, so that a
 * script can tell "none" from a value; name, state and server always have
 * one.  Numbers are always numbers (0 where nothing was counted).  dns is
 * an array of the servers the peer gave, empty when none.
 */
#include <stddef.h>

#include "json.h"
#include "session_info.h"

const char *
session_state_name(enum session_state state)
{
	switch (state) {
	case SESSION_IDLE:
		return "idle";
	case SESSION_CONNECTING:
		return "connecting";
	case SESSION_AUTHENTICATING:
		return "authenticating";
	case SESSION_NETWORK:
		return "network";
	case SESSION_UP:
		return "up";
	case SESSION_CLOSING:
		return "closing";
	case SESSION_BACKOFF:
		return "backoff";
	}
	/* A value outside the enum is a bug elsewhere; say so, do not crash. */
	return "unknown";
}

/* A fixed char array as a string, or null when empty. */
static void
opt_str(struct json *j, const char *key, const char *s, size_t n)
{
	if (n == 0 || s[0] == '\0')
		json_null(j, key);
	else
		json_strn(j, key, s, n);
}

#define FIELD(j, key, si, f)	opt_str((j), (key), (si)->f, sizeof((si)->f))

void
session_info_json(struct json *j, const char *key,
    const struct session_info *si)
{
	size_t i;

	json_obj_open(j, key);
	/* The arrays are read up to their size: a missing NUL is no overrun. */
	json_strn(j, "name", si->name, sizeof(si->name));
	json_str(j, "state", session_state_name(si->state));
	json_strn(j, "server", si->server, sizeof(si->server));
	FIELD(j, "server_addr", si, server_addr);
	FIELD(j, "interface", si, interface);
	FIELD(j, "local_ip", si, local_ip);
	FIELD(j, "peer_ip", si, peer_ip);
	json_arr_open(j, "dns");
	for (i = 0; i < sizeof(si->dns) / sizeof(si->dns[0]); i++)
		if (si->dns[i][0] != '\0')
			json_strn(j, NULL, si->dns[i], sizeof(si->dns[i]));
	json_arr_close(j);
	FIELD(j, "engine", si, engine);
	FIELD(j, "mppe", si, mppe);
	FIELD(j, "auth", si, auth);
	json_u64(j, "mtu", si->mtu);
	/* null: no clamp (none asked for, or the engine could not). */
	if (si->tcp_mss != 0)
		json_u64(j, "tcp_mss", si->tcp_mss);
	else
		json_null(j, "tcp_mss");
	json_u64(j, "uptime_s", si->uptime_s);
	json_u64(j, "tx_packets", si->tx_packets);
	json_u64(j, "tx_bytes", si->tx_bytes);
	json_u64(j, "rx_packets", si->rx_packets);
	json_u64(j, "rx_bytes", si->rx_bytes);
	json_u64(j, "rx_errors", si->rx_errors);
	json_u64(j, "rx_lost", si->rx_lost);
	json_u64(j, "rx_cleartext", si->rx_cleartext);
	json_u64(j, "reconnects", si->reconnects);
	json_u64(j, "next_attempt_s", si->next_attempt_s);
	FIELD(j, "last_error", si, last_error);
	json_obj_close(j);
}
