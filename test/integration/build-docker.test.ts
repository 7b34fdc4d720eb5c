/**
 * docker with BuildKit against a real dockerd (started by the harness unless
 * one answers) and the real registry: build, push under each tag, digest
 * read from the push output and checked against what the registry serves.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BuildError, createBuilder } from "../../src/build/index.js";
import type { Builder, Command, ProcessRunner } from "../../src/build/index.js";
import { isReshipError } from "../../src/errors.js";
import { buildRequest, writeScratchContext } from "../support/builders.js";
import { DOCKER, ensureDockerd } from "../support/dockerd.js";
import type { Dockerd } from "../support/dockerd.js";
import { startRegistry } from "../support/registry.js";
import type { TestRegistry } from "../support/registry.js";
import { skopeoInspectConfig, skopeoInspectRaw } from "../support/skopeo.js";

describe("docker builder (BuildKit)", () => {
  let registry: TestRegistry | undefined;
  let daemon: Dockerd | undefined;
  let dir = "";
  let builder: Builder;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reship-build-docker-"));
    registry = await startRegistry({ variant: "anonymous" });
    daemon = await ensureDockerd();
    ({ builder } = await createBuilder("docker", { dockerCommand: DOCKER, env: daemon.env }));
  });

  after(async () => {
    await registry?.stop();
    await daemon?.stop();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  test("is available once a daemon answers", async () => {
    assert.equal(await builder.available(), true);
  });

  test("builds with labels, pushes every tag; the digest is the registry's", async () => {
    const reg = registry!;
    const context = await writeScratchContext(join(dir, "single"));
    const tags = [`${reg.host}/app/docker:sha-1234567`, `${reg.host}/app/docker:1.0.0`];
    const lines: string[] = [];
    const result = await builder.build(
      buildRequest(context, tags, {
        labels: { "org.opencontainers.image.revision": "1234567890abcdef" },
        cacheTo: ["type=inline", "type=gha,scope=prod"],
      }),
      { onLine: (_stream, line) => lines.push(line) },
    );
    assert.equal(result.builder, "docker");
    assert.deepEqual(result.tags, tags);
    for (const tag of ["sha-1234567", "1.0.0"]) {
      assert.equal(
        (await skopeoInspectRaw(reg, `app/docker:${tag}`)).digest,
        result.digest,
        `digest of ${tag}`,
      );
    }
    const config = JSON.parse((await skopeoInspectConfig(reg, "app/docker:1.0.0")).toString("utf8")) as {
      config?: { Labels?: Record<string, string> };
    };
    assert.equal(config.config?.Labels?.["org.opencontainers.image.revision"], "1234567890abcdef");
    // The gha cache cannot be exported by docker build: said once, build not failed.
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0] ?? "", /type=gha,scope=prod/);
    assert.ok(lines.includes(`warning: ${result.warnings[0]}`));
    assert.ok(
      lines.some((l) => l.includes(`digest: ${result.digest}`)),
      "push output streamed",
    );
  });

  test("more than one platform is refused before anything runs", async () => {
    const calls: Command[] = [];
    const recording: ProcessRunner = {
      run: (cmd) => {
        calls.push(cmd);
        return Promise.resolve({ exitCode: 0, stdoutTail: [], stderrTail: [] });
      },
    };
    const { builder: docker } = await createBuilder("docker", { runner: recording });
    const context = await writeScratchContext(join(dir, "multi"));
    await assert.rejects(
      docker.build(
        buildRequest(context, ["127.0.0.1:1/app:x"], { platforms: ["linux/amd64", "linux/arm64"] }),
      ),
      (err: unknown) => isReshipError(err, "USAGE"),
    );
    assert.deepEqual(calls, []);
  });

  test("a failing build is a BuildError with the exit code and the end of stderr", async () => {
    const reg = registry!;
    const context = await writeScratchContext(join(dir, "broken"), {
      dockerfile: "FROM scratch\nCOPY missing-file /x\n",
    });
    await assert.rejects(
      builder.build(buildRequest(context, [`${reg.host}/app/broken:x`])),
      (err: unknown) => {
        assert.ok(err instanceof BuildError, String(err));
        assert.notEqual(err.exitCode, 0);
        assert.deepEqual(err.argv.slice(0, 2), [DOCKER, "build"]);
        assert.match(err.stderrTail.join("\n"), /missing-file/);
        return true;
      },
    );
  });
});
