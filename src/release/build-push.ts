/**
 * The build path: one build of an image for every repository that needs it,
 * labelled with its commit (and version, source, created time), pushed under
 * the commit tag; then the version and floating tags are PUT with the built
 * manifest's exact bytes while the build is recorded beside the image
 * (build-record.ts), so a later retag can report the build time it avoided.
 */
import { ReshipError } from "../errors.js";
import {
  formatReference,
  isDigest,
  withDigest,
  withTag,
  CREATED_LABEL,
  REVISION_LABEL,
  SOURCE_LABEL,
} from "../oci/index.js";
import type { Digest, Repository } from "../oci/index.js";
import type { BuildResult } from "../build/index.js";
import { BUILD_RECORD_LABEL, BUILD_RECORD_LABEL_VALUE, writeBuildRecord } from "./build-record.js";
import type { BuildRecord } from "./build-record.js";
import type { TagWrite } from "./decide.js";
import { putTags, report as tagReport } from "./execute.js";
import type { ReleaseOptions } from "./release.js";
import type { ImageReport, TagReport } from "./report.js";
import type { ImageTarget } from "./settings.js";
import type { ReleaseVersion } from "./tags.js";

export const VERSION_LABEL = "org.opencontainers.image.version";

/** A repository to build for, with the tags to write there. */
export interface BuildTarget {
  readonly repository: Repository;
  readonly writes: readonly TagWrite[];
}

export interface BuildOutcome {
  readonly build: NonNullable<ImageReport["build"]>;
  readonly digest: Digest;
  readonly written: readonly TagReport[];
  readonly warnings: readonly string[];
  /** A tag PUT that failed after the build was pushed. */
  readonly error: ReshipError | undefined;
}

/**
 * Builds `image` once, pushes it to every target, then writes each target's
 * other tags. `version` (release mode) becomes the image's version label.
 */
export async function buildAndPush(
  options: ReleaseOptions,
  image: ImageTarget,
  version: ReleaseVersion | undefined,
  commitTag: string,
  targets: readonly BuildTarget[],
): Promise<BuildOutcome> {
  const { client } = options;
  const built = await buildOnce(
    options,
    image,
    version,
    commitTag,
    targets.map((t) => t.repository),
  );
  const durationMs = Math.round(built.result.durationMs);
  const record: BuildRecord = {
    builder: built.result.builder,
    durationMs,
    recorded: (options.date?.() ?? new Date()).toISOString(),
  };
  const pushes = await Promise.all(
    targets.map(async ({ repository, writes }) => {
      const commitWrite = writes.find((w) => w.kind === "commit") ?? {
        tag: commitTag,
        kind: "commit" as const,
        previous: undefined,
      };
      const rest = writes.filter((w) => w.kind !== "commit");
      const source = await client.getManifest(withDigest(repository, built.digest));
      const [result, warning] = await Promise.all([
        rest.length > 0 ? putTags(client, repository, source, rest) : { tags: [], error: undefined },
        writeBuildRecord(client, repository, source.descriptor, record),
      ]);
      return {
        tags: [tagReport(repository, commitWrite, "written", built.digest), ...result.tags],
        error: result.error,
        warning,
      };
    }),
  );
  return {
    build: { builder: built.result.builder, reason: built.reason, durationMs },
    digest: built.digest,
    written: pushes.flatMap((p) => p.tags),
    warnings: pushes.flatMap((p) => (p.warning !== undefined ? [p.warning] : [])),
    error: pushes.find((p) => p.error !== undefined)?.error,
  };
}

/** One build of `image`, pushed under the commit tag to each of `repositories`. */
async function buildOnce(
  options: ReleaseOptions,
  image: ImageTarget,
  version: ReleaseVersion | undefined,
  commitTag: string,
  repositories: readonly Repository[],
): Promise<{ result: BuildResult; reason: string; digest: Digest }> {
  const { builder, reason } = await options.createBuilder(options.settings.builder, image.platforms);
  const labels: Record<string, string> = {
    [REVISION_LABEL]: options.commit,
    [CREATED_LABEL]: (options.date?.() ?? new Date()).toISOString(),
    // Tells a later release that this build is recorded beside the image (build-record.ts).
    [BUILD_RECORD_LABEL]: BUILD_RECORD_LABEL_VALUE,
  };
  if (version !== undefined) labels[VERSION_LABEL] = version.version;
  if (options.source !== undefined) labels[SOURCE_LABEL] = options.source;
  const result = await builder.build(
    {
      context: image.context,
      dockerfile: image.dockerfile,
      platforms: image.platforms,
      ...(image.target !== undefined ? { target: image.target } : {}),
      buildArgs: image.buildArgs,
      labels,
      secrets: options.settings.secrets,
      cacheFrom: options.settings.cacheFrom,
      cacheTo: options.settings.cacheTo,
      tags: repositories.map((r) => formatReference(withTag(r, commitTag))),
      insecureRegistries: options.settings.insecureRegistries,
    },
    { onLine: (stream, line) => options.onBuildLine?.(image.name, stream, line) },
  );
  if (!isDigest(result.digest)) {
    throw new ReshipError(
      "BUILD",
      `${result.builder} reported "${result.digest}" as the pushed digest, which is not a digest`,
    );
  }
  return { result, reason, digest: result.digest };
}
