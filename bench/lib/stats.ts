/**
 * Summary statistics of timed runs: the median (what the tables compare) and
 * the spread around it (min, max, and the median absolute deviation), so a
 * reader can tell a real difference from noise.
 */

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Median absolute deviation from the median: robust to one slow outlier. */
  readonly mad: number;
}

/** The median of a non-empty list (mean of the two middle values when even). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  const m = median(values);
  return {
    n: values.length,
    median: m,
    min: Math.min(...values),
    max: Math.max(...values),
    mad: median(values.map((v) => Math.abs(v - m))),
  };
}

/** reship's median over the peer's: below 1 means reship is faster. */
export function ratio(reship: number, peer: number): number {
  return peer === 0 ? Number.POSITIVE_INFINITY : reship / peer;
}
