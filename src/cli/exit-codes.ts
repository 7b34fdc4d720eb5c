/**
 * Exit statuses (DESIGN.md): 0 success; 1 the operation failed; 2 usage or
 * configuration error; 3 "could not tell" (only `reship exists`, which maps
 * that itself). One table, so every error code has exactly one status.
 */
import type { ErrorCode } from "../errors.js";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNKNOWN = 3;

export const exitStatusByCode: Readonly<Record<ErrorCode, number>> = {
  USAGE: EXIT_USAGE,
  INVALID_REFERENCE: EXIT_USAGE,
  INVALID_DIGEST: EXIT_USAGE,
  INVALID_VERSION: EXIT_USAGE,
  INVALID_MANIFEST: EXIT_FAILED,
  UNSUPPORTED_MEDIA_TYPE: EXIT_FAILED,
  CONFIG: EXIT_USAGE,
  WORKFLOW: EXIT_USAGE,
  INSECURE_REGISTRY: EXIT_USAGE,
  REGISTRY: EXIT_FAILED,
  UNAUTHORIZED: EXIT_FAILED,
  DENIED: EXIT_FAILED,
  NOT_FOUND: EXIT_FAILED,
  NETWORK: EXIT_FAILED,
  TIMEOUT: EXIT_FAILED,
  DIGEST_MISMATCH: EXIT_FAILED,
  CREDENTIALS: EXIT_FAILED,
  BUILDER_MISSING: EXIT_FAILED,
  BUILD: EXIT_FAILED,
  GIT: EXIT_FAILED,
  CONFLICT: EXIT_FAILED,
  PROVENANCE: EXIT_FAILED,
  RELEASE: EXIT_FAILED,
};
