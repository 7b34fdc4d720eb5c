// The test harness itself, against the real distribution registry: every
// variant starts and challenges as it should, images pushed with skopeo read
// back with the same digest, the access log yields requests and exact upload
// bytes, and nothing started survives stop() or the test process's exit.
import { describe, test, before, after } from "node:test";
import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attributeUploadBytes, parseAccessLog, stateOffset } from "../support/access-log.js";
import type { RegistryRequest } from "../support/access-log.js";
import { authEntryFor, writeDockerConfig } from "../support/docker-config.js";
import { harnessFetch } from "../support/http.js";
import { ALL_MANIFEST_TYPES, deleteManifest, registryFetch } from "../support/registry-http.js";
import { pushTestImage, writeTestImageLayout } from "../support/images.js";
import { isRunning, runCommand, waitFor } from "../support/processes.js";
import { startRegistry } from "../support/registry.js";
import type { RegistryVariant, TestRegistry } from "../support/registry.js";
import { startScriptedServer } from "../support/scripted-server.js";
import { sha256Digest, skopeoInspectConfig, skopeoInspectRaw, skopeoListTags } from "../support/skopeo.js";
import { tarHeader, tarTrailer } from "../support/tar.js";
import { parseScope } from "../support/token-server.js";

const root = new URL("../..", import.meta.url).pathname;

function fakeState(offset: number): string {
  const json = JSON.stringify({ Name: "a/b", UUID: "u", Offset: offset, StartedAt: "2026-01-01T00:00:00Z" });
  return encodeURIComponent(Buffer.concat([randomBytes(32), Buffer.from(json)]).toString("base64url"));
}

function req(method: string, uri: string, status: number): RegistryRequest {
  const q = uri.indexOf("?");
  return { method, uri, path: q === -1 ? uri : uri.slice(0, q), status };
}

describe("access log parsing (pure)", () => {
  test("combined lines give method, path, uri and status; other lines are skipped", () => {
    const log = [
      '{"level":"info","msg":"listening on 127.0.0.1:5000"}',
      '127.0.0.1 - - [22/Nov/2026:19:14:46 +0000] "GET /v2/ HTTP/1.1" 401 87 "" "curl/7.88.1"',
      '127.0.0.1 - - [22/Nov/2026:19:14:49 +0000] "POST /v2/a/b/blobs/uploads/?mount=sha256:ab&from=c HTTP/1.1" 201 0 "" "x"',
      "",
    ].join("\n");
    assert.deepEqual(parseAccessLog(log), [
      { method: "GET", uri: "/v2/", path: "/v2/", status: 401 },
      {
        method: "POST",
        uri: "/v2/a/b/blobs/uploads/?mount=sha256:ab&from=c",
        path: "/v2/a/b/blobs/uploads/",
        status: 201,
      },
    ]);
  });

  const offsets: [string, string, number | undefined][] = [
    ["no query", "/v2/a/b/blobs/uploads/u", undefined],
    ["no _state", "/v2/a/b/blobs/uploads/u?digest=sha256:00", undefined],
    ["offset 0", `/v2/a/b/blobs/uploads/u?_state=${fakeState(0)}`, 0],
    ["offset 3000", `/v2/a/b/blobs/uploads/u?_state=${fakeState(3000)}&digest=sha256:00`, 3000],
    ["garbage", "/v2/a/b/blobs/uploads/u?_state=!!!", undefined],
  ];
  for (const [name, uri, expected] of offsets) {
    test(`stateOffset: ${name}`, () => assert.equal(stateOffset(uri), expected));
  }

  test("upload bytes: PATCHes by offset difference, the PUT by blob size minus its offset, mounts none", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const other = `sha256:${"b".repeat(64)}`;
    const s = "/v2/a/b/blobs/uploads/s1";
    const requests = attributeUploadBytes(
      [
        req("POST", "/v2/a/b/blobs/uploads/", 202),
        req("PATCH", `${s}?_state=${fakeState(0)}`, 202),
        req("PATCH", `${s}?_state=${fakeState(1000)}`, 202),
        req("PUT", `${s}?_state=${fakeState(3000)}&digest=${digest}`, 201),
        req("POST", `/v2/a/b/blobs/uploads/?mount=${other}&from=c/d`, 201),
        req("POST", `/v2/a/b/blobs/uploads/?digest=${other}`, 201),
        req("PATCH", `/v2/a/b/blobs/uploads/s2?_state=${fakeState(0)}`, 202),
        req("PUT", "/v2/a/b/manifests/latest", 201),
      ],
      (d) => (d === digest ? 3500 : d === other ? 42 : undefined),
    );
    assert.deepEqual(
      requests.map((r) => r.bytesIn),
      [undefined, 1000, 2000, 500, undefined, 42, undefined, undefined],
    );
  });

  const scopes: [string, ReturnType<typeof parseScope>][] = [
    ["repository:team/app:pull,push", { type: "repository", name: "team/app", actions: ["pull", "push"] }],
    ["repository:a:pull", { type: "repository", name: "a", actions: ["pull"] }],
    ["registry:catalog:*", { type: "registry", name: "catalog", actions: ["*"] }],
    ["repository:team/app", undefined],
    ["nonsense", undefined],
  ];
  for (const [scope, expected] of scopes) {
    test(`parseScope ${scope}`, () => assert.deepEqual(parseScope(scope), expected));
  }
});

describe("test images (layout on disk)", () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const layout = async (spec: Parameters<typeof writeTestImageLayout>[1]) => {
    const dir = await mkdtemp(join(tmpdir(), "reship-layout-test-"));
    dirs.push(dir);
    return writeTestImageLayout(dir, spec);
  };

  test("the same spec gives the same digest; another seed, another", async () => {
    const a = await layout({ seed: "s1", labels: { x: "1" } });
    const b = await layout({ seed: "s1", labels: { x: "1" } });
    const c = await layout({ seed: "s2", labels: { x: "1" } });
    assert.equal(a.top.digest, b.top.digest);
    assert.notEqual(a.top.digest, c.top.digest);
    assert.equal(a.top.digest, sha256Digest(a.topBytes));
  });

  test("a layer is a tar that tar itself lists, with the content size asked for", async () => {
    const image = await layout({ layers: 1, layerSize: 1500 });
    const digest = image.layerDigests[0] ?? "";
    const blob = join(image.dir, "blobs", "sha256", digest.slice("sha256:".length));
    const { stdout } = await runCommand("tar", ["-tvf", blob]);
    assert.match(stdout.toString(), /1500 .*layer-0\.bin/);
    const bytes = await readFile(blob);
    assert.equal(sha256Digest(bytes), digest);
    assert.equal(bytes.length, 512 + 1500 + (512 - (1500 % 512)) + 1024);
    assert.equal(tarHeader("x", 0).length, 512);
    assert.equal(tarTrailer(512).length, 1024);
  });

  test("two platforms give an index whose children carry the platforms", async () => {
    const image = await layout({ platforms: ["linux/amd64", "linux/arm64/v8"] });
    const index = JSON.parse(image.topBytes.toString()) as {
      mediaType: string;
      manifests: { digest: string; platform: { architecture: string; variant?: string } }[];
    };
    assert.equal(index.mediaType, "application/vnd.oci.image.index.v1+json");
    assert.deepEqual(
      index.manifests.map((m) => [m.platform.architecture, m.platform.variant]),
      [
        ["amd64", undefined],
        ["arm64", "v8"],
      ],
    );
    assert.equal(image.layerDigests.length, 4);
    assert.equal(new Set(image.layerDigests).size, 4, "each platform has its own layers");
  });
});

interface ChallengeCase {
  variant: RegistryVariant;
  status: number;
  challenge: RegExp | undefined;
}

const challenges: ChallengeCase[] = [
  { variant: "anonymous", status: 200, challenge: undefined },
  { variant: "basic", status: 401, challenge: /^Basic realm="reship-test-realm"$/ },
  {
    variant: "token",
    status: 401,
    challenge: /^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="[^"]+"$/,
  },
  { variant: "tls", status: 200, challenge: undefined },
];

for (const { variant, status, challenge } of challenges) {
  describe(`registry variant ${variant}`, () => {
    let registry: TestRegistry;
    let ca: string | undefined;
    before(async () => {
      registry = await startRegistry({ variant });
      ca = registry.caFile === undefined ? undefined : await readFile(registry.caFile, "utf8");
    });
    after(async () => {
      await registry.stop();
    });

    test("GET /v2/ answers as the variant should", async () => {
      assert.equal(registry.variant, variant);
      assert.equal(registry.url, `${variant === "tls" ? "https" : "http"}://${registry.host}`);
      const res = await harnessFetch(`${registry.url}/v2/`, ca === undefined ? {} : { ca });
      assert.equal(res.status, status);
      const header = res.headers["www-authenticate"];
      if (challenge === undefined) assert.equal(header, undefined);
      else assert.match(String(header), challenge);
      if (variant === "token") assert.ok(String(header).includes(registry.tokenRealm ?? "(none)"));
    });

    test("a pushed image reads back with skopeo with the same digest, and its upload is counted", async () => {
      await registry.clearRequests();
      const pushed = await pushTestImage(registry, "team/app:sha-1234567", {
        labels: { "org.opencontainers.image.revision": "1234567" },
      });
      assert.equal(pushed.ref, `${registry.host}/team/app:sha-1234567`);
      const back = await skopeoInspectRaw(registry, "team/app:sha-1234567");
      assert.equal(back.digest, pushed.digest);
      assert.deepEqual(back.bytes, pushed.manifestBytes);
      const byDigest = await skopeoInspectRaw(registry, `team/app@${pushed.digest}`);
      assert.equal(byDigest.digest, pushed.digest);
      const config = JSON.parse((await skopeoInspectConfig(registry, "team/app:sha-1234567")).toString()) as {
        config: { Labels: Record<string, string> };
      };
      assert.equal(config.config.Labels["org.opencontainers.image.revision"], "1234567");

      const configSize = (JSON.parse(pushed.manifestBytes.toString()) as { config: { size: number } }).config
        .size;
      assert.equal(await registry.uploadedBlobBytes(), pushed.totalLayerBytes + configSize);
      const requests = await registry.requests();
      assert.ok(
        requests.some(
          (r) => r.method === "PUT" && r.path === "/v2/team/app/manifests/sha-1234567" && r.status === 201,
        ),
        "the manifest PUT is in the log",
      );
      assert.ok(
        requests.every((r) => !r.uri.includes("reship-harness-sync")),
        "harness probes are hidden",
      );
    });

    test("clearRequests starts a new step: pushing the same image again uploads nothing", async () => {
      await registry.clearRequests();
      assert.deepEqual(await registry.requests(), []);
      await pushTestImage(registry, "team/app:again", {
        labels: { "org.opencontainers.image.revision": "1234567" },
      });
      assert.equal(await registry.uploadedBlobBytes(), 0);
      assert.deepEqual(await skopeoListTags(registry, "team/app"), ["again", "sha-1234567"]);
    });

    test("registryFetch reaches the registry with the variant's credentials", async () => {
      const head = await registryFetch(registry, "/v2/team/app/manifests/sha-1234567", {
        method: "HEAD",
        headers: { accept: ALL_MANIFEST_TYPES },
      });
      assert.equal(head.status, 200);
      const pushed = await skopeoInspectRaw(registry, "team/app:sha-1234567");
      assert.equal(head.headers["docker-content-digest"], pushed.digest);
      const anonymous = await registryFetch(registry, "/v2/team/app/manifests/sha-1234567", {
        method: "HEAD",
        headers: { accept: ALL_MANIFEST_TYPES },
        anonymous: true,
      });
      assert.equal(anonymous.status, variant === "basic" || variant === "token" ? 401 : 200);
    });

    if (variant === "basic") {
      test("only the right password gets in", async () => {
        const basic = (user: string, pass: string) =>
          `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
        const good = await harnessFetch(`${registry.url}/v2/`, {
          headers: { authorization: basic(registry.username ?? "", registry.password ?? "") },
        });
        assert.equal(good.status, 200);
        const bad = await harnessFetch(`${registry.url}/v2/`, {
          headers: { authorization: basic(registry.username ?? "", "wrong") },
        });
        assert.equal(bad.status, 401);
      });
    }

    if (variant === "tls") {
      test("HTTPS is only trusted with the harness CA", async () => {
        await assert.rejects(harnessFetch(`${registry.url}/v2/`), /certificate/i);
        const byName = await harnessFetch(`https://localhost:${registry.host.split(":")[1]}/v2/`, {
          ca: ca ?? "",
        });
        assert.equal(byName.status, 200, "the certificate is valid for localhost too");
      });
    }

    if (variant === "token") {
      test("tokens: several scopes in one request allow a cross-repository mount; anonymous gets no access; wrong password 401", async () => {
        const auth = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString("base64")}`;
        const realm = registry.tokenRealm ?? "";
        const service = encodeURIComponent(registry.tokenService ?? "");
        const manifest = JSON.parse(
          (await skopeoInspectRaw(registry, "team/app:sha-1234567")).bytes.toString(),
        ) as {
          layers: { digest: string }[];
        };
        const layer = manifest.layers[0]?.digest ?? "";
        await registry.clearRequests();
        assert.deepEqual(registry.tokenRequests(), [], "clearRequests forgets token requests too");
        const tokenUrl = `${realm}?service=${service}&scope=${encodeURIComponent("repository:other/app:pull,push")}&scope=${encodeURIComponent("repository:team/app:pull")}`;
        const res = await harnessFetch(tokenUrl, { headers: { authorization: auth } });
        assert.equal(res.status, 200);
        const body = JSON.parse(res.body.toString()) as {
          token: string;
          access_token: string;
          expires_in: number;
          issued_at: string;
        };
        assert.equal(body.token, body.access_token);
        assert.equal(typeof body.expires_in, "number");
        assert.ok(!Number.isNaN(Date.parse(body.issued_at)));

        const mount = await harnessFetch(
          `${registry.url}/v2/other/app/blobs/uploads/?mount=${layer}&from=team/app`,
          {
            method: "POST",
            headers: { authorization: `Bearer ${body.token}` },
          },
        );
        assert.equal(mount.status, 201, "mounted with a token carrying both scopes");
        assert.equal(await registry.uploadedBlobBytes(), 0, "a mount moves no bytes");

        const anonymous = await harnessFetch(`${realm}?service=${service}&scope=repository:team/app:pull`);
        assert.equal(anonymous.status, 200);
        const anonToken = (JSON.parse(anonymous.body.toString()) as { token: string }).token;
        const denied = await harnessFetch(`${registry.url}/v2/team/app/manifests/sha-1234567`, {
          method: "HEAD",
          headers: { authorization: `Bearer ${anonToken}` },
        });
        assert.equal(denied.status, 401);

        const wrong = await harnessFetch(tokenUrl, {
          headers: { authorization: `Basic ${Buffer.from(`${registry.username}:nope`).toString("base64")}` },
        });
        assert.equal(wrong.status, 401);

        assert.deepEqual(
          registry.tokenRequests().map((t) => [t.scopes, t.authenticated, t.status]),
          [
            [["repository:other/app:pull,push", "repository:team/app:pull"], true, 200],
            [["repository:team/app:pull"], false, 200],
            [["repository:other/app:pull,push", "repository:team/app:pull"], false, 401],
          ],
        );
      });
    }

    test("stop() leaves no process and is idempotent", async () => {
      const pid = registry.pid;
      assert.ok(isRunning(pid));
      await registry.stop();
      assert.equal(isRunning(pid), false);
      await registry.stop();
    });
  });
}

describe("uploads and images on the anonymous registry", () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry();
  });
  after(async () => {
    await registry.stop();
  });

  test("a chunked upload's bytes are attributed to each request exactly", async () => {
    const blob = randomBytes(3500);
    const digest = `sha256:${createHash("sha256").update(blob).digest("hex")}`;
    await registry.clearRequests();
    const start = await harnessFetch(`${registry.url}/v2/chunks/app/blobs/uploads/`, { method: "POST" });
    assert.equal(start.status, 202);
    let location = new URL(String(start.headers.location), registry.url).toString();
    for (const [from, to] of [
      [0, 1000],
      [1000, 3000],
    ] as const) {
      const res = await harnessFetch(location, {
        method: "PATCH",
        headers: { "content-type": "application/octet-stream", "content-range": `${from}-${to - 1}` },
        body: blob.subarray(from, to),
      });
      assert.equal(res.status, 202);
      location = new URL(String(res.headers.location), registry.url).toString();
    }
    const done = await harnessFetch(`${location}&digest=${digest}`, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: blob.subarray(3000),
    });
    assert.equal(done.status, 201);
    const uploads = (await registry.requests()).filter((r) => r.path.includes("/blobs/uploads/"));
    assert.deepEqual(
      uploads.map((r) => [r.method, r.bytesIn]),
      [
        ["POST", undefined],
        ["PATCH", 1000],
        ["PATCH", 2000],
        ["PUT", 500],
      ],
    );
    assert.equal(await registry.uploadedBlobBytes(), 3500);
  });

  for (const format of ["oci", "docker"] as const) {
    test(`a ${format} multi-platform image pushes with all its children, byte for byte`, async () => {
      const pushed = await pushTestImage(registry, `multi/${format}:v1`, {
        format,
        platforms: ["linux/amd64", "linux/arm64"],
        compression: format === "docker" ? "gzip" : "none",
      });
      assert.equal(
        pushed.mediaType,
        format === "oci"
          ? "application/vnd.oci.image.index.v1+json"
          : "application/vnd.docker.distribution.manifest.list.v2+json",
      );
      assert.equal(pushed.children.length, 2);
      for (const child of pushed.children) {
        const back = await skopeoInspectRaw(registry, `multi/${format}@${child.digest}`);
        assert.deepEqual(back.bytes, child.bytes, `child ${child.platform}`);
      }
    });
  }

  test("deleteManifest removes an image; a docker config holds auths for registries with credentials", async () => {
    const pushed = await pushTestImage(registry, "del/app:v1", { seed: "to-delete" });
    await deleteManifest(registry, "del/app", pushed.digest);
    const head = await registryFetch(registry, "/v2/del/app/manifests/v1", {
      method: "HEAD",
      headers: { accept: ALL_MANIFEST_TYPES },
    });
    assert.equal(head.status, 404);

    assert.throws(() => authEntryFor(registry), /no credentials/);
    const dir = await mkdtemp(join(tmpdir(), "reship-docker-config-"));
    try {
      const file = await writeDockerConfig(dir, [{ host: "127.0.0.1:1", username: "u", password: "p:q" }], {
        credHelpers: { "example.test": "fake" },
      });
      assert.deepEqual(JSON.parse(await readFile(file, "utf8")), {
        credHelpers: { "example.test": "fake" },
        auths: { "127.0.0.1:1": { auth: Buffer.from("u:p:q").toString("base64") } },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a docker single-platform image with uncompressed layers keeps its digest", async () => {
    const pushed = await pushTestImage(registry, "single/docker:v1", { format: "docker", layers: 3 });
    assert.equal(pushed.mediaType, "application/vnd.docker.distribution.manifest.v2+json");
    assert.equal(pushed.layerDigests.length, 3);
    assert.equal((await skopeoInspectRaw(registry, "single/docker:v1")).digest, pushed.digest);
  });
});

describe("process safety net", () => {
  test("a registry left running is killed when the test process exits", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reship-safety-"));
    const script = join(dir, "leave-running.mts");
    await writeFile(
      script,
      [
        `import { startRegistry } from ${JSON.stringify(join(root, "test/support/registry.ts"))};`,
        "const registry = await startRegistry();",
        "process.stdout.write(JSON.stringify({ pid: registry.pid, dir: registry.dir }));",
        "process.exit(0);",
      ].join("\n"),
    );
    try {
      const { stdout } = await runCommand(process.execPath, ["--import", "tsx", script], { cwd: root });
      const left = JSON.parse(stdout.toString()) as { pid: number; dir: string };
      await waitFor(async () => Promise.resolve(!isRunning(left.pid)), {
        what: `registry pid ${left.pid} to be gone`,
      });
      assert.equal(isRunning(left.pid), false);
      await assert.rejects(readFile(join(left.dir, "config.yml")), /ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("scripted server", () => {
  test("answers by script, repeats the last step, records requests", async () => {
    const server = await startScriptedServer([
      { status: 503, headers: { "retry-after": "0" } },
      (r) => ({ status: 200, body: `you sent ${r.body.length} bytes` }),
    ]);
    try {
      assert.equal((await harnessFetch(`${server.url}/a`)).status, 503);
      const second = await harnessFetch(`${server.url}/b`, { method: "PUT", body: "hello" });
      assert.equal(second.body.toString(), "you sent 5 bytes");
      assert.equal((await harnessFetch(`${server.url}/c`)).status, 200);
      assert.deepEqual(
        server.requests.map((r) => [r.method, r.url]),
        [
          ["GET", "/a"],
          ["PUT", "/b"],
          ["GET", "/c"],
        ],
      );
      server.script([{ reset: true }]);
      await assert.rejects(harnessFetch(`${server.url}/d`));
    } finally {
      await server.stop();
    }
  });
});
