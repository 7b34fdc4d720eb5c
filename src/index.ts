/**
 * reship's library API: the registry client, the release engine and the CI
 * planner, with their types. The CLI is a thin layer over these.
 */
export { ReshipError, isReshipError } from "./errors.js";
export type { ErrorCode } from "./errors.js";
export { createBuilder, spawnRunner, BuildError } from "./build/index.js";
export type {
  Builder,
  BuilderName,
  BuilderOptions,
  BuildIo,
  BuildRequest,
  BuildResult,
  ProcessRunner,
} from "./build/index.js";
