#!/usr/bin/env node
// Fails (exit 1) when the committed GitHub Action bundle (action/dist/index.js)
// is not what the sources build: `uses: <owner>/reship@<ref>` runs that file
// without any install step, so a stale bundle ships stale code.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

// The options of scripts/build.mjs --action (its `common` plus the Action's
// entry point); a test builds with both and compares, so they cannot drift.
const actionBuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  define: { __RESHIP_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __reshipRequire } from 'node:module'; const require = __reshipRequire(import.meta.url);",
  },
  logLevel: "warning",
  entryPoints: { index: "src/action/main.ts" },
};
const committed = join(root, "action/dist/index.js");
const out = mkdtempSync(join(tmpdir(), "reship-action-"));
try {
  await build({ ...actionBuildOptions, outdir: out });
  const fresh = readFileSync(join(out, "index.js"));
  if (!existsSync(committed) || !fresh.equals(readFileSync(committed))) {
    console.error("action/dist/index.js is stale: run npm run build:action and commit action/dist/index.js");
    process.exit(1);
  }
  console.log("action/dist/index.js is up to date");
} finally {
  rmSync(out, { recursive: true, force: true });
}
