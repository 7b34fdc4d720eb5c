/**
 * Matrix expansion as GitHub documents it ("Using a matrix for your jobs"):
 * the cartesian product of the axes, minus `exclude` entries (an entry
 * removes every combination it matches, partially or fully), plus `include`
 * entries: an entry's keys are added to every combination whose original
 * values it does not overwrite; an entry that fits no combination becomes a
 * combination of its own. A matrix given as an expression is unknown.
 */
import { UNKNOWN } from "./expression.js";
import type { ScopeValue } from "./expression.js";
import type { YamlValue } from "./workflow-model.js";
import { isExprValue, isMappingValue } from "./workflow-model.js";

export type MatrixCombination = Readonly<Record<string, ScopeValue>>;

/** The combinations of a job's matrix; [undefined] when the job has no matrix; [UNKNOWN] when it cannot be known. */
export function expandMatrix(
  matrix: YamlValue | undefined,
): ReadonlyArray<MatrixCombination | undefined | typeof UNKNOWN> {
  if (matrix === undefined || matrix === null) return [undefined];
  if (!isMappingValue(matrix)) return [UNKNOWN];
  const axes: [string, ScopeValue[]][] = [];
  let include: MatrixCombination[] = [];
  let exclude: MatrixCombination[] = [];
  for (const [key, value] of Object.entries(matrix)) {
    if (key === "include" || key === "exclude") {
      if (!Array.isArray(value)) return [UNKNOWN];
      const entries = (value as YamlValue[]).map((e) =>
        isMappingValue(e) ? (toScope(e) as MatrixCombination) : undefined,
      );
      if (entries.some((e) => e === undefined)) return [UNKNOWN];
      if (key === "include") include = entries as MatrixCombination[];
      else exclude = entries as MatrixCombination[];
    } else {
      if (!Array.isArray(value)) return [UNKNOWN];
      axes.push([key, (value as YamlValue[]).map(toScope)]);
    }
  }
  let combos: Record<string, ScopeValue>[] = axes.length === 0 ? [] : [{}];
  for (const [key, values] of axes) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  combos = combos.filter(
    (c) => !exclude.some((e) => Object.entries(e).every(([k, v]) => k in c && same(c[k], v))),
  );
  const axisNames = new Set(axes.map(([k]) => k));
  const originals = combos.map((c) => ({ ...c }));
  const extra: Record<string, ScopeValue>[] = [];
  for (const entry of include) {
    let added = false;
    combos.forEach((combo, i) => {
      const original = originals[i] ?? {};
      const fits = Object.entries(entry).every(
        ([k, v]) => !axisNames.has(k) || !(k in original) || same(original[k], v),
      );
      if (fits) {
        Object.assign(combo, entry);
        added = true;
      }
    });
    if (!added) extra.push({ ...entry });
  }
  const all = [...combos, ...extra];
  return all.length === 0 ? [undefined] : all;
}

/** A short label of a combination, e.g. "image=api, platform=linux/arm64". */
export function matrixLabel(combo: MatrixCombination | undefined | typeof UNKNOWN): string {
  if (combo === undefined) return "";
  if (combo === UNKNOWN) return "matrix=?";
  return Object.entries(combo)
    .map(
      ([k, v]) =>
        `${k}=${v === UNKNOWN ? "?" : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`,
    )
    .join(", ");
}

function same(a: ScopeValue | undefined, b: ScopeValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Plain YAML values as scope values; expressions in a matrix are unknown. */
export function toScope(value: YamlValue): ScopeValue {
  if (isExprValue(value)) return UNKNOWN;
  if (Array.isArray(value)) return (value as YamlValue[]).map(toScope);
  if (isMappingValue(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toScope(v)]));
  return value as ScopeValue;
}
