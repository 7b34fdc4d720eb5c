/**
 * Carrying a decision out: manifest PUTs of the exact bytes (the digest never
 * changes, an index keeps every platform and attestation). Tags
 * of one kind are written concurrently; version tags before floating ones, so
 * a release cut short never leaves `latest` ahead of the version it names.
 */
import { ReshipError, isReshipError } from "../errors.js";
import { formatReference, withTag } from "../oci/index.js";
import type { Digest, Repository } from "../oci/index.js";
import type { FetchedManifest, RegistryClient } from "../registry/index.js";
import type { TagWrite } from "./decide.js";
import type { TagReport } from "./report.js";

export interface PutTagsResult {
  readonly tags: readonly TagReport[];
  /** The first failure, when any tag could not be written. */
  readonly error: ReshipError | undefined;
}

/** Writes `source`'s exact bytes under each tag of `writes` in `repository`. Never throws for a failed PUT. */
export async function putTags(
  client: RegistryClient,
  repository: Repository,
  source: FetchedManifest,
  writes: readonly TagWrite[],
): Promise<PutTagsResult> {
  const reports: TagReport[] = [];
  let error: ReshipError | undefined;
  const groups = [writes.filter((w) => w.kind !== "floating"), writes.filter((w) => w.kind === "floating")];
  for (const group of groups) {
    if (error !== undefined) {
      // Floating tags wait for the version tags: never point latest at a release that did not complete.
      for (const w of group) reports.push(report(repository, w, "failed", undefined));
      continue;
    }
    const outcomes = await Promise.allSettled(group.map((w) => putOne(client, repository, source, w)));
    outcomes.forEach((outcome, i) => {
      const w = group[i]!;
      if (outcome.status === "fulfilled") {
        reports.push(report(repository, w, "written", outcome.value));
      } else {
        reports.push(report(repository, w, "failed", w.previous));
        error ??= asReshipError(outcome.reason, `writing ${formatReference(withTag(repository, w.tag))}`);
      }
    });
  }
  return { tags: reports, error };
}

async function putOne(
  client: RegistryClient,
  repository: Repository,
  source: FetchedManifest,
  write: TagWrite,
): Promise<Digest> {
  const ref = withTag(repository, write.tag);
  const digest = await client.putManifest(ref, source.bytes, source.descriptor.mediaType);
  if (digest !== source.descriptor.digest) {
    throw new ReshipError(
      "DIGEST_MISMATCH",
      `${formatReference(ref)}: the registry stored ${digest}, not ${source.descriptor.digest}`,
    );
  }
  return digest;
}

export function report(
  repository: Repository,
  write: TagWrite,
  status: TagReport["status"],
  digest: Digest | undefined,
): TagReport {
  return {
    ref: formatReference(withTag(repository, write.tag)),
    tag: write.tag,
    kind: write.kind,
    status,
    digest,
    ...(write.previous !== undefined ? { previous: write.previous } : {}),
  };
}

export function asReshipError(err: unknown, doing: string): ReshipError {
  if (isReshipError(err)) return err;
  return new ReshipError("RELEASE", `${doing}: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}
