/**
 * Blob uploads (OCI distribution spec, "Pushing blobs"): a POST opens a
 * session, then either one streamed PUT with the whole blob (monolithic) or
 * PATCHes of `chunkSize` bytes and a closing PUT (chunked). Memory stays
 * bounded either way: the monolithic body is a stream; a chunk is held in
 * memory only while it is sent, so that a failed chunk can be sent again.
 *
 * Per REGISTRY-NOTES.md: the session Location may be relative or point to
 * another host and carries query parameters (distribution's `_state`) that
 * must be kept, so `digest=` is appended to it, never rebuilt; Content-Range
 * is `start-end` inclusive without a `bytes ` prefix; OCI-Chunk-Min-Length is
 * honoured; 201, 202 and 204 are all success.
 */
import type { Readable } from "node:stream";
import { ReshipError } from "../errors.js";
import { type Digest, type Repository, formatRepository, isDigest } from "../oci/index.js";
import { registryErrorFromResponse } from "./errors.js";
import { discard } from "./transport/body.js";
import type { Transport, TransportResponse } from "./transport/index.js";
import { apiUrl, appendQuery, pushScope } from "./urls.js";

export interface UploadOptions {
  /**
   * Send the blob in PATCH requests of this many bytes (raised to the
   * registry's OCI-Chunk-Min-Length). Default: undefined, one streamed PUT.
   */
  readonly chunkSize?: number;
  /** An upload session already open (a mount answered 202). Default: POST a new one. */
  readonly location?: URL;
}

const OK = new Set([200, 201, 202, 204]);

function sessionLocation(response: TransportResponse, what: string): URL {
  const location = response.headers["location"];
  if (!location)
    throw new ReshipError("REGISTRY", `${what}: the registry answered ${response.status} without a Location`);
  return new URL(location, response.url);
}

/** Upload `size` bytes hashing to `digest`; `body` opens the content (again on a retry). */
export async function uploadBlob(
  transport: Transport,
  repo: Repository,
  digest: Digest,
  size: number,
  body: () => Readable,
  options: UploadOptions = {},
): Promise<void> {
  const scopes = [pushScope(repo)];
  const what = `upload of ${digest} to ${formatRepository(repo)}`;
  let location = options.location;
  let minChunk = 0;
  if (!location) {
    const url = apiUrl(repo, "blobs/uploads/");
    const opened = await transport({ method: "POST", url, headers: { "content-length": "0" }, scopes });
    if (opened.status !== 202) throw await registryErrorFromResponse("POST", url, opened);
    discard(opened.body);
    location = sessionLocation(opened, what);
    minChunk = Number(opened.headers["oci-chunk-min-length"] ?? 0) || 0;
  }

  let closing: TransportResponse;
  if (options.chunkSize === undefined) {
    const url = appendQuery(location, "digest", digest);
    closing = await transport({
      method: "PUT",
      url,
      headers: { "content-type": "application/octet-stream", "content-length": String(size) },
      body,
      scopes,
    });
    if (!OK.has(closing.status)) throw await registryErrorFromResponse("PUT", url, closing);
  } else {
    location = await sendChunks(
      transport,
      location,
      body(),
      Math.max(options.chunkSize, minChunk, 1),
      scopes,
      what,
    );
    const url = appendQuery(location, "digest", digest);
    closing = await transport({ method: "PUT", url, headers: { "content-length": "0" }, scopes });
    if (!OK.has(closing.status)) throw await registryErrorFromResponse("PUT", url, closing);
  }
  discard(closing.body);
  const stored = closing.headers["docker-content-digest"]?.trim();
  if (stored && isDigest(stored) && stored !== digest) {
    throw new ReshipError("DIGEST_MISMATCH", `${what}: the registry stored ${stored}`);
  }
}

/** PATCHes the stream in chunks; returns the Location to close the session at. */
async function sendChunks(
  transport: Transport,
  start: URL,
  source: Readable,
  chunkSize: number,
  scopes: string[],
  what: string,
): Promise<URL> {
  let location = start;
  let offset = 0;
  let pending: Buffer[] = [];
  let pendingSize = 0;

  const flush = async (chunk: Buffer): Promise<void> => {
    const end = offset + chunk.length - 1;
    const response = await transport({
      method: "PATCH",
      url: location,
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(chunk.length),
        "content-range": `${offset}-${end}`,
      },
      body: chunk,
      scopes,
    });
    if (!OK.has(response.status)) throw await registryErrorFromResponse("PATCH", location, response);
    discard(response.body);
    location = sessionLocation(response, what);
    // Our own offset, not the registry's Range header: registries format it differently.
    offset = end + 1;
  };

  try {
    for await (const data of source as AsyncIterable<Buffer>) {
      let rest = data;
      while (rest.length > 0) {
        const take = Math.min(rest.length, chunkSize - pendingSize);
        pending.push(rest.subarray(0, take));
        pendingSize += take;
        rest = rest.subarray(take);
        if (pendingSize === chunkSize) {
          const chunk = Buffer.concat(pending, pendingSize);
          pending = [];
          pendingSize = 0;
          await flush(chunk);
        }
      }
    }
    if (pendingSize > 0) await flush(Buffer.concat(pending, pendingSize));
  } finally {
    source.destroy();
  }
  return location;
}
