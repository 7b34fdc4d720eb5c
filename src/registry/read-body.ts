/**
 * Reads a response body into memory, up to a limit. Only small documents
 * (manifests, configs, tag lists) are read this way; blobs are streamed.
 */
import type { Readable } from "node:stream";
import { ReshipError } from "../errors.js";

/** Manifests above 4 MiB are refused by most registries; read up to twice that. */
export const MANIFEST_LIMIT = 8 * 1024 * 1024;
/** Image configs and JSON documents such as tag lists and referrer indexes. */
export const DOCUMENT_LIMIT = 32 * 1024 * 1024;

/** The whole body, or REGISTRY naming `what` when it passes `limit` bytes. */
export async function readBody(body: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > limit) throw new ReshipError("REGISTRY", `${what} is larger than ${limit} bytes`);
      chunks.push(buf);
    }
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks, size);
}
