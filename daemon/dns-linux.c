/*
 * Copyright (c) 2026 The pptpc developers
 * SPDX-License-Identifier: ISC (see LICENSE)
 */
/*
 * DNS for a tunnel on Linux (dns.h): systemd-resolved per link over
 * D-Bus where it runs, else resolvconf(8).
 *
 * resolved is asked first because where it runs it owns the resolver
 * configuration (and its resolvconf is only a shim onto the same calls).
 * It runs when its bus name, org.freedesktop.resolve1, has an owner on
 * the system bus; sd-bus finds that bus at DBUS_SYSTEM_BUS_ADDRESS when
 * set (the tests point it at a private dbus-daemon), else at
 * /run/dbus/system_bus_socket.  The link gets:
 *   SetLinkDNS		the servers from IPCP;
 *   SetLinkDomains	with dns-domains, each as a routing-only domain
 *			("~corp.example": names under it go to the tunnel's
 *			servers); without, "~." (every name does);
 *   SetLinkDefaultRoute	no with dns-domains (the tunnel's servers answer
 *			only for its domains, as NetworkManager sets up a
 *			split VPN), yes without (a full VPN: no name leaks
 *			to the other links' servers).
 * RevertLink puts the link back as it was; a link that goes (the
 * interface is destroyed, pptpcd dies) is forgotten by resolved anyway.
 *
 * resolvconf: "resolvconf -a IFNAME" with nameserver and search lines on
 * stdin, "resolvconf -d IFNAME" to take the record back, after which
 * resolvconf writes what the other records (or, for openresolv, its
 * backup of the file it first replaced) say, as before the tunnel.  A
 * record outlives a pptpcd that is killed, so each one is noted in
 * DNS_STATE_DIR until it is taken back, and dns_recover() takes back at
 * the next start those whose interface is gone (a live one may be
 * another pptpcd's).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <net/if.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#include "dns.h"
#include "log.h"

#define RESOLVE1_NAME	"org.freedesktop.resolve1"
#define RESOLVE1_PATH	"/org/freedesktop/resolve1"
#define RESOLVE1_IFACE	"org.freedesktop.resolve1.Manager"
#define RESOLVCONF_ENV	"PATH=/usr/sbin:/usr/bin:/sbin:/bin"
#define RESOLVCONF_OUT	160	/* of its complaint, into err */

/* ---- systemd-resolved ---- */

static void
bus_err(char *err, size_t errlen, const char *what, const sd_bus_error *e,
    int r)
{
	snprintf(err, errlen, "systemd-resolved: %s: %s", what,
	    e != NULL && sd_bus_error_is_set(e) && e->message != NULL ?
	    e->message : strerror(-r));
}

/* The system bus with a short call timeout, or NULL: none to talk to. */
static sd_bus *
bus_open(void)
{
	sd_bus *bus = NULL;

	if (sd_bus_open_system(&bus) < 0)
		return NULL;
	(void)sd_bus_set_method_call_timeout(bus,
	    (uint64_t)DNS_TIMEOUT_MS * 1000);
	return bus;
}

/* 1 when resolved owns its name on bus, 0 when not (or no bus at all). */
static int
resolved_running(sd_bus *bus)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int has = 0;

	if (sd_bus_call_method(bus, "org.freedesktop.DBus",
	    "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
	    &e, &reply, "s", RESOLVE1_NAME) < 0 ||
	    sd_bus_message_read(reply, "b", &has) < 0)
		has = 0;
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	return has != 0;
}

static int
resolved_call(sd_bus *bus, sd_bus_message *m, const char *what, char *err,
    size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_call(bus, m, 0, &e, NULL);
	if (r < 0)
		bus_err(err, errlen, what, &e, r);
	sd_bus_error_free(&e);
	return r < 0 ? -1 : 0;
}

static int
resolved_apply(sd_bus *bus, int ifindex, const struct in_addr *servers,
    size_t n, const char *const *domains, size_t ndomains, char *err,
    size_t errlen)
{
	sd_bus_message *m = NULL;
	size_t i;
	int r;

	r = sd_bus_message_new_method_call(bus, &m, RESOLVE1_NAME,
	    RESOLVE1_PATH, RESOLVE1_IFACE, "SetLinkDNS");
	if (r >= 0)
		r = sd_bus_message_append(m, "i", ifindex);
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "(iay)");
	for (i = 0; r >= 0 && i < n; i++) {
		r = sd_bus_message_open_container(m, 'r', "iay");
		if (r >= 0)
			r = sd_bus_message_append(m, "i", AF_INET);
		if (r >= 0)
			r = sd_bus_message_append_array(m, 'y', &servers[i],
			    sizeof(servers[i]));
		if (r >= 0)
			r = sd_bus_message_close_container(m);
	}
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	if (r < 0) {
		bus_err(err, errlen, "SetLinkDNS", NULL, r);
		sd_bus_message_unref(m);
		return -1;
	}
	r = resolved_call(bus, m, "SetLinkDNS", err, errlen);
	m = sd_bus_message_unref(m);
	if (r == -1)
		return -1;

	r = sd_bus_message_new_method_call(bus, &m, RESOLVE1_NAME,
	    RESOLVE1_PATH, RESOLVE1_IFACE, "SetLinkDomains");
	if (r >= 0)
		r = sd_bus_message_append(m, "i", ifindex);
	if (r >= 0)
		r = sd_bus_message_open_container(m, 'a', "(sb)");
	/* Routing-only: ("corp.example", true) is resolvectl's "~corp.example". */
	for (i = 0; r >= 0 && i < ndomains; i++)
		r = sd_bus_message_append(m, "(sb)", domains[i], 1);
	if (r >= 0 && ndomains == 0)
		r = sd_bus_message_append(m, "(sb)", ".", 1);
	if (r >= 0)
		r = sd_bus_message_close_container(m);
	if (r < 0) {
		bus_err(err, errlen, "SetLinkDomains", NULL, r);
		sd_bus_message_unref(m);
		return -1;
	}
	r = resolved_call(bus, m, "SetLinkDomains", err, errlen);
	sd_bus_message_unref(m);
	if (r == -1)
		return -1;

	/*
	 * resolved before 240 has no SetLinkDefaultRoute: there a link with
	 * routing domains is already used for those alone.
	 */
	{
		sd_bus_error e = SD_BUS_ERROR_NULL;

		r = sd_bus_call_method(bus, RESOLVE1_NAME, RESOLVE1_PATH,
		    RESOLVE1_IFACE, "SetLinkDefaultRoute", &e, NULL, "ib",
		    ifindex, ndomains == 0);
		if (r < 0 && !sd_bus_error_has_name(&e,
		    SD_BUS_ERROR_UNKNOWN_METHOD)) {
			bus_err(err, errlen, "SetLinkDefaultRoute", &e, r);
			sd_bus_error_free(&e);
			return -1;
		}
		sd_bus_error_free(&e);
	}
	return 0;
}

static int
resolved_revert(sd_bus *bus, int ifindex, char *err, size_t errlen)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	r = sd_bus_call_method(bus, RESOLVE1_NAME, RESOLVE1_PATH,
	    RESOLVE1_IFACE, "RevertLink", &e, NULL, "i", ifindex);
	if (r < 0)
		bus_err(err, errlen, "RevertLink", &e, r);
	sd_bus_error_free(&e);
	return r < 0 ? -1 : 0;
}

/* ---- resolvconf ---- */

static const char *
resolvconf_path(void)
{
	static const char *const paths[] = {
		"/sbin/resolvconf", "/usr/sbin/resolvconf",
		"/usr/bin/resolvconf", "/bin/resolvconf",
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Its output, on one line, for a message. */
static void
flatten(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	for (; *s != '\0'; s++)
		if (*s == '\n' || (unsigned char)*s < ' ')
			*s = ' ';
}

/*
 * Runs "resolvconf op ifname" with input on its stdin, in a process
 * group of its own, and waits for it until DNS_TIMEOUT_MS, then kills
 * the group.  0 if it exited 0; else -1 with what it said in err.
 */
static int
resolvconf_run(const char *path, const char *op, const char *ifname,
    const char *input, size_t inlen, char *err, size_t errlen)
{
	char *const argv[] = { (char *)"resolvconf", (char *)op,
	    (char *)ifname, NULL };
	char *const envp[] = { (char *)RESOLVCONF_ENV, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char out[RESOLVCONF_OUT + 1];
	size_t outlen = 0;
	int in[2] = { -1, -1 }, o[2] = { -1, -1 }, status = 0, r, timedout = 0;
	int64_t deadline = now_ms() + DNS_TIMEOUT_MS;
	sigset_t none, all;
	struct pollfd pfd;
	ssize_t k;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(o, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "resolvconf: pipe: %s", strerror(errno));
		goto fail;
	}
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, o[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, o[1], STDERR_FILENO);
	posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
	posix_spawnattr_init(&at);
	/* The daemon's signal mask and handlers are not the child's. */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	r = posix_spawn(&pid, path, &fa, &at, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (r != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(r));
		goto fail;
	}
	close(in[0]);
	close(o[1]);
	in[0] = o[1] = -1;
	/* A few hundred bytes: the pipe takes them without blocking. */
	if (inlen > 0 && write(in[1], input, inlen) != (ssize_t)inlen)
		log_debug("resolvconf %s %s: short write to its stdin", op,
		    ifname);
	close(in[1]);
	in[1] = -1;

	pfd.fd = o[0];
	pfd.events = POLLIN;
	for (;;) {
		int64_t left = deadline - now_ms();

		if (left <= 0) {
			timedout = 1;
			break;
		}
		if (poll(&pfd, 1, (int)left) == -1) {
			if (errno == EINTR)
				continue;
			timedout = 1;
			break;
		}
		if (pfd.revents == 0)
			continue;
		if (outlen < RESOLVCONF_OUT)
			k = read(o[0], out + outlen, RESOLVCONF_OUT - outlen);
		else {
			char sink[256];

			k = read(o[0], sink, sizeof(sink));
		}
		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0)
			break;			/* EOF: it is done */
		if (outlen < RESOLVCONF_OUT)
			outlen += k;
	}
	out[outlen] = '\0';
	close(o[0]);
	o[0] = -1;
	/* Done with its output; it may still linger: the deadline holds. */
	while (!timedout && (r = waitpid(pid, &status, WNOHANG)) == 0) {
		if (now_ms() >= deadline)
			timedout = 1;
		else
			poll(NULL, 0, 10);
	}
	if (timedout) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		snprintf(err, errlen, "resolvconf %s %s: no answer in %d ms; "
		    "killed", op, ifname, DNS_TIMEOUT_MS);
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	flatten(out);
	if (WIFEXITED(status))
		snprintf(err, errlen, "resolvconf %s %s: exit %d%s%s", op,
		    ifname, WEXITSTATUS(status), out[0] != '\0' ? ": " : "",
		    out);
	else
		snprintf(err, errlen, "resolvconf %s %s: killed by signal %d",
		    op, ifname, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return -1;
fail:
	if (in[0] != -1)
		close(in[0]);
	if (in[1] != -1)
		close(in[1]);
	if (o[0] != -1)
		close(o[0]);
	if (o[1] != -1)
		close(o[1]);
	return -1;
}

/* A resolvconf record in force, noted so that a restart can find it. */
static void
state_note(const char *ifname, int on)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", DNS_STATE_DIR, ifname);
	if (!on) {
		if (unlink(path) == -1 && errno != ENOENT)
			log_warn("dns: %s", path);
		return;
	}
	if (mkdir(DNS_STATE_DIR, 0700) == -1 && errno != EEXIST) {
		log_warn("dns: %s", DNS_STATE_DIR);
		return;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1)
		log_warn("dns: %s", path);
	else
		close(fd);
}

int
dns_recover(void)
{
	char err[DNS_ERR_MAX];
	struct dirent *de;
	const char *rc;
	int n = 0;
	DIR *d;

	if ((d = opendir(DNS_STATE_DIR)) == NULL)
		return 0;
	rc = resolvconf_path();
	while ((de = readdir(d)) != NULL) {
		if (!dns_ifname_valid(de->d_name) ||
		    if_nametoindex(de->d_name) != 0)
			continue;
		if (rc == NULL) {
			log_warnx("dns: resolvconf is gone; its record %s, "
			    "left by a pptpcd that did not stop, stays",
			    de->d_name);
			continue;
		}
		if (resolvconf_run(rc, "-d", de->d_name, NULL, 0, err,
		    sizeof(err)) == -1) {
			log_warnx("dns: %s", err);
			continue;
		}
		log_info("dns: took back resolvconf's record %s, left by a "
		    "pptpcd that did not stop", de->d_name);
		if (unlinkat(dirfd(d), de->d_name, 0) == -1)
			log_warn("dns: %s/%s", DNS_STATE_DIR, de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/* ---- The API ---- */

int
dns_apply(const char *tunnel, const char *ifname,
    const struct in_addr *servers, size_t n, const char *const *domains,
    size_t ndomains, enum dns_backend *used, char *err, size_t errlen)
{
	char text[DNS_TEXT_MAX];
	const char *rc;
	unsigned int ifindex;
	sd_bus *bus;
	int len, r;

	(void)tunnel;
	*used = DNS_BACKEND_NONE;
	if (dns_check(ifname, servers, n, domains, ndomains, err,
	    errlen) == -1)
		return -1;
	if ((ifindex = if_nametoindex(ifname)) == 0) {
		snprintf(err, errlen, "dns: %s: %s", ifname, strerror(errno));
		return -1;
	}
	if ((bus = bus_open()) != NULL) {
		if (resolved_running(bus)) {
			r = resolved_apply(bus, (int)ifindex, servers, n,
			    domains, ndomains, err, errlen);
			/* Half a link's settings are worse than none. */
			if (r == -1) {
				char e2[DNS_ERR_MAX];

				(void)resolved_revert(bus, (int)ifindex, e2,
				    sizeof(e2));
			} else
				*used = DNS_BACKEND_RESOLVED;
			sd_bus_flush_close_unref(bus);
			return r;
		}
		sd_bus_flush_close_unref(bus);
	}
	if ((rc = resolvconf_path()) == NULL) {
		snprintf(err, errlen, "dns: neither systemd-resolved (%s on "
		    "the system bus) nor resolvconf(8) is there; the host's "
		    "DNS is left as it is", RESOLVE1_NAME);
		return -1;
	}
	if ((len = dns_resolvconf_text(text, sizeof(text), servers, n,
	    domains, ndomains)) == -1) {
		snprintf(err, errlen, "dns: too many domains");
		return -1;
	}
	if (resolvconf_run(rc, "-a", ifname, text, (size_t)len, err,
	    errlen) == -1) {
		/* A record may have gone in before it failed. */
		char e2[DNS_ERR_MAX];

		(void)resolvconf_run(rc, "-d", ifname, NULL, 0, e2,
		    sizeof(e2));
		return -1;
	}
	*used = DNS_BACKEND_RESOLVCONF;
	state_note(ifname, 1);
	return 0;
}

int
dns_revert(const char *tunnel, const char *ifname, enum dns_backend backend,
    char *err, size_t errlen)
{
	unsigned int ifindex;
	const char *rc;
	sd_bus *bus;
	int r;

	(void)tunnel;
	if (!dns_ifname_valid(ifname)) {
		snprintf(err, errlen, "dns: not an interface name");
		return -1;
	}
	switch (backend) {
	case DNS_BACKEND_NONE:
		return 0;
	case DNS_BACKEND_RESOLVED:
		/* Gone: resolved has dropped the link and what it held. */
		if ((ifindex = if_nametoindex(ifname)) == 0)
			return 0;
		if ((bus = bus_open()) == NULL) {
			snprintf(err, errlen, "systemd-resolved: no system "
			    "bus to revert %s on", ifname);
			return -1;
		}
		r = resolved_revert(bus, (int)ifindex, err, errlen);
		sd_bus_flush_close_unref(bus);
		return r;
	case DNS_BACKEND_RESOLVCONF:
		if ((rc = resolvconf_path()) == NULL) {
			snprintf(err, errlen, "resolvconf: gone; its record "
			    "for %s stays", ifname);
			return -1;
		}
		if (resolvconf_run(rc, "-d", ifname, NULL, 0, err,
		    errlen) == -1)
			return -1;
		state_note(ifname, 0);
		return 0;
	case DNS_BACKEND_PROPOSAL:
		break;
	}
	snprintf(err, errlen, "dns: backend %d is not this system's",
	    (int)backend);
	return -1;
}
