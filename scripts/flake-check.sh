#!/usr/bin/env bash
# Proves the README's test command is green on fresh clones of HEAD on a busy machine:
#
#   bash scripts/flake-check.sh [N]      N runs (default 5)
#
# Each run is a `git clone` of this repository checked out at HEAD (commits only: uncommitted
# changes are not in it) in a temporary folder, running `npm test` verbatim with turbo's cache
# off (TURBO_FORCE=true), while CPU hogs this script starts (FLAKE_HOGS, default 2: both cores of
# the 2-core machines the suite runs on) keep the machine busy; they are stopped on exit, also on
# Ctrl-C or a failure. Prints each run's result and wall time, then `N passed, M failed` last;
# exits 1 if any run failed. The clones are removed; every run's log is kept (path printed).
set -uo pipefail

runs="${1:-5}"
case "$runs" in
  '' | *[!0-9]* | 0)
    echo "usage: bash scripts/flake-check.sh [N]   (N ≥ 1 runs)" >&2
    exit 2
    ;;
esac
hog_count="${FLAKE_HOGS:-2}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
head="$(git -C "$root" rev-parse HEAD)"
work="$(mktemp -d "${TMPDIR:-/tmp}/peerstate-flake-check.XXXXXX")"
hogs=()

stop_hogs() {
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${hogs[@]}"; do wait "$pid" 2>/dev/null || true; done
  hogs=()
}
cleanup() {
  stop_hogs
  rm -rf "$work"/clone-* 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "# flake check: $runs fresh clone(s) of ${head:0:12}, npm test with TURBO_FORCE=true," \
  "$hog_count CPU hog(s) running; logs in $work"
for _ in $(seq 1 "$hog_count"); do
  yes >/dev/null &
  hogs+=("$!")
done

passed=0
failed=0
for i in $(seq 1 "$runs"); do
  clone="$work/clone-$i"
  log="$work/run-$i.log"
  started=$(date +%s)
  status=0
  {
    git clone --quiet --no-hardlinks "$root" "$clone" &&
      git -C "$clone" checkout --quiet --detach "$head" &&
      (cd "$clone" && TURBO_FORCE=true npm test)
  } >"$log" 2>&1 || status=$?
  seconds=$(($(date +%s) - started))
  summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)"
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "run $i/$runs: passed in ${seconds} s (${summary:-no summary line})"
  else
    failed=$((failed + 1))
    echo "run $i/$runs: FAILED (exit $status) in ${seconds} s (${summary:-no summary line}); log: $log"
    grep -E '(✗|×|FAIL|ERR!|Error:|failed)' "$log" | grep -v -E '(^|[^0-9])0 failed' |
      head -n 15 | sed 's/^/    /'
  fi
  rm -rf "$clone"
done
stop_hogs
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
