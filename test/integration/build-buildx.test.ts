/**
 * docker buildx where no buildx plugin is installed: a recording fake `docker`
 * first on PATH checks the argv reship runs, that the digest comes from the
 * --metadata-file, and how a missing plugin is reported and skipped by `auto`.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BuildError, createBuilder } from "../../src/build/index.js";
import { buildxCommands } from "../../src/build/buildx.js";
import { isReshipError } from "../../src/errors.js";
import {
  buildRequest,
  daemonlessBuildah,
  writeFakeDocker,
  writeScratchContext,
} from "../support/builders.js";

describe("buildx builder (recording fake docker)", () => {
  let dir = "";
  let context = "";

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reship-build-buildx-"));
    context = await writeScratchContext(join(dir, "ctx"));
  });

  after(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  /** The environment with the fake first on PATH. */
  const envWith = (binDir: string): NodeJS.ProcessEnv => ({
    ...process.env,
    PATH: `${binDir}:${process.env.PATH ?? ""}`,
  });

  test("runs exactly the documented argv and reports the digest from the metadata file", async () => {
    const digest = `sha256:${"5e".repeat(32)}`;
    const fake = await writeFakeDocker(join(dir, "ok"), { digest });
    const { builder, reason } = await createBuilder("auto", { env: envWith(fake.binDir) });
    assert.equal(builder.name, "buildx");
    assert.equal(reason, "auto: using docker buildx");

    const request = buildRequest(context, ["ghcr.io/acme/app:sha-1234567", "ghcr.io/acme/app:1.4.2"], {
      platforms: ["linux/amd64", "linux/arm64"],
      labels: { "org.opencontainers.image.revision": "1234567890abcdef" },
      buildArgs: { A: "1" },
      cacheFrom: ["type=gha,scope=prod"],
      cacheTo: ["type=gha,scope=prod,mode=max"],
      provenance: "mode=max",
    });
    const lines: string[] = [];
    const result = await builder.build(request, {
      onLine: (stream, line) => lines.push(`${stream}: ${line}`),
    });
    assert.equal(result.digest, digest);
    assert.equal(result.builder, "buildx");

    const calls = await fake.calls();
    assert.deepEqual(calls[0], ["buildx", "version"]);
    const build = calls[1] ?? [];
    const metadataFile = build[build.indexOf("--metadata-file") + 1] ?? "";
    assert.ok(metadataFile.endsWith("metadata.json"));
    assert.deepEqual(build, buildxCommands(request, { metadataFile })[0]?.args);
    assert.equal(calls.length, 2);
    assert.deepEqual(lines, ["stdout: fake build: stdout line", "stderr: #1 fake build: stderr line"]);
  });

  test("a failing buildx build is a BuildError with its exit code and stderr", async () => {
    const fake = await writeFakeDocker(join(dir, "fail"), { buildExit: 17 });
    const { builder } = await createBuilder("buildx", { env: envWith(fake.binDir) });
    await assert.rejects(builder.build(buildRequest(context, ["127.0.0.1:5000/app:x"])), (err: unknown) => {
      assert.ok(err instanceof BuildError, String(err));
      assert.equal(err.exitCode, 17);
      assert.deepEqual(err.stderrTail, [
        "#1 fake build: stderr line",
        "ERROR: failed to solve: fake failure",
      ]);
      assert.ok(err.argv.includes("type=image,push=true,registry.insecure=true"));
      return true;
    });
  });

  test("no buildx plugin: BUILDER_MISSING when asked for, skipped by auto", async () => {
    const fake = await writeFakeDocker(join(dir, "noplugin"), { buildx: false, daemon: false });
    const env = envWith(fake.binDir);

    const { builder: buildx } = await createBuilder("buildx", { env });
    assert.equal(await buildx.available(), false);
    await assert.rejects(buildx.build(buildRequest(context, ["127.0.0.1:5000/app:x"])), (err: unknown) => {
      assert.ok(isReshipError(err, "BUILDER_MISSING"), String(err));
      assert.match(err.message, /buildx/);
      assert.match(err.message, /install/);
      return true;
    });

    // No plugin and no daemon: auto falls through to the real buildah.
    const { builder, reason } = await createBuilder("auto", {
      env,
      buildah: daemonlessBuildah(join(dir, "buildah")),
    });
    assert.equal(builder.name, "buildah");
    assert.equal(reason, "auto: docker buildx not found, no docker daemon answers, using buildah");
  });

  test("no buildx plugin but a daemon: auto picks docker with BuildKit", async () => {
    const fake = await writeFakeDocker(join(dir, "daemon"), { buildx: false, daemon: true });
    const { builder, reason } = await createBuilder("auto", { env: envWith(fake.binDir) });
    assert.equal(builder.name, "docker");
    assert.equal(reason, "auto: docker buildx not found, using docker with BuildKit");
    assert.deepEqual(await fake.calls(), [
      ["buildx", "version"],
      ["version", "--format", "{{.Server.Version}}"],
    ]);
  });
});
