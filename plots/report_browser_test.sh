#!/usr/bin/env bash
# Opens a rendered report.html in headless Chromium (Debian's chromium, driven by
# browser_check.js with the machine's node): it must render with no console error, every
# image must load, and a screenshot must not be blank. Without chromium or node the case is
# reported skipped (JUnit), never passed.
set -uo pipefail

runfiles=${TEST_SRCDIR:?run me with bazel test}/shmlab
# shellcheck source=ci/hardening/lib.sh
source "$runfiles/ci/hardening/lib.sh"
render=$runfiles/plots/render
check=$runfiles/plots/browser_check.js
out=${TEST_TMPDIR:-$(mktemp -d)}/browser
mkdir -p "$out"

chromium=$(command -v chromium || true)
node=$(command -v node || true)
if [ -z "$chromium" ] || [ -z "$node" ]; then
  record "report.html in headless Chromium" SKIP \
    "needs chromium and node (Debian packages chromium, nodejs): ${chromium:-no chromium} ${node:-no node}"
  junit_report report_browser_test
  exit 0
fi

status=0
for fixture in results quick-run; do
  name="report.html of $fixture.json in headless Chromium"
  if ! "$render" "$runfiles/plots/testdata/$fixture.json" --out "$out/$fixture" >"$out/$fixture.log" 2>&1; then
    record "$name" FAIL "render failed: $(tail -1 "$out/$fixture.log")"
    status=1
    continue
  fi
  if "$node" "$check" "$chromium" "$out/$fixture/report.html" "$out/$fixture.png" >"$out/$fixture.check" 2>&1; then
    record "$name" PASS "$(tail -1 "$out/$fixture.check")"
  else
    cat "$out/$fixture.check"
    record "$name" FAIL "$(grep -m1 FAIL "$out/$fixture.check" || tail -1 "$out/$fixture.check")"
    status=1
  fi
done
# Keep the screenshots where bazel keeps test outputs.
[ -n "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ] && cp "$out"/*.png "$TEST_UNDECLARED_OUTPUTS_DIR"/ 2>/dev/null
junit_report report_browser_test
exit "$status"
