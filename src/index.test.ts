import { test } from "node:test";
import assert from "node:assert/strict";
import * as reship from "./index.js";

// The library's public face: what the README and docs promise a program can call.
test("the library exports the registry client, the release engine and the CI planner", () => {
  for (const name of [
    "RegistryClient",
    "copyImage",
    "tagImage",
    "inspectImage",
    "createTransport",
    "parseReference",
    "createBuilder",
    "runRelease",
    "decideRelease",
    "resolveReleaseSettings",
    "loadConfig",
    "planBuilds",
    "auditWorkflows",
    "generateWorkflow",
    "ReshipError",
  ] as const) {
    assert.equal(typeof reship[name], "function", `${name} is not exported`);
  }
});
