/**
 * Case 1: re-release of a built commit under 4 tags (1.2.3, 1.2, 1, latest).
 * reship release vs four skopeo copies vs docker pull + 4 × (tag + push) from
 * a cold local cache vs a rebuild (docker build --no-cache + 4 pushes).
 * Before every run the version tags are removed, so every run re-tags for
 * real; reship's requests come from the registry's access log.
 */
import type { Contender } from "../lib/measure.js";
import { measure, medianWallMs } from "../lib/measure.js";
import { keepVerboseLog } from "../lib/verbose.js";
import type { CaseResult, RequestLog, TargetCheck } from "../lib/report.js";
import { formatCounts, total, countRequests } from "../lib/requests.js";
import { expectTags, resetTags } from "../lib/registry-ops.js";
import { ratio } from "../lib/stats.js";
import { COMMIT, COMMIT_TAG, VERSION, VERSION_TAGS } from "../workload.js";
import type { BenchContext } from "./context.js";
import { coldDockerCache, docker, reship, skopeoCopy } from "./context.js";

export const RESHIP = "reship release";
export const SKOPEO = "skopeo copy ×4";
export const PULL_PUSH = "docker pull + 4 × (tag + push)";
export const REBUILD = "docker build --no-cache + 4 × push";

export async function retagCase(ctx: BenchContext): Promise<CaseResult[]> {
  const app = await ctx.workload.app();
  const { registry, repo } = app;
  const name = `${registry.host}/${repo}`;
  const src = `${name}:${COMMIT_TAG}`;
  const d = await ctx.workload.docker();
  const context = await ctx.workload.dockerContext();
  const requests = new Map<string, Record<string, number>>();
  const uploaded: Record<string, number> = {};

  const reset = async (): Promise<void> => {
    resetTags(registry, repo, [COMMIT_TAG]);
    await registry.clearRequests();
  };
  const collect = (who: string) => async (): Promise<void> => {
    const seen = await registry.requests();
    requests.set(who, countRequests(seen));
    uploaded[who] = seen.reduce((sum, r) => sum + (r.bytesIn ?? 0), 0);
  };

  const reshipStep = reship(ctx, ["release", name, "--version", VERSION, "--commit", COMMIT, "--json"]);
  const contenders: Contender[] = [
    {
      name: RESHIP,
      role: "reship",
      prepare: reset,
      steps: () => [reshipStep],
      verify: async () => {
        await collect(RESHIP)();
        await expectTags(registry, repo, VERSION_TAGS, app.pushed.digest);
      },
    },
    {
      name: SKOPEO,
      role: "peer",
      prepare: reset,
      steps: () => VERSION_TAGS.map((tag) => skopeoCopy(src, `${name}:${tag}`)),
      verify: async () => {
        await collect(SKOPEO)();
        await expectTags(registry, repo, VERSION_TAGS, app.pushed.digest);
      },
    },
    {
      name: PULL_PUSH,
      role: "peer",
      prepare: async () => {
        await coldDockerCache(d, registry.host);
        await reset();
      },
      steps: () => [
        docker(d, ["pull", "--quiet", src]),
        ...VERSION_TAGS.flatMap((tag) => [
          docker(d, ["tag", src, `${name}:${tag}`]),
          docker(d, ["push", "--quiet", `${name}:${tag}`]),
        ]),
      ],
      verify: async () => {
        await collect(PULL_PUSH)();
        // docker re-creates the manifest in its own format: the digest may differ.
        await expectTags(registry, repo, VERSION_TAGS);
      },
    },
    {
      name: REBUILD,
      role: "peer",
      prepare: async () => {
        await coldDockerCache(d, registry.host);
        await reset();
      },
      steps: () => [
        docker(d, [
          "build",
          "--no-cache",
          "--quiet",
          ...VERSION_TAGS.flatMap((t) => ["-t", `${name}:${t}`]),
          context,
        ]),
        ...VERSION_TAGS.map((tag) => docker(d, ["push", "--quiet", `${name}:${tag}`])),
      ],
      verify: async () => {
        await collect(REBUILD)();
        await expectTags(registry, repo, VERSION_TAGS);
      },
    },
  ];

  const measurements = await measure(contenders, {
    runs: ctx.options.runs,
    warmup: ctx.options.warmup,
    log: ctx.log,
  });
  await reset();
  const verboseLog = await keepVerboseLog(ctx.root, "case-1-reship-release", reshipStep);
  await expectTags(registry, repo, VERSION_TAGS, app.pushed.digest);
  const median = (n: string): number => medianWallMs(measurements, n);
  const comparisons = [SKOPEO, PULL_PUSH, REBUILD].map((peer) => ({
    reship: RESHIP,
    peer,
    ratio: ratio(median(RESHIP), median(peer)),
  }));
  const r = (peer: string): number => comparisons.find((c) => c.peer === peer)!.ratio;

  const counts = requests.get(RESHIP) ?? {};
  const manifestHeads = counts["HEAD manifest"] ?? 0;
  const gets = counts["GET manifest"] ?? 0;
  const puts = counts["PUT manifest"] ?? 0;
  const tagLists = counts["GET tags list"] ?? 0;
  const others = total(counts) - manifestHeads - gets - puts - tagLists;
  const targets: TargetCheck[] = [
    {
      caseId: "1",
      description: "reship vs the four skopeo copies",
      target: "≤ 0.5 ×",
      measured: `${r(SKOPEO).toFixed(3)} ×`,
      pass: r(SKOPEO) <= 0.5,
    },
    {
      caseId: "1",
      description: "reship vs docker pull/tag/push",
      target: "≥ 20 × faster",
      measured: `${(1 / r(PULL_PUSH)).toFixed(1)} × faster`,
      pass: 1 / r(PULL_PUSH) >= 20,
    },
    {
      caseId: "1",
      description: "reship vs the rebuild",
      target: "≥ 25 × faster",
      measured: `${(1 / r(REBUILD)).toFixed(1)} × faster`,
      pass: 1 / r(REBUILD) >= 25,
    },
    {
      caseId: "1",
      description: "reship's requests",
      target: "HEADs for the checks, 1 manifest GET, 1 PUT per tag (4), 1 tag list, nothing else",
      measured: formatCounts(counts),
      pass: gets === 1 && puts === VERSION_TAGS.length && tagLists === 1 && others === 0,
    },
  ];
  const requestLogs: RequestLog[] = [RESHIP, SKOPEO, PULL_PUSH, REBUILD]
    .filter((n) => requests.has(n))
    .map((n) => ({ contender: n, counts: requests.get(n)! }));
  return [
    {
      id: "1",
      title: "re-release of a built commit, 4 tags",
      measurements,
      comparisons,
      requests: requestLogs,
      uploadedBytes: uploaded,
      targets,
      notes: [`reship's request log (-v) of one more run: ${verboseLog}`],
    },
  ];
}
