#!/usr/bin/env node
// Fails (exit 1) when the committed GitHub Action bundle (action/dist/index.js)
// is not what the sources build: `uses: <owner>/reship@<ref>` runs that file
// without any install step, so a stale bundle ships stale code.
import { build } from "esbuild";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { action, root } from "./build-options.mjs";

const committed = join(root, "action/dist/index.js");
const out = mkdtempSync(join(tmpdir(), "reship-action-"));
try {
  await build({ ...action, outdir: out });
  const fresh = readFileSync(join(out, "index.js"));
  if (!existsSync(committed) || !fresh.equals(readFileSync(committed))) {
    console.error("action/dist/index.js is stale: run npm run build:action and commit action/dist/index.js");
    process.exit(1);
  }
  console.log("action/dist/index.js is up to date");
} finally {
  rmSync(out, { recursive: true, force: true });
}
