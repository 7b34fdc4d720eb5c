/**
 * The process runner every back end goes through: node:child_process.spawn
 * with an argument array (never a shell), output streamed line by line to
 * `onLine`, and the last lines of each stream kept for error messages.
 *
 * Environment: a command runs in the base environment (BuildIo.env, else the
 * runner's `env` option, else the parent's, as spawn does by default) with the
 * command's own variables on top.
 */
import { spawn } from "node:child_process";
import { ReshipError } from "../errors.js";
import { builderMissing, formatArgv } from "./errors.js";
import type { BuildIo, Command, Environment, ProcessRunner, RunOutcome } from "./types.js";

/** Lines of each stream kept for error messages. */
export const TAIL_LINES = 20;

export interface SpawnRunnerOptions {
  /** Base environment; default: the parent's. */
  readonly env?: Environment;
  /** Lines kept per stream; default TAIL_LINES. */
  readonly tailLines?: number;
}

export function spawnRunner(options: SpawnRunnerOptions = {}): ProcessRunner {
  const tailLines = options.tailLines ?? TAIL_LINES;
  return { run: (cmd, io) => runProcess(cmd, io, options.env, tailLines) };
}

function runProcess(
  cmd: Command,
  io: BuildIo | undefined,
  runnerEnv: Environment | undefined,
  tailLines: number,
): Promise<RunOutcome> {
  const env = mergeEnv(io?.env ?? runnerEnv, cmd.env);
  return new Promise<RunOutcome>((resolve, reject) => {
    if (io?.signal?.aborted) {
      reject(aborted(cmd));
      return;
    }
    const child = spawn(cmd.command, [...cmd.args], {
      cwd: cmd.cwd,
      env,
      stdio: [cmd.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      shell: false,
    });
    const stdout = new LineCollector("stdout", tailLines, io?.onLine);
    const stderr = new LineCollector("stderr", tailLines, io?.onLine);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => stdout.push(chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
    if (cmd.stdin !== undefined && child.stdin) {
      // A child that exits without reading its stdin must not crash us with EPIPE.
      child.stdin.on("error", () => undefined);
      child.stdin.end(cmd.stdin);
    }

    let wasAborted = false;
    const onAbort = (): void => {
      wasAborted = true;
      child.kill("SIGTERM");
    };
    io?.signal?.addEventListener("abort", onAbort, { once: true });

    let settled = false;
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      io?.signal?.removeEventListener("abort", onAbort);
      if (err.code === "ENOENT") reject(builderMissing(cmd.command));
      else
        reject(
          new ReshipError(
            "BUILD",
            `could not start ${formatArgv([cmd.command, ...cmd.args])}: ${err.message}`,
            { cause: err },
          ),
        );
    });
    // "close", not "exit": the streams are drained by then, so the tails are complete.
    child.on("close", (code, signal) => {
      if (settled) return;
      settled = true;
      io?.signal?.removeEventListener("abort", onAbort);
      stdout.flush();
      stderr.flush();
      if (wasAborted) {
        reject(aborted(cmd));
        return;
      }
      // A process killed by a signal has no exit code; report it the way shells do.
      const exitCode = code ?? 128 + signalNumber(signal);
      resolve({ exitCode, stdoutTail: stdout.tail, stderrTail: stderr.tail });
    });
  });
}

/** The base environment with the command's variables on top; undefined = inherit unchanged. */
export function mergeEnv(
  base: Environment | undefined,
  extra: Environment | undefined,
): NodeJS.ProcessEnv | undefined {
  if (base === undefined && extra === undefined) return undefined;
  // No base given and variables to add: start from the parent's, which is what spawn would inherit.
  return { ...(base ?? process.env), ...extra };
}

function aborted(cmd: Command): ReshipError {
  return new ReshipError("BUILD", `${formatArgv([cmd.command, ...cmd.args])} was cancelled`);
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return (signal && numbers[signal]) ?? 0;
}

/** Splits a stream into lines, hands each to onLine, and keeps the last few. */
class LineCollector {
  readonly tail: string[] = [];
  private partial = "";

  constructor(
    private readonly stream: "stdout" | "stderr",
    private readonly keep: number,
    private readonly onLine: BuildIo["onLine"],
  ) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.line(line);
  }

  flush(): void {
    if (this.partial !== "") this.line(this.partial);
    this.partial = "";
  }

  private line(line: string): void {
    this.onLine?.(this.stream, line);
    this.tail.push(line);
    if (this.tail.length > this.keep) this.tail.shift();
  }
}
