/**
 * The benchmark's settings, from its arguments and environment:
 *   npm run bench -- [CASE...] [--quick]
 * CASE is 1-5 (default all). Environment: RESHIP_BENCH_RUNS (timed runs per
 * contender, default 5; 1 in quick mode), RESHIP_BENCH_WARMUP (untimed runs
 * first, default 1; 0 in quick mode), RESHIP_BENCH_QUICK=1 (same as --quick),
 * RESHIP_BENCH_BIG_MIB (size of case 3's large image, default 1024; 128 in
 * quick mode).
 */

export const ALL_CASES = ["1", "2", "3", "4", "5"] as const;
export type CaseId = (typeof ALL_CASES)[number];

export interface BenchOptions {
  readonly cases: readonly CaseId[];
  readonly runs: number;
  readonly warmup: number;
  readonly quick: boolean;
  readonly bigImageMiB: number;
}

function count(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw}: expected an integer ≥ ${min}`);
  return n;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  let quick = env["RESHIP_BENCH_QUICK"] === "1" || env["RESHIP_BENCH_QUICK"] === "true";
  const cases: CaseId[] = [];
  for (const arg of argv) {
    if (arg === "--quick") quick = true;
    else if ((ALL_CASES as readonly string[]).includes(arg)) cases.push(arg as CaseId);
    else throw new Error(`unknown argument ${arg}: expected case numbers 1-5 and/or --quick`);
  }
  return {
    cases: cases.length === 0 ? [...ALL_CASES] : ALL_CASES.filter((c) => cases.includes(c)),
    runs: count(env, "RESHIP_BENCH_RUNS", quick ? 1 : 5, 1),
    warmup: count(env, "RESHIP_BENCH_WARMUP", quick ? 0 : 1, 0),
    quick,
    bigImageMiB: count(env, "RESHIP_BENCH_BIG_MIB", quick ? 128 : 1024, 8),
  };
}
