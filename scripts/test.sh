#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh Debian machine:
# installs what is missing, builds, type-checks, lints, then runs the unit and
# integration tests (real registries, builders and git on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npm run --silent build
npx tsc --noEmit -p .
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --list-different .; exit 1; }
[ ! -f scripts/check-action-bundle.mjs ] || node scripts/check-action-bundle.mjs
node scripts/run-tests.mjs all "$@"
