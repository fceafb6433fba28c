/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The fake host of priv_fake.h, and stubs for the kernel calls that
 * route.c names (the parent's checks use route_check() alone).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pipex_map.h"
#include "priv_fake.h"
#include "route.h"

struct priv_fake priv_fake;

void
priv_fake_reset(void)
{
	memset(&priv_fake, 0, sizeof(priv_fake));
}

static void
note(const char *fmt, ...)
{
	size_t n = strlen(priv_fake.log);
	va_list ap;

	va_start(ap, fmt);
	if (n < sizeof(priv_fake.log))
		vsnprintf(priv_fake.log + n, sizeof(priv_fake.log) - n, fmt,
		    ap);
	va_end(ap);
	priv_fake.calls++;
}

static int
f_route(int add, const struct route_spec *r, char *err, size_t errlen)
{
	char d[96];

	(void)err;
	(void)errlen;
	route_describe(r, d, sizeof(d));
	note("%s %s;", add ? "add" : "del", d);
	return 0;
}

static int
f_reject(int add, struct in_addr dst, uint8_t plen, uint32_t table,
    char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	if (table != ROUTE_TABLE_DEFAULT)
		note("%s reject %s/%u table %u;", add ? "add" : "del",
		    inet_ntoa(dst), plen, table);
	else
		note("%s reject %s/%u;", add ? "add" : "del",
		    inet_ntoa(dst), plen);
	return 0;
}

static int
f_tun_open(struct tun *t, const char *want, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	if ((t->fd = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		return -1;
	if (want != NULL && want[0] != '\0')
		snprintf(t->name, sizeof(t->name), "%s", want);
	else
		snprintf(t->name, sizeof(t->name), "tun%d",
		    priv_fake.next_tun++);
	note("tun %s;", t->name);
	return 0;
}

static int
f_iface_addr(int set, const char *ifname, struct in_addr local,
    struct in_addr peer, char *err, size_t errlen)
{
	char l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];

	(void)err;
	(void)errlen;
	inet_ntop(AF_INET, &local, l, sizeof(l));
	inet_ntop(AF_INET, &peer, p, sizeof(p));
	note("%s %s %s %s;", set ? "addr" : "deladdr", ifname, l, p);
	return 0;
}

static int
f_iface_mtu(const char *ifname, unsigned int mtu, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	note("mtu %s %u;", ifname, mtu);
	return 0;
}

static int
f_iface_up(const char *ifname, int up, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	note("%s %s;", up ? "up" : "down", ifname);
	return 0;
}

static int
f_iface_exists(const char *ifname)
{
	(void)ifname;
	return priv_fake.iface_exists;
}

static int
f_script(struct priv_parent *p, struct ptun *t, int which, const char *path,
    const struct script_env *env, char *err, size_t errlen)
{
	char l[INET_ADDRSTRLEN], pe[INET_ADDRSTRLEN];

	(void)p;
	(void)t;
	(void)err;
	(void)errlen;
	inet_ntop(AF_INET, &env->local, l, sizeof(l));
	inet_ntop(AF_INET, &env->peer, pe, sizeof(pe));
	note("script %d %s TUNNEL=%s INTERFACE=%s LOCAL=%s PEER=%s MTU=%u;",
	    which, path, env->tunnel, env->interface, l, pe, env->mtu);
	return 0;
}

/* Unchanged if the engine names any identity; else empty text. */
static int
f_resolv_files(const struct resolve_file_id *have,
    struct priv_resolv_text *a, int *fd)
{
	note("resolv-files %d;", have != NULL);
	*fd = -1;
	if (have != NULL)
		return 0;
	if ((*fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	a->changed = 1;
	return 0;
}

static int
f_gre_socket(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	note("gre;");
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

static int
f_reload(void *arg, char *msg, size_t msglen)
{
	(void)arg;
	priv_fake.reloads++;
	note("reload;");
	snprintf(msg, msglen, "reloaded");
	return 0;
}

static int
f_open_dev(const char *path, int flags, char *err, size_t errlen)
{
	(void)flags;
	(void)err;
	(void)errlen;
	note("open %s;", path);
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

static int
f_socket(int domain, int type, int protocol, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	(void)err;
	(void)errlen;
	note("socket %d %d %d;", domain, type, protocol);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (fstat(fd, &st) == 0)
		priv_fake.pptp[priv_fake.npptp++ % 16] = st.st_ino;
	return fd;
}

/* One of socket()'s, which stand for PPTP sockets. */
static int
f_is_pptp(int fd)
{
	struct stat st;
	unsigned int i;

	if (fstat(fd, &st) == -1 || !S_ISSOCK(st.st_mode))
		return 0;
	for (i = 0; i < 16 && i < priv_fake.npptp; i++)
		if (priv_fake.pptp[i] == st.st_ino)
			return 1;
	return 0;
}

/* socket()'s are AF_PPPOX, PPTP; any other descriptor what it is. */
static int
f_sock_proto(int fd, int *domain, int *protocol)
{
	socklen_t len;

	if (f_is_pptp(fd)) {
		*domain = 24;		/* AF_PPPOX */
		*protocol = 2;		/* PX_PROTO_PPTP */
		return 0;
	}
	len = sizeof(*domain);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, domain, &len) == -1)
		return -1;
	len = sizeof(*protocol);
	return getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, protocol, &len);
}

static int
f_ppp_chan(int fd, int *chan)
{
	if (!f_is_pptp(fd)) {
		errno = ENOTTY;
		return -1;
	}
	note("gchan %d;", priv_fake.ppp_chan);
	*chan = priv_fake.ppp_chan;
	return 0;
}

/* A descriptor of /dev/null stands for unit 7, anything else for none. */
static int
f_ppp_unit(int fd)
{
	return fcntl(fd, F_GETFD) != -1 ? priv_fake.ppp_unit : -1;
}

static int
f_nft(int op, const char *ifname, uint16_t mss, struct in_addr server,
    uint16_t call_id, uint64_t *value, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	(void)call_id;
	note("nft %d %s %u %s;", op, ifname, mss, inet_ntoa(server));
	*value = 42;
	return 0;
}

static int
f_ppp_newunit(int fd, int *unit)
{
	if (fcntl(fd, F_GETFD) == -1)
		return -1;
	note("newunit %d;", *unit);
	*unit = priv_fake.ppp_unit;
	return 0;
}

static int
f_ppp_attchan(int fd, int chan)
{
	if (fcntl(fd, F_GETFD) == -1)
		return -1;
	note("attchan %d;", chan);
	return 0;
}

static int
f_dns_apply(const char *tunnel, const char *ifname,
    const struct in_addr *servers, size_t n, const char *const *domains,
    size_t ndomains, int *used, char *err, size_t errlen)
{
	char a[INET_ADDRSTRLEN];
	size_t i;

	(void)err;
	(void)errlen;
	note("dns apply %s %s", tunnel, ifname);
	for (i = 0; i < n; i++)
		note(" %s", inet_ntop(AF_INET, &servers[i], a, sizeof(a)));
	for (i = 0; i < ndomains; i++)
		note(" ~%s", domains[i]);
	note(";");
	*used = 2;	/* DNS_BACKEND_RESOLVCONF */
	return 0;
}

static int
f_dns_revert(const char *tunnel, const char *ifname, int backend, char *err,
    size_t errlen)
{
	(void)err;
	(void)errlen;
	note("dns revert %s %s %d;", tunnel, ifname, backend);
	return 0;
}

static int
f_wansock(int kind, uint32_t mark, unsigned int rtable, struct in_addr local,
    char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	note("wansock %s mark %u rtable %u from %s;", kind == PRIV_WANSOCK_TCP ?
	    "tcp" : "gre", mark, rtable, inet_ntoa(local));
	return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static int
f_sock_mark(int fd, uint32_t mark, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	if (fcntl(fd, F_GETFD) == -1)
		return -1;
	note("mark %u;", mark);
	return 0;
}

static int
f_iface_rdomain(const char *ifname, unsigned int rdomain, char *err,
    size_t errlen)
{
	(void)err;
	(void)errlen;
	note("rdomain %s %u;", ifname, rdomain);
	return 0;
}

static int
f_addr6(int add, const char *ifname, struct in6_addr local, uint8_t plen,
    struct in6_addr peer, char *err, size_t errlen)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	(void)err;
	(void)errlen;
	note("%s addr6 %s %s/%u peer %s;", add ? "add" : "del", ifname,
	    inet_ntop(AF_INET6, &local, a, sizeof(a)), plen,
	    inet_ntop(AF_INET6, &peer, b, sizeof(b)));
	return 0;
}

static int
f_route6(int add, const char *ifname, struct in6_addr dst, uint8_t plen,
    uint32_t table, char *err, size_t errlen)
{
	char a[INET6_ADDRSTRLEN];

	(void)err;
	(void)errlen;
	note("%s route6 %s/%u via %s table %u;", add ? "add" : "del",
	    inet_ntop(AF_INET6, &dst, a, sizeof(a)), plen, ifname, table);
	return 0;
}

static int
f_reject6(int add, struct in6_addr dst, uint8_t plen, uint32_t table,
    char *err, size_t errlen)
{
	char a[INET6_ADDRSTRLEN];

	(void)err;
	(void)errlen;
	note("%s reject6 %s/%u table %u;", add ? "add" : "del",
	    inet_ntop(AF_INET6, &dst, a, sizeof(a)), plen, table);
	return 0;
}

/* pipex: the session's numbers as the parent built them, logged. */
static int
f_pipex_probe(char *why, size_t len)
{
	note("pipex probe;");
	if (priv_fake.pipex_off) {
		snprintf(why, len, "pipex is disabled: set sysctl "
		    "net.pipex.enable=1");
		return -1;
	}
	return 0;
}

static int
f_pipex_socket(struct in_addr local, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	note("pipex socket %s;", inet_ntoa(local));
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

static int
f_pipex_add(const struct pipex_session_req *req, const char *tag,
    char *ifname, size_t iflen, uint16_t *mru, char *err, size_t errlen)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

	(void)err;
	(void)errlen;
	inet_ntop(AF_INET, &req->pr_ip_srcaddr, src, sizeof(src));
	inet_ntop(AF_INET, &req->pr_ip_address, dst, sizeof(dst));
	note("pipex add %s %u/%u %s %s mru %u flags 0x%x keybits %d/%d;",
	    tag, req->pr_session_id, req->pr_peer_session_id, src, dst,
	    req->pr_peer_mru, req->pr_ppp_flags,
	    req->pr_mppe_send.keylenbits, req->pr_mppe_recv.keylenbits);
	snprintf(ifname, iflen, "pppx%d", priv_fake.next_pppx++);
	*mru = req->pr_peer_mru;
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

static int
f_pipex_del(int fd, uint16_t call_id, struct priv_pipex_counters *c)
{
	note("pipex del %u%s;", call_id, fcntl(fd, F_GETFD) == -1 ?
	    " (bad fd)" : "");
	c->ipackets = 11;
	c->obytes = 2200;
	return 0;
}

static int
f_pipex_stat(int fd, uint16_t call_id, struct priv_pipex_counters *c)
{
	note("pipex stat %u%s;", call_id, fcntl(fd, F_GETFD) == -1 ?
	    " (bad fd)" : "");
	c->ipackets = 10;
	c->obytes = 2000;
	return 0;
}

static void
f_pipex_close(int fd)
{
	note("pipex close;");
	close(fd);
}

const struct priv_ops priv_fake_ops = {
	.pipex_probe = f_pipex_probe,
	.pipex_socket = f_pipex_socket,
	.pipex_add = f_pipex_add,
	.pipex_del = f_pipex_del,
	.pipex_stat = f_pipex_stat,
	.pipex_close = f_pipex_close,
	.dns_apply = f_dns_apply,
	.dns_revert = f_dns_revert,
	.wansock = f_wansock,
	.sock_mark = f_sock_mark,
	.iface_rdomain = f_iface_rdomain,
	.addr6 = f_addr6,
	.route6 = f_route6,
	.reject6 = f_reject6,
	.ppp_newunit = f_ppp_newunit,
	.ppp_attchan = f_ppp_attchan,
	.sock_proto = f_sock_proto,
	.ppp_chan = f_ppp_chan,
	.open_dev = f_open_dev,
	.socket = f_socket,
	.ppp_unit = f_ppp_unit,
	.nft = f_nft,
	.route = f_route,
	.reject = f_reject,
	.tun_open = f_tun_open,
	.iface_addr = f_iface_addr,
	.iface_mtu = f_iface_mtu,
	.iface_up = f_iface_up,
	.iface_exists = f_iface_exists,
	.script = f_script,
	.gre_socket = f_gre_socket,
	.reload = f_reload,
	.resolv_files = f_resolv_files,
};

/* route.c's kernel calls: never reached through the fake ops. */
int
kroute_change(int add, const struct route_spec *r, const char *what,
    char *err, size_t errlen)
{
	(void)add;
	(void)r;
	snprintf(err, errlen, "%s: not in this test", what);
	errno = ENOSYS;
	return -1;
}

int
kroute_get(struct in_addr dst, const struct route_where *w,
    struct route_nexthop *nh, char *err, size_t errlen)
{
	(void)dst;
	(void)w;
	(void)nh;
	snprintf(err, errlen, "not in this test");
	errno = ENOSYS;
	return -1;
}

/* tun.c's batch read names it; the parent's checks use tun.c's checks. */
ssize_t
tun_read(struct tun *t, uint8_t *buf, size_t len)
{
	(void)t;
	(void)buf;
	(void)len;
	errno = ENOSYS;
	return -1;
}
