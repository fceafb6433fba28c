/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * A fake host for the parent's decoder (daemon/priv_parent.h): every host
 * action is logged to a string and succeeds, so that t_priv_parent and
 * fuzz_priv_parent see exactly what a request made the parent do.
 */
#ifndef PPTPC_TEST_PRIV_FAKE_H
#define PPTPC_TEST_PRIV_FAKE_H

#include <sys/types.h>

#include "priv_parent.h"

struct priv_fake {
	char		 log[4096];
	int		 calls;
	int		 iface_exists;	/* what iface_exists() answers */
	int		 next_tun;	/* tun%d handed out next */
	int		 reloads;
	int		 ppp_unit;	/* what a unit descriptor says */
	int		 pipex_off;	/* pipex_probe() says no */
	int		 next_pppx;	/* pppx%d named next */
	int		 ppp_chan;	/* what a PPTP socket's PPPIOCGCHAN says */
	/*
	 * The sockets socket() made, which stand for PPTP ones: AF_UNIX
	 * datagram sockets that sock_proto() calls AF_PPPOX, PPTP.
	 */
	ino_t		 pptp[16];
	unsigned int	 npptp;
};

extern const struct priv_ops priv_fake_ops;
extern struct priv_fake priv_fake;	/* the ops have no other way in */

void	priv_fake_reset(void);

#endif /* PPTPC_TEST_PRIV_FAKE_H */
