/**
 * Artifacts that refer to an image (OCI image spec 1.1, "Guidelines for
 * Artifact Usage"; distribution spec 1.1, "Pushing Manifests with Subject"):
 * an image manifest whose `artifactType` names what it is, whose `subject` is
 * the image it is about, and whose data lives in its annotations. Such an
 * artifact has no config and no content, so both are the empty descriptor
 * (the 2-byte `{}` blob): the spec asks for at least one layer, and suggests
 * the empty descriptor for it. Keeping the data in annotations means a reader
 * finds it in the referrers list itself, with no further request.
 *
 * Also the referrers tag schema's index: adding an artifact's descriptor to
 * the index a registry without the referrers API keeps under `<alg>-<hex>`.
 */
import { ReshipError } from "../errors.js";
import { type Descriptor, parseDescriptor } from "./descriptor.js";
import type { Digest } from "./digest.js";
import { isRecord } from "./json.js";
import { OCI_EMPTY, OCI_INDEX, OCI_MANIFEST } from "./media-types.js";

/** The empty JSON blob `{}` (image spec, "Guidance for an Empty Descriptor"). */
export const EMPTY_JSON: Uint8Array = new TextEncoder().encode("{}");

export const EMPTY_DESCRIPTOR: Descriptor = {
  mediaType: OCI_EMPTY,
  digest: "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a" as Digest,
  size: 2,
};

export interface ArtifactSpec {
  /** The artifact's type, e.g. application/vnd.example.record.v1+json. */
  readonly artifactType: string;
  /** The manifest it is about. */
  readonly subject: Descriptor;
  /** Its data. */
  readonly annotations: Readonly<Record<string, string>>;
}

const subjectOf = (d: Descriptor): Descriptor => ({ mediaType: d.mediaType, digest: d.digest, size: d.size });

/** The artifact's image manifest, as the bytes to push (the digest is theirs). */
export function artifactManifest(spec: ArtifactSpec): Uint8Array {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: spec.artifactType,
    config: EMPTY_DESCRIPTOR,
    layers: [EMPTY_DESCRIPTOR],
    subject: subjectOf(spec.subject),
    annotations: spec.annotations,
  };
  return new TextEncoder().encode(JSON.stringify(manifest));
}

/**
 * The artifact's entry in a referrers list: its manifest's descriptor with
 * the artifactType and every annotation copied, as the spec requires.
 */
export function referrerDescriptor(manifest: Descriptor, spec: ArtifactSpec): Descriptor {
  return {
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: manifest.size,
    artifactType: spec.artifactType,
    annotations: { ...spec.annotations },
  };
}

function invalid(message: string): ReshipError {
  return new ReshipError("INVALID_MANIFEST", `referrers index: ${message}`);
}

/**
 * The referrers tag's index with `entry` added: `current` is the index found
 * under the tag (undefined when the tag does not exist: start from an empty
 * index). Other fields and entries are kept as they are. Undefined when the
 * entry is already listed (no duplicate is made); throws INVALID_MANIFEST when
 * `current` is not an OCI index.
 */
export function addReferrer(current: Uint8Array | undefined, entry: Descriptor): Uint8Array | undefined {
  let index: Record<string, unknown> = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
  if (current !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(current));
    } catch {
      throw invalid("not JSON");
    }
    if (!isRecord(json)) throw invalid("not an object");
    index = json;
    if ((index.mediaType ?? OCI_INDEX) !== OCI_INDEX || !Array.isArray(index.manifests)) {
      throw invalid(`expected an ${OCI_INDEX} with a manifests list`);
    }
  }
  const manifests = index.manifests as unknown[];
  const listed = manifests.some((m, i) => parseDescriptor(m, `manifests[${i}]`).digest === entry.digest);
  if (listed) return undefined;
  return new TextEncoder().encode(JSON.stringify({ ...index, manifests: [...manifests, entry] }));
}
