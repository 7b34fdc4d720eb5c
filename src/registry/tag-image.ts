/**
 * Re-tagging inside a registry: the source manifest is fetched once and its
 * exact bytes are PUT under each new tag of the same repository, so the digest
 * is unchanged and no layer moves. A HEAD first makes a tag already at the
 * digest a no-op, and tells a new tag from a moved one.
 */
import { ReshipError } from "../errors.js";
import { type Digest, type Reference, formatReference, formatRepository, withTag } from "../oci/index.js";
import type { RegistryClient } from "./client.js";
import { createLimit } from "./limit.js";
import type { FetchedManifest } from "./manifests.js";

export interface TagResult {
  readonly tag: string;
  readonly reference: Reference;
  readonly digest: Digest;
  /** created: the tag was new; moved: it pointed at `previous`; unchanged: it already had the digest. */
  readonly action: "created" | "moved" | "unchanged";
  readonly previous?: Digest;
}

export interface TagImageOptions {
  /** Tags written at once. Default 8. */
  readonly concurrency?: number;
  /** The source manifest when the caller already fetched it. Default: fetched from `src`. */
  readonly source?: FetchedManifest;
}

/**
 * Puts `src`'s manifest under each tag of `src`'s repository. Every tag is
 * validated before anything is written (INVALID_REFERENCE for a bad one).
 */
export async function tagImage(
  client: RegistryClient,
  src: Reference,
  tags: readonly string[],
  options: TagImageOptions = {},
): Promise<TagResult[]> {
  const targets = tags.map((tag) => withTag(src.repository, tag));
  if (targets.length === 0)
    throw new ReshipError("USAGE", `no tags given for ${formatRepository(src.repository)}`);
  const source = options.source ?? (await client.getManifest(src));
  const { digest, mediaType } = source.descriptor;
  const limit = createLimit(options.concurrency ?? 8);
  return Promise.all(
    targets.map((target) =>
      limit(async (): Promise<TagResult> => {
        const tag = target.tag ?? "";
        // About to write anyway: a HEAD 404 is taken as is (a wrong one costs only a redundant PUT).
        const current = await client.headManifest(target, { confirmNotFound: false });
        if (current?.digest === digest) return { tag, reference: target, digest, action: "unchanged" };
        const written = await client.putManifest(target, source.bytes, mediaType);
        if (written !== digest) {
          throw new ReshipError(
            "DIGEST_MISMATCH",
            `${formatReference(target)} got ${written}, expected ${digest}`,
          );
        }
        return current
          ? { tag, reference: target, digest, action: "moved", previous: current.digest }
          : { tag, reference: target, digest, action: "created" };
      }),
    ),
  );
}
