/**
 * The release decision: a pure function from what was observed in one
 * repository to what to do there, with the reasons in words.
 *
 * Release (`mode: "release"`), in order:
 * 1. A version tag points at a digest other than the commit image's (or there
 *    is no commit image) → `conflict`, unless --force or immutableVersions is
 *    off, which move it.
 * 2. Every version tag already points at the commit image → `noop` ("already
 *    released"), or a `retag` of the floating tags still missing (an
 *    interrupted release completing). No GET is needed for this: HEADs only.
 * 3. No commit image → `build`.
 * 4. The commit image's revision label equals the commit → `retag`.
 * 5. The label names another commit, or there is none → `build`, saying why;
 *    `conflict` (provenance) with strictProvenance.
 * Floating tags a newer release holds are never written (tags.ts).
 *
 * Build (`mode: "build"`, the commit tag only): no commit image, or --rebuild
 * → `build`; label matches → `noop` ("already built"); otherwise as 5.
 *
 * When the answer depends on something not observed yet (the revision label,
 * the repository's tag list) the decision is `observe` with what is needed;
 * the observer fetches it and decides again. So a no-op costs only HEADs.
 */
import type { Digest } from "../oci/index.js";

/** A tag and what it points at now (undefined: absent). */
export interface TagState {
  readonly tag: string;
  readonly digest: Digest | undefined;
}

export interface DecisionPolicy {
  /** --force: move version tags that point at another image. */
  readonly force: boolean;
  /** Policy immutableVersions; when false version tags move as with --force. */
  readonly immutableVersions: boolean;
  /** Fail rather than build when the commit image's provenance does not match. */
  readonly strictProvenance: boolean;
  /** `reship build --rebuild`: build even when the commit image exists. */
  readonly rebuild: boolean;
}

/**
 * What was observed. Every field that can change the decision is required,
 * even where `undefined` (not observed yet) is a legal value.
 */
export interface Observations {
  readonly mode: "release" | "build";
  /** The full commit sha being released. */
  readonly commit: string;
  readonly commitTag: TagState;
  /** The version's own tags (empty in build mode). */
  readonly versionTags: readonly TagState[];
  /** Floating tags this version would take (empty in build mode, for pre-releases, or with floating off). */
  readonly floatingTags: readonly TagState[];
  /** Floating tag → the newer version holding it; undefined: the tag list was not read. */
  readonly heldBack: ReadonlyMap<string, string> | undefined;
  /** The commit image's revision label: undefined = not read; `{ value: undefined }` = the image has none. */
  readonly revision: { readonly value: string | undefined } | undefined;
  readonly policy: DecisionPolicy;
}

export type TagKind = "commit" | "version" | "floating";

/** One tag to write, and what it pointed at before (undefined: new). */
export interface TagWrite {
  readonly tag: string;
  readonly kind: TagKind;
  readonly previous: Digest | undefined;
}

export interface HeldTag {
  readonly tag: string;
  /** The newer version that keeps it. */
  readonly by: string;
}

export type Need = "provenance" | "tags";

export type Decision =
  | {
      readonly action: "noop";
      readonly reasons: readonly string[];
      readonly digest: Digest;
      readonly writes: readonly [];
      readonly held: readonly HeldTag[];
    }
  | {
      readonly action: "conflict";
      readonly kind: "version" | "provenance";
      readonly reasons: readonly string[];
      /** The version tags in the way (empty for a provenance conflict). */
      readonly conflicts: readonly TagState[];
      readonly writes: readonly [];
    }
  | {
      readonly action: "retag";
      readonly reasons: readonly string[];
      /** The commit image's digest, which every written tag gets. */
      readonly digest: Digest;
      /** Version tags first, floating tags last. */
      readonly writes: readonly TagWrite[];
      readonly held: readonly HeldTag[];
    }
  | {
      readonly action: "build";
      readonly reasons: readonly string[];
      /** The commit tag first, then version tags, then floating tags. */
      readonly writes: readonly TagWrite[];
      readonly held: readonly HeldTag[];
    }
  | { readonly action: "observe"; readonly need: readonly Need[] };

const short = (digest: Digest): string => digest.slice(0, 19);

/** Decides what to do in one repository. Pure. */
export function decideRelease(obs: Observations): Decision {
  return obs.mode === "build" ? decideBuild(obs) : decideVersion(obs);
}

function decideBuild(obs: Observations): Decision {
  const { commitTag, policy } = obs;
  const commitWrite: TagWrite = { tag: commitTag.tag, kind: "commit", previous: commitTag.digest };
  if (commitTag.digest === undefined) {
    return build([`no image for commit ${obs.commit.slice(0, 7)} under ${commitTag.tag}`], [commitWrite], []);
  }
  if (policy.rebuild) {
    return build(
      [`--rebuild: building although ${commitTag.tag} exists (${short(commitTag.digest)})`],
      [commitWrite],
      [],
    );
  }
  if (obs.revision === undefined) return { action: "observe", need: ["provenance"] };
  const mismatch = provenanceProblem(obs, obs.revision.value);
  if (mismatch === undefined) {
    return {
      action: "noop",
      reasons: [
        `already built: ${commitTag.tag} → ${short(commitTag.digest)}, its revision label names this commit`,
      ],
      digest: commitTag.digest,
      writes: [],
      held: [],
    };
  }
  if (policy.strictProvenance) return provenanceConflict(mismatch);
  return build([`${mismatch}: not reusing it; building`], [commitWrite], []);
}

function decideVersion(obs: Observations): Decision {
  const { commitTag, policy } = obs;
  const commitDigest = commitTag.digest;
  const mayMove = policy.force || !policy.immutableVersions;
  const reasons: string[] = [];

  // 1. Version tags that point elsewhere.
  const conflicts = obs.versionTags.filter((t) => t.digest !== undefined && t.digest !== commitDigest);
  if (conflicts.length > 0) {
    const where =
      commitDigest === undefined
        ? `there is no image under ${commitTag.tag}`
        : `${commitTag.tag} is ${short(commitDigest)}`;
    const lines = conflicts.map((t) => `${t.tag} already points at ${short(t.digest!)}, and ${where}`);
    if (!mayMove) {
      return {
        action: "conflict",
        kind: "version",
        reasons: [...lines, "a released version does not move: pass --force to move it"],
        conflicts,
        writes: [],
      };
    }
    const why = policy.force ? "--force" : "immutableVersions is off";
    reasons.push(...lines.map((l) => `${l}: ${why}, so it moves`));
  }

  // 2. Already released (every version tag at the commit image).
  if (
    commitDigest !== undefined &&
    conflicts.length === 0 &&
    obs.versionTags.every((t) => t.digest === commitDigest)
  ) {
    const released = `already released: ${obs.versionTags.map((t) => t.tag).join(", ")} → ${short(commitDigest)}`;
    const pending = obs.floatingTags.filter((t) => t.digest !== commitDigest);
    if (pending.length === 0)
      return { action: "noop", reasons: [released], digest: commitDigest, writes: [], held: [] };
    if (obs.heldBack === undefined) return { action: "observe", need: ["tags"] };
    const { writes, held } = floatingWrites(pending, obs.heldBack);
    const heldReasons = held.map((h) => `${h.tag} stays on ${h.by}, a newer version`);
    if (writes.length === 0) {
      return { action: "noop", reasons: [released, ...heldReasons], digest: commitDigest, writes: [], held };
    }
    return {
      action: "retag",
      reasons: [
        released,
        `completing: ${writes.map((w) => w.tag).join(", ")} not written yet`,
        ...heldReasons,
      ],
      digest: commitDigest,
      writes,
      held,
    };
  }

  // What is still unknown and matters from here on.
  const pending = obs.floatingTags.filter((t) => commitDigest === undefined || t.digest !== commitDigest);
  const need: Need[] = [];
  if (commitDigest !== undefined && obs.revision === undefined) need.push("provenance");
  // A rebuild (label not matching) rewrites every floating tag, even those on the old image.
  const mayRebuild = commitDigest === undefined || obs.revision?.value?.trim().toLowerCase() !== obs.commit;
  const floatingInPlay = pending.length > 0 || (mayRebuild && obs.floatingTags.length > 0);
  if (floatingInPlay && obs.heldBack === undefined) need.push("tags");
  if (need.length > 0) return { action: "observe", need };
  const heldBack = obs.heldBack ?? new Map<string, string>();
  const versionWrites = (onlyMissing: boolean): TagWrite[] =>
    obs.versionTags
      .filter((t) => !onlyMissing || t.digest !== commitDigest)
      .map((t) => ({ tag: t.tag, kind: "version" as const, previous: t.digest }));
  const heldReasons = (held: readonly HeldTag[]): string[] =>
    held.map((h) => `${h.tag} stays on ${h.by}, a newer version`);

  // 3. No commit image.
  if (commitDigest === undefined) {
    const { writes, held } = floatingWrites(obs.floatingTags, heldBack);
    return build(
      [
        ...reasons,
        `no image for commit ${obs.commit.slice(0, 7)} under ${commitTag.tag}`,
        ...heldReasons(held),
      ],
      [{ tag: commitTag.tag, kind: "commit", previous: undefined }, ...versionWrites(false), ...writes],
      held,
    );
  }

  // 4. and 5. The commit image exists: reuse it only when its label names this commit.
  const mismatch = provenanceProblem(obs, obs.revision?.value);
  if (mismatch === undefined) {
    const { writes, held } = floatingWrites(pending, heldBack);
    return {
      action: "retag",
      reasons: [
        ...reasons,
        `${commitTag.tag} (${short(commitDigest)}) was built from this commit (revision label): re-tagging it`,
        ...heldReasons(held),
      ],
      digest: commitDigest,
      writes: [...versionWrites(true), ...writes],
      held,
    };
  }
  if (obs.policy.strictProvenance) return provenanceConflict(mismatch);
  // A new build gets a new digest: every tag is written, floating ones already on the old image too.
  const { writes, held } = floatingWrites(obs.floatingTags, heldBack);
  return build(
    [...reasons, `${mismatch}: not reusing it; building`, ...heldReasons(held)],
    [{ tag: commitTag.tag, kind: "commit", previous: commitDigest }, ...versionWrites(false), ...writes],
    held,
  );
}

/** Why the commit image is not this commit's, or undefined when its label matches. */
function provenanceProblem(obs: Observations, revision: string | undefined): string | undefined {
  const image = `${obs.commitTag.tag} (${short(obs.commitTag.digest!)})`;
  if (revision === undefined) return `${image} has no revision label, so it may not be this commit's build`;
  if (revision.trim().toLowerCase() !== obs.commit) {
    return `${image} is labelled with commit ${revision.trim().slice(0, 12)}, not ${obs.commit.slice(0, 12)}`;
  }
  return undefined;
}

function provenanceConflict(mismatch: string): Decision {
  return {
    action: "conflict",
    kind: "provenance",
    reasons: [mismatch, "strict provenance: refusing to reuse or replace it"],
    conflicts: [],
    writes: [],
  };
}

function floatingWrites(
  pending: readonly TagState[],
  heldBack: ReadonlyMap<string, string>,
): { writes: TagWrite[]; held: HeldTag[] } {
  const writes: TagWrite[] = [];
  const held: HeldTag[] = [];
  for (const t of pending) {
    const by = heldBack.get(t.tag);
    if (by !== undefined) held.push({ tag: t.tag, by });
    else writes.push({ tag: t.tag, kind: "floating", previous: t.digest });
  }
  return { writes, held };
}

function build(reasons: string[], writes: TagWrite[], held: readonly HeldTag[]): Decision {
  return { action: "build", reasons, writes, held };
}
