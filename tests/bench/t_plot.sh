#! /usr/bin/env atf-sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# make bench's figures as CSV and SVG: bench_csv writes the rows the plot
# reads, and gnuplot draws them (the figures themselves are make bench's,
# never judged here).

top()
{
	echo "$(atf_get_srcdir)/../.."
}

atf_test_case csv_and_svg
csv_and_svg_head()
{
	atf_set descr "bench_csv rows become an SVG with every panel"
	atf_set require.progs gnuplot
}
csv_and_svg_body()
{
	BENCH_CSV=$PWD/results.csv
	echo "section,figure,value,unit,target" > "$BENCH_CSV"
	. "$(top)/bench/csv.sh"
	bench_csv e2e tcp_userspace_mbit_s 437 Mbit/s
	bench_csv e2e tcp_userspace_cpu_s_per_gb 7.77 s/GB
	bench_csv vm kernel_mbit_s 40.1 Mbit/s
	bench_csv vm kernel_cpu_s_per_gb 0.5 s/GB
	bench_csv vm userspace_mbit_s 38.2 Mbit/s
	bench_csv vm userspace_cpu_s_per_gb 400 s/GB
	# A figure that could not be measured is no row.
	bench_csv vm broken_mbit_s - Mbit/s
	bench_csv scale all_up_s 31 s 60
	[ "$(wc -l < "$BENCH_CSV")" -eq 8 ] ||
	    { cat "$BENCH_CSV" >&2; atf_fail "bench_csv wrote the wrong rows"; }
	grep -q "^vm,kernel_mbit_s,40.1,Mbit/s,$" "$BENCH_CSV" ||
	    atf_fail "a row is not section,figure,value,unit,target"
	grep -q "^scale,all_up_s,31,s,60$" "$BENCH_CSV" ||
	    atf_fail "the target is not the fifth column"

	sh "$(top)/bench/plot.sh" "$BENCH_CSV" out.svg > plot.out 2>&1 ||
	    { cat plot.out >&2; atf_fail "plot.sh failed"; }
	grep -q "<svg" out.svg || atf_fail "no SVG written"
	for t in "Throughput by engine" "CPU seconds per GB" "Scale run" \
	    "kernel, VMs (TCG)" "all_up_s"; do
		grep -q "$t" out.svg || atf_fail "the SVG lacks \"$t\""
	done
}

atf_init_test_cases()
{
	atf_add_test_case csv_and_svg
}
