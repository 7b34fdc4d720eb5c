/**
 * Authentication against the real distribution registry: htpasswd Basic auth
 * and bearer tokens from the token-server fixture, with credentials from a
 * static store, docker's config.json and a credential helper program.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isReshipError } from "../../src/errors.js";
import { RegistryError } from "../../src/registry/errors.js";
import { dockerConfigCredentials, spawnHelper, staticCredentials } from "../../src/registry/auth/index.js";
import { createTransport } from "../../src/registry/transport/index.js";
import type { RequestLogEntry, TransportResponse } from "../../src/registry/transport/index.js";
import { pushTestImage } from "../support/images.js";
import { startRegistry } from "../support/registry.js";
import type { TestRegistry } from "../support/registry.js";

async function drain(response: TransportResponse): Promise<string> {
  let out = "";
  for await (const chunk of response.body) out += String(chunk);
  return out;
}

const url = (registry: TestRegistry, path: string) => new URL(`${registry.url}${path}`);

describe("basic auth (htpasswd)", () => {
  let registry: TestRegistry | undefined;
  let dir = "";
  before(async () => {
    registry = await startRegistry({ variant: "basic" });
    dir = await mkdtemp(join(tmpdir(), "reship-auth-test-"));
  });
  after(async () => {
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("the right password gets in; later requests carry Basic without a 401 first", async () => {
    const r = registry!;
    const t = createTransport({
      credentials: staticCredentials({ [r.host]: { username: r.username!, password: r.password! } }),
    });
    const first = await t({ method: "GET", url: url(r, "/v2/"), idempotent: true });
    assert.equal(first.status, 200);
    await drain(first);
    await r.clearRequests();
    const second = await t({ method: "GET", url: url(r, "/v2/_catalog"), idempotent: true });
    assert.equal(second.status, 200);
    await drain(second);
    assert.deepEqual(
      (await r.requests()).map((q) => q.status),
      [200],
    );
  });

  test("a wrong password is UNAUTHORIZED naming the registry, without the secret", async () => {
    const r = registry!;
    const wrong = "wrong-password-" + "x".repeat(12);
    const log: RequestLogEntry[] = [];
    const t = createTransport({
      credentials: staticCredentials({ [r.host]: { username: r.username!, password: wrong } }),
      logger: (e) => log.push(e),
    });
    await assert.rejects(t({ method: "GET", url: url(r, "/v2/"), idempotent: true }), (err: Error) => {
      assert.ok(isReshipError(err, "UNAUTHORIZED"), String(err));
      assert.ok(err instanceof RegistryError && err.status === 401, String(err));
      assert.ok(err.message.includes(r.host), err.message);
      const everything =
        err.message + JSON.stringify(log) + String((err.cause as Error | undefined)?.message);
      assert.ok(!everything.includes(wrong));
      assert.ok(!everything.includes(Buffer.from(`${r.username!}:${wrong}`).toString("base64")));
      return true;
    });
  });

  test("no credentials at all: UNAUTHORIZED saying none are configured", async () => {
    const r = registry!;
    await assert.rejects(
      createTransport()({ method: "GET", url: url(r, "/v2/"), idempotent: true }),
      (err: Error) =>
        isReshipError(err, "UNAUTHORIZED") &&
        err.message.includes(r.host) &&
        /none are configured/.test(err.message),
    );
  });

  test("credentials from config.json through a credential helper program", async () => {
    const r = registry!;
    const bin = join(dir, "bin");
    await rm(bin, { recursive: true, force: true });
    await mkdir(bin);
    const helper = join(bin, "docker-credential-reship-test");
    // The helper answers only for the registry it is asked about (server URL on stdin).
    await writeFile(
      helper,
      `#!/bin/sh\nread server\nif [ "$server" = "${r.host}" ]; then\n  printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$server" '${r.username!}' '${r.password!}'\nelse\n  echo "credentials not found in native keychain"; exit 1\nfi\n`,
    );
    await chmod(helper, 0o700);
    const configDir = join(dir, "docker");
    await mkdir(configDir, { recursive: true });
    await writeFile(
      join(configDir, "config.json"),
      JSON.stringify({ credHelpers: { [r.host]: "reship-test" } }),
    );
    const store = dockerConfigCredentials({
      configDir,
      runHelper: (command, args, input) => spawnHelper(join(bin, command), args, input),
    });
    const t = createTransport({ credentials: store });
    const res = await t({ method: "GET", url: url(r, "/v2/"), idempotent: true });
    assert.equal(res.status, 200);
    await drain(res);
  });

  test("auths entry in config.json", async () => {
    const r = registry!;
    const configDir = join(dir, "docker-auths");
    await mkdir(configDir, { recursive: true });
    const auth = Buffer.from(`${r.username!}:${r.password!}`).toString("base64");
    await writeFile(
      join(configDir, "config.json"),
      JSON.stringify({ auths: { [`http://${r.host}`]: { auth } } }),
    );
    const res = await createTransport({ credentials: dockerConfigCredentials({ configDir }) })({
      method: "GET",
      url: url(r, "/v2/"),
      idempotent: true,
    });
    assert.equal(res.status, 200);
    await drain(res);
  });
});

describe("bearer token auth", () => {
  let registry: TestRegistry | undefined;
  before(async () => {
    registry = await startRegistry({ variant: "token" });
    await pushTestImage(registry, "team/source:v1");
  });
  after(async () => {
    await registry?.stop();
  });

  test("a token per scope set, reused: the second request to the repo asks for no new token and gets no 401", async () => {
    const r = registry!;
    const t = createTransport({
      credentials: staticCredentials({ [r.host]: { username: r.username!, password: r.password! } }),
    });
    const scopes = ["repository:team/source:pull"];
    await r.clearRequests();
    const first = await t({
      method: "HEAD",
      url: url(r, "/v2/team/source/manifests/v1"),
      scopes,
      idempotent: true,
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    assert.equal(first.status, 200);
    first.body.resume();
    assert.deepEqual(
      r.tokenRequests().map((q) => [q.scopes, q.authenticated, q.status]),
      [[scopes, true, 200]],
    );
    await r.clearRequests();
    const second = await t({
      method: "GET",
      url: url(r, "/v2/team/source/tags/list"),
      scopes,
      idempotent: true,
    });
    assert.equal(second.status, 200);
    assert.match(await drain(second), /"v1"/);
    assert.equal(r.tokenRequests().length, 0);
    assert.deepEqual(
      (await r.requests()).map((q) => q.status),
      [200],
    );
  });

  test("a request without scopes uses the challenge's scope", async () => {
    const r = registry!;
    const t = createTransport({
      credentials: staticCredentials({ [r.host]: { username: r.username!, password: r.password! } }),
    });
    await r.clearRequests();
    const res = await t({ method: "GET", url: url(r, "/v2/team/source/tags/list"), idempotent: true });
    assert.equal(res.status, 200);
    await drain(res);
    assert.deepEqual(
      r.tokenRequests().map((q) => q.scopes),
      [["repository:team/source:pull"]],
    );
  });

  test("several repositories in one token request: a cross-repository blob mount", async () => {
    const r = registry!;
    const image = await pushTestImage(r, "team/mount-source:v1", { seed: "mount" });
    const t = createTransport({
      credentials: staticCredentials({ [r.host]: { username: r.username!, password: r.password! } }),
    });
    await r.clearRequests();
    const layer = image.layerDigests[0]!;
    const mount = await t({
      method: "POST",
      url: url(r, `/v2/team/target/blobs/uploads/?mount=${encodeURIComponent(layer)}&from=team/mount-source`),
      scopes: ["repository:team/target:pull,push", "repository:team/mount-source:pull"],
    });
    await drain(mount);
    assert.equal(mount.status, 201);
    const requests = r.tokenRequests();
    assert.equal(requests.length, 1);
    assert.deepEqual([...requests[0]!.scopes].sort(), [
      "repository:team/mount-source:pull",
      "repository:team/target:pull,push",
    ]);
  });

  test("anonymous: the token endpoint is called without credentials; no access is UNAUTHORIZED", async () => {
    const r = registry!;
    await r.clearRequests();
    await assert.rejects(
      createTransport()({
        method: "GET",
        url: url(r, "/v2/team/source/tags/list"),
        scopes: ["repository:team/source:pull"],
        idempotent: true,
      }),
      (err: Error) => isReshipError(err, "UNAUTHORIZED") && err.message.includes(r.host),
    );
    assert.ok(r.tokenRequests().length >= 1);
    assert.ok(r.tokenRequests().every((q) => !q.authenticated));
  });

  test("a wrong password at the token service is UNAUTHORIZED naming the registry, without the secret", async () => {
    const r = registry!;
    const wrong = "not-the-password-" + "y".repeat(10);
    await assert.rejects(
      createTransport({
        credentials: staticCredentials({ [r.host]: { username: r.username!, password: wrong } }),
      })({
        method: "GET",
        url: url(r, "/v2/team/source/tags/list"),
        scopes: ["repository:team/source:pull"],
        idempotent: true,
      }),
      (err: Error) =>
        isReshipError(err, "UNAUTHORIZED") && err.message.includes(r.host) && !err.message.includes(wrong),
    );
  });

  test("concurrent requests for one scope share one token request", async () => {
    const r = registry!;
    const t = createTransport({
      credentials: staticCredentials({ [r.host]: { username: r.username!, password: r.password! } }),
    });
    // Cold: every request meets the challenge, yet they share one token request.
    await r.clearRequests();
    const scopes = ["repository:team/source:pull"];
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        t({ method: "GET", url: url(r, "/v2/team/source/tags/list"), scopes, idempotent: true }),
      ),
    );
    for (const a of answers) {
      assert.equal(a.status, 200);
      await drain(a);
    }
    assert.equal(r.tokenRequests().length, 1);
  });
});
