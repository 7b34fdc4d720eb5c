/**
 * Manifests and indexes from their exact bytes: Docker image manifest v2
 * schema 2, Docker manifest list, OCI image manifest and OCI image index.
 * The parsed form is for reading only; whoever copies a manifest keeps and
 * sends the original bytes, so the digest never changes.
 *
 * The media type is the body's `mediaType` when present (a registry's
 * Content-Type may be wrong or carry parameters), else the Content-Type, else
 * inferred from the shape (OCI manifests may omit it). Docker schema 1 is
 * refused: it is deprecated and cannot be copied without re-signing.
 */
import { ReshipError } from "../errors.js";
import { type Descriptor, parseDescriptor } from "./descriptor.js";
import { isRecord } from "./json.js";
import {
  OCI_INDEX,
  OCI_MANIFEST,
  isImageManifestMediaType,
  isIndexMediaType,
  isSchema1MediaType,
  normalizeMediaType,
} from "./media-types.js";

export interface ImageManifest {
  readonly kind: "manifest";
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly artifactType?: string;
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface ImageIndex {
  readonly kind: "index";
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
  readonly artifactType?: string;
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

export type Manifest = ImageManifest | ImageIndex;

function invalid(message: string): ReshipError {
  return new ReshipError("INVALID_MANIFEST", `invalid manifest: ${message}`);
}

function unsupported(mediaType: string): ReshipError {
  if (isSchema1MediaType(mediaType)) {
    return new ReshipError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Docker schema 1 manifests (${mediaType}) are not supported: push the image again with a current client`,
    );
  }
  return new ReshipError(
    "UNSUPPORTED_MEDIA_TYPE",
    `unsupported manifest media type "${mediaType}" (expected a Docker schema 2 manifest or list, or an OCI manifest or index)`,
  );
}

function descriptors(value: unknown, field: string): Descriptor[] {
  if (!Array.isArray(value)) throw invalid(`"${field}" must be an array`);
  return value.map((item, i) => parseDescriptor(item, `${field}[${i}]`));
}

/** Parses manifest bytes. Throws INVALID_MANIFEST or UNSUPPORTED_MEDIA_TYPE. */
export function parseManifest(bytes: Uint8Array, contentType?: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    throw new ReshipError(
      "INVALID_MANIFEST",
      `invalid manifest: not UTF-8 JSON (${(err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  if (!isRecord(json)) throw invalid("not a JSON object");
  if (json.schemaVersion === 1)
    throw unsupported(contentType ? normalizeMediaType(contentType) : "schemaVersion 1");
  if (json.schemaVersion !== 2)
    throw invalid(`schemaVersion is ${JSON.stringify(json.schemaVersion)}, expected 2`);

  const declared = typeof json.mediaType === "string" ? json.mediaType : undefined;
  const header = contentType ? normalizeMediaType(contentType) : undefined;
  let mediaType = declared ?? header;
  if (
    mediaType === undefined ||
    (declared === undefined && !isIndexMediaType(mediaType) && !isImageManifestMediaType(mediaType))
  ) {
    // No usable type: infer from the shape, as OCI allows the field to be absent.
    if (Array.isArray(json.manifests)) mediaType = OCI_INDEX;
    else if (json.config !== undefined) mediaType = OCI_MANIFEST;
    else throw invalid("no mediaType, and neither config nor manifests");
  }

  const common = {
    mediaType,
    ...(typeof json.artifactType === "string" ? { artifactType: json.artifactType } : {}),
    ...(json.subject !== undefined ? { subject: parseDescriptor(json.subject, "subject") } : {}),
    ...(isRecord(json.annotations) ? { annotations: json.annotations as Record<string, string> } : {}),
  };
  if (isIndexMediaType(mediaType)) {
    if (json.config !== undefined || json.layers !== undefined)
      throw invalid(`${mediaType} has config or layers`);
    return { kind: "index", ...common, manifests: descriptors(json.manifests, "manifests") };
  }
  if (isImageManifestMediaType(mediaType)) {
    if (json.manifests !== undefined) throw invalid(`${mediaType} has a manifests list`);
    return {
      kind: "manifest",
      ...common,
      config: parseDescriptor(json.config, "config"),
      layers: descriptors(json.layers ?? [], "layers"),
    };
  }
  throw unsupported(mediaType);
}

/** Every descriptor a manifest points to: the children of an index, the config and layers of an image. */
export function manifestReferences(manifest: Manifest): readonly Descriptor[] {
  return manifest.kind === "index" ? manifest.manifests : [manifest.config, ...manifest.layers];
}

/** The compressed size of an image: the sum of its layer sizes, as registries and `docker images` report it. */
export function imageSize(manifest: ImageManifest): number {
  return manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
}
