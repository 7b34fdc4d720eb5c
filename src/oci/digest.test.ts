import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { isReshipError } from "../errors.js";
import { digestAlgorithm, digestHex, isDigest, parseDigest } from "./digest.js";
import { parseImageConfig } from "./image-config.js";

describe("parseDigest", () => {
  const good = [`sha256:${"0".repeat(64)}`, `sha512:${"f".repeat(128)}`];
  for (const input of good) test(input.slice(0, 12), () => assert.equal(parseDigest(input), input));
  const bad: [string, RegExp][] = [
    ["", /algorithm>:<hex>/],
    ["sha256", /algorithm>:<hex>/],
    [":abc", /algorithm>:<hex>/],
    [`md5:${"0".repeat(32)}`, /unsupported algorithm "md5"/],
    [`sha256:${"0".repeat(63)}`, /64 hex digits, not 63/],
    [`sha256:${"G".repeat(64)}`, /lowercase hex/],
    [`SHA256:${"0".repeat(64)}`, /not an algorithm name/],
  ];
  for (const [input, message] of bad) {
    test(`rejects ${JSON.stringify(input).slice(0, 20)}`, () => {
      assert.throws(
        () => parseDigest(input),
        (e: unknown) => isReshipError(e, "INVALID_DIGEST") && message.test(e.message),
      );
      assert.equal(isDigest(input), false);
    });
  }
  test("parts", () => {
    const digest = parseDigest(`sha512:${"e".repeat(128)}`);
    assert.equal(digestAlgorithm(digest), "sha512");
    assert.equal(digestHex(digest), "e".repeat(128));
  });
});

describe("parseImageConfig", () => {
  test("reads labels, created and platform", () => {
    const config = parseImageConfig(
      new TextEncoder().encode(
        JSON.stringify({
          architecture: "arm64",
          os: "linux",
          variant: "v8",
          created: "2024-01-02T03:04:05Z",
          config: { Labels: { "org.opencontainers.image.revision": "abc", n: 1 } },
        }),
      ),
    );
    assert.deepEqual(config, {
      os: "linux",
      architecture: "arm64",
      variant: "v8",
      created: "2024-01-02T03:04:05Z",
      labels: { "org.opencontainers.image.revision": "abc" },
    });
  });
  test("no labels", () => assert.deepEqual(parseImageConfig(new TextEncoder().encode("{}")).labels, {}));
  test("not JSON", () =>
    assert.throws(() => parseImageConfig(new TextEncoder().encode("x")), /invalid image config/));
});
