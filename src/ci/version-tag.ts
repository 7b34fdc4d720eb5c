/**
 * Which tags are versions: the config's GitHub filter pattern when it has
 * one, else any tag that is a semantic version once a leading "v" is removed.
 */
import semver from "semver";
import { matchesFilters } from "./filter-pattern.js";
import type { CiRules } from "./types.js";

export function isVersionTag(tag: string, rules: Pick<CiRules, "versionTagPattern">): boolean {
  if (rules.versionTagPattern !== undefined) return matchesFilters([rules.versionTagPattern], tag);
  return semver.valid(tag.replace(/^v/, "")) !== null;
}

/** Describes the rule for messages: the pattern, or "v?semver". */
export function versionTagRule(rules: Pick<CiRules, "versionTagPattern">): string {
  return rules.versionTagPattern ?? "v?<semver>";
}
