/**
 * The release engine: for each image (concurrently), observe every
 * repository it goes to, decide, and carry the decision out; one report for
 * all. Everything that can be refused without the network (the version, the
 * commit tag, the tags it makes) is checked first, so a bad input writes
 * nothing. A conflict in any repository of an image stops that image before
 * any write. A failed retag falls back to one rebuild, or fails, by policy.
 * A build pushes the commit tag; the version and floating tags are then PUT
 * with the built manifest's exact bytes, floating tags last, while the build
 * is recorded beside the image; a retag of an image reship built reads that
 * record back, while its tags are PUT, to report the build time it avoided.
 */
import { performance } from "node:perf_hooks";
import { ReshipError } from "../errors.js";
import type { ErrorCode } from "../errors.js";
import { formatReference, formatRepository, withTag } from "../oci/index.js";
import type { Digest } from "../oci/index.js";
import type { RegistryClient } from "../registry/index.js";
import type { Builder } from "../build/index.js";
import { buildAndPush } from "./build-push.js";
import type { BuildTarget } from "./build-push.js";
import { lookUpBuildRecord } from "./build-record.js";
import type { BuildRecord } from "./build-record.js";
import { readCommitImage } from "./commit-image.js";
import type { CommitImage } from "./commit-image.js";
import { dryRun } from "./dry-run.js";
import { asReshipError, putTags } from "./execute.js";
import { observeRepository } from "./observe.js";
import type { RepositoryObservation } from "./observe.js";
import type { ImageReport, ReleaseReport, TagReport } from "./report.js";
import type { BuilderChoice, ImageTarget, ReleaseSettings } from "./settings.js";
import { inReadingOrder, keptTags } from "./tag-reports.js";
import { parseVersion, renderCommitTag, versionTags } from "./tags.js";
import type { VersionTags } from "./tags.js";

export interface ReleaseOptions {
  /** release: version tags; build: the commit tag only. */
  readonly mode: "release" | "build";
  readonly settings: ReleaseSettings;
  /** The version to release; required in release mode. */
  readonly version: string | undefined;
  /** The full commit sha (see resolveCommit). */
  readonly commit: string;
  readonly client: RegistryClient;
  /** Called only when something must be built. */
  readonly createBuilder: (
    choice: BuilderChoice,
    platforms: readonly string[],
  ) => Promise<{ builder: Builder; reason: string }>;
  /** org.opencontainers.image.source for built images, e.g. https://github.com/acme/app; default: none. */
  readonly source?: string | undefined;
  /** The builder's output, line by line. Default: dropped. */
  readonly onBuildLine?: (image: string, stream: "stdout" | "stderr", line: string) => void;
  /** Milliseconds clock for durations. Default performance.now. */
  readonly now?: () => number;
  /** Wall clock for the created label. Default new Date(). */
  readonly date?: () => Date;
}

interface Prepared {
  readonly image: ImageTarget;
  readonly tags: VersionTags | undefined;
}

/** Releases (or builds) every image of the settings; throws only for bad input found before any request. */
export async function runRelease(options: ReleaseOptions): Promise<ReleaseReport> {
  const now = options.now ?? (() => performance.now());
  const { settings, mode } = options;
  const commitTag = renderCommitTag(settings.commitTagTemplate, options.commit);
  if (mode === "release" && options.version === undefined)
    throw new ReshipError("USAGE", "reship release needs --version, e.g. --version 1.4.2");
  const version =
    mode === "release" && options.version !== undefined ? parseVersion(options.version) : undefined;
  const prepared: Prepared[] = settings.images.map((image) => ({
    image,
    tags:
      version === undefined
        ? undefined
        : versionTags(version, image.tagRules, { floating: settings.policy.floatingTags }),
  }));
  if (prepared.length === 0) throw new ReshipError("USAGE", "no image to release");
  const started = now();
  const images = await Promise.all(
    prepared.map(async (p): Promise<ImageReport> => {
      const t0 = now();
      try {
        return await releaseImage(options, p, commitTag, now, t0);
      } catch (err) {
        const error = asReshipError(err, p.image.name);
        return {
          image: p.image.name,
          action: "failed",
          reasons: [],
          digest: undefined,
          commitTag,
          tags: [],
          reused: false,
          durationMs: now() - t0,
          error: { code: error.code, message: error.message },
          requests: [],
        };
      }
    }),
  );
  return {
    mode,
    version: options.version,
    commit: options.commit,
    dryRun: settings.dryRun,
    ok: images.every((i) => i.action !== "conflict" && i.action !== "failed"),
    durationMs: now() - started,
    images,
  };
}

async function releaseImage(
  options: ReleaseOptions,
  { image, tags }: Prepared,
  commitTag: string,
  now: () => number,
  t0: number,
): Promise<ImageReport> {
  const { client, settings } = options;
  const observed = await Promise.all(
    image.repositories.map((repository) =>
      observeRepository({
        client,
        repository,
        mode: options.mode,
        commit: options.commit,
        commitTag,
        tags,
        rules: image.tagRules,
        policy: settings.policy,
      }),
    ),
  );
  const multi = observed.length > 1;
  const reasonsOf = (o: RepositoryObservation): string[] =>
    o.decision.reasons.map((r) => (multi ? `${formatRepository(o.repository)}: ${r}` : r));
  const reasons = observed.flatMap(reasonsOf);
  const requests = observed.flatMap((o) => o.reads);
  const base = { image: image.name, commitTag, requests };

  // A conflict anywhere stops the image before any write.
  const conflicts = observed.filter((o) => o.decision.action === "conflict");
  if (conflicts.length > 0) {
    const provenance = conflicts.some(
      (o) => o.decision.action === "conflict" && o.decision.kind === "provenance",
    );
    return {
      ...base,
      action: "conflict",
      reasons,
      digest: undefined,
      tags: conflicts.flatMap((o) =>
        o.decision.action === "conflict"
          ? o.decision.conflicts.map((t) => ({
              ref: formatReference(withTag(o.repository, t.tag)),
              tag: t.tag,
              kind: "version" as const,
              status: "conflict" as const,
              digest: t.digest,
            }))
          : [],
      ),
      reused: false,
      durationMs: now() - t0,
      error: {
        code: provenance ? "PROVENANCE" : "CONFLICT",
        message: conflicts.flatMap(reasonsOf).join("; "),
      },
    };
  }

  const kept = observed.flatMap(keptTags);
  if (settings.dryRun) return dryRun(settings.builder, image, observed, kept, base, reasons, now() - t0);

  // Retag where the commit image can be reused.
  const written: TagReport[] = [];
  const rebuild: BuildTarget[] = [];
  const fallbacks: string[] = [];
  const warnings: string[] = [];
  let avoided: { image: CommitImage; build: BuildRecord | undefined } | undefined;
  let digest: Digest | undefined = observed.find(
    (o) => o.decision.action === "noop" || o.decision.action === "retag",
  )?.observations.commitTag.digest;
  const retagged = await Promise.all(
    observed.map(async (o) => {
      const decision = o.decision;
      if (decision.action !== "retag") return [];
      const source = o.commitImage ?? (await readCommitImage(client, o.repository, decision.digest));
      // Only an image reship built has a record: look it up alongside the PUTs, so it adds no latency.
      const [result, lookup] = await Promise.all([
        putTags(client, o.repository, source.fetched, decision.writes),
        source.buildRecord ? lookUpBuildRecord(client, o.repository, decision.digest) : undefined,
      ]);
      return [{ o, decision, source, result, lookup }];
    }),
  ).then((perRepository) => perRepository.flat());
  let failure: ReshipError | undefined;
  for (const { o, decision, source, result, lookup } of retagged) {
    if (result.error === undefined) {
      written.push(...result.tags);
      if (lookup?.warning !== undefined) warnings.push(lookup.warning);
      avoided ??= { image: source, build: lookup?.record };
      continue;
    }
    const failed = `retag of ${formatRepository(o.repository)} failed: ${result.error.message}`;
    if (settings.policy.onRetagFailure === "fail") {
      written.push(...result.tags);
      fallbacks.push(`${failed}; not rebuilding (on retag failure: fail)`);
      failure ??= result.error;
      continue;
    }
    // The tags that did get written are written again with the rebuilt image.
    fallbacks.push(`${failed}; rebuilding instead (on retag failure: rebuild)`);
    rebuild.push({
      repository: o.repository,
      writes: [{ tag: commitTag, kind: "commit", previous: decision.digest }, ...decision.writes],
    });
  }

  // What every outcome from here reports alike.
  const outcome = (action: ImageReport["action"]): Omit<ImageReport, "durationMs"> => ({
    ...base,
    action,
    reasons,
    digest,
    tags: inReadingOrder([...kept, ...written]),
    reused: action === "retag" || action === "noop",
    ...(fallbacks.length > 0 ? { fallback: fallbacks.join("; ") } : {}),
  });
  const failed = (
    error: { code: ErrorCode; message: string },
    build?: ImageReport["build"],
  ): ImageReport => ({
    ...outcome("failed"),
    ...(build !== undefined ? { build } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    durationMs: now() - t0,
    error,
  });
  if (failure !== undefined) return failed({ code: failure.code, message: fallbacks.join("; ") });

  // Build once for every repository that needs it (and every failed retag).
  const toBuild: BuildTarget[] = [
    ...observed.flatMap((o) =>
      o.decision.action === "build" ? [{ repository: o.repository, writes: o.decision.writes }] : [],
    ),
    ...rebuild,
  ];
  let build: ImageReport["build"];
  if (toBuild.length > 0) {
    const built = await buildAndPush(options, image, tags?.version, commitTag, toBuild);
    build = built.build;
    digest = built.digest;
    written.push(...built.written);
    warnings.push(...built.warnings);
    if (built.error !== undefined) {
      return failed(
        { code: built.error.code, message: `built ${digest}, but ${built.error.message}` },
        build,
      );
    }
  }

  const action = toBuild.length > 0 ? "build" : retagged.length > 0 ? "retag" : "noop";
  return {
    ...outcome(action),
    ...(action === "retag" && avoided !== undefined
      ? {
          avoided: {
            blobs: avoided.image.blobs,
            bytes: avoided.image.bytes,
            platforms: avoided.image.platforms,
            ...(avoided.build !== undefined ? { build: avoided.build } : {}),
          },
        }
      : {}),
    ...(build !== undefined ? { build } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    durationMs: now() - t0,
  };
}
