#!/usr/bin/env bash
# Runs every row of a table of bad invocations (bad_invocations.tsv explains its format):
# each must end with the row's status (1 or 2), exactly one line on stderr, no signal, within
# the time limit, and leave no System V segment, /dev/shm entry or temporary file behind.
#
#   bad_invocations_test.sh TABLE TOOL=PATH...   (e.g. shmlab=src/shmlab; results=FILE and
#                                                 baseline=FILE are the gate's valid inputs)
set -uo pipefail

table=$(realpath "${1:?usage: bad_invocations_test.sh TABLE TOOL=PATH...}")
shift
declare -A tools=()
for arg in "$@"; do
  tools[${arg%%=*}]=$(realpath "${arg#*=}")
done

# shellcheck source=ci/hardening/lib.sh
source "$(dirname "$0")/lib.sh"
private_namespace "$0" "$table" "$@"

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/bad-invocations.XXXXXX")
tmp=$work/tmp # the tools' TMPDIR: everything in it is theirs
mkdir -p "$tmp" "$work/adir"
export TMPDIR=$tmp
echo "not JSON" >"$work/afile"
: >"$work/empty"
long=$(printf '%05000d' 0 | tr 0 x)
name=/shmlab-harden-$$-absent
key=$(printf '0x53%06x' $(((RANDOM << 8 | RANDOM) & 0xfffffe | 1)))
limit=${BAD_INVOCATION_TIMEOUT_S:-20}

expand() {
  local a=$1
  case $a in
    @EMPTY@) a= ;;
    @RESULTS@) a=${tools[results]} ;;
    @BASELINE@) a=${tools[baseline]} ;;
  esac
  a=${a//@LONG@/$long}
  a=${a//@DIR@/$work/adir}
  a=${a//@UNDERFILE@/$work/afile/sub}
  a=${a//@EMPTYFILE@/$work/empty}
  a=${a//@FILE@/$work/afile}
  a=${a//@MISSING@/$work/missing/none.json}
  a=${a//@NAME@/$name}
  a=${a//@KEY@/$key}
  printf '%s' "$a"
}

shm_state "$tmp" >"$work/before"
echo "bad invocations: $namespace_note, ${limit} s each"
rows=0 failures=0
while IFS= read -r line; do
  case $line in '' | '#'*) continue ;; esac
  IFS=$'\t' read -r -a fields <<<"$line"
  want=${fields[0]} tool=${fields[1]}
  args=()
  for f in "${fields[@]:2}"; do args+=("$(expand "$f")"); done
  shown=$(printf '%s' "$line" | cut -f2- | tr '\t' ' ')
  rows=$((rows + 1))
  path=${tools[$tool]:-}
  if [ -z "$path" ]; then
    echo "FAIL: row $rows: no path for tool '$tool'"
    failures=$((failures + 1))
    continue
  fi
  "$path" "${args[@]}" </dev/null >"$work/out" 2>"$work/err" &
  pid=$!
  finish "$pid" "$limit"
  sleep 0.05 # children that outlive the tool by a moment (peers) are gone by now
  shm_state "$tmp" >"$work/after"
  new_objects "$work/before" "$work/after" "$pid" >"$work/left"
  lines=$(wc -l <"$work/err")
  problems=()
  [ "$hung" = 1 ] && problems+=("no end within $limit s")
  [ "$hung" = 0 ] && [ "$status" -gt 128 ] && problems+=("killed by signal $((status - 128))")
  [ "$status" = "$want" ] || problems+=("exit status $status, not $want")
  # A one-line message ends with a newline; a message without one is not a line.
  [ "$lines" -eq 1 ] && [ "$(wc -c <"$work/err")" -gt 1 ] ||
    problems+=("$lines lines on stderr, not 1")
  [ -s "$work/left" ] && problems+=("left behind: $(tr '\n' ';' <"$work/left")")
  if [ "${#problems[@]}" -eq 0 ]; then
    printf 'ok   %d %-60.60s %s\n' "$status" "$shown" "$(head -c 150 "$work/err")"
  else
    failures=$((failures + 1))
    printf 'FAIL %-60.60s: %s\n' "$shown" "$(IFS=';'; echo "${problems[*]}")"
    head -c 600 "$work/err" | sed 's/^/    stderr: /'
    remove_objects "$work/left" "$tmp"
  fi
done <"$table"

echo "bad invocations: $rows rows, $failures failed"
[ "$rows" -ge 30 ] || { echo "FAIL: the table has $rows rows, fewer than 30"; exit 1; }
[ "$failures" -eq 0 ]
