/**
 * Observation: gathers what the decision needs from one repository, cheapest
 * first, and asks the pure decision again until it decides. HEAD requests for
 * the commit tag and every target tag come first (free against pull quotas),
 * so a no-op costs no GET; the tag list is read once, only when floating tags
 * are in play; the commit image's manifest and config are read only for its
 * revision label. Every request made is recorded for --dry-run.
 */
import { ReshipError } from "../errors.js";
import { formatReference, formatRepository, withTag } from "../oci/index.js";
import type { Digest, Repository } from "../oci/index.js";
import type { RegistryClient } from "../registry/index.js";
import { readCommitImage } from "./commit-image.js";
import type { CommitImage } from "./commit-image.js";
import { decideRelease } from "./decide.js";
import type { Decision, DecisionPolicy, Observations, TagState } from "./decide.js";
import { heldBackFloatingTags } from "./tags.js";
import type { TagRules, VersionTags } from "./tags.js";

/** A decision that was reached (not "observe"). */
export type FinalDecision = Exclude<Decision, { action: "observe" }>;

export interface ObserveOptions {
  readonly client: RegistryClient;
  readonly repository: Repository;
  readonly mode: "release" | "build";
  readonly commit: string;
  readonly commitTag: string;
  /** The version's tags (release mode); undefined in build mode. */
  readonly tags: VersionTags | undefined;
  readonly rules: TagRules;
  readonly policy: DecisionPolicy;
}

export interface RepositoryObservation {
  readonly repository: Repository;
  readonly observations: Observations;
  readonly decision: FinalDecision;
  /** Set when the commit image was read (for its label). */
  readonly commitImage: CommitImage | undefined;
  /** The requests made, e.g. `HEAD ghcr.io/acme/app:1.4.2`. */
  readonly reads: readonly string[];
}

export async function observeRepository(options: ObserveOptions): Promise<RepositoryObservation> {
  const { client, repository, tags } = options;
  const reads: string[] = [];
  // A HEAD 404 is taken at its word (no confirming GET), so a release costs
  // HEADs only; the tag list, when read, double-checks the version tags below.
  const head = async (tag: string, confirmNotFound = false): Promise<TagState> => {
    const ref = withTag(repository, tag);
    reads.push(`${confirmNotFound ? "HEAD+GET" : "HEAD"} ${formatReference(ref)}`);
    const descriptor = await client.headManifest(ref, { confirmNotFound });
    return { tag, digest: descriptor?.digest };
  };
  const [commitTag, versionTags, floatingTags] = await Promise.all([
    head(options.commitTag),
    Promise.all((tags?.exact ?? []).map((t) => head(t))),
    Promise.all((tags?.floating ?? []).map((t) => head(t))),
  ]);
  let observations: Observations = {
    mode: options.mode,
    commit: options.commit,
    commitTag,
    versionTags,
    floatingTags,
    heldBack: undefined,
    revision: undefined,
    policy: options.policy,
  };
  let commitImage: CommitImage | undefined;
  // The decision asks for at most the label and the tag list, each once.
  for (let round = 0; ; round++) {
    const decision = decideRelease(observations);
    if (decision.action !== "observe") return { repository, observations, decision, commitImage, reads };
    if (round > 1) {
      throw new ReshipError(
        "RELEASE",
        `the release decision for ${formatRepository(repository)} kept asking for ${decision.need.join(", ")}`,
      );
    }
    const [listed, image] = await Promise.all([
      decision.need.includes("tags") && tags !== undefined ? listHeldBack(options, tags, reads) : undefined,
      decision.need.includes("provenance") && commitTag.digest !== undefined
        ? readImage(options, commitTag.digest, reads)
        : undefined,
    ]);
    if (image !== undefined) commitImage = image;
    // Some registries answer HEAD 404 for a tag that exists: a version tag the
    // list names but HEAD did not find is asked again with a GET, so an
    // immutable version is never overwritten on a HEAD's word.
    const versionTags =
      listed === undefined
        ? observations.versionTags
        : await Promise.all(
            observations.versionTags.map((t) =>
              t.digest === undefined && listed.existing.includes(t.tag)
                ? head(t.tag, true)
                : Promise.resolve(t),
            ),
          );
    observations = {
      ...observations,
      versionTags,
      heldBack:
        listed?.heldBack ?? observations.heldBack ?? (decision.need.includes("tags") ? new Map() : undefined),
      revision: image !== undefined ? { value: image.revision } : observations.revision,
    };
  }
}

async function listHeldBack(
  options: ObserveOptions,
  tags: VersionTags,
  reads: string[],
): Promise<{ heldBack: ReadonlyMap<string, string>; existing: readonly string[] }> {
  reads.push(`GET ${formatRepository(options.repository)} tags/list`);
  const existing = await options.client.listTags(options.repository);
  return { heldBack: heldBackFloatingTags(tags, options.rules, existing), existing };
}

async function readImage(options: ObserveOptions, digest: Digest, reads: string[]): Promise<CommitImage> {
  reads.push(
    `GET ${formatRepository(options.repository)}@${digest} (manifest, platforms and config for the revision label)`,
  );
  return readCommitImage(options.client, options.repository, digest);
}
