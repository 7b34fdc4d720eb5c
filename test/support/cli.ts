/**
 * Runs reship's CLI in this process, as the executable would, with its
 * output captured: the same `main()` that bin.ts calls, with injected streams.
 */
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.js";

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  /** stdout's exact bytes (e.g. `inspect --raw`). */
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
  /** stdout parsed as JSON. */
  json<T = Record<string, unknown>>(): T;
}

function capture(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

export async function runCli(
  argv: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  const out = capture();
  const err = capture();
  const status = await main({
    argv,
    stdout: out.stream,
    stderr: err.stream,
    env: options.env ?? {},
    cwd: options.cwd,
  });
  const stdoutBytes = out.bytes();
  const stdout = stdoutBytes.toString("utf8");
  return {
    status,
    stdout,
    stdoutBytes,
    stderr: err.bytes().toString("utf8"),
    json: <T>() => JSON.parse(stdout) as T,
  };
}
