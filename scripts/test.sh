#!/usr/bin/env bash
# The project's test run (`npm test`): setup, type check, then every browser test
# (unit, browser and real-server integration) in headless Chromium via @web/test-runner.
# Extra arguments go to web-test-runner, e.g.:
#   bash scripts/test.sh 'test/integration/**/*.test.ts'
#   bash scripts/test.sh --watch
# Exits non-zero if the type check or any test fails. The runner's last line is
# `N passed, N failed` (scripts/wtr/summary-reporter.mjs).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh || exit $?

status=0
echo "typecheck: tsc --noEmit -p tsconfig.json"
if ! npx tsc --noEmit -p tsconfig.json; then
  echo "typecheck: FAILED (the tests still run; the run fails at the end)"
  status=1
fi

if [ "$#" -eq 0 ]; then
  # The component catalogue must keep building offline (a few seconds).
  echo "storybook: build"
  if ! npm run --silent storybook:build >/tmp/ck-storybook-build.log 2>&1; then
    tail -n 30 /tmp/ck-storybook-build.log
    echo "storybook: build FAILED"
    status=1
  fi
fi

if [ "$#" -eq 0 ]; then
  # The benchmark must keep working (numbers are not judged here; see npm run bench).
  echo "bench: small run"
  if ! node bench/run.mjs --small >/tmp/ck-bench-small.log 2>&1; then
    tail -n 30 /tmp/ck-bench-small.log
    echo "bench: small run FAILED"
    status=1
  fi
fi

# Last, so its closing `N passed, N failed` line is the run's last line.
npx web-test-runner --config web-test-runner.config.mjs "$@"
wtr_status=$?
if [ "$wtr_status" -ne 0 ]; then status=$wtr_status; fi

exit "$status"
