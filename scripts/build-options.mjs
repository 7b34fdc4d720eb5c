// The esbuild options shared by scripts/build.mjs and
// scripts/check-action-bundle.mjs, so the bundle CI checks is built exactly as
// the committed one was.
import { readFileSync } from "node:fs";

export const root = new URL("..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));

export const common = {
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

/** The GitHub Action: one self-contained file, run with no install step. */
export const action = { ...common, entryPoints: { index: "src/action/main.ts" } };

/** Runtime dependencies a library user installs; the 0.x @actions packages are bundled. */
export const libraryExternals = Object.keys(pkg.dependencies).filter((d) => !d.startsWith("@actions/"));
