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
import {
  formatReference,
  formatRepository,
  isDigest,
  withDigest,
  withTag,
  CREATED_LABEL,
  REVISION_LABEL,
  SOURCE_LABEL,
} from "../oci/index.js";
import type { Digest, Repository } from "../oci/index.js";
import type { RegistryClient } from "../registry/index.js";
import type { Builder, BuildResult } from "../build/index.js";
import {
  BUILD_RECORD_LABEL,
  BUILD_RECORD_LABEL_VALUE,
  lookUpBuildRecord,
  writeBuildRecord,
} from "./build-record.js";
import type { BuildRecord } from "./build-record.js";
import { readCommitImage } from "./commit-image.js";
import type { CommitImage } from "./commit-image.js";
import type { DecisionPolicy, TagWrite } from "./decide.js";
import { asReshipError, putTags, report as tagReport } from "./execute.js";
import { observeRepository } from "./observe.js";
import type { FinalDecision, RepositoryObservation } from "./observe.js";
import type { ImageReport, ReleaseReport, TagReport } from "./report.js";
import type { BuilderChoice, ImageTarget, ReleaseSettings } from "./settings.js";
import { parseVersion, renderCommitTag, versionTags } from "./tags.js";
import type { VersionTags } from "./tags.js";

export const VERSION_LABEL = "org.opencontainers.image.version";

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

  if (settings.dryRun) return dryRun(options, image, observed, kept, base, reasons, now() - t0);

  // Retag where the commit image can be reused.
  const written: TagReport[] = [];
  const rebuild: { repository: Repository; writes: TagWrite[] }[] = [];
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
      tags: [...kept, ...written],
      reused: false,
      fallback: fallbacks.join("; "),
      durationMs: now() - t0,
      error: { code: failure.code, message: fallbacks.join("; ") },
    };
  }

  // Build once for every repository that needs it (and every failed retag).
  const toBuild = [
    ...builds.map((o) => ({
      repository: o.repository,
      writes: o.decision.action === "build" ? [...o.decision.writes] : [],
    })),
    ...rebuild,
  ];
  let build: ImageReport["build"];
  if (toBuild.length > 0) {
    const built = await buildOnce(
      options,
      image,
      commitTag,
      toBuild.map((b) => b.repository),
    );
    const durationMs = Math.round(built.result.durationMs);
    build = { builder: built.result.builder, reason: built.reason, durationMs };
    digest = built.digest;
    const record: BuildRecord = {
      builder: built.result.builder,
      durationMs,
      recorded: (options.date?.() ?? new Date()).toISOString(),
    };
    const pushes = await Promise.all(
      toBuild.map(async ({ repository, writes }) => {
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
    for (const p of pushes) {
      written.push(...p.tags);
      if (p.warning !== undefined) warnings.push(p.warning);
    }
    const error = pushes.find((p) => p.error !== undefined)?.error;
    if (error !== undefined) {
      return {
        ...base,
        action: "failed",
        reasons,
        digest,
        tags: [...kept, ...written],
        reused: false,
        ...(fallbacks.length > 0 ? { fallback: fallbacks.join("; ") } : {}),
        build,
        ...(warnings.length > 0 ? { warnings } : {}),
        durationMs: now() - t0,
        error: { code: error.code, message: `built ${built.digest}, but ${error.message}` },
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
    tags: [...kept, ...written],
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

/** The tags an observation found already right: unchanged, or held by a newer version. */
function keptTags(o: RepositoryObservation): TagReport[] {
  const { observations, decision } = o;
  const current = observations.commitTag.digest;
  if (decision.action === "conflict" || decision.action === "build") {
    return decision.action === "build" ? heldTags(o) : [];
  }
  const writes = new Set(decision.writes.map((w) => w.tag));
  const unchanged = [
    ...(observations.mode === "build" ? [{ ...observations.commitTag, kind: "commit" as const }] : []),
    ...observations.versionTags.map((t) => ({ ...t, kind: "version" as const })),
    ...observations.floatingTags.map((t) => ({ ...t, kind: "floating" as const })),
  ].filter((t) => t.digest !== undefined && t.digest === current && !writes.has(t.tag));
  return [
    ...unchanged.map((t) =>
      tagReport(o.repository, { tag: t.tag, kind: t.kind, previous: undefined }, "unchanged", t.digest),
    ),
    ...heldTags(o),
  ];
}

function heldTags(o: RepositoryObservation): TagReport[] {
  if (o.decision.action === "conflict") return [];
  return o.decision.held.map((h) => ({
    ...tagReport(
      o.repository,
      { tag: h.tag, kind: "floating", previous: undefined },
      "held",
      o.observations.floatingTags.find((t) => t.tag === h.tag)?.digest,
    ),
    heldBy: h.by,
  }));
}

/** --dry-run: the decision and the exact writes it would make; nothing is written. */
function dryRun(
  options: ReleaseOptions,
  image: ImageTarget,
  observed: readonly RepositoryObservation[],
  kept: readonly TagReport[],
  base: { image: string; commitTag: string; requests: readonly string[] },
  reasons: readonly string[],
  durationMs: number,
): ImageReport {
  const planned: TagReport[] = [];
  const writes: string[] = [];
  const buildRepos = observed.filter((o) => o.decision.action === "build");
  if (buildRepos.length > 0) {
    const refs = buildRepos.map((o) => formatReference(withTag(o.repository, base.commitTag)));
    const platforms = image.platforms.length > 0 ? image.platforms.join(",") : "the builder's platform";
    writes.push(
      `BUILD ${image.context} (${image.dockerfile}, ${platforms}) with builder ${options.settings.builder}, push ${refs.join(", ")}`,
    );
  }
  for (const o of observed) {
    const d = o.decision;
    if (d.action !== "retag" && d.action !== "build") continue;
    for (const w of d.writes) {
      const ref = formatReference(withTag(o.repository, w.tag));
      planned.push(tagReport(o.repository, w, "planned", d.action === "retag" ? d.digest : undefined));
      if (d.action === "build" && w.kind === "commit") continue;
      const what = d.action === "retag" ? `the exact bytes of ${d.digest}` : "the built manifest";
      writes.push(`PUT ${ref} (${what})`);
    }
  }
  const retag = observed.find((o) => o.decision.action === "retag");
  const action = buildRepos.length > 0 ? "build" : retag !== undefined ? "retag" : "noop";
  const digest = observed.find((o) => o.decision.action !== "build")?.observations.commitTag.digest;
  const source = retag?.commitImage;
  return {
    ...base,
    action,
    reasons,
    digest: action === "build" ? undefined : digest,
    tags: [...kept, ...planned],
    reused: action !== "build",
    ...(action === "retag" && source !== undefined
      ? { avoided: { blobs: source.blobs, bytes: source.bytes, platforms: source.platforms } }
      : {}),
    durationMs,
    requests: [...base.requests, ...(writes.length > 0 ? writes : ["(no writes)"])],
  };
}

/** One build of `image`, pushed under the commit tag to each of `repositories`. */
async function buildOnce(
  options: ReleaseOptions,
  image: ImageTarget,
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
  if (options.mode === "release" && options.version !== undefined) {
    labels[VERSION_LABEL] = parseVersion(options.version).version;
  }
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
