/**
 * The commit being released: `--commit`, else GITHUB_SHA (read by the CLI and
 * passed in), else `git rev-parse HEAD` in the build context. A short or
 * symbolic `--commit` is resolved with `git rev-parse` too, because the
 * revision label holds the full sha and provenance compares full shas. Git is
 * run only here, through the injected process runner.
 */
import { ReshipError } from "../errors.js";
import type { ProcessRunner } from "../build/index.js";
import { isFullSha } from "./tags.js";

export interface ResolveCommitOptions {
  /** --commit, as given. */
  readonly commit: string | undefined;
  /** GITHUB_SHA, when the CLI found one. */
  readonly ciSha: string | undefined;
  /** Where git runs: the build context (or the working directory). */
  readonly cwd: string;
  readonly runner: ProcessRunner;
}

/** The full, lowercase commit sha; throws GIT when git cannot tell. */
export async function resolveCommit(options: ResolveCommitOptions): Promise<string> {
  const given = options.commit?.trim() || undefined;
  if (given !== undefined && isFullSha(given.toLowerCase())) return given.toLowerCase();
  if (given === undefined) {
    const ci = options.ciSha?.trim().toLowerCase();
    if (ci !== undefined && ci !== "") {
      if (!isFullSha(ci)) throw new ReshipError("USAGE", `GITHUB_SHA "${ci}" is not a full commit sha`);
      return ci;
    }
  }
  return revParse(given ?? "HEAD", options);
}

/** The argv of `git rev-parse` for one revision; pure. */
export function revParseCommand(
  revision: string,
  cwd: string,
): { command: string; args: string[]; cwd: string } {
  return { command: "git", args: ["rev-parse", "--verify", "--end-of-options", `${revision}^{commit}`], cwd };
}

async function revParse(revision: string, options: ResolveCommitOptions): Promise<string> {
  const outcome = await options.runner.run(revParseCommand(revision, options.cwd)).catch((err: unknown) => {
    throw new ReshipError(
      "GIT",
      `cannot run git to find the commit (pass --commit SHA): ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  });
  const sha = outcome.stdoutTail.join("\n").trim().toLowerCase();
  if (outcome.exitCode !== 0 || !isFullSha(sha)) {
    const detail = outcome.stderrTail.join(" ").trim();
    throw new ReshipError(
      "GIT",
      `git rev-parse ${revision} in ${options.cwd} failed${detail ? `: ${detail}` : ""}; pass --commit with the full sha`,
    );
  }
  return sha;
}
