#!/usr/bin/env bash
# `npm test` after the install: lint, build, types, unit tests, then every browser suite. Stops at
# the first failing step (as the && chain it replaces did), prints one summary over every suite
# last whatever happened, and exits with the failing step's code.
set -uo pipefail
cd "$(dirname "$0")/.."
node scripts/suite-results.mjs reset
status=0
step() {
  [ "$status" -eq 0 ] || return 0
  "$@" || status=$?
}
step biome check .
step node scripts/check-lines.mjs
# Before the unit tests: the signaling server's cluster tests start a real redis-server.
step bash scripts/ensure-test-tools.sh
step turbo run build typecheck test
step turbo run test:browser --concurrency=1
node scripts/suite-results.mjs summary || true
exit "$status"
