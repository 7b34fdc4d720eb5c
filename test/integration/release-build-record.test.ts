/**
 * The build record end to end, against the real distribution registry (2.8:
 * no referrers API, so reship keeps the `sha256-<hex>` referrers tag) and a
 * real buildah build: the release that builds records the build beside the
 * image; the next version of the same commit re-tags and reports the build
 * time it avoided, read back from that record. skopeo, which no one here
 * wrote, reads the referrers tag. An image pushed by someone else (no
 * build-record label) is re-tagged without any referrers request.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBuilder } from "../../src/build/index.js";
import { RegistryClient } from "../../src/registry/index.js";
import {
  BUILD_RECORD_TYPE,
  reportLines,
  resolveReleaseSettings,
  runRelease,
} from "../../src/release/index.js";
import type { ReleaseReport } from "../../src/release/index.js";
import { daemonlessBuildah, writeScratchContext } from "../support/builders.js";
import { pushTestImage } from "../support/images.js";
import { startRegistry } from "../support/registry.js";
import type { TestRegistry } from "../support/registry.js";
import { skopeoInspectRaw } from "../support/skopeo.js";

const REVISION = "org.opencontainers.image.revision";
const sha = (): string => randomBytes(20).toString("hex");
const RECORDED_AT = new Date("2026-11-22T19:40:00.000Z");

interface IndexJson {
  mediaType: string;
  manifests: {
    mediaType: string;
    digest: string;
    artifactType?: string;
    annotations?: Record<string, string>;
  }[];
}

describe("build record", () => {
  let registry: TestRegistry;
  let dir = "";
  const client = new RegistryClient({ transportOptions: {} });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reship-build-record-"));
    registry = await startRegistry({ variant: "anonymous" });
  });

  after(async () => {
    await registry?.stop();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  async function release(repo: string, commit: string, version: string): Promise<ReleaseReport> {
    const context = await writeScratchContext(join(dir, `ctx-${randomBytes(4).toString("hex")}`));
    const settings = resolveReleaseSettings({
      flags: { images: [`${registry.host}/${repo}`], builder: "buildah", context },
      config: undefined,
      cwd: dir,
      insecureRegistries: [],
    });
    return runRelease({
      mode: "release",
      settings,
      version,
      commit,
      client,
      createBuilder: async (choice, platforms) =>
        createBuilder(choice === "auto" ? "buildah" : choice, {
          platforms,
          buildah: daemonlessBuildah(join(dir, "buildah")),
          env: process.env,
        }),
      date: () => RECORDED_AT,
    });
  }

  test("a build is recorded beside the image; the next version's retag reports the build time it avoided", async () => {
    const commit = sha();
    const first = await release("team/recorded", commit, "1.0.0");
    const built = first.images[0]!;
    assert.equal(built.action, "build", built.reasons.join("; "));
    assert.equal(built.warnings, undefined, built.warnings?.join("; "));
    const build = built.build!;
    const digest = built.digest!;

    // skopeo reads the referrers tag reship maintains on a registry without the referrers API.
    const referrers = await skopeoInspectRaw(
      registry,
      `team/recorded:sha256-${digest.slice("sha256:".length)}`,
    );
    const index = JSON.parse(referrers.bytes.toString()) as IndexJson;
    assert.equal(index.mediaType, "application/vnd.oci.image.index.v1+json");
    assert.equal(index.manifests.length, 1);
    const entry = index.manifests[0]!;
    assert.equal(entry.artifactType, BUILD_RECORD_TYPE);
    assert.equal(entry.annotations?.["dev.reship.build.duration-ms"], String(build.durationMs));
    assert.equal(entry.annotations?.["dev.reship.build.builder"], "buildah");
    assert.equal(entry.annotations?.["org.opencontainers.image.created"], RECORDED_AT.toISOString());
    // The artifact itself: an OCI manifest about the image, config and layer the empty blob.
    const artifact = JSON.parse(
      (await skopeoInspectRaw(registry, `team/recorded@${entry.digest}`)).bytes.toString(),
    ) as {
      artifactType: string;
      config: { mediaType: string; digest: string };
      layers: { digest: string }[];
      subject: { digest: string };
    };
    assert.equal(artifact.artifactType, BUILD_RECORD_TYPE);
    assert.equal(artifact.config.mediaType, "application/vnd.oci.empty.v1+json");
    assert.deepEqual(
      artifact.layers.map((l) => l.digest),
      [artifact.config.digest],
    );
    assert.equal(artifact.subject.digest, digest);

    await registry.clearRequests();
    const second = await release("team/recorded", commit, "1.0.1");
    const retag = second.images[0]!;
    assert.equal(retag.action, "retag", retag.reasons.join("; "));
    assert.equal(retag.digest, digest);
    assert.equal(retag.warnings, undefined, retag.warnings?.join("; "));
    assert.deepEqual(retag.avoided?.build, {
      builder: "buildah",
      durationMs: build.durationMs,
      recorded: RECORDED_AT.toISOString(),
    });
    const json = JSON.parse(JSON.stringify(second)) as ReleaseReport;
    assert.equal(json.images[0]!.avoided?.build?.durationMs, build.durationMs);
    assert.ok(
      reportLines(second).some(
        (l) => l.includes("avoided:") && l.includes(`build (buildah, recorded ${RECORDED_AT.toISOString()})`),
      ),
      reportLines(second).join("\n"),
    );
    const writes = (await registry.requests()).filter((r) => r.method !== "GET" && r.method !== "HEAD");
    assert.deepEqual(
      writes.map((r) => `${r.method} ${r.path}`),
      ["PUT /v2/team/recorded/manifests/1.0.1"],
      "a retag writes no record",
    );
  });

  test("an image built elsewhere (no build-record label) is re-tagged without any referrers request", async () => {
    const commit = sha();
    await pushTestImage(registry, `team/elsewhere:sha-${commit.slice(0, 7)}`, {
      labels: { [REVISION]: commit },
      seed: commit,
    });
    await registry.clearRequests();
    const report = await release("team/elsewhere", commit, "2.0.0");
    const image = report.images[0]!;
    assert.equal(image.action, "retag", image.reasons.join("; "));
    assert.equal(image.avoided?.build, undefined);
    const requests = await registry.requests();
    assert.ok(requests.length > 0, "the registry log was read");
    assert.deepEqual(
      requests.filter((r) => r.path.includes("/referrers/") || /\/manifests\/sha256-/.test(r.path)),
      [],
    );
  });
});
