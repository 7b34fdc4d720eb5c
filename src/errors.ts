/**
 * The one error type reship throws. Every failure carries a `code` from the
 * union below; callers (and the CLI's exit-code table) match on `code`, never
 * on message text. Layers subclass it to add their own fields.
 */

/** Every error code reship can produce, grouped by who raises it. */
export type ErrorCode =
  // usage and input (exit 2)
  | "USAGE"
  | "INVALID_REFERENCE"
  | "INVALID_DIGEST"
  | "INVALID_VERSION"
  | "INVALID_MANIFEST"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "CONFIG"
  | "WORKFLOW"
  | "INSECURE_REGISTRY"
  // registry and network (exit 1, or 3 for `exists`)
  | "REGISTRY"
  | "UNAUTHORIZED"
  | "DENIED"
  | "NOT_FOUND"
  | "NETWORK"
  | "TIMEOUT"
  | "DIGEST_MISMATCH"
  | "CREDENTIALS"
  // build (exit 1)
  | "BUILDER_MISSING"
  | "BUILD"
  | "GIT"
  // release (exit 1)
  | "CONFLICT"
  | "PROVENANCE"
  | "RELEASE";

export class ReshipError extends Error {
  override readonly name: string = "ReshipError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `err` is a ReshipError, optionally with one of the given codes. */
export function isReshipError(err: unknown, ...codes: ErrorCode[]): err is ReshipError {
  return err instanceof ReshipError && (codes.length === 0 || codes.includes(err.code));
}
