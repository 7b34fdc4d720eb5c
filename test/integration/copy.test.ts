/**
 * copyImage against real registries: within a repository (manifests only),
 * across repositories of one registry (blob mounts, no layer bytes), across
 * registries (streamed uploads), indexes with every child, and the no-op when
 * the destination already has the digest. Results are read back by skopeo.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { isReshipError } from "../../src/errors.js";
import { parseDigest, parseReference, withDigest } from "../../src/oci/index.js";
import { RegistryClient, copyImage, staticCredentials } from "../../src/registry/index.js";
import { pushTestImage } from "../../test/support/images.js";
import type { PushedImage } from "../../test/support/images.js";
import { startRegistry } from "../../test/support/registry.js";
import type { TestRegistry } from "../../test/support/registry.js";
import { skopeoInspectRaw } from "../../test/support/skopeo.js";
import { DOCKER, ensureDockerd } from "../../test/support/dockerd.js";
import type { Dockerd } from "../../test/support/dockerd.js";
import { runCommand } from "../../test/support/processes.js";

const fastRetry = { retry: { attempts: 1 } } as const;
const WRITES = new Set(["PUT", "POST", "PATCH", "DELETE"]);

describe("copy on one anonymous registry, and to a second one", () => {
  let a: TestRegistry;
  let b: TestRegistry;
  let client: RegistryClient;
  let index: PushedImage;
  let single: PushedImage;
  let list: PushedImage;

  before(async () => {
    [a, b] = await Promise.all([startRegistry(), startRegistry()]);
    client = new RegistryClient({ transportOptions: fastRetry });
    index = await pushTestImage(a, "team/app:v1", {
      platforms: ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"],
      layers: 3,
      layerSize: 64 * 1024,
      compression: "gzip",
    });
    single = await pushTestImage(a, "team/single:v1", { layers: 2, layerSize: 256 * 1024, seed: "single" });
    list = await pushTestImage(a, "team/list:v1", {
      platforms: ["linux/amd64", "linux/s390x"],
      format: "docker",
      seed: "list",
    });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test("same repository: manifests only, no blob request", async () => {
    await a.clearRequests();
    const result = await copyImage(
      client,
      parseReference(index.ref),
      parseReference(`${a.host}/team/app:v1-copy`),
    );
    assert.equal(result.digest, index.digest);
    assert.equal(result.manifests, 1);
    assert.deepEqual(result.blobs, { mounted: 0, uploaded: 0, skipped: 0, bytesUploaded: 0 });
    const requests = await a.requests();
    assert.deepEqual(
      requests.filter((r) => r.path.includes("/blobs/")),
      [],
    );
    assert.deepEqual(
      requests.filter((r) => WRITES.has(r.method)).map((r) => `${r.method} ${r.path}`),
      ["PUT /v2/team/app/manifests/v1-copy"],
    );
    assert.deepEqual((await skopeoInspectRaw(a, "team/app:v1-copy")).bytes, index.manifestBytes);
  });

  test("same registry, other repository: every blob mounted, zero layer bytes uploaded, index and children intact", async () => {
    await a.clearRequests();
    const result = await copyImage(
      client,
      parseReference(index.ref),
      parseReference(`${a.host}/other/app:v1`),
    );
    assert.equal(result.digest, index.digest);
    assert.equal(result.manifests, 4);
    const uniqueBlobs = new Set([...index.layerDigests, ...index.configDigests]).size;
    assert.equal(result.blobs.mounted, uniqueBlobs);
    assert.equal(result.blobs.uploaded, 0);
    assert.equal(await a.uploadedBlobBytes(), 0);
    const requests = await a.requests();
    const mounts = requests.filter(
      (r) => r.method === "POST" && r.uri.includes("mount=") && r.uri.includes("from=team%2Fapp"),
    );
    assert.equal(mounts.length, uniqueBlobs);
    assert.ok(mounts.every((r) => r.status === 201));
    assert.deepEqual(
      requests.filter((r) => r.method === "PATCH" || (r.method === "PUT" && r.path.includes("/blobs/"))),
      [],
    );
    const served = await skopeoInspectRaw(a, "other/app:v1");
    assert.deepEqual(served.bytes, index.manifestBytes);
    for (const child of index.children) {
      const copied = await skopeoInspectRaw(a, `other/app@${child.digest}`);
      assert.deepEqual(copied.bytes, child.bytes);
    }
    // Children were written before the index that lists them.
    const puts = requests.filter((r) => r.method === "PUT").map((r) => r.path);
    assert.equal(puts.at(-1), "/v2/other/app/manifests/v1");
  });

  test("across registries: blobs streamed, digest and bytes equal (read by skopeo)", async () => {
    await b.clearRequests();
    const result = await copyImage(
      client,
      parseReference(index.ref),
      parseReference(`${b.host}/mirror/app:v1`),
      {
        concurrency: 2,
      },
    );
    assert.equal(result.digest, index.digest);
    assert.equal(result.manifests, 4);
    assert.equal(result.blobs.mounted, 0);
    assert.equal(result.blobs.uploaded, new Set([...index.layerDigests, ...index.configDigests]).size);
    assert.equal(await b.uploadedBlobBytes(), result.blobs.bytesUploaded);
    assert.ok(result.blobs.bytesUploaded >= index.totalLayerBytes);
    const served = await skopeoInspectRaw(b, "mirror/app:v1");
    assert.equal(served.digest, index.digest);
    assert.deepEqual(served.bytes, index.manifestBytes);
    for (const child of index.children) {
      assert.deepEqual((await skopeoInspectRaw(b, `mirror/app@${child.digest}`)).bytes, child.bytes);
    }
  });

  test("a destination tag already at the digest is a no-op found by one HEAD", async () => {
    await b.clearRequests();
    const result = await copyImage(
      client,
      parseReference(index.ref),
      parseReference(`${b.host}/mirror/app:v1`),
    );
    assert.equal(result.unchanged, true);
    assert.equal(result.manifests, 0);
    const requests = await b.requests();
    assert.deepEqual(
      requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      ["HEAD /v2/mirror/app/manifests/v1 200"],
    );
  });

  test("another tag in a repository that has the blobs: blobs skipped, children skipped", async () => {
    await b.clearRequests();
    const result = await copyImage(
      client,
      parseReference(index.ref),
      parseReference(`${b.host}/mirror/app:v2`),
    );
    assert.equal(result.unchanged, false);
    assert.equal(result.manifests, 1);
    assert.equal(result.blobs.uploaded, 0);
    assert.equal(await b.uploadedBlobBytes(), 0);
  });

  test("a Docker manifest list and a single image across registries, chunked", async () => {
    for (const image of [list, single]) {
      const dst = parseReference(`${b.host}/mirror/${image === list ? "list" : "single"}:v1`);
      const result = await copyImage(client, parseReference(image.ref), dst, { chunkSize: 100 * 1024 });
      assert.equal(result.digest, image.digest);
      assert.equal(result.mediaType, image.mediaType);
      const served = await skopeoInspectRaw(b, `${dst.repository.path}:v1`);
      assert.deepEqual(served.bytes, image.manifestBytes);
    }
  });

  test("by digest: the destination is written by digest only", async () => {
    const dst = withDigest(parseReference(`${b.host}/bydigest/app:x`).repository, parseDigest(single.digest));
    const result = await copyImage(client, parseReference(single.ref), dst);
    assert.equal(result.digest, single.digest);
    assert.equal(result.destination.tag, undefined);
    assert.equal((await skopeoInspectRaw(b, `bydigest/app@${single.digest}`)).digest, single.digest);
  });

  test("a destination naming another digest is refused before any write", async () => {
    await b.clearRequests();
    const dst = withDigest(parseReference(`${b.host}/refused/app:x`).repository, parseDigest(index.digest));
    await assert.rejects(copyImage(client, parseReference(single.ref), dst), (err: unknown) =>
      isReshipError(err, "USAGE"),
    );
    assert.deepEqual(
      (await b.requests()).filter((r) => WRITES.has(r.method)),
      [],
    );
  });
});

describe("copy across repositories of a token-auth registry", () => {
  let registry: TestRegistry;
  let image: PushedImage;
  before(async () => {
    registry = await startRegistry({ variant: "token" });
    image = await pushTestImage(registry, "team/app:v1", { platforms: ["linux/amd64", "linux/arm64"] });
  });
  after(() => registry?.stop());

  test("mounts with a token scoped to both repositories; no layer bytes move", async () => {
    const credentials = staticCredentials({
      [registry.host]: { username: registry.username ?? "", password: registry.password ?? "" },
    });
    const client = new RegistryClient({ transportOptions: { ...fastRetry, credentials } });
    await registry.clearRequests();
    const result = await copyImage(
      client,
      parseReference(image.ref),
      parseReference(`${registry.host}/prod/app:v1`),
    );
    assert.equal(result.digest, image.digest);
    assert.ok(result.blobs.mounted > 0);
    assert.equal(result.blobs.uploaded, 0);
    assert.equal(await registry.uploadedBlobBytes(), 0);
    const scoped = registry
      .tokenRequests()
      .some(
        (t) =>
          t.scopes.includes("repository:prod/app:pull,push") &&
          t.scopes.includes("repository:team/app:pull") &&
          t.status === 200,
      );
    assert.ok(
      scoped,
      `no token asked for both repositories: ${JSON.stringify(registry.tokenRequests().map((t) => t.scopes))}`,
    );
    assert.deepEqual((await skopeoInspectRaw(registry, "prod/app:v1")).bytes, image.manifestBytes);
  });
});

describe("docker pull reads what reship copied and tagged", () => {
  let a: TestRegistry;
  let b: TestRegistry;
  let dockerd: Dockerd;
  let image: PushedImage;
  before(async () => {
    [a, b, dockerd] = await Promise.all([startRegistry(), startRegistry(), ensureDockerd()]);
    image = await pushTestImage(a, "team/app:v1", {
      platforms: ["linux/amd64", "linux/arm64"],
      compression: "gzip",
      seed: "docker-pull",
    });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop(), dockerd?.stop()]);
  });

  test("the copied index pulls with the source's digest", async () => {
    const client = new RegistryClient({ transportOptions: fastRetry });
    await copyImage(client, parseReference(image.ref), parseReference(`${b.host}/mirror/app:v1`));
    const pulled = `${b.host}/mirror/app@${image.digest}`;
    await runCommand(DOCKER, ["pull", "--quiet", pulled], { env: dockerd.env });
    try {
      const { stdout } = await runCommand(
        DOCKER,
        ["image", "inspect", "--format", "{{json .RepoDigests}}", pulled],
        {
          env: dockerd.env,
        },
      );
      assert.ok((JSON.parse(stdout.toString()) as string[]).includes(pulled), stdout.toString());
    } finally {
      await runCommand(DOCKER, ["image", "rm", "--force", pulled], { env: dockerd.env }).catch(
        () => undefined,
      );
    }
  });
});
