#!/usr/bin/env bash
# Renders the fixture and checks the files and what they plot against results.json.
set -euo pipefail

runfiles=${TEST_SRCDIR:?run me with bazel test}/shmlab
render=$runfiles/plots/render
fixture=$runfiles/plots/testdata/results.json
out=${TEST_TMPDIR:?}/out
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for tool in jq xmllint; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is needed by this test and missing"; exit 1; }
done

"$render" "$fixture" --out "$out" >/dev/null

charts=(latency throughput distribution setup advantage)
for chart in "${charts[@]}"; do
  svg=$out/$chart.svg png=$out/$chart.png
  [ -s "$svg" ] || { fail "$chart.svg missing"; continue; }
  [ -s "$png" ] || { fail "$chart.png missing"; continue; }
  xmllint --noout "$svg" 2>/dev/null || fail "$chart.svg is not well-formed XML"
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
    || fail "$chart.png has no PNG signature"
  # The IHDR chunk holds the width and height; a chart is never a stub.
  dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{ print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8 }')
  [ "$dims" = 1200x650 ] || fail "$chart.png is $dims, expected 1200x650"
  [ "$(stat -c %s "$png")" -gt 20000 ] || fail "$chart.png is suspiciously small"
  grep -q 'Intel(R) Xeon(R) Processor, Linux 6.18.44-fc-v595, quick run' "$svg" \
    || fail "$chart.svg title does not name the machine and mode"
done

# The legend entries of a chart and the number of points drawn per entry (gnuplot's SVG
# puts each plot in a <g id="gnuplot_plot_N"> whose first <text> is its legend entry and
# whose <use> elements are its points, plus one in the legend sample).
plotted() {
  awk '/<g id="gnuplot_plot_/ { group++; title[group] = ""; points[group] = 0 }
       group && /<text>/ && title[group] == "" { t = $0; sub(/.*<text>/, "", t); sub(/<\/text>.*/, "", t); title[group] = t }
       group && /<use / { points[group]++ }
       END { for (g = 1; g <= group; g++) if (title[g] != "") print title[g] "\t" points[g] }' "$1"
}

# Expected series straight from the JSON, written independently of plots/results.jq.
expected() {
  jq -r --arg b "$1" --arg per "$2" '
    [.results[] | select(.benchmark == $b)
     | . + {key: (.transport + (if (.notify // "") == "" then "" else "/" + .notify end))}]
    | group_by(.key)[] | [.[0].key, (if $per == "rows" then length else 4 end) + 1] | @tsv' "$fixture" | sort
}

# check_series CHART BENCHMARK rows|percentiles [REFERENCE LEGEND ENTRY]
check_series() {
  local chart=$1 benchmark=$2 per=$3 reference=${4:-} got want
  got=$(plotted "$out/$chart.svg" | { if [ -n "$reference" ]; then grep -v -F "$reference"; else cat; fi; } | sort)
  want=$(expected "$benchmark" "$per")
  [ "$got" = "$want" ] || fail "$chart.svg plots other series than results.json:
--- plotted (series, points+1)
$got
--- expected
$want"
  if [ -n "$reference" ]; then
    plotted "$out/$chart.svg" | grep -q -F "$reference" || fail "$chart.svg lacks the reference \"$reference\""
  fi
}
check_series latency latency rows "cache-line floor, 141 ns"
check_series throughput throughput rows "memcpy bandwidth"
check_series distribution latency percentiles
check_series advantage latency rows "best shared memory"
# Bars draw no points: compare the legend alone.
got=$(plotted "$out/setup.svg" | cut -f 1 | sort)
[ "$got" = "$(expected setup rows | cut -f 1)" ] || fail "setup.svg bars differ from results.json"

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all charts present, well-formed and plotting the fixture's series"
