# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# Sourced by the benchmark scripts: bench_csv SECTION FIGURE VALUE UNIT
# [TARGET] appends one row to $BENCH_CSV (bench/run.sh sets it), from
# which bench/plot.sh draws.  Nothing happens when it is unset or VALUE
# is not a number.

bench_csv()
{
	[ -n "${BENCH_CSV:-}" ] || return 0
	case $3 in
	''|*[!0-9.]*)	return 0 ;;
	esac
	printf '%s,%s,%s,%s,%s\n' "$1" "$2" "$3" "$4" "${5:-}" >> "$BENCH_CSV"
}
