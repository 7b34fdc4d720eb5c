/**
 * The inputs of the CI layer: the rules that decide what a CI run builds and
 * the images a workflow builds. reship.yaml supplies both; until a caller has
 * a config, `resolveCiRules` fills the documented defaults.
 */

/** What reship.yaml says about CI. */
export interface CiRules {
  /** The branch whose pushes build production images. Default "main". */
  readonly defaultBranch: string;
  /**
   * Which tags are versions, as a GitHub filter pattern (e.g. "v*.*.*").
   * Default undefined: a tag is a version when, without a leading "v", it is
   * a valid semantic version (1.4.2, v1.4.2, v2.0.0-rc.1).
   */
  readonly versionTagPattern: string | undefined;
  /** Whether a push to the default branch builds the production image. Default true. */
  readonly productionOnMain: boolean;
}

/** One image of reship.yaml, as far as CI needs it. */
export interface CiImage {
  /** Repository without tag, e.g. ghcr.io/acme/app. */
  readonly name: string;
  /** Build context directory. Default ".". */
  readonly context: string;
  /** Dockerfile path. Default "<context>/Dockerfile". */
  readonly dockerfile: string;
  /** Target platforms, e.g. ["linux/amd64", "linux/arm64"]. Default: the runner's. */
  readonly platforms: readonly string[];
  /** Build stage. Default: the last stage. */
  readonly target: string | undefined;
}

export const DEFAULT_BRANCH = "main";

/** Fills the defaults of CiRules (documented on each field). */
export function resolveCiRules(partial: Partial<CiRules> = {}): CiRules {
  return {
    defaultBranch: partial.defaultBranch ?? DEFAULT_BRANCH,
    versionTagPattern: partial.versionTagPattern,
    productionOnMain: partial.productionOnMain ?? true,
  };
}

/** Fills the defaults of one image (documented on each field). */
export function resolveCiImage(partial: Partial<CiImage> & { readonly name: string }): CiImage {
  const context = partial.context ?? ".";
  return {
    name: partial.name,
    context,
    dockerfile:
      partial.dockerfile ?? (context === "." ? "Dockerfile" : `${context.replace(/\/$/, "")}/Dockerfile`),
    platforms: partial.platforms ?? [],
    target: partial.target,
  };
}
