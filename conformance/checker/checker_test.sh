#!/usr/bin/env bash
# The checker's command line, formats and exit statuses. A FAIL is produced on purpose with
# the fault library, so the failing paths are exercised too.
# usage: checker_test.sh CHECKER FAULT_LIBRARY WITH_FAULT
set -uo pipefail

checker=$(realpath "$1")
library=$(realpath "$2")
with_fault=$(realpath "$3")
work=$(mktemp -d "${TEST_TMPDIR:-/tmp}/checker_test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}

# expect_status WANT DESCRIPTION COMMAND...: runs COMMAND, output in $work/out and $work/err.
expect_status() {
  local want=$1 what=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit $got, expected $want ($(head -c 200 "$work/err"))"
    return 1
  fi
  echo "ok   $what: exit $got"
}

well_formed_xml() {
  if command -v xmllint >/dev/null; then
    xmllint --noout "$1"
  else
    python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$1"
  fi
}

# Bad usage: exit 2 and exactly one line on stderr.
for args in "--format xml" "--bogus" "--filter" "--filter nothing.matches*" \
            "--list --format junit" "stray" "--output"; do
  # shellcheck disable=SC2086
  if expect_status 2 "usage error '$args'" "$checker" $args; then
    [ "$(wc -l <"$work/err")" -eq 1 ] || fail "usage error '$args' printed $(wc -l <"$work/err") lines"
  fi
done
expect_status 0 "--help" "$checker" --help

# --list runs nothing and lists every selected case once.
expect_status 0 "--list json" "$checker" --list --format json --filter 'posix.open_*,sysv.shmat_*'
listed=$(jq '.cases | length' "$work/out")
has_verdicts=$(jq '[.cases[] | select(has("verdict"))] | length' "$work/out")
[ "$listed" -gt 0 ] && [ "$has_verdicts" -eq 0 ] || fail "--list: $listed cases, $has_verdicts with verdicts"
expect_status 0 "--list text" "$checker" --list --filter 'posix.open_*,sysv.shmat_*'
[ "$(grep -cE '^(posix|sysv)\.' "$work/out")" -eq "$listed" ] || fail "--list text and json disagree"

# A clean run: exit 0, JSON that parses, counts that add up and never count a SKIP as a pass.
expect_status 0 "json run" "$checker" --format json --filter 'posix.open_*,sysv.shmat_*,sysv.lock_*'
cp "$work/out" "$work/run.json"
jq -e '.platform.libc.name and .platform.kernel.release and .platform.page_size > 0
       and .platform.shmlba > 0 and .platform.tmp_dir_fs' "$work/run.json" >/dev/null ||
  fail "json: platform facts missing"
jq -e '.counts.all.cases == (.cases | length)
       and .counts.all.pass == ([.cases[] | select(.verdict == "PASS")] | length)
       and .counts.all.skip == ([.cases[] | select(.verdict == "SKIP")] | length)
       and .counts.all.cases == .counts.all.pass + .counts.all.fail + .counts.all.skip + .counts.all.broken
       and ([.cases[] | select(.verdict == "SKIP" and .reason == "")] | length) == 0' \
  "$work/run.json" >/dev/null || fail "json: counts do not add up, or a SKIP has no reason"
listed=$(jq '.cases | length' "$work/run.json")

expect_status 0 "junit run" "$checker" --format junit --filter 'posix.open_*,sysv.shmat_*,sysv.lock_*'
well_formed_xml "$work/out" || fail "junit: not well-formed XML"
[ "$(grep -c '<testcase ' "$work/out")" -eq "$listed" ] || fail "junit: wrong number of testcases"
[ "$(grep -c '<skipped ' "$work/out")" -eq "$(jq .counts.all.skip "$work/run.json")" ] ||
  fail "junit: skipped elements do not match the SKIP count"

expect_status 0 "markdown run" "$checker" --format markdown --filter 'posix.open_*'
grep -q '^| case | verdict | rule | source |$' "$work/out" || fail "markdown: no table header"

# --output: the report goes to the file, relative to where `bazel run` was started.
mkdir "$work/cwd"
expect_status 0 "--output relative" env BUILD_WORKING_DIRECTORY="$work/cwd" \
  "$checker" --format json --output report.json --filter 'posix.open_missing_enoent'
jq -e '.cases | length == 1' "$work/cwd/report.json" >/dev/null || fail "--output: no report"
expect_status 1 "--output unwritable" "$checker" --output "$work/missing/dir/x" --filter 'posix.*'

# A violated rule: exit 1 in every format, reported as a failure with its reason.
for format in text json junit markdown; do
  expect_status 1 "FAIL in $format" "$with_fault" "$library" mmap_len_zero_succeeds \
    "$checker" --format "$format" --filter 'mmap.len_zero_einval,mmap.bad_fd_ebadf'
  cp "$work/out" "$work/fail.$format"
done
jq -e '.counts.all.fail == 1 and .counts.all.pass == 1' "$work/fail.json" >/dev/null ||
  fail "json: the injected failure is not counted"
well_formed_xml "$work/fail.junit" && grep -q '<failure message="[^"]*EINVAL' "$work/fail.junit" ||
  fail "junit: no failure element with the reason"
grep -q '^mmap.len_zero_einval  *FAIL ' "$work/fail.text" || fail "text: no FAIL row"
grep -q 'FAIL (' "$work/fail.markdown" || fail "markdown: no FAIL with reason"

[ "$failures" -eq 0 ] && echo "checker_test: all checks passed"
[ "$failures" -eq 0 ]
