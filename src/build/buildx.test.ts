import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { buildxCommands, isMissingBuildxPlugin, parseBuildxMetadata } from "./buildx.js";
import type { BuildRequest } from "./types.js";
import { buildRequest } from "../../test/support/builders.js";

const base: BuildRequest = buildRequest("/src/app", ["ghcr.io/acme/app:sha-1234567"]);

const cases: {
  name: string;
  request: Partial<BuildRequest>;
  options?: Parameters<typeof buildxCommands>[1];
  args: string[];
}[] = [
  {
    name: "minimal: push the one tag",
    request: {},
    args: ["buildx", "build", "--push", "--tag", "ghcr.io/acme/app:sha-1234567", "/src/app"],
  },
  {
    name: "every flag, in the documented order",
    request: {
      platforms: ["linux/amd64", "linux/arm64"],
      dockerfile: "docker/Dockerfile.prod",
      target: "runtime",
      buildArgs: { NODE_VERSION: "20", EMPTY: "" },
      labels: {
        "org.opencontainers.image.revision": "abc",
        "org.opencontainers.image.source": "https://x/y",
      },
      secrets: ["id=npm,src=/run/npmrc", "id=tok,env=TOKEN"],
      cacheFrom: ["type=gha,scope=prod"],
      cacheTo: ["type=gha,scope=prod,mode=max"],
      provenance: "mode=max",
      tags: ["ghcr.io/acme/app:sha-1234567", "ghcr.io/acme/app:1.4.2"],
    },
    options: { metadataFile: "/tmp/m.json" },
    args: [
      "buildx",
      "build",
      "--push",
      "--platform",
      "linux/amd64,linux/arm64",
      "--file",
      "/src/app/docker/Dockerfile.prod",
      "--target",
      "runtime",
      "--build-arg",
      "NODE_VERSION=20",
      "--build-arg",
      "EMPTY=",
      "--label",
      "org.opencontainers.image.revision=abc",
      "--label",
      "org.opencontainers.image.source=https://x/y",
      "--secret",
      "id=npm,src=/run/npmrc",
      "--secret",
      "id=tok,env=TOKEN",
      "--cache-from",
      "type=gha,scope=prod",
      "--cache-to",
      "type=gha,scope=prod,mode=max",
      "--provenance=mode=max",
      "--metadata-file",
      "/tmp/m.json",
      "--tag",
      "ghcr.io/acme/app:sha-1234567",
      "--tag",
      "ghcr.io/acme/app:1.4.2",
      "/src/app",
    ],
  },
  {
    name: "provenance false stays one argument",
    request: { provenance: false },
    args: [
      "buildx",
      "build",
      "--push",
      "--provenance=false",
      "--tag",
      "ghcr.io/acme/app:sha-1234567",
      "/src/app",
    ],
  },
  {
    name: "single platform",
    request: { platforms: ["linux/arm64"] },
    args: [
      "buildx",
      "build",
      "--push",
      "--platform",
      "linux/arm64",
      "--tag",
      "ghcr.io/acme/app:sha-1234567",
      "/src/app",
    ],
  },
  {
    name: "loopback registry: image exporter with registry.insecure",
    request: { tags: ["127.0.0.1:5000/app:v1"] },
    args: [
      "buildx",
      "build",
      "--output",
      "type=image,push=true,registry.insecure=true",
      "--tag",
      "127.0.0.1:5000/app:v1",
      "/src/app",
    ],
  },
  {
    name: "listed insecure registry (host without port matches any port)",
    request: {
      tags: ["ghcr.io/acme/app:v1", "reg.internal:5000/app:v1"],
      insecureRegistries: ["reg.internal"],
    },
    args: [
      "buildx",
      "build",
      "--output",
      "type=image,push=true,registry.insecure=true",
      "--tag",
      "ghcr.io/acme/app:v1",
      "--tag",
      "reg.internal:5000/app:v1",
      "/src/app",
    ],
  },
  {
    name: "custom docker path",
    request: {},
    options: { dockerCommand: "/usr/bin/docker" },
    args: ["buildx", "build", "--push", "--tag", "ghcr.io/acme/app:sha-1234567", "/src/app"],
  },
];

describe("buildxCommands", () => {
  for (const c of cases) {
    test(c.name, () => {
      const commands = buildxCommands({ ...base, ...c.request }, c.options);
      assert.equal(commands.length, 1);
      assert.equal(commands[0]?.command, c.options?.dockerCommand ?? "docker");
      assert.deepEqual(commands[0]?.args, c.args);
    });
  }

  test("property: the context is last and every tag follows a --tag", () => {
    // Valid references only: the release engine hands builders nothing else.
    const tag = fc.stringMatching(
      /^[a-z0-9]{1,10}(\.[a-z0-9]{1,5})?(:[0-9]{2,5})?\/[a-z0-9]{1,8}:[a-z0-9_][a-z0-9._-]{0,7}$/,
    );
    fc.assert(
      fc.property(fc.array(tag, { minLength: 1, maxLength: 4 }), (tags) => {
        const args = buildxCommands({ ...base, tags })[0]?.args ?? [];
        assert.equal(args.at(-1), "/src/app");
        for (const t of tags) assert.equal(args[args.indexOf(t) - 1], "--tag");
        assert.equal(args.filter((a) => a === "--tag").length, tags.length);
      }),
    );
  });
});

describe("parseBuildxMetadata", () => {
  const digest = `sha256:${"ab".repeat(32)}`;
  test("reads containerimage.digest", () => {
    const text = JSON.stringify({ "containerimage.digest": digest, "image.name": "r/app:v1" });
    assert.equal(parseBuildxMetadata(text), digest);
  });
  const bad: [string, string][] = [
    ["not JSON", "{"],
    ["no digest (not pushed)", JSON.stringify({ "buildx.build.ref": "x" })],
    ["digest not sha256", JSON.stringify({ "containerimage.digest": "md5:abc" })],
    ["not an object", "42"],
  ];
  for (const [name, text] of bad) {
    test(`rejects ${name}`, () => {
      assert.throws(() => parseBuildxMetadata(text), { code: "BUILD" });
    });
  }
});

describe("isMissingBuildxPlugin", () => {
  const table: [string[], boolean][] = [
    [["docker: 'buildx' is not a docker command.", "See 'docker --help'"], true],
    [['unknown command "buildx" for "docker"'], true],
    [["ERROR: failed to solve: failed to read dockerfile"], false],
  ];
  for (const [lines, expected] of table) {
    test(lines[0] ?? "", () => assert.equal(isMissingBuildxPlugin(lines), expected));
  }
});
