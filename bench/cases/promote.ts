/**
 * Case 2: promotion to another repository of the same registry: reship copy
 * vs skopeo copy. Every run copies into a repository of its own (a fresh
 * destination, so no run finds the work done), and the registry's log gives
 * each run's requests and the blob bytes it uploaded (a blob mount uploads
 * none).
 */
import type { Contender } from "../lib/measure.js";
import { measure, medianWallMs } from "../lib/measure.js";
import { keepVerboseLog } from "../lib/verbose.js";
import type { Step } from "../lib/processes.js";
import type { CaseResult } from "../lib/report.js";
import { formatBytes } from "../lib/report.js";
import { countRequests, formatCounts } from "../lib/requests.js";
import { expectTags } from "../lib/registry-ops.js";
import { ratio } from "../lib/stats.js";
import { COMMIT_TAG } from "../workload.js";
import type { BenchContext } from "./context.js";
import { reship, skopeoCopy } from "./context.js";

export const RESHIP = "reship copy";
export const SKOPEO = "skopeo copy";

export async function promoteCase(ctx: BenchContext): Promise<CaseResult[]> {
  const app = await ctx.workload.app();
  const { registry } = app;
  const src = `${registry.host}/${app.repo}:${COMMIT_TAG}`;
  const requests = new Map<string, Record<string, number>>();
  const uploaded: Record<string, number> = {};
  const destRepo = (who: string, run: number): string =>
    `promoted/${who}-${run < 0 ? `w${-run}` : `r${run}`}`;

  const contender = (name: string, who: string, copy: (src: string, dst: string) => Step): Contender => ({
    name,
    role: who === "reship" ? "reship" : "peer",
    prepare: () => registry.clearRequests(),
    steps: (run) => [copy(src, `${registry.host}/${destRepo(who, run)}:${COMMIT_TAG}`)],
    verify: async (run) => {
      const seen = await registry.requests();
      requests.set(name, countRequests(seen));
      uploaded[name] = seen.reduce((sum, r) => sum + (r.bytesIn ?? 0), 0);
      await expectTags(registry, destRepo(who, run), [COMMIT_TAG], app.pushed.digest);
    },
  });

  const measurements = await measure(
    [
      contender(RESHIP, "reship", (s, d) => reship(ctx, ["copy", s, d])),
      contender(SKOPEO, "skopeo", skopeoCopy),
    ],
    { runs: ctx.options.runs, warmup: ctx.options.warmup, log: ctx.log },
  );
  const verboseLog = await keepVerboseLog(
    ctx.root,
    "case-2-reship-copy",
    reship(ctx, ["copy", src, `${registry.host}/promoted/reship-verbose:${COMMIT_TAG}`]),
  );
  const median = (n: string): number => medianWallMs(measurements, n);
  const r = ratio(median(RESHIP), median(SKOPEO));
  const bytes = uploaded[RESHIP] ?? Number.NaN;
  return [
    {
      id: "2",
      title: "promotion to another repository, same registry",
      measurements,
      comparisons: [{ reship: RESHIP, peer: SKOPEO, ratio: r }],
      requests: [RESHIP, SKOPEO]
        .filter((n) => requests.has(n))
        .map((n) => ({ contender: n, counts: requests.get(n)! })),
      uploadedBytes: uploaded,
      targets: [
        {
          caseId: "2",
          description: "reship vs skopeo",
          target: "≤ 0.2 ×",
          measured: `${r.toFixed(3)} ×`,
          pass: r <= 0.2,
        },
        {
          caseId: "2",
          description: "layer bytes reship uploaded",
          target: "0",
          measured: `${formatBytes(bytes)} (${formatCounts(requests.get(RESHIP) ?? {})})`,
          pass: bytes === 0,
        },
      ],
      notes: [`reship's request log (-v) of one more run: ${verboseLog}`],
    },
  ];
}
