/**
 * buildah against the real registry: FROM scratch images built daemonless
 * (vfs, chroot), pushed under several tags; the digest reship reports is the
 * one the registry serves, read back with skopeo.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BuildError, createBuilder } from "../../src/build/index.js";
import type { Builder } from "../../src/build/index.js";
import { isReshipError } from "../../src/errors.js";
import { buildRequest, daemonlessBuildah, writeScratchContext } from "../support/builders.js";
import { startRegistry } from "../support/registry.js";
import type { TestRegistry } from "../support/registry.js";
import { skopeoInspectConfig, skopeoInspectRaw } from "../support/skopeo.js";

interface IndexLike {
  mediaType?: string;
  manifests?: { platform?: { os: string; architecture: string } }[];
}

describe("buildah builder", () => {
  let registry: TestRegistry | undefined;
  let dir = "";
  let builder: Builder;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reship-build-buildah-"));
    registry = await startRegistry({ variant: "anonymous" });
    ({ builder } = await createBuilder("buildah", { buildah: daemonlessBuildah(dir), env: process.env }));
  });

  after(async () => {
    await registry?.stop();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  test("is available", async () => {
    assert.equal(await builder.available(), true);
  });

  test("builds, labels and pushes under every tag; the digest is the registry's; output is streamed", async () => {
    const reg = registry!;
    const context = await writeScratchContext(join(dir, "single"));
    const lines: string[] = [];
    const result = await builder.build(
      buildRequest(context, [`${reg.host}/app/single:sha-1234567`, `${reg.host}/app/single:1.0.0`], {
        labels: { "org.opencontainers.image.revision": "1234567890abcdef", "org.example.k": "v w" },
      }),
      { onLine: (stream, line) => lines.push(`${stream}: ${line}`) },
    );
    assert.equal(result.builder, "buildah");
    assert.match(result.digest, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(result.tags, [`${reg.host}/app/single:sha-1234567`, `${reg.host}/app/single:1.0.0`]);
    assert.deepEqual(result.warnings, []);
    for (const tag of ["sha-1234567", "1.0.0"]) {
      const served = await skopeoInspectRaw(reg, `app/single:${tag}`);
      assert.equal(served.digest, result.digest, `digest of ${tag}`);
    }
    const config = JSON.parse(
      (await skopeoInspectConfig(reg, "app/single:sha-1234567")).toString("utf8"),
    ) as {
      config?: { Labels?: Record<string, string> };
    };
    assert.equal(config.config?.Labels?.["org.opencontainers.image.revision"], "1234567890abcdef");
    assert.equal(config.config?.Labels?.["org.example.k"], "v w");
    assert.ok(
      lines.some((l) => /STEP \d+\/\d+: COPY file \/file/.test(l)),
      `builder output streamed:\n${lines.join("\n")}`,
    );
  });

  test("two platforms make one index holding both", async () => {
    const reg = registry!;
    const context = await writeScratchContext(join(dir, "multi"));
    const result = await builder.build(
      buildRequest(context, [`${reg.host}/app/multi:sha-1234567`], {
        platforms: ["linux/amd64", "linux/arm64"],
      }),
    );
    const served = await skopeoInspectRaw(reg, "app/multi:sha-1234567");
    assert.equal(served.digest, result.digest);
    const index = JSON.parse(served.bytes.toString("utf8")) as IndexLike;
    assert.equal(index.mediaType, "application/vnd.oci.image.index.v1+json");
    const platforms = (index.manifests ?? [])
      .map((m) => `${m.platform?.os}/${m.platform?.architecture}`)
      .sort();
    assert.deepEqual(platforms, ["linux/amd64", "linux/arm64"]);
  });

  test("a failing build is a BuildError with the exit code and the end of stderr", async () => {
    const reg = registry!;
    const context = await writeScratchContext(join(dir, "broken"), {
      dockerfile: "FROM scratch\nCOPY missing-file /x\n",
    });
    const tag = `${reg.host}/app/broken:sha-1234567`;
    await assert.rejects(builder.build(buildRequest(context, [tag])), (err: unknown) => {
      assert.ok(err instanceof BuildError, String(err));
      assert.equal(err.code, "BUILD");
      assert.notEqual(err.exitCode, 0);
      assert.equal(err.argv[0], "buildah");
      assert.ok(err.argv.includes("build"));
      assert.ok(err.stderrTail.length > 0);
      assert.match(err.stderrTail.join("\n"), /missing-file/);
      assert.match(err.message, /exit code \d+/);
      return true;
    });
    // Nothing was pushed.
    await assert.rejects(skopeoInspectRaw(reg, "app/broken:sha-1234567"));
  });

  test("a missing buildah binary is BUILDER_MISSING naming what to install", async () => {
    const { builder: missing } = await createBuilder("buildah", {
      buildahCommand: join(dir, "no-such-buildah"),
    });
    assert.equal(await missing.available(), false);
    const context = await writeScratchContext(join(dir, "missing"));
    await assert.rejects(missing.build(buildRequest(context, ["127.0.0.1:1/app:x"])), (err: unknown) => {
      assert.ok(isReshipError(err, "BUILDER_MISSING"), String(err));
      assert.match(err.message, /install buildah/);
      return true;
    });
  });
});
