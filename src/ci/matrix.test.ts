import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { UNKNOWN } from "./expression.js";
import { expandMatrix } from "./matrix.js";
import type { YamlValue } from "./workflow-model.js";

describe("expandMatrix (GitHub's include/exclude rules)", () => {
  const cases: [string, YamlValue | undefined, unknown[]][] = [
    ["no matrix", undefined, [undefined]],
    ["one axis", { os: ["a", "b"] }, [{ os: "a" }, { os: "b" }]],
    [
      "product",
      { x: [1, 2], y: ["p", "q"] },
      [
        { x: 1, y: "p" },
        { x: 1, y: "q" },
        { x: 2, y: "p" },
        { x: 2, y: "q" },
      ],
    ],
    [
      "exclude (partial match)",
      { x: [1, 2], y: ["p", "q"], exclude: [{ x: 1 }] },
      [
        { x: 2, y: "p" },
        { x: 2, y: "q" },
      ],
    ],
    [
      "include adds keys where it overwrites no original value",
      {
        fruit: ["apple", "pear"],
        animal: ["cat"],
        include: [{ color: "green" }, { color: "pink", animal: "cat" }, { fruit: "apple", shape: "circle" }],
      },
      [
        { fruit: "apple", animal: "cat", color: "pink", shape: "circle" },
        { fruit: "pear", animal: "cat", color: "pink" },
      ],
    ],
    [
      "include that fits nothing is a new combination",
      { x: [1], include: [{ x: 2, extra: true }] },
      [{ x: 1 }, { x: 2, extra: true }],
    ],
    ["only include", { include: [{ image: "api" }, { image: "web" }] }, [{ image: "api" }, { image: "web" }]],
    [
      "an expression matrix is unknown",
      { kind: "expr", expr: "fromJSON(needs.a.outputs.m)", source: "${{ fromJSON(needs.a.outputs.m) }}" },
      [UNKNOWN],
    ],
    [
      "an expression axis is unknown",
      { x: { kind: "expr", expr: "fromJSON(vars.X)", source: "" } },
      [UNKNOWN],
    ],
  ];
  for (const [name, matrix, want] of cases) {
    test(name, () => assert.deepEqual(expandMatrix(matrix), want));
  }
});
