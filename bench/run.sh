#!/bin/sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
# Runs the benchmarks that `make bench` has built and prints their figures:
# the micro-benchmarks (MPPE crypto, GRE, the userspace engine in one
# process), then pptpcd end to end against the test peer (bench/e2e.sh;
# needs root), then the kernel engine beside the userspace one in the
# interop VMs (bench/vm_engines.sh; needs root and qemu); and a thousand
# tunnels in one daemon (bench/scale.sh).  Each section is independent:
# a missing program is reported and skipped.  MPPE_BENCH_SECONDS, DATAPATH_BENCH_SECONDS and
# BENCH_SECONDS (e2e.sh) shorten or lengthen the runs; SCALE_N and
# SCALE_IDLE_S (scale.sh) make the scale run smaller and shorter.
# Figures are printed, never judged; this script fails only if a program
# itself fails.

cd "$(dirname "$0")/.." || exit 1
rc=0

# Every figure also goes into one CSV file (section,figure,value,unit
# and, for the scale run, target), drawn at the end as an SVG.
mkdir -p build/bench
BENCH_CSV=$(pwd)/build/bench/results.csv
export BENCH_CSV
echo "section,figure,value,unit,target" > "$BENCH_CSV"

section()
{
	printf '\n== %s ==\n' "$1"
}

# MPPE crypto on one core, against raw RC4 of the same libcrypto.
section "MPPE crypto"
if [ -x build/bench/mppe_bench ]; then
	build/bench/mppe_bench ${MPPE_BENCH_SECONDS:+"$MPPE_BENCH_SECONDS"} ||
	    rc=1
else
	echo "build/bench/mppe_bench is not built (make build/bench/mppe_bench)"
fi

# GRE framing and the reorder buffer, against a memcpy of the same frame.
section "GRE per packet"
if [ -x build/bench/gre_bench ]; then
	build/bench/gre_bench || rc=1
else
	echo "build/bench/gre_bench is not built (make build/bench/gre_bench)"
fi

# The whole userspace engine in one process, both ends on one core.
section "Userspace engine, in process"
if [ -x build/bench/datapath_bench ]; then
	build/bench/datapath_bench \
	    ${DATAPATH_BENCH_SECONDS:+"$DATAPATH_BENCH_SECONDS"} || rc=1
else
	echo "build/bench/datapath_bench is not built" \
	    "(make build/bench/datapath_bench)"
fi

# A thousand tunnels (SCALE_N) in one pptpcd against the test peer:
# time to all up, memory, idle CPU, pptpctl, reload and stop.
section "Scale: SCALE_N tunnels in one pptpcd (bench/scale.sh)"
sh bench/scale.sh || rc=1

# pptpcd and the test peer in two namespaces, iperf3 through the tunnel
# beside the bare veth pair; it explains itself when it cannot run.
section "End to end: pptpcd <-> test peer, iperf3"
sh bench/e2e.sh || rc=1

# The Linux kernel engine against the userspace engine, both in a client
# VM dialling Poptop in a server VM; it explains itself when it cannot run.
section "Engines in VMs: kernel vs userspace"
sh bench/vm_engines.sh || rc=1

section "Figures"
echo "CSV: $BENCH_CSV"
sh bench/plot.sh "$BENCH_CSV" build/bench/results.svg || rc=1

exit $rc
