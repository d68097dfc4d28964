#!/usr/bin/env bash
# Fuzzes the gate's parsers (results and baseline JSON) for a bounded time:
# builds ci/gate/fuzz/gate_fuzz.c with clang's libFuzzer, ASan and UBSan (outside Bazel,
# whose toolchain here is gcc) and runs it from the seeds in ci/gate/fuzz/corpus.
# Exit 0: no crash, leak or sanitizer report; 1: one was found (the input is kept and its
# path printed); 2: bad usage.
set -euo pipefail

usage="usage: ci/fuzz.sh [SECONDS]   (default 60)"
seconds=${1:-60}
if [ $# -gt 1 ] || ! [[ $seconds =~ ^[1-9][0-9]{0,5}$ ]]; then
  echo "fuzz: SECONDS must be a whole number from 1 to 999999 ($usage)" >&2
  exit 2
fi
cd "$(dirname "$0")/.."

cc=$(command -v clang-14 || command -v clang || true)
if [ -z "$cc" ]; then
  echo "fuzz: clang not found; install clang-14 and libclang-rt-14-dev" >&2
  exit 1
fi

# Everything it makes goes to a private folder, removed at the end unless it holds a crash.
work=$(mktemp -d "${TMPDIR:-/tmp}/shmlab-fuzz.XXXXXX")
keep=0
cleanup() { if [ "$keep" = 0 ]; then rm -rf "$work"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g -O1 \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. \
  ci/gate/fuzz/gate_fuzz.c ci/gate/shl_gate_select.c ci/gate/shl_gate_check.c \
  ci/gate/shl_gate_baseline.c src/results/shl_results.c src/results/shl_results_json.c \
  src/timing/shl_stats.c src/core/shl_error.c -lcjson -lm -o "$work/gate_fuzz"

mkdir "$work/corpus" "$work/artifacts"
# The first folder receives new inputs; the committed seeds are only read.
if ! "$work/gate_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -dict=ci/gate/fuzz/gate.dict -artifact_prefix="$work/artifacts/" \
    -print_final_stats=1 \
    "$work/corpus" ci/gate/fuzz/corpus >"$work/log" 2>&1; then
  keep=1
  tail -n 40 "$work/log" >&2
  echo "fuzz: FAIL: the gate's parsers crashed or leaked; input in $work/artifacts/," \
    "full log $work/log" >&2
  exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
corpus=$(find "$work/corpus" -type f | wc -l)
echo "fuzz: PASS: gate parsers, ${runs:-?} inputs in ${seconds} s, ${corpus} new corpus entries, no crash"
