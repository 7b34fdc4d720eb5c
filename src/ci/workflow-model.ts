/**
 * The typed model of a GitHub Actions workflow that the audit works on: the
 * parser's token tree reduced to plain values, with `${{ }}` kept as
 * expressions (never evaluated at parse time) and line numbers kept for
 * reports. Each audit check is a pure function over this model.
 */

/** A `${{ }}` value: `expr` to evaluate, `source` to show. */
export interface ExprValue {
  readonly kind: "expr";
  readonly expr: string;
  readonly source: string;
}

export type YamlValue =
  string | number | boolean | null | ExprValue | readonly YamlValue[] | { readonly [key: string]: YamlValue };

export function isExprValue(value: YamlValue | undefined): value is ExprValue {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    (value as ExprValue).kind === "expr" &&
    typeof (value as ExprValue).expr === "string"
  );
}

export function isMappingValue(value: YamlValue | undefined): value is { readonly [key: string]: YamlValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isExprValue(value);
}

/** The filters of one `on:` event; absent keys mean "no filter". */
export interface EventFilters {
  readonly branches?: readonly string[];
  readonly "branches-ignore"?: readonly string[];
  readonly tags?: readonly string[];
  readonly "tags-ignore"?: readonly string[];
  readonly paths?: readonly string[];
  readonly "paths-ignore"?: readonly string[];
  readonly types?: readonly string[];
}

export interface StepModel {
  /** 0-based position in the job. */
  readonly index: number;
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly line: number | undefined;
  /** The condition, wrapped in `success() && (...)` unless it calls a status function (as GitHub does). */
  readonly if: string;
  readonly uses: string | undefined;
  readonly with: Readonly<Record<string, YamlValue>>;
  readonly run: string | ExprValue | undefined;
  readonly env: Readonly<Record<string, YamlValue>>;
}

export interface JobModel {
  readonly id: string;
  readonly name: string | undefined;
  readonly line: number | undefined;
  readonly needs: readonly string[];
  readonly if: string;
  /** strategy.matrix as written (a mapping, or an expression). */
  readonly matrix: YamlValue | undefined;
  readonly env: Readonly<Record<string, YamlValue>>;
  readonly steps: readonly StepModel[];
  /** A reusable workflow call (`uses:` at job level). */
  readonly uses: string | undefined;
  readonly with: Readonly<Record<string, YamlValue>>;
}

export interface WorkflowModel {
  /** The path as given (shown in reports). */
  readonly file: string;
  readonly name: string;
  /** Event name → its filters (an empty object when the event has none). */
  readonly on: Readonly<Record<string, EventFilters>>;
  readonly env: Readonly<Record<string, YamlValue>>;
  /** workflow_call inputs with their defaults (for reusable workflows). */
  readonly callInputs: Readonly<Record<string, YamlValue>>;
  readonly jobs: readonly JobModel[];
}
