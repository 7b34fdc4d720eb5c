import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { checkRequest, dockerfilePath } from "./request.js";
import type { BuildRequest } from "./types.js";
import { buildRequest } from "../../test/support/builders.js";

const base: BuildRequest = buildRequest(".", ["r.io/app:v1"]);

describe("checkRequest", () => {
  const bad: [string, Partial<BuildRequest>, string][] = [
    ["no tags", { tags: [] }, "USAGE"],
    ["empty context", { context: "" }, "USAGE"],
    ["tag with a space", { tags: ["r.io/app:v1 x"] }, "INVALID_REFERENCE"],
    ["build arg name with =", { buildArgs: { "A=B": "1" } }, "USAGE"],
    ["empty label name", { labels: { "": "x" } }, "USAGE"],
  ];
  for (const [name, request, code] of bad) {
    test(`rejects ${name}`, () => assert.throws(() => checkRequest({ ...base, ...request }), { code }));
  }
  test("accepts a full request", () => {
    checkRequest({ ...base, buildArgs: { A: "" }, labels: { "org.opencontainers.image.revision": "abc" } });
  });
});

describe("dockerfilePath", () => {
  const table: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ["Dockerfile.prod", "/ctx/Dockerfile.prod"],
    ["docker/Dockerfile", "/ctx/docker/Dockerfile"],
    ["/elsewhere/Dockerfile", "/elsewhere/Dockerfile"],
  ];
  for (const [dockerfile, expected] of table) {
    test(String(dockerfile), () =>
      assert.equal(dockerfilePath({ ...base, context: "/ctx", dockerfile }), expected),
    );
  }
});
