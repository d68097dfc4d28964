#!/usr/bin/env bash
# Draws latency and throughput of two runs on one chart each (A solid, B dashed) and the
# table of B/A ratios of p50 (stdout and compare.md). The figures come from shl_plotdata;
# this script only runs it and gnuplot.
# usage: compare A/results.json B/results.json [--out DIR]
set -euo pipefail

prog=compare
usage="compare A/results.json B/results.json [--out DIR]"
# The scripts' folder, found through the links of a runfiles tree or of bazel-bin.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=plots/lib.sh
. "$here/lib.sh"
plotdata_tool=$(plotdata_tool)

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
plotdata check "$a"
plotdata check "$b"
# Like the benchmark's own output: bench-out/ at the workspace root under `bazel run`.
[ -n "$out" ] || out=${BUILD_WORKSPACE_DIRECTORY:-.}/bench-out/compare
mkdir -p "$out" 2>/dev/null || fail "cannot create the output folder $out"

work=$(mktemp -d "${TMPDIR:-/tmp}/shmlab-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT

for benchmark in latency throughput; do
  status=0
  settings=$(plotdata compare-chart "$benchmark" "$a" "$b" "$work") || status=$?
  case $status in
    0) plot_chart "$out/$benchmark" "$settings" by_size.gp ;;
    3) echo "${prog}: ${settings}; chart $benchmark is not drawn" >&2 ;;
    *) exit "$status" ;;
  esac
done

plotdata compare-md "$a" "$b" > "$out/compare.md"
cat "$out/compare.md"
echo "${prog}: charts and compare.md in $out" >&2
