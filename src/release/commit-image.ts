/**
 * Reading the commit image: its exact manifest bytes (for re-tagging), the
 * revision label of every platform (for provenance) and its layers (for the
 * report of what a retag did not transfer). Only done when the decision needs
 * the label, or when a retag needs the bytes. The same configs say whether
 * reship built the image and recorded the build (build-record.ts).
 *
 * An index's revision is the one label all its platform images agree on;
 * attestation and signature manifests (platform unknown/unknown, or a
 * `vnd.docker.reference.type` annotation) carry no label and are skipped for
 * it, but their blobs count as content a retag did not move.
 */
import { REVISION_LABEL, withDigest } from "../oci/index.js";
import type { Descriptor, Digest, ImageManifest, Repository } from "../oci/index.js";
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
  /** Platforms, e.g. ["linux/amd64", "linux/arm64"]; [] for a single image without platform in its descriptor. */
  readonly platforms: readonly string[];
  /** True when its config (any platform's) carries the build-record label: a record may be looked up. */
  readonly buildRecord: boolean;
}

const DISAGREE = "(platforms disagree)";

const recorded = (labels: Readonly<Record<string, string>>): boolean =>
  labels[BUILD_RECORD_LABEL] === BUILD_RECORD_LABEL_VALUE;

function isAttestation(d: Descriptor): boolean {
  return d.platform?.os === "unknown" || d.annotations?.["vnd.docker.reference.type"] !== undefined;
}

/** Fetches the image at `digest` in `repo`, its children and their configs. */
export async function readCommitImage(
  client: RegistryClient,
  repo: Repository,
  digest: Digest,
): Promise<CommitImage> {
  const fetched = await client.getManifest(withDigest(repo, digest));
  const blobs = new Map<string, number>();
  const addBlobs = (m: ImageManifest): void => {
    for (const d of [m.config, ...m.layers]) blobs.set(d.digest, d.size);
  };
  if (fetched.manifest.kind === "manifest") {
    addBlobs(fetched.manifest);
    const config = await client.getConfig(repo, fetched.manifest.config);
    return {
      fetched,
      revision: config.labels[REVISION_LABEL] ?? fetched.manifest.annotations?.[REVISION_LABEL],
      blobs: blobs.size,
      bytes: sum(blobs),
      platforms: [],
      buildRecord: recorded(config.labels),
    };
  }
  const children = fetched.manifest.manifests;
  const revisions = await Promise.all(
    children.map(async (child) => {
      const sub = await client.getManifest(withDigest(repo, child.digest));
      if (sub.manifest.kind !== "manifest") return undefined;
      addBlobs(sub.manifest);
      if (isAttestation(child)) return undefined;
      const config = await client.getConfig(repo, sub.manifest.config);
      return { revision: config.labels[REVISION_LABEL], buildRecord: recorded(config.labels) };
    }),
  );
  const labels = new Set(revisions.filter((r) => r !== undefined).map((r) => r.revision));
  const indexLabel = fetched.manifest.annotations?.[REVISION_LABEL];
  const revision = labels.size > 1 ? DISAGREE : ([...labels][0] ?? indexLabel);
  return {
    fetched,
    revision,
    blobs: blobs.size,
    bytes: sum(blobs),
    buildRecord: revisions.some((r) => r?.buildRecord === true),
    platforms: children
      .filter((c) => !isAttestation(c) && c.platform !== undefined)
      .map((c) => [c.platform?.os, c.platform?.architecture, c.platform?.variant].filter(Boolean).join("/")),
  };
}

function sum(blobs: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const size of blobs.values()) total += size;
  return total;
}
