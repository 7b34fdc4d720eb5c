/**
 * Tag rules: the commit tag every build is pushed under, and the tags a
 * version gets.
 *
 * Commit tag: a template over the commit sha, `sha-{{sha7}}` by default (what
 * docker/metadata-action's `type=sha` makes, so images pushed by existing
 * pipelines are found). `{{sha}}` is the full sha, `{{shaN}}` its first N hex
 * digits.
 *
 * Version tags: templates over the version (`{{version}}`, `{{major}}`,
 * `{{minor}}`, `{{patch}}`) with a prefix and suffix around each. A template
 * with `{{version}}` gives the version's own ("exact") tag; every other
 * template gives a floating tag (`1.4`, `1`, `latest`) that several versions
 * share and that only moves forward. A leading `v` on the version is dropped;
 * a pre-release gets only its exact tags; a version that is not semver gets
 * only its exact tags, with `{{version}}` standing for it as given.
 */
import semver from "semver";
import { ReshipError } from "../errors.js";
import { isValidTag } from "../oci/index.js";

/** How version tags are made (reship.yaml `tags`). */
export interface TagRules {
  readonly templates: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
}

/** A version to release, as given and as understood. */
export interface ReleaseVersion {
  /** As given, e.g. `v1.4.2`. */
  readonly input: string;
  /** What `{{version}}` stands for: `1.4.2` (leading v dropped), or the input when not semver. */
  readonly version: string;
  /** Set when the version is semver. */
  readonly semver: { readonly major: number; readonly minor: number; readonly patch: number } | undefined;
  readonly prerelease: boolean;
}

/** The tags a version gets, before the registry is consulted. */
export interface VersionTags {
  readonly version: ReleaseVersion;
  /** The version's own tags (templates with `{{version}}`): they never move once written. */
  readonly exact: readonly string[];
  /** Floating tags that would point at this version, if no newer version holds them. */
  readonly floating: readonly string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function isExactTemplate(template: string): boolean {
  return [...template.matchAll(PLACEHOLDER)].some((m) => m[1] === "version");
}

/** Parses a version; throws INVALID_VERSION when it cannot be a tag. */
export function parseVersion(input: string): ReleaseVersion {
  const trimmed = input.trim();
  if (trimmed === "") throw new ReshipError("INVALID_VERSION", "the version is empty: give one like 1.4.2");
  const stripped = /^[vV]\d/.test(trimmed) ? trimmed.slice(1) : trimmed;
  const parsed = semver.parse(stripped);
  if (parsed !== null && parsed.raw === stripped) {
    if (parsed.build.length > 0) {
      throw new ReshipError(
        "INVALID_VERSION",
        `version "${input}": build metadata (+${parsed.build.join(".")}) cannot be part of a tag; drop it`,
      );
    }
    return {
      input,
      version: parsed.version,
      semver: { major: parsed.major, minor: parsed.minor, patch: parsed.patch },
      prerelease: parsed.prerelease.length > 0,
    };
  }
  if (!isValidTag(trimmed)) {
    throw new ReshipError(
      "INVALID_VERSION",
      `version "${input}" is neither semver (1.4.2, v1.4.2, 1.5.0-rc.1) nor a valid tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})`,
    );
  }
  return { input, version: trimmed, semver: undefined, prerelease: false };
}

/** Renders one version template with the rules' prefix and suffix. */
export function renderVersionTag(template: string, version: ReleaseVersion, rules: TagRules): string {
  const values: Record<string, string | undefined> = {
    version: version.version,
    major: version.semver?.major.toString(),
    minor: version.semver?.minor.toString(),
    patch: version.semver?.patch.toString(),
  };
  const body = template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new ReshipError(
        "INVALID_VERSION",
        `tag template "${template}" needs a semver version, not "${version.input}"`,
      );
    }
    return value;
  });
  return `${rules.prefix}${body}${rules.suffix}`;
}

/**
 * The tags `version` gets under `rules`. `floating: false` (policy
 * floatingTags off, or --no-floating) leaves only the exact tags.
 */
export function versionTags(
  version: ReleaseVersion,
  rules: TagRules,
  options: { floating: boolean },
): VersionTags {
  const exact: string[] = [];
  const floating: string[] = [];
  for (const template of rules.templates) {
    if (isExactTemplate(template)) {
      push(exact, renderVersionTag(template, version, rules), template);
    } else if (options.floating && version.semver !== undefined && !version.prerelease) {
      push(floating, renderVersionTag(template, version, rules), template);
    }
  }
  if (exact.length === 0) {
    throw new ReshipError(
      "INVALID_VERSION",
      `no tag template contains {{version}}, so version "${version.input}" would get no tag of its own`,
    );
  }
  return { version, exact, floating: floating.filter((t) => !exact.includes(t)) };
}

function push(into: string[], tag: string, template: string): void {
  if (!isValidTag(tag)) {
    throw new ReshipError(
      "INVALID_VERSION",
      `tag "${tag}" (from template "${template}") is not a valid tag: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}`,
    );
  }
  if (!into.includes(tag)) into.push(tag);
}

/**
 * Floating tags a newer release holds: for each floating tag of `tags`, the
 * newest released version above this one that renders to the same floating
 * tag, read from the repository's existing tags (the exact tags of earlier
 * releases, matched against the same templates). Such a tag does not move:
 * releasing 1.3.9 after 1.4.0 leaves `1` and `latest` on 1.4.0 but moves `1.3`.
 */
export function heldBackFloatingTags(
  tags: VersionTags,
  rules: TagRules,
  existingTags: readonly string[],
): ReadonlyMap<string, string> {
  const held = new Map<string, string>();
  const current = tags.version.semver === undefined ? null : semver.parse(tags.version.version);
  if (current === null || tags.floating.length === 0) return held;
  const released = releasedVersions(rules, existingTags);
  const floatingTemplates = rules.templates.filter((t) => !isExactTemplate(t));
  for (const template of floatingTemplates) {
    const mine = renderVersionTag(template, tags.version, rules);
    if (!tags.floating.includes(mine)) continue;
    for (const other of released) {
      if (semver.gt(other.version, current.version) && renderVersionTag(template, other, rules) === mine) {
        const previous = held.get(mine);
        if (previous === undefined || semver.gt(other.version, previous)) held.set(mine, other.version);
      }
    }
  }
  return held;
}

/** Released (non-pre-release semver) versions whose exact tags are among `existingTags`. */
function releasedVersions(rules: TagRules, existingTags: readonly string[]): ReleaseVersion[] {
  const found = new Map<string, ReleaseVersion>();
  for (const template of rules.templates.filter(isExactTemplate)) {
    const pattern = templatePattern(template, rules);
    for (const tag of existingTags) {
      const match = pattern.exec(tag);
      const candidate = match?.[1];
      if (candidate === undefined || found.has(candidate)) continue;
      let version: ReleaseVersion;
      try {
        version = parseVersion(candidate);
      } catch {
        continue;
      }
      if (version.semver === undefined || version.prerelease || version.version !== candidate) continue;
      // The tag must be exactly what this template makes for that version (e.g. 1.4.0-alpine, not 1.4.0-alpine-debug).
      if (renderVersionTag(template, version, rules) === tag) found.set(candidate, version);
    }
  }
  return [...found.values()];
}

/** A regex matching the tags `template` makes, capturing the version. */
function templatePattern(template: string, rules: TagRules): RegExp {
  const full = `${rules.prefix}${template}${rules.suffix}`;
  let source = "";
  let last = 0;
  let captured = false;
  for (const m of full.matchAll(PLACEHOLDER)) {
    source += escapeRegExp(full.slice(last, m.index));
    if (m[1] === "version" && !captured) {
      source += "(\\d+\\.\\d+\\.\\d+)";
      captured = true;
    } else if (m[1] === "version") {
      source += "\\d+\\.\\d+\\.\\d+";
    } else {
      source += "\\d+";
    }
    last = m.index + m[0].length;
  }
  source += escapeRegExp(full.slice(last));
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** True for a full commit sha (40 hex digits, or 64 for SHA-256 repositories), lowercase. */
export function isFullSha(sha: string): boolean {
  return SHA.test(sha);
}

/** Renders the commit tag for a full sha; throws USAGE on a bad template or sha. */
export function renderCommitTag(template: string, sha: string): string {
  if (!isFullSha(sha)) {
    throw new ReshipError("USAGE", `commit "${sha}" is not a full lowercase sha (40 hex digits)`);
  }
  let used = false;
  const tag = template.replace(PLACEHOLDER, (whole, name: string) => {
    const m = /^sha(\d*)$/.exec(name);
    if (m === null)
      throw new ReshipError("USAGE", `commit tag template "${template}": unknown placeholder ${whole}`);
    used = true;
    const length = m[1] === "" || m[1] === undefined ? sha.length : Number(m[1]);
    if (length < 4 || length > sha.length) {
      throw new ReshipError(
        "USAGE",
        `commit tag template "${template}": ${whole} must be 4 to ${sha.length} digits`,
      );
    }
    return sha.slice(0, length);
  });
  if (!used)
    throw new ReshipError("USAGE", `commit tag template "${template}" must contain {{sha}} or {{sha7}}`);
  if (!isValidTag(tag))
    throw new ReshipError("USAGE", `commit tag "${tag}" (from "${template}") is not a valid tag`);
  return tag;
}
