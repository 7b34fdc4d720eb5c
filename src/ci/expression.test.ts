import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { UNKNOWN, evaluateCondition } from "./expression.js";
import type { ExpressionScope, ScopeValue } from "./expression.js";

const event: Record<string, ScopeValue> & { pull_request: Record<string, ScopeValue> } = {
  action: "synchronize",
  pull_request: { base: { ref: "main" } },
};
const github: Record<string, ScopeValue> = {
  event_name: "pull_request",
  ref: "refs/pull/1/merge",
  base_ref: "main",
  sha: UNKNOWN,
  event,
};
const scope: ExpressionScope = {
  contexts: {
    github,
    matrix: { image: "api", platform: "linux/arm64" },
    env: { IMAGE: "ghcr.io/acme/api", TOKEN: UNKNOWN },
    needs: { test: { result: "success", outputs: UNKNOWN } },
    steps: { meta: { outputs: UNKNOWN, outcome: "success" } },
  },
  partial: new Set<object>([github, event, event.pull_request]),
  status: { success: true, failure: false, cancelled: false },
};

describe("evaluateCondition", () => {
  const cases: [string, boolean | "unknown", string[]?][] = [
    ["github.event_name == 'pull_request'", true],
    ["github.event_name == 'push'", false],
    ["github.ref == 'refs/heads/main'", false],
    ["startsWith(github.ref, 'refs/pull/')", true],
    ["contains(github.ref, 'tags')", false],
    ['contains(fromJSON(\'["a","api"]\'), matrix.image)', true],
    ["github.event.pull_request.base.ref == 'main'", true],
    ["github.event.action != 'closed'", true],
    ["github.event.pull_request.draft == false", "unknown", ["github.event.pull_request.draft"]],
    ["github.repository == 'acme/app'", "unknown", ["github.repository"]],
    ["secrets.DEPLOY_KEY != ''", "unknown", ["secrets.DEPLOY_KEY"]],
    ["vars.PUBLISH == 'true'", "unknown", ["vars.PUBLISH"]],
    ["needs.test.outputs.changed == 'true'", "unknown", ["needs.test.outputs.changed"]],
    ["needs.test.result == 'success'", true],
    ["steps.meta.outputs.tags != ''", "unknown", ["steps.meta.outputs.tags"]],
    ["steps.meta.outcome == 'success'", true],
    ["env.IMAGE == 'ghcr.io/acme/api'", true],
    ["env.TOKEN", "unknown", ["env.TOKEN"]],
    // Kleene logic: a known operand can decide.
    ["github.event_name == 'push' && secrets.X != ''", false],
    ["github.event_name == 'pull_request' || secrets.X != ''", true],
    ["github.event_name == 'pull_request' && secrets.X != ''", "unknown", ["secrets.X"]],
    ["!(secrets.X == '')", "unknown", ["secrets.X"]],
    // Status functions, as in a run where every test passes.
    ["success()", true],
    ["failure()", false],
    ["always() && !failure() && !cancelled()", true],
    ["cancelled() || github.event_name == 'push'", false],
    ["hashFiles('**/Dockerfile') != ''", "unknown", ["hashFiles()"]],
    ["matrix.platform == 'linux/arm64'", true],
    ["true", true],
    ["0", false],
    ["'false'", true],
  ];
  for (const [expr, value, unknowns] of cases) {
    test(`${expr} → ${String(value)}`, () => {
      const r = evaluateCondition(expr, scope);
      assert.equal(r.value, value);
      if (unknowns) assert.deepEqual(r.unknowns, unknowns);
    });
  }

  test("success() is unknown when a needed job may not run", () => {
    const r = evaluateCondition("success()", {
      ...scope,
      status: { success: "unknown", failure: false, cancelled: false },
    });
    assert.equal(r.value, "unknown");
  });

  test("a syntax error is a WORKFLOW error", () => {
    assert.throws(() => evaluateCondition("github.ref ==", scope), { code: "WORKFLOW" });
  });
});
