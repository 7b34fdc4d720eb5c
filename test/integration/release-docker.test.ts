/**
 * The release engine with docker and BuildKit as the builder (dockerd started
 * by the harness when none answers): the first release of a commit builds and
 * pushes it; the next version of the same commit re-tags it with no layer
 * upload and the same digest, read back by skopeo.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBuilder } from "../../src/build/index.js";
import { RegistryClient } from "../../src/registry/index.js";
import { resolveReleaseSettings, runRelease } from "../../src/release/index.js";
import type { ReleaseReport } from "../../src/release/index.js";
import { writeScratchContext } from "../support/builders.js";
import { DOCKER, ensureDockerd } from "../support/dockerd.js";
import type { Dockerd } from "../support/dockerd.js";
import { startRegistry } from "../support/registry.js";
import type { TestRegistry } from "../support/registry.js";
import { skopeoInspectRaw } from "../support/skopeo.js";

describe("release with docker (BuildKit)", () => {
  let registry: TestRegistry | undefined;
  let daemon: Dockerd | undefined;
  let dir = "";

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reship-release-docker-"));
    registry = await startRegistry({ variant: "anonymous" });
    daemon = await ensureDockerd();
  });

  after(async () => {
    await registry?.stop();
    await daemon?.stop();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  test("builds the first version, re-tags the second with no upload", async () => {
    const reg = registry!;
    const commit = randomBytes(20).toString("hex");
    const context = await writeScratchContext(join(dir, "ctx"));
    const settings = resolveReleaseSettings({
      flags: { images: [`${reg.host}/team/docker`], builder: "docker", context },
      config: undefined,
      cwd: dir,
      insecureRegistries: [],
    });
    const release = (version: string): Promise<ReleaseReport> =>
      runRelease({
        mode: "release",
        settings,
        version,
        commit,
        client: new RegistryClient(),
        createBuilder: (choice, platforms) =>
          createBuilder(choice === "auto" ? "docker" : choice, {
            platforms,
            dockerCommand: DOCKER,
            env: daemon!.env,
          }),
      });

    const first = (await release("1.0.0")).images[0]!;
    assert.equal(first.action, "build", JSON.stringify(first));
    assert.equal(first.build?.builder, "docker");
    assert.equal((await skopeoInspectRaw(reg, "team/docker:1.0.0")).digest, first.digest);
    assert.equal((await skopeoInspectRaw(reg, `team/docker:sha-${commit.slice(0, 7)}`)).digest, first.digest);

    const uploaded = await reg.uploadedBlobBytes();
    const second = (await release("1.1.0")).images[0]!;
    assert.equal(second.action, "retag", second.reasons.join("; "));
    assert.equal(second.digest, first.digest);
    assert.equal(await reg.uploadedBlobBytes(), uploaded);
    assert.equal((await skopeoInspectRaw(reg, "team/docker:1.1.0")).digest, first.digest);
    assert.equal((await skopeoInspectRaw(reg, "team/docker:latest")).digest, first.digest);
  });
});
