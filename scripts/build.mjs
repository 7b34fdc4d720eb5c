#!/usr/bin/env node
// Builds dist/: the CLI as one ES module bundle with a chunk per command (so
// start-up loads only the parser and the command that runs), the library
// bundle with its type declarations, and, with --action, the GitHub Action's
// committed bundle (action/dist/index.js).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const withAction = process.argv.includes("--action");

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  define: { __RESHIP_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies may call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __reshipRequire } from 'node:module'; const require = __reshipRequire(import.meta.url);",
  },
  logLevel: "warning",
};

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
  external: Object.keys(pkg.dependencies).filter((d) => !d.startsWith("@actions/")),
});
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});
if (withAction) {
  await build({ ...common, entryPoints: { index: "src/action/main.ts" }, outdir: "action/dist" });
}
