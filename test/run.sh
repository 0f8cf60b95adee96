#!/usr/bin/env bash
# npm test: the strict type check, then every uvu suite; ends with "N passed, N failed" from the real results.
set -u
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

typecheck_failed=0
echo "== type check (tsc --noEmit, strict)"
if ! npx tsc -p tsconfig.json --noEmit; then
  typecheck_failed=1
  echo "type check failed"
fi

echo "== build (dist/, what the capstan bin runs)"
build_failed=0
npm run --silent build || build_failed=1

echo "== uvu suites"
CAPSTAN_FREEZE_CACHE=1 node --import tsx node_modules/uvu/bin.js test '\.test\.ts$' 2>&1 | tee "$log"
uvu_status=${PIPESTATUS[0]}

# uvu's totals, without its colour codes.
count() { sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E "^ *$1: *[0-9]+" | tail -1 | grep -oE '[0-9]+' | head -1; }
total=$(count Total)
passed=$(count Passed)
skipped=$(count Skipped)
total=${total:-0}; passed=${passed:-0}; skipped=${skipped:-0}
failed=$((total - passed - skipped))
if [ "$uvu_status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
passed=$((passed + (1 - typecheck_failed) + (1 - build_failed)))
failed=$((failed + typecheck_failed + build_failed))
echo
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
