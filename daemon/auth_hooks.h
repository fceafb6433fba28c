/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Hooks into the authentication module for the test peer and the unit
 * tests.  The daemon never calls these: they make a server misbehave on
 * purpose and make a client's random values known, so that tests can
 * check the failure paths of a client and reproduce published vectors.
 */
#ifndef PPTPC_AUTH_HOOKS_H
#define PPTPC_AUTH_HOOKS_H

#include <stddef.h>
#include <stdint.h>

struct auth;

/* Server misbehaviour, any combination (auth_set_quirks). */
#define AUTH_QUIRK_WRONG_S	0x01	/* MS-CHAPv2 Success with a wrong S= */
#define AUTH_QUIRK_NO_S		0x02	/* MS-CHAPv2 Success without S= */
#define AUTH_QUIRK_E648		0x04	/* fail with E=648 password expired */
#define AUTH_QUIRK_E649		0x08	/* fail with E=649 no dial-in right */
#define AUTH_QUIRK_RETRY	0x10	/* MS-CHAP Failure says R=1, once */
#define AUTH_QUIRK_FAIL_FIRST	0x20	/* reject the first Response (with R=1
					   if AUTH_QUIRK_RETRY) even if right */

void	auth_set_quirks(struct auth *, unsigned int);
/* Client: the MS-CHAPv2 Peer-Challenge to use instead of a random one. */
void	auth_set_peer_challenge(struct auth *, const uint8_t[16]);
/* Server: the (first) Challenge to send instead of a random one. */
void	auth_set_challenge(struct auth *, const uint8_t[16]);
/* Why the last packet from the peer was dropped, or "". */
const char *auth_last_discard(const struct auth *);
/*
 * Which secrets the object still holds, AUTH_HELD_* bits, 0 for none: the
 * tests' way to see that the end of an exchange wiped them.
 */
#define AUTH_HELD_PASSWORD	0x01	/* the copy of the password */
#define AUTH_HELD_CHALLENGE	0x02	/* challenges, ours or the peer's */
#define AUTH_HELD_DERIVED	0x04	/* MPPE keys, expected S= */
#define AUTH_HELD_RESPONSE	0x08	/* a client's last Response, kept */
int	auth_holds_secrets(const struct auth *);

#endif /* PPTPC_AUTH_HOOKS_H */
