/**
 * The options every back end shares, and the one resolver that fills their
 * defaults. Collaborators (runner, environment, clock) arrive here. Only the
 * spawn runner, at the process edge, falls back to the parent's environment
 * when none was given, as spawn itself does.
 */
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { spawnRunner } from "./runner.js";
import type { BuildIo, Environment, ProcessRunner } from "./types.js";

/** buildah's storage and isolation, for daemonless builds (e.g. root in a container). */
export interface BuildahOptions {
  /** `--storage-driver` (e.g. `vfs`); default: buildah's own (its STORAGE_DRIVER variable or storage.conf). */
  readonly storageDriver?: string;
  /** `--isolation` (e.g. `chroot`); default: buildah's own (its BUILDAH_ISOLATION variable). */
  readonly isolation?: string;
  /** `--root`: storage root directory; default: buildah's own. */
  readonly root?: string;
  /** `--runroot`: storage state directory; default: buildah's own. */
  readonly runroot?: string;
}

export interface BuilderOptions {
  /** Runs every process; default spawnRunner(). */
  readonly runner?: ProcessRunner;
  /** The environment builders run in; default: reship's own (inherited). BuildIo.env overrides it per build. */
  readonly env?: Environment;
  /** The docker CLI; default `docker` (found on PATH). */
  readonly dockerCommand?: string;
  /** The buildah binary; default `buildah`. */
  readonly buildahCommand?: string;
  readonly buildah?: BuildahOptions;
  /** Where per-build temporary files go; default os.tmpdir(). */
  readonly tempDir?: string;
  /** Milliseconds clock for durations; default performance.now. */
  readonly now?: () => number;
  /**
   * The platforms the caller will build; with `auto`, a back end that cannot
   * build them (docker for more than one) is skipped. Default: not considered.
   */
  readonly platforms?: readonly string[];
}

/** BuilderOptions with every default filled, plus small helpers back ends share. */
export interface BuilderContext {
  readonly runner: ProcessRunner;
  readonly env: Environment | undefined;
  readonly dockerCommand: string;
  readonly buildahCommand: string;
  readonly buildah: BuildahOptions;
  readonly tempDir: string;
  readonly now: () => number;
  readFile(path: string): Promise<string>;
  /** The caller's io with the builder's environment filled in. */
  io(io: BuildIo | undefined): BuildIo;
  /** io for probes (`version`): no output streamed. */
  quietIo(): BuildIo;
  /** Reports a warning: streamed to onLine (stderr) and returned for the result. */
  warn(io: BuildIo | undefined, message: string): string;
}

export function resolveBuilderOptions(options: BuilderOptions = {}): BuilderContext {
  const env = options.env;
  return {
    runner: options.runner ?? spawnRunner(),
    env,
    dockerCommand: options.dockerCommand ?? "docker",
    buildahCommand: options.buildahCommand ?? "buildah",
    buildah: options.buildah ?? {},
    tempDir: options.tempDir ?? tmpdir(),
    now: options.now ?? (() => performance.now()),
    readFile: (path) => readFile(path, "utf8"),
    io: (io) => ({ ...io, env: io?.env ?? env }),
    quietIo: () => (env === undefined ? {} : { env }),
    warn: (io, message) => {
      io?.onLine?.("stderr", `warning: ${message}`);
      return message;
    },
  };
}
