/**
 * What every case receives, and the commands of reship and its peers as
 * argument arrays (never a shell).
 */
import type { BenchOptions } from "../lib/options.js";
import type { Step } from "../lib/processes.js";
import { mustRun } from "../lib/processes.js";
import type { Docker, Workload } from "../workload.js";

export interface BenchContext {
  readonly options: BenchOptions;
  /** The repository root, with a trailing slash. */
  readonly root: string;
  /**
   * The bundled CLI the cases run: a copy of dist/cli/bin.js and its chunks
   * taken at start, so a rebuild of dist/ by someone else mid-run changes
   * nothing here.
   */
  readonly cli: string;
  readonly workload: Workload;
  readonly log: (line: string) => void;
}

/** The bundled CLI, as users run it (bin/reship imports the same file). */
export function reship(ctx: BenchContext, args: readonly string[]): Step {
  return { command: process.execPath, args: [ctx.cli, ...args] };
}

/**
 * `skopeo copy` between plain-HTTP registries, every platform of an index,
 * keeping the digest (without --preserve-digests skopeo gzips uncompressed
 * layers on their way to another registry: other bytes, another digest).
 */
export function skopeoCopy(src: string, dst: string): Step {
  return {
    command: "skopeo",
    args: [
      "copy",
      "--quiet",
      "--all",
      "--preserve-digests",
      "--src-tls-verify=false",
      "--dest-tls-verify=false",
      `docker://${src}`,
      `docker://${dst}`,
    ],
  };
}

/** Debian's docker client (BuildKit for builds), talking to the benchmark's dockerd. */
export function docker(d: Docker, args: readonly string[]): Step {
  return { command: "/usr/bin/docker", args, env: { DOCKER_HOST: d.host, DOCKER_BUILDKIT: "1" } };
}

/**
 * Empties the local image store of what came from `registryHost` (and, on a
 * dockerd the benchmark owns, the build cache), so the next pull or build is
 * cold.
 */
export async function coldDockerCache(d: Docker, registryHost: string): Promise<void> {
  const listed = await mustRun(docker(d, ["image", "ls", "--format", "{{.Repository}} {{.ID}}"]));
  const ids = new Set<string>();
  for (const line of listed.stdout.split("\n")) {
    const [repo, id] = line.trim().split(" ");
    if (
      repo !== undefined &&
      id !== undefined &&
      (repo.startsWith(`${registryHost}/`) || (d.own && repo === "<none>"))
    ) {
      ids.add(id);
    }
  }
  if (ids.size > 0) await mustRun(docker(d, ["image", "rm", "--force", ...ids]));
  if (d.own) await mustRun(docker(d, ["builder", "prune", "--all", "--force"]));
}
