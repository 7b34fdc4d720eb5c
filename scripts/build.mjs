#!/usr/bin/env node
// Builds dist/: the CLI as one ES module bundle with a chunk per command (so
// start-up loads only the parser and the command that runs), the library
// bundle with its type declarations, and, with --action, the GitHub Action's
// committed bundle (action/dist/index.js).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { action, common, libraryExternals, root } from "./build-options.mjs";

const withAction = process.argv.includes("--action");

rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { bin: "src/cli/bin.ts" },
  outdir: "dist/cli",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});
await build({
  ...common,
  entryPoints: { index: "src/index.ts" },
  outdir: "dist/lib",
  // Runtime dependencies stay external for library users, except the 0.x
  // @actions packages, which import JSON in a way plain Node 20 rejects.
  external: libraryExternals,
});
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});
if (withAction) {
  await build({ ...action, outdir: "action/dist" });
}
