/**
 * The workflow audit: parse every workflow once, simulate each event, then
 * run the checks, each a pure function over the simulations:
 *
 * - duplicates: the same image, or the same Dockerfile and context (with the
 *   same platforms and build arguments), built more than once for one
 *   purpose in one event; a production image built on a pull request next
 *   to its test build; a release or tag push that rebuilds what the default
 *   branch already built;
 * - findings: gha cache without a scope shared by several images, builds
 *   without any cache, production builds that do not wait for the tests,
 *   builds whose conditions cannot be known, workflows not followed.
 *
 * A duplicate is certain when at least two of its builds certainly run;
 * otherwise it is reported as a finding ("possible duplicate").
 */
import { parseWorkflowFile } from "./workflow-parse.js";
import type { WorkflowModel } from "./workflow-model.js";
import { standardEvents } from "./events.js";
import type { SimulatedEvent } from "./events.js";
import { simulateEvent } from "./simulate.js";
import type { BuildRecord, EventSimulation, PromotionRecord } from "./simulate.js";
import type { CiRules } from "./types.js";

export interface WorkflowFile {
  /** Path shown in reports and used to resolve `uses: ./...` (relative to the repository root). */
  readonly path: string;
  readonly content: string;
}

export interface AuditOptions {
  readonly rules: CiRules;
  /** Events to simulate; default the standard set (standardEvents). */
  readonly events?: readonly SimulatedEvent[];
}

export type DuplicateKind = "same-build" | "pull-request-production" | "release-rebuild";

export interface BuildRef {
  readonly workflow: string;
  readonly job: string;
  readonly matrix: string;
  readonly step: string;
  readonly line: number | undefined;
}

export interface Duplicate {
  readonly event: string;
  readonly kind: DuplicateKind;
  /** The image, or the context and Dockerfile, built more than once. */
  readonly what: string;
  readonly builds: readonly BuildRef[];
  readonly fix: string;
}

export type FindingKind =
  | "possible-duplicate"
  | "gha-cache-without-scope"
  | "no-cache"
  | "production-before-tests"
  | "unknown-condition"
  | "not-followed";

export interface Finding {
  readonly kind: FindingKind;
  readonly message: string;
  readonly fix: string | undefined;
}

export interface EventReport {
  readonly event: string;
  readonly kind: SimulatedEvent["kind"];
  /** Workflows that trigger ("unknown" when a paths filter decides). */
  readonly workflows: readonly {
    readonly file: string;
    readonly triggers: boolean | "unknown";
    readonly reason: string;
  }[];
  readonly builds: readonly BuildRecord[];
  readonly promotions: readonly PromotionRecord[];
  /** Builds that certainly run, and those that may. */
  readonly counts: {
    readonly certain: number;
    readonly possible: number;
    readonly test: number;
    readonly production: number;
  };
}

export interface AuditReport {
  readonly files: readonly string[];
  readonly events: readonly EventReport[];
  readonly duplicates: readonly Duplicate[];
  readonly findings: readonly Finding[];
}

/** Parses the files (throws WORKFLOW with file and line on the first that does not parse) and audits them. */
export function auditWorkflows(files: readonly WorkflowFile[], options: AuditOptions): AuditReport {
  const models = files.map((f) => parseWorkflowFile(f.path, f.content));
  return auditModels(models, options);
}

export function auditModels(models: readonly WorkflowModel[], options: AuditOptions): AuditReport {
  const events = options.events ?? standardEvents(options.rules);
  const sims = events.map((e) => simulateEvent(models, e));
  const duplicates: Duplicate[] = [];
  const findings: Finding[] = [];
  for (const sim of sims) {
    const r = checkDuplicates(sim, sims);
    duplicates.push(...r.duplicates);
    findings.push(...r.possible);
    findings.push(...checkProductionWaits(sim));
    findings.push(...checkUnknowns(sim));
    findings.push(...sim.notes.map((n) => ({ kind: "not-followed" as const, message: n, fix: undefined })));
  }
  findings.push(...checkCaches(sims));
  return {
    files: models.map((m) => m.file),
    events: sims.map((s) => ({
      event: s.event.id,
      kind: s.event.kind,
      workflows: Object.entries(s.triggered)
        .filter(([, t]) => t.value !== false)
        .map(([file, t]) => ({ file, triggers: t.value, reason: t.reason })),
      builds: s.builds,
      promotions: s.promotions,
      counts: {
        certain: s.builds.filter((b) => b.runs === true).length,
        possible: s.builds.filter((b) => b.runs !== true).length,
        test: s.builds.filter((b) => b.purpose === "test").length,
        production: s.builds.filter((b) => b.purpose === "production").length,
      },
    })),
    duplicates: dedupe(duplicates, (d) => `${d.event}|${d.kind}|${d.what}`),
    findings: dedupe(findings, (f) => `${f.kind}|${f.message}`),
  };
}

/** The identities of a build: its image, and its recipe (context + Dockerfile + target), each with platforms and args. */
export function identities(b: BuildRecord): string[] {
  const variant = `${[...b.platforms].sort().join(",")}|${b.buildArgs.join(" ")}`;
  const recipe = b.recipe ?? `${b.context}|${b.dockerfile}|${b.target ?? ""}`;
  return [...(b.image ? [`image:${b.image}|${variant}`] : []), `recipe:${recipe}|${variant}`];
}

/** What a group of builds makes, for reports. */
export function describeBuild(b: BuildRecord): string {
  if (b.image) return b.image;
  if (b.recipe) return b.recipe;
  return `${b.context} (${b.dockerfile}${b.target ? `, target ${b.target}` : ""})`;
}

/** Groups builds that are the same build by any identity (union-find). */
function groupBuilds(builds: readonly BuildRecord[]): BuildRecord[][] {
  const parent = builds.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
    return i;
  };
  const owner = new Map<string, number>();
  builds.forEach((b, i) => {
    for (const id of identities(b)) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, BuildRecord[]>();
  builds.forEach((b, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), b]));
  return [...groups.values()];
}

function ref(b: BuildRecord): BuildRef {
  return { workflow: b.workflow, job: b.job, matrix: b.matrix, step: b.step, line: b.line };
}

function where(b: BuildRecord): string {
  return `${b.workflow}${b.line !== undefined ? `:${b.line}` : ""} ${b.job}${b.matrix ? ` [${b.matrix}]` : ""} / ${b.step}`;
}

function checkDuplicates(
  sim: EventSimulation,
  all: readonly EventSimulation[],
): { duplicates: Duplicate[]; possible: Finding[] } {
  const duplicates: Duplicate[] = [];
  const possible: Finding[] = [];
  const event = sim.event.id;
  const report = (kind: DuplicateKind, group: readonly BuildRecord[], fix: string): void => {
    const first = group[0];
    if (!first) return;
    const certain =
      group.filter((b) => b.runs === true).length >= 2 ||
      (kind === "release-rebuild" && group.some((b) => b.runs === true));
    const what = describeBuild(first);
    if (certain) duplicates.push({ event, kind, what, builds: group.map(ref), fix });
    else
      possible.push({
        kind: "possible-duplicate",
        message: `${event}: ${what} may be built ${group.length} times (${group.map(where).join("; ")})`,
        fix,
      });
  };
  for (const group of groupBuilds(sim.builds)) {
    for (const purpose of ["test", "production"] as const) {
      const same = group.filter((b) => b.purpose === purpose);
      if (same.length >= 2) {
        report(
          "same-build",
          same,
          purpose === "test"
            ? "build the test image once (one job, load: true or a test tag) and let every test job use it (needs: + docker pull, or the same job)"
            : "build and push the image in one job; other jobs and workflows need: that job, or re-tag it with reship tag",
        );
      }
    }
    if (
      sim.event.kind === "test" &&
      group.some((b) => b.purpose === "production") &&
      group.some((b) => b.purpose === "test")
    ) {
      report(
        "pull-request-production",
        group,
        `skip the production build here: if: github.event_name == 'push' && github.ref == 'refs/heads/<default branch>' (reship plan says a ${sim.event.name} builds for tests only)`,
      );
    }
  }
  if (sim.event.kind === "release") {
    const mainIds = new Set(
      all.filter((s) => s.event.kind === "main").flatMap((s) => s.builds.flatMap(identities)),
    );
    if (mainIds.size > 0) {
      for (const group of groupBuilds(sim.builds)) {
        if (group.some((b) => identities(b).some((id) => mainIds.has(id)))) {
          report(
            "release-rebuild",
            group,
            "the default branch already built this commit's image: promote it instead of rebuilding (uses: <owner>/reship@v1, or npx reship release)",
          );
        }
      }
    }
  }
  return { duplicates, possible };
}

function checkProductionWaits(sim: EventSimulation): Finding[] {
  if (sim.event.kind !== "main") return [];
  const out: Finding[] = [];
  for (const group of groupBuilds(sim.builds)) {
    const tests = group.filter((b) => b.purpose === "test");
    for (const prod of group.filter((b) => b.purpose === "production")) {
      const waits = tests.every((t) => t.jobRef === prod.jobRef || prod.after.includes(t.jobRef));
      if (tests.length > 0 && !waits) {
        out.push({
          kind: "production-before-tests",
          message: `${sim.event.id}: ${where(prod)} builds ${describeBuild(prod)} for production without waiting for its tests`,
          fix: "needs: the test jobs, with if: always() && !failure() && !cancelled()",
        });
      }
    }
  }
  return out;
}

function checkUnknowns(sim: EventSimulation): Finding[] {
  return sim.builds
    .filter((b) => b.runs === "unknown")
    .map((b) => ({
      kind: "unknown-condition" as const,
      message: `${sim.event.id}: ${where(b)} may build ${describeBuild(b)}: ${[...new Set(b.unknowns)].join("; ")}`,
      fix: undefined,
    }));
}

function checkCaches(sims: readonly EventSimulation[]): Finding[] {
  const out: Finding[] = [];
  const builds = sims.flatMap((s) => s.builds);
  const unscoped = builds.filter((b) => b.cache.some((c) => c.type === "gha" && c.scope === undefined));
  const whats = new Set(unscoped.map(describeBuild));
  if (whats.size >= 2) {
    out.push({
      kind: "gha-cache-without-scope",
      message: `${whats.size} images share the default gha cache scope (${[...whats].sort().join(", ")}): each evicts the others' layers`,
      fix: "give each image its own scope: cache-from/cache-to type=gha,scope=<image>-test|<image>-prod",
    });
  }
  for (const b of builds) {
    if (b.cache.length === 0) {
      out.push({
        kind: "no-cache",
        message: `${where(b)} builds ${describeBuild(b)} without a cache: every run rebuilds every layer`,
        fix: "add cache-from/cache-to: type=gha,mode=max,scope=<purpose> (or type=registry), and BUILDKIT_INLINE_CACHE=1",
      });
    }
  }
  return out;
}

function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
