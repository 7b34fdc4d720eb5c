/**
 * The registry client against the real distribution registry: manifests by
 * tag and digest in Docker and OCI media types, blobs, chunked and streamed
 * uploads, tag pagination, the referrers fallback, authentication failures;
 * and digest checks against a scripted server that serves wrong bytes.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { isReshipError } from "../../src/errors.js";
import {
  DOCKER_MANIFEST,
  OCI_EMPTY,
  OCI_INDEX,
  OCI_MANIFEST,
  parseDigest,
  parseReference,
  parseRepository,
  withDigest,
  withTag,
} from "../../src/oci/index.js";
import {
  RegistryClient,
  computeDigest,
  referrersTag,
  staticCredentials,
  tagImage,
} from "../../src/registry/index.js";
import { pushTestImage } from "../../test/support/images.js";
import type { PushedImage } from "../../test/support/images.js";
import { startRegistry } from "../../test/support/registry.js";
import type { TestRegistry } from "../../test/support/registry.js";
import { startScriptedServer } from "../../test/support/scripted-server.js";
import { skopeoInspectRaw } from "../../test/support/skopeo.js";

const fastRetry = { retry: { attempts: 1 } } as const;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Deterministic pseudo-random bytes, produced chunk by chunk. */
function pseudoRandom(size: number, seed: string): () => Readable {
  return () =>
    Readable.from(
      (function* () {
        let counter = 0;
        for (let sent = 0; sent < size;) {
          const block = createHash("sha512").update(`${seed}:${counter++}`).digest();
          const n = Math.min(block.length * 1024, size - sent);
          const out = Buffer.alloc(n);
          for (let i = 0; i < n; i += block.length) block.copy(out, i, 0, Math.min(block.length, n - i));
          out.writeUInt32BE(counter, 0);
          sent += n;
          yield out;
        }
      })(),
    );
}

describe("registry client on distribution (anonymous)", () => {
  let registry: TestRegistry;
  let client: RegistryClient;
  let oci: PushedImage;
  let docker: PushedImage;
  let index: PushedImage;

  before(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ transportOptions: fastRetry });
    oci = await pushTestImage(registry, "team/app:oci", {
      labels: { "org.opencontainers.image.revision": "0123abc" },
      created: "2024-05-06T07:08:09Z",
    });
    docker = await pushTestImage(registry, "team/app:docker", { format: "docker", seed: "docker" });
    index = await pushTestImage(registry, "team/multi:v1", { platforms: ["linux/amd64", "linux/arm64/v8"] });
  });
  after(() => registry?.stop());

  test("HEAD by tag and by digest, OCI and Docker media types", async () => {
    for (const image of [oci, docker, index]) {
      const byTag = await client.headManifest(parseReference(image.ref));
      assert.equal(byTag?.digest, image.digest);
      assert.equal(byTag?.mediaType, image.mediaType);
      assert.equal(byTag?.size, image.manifestBytes.length);
      const byDigest = await client.headManifest(
        withDigest(parseReference(image.ref).repository, parseDigest(image.digest)),
      );
      assert.equal(byDigest?.digest, image.digest);
    }
    assert.equal(docker.mediaType, DOCKER_MANIFEST);
    assert.equal(index.mediaType, OCI_INDEX);
  });

  test("HEAD of a missing tag or repository is undefined", async () => {
    assert.equal(await client.headManifest(parseReference(`${registry.host}/team/app:missing`)), undefined);
    assert.equal(await client.headManifest(parseReference(`${registry.host}/no/such/repo:v1`)), undefined);
  });

  test("GET keeps the exact bytes, by tag and by digest", async () => {
    for (const image of [oci, docker, index]) {
      const byTag = await client.getManifest(parseReference(image.ref));
      assert.deepEqual(byTag.bytes, image.manifestBytes);
      assert.equal(byTag.descriptor.digest, image.digest);
      const byDigest = await client.getManifest(
        parseReference(`${image.ref.split(":").slice(0, 2).join(":")}@${image.digest}`),
      );
      assert.deepEqual(byDigest.bytes, image.manifestBytes);
    }
    const multi = await client.getManifest(parseReference(index.ref));
    assert.equal(multi.manifest.kind, "index");
    assert.equal(multi.manifest.kind === "index" && multi.manifest.manifests.length, 2);
  });

  test("GET of a missing manifest is NOT_FOUND", async () => {
    await assert.rejects(
      client.getManifest(parseReference(`${registry.host}/team/app:missing`)),
      (err: unknown) => isReshipError(err, "NOT_FOUND"),
    );
  });

  test("PUT by tag and by digest stores the exact bytes (read back by skopeo)", async () => {
    const repo = parseRepository(`${registry.host}/team/app`);
    const digest = await client.putManifest(withTag(repo, "put-tag"), docker.manifestBytes, DOCKER_MANIFEST);
    assert.equal(digest, docker.digest);
    const served = await skopeoInspectRaw(registry, "team/app:put-tag");
    assert.deepEqual(served.bytes, docker.manifestBytes);
    assert.equal(served.digest, docker.digest);
    const byDigest = await client.putManifest(
      withDigest(repo, parseDigest(oci.digest)),
      oci.manifestBytes,
      OCI_MANIFEST,
    );
    assert.equal(byDigest, oci.digest);
  });

  test("PUT by a digest the bytes do not hash to writes nothing", async () => {
    const repo = parseRepository(`${registry.host}/team/app`);
    await registry.clearRequests();
    await assert.rejects(
      client.putManifest(withDigest(repo, parseDigest(oci.digest)), docker.manifestBytes, DOCKER_MANIFEST),
      (err: unknown) => isReshipError(err, "DIGEST_MISMATCH"),
    );
    assert.deepEqual(await registry.requests(), []);
  });

  test("blobs: HEAD, verified GET, config", async () => {
    const repo = parseRepository(`${registry.host}/team/app`);
    const layer = parseDigest(oci.layerDigests[0] ?? "");
    const head = await client.headBlob(repo, layer);
    assert.ok(head && head.size > 0);
    const bytes = await readAll(await client.getBlob(repo, layer));
    assert.equal(computeDigest(bytes), layer);
    assert.equal(bytes.length, head.size);
    assert.equal(await client.headBlob(repo, computeDigest(Buffer.from("absent"))), undefined);
    const manifest = await client.getManifest(parseReference(oci.ref));
    assert.ok(manifest.manifest.kind === "manifest");
    const config = await client.getConfig(repo, manifest.manifest.config);
    assert.equal(config.labels["org.opencontainers.image.revision"], "0123abc");
    assert.equal(config.created, "2024-05-06T07:08:09Z");
  });

  test("chunked upload of a multi-MiB blob, in PATCHes, read back intact", async () => {
    const repo = parseRepository(`${registry.host}/uploads/chunked`);
    const size = 5 * 1024 * 1024 + 123;
    const open = pseudoRandom(size, "chunked");
    const digest = computeDigest(await readAll(open()));
    await registry.clearRequests();
    await client.uploadBlob(repo, digest, size, open, { chunkSize: 1024 * 1024 });
    const requests = await registry.requests();
    const patches = requests.filter((r) => r.method === "PATCH");
    assert.equal(patches.length, 6);
    assert.ok(patches.every((r) => r.status === 202));
    assert.equal(requests.filter((r) => r.method === "PUT" && r.status === 201).length, 1);
    assert.equal(await registry.uploadedBlobBytes(), size);
    assert.equal((await client.headBlob(repo, digest))?.size, size);
    assert.equal(computeDigest(await readAll(await client.getBlob(repo, digest, size))), digest);
  });

  test("streamed monolithic upload: one POST and one PUT", async () => {
    const repo = parseRepository(`${registry.host}/uploads/monolithic`);
    const size = 3 * 1024 * 1024;
    const open = pseudoRandom(size, "monolithic");
    const digest = computeDigest(await readAll(open()));
    await registry.clearRequests();
    await client.uploadBlob(repo, digest, size, open);
    const methods = (await registry.requests()).map((r) => `${r.method} ${r.status}`);
    assert.deepEqual(methods, ["POST 202", "PUT 201"]);
    assert.equal((await client.headBlob(repo, digest))?.size, size);
  });

  test("an upload whose content does not match its digest is refused", async () => {
    const repo = parseRepository(`${registry.host}/uploads/bad`);
    const wrong = computeDigest(Buffer.from("something else"));
    await assert.rejects(client.uploadBlob(repo, wrong, 4, () => Readable.from([Buffer.from("abcd")])));
    assert.equal(await client.headBlob(repo, wrong), undefined);
  });

  test("tags: a listing with a small page size is complete", async () => {
    // distribution 2.8 ignores `n` on tag lists (it pages only the catalog), so
    // Link following itself is covered by the scripted-server test below.
    const ref = parseReference(oci.ref);
    const tags = Array.from({ length: 24 }, (_, i) => `page-${String(i).padStart(2, "0")}`);
    await tagImage(client, ref, tags);
    const listed = await client.listTags(ref.repository, { pageSize: 5 });
    for (const tag of [...tags, "oci", "docker"]) assert.ok(listed.includes(tag), `missing ${tag}`);
    assert.equal(new Set(listed).size, listed.length);
    assert.deepEqual(await client.listTags(parseRepository(`${registry.host}/no/such/repo`)), []);
  });

  test("referrers: distribution 2.8 has no API, so the sha256-<hex> tag is read", async () => {
    const repo = parseRepository(`${registry.host}/team/app`);
    const subject = parseDigest(oci.digest);
    const empty = Buffer.from("{}");
    const emptyDigest = computeDigest(empty);
    await client.uploadBlob(repo, emptyDigest, empty.length, () => Readable.from([empty]));
    const artifact = (artifactType: string) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          artifactType,
          config: { mediaType: OCI_EMPTY, digest: emptyDigest, size: 2 },
          layers: [{ mediaType: OCI_EMPTY, digest: emptyDigest, size: 2 }],
          subject: { mediaType: OCI_MANIFEST, digest: subject, size: oci.manifestBytes.length },
        }),
      );
    const sbom = artifact("application/spdx+json");
    const sig = artifact("application/vnd.dev.sigstore.bundle+json");
    const descriptors = [];
    for (const [bytes, artifactType] of [
      [sbom, "application/spdx+json"],
      [sig, "application/vnd.dev.sigstore.bundle+json"],
    ] as const) {
      const digest = await client.putManifest(withDigest(repo, computeDigest(bytes)), bytes, OCI_MANIFEST);
      descriptors.push({ mediaType: OCI_MANIFEST, digest, size: bytes.length, artifactType });
    }
    const fallback = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: descriptors }),
    );
    await client.putManifest(withTag(repo, referrersTag(subject)), fallback, OCI_INDEX);

    await registry.clearRequests();
    const all = await client.referrers(repo, subject);
    assert.deepEqual(
      all.map((d) => d.artifactType),
      ["application/spdx+json", "application/vnd.dev.sigstore.bundle+json"],
    );
    const paths = (await registry.requests()).map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.equal(paths[0], `GET /v2/team/app/referrers/${subject} 404`);
    assert.ok(paths.includes(`GET /v2/team/app/manifests/${referrersTag(subject)} 200`));
    const sboms = await client.referrers(repo, subject, { artifactType: "application/spdx+json" });
    assert.deepEqual(
      sboms.map((d) => d.digest),
      [computeDigest(sbom)],
    );
    assert.deepEqual(await client.referrers(repo, parseDigest(docker.digest)), []);
  });
});

describe("registry client with basic auth", () => {
  let registry: TestRegistry;
  let image: PushedImage;
  before(async () => {
    registry = await startRegistry({ variant: "basic" });
    image = await pushTestImage(registry, "team/app:v1");
  });
  after(() => registry?.stop());

  test("right credentials: found", async () => {
    const credentials = staticCredentials({
      [registry.host]: { username: registry.username ?? "", password: registry.password ?? "" },
    });
    const client = new RegistryClient({ transportOptions: { ...fastRetry, credentials } });
    assert.equal((await client.headManifest(parseReference(image.ref)))?.digest, image.digest);
  });

  test("wrong or no credentials: UNAUTHORIZED, never 'not found'", async () => {
    for (const credentials of [
      staticCredentials({ [registry.host]: { username: registry.username ?? "", password: "wrong" } }),
      undefined,
    ]) {
      const client = new RegistryClient({
        transportOptions: { ...fastRetry, ...(credentials ? { credentials } : {}) },
      });
      await assert.rejects(client.headManifest(parseReference(image.ref)), (err: unknown) => {
        assert.ok(isReshipError(err, "UNAUTHORIZED"), String(err));
        assert.ok(!err.message.includes("wrong"), "the password leaked into the message");
        return true;
      });
    }
  });
});

describe("tag pages (scripted server: Link headers distribution 2.8 never sends)", () => {
  test("relative and absolute same-origin next links are followed; another host is refused", async () => {
    const server = await startScriptedServer([]);
    try {
      const page = (tags: string[], link?: string) => ({
        status: 200,
        headers: { "content-type": "application/json", ...(link ? { link } : {}) },
        body: JSON.stringify({ name: "a/b", tags }),
      });
      server.script([
        page(["t1", "t2"], '</v2/a/b/tags/list?n=2&last=t2>; rel="next"'),
        page(["t3", "t4"], `<${server.url}/v2/a/b/tags/list?n=2&last=t4>; rel="next"`),
        page(["t5"]),
      ]);
      const client = new RegistryClient({ transportOptions: fastRetry });
      const repo = parseRepository(`${server.host}/a/b`);
      assert.deepEqual(await client.listTags(repo, { pageSize: 2 }), ["t1", "t2", "t3", "t4", "t5"]);
      assert.deepEqual(
        server.requests.map((r) => r.url),
        ["/v2/a/b/tags/list?n=2", "/v2/a/b/tags/list?n=2&last=t2", "/v2/a/b/tags/list?n=2&last=t4"],
      );
      server.script([page(["t1"], '<http://elsewhere.example:9/v2/a/b/tags/list?last=t1>; rel="next"')]);
      await assert.rejects(client.listTags(repo), /next page on another host/);
    } finally {
      await server.stop();
    }
  });
});

describe("HEAD refused (scripted server: registries that answer HEAD with 405, or 404 where GET works)", () => {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }));
  const digest = computeDigest(manifest);
  const found = { status: 200, headers: { "content-type": OCI_INDEX }, body: manifest };

  test("a 405 to HEAD is settled with a GET; a 404 too, unless the caller takes HEAD at its word", async () => {
    const server = await startScriptedServer([]);
    try {
      const client = new RegistryClient({ transportOptions: fastRetry });
      const ref = parseReference(`${server.host}/a/b:v1`);
      server.script([{ status: 405 }, found]);
      assert.deepEqual(await client.headManifest(ref), {
        mediaType: OCI_INDEX,
        digest,
        size: manifest.length,
      });
      server.script([{ status: 404 }, found]);
      assert.equal((await client.headManifest(ref))?.digest, digest);
      server.script([{ status: 404 }, found]);
      assert.equal(await client.headManifest(ref, { confirmNotFound: false }), undefined);
      assert.deepEqual(
        server.requests.map((r) => r.method),
        ["HEAD", "GET", "HEAD", "GET", "HEAD"],
      );
    } finally {
      await server.stop();
    }
  });
});

describe("digest checks (scripted server: wrong bytes on purpose)", () => {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }));
  const rightDigest = computeDigest(manifest);
  const otherDigest = computeDigest(Buffer.from("other"));

  test("GET by tag: Docker-Content-Digest disagreeing with the bytes", async () => {
    const server = await startScriptedServer([
      {
        status: 200,
        headers: { "content-type": OCI_INDEX, "docker-content-digest": otherDigest },
        body: manifest,
      },
    ]);
    try {
      const client = new RegistryClient({ transportOptions: fastRetry });
      await assert.rejects(client.getManifest(parseReference(`${server.host}/a/b:v1`)), (err: unknown) => {
        assert.ok(isReshipError(err, "DIGEST_MISMATCH"));
        assert.match(err.message, new RegExp(`says ${otherDigest} but the content hashes to ${rightDigest}`));
        return true;
      });
    } finally {
      await server.stop();
    }
  });

  test("GET by digest: bytes that hash to another digest", async () => {
    const server = await startScriptedServer([
      { status: 200, headers: { "content-type": OCI_INDEX }, body: manifest },
    ]);
    try {
      const client = new RegistryClient({ transportOptions: fastRetry });
      await assert.rejects(
        client.getManifest(parseReference(`${server.host}/a/b@${otherDigest}`)),
        (err: unknown) => isReshipError(err, "DIGEST_MISMATCH"),
      );
      // The same bytes under the right digest are accepted.
      server.script([{ status: 200, headers: { "content-type": OCI_INDEX }, body: manifest }]);
      const ok = await client.getManifest(parseReference(`${server.host}/a/b@${rightDigest}`));
      assert.equal(ok.descriptor.digest, rightDigest);
    } finally {
      await server.stop();
    }
  });

  test("blob stream: wrong content errors at the end", async () => {
    const server = await startScriptedServer([{ status: 200, body: Buffer.from("not the blob") }]);
    try {
      const client = new RegistryClient({ transportOptions: fastRetry });
      const stream = await client.getBlob(parseRepository(`${server.host}/a/b`), otherDigest);
      await assert.rejects(readAll(stream), (err: unknown) => isReshipError(err, "DIGEST_MISMATCH"));
    } finally {
      await server.stop();
    }
  });
});
