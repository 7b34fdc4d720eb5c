/**
 * Child processes of the benchmark: timed runs (wall clock from spawn to exit,
 * peak RSS from GNU time), untimed helpers, and the clean-up that stops every
 * process the benchmark started, by pid, on success, failure or Ctrl-C.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Step {
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the benchmark's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface StepResult {
  readonly step: Step;
  readonly wallMs: number;
  /** Peak resident set size of the process (GNU time %M), KiB. */
  readonly maxRssKiB: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = "/usr/bin/time";
const running = new Set<number>();
interface Cleanup {
  readonly stop: () => Promise<void> | void;
  /** What must happen even when the process is exiting now (no awaiting). */
  readonly now?: () => void;
}
const cleanups: Cleanup[] = [];
const scratch = mkdtempSync(join(tmpdir(), "reship-bench-time-"));
const removeScratch = (): void => rmSync(scratch, { recursive: true, force: true });
cleanups.push({ stop: removeScratch, now: removeScratch });

/**
 * Registers something to stop at the end (last registered, first stopped).
 * `now` is the synchronous part that still runs when the benchmark is killed
 * by a signal (the test harness's own safety net then kills its processes).
 * Returns a function that runs the clean-up early and forgets it.
 */
export function onCleanup(stop: () => Promise<void> | void, now?: () => void): () => Promise<void> {
  const entry: Cleanup = { stop, ...(now === undefined ? {} : { now }) };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i === -1) return;
    cleanups.splice(i, 1);
    await entry.stop();
  };
}

function killRunning(): void {
  for (const pid of running) {
    try {
      // The child leads its own process group: kill the group, by its pid.
      process.kill(-pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  running.clear();
}

/** Kills the children still running, then runs every clean-up once. */
export async function cleanUp(): Promise<void> {
  killRunning();
  while (cleanups.length > 0) {
    const entry = cleanups.pop()!;
    try {
      await entry.stop();
    } catch (error) {
      process.stderr.write(`bench: clean-up failed: ${String(error)}\n`);
    }
  }
}

function cleanUpNow(): void {
  killRunning();
  while (cleanups.length > 0) {
    try {
      cleanups.pop()!.now?.();
    } catch {
      /* best effort while exiting */
    }
  }
}

/**
 * Stops everything on Ctrl-C or SIGTERM. Must be installed before anything
 * else listens for those signals: the harness's own listener exits at once,
 * so only synchronous work (killing by pid, removing directories) is certain.
 */
export function installSignalHandlers(): void {
  process.on("exit", cleanUpNow);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}: stopping what the benchmark started\n`);
      cleanUpNow();
      process.exit(130);
    });
  }
}

let counter = 0;
const OUTPUT_CAP = 1 << 20;

/**
 * Runs one process under GNU time. The child gets its own process group
 * (detached) so Ctrl-C reaches the benchmark only, which then kills the group
 * by pid. Output is kept (capped) for error messages and parsing.
 */
export function runStep(step: Step, input?: string): Promise<StepResult> {
  const rssFile = join(scratch, `rss-${process.pid}-${counter++}`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(GNU_TIME, ["-f", "%M", "-o", rssFile, step.command, ...step.args], {
      cwd: step.cwd,
      env: { ...process.env, ...step.env },
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      detached: true,
    });
    if (child.pid !== undefined) running.add(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      if (stdout.length < OUTPUT_CAP) stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      if (stderr.length < OUTPUT_CAP) stderr += d.toString();
    });
    if (input !== undefined) child.stdin?.end(input);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - started;
      if (child.pid !== undefined) running.delete(child.pid);
      let maxRssKiB = 0;
      try {
        // GNU time writes "Command exited with non-zero status N" first on failure.
        const lines = readFileSync(rssFile, "utf8").trim().split("\n");
        maxRssKiB = Number(lines.at(-1));
        rmSync(rssFile, { force: true });
      } catch {
        /* killed before GNU time wrote it */
      }
      resolve({ step, wallMs, maxRssKiB, exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

export function describe(step: Step): string {
  return [step.command, ...step.args].join(" ");
}

/** Runs a step that must succeed (exit 0, or one of `okCodes`); throws with its stderr otherwise. */
export async function mustRun(step: Step, okCodes: readonly number[] = [0]): Promise<StepResult> {
  const result = await runStep(step);
  if (!okCodes.includes(result.exitCode)) {
    const tail = (result.stderr || result.stdout).trim().split("\n").slice(-15).join("\n");
    throw new Error(`${describe(step)} exited ${result.exitCode}:\n${tail}`);
  }
  return result;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
