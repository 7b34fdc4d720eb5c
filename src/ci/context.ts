/**
 * The GitHub Actions context of one CI run, read from the variables GitHub
 * sets (GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_BASE_REF, GITHUB_SHA) and the
 * event payload at GITHUB_EVENT_PATH. The environment and the file reader are
 * parameters: this layer never reads process.env.
 */
import { ReshipError } from "../errors.js";

export interface CiContext {
  /** e.g. "push", "pull_request", "release"; undefined outside CI. */
  readonly eventName: string | undefined;
  /** Full ref: refs/heads/main, refs/tags/v1.2.3, refs/pull/7/merge. */
  readonly ref: string | undefined;
  /** The base branch of a pull request (branch name, not a ref). */
  readonly baseRef: string | undefined;
  readonly sha: string | undefined;
  /** The payload's `action` (published, opened, synchronize, ...). */
  readonly action: string | undefined;
  /** A release's tag, from the payload (release.tag_name). */
  readonly releaseTag: string | undefined;
}

export interface CiContextOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads the event payload file; required only when GITHUB_EVENT_PATH is set. */
  readonly readFile?: (path: string) => string;
  /** Command-line values, which win over the environment. */
  readonly overrides?: { readonly event?: string; readonly ref?: string; readonly sha?: string };
}

/** Reads the CI context; throws CONFIG when the payload file cannot be read or parsed. */
export function readCiContext(options: CiContextOptions): CiContext {
  const { env, overrides = {} } = options;
  const payload = readPayload(env.GITHUB_EVENT_PATH, options.readFile);
  const release = record(payload.release);
  const eventName = overrides.event ?? nonEmpty(env.GITHUB_EVENT_NAME);
  // A payload describes the environment's event; an overriding --event makes it irrelevant.
  const samePayload = overrides.event === undefined || overrides.event === env.GITHUB_EVENT_NAME;
  return {
    eventName,
    ref: overrides.ref ?? nonEmpty(env.GITHUB_REF),
    baseRef: nonEmpty(env.GITHUB_BASE_REF),
    sha: overrides.sha ?? nonEmpty(env.GITHUB_SHA),
    action: samePayload ? str(payload.action) : undefined,
    releaseTag: samePayload ? str(release.tag_name) : undefined,
  };
}

function readPayload(
  path: string | undefined,
  readFile: ((path: string) => string) | undefined,
): Record<string, unknown> {
  if (!path) return {};
  if (!readFile) throw new ReshipError("CONFIG", "GITHUB_EVENT_PATH is set but no file reader was given");
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new ReshipError(
      "CONFIG",
      `cannot read the event payload ${path} (GITHUB_EVENT_PATH): ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  try {
    return record(JSON.parse(text));
  } catch (err) {
    throw new ReshipError(
      "CONFIG",
      `the event payload ${path} (GITHUB_EVENT_PATH) is not JSON: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
