# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
# lib.sh: two network namespaces joined by a veth pair, the test peer in
# one and pptpcd in the other.  Sourced by t_e2e.sh (atf-sh) and demo.sh
# (plain sh); POSIX sh only.
#
#   namespace $E2E_SRV                        namespace $E2E_CLI
#     vsrv 198.51.100.1/24  <---- veth ---->    vcli 198.51.100.2/24
#     pptp-peer -l 198.51.100.1                 pptpcd -d -f $E2E_DIR/pptpcd.conf
#     tun: 192.0.2.1 peer 192.0.2.10            tun: 192.0.2.10 peer 192.0.2.1
#     lo: 203.0.113.1/32 (behind the tunnel)    -s $E2E_DIR/ctl.sock
#
# The caller sets, before sourcing:
#   E2E_TOP     the top of the source tree (binaries are found from it)
#   E2E_DIR     a directory of the run's own: config, logs, pid files,
#               the control socket.  Everything a cleanup must find is
#               kept there, because Kyua runs a test's cleanup in a
#               process of its own that shares only that directory.
#   E2E_PREFIX  namespace name prefix, e.g. pptpc-e2e or pptpc-demo
#
# Functions:
#   e2e_netns_create         both namespaces and the veth pair; names are
#                            $E2E_PREFIX-srv-PID and $E2E_PREFIX-cli-PID
#   (peer.pid and pptpcd.pid in $E2E_DIR hold the bare pids; $E2E_DIR/pids
#   has every pid started with its start time.)
#   e2e_peer_start ARGS...   pptp-peer -d -l 198.51.100.1 -u $E2E_USER
#                            -P $E2E_PASSWORD --dns 192.0.2.53,192.0.2.54
#                            ARGS..., in the server namespace; waits until
#                            it listens.  Log: $E2E_DIR/peer.log
#   e2e_peer_kill [SIG]      signal the peer (TERM) and wait for it
#   e2e_conf [LINE...]       writes the client's config (mode 0600): the
#                            tunnel "e2e" plus LINEs inside its braces
#   e2e_conf_many N [LINE...]
#                            the same with N tunnels, s1 to sN, one block
#                            each, server and credentials as macros;
#                            E2E_CHANGED=i adds "mtu 1300" to tunnel si
#                            (a reload that changes one tunnel)
#   e2e_daemon_start         pptpcd -d -v in the client namespace.
#                            Log: $E2E_DIR/pptpcd.log
#   e2e_daemon_start_san     the same with build/san/pptpcd (ASan+UBSan),
#                            every sanitizer error fatal and reported on
#                            its stderr, so in the same log
#   e2e_daemon_kill [SIG]    signal pptpcd (TERM) and wait (10 s) for it
#   e2e_daemon_alive         true while pptpcd runs
#   e2e_ctl ARGS...          pptpctl -s $E2E_DIR/ctl.sock ARGS...
#   e2e_field FIELD          the session's FIELD from pptpctl -j (a
#                            string, a number, or an array joined by ",")
#   e2e_wait_state STATE [SECS]
#                            wait until the session is in STATE; false
#                            at once if pptpcd has exited
#   e2e_wait_log FILE ERE [SECS]
#                            wait until FILE has a line matching ERE
#   e2e_bg NS CMD...         CMD in namespace NS (srv or cli) in the
#                            background (stdin /dev/null), its pid kept
#                            for the cleanup in $E2E_DIR/pids
#   e2e_remember PID FILE    keep PID (and its start time) in FILE
#   e2e_same PID START       true while that very process runs
#   e2e_ping ADDR [COUNT]    ping from the client namespace
#   e2e_srv CMD..., e2e_cli CMD...
#                            CMD in that namespace
#   e2e_logs                 print the logs (for a failed test)
#   e2e_cleanup              kill what was started, delete the namespaces

E2E_USER=e2e-user
E2E_PASSWORD=e2e-secret
E2E_TUNNEL=e2e
E2E_SRV_ADDR=198.51.100.1
E2E_CLI_ADDR=198.51.100.2
E2E_LOCAL=192.0.2.1
E2E_REMOTE=192.0.2.10

E2E_PEER="$E2E_TOP/tests/peer/pptp-peer"
E2E_PPTPCD="$E2E_TOP/daemon/pptpcd"
E2E_PPTPCTL="$E2E_TOP/ctl/pptpctl"
E2E_PPTPCD_SAN="$E2E_TOP/build/san/pptpcd"

e2e_names()
{
	E2E_SRV=$(sed -n 1p "$E2E_DIR/netns" 2>/dev/null)
	E2E_CLI=$(sed -n 2p "$E2E_DIR/netns" 2>/dev/null)
}

e2e_netns_create()
{
	E2E_SRV="$E2E_PREFIX-srv-$$"
	E2E_CLI="$E2E_PREFIX-cli-$$"
	# Written first, so that a cleanup finds a half-made pair too.
	printf '%s\n%s\n' "$E2E_SRV" "$E2E_CLI" > "$E2E_DIR/netns"
	ip netns add "$E2E_SRV" || return 1
	ip netns add "$E2E_CLI" || return 1
	ip -n "$E2E_SRV" link add name vsrv type veth peer name vcli \
	    netns "$E2E_CLI" || return 1
	ip -n "$E2E_SRV" link set lo up &&
	ip -n "$E2E_SRV" addr add "$E2E_SRV_ADDR/24" dev vsrv &&
	ip -n "$E2E_SRV" link set vsrv up &&
	ip -n "$E2E_SRV" addr add 203.0.113.1/32 dev lo &&
	ip -n "$E2E_CLI" link set lo up &&
	ip -n "$E2E_CLI" addr add "$E2E_CLI_ADDR/24" dev vcli &&
	ip -n "$E2E_CLI" link set vcli up
}

# e2e_ping ADDR [COUNT]: from the client namespace, bounded to 10 s.
# iputils' ping is not always installed; busybox's is.
e2e_ping()
{
	if command -v ping > /dev/null 2>&1; then
		ip netns exec "$E2E_CLI" ping -c "${2:-3}" -i 0.2 -w 10 "$1"
	else
		ip netns exec "$E2E_CLI" busybox ping -c "${2:-3}" -i 0.2 \
		    -w 10 "$1"
	fi
}

e2e_srv()
{
	ip netns exec "$E2E_SRV" "$@"
}

e2e_cli()
{
	ip netns exec "$E2E_CLI" "$@"
}

# e2e_starttime PID: the process's start time in clock ticks (field 22
# of /proc/PID/stat), which with the pid names one process for good:
# pids are reused, and a cleanup must never signal a stranger.
e2e_starttime()
{
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20
}

# e2e_remember PID FILE: appends "PID STARTTIME" to FILE.
e2e_remember()
{
	echo "$1 $(e2e_starttime "$1")" >> "$2"
}

# e2e_start_of PID: the start time $E2E_DIR/pids has for PID.
e2e_start_of()
{
	awk -v p="$1" '$1 == p { s = $2 } END { print s }' \
	    "$E2E_DIR/pids" 2>/dev/null
}

# e2e_same PID STARTTIME: true while that very process runs.
e2e_same()
{
	[ -n "$2" ] && [ "$(e2e_starttime "$1")" = "$2" ] && e2e_running "$1"
}

# e2e_bg srv|cli CMD...: sets E2E_BG_PID.  Its stdin is /dev/null, as
# for any background job of a shell without job control: a command that
# needs another stdin must be started by hand and e2e_remember'ed.
e2e_bg()
{
	_ns=$1
	shift
	case $_ns in
	srv)	ip netns exec "$E2E_SRV" "$@" & ;;
	cli)	ip netns exec "$E2E_CLI" "$@" & ;;
	*)	echo "e2e_bg: no namespace $_ns" >&2; return 1 ;;
	esac
	E2E_BG_PID=$!
	e2e_remember "$E2E_BG_PID" "$E2E_DIR/pids"
}

# e2e_wait_log FILE ERE [SECS]
e2e_wait_log()
{
	_n=$(( ${3:-10} * 10 ))
	while [ "$_n" -gt 0 ]; do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

e2e_peer_start()
{
	: > "$E2E_DIR/peer.log"
	e2e_bg srv "$E2E_PEER" -d -l "$E2E_SRV_ADDR" -u "$E2E_USER" \
	    -P "$E2E_PASSWORD" --dns 192.0.2.53,192.0.2.54 "$@" \
	    >> "$E2E_DIR/peer.log" 2>&1 < /dev/null || return 1
	echo "$E2E_BG_PID" > "$E2E_DIR/peer.pid"
	if ! e2e_wait_log "$E2E_DIR/peer.log" 'listening on' 10; then
		echo "the test peer did not start listening" >&2
		return 1
	fi
}

# e2e_running PID: true while PID runs.  A child of ours that has exited
# stays a zombie until the shell waits for it, and kill -0 still finds
# a zombie, so the state letter in /proc decides.
e2e_running()
{
	[ -r "/proc/$1/stat" ] || return 1
	! sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^[ZX]'
}

# e2e_wait_pid PID SECS: true once PID is gone.
e2e_wait_pid()
{
	_n=$(( $2 * 10 ))
	while e2e_running "$1"; do
		[ "$_n" -gt 0 ] || return 1
		sleep 0.1
		_n=$((_n - 1))
	done
	return 0
}

# e2e_pidfile_kill FILE SIG SECS: signals the process FILE names, if it
# is still that process, and waits for it to go.
e2e_pidfile_kill()
{
	_pid=$(cat "$1" 2>/dev/null) || return 0
	_start=$(e2e_start_of "$_pid")
	rm -f "$1"
	e2e_same "$_pid" "$_start" || return 0
	kill "-$2" "$_pid" 2>/dev/null
	e2e_wait_pid "$_pid" "$3" || return 1
	wait "$_pid" 2>/dev/null
	return 0
}

e2e_peer_kill()
{
	e2e_pidfile_kill "$E2E_DIR/peer.pid" "${1:-TERM}" 10
}

e2e_conf()
{
	_conf="$E2E_DIR/pptpcd.conf"
	(
		umask 077
		{
			echo "tunnel $E2E_TUNNEL {"
			echo "	server $E2E_SRV_ADDR"
			echo "	username \"$E2E_USER\""
			echo "	password \"$E2E_PASSWORD\""
			echo "	offload userspace"
			for _l in "$@"; do
				echo "	$_l"
			done
			echo "}"
		} > "$_conf"
	)
	chmod 600 "$_conf"
}

e2e_conf_many()
{
	_conf="$E2E_DIR/pptpcd.conf"
	_many=$1
	shift
	(
		umask 077
		{
			echo "srv = \"$E2E_SRV_ADDR\""
			echo "user = \"$E2E_USER\""
			echo "pass = \"$E2E_PASSWORD\""
			for _l in "$@"; do
				echo "$_l"
			done
		} | awk -v n="$_many" -v changed="${E2E_CHANGED:-0}" '
		    NR <= 3 { print; next }
		    { extra[++ne] = $0 }
		    END {
			for (i = 1; i <= n; i++) {
				printf "tunnel s%d {\n\tserver $srv\n", i
				printf "\tusername $user\n\tpassword $pass\n"
				printf "\toffload userspace\n"
				for (k = 1; k <= ne; k++)
					printf "\t%s\n", extra[k]
				if (i == changed)
					printf "\tmtu 1300\n"
				printf "}\n"
			}
		    }' > "$_conf"
	)
	chmod 600 "$_conf"
}

e2e_daemon_start()
{
	: > "$E2E_DIR/pptpcd.log"
	e2e_bg cli "$E2E_PPTPCD" -d -v -f "$E2E_DIR/pptpcd.conf" \
	    -s "$E2E_DIR/ctl.sock" >> "$E2E_DIR/pptpcd.log" 2>&1 \
	    < /dev/null || return 1
	echo "$E2E_BG_PID" > "$E2E_DIR/pptpcd.pid"
}

# The binary has the unit tests' defaults baked in (tests/lib/
# sanitizer_defaults.c); these say the same again, so that a run does not
# depend on them, and ask LSan to name any suppression it used: pptpcd
# must need none.  No log_path: a report goes to stderr, the log.
e2e_daemon_start_san()
{
	: > "$E2E_DIR/pptpcd.log"
	e2e_bg cli env \
	    ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1 \
	    LSAN_OPTIONS=print_suppressions=1 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    "$E2E_PPTPCD_SAN" -d -v -f "$E2E_DIR/pptpcd.conf" \
	    -s "$E2E_DIR/ctl.sock" >> "$E2E_DIR/pptpcd.log" 2>&1 \
	    < /dev/null || return 1
	echo "$E2E_BG_PID" > "$E2E_DIR/pptpcd.pid"
}

e2e_daemon_kill()
{
	if ! e2e_pidfile_kill "$E2E_DIR/pptpcd.pid" "${1:-TERM}" 10; then
		echo "pptpcd did not exit within 10 s of SIG${1:-TERM}" >&2
		return 1
	fi
}

e2e_daemon_alive()
{
	_pid=$(cat "$E2E_DIR/pptpcd.pid" 2>/dev/null) || return 1
	e2e_same "$_pid" "$(e2e_start_of "$_pid")"
}

e2e_ctl()
{
	"$E2E_PPTPCTL" -s "$E2E_DIR/ctl.sock" "$@"
}

# The tunnel's object, whatever shape "show sessions" wraps it in.
e2e_json()
{
	e2e_ctl -j show sessions 2>/dev/null | jq -c --arg n "$E2E_TUNNEL" '
	    (if type == "array" then .
	     elif type == "object" and has("sessions") then .sessions
	     else [.] end) | map(select(.name == $n)) | .[0] // empty' \
	    2>/dev/null
}

e2e_field()
{
	e2e_json | jq -r --arg f "$1" '.[$f] |
	    if type == "array" then map(tostring) | join(",")
	    elif . == null then "" else tostring end' 2>/dev/null
}

# e2e_wait_state STATE [SECS]
e2e_wait_state()
{
	_n=$(( ${2:-20} * 5 ))
	while [ "$_n" -gt 0 ]; do
		[ "$(e2e_field state)" = "$1" ] && return 0
		if ! e2e_daemon_alive; then
			echo "pptpcd is not running" >&2
			return 1
		fi
		sleep 0.2
		_n=$((_n - 1))
	done
	return 1
}

e2e_logs()
{
	for _f in peer.log pptpcd.log; do
		[ -s "$E2E_DIR/$_f" ] || continue
		echo "---- $_f (last 60 lines)"
		tail -n 60 "$E2E_DIR/$_f"
	done
	echo "---- pptpctl -j show sessions"
	e2e_ctl -j show sessions 2>&1
}

e2e_cleanup()
{
	e2e_names
	if [ -f "$E2E_DIR/pids" ]; then
		# TERM first so that pptpcd removes what it added, then KILL;
		# only processes that are still the ones we started.
		while read -r _p _s; do
			e2e_same "$_p" "$_s" && kill -TERM "$_p" 2>/dev/null
		done < "$E2E_DIR/pids"
		while read -r _p _s; do
			e2e_same "$_p" "$_s" || continue
			e2e_wait_pid "$_p" 5 ||
			    { e2e_same "$_p" "$_s" && kill -KILL "$_p"; }
		done < "$E2E_DIR/pids"
		rm -f "$E2E_DIR/pids" "$E2E_DIR/peer.pid" "$E2E_DIR/pptpcd.pid"
	fi
	for _ns in "$E2E_SRV" "$E2E_CLI"; do
		[ -n "$_ns" ] || continue
		ip netns del "$_ns" 2>/dev/null
	done
	rm -f "$E2E_DIR/netns"
	return 0
}
