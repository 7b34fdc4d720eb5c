import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { matchesFilters, matchesPattern } from "./filter-pattern.js";

describe("matchesPattern (GitHub filter pattern cheat sheet)", () => {
  const cases: [string, string, boolean][] = [
    ["main", "main", true],
    ["main", "mainline", false],
    ["feature/*", "feature/a", true],
    ["feature/*", "feature/a/b", false],
    ["feature/**", "feature/a/b", true],
    ["**", "a/b/c", true],
    ["*", "a/b", false],
    ["v*", "v1.2.3", true],
    ["v*.*.*", "v1.2.3", true],
    ["v*.*.*", "v1.2", false],
    ["v[12].[0-9]+.[0-9]+", "v1.10.1", true],
    ["v[12].[0-9]+.[0-9]+", "v3.1.1", false],
    ["v?[0-9]+.[0-9]+.[0-9]+", "1.2.3", true],
    ["v?[0-9]+.[0-9]+.[0-9]+", "vv1.2.3", false],
    ["*.md", "README.md", true],
    ["*.md", "docs/README.md", false],
    ["**.md", "docs/README.md", true],
    ["docs/**", "docs/a/b.md", true],
    ["releases/**-alpha", "releases/beta/3-alpha", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["1.0", "100", false],
  ];
  for (const [pattern, value, expected] of cases) {
    test(`${pattern} ${expected ? "matches" : "does not match"} ${value}`, () => {
      assert.equal(matchesPattern(pattern, value), expected);
    });
  }
});

describe("matchesFilters: order matters", () => {
  const cases: [string[], string, boolean][] = [
    [["main", "releases/**"], "releases/1", true],
    [["releases/**", "!releases/**-alpha"], "releases/1-alpha", false],
    [["releases/**", "!releases/**-alpha"], "releases/1", true],
    [["releases/**", "!releases/**-alpha", "releases/keep-alpha"], "releases/keep-alpha", true],
    [["!main"], "main", false],
    [["sub/**", "!sub/**/*.md", "sub/docs/*.md"], "sub/docs/a.md", true],
    [["sub/**", "!sub/**/*.md"], "sub/x/a.md", false],
    [[], "main", false],
  ];
  for (const [patterns, value, expected] of cases) {
    test(`${JSON.stringify(patterns)} on ${value} → ${expected}`, () => {
      assert.equal(matchesFilters(patterns, value), expected);
    });
  }

  test("a literal pattern (no special characters) matches exactly itself", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9/._-]{1,20}$/),
        fc.stringMatching(/^[a-z0-9/._-]{1,20}$/),
        (p, v) => {
          assert.equal(matchesPattern(p, v), p === v);
        },
      ),
    );
  });

  test("** matches every value", () => {
    fc.assert(fc.property(fc.string(), (v) => matchesFilters(["**"], v) === !v.includes("\n")));
  });
});
