import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { buildahCleanupCommand, buildahCommands, buildahWarnings, parseDigestFile } from "./buildah.js";
import type { BuildahCommandOptions } from "./buildah.js";
import type { BuildRequest } from "./types.js";
import { buildRequest } from "../../test/support/builders.js";

const base: BuildRequest = buildRequest("/ctx", ["ghcr.io/acme/app:sha-1"]);
const opts: BuildahCommandOptions = { manifest: "reship-build-x", digestFile: "/tmp/d" };

describe("buildahCommands", () => {
  const cases: {
    name: string;
    request: Partial<BuildRequest>;
    options?: Partial<BuildahCommandOptions>;
    build: string[];
    pushes: string[][];
  }[] = [
    {
      name: "minimal: build into a list, push it",
      request: {},
      build: ["build", "--manifest", "reship-build-x", "/ctx"],
      pushes: [
        [
          "manifest",
          "push",
          "--all",
          "--digestfile",
          "/tmp/d",
          "reship-build-x",
          "docker://ghcr.io/acme/app:sha-1",
        ],
      ],
    },
    {
      name: "daemonless storage, multi-platform, every flag, insecure loopback push",
      request: {
        platforms: ["linux/amd64", "linux/arm64"],
        dockerfile: "Containerfile",
        target: "run",
        buildArgs: { A: "1" },
        labels: { L: "v" },
        secrets: ["id=s,src=/s"],
        cacheFrom: ["type=registry,ref=r.io/app/cache", "type=gha"],
        cacheTo: ["r.io/app/cache"],
        tags: ["127.0.0.1:5000/app:sha-1", "ghcr.io/acme/app:1.0.0"],
      },
      options: {
        storageDriver: "vfs",
        isolation: "chroot",
        root: "/r",
        runroot: "/rr",
        buildahCommand: "/usr/bin/buildah",
      },
      build: [
        "--root",
        "/r",
        "--runroot",
        "/rr",
        "--storage-driver",
        "vfs",
        "build",
        "--platform",
        "linux/amd64,linux/arm64",
        "--manifest",
        "reship-build-x",
        "--isolation",
        "chroot",
        "--file",
        "/ctx/Containerfile",
        "--target",
        "run",
        "--build-arg",
        "A=1",
        "--label",
        "L=v",
        "--secret",
        "id=s,src=/s",
        "--layers",
        "--cache-from",
        "r.io/app/cache",
        "--cache-to",
        "r.io/app/cache",
        "/ctx",
      ],
      pushes: [
        [
          "--root",
          "/r",
          "--runroot",
          "/rr",
          "--storage-driver",
          "vfs",
          "manifest",
          "push",
          "--all",
          "--digestfile",
          "/tmp/d",
          "--tls-verify=false",
          "reship-build-x",
          "docker://127.0.0.1:5000/app:sha-1",
        ],
        [
          "--root",
          "/r",
          "--runroot",
          "/rr",
          "--storage-driver",
          "vfs",
          "manifest",
          "push",
          "--all",
          "--digestfile",
          "/tmp/d",
          "reship-build-x",
          "docker://ghcr.io/acme/app:1.0.0",
        ],
      ],
    },
    {
      name: "listed insecure registry",
      request: { tags: ["reg.lan:5000/app:v1"], insecureRegistries: ["reg.lan:5000"] },
      build: ["build", "--manifest", "reship-build-x", "/ctx"],
      pushes: [
        [
          "manifest",
          "push",
          "--all",
          "--digestfile",
          "/tmp/d",
          "--tls-verify=false",
          "reship-build-x",
          "docker://reg.lan:5000/app:v1",
        ],
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const o = { ...opts, ...c.options };
      const [build, ...pushes] = buildahCommands({ ...base, ...c.request }, o);
      const command = o.buildahCommand ?? "buildah";
      assert.deepEqual(build, { command, args: c.build });
      assert.deepEqual(
        pushes,
        c.pushes.map((args) => ({ command, args })),
      );
    });
  }

  test("cleanup removes the list with the same storage flags", () => {
    assert.deepEqual(buildahCleanupCommand({ ...opts, storageDriver: "vfs" }), {
      command: "buildah",
      args: ["--storage-driver", "vfs", "manifest", "rm", "reship-build-x"],
    });
  });
});

describe("buildahWarnings", () => {
  test("non-registry caches and provenance are named", () => {
    const w = buildahWarnings({
      ...base,
      cacheFrom: ["type=gha,scope=a"],
      cacheTo: ["type=inline"],
      provenance: true,
    });
    assert.equal(w.length, 3);
    assert.match(w[0] ?? "", /cache-from type=gha,scope=a/);
    assert.match(w[1] ?? "", /cache-to type=inline/);
    assert.match(w[2] ?? "", /provenance/);
  });
  test("registry caches need no warning", () => {
    assert.deepEqual(
      buildahWarnings({ ...base, cacheFrom: ["r/app/cache"], cacheTo: ["type=registry,ref=r/app/cache"] }),
      [],
    );
  });
});

describe("parseDigestFile", () => {
  const digest = `sha256:${"3f".repeat(32)}`;
  test("trims the newline", () => assert.equal(parseDigestFile(`${digest}\n`), digest));
  for (const bad of ["", "sha256:abc", "not a digest"]) {
    test(`rejects ${JSON.stringify(bad)}`, () =>
      assert.throws(() => parseDigestFile(bad), { code: "BUILD" }));
  }
});
