import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { planBuilds, planOutputs, PRODUCTION_CONDITION } from "./plan.js";
import type { CiContext } from "./context.js";
import { readCiContext } from "./context.js";
import { resolveCiRules } from "./types.js";

const ctx = (c: Partial<CiContext>): CiContext => ({
  eventName: undefined,
  ref: undefined,
  baseRef: undefined,
  sha: "0123456789abcdef0123456789abcdef01234567",
  action: undefined,
  releaseTag: undefined,
  ...c,
});

describe("planBuilds", () => {
  const rules = resolveCiRules();
  const cases: [
    string,
    CiContext,
    { kind: string; test: boolean; prod: string; promote: boolean; version?: string },
  ][] = [
    [
      "pull request",
      ctx({ eventName: "pull_request", ref: "refs/pull/7/merge", baseRef: "main" }),
      { kind: "test", test: true, prod: "no", promote: false },
    ],
    [
      "pull_request_target",
      ctx({ eventName: "pull_request_target", ref: "refs/heads/main" }),
      { kind: "test", test: true, prod: "no", promote: false },
    ],
    [
      "push to a feature branch",
      ctx({ eventName: "push", ref: "refs/heads/feature/x" }),
      { kind: "test", test: true, prod: "no", promote: false },
    ],
    [
      "push to main",
      ctx({ eventName: "push", ref: "refs/heads/main" }),
      { kind: "main", test: true, prod: "after-tests", promote: false },
    ],
    [
      "push of a version tag",
      ctx({ eventName: "push", ref: "refs/tags/v1.4.2" }),
      { kind: "release", test: false, prod: "if-missing", promote: true, version: "v1.4.2" },
    ],
    [
      "push of a version tag without v",
      ctx({ eventName: "push", ref: "refs/tags/2.0.0-rc.1" }),
      { kind: "release", test: false, prod: "if-missing", promote: true, version: "2.0.0-rc.1" },
    ],
    [
      "push of another tag",
      ctx({ eventName: "push", ref: "refs/tags/nightly" }),
      { kind: "none", test: false, prod: "no", promote: false },
    ],
    [
      "release published",
      ctx({ eventName: "release", ref: "refs/tags/v1.4.2", action: "published", releaseTag: "v1.4.2" }),
      { kind: "release", test: false, prod: "if-missing", promote: true, version: "v1.4.2" },
    ],
    [
      "release edited",
      ctx({ eventName: "release", ref: "refs/tags/v1.4.2", action: "edited", releaseTag: "v1.4.2" }),
      { kind: "none", test: false, prod: "no", promote: false },
    ],
    [
      "release of a non-version tag",
      ctx({ eventName: "release", action: "published", releaseTag: "latest" }),
      { kind: "none", test: false, prod: "no", promote: false },
    ],
    [
      "schedule",
      ctx({ eventName: "schedule", ref: "refs/heads/main" }),
      { kind: "none", test: false, prod: "no", promote: false },
    ],
    ["no event", ctx({}), { kind: "none", test: false, prod: "no", promote: false }],
  ];
  for (const [name, context, want] of cases) {
    test(name, () => {
      const plan = planBuilds(context, rules);
      assert.equal(plan.kind, want.kind);
      assert.equal(plan.testBuild, want.test);
      assert.equal(plan.productionBuild, want.prod);
      assert.equal(plan.promote, want.promote);
      assert.equal(plan.version, want.version);
      assert.ok(plan.reason.length > 0);
    });
  }

  test("main names the condition the workflow uses", () => {
    const plan = planBuilds(ctx({ eventName: "push", ref: "refs/heads/main" }), rules);
    assert.equal(plan.condition, PRODUCTION_CONDITION);
    assert.deepEqual(planOutputs(plan), {
      kind: "main",
      test_build: "true",
      production_build: "after-tests",
      promote: "false",
      condition: PRODUCTION_CONDITION,
      version: "",
      reason: plan.reason,
    });
  });

  const ruleCases: [string, Parameters<typeof resolveCiRules>[0], CiContext, string][] = [
    [
      "another default branch",
      { defaultBranch: "trunk" },
      ctx({ eventName: "push", ref: "refs/heads/main" }),
      "test",
    ],
    [
      "another default branch, pushed",
      { defaultBranch: "trunk" },
      ctx({ eventName: "push", ref: "refs/heads/trunk" }),
      "main",
    ],
    [
      "productionOnMain off",
      { productionOnMain: false },
      ctx({ eventName: "push", ref: "refs/heads/main" }),
      "test",
    ],
    [
      "tag pattern v*",
      { versionTagPattern: "v*" },
      ctx({ eventName: "push", ref: "refs/tags/v2" }),
      "release",
    ],
    [
      "tag pattern rejects",
      { versionTagPattern: "release-*" },
      ctx({ eventName: "push", ref: "refs/tags/v2.0.0" }),
      "none",
    ],
  ];
  for (const [name, partial, context, kind] of ruleCases) {
    test(`rules: ${name}`, () => assert.equal(planBuilds(context, resolveCiRules(partial)).kind, kind));
  }
});

describe("readCiContext", () => {
  test("reads the environment and the payload", () => {
    const c = readCiContext({
      env: {
        GITHUB_EVENT_NAME: "release",
        GITHUB_REF: "refs/tags/v1.0.0",
        GITHUB_SHA: "abc",
        GITHUB_EVENT_PATH: "/event.json",
      },
      readFile: () => JSON.stringify({ action: "published", release: { tag_name: "v1.0.0" } }),
    });
    assert.deepEqual(c, {
      eventName: "release",
      ref: "refs/tags/v1.0.0",
      baseRef: undefined,
      sha: "abc",
      action: "published",
      releaseTag: "v1.0.0",
    });
  });

  test("command-line values win, and a payload of another event is ignored", () => {
    const c = readCiContext({
      env: { GITHUB_EVENT_NAME: "release", GITHUB_REF: "refs/tags/v1.0.0", GITHUB_EVENT_PATH: "/event.json" },
      readFile: () => JSON.stringify({ action: "published" }),
      overrides: { event: "push", ref: "refs/heads/main", sha: "def" },
    });
    assert.equal(c.eventName, "push");
    assert.equal(c.ref, "refs/heads/main");
    assert.equal(c.sha, "def");
    assert.equal(c.action, undefined);
  });

  test("an unreadable payload is a CONFIG error naming the file", () => {
    assert.throws(
      () =>
        readCiContext({
          env: { GITHUB_EVENT_PATH: "/missing.json" },
          readFile: () => {
            throw new Error("ENOENT");
          },
        }),
      (err: Error & { code?: string }) => err.code === "CONFIG" && err.message.includes("/missing.json"),
    );
  });
});
