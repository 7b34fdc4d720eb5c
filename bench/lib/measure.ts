/**
 * Timed runs in alternation: run i executes every contender once, in an
 * order rotated by i, so slow drift of the machine (page cache, CPU clock,
 * the registry's own state) spreads over all contenders instead of favouring
 * whichever always runs first. Each run is prepared (untimed) so it does the
 * same real work as the others, and verified (untimed) so a run that silently
 * did nothing cannot count.
 */
import type { Step, StepResult } from "./processes.js";
import { describe, runStep } from "./processes.js";
import type { Summary } from "./stats.js";
import { summarize } from "./stats.js";

export type Role = "reship" | "peer";

export interface Contender {
  readonly name: string;
  readonly role: Role;
  /** Untimed, before each run: reset tags, empty a docker cache, start a fresh registry. */
  prepare?(run: number): Promise<void>;
  /** The processes of one run, timed together, in sequence. */
  steps(run: number): readonly Step[] | Promise<readonly Step[]>;
  /** Untimed, after each run: throw when the run did not do its work. */
  verify?(run: number, results: readonly StepResult[]): Promise<void>;
}

export interface Sample {
  readonly wallMs: number;
  readonly maxRssKiB: number;
}

export interface Measurement {
  readonly name: string;
  readonly role: Role;
  readonly samples: readonly Sample[];
  readonly wallMs: Summary;
  readonly maxRssKiB: Summary;
}

export interface MeasureOptions {
  readonly runs: number;
  /** Untimed runs of every contender first (fills the page cache, skopeo's blob cache). */
  readonly warmup: number;
  readonly log: (line: string) => void;
}

/** Runs one contender once: prepare, the timed steps, verify. */
async function runOnce(contender: Contender, run: number): Promise<Sample> {
  await contender.prepare?.(run);
  const steps = await contender.steps(run);
  const results: StepResult[] = [];
  for (const step of steps) {
    const result = await runStep(step);
    results.push(result);
    if (result.exitCode !== 0) {
      const tail = (result.stderr || result.stdout).trim().split("\n").slice(-20).join("\n");
      throw new Error(`${contender.name}: ${describe(step)} exited ${result.exitCode}:\n${tail}`);
    }
  }
  try {
    await contender.verify?.(run, results);
  } catch (error) {
    throw new Error(`${contender.name}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return {
    wallMs: results.reduce((sum, r) => sum + r.wallMs, 0),
    maxRssKiB: Math.max(0, ...results.map((r) => r.maxRssKiB)),
  };
}

export async function measure(
  contenders: readonly Contender[],
  options: MeasureOptions,
): Promise<Measurement[]> {
  const samples = new Map<string, Sample[]>(contenders.map((c) => [c.name, []]));
  for (let w = 0; w < options.warmup; w++) {
    for (const c of contenders) {
      const s = await runOnce(c, -1 - w);
      options.log(`  warm-up ${c.name}: ${s.wallMs.toFixed(0)} ms`);
    }
  }
  for (let run = 0; run < options.runs; run++) {
    const order = contenders.map((_, i) => contenders[(i + run) % contenders.length]!);
    for (const c of order) {
      const s = await runOnce(c, run);
      samples.get(c.name)!.push(s);
      options.log(
        `  run ${run + 1}/${options.runs} ${c.name}: ${s.wallMs.toFixed(0)} ms, ${(s.maxRssKiB / 1024).toFixed(0)} MiB`,
      );
    }
  }
  return contenders.map((c) => {
    const list = samples.get(c.name)!;
    return {
      name: c.name,
      role: c.role,
      samples: list,
      wallMs: summarize(list.map((s) => s.wallMs)),
      maxRssKiB: summarize(list.map((s) => s.maxRssKiB)),
    };
  });
}

/** The median wall time of the contender named `name`; fails loudly on a name no contender has. */
export function medianWallMs(measurements: readonly Measurement[], name: string): number {
  const found = measurements.find((m) => m.name === name);
  if (found === undefined) throw new Error(`no measurement named ${name}`);
  return found.wallMs.median;
}
