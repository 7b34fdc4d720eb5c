import { describe, test, before, after } from "node:test";
import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isReshipError } from "../errors.js";
import { configJsonSchema } from "./json-schema.js";
import { loadConfig } from "./load.js";
import { parseConfig } from "./parse.js";

/** The CONFIG error's message for `text`, or fails. */
function errorOf(text: string): string {
  try {
    parseConfig(text);
  } catch (err) {
    if (isReshipError(err, "CONFIG")) return err.message;
    throw err;
  }
  return assert.fail("expected the config to be rejected");
}

describe("parseConfig", () => {
  test("fills every default", () => {
    const config = parseConfig("images:\n  - name: ghcr.io/acme/app\n");
    assert.deepEqual(config, {
      images: [{ name: "ghcr.io/acme/app", context: ".", dockerfile: "Dockerfile", buildArgs: {} }],
      tags: {
        templates: ["{{version}}", "{{major}}.{{minor}}", "{{major}}", "latest"],
        prefix: "",
        suffix: "",
      },
      commitTag: {},
      builder: "auto",
      policies: {
        immutableVersions: true,
        strictProvenance: false,
        floatingTags: true,
        onRetagFailure: "rebuild",
      },
      ci: { defaultBranch: "main", versionTagPattern: "v*", productionOnMain: true },
      insecureRegistries: [],
    });
  });

  test("reads every key", () => {
    const config = parseConfig(`
images:
  - name: [ghcr.io/acme/app, registry.local:5000/acme/app]
    context: app
    dockerfile: build/Dockerfile
    platforms: [linux/amd64, linux/arm64/v8]
    target: runtime
    buildArgs: { NODE: 20, DEBUG: false, NAME: x }
    tags: { templates: ["{{version}}-alpine", "alpine"] }
tags:
  templates: ["v{{version}}", "v{{major}}.{{minor}}"]
  prefix: p-
  suffix: -s
commitTag: { prefix: git-, length: 12 }
builder: buildah
policies: { immutableVersions: false, strictProvenance: true, floatingTags: false, onRetagFailure: fail }
ci: { defaultBranch: trunk, versionTagPattern: "release-*", productionOnMain: false }
insecureRegistries: [registry.local:5000]
`);
    assert.deepEqual(config.images[0]?.name, ["ghcr.io/acme/app", "registry.local:5000/acme/app"]);
    assert.deepEqual(config.images[0]?.buildArgs, { NODE: 20, DEBUG: false, NAME: "x" });
    assert.deepEqual(config.images[0]?.tags, {
      templates: ["{{version}}-alpine", "alpine"],
      prefix: "",
      suffix: "",
    });
    assert.deepEqual(config.commitTag, { prefix: "git-", length: 12 });
    assert.equal(config.builder, "buildah");
    assert.equal(config.policies.onRetagFailure, "fail");
    assert.equal(config.ci.defaultBranch, "trunk");
    assert.deepEqual(config.insecureRegistries, ["registry.local:5000"]);
  });

  const rejected: readonly { name: string; text: string; expect: string }[] = [
    {
      name: "platforms as a string",
      text: "images:\n  - name: ghcr.io/acme/app\n    platforms: linux/amd64\n",
      expect: "reship.yaml:3: images[0].platforms: expected a list of platforms like linux/amd64",
    },
    {
      name: "a malformed platform",
      text: "images:\n  - name: a/b\n    platforms:\n      - amd64\n",
      expect: "reship.yaml:4: images[0].platforms[0]: expected a platform like linux/amd64",
    },
    {
      name: "an unknown key, with a suggestion",
      text: "images:\n  - name: a/b\n    build_args: {}\n",
      expect: "reship.yaml:3: images[0].build_args: unknown key (did you mean buildArgs?)",
    },
    {
      name: "an unknown top-level key",
      text: "images:\n  - name: a/b\nlatest: true\n",
      expect: "reship.yaml:3: latest: unknown key",
    },
    {
      name: "a missing name",
      text: "images:\n  - context: .\n",
      expect: "reship.yaml:2: images[0].name: required",
    },
    {
      name: "a name with a tag",
      text: "images:\n  - name: ghcr.io/acme/app:1.0\n",
      expect: "reship.yaml:2: images[0].name: expected an image name like ghcr.io/acme/app",
    },
    {
      name: "no images",
      text: "images: []\n",
      expect: "reship.yaml:1: images: list at least one image",
    },
    { name: "an empty file", text: "", expect: "reship.yaml:1: the file is empty" },
    {
      name: "an unknown tag placeholder",
      text: "images: [{ name: a/b }]\ntags:\n  templates:\n    - '{{ver}}'\n",
      expect: "reship.yaml:4: tags.templates[0]: unknown placeholder in tag template",
    },
    {
      name: "a bad builder",
      text: "images: [{ name: a/b }]\nbuilder: kaniko\n",
      expect: "reship.yaml:2: builder: expected auto, buildx, docker or buildah",
    },
    {
      name: "a bad retag-failure policy",
      text: "images: [{ name: a/b }]\npolicies:\n  onRetagFailure: retry\n",
      expect: "reship.yaml:3: policies.onRetagFailure: expected rebuild or fail",
    },
    {
      name: "a commit tag format combined with a length",
      text: "images: [{ name: a/b }]\ncommitTag:\n  format: 'sha-{{sha7}}'\n  length: 9\n",
      expect: "reship.yaml:3: commitTag: format cannot be combined with prefix, length or full",
    },
    {
      name: "a commit tag format without the sha",
      text: "images: [{ name: a/b }]\ncommitTag: { format: build }\n",
      expect: "reship.yaml:2: commitTag.format: expected a commit tag template using {{sha}}",
    },
    {
      name: "a commit tag length out of range",
      text: "images: [{ name: a/b }]\ncommitTag: { length: 41 }\n",
      expect: "reship.yaml:2: commitTag.length: expected a length between 4 and 40",
    },
    {
      name: "a YAML syntax error",
      text: "images:\n  - name: a/b\n  bad: [\n",
      expect: "reship.yaml:3:",
    },
    {
      name: "a duplicate key",
      text: "images: [{ name: a/b }]\nbuilder: auto\nbuilder: docker\n",
      expect: "reship.yaml:3:",
    },
  ];
  for (const row of rejected) {
    test(`rejects ${row.name}`, () => {
      const message = errorOf(row.text);
      assert.ok(message.includes(row.expect), `"${message}" should include "${row.expect}"`);
    });
  }

  test("lists every problem, in line order", () => {
    const message = errorOf(
      "images:\n  - name: a/b\n    platforms: x\nbuilder: nope\npolicies: { force: true }\n",
    );
    assert.deepEqual(
      message.split("\n").map((l) => l.split(":")[1]),
      ["3", "4", "5"],
    );
  });
});

describe("loadConfig", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "reship-config-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("undefined when there is no reship.yaml and no path", async () => {
    assert.equal(await loadConfig({ cwd: dir }), undefined);
  });

  test("a given path that is missing is a CONFIG error naming it", async () => {
    await assert.rejects(loadConfig({ cwd: dir, path: "nope.yaml" }), (err: unknown) => {
      assert.ok(isReshipError(err, "CONFIG"));
      assert.match(err.message, /nope\.yaml: no such file/);
      return true;
    });
  });

  test("finds ./reship.yaml and names it in errors", async () => {
    await writeFile(join(dir, "reship.yaml"), "images:\n  - name: a/b\n");
    const loaded = await loadConfig({ cwd: dir });
    assert.equal(loaded?.path, join(dir, "reship.yaml"));
    assert.equal(loaded?.dir, dir);
    await writeFile(join(dir, "other.yml"), "images:\n  - nam: a/b\n");
    await assert.rejects(
      loadConfig({ cwd: dir, path: "other.yml" }),
      /other\.yml:2: images\[0\]\.nam: unknown key/,
    );
  });
});

describe("schema/reship.schema.json", () => {
  test("is current (regenerate with npx tsx src/config/write-schema.ts)", () => {
    const shipped: unknown = JSON.parse(
      readFileSync(new URL("../../schema/reship.schema.json", import.meta.url), "utf8"),
    );
    assert.deepEqual(shipped, configJsonSchema());
  });

  test("rejects unknown keys and documents defaults", () => {
    const schema = configJsonSchema() as {
      additionalProperties?: unknown;
      properties: Record<string, unknown>;
    };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual((schema.properties.builder as { default?: unknown }).default, "auto");
  });
});
