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
export * from "./oci/index.js";
export {
  RegistryClient,
  RegistryError,
  NetworkError,
  copyImage,
  tagImage,
  inspectImage,
  createTransport,
  chainCredentials,
  dockerConfigCredentials,
  envCredentials,
  staticCredentials,
} from "./registry/index.js";
export type {
  RegistryClientOptions,
  FetchedManifest,
  CopyOptions,
  CopyProgress,
  CopyResult,
  TagImageOptions,
  TagResult,
  ImageInspection,
  PlatformImage,
  Transport,
  TransportOptions,
  Credential,
  CredentialStore,
} from "./registry/index.js";
export {
  runRelease,
  resolveReleaseSettings,
  resolveCommit,
  decideRelease,
  parseVersion,
  versionTags,
  renderCommitTag,
  reportLines,
  reportMarkdown,
  reportOutputs,
} from "./release/index.js";
export type {
  ReleaseOptions,
  ReleaseSettings,
  ReleaseFlags,
  ReleaseReport,
  ImageReport,
  TagReport,
  Decision,
  Observations,
  VersionTags,
} from "./release/index.js";
export { loadConfig } from "./config/index.js";
export type { LoadedConfig, ReshipConfig, ImageConfig } from "./config/index.js";
export { readCiContext, planBuilds, planOutputs, generateWorkflow } from "./ci/index.js";
// The library is one bundle: the audit is exported as it is, not loaded on demand as the CLI does.
export { auditWorkflows, readWorkflowFiles, formatAuditText } from "./ci/workflow-audit.js";
export type { CiContext, CiRules, BuildPlan, CiImage, AuditReport } from "./ci/index.js";
