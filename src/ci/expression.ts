/**
 * Three-valued evaluation of GitHub Actions expressions (`if:` conditions and
 * `${{ }}` values) over a simulated run. Values the simulation cannot know
 * (secrets, vars, job and step outputs, hashFiles, payload fields it did not
 * simulate) make a result "unknown" instead of being guessed; `&&`, `||` and
 * `!` combine unknowns as Kleene logic does, so `false && secrets.X` is still
 * false. Everything else (comparisons, contains, startsWith, format, fromJSON,
 * truthiness) is the real @actions/expressions evaluator.
 */
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import {
  Binary,
  ContextAccess,
  FunctionCall,
  Grouping,
  IndexAccess,
  Logical,
  Star,
  Unary,
} from "@actions/expressions/ast";
import type { Expr } from "@actions/expressions/ast";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import { TokenType } from "@actions/expressions/lexer";
import { truthy } from "@actions/expressions/result";
import { ReshipError } from "../errors.js";

/** A value the simulation cannot know; put it anywhere in a scope's tree. */
export const UNKNOWN: unique symbol = Symbol("unknown");

/** A plain value tree; `UNKNOWN` marks what cannot be known. */
export type ScopeValue =
  | string
  | number
  | boolean
  | null
  | typeof UNKNOWN
  | readonly ScopeValue[]
  | { readonly [key: string]: ScopeValue };

/** true, false, or "unknown" (with the references that made it so). */
export type Tri = boolean | "unknown";

export interface ExpressionScope {
  /** Named contexts (github, env, matrix, inputs, needs, steps, ...). A context absent here is unknown. */
  readonly contexts: Readonly<Record<string, ScopeValue>>;
  /**
   * Objects whose missing keys are unknown rather than null (e.g. the
   * simulated event payload, which holds only what the simulation knows).
   */
  readonly partial?: ReadonlySet<object>;
  /** success(), failure(), cancelled() in this scope; always() is true. */
  readonly status: { readonly success: Tri; readonly failure: Tri; readonly cancelled: Tri };
}

export interface Evaluation<T> {
  readonly value: T | "unknown";
  /** The references that made the value unknown, e.g. "secrets.DEPLOY_KEY". */
  readonly unknowns: readonly string[];
}

const CONTEXT_NAMES = [
  "github",
  "env",
  "vars",
  "secrets",
  "needs",
  "strategy",
  "matrix",
  "inputs",
  "steps",
  "job",
  "jobs",
  "runner",
];
const STATUS_FUNCTIONS = ["success", "failure", "cancelled", "always"];
const EXTENSION_FUNCTIONS = [
  ...STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
  { name: "hashFiles", minArgs: 1, maxArgs: 255 },
];

/** Parses an expression (without `${{ }}`); throws WORKFLOW on a syntax error. */
export function parseExpression(expression: string): Expr {
  try {
    const { tokens } = new Lexer(expression).lex();
    return new Parser(tokens, CONTEXT_NAMES, EXTENSION_FUNCTIONS).parse();
  } catch (err) {
    throw new ReshipError("WORKFLOW", `invalid expression "${expression}": ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** True when the expression calls success(), failure(), cancelled() or always(). */
export function callsStatusFunction(expr: Expr): boolean {
  if (expr instanceof FunctionCall) {
    if (STATUS_FUNCTIONS.includes(expr.functionName.lexeme.toLowerCase())) return true;
    return expr.args.some(callsStatusFunction);
  }
  if (expr instanceof Logical) return expr.args.some(callsStatusFunction);
  if (expr instanceof Binary) return callsStatusFunction(expr.left) || callsStatusFunction(expr.right);
  if (expr instanceof Unary) return callsStatusFunction(expr.expr);
  if (expr instanceof Grouping) return callsStatusFunction(expr.group);
  if (expr instanceof IndexAccess) return callsStatusFunction(expr.expr) || callsStatusFunction(expr.index);
  return false;
}

/** Evaluates a condition to true, false or unknown (truthiness, as GitHub does for `if:`). */
export function evaluateCondition(expression: string, scope: ExpressionScope): Evaluation<boolean> {
  const result = evaluateExpression(expression, scope);
  return { value: result.value === "unknown" ? "unknown" : truthy(result.value), unknowns: result.unknowns };
}

/** Evaluates an expression to a string (as `${{ }}` interpolation coerces it), or unknown. */
export function evaluateString(expression: string, scope: ExpressionScope): Evaluation<string> {
  const result = evaluateExpression(expression, scope);
  return {
    value: result.value === "unknown" ? "unknown" : result.value.coerceString(),
    unknowns: result.unknowns,
  };
}

/** Evaluates an expression to its data, or unknown. */
export function evaluateExpression(
  expression: string,
  scope: ExpressionScope,
): Evaluation<data.ExpressionData> {
  const expr = parseExpression(expression);
  const evaluator = new PartialEvaluator(expr, scope);
  const value = evaluator.evaluate();
  return value === UNKNOWN_DATA
    ? { value: "unknown", unknowns: [...new Set(evaluator.unknowns)] }
    : { value, unknowns: [] };
}

// The evaluator's own sentinel, recognized by identity: it never leaves this module.
const UNKNOWN_DATA = new data.Null();

type PathPart = string | number | typeof STAR;
const STAR = Symbol("star");

class PartialEvaluator extends Evaluator {
  readonly unknowns: string[] = [];
  private readonly scope: ExpressionScope;
  private trusted = 0;

  constructor(expr: Expr, scope: ExpressionScope) {
    super(expr, toDictionary(scope.contexts), statusFunctions(scope));
    this.scope = scope;
  }

  protected override eval(n: Expr): data.ExpressionData {
    if (n instanceof Logical) return this.logical(n);
    if (n instanceof Grouping) return this.eval(n.group);
    if (n instanceof Unary) return this.eval(n.expr) === UNKNOWN_DATA ? UNKNOWN_DATA : super.eval(n);
    if (this.trusted > 0 && (n instanceof ContextAccess || n instanceof IndexAccess)) return super.eval(n);
    if (n instanceof ContextAccess || n instanceof IndexAccess) {
      const path = this.pathOf(n);
      if (path === undefined) return UNKNOWN_DATA;
      if (!this.known(path)) {
        this.unknowns.push(describe(path));
        return UNKNOWN_DATA;
      }
      // The path is known as a whole; its parents may hold unknowns elsewhere, so skip their checks.
      this.trusted++;
      try {
        return super.eval(n);
      } finally {
        this.trusted--;
      }
    }
    if (n instanceof Binary) {
      return this.eval(n.left) === UNKNOWN_DATA || this.eval(n.right) === UNKNOWN_DATA
        ? UNKNOWN_DATA
        : super.eval(n);
    }
    if (n instanceof FunctionCall) {
      const name = n.functionName.lexeme.toLowerCase();
      if (name === "hashfiles") {
        this.unknowns.push("hashFiles()");
        return UNKNOWN_DATA;
      }
      const status = statusOf(this.scope, name);
      if (status === "unknown") {
        this.unknowns.push(`${name}()`);
        return UNKNOWN_DATA;
      }
      if (n.args.some((a) => this.eval(a) === UNKNOWN_DATA)) return UNKNOWN_DATA;
      return super.eval(n);
    }
    return super.eval(n);
  }

  /** `&&` and `||` over true/false/unknown, returning GitHub's operand values when known. */
  private logical(n: Logical): data.ExpressionData {
    const isAnd = n.operator.type === TokenType.AND;
    let sawUnknown = false;
    let last: data.ExpressionData = new data.Null();
    for (const arg of n.args) {
      const v = this.eval(arg);
      if (v === UNKNOWN_DATA) {
        sawUnknown = true;
        continue;
      }
      last = v;
      // A known falsy operand decides `&&`, a known truthy one decides `||`, unknowns or not.
      if (isAnd ? !truthy(v) : truthy(v)) return v;
    }
    return sawUnknown ? UNKNOWN_DATA : last;
  }

  /** The access path of a context reference, or undefined when an index is itself unknown. */
  private pathOf(n: Expr): PathPart[] | undefined {
    if (n instanceof ContextAccess) return [n.name.lexeme];
    if (n instanceof IndexAccess) {
      const base = this.pathOf(n.expr);
      if (base === undefined) return undefined;
      if (n.index instanceof Star) return [...base, STAR];
      const idx = this.eval(n.index);
      if (idx === UNKNOWN_DATA) return undefined;
      return [...base, idx.kind === data.Kind.Number ? idx.number() : idx.coerceString()];
    }
    // Access into a computed value (e.g. fromJSON(x).y): known when the value is.
    return this.eval(n) === UNKNOWN_DATA ? undefined : [];
  }

  private known(path: readonly PathPart[]): boolean {
    if (path.length === 0) return true;
    const [root, ...rest] = path;
    const contexts = this.scope.contexts;
    if (typeof root !== "string") return false;
    const key = Object.keys(contexts).find((k) => k.toLowerCase() === root.toLowerCase());
    if (key === undefined) return false;
    return knownIn(contexts[key] as ScopeValue, rest, this.scope.partial);
  }
}

function knownIn(
  value: ScopeValue,
  path: readonly PathPart[],
  partial: ReadonlySet<object> | undefined,
): boolean {
  if (value === UNKNOWN) return false;
  if (path.length === 0) return containsNoUnknown(value);
  if (value === null || typeof value !== "object") return true; // access into a scalar is null, known
  const [head, ...rest] = path;
  if (head === STAR) {
    const children = Array.isArray(value) ? value : Object.values(value);
    if (partial?.has(value)) return false;
    return (children as ScopeValue[]).every((c) => knownIn(c, rest, partial));
  }
  if (Array.isArray(value)) {
    const child = (value as ScopeValue[])[Number(head)];
    return child === undefined ? true : knownIn(child, rest, partial);
  }
  const obj = value as { readonly [key: string]: ScopeValue };
  const key = Object.keys(obj).find((k) => k.toLowerCase() === String(head).toLowerCase());
  if (key === undefined) return !partial?.has(value);
  return knownIn(obj[key] as ScopeValue, rest, partial);
}

function containsNoUnknown(value: ScopeValue): boolean {
  if (value === UNKNOWN) return false;
  if (value === null || typeof value !== "object") return true;
  return (Array.isArray(value) ? (value as ScopeValue[]) : Object.values(value)).every(containsNoUnknown);
}

function describe(path: readonly PathPart[]): string {
  return path
    .map((p, i) => (p === STAR ? "*" : typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join("")
    .replace(/\.\*/g, ".*");
}

function statusOf(scope: ExpressionScope, name: string): Tri | undefined {
  if (name === "success" || name === "failure" || name === "cancelled") return scope.status[name];
  if (name === "always") return true;
  return undefined;
}

function statusFunctions(scope: ExpressionScope): Map<string, FunctionDefinition> {
  const fn = (name: string): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(statusOf(scope, name) === true),
  });
  return new Map(STATUS_FUNCTIONS.map((n) => [n, fn(n)]));
}

function toDictionary(contexts: Readonly<Record<string, ScopeValue>>): data.Dictionary {
  return toData(contexts) as data.Dictionary;
}

function toData(value: ScopeValue): data.ExpressionData {
  if (value === UNKNOWN || value === null) return new data.Null();
  if (typeof value === "string") return new data.StringData(value);
  if (typeof value === "number") return new data.NumberData(value);
  if (typeof value === "boolean") return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...(value as ScopeValue[]).map(toData));
  return new data.Dictionary(...Object.entries(value).map(([key, v]) => ({ key, value: toData(v) })));
}
