import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { detectStep, parseCacheSpec, repositoryOf } from "./build-detect.js";
import { splitCommands } from "./shell-commands.js";
import type { StepModel, YamlValue } from "./workflow-model.js";
import { isExprValue } from "./workflow-model.js";

const step = (s: Partial<StepModel>): StepModel => ({
  index: 0,
  id: undefined,
  name: undefined,
  line: 1,
  if: "success()",
  uses: undefined,
  with: {},
  run: undefined,
  env: {},
  ...s,
});
const resolve = (v: YamlValue | undefined): string | undefined =>
  v === undefined ? undefined : isExprValue(v) ? v.source : typeof v === "object" ? "" : String(v);
const resolveBool = (v: YamlValue | undefined) =>
  v === undefined
    ? undefined
    : typeof v === "boolean"
      ? v
      : isExprValue(v)
        ? ("unknown" as const)
        : v === "true";

describe("splitCommands", () => {
  const cases: [string, string[][]][] = [
    ["docker build -t a .", [["docker", "build", "-t", "a", "."]]],
    ["docker build \\\n  -t a \\\n  .", [["docker", "build", "-t", "a", "."]]],
    ["make && docker push a; echo 'x y' # comment", [["make"], ["docker", "push", "a"], ["echo", "x y"]]],
    [
      'echo "a \\"b\\"" | tee f',
      [
        ["echo", 'a "b"'],
        ["tee", "f"],
      ],
    ],
  ];
  for (const [script, want] of cases)
    test(JSON.stringify(script), () => assert.deepEqual(splitCommands(script), want));
});

describe("detectStep: builds", () => {
  const cases: [
    string,
    Partial<StepModel>,
    { tool: string; image?: string; context?: string; dockerfile?: string; pushed?: boolean | "unknown" }[],
  ][] = [
    [
      "build-push-action",
      {
        uses: "docker/build-push-action@v6",
        with: { context: "./app", push: true, tags: "ghcr.io/a/b:1\nghcr.io/a/b:latest" },
      },
      [
        {
          tool: "docker/build-push-action",
          image: "ghcr.io/a/b",
          context: "app",
          dockerfile: "app/Dockerfile",
          pushed: true,
        },
      ],
    ],
    [
      "build-push-action, push from an expression",
      {
        uses: "docker/build-push-action@v5",
        with: { push: { kind: "expr", expr: "x", source: "${{ x }}" } },
      },
      [{ tool: "docker/build-push-action", context: ".", dockerfile: "Dockerfile", pushed: "unknown" }],
    ],
    [
      "build-push-action, outputs registry",
      { uses: "docker/build-push-action@v6", with: { outputs: "type=registry" } },
      [{ tool: "docker/build-push-action", pushed: true }],
    ],
    [
      "bake",
      { uses: "docker/bake-action@v5", with: { targets: "app", push: true } },
      [{ tool: "docker/bake-action", pushed: true }],
    ],
    [
      "buildah-build",
      {
        uses: "redhat-actions/buildah-build@v2",
        with: { image: "quay.io/a/b", tags: "latest v1", containerfiles: "./Containerfile" },
      },
      [
        {
          tool: "redhat-actions/buildah-build",
          image: "quay.io/a/b",
          dockerfile: "Containerfile",
          pushed: false,
        },
      ],
    ],
    [
      "kaniko action",
      { uses: "int128/kaniko-action@v1", with: { push: true, tags: "ghcr.io/a/k:1" } },
      [{ tool: "int128/kaniko-action", image: "ghcr.io/a/k", pushed: true }],
    ],
    [
      "kaniko executor image",
      {
        uses: "docker://gcr.io/kaniko-project/executor:latest",
        with: { args: "--destination=ghcr.io/a/k:1 --context=dir://svc" },
      },
      [{ tool: "gcr.io/kaniko-project/executor:latest", image: "ghcr.io/a/k", context: "svc", pushed: true }],
    ],
    [
      "docker build",
      { run: "docker build -t ghcr.io/a/b:t -f docker/Dockerfile ." },
      [{ tool: "docker build", image: "ghcr.io/a/b", dockerfile: "docker/Dockerfile", pushed: false }],
    ],
    [
      "docker buildx build --push",
      { run: "docker buildx build --push --tag=ghcr.io/a/b:t svc" },
      [{ tool: "docker buildx build", image: "ghcr.io/a/b", context: "svc", pushed: true }],
    ],
    [
      "docker image build",
      { run: "sudo DOCKER_BUILDKIT=1 docker image build -t x ." },
      [{ tool: "docker image build", image: "x", pushed: false }],
    ],
    [
      "docker compose build",
      { run: "docker compose -f ci.yml build api" },
      [{ tool: "docker compose build", pushed: false }],
    ],
    [
      "docker-compose build",
      { run: "docker-compose build" },
      [{ tool: "docker compose build", pushed: false }],
    ],
    ["buildah bud", { run: "buildah bud -t quay.io/a/b ." }, [{ tool: "buildah bud", image: "quay.io/a/b" }]],
    [
      "podman build",
      { run: "podman build -t quay.io/a/b ." },
      [{ tool: "podman build", image: "quay.io/a/b" }],
    ],
    [
      "not builds: run, pull, imagetools",
      {
        run: "docker run --rm a\ndocker pull b\ndocker buildx imagetools create -t c d\ndocker compose up -d",
      },
      [],
    ],
    ["not a build: setup-buildx", { uses: "docker/setup-buildx-action@v3" }, []],
  ];
  for (const [name, s, want] of cases) {
    test(name, () => {
      const got = detectStep(step(s), resolve, resolveBool).builds.map((b) => ({
        tool: b.tool,
        ...(want[0]?.image !== undefined
          ? { image: b.tags[0] !== undefined ? repositoryOf(b.tags[0]) : undefined }
          : {}),
        ...(want[0]?.context !== undefined ? { context: b.context } : {}),
        ...(want[0]?.dockerfile !== undefined ? { dockerfile: b.dockerfile } : {}),
        ...(want[0]?.pushed !== undefined ? { pushed: b.pushed } : {}),
      }));
      assert.deepEqual(got, want);
    });
  }

  test("docker push later in a script is reported, reship release promotes", () => {
    const a = detectStep(
      step({
        run: "docker build -t ghcr.io/a/b:1 .\ndocker push ghcr.io/a/b:1\nnpx --yes reship@1 release --version 1.0.0",
      }),
      resolve,
      resolveBool,
    );
    assert.deepEqual(a.pushes, ["ghcr.io/a/b"]);
    assert.equal(a.promotes, true);
  });
});

describe("parseCacheSpec and repositoryOf", () => {
  test("cache specs", () => {
    assert.deepEqual(parseCacheSpec("type=gha,scope=test,mode=max", "to"), {
      type: "gha",
      scope: "test",
      direction: "to",
    });
    assert.deepEqual(parseCacheSpec("type=gha", "from"), {
      type: "gha",
      scope: undefined,
      direction: "from",
    });
    assert.deepEqual(parseCacheSpec("type=registry,ref=ghcr.io/a/b:cache", "from"), {
      type: "registry",
      scope: "ghcr.io/a/b:cache",
      direction: "from",
    });
  });
  const refs: [string, string][] = [
    ["ghcr.io/Acme/App:1.0", "ghcr.io/acme/app"],
    ["localhost:5000/a:t", "localhost:5000/a"],
    ["localhost:5000/a", "localhost:5000/a"],
    ["a@sha256:abc", "a"],
    ["ghcr.io/a/b:${{ github.sha }}", "ghcr.io/a/b"],
    ["ghcr.io/${{ github.repository }}:latest", "ghcr.io/${{ github.repository }}"],
  ];
  for (const [ref, want] of refs) test(`repositoryOf ${ref}`, () => assert.equal(repositoryOf(ref), want));
});
