import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { isLoopback } from "../../oci/index.js";
import { registryScheme } from "./scheme.js";

describe("registryScheme", () => {
  const cases: [host: string, insecure: string[], want: "http" | "https"][] = [
    ["127.0.0.1:5000", [], "http"],
    ["127.1.2.3", [], "http"],
    ["localhost:5000", [], "http"],
    ["LOCALHOST", [], "http"],
    ["[::1]:5000", [], "http"],
    ["::1", [], "http"],
    ["registry.example.com", [], "https"],
    ["registry.example.com:5000", [], "https"],
    ["10.0.0.5:5000", [], "https"],
    ["128.0.0.1", [], "https"],
    ["localhost.example.com", [], "https"],
    ["registry.example.com:5000", ["registry.example.com:5000"], "http"],
    ["registry.example.com:5000", ["registry.example.com"], "http"],
    ["registry.example.com:5000", ["registry.example.com:5001"], "https"],
    ["registry.example.com", ["http://registry.example.com/"], "http"],
    ["Registry.Example.com", ["registry.example.com"], "http"],
    ["other.example.com", ["registry.example.com"], "https"],
    ["ghcr.io", [], "https"],
  ];
  for (const [host, insecure, want] of cases) {
    test(`${host} with [${insecure.join(", ")}] → ${want}`, () => {
      assert.equal(registryScheme(host, insecure), want);
    });
  }

  test("isLoopback", () => {
    assert.equal(isLoopback("127.0.0.1:1"), true);
    assert.equal(isLoopback("example.com"), false);
  });
});
