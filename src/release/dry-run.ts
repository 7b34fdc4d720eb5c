/**
 * --dry-run: what a release would do, from its observations alone: the
 * decision, the tags it would write and the exact requests; nothing is
 * written and nothing is built.
 */
import { formatReference, withTag } from "../oci/index.js";
import { report as tagReport } from "./execute.js";
import type { RepositoryObservation } from "./observe.js";
import type { ImageReport, TagReport } from "./report.js";
import type { ImageTarget } from "./settings.js";
import { inReadingOrder } from "./tag-reports.js";

/** --dry-run: the decision and the exact writes it would make; nothing is written. */
export function dryRun(
  builder: string,
  image: ImageTarget,
  observed: readonly RepositoryObservation[],
  kept: readonly TagReport[],
  base: { image: string; commitTag: string; requests: readonly string[] },
  reasons: readonly string[],
  durationMs: number,
): ImageReport {
  const planned: TagReport[] = [];
  const writes: string[] = [];
  const buildRepos = observed.filter((o) => o.decision.action === "build");
  if (buildRepos.length > 0) {
    const refs = buildRepos.map((o) => formatReference(withTag(o.repository, base.commitTag)));
    const platforms = image.platforms.length > 0 ? image.platforms.join(",") : "the builder's platform";
    writes.push(
      `BUILD ${image.context} (${image.dockerfile}, ${platforms}) with builder ${builder}, push ${refs.join(", ")}`,
    );
  }
  for (const o of observed) {
    const d = o.decision;
    if (d.action !== "retag" && d.action !== "build") continue;
    for (const w of d.writes) {
      const ref = formatReference(withTag(o.repository, w.tag));
      planned.push(tagReport(o.repository, w, "planned", d.action === "retag" ? d.digest : undefined));
      if (d.action === "build" && w.kind === "commit") continue;
      const what = d.action === "retag" ? `the exact bytes of ${d.digest}` : "the built manifest";
      writes.push(`PUT ${ref} (${what})`);
    }
  }
  const retag = observed.find((o) => o.decision.action === "retag");
  const action = buildRepos.length > 0 ? "build" : retag !== undefined ? "retag" : "noop";
  const digest = observed.find((o) => o.decision.action !== "build")?.observations.commitTag.digest;
  const source = retag?.commitImage;
  return {
    ...base,
    action,
    reasons,
    digest: action === "build" ? undefined : digest,
    tags: inReadingOrder([...kept, ...planned]),
    reused: action !== "build",
    ...(action === "retag" && source !== undefined
      ? { avoided: { blobs: source.blobs, bytes: source.bytes, platforms: source.platforms } }
      : {}),
    durationMs,
    requests: [...base.requests, ...(writes.length > 0 ? writes : ["(no writes)"])],
  };
}
