/**
 * Builder back ends behind one interface: docker buildx, docker with BuildKit,
 * buildah. Each turns a BuildRequest into argv arrays (pure functions, which
 * their tests import from the back end's own module) and runs them through a
 * ProcessRunner, never a shell.
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
// Only create.ts reaches the back ends, through a dynamic import: re-exporting
// a back end's module here would load every builder with the runner.
export { createBuilder } from "./create.js";
export { spawnRunner, TAIL_LINES } from "./runner.js";
export type { SpawnRunnerOptions } from "./runner.js";
export { BuildError, builderMissing } from "./errors.js";
