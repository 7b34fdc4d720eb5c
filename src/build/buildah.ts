/**
 * The buildah back end, daemonless: `buildah build --manifest LIST` builds
 * every platform into a local manifest list (a single platform too, so both
 * paths push the same way), then `buildah manifest push --all LIST
 * docker://TAG` pushes it under each tag, writing the pushed digest to a
 * --digestfile. The list has a unique name per build and is removed
 * afterwards, since `--manifest` adds to a list that already exists.
 * Storage flags (--storage-driver vfs, --root, --runroot) and --isolation
 * (chroot) come from BuildahOptions, for builds as root without a daemon.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { ReshipError } from "../errors.js";
import { parseCacheSpec, registryCacheRef, unsupportedCache } from "./cache.js";
import { onePushedDigest, runChecked, succeeds } from "./exec.js";
import { isInsecureRegistry } from "../oci/index.js";
import { tagRegistry } from "./insecure.js";
import { checkRequest, dockerfilePath, pairs, wantsProvenance } from "./request.js";
import { withTempDir } from "./temp.js";
import type { BuildahOptions, BuilderContext } from "./context.js";
import type { Builder, BuildIo, BuildRequest, BuildResult, Command } from "./types.js";

export interface BuildahCommandOptions extends BuildahOptions {
  /** The buildah binary; default `buildah`. */
  readonly buildahCommand?: string;
  /** The local manifest list name; must not exist yet. */
  readonly manifest: string;
  /** Where each push writes the pushed digest. */
  readonly digestFile: string;
}

/** Global flags, which buildah takes before the subcommand. */
export function buildahGlobalArgs(options: BuildahOptions): string[] {
  const args: string[] = [];
  if (options.root !== undefined) args.push("--root", options.root);
  if (options.runroot !== undefined) args.push("--runroot", options.runroot);
  if (options.storageDriver !== undefined) args.push("--storage-driver", options.storageDriver);
  return args;
}

/** The build, then one push per tag. */
export function buildahCommands(request: BuildRequest, options: BuildahCommandOptions): Command[] {
  const buildah = options.buildahCommand ?? "buildah";
  const global = buildahGlobalArgs(options);
  const args = [...global, "build"];
  if (request.platforms.length > 0) args.push("--platform", request.platforms.join(","));
  args.push("--manifest", options.manifest);
  if (options.isolation !== undefined) args.push("--isolation", options.isolation);
  const dockerfile = dockerfilePath(request);
  if (dockerfile !== undefined) args.push("--file", dockerfile);
  if (request.target !== undefined) args.push("--target", request.target);
  for (const kv of pairs(request.buildArgs)) args.push("--build-arg", kv);
  for (const kv of pairs(request.labels)) args.push("--label", kv);
  for (const s of request.secrets) args.push("--secret", s);
  const cacheFrom = request.cacheFrom.map(parseCacheSpec).flatMap((s) => registryCacheRef(s) ?? []);
  const cacheTo = request.cacheTo.map(parseCacheSpec).flatMap((s) => registryCacheRef(s) ?? []);
  // buildah reads and writes a layer cache only when it keeps intermediate layers.
  if (cacheFrom.length + cacheTo.length > 0) args.push("--layers");
  for (const ref of cacheFrom) args.push("--cache-from", ref);
  for (const ref of cacheTo) args.push("--cache-to", ref);
  args.push(request.context);

  const pushes = request.tags.map((tag): Command => {
    const push = [...global, "manifest", "push", "--all", "--digestfile", options.digestFile];
    if (isInsecureRegistry(tagRegistry(tag), request.insecureRegistries)) push.push("--tls-verify=false");
    push.push(options.manifest, `docker://${tag}`);
    return { command: buildah, args: push };
  });
  return [{ command: buildah, args }, ...pushes];
}

/** Removes the local manifest list once it is pushed (or the build failed). */
export function buildahCleanupCommand(options: BuildahCommandOptions): Command {
  return {
    command: options.buildahCommand ?? "buildah",
    args: [...buildahGlobalArgs(options), "manifest", "rm", options.manifest],
  };
}

/** What buildahCommands leaves out of a request, one sentence each. */
export function buildahWarnings(request: BuildRequest): string[] {
  const warnings: string[] = [];
  for (const spec of request.cacheFrom.map(parseCacheSpec)) {
    if (registryCacheRef(spec) === undefined) warnings.push(unsupportedCache("buildah", "from", spec));
  }
  for (const spec of request.cacheTo.map(parseCacheSpec)) {
    if (registryCacheRef(spec) === undefined) warnings.push(unsupportedCache("buildah", "to", spec));
  }
  if (wantsProvenance(request)) {
    warnings.push(
      "buildah cannot attach provenance attestations; --provenance ignored (docker buildx supports it)",
    );
  }
  return warnings;
}

/** The digest buildah wrote to its --digestfile. */
export function parseDigestFile(text: string): string {
  const digest = text.trim();
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new ReshipError(
      "BUILD",
      `buildah digest file holds ${JSON.stringify(digest.slice(0, 80))}, not a sha256 digest`,
    );
  }
  return digest;
}

export class BuildahBuilder implements Builder {
  readonly name = "buildah" as const;

  constructor(private readonly ctx: BuilderContext) {}

  available(): Promise<boolean> {
    return succeeds(
      this.ctx.runner,
      { command: this.ctx.buildahCommand, args: ["version"] },
      this.ctx.quietIo(),
    );
  }

  async build(request: BuildRequest, io?: BuildIo): Promise<BuildResult> {
    checkRequest(request);
    const started = this.ctx.now();
    const warnings = buildahWarnings(request).map((w) => this.ctx.warn(io, w));
    const runIo = this.ctx.io(io);
    const digest = await withTempDir(this.ctx.tempDir, async (dir) => {
      const options: BuildahCommandOptions = {
        ...this.ctx.buildah,
        buildahCommand: this.ctx.buildahCommand,
        manifest: `reship-build-${randomUUID()}`,
        digestFile: join(dir, "digest"),
      };
      const [build, ...pushes] = buildahCommands(request, options);
      if (!build) throw new ReshipError("BUILD", "buildah produced no command");
      try {
        await runChecked(this.ctx.runner, build, runIo, "buildah");
        const digests: string[] = [];
        for (const push of pushes) {
          await runChecked(this.ctx.runner, push, runIo, "buildah");
          digests.push(parseDigestFile(await this.ctx.readFile(options.digestFile)));
        }
        return onePushedDigest("buildah", request.tags, digests);
      } finally {
        // Best effort: a list left behind is harmless (its name is unique) but takes space.
        await this.ctx.runner.run(buildahCleanupCommand(options), { env: runIo.env }).catch(() => undefined);
      }
    });
    return {
      builder: this.name,
      digest,
      durationMs: this.ctx.now() - started,
      tags: [...request.tags],
      warnings,
    };
  }
}
