/*
 * What the daemon tells pptpctl about one tunnel.  Filled by the tunnel
 * code, turned into JSON by control.c; the field names are the JSON keys
 * of DESIGN.md and must stay stable.
 */
#ifndef PPTPC_SESSION_INFO_H
#define PPTPC_SESSION_INFO_H

#include <stdint.h>

#define SESSION_NAME_MAX	16
#define SESSION_TEXT_MAX	128

/* The states a person sees; the order is the lifecycle's. */
enum session_state {
	SESSION_IDLE,
	SESSION_CONNECTING,
	SESSION_AUTHENTICATING,
	SESSION_NETWORK,
	SESSION_UP,
	SESSION_CLOSING,
	SESSION_BACKOFF,
};

struct session_info {
	char		 name[SESSION_NAME_MAX];
	enum session_state state;
	char		 server[SESSION_TEXT_MAX];	/* as configured, "host" or "host port N" */
	char		 server_addr[48];		/* the address dialled, "" if none */
	char		 interface[SESSION_NAME_MAX];	/* "" until there is one */
	char		 local_ip[16];			/* dotted quad or "" */
	char		 peer_ip[16];
	char		 dns[2][16];			/* "" where none */
	char		 engine[16];			/* "pipex", "kernel", "userspace" or "" */
	char		 mppe[32];			/* "128 stateless", "none", or "" */
	char		 auth[16];			/* "mschapv2", ... or "" */
	unsigned int	 mtu;				/* 0 until up */
	unsigned int	 tcp_mss;			/* clamped to; 0: not */
	uint64_t	 uptime_s;			/* since up; 0 when not up */
	uint64_t	 tx_packets;
	uint64_t	 tx_bytes;
	uint64_t	 rx_packets;
	uint64_t	 rx_bytes;
	uint64_t	 rx_errors;
	uint64_t	 rx_lost;
	uint64_t	 rx_cleartext;			/* unencrypted under MPPE, dropped */
	unsigned int	 reconnects;			/* attempts since the last up */
	uint64_t	 next_attempt_s;		/* in backoff: seconds to wait */
	char		 last_error[SESSION_TEXT_MAX];	/* "" if none */
};

struct json;

const char	*session_state_name(enum session_state);
/* Writes the session as a JSON object under key (NULL: in an array). */
void		 session_info_json(struct json *, const char *key,
		    const struct session_info *);

#endif /* PPTPC_SESSION_INFO_H */
