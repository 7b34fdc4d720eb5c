/**
 * The builder contract: one request shape for every back end (docker buildx,
 * docker with BuildKit, buildah), one result, and the process runner they all
 * go through. A back end turns a request into argv arrays (pure functions in
 * its own module) and runs them; it never goes through a shell.
 */

export type BuilderName = "buildx" | "docker" | "buildah";

/** An environment: unset variables are `undefined`, as in `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface BuildRequest {
  /** The build context directory. */
  readonly context: string;
  /** The Dockerfile, relative to `context`; default: the builder's own (`Dockerfile`). */
  readonly dockerfile?: string;
  /**
   * Target platforms. `[]` = the builder's default (the host platform); more
   * than one makes a multi-platform index (buildx and buildah only).
   */
  readonly platforms: readonly string[];
  readonly target?: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Image labels, e.g. org.opencontainers.image.revision. */
  readonly labels: Readonly<Record<string, string>>;
  /** Passed through as the builder's `--secret` specs (`id=x,src=path` / `id=x,env=VAR`). */
  readonly secrets: readonly string[];
  /** Cache sources, e.g. `type=gha,scope=prod`, `type=registry,ref=...`. */
  readonly cacheFrom: readonly string[];
  /** Cache destinations, e.g. `type=gha,scope=prod,mode=max`, `type=inline`. */
  readonly cacheTo: readonly string[];
  /** Full references to push; the first is the primary. At least one. */
  readonly tags: readonly string[];
  /** Registry hosts pushed to over plain HTTP; loopback hosts always count. */
  readonly insecureRegistries: readonly string[];
  /** buildx `--provenance` (`true`, `false`, `mode=max`); other back ends warn and ignore it. */
  readonly provenance?: boolean | string;
}

export interface BuildResult {
  readonly builder: BuilderName;
  /** `sha256:...` of what was pushed (the index for a multi-platform build). */
  readonly digest: string;
  readonly durationMs: number;
  /** The references pushed, as requested. */
  readonly tags: readonly string[];
  /** Options the back end could not honour and ignored (also streamed through `onLine`). */
  readonly warnings: readonly string[];
}

export interface BuildIo {
  /** The builder's output, line by line, as it comes; the caller prefixes and prints it. */
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
  /** The environment the builder runs in; overrides the one given to createBuilder. */
  env?: Environment;
  /** Aborting stops the builder process (SIGTERM) and fails the build. */
  signal?: AbortSignal;
}

export interface Builder {
  readonly name: BuilderName;
  /** True when the back end can build here (binary present, daemon answering). */
  available(): Promise<boolean>;
  build(request: BuildRequest, io?: BuildIo): Promise<BuildResult>;
}

/** One process to run: never joined into a string, never given to a shell. */
export interface Command {
  readonly command: string;
  readonly args: readonly string[];
  /** Variables set on top of the base environment (BuildIo.env, else the parent's). */
  readonly env?: Environment;
  readonly cwd?: string;
  readonly stdin?: string;
}

export interface RunOutcome {
  readonly exitCode: number;
  /** The last lines of each stream (about 20). */
  readonly stdoutTail: string[];
  readonly stderrTail: string[];
}

export interface ProcessRunner {
  /**
   * Runs `cmd` to completion. Resolves with the exit code (non-zero included);
   * rejects with BUILDER_MISSING when the command is not found, or BUILD when
   * it cannot be started or was aborted.
   */
  run(cmd: Command, io?: BuildIo): Promise<RunOutcome>;
}
