#!/usr/bin/env bash
# Renders three runs, the made-up fixture (every size, known figures), a real quick run of
# this VM and a real quick run with every transport family, fan-out and zero-copy rows, and
# checks the files and what they plot against each run's results.json.
set -euo pipefail

runfiles=${TEST_SRCDIR:?run me with bazel test}/shmlab
render=$runfiles/plots/render
made_up=$runfiles/plots/testdata/results.json
quick_run=$runfiles/plots/testdata/quick-run.json
peers_run=$runfiles/plots/testdata/peers-run.json
plotdata_tool=$runfiles/plots/shl_plotdata
conformance=$runfiles/plots/testdata/conformance.json
failures=0 checked=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for tool in jq xmllint; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is needed by this test and missing"; exit 1; }
done

charts=(latency best throughput distribution setup advantage)

# check_files: the charts in both formats, titled with the run's machine and mode
# ($fixture rendered into $out).
check_files() {
  local chart svg png dims machine
  machine=$(jq -r '.context | "\(.cpu_model), \(.kernel), \(.mode) run"' "$fixture")
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
  grep -q -F ">$machine<" "$svg" || fail "$chart.svg title does not name the machine and mode"
  done
}

# The legend entries of a chart and the number of points drawn per entry (gnuplot's SVG
# puts each plot in a <g id="gnuplot_plot_N"> whose first <text> is its legend entry and
# whose <use> elements are its points, plus one in the legend sample). A plot without an
# entry draws its data before any text; text after that is a later label's, not its title.
plotted() {
  awk '/<g id="gnuplot_plot_/ { group++; title[group] = ""; points[group] = 0; drawn = 0 }
       group && /<(path|use) / && title[group] == "" { drawn = 1 }
       group && !drawn && /<text>/ && title[group] == "" { t = $0; sub(/.*<text>/, "", t); sub(/<\/text>.*/, "", t); title[group] = t }
       group && /<use / { points[group]++ }
       END { for (g = 1; g <= group; g++) if (title[g] != "") print title[g] "\t" points[g] }' "$1"
}

# Expected series straight from the JSON, written independently of plots/shl_plotdata.
expected() {
  jq -r --arg b "$1" --arg per "$2" '
    [.results[] | select(.benchmark == $b)
     | . + {key: (.transport + (if (.notify // "") == "" then "" else "/" + .notify end))}]
    | group_by(.key)[]
    | if $per == "rows" then [.[0].key, length + 1]
      else (map(select(.size == 64))[0]) as $at   # the distribution names batched series
        | [.[0].key + (if $at.batch > 1 then " (batch \($at.batch))" else "" end), 5] end
    | @tsv' "$fixture" | sort
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

# The most series a panel of a chart over message size may carry.
panel_series_max=12

# check_panels CHART: each panel of CHART carries at most $panel_series_max series and the
# panels together carry every series of its benchmark once (read from the settings
# shl_plotdata writes for it: one "n=N; keys=..." per panel).
check_panels() {
  local chart=$1 benchmark=$2 work counts total want
  work=$(mktemp -d "$TEST_TMPDIR/panels.XXXXXX")
  counts=$("$plotdata_tool" chart "$chart" "$fixture" "$work" | grep -oE "n=[0-9]+; keys=" | grep -oE "[0-9]+") \
    || { fail "$chart: shl_plotdata wrote no panels"; return; }
  total=0
  for n in $counts; do
    [ "$n" -le "$panel_series_max" ] || fail "$chart has a panel of $n series (at most $panel_series_max)"
    total=$((total + n))
  done
  want=$(expected "$benchmark" rows | wc -l)
  [ "$total" -eq "$want" ] || fail "$chart panels carry $total series, results.json has $want"
  checked=$((checked + $(wc -w <<<"$counts")))
}

# check_best: one line per family with latency rows, a point at each size, and the overall
# fastest series at the smallest size named at its point.
check_best() {
  local got sizes fastest lines
  sizes=$(jq '[.results[] | select(.benchmark == "latency") | .size] | unique | length' "$fixture")
  # Entries without points are the winners' labels (drawn as text first).
  lines=$(plotted "$out/best.svg" | grep -v -F "cache-line floor" | awk -F '\t' '$2 > 0')
  got=$(cut -f 2 <<<"$lines" | sort -u)
  [ "$got" = "$((sizes + 1))" ] || fail "best.svg lines do not have a point per size ($sizes): $got"
  [ "$(wc -l <<<"$lines")" -le 4 ] || fail "best.svg has more lines than families"
  fastest=$(jq -r '[.results[] | select(.benchmark == "latency")] | (map(.size) | min) as $s
                   | map(select(.size == $s)) | min_by(.p50)
                   | .transport + (if (.notify // "") == "" then "" else "/" + .notify end)' "$fixture")
  grep -q -F ">$fastest<" "$out/best.svg" || fail "best.svg does not name $fastest, the fastest at the smallest size"
}

# check_charts: each chart plots the series and points of the run.
check_charts() {
  check_series latency latency rows "cache-line floor"
  check_series throughput throughput rows "memcpy bandwidth"
  check_panels latency latency
  check_panels throughput throughput
  check_best
  check_series distribution latency percentiles
  check_series advantage latency rows "best shared memory"
  # Bars draw no points: compare the legend alone.
  local got
  got=$(plotted "$out/setup.svg" | cut -f 1 | sort)
  [ "$got" = "$(expected setup rows | cut -f 1)" ] || fail "setup.svg bars differ from results.json"
}

# The report: every p50 in its latency table is the JSON's p50 (to the three significant
# figures shown), and the HTML needs nothing but itself.
# The latency table of report.md as lines: series, size in bytes, p50 shown in ns.
table_p50s() {
  awk -F ' [|] ' '
    function bytes(label,   n, u) { split(label, n, " "); u = n[2]
      return n[1] * (u == "KiB" ? 1024 : u == "MiB" ? 1048576 : 1) }
    function ns(q,   n, u) { split(q, n, " "); u = n[2]
      return n[1] * (u == "ns" ? 1 : u == "µs" ? 1e3 : u == "ms" ? 1e6 : u == "s" ? 1e9 : -1) }
    /^## / { inside = ($0 ~ /^## Round-trip latency, p50/); header = 1; next }
    inside && /^\|/ { sub(/^\| /, ""); sub(/ \|$/, "")
      if (header) { for (i = 2; i <= NF; i++) size[i] = bytes($i); header = 0; next }
      if ($1 ~ /^---/) next
      for (i = 2; i <= NF; i++) { split($i, q, " / "); printf "%s\t%d\t%s\n", $1, size[i], ns(q[1]) } }' "$1"
}

# check_report: the report's documents, its latency table against the JSON, a
# self-contained HTML.
check_report() {
  local doc key size shown want cells=0 sizes series
  for doc in report.md report.html; do [ -s "$out/$doc" ] || fail "$doc missing"; done
  while IFS=$'\t' read -r key size shown; do
    want=$(jq -r --arg k "$key" --argjson s "$size" '[.results[] | select(.benchmark == "latency" and .size == $s
            and (.transport + (if (.notify // "") == "" then "" else "/" + .notify end)) == $k)][0].p50' "$fixture")
    awk -v a="$shown" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d / b <= 0.005) }' \
      || fail "report.md shows p50 $shown ns for $key at $size B, results.json has $want"
    cells=$((cells + 1))
  done < <(table_p50s "$out/report.md")
  series=$(jq '[.results[] | select(.benchmark == "latency") | .transport + "/" + (.notify // "")] | unique | length' "$fixture")
  sizes=$(jq '[.results[] | select(.benchmark == "latency") | .size] | unique
              | map(select(. == 64 or . == 4096 or . == 65536 or . == 1048576)) | length' "$fixture")
  [ "$cells" -eq $((series * sizes)) ] || fail "report.md latency table has $cells p50 cells, expected $((series * sizes))"
  checked=$((checked + cells))
  [ "$(grep -o 'src="data:image/svg+xml;base64,' "$out/report.html" | wc -l)" -eq "${#charts[@]}" ] \
    || fail "report.html does not inline every chart"
  ! grep -Eq '(src|href)="(https?:)?//' "$out/report.html" || fail "report.html refers to the network"
}

# The real quick run: all of the above.
fixture=$quick_run out=$TEST_TMPDIR/quick-run
"$render" "$fixture" --out "$out" >/dev/null 2>&1 || fail "the quick run is not rendered"
check_files
check_charts
check_report

# Runs without fan-out or zero-copy rows leave those charts out and say so.
check_absent() {
  local chart
  for chart in fanout zerocopy; do
    [ ! -e "$out/$chart.svg" ] && [ ! -e "$out/$chart.png" ] || fail "$chart is drawn without rows"
    grep -q "chart $chart is not drawn" "$TEST_TMPDIR/stderr" || fail "the missing $chart chart is not reported"
  done
}
"$render" "$fixture" --out "$out" >/dev/null 2>"$TEST_TMPDIR/stderr"
check_absent

# The run with every family (25 and more latency series), fan-out and zero-copy.
fixture=$peers_run out=$TEST_TMPDIR/peers-run
"$render" "$fixture" --out "$out" >/dev/null 2>&1 || fail "the run with every family is not rendered"
charts=(latency best throughput advantage distribution fanout zerocopy)
check_files
check_series latency latency rows "cache-line floor"
check_series throughput throughput rows "memcpy bandwidth"
check_panels latency latency
check_panels throughput throughput
[ "$(expected latency rows | wc -l)" -gt 25 ] || fail "the run with every family has 25 or fewer latency series"
check_best
check_series fanout fanout rows
# Zero-copy: each series twice, its zero-copy rows and the copying latency rows of the same key.
got=$(plotted "$out/zerocopy.svg" | sort)
want=$(jq -r '.results as $r | [$r[] | select(.benchmark == "zerocopy")
         | .transport + (if (.notify // "") == "" then "" else "/" + .notify end)] | unique[] as $k
       | ($r | map(select((.transport + (if (.notify // "") == "" then "" else "/" + .notify end)) == $k))) as $rows
       | ["\($k) zero-copy", ($rows | map(select(.benchmark == "zerocopy")) | length) + 1],
         ["\($k) copying", ($rows | map(select(.benchmark == "latency")) | length) + 1] | @tsv' "$fixture" | sort)
[ "$got" = "$want" ] || fail "zerocopy.svg plots other series than results.json:
--- plotted
$got
--- expected
$want"
charts=(latency best throughput distribution setup advantage)

# The made-up run: all of the above, and figures known in advance.
fixture=$made_up out=$TEST_TMPDIR/made-up
"$render" "$fixture" --out "$out" --conformance "$conformance" >/dev/null
check_files
check_charts
check_report
plotted "$out/latency.svg" | grep -q '^cache-line floor, 141 ns' || fail "latency.svg floor is not labelled 141 ns"
grep -q '^| best shared-memory p50 at 64 B (posix/spin) / cache-line floor p50 | 183 ns | 141 ns | 1.30× |' "$out/report.md" \
  || fail "report.md efficiency row against the floor is wrong"
grep -q "^Note from the run: $(jq -r '.context.notes[0]' "$fixture")\$" "$out/report.md" \
  || fail "report.md does not carry the run's notes"
grep -q '^Checker result conformance.json (musl 1.2.3, Linux 6.18.44-fc-v595 x86_64, /dev/shm on tmpfs): 4 pass, 1 fail, 1 skip, 1 broken.$' "$out/report.md" \
  || fail "report.md conformance summary is wrong"
grep -q '^| all | 7 | 4 | 1 | 1 | 1 |$' "$out/report.md" || fail "report.md conformance counts are not the checker's"
grep -q '^| sysv.shm_lock_resident | sysv | BROKEN | set-up: shmget: ENOSPC |$' "$out/report.md" \
  || fail "report.md does not list the broken case with its reason"

# The adaptive targets weigh each row against the reference measured between its slices
# (interleaved_ratio, interleaved_cpu_b_ratio), never against the reference's own rows; a
# row without them, as an older file has, is not measured rather than judged.
jq '(.results[] | select(.benchmark == "latency" and .transport == "posix" and .notify == "spin"
                           and .size == 64)) as $spin
    | [.results[] | select(.benchmark == "wakeup" and .transport == "posix"
                            and .notify == "futex")] as $futex
    | .results += [$spin + {notify: "adaptive", interleaved_with: "spin", interleaved_ratio: 1.3},
                   $spin + {transport: "sysv", notify: "adaptive"},
                   ($futex[] | select(.rate_hz == 10000)) + {notify: "adaptive",
                     interleaved_with: "futex", interleaved_ratio: 0.8},
                   ($futex[] | select(.rate_hz == 100)) + {notify: "adaptive",
                     interleaved_with: "futex", interleaved_cpu_b_ratio: 1.2}]' \
  "$fixture" >"$TEST_TMPDIR/adaptive.json"
"$render" "$TEST_TMPDIR/adaptive.json" --out "$TEST_TMPDIR/adaptive" >/dev/null 2>&1 ||
  fail "a run with adaptive rows is not rendered"
for row in \
  '| posix/adaptive round trip at 64 B / spin, same moments | 183 ns | 141 ns | 1.30× | at most 1.2× | not met |' \
  "| posix/adaptive serving peer's CPU per message at 100 Hz / futex, same moments | 7.20 µs | 6.00 µs | 1.20× | at most 1.5× | met |" \
  '| posix/adaptive wake-up p50 at 10 kHz / futex, same moments | 36.9 µs | 46.1 µs | 0.80× | at most 1× | met |' \
  '| sysv/adaptive round trip at 64 B / spin, same moments | 183 ns | – | – | at most 1.2× | not measured |'; do
  grep -qxF -- "$row" "$TEST_TMPDIR/adaptive/report.md" || fail "report.md lacks the adaptive row: $row"
done

# A run without shared memory (as when only the kernel transports were chosen): the
# advantage chart is left out, said so, and no stale copy from the earlier render remains.
jq '.results |= map(select(.transport as $t | ["mmap", "sysv", "posix"] | index($t) | not))' \
  "$fixture" > "$TEST_TMPDIR/kernel-only.json"
"$render" "$TEST_TMPDIR/kernel-only.json" --out "$out" >/dev/null 2>"$TEST_TMPDIR/stderr" \
  || fail "a run without shared memory is not rendered"
[ ! -e "$out/advantage.svg" ] && [ ! -e "$out/advantage.png" ] || fail "a stale advantage chart remains"
grep -q 'chart advantage is not drawn' "$TEST_TMPDIR/stderr" || fail "the missing advantage chart is not reported"
grep -q '^| best shared-memory p50 at 64 B (not measured) / cache-line floor p50 | – | 141 ns | – | at most 1.5× | not measured |$' \
  "$out/report.md" || fail "report.md does not say the shared-memory efficiency was not measured"

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all three runs: all charts present, well-formed and plotting their series; $checked report cells match"
