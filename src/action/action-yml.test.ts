import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { reportOutputs } from "../release/index.js";
import { actionInvocation } from "./inputs.js";

const root = new URL("../../", import.meta.url);

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

// The runner reads action.yml before anything of ours runs: a YAML error or a
// drift between it and the code breaks every workflow that uses the Action.
const action = parse(readFileSync(new URL("action.yml", root), "utf8")) as ActionMetadata;

describe("action.yml", () => {
  test("runs the committed bundle on node20", () => {
    assert.equal(action.runs.using, "node20");
    assert.ok(existsSync(new URL(action.runs.main, root)), `${action.runs.main} is missing`);
  });

  test("every input it declares reaches reship release", () => {
    const env: Record<string, string> = {};
    for (const name of Object.keys(action.inputs)) env[`INPUT_${name.toUpperCase()}`] = `value-of-${name}`;
    env["INPUT_DRY-RUN"] = "true";
    const invocation = actionInvocation(env);
    const seen = `${invocation.argv.join(" ")} ${Object.values(invocation.env).join(" ")}`;
    for (const name of Object.keys(action.inputs)) {
      if (name === "dry-run") assert.ok(invocation.argv.includes("--dry-run"));
      else assert.ok(seen.includes(`value-of-${name}`), `input ${name} is declared but never used`);
    }
  });

  test("declares exactly the outputs the release command writes", () => {
    const written = Object.keys(
      reportOutputs({ images: [] } as unknown as Parameters<typeof reportOutputs>[0]),
    );
    assert.deepEqual(Object.keys(action.outputs).sort(), written.sort());
  });
});
