/**
 * The transport against real sockets: a scripted node:http server for the
 * edge cases a registry will not produce on demand (429 with Retry-After, 503,
 * reset connections, cross-host redirects, a silent server), and the real
 * distribution registry for plain HTTP and TLS.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { isReshipError } from "../../src/errors.js";
import { createTransport } from "../../src/registry/transport/index.js";
import type { RequestLogEntry, Transport } from "../../src/registry/transport/index.js";
import { startScriptedServer } from "../support/scripted-server.js";
import type { ScriptedServer } from "../support/scripted-server.js";
import { startRegistry } from "../support/registry.js";
import type { TestRegistry } from "../support/registry.js";

const noWait = { sleep: () => Promise.resolve(), baseDelayMs: 1 };

async function text(response: { body: NodeJS.ReadableStream }): Promise<string> {
  let out = "";
  for await (const chunk of response.body) out += String(chunk);
  return out;
}

describe("transport edge cases (scripted server)", () => {
  const servers: ScriptedServer[] = [];
  const start = async (...args: Parameters<typeof startScriptedServer>) => {
    const server = await startScriptedServer(...args);
    servers.push(server);
    return server;
  };
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  test("429 with Retry-After is retried after the server's delay", async () => {
    const server = await start([
      { status: 429, headers: { "retry-after": "7" } },
      { status: 200, body: "ok" },
    ]);
    const sleeps: number[] = [];
    const t = createTransport({ retry: { sleep: (ms) => (sleeps.push(ms), Promise.resolve()) } });
    const res = await t({ method: "GET", url: new URL(`${server.url}/v2/`), idempotent: true });
    assert.equal(res.status, 200);
    assert.equal(await text(res), "ok");
    assert.equal(server.requests.length, 2);
    assert.deepEqual(sleeps, [7000]);
  });

  test("503 then 200; a POST (not idempotent) is not retried", async () => {
    const server = await start([{ status: 503 }, { status: 200, body: "ok" }]);
    const t = createTransport({ retry: noWait });
    const res = await t({ method: "GET", url: new URL(`${server.url}/v2/`), idempotent: true });
    assert.equal(res.status, 200);
    await text(res);
    server.script([{ status: 503 }, { status: 200 }]);
    const post = await t({ method: "POST", url: new URL(`${server.url}/v2/a/blobs/uploads/`) });
    assert.equal(post.status, 503);
    post.body.resume();
    assert.equal(server.requests.length, 3);
  });

  test("a reset connection is retried for a GET, and named for a POST", async () => {
    const server = await start([{ reset: true }, { status: 200, body: "ok" }]);
    const t = createTransport({ retry: noWait });
    const res = await t({ method: "GET", url: new URL(`${server.url}/v2/`), idempotent: true });
    assert.equal(res.status, 200);
    await text(res);
    server.script([{ reset: true }]);
    await assert.rejects(
      t({ method: "POST", url: new URL(`${server.url}/v2/a/blobs/uploads/`), body: Buffer.from("x") }),
      (err: Error) =>
        isReshipError(err, "NETWORK") && err.message.includes(server.host) && /reset/.test(err.message),
    );
  });

  test("a redirect to another host drops Authorization; the same host keeps it", async () => {
    const storage = await start([{ status: 200, body: "blob bytes" }]);
    const registry = await start([
      { status: 307, headers: { location: "/v2/a/blobs/sha256:moved" } },
      { status: 307, headers: { location: `${storage.url}/bucket/blob?X-Amz-Signature=abc` } },
    ]);
    const t = createTransport({ retry: noWait });
    const res = await t({
      method: "GET",
      url: new URL(`${registry.url}/v2/a/blobs/sha256:1`),
      headers: { authorization: "Bearer SAME-HOST-ONLY" },
      idempotent: true,
    });
    assert.equal(await text(res), "blob bytes");
    assert.equal(res.url.host, storage.host);
    assert.equal(registry.requests.length, 2);
    assert.equal(registry.requests[1]?.headers.authorization, "Bearer SAME-HOST-ONLY");
    assert.equal(storage.requests.length, 1);
    assert.equal(storage.requests[0]?.headers.authorization, undefined);
    assert.equal(storage.requests[0]?.url, "/bucket/blob?X-Amz-Signature=abc");
  });

  test("303 turns a PUT into a GET; more than 10 hops is an error", async () => {
    const server = await start([{ status: 303, headers: { location: "/done" } }, { status: 200 }]);
    const t = createTransport({ retry: noWait });
    const res = await t({
      method: "PUT",
      url: new URL(`${server.url}/v2/x`),
      body: Buffer.from("payload"),
      idempotent: true,
    });
    res.body.resume();
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.url, r.body.length]),
      [
        ["PUT", "/v2/x", 7],
        ["GET", "/done", 0],
      ],
    );
    server.script([(_req, n) => ({ status: 302, headers: { location: `/loop/${n}` } })]);
    await assert.rejects(t({ method: "GET", url: new URL(`${server.url}/v2/loop`) }), /too many redirects/);
  });

  test("a server that never answers is a TIMEOUT naming the host", async () => {
    let release: () => void = () => undefined;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const server = await start([async () => (await hold, { status: 200 })]);
    const t = createTransport({ timeoutMs: 200, retry: { attempts: 1 } });
    try {
      await assert.rejects(
        t({ method: "GET", url: new URL(`${server.url}/v2/`), idempotent: true }),
        (err: Error) => isReshipError(err, "TIMEOUT") && err.message.includes(server.host),
      );
    } finally {
      release();
    }
  });

  test("connection refused is NETWORK naming the host and the cause", async () => {
    const server = await start();
    const host = server.host;
    await server.stop();
    const t = createTransport({ retry: noWait });
    await assert.rejects(
      t({ method: "GET", url: new URL(`http://${host}/v2/`), idempotent: true }),
      (err: Error) =>
        isReshipError(err, "NETWORK") &&
        err.message.includes(host) &&
        err.message.includes("connection refused"),
    );
  });

  test("plain HTTP to a host that is not loopback is refused before any connection", async () => {
    const t = createTransport();
    await assert.rejects(
      t({ method: "GET", url: new URL("http://registry.invalid/v2/") }),
      (err: Error) => isReshipError(err, "INSECURE_REGISTRY") && err.message.includes("registry.invalid"),
    );
  });
});

describe("keep-alive", () => {
  let stop: () => Promise<void> = () => Promise.resolve();
  let connections = 0;
  let base = "";
  before(async () => {
    const server = createServer((_req, res) => res.end("ok"));
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stop = () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
  });
  after(() => stop());

  test("sequential requests to one host share one connection", async () => {
    const t = createTransport();
    for (let i = 0; i < 5; i++) {
      const res = await t({ method: "GET", url: new URL(`${base}/v2/`), idempotent: true });
      assert.equal(await text(res), "ok");
    }
    assert.equal(connections, 1);
  });
});

describe("against the real registry", () => {
  let plain: TestRegistry | undefined;
  let secure: TestRegistry | undefined;
  before(async () => {
    [plain, secure] = await Promise.all([
      startRegistry({ variant: "anonymous" }),
      startRegistry({ variant: "tls" }),
    ]);
  });
  after(async () => {
    await Promise.all([plain?.stop(), secure?.stop()]);
  });

  test("plain HTTP on loopback; the registry's own error codes come through", async () => {
    const log: RequestLogEntry[] = [];
    const t: Transport = createTransport({ logger: (e) => log.push(e) });
    const ping = await t({ method: "GET", url: new URL(`${plain!.url}/v2/`), idempotent: true });
    assert.equal(ping.status, 200);
    assert.equal(ping.headers["docker-distribution-api-version"], "registry/2.0");
    await text(ping);
    const missing = await t({
      method: "GET",
      url: new URL(`${plain!.url}/v2/team/app/manifests/nope`),
      idempotent: true,
    });
    assert.equal(missing.status, 404);
    assert.match(await text(missing), /MANIFEST_UNKNOWN/);
    assert.deepEqual(
      log.map((e) => [e.method, e.status]),
      [
        ["GET", 200],
        ["GET", 404],
      ],
    );
  });

  test("TLS with the CA file works, also when asked for http:// on loopback", async () => {
    const t = createTransport({ caFile: secure!.caFile! });
    const res = await t({ method: "GET", url: new URL(`${secure!.url}/v2/`), idempotent: true });
    assert.equal(res.status, 200);
    await text(res);
    const viaHttp = await t({ method: "GET", url: new URL(`http://${secure!.host}/v2/`), idempotent: true });
    assert.equal(viaHttp.status, 200);
    assert.equal(viaHttp.url.protocol, "https:");
    await text(viaHttp);
  });

  test("a loopback registry is tried over plain HTTP first, with no failed TLS attempt", async () => {
    const log: RequestLogEntry[] = [];
    const t = createTransport({ logger: (e) => log.push(e) });
    const urls = Array.from({ length: 4 }, () => new URL(`https://${plain!.host}/v2/`));
    const answers = await Promise.all(urls.map((url) => t({ method: "GET", url, idempotent: true })));
    for (const res of answers) {
      assert.equal(res.status, 200);
      assert.equal(res.url.protocol, "http:");
      await text(res);
    }
    assert.deepEqual(
      log.map((e) => [new URL(e.url).protocol, e.status]),
      Array.from({ length: 4 }, () => ["http:", 200]),
    );
  });

  test("concurrent first requests to a loopback TLS registry probe its scheme once", async () => {
    const log: RequestLogEntry[] = [];
    const t = createTransport({ caFile: secure!.caFile!, logger: (e) => log.push(e) });
    const urls = Array.from({ length: 5 }, () => new URL(`https://${secure!.host}/v2/`));
    const answers = await Promise.all(urls.map((url) => t({ method: "GET", url, idempotent: true })));
    for (const res of answers) {
      assert.equal(res.status, 200);
      await text(res);
    }
    const plainAttempts = log.filter((e) => new URL(e.url).protocol === "http:");
    assert.equal(plainAttempts.length, 1, "one plain-HTTP probe, then TLS for every request");
    assert.equal(log.filter((e) => new URL(e.url).protocol === "https:" && e.status === 200).length, 5);
  });

  test("TLS without the CA file fails with a certificate error naming the host", async () => {
    const t = createTransport({ retry: noWait });
    await assert.rejects(
      t({ method: "GET", url: new URL(`${secure!.url}/v2/`), idempotent: true }),
      (err: Error) =>
        isReshipError(err, "NETWORK") &&
        err.message.includes(secure!.host) &&
        /certificate/i.test(err.message) &&
        /--ca-file/.test(err.message),
    );
  });

  test("an unreadable CA file is a CONFIG error naming it", () => {
    assert.throws(
      () => createTransport({ caFile: "/nonexistent/ca.pem" }),
      (err: Error) => isReshipError(err, "CONFIG") && err.message.includes("/nonexistent/ca.pem"),
    );
  });
});
