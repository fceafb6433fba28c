/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * PPP authentication (PAP, CHAP-MD5, MS-CHAPv1, MS-CHAPv2), either side.
 *
 * LCP decides the method; ppp.c then calls auth_start() and hands every
 * PAP or CHAP packet to auth_input().  The module sends its packets
 * through ops->send (the packet without PPP framing; ppp.c adds it) and
 * reports the end exactly once through ops->done.  No sockets inside.
 */
#ifndef PPTPC_AUTH_H
#define PPTPC_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct timer_base;

enum auth_method {
	AUTH_NONE = 0,
	AUTH_PAP,
	AUTH_CHAP_MD5,
	AUTH_MSCHAPV1,
	AUTH_MSCHAPV2,
};

/* Bits of a set of allowed methods. */
#define AUTH_ALLOW(m)		(1u << (m))
#define AUTH_ALLOW_DEFAULT	AUTH_ALLOW(AUTH_MSCHAPV2)

enum auth_role {
	AUTH_CLIENT,		/* authenticatee: pptpcd */
	AUTH_SERVER,		/* authenticator: the test peer */
};

struct auth_config {
	enum auth_role	 role;
	const char	*name;		/* user name; a server: the one it accepts */
	const char	*password;	/* UTF-8, not NUL-terminated necessarily */
	size_t		 password_len;
	const char	*tag;		/* tunnel name, first word of log lines */
	unsigned int	 timeout_ms;	/* retransmission interval, 0: 3000 */
	unsigned int	 max_tries;	/* retransmissions before failing, 0: 10 */
};

struct auth_result {
	enum auth_method method;
	int		 success;
	/*
	 * MPPE start keys from this side's point of view (RFC 3079), valid
	 * when have_keys: MS-CHAPv2 and MS-CHAPv1.
	 */
	int		 have_keys;
	uint8_t		 send_key[16];
	uint8_t		 recv_key[16];
	/* On failure: the MS-CHAP error code (691, 648, ...) or 0. */
	int		 error_code;
	/* One line for people: "authentication failed: error 691 ..." */
	char		 message[256];
};

struct auth_ops {
	void	(*send)(void *arg, uint16_t proto, const uint8_t *pkt,
		    size_t len);
	void	(*done)(void *arg, const struct auth_result *);
};

struct auth;

struct auth	*auth_new(const struct auth_config *, const struct auth_ops *,
		    void *arg, struct timer_base *);
/* Begins authentication with the method LCP agreed on. */
void		 auth_start(struct auth *, enum auth_method);
/* A PAP (0xc023) or CHAP (0xc223) packet from the peer. */
void		 auth_input(struct auth *, uint16_t proto, const uint8_t *pkt,
		    size_t len);
/*
 * The server's last refusal that the module answered with a retry, as
 * "authentication failed: E=691 (...)", or NULL if there was none.  A
 * server may hang up right after such a refusal instead of waiting for
 * the retry (pppd does); the refusal is then the real reason.
 */
const char	*auth_refusal(const struct auth *);
/*
 * Stops timers and wipes every secret it holds, then frees.  Those that
 * only the exchange needs (the copy of the password, the challenges, the
 * derived keys) are wiped and freed already when it ends, before
 * ops->done is called.
 */
void		 auth_free(struct auth *);
const char	*auth_method_name(enum auth_method);

#endif /* PPTPC_AUTH_H */
