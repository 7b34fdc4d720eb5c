/**
 * Blob reads and cross-repository mounts (OCI distribution spec, "Pulling
 * blobs", "Mounting a blob from another repository"). Blob bodies are streams,
 * verified against their digest as they flow.
 */
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import {
  type Descriptor,
  type Digest,
  type Repository,
  formatRepository,
  sameRegistry,
} from "../oci/index.js";
import { DigestVerifier } from "./digester.js";
import { registryErrorFromResponse } from "./errors.js";
import { discard } from "./transport/body.js";
import type { Transport } from "./transport/index.js";
import { apiUrl, pullScope, pushScope } from "./urls.js";

/** HEAD a blob; undefined when the registry does not have it in this repository. */
export async function headBlob(
  transport: Transport,
  repo: Repository,
  digest: Digest,
): Promise<Descriptor | undefined> {
  const url = apiUrl(repo, `blobs/${digest}`);
  const response = await transport({ method: "HEAD", url, idempotent: true, scopes: [pullScope(repo)] });
  discard(response.body);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw await registryErrorFromResponse("HEAD", url, response);
  const size = Number(response.headers["content-length"]);
  return { mediaType: "application/octet-stream", digest, size: Number.isSafeInteger(size) ? size : -1 };
}

/**
 * GET a blob as a stream that fails with DIGEST_MISMATCH at its end when the
 * bytes (or, if given, their count) are not what `digest` promised. Redirects
 * to object storage are followed by the transport, without credentials.
 */
export async function getBlob(
  transport: Transport,
  repo: Repository,
  digest: Digest,
  expectedSize?: number,
): Promise<Readable> {
  const url = apiUrl(repo, `blobs/${digest}`);
  const response = await transport({ method: "GET", url, idempotent: true, scopes: [pullScope(repo)] });
  if (response.status !== 200) throw await registryErrorFromResponse("GET", url, response);
  const verifier = new DigestVerifier(digest, `blob ${digest} of ${formatRepository(repo)}`, expectedSize);
  // pipeline forwards an error of the response (a cut connection) to the verifier and its reader.
  return pipeline(response.body, verifier, () => undefined);
}

/** The outcome of a mount attempt: mounted, or an upload session to continue at. */
export type MountOutcome = { readonly mounted: true } | { readonly mounted: false; readonly location?: URL };

/**
 * POST a mount of `digest` from `from` into `repo`. 201 means mounted; 202
 * opens an upload session (its Location is returned so the caller continues
 * there); any error means "upload it instead". A mount never names a
 * repository of another registry (REGISTRY-NOTES.md).
 */
export async function tryMountBlob(
  transport: Transport,
  repo: Repository,
  digest: Digest,
  from: Repository,
): Promise<MountOutcome> {
  if (!sameRegistry(repo, from)) return { mounted: false };
  const url = apiUrl(repo, "blobs/uploads/");
  url.search = `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from.path)}`;
  let response;
  try {
    response = await transport({
      method: "POST",
      url,
      headers: { "content-length": "0" },
      idempotent: false,
      scopes: [pushScope(repo), pullScope(from)],
    });
  } catch {
    return { mounted: false };
  }
  discard(response.body);
  if (response.status === 201) return { mounted: true };
  const location = response.headers["location"];
  if (response.status === 202 && location)
    return { mounted: false, location: new URL(location, response.url) };
  return { mounted: false };
}
