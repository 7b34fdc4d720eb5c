/**
 * The per-event build plan: what one CI run must build, from its context and
 * the rules of reship.yaml. Pure.
 *
 * - a pull request, or a push to another branch than the default: a test
 *   build only;
 * - a push to the default branch: a test build, the tests, then the
 *   production build once every test passed (PRODUCTION_CONDITION);
 * - a release published, or a version tag pushed: no test build; the
 *   production image is promoted (`reship release`), built only when the
 *   commit's image is missing;
 * - anything else: nothing, with the reason.
 */
import type { CiContext } from "./context.js";
import type { CiRules } from "./types.js";
import { isVersionTag, versionTagRule } from "./version-tag.js";

/** The job condition that runs the production build only when every test passed. */
export const PRODUCTION_CONDITION = "always() && !failure() && !cancelled()";

export type PlanKind = "test" | "main" | "release" | "none";

export interface BuildPlan {
  readonly kind: PlanKind;
  /** Build the image the tests run against (not pushed as a release). */
  readonly testBuild: boolean;
  /** "after-tests" on the default branch; "if-missing" on a release (promotion builds only a missing image). */
  readonly productionBuild: "no" | "after-tests" | "if-missing";
  /** Run `reship release`: re-tag the commit's image as the version. */
  readonly promote: boolean;
  /** The condition the workflow puts on the production build job, when there is one. */
  readonly condition: string | undefined;
  /** The version being released (the tag), on a release. */
  readonly version: string | undefined;
  readonly reason: string;
  readonly event: string | undefined;
  readonly ref: string | undefined;
  readonly sha: string | undefined;
}

const PULL_REQUEST_EVENTS = new Set(["pull_request", "pull_request_target", "merge_group"]);

export function planBuilds(context: CiContext, rules: CiRules): BuildPlan {
  const base = { event: context.eventName, ref: context.ref, sha: context.sha };
  const none = (reason: string): BuildPlan => ({
    ...base,
    kind: "none",
    testBuild: false,
    productionBuild: "no",
    promote: false,
    condition: undefined,
    version: undefined,
    reason,
  });
  const test = (reason: string): BuildPlan => ({
    ...base,
    kind: "test",
    testBuild: true,
    productionBuild: "no",
    promote: false,
    condition: undefined,
    version: undefined,
    reason,
  });
  const release = (version: string, reason: string): BuildPlan => ({
    ...base,
    kind: "release",
    testBuild: false,
    productionBuild: "if-missing",
    promote: true,
    condition: undefined,
    version,
    reason,
  });

  const event = context.eventName;
  if (event === undefined)
    return none("no CI event (GITHUB_EVENT_NAME is not set and --event was not given)");

  if (PULL_REQUEST_EVENTS.has(event)) {
    const target = context.baseRef ? ` into ${context.baseRef}` : "";
    return test(
      `${event}${target}: build the test image only; production images come from ${rules.defaultBranch}`,
    );
  }

  if (event === "push") {
    const ref = context.ref;
    if (ref === undefined) return none("push without a ref (GITHUB_REF is not set and --ref was not given)");
    if (ref.startsWith("refs/tags/")) {
      const tag = ref.slice("refs/tags/".length);
      if (isVersionTag(tag, rules)) {
        return release(
          tag,
          `version tag ${tag} pushed: promote the commit's image; build it only when it is missing`,
        );
      }
      return none(`tag ${tag} is not a version tag (${versionTagRule(rules)}): nothing to build`);
    }
    const branch = ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
    if (branch !== rules.defaultBranch) {
      return test(
        `push to ${branch}, not the default branch ${rules.defaultBranch}: build the test image only`,
      );
    }
    if (!rules.productionOnMain) {
      return test(`push to ${branch}: productionOnMain is off in reship.yaml, so build the test image only`);
    }
    return {
      ...base,
      kind: "main",
      testBuild: true,
      productionBuild: "after-tests",
      promote: false,
      condition: PRODUCTION_CONDITION,
      version: undefined,
      reason: `push to the default branch ${branch}: test build, tests, then the production build once every test passed`,
    };
  }

  if (event === "release") {
    const action = context.action;
    if (action !== undefined && action !== "published") {
      return none(`release ${action}: only a published release promotes an image`);
    }
    const tag =
      context.releaseTag ?? (context.ref?.startsWith("refs/tags/") ? context.ref.slice(10) : undefined);
    if (tag === undefined)
      return none("release without a tag (no release.tag_name in the payload and no refs/tags/ ref)");
    if (!isVersionTag(tag, rules))
      return none(`release tag ${tag} is not a version tag (${versionTagRule(rules)})`);
    return release(
      tag,
      `release ${tag} published: promote the commit's image; build it only when it is missing`,
    );
  }

  return none(`${event} builds nothing: only pull requests, pushes and published releases build images`);
}

/** The $GITHUB_OUTPUT values of a plan. */
export function planOutputs(plan: BuildPlan): Record<string, string> {
  return {
    kind: plan.kind,
    test_build: String(plan.testBuild),
    production_build: plan.productionBuild === "no" ? "false" : plan.productionBuild,
    promote: String(plan.promote),
    condition: plan.condition ?? "",
    version: plan.version ?? "",
    reason: plan.reason,
  };
}
