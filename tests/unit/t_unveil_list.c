/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The OpenBSD parent's unveil(2) list (daemon/unveil_list.c), built and
 * checked here on any system: what a configuration unveils (a script and
 * the interpreter of its "#!" line, the configured tun or the first free
 * ones within the kernel's 128 names), and that a reload naming a script,
 * an interpreter or a device the list never had is refused by name.
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "config.h"
#include "unveil_list.h"

#define SOCK	"/var/run/pptpcd.sock"

static struct config *
conf_one(const char *iface, const char *up)
{
	struct config *c;
	struct tunnel_conf *t;

	ATF_REQUIRE((c = config_new()) != NULL);
	ATF_REQUIRE((t = tunnel_conf_new("office")) != NULL);
	snprintf(t->interface, sizeof(t->interface), "%s", iface);
	if (up != NULL)
		ATF_REQUIRE((t->up_script = strdup(up)) != NULL);
	TAILQ_INSERT_TAIL(&c->tunnels, t, entry);
	return c;
}

/* A script file whose first line is first; its path into path. */
static void
script(char *path, size_t len, const char *name, const char *first)
{
	FILE *f;

	/* atf runs each case in a fresh work directory of its own. */
	snprintf(path, len, "./%s", name);
	ATF_REQUIRE((f = fopen(path, "w")) != NULL);
	fprintf(f, "%s\necho up\n", first);
	ATF_REQUIRE(fclose(f) == 0);
}

static const char *
perm(const struct unveil_list *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->p[i].path, path) == 0)
			return l->p[i].perm;
	return NULL;
}

ATF_TC_WITHOUT_HEAD(build_script_and_first_free);
ATF_TC_BODY(build_script_and_first_free, tc)
{
	struct unveil_list l;
	struct config *c;
	char up[256], err[256];

	(void)tc;
	script(up, sizeof(up), "up.sh", "#! /bin/ksh -e");
	c = conf_one("", up);
	ATF_REQUIRE_EQ(unveil_list_build(&l, c, SOCK, err, sizeof(err)), 0);
	ATF_CHECK_STREQ(perm(&l, "/"), "r");
	ATF_CHECK_STREQ(perm(&l, SOCK), "rwc");
	ATF_CHECK_STREQ(perm(&l, "/tmp"), "rwc");
	ATF_CHECK_STREQ(perm(&l, up), "rx");
	ATF_CHECK_STREQ(perm(&l, "/bin/ksh"), "rx");
	ATF_CHECK_STREQ(perm(&l, "/dev/tun0"), "rw");
	/* offload auto: the parent may open pipex's devices for it. */
	ATF_CHECK_STREQ(perm(&l, "/dev/pppx0"), "rw");
	ATF_CHECK_STREQ(perm(&l, "/dev/pppx7"), "rw");
	ATF_CHECK(perm(&l, "/dev/pppx8") == NULL);
	/*
	 * Every name the kernel keeps, not one more ("/" and "/tmp" are
	 * directories): the socket, the script, ksh, pppx0..7,
	 * tun0..tun116.
	 */
	ATF_CHECK_EQ(l.n - 2, UNVEIL_NAMES_MAX);
	ATF_CHECK(perm(&l, "/dev/tun116") != NULL);
	ATF_CHECK(perm(&l, "/dev/tun117") == NULL);
	/* Nothing writable but the socket, /tmp and the devices. */
	ATF_CHECK(strchr(perm(&l, up), 'w') == NULL);
	unveil_list_free(&l);
	config_free(c);
}

ATF_TC_WITHOUT_HEAD(build_named_interface);
ATF_TC_BODY(build_named_interface, tc)
{
	struct unveil_list l;
	struct config *c;
	char err[256];

	(void)tc;
	c = conf_one("tun7", NULL);
	ATF_REQUIRE_EQ(unveil_list_build(&l, c, SOCK, err, sizeof(err)), 0);
	ATF_CHECK_STREQ(perm(&l, "/dev/tun7"), "rw");
	ATF_CHECK(perm(&l, "/dev/tun0") == NULL);
	ATF_CHECK_EQ(l.n, 4 + 8);	/* and pppx0..7 */
	unveil_list_free(&l);
	config_free(c);
}

/* No tunnel may use pipex: no pppx device is unveiled. */
ATF_TC_WITHOUT_HEAD(build_no_pipex);
ATF_TC_BODY(build_no_pipex, tc)
{
	struct unveil_list l;
	struct config *c, *pipex;
	char err[256];

	(void)tc;
	c = conf_one("tun7", NULL);
	TAILQ_FIRST(&c->tunnels)->offload = OFFLOAD_USERSPACE;
	ATF_REQUIRE_EQ(unveil_list_build(&l, c, SOCK, err, sizeof(err)), 0);
	ATF_CHECK(perm(&l, "/dev/pppx0") == NULL);
	ATF_CHECK_EQ(l.n, 4);
	/* A reload to offload pipex needs a restart, and says so. */
	l.applied = 1;
	pipex = conf_one("tun7", NULL);
	TAILQ_FIRST(&pipex->tunnels)->offload = OFFLOAD_PIPEX;
	ATF_CHECK_EQ(unveil_list_allows(&l, pipex, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "/dev/pppxN") != NULL);
	/* Under auto, userspace takes over: no refusal. */
	TAILQ_FIRST(&pipex->tunnels)->offload = OFFLOAD_AUTO;
	ATF_CHECK_EQ(unveil_list_allows(&l, pipex, err, sizeof(err)), 0);
	/* An rdomain tunnel never uses pipex: nothing to unveil. */
	unveil_list_free(&l);
	TAILQ_FIRST(&c->tunnels)->offload = OFFLOAD_PIPEX;
	TAILQ_FIRST(&c->tunnels)->rdomain = 3;
	ATF_REQUIRE_EQ(unveil_list_build(&l, c, SOCK, err, sizeof(err)), 0);
	ATF_CHECK(perm(&l, "/dev/pppx0") == NULL);
	unveil_list_free(&l);
	config_free(c);
	config_free(pipex);
}

ATF_TC_WITHOUT_HEAD(build_too_many_names);
ATF_TC_BODY(build_too_many_names, tc)
{
	struct unveil_list l;
	struct config *c;
	struct tunnel_conf *t;
	char name[32], err[256];
	int i;

	(void)tc;
	ATF_REQUIRE((c = config_new()) != NULL);
	for (i = 0; i < UNVEIL_NAMES_MAX; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		ATF_REQUIRE((t = tunnel_conf_new(name)) != NULL);
		snprintf(t->interface, sizeof(t->interface), "tun%d", i);
		TAILQ_INSERT_TAIL(&c->tunnels, t, entry);
	}
	ATF_CHECK_EQ(unveil_list_build(&l, c, SOCK, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "more than the kernel's 128") != NULL);
	ATF_CHECK_EQ(l.n, 0);
	config_free(c);
}

ATF_TC_WITHOUT_HEAD(reload_checks);
ATF_TC_BODY(reload_checks, tc)
{
	struct unveil_list l;
	struct config *c, *same, *other, *named;
	char up[256], up2[256], err[256];

	(void)tc;
	script(up, sizeof(up), "up.sh", "#!/bin/sh");
	script(up2, sizeof(up2), "up2.sh", "#!/bin/sh");
	c = conf_one("", up);
	same = conf_one("", up);
	other = conf_one("", up2);
	named = conf_one("tun200", up);
	ATF_REQUIRE_EQ(unveil_list_build(&l, c, SOCK, err, sizeof(err)), 0);

	/* Not applied (Linux, or unveil skipped): anything goes. */
	ATF_CHECK_EQ(unveil_list_allows(&l, other, err, sizeof(err)), 0);

	l.applied = 1;
	ATF_CHECK_EQ(unveil_list_allows(&l, same, err, sizeof(err)), 0);
	ATF_CHECK_EQ(unveil_list_allows(&l, other, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, up2) != NULL);
	ATF_CHECK(strstr(err, "restart pptpcd") != NULL);
	ATF_CHECK_EQ(unveil_list_allows(&l, named, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "/dev/tun200") != NULL);

	/* The same script, now run by an interpreter never unveiled. */
	script(up, sizeof(up), "up.sh", "#!/usr/local/bin/bash");
	ATF_CHECK_EQ(unveil_list_allows(&l, same, err, sizeof(err)), -1);
	ATF_CHECK(strstr(err, "/usr/local/bin/bash") != NULL);

	unveil_list_free(&l);
	config_free(c);
	config_free(same);
	config_free(other);
	config_free(named);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, build_script_and_first_free);
	ATF_TP_ADD_TC(tp, build_named_interface);
	ATF_TP_ADD_TC(tp, build_no_pipex);
	ATF_TP_ADD_TC(tp, build_too_many_names);
	ATF_TP_ADD_TC(tp, reload_checks);
	return atf_no_error();
}
