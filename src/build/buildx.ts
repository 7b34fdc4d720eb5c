/**
 * The docker buildx back end: one `docker buildx build` that builds every
 * platform and pushes every tag, with the pushed digest read from its
 * --metadata-file (`containerimage.digest`). Pushes go through `--push`, or
 * through `--output type=image,push=true,registry.insecure=true` when a tag's
 * registry is plain HTTP (loopback or listed), since --push has no insecure
 * switch.
 */
import { join } from "node:path";
import { ReshipError } from "../errors.js";
import { BuildError, builderMissing } from "./errors.js";
import { runChecked, succeeds } from "./exec.js";
import { anyInsecure } from "./insecure.js";
import { checkRequest, dockerfilePath, pairs } from "./request.js";
import { withTempDir } from "./temp.js";
import type { BuilderContext } from "./context.js";
import type { Builder, BuildIo, BuildRequest, BuildResult, Command } from "./types.js";

export interface BuildxCommandOptions {
  /** The docker CLI; default `docker`. */
  readonly dockerCommand?: string;
  /** Where buildx writes its result metadata; omitted = no --metadata-file. */
  readonly metadataFile?: string;
}

/** The argv of the build (one command), in the documented flag order. */
export function buildxCommands(request: BuildRequest, options: BuildxCommandOptions = {}): Command[] {
  const args = ["buildx", "build"];
  if (anyInsecure(request.tags, request.insecureRegistries)) {
    args.push("--output", "type=image,push=true,registry.insecure=true");
  } else {
    args.push("--push");
  }
  if (request.platforms.length > 0) args.push("--platform", request.platforms.join(","));
  const dockerfile = dockerfilePath(request);
  if (dockerfile !== undefined) args.push("--file", dockerfile);
  if (request.target !== undefined) args.push("--target", request.target);
  for (const kv of pairs(request.buildArgs)) args.push("--build-arg", kv);
  for (const kv of pairs(request.labels)) args.push("--label", kv);
  for (const s of request.secrets) args.push("--secret", s);
  for (const c of request.cacheFrom) args.push("--cache-from", c);
  for (const c of request.cacheTo) args.push("--cache-to", c);
  // The `=` form: a value like `false` can never be mistaken for the context argument.
  if (request.provenance !== undefined) args.push(`--provenance=${String(request.provenance)}`);
  if (options.metadataFile !== undefined) args.push("--metadata-file", options.metadataFile);
  for (const t of request.tags) args.push("--tag", t);
  args.push(request.context);
  return [{ command: options.dockerCommand ?? "docker", args }];
}

/** The pushed digest in buildx's --metadata-file JSON (`containerimage.digest`). */
export function parseBuildxMetadata(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ReshipError("BUILD", "buildx metadata file is not JSON", { cause: err });
  }
  const digest =
    typeof parsed === "object" && parsed !== null
      ? (parsed as Record<string, unknown>)["containerimage.digest"]
      : undefined;
  if (typeof digest !== "string" || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new ReshipError(
      "BUILD",
      "buildx metadata file has no containerimage.digest: was the image pushed?",
    );
  }
  return digest;
}

/** docker prints this when the buildx plugin is not installed. */
export function isMissingBuildxPlugin(stderr: readonly string[]): boolean {
  return stderr.some((l) => /'buildx' is not a docker command|unknown command "buildx"/.test(l));
}

export class BuildxBuilder implements Builder {
  readonly name = "buildx" as const;

  constructor(private readonly ctx: BuilderContext) {}

  available(): Promise<boolean> {
    return succeeds(
      this.ctx.runner,
      { command: this.ctx.dockerCommand, args: ["buildx", "version"] },
      this.ctx.quietIo(),
    );
  }

  async build(request: BuildRequest, io?: BuildIo): Promise<BuildResult> {
    checkRequest(request);
    const started = this.ctx.now();
    const digest = await withTempDir(this.ctx.tempDir, async (dir) => {
      const metadataFile = join(dir, "metadata.json");
      const [cmd] = buildxCommands(request, { dockerCommand: this.ctx.dockerCommand, metadataFile });
      if (!cmd) throw new ReshipError("BUILD", "buildx produced no command");
      try {
        await runChecked(this.ctx.runner, cmd, this.ctx.io(io), "docker");
      } catch (err) {
        if (err instanceof BuildError && isMissingBuildxPlugin(err.stderrTail)) {
          throw builderMissing("buildx", "docker buildx is not installed");
        }
        throw err;
      }
      return parseBuildxMetadata(await this.ctx.readFile(metadataFile));
    });
    return {
      builder: this.name,
      digest,
      durationMs: this.ctx.now() - started,
      tags: [...request.tags],
      warnings: [],
    };
  }
}
