#!/usr/bin/env node
// Runs the test suites with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [unit|integration|all] [file filter...]
//   unit:        src/**/*.test.ts and bench/lib/*.test.ts (pure code, no processes, no network)
//   integration: test/integration/**/*.test.ts (real registry, builders, git)
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const [suite = "all", ...filters] = process.argv.slice(2);

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out.sort();
}

const dirs = { unit: ["src", "test/unit", "bench/lib"], integration: ["test/integration"] };
const chosen = suite === "all" ? [...dirs.unit, ...dirs.integration] : dirs[suite];
if (!chosen) {
  console.error(`unknown suite ${suite}: use unit, integration or all`);
  process.exit(2);
}
const files = chosen
  .flatMap((d) => {
    try {
      return find(join(root, d));
    } catch {
      return [];
    }
  })
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const concurrency = process.env.RESHIP_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-timeout=600000", ...files],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
