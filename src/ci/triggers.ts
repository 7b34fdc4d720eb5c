/**
 * Whether a workflow's `on:` triggers for a simulated event, by GitHub's
 * rules: `types` against the payload's action; for push, `branches`/
 * `branches-ignore` apply to branch pushes and `tags`/`tags-ignore` to tag
 * pushes (a push filtered only by branches never runs for a tag, and the
 * other way round); for pull requests, branch filters apply to the base
 * branch; `paths`/`paths-ignore` apply to the changed files (never to tag
 * pushes) and make the answer unknown when the files are not known.
 */
import type { Tri } from "./expression.js";
import type { SimulatedEvent } from "./events.js";
import { matchesFilters } from "./filter-pattern.js";
import type { EventFilters } from "./workflow-model.js";

export interface TriggerResult {
  readonly value: Tri;
  readonly reason: string;
}

export function triggers(on: Readonly<Record<string, EventFilters>>, event: SimulatedEvent): TriggerResult {
  const filters = on[event.name];
  if (filters === undefined) return { value: false, reason: `no on.${event.name}` };
  if (filters.types && event.action !== undefined && !filters.types.includes(event.action)) {
    return { value: false, reason: `types does not include ${event.action}` };
  }
  const isTag = event.ref.startsWith("refs/tags/");
  const hasBranch = filters.branches !== undefined || filters["branches-ignore"] !== undefined;
  const hasTag = filters.tags !== undefined || filters["tags-ignore"] !== undefined;
  if (event.name === "push") {
    if (isTag) {
      const tag = event.ref.slice("refs/tags/".length);
      if (hasBranch && !hasTag)
        return { value: false, reason: "only branch filters: tag pushes do not trigger" };
      if (filters.tags && !matchesFilters(filters.tags, tag))
        return { value: false, reason: `tags does not match ${tag}` };
      if (filters["tags-ignore"] && matchesFilters(filters["tags-ignore"], tag))
        return { value: false, reason: `tags-ignore matches ${tag}` };
      return { value: true, reason: `push of tag ${tag}` };
    }
    const branch = event.ref.replace(/^refs\/heads\//, "");
    if (hasTag && !hasBranch)
      return { value: false, reason: "only tag filters: branch pushes do not trigger" };
    const b = branchFilters(filters, branch);
    if (b) return b;
    return pathFilters(filters, event);
  }
  if (event.name === "pull_request" || event.name === "pull_request_target") {
    const b = branchFilters(filters, event.baseRef ?? "");
    if (b) return b;
    return pathFilters(filters, event);
  }
  return { value: true, reason: `on.${event.name}` };
}

function branchFilters(filters: EventFilters, branch: string): TriggerResult | undefined {
  if (filters.branches && !matchesFilters(filters.branches, branch))
    return { value: false, reason: `branches does not match ${branch}` };
  if (filters["branches-ignore"] && matchesFilters(filters["branches-ignore"], branch)) {
    return { value: false, reason: `branches-ignore matches ${branch}` };
  }
  return undefined;
}

function pathFilters(filters: EventFilters, event: SimulatedEvent): TriggerResult {
  if (!filters.paths && !filters["paths-ignore"]) return { value: true, reason: `on.${event.name}` };
  const files = event.changedFiles;
  if (files === undefined) return { value: "unknown", reason: "depends on the changed files (paths filter)" };
  if (filters.paths && !files.some((f) => matchesFilters(filters.paths ?? [], f))) {
    return { value: false, reason: "paths matches no changed file" };
  }
  if (filters["paths-ignore"] && files.every((f) => matchesFilters(filters["paths-ignore"] ?? [], f))) {
    return { value: false, reason: "paths-ignore matches every changed file" };
  }
  return { value: true, reason: "paths filter matches a changed file" };
}
