#!/usr/bin/env bash
# reship's benchmark (issue 5; takes minutes, so not part of npm test):
#   npm run bench -- [CASE...] [--quick]
# CASE is 1-5 (default all); RESHIP_BENCH_RUNS (default 5), RESHIP_BENCH_WARMUP,
# RESHIP_BENCH_QUICK=1 and RESHIP_BENCH_BIG_MIB tune it (bench/lib/options.ts).
# Installs what is missing, builds the bundled CLI (what users run), then runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npm run --silent build
status=0
node --import tsx bench/main.ts "$@" || status=$?
# What the run wrote, in the repository's format (npm run lint checks it).
npx prettier --log-level=warn --write bench/results/latest.json docs/benchmarks.md || true
exit "$status"
