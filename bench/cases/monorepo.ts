/**
 * Case 4: a monorepo release: one `reship release` of the 20 images of a
 * reship.yaml under 4 tags each, vs the 80 sequential skopeo copies that do
 * the same. Every image's version tags are removed before every run.
 */
import type { Contender } from "../lib/measure.js";
import { measure, medianWallMs } from "../lib/measure.js";
import { keepVerboseLog } from "../lib/verbose.js";
import type { CaseResult } from "../lib/report.js";
import { expectTags, resetTags } from "../lib/registry-ops.js";
import { ratio } from "../lib/stats.js";
import { COMMIT, COMMIT_TAG, VERSION, VERSION_TAGS } from "../workload.js";
import type { BenchContext } from "./context.js";
import { reship, skopeoCopy } from "./context.js";

export async function monorepoCase(ctx: BenchContext): Promise<CaseResult[]> {
  const { images, configFile } = await ctx.workload.mono();
  const reshipName = `reship release (${images.length} images)`;
  const skopeoName = `skopeo copy ×${images.length * VERSION_TAGS.length}, sequential`;
  const reset = (): Promise<void> => {
    for (const img of images) resetTags(img.registry, img.repo, [COMMIT_TAG]);
    return Promise.resolve();
  };
  const verify = async (): Promise<void> => {
    for (const img of images) await expectTags(img.registry, img.repo, VERSION_TAGS, img.pushed.digest);
  };
  const reshipStep = reship(ctx, [
    "release",
    "--config",
    configFile,
    "--version",
    VERSION,
    "--commit",
    COMMIT,
    "--json",
  ]);
  const contenders: Contender[] = [
    {
      name: reshipName,
      role: "reship",
      prepare: reset,
      steps: () => [reshipStep],
      verify,
    },
    {
      name: skopeoName,
      role: "peer",
      prepare: reset,
      steps: () =>
        images.flatMap((img) => {
          const name = `${img.registry.host}/${img.repo}`;
          return VERSION_TAGS.map((tag) => skopeoCopy(`${name}:${COMMIT_TAG}`, `${name}:${tag}`));
        }),
      verify,
    },
  ];
  const measurements = await measure(contenders, {
    runs: ctx.options.runs,
    warmup: ctx.options.warmup,
    log: ctx.log,
  });
  await reset();
  const verboseLog = await keepVerboseLog(ctx.root, "case-4-reship-release", reshipStep);
  await verify();
  const median = (n: string): number => medianWallMs(measurements, n);
  const r = ratio(median(reshipName), median(skopeoName));
  return [
    {
      id: "4",
      title: `monorepo, ${images.length} images × ${VERSION_TAGS.length} tags`,
      measurements,
      comparisons: [{ reship: reshipName, peer: skopeoName, ratio: r }],
      requests: [],
      uploadedBytes: {},
      targets: [
        {
          caseId: "4",
          description: "reship vs the sequential skopeo copies",
          target: "≤ 0.1 ×",
          measured: `${r.toFixed(3)} ×`,
          pass: r <= 0.1,
        },
      ],
      notes: [`reship's request log (-v) of one more run: ${verboseLog}`],
    },
  ];
}
