import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { Readable } from "node:stream";
import { NetworkError } from "../errors.js";
import { backoffDelay, parseRetryAfter, retryTransport } from "./retry.js";
import type { TransportRequest, TransportResponse } from "./types.js";

const NOW = Date.parse("2024-05-01T12:00:00Z");

describe("parseRetryAfter", () => {
  const cases: [string | undefined, number | undefined][] = [
    [undefined, undefined],
    ["0", 0],
    ["3", 3000],
    [" 120 ", 120_000],
    ["Wed, 01 May 2024 12:00:30 GMT", 30_000],
    ["Wed, 01 May 2024 11:59:00 GMT", 0],
    ["soon", undefined],
    ["-1", undefined],
  ];
  for (const [value, want] of cases) {
    test(`${String(value)} → ${String(want)}`, () => assert.equal(parseRetryAfter(value, NOW), want));
  }
});

describe("backoffDelay", () => {
  test("full jitter stays within [0, min(cap, base·2^n)]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (n, r) => {
          const d = backoffDelay(n, 200, 10_000, () => r);
          return d >= 0 && d <= Math.min(10_000, 200 * 2 ** n);
        },
      ),
    );
  });
  test("the ceiling doubles then caps", () => {
    const top = (n: number) => backoffDelay(n, 200, 10_000, () => 0.9999999);
    assert.deepEqual([0, 1, 2, 3, 6, 10].map(top), [199, 399, 799, 1599, 9999, 9999]);
  });
});

function response(status: number, headers: Record<string, string> = {}): TransportResponse {
  return { status, headers, url: new URL("http://127.0.0.1/"), body: Readable.from([]) };
}

/** A wire that answers from a list and records what it was asked. */
function scripted(answers: (TransportResponse | Error)[]) {
  const seen: TransportRequest[] = [];
  const wire = (request: TransportRequest) => {
    seen.push(request);
    const next = answers.shift();
    if (next === undefined) throw new Error("no answer left");
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { wire, seen };
}

const get: TransportRequest = { method: "GET", url: new URL("http://127.0.0.1/v2/"), idempotent: true };
const reset = () => new NetworkError("NETWORK", "reset", { host: "h", errno: "ECONNRESET", retryable: true });

describe("retryTransport", () => {
  const table: {
    name: string;
    answers: (TransportResponse | Error)[];
    request?: TransportRequest;
    calls: number;
    status?: number;
    sleeps: number[];
  }[] = [
    { name: "503 then 200", answers: [response(503), response(200)], calls: 2, status: 200, sleeps: [0] },
    {
      name: "429 honours Retry-After seconds",
      answers: [response(429, { "retry-after": "2" }), response(200)],
      calls: 2,
      status: 200,
      sleeps: [2000],
    },
    {
      name: "Retry-After is capped",
      answers: [response(429, { "retry-after": "3600" }), response(200)],
      calls: 2,
      status: 200,
      sleeps: [60_000],
    },
    { name: "404 is not retried", answers: [response(404)], calls: 1, status: 404, sleeps: [] },
    {
      name: "gives up after 3 attempts with the last answer",
      answers: [response(502), response(502), response(504)],
      calls: 3,
      status: 504,
      sleeps: [0, 0],
    },
    {
      name: "connection reset is retried",
      answers: [reset(), response(200)],
      calls: 2,
      status: 200,
      sleeps: [0],
    },
    {
      name: "non-idempotent requests are not retried",
      answers: [response(503)],
      request: { ...get, method: "POST", idempotent: false },
      calls: 1,
      status: 503,
      sleeps: [],
    },
    {
      name: "one-shot stream bodies are not retried",
      answers: [response(503)],
      request: { ...get, method: "PUT", body: Readable.from([Buffer.from("x")]) },
      calls: 1,
      status: 503,
      sleeps: [],
    },
  ];
  for (const c of table) {
    test(c.name, async () => {
      const { wire, seen } = scripted([...c.answers]);
      const sleeps: number[] = [];
      const t = retryTransport(wire, {
        attempts: 3,
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
        random: () => 0,
      });
      const res = await t(c.request ?? get);
      assert.equal(seen.length, c.calls);
      assert.equal(res.status, c.status);
      assert.deepEqual(sleeps, c.sleeps);
    });
  }

  test("a connection error that is not retryable is thrown at once", async () => {
    const refused = new NetworkError("NETWORK", "tls", {
      host: "h",
      errno: "DEPTH_ZERO_SELF_SIGNED_CERT",
      retryable: false,
    });
    const { wire, seen } = scripted([refused]);
    await assert.rejects(retryTransport(wire, { sleep: () => Promise.resolve() })(get), /tls/);
    assert.equal(seen.length, 1);
  });

  test("attempt numbers reach the inner layers", async () => {
    const { wire, seen } = scripted([response(503), response(200)]);
    await retryTransport(wire, { sleep: () => Promise.resolve() })(get);
    assert.deepEqual(
      seen.map((r) => r.attempt),
      [1, 2],
    );
  });
});
