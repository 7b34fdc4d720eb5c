#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh Debian machine:
# installs what is missing, builds, type-checks, lints, then runs the unit and
# integration tests (real registries, builders and git on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npm run --silent build
npm run --silent typecheck
npm run --silent lint
# The committed Action bundle is checked by test/integration/ci-cli.test.ts.
node scripts/run-tests.mjs all "$@"
