#!/usr/bin/env bash
# Draws latency and throughput of two runs on one chart each (A solid, B dashed) and the
# table of B/A ratios of p50 (stdout and compare.md).
# usage: compare A/results.json B/results.json [--out DIR]
set -euo pipefail

prog=compare
usage="compare A/results.json B/results.json [--out DIR]"
# The scripts' folder, found through the links of a runfiles tree or of bazel-bin.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=plots/lib.sh
. "$here/lib.sh"

enter_user_directory
runs=() out=""
while [ $# -gt 0 ]; do
  case $1 in
    --out) [ $# -ge 2 ] && [ -n "$2" ] || fail_usage "--out needs a folder"; out=$2; shift 2 ;;
    -h|--help) echo "usage: ${usage}"; exit 0 ;;
    -*) fail_usage "unknown option $1" ;;
    *) runs+=("$1"); shift ;;
  esac
done
[ ${#runs[@]} -eq 2 ] || fail_usage "give exactly two results files, A and B"
require_tools
a=$(results_file "${runs[0]}")
b=$(results_file "${runs[1]}")
check_results "$a"
check_results "$b"
# Like the benchmark's own output: bench-out/ at the workspace root under `bazel run`.
[ -n "$out" ] || out=${BUILD_WORKSPACE_DIRECTORY:-.}/bench-out/compare
mkdir -p "$out" 2>/dev/null || fail "cannot create the output folder $out"

work=$(mktemp -d "${TMPDIR:-/tmp}/shmlab-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Series, sizes and axes come from both runs together.
jq -s '{context: .[0].context, results: (.[0].results + .[1].results)}' "$a" "$b" > "$work/both.json"
machine_a=$(rq -r 'include "results"; machine_line' "$a")
machine_b=$(rq -r 'include "results"; machine_line' "$b")
# Each run's CPU, kernel, mode and date fit one title line; host and pinning are in compare.md.
common="machine=$(gp_str "$(jq -rn -L "$here" --slurpfile a "$a" --slurpfile b "$b" \
  'include "results"; def line: "\(machine_parts[0]), \(.context.date // "undated" | .[0:16] | sub("T"; " "))";
     "solid A: \($a[0] | line)\ndashed B: \($b[0] | line)"')")"

# compare_chart BENCHMARK TITLE YLABEL YFORMAT FLOOR_TRANSPORT FLOOR_LABEL FLOOR_UNIT
compare_chart() {
  local benchmark=$1 keys
  rq -r --arg b "$benchmark" 'include "results"; series_table($b)' "$work/both.json" > "$work/$benchmark.series"
  if [ ! -s "$work/$benchmark.series" ]; then
    echo "${prog}: neither run has \"$benchmark\" rows; chart $benchmark is not drawn" >&2
    return 0
  fi
  keys=$(rq -c --arg b "$benchmark" 'include "results"; series_keys($b)' "$work/both.json")
  for run in a b; do
    rq -r --arg b "$benchmark" --argjson k "$keys" 'include "results"; size_blocks_for($b; $k)' \
      "${!run}" >> "$work/$benchmark.dat"
  done
  # Run A is solid and names each series in the legend; B repeats the colours and points,
  # dashed, and names only the series A lacks (a series without data has no legend entry).
  rq -r --arg b "$benchmark" 'include "results"; series_keys($b)[]' "$a" > "$work/$benchmark.a-keys"
  awk -F '\t' -v OFS='\t' 'NR == FNR { in_a[$1] = 1; next }
    { print (in_a[$1] ? $1 : "-"), $2, 1, $4; b[FNR] = (in_a[$1] ? "-" : $1) OFS $2 OFS 2 OFS $4 }
    END { for (i = 1; i <= FNR; i++) print b[i] }' \
    "$work/$benchmark.a-keys" "$work/$benchmark.series" > "$work/$benchmark.both"
  plot_chart "$out/$benchmark" "$common; $(series_vars "$work/$benchmark.both");
    chart_title=$(gp_str "$2: run A against run B");
    data=$(gp_str "$work/$benchmark.dat"); whiskers=0;
    size_tics=$(gp_str "$(rq -r --arg b "$benchmark" 'include "results"; size_tics($b)' "$work/both.json")");
    $(rq -r --arg b "$benchmark" 'include "results"; size_range($b)' "$work/both.json");
    ylabel_text=$(gp_str "$3"); yformat=$(gp_str "$4");
    reference=$(gp_str "$(floor_reference "$a" "$5" "$6 A" "$7" black "$work/$5-a.dat")$(floor_reference "$b" "$5" "$6 B" "$7" '#999999' "$work/$5-b.dat"), NaN with lines lc rgb 'black' dt 1 lw 2 title 'run A (solid)', NaN with lines lc rgb 'black' dt 2 lw 2 title 'run B (dashed)'")" by_size.gp
}

compare_chart latency "Round-trip latency p50 by message size" "round-trip time (log scale)" '%.0s %cs' \
  cacheline "cache-line floor" s
compare_chart throughput "One-way throughput p50 by message size" "throughput (log scale)" '%.0s %cB/s' \
  memcpy "memcpy" B/s

{
  echo "# shmlab: run B against run A"
  echo
  echo "- A: $machine_a ($a)"
  echo "- B: $machine_b ($b)"
  echo
  echo "Ratios of p50, B / A: below 1× B is faster for latency; above 1× B is faster for throughput."
  for benchmark in latency throughput; do
    echo
    jq -s -r -L "$here" --arg b "$benchmark" 'include "results"; ratio_table($b)' "$a" "$b" \
      | format_columns - x | tsv_to_markdown
  done
} > "$out/compare.md"
cat "$out/compare.md"
echo "${prog}: charts and compare.md in $out" >&2
