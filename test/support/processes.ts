/**
 * Processes the test harness starts: each is remembered by pid, stopped by pid
 * (SIGTERM, then SIGKILL when it does not go), and killed by a safety net when
 * the test process exits without having stopped it. Also: running a command to
 * completion (argv arrays, never a shell), finding a free loopback port, and
 * waiting for a condition with a deadline.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";

export interface StartedProcess {
  readonly pid: number;
  readonly command: string;
  /** Settles when the process has exited (and was reaped). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

export interface StartProcessOptions {
  readonly cwd?: string;
  /** Replaces the environment; default: the test process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** stdout and stderr both go to this file (appended); default: ignored. */
  readonly logFile?: string;
}

const running = new Map<number, ChildProcess>();
const tempDirs = new Set<string>();
let safetyNetInstalled = false;

/** Kills every process still running and removes temp dirs, synchronously: the last resort on exit. */
function killRemaining(): void {
  for (const pid of running.keys()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Removes `dir` on exit unless `forgetTempDir` was called first (after its owner removed it). */
export function removeOnExit(dir: string): void {
  installSafetyNet();
  tempDirs.add(dir);
}

export function forgetTempDir(dir: string): void {
  tempDirs.delete(dir);
}

function installSafetyNet(): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  process.on("exit", killRemaining);
  // A signal ends node without the 'exit' event unless someone listens; kill
  // the children, then exit with the conventional status for the signal.
  for (const [signal, status] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      killRemaining();
      process.exit(status);
    });
  }
}

/** Starts a long-running process; it is tracked until stopped or exited. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: StartProcessOptions = {},
): StartedProcess {
  installSafetyNet();
  const fd = options.logFile === undefined ? undefined : openSync(options.logFile, "a");
  const out = fd ?? "ignore";
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", out, out],
  });
  if (fd !== undefined) closeSync(fd);
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`could not start ${command}: no pid (is it installed?)`);
  }
  running.set(pid, child);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      running.delete(pid);
      resolve({ code, signal });
    });
    child.once("error", () => {
      done = true;
      running.delete(pid);
      resolve({ code: null, signal: null });
    });
  });
  return { pid, command, exited, hasExited: () => done };
}

/**
 * Whether a pid names a live process (signal 0 probes without killing). A
 * zombie (dead, not yet reaped by its new parent) counts as gone.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

/**
 * Stops a process by pid: SIGTERM, then SIGKILL if it is still there after
 * `graceMs`. Resolves once it has exited. Stopping a stopped pid is a no-op.
 */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  const child = running.get(pid);
  if (child === undefined) return;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), graceMs);
  });
  const outcome = await Promise.race([exited.then(() => "gone" as const), late]);
  clearTimeout(timer);
  if (outcome === "late") {
    child.kill("SIGKILL");
    await exited;
  }
  running.delete(pid);
}

export interface RunResult {
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string | Buffer;
  readonly cwd?: string;
  /** Text to hide from an error message (passwords on an argv). */
  readonly secrets?: readonly string[];
}

/** Runs a command to completion; a non-zero exit throws with argv and stderr. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.once("error", (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
    child.once("close", (code, signal) => {
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString("utf8");
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const redact = (text: string): string =>
        (options.secrets ?? []).reduce((acc, s) => (s === "" ? acc : acc.split(s).join("***")), text);
      const argv = redact([command, ...args].join(" "));
      const tail = redact(stderr.trim().split("\n").slice(-15).join("\n"));
      reject(new Error(`${argv} exited with ${code ?? signal}:\n${tail}`));
    });
    if (child.stdin !== null) {
      // A command may exit without reading its input; that is its answer, not ours to fail on.
      child.stdin.once("error", () => undefined);
      child.stdin.end(options.input);
    }
  });
}

/** A TCP port free on 127.0.0.1 right now (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface WaitOptions {
  /** What is awaited, for the error message. */
  readonly what: string;
  /** Default 20 s: registries start in well under a second. */
  readonly timeoutMs?: number;
  /** Give up early when this process exits. */
  readonly process?: StartedProcess;
  /** Extra detail for the error (a log tail), read only when failing. */
  readonly detail?: () => string;
}

/** Polls `check` until it returns true; throws when the deadline passes. */
export async function waitFor(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (options.process?.hasExited() === true) {
      throw new Error(
        `${options.process.command} exited while waiting for ${options.what}${suffix(options)}`,
      );
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}${suffix(options)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function suffix(options: WaitOptions): string {
  const detail = options.detail?.();
  return detail === undefined || detail === "" ? "" : `:\n${detail}`;
}
