/**
 * Builder back ends behind one interface: docker buildx, docker with BuildKit,
 * buildah. Each turns a BuildRequest into argv arrays (pure, exported for
 * tests) and runs them through a ProcessRunner, never a shell.
 */
export type {
  Builder,
  BuilderName,
  BuildIo,
  BuildRequest,
  BuildResult,
  Command,
  Environment,
  ProcessRunner,
  RunOutcome,
} from "./types.js";
export type { BuildahOptions, BuilderOptions } from "./context.js";
export { createBuilder, AUTO_ORDER } from "./select.js";
export { spawnRunner, TAIL_LINES } from "./runner.js";
export type { SpawnRunnerOptions } from "./runner.js";
export { BuildError, builderMissing } from "./errors.js";
export { checkRequest } from "./request.js";
export { buildxCommands, parseBuildxMetadata } from "./buildx.js";
export type { BuildxCommandOptions } from "./buildx.js";
export { dockerCommands, dockerWarnings, parsePushDigest } from "./docker.js";
export type { DockerCommandOptions } from "./docker.js";
export { buildahCommands, buildahCleanupCommand, buildahWarnings, parseDigestFile } from "./buildah.js";
export type { BuildahCommandOptions } from "./buildah.js";
export { parseCacheSpec } from "./cache.js";
export type { CacheSpec } from "./cache.js";
export { isInsecureRegistry, tagRegistry } from "./insecure.js";
