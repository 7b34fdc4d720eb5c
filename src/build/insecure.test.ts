import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { hostWithoutPort, isInsecureRegistry, isLoopback } from "../oci/index.js";
import { tagRegistry } from "./insecure.js";

describe("tagRegistry", () => {
  const table: [string, string][] = [
    ["nginx", "docker.io"],
    ["acme/app:1", "docker.io"],
    ["ghcr.io/acme/app:1", "ghcr.io"],
    ["localhost/app", "localhost"],
    ["127.0.0.1:5000/app:v1", "127.0.0.1:5000"],
    ["[::1]:5000/app:v1", "[::1]:5000"],
    [`reg:5000/a/b@sha256:${"0".repeat(64)}`, "reg:5000"],
  ];
  for (const [tag, registry] of table) test(tag, () => assert.equal(tagRegistry(tag), registry));
});

describe("hostWithoutPort", () => {
  const table: [string, string][] = [
    ["reg.io", "reg.io"],
    ["reg.io:443", "reg.io"],
    ["[::1]:5000", "::1"],
    ["[::1]", "::1"],
  ];
  for (const [input, host] of table) test(input, () => assert.equal(hostWithoutPort(input), host));
});

describe("isInsecureRegistry", () => {
  const table: [string, string[], boolean][] = [
    ["127.0.0.1:5000", [], true],
    ["127.10.0.3", [], true],
    ["localhost:5000", [], true],
    ["[::1]:5000", [], true],
    ["ghcr.io", [], false],
    ["128.0.0.1:5000", [], false],
    ["reg.lan:5000", ["reg.lan:5000"], true],
    ["reg.lan:5000", ["reg.lan"], true],
    ["reg.lan:5001", ["reg.lan:5000"], false],
    ["REG.lan", ["reg.LAN"], true],
  ];
  for (const [registry, list, expected] of table) {
    test(`${registry} with [${list.join(",")}]`, () =>
      assert.equal(isInsecureRegistry(registry, list), expected));
  }

  test("property: all of 127.0.0.0/8 is loopback, with or without a port", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, fc.option(fc.integer({ min: 1, max: 65535 })), (a, b, c, port) => {
        const host = `127.${a}.${b}.${c}${port === null ? "" : `:${port}`}`;
        assert.ok(isLoopback(host), host);
      }),
    );
  });
});
