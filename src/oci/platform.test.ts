import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { formatPlatform, parsePlatform, platformMatches } from "./platform.js";

describe("parsePlatform", () => {
  const good: [string, object][] = [
    ["linux/amd64", { os: "linux", architecture: "amd64" }],
    ["linux/arm64/v8", { os: "linux", architecture: "arm64", variant: "v8" }],
    ["Linux/ARM/v7", { os: "linux", architecture: "arm", variant: "v7" }],
  ];
  for (const [input, want] of good) test(input, () => assert.deepEqual(parsePlatform(input), want));
  for (const bad of ["linux", "linux/", "/amd64", "linux/arm/v7/x", "linux/arm/", "linux/a b"]) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parsePlatform(bad), /invalid platform/));
  }
});

describe("platformMatches", () => {
  const cases: [string, string, boolean][] = [
    ["linux/amd64", "linux/amd64", true],
    ["linux/arm64", "linux/arm64/v8", true],
    ["linux/arm64/v8", "linux/arm64", true],
    ["linux/arm/v7", "linux/arm/v6", false],
    ["linux/arm", "linux/arm/v6", true],
    ["linux/amd64", "windows/amd64", false],
  ];
  for (const [want, have, result] of cases) {
    test(`${want} ~ ${have}`, () =>
      assert.equal(platformMatches(parsePlatform(want), parsePlatform(have)), result));
  }
  test("x86_64 is amd64", () =>
    assert.ok(platformMatches(parsePlatform("linux/amd64"), { os: "linux", architecture: "x86_64" })));
});

test("format(parse(s)) round trips", () => {
  const part = fc.string({ unit: fc.constantFrom(..."abc019_".split("")), minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(part, part, fc.option(part), (os, arch, variant) => {
      const text = variant === null ? `${os}/${arch}` : `${os}/${arch}/${variant}`;
      assert.equal(formatPlatform(parsePlatform(text)), text);
    }),
  );
});
