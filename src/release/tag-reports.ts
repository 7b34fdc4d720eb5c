/**
 * The tags an observation found already right, for the report: unchanged
 * (already at the commit image), or held by a newer version (floating tags
 * only move forward).
 */
import type { RepositoryObservation } from "./observe.js";
import { report as tagReport } from "./execute.js";
import type { TagReport } from "./report.js";

/** The tags an observation found already right: unchanged, or held by a newer version. */
export function keptTags(o: RepositoryObservation): TagReport[] {
  const { observations, decision } = o;
  const current = observations.commitTag.digest;
  if (decision.action === "conflict" || decision.action === "build") {
    return decision.action === "build" ? heldTags(o) : [];
  }
  const writes = new Set(decision.writes.map((w) => w.tag));
  const unchanged = [
    ...(observations.mode === "build" ? [{ ...observations.commitTag, kind: "commit" as const }] : []),
    ...observations.versionTags.map((t) => ({ ...t, kind: "version" as const })),
    ...observations.floatingTags.map((t) => ({ ...t, kind: "floating" as const })),
  ].filter((t) => t.digest !== undefined && t.digest === current && !writes.has(t.tag));
  return [
    ...unchanged.map((t) =>
      tagReport(o.repository, { tag: t.tag, kind: t.kind, previous: undefined }, "unchanged", t.digest),
    ),
    ...heldTags(o),
  ];
}

export function heldTags(o: RepositoryObservation): TagReport[] {
  if (o.decision.action === "conflict") return [];
  return o.decision.held.map((h) => ({
    ...tagReport(
      o.repository,
      { tag: h.tag, kind: "floating", previous: undefined },
      "held",
      o.observations.floatingTags.find((t) => t.tag === h.tag)?.digest,
    ),
    heldBy: h.by,
  }));
}

const KIND_ORDER: Readonly<Record<TagReport["kind"], number>> = { commit: 0, version: 1, floating: 2 };

/** Tags in the order people read a release: commit tag, version tags, floating tags (stable otherwise). */
export function inReadingOrder(tags: readonly TagReport[]): TagReport[] {
  return [...tags].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}
