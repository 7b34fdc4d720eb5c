/**
 * Manifest requests (OCI distribution spec, "Pulling manifests", "Checking if
 * content exists", "Pushing manifests"). Every HEAD and GET sends the full
 * Accept list; GET keeps the exact bytes and checks their digest against the
 * Docker-Content-Digest header and, when fetched by digest, the reference.
 */
import { ReshipError } from "../errors.js";
import {
  type Descriptor,
  type Digest,
  type Manifest,
  type Reference,
  MANIFEST_ACCEPT,
  digestAlgorithm,
  formatReference,
  isDigest,
  isManifestMediaType,
  manifestIdentifier,
  normalizeMediaType,
  parseManifest,
} from "../oci/index.js";
import { computeDigest } from "./digester.js";
import { registryErrorFromResponse } from "./errors.js";
import { MANIFEST_LIMIT, readBody } from "./read-body.js";
import { discard } from "./transport/body.js";
import type { Transport, TransportResponse } from "./transport/index.js";
import { apiUrl, pullScope, pushScope } from "./urls.js";

/** A manifest as fetched: its descriptor, its exact bytes and their parsed form. */
export interface FetchedManifest {
  readonly descriptor: Descriptor;
  readonly bytes: Buffer;
  readonly manifest: Manifest;
}

/** Registry error codes that mean "no such manifest" (rather than "cannot tell"). */
const ABSENT_CODES = new Set(["MANIFEST_UNKNOWN", "NAME_UNKNOWN", "NOT_FOUND"]);

function manifestUrl(ref: Reference, identifier = manifestIdentifier(ref)): URL {
  return apiUrl(ref.repository, `manifests/${identifier}`);
}

async function request(
  transport: Transport,
  method: "GET" | "HEAD",
  ref: Reference,
): Promise<TransportResponse> {
  return transport({
    method,
    url: manifestUrl(ref),
    headers: { accept: MANIFEST_ACCEPT },
    idempotent: true,
    scopes: [pullScope(ref.repository)],
  });
}

/**
 * GET by reference. Returns undefined when the registry says it does not
 * exist; throws RegistryError for other answers and DIGEST_MISMATCH when the
 * bytes are not what the registry or the reference claim.
 */
export async function fetchManifest(
  transport: Transport,
  ref: Reference,
): Promise<FetchedManifest | undefined> {
  const response = await request(transport, "GET", ref);
  if (response.status === 404) {
    // Read the body once: it decides between "absent" and a real error.
    const error = await registryErrorFromResponse("GET", manifestUrl(ref), response);
    if (error.errors.length === 0 || error.errors.some((e) => ABSENT_CODES.has(e.code))) return undefined;
    throw error;
  }
  if (response.status !== 200) throw await registryErrorFromResponse("GET", manifestUrl(ref), response);
  const what = `manifest ${formatReference(ref)}`;
  const bytes = await readBody(response.body, MANIFEST_LIMIT, what);
  const algorithm = ref.digest ? digestAlgorithm(ref.digest) : "sha256";
  const digest = computeDigest(bytes, algorithm);
  if (ref.digest && digest !== ref.digest) {
    throw new ReshipError("DIGEST_MISMATCH", `${what}: the registry sent content hashing to ${digest}`);
  }
  const header = response.headers["docker-content-digest"]?.trim();
  if (header && isDigest(header)) {
    const check =
      digestAlgorithm(header) === algorithm ? digest : computeDigest(bytes, digestAlgorithm(header));
    if (check !== header) {
      throw new ReshipError(
        "DIGEST_MISMATCH",
        `${what}: Docker-Content-Digest says ${header} but the content hashes to ${check}`,
      );
    }
  }
  const manifest = parseManifest(bytes, response.headers["content-type"]);
  return { descriptor: { mediaType: manifest.mediaType, digest, size: bytes.length }, bytes, manifest };
}

/** GET that throws NOT_FOUND when the manifest does not exist. */
export async function getManifest(transport: Transport, ref: Reference): Promise<FetchedManifest> {
  const fetched = await fetchManifest(transport, ref);
  if (!fetched) throw new ReshipError("NOT_FOUND", `manifest ${formatReference(ref)} not found`);
  return fetched;
}

export interface HeadManifestOptions {
  /**
   * Confirm a HEAD 404 with a GET (some registries answer HEAD 404 where GET
   * works). Callers about to write anyway turn it off: a wrong 404 then
   * costs one redundant PUT, not an extra request per check. Default true.
   */
  readonly confirmNotFound?: boolean;
}

/**
 * HEAD; undefined when absent. A HEAD answer without a usable digest or media
 * type, a refusal (405 and other errors) and, unless turned off, a 404 are
 * settled with a GET, which also carries the error details a HEAD cannot
 * (REGISTRY-NOTES.md).
 */
export async function headManifest(
  transport: Transport,
  ref: Reference,
  options: HeadManifestOptions = {},
): Promise<Descriptor | undefined> {
  const response = await request(transport, "HEAD", ref);
  discard(response.body);
  if (response.status === 200) {
    const digest = response.headers["docker-content-digest"]?.trim();
    const mediaType = normalizeMediaType(response.headers["content-type"] ?? "");
    const size = Number(response.headers["content-length"]);
    const digestOk = digest !== undefined && isDigest(digest) && (!ref.digest || digest === ref.digest);
    if (digestOk && isManifestMediaType(mediaType) && Number.isSafeInteger(size)) {
      return { mediaType, digest, size };
    }
  }
  if (response.status === 404 && options.confirmNotFound === false) return undefined;
  return (await fetchManifest(transport, ref))?.descriptor;
}

/**
 * PUT the exact bytes under the reference's tag (else its digest), with
 * `mediaType` as Content-Type. Returns the digest of the bytes; checks it
 * against the reference's digest before writing and against the registry's
 * answer after.
 */
export async function putManifest(
  transport: Transport,
  ref: Reference,
  bytes: Buffer,
  mediaType: string,
): Promise<Digest> {
  return (await putManifestResult(transport, ref, bytes, mediaType)).digest;
}

export interface PutManifestResult {
  readonly digest: Digest;
  /**
   * The registry's OCI-Subject header: set by a registry with the referrers
   * API when it processed the manifest's `subject` (distribution spec 1.1,
   * "Pushing Manifests with Subject"); undefined otherwise.
   */
  readonly subject: string | undefined;
}

/** putManifest, also handing back what the registry said about the manifest's subject. */
export async function putManifestResult(
  transport: Transport,
  ref: Reference,
  bytes: Buffer,
  mediaType: string,
): Promise<PutManifestResult> {
  const algorithm = ref.digest ? digestAlgorithm(ref.digest) : "sha256";
  const digest = computeDigest(bytes, algorithm);
  const where = formatReference(ref);
  if (ref.digest && digest !== ref.digest) {
    throw new ReshipError(
      "DIGEST_MISMATCH",
      `manifest for ${where} hashes to ${digest}, not the reference's digest`,
    );
  }
  const url = manifestUrl(ref, ref.tag ?? digest);
  const response = await transport({
    method: "PUT",
    url,
    headers: { "content-type": mediaType },
    body: bytes,
    idempotent: true,
    scopes: [pushScope(ref.repository)],
  });
  if (
    response.status !== 201 &&
    response.status !== 200 &&
    response.status !== 202 &&
    response.status !== 204
  ) {
    throw await registryErrorFromResponse("PUT", url, response);
  }
  discard(response.body);
  const answered = response.headers["docker-content-digest"]?.trim();
  if (answered && isDigest(answered) && digestAlgorithm(answered) === algorithm && answered !== digest) {
    throw new ReshipError(
      "DIGEST_MISMATCH",
      `${where}: the registry stored ${answered}, reship sent ${digest}`,
    );
  }
  return { digest, subject: response.headers["oci-subject"]?.trim() };
}
