/**
 * Content descriptors (OCI image spec, "Descriptors"): what a manifest says
 * about each piece of content it points to.
 */
import { ReshipError } from "../errors.js";
import { type Digest, isDigest } from "./digest.js";
import { isRecord } from "./json.js";
import type { Platform } from "./platform.js";

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly platform?: Platform;
  readonly artifactType?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly urls?: readonly string[];
}

function fail(where: string, message: string): ReshipError {
  return new ReshipError("INVALID_MANIFEST", `${where}: ${message}`);
}

function parseStringMap(value: unknown, where: string): Record<string, string> {
  if (!isRecord(value)) throw fail(where, "must be an object of strings");
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "string") throw fail(where, `"${key}" must be a string`);
  }
  return value as Record<string, string>;
}

function parsePlatformObject(value: unknown, where: string): Platform {
  if (!isRecord(value) || typeof value.os !== "string" || typeof value.architecture !== "string") {
    throw fail(where, "platform needs string os and architecture");
  }
  const platform: { -readonly [K in keyof Platform]: Platform[K] } = {
    os: value.os,
    architecture: value.architecture,
  };
  if (typeof value.variant === "string") platform.variant = value.variant;
  if (typeof value["os.version"] === "string") platform["os.version"] = value["os.version"];
  if (Array.isArray(value["os.features"])) platform["os.features"] = value["os.features"].map(String);
  return platform;
}

/** Validates one descriptor object found at `where` (e.g. `layers[2]`). Throws INVALID_MANIFEST. */
export function parseDescriptor(value: unknown, where: string): Descriptor {
  if (!isRecord(value)) throw fail(where, "a descriptor must be an object");
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== "string" || mediaType === "") throw fail(where, "mediaType is missing");
  if (typeof digest !== "string" || !isDigest(digest))
    throw fail(where, `invalid digest ${JSON.stringify(digest)}`);
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw fail(where, `invalid size ${JSON.stringify(size)}`);
  }
  const descriptor: { -readonly [K in keyof Descriptor]: Descriptor[K] } = { mediaType, digest, size };
  if (value.platform !== undefined)
    descriptor.platform = parsePlatformObject(value.platform, `${where}.platform`);
  if (typeof value.artifactType === "string") descriptor.artifactType = value.artifactType;
  if (value.annotations !== undefined) {
    descriptor.annotations = parseStringMap(value.annotations, `${where}.annotations`);
  }
  if (Array.isArray(value.urls)) descriptor.urls = value.urls.map(String);
  return descriptor;
}

/**
 * True for an index entry that is not a runnable image: a BuildKit
 * attestation manifest (platform unknown/unknown, with a
 * `vnd.docker.reference.type` annotation) or a signature stored the same way.
 */
export function isAttestation(descriptor: Pick<Descriptor, "platform" | "annotations">): boolean {
  return (
    descriptor.platform?.os === "unknown" ||
    descriptor.annotations?.["vnd.docker.reference.type"] !== undefined
  );
}
