/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * What the daemon tells pptpctl about one tunnel.  Filled by the tunnel
 * code, turned into JSON by session_info_json(); the JSON keys and their
 * order are pptpc_ctl.h's PPTPC_CTL_KEYS, shared with pptpctl.
 */
#ifndef PPTPC_SESSION_INFO_H
#define PPTPC_SESSION_INFO_H

#include <stdint.h>

#include "pptpc_ctl.h"

#define SESSION_NAME_MAX	(PPTPC_NAME_MAX + 1)
#define SESSION_TEXT_MAX	128
/* A counter the engine carrying the session cannot tell: JSON null. */
#define SESSION_UNKNOWN		UINT64_MAX


struct session_info {
	char		 name[SESSION_NAME_MAX];
	enum session_state state;
	char		 server[SESSION_TEXT_MAX];	/* as configured, "host" or "host port N" */
	char		 server_addr[48];		/* the address dialled, "" if none */
	char		 interface[SESSION_NAME_MAX];	/* "" until there is one */
	char		 local_ip[16];			/* dotted quad or "" */
	char		 peer_ip[16];
	char		 local_ip6[46];			/* fe80::ID or "" (no IPv6CP) */
	char		 peer_ip6[46];
	char		 dns[2][16];			/* "" where none */
	char		 dns_applied[16];		/* the backend that holds
							   dns on the host:
							   "resolved",
							   "resolvconf",
							   "resolvd"; "" if none */
	char		 engine[16];			/* "pipex", "kernel", "userspace" or "" */
	char		 mppe[32];			/* "128 stateless", "none", or "" */
	char		 auth[16];			/* "mschapv2", ... or "" */
	unsigned int	 mtu;				/* 0 until up */
	unsigned int	 tcp_mss;			/* clamped to; 0: not */
	char		 kill_switch[16];		/* "armed", "waiting" (no
							   way to the server yet),
							   or "" when off */
	uint64_t	 uptime_s;			/* since up; 0 when not up */
	uint64_t	 tx_packets;
	uint64_t	 tx_bytes;
	uint64_t	 rx_packets;
	uint64_t	 rx_bytes;
	uint64_t	 rx_errors;
	uint64_t	 rx_lost;
	/*
	 * Per layer, so that attacks and bad paths show where an
	 * administrator looks; SESSION_UNKNOWN where the engine cannot
	 * tell (the kernel engines run GRE and MPPE out of our sight).
	 */
	uint64_t	 gre_reordered;		/* delivered in order after all */
	uint64_t	 gre_late;		/* after their gap was given up */
	uint64_t	 gre_duplicate;
	uint64_t	 gre_out_of_window;	/* far from the stream: dropped */
	uint64_t	 gre_resyncs;		/* the stream followed to a new place */
	uint64_t	 mppe_undecryptable;	/* did not decrypt to a plausible frame */
	uint64_t	 mppe_over_budget;	/* far jumps not tried: CPU budget spent */
	uint64_t	 mppe_resets_sent;	/* CCP Reset-Requests we sent */
	uint64_t	 mppe_resets_received;	/* Reset-Requests we honoured */
	uint64_t	 cleartext_dropped;	/* unencrypted data on an MPPE link */
	uint64_t	 lcp_echo_rtt_ms;	/* last echo round trip */
	uint64_t	 lcp_echoes_missed;	/* echo requests never answered */
	unsigned int	 reconnects;			/* attempts since the last up */
	uint64_t	 next_attempt_s;		/* in backoff: seconds to wait */
	char		 last_error[SESSION_TEXT_MAX];	/* "" if none */
};

struct json;

/* Every layer counter SESSION_UNKNOWN, until an engine says more. */
void		 session_info_counters_unknown(struct session_info *);
/* Writes the session as a JSON object under key (NULL: in an array). */
void		 session_info_json(struct json *, const char *key,
		    const struct session_info *);

#endif /* PPTPC_SESSION_INFO_H */
