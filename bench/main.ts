/**
 * reship's benchmark (issue 5): five cases timed as whole processes, reship
 * and its peers in alternation, on a workload the benchmark makes itself.
 *   npm run bench -- [1 2 3 4 5] [--quick]      (see lib/options.ts)
 * Prints Markdown on stdout (progress on stderr), writes
 * bench/results/latest.json, and after a full run (every case, not quick, no
 * failure) rewrites the measured part of docs/benchmarks.md. Everything it
 * starts it stops by pid, also on failure or Ctrl-C.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "./cases/context.js";
import { crossRegistryCase } from "./cases/cross-registry.js";
import { monorepoCase } from "./cases/monorepo.js";
import { promoteCase } from "./cases/promote.js";
import { retagCase } from "./cases/retag.js";
import { startupCase } from "./cases/startup.js";
import { describeMachine } from "./lib/machine.js";
import type { CaseId } from "./lib/options.js";
import { ALL_CASES, parseOptions } from "./lib/options.js";
import { cleanUp, installSignalHandlers, onCleanup } from "./lib/processes.js";
import type { BenchResult, CaseResult } from "./lib/report.js";
import { toMarkdown } from "./lib/report.js";

const root = new URL("..", import.meta.url).pathname;
const cases: Record<CaseId, { title: string; run: (ctx: BenchContext) => Promise<CaseResult[]> }> = {
  "1": { title: "re-release of a built commit, 4 tags", run: retagCase },
  "2": { title: "promotion to another repository, same registry", run: promoteCase },
  "3": { title: "copy to another registry", run: crossRegistryCase },
  "4": { title: "monorepo", run: monorepoCase },
  "5": { title: "start-up", run: startupCase },
};

const DOC_BEGIN = "<!-- bench:results:begin -->";
const DOC_END = "<!-- bench:results:end -->";

/**
 * Copies the bundled CLI (dist/cli: bin.js and its chunks, dependencies
 * included) to a directory of the benchmark's own, beside a package.json
 * that makes its .js files ES modules as in the package.
 */
function snapshotCli(): string {
  const dir = mkdtempSync(join(tmpdir(), "reship-bench-cli-"));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  onCleanup(remove, remove);
  cpSync(`${root}dist/cli`, join(dir, "cli"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  return join(dir, "cli", "bin.js");
}

function recordInDocs(markdown: string): void {
  const file = `${root}docs/benchmarks.md`;
  const doc = readFileSync(file, "utf8");
  const begin = doc.indexOf(DOC_BEGIN);
  const end = doc.indexOf(DOC_END);
  if (begin === -1 || end < begin) throw new Error(`${file} lacks the ${DOC_BEGIN} … ${DOC_END} markers`);
  writeFileSync(file, doc.slice(0, begin + DOC_BEGIN.length) + "\n\n" + markdown + "\n" + doc.slice(end));
}

async function main(): Promise<number> {
  installSignalHandlers();
  const options = parseOptions(process.argv.slice(2), process.env);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  if (!existsSync(`${root}dist/cli/bin.js`))
    throw new Error("dist/cli/bin.js is missing: run npm run build first");
  const { Workload } = await import("./workload.js");
  const workload = new Workload(log, options.bigImageMiB);
  const cli = snapshotCli();
  const ctx: BenchContext = { options, root, cli, workload, log };
  const startedAt = new Date().toISOString();
  const results: CaseResult[] = [];
  let failed = 0;
  for (const id of options.cases) {
    const { title, run } = cases[id];
    log(`case ${id}: ${title}`);
    try {
      results.push(...(await run(ctx)));
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      log(`case ${id} failed: ${message}`);
      results.push({
        id,
        title,
        measurements: [],
        comparisons: [],
        requests: [],
        uploadedBytes: {},
        targets: [
          { caseId: id, description: "the case", target: "runs to the end", measured: "failed", pass: false },
        ],
        notes: [`failed: ${message.split("\n").slice(0, 6).join(" / ")}`],
      });
    }
  }
  const args = process.argv.slice(2);
  const env = ["RESHIP_BENCH_RUNS", "RESHIP_BENCH_WARMUP", "RESHIP_BENCH_QUICK", "RESHIP_BENCH_BIG_MIB"]
    .filter((k) => process.env[k] !== undefined)
    .map((k) => `${k}=${process.env[k]} `)
    .join("");
  const result: BenchResult = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command: `${env}npm run bench${args.length > 0 ? ` -- ${args.join(" ")}` : ""}`,
    runs: options.runs,
    warmup: options.warmup,
    quick: options.quick,
    machine: describeMachine(root, cli),
    workload: workload.descriptions,
    cases: results,
  };
  const markdown = toMarkdown(result);
  mkdirSync(`${root}bench/results`, { recursive: true });
  writeFileSync(`${root}bench/results/latest.json`, JSON.stringify(result, null, 2) + "\n");
  process.stdout.write(markdown);
  const full = !options.quick && failed === 0 && ALL_CASES.every((c) => options.cases.includes(c));
  if (full) {
    recordInDocs(markdown);
    log("recorded in docs/benchmarks.md");
  }
  const misses = results.flatMap((c) => c.targets).filter((t) => !t.pass).length;
  log(`results: bench/results/latest.json; ${failed} case(s) failed, ${misses} target(s) missed`);
  return failed > 0 ? 1 : 0;
}

let status = 1;
try {
  status = await main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await cleanUp();
}
process.exit(status);
