#!/usr/bin/env bash
# Counts the test cases in Bazel's JUnit XML files and prints the closing line
# "N passed, N failed, N skipped". A skipped case is counted apart, never as passed.
# Extra arguments are find(1) tests, e.g. `-newer MARK` for the last invocation only.
set -euo pipefail
logs=${1:-bazel-testlogs}
shift || true
passed=0 failed=0 skipped=0
while IFS= read -r -d '' xml; do
  read -r p f s < <(awk '
    /<testcase / { open = 1; verdict = "pass"
                   if ($0 ~ /result="skipped"/) verdict = "skip" }
    open && /<failure/ { verdict = "fail" }
    open && /<skipped/ { if (verdict != "fail") verdict = "skip" }
    open && (/<\/testcase>/ || /\/>[[:space:]]*$/ && /<testcase /) {
      count[verdict]++; open = 0 }
    END { printf "%d %d %d\n", count["pass"], count["fail"], count["skip"] }' "$xml")
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done < <(find -L "$logs" -name test.xml "$@" -print0)
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
