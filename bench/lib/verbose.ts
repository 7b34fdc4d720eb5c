/**
 * One extra, untimed run of a reship command with -v, its request log kept in
 * bench/results/ beside the JSON: what to read first when a case misses its
 * target (which requests, in what order, how long each took).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { Step } from "./processes.js";
import { mustRun } from "./processes.js";

export async function keepVerboseLog(root: string, name: string, step: Step): Promise<string> {
  const result = await mustRun({ ...step, args: [...step.args, "-v"] });
  const dir = `${root}bench/results`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${name}.log`;
  writeFileSync(
    file,
    `# ${[step.command, ...step.args, "-v"].join(" ")}\n# ${result.wallMs.toFixed(0)} ms\n${result.stderr}`,
  );
  return `bench/results/${name}.log`;
}
