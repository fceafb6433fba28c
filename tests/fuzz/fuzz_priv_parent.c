/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * Arbitrary records from a compromised engine, as the parent reads them:
 * each input is split into SOCK_SEQPACKET records (a 2-byte length
 * before each) sent over a real socketpair, received with privmsg_recv()
 * and handled by priv_parent_handle() against a fixed configuration and
 * the fake host of tests/lib/priv_fake.c.  Beyond "no crash, no leak":
 * no default route and no refusal outside the kill switch's prefixes.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "priv_fake.h"
#include "priv_parent.h"
#include "timer_manual.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char conf_text[] =
    "tunnel office {\n"
    "\tserver 198.51.100.1\n"
    "\tusername alice\n"
    "\tpassword \"s3cret\"\n"
    "\troute 10.1.0.0/16\n"
    "\tdefault-route yes\n"
    "\tkill-switch yes\n"
    "\tup-script \"/etc/pptpc/up\"\n"
    "\tipv6 yes\n"
    "\taddress6 2001:db8:1::5/64\n"
    "\troute 2001:db8:9::/48\n"
    "\tdns apply\n"
    "\tdns-domains corp.example\n"
    "\tfwmark 7\n"
    "\ttable 100\n"
    "}\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config *conf;
	struct timer_base *tb;
	struct priv_parent p;
	struct privmsg m;
	char err[128], drain[2048];
	int sv[2];
	size_t len;

	if (conf == NULL) {
		log_init(1, 0);
		log_setquiet(1);
		if ((conf = parse_config_buffer("fuzz", conf_text,
		    strlen(conf_text), CONF_NOFILES)) == NULL)
			abort();
	}
	if ((tb = timer_manual_new()) == NULL)
		abort();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		abort();
	priv_fake_reset();
	priv_parent_init(&p, conf, &priv_fake_ops, tb);
	p.sock = sv[1];
	while (size >= 2) {
		len = (size_t)data[0] << 8 | data[1];
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		if (send(sv[0], data, len, 0) != (ssize_t)len)
			break;
		data += len;
		size -= len;
		if (privmsg_recv(sv[1], &m, err, sizeof(err)) == PRIVMSG_OK)
			(void)priv_parent_handle(&p, sv[1], &m);
		/* The answers: read and dropped, so the socket never fills. */
		while (recv(sv[0], drain, sizeof(drain), MSG_DONTWAIT) > 0)
			;
	}
	/*
	 * Never a default route, never a refusal no kill switch covers,
	 * never a route outside the configuration's table, never an IPv6
	 * default route or an address beside link-local and address6.
	 */
	if (strstr(priv_fake.log, "add route 0.0.0.0/0") != NULL ||
	    strstr(priv_fake.log, "add reject 8.") != NULL ||
	    strstr(priv_fake.log, "add route6 ::/0") != NULL ||
	    strstr(priv_fake.log, "add addr6 tun0 2001:db8:6") != NULL ||
	    strstr(priv_fake.log, "wansock tcp mark 0") != NULL)
		abort();
	priv_parent_engine_gone(&p);
	priv_parent_free(&p);
	timer_manual_free(tb);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
