/**
 * Case 3: copy to another registry: reship copy vs skopeo copy, wall time and
 * peak memory, with team/app (150 MiB) and with the large image (1 GiB by
 * default). Every run copies into a registry started for it alone (untimed),
 * so no run can reuse blobs an earlier one left, not even through skopeo's
 * blob-location cache.
 */
import type { Contender } from "../lib/measure.js";
import { measure } from "../lib/measure.js";
import type { Step } from "../lib/processes.js";
import type { CaseResult, TargetCheck } from "../lib/report.js";
import { formatBytes } from "../lib/report.js";
import { expectTags } from "../lib/registry-ops.js";
import { ratio } from "../lib/stats.js";
import type { Image } from "../workload.js";
import { COMMIT_TAG } from "../workload.js";
import type { BenchContext } from "./context.js";
import { reship, skopeoCopy } from "./context.js";

const RSS_LIMIT_MIB = 200;

async function copyBetweenRegistries(
  ctx: BenchContext,
  id: string,
  image: Image,
  label: string,
): Promise<CaseResult> {
  const src = `${image.registry.host}/${image.repo}:${COMMIT_TAG}`;
  const reshipName = `reship copy (${label})`;
  const skopeoName = `skopeo copy (${label})`;

  const contender = (
    name: string,
    role: "reship" | "peer",
    copy: (src: string, dst: string) => Step,
  ): Contender => {
    let dest: Awaited<ReturnType<BenchContext["workload"]["registry"]>> | undefined;
    return {
      name,
      role,
      prepare: async () => {
        dest = await ctx.workload.registry();
      },
      steps: () => [copy(src, `${dest!.registry.host}/${image.repo}:${COMMIT_TAG}`)],
      verify: async () => {
        try {
          await expectTags(dest!.registry, image.repo, [COMMIT_TAG], image.pushed.digest);
        } finally {
          await dest!.stop();
        }
      },
    };
  };

  const measurements = await measure(
    [
      contender(reshipName, "reship", (s, d) => reship(ctx, ["copy", s, d])),
      contender(skopeoName, "peer", skopeoCopy),
    ],
    { runs: ctx.options.runs, warmup: ctx.options.warmup, log: ctx.log },
  );
  const a = measurements.find((m) => m.name === reshipName)!;
  const b = measurements.find((m) => m.name === skopeoName)!;
  const r = ratio(a.wallMs.median, b.wallMs.median);
  const targets: TargetCheck[] = [
    {
      caseId: id,
      description: `reship vs skopeo, ${label}`,
      target: "≤ 1.0 ×",
      measured: `${r.toFixed(3)} ×`,
      pass: r <= 1,
    },
  ];
  if (id === "3b") {
    const peak = a.maxRssKiB.max / 1024;
    targets.push({
      caseId: id,
      description: `reship's peak RSS, ${label}`,
      target: `≤ ${RSS_LIMIT_MIB} MiB`,
      measured: `${peak.toFixed(0)} MiB (highest of ${a.maxRssKiB.n} runs; skopeo ${(b.maxRssKiB.max / 1024).toFixed(0)} MiB)`,
      pass: peak <= RSS_LIMIT_MIB,
    });
  }
  return {
    id,
    title: `copy to another registry, ${label}`,
    measurements,
    comparisons: [{ reship: reshipName, peer: skopeoName, ratio: r }],
    requests: [],
    uploadedBytes: {},
    targets,
    notes: [],
  };
}

export async function crossRegistryCase(ctx: BenchContext): Promise<CaseResult[]> {
  const app = await ctx.workload.app();
  const big = await ctx.workload.big();
  const size = (img: Image): string => formatBytes(img.pushed.totalLayerBytes || 0).replace(/\.0 /, " ");
  return [
    await copyBetweenRegistries(ctx, "3", app, size(app)),
    await copyBetweenRegistries(ctx, "3b", big, size(big)),
  ];
}
