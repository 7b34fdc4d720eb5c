/**
 * Reads one workflow file into the WorkflowModel with @actions/workflow-parser
 * (GitHub's own schema): a file that is not valid YAML or not a valid
 * workflow is a WORKFLOW error naming the file and line.
 */
import {
  NoOperationTraceWriter,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
  parseWorkflow,
} from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { ReshipError } from "../errors.js";
import { callsStatusFunction, parseExpression } from "./expression.js";
import type {
  EventFilters,
  ExprValue,
  JobModel,
  StepModel,
  WorkflowModel,
  YamlValue,
} from "./workflow-model.js";
import { isExprValue, isMappingValue } from "./workflow-model.js";

/** Parses a workflow; `file` is the name used in the model and in errors. */
export function parseWorkflowFile(file: string, content: string): WorkflowModel {
  const result = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors();
  if (errors.length > 0 || result.value === undefined) {
    const first = errors[0];
    const line = first?.range?.start.line;
    const where = line === undefined ? file : `${file}:${line}`;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    throw new ReshipError("WORKFLOW", `${where}: ${first?.rawMessage ?? "not a workflow"}${more}`);
  }
  const root = result.value;
  const doc = toValue(root);
  if (!isMappingValue(doc)) throw new ReshipError("WORKFLOW", `${file}: a workflow must be a mapping`);
  const jobsToken = isMapping(root) ? root.find("jobs") : undefined;
  const jobs: JobModel[] = [];
  if (jobsToken && isMapping(jobsToken)) {
    for (const { key, value } of jobsToken) {
      jobs.push(readJob(file, keyText(key), value));
    }
  }
  for (const job of jobs) {
    for (const need of job.needs) {
      if (!jobs.some((j) => j.id === need)) {
        throw new ReshipError(
          "WORKFLOW",
          `${file}:${job.line ?? "?"}: job ${job.id} needs ${need}, which is not a job of this workflow`,
        );
      }
    }
  }
  return {
    file,
    name: typeof doc.name === "string" ? doc.name : file,
    on: readOn(doc.on),
    env: mapping(doc.env),
    callInputs: readCallInputs(doc.on),
    jobs,
  };
}

function readJob(file: string, id: string, token: TemplateToken): JobModel {
  const job = toValue(token);
  if (!isMappingValue(job))
    throw new ReshipError("WORKFLOW", `${file}:${token.line ?? "?"}: job ${id} must be a mapping`);
  const steps: StepModel[] = [];
  const stepsToken = isMapping(token) ? token.find("steps") : undefined;
  if (stepsToken && isSequence(stepsToken)) {
    let index = 0;
    for (const stepToken of stepsToken) steps.push(readStep(file, index++, stepToken));
  }
  const strategy = job.strategy;
  const needs = job.needs;
  return {
    id,
    name: typeof job.name === "string" ? job.name : undefined,
    line: token.line,
    needs:
      typeof needs === "string"
        ? [needs]
        : Array.isArray(needs)
          ? needs.filter((n): n is string => typeof n === "string")
          : [],
    if: condition(file, token.line, job.if),
    matrix: isMappingValue(strategy) ? strategy.matrix : isExprValue(strategy) ? strategy : undefined,
    env: mapping(job.env),
    steps,
    uses: typeof job.uses === "string" ? job.uses : undefined,
    with: mapping(job.with),
  };
}

function readStep(file: string, index: number, token: TemplateToken): StepModel {
  const step = toValue(token);
  if (!isMappingValue(step))
    throw new ReshipError("WORKFLOW", `${file}:${token.line ?? "?"}: step ${index + 1} must be a mapping`);
  const run = step.run;
  return {
    index,
    id: typeof step.id === "string" ? step.id : undefined,
    name: typeof step.name === "string" ? step.name : isExprValue(step.name) ? step.name.source : undefined,
    line: token.line,
    if: condition(file, token.line, step.if),
    uses: typeof step.uses === "string" ? step.uses : undefined,
    with: mapping(step.with),
    run: typeof run === "string" || isExprValue(run) ? run : undefined,
    env: mapping(step.env),
  };
}

/**
 * A job or step condition as GitHub runs it: `if:` may be an expression with
 * or without `${{ }}`; without a status function it means `success() && (...)`.
 */
function condition(file: string, line: number | undefined, value: YamlValue | undefined): string {
  let text: string;
  if (value === undefined || value === null || value === "") return "success()";
  if (typeof value === "boolean" || typeof value === "number") text = String(value);
  else if (typeof value === "string") text = value;
  else if (isExprValue(value)) text = value.expr;
  else throw new ReshipError("WORKFLOW", `${file}:${line ?? "?"}: if: must be an expression`);
  try {
    return callsStatusFunction(parseExpression(text)) ? text : `success() && (${text})`;
  } catch (err) {
    throw new ReshipError("WORKFLOW", `${file}:${line ?? "?"}: ${(err as Error).message}`, { cause: err });
  }
}

function readOn(on: YamlValue | undefined): Record<string, EventFilters> {
  const out: Record<string, EventFilters> = {};
  if (typeof on === "string") {
    out[on] = {};
  } else if (Array.isArray(on)) {
    for (const e of on) if (typeof e === "string") out[e] = {};
  } else if (isMappingValue(on)) {
    for (const [event, config] of Object.entries(on)) {
      const filters: Record<string, string[]> = {};
      if (isMappingValue(config)) {
        for (const key of [
          "branches",
          "branches-ignore",
          "tags",
          "tags-ignore",
          "paths",
          "paths-ignore",
          "types",
        ]) {
          const list = config[key];
          if (typeof list === "string") filters[key] = [list];
          else if (Array.isArray(list)) filters[key] = list.filter((x): x is string => typeof x === "string");
        }
      }
      out[event] = filters;
    }
  }
  return out;
}

function readCallInputs(on: YamlValue | undefined): Record<string, YamlValue> {
  const call = isMappingValue(on) ? on.workflow_call : undefined;
  const inputs = isMappingValue(call) ? call.inputs : undefined;
  const out: Record<string, YamlValue> = {};
  if (isMappingValue(inputs)) {
    for (const [name, def] of Object.entries(inputs))
      out[name] = isMappingValue(def) && def.default !== undefined ? def.default : null;
  }
  return out;
}

function mapping(value: YamlValue | undefined): Record<string, YamlValue> {
  return isMappingValue(value) ? { ...value } : {};
}

/** A mapping key as text (keys are scalars; an expression key keeps its source). */
function keyText(key: TemplateToken): string {
  const v = toValue(key);
  return isExprValue(v) ? v.source : typeof v === "object" ? "" : String(v);
}

/** The token tree as plain values; `${{ }}` stays an ExprValue. */
export function toValue(token: TemplateToken): YamlValue {
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isBasicExpression(token)) {
    const expr: ExprValue = {
      kind: "expr",
      expr: token.expression,
      source: token.source ?? `\${{ ${token.expression} }}`,
    };
    return expr;
  }
  if (isSequence(token)) return [...token].map(toValue);
  if (isMapping(token)) {
    const out: Record<string, YamlValue> = {};
    for (const { key, value } of token) out[keyText(key)] = toValue(value);
    return out;
  }
  return null;
}
