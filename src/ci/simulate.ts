/**
 * Simulates one event over a set of workflows: which workflows trigger,
 * which jobs and steps run (job and step `if:` evaluated three-valued, as in
 * a run where every step succeeds; `needs` chains; matrices expanded; local
 * reusable workflows followed up to GitHub's depth of 4), and which of those
 * steps build, push or promote images. Pure over the parsed models.
 */
import { UNKNOWN, evaluateCondition, evaluateString } from "./expression.js";
import type { ExpressionScope, ScopeValue, Tri } from "./expression.js";
import { detectStep, repositoryOf } from "./build-detect.js";
import type { CacheUse, DetectedBuild } from "./build-detect.js";
import { githubContext } from "./events.js";
import type { SimulatedEvent } from "./events.js";
import { expandMatrix, matrixLabel, toScope } from "./matrix.js";
import { triggers } from "./triggers.js";
import type { JobModel, StepModel, WorkflowModel, YamlValue } from "./workflow-model.js";
import { isExprValue } from "./workflow-model.js";

export interface BuildRecord extends DetectedBuild {
  readonly event: string;
  /** The workflow file that holds the step (the called one, for reusable workflows). */
  readonly workflow: string;
  /** The job, prefixed by its callers for reusable workflows ("ci.yml#images → build"). */
  readonly job: string;
  readonly matrix: string;
  readonly step: string;
  readonly line: number | undefined;
  /** The image repository (first tag without its tag), when the build names one. */
  readonly image: string | undefined;
  /** true when the step certainly runs; "unknown" when a condition or trigger cannot be known. */
  readonly runs: Tri;
  /** Why it may not run: the unknown references or filters. */
  readonly unknowns: readonly string[];
  /** "production" when pushed (or maybe pushed), else "test". */
  readonly purpose: "test" | "production";
  /** Jobs this one waits for, transitively, as "<workflow>#<job>". */
  readonly after: readonly string[];
  /** "<workflow>#<job>" of this build's job. */
  readonly jobRef: string;
}

export interface PromotionRecord {
  readonly event: string;
  readonly workflow: string;
  readonly job: string;
  readonly step: string;
  readonly runs: Tri;
}

export interface EventSimulation {
  readonly event: SimulatedEvent;
  /** Workflow file → whether it triggers, and why. */
  readonly triggered: Readonly<Record<string, { readonly value: Tri; readonly reason: string }>>;
  readonly builds: readonly BuildRecord[];
  readonly promotions: readonly PromotionRecord[];
  /** Things the simulation could not follow (remote reusable workflows, missing files). */
  readonly notes: readonly string[];
}

const MAX_CALL_DEPTH = 4;

/** Kleene AND. */
export function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return "unknown";
}

export function simulateEvent(workflows: readonly WorkflowModel[], event: SimulatedEvent): EventSimulation {
  const { github, partial } = githubContext(event);
  const state: SimState = {
    event,
    workflows,
    builds: [],
    promotions: [],
    notes: [],
    github,
    partial: new Set(partial),
  };
  const triggered: Record<string, { value: Tri; reason: string }> = {};
  for (const wf of workflows) {
    const t = triggers(wf.on, event);
    triggered[wf.file] = t;
    if (t.value === false) continue;
    const unknowns = t.value === "unknown" ? [`${wf.file}: ${t.reason}`] : [];
    runWorkflow(state, wf, { trigger: t.value, unknowns, inputs: {}, prefix: "", depth: 0, after: [] });
  }
  return {
    event,
    triggered,
    builds: state.builds,
    promotions: state.promotions,
    notes: [...new Set(state.notes)],
  };
}

interface SimState {
  readonly event: SimulatedEvent;
  readonly workflows: readonly WorkflowModel[];
  readonly builds: BuildRecord[];
  readonly promotions: PromotionRecord[];
  readonly notes: string[];
  readonly github: ScopeValue;
  /** The simulated objects whose missing keys are unknown (ExpressionScope.partial). */
  readonly partial: ReadonlySet<object>;
}

interface CallFrame {
  readonly trigger: Tri;
  readonly unknowns: readonly string[];
  readonly inputs: Record<string, ScopeValue>;
  /** Caller chain for job labels. */
  readonly prefix: string;
  readonly depth: number;
  /** Jobs the calling job waits for. */
  readonly after: readonly string[];
}

function runWorkflow(state: SimState, wf: WorkflowModel, frame: CallFrame): void {
  const status = new Map<string, Tri>();
  const closure = new Map<string, string[]>();
  const inputs: Record<string, ScopeValue> = {
    ...Object.fromEntries(Object.entries(wf.callInputs).map(([k, v]) => [k, toScope(v)])),
    ...frame.inputs,
  };
  for (const job of topological(wf.jobs)) {
    const needStatus = job.needs.map((n) => status.get(n) ?? false);
    const success: Tri = needStatus.every((s) => s === true)
      ? true
      : needStatus.some((s) => s === false)
        ? false
        : "unknown";
    const needs: Record<string, ScopeValue> = {};
    for (const n of job.needs) {
      const s = status.get(n) ?? false;
      needs[n] = { result: s === true ? "success" : s === false ? "skipped" : UNKNOWN, outputs: UNKNOWN };
    }
    const ref = `${wf.file}#${job.id}`;
    const after = [
      ...frame.after,
      ...job.needs.flatMap((n) => [`${wf.file}#${n}`, ...(closure.get(n) ?? [])]),
    ];
    closure.set(job.id, after);
    const baseContexts: Record<string, ScopeValue> = { github: state.github, inputs, needs };
    const env = evalEnv({ ...wf.env, ...job.env }, scopeOf(state, baseContexts, success));
    const cond = evaluateCondition(job.if, scopeOf(state, { ...baseContexts, env }, success));
    const ran = and(frame.trigger, cond.value);
    status.set(job.id, ran);
    if (ran === false) continue;
    const unknowns = [...frame.unknowns, ...cond.unknowns.map((u) => `${ref}: if depends on ${u}`)];
    const label = `${frame.prefix}${job.id}`;
    if (job.uses !== undefined) {
      callReusable(
        state,
        wf,
        job,
        { trigger: ran, unknowns, inputs: {}, prefix: `${label} → `, depth: frame.depth + 1, after },
        { ...baseContexts, env },
      );
      continue;
    }
    for (const combo of expandMatrix(job.matrix)) {
      runSteps(state, wf, job, {
        label,
        ref,
        ran,
        unknowns,
        after,
        matrix: combo,
        contexts: { ...baseContexts, env },
      });
    }
  }
}

function callReusable(
  state: SimState,
  caller: WorkflowModel,
  job: JobModel,
  frame: CallFrame,
  contexts: Record<string, ScopeValue>,
): void {
  const uses = job.uses ?? "";
  if (!uses.startsWith("./")) {
    state.notes.push(
      `${caller.file}#${job.id}: ${uses} is a remote reusable workflow; its builds are not counted`,
    );
    return;
  }
  const wanted = uses.slice(2).split("@")[0] ?? "";
  const called = state.workflows.find((w) => w.file === wanted || w.file.endsWith(`/${wanted}`));
  if (!called) {
    state.notes.push(
      `${caller.file}#${job.id}: ${uses} is not among the audited files; its builds are not counted`,
    );
    return;
  }
  if (frame.depth > MAX_CALL_DEPTH) {
    state.notes.push(
      `${caller.file}#${job.id}: reusable workflows nest deeper than ${MAX_CALL_DEPTH}; GitHub rejects this`,
    );
    return;
  }
  const scope = scopeOf(state, contexts, true);
  const inputs: Record<string, ScopeValue> = {};
  for (const [k, v] of Object.entries(job.with)) inputs[k] = evalValue(v, scope);
  runWorkflow(state, called, { ...frame, inputs });
}

interface JobInstance {
  readonly label: string;
  readonly ref: string;
  readonly ran: Tri;
  readonly unknowns: readonly string[];
  readonly after: readonly string[];
  readonly matrix: Readonly<Record<string, ScopeValue>> | undefined | typeof UNKNOWN;
  readonly contexts: Record<string, ScopeValue>;
}

function runSteps(state: SimState, wf: WorkflowModel, job: JobModel, inst: JobInstance): void {
  const steps: Record<string, ScopeValue> = {};
  const contexts: Record<string, ScopeValue> = { ...inst.contexts, steps, matrix: inst.matrix ?? {} };
  const builds: BuildRecord[] = [];
  const pushed = new Set<string>();
  for (const step of job.steps) {
    const env = evalEnv(
      step.env,
      scopeOf(state, contexts, true),
      inst.contexts.env as Record<string, ScopeValue>,
    );
    const scope = scopeOf(state, { ...contexts, env }, true);
    const cond = evaluateCondition(step.if, scope);
    const runs = and(inst.ran, cond.value);
    if (step.id) steps[step.id] = { outputs: UNKNOWN, outcome: "success", conclusion: "success" };
    if (runs === false) continue;
    const resolve = (v: YamlValue | undefined): string | undefined =>
      v === undefined ? undefined : resolveText(v, scope);
    const resolveBool = (v: YamlValue | undefined): Tri | undefined => {
      if (v === undefined || v === null) return undefined;
      if (typeof v === "boolean") return v;
      const text = resolveText(v, scope);
      return text === "true" ? true : text === "false" ? false : isExprValue(v) ? "unknown" : text !== "";
    };
    const activity = detectStep(step, resolve, resolveBool);
    const unknowns = [
      ...inst.unknowns,
      ...cond.unknowns.map((u) => `${inst.ref} step ${stepLabel(step)}: if depends on ${u}`),
    ];
    for (const b of activity.builds) {
      const image = b.tags[0] !== undefined ? repositoryOf(b.tags[0]) : undefined;
      builds.push({
        ...b,
        event: state.event.id,
        workflow: wf.file,
        job: inst.label,
        matrix: matrixLabel(inst.matrix),
        step: stepLabel(step),
        line: step.line,
        image,
        runs,
        unknowns,
        purpose: b.pushed === false ? "test" : "production",
        after: inst.after,
        jobRef: inst.ref,
      });
    }
    for (const p of activity.pushes) pushed.add(p);
    if (activity.promotes)
      state.promotions.push({
        event: state.event.id,
        workflow: wf.file,
        job: inst.label,
        step: stepLabel(step),
        runs,
      });
  }
  // A `docker push` later in the job publishes what an earlier step built.
  for (const b of builds) {
    const isPushed = b.image !== undefined && pushed.has(b.image);
    state.builds.push(isPushed ? { ...b, pushed: true, purpose: "production" } : b);
  }
}

/** A step's label: its name, else its action, else the first line of its script. */
export function stepLabel(step: StepModel): string {
  if (step.name) return step.name;
  if (step.uses) return step.uses;
  const run = typeof step.run === "string" ? step.run : (step.run?.source ?? "");
  const first =
    run
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? `step ${step.index + 1}`;
  return first.length > 60 ? `${first.slice(0, 57)}...` : first;
}

function scopeOf(state: SimState, contexts: Record<string, ScopeValue>, success: Tri): ExpressionScope {
  return {
    contexts,
    partial: state.partial,
    status: { success, failure: false, cancelled: false },
  };
}

/** `${{ }}` parts replaced by their values when known; unknown ones kept as written. */
function resolveText(value: YamlValue, scope: ExpressionScope): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isExprValue(value)) {
    return value.source.replace(/\$\{\{([\s\S]*?)\}\}/g, (whole, expr: string) => {
      try {
        const r = evaluateString(expr.trim(), scope);
        return r.value === "unknown" ? whole : r.value;
      } catch {
        return whole;
      }
    });
  }
  return "";
}

function evalValue(value: YamlValue, scope: ExpressionScope): ScopeValue {
  if (isExprValue(value)) {
    const text = resolveText(value, scope);
    return text.includes("${{") ? UNKNOWN : text;
  }
  return toScope(value);
}

function evalEnv(
  env: Readonly<Record<string, YamlValue>>,
  scope: ExpressionScope,
  base: Record<string, ScopeValue> = {},
): Record<string, ScopeValue> {
  const out: Record<string, ScopeValue> = { ...base };
  for (const [k, v] of Object.entries(env)) out[k] = evalValue(v, scope);
  return out;
}

/** Jobs in an order where every job comes after the jobs it needs (input order otherwise). */
function topological(jobs: readonly JobModel[]): JobModel[] {
  const done = new Set<string>();
  const out: JobModel[] = [];
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const visit = (job: JobModel, seen: Set<string>): void => {
    if (done.has(job.id) || seen.has(job.id)) return;
    seen.add(job.id);
    for (const n of job.needs) {
      const dep = byId.get(n);
      if (dep) visit(dep, seen);
    }
    done.add(job.id);
    out.push(job);
  };
  for (const j of jobs) visit(j, new Set());
  return out;
}

/** The scope of a cache use, for reports: "gha:test", "registry:<ref>", "inline". */
export function cacheLabel(cache: readonly CacheUse[]): string {
  const to = cache.filter((c) => c.direction === "to");
  const uses = to.length > 0 ? to : cache;
  if (uses.length === 0) return "none";
  return [...new Set(uses.map((c) => (c.scope ? `${c.type}:${c.scope}` : c.type)))].join(" ");
}
