/**
 * `reship init | audit | plan` through main() with captured streams, and the
 * GitHub Action's committed bundle run as a real process against a real
 * registry: init's workflow parses back with @actions/workflow-parser and
 * passes its own audit (one build per purpose per event, no duplicate);
 * audit exits 1 on duplicates and 2 on a workflow that does not parse;
 * plan writes $GITHUB_OUTPUT; the Action re-tags and writes its outputs.
 */
import { after, before, describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { runCli } from "../support/cli.js";
import type { AuditReport } from "../../src/ci/index.js";
import { pushTestImage } from "../support/images.js";
import { startRegistry } from "../support/registry.js";
import type { TestRegistry } from "../support/registry.js";

const root = new URL("../..", import.meta.url).pathname;
const corpus = join(root, "test/fixtures/workflows");

/** The cache a build writes, as the audit read it: "type:scope" each. */
function cacheTo(cache: readonly { type: string; scope?: string; direction: string }[]): string {
  return cache
    .filter((c) => c.direction === "to")
    .map((c) => (c.scope ? `${c.type}:${c.scope}` : c.type))
    .join(" ");
}

async function reship(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  return runCli(argv, { cwd, env });
}

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "reship-ci-cli-"));
});
after(() => {
  if (dir !== "") rmSync(dir, { recursive: true, force: true });
});

describe("reship init", () => {
  const repo = (): string => join(dir, "repo");
  before(() => {
    mkdirSync(repo(), { recursive: true });
    writeFileSync(
      join(repo(), "reship.yaml"),
      [
        "images:",
        "  - name: ghcr.io/acme/app",
        "  - name: registry.example.com/acme/worker",
        "    context: worker",
        "    platforms: [linux/amd64, linux/arm64]",
        "ci:",
        "  defaultBranch: trunk",
        "",
      ].join("\n"),
    );
  });

  test("writes the workflow, refuses to overwrite it, --force and --stdout", async () => {
    const first = await reship(["init"], repo());
    assert.equal(first.status, 0, first.stderr);
    const written = readFileSync(join(repo(), ".github/workflows/reship.yml"), "utf8");
    const again = await reship(["init"], repo());
    assert.equal(again.status, 2);
    assert.match(again.stderr, /exists: pass --force/);
    const printed = await reship(["init", "--stdout"], repo());
    assert.equal(printed.stdout, written);
    assert.equal((await reship(["init", "--force"], repo())).status, 0);
  });

  test("its workflow parses back without errors", () => {
    const content = readFileSync(join(repo(), ".github/workflows/reship.yml"), "utf8");
    const parsed = parseWorkflow({ name: "reship.yml", content }, new NoOperationTraceWriter());
    assert.deepEqual(parsed.context.errors.getErrors(), []);
    assert.ok(parsed.value);
  });

  test("it passes its own audit: one build per purpose per event, no duplicate", async () => {
    const r = await reship(["audit", "--json"], repo());
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as AuditReport;
    assert.deepEqual(report.duplicates, []);
    const byEvent = Object.fromEntries(
      report.events.map((e) => [
        e.event,
        {
          ...e.counts,
          promotions: e.promotions.length,
          images: e.builds.map((b) => `${b.purpose} ${b.image ?? ""}`).sort(),
        },
      ]),
    );
    const test2 = ["test ghcr.io/acme/app", "test registry.example.com/acme/worker"];
    const prod2 = ["production ghcr.io/acme/app", "production registry.example.com/acme/worker"];
    assert.deepEqual(byEvent, {
      "pull_request → trunk": {
        certain: 2,
        possible: 0,
        test: 2,
        production: 0,
        promotions: 0,
        images: test2,
      },
      "push trunk": {
        certain: 4,
        possible: 0,
        test: 2,
        production: 2,
        promotions: 0,
        images: [...prod2, ...test2],
      },
      "push refs/tags/v1.0.0": { certain: 0, possible: 0, test: 0, production: 0, promotions: 0, images: [] },
      "release published": { certain: 0, possible: 0, test: 0, production: 0, promotions: 1, images: [] },
    });
    assert.ok(
      !report.findings.some((f) =>
        ["production-before-tests", "no-cache", "gha-cache-without-scope"].includes(f.kind),
      ),
    );
  });

  test("--cache registry --output: registry caches, and it still passes its audit", async () => {
    const written = await reship(["init", "--cache", "registry", "-o", "alt/registry-cache.yml"], repo());
    assert.equal(written.status, 0, written.stderr);
    const content = readFileSync(join(repo(), "alt/registry-cache.yml"), "utf8");
    assert.match(content, /type=registry,ref=ghcr\.io\/acme\/app:cache-test/);
    assert.doesNotMatch(content, /type=gha/);
    const r = await reship(["audit", "--json", "alt/registry-cache.yml"], repo());
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as AuditReport;
    assert.deepEqual(
      report.events.map((e) => [e.event, e.counts.test, e.counts.production]),
      [
        ["pull_request → trunk", 2, 0],
        ["push trunk", 2, 2],
        ["push refs/tags/v1.0.0", 0, 0],
        ["release published", 0, 0],
      ],
    );
    assert.deepEqual(
      report.events.flatMap((e) => e.builds.map((b) => cacheTo(b.cache))),
      [
        "registry:ghcr.io/acme/app:cache-test inline",
        "registry:registry.example.com/acme/worker:cache-test inline",
        "registry:ghcr.io/acme/app:cache-test inline",
        "registry:registry.example.com/acme/worker:cache-test inline",
        "registry:ghcr.io/acme/app:cache-prod inline",
        "registry:registry.example.com/acme/worker:cache-prod inline",
      ],
    );
    assert.deepEqual(
      report.findings.filter((f) => ["production-before-tests", "no-cache"].includes(f.kind)),
      [],
    );
  });

  test("without reship.yaml it is a configuration error", async () => {
    const empty = join(dir, "empty");
    mkdirSync(empty, { recursive: true });
    const r = await reship(["init"], empty);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /reship\.yaml/);
  });
});

describe("reship audit exit statuses", () => {
  test("duplicates: exit 1, with each duplicate and its fix", async () => {
    const r = await reship(["audit"], join(corpus, "before"));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /duplicate builds:/);
    assert.match(r.stdout, /release-rebuild/);
    assert.match(r.stdout, /fix: /);
  });

  test("clean workflows: exit 0", async () => {
    const r = await reship(["audit", ".github/workflows/ci.yml"], join(corpus, "clean"));
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /No duplicate builds\./);
  });

  test("a workflow that does not parse: exit 2 naming file and line", async () => {
    const r = await reship(["audit"], join(corpus, "invalid"));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.github\/workflows\/broken\.yml:\d+: /);
  });

  test("--event adds an event; the job summary and outputs are written", async () => {
    const summary = join(dir, "audit-summary.md");
    const output = join(dir, "audit-output.txt");
    const r = await reship(["audit", "--json", "--event", "push:feature/x"], join(corpus, "cross-workflow"), {
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
    });
    assert.equal(r.status, 1);
    const report = JSON.parse(r.stdout) as AuditReport;
    assert.ok(report.events.some((e) => e.event === "push feature/x"));
    assert.match(readFileSync(summary, "utf8"), /\| push main \| 3 \| 0 \| 3 \| 1 \|/);
    assert.equal(readFileSync(output, "utf8"), "duplicates=1\n");
  });
});

describe("reship plan", () => {
  const cases: [string, NodeJS.ProcessEnv, object | undefined, Record<string, string>][] = [
    [
      "pull request",
      { GITHUB_EVENT_NAME: "pull_request", GITHUB_REF: "refs/pull/3/merge", GITHUB_BASE_REF: "main" },
      undefined,
      { kind: "test", test_build: "true", production_build: "false", promote: "false" },
    ],
    [
      "push to main",
      { GITHUB_EVENT_NAME: "push", GITHUB_REF: "refs/heads/main" },
      undefined,
      { kind: "main", test_build: "true", production_build: "after-tests", promote: "false" },
    ],
    [
      "release published",
      { GITHUB_EVENT_NAME: "release", GITHUB_REF: "refs/tags/v2.1.0" },
      { action: "published", release: { tag_name: "v2.1.0" } },
      {
        kind: "release",
        test_build: "false",
        production_build: "if-missing",
        promote: "true",
        version: "v2.1.0",
      },
    ],
    [
      "workflow_dispatch",
      { GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_REF: "refs/heads/main" },
      {},
      { kind: "none", test_build: "false", production_build: "false", promote: "false" },
    ],
  ];
  for (const [name, env, payload, want] of cases) {
    test(name, async () => {
      const output = join(dir, `plan-${name.replace(/\W/g, "-")}.txt`);
      writeFileSync(output, "");
      const extra: NodeJS.ProcessEnv = {
        GITHUB_OUTPUT: output,
        GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
      };
      if (payload !== undefined) {
        extra.GITHUB_EVENT_PATH = join(dir, `event-${name.replace(/\W/g, "-")}.json`);
        writeFileSync(extra.GITHUB_EVENT_PATH, JSON.stringify(payload));
      }
      const r = await reship(["plan"], dir, { ...env, ...extra });
      assert.equal(r.status, 0, r.stderr);
      const outputs = Object.fromEntries(
        readFileSync(output, "utf8")
          .trim()
          .split("\n")
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );
      for (const [k, v] of Object.entries(want))
        assert.equal(outputs[k], v, `${k} in ${JSON.stringify(outputs)}`);
      assert.ok((outputs.reason ?? "").length > 0);
    });
  }

  test("--event/--ref/--sha win over the environment; --json", async () => {
    const r = await reship(
      ["plan", "--json", "--event", "push", "--ref", "refs/tags/v1.0.0", "--sha", "abc"],
      dir,
      {
        GITHUB_EVENT_NAME: "pull_request",
      },
    );
    const plan = JSON.parse(r.stdout) as { kind: string; sha: string; version: string };
    assert.deepEqual([plan.kind, plan.sha, plan.version], ["release", "abc", "v1.0.0"]);
  });
});

describe("the GitHub Action bundle", () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startRegistry({ variant: "anonymous" });
  });
  after(async () => {
    await registry?.stop();
  });

  test("runs reship release without an install: re-tags, writes outputs and the job summary", async () => {
    const commit = randomBytes(20).toString("hex");
    const pushed = await pushTestImage(registry, `team/app:sha-${commit.slice(0, 7)}`, {
      labels: { "org.opencontainers.image.revision": commit },
    });
    const work = join(dir, "action-repo");
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, "reship.yaml"), `images:\n  - name: ${registry.host}/team/app\n`);
    const output = join(dir, "action-output.txt");
    const summary = join(dir, "action-summary.md");
    const result = spawnSync(process.execPath, [join(root, "action/dist/index.js")], {
      cwd: work,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        DOCKER_CONFIG: join(dir, "no-docker-config"),
        GITHUB_ACTIONS: "true",
        GITHUB_WORKSPACE: work,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        INPUT_VERSION: "1.2.3",
        INPUT_COMMIT: commit,
        "INPUT_DRY-RUN": "false",
        INPUT_REGISTRY: "registry.example.com",
        INPUT_PASSWORD: "hunter2-secret",
      },
    });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /::add-mask::hunter2-secret/);
    assert.equal(
      (result.stdout.match(/hunter2-secret/g) ?? []).length,
      1,
      "the password appears only in the mask command",
    );
    assert.doesNotMatch(result.stderr, /hunter2-secret/);
    const outputs = readFileSync(output, "utf8");
    assert.match(outputs, new RegExp(`^digest=${pushed.digest}$`, "m"));
    assert.match(outputs, /^action=retag$/m);
    assert.match(outputs, /^reused=true$/m);
    assert.match(outputs, /team\/app:1\.2\.3/);
    assert.match(readFileSync(summary, "utf8"), /1\.2\.3/);
  });

  test("is what the sources build (scripts/check-action-bundle.mjs)", () => {
    const result = spawnSync(process.execPath, [join(root, "scripts/check-action-bundle.mjs")], {
      encoding: "utf8",
    });
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });
});
