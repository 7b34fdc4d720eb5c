import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { onePushedDigest } from "./exec.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const TAGS = ["r.io/app:sha-1", "ghcr.io/acme/app:sha-1"];

describe("onePushedDigest", () => {
  test("every push agrees: that digest", () => assert.equal(onePushedDigest("docker", TAGS, [A, A]), A));
  const bad: { name: string; digests: string[]; message: RegExp }[] = [
    { name: "nothing pushed", digests: [], message: /^buildah pushed no tag$/ },
    {
      name: "two pushes disagree",
      digests: [A, B],
      message: new RegExp(`^buildah pushed r\\.io/app:sha-1 as ${A} but ghcr\\.io/acme/app:sha-1 as ${B}$`),
    },
  ];
  for (const c of bad) {
    test(c.name, () =>
      assert.throws(() => onePushedDigest("buildah", TAGS, c.digests), { code: "BUILD", message: c.message }),
    );
  }
});
