/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * The configuration's data: defaults, lookup, comparison for reloads, the
 * syntax checks of values, and the handling of files that hold passwords.
 * The grammar itself is in parse.y, the printed form in printconf.c.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "auth.h"
#include "compat.h"
#include "config.h"
#include "filecheck.h"

struct config *
config_new(void)
{
	struct config *conf;

	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return NULL;
	TAILQ_INIT(&conf->tunnels);
	return conf;
}

void
config_free(struct config *conf)
{
	struct tunnel_conf *t;

	if (conf == NULL)
		return;
	while ((t = TAILQ_FIRST(&conf->tunnels)) != NULL) {
		TAILQ_REMOVE(&conf->tunnels, t, entry);
		tunnel_conf_free(t);
	}
	free(conf);
}

struct tunnel_conf *
config_find_tunnel(const struct config *conf, const char *name)
{
	struct tunnel_conf *t;

	TAILQ_FOREACH(t, &conf->tunnels, entry)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

struct tunnel_conf *
tunnel_conf_new(const char *name)
{
	struct tunnel_conf *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	/* Callers validate the name; a long one is cut, never overrun. */
	strlcpy(t->name, name, sizeof(t->name));
	TAILQ_INIT(&t->routes);
	TAILQ_INIT(&t->routes6);
	t->port = PPTP_PORT_DEFAULT;
	t->auth_allow = AUTH_ALLOW_DEFAULT;
	t->mppe = CONF_MPPE_REQUIRED;
	t->mppe_bits = MPPE_BITS_DEFAULT;
	t->mppe_stateful = 0;
	t->default_route = 0;
	t->kill_switch = 0;
	t->mtu = 0;
	t->mru = MRU_DEFAULT;
	t->keepalive = KEEPALIVE_DEFAULT;
	t->keepalive_fail = KEEPALIVE_FAIL_DEFAULT;
	t->reconnect = 1;
	t->reconnect_first = RECONNECT_FIRST_DEFAULT;
	t->reconnect_max = RECONNECT_MAX_DEFAULT;
	t->reorder_pkts = REORDER_PKTS_DEFAULT;
	t->reorder_wait_ms = REORDER_WAIT_DEFAULT;
	t->offload = OFFLOAD_AUTO;
	t->tcp_mss_adjust = 1;
	t->local_addr.s_addr = INADDR_ANY;
	t->fwmark = 0;
	t->table = 0;
	t->rdomain = 0;
	t->iface_rdomain = 0;
	return t;
}

void
conf_free_secret(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

void
tunnel_conf_free(struct tunnel_conf *t)
{
	struct route_conf *r;
	size_t i;

	if (t == NULL)
		return;
	while ((r = TAILQ_FIRST(&t->routes)) != NULL) {
		TAILQ_REMOVE(&t->routes, r, entry);
		free(r);
	}
	tunnel_conf_free6(t);
	free(t->server);
	free(t->username);
	if (t->password != NULL) {
		explicit_bzero(t->password, t->password_len);
		free(t->password);
	}
	free(t->password_file);
	free(t->up_script);
	free(t->down_script);
	for (i = 0; i < t->ndns_domains; i++)
		free(t->dns_domains[i]);
	free(t->dns_domains);
	explicit_bzero(t, sizeof(*t));
	free(t);
}

/* Routes are kept sorted so that two lists compare in one walk. */
static int
route_cmp(struct in_addr a, uint8_t alen, struct in_addr b, uint8_t blen)
{
	uint32_t ha = ntohl(a.s_addr), hb = ntohl(b.s_addr);

	if (ha != hb)
		return ha < hb ? -1 : 1;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return 0;
}

int
tunnel_conf_add_route(struct tunnel_conf *t, struct in_addr addr,
    uint8_t prefixlen)
{
	struct route_conf *r, *new;
	int c;

	TAILQ_FOREACH(r, &t->routes, entry) {
		c = route_cmp(addr, prefixlen, r->addr, r->prefixlen);
		if (c == 0) {
			errno = EEXIST;
			return -1;
		}
		if (c < 0)
			break;
	}
	if ((new = calloc(1, sizeof(*new))) == NULL)
		return -1;
	new->addr = addr;
	new->prefixlen = prefixlen;
	if (r != NULL)
		TAILQ_INSERT_BEFORE(r, new, entry);
	else
		TAILQ_INSERT_TAIL(&t->routes, new, entry);
	return 0;
}

static int
str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
tunnel_conf_add_dns_domain(struct tunnel_conf *t, const char *d)
{
	char **n, *copy;
	size_t i;

	for (i = 0; i < t->ndns_domains; i++) {
		if (strcasecmp(t->dns_domains[i], d) == 0) {
			errno = EEXIST;
			return -1;
		}
	}
	if ((copy = strdup(d)) == NULL)
		return -1;
	if ((n = reallocarray(t->dns_domains, t->ndns_domains + 1,
	    sizeof(*n))) == NULL) {
		free(copy);
		return -1;
	}
	n[t->ndns_domains++] = copy;
	t->dns_domains = n;
	return 0;
}

int
tunnel_conf_dns_equal(const struct tunnel_conf *a, const struct tunnel_conf *b)
{
	size_t i;

	if (a->dns_apply != b->dns_apply ||
	    a->ndns_domains != b->ndns_domains)
		return 0;
	for (i = 0; i < a->ndns_domains; i++)
		if (strcmp(a->dns_domains[i], b->dns_domains[i]) != 0)
			return 0;
	return 1;
}

int
tunnel_conf_equal(const struct tunnel_conf *a, const struct tunnel_conf *b)
{
	const struct route_conf *ra, *rb;

	if (strcmp(a->name, b->name) != 0 ||
	    !str_equal(a->server, b->server) || a->port != b->port ||
	    !str_equal(a->username, b->username) ||
	    !str_equal(a->password_file, b->password_file) ||
	    a->password_len != b->password_len ||
	    (a->password_len > 0 &&
	    memcmp(a->password, b->password, a->password_len) != 0) ||
	    a->auth_allow != b->auth_allow || a->mppe != b->mppe ||
	    a->mppe_bits != b->mppe_bits ||
	    a->mppe_stateful != b->mppe_stateful ||
	    strcmp(a->interface, b->interface) != 0 ||
	    a->default_route != b->default_route ||
	    a->kill_switch != b->kill_switch || a->mtu != b->mtu ||
	    a->mru != b->mru || a->keepalive != b->keepalive ||
	    a->keepalive_fail != b->keepalive_fail ||
	    a->reconnect != b->reconnect ||
	    a->reconnect_first != b->reconnect_first ||
	    a->reconnect_max != b->reconnect_max ||
	    a->reorder_pkts != b->reorder_pkts ||
	    a->reorder_wait_ms != b->reorder_wait_ms ||
	    a->offload != b->offload ||
	    a->tcp_mss_adjust != b->tcp_mss_adjust ||
	    a->local_addr.s_addr != b->local_addr.s_addr ||
	    a->fwmark != b->fwmark || a->table != b->table ||
	    a->rdomain != b->rdomain ||
	    a->iface_rdomain != b->iface_rdomain ||
	    !str_equal(a->up_script, b->up_script) ||
	    !str_equal(a->down_script, b->down_script) ||
	    !tunnel_conf_equal6(a, b))
		return 0;

	ra = TAILQ_FIRST(&a->routes);
	rb = TAILQ_FIRST(&b->routes);
	while (ra != NULL && rb != NULL) {
		if (route_cmp(ra->addr, ra->prefixlen, rb->addr,
		    rb->prefixlen) != 0)
			return 0;
		ra = TAILQ_NEXT(ra, entry);
		rb = TAILQ_NEXT(rb, entry);
	}
	return ra == NULL && rb == NULL;
}

int
conf_valid_tunnel_name(const char *name, char *err, size_t errlen)
{
	const char *p;

	if (*name == '\0') {
		snprintf(err, errlen, "tunnel name is empty");
		return -1;
	}
	if (strlen(name) > TUNNEL_NAME_MAX) {
		snprintf(err, errlen, "tunnel name \"%s\" is longer than %d "
		    "characters", name, TUNNEL_NAME_MAX);
		return -1;
	}
	/* Names end up in log lines, JSON and pptpctl arguments. */
	for (p = name; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') {
			snprintf(err, errlen, "tunnel name \"%s\" may only "
			    "hold letters, digits, \"_\" and \"-\"", name);
			return -1;
		}
	}
	return 0;
}

int
conf_valid_ifname(const char *name, char *err, size_t errlen)
{
	const char *p;

	if (*name == '\0' || strlen(name) > IFACE_NAME_MAX) {
		snprintf(err, errlen, "interface name \"%s\" must be 1 to %d "
		    "characters", name, IFACE_NAME_MAX);
		return -1;
	}
	for (p = name; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' &&
		    *p != '.') {
			snprintf(err, errlen, "interface name \"%s\" may only "
			    "hold letters, digits, \"_\", \"-\" and \".\"",
			    name);
			return -1;
		}
	}
	return 0;
}

int
conf_valid_host(const char *host, char *err, size_t errlen)
{
	struct in_addr in;
	const char *p, *label;
	size_t len = strlen(host), n;
	int numeric = 1;

	for (p = host; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			numeric = 0;
	if (len == 0) {
		snprintf(err, errlen, "server name is empty");
		return -1;
	}
	if (numeric) {
		if (inet_pton(AF_INET, host, &in) != 1) {
			snprintf(err, errlen, "server \"%s\" is not a valid "
			    "IPv4 address", host);
			return -1;
		}
		return 0;
	}
	if (strchr(host, ':') != NULL) {
		snprintf(err, errlen, "server \"%s\": PPTP is reached over "
		    "IPv4; give a host name or an IPv4 address", host);
		return -1;
	}
	/* A trailing dot marks a fully qualified name. */
	if (host[len - 1] == '.')
		len--;
	if (len == 0 || len > CONF_HOST_MAX || host[len - 1] == '.')
		goto bad;
	/* RFC 1123 labels; resolution itself waits until dial time. */
	for (label = host; label < host + len; label += n + 1) {
		for (n = 0; label + n < host + len && label[n] != '.'; n++)
			if (!isalnum((unsigned char)label[n]) &&
			    label[n] != '-')
				goto bad;
		if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-')
			goto bad;
	}
	return 0;
 bad:
	snprintf(err, errlen, "server \"%s\" is not a valid host name or "
	    "IPv4 address", host);
	return -1;
}

/*
 * "ADDRESS[/LEN]" of family af into addr (an in_addr or in6_addr) and
 * *len (the family's full length without "/LEN"): 0, or -1 if it is not
 * one.  What the length means is the caller's.
 */
int
conf_split_prefix(const char *s, int af, void *addr, int *len)
{
	char buf[INET6_ADDRSTRLEN];
	const int max = af == AF_INET6 ? 128 : 32;
	const char *slash, *p;
	size_t alen;
	int n;

	slash = strchr(s, '/');
	alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (alen >= sizeof(buf))
		return -1;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(af, buf, addr) != 1)
		return -1;
	if (slash == NULL) {
		*len = max;
		return 0;
	}
	p = slash + 1;
	if (*p == '\0' || strlen(p) > (max > 99 ? 3 : 2))
		return -1;
	for (n = 0; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		n = n * 10 + (*p - '0');
	}
	if (n > max)
		return -1;
	*len = n;
	return 0;
}

int
conf_parse_prefix(const char *s, struct in_addr *addr, uint8_t *prefixlen,
    char *err, size_t errlen)
{
	char net[INET_ADDRSTRLEN];
	struct in_addr in;
	uint32_t mask;
	int len;

	if (conf_split_prefix(s, AF_INET, &in, &len) == -1)
		goto bad;
	if (len == 0) {
		snprintf(err, errlen, "route %s covers everything; use "
		    "\"default-route yes\" instead", s);
		return -1;
	}
	mask = len == 32 ? 0xffffffffU : ~(0xffffffffU >> len);
	if ((ntohl(in.s_addr) & ~mask) != 0) {
		/* Say what was probably meant rather than guessing for them. */
		in.s_addr = htonl(ntohl(in.s_addr) & mask);
		inet_ntop(AF_INET, &in, net, sizeof(net));
		snprintf(err, errlen, "route %s has host bits set; did you "
		    "mean %s/%d?", s, net, len);
		return -1;
	}
	*addr = in;
	*prefixlen = (uint8_t)len;
	return 0;
 bad:
	snprintf(err, errlen, "route \"%s\" is not an IPv4 prefix like "
	    "10.0.0.0/8", s);
	return -1;
}

int
conf_check_trust(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* A directory is refused by the read; "-f /dev/stdin" checks a pipe. */
	if (!S_ISREG(st.st_mode))
		return 0;
	if (filecheck_fd(fd, path, 0, err, errlen) == -1 ||
	    filecheck_dirs(path, err, errlen) == -1)
		return -1;
	return 0;
}

int
conf_check_secrecy(int fd, const char *path, char *err, size_t errlen)
{
	return filecheck_fd(fd, path, FILECHECK_SECRET, err, errlen);
}

int
conf_read_password_file(const char *path, char **pw, size_t *pwlen,
    char *err, size_t errlen)
{
	/* Room for the longest password, "\r\n" and one byte to spot more. */
	char buf[CONF_PASSWORD_MAX + 3];
	size_t n = 0, len;
	ssize_t r;
	char *nl;
	int fd, ret = -1;

	*pw = NULL;
	*pwlen = 0;
	/*
	 * Not through a link: whoever may write the directory holding the link
	 * could point it anywhere.  Non-blocking, so that a FIFO in its
	 * place cannot stall us before fstat() tells what it is.
	 */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW |
	    O_NONBLOCK)) == -1) {
		if (errno == ELOOP)
			snprintf(err, errlen, "%s: is a symbolic link; name the "
			    "file itself", path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (conf_check_secrecy(fd, path, err, errlen) == -1 ||
	    filecheck_dirs(path, err, errlen) == -1)
		goto out;
	while (n < sizeof(buf)) {
		r = read(fd, buf + n, sizeof(buf) - n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (memchr(buf, '\0', n) != NULL) {
		snprintf(err, errlen, "%s: the password file holds a NUL "
		    "byte", path);
		goto out;
	}
	if ((nl = memchr(buf, '\n', n)) != NULL) {
		if ((size_t)(nl - buf) + 1 != n) {
			snprintf(err, errlen, "%s: the password file must hold "
			    "one line, the password", path);
			goto out;
		}
		len = (size_t)(nl - buf);
	} else
		len = n;
	/* A file saved by a Windows editor ends in "\r\n". */
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len == 0) {
		snprintf(err, errlen, "%s: the password file is empty", path);
		goto out;
	}
	if (len > CONF_PASSWORD_MAX) {
		snprintf(err, errlen, "%s: the password is longer than %d "
		    "bytes", path, CONF_PASSWORD_MAX);
		goto out;
	}
	if ((*pw = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	memcpy(*pw, buf, len);
	(*pw)[len] = '\0';
	*pwlen = len;
	ret = 0;
 out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return ret;
}

const char *
conf_mppe_name(enum mppe_mode m)
{
	switch (m) {
	case CONF_MPPE_REQUIRED:
		return "required";
	case CONF_MPPE_OPTIONAL:
		return "optional";
	case CONF_MPPE_OFF:
		return "off";
	}
	return "?";
}

const char *
conf_offload_name(enum offload_mode m)
{
	switch (m) {
	case OFFLOAD_AUTO:
		return "auto";
	case OFFLOAD_PIPEX:
		return "pipex";
	case OFFLOAD_KERNEL:
		return "kernel";
	case OFFLOAD_USERSPACE:
		return "userspace";
	}
	return "?";
}
