/**
 * src/registry: the OCI distribution client. The transport (HTTP, retries,
 * redirects, TLS rules), authentication (credential stores, challenges,
 * tokens), registry errors, and on top of them the client operations
 * (manifests, blobs, uploads, tags, referrers), re-tagging and copying.
 */
export * from "./transport/index.js";
export * from "./auth/index.js";
export { RegistryError, NetworkError } from "./errors.js";
export type { RegistryErrorDetail } from "./errors.js";
export { RegistryClient } from "./client.js";
export type { RegistryClientOptions } from "./client.js";
export type { FetchedManifest, HeadManifestOptions } from "./manifests.js";
export type { MountOutcome } from "./blobs.js";
export type { UploadOptions } from "./upload.js";
export type { ListTagsOptions } from "./tags.js";
export type { ReferrersOptions } from "./referrers.js";
export { referrersTag } from "./referrers.js";
export type { PushedReferrer } from "./referrer-push.js";
export { computeDigest } from "./digester.js";
export { tagImage } from "./tag-image.js";
export type { TagImageOptions, TagResult } from "./tag-image.js";
export { copyImage } from "./copy.js";
export type { CopyOptions, CopyProgress, CopyResult } from "./copy.js";
export { inspectImage } from "./inspect.js";
export type { ImageInspection, PlatformImage } from "./inspect.js";
