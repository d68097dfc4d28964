#!/usr/bin/env bash
# Bad input to render: one line on stderr, nothing on stdout, exit 2 (usage) or 1 (data).
set -euo pipefail

runfiles=${TEST_SRCDIR:?run me with bazel test}/shmlab
render=$runfiles/plots/render
fixture=$runfiles/plots/testdata/results.json
tmp=${TEST_TMPDIR:?}
failures=0

# expect STATUS NAME ARGS...: render must exit STATUS with exactly one line on stderr.
expect() {
  local want=$1 name=$2 status=0
  shift 2
  "$render" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
  local lines
  lines=$(wc -l <"$tmp/stderr")
  if [ "$status" -ne "$want" ] || [ "$lines" -ne 1 ] || [ -s "$tmp/stdout" ]; then
    echo "FAIL: $name: exit $status (want $want), $lines stderr line(s):"
    cat "$tmp/stderr" "$tmp/stdout"
    failures=$((failures + 1))
  else
    echo "ok: $name: $(cat "$tmp/stderr")"
  fi
}

mutate() { jq "$1" "$fixture" >"$tmp/$2.json"; }

expect 2 "no arguments"
expect 2 "unknown option" "$fixture" --colour
expect 2 "--out without a folder" "$fixture" --out
expect 2 "missing results folder" "$tmp/no-such-folder"
expect 2 "missing conformance file" "$fixture" --conformance "$tmp/none.json" --out "$tmp/o1"
printf '{"context": {}, "results": [' >"$tmp/truncated.json"
expect 1 "malformed JSON" "$tmp/truncated.json" --out "$tmp/o2"
: >"$tmp/empty.json"
expect 1 "empty file" "$tmp/empty.json" --out "$tmp/o3"
mutate 'del(.context)' no-context
expect 1 "no context" "$tmp/no-context.json" --out "$tmp/o4"
mutate '.results = []' no-rows
expect 1 "no rows" "$tmp/no-rows.json" --out "$tmp/o5"
mutate '(.results[] | select(.benchmark == "latency" and .transport == "tcp" and .size == 64)) |= del(.p99)' no-p99
expect 1 "a latency row without p99" "$tmp/no-p99.json" --out "$tmp/o6"
mutate '.results[3].p50 = "fast"' text-p50
expect 1 "a statistic that is text" "$tmp/text-p50.json" --out "$tmp/o7"
mutate '.results[3].unit = "furlongs"' bad-unit
expect 1 "an unknown unit" "$tmp/bad-unit.json" --out "$tmp/o8"
mutate '.results' bare-array
expect 1 "an array instead of an object" "$tmp/bare-array.json" --out "$tmp/o9"
mutate '.results[5].transport = 5' number-transport
expect 1 "a transport that is a number" "$tmp/number-transport.json" --out "$tmp/o11"
mutate '(.results[] | select(.benchmark == "setup")) |= del(.mean)' setup-no-mean
expect 1 "a setup row without a mean" "$tmp/setup-no-mean.json" --out "$tmp/o12"
printf '{"context": {}, "results": [1]}\n{}' >"$tmp/two-documents.json"
expect 1 "two JSON documents" "$tmp/two-documents.json" --out "$tmp/o13"
: >"$tmp/a-file"
expect 1 "an output folder that cannot be made" "$fixture" --out "$tmp/a-file/charts"
printf '{"counts": {}}' >"$tmp/no-cases.json"
expect 1 "a conformance result without cases" "$fixture" --conformance "$tmp/no-cases.json" --out "$tmp/o14"
printf 'not json' >"$tmp/conformance.json"
expect 1 "malformed conformance file" "$fixture" --conformance "$tmp/conformance.json" --out "$tmp/o10"

# No output folder is left half-written by rejected input.
for n in 2 3 4 5 6 7 8 9 11 12 13 14; do
  [ ! -e "$tmp/o$n" ] || { echo "FAIL: rejected input still created $tmp/o$n"; failures=$((failures + 1)); }
done

[ "$failures" -eq 0 ] || { echo "$failures case(s) failed"; exit 1; }
