/**
 * `reship exists | inspect | tag | copy` end to end, in process through
 * main() with captured streams (and once as a real process), against real
 * registries: exit codes, JSON output, credentials from DOCKER_CONFIG and the
 * environment, and bad input refused before anything is written.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../support/cli.js";
import type { CliRun } from "../support/cli.js";
import { pushTestImage } from "../../test/support/images.js";
import type { PushedImage } from "../../test/support/images.js";
import { freePort } from "../../test/support/processes.js";
import { startRegistry } from "../../test/support/registry.js";
import type { TestRegistry } from "../../test/support/registry.js";
import { skopeoInspectRaw } from "../../test/support/skopeo.js";

const root = new URL("../..", import.meta.url).pathname;
const WRITES = new Set(["PUT", "POST", "PATCH", "DELETE"]);

let home: string;

function reship(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(argv, {
    env: { HOME: home, DOCKER_CONFIG: join(home, "empty-docker-config"), ...env },
    cwd: root,
  });
}

before(() => {
  home = mkdtempSync(join(tmpdir(), "reship-cli-home-"));
});
after(() => rmSync(home, { recursive: true, force: true }));

describe("CLI on an anonymous registry", () => {
  let registry: TestRegistry;
  let index: PushedImage;
  let single: PushedImage;

  before(async () => {
    registry = await startRegistry();
    index = await pushTestImage(registry, "team/app:v1", {
      platforms: ["linux/amd64", "linux/arm64"],
      labels: { "org.opencontainers.image.revision": "4f1c2e0" },
      created: "2024-02-03T04:05:06Z",
    });
    single = await pushTestImage(registry, "team/single:v1", { format: "docker", seed: "single", layers: 3 });
  });
  after(() => registry?.stop());

  test("exists: found is exit 0 with one HEAD request", async () => {
    await registry.clearRequests();
    const run = await reship(["exists", index.ref]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(index.digest));
    assert.deepEqual(
      (await registry.requests()).map((r) => `${r.method} ${r.path} ${r.status}`),
      ["HEAD /v2/team/app/manifests/v1 200"],
    );
  });

  test("exists --json: {ref, exists, digest, mediaType}", async () => {
    const found = await reship(["--json", "exists", index.ref]);
    assert.deepEqual(found.json(), {
      ref: index.ref,
      exists: true,
      digest: index.digest,
      mediaType: index.mediaType,
    });
    const missing = await reship(["exists", `${registry.host}/team/app:nope`, "--json"]);
    assert.equal(missing.status, 1);
    assert.deepEqual(missing.json(), { ref: `${registry.host}/team/app:nope`, exists: false });
  });

  test("exists: a missing repository is exit 1, a registry that is down is exit 3", async () => {
    assert.equal((await reship(["exists", `${registry.host}/no/such:v1`])).status, 1);
    const port = await freePort();
    const down = await reship(["exists", `127.0.0.1:${port}/team/app:v1`]);
    assert.equal(down.status, 3);
    assert.match(down.stderr, /could not tell whether .* exists: .*127\.0\.0\.1/);
  });

  test("bad references are exit 2", async () => {
    for (const argv of [
      ["exists", "Team/App:v1"],
      ["exists", `${registry.host}/team/app:bad!`],
      ["inspect", `${registry.host}/team/app@sha256:1234`],
      ["copy", index.ref, `${registry.host}/UPPER/app:v1`],
    ]) {
      const run = await reship(argv);
      assert.equal(run.status, 2, `${argv.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, /invalid|lowercase/);
    }
  });

  test("inspect --json: digest, media type, platforms, revision, created, size", async () => {
    const run = await reship(["inspect", index.ref, "--json"]);
    assert.equal(run.status, 0, run.stderr);
    const out = run.json();
    assert.equal(out.digest, index.digest);
    assert.equal(out.mediaType, index.mediaType);
    assert.deepEqual(
      (out.platforms as { platform: string }[]).map((p) => p.platform),
      ["linux/amd64", "linux/arm64"],
    );
    assert.equal(out.revision, "4f1c2e0");
    assert.equal(out.created, "2024-02-03T04:05:06Z");
    assert.equal(out.size, index.totalLayerBytes);
    const text = await reship(["inspect", single.ref]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /media type\s+application\/vnd\.docker\.distribution\.manifest\.v2\+json/);
    assert.match(text.stdout, /platforms\s+linux\/amd64/);
  });

  test("inspect --raw prints the exact manifest bytes", async () => {
    const run = await reship(["inspect", "--raw", index.ref]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdoutBytes, index.manifestBytes);
  });

  test("tag: bare tags and same-repository references, no blob request, read back by skopeo", async () => {
    await registry.clearRequests();
    const run = await reship([
      "tag",
      index.ref,
      "1.4.2",
      "1.4",
      `${registry.host}/team/app:latest`,
      "--json",
    ]);
    assert.equal(run.status, 0, run.stderr);
    const out = run.json<{ digest: string; tags: { tag: string; action: string }[] }>();
    assert.equal(out.digest, index.digest);
    assert.deepEqual(out.tags.map((t) => `${t.tag} ${t.action}`).sort(), [
      "1.4 created",
      "1.4.2 created",
      "latest created",
    ]);
    const requests = await registry.requests();
    assert.deepEqual(
      requests.filter((r) => r.path.includes("/blobs/")),
      [],
    );
    for (const tag of ["1.4.2", "1.4", "latest"]) {
      assert.deepEqual((await skopeoInspectRaw(registry, `team/app:${tag}`)).bytes, index.manifestBytes);
    }
    const again = await reship(["tag", index.ref, "1.4.2", "--json"]);
    assert.equal(again.json<{ tags: { action: string }[] }>().tags[0]?.action, "unchanged");
  });

  test("tag: a bad tag or another repository is exit 2 and nothing is written", async () => {
    for (const bad of [
      "x!",
      `${registry.host}/other/app:v2`,
      "other:v2",
      `${registry.host}/team/app@${index.digest}`,
    ]) {
      await registry.clearRequests();
      const run = await reship(["tag", index.ref, "good-1", bad, "good-2"]);
      assert.equal(run.status, 2, `${bad}: ${run.stderr}`);
      assert.ok(run.stderr.length > 0);
      assert.deepEqual(
        (await registry.requests()).filter((r) => WRITES.has(r.method)),
        [],
        bad,
      );
    }
    assert.equal((await reship(["exists", `${registry.host}/team/app:good-1`])).status, 1);
  });

  test("copy: to another repository, JSON result, then a no-op", async () => {
    const dst = `${registry.host}/prod/app:v1`;
    const run = await reship(["copy", index.ref, dst, "--json"]);
    assert.equal(run.status, 0, run.stderr);
    const out = run.json<{
      digest: string;
      unchanged: boolean;
      blobs: { mounted: number; uploaded: number };
    }>();
    assert.equal(out.digest, index.digest);
    assert.equal(out.unchanged, false);
    assert.ok(out.blobs.mounted > 0);
    assert.equal(out.blobs.uploaded, 0);
    const again = await reship(["cp", index.ref, dst]);
    assert.equal(again.status, 0);
    assert.match(again.stdout, /nothing to copy/);
    assert.equal((await reship(["copy", index.ref, dst, "--concurrency", "0"])).status, 2);
  });

  test("copy of a missing image is exit 1", async () => {
    const run = await reship(["copy", `${registry.host}/team/app:missing`, `${registry.host}/prod/app:v9`]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /not found/);
  });

  test("--verbose logs each request on stderr", async () => {
    const run = await reship(["-v", "exists", index.ref]);
    assert.equal(run.status, 0);
    assert.match(run.stderr, /HEAD http:\/\/127\.0\.0\.1:\d+\/v2\/team\/app\/manifests\/v1 200/);
  });

  test("as a process: exit statuses reach the shell", () => {
    const bin = join(root, "src/cli/bin.ts");
    const env = { ...process.env, HOME: home, DOCKER_CONFIG: join(home, "empty-docker-config") };
    const found = spawnSync(process.execPath, ["--import", "tsx", bin, "exists", index.ref], {
      env,
      encoding: "utf8",
    });
    assert.equal(found.status, 0, found.stderr);
    const missing = spawnSync(
      process.execPath,
      ["--import", "tsx", bin, "exists", `${registry.host}/team/app:nope`],
      {
        env,
        encoding: "utf8",
      },
    );
    assert.equal(missing.status, 1, missing.stderr);
  });
});

describe("CLI on a registry with basic auth", () => {
  let registry: TestRegistry;
  let image: PushedImage;
  before(async () => {
    registry = await startRegistry({ variant: "basic" });
    image = await pushTestImage(registry, "team/app:v1");
  });
  after(() => registry?.stop());

  test("no credentials: exists is exit 3 (could not tell), never 1", async () => {
    const run = await reship(["exists", image.ref]);
    assert.equal(run.status, 3);
    assert.match(run.stderr, /authentication|401|unauthorized/i);
  });

  test("wrong credentials: exit 3, and the password is not printed", async () => {
    const run = await reship(["exists", image.ref, "-v"], {
      RESHIP_REGISTRY: registry.host,
      RESHIP_USERNAME: registry.username,
      RESHIP_PASSWORD: "s3cret-wrong-password",
    });
    assert.equal(run.status, 3);
    assert.ok(!run.stderr.includes("s3cret-wrong-password"));
    assert.ok(!run.stdout.includes("s3cret-wrong-password"));
  });

  test("credentials from DOCKER_CONFIG or the environment: found", async () => {
    const configDir = mkdtempSync(join(home, "docker-"));
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString("base64");
    writeFileSync(join(configDir, "config.json"), JSON.stringify({ auths: { [registry.host]: { auth } } }));
    const viaConfig = await reship(["exists", image.ref], { DOCKER_CONFIG: configDir });
    assert.equal(viaConfig.status, 0, viaConfig.stderr);
    const viaEnv = await reship(["exists", image.ref, "--verbose"], {
      RESHIP_REGISTRY: registry.host,
      RESHIP_USERNAME: registry.username,
      RESHIP_PASSWORD: registry.password,
    });
    assert.equal(viaEnv.status, 0, viaEnv.stderr);
    assert.ok(!viaEnv.stderr.includes(registry.password ?? "\u0000"));
    const copied = await reship(["copy", image.ref, `${registry.host}/prod/app:v1`], {
      DOCKER_CONFIG: configDir,
    });
    assert.equal(copied.status, 0, copied.stderr);
  });
});
