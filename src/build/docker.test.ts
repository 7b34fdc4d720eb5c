import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { dockerCommands, dockerWarnings, parsePushDigest } from "./docker.js";
import type { BuildRequest } from "./types.js";
import { buildRequest } from "../../test/support/builders.js";

const base: BuildRequest = buildRequest("ctx", ["127.0.0.1:5000/app:sha-1234567"]);

describe("dockerCommands", () => {
  const cases: { name: string; request: Partial<BuildRequest>; build: string[]; pushes: string[][] }[] = [
    {
      name: "minimal: build, then push the tag",
      request: {},
      build: ["build", "--tag", "127.0.0.1:5000/app:sha-1234567", "ctx"],
      pushes: [["push", "127.0.0.1:5000/app:sha-1234567"]],
    },
    {
      name: "every supported flag; registry cache read, inline cache written",
      request: {
        platforms: ["linux/arm64"],
        dockerfile: "Dockerfile.prod",
        target: "runtime",
        buildArgs: { A: "1" },
        labels: { "org.opencontainers.image.revision": "abc" },
        secrets: ["id=npm,src=/run/npmrc"],
        cacheFrom: ["type=registry,ref=r.io/app:cache", "r.io/app:cache2", "type=gha,scope=x"],
        cacheTo: ["type=inline"],
        tags: ["r.io/app:sha-1", "r.io/app:1.0.0"],
      },
      build: [
        "build",
        "--platform",
        "linux/arm64",
        "--file",
        "ctx/Dockerfile.prod",
        "--target",
        "runtime",
        "--build-arg",
        "A=1",
        "--build-arg",
        "BUILDKIT_INLINE_CACHE=1",
        "--label",
        "org.opencontainers.image.revision=abc",
        "--secret",
        "id=npm,src=/run/npmrc",
        "--cache-from",
        "r.io/app:cache",
        "--cache-from",
        "r.io/app:cache2",
        "--tag",
        "r.io/app:sha-1",
        "--tag",
        "r.io/app:1.0.0",
        "ctx",
      ],
      pushes: [
        ["push", "r.io/app:sha-1"],
        ["push", "r.io/app:1.0.0"],
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const [build, ...pushes] = dockerCommands(
        { ...base, ...c.request },
        { dockerCommand: "/usr/bin/docker" },
      );
      assert.deepEqual(build, { command: "/usr/bin/docker", args: c.build, env: { DOCKER_BUILDKIT: "1" } });
      assert.deepEqual(
        pushes,
        c.pushes.map((args) => ({ command: "/usr/bin/docker", args })),
      );
    });
  }

  test("refuses more than one platform, naming the builders that can", () => {
    assert.throws(
      () => dockerCommands({ ...base, platforms: ["linux/amd64", "linux/arm64"] }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, "USAGE");
        assert.match(err.message, /linux\/amd64,linux\/arm64/);
        assert.match(err.message, /buildx/);
        assert.match(err.message, /buildah/);
        return true;
      },
    );
  });
});

describe("dockerWarnings", () => {
  const cases: { name: string; request: Partial<BuildRequest>; warnings: RegExp[] }[] = [
    {
      name: "nothing unsupported",
      request: { cacheFrom: ["r/app:cache"], cacheTo: ["type=inline"], provenance: false },
      warnings: [],
    },
    {
      name: "gha cache both ways",
      request: { cacheFrom: ["type=gha"], cacheTo: ["type=gha,mode=max"] },
      warnings: [/cache-from type=gha/, /cache-to type=gha,mode=max/],
    },
    {
      name: "registry cache export",
      request: { cacheTo: ["type=registry,ref=r/app:cache"] },
      warnings: [/cache-to type=registry/],
    },
    { name: "provenance", request: { provenance: "mode=max" }, warnings: [/provenance/] },
    {
      name: "listed insecure registry (loopback needs no daemon setting)",
      request: {
        tags: ["reg.lan:5000/app:1", "reg.lan:5000/app:2", "127.0.0.1:5000/app:1"],
        insecureRegistries: ["reg.lan"],
      },
      warnings: [/reg\.lan:5000 over plain HTTP only if the daemon lists it in insecure-registries/],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const warnings = dockerWarnings({ ...base, ...c.request });
      assert.equal(warnings.length, c.warnings.length, warnings.join("; "));
      c.warnings.forEach((re, i) => assert.match(warnings[i] ?? "", re));
    });
  }
});

describe("parsePushDigest", () => {
  const digest = `sha256:${"0c".repeat(32)}`;
  const cases: { name: string; lines: string[]; expected: string | null }[] = [
    {
      name: "docker 20.10 output",
      lines: [
        "The push refers to repository [127.0.0.1:5000/app]",
        "5984a7ed3145: Pushed",
        `v1: digest: ${digest} size: 523`,
      ],
      expected: digest,
    },
    {
      name: "digest line followed by other output",
      lines: [`latest: digest: ${digest} size: 1570`, "some trailing note"],
      expected: digest,
    },
    {
      name: "no digest line",
      lines: ["The push refers to repository [r/app]", "denied: access forbidden"],
      expected: null,
    },
    { name: "truncated digest", lines: ["v1: digest: sha256:abc size: 1"], expected: null },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.expected === null) assert.throws(() => parsePushDigest(c.lines), { code: "BUILD" });
      else assert.equal(parsePushDigest(c.lines), c.expected);
    });
  }
});
