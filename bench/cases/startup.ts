/**
 * Case 5: start-up, what every CI step pays: `reship --version` and
 * `reship exists` (one HEAD against the local registry) vs `node -e 0`, the
 * floor for any Node.js program. Short processes, so four times the runs.
 */
import type { Contender } from "../lib/measure.js";
import { measure, medianWallMs } from "../lib/measure.js";
import type { CaseResult } from "../lib/report.js";
import { ratio } from "../lib/stats.js";
import { COMMIT_TAG } from "../workload.js";
import type { BenchContext } from "./context.js";
import { reship } from "./context.js";

export const NODE = "node -e 0";
export const VERSION_CMD = "reship --version";
export const EXISTS = "reship exists";

export async function startupCase(ctx: BenchContext): Promise<CaseResult[]> {
  const app = await ctx.workload.app();
  const ref = `${app.registry.host}/${app.repo}:${COMMIT_TAG}`;
  const contenders: Contender[] = [
    { name: NODE, role: "peer", steps: () => [{ command: process.execPath, args: ["-e", "0"] }] },
    { name: VERSION_CMD, role: "reship", steps: () => [reship(ctx, ["--version"])] },
    { name: EXISTS, role: "reship", steps: () => [reship(ctx, ["exists", ref])] },
  ];
  const measurements = await measure(contenders, {
    runs: ctx.options.runs * 4,
    warmup: Math.max(ctx.options.warmup, 1) * 2,
    log: () => undefined,
  });
  const median = (n: string): number => medianWallMs(measurements, n);
  const rExists = ratio(median(EXISTS), median(NODE));
  const rVersion = ratio(median(VERSION_CMD), median(NODE));
  ctx.log(`  medians: ${measurements.map((m) => `${m.name} ${m.wallMs.median.toFixed(1)} ms`).join(", ")}`);
  return [
    {
      id: "5",
      title: "start-up",
      measurements,
      comparisons: [
        { reship: VERSION_CMD, peer: NODE, ratio: rVersion },
        { reship: EXISTS, peer: NODE, ratio: rExists },
      ],
      requests: [],
      uploadedBytes: {},
      targets: [
        {
          caseId: "5",
          description: "reship exists vs node -e 0",
          target: "≤ 1.5 ×",
          measured: `${rExists.toFixed(2)} ×`,
          pass: rExists <= 1.5,
        },
      ],
      notes: [],
    },
  ];
}
