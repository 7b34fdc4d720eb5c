/**
 * The parts of an image configuration (OCI image spec, "Image Configuration";
 * Docker's container image JSON) that reship reads: platform, creation time
 * and labels, where the revision label ties an image to its commit.
 */
import { ReshipError } from "../errors.js";
import { isRecord } from "./json.js";

/** OCI's annotation and label key for the source commit. */
export const REVISION_LABEL = "org.opencontainers.image.revision";
export const CREATED_LABEL = "org.opencontainers.image.created";
export const SOURCE_LABEL = "org.opencontainers.image.source";

export interface ImageConfig {
  readonly os: string | undefined;
  readonly architecture: string | undefined;
  readonly variant: string | undefined;
  /** RFC 3339 creation time, as written by the builder. */
  readonly created: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

/** Parses an image config blob. Throws INVALID_MANIFEST when it is not a JSON object. */
export function parseImageConfig(bytes: Uint8Array): ImageConfig {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ReshipError("INVALID_MANIFEST", `invalid image config: not JSON (${(err as Error).message})`, {
      cause: err,
    });
  }
  if (!isRecord(json)) throw new ReshipError("INVALID_MANIFEST", "invalid image config: not a JSON object");
  const config = isRecord(json.config) ? json.config : {};
  const labels: Record<string, string> = {};
  if (isRecord(config.Labels)) {
    for (const [key, value] of Object.entries(config.Labels))
      if (typeof value === "string") labels[key] = value;
  }
  return {
    os: optionalString(json.os),
    architecture: optionalString(json.architecture),
    variant: optionalString(json.variant),
    created: optionalString(json.created),
    labels,
  };
}
