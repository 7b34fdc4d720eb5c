import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { Readable } from "node:stream";
import { ERROR_BODY_LIMIT, parseErrorBody, registryErrorFromResponse } from "./errors.js";
import type { TransportResponse } from "./transport/types.js";

function answer(status: number, body: string | Buffer): TransportResponse {
  return {
    status,
    headers: {},
    url: new URL("https://r.example/"),
    body: Readable.from([Buffer.from(body)]),
  };
}

describe("registryErrorFromResponse", () => {
  const cases: { status: number; code: string; temporary: boolean }[] = [
    { status: 401, code: "UNAUTHORIZED", temporary: false },
    { status: 403, code: "DENIED", temporary: false },
    { status: 404, code: "NOT_FOUND", temporary: false },
    { status: 400, code: "REGISTRY", temporary: false },
    { status: 429, code: "REGISTRY", temporary: true },
    { status: 500, code: "REGISTRY", temporary: true },
    { status: 503, code: "REGISTRY", temporary: true },
  ];
  for (const c of cases) {
    test(`${c.status} → ${c.code}`, async () => {
      const body = JSON.stringify({
        errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown", detail: { Tag: "x" } }],
      });
      const err = await registryErrorFromResponse(
        "GET",
        "https://r.example:5000/v2/app/manifests/x",
        answer(c.status, body),
      );
      assert.equal(err.code, c.code);
      assert.equal(err.status, c.status);
      assert.equal(err.temporary, c.temporary);
      assert.equal(err.method, "GET");
      assert.deepEqual(err.errors, [
        { code: "MANIFEST_UNKNOWN", message: "manifest unknown", detail: { Tag: "x" } },
      ]);
      assert.match(err.message, /r\.example:5000/);
      assert.match(err.message, /MANIFEST_UNKNOWN/);
    });
  }

  test("a huge body is read only up to the cap", async () => {
    let pulled = 0;
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const body = new Readable({
      read() {
        pulled += chunk.length;
        this.push(pulled > 10 * 1024 * 1024 ? null : chunk);
      },
    });
    const err = await registryErrorFromResponse("GET", "https://r.example/v2/", {
      status: 500,
      headers: {},
      url: new URL("https://r.example/"),
      body,
    });
    assert.equal(err.code, "REGISTRY");
    assert.ok(pulled <= ERROR_BODY_LIMIT + 4 * chunk.length, `read ${pulled} bytes`);
  });

  test("HEAD has no body: codes from the status only", async () => {
    const err = await registryErrorFromResponse(
      "HEAD",
      "https://r.example/v2/a/manifests/x",
      answer(404, ""),
    );
    assert.equal(err.code, "NOT_FOUND");
    assert.deepEqual(err.errors, []);
  });
});

describe("parseErrorBody", () => {
  const cases: [string, unknown][] = [
    ['{"errors":[{"code":"DENIED","message":"no"}]}', [{ code: "DENIED", message: "no" }]],
    ['{"errors":[{"message":"no code"}]}', [{ code: "UNKNOWN", message: "no code" }]],
    ["<html>bad gateway</html>", []],
    ['{"errors":"nope"}', []],
    ["", []],
  ];
  for (const [body, want] of cases)
    test(JSON.stringify(body), () => assert.deepEqual(parseErrorBody(body), want));
});
