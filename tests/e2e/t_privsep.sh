#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# Privilege separation (doc/privsep.md) end to end, against the test peer
# in two namespaces (lib.sh):
#   - process_model: with a tunnel up, the parent is root and the only
#     root process of pptpcd; the engine runs as the pptpc user, without
#     capabilities, with NoNewPrivs and a seccomp filter, in the empty
#     directory (all read from /proc);
#   - engine_killed: SIGKILL to the engine while a transfer runs, ten
#     times: each time the parent says so, a new engine dials, the tunnel
#     is up again and passes traffic, no second interface or stale route
#     is left, and the parent holds as many descriptors as before;
#   - seccomp_kill: a system call outside the allow-list (the test
#     build's SIGUSR2 hook) kills the engine with SIGSYS; the parent says
#     so and recovers the same way;
#   - sd_notify: under a stand-in for systemd's notify socket (SO_PASSCRED,
#     sdnotify_listen.py), READY=1, WATCHDOG=1, RELOADING=1 and
#     STOPPING=1 come from the parent's pid (NotifyAccess=main), none
#     from the engine's; an engine stopped with SIGSTOP stops answering
#     the parent's pings, and within a watchdog period and a half the
#     parent kills it, says why in STATUS=, goes on answering the
#     watchdog, and a new engine brings the tunnel back up.
#   - server_by_name: the server is a name, resolved by the sandboxed
#     engine from the resolv.conf and hosts text the parent hands it;
#     with the tunnel up, resolv.conf changes to another name server, and
#     the next dial asks that one.  pptpcd's own /etc/resolv.conf and
#     /etc/hosts are ip netns exec's binds of /etc/netns/NAME/ (the
#     namespace is the test's), never the host's.
# The engine's user is created here if the host lacks it (useradd
# --system, as make install does).

PRIVSEP_USER=pptpc
PRIVSEP_ROOT=/var/lib/pptpcd/empty

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
	atf_fail "$*"
}

common_head()
{
	atf_set descr "$1"
	atf_set require.user root
	atf_set require.progs "busybox ip jq"
	atf_set timeout 300
}

begin()
{
	e2e_env
	# sd_notify's wrapper, that gives pptpcd its WATCHDOG_PID.
	[ -n "$PRIVSEP_DAEMON" ] && E2E_PPTPCD_SAN=$PRIVSEP_DAEMON
	for _b in "$E2E_PEER" "$E2E_PPTPCD_SAN" "$E2E_PPTPCTL"; do
		[ -x "$_b" ] || atf_skip "$_b is not built (make tests)"
	done
	[ -c /dev/net/tun ] || atf_skip "no /dev/net/tun"
	if ! id "$PRIVSEP_USER" > /dev/null 2>&1; then
		echo "creating the user $PRIVSEP_USER (useradd --system)" >&2
		useradd --system --no-create-home --home-dir /nonexistent \
		    --shell /usr/sbin/nologin "$PRIVSEP_USER" ||
		    atf_skip "cannot create the user $PRIVSEP_USER"
	fi
	e2e_netns_create || fail "cannot create the network namespaces"
	e2e_peer_start || fail "the test peer did not start"
	e2e_conf "auth mschapv2" "mppe required 128" "keepalive 2 3" \
	    "reconnect 1 4" "route 203.0.113.0/24"
	# The test build, with its hooks; restarts after 100 ms, not 1 s.
	PPTPCD_TEST_BACKOFF_MS=100; export PPTPCD_TEST_BACKOFF_MS
	e2e_daemon_start_san || fail "cannot start pptpcd"
	e2e_wait_state up 30 || fail "the tunnel was not up within 30 s"
}

parent_pid()
{
	cat "$E2E_DIR/pptpcd.pid"
}

# The engine: the parent's child that is pptpcd (scripts are not).
engine_pid()
{
	for _c in $(cat /proc/$(parent_pid)/task/*/children 2>/dev/null); do
		[ "$(readlink /proc/$_c/exe 2>/dev/null)" = \
		    "$(readlink /proc/$(parent_pid)/exe)" ] && echo "$_c"
	done
}

status_field()
{
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}

fd_count()
{
	ls "/proc/$1/fd" | wc -l
}

# wait_engine OLD: until an engine other than OLD runs (20 s).
wait_engine()
{
	_n=0
	while :; do
		_e=$(engine_pid)
		[ -n "$_e" ] && [ "$_e" != "$1" ] && { echo "$_e"; return 0; }
		_n=$((_n + 1))
		[ $_n -ge 200 ] && return 1
		sleep 0.1
	done
}

tun_count()
{
	e2e_cli ip -o link show type tun | wc -l
}

atf_test_case process_model cleanup
process_model_head()
{
	common_head "the engine runs unprivileged, chrooted and seccomp'd"
}
process_model_body()
{
	begin
	_p=$(parent_pid)
	_e=$(engine_pid)
	[ -n "$_e" ] || fail "no engine process"
	[ "$(status_field "$_p" Uid | head -1)" = 0 ] || fail "parent not root"
	for _f in Uid Gid; do
		_v=$(awk -v f="$_f:" '$1 == f { print $2, $3, $4, $5 }' \
		    "/proc/$_e/status")
		case " $_v " in
		*" 0 "*) fail "engine $_f has 0: $_v" ;;
		esac
	done
	[ "$(status_field "$_e" Uid)" = "$(id -u $PRIVSEP_USER)" ] ||
	    fail "engine is not $PRIVSEP_USER"
	[ "$(status_field "$_e" CapEff)" = 0000000000000000 ] ||
	    fail "engine CapEff $(status_field "$_e" CapEff)"
	[ "$(status_field "$_e" CapPrm)" = 0000000000000000 ] ||
	    fail "engine CapPrm $(status_field "$_e" CapPrm)"
	[ "$(status_field "$_e" NoNewPrivs)" = 1 ] || fail "NoNewPrivs not 1"
	[ "$(status_field "$_e" Seccomp)" = 2 ] || fail "Seccomp not 2"
	[ "$(readlink "/proc/$_e/root")" = "$PRIVSEP_ROOT" ] ||
	    fail "engine root is $(readlink "/proc/$_e/root")"
	[ -z "$(ls -A "$PRIVSEP_ROOT")" ] || fail "$PRIVSEP_ROOT is not empty"
	# The only root process of pptpcd is the parent.
	for _c in $_p $(cat /proc/$_p/task/*/children) \
	    $(cat /proc/$_e/task/*/children 2>/dev/null); do
		[ "$_c" = "$_p" ] && continue
		[ "$(status_field "$_c" Uid | cut -c1)" != 0 ] ||
		    [ "$(status_field "$_c" Uid)" != 0 ] ||
		    fail "process $_c of pptpcd is root"
	done
	ping_ok
}
process_model_cleanup()
{
	e2e_env
	e2e_cleanup
}

ping_ok()
{
	e2e_ping 203.0.113.1 3 > ping.out 2>&1 ||
	    { cat ping.out >&2; fail "no ping reply through the tunnel"; }
}

# A transfer that runs while the engine is killed: its fate is not
# asserted (the tunnel goes away under it), only that it was running.
transfer_bg()
{
	head -c 50000000 /dev/zero > data
	ip netns exec "$E2E_SRV" busybox nc -l -p 5001 < data &
	e2e_remember $! "$E2E_DIR/pids"
	sleep 0.3
	e2e_cli timeout 20 busybox nc "$E2E_LOCAL" 5001 > got 2>/dev/null &
	e2e_remember $! "$E2E_DIR/pids"
	sleep 0.5
}

# kill_engine SIG WHY-ERE: the engine dies of SIG, the parent says
# WHY-ERE, a new engine brings the tunnel back.
kill_engine()
{
	_old=$(engine_pid)
	[ -n "$_old" ] || fail "no engine process"
	_lines=$(grep -c "privsep: the engine" pptpcd.log)
	kill "-$1" "$_old"
	_n=0
	while [ "$(grep -c "privsep: the engine" pptpcd.log)" -le "$_lines" ]
	do
		_n=$((_n + 1))
		[ $_n -ge 100 ] && fail "the parent did not log the death"
		sleep 0.1
	done
	grep "privsep: the engine" pptpcd.log | tail -1 | grep -Eq "$2" ||
	    fail "the parent logged: $(grep "privsep: the engine" \
	    pptpcd.log | tail -1)"
	_new=$(wait_engine "$_old") || fail "no new engine"
	e2e_wait_state up 30 || fail "the tunnel was not back up"
	[ "$(tun_count)" = 1 ] || fail "$(tun_count) tun interfaces"
	ping_ok
}

atf_test_case engine_killed cleanup
engine_killed_head()
{
	common_head "SIGKILL to the engine: cleaned up, restarted, back up"
}
engine_killed_body()
{
	begin
	_p=$(parent_pid)
	e2e_cli ip route show > routes.before
	_fds=$(fd_count "$_p")
	transfer_bg
	kill_engine KILL "killed by signal 9"
	_i=1
	while [ $_i -lt 10 ]; do
		kill_engine KILL "killed by signal 9"
		_i=$((_i + 1))
	done
	e2e_daemon_alive || fail "the parent died"
	[ "$(fd_count "$_p")" = "$_fds" ] ||
	    { ls -l "/proc/$_p/fd" >&2
	    fail "parent fds: $_fds before, $(fd_count "$_p") after"; }
	# The routes are the session's again, none left over from before.
	e2e_cli ip route show > routes.after
	cmp -s routes.before routes.after ||
	    { diff routes.before routes.after >&2; fail "routes differ"; }
	# A polite stop still removes everything.
	e2e_daemon_kill TERM || fail "pptpcd did not stop"
	[ "$(tun_count)" = 0 ] || fail "a tun interface is left"
}
engine_killed_cleanup()
{
	e2e_env
	e2e_cleanup
}

atf_test_case seccomp_kill cleanup
seccomp_kill_head()
{
	common_head "a system call outside the allow-list kills the engine"
}
seccomp_kill_body()
{
	begin
	kill_engine USR2 "signal 31 .*seccomp"
	e2e_daemon_kill TERM || fail "pptpcd did not stop"
}
seccomp_kill_cleanup()
{
	e2e_env
	e2e_cleanup
}

# notify_count ERE [PID]: datagrams matching ERE (from PID only, if given).
notify_count()
{
	if [ -n "$2" ]; then
		awk -v p="$2" '$1 == p' notify.log | grep -Ec -- "$1"
	else
		grep -Ec -- "$1" notify.log
	fi
}

# wait_notify ERE PID MIN: until MIN datagrams from PID match ERE (20 s).
wait_notify()
{
	_n=0
	while [ "$(notify_count "$1" "$2")" -lt "$3" ]; do
		_n=$((_n + 1))
		[ $_n -ge 200 ] && { cat notify.log >&2
		    fail "no $3 \"$1\" from pid $2 in 20 s"; }
		sleep 0.1
	done
}

atf_test_case sd_notify cleanup
sd_notify_head()
{
	common_head "systemd's notify protocol and watchdog, from the parent"
}
sd_notify_body()
{
	e2e_env
	command -v python3 > /dev/null || atf_skip "no python3"
	: > notify.log
	python3 "$(atf_get_srcdir)/sdnotify_listen.py" "$E2E_DIR/notify.sock" \
	    "$E2E_DIR/notify.log" &
	e2e_remember $! "$E2E_DIR/pids"
	_n=0
	while [ ! -S notify.sock ]; do
		_n=$((_n + 1))
		[ $_n -ge 100 ] && fail "the notify listener did not start"
		sleep 0.1
	done
	# What systemd gives the main process: a 2 s period, its own pid.
	NOTIFY_SOCKET=$E2E_DIR/notify.sock; export NOTIFY_SOCKET
	WATCHDOG_USEC=2000000; export WATCHDOG_USEC
	[ -x "$E2E_PPTPCD_SAN" ] || atf_skip "$E2E_PPTPCD_SAN is not built"
	PRIVSEP_DAEMON=$E2E_DIR/pptpcd-wd
	printf '#! /bin/sh\nexport WATCHDOG_PID=$$\nexec "%s" "$@"\n' \
	    "$E2E_PPTPCD_SAN" > "$PRIVSEP_DAEMON"
	chmod +x "$PRIVSEP_DAEMON"
	begin
	unset NOTIFY_SOCKET WATCHDOG_USEC
	_p=$(parent_pid)
	_e=$(engine_pid)
	[ -n "$_e" ] || fail "no engine process"
	wait_notify "^[0-9]+ READY=1[|]STATUS=1 tunnel configured" "$_p" 1
	wait_notify "WATCHDOG=1" "$_p" 3
	# NotifyAccess=main: nothing may come from another process.
	[ "$(awk -v p="$_p" '$1 != p' notify.log | wc -l)" = 0 ] ||
	    { cat notify.log >&2; fail "a datagram not from the parent"; }
	# A reload, through the engine's control socket, told around.
	e2e_ctl reload > reload.out 2>&1 ||
	    { cat reload.out >&2; fail "pptpctl reload failed"; }
	wait_notify "^[0-9]+ RELOADING=1\$" "$_p" 1
	wait_notify "READY=1[|]STATUS=reloaded: 1 unchanged" "$_p" 1

	# A hung engine: its loop stops, SIGSTOP being the surest hang.
	_lines=$(grep -c "has not answered" pptpcd.log)
	kill -STOP "$_e"
	e2e_wait_log pptpcd.log "privsep: the engine \\(pid $_e\\) has not \
answered for [0-9]+ ms; killing it" 10 ||
	    fail "the parent did not kill the stopped engine"
	e2e_wait_log pptpcd.log "engine \\(pid $_e\\) was killed by signal 9" 10 ||
	    fail "the stopped engine was not killed"
	wait_notify "STATUS=the engine \\(pid $_e\\) was killed by signal 9; \
starting a new one" "$_p" 1
	_new=$(wait_engine "$_e") || fail "no new engine"
	e2e_wait_state up 30 || fail "the tunnel was not back up"
	ping_ok
	# The parent answered the watchdog all along, and the new engine
	# said it serves.
	_wd=$(notify_count "WATCHDOG=1" "$_p")
	wait_notify "WATCHDOG=1" "$_p" $((_wd + 2))
	wait_notify "READY=1[|]STATUS=1 tunnel configured" "$_p" 2
	[ "$(awk -v p="$_p" '$1 != p' notify.log | wc -l)" = 0 ] ||
	    { cat notify.log >&2; fail "a datagram not from the parent"; }

	e2e_daemon_kill TERM || fail "pptpcd did not stop"
	[ "$(notify_count "^[0-9]+ STOPPING=1\$" "$_p")" = 1 ] ||
	    { cat notify.log >&2; fail "no STOPPING=1 from the parent"; }
}
sd_notify_cleanup()
{
	e2e_env
	e2e_cleanup
}

DNS_NAME=vpn.e2e.test
DNS_A=198.51.100.1	# the peer's address: the first name server
DNS_B=198.51.100.3	# the second, on the same link

# resolv_set TEXT: pptpcd's resolv.conf, written in place (the bind
# mount holds the inode).
resolv_set()
{
	printf '%s' "$1" > "/etc/netns/$E2E_CLI/resolv.conf"
}

dns_start()
{
	# $1: a or b, $2: the address it listens on.
	: > "$E2E_DIR/dns-$1.log"
	e2e_bg srv "$E2E_TOP/tests/dns/fake-dns" "$2" "$E2E_SRV_ADDR" \
	    >> "$E2E_DIR/dns-$1.log" 2>&1 < /dev/null || return 1
	e2e_wait_log "$E2E_DIR/dns-$1.log" 'listening on' 10
}

queries()
{
	# evdns randomizes the case of the letters it asks (0x20).
	grep -ic "^query $DNS_NAME\$" "$E2E_DIR/dns-$1.log"
}

atf_test_case server_by_name cleanup
server_by_name_head()
{
	common_head "a server given by name follows a changed resolv.conf"
}
server_by_name_body()
{
	e2e_env
	E2E_FAKEDNS="$E2E_TOP/tests/dns/fake-dns"
	[ -x "$E2E_FAKEDNS" ] || atf_skip "$E2E_FAKEDNS is not built (make tests)"
	for _b in "$E2E_PEER" "$E2E_PPTPCD_SAN" "$E2E_PPTPCTL"; do
		[ -x "$_b" ] || atf_skip "$_b is not built (make tests)"
	done
	[ -c /dev/net/tun ] || atf_skip "no /dev/net/tun"
	id "$PRIVSEP_USER" > /dev/null 2>&1 ||
	    useradd --system --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin "$PRIVSEP_USER" ||
	    atf_skip "cannot create the user $PRIVSEP_USER"
	e2e_netns_create || fail "cannot create the network namespaces"
	# The namespace's name is the test's own: so is this directory.
	mkdir -p "/etc/netns/$E2E_CLI" || fail "cannot make /etc/netns"
	resolv_set "nameserver $DNS_A
"
	printf '127.0.0.1 localhost\n' > "/etc/netns/$E2E_CLI/hosts"
	e2e_srv ip addr add "$DNS_B/24" dev vsrv ||
	    fail "cannot add $DNS_B"
	dns_start a "$DNS_A" || fail "name server A did not start"
	dns_start b "$DNS_B" || fail "name server B did not start"
	e2e_peer_start || fail "the test peer did not start"
	e2e_conf "auth mschapv2" "mppe required 128" "keepalive 2 3" \
	    "reconnect 1 4" "route 203.0.113.0/24"
	sed -i "s/server $E2E_SRV_ADDR/server $DNS_NAME/" \
	    "$E2E_DIR/pptpcd.conf"
	grep -q "server $DNS_NAME" "$E2E_DIR/pptpcd.conf" ||
	    fail "the server is not a name"
	e2e_daemon_start_san || fail "cannot start pptpcd"
	e2e_wait_state up 30 || fail "the tunnel was not up within 30 s"
	[ "$(queries a)" -ge 1 ] || fail "name server A was not asked"
	[ "$(queries b)" = 0 ] || fail "name server B was asked too early"
	ping_ok

	# A new lease: another name server, a different size.
	resolv_set "# changed by the test
nameserver $DNS_B
"
	_a=$(queries a)
	e2e_ctl disconnect "$E2E_TUNNEL" > /dev/null ||
	    fail "pptpctl disconnect failed"
	e2e_ctl connect "$E2E_TUNNEL" > /dev/null ||
	    fail "pptpctl connect failed"
	e2e_wait_state up 30 || fail "the tunnel was not back up"
	[ "$(queries b)" -ge 1 ] || fail "name server B was not asked"
	[ "$(queries a)" = "$_a" ] || fail "name server A was asked again"
	ping_ok
	e2e_daemon_kill TERM || fail "pptpcd did not stop"
}
server_by_name_cleanup()
{
	e2e_env
	e2e_names
	e2e_cleanup
	case $E2E_CLI in
	"$E2E_PREFIX"-cli-*)	rm -rf "/etc/netns/$E2E_CLI" ;;
	esac
}

atf_init_test_cases()
{
	atf_add_test_case process_model
	atf_add_test_case engine_killed
	atf_add_test_case seccomp_kill
	atf_add_test_case sd_notify
	atf_add_test_case server_by_name
}
