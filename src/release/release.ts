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
import type { DecisionPolicy } from "./decide.js";
import { dryRun } from "./dry-run.js";
import { asReshipError, putTags } from "./execute.js";
import { observeRepository } from "./observe.js";
import type { FinalDecision, RepositoryObservation } from "./observe.js";
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
  let prepared: Prepared[];
  if (mode === "release") {
    if (options.version === undefined)
      throw new ReshipError("USAGE", "reship release needs --version, e.g. --version 1.4.2");
    const version = parseVersion(options.version);
    prepared = settings.images.map((image) => ({
      image,
      tags: versionTags(version, image.tagRules, { floating: settings.policy.floatingTags }),
    }));
  } else {
    prepared = settings.images.map((image) => ({ image, tags: undefined }));
  }
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
  const policy: DecisionPolicy = {
    force: settings.policy.force,
    immutableVersions: settings.policy.immutableVersions,
    strictProvenance: settings.policy.strictProvenance,
    rebuild: settings.policy.rebuild,
  };
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
        policy,
      }),
    ),
  );
  const multi = observed.length > 1;
  const where = (o: RepositoryObservation): string => (multi ? `${formatRepository(o.repository)}: ` : "");
  const reasons = observed.flatMap((o) => o.decision.reasons.map((r) => `${where(o)}${r}`));
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
        message: conflicts.flatMap((o) => o.decision.reasons.map((r) => `${where(o)}${r}`)).join("; "),
      },
    };
  }

  const kept = observed.flatMap(keptTags);
  const retags = observed.filter((o) => o.decision.action === "retag");
  const builds = observed.filter((o) => o.decision.action === "build");

  if (settings.dryRun) return dryRun(settings.builder, image, observed, kept, base, reasons, now() - t0);

  // Retag where the commit image can be reused.
  const written: TagReport[] = [];
  const rebuild: BuildTarget[] = [];
  const fallbacks: string[] = [];
  const warnings: string[] = [];
  let avoided: CommitImage | undefined;
  let avoidedBuild: BuildRecord | undefined;
  let failure: ReshipError | undefined;
  let digest: Digest | undefined = observed.find(
    (o) => o.decision.action === "noop" || o.decision.action === "retag",
  )?.observations.commitTag.digest;
  const retagged = await Promise.all(
    retags.map(async (o) => {
      const decision = o.decision as Extract<FinalDecision, { action: "retag" }>;
      const source = o.commitImage ?? (await readCommitImage(client, o.repository, decision.digest));
      // Only an image reship built has a record: look it up alongside the PUTs, so it adds no latency.
      const [result, lookup] = await Promise.all([
        putTags(client, o.repository, source.fetched, decision.writes),
        source.buildRecord ? lookUpBuildRecord(client, o.repository, decision.digest) : undefined,
      ]);
      return { o, decision, source, result, lookup };
    }),
  );
  for (const { o, decision, source, result, lookup } of retagged) {
    if (result.error === undefined) {
      written.push(...result.tags);
      if (lookup?.warning !== undefined) warnings.push(lookup.warning);
      if (avoided === undefined) {
        avoided = source;
        avoidedBuild = lookup?.record;
      }
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
  if (failure !== undefined) {
    return {
      ...base,
      action: "failed",
      reasons,
      digest,
      tags: inReadingOrder([...kept, ...written]),
      reused: false,
      fallback: fallbacks.join("; "),
      durationMs: now() - t0,
      error: { code: failure.code, message: fallbacks.join("; ") },
    };
  }

  // Build once for every repository that needs it (and every failed retag).
  const toBuild: BuildTarget[] = [
    ...builds.map((o) => ({
      repository: o.repository,
      writes: o.decision.action === "build" ? o.decision.writes : [],
    })),
    ...rebuild,
  ];
  let build: ImageReport["build"];
  if (toBuild.length > 0) {
    const outcome = await buildAndPush(options, image, commitTag, toBuild);
    build = outcome.build;
    digest = outcome.digest;
    written.push(...outcome.written);
    warnings.push(...outcome.warnings);
    if (outcome.error !== undefined) {
      return {
        ...base,
        action: "failed",
        reasons,
        digest,
        tags: inReadingOrder([...kept, ...written]),
        reused: false,
        ...(fallbacks.length > 0 ? { fallback: fallbacks.join("; ") } : {}),
        build,
        ...(warnings.length > 0 ? { warnings } : {}),
        durationMs: now() - t0,
        error: { code: outcome.error.code, message: `built ${digest}, but ${outcome.error.message}` },
      };
    }
  }

  const action = toBuild.length > 0 ? "build" : retags.length > 0 ? "retag" : "noop";
  const reusedImage: CommitImage | undefined = avoided;
  return {
    ...base,
    action,
    reasons,
    digest,
    tags: inReadingOrder([...kept, ...written]),
    reused: toBuild.length === 0,
    ...(fallbacks.length > 0 ? { fallback: fallbacks.join("; ") } : {}),
    ...(action === "retag" && reusedImage !== undefined
      ? {
          avoided: {
            blobs: reusedImage.blobs,
            bytes: reusedImage.bytes,
            platforms: reusedImage.platforms,
            ...(avoidedBuild !== undefined ? { build: avoidedBuild } : {}),
          },
        }
      : {}),
    ...(build !== undefined ? { build } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    durationMs: now() - t0,
  };
}
