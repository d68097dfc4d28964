#!/usr/bin/env bash
# Draws the benchmark charts (SVG and PNG) and the report from one results.json. The
# figures, tables and verdicts come from shl_plotdata (its modules: README.md); this script only
# runs it and gnuplot.
# usage: render RESULTS_DIR|results.json [--out DIR] [--conformance FILE]
set -euo pipefail

prog=render
usage="render RESULTS_DIR|results.json [--out DIR] [--conformance FILE]"
# The scripts' folder, found through the links of a runfiles tree or of bazel-bin.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=plots/lib.sh
. "$here/lib.sh"
plotdata_tool=$(plotdata_tool)

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
plotdata check "$json" ${conformance:+"$conformance"}
mkdir -p "$out" 2>/dev/null || fail "cannot create the output folder $out"

work=$(mktemp -d "${TMPDIR:-/tmp}/shmlab-plots.XXXXXX")
trap 'rm -rf "$work"' EXIT

charts=$(plotdata charts)
while read -r chart script <&3; do
  status=0
  settings=$(plotdata chart "$chart" "$json" "$work") || status=$?
  case $status in
    0) plot_chart "$out/$chart" "$settings" "$script" ;;
    3) # Said, and the chart an earlier run left in the folder removed, so that the report
       # does not show it as this run's.
       echo "${prog}: ${settings} in $json; chart $chart is not drawn" >&2
       rm -f "$out/$chart.svg" "$out/$chart.png" ;;
    *) exit "$status" ;;
  esac
done 3<<<"$charts"

plotdata report "$json" "$out" ${conformance:+"$conformance"}
echo "${prog}: charts and report in $out"
