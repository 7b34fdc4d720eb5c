/**
 * Request bodies: a Buffer (replayable), a factory of streams (re-openable),
 * or a one-shot Readable (sent once; never replayed).
 */
import { Readable } from "node:stream";
import type { TransportRequest } from "./types.js";

/** True when the request can be sent again with the same body. */
export function isReplayable(request: TransportRequest): boolean {
  const body = request.body;
  return body === undefined || Buffer.isBuffer(body) || typeof body === "function";
}

/** A fresh stream or buffer for one send of the body. */
export function openBody(body: TransportRequest["body"]): Buffer | Readable | undefined {
  if (body === undefined || Buffer.isBuffer(body)) return body;
  if (typeof body === "function") return body();
  return body;
}

/** A Readable over bytes already in memory (re-wrapping a body read for inspection). */
export function bufferStream(bytes: Buffer): Readable {
  return Readable.from(bytes.length ? [bytes] : []);
}

/** Consumes and discards a response body so its connection can be reused. */
export function discard(body: Readable): void {
  body.resume();
  body.on("error", () => undefined);
}
