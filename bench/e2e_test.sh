#!/usr/bin/env bash
# End to end: the driver on one kernel transport with tiny settings must write results.json
# and gbench.json with every field the schema (bench/RESULTS.md) promises, and
# must refuse bad usage with status 2. Checks the output's shape, never its speed.
set -euo pipefail

driver=$1
out=${TEST_TMPDIR:-$(mktemp -d)}/bench-out
fail() { echo "e2e: $*" >&2; exit 1; }

"$driver" --quick --no-plots --transports pipe --sizes 64,4K \
  --benchmarks latency,throughput,wakeup,floor,crosscheck,load --out "$out" 2>"$out.log" ||
  { cat "$out.log" >&2; fail "driver failed"; }

json=$out/results.json
jq -e . "$json" >/dev/null || fail "results.json is not JSON"
for key in host kernel cpu_model cpus pinning buffers mode date timer_overhead_ns clock; do
  jq -e --arg k "$key" '.context | has($k)' "$json" >/dev/null || fail "context lacks $key"
done
jq -e '.context.mode == "quick" and .context.timer_overhead_ns > 0' "$json" >/dev/null ||
  fail "context mode or timer overhead wrong"
jq -e '.context.buffers.pipe > 0' "$json" >/dev/null || fail "pipe buffer size missing"

# Every row has every field; measured rows have ordered statistics.
jq -e '.results | length > 0' "$json" >/dev/null || fail "no rows"
jq -e '[.results[] | has("benchmark","transport","notify","size","unit","n","min","p50","p90",
        "p99","p999","max","mean","stddev","cpu_ns_per_msg","rate_hz","batch",
        "interleaved_with","interleaved_ratio","interleaved_cpu_b_ratio")] | all' \
  "$json" >/dev/null || fail "a row lacks a field"
jq -e '[.results[] | select(.n > 0) | .min <= .p50 and .p50 <= .p90 and .p90 <= .p99 and
        .p99 <= .p999 and .p999 <= .max] | all' "$json" >/dev/null || fail "statistics out of order"

# What was asked for is there.
want() { jq -e "[.results[] | select($1)] | length >= ${2:-1}" "$json" >/dev/null || fail "missing: $1"; }
want '.benchmark == "latency" and .transport == "pipe" and .unit == "ns" and .cpu_ns_per_msg > 0' 2
want '.benchmark == "throughput" and .transport == "pipe" and .unit == "MB/s"' 2
want '.benchmark == "wakeup" and .rate_hz != null' 3
want '.benchmark == "floor" and .transport == "cacheline" and .p50 > 0'
want '.benchmark == "floor" and .transport == "memcpy"' 2
want '.benchmark == "crosscheck" and .transport == "pipe" and .ratio_to == "latency" and .ratio > 0'
want '.benchmark == "floor" and .transport == "cacheline-pair" and .p50 > 0'
want '.benchmark == "floor" and .transport == "futex" and .p50 > 0'
want '.benchmark == "load" and .transport == "pipe" and .offered_hz == 1000 and .achieved_hz > 0
      and (.reached | type) == "boolean"'

# One sample is one message: nothing batched; every latency, wake-up and load row keeps its
# histogram, with as many samples as the row, and its .hgrm file beside results.json.
jq -e '[.results[] | .batch == 1] | all' "$json" >/dev/null || fail "a row is batched"
jq -e '[.results[] | select(.benchmark == "latency" or .benchmark == "wakeup" or .benchmark == "load")
        | .histogram.total == .n and (.histogram.counts | length > 0) and (.hgrm | type) == "string"]
       | all' "$json" >/dev/null || fail "a row lacks its histogram"
for hgrm in $(jq -r '.results[] | .hgrm // empty' "$json"); do
  grep -q '^#\[Buckets' "$out/$hgrm" || fail "$hgrm missing or not in .hgrm format"
done
for key in clock_why machine adaptive repetitions seed warnings fastest_p50_ns; do
  jq -e --arg k "$key" '.context | has($k)' "$json" >/dev/null || fail "context lacks $key"
done
# A load ladder stops at the first rate it does not reach, or offers every rate.
jq -e '[.results[] | select(.benchmark == "load")] | sort_by(.offered_hz)
       | (map(.reached) | index(false)) as $first
       | $first == null or $first == length - 1' "$json" >/dev/null ||
  fail "load rates offered past the first one not reached"

# What became of the charts has a file of its own; results.json is the driver's alone.
[ "$(cat "$out/charts.txt")" = "not drawn: --no-plots" ] || fail "charts.txt does not say why"
jq -e '.context | has("charts") | not' "$json" >/dev/null || fail "results.json was rewritten"

jq -e '.context and (.benchmarks | length > 0) and ([.benchmarks[] | has("name","real_time",
        "cpu_time","time_unit","iterations")] | all)' "$out/gbench.json" >/dev/null ||
  fail "gbench.json lacks what compare.py reads"

# Adaptive is weighed against spin back to back and futex at a rate, both measured between
# its own slices; every other strategy's row stands alone.
"$driver" --quick --no-plots --transports mmap --sizes 64 --benchmarks latency,wakeup \
  --out "$out/adaptive" 2>"$out/adaptive.log" || { cat "$out/adaptive.log" >&2; fail "ring run failed"; }
ring=$out/adaptive/results.json
jq -e '[.results[] | select(.benchmark == "latency" and .notify == "adaptive")
        | .interleaved_with == "spin" and .interleaved_ratio > 0 and .ratio_to == "cacheline"]
       | length == 1 and all' "$ring" >/dev/null || fail "adaptive latency lacks its ratio to spin"
jq -e '[.results[] | select(.benchmark == "wakeup" and .notify == "adaptive")
        | .interleaved_with == "futex" and .interleaved_ratio > 0 and .interleaved_cpu_b_ratio > 0]
       | length == 3 and all' \
  "$ring" >/dev/null || fail "adaptive wake-up lacks its ratio to futex"
jq -e '[.results[] | select(.notify != "adaptive") | .interleaved_with == null
        and .interleaved_ratio == null] | all' "$ring" >/dev/null ||
  fail "a row other than adaptive has an interleaved ratio"

# Set-up rows of the cheapest memory, a ring's MAP_SHARED|MAP_ANONYMOUS mapping (hyperfine
# times `shmlab lifecycle anon`): one row per segment size, each from hyperfine's own export.
command -v hyperfine >/dev/null || fail "hyperfine is not installed (ci/setup.sh installs it)"
"$driver" --quick --no-plots --transports anon --benchmarks setup --out "$out/setup" \
  2>"$out/setup.log" || { cat "$out/setup.log" >&2; fail "setup run failed"; }
jq -e '[.results[] | select(.benchmark == "setup" and .transport == "anon" and .n > 0
        and .mean > 0) | .size] == [4096, 1048576, 67108864]' "$out/setup/results.json" \
  >/dev/null || fail "the anon setup rows are not one per segment size"
for size in 4096 1048576 67108864; do
  jq -e '.results[0].times | length > 0' "$out/setup/hyperfine-anon-$size.json" >/dev/null ||
    fail "no hyperfine export for anon at $size B"
done

# Bad usage: one line on stderr, status 2, nothing run.
for bad in "--sizes 12" "--bogus" "--cpus 0,0" "--transports nosuch" "--quick --full"; do
  set +e
  # shellcheck disable=SC2086
  msg=$("$driver" $bad 2>&1 >/dev/null)
  status=$?
  set -e
  [ "$status" -eq 2 ] || fail "'$bad' exited $status, not 2"
  [ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] || fail "'$bad' printed more than one line"
done
# SIGINT in the middle of a configuration: the peer is killed, nothing is written, status
# 128 + 2, and no process is left behind.
"$driver" --full --no-plots --transports pipe --benchmarks latency --out "$out/interrupted" \
  2>"$out/interrupted.log" &
pid=$!
sleep 1
kill -INT "$pid"
set +e
wait "$pid"
status=$?
set -e
[ "$status" -eq 130 ] || { cat "$out/interrupted.log" >&2; fail "SIGINT: exit status $status, not 130"; }
[ ! -e "$out/interrupted/results.json" ] || fail "SIGINT: results written anyway"
sleep 0.2
! pgrep -f -- "--out $out/interrupted" >/dev/null || fail "SIGINT: a process survived"

echo "e2e: ok ($(jq '.results | length' "$json") rows)"
