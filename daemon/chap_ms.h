/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * MS-CHAP (RFC 2433, RFC 2759) messages: the Response Value, and the
 * text of Success ("S=... M=...") and Failure ("E= R= C= V= M=")
 * packets.  Pure functions of their inputs, for chap.c, the unit tests
 * and the fuzz target.  Nothing here trusts the peer's text: every field
 * is bounded and the message a person sees is sanitised.
 */
#ifndef PPTPC_CHAP_MS_H
#define PPTPC_CHAP_MS_H

#include <stddef.h>
#include <stdint.h>

#define MSCHAP_VALUE_LEN	49	/* Response Value-Size, v1 and v2 */

/* A decoded Failure message. */
struct mschap_failure {
	unsigned int	 error;		/* E= */
	int		 retry;		/* R=1 */
	int		 have_challenge;
	uint8_t		 challenge[16];	/* C=: 16 bytes (v2) or 8 (v1) */
	int		 have_version;
	unsigned int	 version;	/* V=, not relied on: pppd sends 0 */
	const uint8_t	*text;		/* M=, raw; NULL if absent */
	size_t		 textlen;
};

/*
 * Decodes a Failure message whose C= must carry chlen bytes (16 for v2,
 * 8 for v1) if present.  Returns 0, or -1 with the reason in err.
 */
int	mschap_parse_failure(const uint8_t *msg, size_t len, size_t chlen,
	    struct mschap_failure *, char *err, size_t errlen);
/* Words for an MS-CHAP error code, or NULL for codes we do not know. */
const char *mschap_error_text(unsigned int code);
/*
 * "E=691 (bad user name or password)" and, if there is one, the server's
 * sanitised M= text after what_next: ", retry not allowed: \"...\"".
 */
void	mschap_describe_failure(const struct mschap_failure *,
	    const char *what_next, char *out, size_t outlen);
/*
 * Formats a Failure message as RFC 2759 §6 has it; the challenge is
 * written as 2 * chlen upper-case hex digits.  Returns the length
 * (without NUL), or -1 if it does not fit.
 */
int	mschap_format_failure(char *out, size_t outlen, unsigned int error,
	    int retry, const uint8_t *challenge, size_t chlen,
	    unsigned int version, const char *text);

/*
 * The M= text of an MS-CHAPv2 Success message ("S=<40 hex> M=text"), or
 * the whole message if it has no S=, for showing to people.
 */
void	mschapv2_success_text(const uint8_t *msg, size_t len,
	    const uint8_t **text, size_t *textlen);

/*
 * Response Values.  v2: Peer-Challenge, 8 reserved zero octets, the NT
 * response, Flags 0; the user goes whole into Name but only the part after
 * a "DOMAIN\" into the ChallengeHash.  v1: a zero LM response, the NT
 * response, and the use-NT flag 1.  Return 0, or -1 for a password
 * MS-CHAP cannot hash.
 */
int	mschapv2_response_value(const uint8_t auth_ch[16],
	    const uint8_t peer_ch[16], const char *user, const char *pw,
	    size_t pwlen, uint8_t value[MSCHAP_VALUE_LEN]);
int	mschapv1_response_value(const uint8_t challenge[8], const char *pw,
	    size_t pwlen, uint8_t value[MSCHAP_VALUE_LEN]);

/*
 * Copies what a person may see of a peer's text: printable ASCII, other
 * octets as '?', cut to fit out (ending in "..." when cut).  Always
 * NUL-terminates an out of at least one byte.
 */
void	auth_sanitize(const uint8_t *in, size_t len, char *out, size_t outlen);

#endif /* PPTPC_CHAP_MS_H */
