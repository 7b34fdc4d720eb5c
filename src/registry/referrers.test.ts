import { test } from "node:test";
import { strict as assert } from "node:assert";
import { parseDigest } from "../oci/index.js";
import { referrersTag } from "./referrers.js";

test("referrersTag: <alg>-<hex>, hex truncated to 64", () => {
  assert.equal(referrersTag(parseDigest(`sha256:${"ab".repeat(32)}`)), `sha256-${"ab".repeat(32)}`);
  assert.equal(referrersTag(parseDigest(`sha512:${"c".repeat(128)}`)), `sha512-${"c".repeat(64)}`);
});
