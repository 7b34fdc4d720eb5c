/**
 * The events the audit simulates. The standard set: a pull request into the
 * default branch, a push to the default branch, a push of a version tag, a
 * release published. More with specs (`reship audit --event`):
 *
 *   pull_request[:<base branch>]      push[:<branch>|refs/heads/<b>|refs/tags/<t>]
 *   release[:<action>]                 <any other event name>
 *
 * each optionally followed by `?paths=a,b` (the changed files; without it a
 * paths filter makes a workflow's trigger unknown, not guessed).
 */
import { ReshipError } from "../errors.js";
import { UNKNOWN } from "./expression.js";
import type { ScopeValue } from "./expression.js";
import { planBuilds } from "./plan.js";
import type { PlanKind } from "./plan.js";
import type { CiRules } from "./types.js";
import { isVersionTag } from "./version-tag.js";

export interface SimulatedEvent {
  /** A short label, e.g. "pull_request → main", "push refs/tags/v1.0.0". */
  readonly id: string;
  readonly name: string;
  /** What reship's plan says this event is for (decides which builds are duplicates). */
  readonly kind: PlanKind;
  /** GITHUB_REF. */
  readonly ref: string;
  /** Pull requests: the base branch. */
  readonly baseRef: string | undefined;
  /** The payload's action (types filter); undefined when the event has none. */
  readonly action: string | undefined;
  /** Changed files, when known. */
  readonly changedFiles: readonly string[] | undefined;
}

const FEATURE_BRANCH = "feature";

export function standardEvents(rules: CiRules): SimulatedEvent[] {
  return ["pull_request", "push", `push:refs/tags/${sampleVersionTag(rules)}`, "release:published"].map((s) =>
    parseEventSpec(s, rules),
  );
}

/** A tag the rules accept as a version, for the simulated tag push. */
export function sampleVersionTag(rules: CiRules): string {
  return ["v1.0.0", "1.0.0", "v1.0", "v1"].find((t) => isVersionTag(t, rules)) ?? "v1.0.0";
}

export function parseEventSpec(spec: string, rules: CiRules): SimulatedEvent {
  const [head = "", query] = spec.split("?", 2);
  let changedFiles: string[] | undefined;
  if (query !== undefined) {
    const m = /^paths=(.*)$/.exec(query);
    if (!m) throw new ReshipError("USAGE", `event "${spec}": after "?" only paths=<file,file> is understood`);
    changedFiles = (m[1] ?? "").split(",").filter((f) => f !== "");
  }
  const colon = head.indexOf(":");
  const name = colon < 0 ? head : head.slice(0, colon);
  const arg = colon < 0 ? undefined : head.slice(colon + 1);
  if (!/^[a-z_]+$/.test(name))
    throw new ReshipError("USAGE", `event "${spec}": "${name}" is not an event name`);
  const branchRef = (b: string): string => (b.startsWith("refs/") ? b : `refs/heads/${b}`);
  let ref = branchRef(rules.defaultBranch);
  let baseRef: string | undefined;
  let action: string | undefined;
  let id: string;
  if (name === "pull_request" || name === "pull_request_target") {
    baseRef = (arg ?? rules.defaultBranch).replace(/^refs\/heads\//, "");
    ref = name === "pull_request" ? "refs/pull/1/merge" : branchRef(baseRef);
    action = "synchronize";
    id = `${name} → ${baseRef}`;
  } else if (name === "push") {
    ref = branchRef(arg ?? rules.defaultBranch);
    id = `push ${ref.replace(/^refs\/heads\//, "")}`;
  } else if (name === "release") {
    action = arg ?? "published";
    ref = `refs/tags/${sampleVersionTag(rules)}`;
    id = `release ${action}`;
  } else {
    if (arg !== undefined) ref = branchRef(arg);
    id = arg === undefined ? name : `${name} ${arg}`;
  }
  const plan = planBuilds(
    {
      eventName: name,
      ref,
      baseRef,
      sha: undefined,
      action,
      releaseTag: name === "release" ? ref.slice(10) : undefined,
    },
    rules,
  );
  if (changedFiles) id += ` (changed: ${changedFiles.join(", ")})`;
  return { id, name, kind: plan.kind, ref, baseRef, action, changedFiles };
}

/** The `github` context of a simulated run; fields it cannot know are absent (and so unknown). */
export function githubContext(event: SimulatedEvent): {
  readonly github: ScopeValue;
  readonly partial: object[];
} {
  const isTag = event.ref.startsWith("refs/tags/");
  const refName = event.ref
    .replace(/^refs\/(heads|tags)\//, "")
    .replace(/^refs\/pull\/(\d+)\/merge$/, "$1/merge");
  const payload: Record<string, ScopeValue> = {};
  if (event.action !== undefined) payload.action = event.action;
  if (event.name === "pull_request" || event.name === "pull_request_target") {
    const pr = { base: { ref: event.baseRef ?? "" }, head: { ref: FEATURE_BRANCH } };
    payload.pull_request = pr;
  } else if (event.name === "push") {
    payload.ref = event.ref;
  } else if (event.name === "release") {
    payload.release = { tag_name: event.ref.slice("refs/tags/".length) };
  }
  const github: Record<string, ScopeValue> = {
    event_name: event.name,
    ref: event.ref,
    ref_name: refName,
    ref_type: isTag ? "tag" : "branch",
    base_ref: event.baseRef ?? "",
    head_ref: event.baseRef !== undefined ? FEATURE_BRANCH : "",
    sha: UNKNOWN,
    event: payload,
  };
  const partial: object[] = [github, payload];
  for (const v of Object.values(payload)) if (v !== null && typeof v === "object") partial.push(v);
  const pr = payload.pull_request as Record<string, ScopeValue> | undefined;
  if (pr) partial.push(pr.base as object, pr.head as object);
  return { github, partial };
}
