// The benchmark's pure helpers. Not part of npm test (bench/ is not a test
// folder); run with: node --import tsx --test bench/lib/pure.test.ts
import { strict as assert } from "node:assert";
import { describe, test } from "node:test";
import { parseOptions } from "./options.js";
import { countRequests, requestKind } from "./requests.js";
import { median, ratio, summarize } from "./stats.js";

describe("stats", () => {
  for (const [values, expected] of [
    [[3], 3],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 1000], 10],
  ] as const) {
    test(`median of ${values.join(",")} is ${expected}`, () => assert.equal(median(values), expected));
  }
  test("summarize gives min, max and the median absolute deviation", () => {
    assert.deepEqual(summarize([1, 2, 3, 4, 100]), { n: 5, median: 3, min: 1, max: 100, mad: 1 });
  });
  test("ratio is reship over peer", () => assert.equal(ratio(50, 200), 0.25));
});

describe("requestKind", () => {
  for (const [method, path, kind] of [
    ["GET", "/v2/", "ping"],
    ["HEAD", "/v2/team/app/manifests/1.2.3", "manifest"],
    ["PUT", "/v2/team/app/manifests/latest", "manifest"],
    ["GET", "/v2/team/app/tags/list?n=1000", "tags list"],
    ["HEAD", "/v2/team/app/blobs/sha256:" + "a".repeat(64), "blob"],
    ["POST", "/v2/prod/app/blobs/uploads/?mount=sha256:aa&from=team/app", "blob mount"],
    ["POST", "/v2/prod/app/blobs/uploads/", "blob upload"],
    ["PATCH", "/v2/prod/app/blobs/uploads/0c1f-uuid?_state=x", "blob upload"],
    ["GET", "/v2/team/app/referrers/sha256:" + "b".repeat(64), "referrers"],
    ["GET", "/metrics", "other"],
  ] as const) {
    test(`${method} ${path} is ${kind}`, () => assert.equal(requestKind(method, path), kind));
  }
  test("counts by method and kind", () => {
    assert.deepEqual(
      countRequests([
        { method: "HEAD", path: "/v2/a/manifests/1", status: 404 },
        { method: "HEAD", path: "/v2/a/manifests/2", status: 200 },
        { method: "GET", path: "/v2/a/tags/list", status: 200 },
      ]),
      { "GET tags list": 1, "HEAD manifest": 2 },
    );
  });
});

describe("parseOptions", () => {
  test("defaults: every case, 5 runs, 1 warm-up, a 1 GiB image", () => {
    assert.deepEqual(parseOptions([], {}), {
      cases: ["1", "2", "3", "4", "5"],
      runs: 5,
      warmup: 1,
      quick: false,
      bigImageMiB: 1024,
    });
  });
  test("cases by argument, in order, quick mode", () => {
    assert.deepEqual(parseOptions(["5", "1", "--quick"], {}), {
      cases: ["1", "5"],
      runs: 1,
      warmup: 0,
      quick: true,
      bigImageMiB: 128,
    });
  });
  test("runs from the environment", () => assert.equal(parseOptions([], { RESHIP_BENCH_RUNS: "9" }).runs, 9));
  test("bad input is refused", () => {
    assert.throws(() => parseOptions(["7"], {}), /unknown argument 7/);
    assert.throws(() => parseOptions([], { RESHIP_BENCH_RUNS: "0" }), /RESHIP_BENCH_RUNS=0/);
  });
});
