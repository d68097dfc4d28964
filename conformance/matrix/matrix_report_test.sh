#!/usr/bin/env bash
# matrix_report joins checker reports into one matrix: every case a row, every column's cell
# with its reason, counts per column, a column that did not run shown as such and counting
# nothing; bad usage exits 2. The conformance gate's --matrix mode judges every column and
# fails on one that did not run.
# usage: matrix_report_test.sh MATRIX_REPORT GATE
set -uo pipefail
[ $# -eq 2 ] || { echo "usage: matrix_report_test.sh MATRIX_REPORT GATE" >&2; exit 2; }
report=$(realpath "$1") gate=$(realpath "$2")
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/matrix_report_test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
jqe() { jq -e "$@" >/dev/null; }
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then echo "ok   $1"; else echo "FAIL $1"; failures=$((failures + 1)); fi
}

# Two checker reports of the same two cases, and one case only the second has.
checker_report() { # NAME VERDICT_A REASON_A VERDICT_B
  cat >"$work/$1.json" <<EOF
{"schema": "shmlab-conformance/1",
 "platform": {"libc": {"name": "$1libc", "version": "9.9"}, "kernel": {"machine": "m$1"}},
 "cases": [
  {"id": "mmap.a", "mechanism": "mmap", "rule": "rule <a> & more", "source": "src a",
   "verdict": "$2", "reason": "$3", "info": "", "seconds": 0.1},
  {"id": "sysv.b", "mechanism": "sysv", "rule": "rule b", "source": "src b",
   "verdict": "$4", "reason": "", "info": "", "seconds": 0.1}
 $5]}
EOF
}
checker_report one PASS "" PASS ""
checker_report two FAIL "got <EINVAL> | not EEXIST" SKIP \
  ', {"id": "posix.c", "mechanism": "posix", "rule": "rule c", "source": "src c", "verdict": "BROKEN", "reason": "set-up", "info": "", "seconds": 0}'

"$report" --out "$work" --about one=natively one="$work/one.json" two="$work/two.json" \
  'absent!qemu-foo is missing' >"$work/stdout"
check "matrix_report exits 0" [ $? -eq 0 ]
m=$work/matrix.json
check "matrix.json is JSON with the schema" jqe '.schema == "shmlab-conformance-matrix/1"' "$m"
check "every case of any column is a row" jqe '[.cases[].id] == ["mmap.a", "sysv.b", "posix.c"]' "$m"
check "a FAIL cell keeps its reason" \
  jqe '.cases[0].cells.two == {"verdict": "FAIL", "reason": "got <EINVAL> | not EEXIST"}' "$m"
check "a case missing from a column is ABSENT there, not a pass" \
  jqe '.cases[2].cells.one.verdict == "ABSENT"' "$m"
check "counts per column" \
  jqe '.columns[1].counts == {"PASS": 0, "FAIL": 1, "SKIP": 1, "BROKEN": 1, "ABSENT": 0}' "$m"
check "a column that did not run says why and counts nothing" \
  jqe '.columns[2] | .ran == false and .not_run == "qemu-foo is missing" and (has("counts") | not)' "$m"
check "how a column ran is kept" jqe '.columns[0].about == "natively"' "$m"
check "matrix.md has a row per case and escapes a | in a reason" \
  grep -qF '| `mmap.a` | PASS | FAIL: got <EINVAL> \| not EEXIST | not run |' "$work/matrix.md"
check "matrix.html escapes markup and shows the reason" \
  grep -qF 'got &lt;EINVAL&gt; | not EEXIST' "$work/matrix.html"
check "matrix.html is self-contained (nothing to fetch)" \
  bash -c "! grep -qiE '<(script|link)|src=|https?://' '$work/matrix.html'"
check "matrix.html marks the column that did not run" grep -qF 'not run<span class="why">qemu-foo is missing' "$work/matrix.html"

for bad in "" "--out" "--out $work" "--out $work nameonly" "--out $work =x.json" \
  "--out $work a=x.json a=y.json" "--out $work --about nosuch=1 a!why" "--nosuch"; do
  # shellcheck disable=SC2086 # each line is a command line
  "$report" $bad >/dev/null 2>"$work/err"
  status=$?
  check "bad usage '${bad//$work/DIR}': exit 2 (got $status)" [ "$status" -eq 2 ]
done
"$report" --out "$work" a="$work/nosuch.json" >/dev/null 2>&1
check "an unreadable report exits 1" [ $? -eq 1 ]

# The gate over a matrix: known deviations of a column are read from its list.
mkdir -p "$work/tree/ci" "$work/tree/conformance/known_deviations"
cp "$gate" "$work/tree/ci/conformance_gate.sh"
echo "mmap.a  a listed deviation" >"$work/tree/conformance/known_deviations/two.txt"
echo "posix.c  set-up breaks there" >>"$work/tree/conformance/known_deviations/two.txt"
: >"$work/tree/conformance/known_deviations/one.txt"
"$report" --out "$work" one="$work/one.json" two="$work/two.json" >/dev/null
bash "$work/tree/ci/conformance_gate.sh" --matrix "$m" >"$work/gate.out" 2>&1
check "the gate passes a matrix whose every non-PASS is listed" [ $? -eq 0 ]
"$report" --out "$work" one="$work/one.json" two="$work/two.json" 'three!no tool' >/dev/null
bash "$work/tree/ci/conformance_gate.sh" --matrix "$m" >"$work/gate.out" 2>&1
check "the gate fails on a column that did not run" [ $? -eq 1 ]
check "and names it" grep -qF 'three: no tool' "$work/gate.out"
: >"$work/tree/conformance/known_deviations/two.txt"
"$report" --out "$work" one="$work/one.json" two="$work/two.json" >/dev/null
bash "$work/tree/ci/conformance_gate.sh" --matrix "$m" >"$work/gate.out" 2>&1
check "the gate fails on a deviation not listed" [ $? -eq 1 ]

[ "$failures" -eq 0 ]
