/**
 * Hashing for digests (OCI image spec, "Digests"): of bytes in memory, and of
 * a stream as it flows, failing the stream with DIGEST_MISMATCH at its end when
 * the content is not what its digest promised. Every manifest and blob reship
 * reads goes through one of these.
 */
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import type { TransformCallback } from "node:stream";
import { ReshipError } from "../errors.js";
import { type Digest, type DigestAlgorithm, digestAlgorithm, makeDigest } from "../oci/index.js";

/** The digest of `bytes` (sha256 unless another algorithm is asked for). */
export function computeDigest(bytes: Uint8Array, algorithm: DigestAlgorithm = "sha256"): Digest {
  return makeDigest(algorithm, createHash(algorithm).update(bytes).digest("hex"));
}

/** Throws DIGEST_MISMATCH when `bytes` do not hash to `expected`; `what` names them in the message. */
export function verifyDigest(bytes: Uint8Array, expected: Digest, what: string): void {
  const actual = computeDigest(bytes, digestAlgorithm(expected));
  if (actual !== expected) {
    throw new ReshipError("DIGEST_MISMATCH", `${what}: content hashes to ${actual}, expected ${expected}`);
  }
}

/**
 * A pass-through stream that hashes what flows and, at the end, fails with
 * DIGEST_MISMATCH if the digest (or the byte count, when known) is wrong.
 */
export class DigestVerifier extends Transform {
  private readonly hash;
  private bytes = 0;

  constructor(
    private readonly expected: Digest,
    private readonly what: string,
    private readonly expectedSize?: number,
  ) {
    super();
    this.hash = createHash(digestAlgorithm(expected));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.expectedSize !== undefined && this.bytes > this.expectedSize) {
      callback(
        new ReshipError("DIGEST_MISMATCH", `${this.what}: more than the expected ${this.expectedSize} bytes`),
      );
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = makeDigest(digestAlgorithm(this.expected), this.hash.digest("hex"));
    if (actual !== this.expected) {
      callback(
        new ReshipError(
          "DIGEST_MISMATCH",
          `${this.what}: content hashes to ${actual}, expected ${this.expected}`,
        ),
      );
    } else if (this.expectedSize !== undefined && this.bytes !== this.expectedSize) {
      callback(
        new ReshipError(
          "DIGEST_MISMATCH",
          `${this.what}: ${this.bytes} bytes, expected ${this.expectedSize}`,
        ),
      );
    } else {
      callback();
    }
  }
}
