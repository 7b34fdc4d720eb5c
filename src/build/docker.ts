/**
 * The docker back end: `docker build` with BuildKit (DOCKER_BUILDKIT=1) for one
 * platform, then `docker push` of each tag; the digest comes from the push
 * output (`TAG: digest: sha256:... size: N`). docker build can read registry
 * cache and write the inline cache (BUILDKIT_INLINE_CACHE=1) but exports no
 * other cache and no provenance: those are ignored with a warning. Plain-HTTP
 * pushes are the daemon's business (it treats 127.0.0.0/8 as insecure; other
 * hosts need its insecure-registries setting).
 */
import { ReshipError } from "../errors.js";
import { isInlineCache, parseCacheSpec, registryCacheRef, unsupportedCache } from "./cache.js";
import { onePushedDigest, runChecked, succeeds } from "./exec.js";
import { isInsecureRegistry, isLoopback } from "../oci/index.js";
import { tagRegistry } from "./insecure.js";
import { checkRequest, dockerfilePath, pairs, wantsProvenance } from "./request.js";
import type { BuilderContext } from "./context.js";
import type { Builder, BuildIo, BuildRequest, BuildResult, Command } from "./types.js";

export interface DockerCommandOptions {
  /** The docker CLI; default `docker`. */
  readonly dockerCommand?: string;
}

/** Refuses what docker build cannot do at all: more than one platform. */
function checkPlatforms(request: BuildRequest): void {
  if (request.platforms.length > 1) {
    throw new ReshipError(
      "USAGE",
      `the docker builder builds one platform, not ${request.platforms.join(",")}: use --builder buildx or --builder buildah for a multi-platform image`,
    );
  }
}

/** The build, then one push per tag. */
export function dockerCommands(request: BuildRequest, options: DockerCommandOptions = {}): Command[] {
  checkPlatforms(request);
  const docker = options.dockerCommand ?? "docker";
  const args = ["build"];
  const platform = request.platforms[0];
  if (platform !== undefined) args.push("--platform", platform);
  const dockerfile = dockerfilePath(request);
  if (dockerfile !== undefined) args.push("--file", dockerfile);
  if (request.target !== undefined) args.push("--target", request.target);
  for (const kv of pairs(request.buildArgs)) args.push("--build-arg", kv);
  if (request.cacheTo.map(parseCacheSpec).some(isInlineCache))
    args.push("--build-arg", "BUILDKIT_INLINE_CACHE=1");
  for (const kv of pairs(request.labels)) args.push("--label", kv);
  for (const s of request.secrets) args.push("--secret", s);
  for (const spec of request.cacheFrom.map(parseCacheSpec)) {
    const ref = registryCacheRef(spec);
    if (ref !== undefined) args.push("--cache-from", ref);
  }
  for (const t of request.tags) args.push("--tag", t);
  args.push(request.context);
  const build: Command = { command: docker, args, env: { DOCKER_BUILDKIT: "1" } };
  return [build, ...request.tags.map((t): Command => ({ command: docker, args: ["push", t] }))];
}

/** What dockerCommands leaves out of a request, one sentence each. */
export function dockerWarnings(request: BuildRequest): string[] {
  const warnings: string[] = [];
  for (const spec of request.cacheFrom.map(parseCacheSpec)) {
    if (registryCacheRef(spec) === undefined) warnings.push(unsupportedCache("docker build", "from", spec));
  }
  for (const spec of request.cacheTo.map(parseCacheSpec)) {
    if (!isInlineCache(spec)) warnings.push(unsupportedCache("docker build", "to", spec));
  }
  if (wantsProvenance(request)) {
    warnings.push(
      "docker build cannot attach provenance attestations; --provenance ignored (docker buildx supports it)",
    );
  }
  // The daemon, not the client, decides how it reaches a registry.
  const listed = new Set(
    request.tags
      .map(tagRegistry)
      .filter((r) => !isLoopback(r) && isInsecureRegistry(r, request.insecureRegistries)),
  );
  for (const registry of listed) {
    warnings.push(
      `docker pushes to ${registry} over plain HTTP only if the daemon lists it in insecure-registries`,
    );
  }
  return warnings;
}

const pushDigestLine = /(?:^|\s)digest: (sha256:[0-9a-f]{64}) size: \d+/;

/** The digest `docker push` reports (`TAG: digest: sha256:... size: N`), from its output lines. */
export function parsePushDigest(lines: readonly string[]): string {
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = pushDigestLine.exec(lines[i] ?? "");
    if (match?.[1] !== undefined) return match[1];
  }
  throw new ReshipError("BUILD", "docker push printed no digest line (`digest: sha256:... size: N`)");
}

export class DockerBuilder implements Builder {
  readonly name = "docker" as const;

  constructor(private readonly ctx: BuilderContext) {}

  available(): Promise<boolean> {
    // `version` exits non-zero when no daemon answers, which is what "available" needs.
    return succeeds(
      this.ctx.runner,
      { command: this.ctx.dockerCommand, args: ["version", "--format", "{{.Server.Version}}"] },
      this.ctx.quietIo(),
    );
  }

  async build(request: BuildRequest, io?: BuildIo): Promise<BuildResult> {
    checkRequest(request);
    const started = this.ctx.now();
    const [build, ...pushes] = dockerCommands(request, { dockerCommand: this.ctx.dockerCommand });
    if (!build) throw new ReshipError("BUILD", "docker produced no command");
    const warnings = dockerWarnings(request).map((w) => this.ctx.warn(io, w));
    await runChecked(this.ctx.runner, build, this.ctx.io(io), "docker");

    const digests: string[] = [];
    for (const push of pushes) {
      const stdout: string[] = [];
      const base = this.ctx.io(io);
      const pushIo: BuildIo = {
        ...base,
        // Every stdout line is scanned: the digest line need not be within the kept tail.
        onLine: (stream, line) => {
          if (stream === "stdout") stdout.push(line);
          base.onLine?.(stream, line);
        },
      };
      await runChecked(this.ctx.runner, push, pushIo, "docker");
      digests.push(parsePushDigest(stdout));
    }
    return {
      builder: this.name,
      digest: onePushedDigest("docker", request.tags, digests),
      durationMs: this.ctx.now() - started,
      tags: [...request.tags],
      warnings,
    };
  }
}
