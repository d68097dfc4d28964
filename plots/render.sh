#!/usr/bin/env bash
# Draws the benchmark charts (SVG and PNG) and the report from one results.json.
# usage: render RESULTS_DIR|results.json [--out DIR] [--conformance FILE]
set -euo pipefail

prog=render
usage="render RESULTS_DIR|results.json [--out DIR] [--conformance FILE]"
# The scripts' folder, found through the links of a runfiles tree or of bazel-bin.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=plots/lib.sh
. "$here/lib.sh"

enter_user_directory
results_arg="" out="" conformance=""
while [ $# -gt 0 ]; do
  case $1 in
    --out) [ $# -ge 2 ] && [ -n "$2" ] || fail_usage "--out needs a folder"; out=$2; shift 2 ;;
    --conformance) [ $# -ge 2 ] && [ -n "$2" ] || fail_usage "--conformance needs a file"; conformance=$2; shift 2 ;;
    -h|--help) echo "usage: ${usage}"; exit 0 ;;
    -*) fail_usage "unknown option $1" ;;
    *) [ -z "$results_arg" ] || fail_usage "more than one results folder given"; results_arg=$1; shift ;;
  esac
done
[ -n "$results_arg" ] || fail_usage "no results folder given"
require_tools
json=$(results_file "$results_arg")
[ -n "$out" ] || out=$(dirname "$json")
if [ -n "$conformance" ]; then
  [ -f "$conformance" ] || fail_usage "no conformance file at $conformance"
fi
check_results "$json"
if [ -n "$conformance" ]; then
  check_json "$conformance"
  problem=$(rq -r 'include "results"; conformance_problem // empty' "$conformance")
  [ -z "$problem" ] || fail "$conformance: $problem"
fi
mkdir -p "$out" 2>/dev/null || fail "cannot create the output folder $out"

work=$(mktemp -d "${TMPDIR:-/tmp}/shmlab-plots.XXXXXX")
trap 'rm -rf "$work"' EXIT

machine=$(rq -r 'include "results"; machine_line' "$json")
# In a chart the machine takes two lines: one would be clipped at the chart's width.
common="machine=$(gp_str "$(rq -r 'include "results"; machine_parts | join("\n")' "$json")")"

# not_drawn NAME WHY: says so, and removes the chart an earlier run left in the folder so
# that the report does not show it as this run's.
not_drawn() {
  echo "${prog}: $2 in $json; chart $1 is not drawn" >&2
  rm -f "$out/$1.svg" "$out/$1.png"
}

# series NAME FILTER: writes the series table the results.jq FILTER makes to
# $work/NAME.series; false (and the chart is not drawn) when there are no such rows.
series() {
  rq -r "include \"results\"; $2" "$json" > "$work/$1.series"
  if [ -s "$work/$1.series" ]; then return 0; fi
  not_drawn "$1" "no rows for it"
  return 1
}

size_axis() {
  printf 'size_tics=%s; %s' \
    "$(gp_str "$(rq -r --arg b "$1" 'include "results"; size_tics($b)' "$json")")" \
    "$(rq -r --arg b "$1" 'include "results"; size_range($b)' "$json")"
}

# chart NAME SERIES DATA SCRIPT SETTINGS: draws chart NAME with gnuplot SCRIPT from the
# series and the data the results.jq filters SERIES and DATA write, plus the chart's own
# gnuplot SETTINGS.
chart() {
  series "$1" "$2" || return 0
  rq -r "include \"results\"; $3" "$json" > "$work/$1.dat"
  plot_chart "$out/$1" "$common; $(series_vars "$work/$1.series"); data=$(gp_str "$work/$1.dat"); $5" "$4"
}

chart latency 'series_table("latency")' 'size_blocks("latency")' by_size.gp "
  chart_title='Round-trip latency by message size: p50, whisker up to p99'; whiskers=1;
  $(size_axis latency); ylabel_text='round-trip time (log scale)'; yformat='%.0s %cs';
  reference=$(gp_str "$(floor_reference "$json" cacheline 'cache-line floor' s black "$work/cacheline.dat")")"

chart throughput 'series_table("throughput")' 'size_blocks("throughput")' by_size.gp "
  chart_title='One-way throughput by message size (p50 of the runs)'; whiskers=0;
  $(size_axis throughput); ylabel_text='throughput (log scale)'; yformat='%.0s %cB/s';
  reference=$(gp_str "$(floor_reference "$json" memcpy 'memcpy bandwidth' B/s black "$work/memcpy.dat")")"

dist_size=$(rq -r 'include "results"; nearest_size("latency"; 64) // 64' "$json")
chart distribution "series_table_at(\"latency\"; $dist_size)" "distribution_blocks($dist_size)" distribution.gp "
  chart_title=$(gp_str "Round-trip latency percentiles at $(rq -rn "include \"results\"; $dist_size | size_label"): where the tails show")"

chart setup 'series_table("setup")' setup_matrix setup.gp "
  chart_title='Set-up cost: create, map, touch, unmap, destroy (hyperfine mean, error bar 1 stddev)'"

if [ "$(rq 'include "results"; [rows("latency") | select(is_shm)] | length' "$json")" -eq 0 ]; then
  not_drawn advantage "no shared-memory latency rows"
else
  chart advantage 'series_table("latency")' advantage_blocks by_size.gp "
    chart_title='Shared memory advantage: p50 as a multiple of the best shared-memory p50'; whiskers=0;
    $(size_axis latency); ylabel_text='p50 / best shared-memory p50 at that size (log scale)';
    yformat='%g×'; ymin=0.8;
    reference=$(gp_str ", 1 with lines lc rgb 'black' dt 3 lw 2 title 'best shared memory (1×)'")"
fi

# shellcheck source=plots/report.sh
. "$here/report.sh"
write_report
echo "${prog}: charts and report in $out"
