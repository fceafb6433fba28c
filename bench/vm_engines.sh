#!/bin/sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# The Linux kernel engine beside the userspace engine, in one run.  The
# interop test bed (tests/interop/lib.sh) boots a Poptop server VM and a
# client VM on Debian's kernel, which has PPP (this host's does not);
# pptpcd runs in the client VM, first with "offload kernel", then with
# "offload userspace", each time dialling the same server and sending the
# same amount of random data through the tunnel to it (checked with
# SHA-256 at the far end), after a short warm-up.  Both VMs are emulated
# (qemu TCG), so the absolute figures are far below real hardware; what
# holds is the ratio, measured on the same VMs minutes apart.  pptpcd's
# CPU time (utime + stime) around each transfer shows who carried the
# data.
#
# usage: sh bench/vm_engines.sh   (as root; bench/run.sh calls it)
#
#   VM_BENCH_BYTES   bytes per transfer (20000000)
#
# Figures are printed, never judged.  Exit 0 when it measured, and when
# it cannot run here (not root, no qemu, no /dev/net/tun, pptpcd not
# built) and said so in one line; exit 1 if the VMs or a tunnel did not
# come up.  Every wait is bounded; the VMs and their namespace go on exit.

set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
BYTES=${VM_BENCH_BYTES:-20000000}

case $BYTES in
''|*[!0-9]*)	echo "VM_BENCH_BYTES must be a number of bytes" >&2
		exit 1 ;;
esac

skip()
{
	echo "vm engines: skipped: $*"
	exit 0
}

[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, tap)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
for p in qemu-system-x86_64 ip busybox bash cpio gzip jq openssl; do
	command -v "$p" >/dev/null 2>&1 || skip "$p is not installed"
done
for b in daemon/pptpcd ctl/pptpctl; do
	[ -x "$TOP/$b" ] || skip "$b is not built (make $b)"
done
ls /boot/vmlinuz-* >/dev/null 2>&1 ||
    skip "no Debian kernel in /boot for the VMs"

# lib.sh is written for atf-sh; these stand in for it.
atf_skip()
{
	skip "$*"
}
atf_fail()
{
	echo "vm engines: cannot run: $*" >&2
	exit 1
}

IT_SRCDIR=$TOP/tests/interop
IT_STATE=$TOP/build/vm-bench
PPTPC_IT_CACHE=$TOP/build/interop
export PPTPC_IT_CACHE
rm -rf "$IT_STATE"
# shellcheck source=../tests/interop/lib.sh
. "$IT_SRCDIR/lib.sh"

it_setup
it_vc_image
# pptpd's per-packet debug log would slow the server VM to a crawl.
it_pair_start pptpc.debug=0

# run MODE: one session on MODE; prints "ms cpu_ticks".
run()
{
	local mode="$1" ms c0 c1

	it_vc_start "$mode" "reconnect no"
	it_vc_wait_json '.state == "up"' 120 "tunnel up on $mode"
	[ "$(echo "$IT_JSON" | jq -r .engine)" = "$mode" ] ||
	    atf_fail "asked for $mode, pptpctl shows engine" \
	    "$(echo "$IT_JSON" | jq -r .engine)"
	it_vc_send 1000000 >/dev/null
	c0=$(it_vc_cpu)
	ms=$(it_vc_send "$BYTES")
	c1=$(it_vc_cpu)
	it_vc_ctl disconnect "$IT_TUNNEL" >/dev/null
	it_vc_wait_json '.state == "idle"' 30 "tunnel idle on $mode"
	it_vc_stop
	echo "$ms $((c1 - c0))"
}

k=$(run kernel) || exit 1
u=$(run userspace) || exit 1
it_cleanup

echo "$k $u" | awk -v b="$BYTES" '{
	km = $1; kc = $2; um = $3; uc = $4
	if (km < 1) km = 1
	if (um < 1) um = 1
	kr = b * 8 / km / 1000; ur = b * 8 / um / 1000
	printf "%d bytes client VM -> server VM through the tunnel, " \
	    "128-bit stateless MPPE, qemu TCG\n", b
	printf "  %-10s %8d ms  %7.2f Mbit/s  pptpcd CPU %6d ms\n",
	    "kernel", km, kr, kc * 10
	printf "  %-10s %8d ms  %7.2f Mbit/s  pptpcd CPU %6d ms\n",
	    "userspace", um, ur, uc * 10
	printf "  kernel / userspace throughput: %.2f\n", kr / ur
}'
. "$(dirname "$0")/csv.sh"
# For the plot: Mbit/s and pptpcd's CPU seconds per 10^9 bytes (100 Hz
# ticks, as above), by engine.
csv_engine()
{
	_ms=$2
	[ "$_ms" -ge 1 ] || _ms=1
	bench_csv vm "$1_mbit_s" "$(awk -v b="$BYTES" -v m="$_ms" \
	    'BEGIN { printf "%.2f", b * 8 / m / 1000 }')" Mbit/s
	bench_csv vm "$1_cpu_s_per_gb" "$(awk -v b="$BYTES" -v t="$3" \
	    'BEGIN { printf "%.2f", t / 100 / (b / 1e9) }')" s/GB
}
# shellcheck disable=SC2086
csv_engine kernel $k
# shellcheck disable=SC2086
csv_engine userspace $u
exit 0
