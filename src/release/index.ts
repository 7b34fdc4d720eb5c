/**
 * The release engine: tag rules, the pure release decision, observation of
 * the registry, execution (retag or build), and the report. The CLI's
 * `release` and `build` commands are thin layers over `runRelease`; flags and
 * reship.yaml are merged by `resolveReleaseSettings` (here, in settings.ts).
 * Only what other layers and the library use is re-exported; the modules'
 * own tests import them directly.
 */
export { runRelease } from "./release.js";
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
export { resolveCommit } from "./git.js";
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
export { parseVersion, renderCommitTag, versionTags } from "./tags.js";
export type { ReleaseVersion, TagRules, VersionTags } from "./tags.js";
export { BUILD_RECORD_TYPE } from "./build-record.js";
export type { BuildRecord } from "./build-record.js";
export { reportLines, reportMarkdown, reportOutputs } from "./report.js";
export type { ImageAction, ImageReport, ReleaseReport, TagReport, TagStatus } from "./report.js";
