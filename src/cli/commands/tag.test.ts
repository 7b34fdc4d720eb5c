import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { isReshipError } from "../../errors.js";
import { parseReference } from "../../oci/index.js";
import { tagArgument } from "./tag.js";

const src = parseReference("ghcr.io/acme/app:sha-1a2b3c4");

describe("tagArgument", () => {
  const good: [string, string][] = [
    ["1.4.2", "1.4.2"],
    ["latest", "latest"],
    ["_x", "_x"],
    ["ghcr.io/acme/app:v2", "v2"],
  ];
  for (const [arg, tag] of good) test(arg, () => assert.equal(tagArgument(src, arg), tag));

  const bad: [string, string, RegExp][] = [
    ["x!", "INVALID_REFERENCE", /invalid tag "x!"/],
    ["-x", "INVALID_REFERENCE", /invalid tag "-x"/],
    ["app:v2", "USAGE", /is in docker.io\/library\/app, not ghcr.io\/acme\/app/],
    ["ghcr.io/acme/other:v2", "USAGE", /not ghcr.io\/acme\/app/],
    ["docker.io/acme/app:v2", "USAGE", /not ghcr.io\/acme\/app/],
    [`ghcr.io/acme/app@sha256:${"a".repeat(64)}`, "USAGE", /must name a tag/],
    ["ghcr.io/acme/app:v!", "INVALID_REFERENCE", /invalid tag "v!"/],
  ];
  for (const [arg, code, message] of bad) {
    test(`rejects ${arg.slice(0, 30)}`, () => {
      assert.throws(
        () => tagArgument(src, arg),
        (err: unknown) => isReshipError(err) && err.code === code && message.test(err.message),
      );
    });
  }
});
