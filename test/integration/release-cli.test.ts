/**
 * `reship release` and `reship build` through main(), in process with
 * captured streams, against the real registry: exit codes (0 ok and noop, 1
 * conflict, 2 bad version or config with no registry write), --json, the
 * GitHub step outputs and job summary, reship.yaml with several images
 * released at once, and the commit found by `git rev-parse HEAD` in a real
 * repository.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../support/cli.js";
import { pushTestImage } from "../support/images.js";
import { startRegistry } from "../support/registry.js";
import type { TestRegistry } from "../support/registry.js";
import { skopeoInspectRaw } from "../support/skopeo.js";

const REVISION = "org.opencontainers.image.revision";
const WRITES = new Set(["PUT", "POST", "PATCH", "DELETE"]);
const sha = (): string => randomBytes(20).toString("hex");

describe("reship release / build commands", () => {
  let registry: TestRegistry;
  let dir = "";

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "reship-release-cli-"));
    registry = await startRegistry({ variant: "anonymous" });
  });
  after(async () => {
    await registry?.stop();
    if (dir !== "") rmSync(dir, { recursive: true, force: true });
  });

  async function reship(
    argv: string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ): Promise<{ status: number; stdout: string; stderr: string }> {
    return runCli(argv, {
      env: {
        HOME: dir,
        DOCKER_CONFIG: join(dir, "no-docker-config"),
        PATH: process.env.PATH,
        ...options.env,
      },
      cwd: options.cwd ?? dir,
    });
  }

  async function writesSince(): Promise<string[]> {
    return (await registry.requests())
      .filter((r) => WRITES.has(r.method))
      .map((r) => `${r.method} ${r.path}`);
  }

  test("retag with --json, GitHub outputs and summary; the same release again is a noop (exit 0)", async () => {
    const commit = sha();
    const pushed = await pushTestImage(registry, `cli/app:sha-${commit.slice(0, 7)}`, {
      labels: { [REVISION]: commit },
      seed: commit,
    });
    const outputs = join(dir, "github-output");
    const summary = join(dir, "github-summary");
    writeFileSync(outputs, "");
    writeFileSync(summary, "");
    const env = { GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: summary, GITHUB_SHA: commit };
    const run = await reship(["release", `${registry.host}/cli/app`, "--version", "v1.2.0", "--json"], {
      env,
    });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { ok: boolean; images: { action: string; digest: string }[] };
    assert.equal(report.ok, true);
    assert.equal(report.images[0]?.action, "retag");
    assert.equal(report.images[0]?.digest, pushed.digest);
    const out = readFileSync(outputs, "utf8");
    assert.match(out, new RegExp(`^digest=${pushed.digest}$`, "m"));
    assert.match(out, /^action=retag$/m);
    assert.match(out, /^reused=true$/m);
    assert.match(out, new RegExp(`${registry.host}/cli/app:1\\.2\\.0`));
    assert.match(readFileSync(summary, "utf8"), /\| tag \| digest \| status \| path \|/);

    const again = await reship(["release", `${registry.host}/cli/app`, "--version", "1.2.0"], { env });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /nothing to do/);
    assert.match(again.stdout, /already released/);
  });

  test("--commit-tag, --tag and --no-floating decide which image is found and which tags are written", async () => {
    const commit = sha();
    const pushed = await pushTestImage(registry, `cli/flags:${commit}`, {
      labels: { [REVISION]: commit },
      seed: commit,
    });
    const repo = `${registry.host}/cli/flags`;
    await registry.clearRequests();
    const run = await reship([
      "release",
      repo,
      "--version",
      "2.1.0",
      "--commit",
      commit,
      "--commit-tag",
      "{{sha}}",
      "--tag",
      "v{{version}}",
      "--tag",
      "{{major}}",
      "--no-floating",
    ]);
    assert.equal(run.status, 0, run.stderr);
    const tags = (await registry.requests())
      .filter((r) => r.method === "PUT" && r.path.startsWith("/v2/cli/flags/manifests/"))
      .map((r) => r.path.slice("/v2/cli/flags/manifests/".length));
    assert.deepEqual(tags, ["v2.1.0"]);
    assert.equal((await skopeoInspectRaw(registry, "cli/flags:v2.1.0")).digest, pushed.digest);
  });

  test("a conflict exits 1 and names the tag", async () => {
    const [a, b] = [sha(), sha()];
    await pushTestImage(registry, `cli/conflict:sha-${a.slice(0, 7)}`, {
      labels: { [REVISION]: a },
      seed: a,
    });
    await pushTestImage(registry, `cli/conflict:sha-${b.slice(0, 7)}`, {
      labels: { [REVISION]: b },
      seed: b,
    });
    const repo = `${registry.host}/cli/conflict`;
    assert.equal((await reship(["release", repo, "--version", "1.0.0", "--commit", a])).status, 0);
    await registry.clearRequests();
    const run = await reship(["release", repo, "--version", "1.0.0", "--commit", b]);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /1\.0\.0 already points at sha256:[0-9a-f]{12}.*--force/);
    assert.deepEqual(await writesSince(), []);
  });

  test("a bad version exits 2 before any registry request", async () => {
    const commit = sha();
    await pushTestImage(registry, `cli/badversion:sha-${commit.slice(0, 7)}`, {
      labels: { [REVISION]: commit },
      seed: commit,
    });
    await registry.clearRequests();
    for (const version of ["1.2.3+build", "not/a/tag", ""]) {
      const run = await reship([
        "release",
        `${registry.host}/cli/badversion`,
        "--version",
        version,
        "--commit",
        commit,
      ]);
      assert.equal(run.status, 2, `${version}: ${run.stderr}`);
      assert.match(run.stderr, /version/);
    }
    const run = await reship(["release", `${registry.host}/cli/badversion`, "--commit", commit]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /needs --version/);
    assert.deepEqual(await registry.requests(), []);
  });

  test("a bad reship.yaml exits 2 naming file, line and key, before any registry request", async () => {
    const project = mkdtempSync(join(dir, "badconfig-"));
    writeFileSync(
      join(project, "reship.yaml"),
      `images:\n  - name: ${registry.host}/cli/badconfig\n    platforms: linux/amd64\n`,
    );
    await registry.clearRequests();
    const run = await reship(["release", "--version", "1.0.0", "--commit", sha()], { cwd: project });
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /reship\.yaml:3: images\[0\]\.platforms: expected a list of platforms like linux\/amd64/,
    );
    const missing = await reship(["release", "-c", "nope.yaml", "--version", "1.0.0", "--commit", sha()], {
      cwd: project,
    });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.yaml: no such file/);
    assert.deepEqual(await registry.requests(), []);
  });

  test("every image of reship.yaml at once, one report; the commit comes from git rev-parse HEAD", async () => {
    const project = mkdtempSync(join(dir, "project-"));
    const git = (...args: string[]): string =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.test", ...args], { cwd: project })
        .toString()
        .trim();
    git("init", "-q");
    writeFileSync(join(project, "README"), "x\n");
    git("add", "README");
    git("commit", "-q", "-m", "first");
    const commit = git("rev-parse", "HEAD");
    const api = await pushTestImage(registry, `cli/api:sha-${commit.slice(0, 7)}`, {
      labels: { [REVISION]: commit },
      seed: `api${commit}`,
    });
    const web = await pushTestImage(registry, `cli/web:sha-${commit.slice(0, 7)}`, {
      labels: { [REVISION]: commit },
      seed: `web${commit}`,
    });
    writeFileSync(
      join(project, "reship.yaml"),
      [
        "images:",
        `  - name: ${registry.host}/cli/api`,
        `  - name: ${registry.host}/cli/web`,
        "    tags:",
        "      templates: ['{{version}}-web', web]",
        "",
      ].join("\n"),
    );
    const run = await reship(["release", "--version", "4.0.0", "--json"], { cwd: project });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { commit: string; images: { image: string; action: string }[] };
    assert.equal(report.commit, commit);
    assert.deepEqual(
      report.images.map((i) => i.action),
      ["retag", "retag"],
    );
    assert.equal((await skopeoInspectRaw(registry, "cli/api:latest")).digest, api.digest);
    assert.equal((await skopeoInspectRaw(registry, "cli/web:4.0.0-web")).digest, web.digest);
    assert.equal((await skopeoInspectRaw(registry, "cli/web:web")).digest, web.digest);

    const built = await reship(["build"], { cwd: project });
    assert.equal(built.status, 0, built.stderr);
    assert.match(built.stdout, /already built/);
  });
});
