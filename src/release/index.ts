/**
 * The release engine: tag rules, the pure release decision, observation of
 * the registry, execution (retag or build), and the report. The CLI's
 * `release` and `build` commands are thin layers over `runRelease`; flags and
 * reship.yaml are merged by `resolveReleaseSettings` (here, in settings.ts).
 */
export { runRelease } from "./release.js";
export { VERSION_LABEL } from "./build-push.js";
export type { ReleaseOptions } from "./release.js";
export { resolveReleaseSettings } from "./settings.js";
export type {
  BuilderChoice,
  ImageTarget,
  ReleaseFlags,
  ReleasePolicy,
  ReleaseSettings,
  ResolveSettingsOptions,
} from "./settings.js";
export { resolveCommit, revParseCommand } from "./git.js";
export type { ResolveCommitOptions } from "./git.js";
export { decideRelease } from "./decide.js";
export type {
  Decision,
  DecisionPolicy,
  HeldTag,
  Need,
  Observations,
  TagKind,
  TagState,
  TagWrite,
} from "./decide.js";
export {
  commitTagTemplate,
  DEFAULT_COMMIT_TAG,
  heldBackFloatingTags,
  isFullSha,
  parseVersion,
  renderCommitTag,
  renderVersionTag,
  versionTags,
} from "./tags.js";
export type { CommitTagSettings, ReleaseVersion, TagRules, VersionTags } from "./tags.js";
export { observeRepository } from "./observe.js";
export type { FinalDecision, ObserveOptions, RepositoryObservation } from "./observe.js";
export { readCommitImage } from "./commit-image.js";
export type { CommitImage } from "./commit-image.js";
export {
  BUILD_RECORD_LABEL,
  BUILD_RECORD_TYPE,
  buildRecordArtifact,
  lookUpBuildRecord,
  readBuildRecord,
  writeBuildRecord,
} from "./build-record.js";
export type { BuildRecord } from "./build-record.js";
export { putTags } from "./execute.js";
export type { PutTagsResult } from "./execute.js";
export { formatBytes, formatDuration } from "../units.js";
export { avoidedText, reportLines, reportMarkdown, reportOutputs } from "./report.js";
export type { ImageAction, ImageReport, ReleaseReport, TagReport, TagStatus } from "./report.js";
