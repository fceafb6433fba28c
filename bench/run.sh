#!/bin/sh
# Runs the benchmarks that `make bench` has built and prints their figures.
# Each section is independent: a missing program is reported and skipped.
# Figures are printed, never judged; this script fails only if a program
# itself fails.

cd "$(dirname "$0")/.." || exit 1
rc=0

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

exit $rc
