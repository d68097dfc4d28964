#!/usr/bin/env bash
# Compares the fixture with a copy in which the futex strategies got 40% faster and the
# pipe's throughput 30% higher: the charts hold both runs, the table shows exactly that.
set -euo pipefail

runfiles=${TEST_SRCDIR:?run me with bazel test}/shmlab
compare=$runfiles/plots/compare
a=$runfiles/plots/testdata/results.json
tmp=${TEST_TMPDIR:?}
b=$tmp/b.json
out=$tmp/out
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

jq '.context.kernel = "Linux 6.1.0-18-amd64 x86_64"
    | .results |= map(if .benchmark == "latency" and .notify == "futex" then .p50 *= 0.6
                      elif .benchmark == "throughput" and .transport == "pipe" then .p50 *= 1.3
                      else . end)' "$a" > "$b"
"$compare" "$a" "$b" --out "$out" > "$tmp/stdout"

for chart in latency throughput; do
  [ -s "$out/$chart.svg" ] && [ -s "$out/$chart.png" ] || { fail "$chart chart missing"; continue; }
  grep -q '>dashed B: Intel(R) Xeon(R) Processor, Linux 6.1.0-18-amd64 x86_64, quick run, 2026-11-29 19:55<' "$out/$chart.svg" \
    || fail "$chart.svg title does not name run B"
  # Two runs: every series is drawn twice, A with its legend entry and B without one.
  series=$(jq -r --arg b "$chart" '[.results[] | select(.benchmark == $b)
            | .transport + (if (.notify // "") == "" then "" else "/" + .notify end)] | unique[]' "$a")
  groups=$(awk '/<g id="gnuplot_plot_/ { if (g) print title "\t" uses; g = 1; title = "-"; uses = 0 }
                g && /<text>/ && title == "-" { t = $0; sub(/.*<text>/, "", t); sub(/<\/text>.*/, "", t); title = t }
                g && /<use / { uses++ }
                END { if (g) print title "\t" uses }' "$out/$chart.svg")
  titled=$(awk -F '\t' '$1 != "-" && $2 > 0 { print $1 }' <<< "$groups" | grep -v -e '^memcpy' | sort)
  untitled=$(awk -F '\t' '$1 == "-" && $2 > 0' <<< "$groups" | wc -l)
  [ "$titled" = "$(sort <<< "$series")" ] || fail "$chart.svg: run A's series differ from results.json"
  [ "$untitled" -eq "$(wc -l <<< "$series")" ] || fail "$chart.svg draws $untitled series of run B, expected $(wc -l <<< "$series")"
  grep -q '>run B (dashed)<' "$out/$chart.svg" || fail "$chart.svg legend does not say which run is dashed"
done

cmp -s "$tmp/stdout" "$out/compare.md" || fail "stdout and compare.md differ"
latency_rows=$(awk '/^\| latency p50/ { on = 1 } /^\| throughput p50/ { on = 0 } on' "$out/compare.md")
grep -q '^| mmap/futex | 0.60× | 0.60× |' <<< "$latency_rows" || fail "mmap/futex latency ratio is not 0.60×"
grep -q '^| mmap/spin | 1.00× | 1.00× |' <<< "$latency_rows" || fail "mmap/spin latency ratio is not 1.00×"
throughput_rows=$(awk '/^\| throughput p50/ { on = 1 } on' "$out/compare.md")
grep -q '^| pipe | 1.30× | 1.30× |' <<< "$throughput_rows" || fail "pipe throughput ratio is not 1.30×"
grep -q '^| fifo | 1.00× | 1.00× |' <<< "$throughput_rows" || fail "fifo throughput ratio is not 1.00×"

# A series only B measured (B gains mmap/sem at three sizes): named in the legend once, in
# mmap's colour, with its three points; every other series keeps its own data and colour
# (A has no mmap/sem data at all, which must not shift A's later series onto other data).
jq '.results += [.results[] | select(.transport == "mmap" and .notify == "futex"
                                    and (.size == 64 or .size == 4096 or .size == 1048576))
                 | .notify = "sem" | .p50 *= 2]' "$b" > "$tmp/b-sem.json"
"$compare" "$a" "$tmp/b-sem.json" --out "$tmp/sem" > /dev/null
for chart in latency throughput; do
  # legend entry, colour, points drawn (with the legend sample)
  entries=$(awk '/<g id="gnuplot_plot_/ { if (g && title != "-") print title "\t" colour "\t" uses
                                         g = 1; title = "-"; colour = ""; uses = 0 }
                 g && /<text>/ && title == "-" { t = $0; sub(/.*<text>/, "", t); sub(/<\/text>.*/, "", t); title = t }
                 g && colour == "" && /stroke=.rgb\(/ { c = $0; sub(/.*stroke=.rgb\( */, "", c); sub(/\).*/, "", c); gsub(/ /, "", c); colour = c }
                 g && /<use / { uses++ }
                 END { if (g && title != "-") print title "\t" colour "\t" uses }' "$tmp/sem/$chart.svg")
  [ "$(grep -c '^mmap/sem' <<< "$entries")" -eq 1 ] || fail "$chart.svg: B's own series is not named once"
  grep -q $'^mmap/sem\t0,114,178\t4$' <<< "$entries" || fail "$chart.svg: B's mmap/sem is not drawn in mmap's colour with 3 points"
  grep -q $'^tcp\t85,85,85\t10$' <<< "$entries" || fail "$chart.svg: A's tcp lost its colour or its 9 points"
done
grep -q '^| mmap/sem | – | – | – | – | – | – | – | – | – |$' "$tmp/sem/compare.md" || fail "compare.md shows a ratio for mmap/sem, which A lacks"

# Significance on constructed runs of 5 repetitions each: the latency p50s of every
# repetition scaled by a few percent of noise. B drawn from the same level as A is "no
# significant difference"; B 20% slower is "significantly higher"; one repetition a side is
# "too few repetitions to judge", never a verdict of no difference.
repeated() { # FILE FACTORS OUT
  jq --argjson f "$2" '.context.repetitions = ($f | length)
      | .results |= [.[] as $r | range(0; $f | length) as $i | $r | .repetition = $i
                     | if .benchmark == "latency" and .p50 != null then .p50 *= $f[$i] else . end]' \
    "$1" > "$3"
}
repeated "$a" '[0.98, 1.01, 1.00, 0.99, 1.02]' "$tmp/rep-a.json"
repeated "$a" '[1.005, 0.995, 1.015, 0.985, 1.001]' "$tmp/rep-same.json"
repeated "$a" '[1.18, 1.21, 1.20, 1.19, 1.22]' "$tmp/rep-slower.json"
"$compare" "$tmp/rep-a.json" "$tmp/rep-same.json" --out "$tmp/same" > /dev/null
"$compare" "$tmp/rep-a.json" "$tmp/rep-slower.json" --out "$tmp/slower" > /dev/null
grep -q '^| mmap/spin | 64 B | 5 / 5 | [^|]* | no significant difference |$' "$tmp/same/compare.md" \
  || fail "runs from one level are not 'no significant difference'"
grep -q '^| mmap/spin | 64 B | 5 / 5 | [^|]* | significantly higher |$' "$tmp/slower/compare.md" \
  || fail "runs 20% apart are not 'significantly higher'"
grep -q '^| mmap/spin | 64 B | 1 / 1 | [^|]* | too few repetitions to judge |$' "$out/compare.md" \
  || fail "one repetition a side is not 'too few repetitions to judge'"

status=0
"$compare" "$a" > /dev/null 2> "$tmp/stderr" || status=$?
[ "$status" -eq 2 ] && [ "$(wc -l < "$tmp/stderr")" -eq 1 ] || fail "one results file: exit $status, want 2 and one line"

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "both runs drawn, ratios and significance as constructed"
