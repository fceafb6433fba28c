#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# "dns apply" end to end: the real pptpcd dials the test peer (which
# gives 192.0.2.53 and 192.0.2.54 in IPCP, lib.sh) and hands those
# servers to the host's real resolver machinery, then takes them back.
#
# pptpcd runs in a mount namespace of the test's own (dns_ns): /etc is an
# overlay on the host's, so the test owns its /etc/resolv.conf, and /run
# is a fresh tmpfs, so resolvconf's state is private and there is no
# system bus (no systemd-resolved).  The host's files are never touched.
#   resolvconf_*  the real resolvconf (openresolv, .ci/deps.sh) writes the
#                 namespace's resolv.conf; the test checks it while up
#                 and byte for byte after (after a SIGKILL: at the next
#                 start).
#   resolved_*    a real dbus-daemon on a private socket with a stand-in
#                 for systemd-resolved (fake-resolved.py) that records
#                 the calls; pptpcd finds it through
#                 DBUS_SYSTEM_BUS_ADDRESS, as sd-bus does.
#   no_backend    neither: a warning, and the tunnel works.

e2e_env()
{
	E2E_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd)
	E2E_DIR=$(pwd)
	E2E_PREFIX=pptpc-e2e
	. "$(atf_get_srcdir)/lib.sh"
}

fail()
{
	e2e_logs >&2
	[ -f "$E2E_DIR/calls" ] && { echo "---- calls"; cat "$E2E_DIR/calls"; } >&2
	atf_fail "$*"
}

common_head()
{
	atf_set descr "$1"
	atf_set require.user root
	atf_set require.progs "ip jq busybox unshare nsenter"
	atf_set timeout 120
}

# What the test's resolv.conf holds before: resolvconf must give it back.
DNS_ORIG='# the test'"'"'s own resolv.conf
nameserver 203.0.113.99
search example.net
options edns0
'

# begin [PEER-ARG...]
begin()
{
	e2e_env
	for _b in "$E2E_PEER" "$E2E_PPTPCD" "$E2E_PPTPCTL"; do
		[ -x "$_b" ] || atf_skip "$_b is not built (make tests)"
	done
	[ -c /dev/net/tun ] || atf_skip "no /dev/net/tun"
	grep -qw overlay /proc/filesystems || atf_skip "no overlayfs"
	printf '%s' "$DNS_ORIG" > orig
	e2e_netns_create || fail "cannot create the network namespaces"
	e2e_peer_start "$@" || fail "the test peer did not start"
}

# dns_ns [mask]: the client's mount namespace, held by a sleeping shell
# ($DNS_HOLDER); "mask" hides resolvconf (a file that cannot execute).
dns_ns()
{
	cat > ns.sh <<'EOF'
set -e
mount -t tmpfs pptpc-dns "$1"
mkdir "$1/upper" "$1/work"
mount -t overlay pptpc-dns \
    -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc
mount -t tmpfs pptpc-dns-run /run
cat "$2" > /etc/resolv.conf
if [ "$3" = mask ]; then
	for f in /usr/sbin/resolvconf /usr/bin/resolvconf; do
		[ -e "$f" ] && mount --bind /dev/null "$f"
	done
fi
echo ready
exec sleep 600
EOF
	mkdir -p nsroot
	e2e_bg cli unshare -m --propagation private sh "$E2E_DIR/ns.sh" \
	    "$E2E_DIR/nsroot" "$E2E_DIR/orig" "${1:-}" > ns.out 2>&1
	DNS_HOLDER=$E2E_BG_PID
	e2e_wait_log ns.out ready 10 ||
	    { cat ns.out >&2; fail "cannot build the mount namespace"; }
	dns_now > now
	cmp -s now orig || fail "the namespace's resolv.conf is not the test's"
}

dns_now()
{
	nsenter -t "$DNS_HOLDER" -m cat /etc/resolv.conf
}

# dial [CONF-LINE...]: pptpcd in the namespace; DNS_BUS, if set, is the
# system bus it finds.  The sanitizer build where there is one: the
# sd-bus and resolvconf paths run in no other e2e test.
dial()
{
	e2e_conf "auth mschapv2" "mppe required 128" "keepalive 2 3" \
	    "reconnect 1 8" "$@"
	: > "$E2E_DIR/pptpcd.log"
	_bin=$E2E_PPTPCD
	[ -x "$E2E_PPTPCD_SAN" ] && _bin=$E2E_PPTPCD_SAN
	e2e_bg cli env ${DNS_BUS:+DBUS_SYSTEM_BUS_ADDRESS=$DNS_BUS} \
	    ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    nsenter -t "$DNS_HOLDER" -m -- "$_bin" -d -v \
	    -f "$E2E_DIR/pptpcd.conf" -s "$E2E_DIR/ctl.sock" \
	    >> "$E2E_DIR/pptpcd.log" 2>&1 < /dev/null ||
	    fail "cannot start pptpcd"
	echo "$E2E_BG_PID" > "$E2E_DIR/pptpcd.pid"
	e2e_wait_state up 30 || fail "the tunnel was not up within 30 s"
}

expect_field()
{
	_v=$(e2e_field "$1")
	[ "$_v" = "$2" ] || fail "pptpctl: $1 is \"$_v\", expected \"$2\""
}

expect_applied()
{
	dns_now > now
	grep -qx "nameserver 192.0.2.53" now && grep -qx \
	    "nameserver 192.0.2.54" now ||
	    { cat now >&2; fail "resolv.conf lacks the tunnel's servers"; }
	[ "$(grep -m1 '^nameserver' now)" = "nameserver 192.0.2.53" ] ||
	    { cat now >&2; fail "the tunnel's servers are not first"; }
	expect_field dns_applied resolvconf
}

# stop: SIGTERM, and the log free of sanitizer reports.
stop()
{
	e2e_daemon_kill TERM || fail "pptpcd did not stop"
	! grep -Eq "Sanitizer|runtime error" pptpcd.log ||
	    fail "a sanitizer report in pptpcd's log"
}

expect_restored()
{
	dns_now > now
	cmp now orig || { diff orig now >&2; fail "resolv.conf is not back \
byte for byte ($1)"; }
}

down()
{
	e2e_ctl disconnect "$E2E_TUNNEL" > /dev/null || fail "disconnect refused"
	e2e_wait_state idle 20 || fail "not idle after disconnect"
}

atf_test_case resolvconf_up_down cleanup
resolvconf_up_down_head()
{
	common_head "resolvconf gets the tunnel's servers while up; down, a stop of pptpcd: the old resolv.conf byte for byte"
}
resolvconf_up_down_body()
{
	[ -x /usr/sbin/resolvconf ] || [ -x /sbin/resolvconf ] ||
	    atf_skip "resolvconf is not installed (.ci/deps.sh: openresolv)"
	begin
	dns_ns
	dial "dns apply"
	expect_applied
	e2e_wait_log pptpcd.log "dns: applied to .* through resolvconf" 5 ||
	    fail "no log line names the backend"
	e2e_ping "$E2E_LOCAL" 2 > /dev/null 2>&1 || fail "no ping"
	down
	expect_restored "after a disconnect"
	expect_field dns_applied ""
	e2e_ctl connect "$E2E_TUNNEL" > /dev/null || fail "connect refused"
	e2e_wait_state up 30 || fail "not up again"
	expect_applied
	# A polite stop takes it back too.
	stop
	expect_restored "after pptpcd stopped"
}
resolvconf_up_down_cleanup()
{
	e2e_env
	e2e_cleanup
}

# Privilege separation: the parent applied the DNS, so the parent takes
# it back when the engine dies, before a new engine dials again.
atf_test_case engine_killed cleanup
engine_killed_head()
{
	common_head "the engine killed: the parent takes the tunnel's DNS back at once; the next engine's tunnel applies it again"
}
engine_killed_body()
{
	[ -x /usr/sbin/resolvconf ] || [ -x /sbin/resolvconf ] ||
	    atf_skip "resolvconf is not installed (.ci/deps.sh: openresolv)"
	begin
	dns_ns
	# Time to look before the next engine (test builds only).
	PPTPCD_TEST_BACKOFF_MS=5000
	export PPTPCD_TEST_BACKOFF_MS
	dial "dns apply"
	expect_applied
	_p=$(cat "$E2E_DIR/pptpcd.pid")
	_e=
	for _c in $(cat /proc/$_p/task/*/children 2>/dev/null); do
		[ "$(readlink /proc/$_c/exe)" = "$(readlink /proc/$_p/exe)" ] &&
		    _e=$_c
	done
	[ -n "$_e" ] || fail "no engine process (pptpcd -S?)"
	kill -KILL "$_e"
	e2e_wait_log pptpcd.log "dns: the engine is gone; the host's DNS is \
back" 5 || fail "the parent did not take the DNS back"
	expect_restored "once the engine died"
	e2e_wait_state up 30 || fail "not up again under a new engine"
	expect_applied
	stop
	expect_restored "after pptpcd stopped"
}
engine_killed_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case resolvconf_reload cleanup
resolvconf_reload_head()
{
	common_head "dns-domains become resolvconf's search line; a reload turns dns off and on without a redial"
}
resolvconf_reload_body()
{
	[ -x /usr/sbin/resolvconf ] || [ -x /sbin/resolvconf ] ||
	    atf_skip "resolvconf is not installed (.ci/deps.sh: openresolv)"
	begin
	dns_ns
	dial "dns apply" "dns-domains corp.example lab.example"
	expect_applied
	grep -q "^search.* corp.example lab.example" now ||
	    grep -q "^search corp.example lab.example" now ||
	    { cat now >&2; fail "no search line with the domains"; }
	_if=$(e2e_field interface)

	e2e_conf "auth mschapv2" "mppe required 128" "keepalive 2 3" \
	    "reconnect 1 8" "dns no"
	e2e_ctl reload > /dev/null || fail "reload refused"
	e2e_wait_log pptpcd.log "DNS is back as it was" 10 ||
	    fail "the reload did not take the DNS back"
	expect_restored "after a reload to dns no"
	expect_field state up
	expect_field interface "$_if"
	expect_field dns_applied ""

	e2e_conf "auth mschapv2" "mppe required 128" "keepalive 2 3" \
	    "reconnect 1 8" "dns apply"
	e2e_ctl reload > /dev/null || fail "reload refused"
	_n=50
	while [ "$(e2e_field dns_applied)" != resolvconf ] && [ $_n -gt 0 ]; do
		sleep 0.2
		_n=$((_n - 1))
	done
	expect_applied
	expect_field interface "$_if"
	[ "$(grep -c 'closing\|configuration changed' pptpcd.log)" = 0 ] ||
	    fail "a change of dns alone redialled the tunnel"
	down
	expect_restored "after a disconnect"
	stop
}
resolvconf_reload_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case resolvconf_crash cleanup
resolvconf_crash_head()
{
	common_head "a pptpcd killed with its record in resolvconf: the next start takes it back"
}
resolvconf_crash_body()
{
	[ -x /usr/sbin/resolvconf ] || [ -x /sbin/resolvconf ] ||
	    atf_skip "resolvconf is not installed (.ci/deps.sh: openresolv)"
	begin
	dns_ns
	dial "dns apply"
	expect_applied
	_if=$(e2e_field interface)
	nsenter -t "$DNS_HOLDER" -m test -f "/run/pptpcd-dns/$_if" ||
	    fail "the record for $_if is not noted"
	e2e_daemon_kill KILL || fail "pptpcd did not die"
	# Nothing ran to take it back: resolvconf still lists the servers.
	dns_now > now
	grep -qx "nameserver 192.0.2.53" now ||
	    fail "the record went without pptpcd (the test proves nothing)"
	rm -f "$E2E_DIR/ctl.sock"
	dial "dns no"
	e2e_wait_log pptpcd.log "took back resolvconf's record $_if" 5 ||
	    fail "the next start did not take the record back"
	expect_restored "at the next start"
	! nsenter -t "$DNS_HOLDER" -m test -e "/run/pptpcd-dns/$_if" ||
	    fail "the note for $_if stays"
	stop
}
resolvconf_crash_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case hostile_server cleanup
hostile_server_head()
{
	common_head "a server that names 127.0.0.1 as a DNS server: that one is not lent to the host, the other is"
}
hostile_server_body()
{
	[ -x /usr/sbin/resolvconf ] || [ -x /sbin/resolvconf ] ||
	    atf_skip "resolvconf is not installed (.ci/deps.sh: openresolv)"
	e2e_env
	begin --dns 127.0.0.1,192.0.2.54
	dns_ns
	dial "dns apply"
	e2e_wait_log pptpcd.log "named 127.0.0.1 as a DNS server; not lent" 5 ||
	    fail "no warning about 127.0.0.1"
	dns_now > now
	grep -qx "nameserver 192.0.2.54" now ||
	    { cat now >&2; fail "the usable server is not applied"; }
	! grep -q "127.0.0.1" now ||
	    { cat now >&2; fail "127.0.0.1 reached resolv.conf"; }
	down
	expect_restored "after a disconnect"
	stop
}
hostile_server_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case no_backend cleanup
no_backend_head()
{
	common_head "neither resolved nor resolvconf: a warning, resolv.conf untouched, the tunnel carries"
}
no_backend_body()
{
	begin
	dns_ns mask
	dial "dns apply"
	e2e_wait_log pptpcd.log "neither systemd-resolved .* nor resolvconf" 5 ||
	    fail "no warning that nothing could take the DNS servers"
	expect_field dns_applied ""
	expect_restored "with no backend"
	e2e_ping "$E2E_LOCAL" 2 > /dev/null 2>&1 || fail "no ping"
	stop
}
no_backend_cleanup()
{
	e2e_env
	e2e_cleanup
}

# A private bus with the stand-in for resolved on it: DNS_BUS.
fake_resolved()
{
	command -v dbus-daemon > /dev/null 2>&1 || atf_skip "no dbus-daemon"
	/usr/bin/python3 -c 'import dbus, gi' 2>/dev/null ||
	    atf_skip "no python3-dbus or python3-gi"
	cat > bus.conf <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <listen>unix:path=$E2E_DIR/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
EOF
	dbus-daemon --config-file="$E2E_DIR/bus.conf" --nofork --nopidfile \
	    --print-address=1 > bus.addr 2> bus.err < /dev/null &
	e2e_remember $! "$E2E_DIR/pids"
	e2e_wait_log bus.addr unix 10 || { cat bus.err >&2; fail "no bus"; }
	DNS_BUS="unix:path=$E2E_DIR/bus"
	: > calls
	DBUS_SYSTEM_BUS_ADDRESS=$DNS_BUS /usr/bin/python3 \
	    "$(atf_get_srcdir)/fake-resolved.py" "$E2E_DIR/calls" \
	    > fake.out 2>&1 < /dev/null &
	e2e_remember $! "$E2E_DIR/pids"
	e2e_wait_log fake.out ready 10 ||
	    { cat fake.out >&2; fail "the stand-in for resolved did not start"; }
}

# expect_calls FILE: the calls so far are exactly FILE's lines.
expect_calls()
{
	_n=50
	while ! cmp -s calls "$1" && [ $_n -gt 0 ]; do
		sleep 0.1
		_n=$((_n - 1))
	done
	cmp -s calls "$1" || { diff "$1" calls >&2; fail "resolved got other calls"; }
}

atf_test_case resolved_link cleanup
resolved_link_head()
{
	common_head "systemd-resolved (a recording stand-in on a real dbus-daemon): SetLinkDNS, routing domains, RevertLink on the tunnel's link"
}
resolved_link_body()
{
	begin
	fake_resolved
	dns_ns
	dial "dns apply" "dns-domains corp.example"
	_if=$(e2e_field interface)
	_ix=$(ip -n "$E2E_CLI" -o link show dev "$_if" | cut -d: -f1)
	[ -n "$_ix" ] || fail "no index for $_if"
	expect_field dns_applied resolved
	cat > want <<EOF
SetLinkDNS $_ix 2:192.0.2.53 2:192.0.2.54
SetLinkDomains $_ix ~corp.example
SetLinkDefaultRoute $_ix false
EOF
	expect_calls want
	# resolved, not resolvconf: the file is not pptpcd's business.
	expect_restored "with resolved"
	e2e_wait_log pptpcd.log "dns: applied to $_if through resolved" 5 ||
	    fail "no log line names the backend"

	# Without domains every name goes to the tunnel's servers ("~.").
	e2e_conf "auth mschapv2" "mppe required 128" "keepalive 2 3" \
	    "reconnect 1 8" "dns apply"
	e2e_ctl reload > /dev/null || fail "reload refused"
	cat >> want <<EOF
RevertLink $_ix
SetLinkDNS $_ix 2:192.0.2.53 2:192.0.2.54
SetLinkDomains $_ix ~.
SetLinkDefaultRoute $_ix true
EOF
	expect_calls want
	expect_field interface "$_if"

	down
	echo "RevertLink $_ix" >> want
	expect_calls want
	expect_field dns_applied ""
	stop
}
resolved_link_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case resolvconf_up_down
	atf_add_test_case resolvconf_reload
	atf_add_test_case resolvconf_crash
	atf_add_test_case engine_killed
	atf_add_test_case hostile_server
	atf_add_test_case no_backend
	atf_add_test_case resolved_link
}
