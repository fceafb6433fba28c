/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The configuration's data and parser below the command line: defaults,
 * every field reaching struct tunnel_conf, tunnel_conf_equal() for
 * reloads, the value checks, password files, the secrecy check and who
 * may change the files pptpcd trusts (filecheck.c), and
 * the parser over truncated and oversized input, under ASan and UBSan so
 * that a leak or overrun on any error path fails the test.
 */
#include <sys/stat.h>

#include <arpa/inet.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "auth.h"
#include "config.h"

#define BASE \
	"tunnel office {\n" \
	"\tserver 192.0.2.1\n" \
	"\tusername \"u\"\n" \
	"\tpassword \"p\"\n"

static struct config *
parse_str(const char *text)
{
	return parse_config_buffer("test.conf", text, strlen(text),
	    CONF_QUIET);
}

static struct tunnel_conf *
only_tunnel(struct config *conf)
{
	ATF_REQUIRE(conf != NULL);
	ATF_REQUIRE(!TAILQ_EMPTY(&conf->tunnels));
	return TAILQ_FIRST(&conf->tunnels);
}

static void
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ATF_REQUIRE(fd != -1);
	ATF_REQUIRE(write(fd, data, len) == (ssize_t)len);
	ATF_REQUIRE(fchmod(fd, mode) == 0);
	close(fd);
}

ATF_TC_WITHOUT_HEAD(defaults);
ATF_TC_BODY(defaults, tc)
{
	struct config *conf = parse_str(BASE "}\n");
	struct tunnel_conf *t = only_tunnel(conf);

	ATF_CHECK_STREQ(t->name, "office");
	ATF_CHECK_STREQ(t->server, "192.0.2.1");
	ATF_CHECK_EQ(t->port, 1723);
	ATF_CHECK_STREQ(t->username, "u");
	ATF_CHECK_STREQ(t->password, "p");
	ATF_CHECK_EQ(t->password_len, 1);
	ATF_CHECK(t->password_file == NULL);
	ATF_CHECK_EQ(t->auth_allow, AUTH_ALLOW(AUTH_MSCHAPV2));
	ATF_CHECK_EQ(t->mppe, CONF_MPPE_REQUIRED);
	ATF_CHECK_EQ(t->mppe_bits, MPPE_BITS_128);
	ATF_CHECK_EQ(t->mppe_stateful, 0);
	ATF_CHECK_STREQ(t->interface, "");
	ATF_CHECK(TAILQ_EMPTY(&t->routes));
	ATF_CHECK_EQ(t->default_route, 0);
	ATF_CHECK_EQ(t->mtu, 0);
	ATF_CHECK_EQ(t->mru, MRU_DEFAULT);
	ATF_CHECK_EQ(t->keepalive, 30);
	ATF_CHECK_EQ(t->keepalive_fail, 4);
	ATF_CHECK_EQ(t->reconnect, 1);
	ATF_CHECK_EQ(t->reconnect_first, 5);
	ATF_CHECK_EQ(t->reconnect_max, 300);
	ATF_CHECK_EQ(t->reorder_pkts, 16);
	ATF_CHECK_EQ(t->reorder_wait_ms, 50);
	ATF_CHECK_EQ(t->offload, OFFLOAD_AUTO);
	ATF_CHECK_EQ(t->tcp_mss_adjust, 1);
	ATF_CHECK(t->up_script == NULL && t->down_script == NULL);
	ATF_CHECK_EQ(t->lineno, 1);
	config_free(conf);
}

ATF_TC_WITHOUT_HEAD(every_field);
ATF_TC_BODY(every_field, tc)
{
	struct config *conf = parse_str(
	    "tunnel t-1 {\n"
	    "\tserver vpn.example.net port 1724\n"
	    "\tusername \"DOM\\\\user\"\n"
	    "\tpassword \"a\\\"b\"\n"
	    "\tauth pap chap-md5 mschap\n"
	    "\tmppe optional 40 56 stateful\n"
	    "\tinterface tun7\n"
	    "\troute 10.0.0.0/8\n"
	    "\troute 192.0.2.0/24\n"
	    "\tdefault-route yes\n"
	    "\tmtu 1300\n"
	    "\tmru 1450\n"
	    "\tkeepalive 10 3\n"
	    "\treconnect no\n"
	    "\treorder 4 200\n"
	    "\toffload pipex\n"
	    "\ttcp-mss-adjust no\n"
	    "\tup-script /a/up\n"
	    "\tdown-script \"/a/down\"\n"
	    "}\n");
	struct tunnel_conf *t = only_tunnel(conf);
	struct route_conf *r;

	ATF_CHECK_STREQ(t->server, "vpn.example.net");
	ATF_CHECK_EQ(t->port, 1724);
	ATF_CHECK_STREQ(t->username, "DOM\\user");
	ATF_CHECK_STREQ(t->password, "a\"b");
	ATF_CHECK_EQ(t->auth_allow, AUTH_ALLOW(AUTH_PAP) |
	    AUTH_ALLOW(AUTH_CHAP_MD5) | AUTH_ALLOW(AUTH_MSCHAPV1));
	ATF_CHECK_EQ(t->mppe, CONF_MPPE_OPTIONAL);
	ATF_CHECK_EQ(t->mppe_bits, MPPE_BITS_40 | MPPE_BITS_56);
	ATF_CHECK_EQ(t->mppe_stateful, 1);
	ATF_CHECK_STREQ(t->interface, "tun7");
	r = TAILQ_FIRST(&t->routes);
	ATF_REQUIRE(r != NULL);
	ATF_CHECK_EQ(r->addr.s_addr, htonl(0x0a000000));
	ATF_CHECK_EQ(r->prefixlen, 8);
	r = TAILQ_NEXT(r, entry);
	ATF_REQUIRE(r != NULL);
	ATF_CHECK_EQ(r->addr.s_addr, htonl(0xc0000200));
	ATF_CHECK_EQ(r->prefixlen, 24);
	ATF_CHECK(TAILQ_NEXT(r, entry) == NULL);
	ATF_CHECK_EQ(t->default_route, 1);
	ATF_CHECK_EQ(t->mtu, 1300);
	ATF_CHECK_EQ(t->mru, 1450);
	ATF_CHECK_EQ(t->keepalive, 10);
	ATF_CHECK_EQ(t->keepalive_fail, 3);
	ATF_CHECK_EQ(t->reconnect, 0);
	ATF_CHECK_EQ(t->reorder_pkts, 4);
	ATF_CHECK_EQ(t->reorder_wait_ms, 200);
	ATF_CHECK_EQ(t->offload, OFFLOAD_PIPEX);
	ATF_CHECK_EQ(t->tcp_mss_adjust, 0);
	ATF_CHECK_STREQ(t->up_script, "/a/up");
	ATF_CHECK_STREQ(t->down_script, "/a/down");
	config_free(conf);
}

ATF_TC_WITHOUT_HEAD(several_tunnels);
ATF_TC_BODY(several_tunnels, tc)
{
	struct config *conf = parse_str(BASE "}\n"
	    "tunnel b { \n server 192.0.2.2\n username x\n password y }\n");

	ATF_REQUIRE(conf != NULL);
	ATF_CHECK(config_find_tunnel(conf, "office") != NULL);
	ATF_CHECK_STREQ(config_find_tunnel(conf, "b")->server, "192.0.2.2");
	ATF_CHECK(config_find_tunnel(conf, "c") == NULL);
	ATF_CHECK_EQ(config_find_tunnel(conf, "b")->lineno, 6);
	config_free(conf);
}

/* Each variant changes one setting of BASE; none may compare equal. */
ATF_TC_WITHOUT_HEAD(equal_for_reload);
ATF_TC_BODY(equal_for_reload, tc)
{
	static const char *const variants[] = {
		"\tauth mschap mschapv2\n",
		"\tmppe required 40 128\n",
		"\tmppe required 128 stateful\n",
		"\tmppe optional\n",
		"\tinterface tun1\n",
		"\troute 10.0.0.0/8\n",
		"\troute 10.0.0.0/9\n",
		"\tdefault-route yes\n",
		"\tmtu 1400\n",
		"\tmru 1500\n",
		"\tkeepalive 31\n",
		"\tkeepalive 30 5\n",
		"\treconnect no\n",
		"\treconnect 5 301\n",
		"\treorder no\n",
		"\treorder 16 51\n",
		"\toffload kernel\n",
		"\ttcp-mss-adjust no\n",
		"\tup-script /x\n",
		"\tdown-script /x\n",
	};
	struct config *a, *b, *c;
	char text[512];
	size_t i;

	a = parse_str(BASE "\troute 10.0.0.0/8\n\troute 192.0.2.0/24\n}\n");
	b = parse_str(BASE "\troute 192.0.2.0/24\n\troute 10.0.0.0/8\n}\n");
	/* The order routes are written in does not matter. */
	ATF_CHECK(tunnel_conf_equal(only_tunnel(a), only_tunnel(b)));
	config_free(a);
	config_free(b);

	a = parse_str(BASE "}\n");
	b = parse_str(BASE "}\n");
	ATF_CHECK(tunnel_conf_equal(only_tunnel(a), only_tunnel(b)));
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		snprintf(text, sizeof(text), "%s%s}\n", BASE, variants[i]);
		c = parse_str(text);
		ATF_CHECK_MSG(c != NULL, "%s", variants[i]);
		if (c == NULL)
			continue;
		ATF_CHECK_MSG(!tunnel_conf_equal(only_tunnel(a),
		    only_tunnel(c)), "%s", variants[i]);
		config_free(c);
	}
	/* Server, port, user, password and name, which BASE fixes. */
	c = parse_str("tunnel office {\n server 192.0.2.1 port 1724\n"
	    " username \"u\"\n password \"p\"\n}\n");
	ATF_CHECK(!tunnel_conf_equal(only_tunnel(a), only_tunnel(c)));
	config_free(c);
	c = parse_str("tunnel office {\n server 192.0.2.9\n"
	    " username \"u\"\n password \"p\"\n}\n");
	ATF_CHECK(!tunnel_conf_equal(only_tunnel(a), only_tunnel(c)));
	config_free(c);
	c = parse_str("tunnel office {\n server 192.0.2.1\n"
	    " username \"v\"\n password \"p\"\n}\n");
	ATF_CHECK(!tunnel_conf_equal(only_tunnel(a), only_tunnel(c)));
	config_free(c);
	c = parse_str("tunnel office {\n server 192.0.2.1\n"
	    " username \"u\"\n password \"q\"\n}\n");
	ATF_CHECK(!tunnel_conf_equal(only_tunnel(a), only_tunnel(c)));
	config_free(c);
	c = parse_str("tunnel other {\n server 192.0.2.1\n"
	    " username \"u\"\n password \"p\"\n}\n");
	ATF_CHECK(!tunnel_conf_equal(only_tunnel(a), only_tunnel(c)));
	config_free(c);
	config_free(a);
	config_free(b);
}

ATF_TC_WITHOUT_HEAD(routes);
ATF_TC_BODY(routes, tc)
{
	struct tunnel_conf *t = tunnel_conf_new("r");
	struct in_addr a;
	uint8_t len;
	char err[256];

	ATF_REQUIRE(t != NULL);
	a.s_addr = htonl(0x0a000000);
	ATF_CHECK_EQ(tunnel_conf_add_route(t, a, 8), 0);
	ATF_CHECK_EQ(tunnel_conf_add_route(t, a, 16), 0);
	ATF_CHECK_EQ(tunnel_conf_add_route(t, a, 8), -1);
	tunnel_conf_free(t);

	ATF_CHECK_EQ(conf_parse_prefix("10.0.0.0/8", &a, &len, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(len, 8);
	ATF_CHECK_EQ(conf_parse_prefix("192.0.2.7", &a, &len, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(len, 32);
	ATF_CHECK_EQ(conf_parse_prefix("192.0.2.7/32", &a, &len, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(conf_parse_prefix("128.0.0.0/1", &a, &len, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(conf_parse_prefix("10.0.0.1/8", &a, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "route 10.0.0.1/8 has host bits set; did you "
	    "mean 10.0.0.0/8?");
	ATF_CHECK_EQ(conf_parse_prefix("0.0.0.0/0", &a, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK(strstr(err, "default-route yes") != NULL);
	ATF_CHECK_EQ(conf_parse_prefix("10.0.0.0/33", &a, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(conf_parse_prefix("10.0.0.0/", &a, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(conf_parse_prefix("10.0.0.0/+8", &a, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(conf_parse_prefix("10.0.0.0/008", &a, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(conf_parse_prefix("10.0.0/8", &a, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(conf_parse_prefix("255.255.255.255.255/8", &a, &len,
	    err, sizeof(err)), -1);
	ATF_CHECK_EQ(conf_parse_prefix("", &a, &len, err, sizeof(err)), -1);
}

ATF_TC_WITHOUT_HEAD(names_and_hosts);
ATF_TC_BODY(names_and_hosts, tc)
{
	static const char *const good_hosts[] = {
		"192.0.2.1", "vpn", "vpn.example.com", "vpn.example.com.",
		"a-b.c1.example", "1a.example.com",
	};
	static const char *const bad_hosts[] = {
		"", ".", "300.1.1.1", "1.2.3", "01.2.3.4", "-a.example",
		"a-.example", "a..b", "a_b.example", "2001:db8::1",
		"a.example.com..", "a b",
	};
	char err[256], label[80], longname[300];
	size_t i;

	for (i = 0; i < sizeof(good_hosts) / sizeof(good_hosts[0]); i++)
		ATF_CHECK_MSG(conf_valid_host(good_hosts[i], err,
		    sizeof(err)) == 0, "%s", good_hosts[i]);
	for (i = 0; i < sizeof(bad_hosts) / sizeof(bad_hosts[0]); i++)
		ATF_CHECK_MSG(conf_valid_host(bad_hosts[i], err,
		    sizeof(err)) == -1, "%s", bad_hosts[i]);
	memset(label, 'a', 64);
	label[64] = '\0';
	ATF_CHECK_EQ(conf_valid_host(label, err, sizeof(err)), -1);
	label[63] = '\0';
	ATF_CHECK_EQ(conf_valid_host(label, err, sizeof(err)), 0);
	memset(longname, 'a', sizeof(longname));
	for (i = 10; i < sizeof(longname); i += 10)
		longname[i] = '.';
	longname[254] = '\0';
	ATF_CHECK_EQ(conf_valid_host(longname, err, sizeof(err)), -1);
	longname[253] = '\0';
	ATF_CHECK_EQ(conf_valid_host(longname, err, sizeof(err)), 0);

	ATF_CHECK_EQ(conf_valid_tunnel_name("office-1_b", err, sizeof(err)),
	    0);
	ATF_CHECK_EQ(conf_valid_tunnel_name("123456789012345", err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(conf_valid_tunnel_name("1234567890123456", err,
	    sizeof(err)), -1);
	ATF_CHECK_EQ(conf_valid_tunnel_name("", err, sizeof(err)), -1);
	ATF_CHECK_EQ(conf_valid_tunnel_name("a.b", err, sizeof(err)), -1);
	ATF_CHECK_EQ(conf_valid_ifname("tun0", err, sizeof(err)), 0);
	ATF_CHECK_EQ(conf_valid_ifname("tun0/1", err, sizeof(err)), -1);
	ATF_CHECK_EQ(conf_valid_ifname("", err, sizeof(err)), -1);

	ATF_CHECK(parse_is_keyword("mtu"));
	ATF_CHECK(parse_is_keyword("tcp-mss-adjust"));
	ATF_CHECK(!parse_is_keyword("office"));
}

ATF_TC_WITHOUT_HEAD(password_files);
ATF_TC_BODY(password_files, tc)
{
	char err[512], *pw, conftext[1024], big[CONF_PASSWORD_MAX + 2];
	struct config *conf;
	size_t len;

	write_file("ok", "hunter2\n", 8, 0600);
	ATF_REQUIRE_EQ(conf_read_password_file("ok", &pw, &len, err,
	    sizeof(err)), 0);
	ATF_CHECK_STREQ(pw, "hunter2");
	ATF_CHECK_EQ(len, 7);
	conf_free_secret(pw);

	write_file("crlf", "hunter2\r\n", 9, 0400);
	ATF_REQUIRE_EQ(conf_read_password_file("crlf", &pw, &len, err,
	    sizeof(err)), 0);
	ATF_CHECK_STREQ(pw, "hunter2");
	conf_free_secret(pw);

	memset(big, 'x', sizeof(big));
	write_file("max", big, CONF_PASSWORD_MAX, 0600);
	ATF_REQUIRE_EQ(conf_read_password_file("max", &pw, &len, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(len, CONF_PASSWORD_MAX);
	conf_free_secret(pw);
	write_file("long", big, CONF_PASSWORD_MAX + 1, 0600);
	ATF_CHECK_EQ(conf_read_password_file("long", &pw, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK(pw == NULL);
	big[CONF_PASSWORD_MAX] = '\n';
	big[CONF_PASSWORD_MAX + 1] = 'y';
	write_file("long2", big, CONF_PASSWORD_MAX + 2, 0600);
	ATF_CHECK_EQ(conf_read_password_file("long2", &pw, &len, err,
	    sizeof(err)), -1);

	write_file("open", "hunter2\n", 8, 0640);
	ATF_CHECK_EQ(conf_read_password_file("open", &pw, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "open: holds a password but is open to group or "
	    "others (mode 0640); run \"chmod 600 open\"");
	ATF_CHECK_EQ(conf_read_password_file(".", &pw, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, ".: not a regular file");

	/* Through the parser, and skipped under CONF_NOFILES. */
	ATF_REQUIRE(getcwd(err, sizeof(err)) != NULL);
	snprintf(conftext, sizeof(conftext), "tunnel a {\n server 192.0.2.1\n"
	    " username u\n password-file \"%s/ok\"\n}\n", err);
	conf = parse_str(conftext);
	ATF_CHECK_STREQ(only_tunnel(conf)->password, "hunter2");
	config_free(conf);
	snprintf(conftext, sizeof(conftext), "tunnel a {\n server 192.0.2.1\n"
	    " username u\n password-file \"%s/open\"\n}\n", err);
	ATF_CHECK(parse_str(conftext) == NULL);
	conf = parse_config_buffer("t", conftext, strlen(conftext),
	    CONF_QUIET | CONF_NOFILES);
	ATF_CHECK(only_tunnel(conf)->password == NULL);
	config_free(conf);
}

ATF_TC_WITHOUT_HEAD(config_file_secrecy);
ATF_TC_BODY(config_file_secrecy, tc)
{
	const char *text = BASE "}\n";
	struct config *conf;

	write_file("c.conf", text, strlen(text), 0644);
	ATF_CHECK(parse_config("c.conf", CONF_QUIET) == NULL);
	ATF_REQUIRE(chmod("c.conf", 0600) == 0);
	conf = parse_config("c.conf", CONF_QUIET);
	ATF_CHECK(conf != NULL);
	config_free(conf);
	ATF_CHECK(parse_config("missing.conf", CONF_QUIET) == NULL);
}

static char *
print_to_string(const struct config *conf)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ATF_REQUIRE((f = open_memstream(&buf, &len)) != NULL);
	print_config(f, conf);
	ATF_REQUIRE(fclose(f) == 0);
	return buf;
}

/*
 * A config naming a password file and two scripts, all in a private
 * directory "d" of the test's own, every mode explicit; parse_config()
 * passes only while no one but root can change any of them.
 */
static int
parse_trusted(void)
{
	char cwd[512], text[2048];
	struct config *conf;

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(text, sizeof(text), "tunnel a {\n server 192.0.2.1\n"
	    " username u\n password-file \"%s/d/pw\"\n up-script \"%s/d/up\"\n"
	    " down-script \"%s/d/down\"\n}\n", cwd, cwd, cwd);
	write_file("d/t.conf", text, strlen(text), 0644);
	if ((conf = parse_config("d/t.conf", CONF_QUIET)) == NULL)
		return -1;
	config_free(conf);
	return 0;
}

ATF_TC(trusted_files);
ATF_TC_HEAD(trusted_files, tc)
{
	atf_tc_set_md_var(tc, "descr", "the config file, password files and "
	    "scripts, and their directories, must be root's and not "
	    "writable by others; password files never through a link");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(trusted_files, tc)
{
	char err[1024], *pw;
	size_t len;

	ATF_REQUIRE(mkdir("d", 0700) == 0);
	ATF_REQUIRE(chmod("d", 0700) == 0);
	write_file("d/pw", "hunter2\n", 8, 0600);
	write_file("d/up", "#!/bin/sh\n", 10, 0755);
	write_file("d/down", "#!/bin/sh\n", 10, 0755);
	ATF_REQUIRE_EQ(parse_trusted(), 0);

	/* A group-writable script. */
	ATF_REQUIRE(chmod("d/up", 0775) == 0);
	ATF_CHECK_EQ(parse_trusted(), -1);
	ATF_REQUIRE(chmod("d/up", 0755) == 0);
	ATF_REQUIRE_EQ(parse_trusted(), 0);

	/* A world-writable directory, and the same with the sticky bit. */
	ATF_REQUIRE(chmod("d", 0777) == 0);
	ATF_CHECK_EQ(parse_trusted(), -1);
	ATF_REQUIRE(chmod("d", 01777) == 0);
	ATF_CHECK_EQ(parse_trusted(), 0);
	ATF_REQUIRE(chmod("d", 0700) == 0);

	/* A password file owned by another uid. */
	ATF_REQUIRE(chown("d/pw", 65534, 65534) == 0);
	ATF_CHECK_EQ(parse_trusted(), -1);
	ATF_CHECK_EQ(conf_read_password_file("d/pw", &pw, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "d/pw: holds a password but is owned by uid "
	    "65534, not by root or the user running pptpcd; run \"chown root "
	    "d/pw\"");
	ATF_REQUIRE(chown("d/pw", 0, 0) == 0);

	/* A symlinked password file, even to a good one. */
	ATF_REQUIRE(rename("d/pw", "d/pw.real") == 0);
	ATF_REQUIRE(symlink("pw.real", "d/pw") == 0);
	ATF_CHECK_EQ(parse_trusted(), -1);
	ATF_CHECK_EQ(conf_read_password_file("d/pw", &pw, &len, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "d/pw: is a symbolic link; name the file itself");
	ATF_REQUIRE(unlink("d/pw") == 0);
	ATF_REQUIRE(rename("d/pw.real", "d/pw") == 0);

	/* The config file itself, group-writable, owned by another. */
	ATF_REQUIRE_EQ(parse_trusted(), 0);
	ATF_REQUIRE(chmod("d/t.conf", 0664) == 0);
	ATF_CHECK(parse_config("d/t.conf", CONF_QUIET) == NULL);
	ATF_REQUIRE(chmod("d/t.conf", 0644) == 0);
	ATF_REQUIRE(chown("d/t.conf", 65534, 65534) == 0);
	ATF_CHECK(parse_config("d/t.conf", CONF_QUIET) == NULL);
	ATF_REQUIRE(chown("d/t.conf", 0, 0) == 0);
	ATF_REQUIRE_EQ(parse_trusted(), 0);
}

ATF_TC_WITHOUT_HEAD(print_round_trip);
ATF_TC_BODY(print_round_trip, tc)
{
	struct config *a, *b;
	char *s1, *s2;

	a = parse_str("tunnel \"port\" {\n server \"port\"\n"
	    " username \"a\\\"b\\\\c\"\n"
	    " password \"q\\\\\\\"\"\n auth pap mschapv2\n mppe optional 56\n"
	    " route 10.9.0.0/16\n route 10.8.0.0/16\n"
	    " up-script \"/tmp/sp ace\"\n}\n");
	ATF_REQUIRE(a != NULL);
	ATF_CHECK_STREQ(only_tunnel(a)->password, "q\\\"");
	s1 = print_to_string(a);
	ATF_CHECK(strstr(s1, "tunnel \"port\" {\n") != NULL);
	ATF_CHECK(strstr(s1, "\tserver \"port\" port 1723\n") != NULL);
	ATF_CHECK(strstr(s1, "\tusername \"a\\\"b\\\\c\"\n") != NULL);
	ATF_CHECK(strstr(s1, "\tpassword ********\n") != NULL);
	ATF_CHECK(strstr(s1, "q\\") == NULL);
	ATF_CHECK(strstr(s1, "\troute 10.8.0.0/16\n\troute 10.9.0.0/16\n")
	    != NULL);
	b = parse_str(s1);
	ATF_REQUIRE(b != NULL);
	s2 = print_to_string(b);
	ATF_CHECK_STREQ(s1, s2);
	free(s1);
	free(s2);
	config_free(a);
	config_free(b);
}

ATF_TC_WITHOUT_HEAD(errors);
ATF_TC_BODY(errors, tc)
{
	static const char *const bad[] = {
		BASE "\tmtu 1400\n\tmtu 1400\n}\n",
		BASE "\tnope\n}\n",
		BASE "}\ntunnel office {\n}\n",
		BASE,
		BASE "\troute 10.0.0.1/8\n}\n",
		BASE "\tmtu 99999999999999999999999\n}\n",
		BASE "\tmtu $nomacro\n}\n",
		"tunnel a {\n\tserver 192.0.2.1\n}\n",
		"}\n",
		"{\n",
		"tunnel\n",
		"= x\n",
		"\"unterminated\n",
		"tunnel a { server 192.0.2.1 \\\n",
	};
	struct config *conf;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ATF_CHECK_MSG(parse_str(bad[i]) == NULL, "%zu", i);
	/* Empty input and comments alone are a valid, empty config. */
	conf = parse_config_buffer("e", "", 0, CONF_QUIET);
	ATF_REQUIRE(conf != NULL);
	ATF_CHECK(TAILQ_EMPTY(&conf->tunnels));
	config_free(conf);
	conf = parse_str("# nothing\n\n");
	ATF_REQUIRE(conf != NULL);
	config_free(conf);
}

/* MS-CHAP hashes the password as UTF-16: -n must refuse what it cannot. */
ATF_TC_WITHOUT_HEAD(mschap_password_utf8);
ATF_TC_BODY(mschap_password_utf8, tc)
{
	struct config *conf;
	char cwd[512], conftext[1024];

	/* Not UTF-8, with the default auth mschapv2, and with mschap. */
	ATF_CHECK(parse_str("tunnel a {\n server 192.0.2.1\n username u\n"
	    " password \"p\xe4ss\"\n}\n") == NULL);
	ATF_CHECK(parse_str("tunnel a {\n server 192.0.2.1\n username u\n"
	    " password \"\xc3\"\n auth pap mschap\n}\n") == NULL);
	/* Fine for PAP and CHAP-MD5, which send the bytes as they are. */
	conf = parse_str("tunnel a {\n server 192.0.2.1\n username u\n"
	    " password \"p\xe4ss\"\n auth pap chap-md5\n mppe off\n}\n");
	ATF_CHECK_EQ(only_tunnel(conf)->password_len, 4);
	config_free(conf);
	/* UTF-8 beyond ASCII is what MS-CHAP expects. */
	conf = parse_str("tunnel a {\n server 192.0.2.1\n username u\n"
	    " password \"p\xc3\xa4ss\"\n}\n");
	ATF_CHECK_EQ(only_tunnel(conf)->password_len, 5);
	config_free(conf);

	/* The same check for a password file, once it is read. */
	write_file("latin1", "p\xe4ss\n", 5, 0600);
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(conftext, sizeof(conftext), "tunnel a {\n server 192.0.2.1\n"
	    " username u\n password-file \"%s/latin1\"\n}\n", cwd);
	ATF_CHECK(parse_str(conftext) == NULL);
	conf = parse_config_buffer("t", conftext, strlen(conftext),
	    CONF_QUIET | CONF_NOFILES);
	ATF_CHECK(conf != NULL);
	config_free(conf);
}

/* Every prefix of a rich config: a clean result or a clean error. */
ATF_TC_WITHOUT_HEAD(truncated);
ATF_TC_BODY(truncated, tc)
{
	const char *full = "m = \"192.0.2.1\"\nn = 1400\n"
	    "tunnel t {\n\tserver $m port 1723 # c\n\tusername 'u'\n"
	    "\tpassword \"p\\\"q\"\n\tmtu $n\n\troute 10.0.0.0/8\n"
	    "\tmppe required 40 128 stateful\n\tauth mschap mschapv2\n"
	    "\treconnect 1 2\n\tkeepalive 3 4\n}\n";
	struct config *conf;
	size_t i, n = strlen(full);
	char *copy;

	for (i = 0; i <= n; i++) {
		/* A heap copy of exactly i bytes, so ASan sees an overread. */
		copy = malloc(i + 1);
		ATF_REQUIRE(copy != NULL);
		memcpy(copy, full, i);
		conf = parse_config_buffer("t", copy, i, CONF_QUIET);
		if (i == n)
			ATF_CHECK(conf != NULL);
		config_free(conf);
		free(copy);
	}
}

ATF_TC_WITHOUT_HEAD(oversized);
ATF_TC_BODY(oversized, tc)
{
	static char text[8192];
	struct config *conf;
	size_t n;

	/* A word and a quoted string longer than the lexer's buffer. */
	n = snprintf(text, sizeof(text), "tunnel a {\n server ");
	memset(text + n, 'a', 3000);
	strcpy(text + n + 3000, "\n}\n");
	ATF_CHECK(parse_str(text) == NULL);
	n = snprintf(text, sizeof(text), "tunnel a {\n username \"");
	memset(text + n, 'a', 3000);
	strcpy(text + n + 3000, "\"\n}\n");
	ATF_CHECK(parse_str(text) == NULL);
	/* A password one byte too long, and one of the longest. */
	n = snprintf(text, sizeof(text), BASE "}\ntunnel b {\n server x\n"
	    " username u\n password \"");
	memset(text + n, 'p', CONF_PASSWORD_MAX + 1);
	strcpy(text + n + CONF_PASSWORD_MAX + 1, "\"\n}\n");
	ATF_CHECK(parse_str(text) == NULL);
	strcpy(text + n + CONF_PASSWORD_MAX, "\"\n}\n");
	conf = parse_str(text);
	ATF_REQUIRE(conf != NULL);
	ATF_CHECK_EQ(config_find_tunnel(conf, "b")->password_len,
	    CONF_PASSWORD_MAX);
	config_free(conf);
	/* A macro whose value nearly fills the pushback buffer, used twice. */
	n = snprintf(text, sizeof(text), "v = \"");
	memset(text + n, 'v', 1000);
	n += 1000;
	n += snprintf(text + n, sizeof(text) - n, "\"\ntunnel a {\n"
	    " username $v $v\n}\n");
	ATF_CHECK(parse_str(text) == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, defaults);
	ATF_TP_ADD_TC(tp, every_field);
	ATF_TP_ADD_TC(tp, several_tunnels);
	ATF_TP_ADD_TC(tp, equal_for_reload);
	ATF_TP_ADD_TC(tp, routes);
	ATF_TP_ADD_TC(tp, names_and_hosts);
	ATF_TP_ADD_TC(tp, password_files);
	ATF_TP_ADD_TC(tp, config_file_secrecy);
	ATF_TP_ADD_TC(tp, trusted_files);
	ATF_TP_ADD_TC(tp, print_round_trip);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, mschap_password_utf8);
	ATF_TP_ADD_TC(tp, truncated);
	ATF_TP_ADD_TC(tp, oversized);
	return atf_no_error();
}
