#!/usr/bin/env bash
# The conformance gate: compares checker results (--format json) of one or more
# implementations with each one's list of known deviations
# (conformance/known_deviations/NAME.txt), and prints the cases where they differ.
#   ci/conformance_gate.sh glibc=G.json musl=M.json
#   ci/conformance_gate.sh --matrix bench-out/matrix/matrix.json   (every column of a matrix)
# Fails (1) on a FAIL or BROKEN case that is not a known deviation, on a known deviation
# that now passes (a stale entry hides nothing, so it must go), and on a matrix column that
# did not run (its tool is missing: nothing was judged). Exit 2 on bad input.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: $0 NAME=RESULTS.json [NAME=RESULTS.json ...] | --matrix MATRIX.json"
[ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }

status=0
if [ "$1" = --matrix ]; then
  [ $# -eq 2 ] && [ -r "$2" ] || { echo "conformance gate: cannot read the matrix '${2:-}' ($usage)" >&2; exit 2; }
  jq -e '.schema == "shmlab-conformance-matrix/1"' "$2" >/dev/null 2>&1 ||
    { echo "conformance gate: $2 is not a conformance matrix" >&2; exit 2; }
  not_run=$(jq -r '.columns[] | select(.ran | not) | "  \(.name): \(.not_run)"' "$2")
  if [ -n "$not_run" ]; then
    status=1
    echo "  FAILED: columns of the matrix that did not run, so nothing in them was judged:"
    echo "$not_run"
  fi
  mapfile -t columns < <(jq -r '.columns[] | select(.ran) | "\(.name)=\(.report)"' "$2")
  set -- "${columns[@]}"
  [ $# -ge 1 ] || { echo "conformance gate: no column of $2 ran" >&2; exit 1; }
fi

names=()
files=()
for arg in "$@"; do
  name=${arg%%=*} file=${arg#*=}
  [ "$name" != "$arg" ] && [ -r "$file" ] || { echo "conformance gate: cannot read '$arg' (want NAME=FILE)" >&2; exit 2; }
  jq -e '.cases | type == "array"' "$file" >/dev/null 2>&1 || { echo "conformance gate: $file is not checker JSON" >&2; exit 2; }
  names+=("$name") files+=("$file")

  known="$here/conformance/known_deviations/$name.txt"
  [ -r "$known" ] || { echo "conformance gate: no list of known deviations for '$name' ($known)" >&2; exit 2; }
  expected=$(awk '!/^#/ && NF { print $1 }' "$known" | sort)
  failing=$(jq -r '.cases[] | select(.verdict == "FAIL" or .verdict == "BROKEN") | .id' "$file" | sort)
  passing=$(jq -r '.cases[] | select(.verdict == "PASS") | .id' "$file" | sort)
  counts=$(jq -r '.counts.all | "\(.cases) cases: \(.pass) pass, \(.fail) fail, \(.skip) skip, \(.broken) broken"' "$file")
  libc=$(jq -r '.platform | "\(.libc.name) \(.libc.version), \(.kernel.machine)"' "$file")
  echo "conformance under $name ($libc): $counts"

  new=$(comm -23 <(echo "$failing" | sed '/^$/d') <(echo "$expected" | sed '/^$/d'))
  stale=$(comm -12 <(echo "$passing" | sed '/^$/d') <(echo "$expected" | sed '/^$/d'))
  if [ -n "$new" ]; then
    status=1
    echo "  FAILED: not a known deviation of $name:"
    jq -r --arg ids "$new" '($ids | split("\n")) as $n | .cases[] | select(.id as $i | $n | index($i)) | "    \(.id): \(.reason)"' "$file"
  fi
  if [ -n "$stale" ]; then
    status=1
    echo "  FAILED: listed as known deviations of $name but now pass (remove them from $known):"
    echo "$stale" | sed 's/^/    /'
  fi
  for id in $(comm -12 <(echo "$failing" | sed '/^$/d') <(echo "$expected" | sed '/^$/d')); do
    echo "  known deviation: $id"
  done
done

if [ ${#files[@]} -gt 1 ]; then
  echo "cases whose verdict differs between ${names[*]}:"
  jq -s -r --arg names "${names[*]}" '
    ($names | split(" ")) as $n
    | [.[] | [.cases[] | {(.id): .verdict}] | add] as $v
    | ($v[0] | keys) as $ids
    | ($ids[] | select(. as $id | [$v[] | .[$id]] | unique | length > 1)
       | . as $id | "  \($id): " + ([range(0; $n | length)] | map("\($n[.])=\($v[.][$id] // "absent")") | join(" ")))' \
    "${files[@]}"
fi
exit "$status"
