/**
 * Docker credential helpers (docker/docker-credential-helpers protocol):
 * `docker-credential-<name> get` reads the server URL on stdin and prints
 * `{"ServerURL","Username","Secret"}` on stdout. "credentials not found"
 * (exit non-zero, that text on stdout) means anonymous. A Username of
 * `<token>` means Secret is an identity (refresh) token. Helpers are spawned
 * with an argument array, never through a shell.
 */
import { spawn } from "node:child_process";
import { ReshipError } from "../../errors.js";
import type { Credential } from "./credentials.js";

export interface HelperResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args...` with `input` on stdin. Rejects only when the program cannot start. */
export type HelperRunner = (command: string, args: readonly string[], input: string) => Promise<HelperResult>;

/** The default runner: node:child_process spawn, no shell, 30 s limit. */
export const spawnHelper: HelperRunner = (command, args, input) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      stdio: ["pipe", "pipe", "pipe"],
      shell: false,
      timeout: 30_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });

const NOT_FOUND = /credentials not found/i;

/**
 * Interprets a helper's answer (pure). Undefined means "no credentials for
 * this server"; a failure throws CREDENTIALS naming the helper, never the
 * output (which may hold the secret).
 */
export function parseHelperOutput(helper: string, result: HelperResult): Credential | undefined {
  if (result.exitCode !== 0) {
    if (NOT_FOUND.test(result.stdout) || NOT_FOUND.test(result.stderr)) return undefined;
    throw new ReshipError(
      "CREDENTIALS",
      `credential helper docker-credential-${helper} failed (exit ${result.exitCode})${
        result.stderr.trim() && !/secret|token|password/i.test(result.stderr)
          ? `: ${result.stderr.trim().split("\n").slice(-1)[0]?.slice(0, 200)}`
          : ""
      }`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    throw new ReshipError(
      "CREDENTIALS",
      `credential helper docker-credential-${helper} printed something that is not JSON`,
    );
  }
  const { Username, Secret } = (parsed ?? {}) as { Username?: unknown; Secret?: unknown };
  if (typeof Secret !== "string" || Secret === "") return undefined;
  const username = typeof Username === "string" ? Username : "";
  if (username === "<token>") return { identityToken: Secret };
  return { username, password: Secret };
}

/** Asks `docker-credential-<helper>` for the credential of `serverUrl`. */
export async function getFromHelper(
  helper: string,
  serverUrl: string,
  run: HelperRunner = spawnHelper,
): Promise<Credential | undefined> {
  if (!/^[A-Za-z0-9._-]+$/.test(helper)) {
    throw new ReshipError(
      "CREDENTIALS",
      `credential helper name ${JSON.stringify(helper)} is not a valid program name`,
    );
  }
  let result: HelperResult;
  try {
    result = await run(`docker-credential-${helper}`, ["get"], serverUrl);
  } catch (err) {
    const missing = (err as { code?: unknown }).code === "ENOENT";
    throw new ReshipError(
      "CREDENTIALS",
      missing
        ? `credential helper docker-credential-${helper} is not installed (not found on PATH)`
        : `credential helper docker-credential-${helper} could not run: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return parseHelperOutput(helper, result);
}
