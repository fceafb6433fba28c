/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Private to auth.c, pap.c, chap.c and chap_ms.c: the state of one
 * authentication exchange and the helpers the method files share.
 */
#ifndef PPTPC_AUTH_LOCAL_H
#define PPTPC_AUTH_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "buf.h"
#include "mschap.h"
#include "ratelog.h"
#include "timer.h"

#define AUTH_NAME_MAX		255	/* PAP Peer-ID-Length is one octet */
#define AUTH_PASSWORD_MAX	1024	/* 256 UTF-16 units as UTF-8, at most */
#define AUTH_PKT_MAX		512	/* our largest packet is a Failure */
#define AUTH_TAG_MAX		64
#define AUTH_TEXT_MAX		128	/* a peer's message as we show it */
#define AUTH_TIMEOUT_DEFAULT	3000
#define AUTH_TRIES_DEFAULT	10
#define AUTH_SERVER_NAME	"pptpc-peer"	/* Name in our Challenges */

/* CHAP codes (RFC 1994) and PAP codes (RFC 1334). */
#define CHAP_CHALLENGE		1
#define CHAP_RESPONSE		2
#define CHAP_SUCCESS		3
#define CHAP_FAILURE		4
#define PAP_AUTHREQ		1
#define PAP_AUTHACK		2
#define PAP_AUTHNAK		3

#define CHAP_MD5_CHALLENGE_LEN	16	/* what our server sends */
#define MSCHAP_RESPONSE_LEN	49	/* Value-Size of v1 and v2 Responses */

enum auth_state {
	AUTH_ST_INITIAL,	/* auth_start() not called yet */
	AUTH_ST_WAIT_CHALLENGE,	/* client, CHAP: no Challenge yet */
	AUTH_ST_WAIT_RESULT,	/* client: Response or Authenticate-Req out */
	AUTH_ST_WAIT_RESPONSE,	/* server: Challenge (or Failure R=1) out */
	AUTH_ST_DONE,		/* ops->done has been called */
};

struct auth {
	enum auth_role		 role;
	enum auth_method	 method;
	enum auth_state		 state;
	const struct auth_ops	*ops;
	void			*arg;
	struct timer		 timer;
	unsigned int		 timeout_ms;
	unsigned int		 max_tries;
	unsigned int		 tries;		/* sends of the packet out */

	char			 tag[AUTH_TAG_MAX];
	char			 name[AUTH_NAME_MAX + 1];
	size_t			 namelen;
	/* A copy, so that a configuration reload cannot pull it away. */
	char			*password;
	size_t			 password_len;

	/* Test hooks (auth_hooks.h). */
	unsigned int		 quirks;
	int			 have_test_peer_ch;
	uint8_t			 test_peer_ch[MSCHAPV2_CHALLENGE_LEN];
	int			 have_test_ch;
	uint8_t			 test_ch[MSCHAPV2_CHALLENGE_LEN];

	/* The exchange in progress. */
	uint8_t			 id;
	uint8_t			 challenge[MSCHAPV2_CHALLENGE_LEN];
	size_t			 chlen;
	int			 retried;	/* the MS-CHAP retry is used */
	char			 refusal[256];	/* see auth_refusal() */
	unsigned int		 failures;	/* server: Failures sent */

	/*
	 * MS-CHAP results computed with the Response, so that no password
	 * hash stays in memory while we wait: the S= we expect (v2) and the
	 * start keys to hand over on Success.
	 */
	char			 authresp[MSCHAPV2_AUTHRESP_LEN + 1];
	int			 have_keys;
	uint8_t			 send_key[16];
	uint8_t			 recv_key[16];

	/*
	 * The last packet sent: retransmitted on timeout, and sent again
	 * when the peer repeats the packet it answered.
	 */
	uint16_t		 last_proto;
	size_t			 last_len;
	uint8_t			 last[AUTH_PKT_MAX];

	/* Why the last packet from the peer was dropped, for the log. */
	char			 discard[160];
	struct ratelog		 rl_discard;	/* its log line (ratelog.h) */
};

/* auth.c */
int	auth_parse_header(struct auth *, const char *proto, const uint8_t *,
	    size_t, uint8_t *code, uint8_t *id, struct rbuf *body);
void	auth_send(struct auth *, uint16_t proto, const uint8_t *, size_t);
void	auth_resend(struct auth *);
void	auth_arm(struct auth *, unsigned int ms);
void	auth_succeed(struct auth *);
void	auth_fail(struct auth *, int code, const char *, ...)
	    __attribute__((__format__(printf, 3, 4)));
void	auth_discard(struct auth *, const char *, ...)
	    __attribute__((__format__(printf, 2, 3)));
const char *auth_method_label(enum auth_method);
void	auth_random_challenge(struct auth *, uint8_t *, size_t);

/* pap.c */
void	pap_start(struct auth *);
void	pap_input(struct auth *, const uint8_t *, size_t);
void	pap_timeout(struct auth *);

/* chap.c */
void	chap_start(struct auth *);
void	chap_input(struct auth *, const uint8_t *, size_t);
void	chap_timeout(struct auth *);
void	chap_send(struct auth *, uint8_t code, uint8_t id,
	    const uint8_t *, size_t);
void	chap_send_challenge(struct auth *);
void	chap_send_response(struct auth *, const uint8_t *, size_t);

/* chap_ms.c: the MS-CHAP halves of chap.c's exchange. */
int	chapms_client_value(struct auth *, uint8_t value[MSCHAP_RESPONSE_LEN]);
void	chapms_client_success(struct auth *, const uint8_t *, size_t);
void	chapms_client_failure(struct auth *, const uint8_t *, size_t);
void	chapms_server_response(struct auth *, const uint8_t *value,
	    size_t vlen, const uint8_t *name, size_t namelen);

#endif /* PPTPC_AUTH_LOCAL_H */
