import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { actionInvocation, getInput, maskCommand } from "./inputs.js";

describe("actionInvocation", () => {
  const cases: [string, Record<string, string>, string[], Record<string, string>][] = [
    ["nothing", {}, ["release"], {}],
    [
      "every input",
      {
        INPUT_IMAGE: "ghcr.io/a/x, ghcr.io/a/y",
        INPUT_VERSION: " v1.2.3 ",
        INPUT_COMMIT: "abc",
        INPUT_CONFIG: "ci/reship.yaml",
        "INPUT_DRY-RUN": "true",
      },
      [
        "release",
        "--version",
        "v1.2.3",
        "--commit",
        "abc",
        "--config",
        "ci/reship.yaml",
        "--dry-run",
        "ghcr.io/a/x",
        "ghcr.io/a/y",
      ],
      {},
    ],
    [
      "dry-run false",
      { "INPUT_DRY-RUN": "false", INPUT_VERSION: "1.0.0" },
      ["release", "--version", "1.0.0"],
      {},
    ],
    [
      "credentials",
      {
        INPUT_REGISTRY: "r.example",
        INPUT_USERNAME: "bot",
        INPUT_PASSWORD: "pw",
        "INPUT_GITHUB-TOKEN": "ghs_x",
      },
      ["release"],
      { RESHIP_REGISTRY: "r.example", RESHIP_USERNAME: "bot", RESHIP_PASSWORD: "pw", GITHUB_TOKEN: "ghs_x" },
    ],
  ];
  for (const [name, env, argv, extra] of cases) {
    test(name, () => {
      const inv = actionInvocation(env);
      assert.deepEqual(inv.argv, argv);
      assert.deepEqual(inv.env, extra);
      assert.deepEqual(
        inv.secrets,
        [extra.RESHIP_PASSWORD, extra.GITHUB_TOKEN].filter((s) => s !== undefined),
      );
    });
  }

  test("a password without a registry is refused, without echoing it", () => {
    assert.throws(
      () => actionInvocation({ INPUT_PASSWORD: "pw-secret" }),
      (err: Error) => !err.message.includes("pw-secret"),
    );
  });

  test("dry-run must be a boolean", () => {
    assert.throws(() => actionInvocation({ "INPUT_DRY-RUN": "yes" }), /dry-run/);
  });

  test("input names: upper case, spaces as underscores, hyphens kept", () => {
    assert.equal(getInput({ "INPUT_MY_INPUT-X": "v" }, "my input-x"), "v");
    assert.equal(getInput({ INPUT_X: "  " }, "x"), undefined);
  });

  test("masks multi-line secrets line by line", () => {
    assert.equal(maskCommand("a\nb\n"), "::add-mask::a\n::add-mask::b\n");
  });
});
