/**
 * The release engine end to end against the real distribution registry and
 * real buildah builds (daemonless: vfs storage, chroot isolation): the first
 * release of a commit builds; the next version re-tags with no layer upload
 * and the same digest; a multi-platform index is re-tagged whole; floating
 * tags only move forward; noop, conflict, provenance mismatch; a retag the
 * registry refuses falls back to a rebuild (or fails, by policy); a release
 * cut short completes on rerun; --dry-run writes nothing.
 *
 * How a retag is made to fail for real: one layer of the commit image is
 * deleted from the repository through the registry's API (as a clean-up
 * policy would). The manifest still answers HEAD and GET and its config still
 * holds the label, but the registry refuses to store that manifest under a new
 * tag (MANIFEST_BLOB_UNKNOWN). A rebuild pushes the layers again and succeeds.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBuilder } from "../../src/build/index.js";
import { RegistryClient } from "../../src/registry/index.js";
import { parseReference } from "../../src/oci/index.js";
import { resolveReleaseSettings, runRelease } from "../../src/release/index.js";
import type { ReleaseFlags, ReleaseReport } from "../../src/release/index.js";
import { daemonlessBuildah, writeScratchContext } from "../support/builders.js";
import { pushTestImage } from "../support/images.js";
import { startRegistry } from "../support/registry.js";
import type { TestRegistry } from "../support/registry.js";
import { skopeoInspectConfig, skopeoInspectRaw } from "../support/skopeo.js";

const REVISION = "org.opencontainers.image.revision";
const WRITES = new Set(["PUT", "POST", "PATCH", "DELETE"]);
const sha = (): string => randomBytes(20).toString("hex");

describe("release engine", () => {
  let registry: TestRegistry;
  let dir = "";
  let client: RegistryClient;
  let builds = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reship-release-"));
    registry = await startRegistry({ variant: "anonymous" });
    client = new RegistryClient({ transportOptions: {} });
  });

  after(async () => {
    await registry?.stop();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  async function release(
    repo: string,
    commit: string,
    version: string | undefined,
    flags: Partial<ReleaseFlags> = {},
    mode: "release" | "build" = "release",
  ): Promise<ReleaseReport> {
    const context =
      flags.context ?? (await writeScratchContext(join(dir, `ctx-${randomBytes(4).toString("hex")}`)));
    const settings = resolveReleaseSettings({
      flags: { images: [`${registry.host}/${repo}`], builder: "buildah", ...flags, context },
      config: undefined,
      cwd: dir,
      insecureRegistries: [],
    });
    return runRelease({
      mode,
      settings,
      version,
      commit,
      client,
      createBuilder: async (choice, platforms) => {
        builds++;
        return createBuilder(choice === "auto" ? "buildah" : choice, {
          platforms,
          buildah: daemonlessBuildah(join(dir, "buildah")),
          env: process.env,
        });
      },
      source: "https://example.test/acme/app",
    });
  }

  const tagsOf = (report: ReleaseReport): Record<string, string> =>
    Object.fromEntries(
      report.images.flatMap((i) => i.tags.map((t) => [t.tag, `${t.status}:${t.digest ?? ""}`])),
    );

  async function served(repoAndTag: string): Promise<string> {
    return (await skopeoInspectRaw(registry, repoAndTag)).digest;
  }

  test("the first release builds; the next version re-tags with no layer upload and the same digest; then noop", async () => {
    const commit = sha();
    const first = await release("team/app", commit, "1.0.0");
    const image = first.images[0]!;
    assert.equal(image.action, "build", image.reasons.join("; "));
    assert.equal(first.ok, true);
    assert.ok(image.build !== undefined && image.build.builder === "buildah");
    const digest = image.digest!;
    for (const tag of [`sha-${commit.slice(0, 7)}`, "1.0.0", "1.0", "1", "latest"]) {
      assert.equal(await served(`team/app:${tag}`), digest, tag);
    }
    const config = JSON.parse((await skopeoInspectConfig(registry, "team/app:1.0.0")).toString()) as {
      config: { Labels: Record<string, string> };
    };
    assert.equal(config.config.Labels[REVISION], commit);
    assert.equal(config.config.Labels["org.opencontainers.image.version"], "1.0.0");
    assert.equal(config.config.Labels["org.opencontainers.image.source"], "https://example.test/acme/app");

    await registry.clearRequests();
    const uploadedBefore = await registry.uploadedBlobBytes();
    const buildsBefore = builds;
    const second = await release("team/app", commit, "v1.0.1");
    const retag = second.images[0]!;
    assert.equal(retag.action, "retag", retag.reasons.join("; "));
    assert.equal(retag.digest, digest);
    assert.equal(retag.reused, true);
    assert.equal(builds, buildsBefore, "no builder was even created");
    assert.equal(await registry.uploadedBlobBytes(), uploadedBefore, "no layer bytes uploaded");
    const requests = await registry.requests();
    assert.deepEqual(
      requests
        .filter((r) => WRITES.has(r.method))
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
      // 1.0, 1 and latest already point at this image since 1.0.0: only the new version tag is written.
      ["PUT /v2/team/app/manifests/1.0.1"],
      "only manifest PUTs: no blob upload, no mount",
    );
    assert.ok(retag.avoided !== undefined && retag.avoided.blobs >= 2 && retag.avoided.bytes > 0);
    for (const tag of ["1.0.1", "1.0", "1", "latest"])
      assert.equal(await served(`team/app:${tag}`), digest, tag);

    await registry.clearRequests();
    const third = await release("team/app", commit, "1.0.1");
    assert.equal(third.images[0]!.action, "noop");
    const noopRequests = await registry.requests();
    assert.deepEqual(
      [...new Set(noopRequests.filter((r) => r.path.includes("/manifests/")).map((r) => r.method))],
      ["HEAD"],
      "a no-op costs HEAD requests only",
    );
  });

  test("a multi-platform index (linux/amd64 + linux/arm64) is re-tagged as one index, byte for byte", async () => {
    const commit = sha();
    const pushed = await pushTestImage(registry, `team/multi:sha-${commit.slice(0, 7)}`, {
      platforms: ["linux/amd64", "linux/arm64"],
      labels: { [REVISION]: commit },
      seed: commit,
    });
    const buildsBefore = builds;
    const report = await release("team/multi", commit, "2.0.0");
    assert.equal(builds, buildsBefore);
    const image = report.images[0]!;
    assert.equal(image.action, "retag", image.reasons.join("; "));
    assert.equal(image.digest, pushed.digest);
    const raw = await skopeoInspectRaw(registry, "team/multi:2.0.0");
    assert.ok(raw.bytes.equals(pushed.manifestBytes), "the same index bytes");
    assert.deepEqual(image.avoided?.platforms, ["linux/amd64", "linux/arm64"]);
  });

  test("floating tags only move forward: 1.3.9 after 1.4.0 leaves 1 and latest, moves 1.3", async () => {
    const [a, b] = [sha(), sha()];
    const imageA = await pushTestImage(registry, `team/float:sha-${a.slice(0, 7)}`, {
      labels: { [REVISION]: a },
      seed: a,
    });
    const imageB = await pushTestImage(registry, `team/float:sha-${b.slice(0, 7)}`, {
      labels: { [REVISION]: b },
      seed: b,
    });
    assert.equal((await release("team/float", a, "1.4.0")).images[0]!.action, "retag");
    const older = await release("team/float", b, "1.3.9");
    const image = older.images[0]!;
    assert.equal(image.action, "retag", image.reasons.join("; "));
    const tags = tagsOf(older);
    assert.equal(tags["1"], `held:${imageA.digest}`);
    assert.equal(tags.latest, `held:${imageA.digest}`);
    assert.equal(tags["1.3"], `written:${imageB.digest}`);
    assert.equal(await served("team/float:latest"), imageA.digest);
    assert.equal(await served("team/float:1"), imageA.digest);
    assert.equal(await served("team/float:1.3"), imageB.digest);
    assert.equal(await served("team/float:1.3.9"), imageB.digest);
  });

  test("a version that points at another image is a conflict and writes nothing; --force moves it", async () => {
    const [a, b] = [sha(), sha()];
    const imageA = await pushTestImage(registry, `team/conflict:sha-${a.slice(0, 7)}`, {
      labels: { [REVISION]: a },
      seed: a,
    });
    const imageB = await pushTestImage(registry, `team/conflict:sha-${b.slice(0, 7)}`, {
      labels: { [REVISION]: b },
      seed: b,
    });
    await release("team/conflict", a, "3.0.0");
    await registry.clearRequests();
    const refused = await release("team/conflict", b, "3.0.0");
    assert.equal(refused.ok, false);
    assert.equal(refused.images[0]!.action, "conflict");
    assert.equal(refused.images[0]!.error?.code, "CONFLICT");
    assert.match(refused.images[0]!.reasons.join("\n"), /3\.0\.0 already points at/);
    assert.deepEqual(
      (await registry.requests()).filter((r) => WRITES.has(r.method)),
      [],
    );
    assert.equal(await served("team/conflict:3.0.0"), imageA.digest);

    const forced = await release("team/conflict", b, "3.0.0", { force: true });
    assert.equal(forced.images[0]!.action, "retag");
    assert.equal(await served("team/conflict:3.0.0"), imageB.digest);
  });

  test("an image labelled with another commit is not reused: built instead, or refused with strict provenance", async () => {
    const commit = sha();
    const impostor = await pushTestImage(registry, `team/prov:sha-${commit.slice(0, 7)}`, {
      labels: { [REVISION]: sha() },
      seed: commit,
    });
    await registry.clearRequests();
    const strict = await release("team/prov", commit, "1.0.0", { strictProvenance: true });
    assert.equal(strict.images[0]!.action, "conflict");
    assert.equal(strict.images[0]!.error?.code, "PROVENANCE");
    assert.deepEqual(
      (await registry.requests()).filter((r) => WRITES.has(r.method)),
      [],
    );

    const built = await release("team/prov", commit, "1.0.0");
    const image = built.images[0]!;
    assert.equal(image.action, "build");
    assert.match(image.reasons.join("\n"), /labelled with commit .* not reusing it; building/);
    assert.notEqual(image.digest, impostor.digest);
    assert.equal(await served(`team/prov:sha-${commit.slice(0, 7)}`), image.digest);
    assert.equal(await served("team/prov:1.0.0"), image.digest);
  });

  test("a retag the registry refuses falls back to a rebuild, or fails with on-retag-failure=fail", async () => {
    const commit = sha();
    const pushed = await pushTestImage(registry, `team/fallback:sha-${commit.slice(0, 7)}`, {
      labels: { [REVISION]: commit },
      seed: commit,
    });
    // Delete one layer from the repository, as a clean-up policy would.
    const layer = pushed.layerDigests[0]!;
    const deleted = await fetch(`${registry.url}/v2/team/fallback/blobs/${layer}`, { method: "DELETE" });
    assert.equal(deleted.status, 202);

    const failed = await release("team/fallback", commit, "1.0.0", { onRetagFailure: "fail" });
    const f = failed.images[0]!;
    assert.equal(failed.ok, false);
    assert.equal(f.action, "failed");
    assert.match(f.fallback ?? "", /retag of .* failed: .*not rebuilding/);

    const rebuilt = await release("team/fallback", commit, "1.0.0");
    const r = rebuilt.images[0]!;
    assert.equal(rebuilt.ok, true, JSON.stringify(r));
    assert.equal(r.action, "build");
    assert.match(r.fallback ?? "", /retag of .* failed: .*rebuilding instead/);
    assert.notEqual(r.digest, pushed.digest);
    for (const tag of [`sha-${commit.slice(0, 7)}`, "1.0.0", "latest"]) {
      assert.equal(await served(`team/fallback:${tag}`), r.digest, tag);
    }
  });

  test("a release cut short between two tag PUTs completes when run again", async () => {
    const commit = sha();
    const pushed = await pushTestImage(registry, `team/resume:sha-${commit.slice(0, 7)}`, {
      labels: { [REVISION]: commit },
      seed: commit,
    });
    // The state a killed release leaves: the version tag written, the floating tags not yet.
    await client.putManifest(
      parseReference(`${registry.host}/team/resume:5.1.0`),
      pushed.manifestBytes,
      pushed.mediaType,
    );
    await registry.clearRequests();
    const resumed = await release("team/resume", commit, "5.1.0");
    const image = resumed.images[0]!;
    assert.equal(image.action, "retag", image.reasons.join("; "));
    assert.match(image.reasons.join("\n"), /completing/);
    assert.deepEqual(
      (await registry.requests())
        .filter((r) => WRITES.has(r.method))
        .map((r) => r.path)
        .sort(),
      ["5", "5.1", "latest"].map((t) => `/v2/team/resume/manifests/${t}`).sort(),
    );
    for (const tag of ["5.1", "5", "latest"]) assert.equal(await served(`team/resume:${tag}`), pushed.digest);
    assert.equal((await release("team/resume", commit, "5.1.0")).images[0]!.action, "noop");
  });

  test("--dry-run reports the decision and the writes it would make, and writes nothing", async () => {
    const commit = sha();
    const pushed = await pushTestImage(registry, `team/dry:sha-${commit.slice(0, 7)}`, {
      labels: { [REVISION]: commit },
      seed: commit,
    });
    await registry.clearRequests();
    const report = await release("team/dry", commit, "1.2.3", { dryRun: true });
    const image = report.images[0]!;
    assert.equal(image.action, "retag");
    assert.ok(
      image.requests.includes(`PUT ${registry.host}/team/dry:1.2.3 (the exact bytes of ${pushed.digest})`),
      image.requests.join("\n"),
    );
    assert.ok(image.requests.some((r) => r.startsWith("HEAD ")));
    assert.deepEqual(
      (await registry.requests()).filter((r) => WRITES.has(r.method)),
      [],
    );

    const missing = await release("team/dry-missing", sha(), "1.2.3", { dryRun: true });
    assert.equal(missing.images[0]!.action, "build");
    assert.ok(missing.images[0]!.requests.some((r) => r.startsWith("BUILD ")));
    assert.deepEqual(
      (await registry.requests()).filter((r) => WRITES.has(r.method)),
      [],
    );
  });

  test("reship build: builds the commit tag once, then says it is already built", async () => {
    const commit = sha();
    const context = await writeScratchContext(join(dir, "ctx-build"));
    const first = await release("team/built", commit, undefined, { context }, "build");
    assert.equal(first.images[0]!.action, "build");
    assert.deepEqual(
      first.images[0]!.tags.map((t) => t.tag),
      [`sha-${commit.slice(0, 7)}`],
    );
    const again = await release("team/built", commit, undefined, { context }, "build");
    assert.equal(again.images[0]!.action, "noop");
    assert.match(again.images[0]!.reasons.join(), /already built/);
    const forced = await release("team/built", commit, undefined, { context, rebuild: true }, "build");
    assert.equal(forced.images[0]!.action, "build");
  });
});
