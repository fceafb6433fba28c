/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * OS-neutral parts of the tun and interface layer (see tun.h): closing,
 * the batch read on top of the per-OS tun_read(), and argument checks
 * that must give the same answer everywhere.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tun.h"

void
tun_close(struct tun *t)
{
	if (t->fd != -1)
		close(t->fd);
	t->fd = -1;
}

int
tun_read_batch(struct tun *t, struct tun_pkt *pkts, int n)
{
	ssize_t r;
	int i;

	for (i = 0; i < n; i++) {
		if ((r = tun_read(t, pkts[i].buf, pkts[i].cap)) == -1) {
			/*
			 * Nothing more waiting ends the batch normally.  Any
			 * other error is reported by itself, so that packets
			 * already read are not lost with it; the next call
			 * sees it again if it persists.  A packet too long
			 * for its slot (EMSGSIZE) is gone either way: slots
			 * are sized to the MTU we set, so only a change of
			 * MTU behind our back produces one.
			 */
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return i;
			return i > 0 ? i : -1;
		}
		pkts[i].len = (size_t)r;
	}
	return i;
}

int
iface_check_name(const char *what, const char *ifname, char *err,
    size_t errlen)
{
	size_t i, len;

	if (ifname == NULL || (len = strnlen(ifname, TUN_NAME_MAX)) == 0) {
		snprintf(err, errlen, "%s: no interface name", what);
		errno = EINVAL;
		return -1;
	}
	if (len >= TUN_NAME_MAX) {
		snprintf(err, errlen, "%s: interface name longer than %d "
		    "characters", what, TUN_NAME_MAX - 1);
		errno = ENAMETOOLONG;
		return -1;
	}
	/*
	 * What both kernels accept, and nothing that could leave /dev when
	 * the OpenBSD code builds a device path from the name.
	 */
	for (i = 0; i < len; i++) {
		if (!((ifname[i] >= 'a' && ifname[i] <= 'z') ||
		    (ifname[i] >= 'A' && ifname[i] <= 'Z') ||
		    (ifname[i] >= '0' && ifname[i] <= '9') ||
		    ifname[i] == '_' || ifname[i] == '-' ||
		    (ifname[i] == '.' && i > 0))) {
			/* Not echoed: it may be a control character. */
			snprintf(err, errlen, "%s: bad character 0x%02x in "
			    "interface name", what, (unsigned char)ifname[i]);
			errno = EINVAL;
			return -1;
		}
	}
	return 0;
}

int
iface_check_mtu(const char *ifname, unsigned int mtu, char *err,
    size_t errlen)
{
	if (mtu < IFACE_MTU_MIN || mtu > IFACE_MTU_MAX) {
		snprintf(err, errlen, "MTU %u on %s: out of range %d-%d", mtu,
		    ifname, IFACE_MTU_MIN, IFACE_MTU_MAX);
		errno = EINVAL;
		return -1;
	}
	return 0;
}
