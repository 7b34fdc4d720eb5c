/**
 * Pushing a referrer (distribution spec 1.1, "Pushing Manifests with
 * Subject"): an artifact manifest whose `subject` is an image, pushed by
 * digest. A registry with the referrers API says it indexed the subject with
 * an `OCI-Subject` header on the PUT; without that header (distribution 2.8
 * among others) the client keeps the referrers tag schema up to date itself:
 * GET the index under `<alg>-<hex>` (none: start empty), add the artifact's
 * descriptor unless it is listed, PUT the index back under that tag.
 *
 * Two clients updating the same tag at once can lose an entry: the spec
 * leaves that to clients, and a registry with the referrers API avoids it.
 */
import { Readable } from "node:stream";
import { ReshipError } from "../errors.js";
import {
  type ArtifactSpec,
  type Descriptor,
  EMPTY_DESCRIPTOR,
  EMPTY_JSON,
  OCI_INDEX,
  OCI_MANIFEST,
  type Repository,
  addReferrer,
  artifactManifest,
  formatReference,
  referrerDescriptor,
  withDigest,
  withTag,
} from "../oci/index.js";
import { headBlob } from "./blobs.js";
import { computeDigest } from "./digester.js";
import { fetchManifest, putManifest, putManifestResult } from "./manifests.js";
import { referrersTag } from "./referrers.js";
import type { Transport } from "./transport/index.js";
import { uploadBlob } from "./upload.js";

export interface PushedReferrer {
  /** The artifact manifest's entry in the referrers list. */
  readonly descriptor: Descriptor;
  /** How the registry learnt of it: its referrers API, or the `<alg>-<hex>` tag reship maintained. */
  readonly via: "referrers-api" | "tag-schema";
}

/** Pushes `artifact` (about `artifact.subject`) to `repo` and makes it listed among the subject's referrers. */
export async function pushReferrer(
  transport: Transport,
  repo: Repository,
  artifact: ArtifactSpec,
): Promise<PushedReferrer> {
  // The empty blob is the artifact's config and layer: the registry checks both exist.
  if ((await headBlob(transport, repo, EMPTY_DESCRIPTOR.digest)) === undefined) {
    await uploadBlob(transport, repo, EMPTY_DESCRIPTOR.digest, EMPTY_DESCRIPTOR.size, () =>
      Readable.from([Buffer.from(EMPTY_JSON)]),
    );
  }
  const bytes = Buffer.from(artifactManifest(artifact));
  const digest = computeDigest(bytes);
  const pushed = await putManifestResult(transport, withDigest(repo, digest), bytes, OCI_MANIFEST);
  const descriptor = referrerDescriptor({ mediaType: OCI_MANIFEST, digest, size: bytes.length }, artifact);
  if (pushed.subject === artifact.subject.digest) return { descriptor, via: "referrers-api" };

  const tag = withTag(repo, referrersTag(artifact.subject.digest));
  const current = await fetchManifest(transport, tag);
  if (current !== undefined && current.manifest.kind !== "index") {
    throw new ReshipError(
      "REGISTRY",
      `${formatReference(tag)} is a ${current.manifest.mediaType}, not the referrers index: left as it is`,
    );
  }
  const index = addReferrer(current?.bytes, descriptor);
  if (index !== undefined) await putManifest(transport, tag, Buffer.from(index), OCI_INDEX);
  return { descriptor, via: "tag-schema" };
}
