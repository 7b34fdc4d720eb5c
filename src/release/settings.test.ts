import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { parseConfig } from "../config/parse.js";
import type { LoadedConfig } from "../config/index.js";
import { isReshipError } from "../errors.js";
import { resolveReleaseSettings } from "./settings.js";
import type { ReleaseFlags } from "./settings.js";

const file = (text: string): LoadedConfig => ({
  path: "/repo/reship.yaml",
  dir: "/repo",
  config: parseConfig(text),
});
const resolve = (flags: Partial<ReleaseFlags>, config?: LoadedConfig) =>
  resolveReleaseSettings({
    flags: { images: [], ...flags },
    config,
    cwd: "/work",
    insecureRegistries: ["a:5000"],
  });

const YAML = `
images:
  - name: [ghcr.io/acme/app, registry.local:5000/acme/app]
    context: app
    platforms: [linux/amd64]
    buildArgs: { A: 1, B: x }
  - name: ghcr.io/acme/web
    tags: { templates: ["{{version}}-web"] }
commitTag: { length: 10 }
builder: buildah
policies: { strictProvenance: true, floatingTags: false, onRetagFailure: fail }
insecureRegistries: [registry.local:5000]
`;

describe("resolveReleaseSettings", () => {
  test("defaults without a file", () => {
    const s = resolve({ images: ["ghcr.io/acme/app"] });
    assert.equal(s.images.length, 1);
    assert.equal(s.images[0]?.context, "/work");
    assert.equal(s.images[0]?.dockerfile, "Dockerfile");
    assert.deepEqual(s.images[0]?.platforms, []);
    assert.deepEqual(s.images[0]?.tagRules.templates, [
      "{{version}}",
      "{{major}}.{{minor}}",
      "{{major}}",
      "latest",
    ]);
    assert.equal(s.commitTagTemplate, "sha-{{sha7}}");
    assert.equal(s.builder, "auto");
    assert.deepEqual(s.policy, {
      force: false,
      immutableVersions: true,
      strictProvenance: false,
      floatingTags: true,
      onRetagFailure: "rebuild",
      rebuild: false,
    });
  });

  test("the file: every image, contexts relative to it, its policies", () => {
    const s = resolve({}, file(YAML));
    assert.deepEqual(
      s.images.map((i) => [i.name, i.repositories.length, i.context]),
      [
        ["ghcr.io/acme/app", 2, "/repo/app"],
        ["ghcr.io/acme/web", 1, "/repo"],
      ],
    );
    assert.deepEqual(s.images[0]?.buildArgs, { A: "1", B: "x" });
    assert.deepEqual(s.images[1]?.tagRules.templates, ["{{version}}-web"]);
    assert.equal(s.commitTagTemplate, "sha-{{sha10}}");
    assert.equal(s.builder, "buildah");
    assert.equal(s.policy.strictProvenance, true);
    assert.equal(s.policy.floatingTags, false);
    assert.equal(s.policy.onRetagFailure, "fail");
    assert.deepEqual(s.insecureRegistries, ["a:5000", "registry.local:5000"]);
  });

  test("flags win over the file", () => {
    const s = resolve(
      {
        images: ["registry.local:5000/acme/app"],
        context: "ctx",
        file: "Dockerfile.prod",
        platform: "linux/amd64, linux/arm64",
        buildArg: ["B=y", "C=z=1"],
        tag: ["v{{version}}"],
        commitTag: "{{sha}}",
        builder: "docker",
        onRetagFailure: "rebuild",
        force: true,
      },
      file(YAML),
    );
    assert.equal(s.images.length, 1);
    const image = s.images[0]!;
    assert.equal(image.name, "ghcr.io/acme/app", "selected by its second name");
    assert.equal(image.context, "/work/ctx");
    assert.equal(image.dockerfile, "Dockerfile.prod");
    assert.deepEqual(image.platforms, ["linux/amd64", "linux/arm64"]);
    assert.deepEqual(image.buildArgs, { A: "1", B: "y", C: "z=1" });
    assert.deepEqual(image.tagRules.templates, ["v{{version}}"]);
    assert.equal(s.commitTagTemplate, "{{sha}}");
    assert.equal(s.builder, "docker");
    assert.equal(s.policy.onRetagFailure, "rebuild");
    assert.equal(s.policy.force, true);
  });

  test("--no-floating and --strict-provenance only tighten", () => {
    assert.equal(resolve({ images: ["a/b"], floating: false }).policy.floatingTags, false);
    assert.equal(resolve({ floating: true }, file(YAML)).policy.floatingTags, false);
    assert.equal(resolve({ strictProvenance: false }, file(YAML)).policy.strictProvenance, true);
  });

  const bad: readonly [string, Partial<ReleaseFlags>, RegExp][] = [
    ["no image and no file", {}, /name the image/],
    ["a bad platform", { images: ["a/b"], platform: "amd64" }, /--platform: "amd64"/],
    ["a bad build arg", { images: ["a/b"], buildArg: ["NOVALUE"] }, /KEY=VALUE/],
    ["an image with a tag", { images: ["a/b:1.0"] }, /no tag/],
  ];
  for (const [name, flags, message] of bad) {
    test(`rejects ${name}`, () => {
      assert.throws(
        () => resolve(flags),
        (err: unknown) => isReshipError(err, "USAGE", "INVALID_REFERENCE") && message.test(err.message),
      );
    });
  }
});
