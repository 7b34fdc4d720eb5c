/**
 * Reading the commit image: its exact manifest bytes (for re-tagging), the
 * revision label of every platform (for provenance) and its blobs (for the
 * report of what a retag did not transfer). Only done when the decision needs
 * the label, or when a retag needs the bytes. The same configs say whether
 * reship built the image and recorded the build (build-record.ts).
 *
 * An index's revision is the one label all its platform images agree on;
 * attestation and signature manifests carry no label and are skipped.
 */
import { REVISION_LABEL, withDigest } from "../oci/index.js";
import type { Digest, Repository } from "../oci/index.js";
import { inspectImage } from "../registry/index.js";
import type { FetchedManifest, RegistryClient } from "../registry/index.js";
import { BUILD_RECORD_LABEL, BUILD_RECORD_LABEL_VALUE } from "./build-record.js";

export interface CommitImage {
  readonly fetched: FetchedManifest;
  /** The revision label; undefined when missing; a marker text when platforms disagree. */
  readonly revision: string | undefined;
  /** Distinct blobs (layers and configs) the image is made of. */
  readonly blobs: number;
  /** Their total size in bytes. */
  readonly bytes: number;
  /** Platforms, e.g. ["linux/amd64", "linux/arm64"]; [] for a single image. */
  readonly platforms: readonly string[];
  /** True when its config (any platform's) carries the build-record label: a record may be looked up. */
  readonly buildRecord: boolean;
}

const DISAGREE = "(platforms disagree)";

/** Fetches the image at `digest` in `repo`, its children and their configs. */
export async function readCommitImage(
  client: RegistryClient,
  repo: Repository,
  digest: Digest,
): Promise<CommitImage> {
  const image = await inspectImage(client, withDigest(repo, digest));
  const labels = new Set(image.platforms.map((p) => p.revision));
  const revision =
    labels.size > 1 ? DISAGREE : (image.revision ?? image.manifest.manifest.annotations?.[REVISION_LABEL]);
  return {
    fetched: image.manifest,
    revision,
    blobs: image.blobs.count,
    bytes: image.blobs.bytes,
    platforms: image.index ? image.platforms.map((p) => p.platform) : [],
    buildRecord: image.platforms.some((p) => p.labels[BUILD_RECORD_LABEL] === BUILD_RECORD_LABEL_VALUE),
  };
}
