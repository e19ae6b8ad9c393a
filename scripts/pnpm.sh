#!/usr/bin/env bash
# Runs the pnpm pinned in package.json ("packageManager") on a machine that has only Node and npm.
# corepack ships with Node 20; `corepack enable` puts a pnpm shim on PATH, which turbo needs
# (it looks pnpm up on PATH itself).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
# Registries that serve no package signatures make corepack refuse to fetch pnpm.
export COREPACK_INTEGRITY_KEYS="${COREPACK_INTEGRITY_KEYS:-0}"
if ! pnpm --version >/dev/null 2>&1; then
  mkdir -p "$ROOT/.tools/bin"
  corepack enable --install-directory "$ROOT/.tools/bin" pnpm
  export PATH="$ROOT/.tools/bin:$PATH"
fi
exec pnpm "$@"
