import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { Readable } from "node:stream";
import { registryErrorFromResponse } from "../errors.js";
import { loggerTransport } from "./logger.js";
import type { RequestLogEntry } from "./logger.js";
import { redactText, redactUrl } from "./redact.js";
import { redirectTransport } from "./redirect.js";
import type { TransportRequest, TransportResponse } from "./types.js";

describe("redactUrl", () => {
  const cases: [string, string][] = [
    [
      "https://r.example/v2/a/blobs/uploads/x?_state=SECRETSTATE&digest=sha256:ab",
      "https://r.example/v2/a/blobs/uploads/x?_state=REDACTED&digest=sha256%3Aab",
    ],
    [
      "https://auth.example/token?service=s&access_token=SECRET",
      "https://auth.example/token?service=s&access_token=REDACTED",
    ],
    ["https://u:SECRETPASS@r.example/v2/", "https://REDACTED@r.example/v2/"],
    [
      "https://s3.example/bucket/blob?X-Amz-Signature=SECRETSIG&X-Amz-Date=1",
      "https://s3.example/bucket/blob?X-Amz-Signature=REDACTED&X-Amz-Date=1",
    ],
    ["https://r.example/v2/a/tags/list?n=10", "https://r.example/v2/a/tags/list?n=10"],
  ];
  for (const [input, want] of cases) {
    test(input, () => assert.equal(redactUrl(input), want));
  }
});

describe("redactText", () => {
  const cases: [string, string][] = [
    ["Authorization: Bearer eyJhbGciOi.abc.def", "Authorization: Bearer REDACTED"],
    ["basic dXNlcjpwYXNz", "basic REDACTED"],
    ['{"token":"SECRET","expires_in":60}', '{"token":"REDACTED","expires_in":60}'],
    ["see https://x/y?token=SECRET&a=1", "see https://x/y?token=REDACTED&a=1"],
  ];
  for (const [input, want] of cases) {
    test(input, () => assert.equal(redactText(input), want));
  }
});

/** Secrets shaped like tokens and passwords: long enough to be recognisable in output. */
const secretArb = fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/);

function answer(status: number, body: string, headers: Record<string, string> = {}): TransportResponse {
  return { status, headers, url: new URL("https://r.example/"), body: Readable.from([Buffer.from(body)]) };
}

describe("no secret reaches a log line or an error message", () => {
  test("property: Authorization header, token in the query, upload state, error body echoing the token", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, fc.constantFrom(200, 401, 404, 500), async (secret, status) => {
        const lines: RequestLogEntry[] = [];
        const request: TransportRequest = {
          method: "GET",
          url: new URL(
            `https://r.example/v2/app/blobs/uploads/u?_state=${secret}&token=${secret}&access_token=${secret}`,
          ),
          headers: { authorization: `Bearer ${secret}` },
        };
        const wire = () =>
          Promise.resolve(
            answer(
              status,
              JSON.stringify({
                errors: [
                  {
                    code: "DENIED",
                    message: `authorization Bearer ${secret} rejected`,
                    detail: { token: secret },
                  },
                ],
                token: secret,
              }),
            ),
          );
        const logged = loggerTransport(wire, (entry) => lines.push(entry));
        const response = await logged(request);
        const err = await registryErrorFromResponse("GET", request.url, response);
        const failing = loggerTransport(
          () => Promise.reject(new Error(`connect failed for Bearer ${secret}`)),
          (e) => lines.push(e),
        );
        await failing(request).catch(() => undefined);
        const text =
          JSON.stringify(lines) + err.message + err.url + JSON.stringify(err.errors.map((e) => e.code));
        return !text.includes(secret);
      }),
      { numRuns: 50 },
    );
  });

  test("a redirect hop to another host never carries the Authorization header", async () => {
    const seen: TransportRequest[] = [];
    const wire = (request: TransportRequest) => {
      seen.push(request);
      return Promise.resolve(
        request.url.host === "r.example"
          ? answer(307, "", { location: "https://storage.example/blob?sig=abc" })
          : answer(200, "data"),
      );
    };
    await redirectTransport(wire)({
      method: "GET",
      url: new URL("https://r.example/v2/a/blobs/sha256:1"),
      headers: { authorization: "Bearer SECRET" },
    });
    assert.equal(seen[0]?.headers?.["authorization"], "Bearer SECRET");
    assert.equal(seen[1]?.url.host, "storage.example");
    assert.equal(seen[1]?.headers?.["authorization"], undefined);
  });
});
