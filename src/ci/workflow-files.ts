/**
 * Reads workflow files from paths (files, or directories whose *.yml and
 * *.yaml files are taken, sorted). Paths are reported relative to `cwd`, the
 * repository root, so that `uses: ./.github/workflows/x.yml` resolves.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { ReshipError } from "../errors.js";
import type { WorkflowFile } from "./audit.js";

export const DEFAULT_WORKFLOW_DIR = ".github/workflows";

export function readWorkflowFiles(paths: readonly string[], cwd: string): WorkflowFile[] {
  const wanted = paths.length > 0 ? paths : [DEFAULT_WORKFLOW_DIR];
  const out: WorkflowFile[] = [];
  const seen = new Set<string>();
  for (const p of wanted) {
    const abs = isAbsolute(p) ? p : resolve(cwd, p);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new ReshipError("USAGE", `${p}: no such file or directory`);
    }
    const files = stat.isDirectory()
      ? readdirSync(abs)
          .filter((n) => /\.ya?ml$/.test(n))
          .sort()
          .map((n) => join(abs, n))
      : [abs];
    for (const f of files) {
      if (seen.has(f)) continue;
      seen.add(f);
      const rel = relative(cwd, f);
      out.push({ path: rel.startsWith("..") ? f : rel, content: readFileSync(f, "utf8") });
    }
  }
  if (out.length === 0)
    throw new ReshipError("USAGE", `no workflow files (*.yml, *.yaml) in ${wanted.join(", ")}`);
  return out;
}
