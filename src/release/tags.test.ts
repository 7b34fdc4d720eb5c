import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import semver from "semver";
import { isReshipError } from "../errors.js";
import { commitTagTemplate } from "../config/index.js";
import { heldBackFloatingTags, parseVersion, renderCommitTag, versionTags } from "./tags.js";
import type { TagRules } from "./tags.js";

const DEFAULT: TagRules = {
  templates: ["{{version}}", "{{major}}.{{minor}}", "{{major}}", "latest"],
  prefix: "",
  suffix: "",
};
const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("versionTags", () => {
  const rows: readonly {
    version: string;
    rules?: TagRules;
    floating?: boolean;
    exact: string[];
    float: string[];
  }[] = [
    { version: "1.4.2", exact: ["1.4.2"], float: ["1.4", "1", "latest"] },
    { version: "v1.4.2", exact: ["1.4.2"], float: ["1.4", "1", "latest"] },
    { version: "V2.0.0", exact: ["2.0.0"], float: ["2.0", "2", "latest"] },
    { version: "1.5.0-rc.1", exact: ["1.5.0-rc.1"], float: [] },
    { version: "v1.5.0-rc.1", exact: ["1.5.0-rc.1"], float: [] },
    { version: "nightly", exact: ["nightly"], float: [] },
    { version: "1.4", exact: ["1.4"], float: [] },
    { version: "2024.01.05", exact: ["2024.01.05"], float: [] },
    { version: "1.4.2", floating: false, exact: ["1.4.2"], float: [] },
    {
      version: "v1.4.2",
      rules: { templates: ["v{{version}}", "v{{major}}.{{minor}}", "v{{major}}"], prefix: "", suffix: "" },
      exact: ["v1.4.2"],
      float: ["v1.4", "v1"],
    },
    {
      version: "1.4.2",
      rules: { ...DEFAULT, suffix: "-alpine" },
      exact: ["1.4.2-alpine"],
      float: ["1.4-alpine", "1-alpine", "latest-alpine"],
    },
    {
      version: "1.4.2",
      rules: { templates: ["{{version}}-alpine", "alpine"], prefix: "", suffix: "" },
      exact: ["1.4.2-alpine"],
      float: ["alpine"],
    },
    {
      version: "1.4.2",
      rules: {
        templates: ["{{version}}", "{{major}}.{{minor}}.{{patch}}", "stable"],
        prefix: "v",
        suffix: "",
      },
      exact: ["v1.4.2"],
      float: ["stable"].map((t) => `v${t}`),
    },
  ];
  for (const row of rows) {
    test(`${row.version} ${JSON.stringify(row.rules?.templates ?? "default")} ${row.rules?.prefix ?? ""}${row.rules?.suffix ?? ""}${row.floating === false ? " no floating" : ""}`, () => {
      const tags = versionTags(parseVersion(row.version), row.rules ?? DEFAULT, {
        floating: row.floating ?? true,
      });
      assert.deepEqual(tags.exact, row.exact);
      assert.deepEqual(tags.floating, row.float);
    });
  }

  const invalid: readonly { version: string; rules?: TagRules; message: RegExp }[] = [
    { version: "", message: /empty/ },
    { version: "1.4.2+build.5", message: /build metadata/ },
    { version: "release/1.4", message: /neither semver/ },
    { version: "-1", message: /neither semver/ },
    { version: "x".repeat(129), message: /neither semver/ },
    {
      version: "1.4.2",
      rules: { templates: ["latest"], prefix: "", suffix: "" },
      message: /no tag template contains/,
    },
    {
      version: "nightly",
      rules: { templates: ["{{version}}-{{major}}"], prefix: "", suffix: "" },
      message: /needs a semver/,
    },
    { version: "1.4.2", rules: { ...DEFAULT, prefix: "-" }, message: /not a valid tag/ },
  ];
  for (const row of invalid) {
    test(`rejects "${row.version.slice(0, 20)}" with INVALID_VERSION`, () => {
      assert.throws(
        () => versionTags(parseVersion(row.version), row.rules ?? DEFAULT, { floating: true }),
        (err: unknown) => isReshipError(err, "INVALID_VERSION") && row.message.test(err.message),
      );
    });
  }
});

describe("heldBackFloatingTags", () => {
  const rows: readonly {
    version: string;
    existing: string[];
    rules?: TagRules;
    held: Record<string, string>;
  }[] = [
    { version: "1.4.2", existing: [], held: {} },
    { version: "1.4.2", existing: ["1.4.1", "1.4", "1", "latest"], held: {} },
    { version: "1.3.9", existing: ["1.4.0", "1.4", "1", "latest"], held: { "1": "1.4.0", latest: "1.4.0" } },
    {
      version: "1.3.9",
      existing: ["1.4.0", "2.0.0", "1.3.10"],
      held: { "1.3": "1.3.10", "1": "1.4.0", latest: "2.0.0" },
    },
    { version: "1.4.2", existing: ["1.4.2"], held: {} },
    // pre-releases never hold floating tags
    { version: "1.4.2", existing: ["1.5.0-rc.1"], held: {} },
    // tags that are not exact version tags of these rules say nothing
    { version: "1.4.2", existing: ["2.0", "sha-abc1234", "v9.9.9", "9.9.9-alpine", "nightly"], held: {} },
    {
      version: "1.4.2",
      rules: { ...DEFAULT, suffix: "-alpine" },
      existing: ["9.9.9", "1.5.0-alpine"],
      held: { "1-alpine": "1.5.0", "latest-alpine": "1.5.0" },
    },
    {
      version: "v1.4.2",
      rules: { templates: ["v{{version}}", "v{{major}}"], prefix: "", suffix: "" },
      existing: ["1.9.0", "v1.10.0"],
      held: { v1: "1.10.0" },
    },
  ];
  for (const row of rows) {
    test(`${row.version} after [${row.existing.join(", ")}]`, () => {
      const rules = row.rules ?? DEFAULT;
      const tags = versionTags(parseVersion(row.version), rules, { floating: true });
      assert.deepEqual(Object.fromEntries(heldBackFloatingTags(tags, rules, row.existing)), row.held);
    });
  }

  test("whatever the release order, floating tags end on the newest version they cover", () => {
    const version = fc
      .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }))
      .map(([a, b, c]) => `${a}.${b}.${c}`);
    fc.assert(
      fc.property(fc.uniqueArray(version, { minLength: 1, maxLength: 12 }), (order) => {
        const registry = new Map<string, string>();
        for (const v of order) {
          const tags = versionTags(parseVersion(v), DEFAULT, { floating: true });
          const held = heldBackFloatingTags(tags, DEFAULT, [...registry.keys()]);
          for (const t of [...tags.exact, ...tags.floating]) if (!held.has(t)) registry.set(t, v);
        }
        const newest = (filter: (v: string) => boolean): string | undefined =>
          order.filter(filter).sort(semver.rcompare)[0];
        assert.equal(
          registry.get("latest"),
          newest(() => true),
        );
        for (const v of order) {
          const s = semver.parse(v)!;
          assert.equal(registry.get(v), v);
          assert.equal(
            registry.get(`${s.major}`),
            newest((w) => semver.major(w) === s.major),
          );
          assert.equal(
            registry.get(`${s.major}.${s.minor}`),
            newest((w) => semver.major(w) === s.major && semver.minor(w) === s.minor),
          );
        }
      }),
    );
  });
});

describe("commit tag", () => {
  const rows: readonly { settings: Parameters<typeof commitTagTemplate>[0]; tag: string }[] = [
    { settings: {}, tag: "sha-0123456" },
    { settings: { format: "{{sha}}" }, tag: SHA },
    { settings: { format: "git-{{sha12}}" }, tag: "git-0123456789ab" },
    { settings: { length: 10 }, tag: "sha-0123456789" },
    { settings: { prefix: "" }, tag: "0123456" },
    { settings: { full: true }, tag: `sha-${SHA}` },
    { settings: { prefix: "c-", full: true }, tag: `c-${SHA}` },
  ];
  for (const row of rows) {
    test(`${JSON.stringify(row.settings)} → ${row.tag}`, () => {
      assert.equal(renderCommitTag(commitTagTemplate(row.settings), SHA), row.tag);
    });
  }
  const bad: readonly [string, string, RegExp][] = [
    ["sha-{{sha7}}", "abc1234", /not a full lowercase sha/],
    ["sha-{{sha7}}", SHA.toUpperCase(), /not a full lowercase sha/],
    ["build", SHA, /must contain/],
    ["{{commit}}", SHA, /unknown placeholder/],
    ["{{sha2}}", SHA, /4 to 40/],
    ["/{{sha}}", SHA, /not a valid tag/],
  ];
  for (const [template, sha, message] of bad) {
    test(`rejects ${template} with ${sha.slice(0, 8)}`, () => {
      assert.throws(
        () => renderCommitTag(template, sha),
        (err: unknown) => isReshipError(err, "USAGE") && message.test(err.message),
      );
    });
  }
});
