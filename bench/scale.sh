#!/bin/sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# A thousand tunnels in one daemon.  The test peer serves N calls in one
# network namespace, pptpcd dials them all from another (tests/e2e/
# lib.sh builds the pair; one tunnel block per tunnel, userspace engine,
# MS-CHAPv2 and MPPE-128, LCP keepalive every SCALE_KEEPALIVE_S seconds),
# and this prints, beside the targets of issue 12:
#
#   - the time from pptpcd's start until all N are up;
#   - pptpcd's resident memory per tunnel: its RSS with N up less its
#     RSS with one tunnel up (a run of its own just before), over N - 1;
#   - pptpcd's CPU while all N sit idle, keepalives running, and how
#     often it woke up (voluntary context switches) meanwhile;
#   - how long pptpctl show sessions and pptpctl -j show sessions take
#     with N rows (the best and the median of 5);
#   - how long a SIGHUP reload that changes one tunnel takes (until the
#     daemon logs its "reloaded:" line), what it says, and how many
#     tunnels pptpctl monitor saw change state because of it;
#   - an outage: the peer stops (a goodbye to every call at once) and
#     starts again; how long until all N are up again, and how many
#     redials that took;
#   - how long SIGTERM takes to close all N, whether every call was
#     closed politely (no grace timeout), and what is left behind.
#
# usage: sh bench/scale.sh   (as root; bench/run.sh calls it)
#
#   SCALE_N            tunnels (1000)
#   SCALE_IDLE_S       seconds of idle measurement (60)
#   SCALE_KEEPALIVE_S  the tunnels' LCP echo interval (10)
#   SCALE_UP_S         how long to wait for all up before giving up (300)
#   SCALE_LOGS         a directory to copy the logs into at the end
#   SCALE_VERBOSE      set: pptpcd -v (its debug lines in the logs)
#
# Figures are printed, never judged.  Exit 0 when it measured, and when
# it cannot measure here (not root, no jq) and said so in one line; exit
# 1 only when it could not run (namespaces, the peer, pptpcd, or not all
# tunnels up within SCALE_UP_S), saying why with the last lines of the
# logs.  Every wait is bounded; the namespaces and processes go on exit,
# failure and signal.

set -u

E2E_TOP=$(cd "$(dirname "$0")/.." && pwd)
N=${SCALE_N:-1000}
IDLE=${SCALE_IDLE_S:-60}
KA=${SCALE_KEEPALIVE_S:-10}
UPMAX=${SCALE_UP_S:-300}

for _v in "N=$N" "SCALE_IDLE_S=$IDLE" "SCALE_KEEPALIVE_S=$KA" \
    "SCALE_UP_S=$UPMAX"; do
	case ${_v#*=} in
	''|*[!0-9]*|0)	echo "scale: ${_v%%=*} must be a whole number above" \
			    "0" >&2
			exit 1 ;;
	esac
done
[ "$N" -ge 2 ] && [ "$N" -le 4000 ] ||
    { echo "scale: SCALE_N must be 2 to 4000" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
	echo "scale: skipped: needs root (network namespaces, tun)"
	exit 0
fi
for prog in ip jq; do
	if ! command -v "$prog" > /dev/null 2>&1; then
		echo "scale: skipped: $prog is not installed"
		exit 0
	fi
done
if [ ! -c /dev/net/tun ]; then
	echo "scale: skipped: no /dev/net/tun (the tun module)"
	exit 0
fi
for b in daemon/pptpcd ctl/pptpctl tests/peer/pptp-peer; do
	if [ ! -x "$E2E_TOP/$b" ]; then
		echo "scale: cannot run: $b is not built (make bench builds" \
		    "it)" >&2
		exit 1
	fi
done

E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pptpc-scale.XXXXXX") || exit 1
E2E_PREFIX=pptpc-bench
. "$E2E_TOP/tests/e2e/lib.sh"

status=1
finish()
{
	trap - EXIT INT TERM
	e2e_cleanup
	[ -n "${SCALE_LOGS:-}" ] && mkdir -p "$SCALE_LOGS" &&
	    cp "$E2E_DIR"/*.log "$E2E_DIR/events" "$SCALE_LOGS/" 2>/dev/null
	rm -rf "$E2E_DIR"
	exit "$status"
}
trap finish EXIT
trap 'echo "scale: interrupted" >&2; status=130; exit 130' INT
trap 'status=143; exit 143' TERM

die()
{
	echo "scale: cannot run: $*" >&2
	e2e_logs 2>&1 | sed 's/^/    /' >&2
	exit 1
}

now_ms()
{
	date +%s%3N
}

secs()
{
	awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'
}

cpu_ticks()
{
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null |
	    awk '{ print $12 + $13 }'
}

# status_kb PID FIELD: a "kB" line of /proc/PID/status, e.g. VmRSS.
status_val()
{
	awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}

# daemon_pids: pptpcd's processes, the parent ($DPID) and its engine
# (privilege separation: the engine does the work, so both count).
daemon_pids()
{
	echo "$DPID" $(cat "/proc/$DPID/task/$DPID/children" 2>/dev/null)
}

# daemon_sum FIELD: a /proc/PID/status value summed over daemon_pids.
daemon_sum()
{
	for _p in $(daemon_pids); do
		status_val "$_p" "$1"
	done | awk '{ s += $1 } END { print s + 0 }'
}

# daemon_ticks: user + system clock ticks of daemon_pids.
daemon_ticks()
{
	for _p in $(daemon_pids); do
		cpu_ticks "$_p"
	done | awk '{ s += $1 } END { print s + 0 }'
}

# count_state STATE: sessions in STATE.
count_state()
{
	e2e_ctl -j show sessions 2>/dev/null |
	    jq --arg s "$1" '[.sessions[] | select(.state == $s)] | length' \
	    2>/dev/null || echo 0
}

# start_daemon: pptpcd without -v (a thousand tunnels' debug lines are
# not what is measured), its pid in $DPID.
start_daemon()
{
	: > "$E2E_DIR/pptpcd.log"
	e2e_bg cli "$E2E_PPTPCD" -d ${SCALE_VERBOSE:+-v} \
	    -f "$E2E_DIR/pptpcd.conf" -s "$E2E_DIR/ctl.sock" \
	    >> "$E2E_DIR/pptpcd.log" 2>&1 < /dev/null ||
	    die "cannot start pptpcd"
	echo "$E2E_BG_PID" > "$E2E_DIR/pptpcd.pid"
	DPID=$E2E_BG_PID
}

# wait_up N SECS: until N sessions are up; sets up_ms to when.
wait_up()
{
	_end=$(($(now_ms) + $2 * 1000))
	while [ "$(now_ms)" -lt "$_end" ]; do
		e2e_daemon_alive || die "pptpcd exited"
		if [ "$(count_state up)" -ge "$1" ]; then
			up_ms=$(now_ms)
			return 0
		fi
		sleep 0.2
	done
	return 1
}

# time_ctl ARG...: the best and the median of 5 runs of pptpctl ARG...,
# in ms, as "BEST MEDIAN"; the last output in $E2E_DIR/ctl.out.
time_ctl()
{
	_i=0
	: > "$E2E_DIR/ctl.times"
	while [ "$_i" -lt 5 ]; do
		_t0=$(now_ms)
		e2e_ctl "$@" > "$E2E_DIR/ctl.out" 2>&1 ||
		    die "pptpctl $* failed"
		echo $(($(now_ms) - _t0)) >> "$E2E_DIR/ctl.times"
		_i=$((_i + 1))
	done
	sort -n "$E2E_DIR/ctl.times" | awk '{ v[NR] = $1 }
	    END { print v[1], v[3] }'
}

e2e_netns_create || die "cannot create the network namespaces"
# Client addresses from 198.18.0.10 on: N of them fit in 198.18.0.0/15.
e2e_peer_start --remote 198.18.0.10 || die "the test peer did not start"
PEERPID=$(cat "$E2E_DIR/peer.pid")
hz=$(getconf CLK_TCK)
COMMON="auth mschapv2|mppe required 128|keepalive $KA|reconnect 2 30"

conf()
{
	_old_ifs=$IFS
	IFS='|'
	# shellcheck disable=SC2086
	set -- $COMMON
	IFS=$_old_ifs
	e2e_conf_many "$N_CONF" "$@"
}

# 1. The daemon with one tunnel up: what N tunnels grow from.
N_CONF=1 conf
start_daemon
wait_up 1 30 || die "one tunnel was not up within 30 s"
sleep 1
rss1=$(daemon_sum VmRSS)
e2e_daemon_kill || die "pptpcd did not stop"

# 2. N tunnels, from start to all up.
N_CONF=$N conf
t0=$(now_ms)
start_daemon
wait_up "$N" "$UPMAX" || die "not all $N tunnels up within $UPMAX s" \
    "($(count_state up) up)"
up_time=$((up_ms - t0))
redials=$(grep -c 'next attempt in' "$E2E_DIR/pptpcd.log")
sleep 2
rssn=$(daemon_sum VmRSS)
fds=$(for _p in $(daemon_pids); do ls "/proc/$_p/fd"; done | wc -l)
# The engine's limit: it holds the tunnels' descriptors.
nofile=$(awk '/^Max open files/ { print $4 }' \
    "/proc/$(daemon_pids | awk '{ print $NF }')/limits")
per_tunnel=$(awk -v a="$rss1" -v b="$rssn" -v n="$N" \
    'BEGIN { printf "%.1f", (b - a) / (n - 1) }')
peer_rss=$(status_val "$PEERPID" VmRSS)

# 3. Idle, keepalives running.  Settled first: the last tunnels' first
# echoes and the kernel's IPv6 start-up chatter on new interfaces.
sleep 5
c0=$(daemon_ticks) p0=$(cpu_ticks "$PEERPID")
w0=$(daemon_sum voluntary_ctxt_switches)
sleep "$IDLE"
c1=$(daemon_ticks) p1=$(cpu_ticks "$PEERPID")
w1=$(daemon_sum voluntary_ctxt_switches)
idle_cpu=$(awk -v t=$((c1 - c0)) -v hz="$hz" -v s="$IDLE" \
    'BEGIN { printf "%.2f", t / hz / s * 100 }')
peer_cpu=$(awk -v t=$((p1 - p0)) -v hz="$hz" -v s="$IDLE" \
    'BEGIN { printf "%.2f", t / hz / s * 100 }')
wakeups=$(awk -v w=$((w1 - w0)) -v s="$IDLE" \
    'BEGIN { printf "%.0f", w / s }')
still_up=$(count_state up)

# 4. pptpctl with N rows.
set -- $(time_ctl show sessions)
ctl_best=$1 ctl_med=$2
ctl_rows=$(($(wc -l < "$E2E_DIR/ctl.out") - 1))
set -- $(time_ctl -j show sessions)
ctlj_best=$1 ctlj_med=$2
ctlj_rows=$(jq '.sessions | length' "$E2E_DIR/ctl.out" 2>/dev/null)
ctlj_bytes=$(wc -c < "$E2E_DIR/ctl.out")

# 5. A reload that changes one tunnel (its MTU).
changed=$(( (N + 1) / 2 ))
E2E_CHANGED=$changed N_CONF=$N conf
"$E2E_PPTPCTL" -s "$E2E_DIR/ctl.sock" -j monitor > "$E2E_DIR/events" \
    2> "$E2E_DIR/mon.err" &
MONPID=$!
e2e_remember "$MONPID" "$E2E_DIR/pids"
sleep 1
nrel=$(grep -c 'reloaded:' "$E2E_DIR/pptpcd.log")
t0=$(now_ms)
kill -HUP "$DPID"
_end=$((t0 + 30000))
while [ "$(grep -c 'reloaded:' "$E2E_DIR/pptpcd.log")" -le "$nrel" ]; do
	[ "$(now_ms)" -lt "$_end" ] || die "no reload within 30 s of SIGHUP"
	sleep 0.01
done
reload_ms=$(($(now_ms) - t0))
reload_msg=$(grep 'reloaded:' "$E2E_DIR/pptpcd.log" | tail -n 1 |
    sed 's/.*reloaded: //')
# The changed tunnel comes back; the others never moved.
E2E_TUNNEL=s$changed
sleep 1
e2e_wait_state up 60 || die "s$changed was not up again within 60 s"
rel_up_ms=$(($(now_ms) - t0))
sleep 1
kill "$MONPID" 2>/dev/null
wait "$MONPID" 2>/dev/null
moved=$(jq -r 'select(.event == "state") | .tunnel' "$E2E_DIR/events" |
    sort -u | tr '\n' ' ')
nmoved=$(echo "$moved" | wc -w)

# 6. An outage: the server says goodbye to every call at once and comes
# back; all N redial (jittered backoff, "reconnect 2 30": 2 to 2.5 s).
redials0=$(grep -c 'next attempt in' "$E2E_DIR/pptpcd.log")
t0=$(now_ms)
e2e_peer_kill TERM || die "the test peer did not stop"
e2e_peer_start --remote 198.18.0.10 || die "the test peer did not restart"
PEERPID=$(cat "$E2E_DIR/peer.pid")
back_ms=$(($(now_ms) - t0))
# Until every session has left "up", then until all are up again.
_end=$(($(now_ms) + 30000))
while [ "$(count_state up)" -ge "$N" ]; do
	[ "$(now_ms)" -lt "$_end" ] || die "no tunnel noticed the outage"
	sleep 0.2
done
wait_up "$N" "$UPMAX" || die "not all $N tunnels up again within" \
    "$UPMAX s of the outage ($(count_state up) up)"
outage_ms=$((up_ms - t0))
out_redials=$(($(grep -c 'next attempt in' "$E2E_DIR/pptpcd.log") -
    redials0))

# 7. SIGTERM: every call closed politely.
closed0=$(grep -c 'control connection closed' "$E2E_DIR/peer.log")
t0=$(now_ms)
kill -TERM "$DPID"
_end=$((t0 + 30000))
while e2e_running "$DPID"; do
	[ "$(now_ms)" -lt "$_end" ] || die "pptpcd still runs 30 s after" \
	    "SIGTERM"
	sleep 0.01
done
stop_ms=$(($(now_ms) - t0))
wait "$DPID" 2>/dev/null
rm -f "$E2E_DIR/pptpcd.pid"
if grep -q 'exiting anyway' "$E2E_DIR/pptpcd.log"; then
	polite="no: the grace period ran out"
else
	polite="yes"
fi
left_if=$(e2e_cli ip -o link show 2>/dev/null | grep -c ': tun')
left_rt=$(e2e_cli ip -4 route show 2>/dev/null | grep -vc 'dev vcli')
sleep 1
# What the peer saw of the goodbyes: StopCCRQ answered, or TCP just shut.
peer_polite=$(($(grep -c 'control connection closed' \
    "$E2E_DIR/peer.log") - closed0))

echo "pptpcd dials $N tunnels to the test peer over a veth pair:" \
    "userspace engine, MS-CHAPv2, MPPE-128, keepalive $KA s;" \
    "$(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' \
    /proc/cpuinfo | sed 1q)), Linux $(uname -r), load" \
    "$(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
# For the plot: each figure with its target (a fifth CSV column).
. "$E2E_TOP/bench/csv.sh"
bench_csv scale all_up_s "$(awk -v m="$up_time" 'BEGIN { printf "%.1f", m / 1000 }')" s 60
bench_csv scale rss_kb_per_tunnel "$per_tunnel" kB 64
bench_csv scale idle_cpu_percent "$idle_cpu" % 1
bench_csv scale pptpctl_ms "$ctl_med" ms 200
bench_csv scale pptpctl_json_ms "$ctlj_med" ms 200
bench_csv scale reload_ms "$reload_ms" ms 1000
bench_csv scale stop_s "$(awk -v m="$stop_ms" 'BEGIN { printf "%.1f", m / 1000 }')" s 10

echo "| $N tunnels | measured | target |"
echo "|---|--:|--:|"
echo "| all up, from pptpcd's start | $(secs "$up_time") | 60 s |"
echo "| pptpcd RSS per tunnel ($rss1 kB with one, $rssn kB with $N) |" \
    "$per_tunnel kB | 64 kB |"
echo "| pptpcd CPU, all idle for $IDLE s | $idle_cpu % of a core," \
    "$wakeups wakeups/s | 1 % |"
echo "| pptpctl show sessions ($ctl_rows rows), best / median |" \
    "$ctl_best / $ctl_med ms | 200 ms |"
echo "| pptpctl -j show sessions ($ctlj_rows, $ctlj_bytes bytes)," \
    "best / median | $ctlj_best / $ctlj_med ms | 200 ms |"
echo "| SIGHUP reload changing one tunnel, until logged |" \
    "$reload_ms ms | 1 s |"
echo "| SIGTERM until pptpcd exited, all closed | $(secs "$stop_ms") |" \
    "10 s |"
echo
echo "Dial: $redials redials (\"next attempt in\") before all were up;" \
    "$fds descriptors open with all up, limit $nofile."
echo "Idle: $still_up of $N still up after it; the test peer meanwhile" \
    "$peer_cpu % of a core, $peer_rss kB RSS."
echo "Reload: \"$reload_msg\"; tunnels that changed state:" \
    "$nmoved ($moved); s$changed up again $(secs "$rel_up_ms") after" \
    "SIGHUP."
echo "Outage: the peer stopped (goodbyes to all) and was back listening" \
    "after $(secs "$back_ms"); all $N up again $(secs "$outage_ms") after" \
    "it went, with $out_redials redials."
echo "Stop: polite: $polite; the peer logged $peer_polite control" \
    "connections closed; left in pptpcd's namespace: $left_if tun" \
    "interfaces, $left_rt routes besides the veth's."
status=0
