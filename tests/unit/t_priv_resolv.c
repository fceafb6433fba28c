/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The engine's side of PRIV_RESOLV_FILES (daemon/priv.c): the request it
 * sends, and its checks of the parent's answer.  The parent is trusted,
 * but a bug there must show as a refused answer, not as text read past
 * its end: a "changed" answer without a descriptor, a descriptor with
 * "unchanged", lengths over 64 kB, a descriptor holding less than the
 * lengths say.  The answer is queued on the socket before the request is
 * made, so that the engine's synchronous wait finds it at once.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <atf-c.h>
#include <errno.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "priv.h"
#include "resolv_text.h"

static const char conf_text[] = "nameserver 192.0.2.53\n";
static const char hosts_text[] = "192.0.2.7 vpn.example\n";

struct chan {
	struct event_base	*eb;
	int			 sv[2];	/* [0] engine, [1] parent */
};

static void
notice(void *arg, const struct priv_notice *n)
{
	(void)arg;
	(void)n;
}

static void
chan_open(struct chan *c)
{
	log_init(1, 0);
	ATF_REQUIRE((c->eb = event_base_new()) != NULL);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    c->sv) == 0);
	ATF_REQUIRE(priv_engine_start(c->sv[0], c->eb, notice, NULL) == 0);
}

static void
chan_close(struct chan *c)
{
	priv_engine_stop();
	close(c->sv[0]);
	close(c->sv[1]);
	event_base_free(c->eb);
}

/* A descriptor holding text, read from its start. */
static int
text_fd(const char *text, size_t len)
{
	FILE *f;
	int fd;

	ATF_REQUIRE((f = tmpfile()) != NULL);
	ATF_REQUIRE(fwrite(text, 1, len, f) == len);
	ATF_REQUIRE(fflush(f) == 0);
	ATF_REQUIRE((fd = dup(fileno(f))) != -1);
	fclose(f);
	ATF_REQUIRE(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/*
 * The parent's answer a (with fd, -1 for none), then the engine's call;
 * returns what priv_resolv_files() did, the request in *q.
 */
static int
exchange(struct chan *c, const struct priv_resolv_text *a, int fd,
    const struct resolve_file_id *have, struct resolve_text *t,
    struct priv_resolv_req *q, char *err, size_t errlen)
{
	struct privmsg m;
	char e[128];
	int r;

	ATF_REQUIRE(privmsg_send(c->sv[1], PRIV_RESOLV_TEXT, NULL, a,
	    sizeof(*a), fd) == 0);
	if (fd != -1)
		close(fd);
	r = priv_resolv_files(NULL, have, t, err, errlen);
	ATF_REQUIRE_EQ(privmsg_recv(c->sv[1], &m, e, sizeof(e)), PRIVMSG_OK);
	ATF_REQUIRE_EQ(m.hdr.type, PRIV_RESOLV_FILES);
	ATF_REQUIRE_EQ(m.hdr.len, sizeof(*q));
	ATF_REQUIRE_EQ(m.fd, -1);
	memcpy(q, m.payload, sizeof(*q));
	return r;
}

static void
good_answer(struct priv_resolv_text *a)
{
	memset(a, 0, sizeof(*a));
	a->changed = 1;
	a->id[0].ino = 11;
	a->id[1].ino = 12;
	a->len[0] = sizeof(conf_text) - 1;
	a->len[1] = sizeof(hosts_text) - 1;
}

static int
both_fd(void)
{
	char both[sizeof(conf_text) + sizeof(hosts_text)];

	snprintf(both, sizeof(both), "%s%s", conf_text, hosts_text);
	return text_fd(both, strlen(both));
}

ATF_TC_WITHOUT_HEAD(text_and_unchanged);
ATF_TC_BODY(text_and_unchanged, tc)
{
	struct resolve_file_id have[RESOLVE_TEXT_FILES];
	struct priv_resolv_text a;
	struct priv_resolv_req q;
	struct resolve_text t;
	struct chan c;
	char err[200];

	chan_open(&c);
	good_answer(&a);
	ATF_REQUIRE_EQ(exchange(&c, &a, both_fd(), NULL, &t, &q, err,
	    sizeof(err)), 1);
	ATF_CHECK_EQ(q.have, 0);
	ATF_REQUIRE_EQ(t.len[0], strlen(conf_text));
	ATF_CHECK(memcmp(t.text[0], conf_text, t.len[0]) == 0);
	ATF_REQUIRE_EQ(t.len[1], strlen(hosts_text));
	ATF_CHECK(memcmp(t.text[1], hosts_text, t.len[1]) == 0);
	ATF_CHECK_EQ(t.id[0].ino, 11);
	ATF_CHECK_EQ(t.id[1].ino, 12);

	/* The engine names what it has; "unchanged" carries nothing. */
	memcpy(have, t.id, sizeof(have));
	resolve_text_free(&t);
	memset(&a, 0, sizeof(a));
	ATF_REQUIRE_EQ(exchange(&c, &a, -1, have, &t, &q, err, sizeof(err)),
	    0);
	ATF_CHECK_EQ(q.have, 1);
	ATF_CHECK_EQ(q.id[0].ino, 11);
	ATF_CHECK_EQ(q.id[1].ino, 12);
	ATF_CHECK(t.text[0] == NULL && t.text[1] == NULL);

	/* The parent's error (a file over 64 kB) reaches the resolver. */
	memset(&a, 0, sizeof(a));
	a.error = EFBIG;
	snprintf(a.msg, sizeof(a.msg), "/etc/resolv.conf is over 65536 "
	    "bytes");
	ATF_REQUIRE_EQ(exchange(&c, &a, -1, NULL, &t, &q, err, sizeof(err)),
	    -1);
	ATF_CHECK_STREQ(err, "/etc/resolv.conf is over 65536 bytes");
	chan_close(&c);
}

ATF_TC_WITHOUT_HEAD(bad_answers);
ATF_TC_BODY(bad_answers, tc)
{
	struct priv_resolv_text a;
	struct priv_resolv_req q;
	struct resolve_text t;
	struct chan c;
	char err[200];

	chan_open(&c);
	/* "Changed" without the text. */
	good_answer(&a);
	ATF_CHECK_EQ(exchange(&c, &a, -1, NULL, &t, &q, err, sizeof(err)),
	    -1);
	/* A descriptor with "unchanged". */
	memset(&a, 0, sizeof(a));
	ATF_CHECK_EQ(exchange(&c, &a, both_fd(), NULL, &t, &q, err,
	    sizeof(err)), -1);
	/* Neither 0 nor 1. */
	good_answer(&a);
	a.changed = 2;
	ATF_CHECK_EQ(exchange(&c, &a, both_fd(), NULL, &t, &q, err,
	    sizeof(err)), -1);
	/* Lengths over 64 kB, one or the other. */
	good_answer(&a);
	a.len[1] = RESOLV_TEXT_MAX + 1;
	ATF_CHECK_EQ(exchange(&c, &a, both_fd(), NULL, &t, &q, err,
	    sizeof(err)), -1);
	good_answer(&a);
	a.len[0] = 0xffffffffu;
	ATF_CHECK_EQ(exchange(&c, &a, both_fd(), NULL, &t, &q, err,
	    sizeof(err)), -1);
	/* Less text than the lengths say: nothing half-read is kept. */
	good_answer(&a);
	a.len[1] += 100;
	ATF_CHECK_EQ(exchange(&c, &a, both_fd(), NULL, &t, &q, err,
	    sizeof(err)), -1);
	ATF_CHECK(t.text[0] == NULL && t.text[1] == NULL);
	ATF_CHECK(strstr(err, "resolver files") != NULL);
	/* A message without its NUL is cut, not read past. */
	memset(&a, 0, sizeof(a));
	a.error = EIO;
	memset(a.msg, 'x', sizeof(a.msg));
	ATF_CHECK_EQ(exchange(&c, &a, -1, NULL, &t, &q, err, sizeof(err)),
	    -1);
	ATF_CHECK_EQ(strlen(err), sizeof(a.msg) - 1);
	/* And a good answer still goes through after all that. */
	good_answer(&a);
	ATF_CHECK_EQ(exchange(&c, &a, both_fd(), NULL, &t, &q, err,
	    sizeof(err)), 1);
	resolve_text_free(&t);
	chan_close(&c);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, text_and_unchanged);
	ATF_TP_ADD_TC(tp, bad_answers);
	return atf_no_error();
}
