#!/usr/bin/env bash
# The checker's own check: with libshmlab_fault.so preloaded and no fault selected every case
# that is meant to catch a fault passes; with each fault of the table selected in turn, at
# least one of those cases reports FAIL (BROKEN does not count: that is set-up failing, not
# a violation caught). Fails unless every fault that can be checked here is caught.
# A fault whose catching cases all SKIP here (they need a second user or a namespace this
# caller cannot have) cannot be checked: it is reported as such, with the cases' reasons, and
# recorded as a skipped JUnit case ($XML_OUTPUT_FILE), never as caught; when no fault at all
# can be checked, the test fails.
# usage: fault_test.sh CHECKER FAULT_LIBRARY FAULT_LIST WITH_FAULT JUNIT_LIB
set -uo pipefail

if [ $# -ne 5 ]; then
  echo "usage: fault_test.sh CHECKER FAULT_LIBRARY FAULT_LIST WITH_FAULT JUNIT_LIB" >&2
  exit 2
fi
checker=$(realpath "$1")
library=$(realpath "$2")
fault_list=$(realpath "$3")
with_fault=$(realpath "$4")
# shellcheck source=ci/hardening/lib.sh
. "$(realpath "$5")"
command -v jq >/dev/null || { echo "fault_test: jq is missing (ci/setup.sh installs it)" >&2; exit 1; }

work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/fault_test.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$fault_list" >"$work/faults.tsv" || { echo "fault_test: $fault_list failed" >&2; exit 1; }
faults=$(wc -l <"$work/faults.tsv")

# run_checker FAULT FILTER REPORT: the checker's exit status, its JSON report in REPORT.
run_checker() {
  "$with_fault" "$library" "$1" "$checker" --filter "$2" --format json --output "$3" >/dev/null 2>"$3.err"
}

# 1. No fault: the library passes every call through, so every catching case must pass.
all_filters=$(cut -f3 "$work/faults.tsv" | paste -sd, -)
run_checker "" "$all_filters" "$work/none.json"
status=$?
if [ "$status" -ne 0 ]; then
  echo "FAIL no fault: the checker exited $status, expected 0 with no FAIL or BROKEN"
  cat "$work/none.json.err"
  jq -r '.cases[] | select(.verdict != "PASS" and .verdict != "SKIP") | "  \(.id): \(.verdict) \(.reason)"' \
    "$work/none.json" 2>/dev/null
  exit 1
fi
echo "ok   no fault: $(jq -r '.counts.all | "\(.cases) cases, \(.pass) PASS, \(.skip) SKIP"' "$work/none.json")"

# 2. A name that is not a fault must not pass either.
run_checker "no_such_fault" "$all_filters" "$work/unknown.json"
if [ $? -eq 0 ]; then
  echo "FAIL an unknown SHMLAB_FAULT name gave a passing run"
  exit 1
fi

# 3. Every fault, each with only the cases that should catch it.
missed=0 uncheckable=0
while IFS=$'\t' read -r name mechanism filter rule; do
  report="$work/$name.json"
  run_checker "$name" "$filter" "$report"
  status=$?
  caught=$(jq -r '[.cases[] | select(.verdict == "FAIL") | .id] | join(" ")' "$report" 2>/dev/null)
  all_skipped=$(jq -r '[.cases[] | .verdict] | (length > 0 and all(. == "SKIP"))' "$report" 2>/dev/null)
  if [ "$status" -eq 1 ] && [ -n "$caught" ]; then
    record "$name" PASS "caught by: $caught"
  elif [ "$all_skipped" = true ]; then
    uncheckable=$((uncheckable + 1))
    record "$name" SKIP "not checkable here, every catching case skips: $(jq -r '[.cases[] | "\(.id): \(.reason)"] | join("; ")' "$report")"
  else
    missed=$((missed + 1))
    record "$name" FAIL "not caught ($mechanism): $rule; cases '$filter', checker exit $status: $(head -c 300 "$report.err")"
    jq -r '.cases[] | "     \(.id): \(.verdict) \(.reason)"' "$report" 2>/dev/null
  fi
done <"$work/faults.tsv"
junit_report fault_test

echo "$((faults - missed - uncheckable)) of $faults faults caught, $uncheckable not checkable here, $missed missed"
[ "$missed" -eq 0 ] && [ "$uncheckable" -lt "$faults" ]
