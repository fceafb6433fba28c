#!/bin/sh
# Copyright (c) 2026 The pptpc developers
# SPDX-License-Identifier: ISC (see LICENSE)
#
# Draws make bench's figures (the CSV bench/run.sh collected) as one SVG:
# throughput and pptpcd's CPU per GB by engine, and the scale run's
# figures beside their targets.  usage: sh bench/plot.sh CSV SVG
# Needs gnuplot (Debian: gnuplot-nox); without it, says so and exits 0.

set -u
csv=$1
svg=$2
command -v gnuplot >/dev/null 2>&1 ||
    { echo "plot: skipped: gnuplot is not installed (gnuplot-nox)"; exit 0; }
[ -s "$csv" ] || { echo "plot: skipped: no figures in $csv"; exit 0; }
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT

# figure SECTION NAME LABEL: one "label value" line if the CSV has it.
figure()
{
	awk -F, -v s="$1" -v f="$2" -v l="$3" \
	    '$1 == s && $2 == f { printf "\"%s\" %s\n", l, $3 }' "$csv"
}
{
	figure e2e tcp_userspace_mbit_s "userspace, namespaces (TCP)"
	figure vm userspace_mbit_s "userspace, VMs (TCG)"
	figure vm kernel_mbit_s "kernel, VMs (TCG)"
} > "$dir/rate.dat"
{
	figure e2e tcp_userspace_cpu_s_per_gb "userspace, namespaces (TCP)"
	figure vm userspace_cpu_s_per_gb "userspace, VMs (TCG)"
	figure vm kernel_cpu_s_per_gb "kernel, VMs (TCG)"
} > "$dir/cpu.dat"
# The scale run: each figure as a share of its target (1 = on target).
awk -F, '$1 == "scale" && $5 != "" && $5 > 0 {
	printf "\"%s\" %s\n", $2, $3 / $5 }' "$csv" > "$dir/scale.dat"

plots=2
[ -s "$dir/scale.dat" ] && plots=3
gnuplot <<EOT || { echo "plot: gnuplot failed" >&2; exit 1; }
set terminal svg size 1000,$((plots * 320)) dynamic noenhanced font "sans,11"
set output "$svg"
set multiplot layout $plots,1
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.8
set grid ytics
set key off
set yrange [0:*]
set title "Throughput by engine (Mbit/s, higher is better)"
plot "$dir/rate.dat" using 2:xtic(1) linecolor rgb "#4477aa", \
    "" using 0:2:2 with labels offset 0,0.8
set title "pptpcd CPU seconds per GB carried (lower is better)"
plot "$dir/cpu.dat" using 2:xtic(1) linecolor rgb "#cc6677", \
    "" using 0:2:2 with labels offset 0,0.8
if ($plots == 3) {
	set title "Scale run: each figure as a share of its target (below 1 meets it)"
	set xtics rotate by -20
	plot "$dir/scale.dat" using 2:xtic(1) linecolor rgb "#228833", \
	    "" using 0:2:(sprintf("%.2f", \$2)) with labels offset 0,0.8
}
unset multiplot
EOT
echo "plot: $svg"
