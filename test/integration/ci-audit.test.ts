/**
 * The audit over the workflow corpus in test/fixtures/workflows: each fixture
 * is a repository's .github/workflows with an expected.json beside it that
 * lists, per simulated event, every build (workflow#job/step: image purpose)
 * and every duplicate. The real @actions/workflow-parser and
 * @actions/expressions run; nothing is mocked.
 */
import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { ciRulesFromConfig, loadWorkflowAudit } from "../../src/ci/index.js";

const { auditSummary, auditWorkflows, parseEventSpec, readWorkflowFiles, standardEvents } =
  await loadWorkflowAudit();

const corpus = new URL("../fixtures/workflows/", import.meta.url).pathname;

interface Expected {
  readonly extraEvents?: string[];
  readonly events: Record<string, string[]>;
  readonly duplicates: string[];
  readonly findings?: string[];
}

describe("reship audit over the workflow corpus", () => {
  const fixtures = readdirSync(corpus).filter((d) => existsSync(join(corpus, d, "expected.json")));
  test("the corpus is there", () => assert.ok(fixtures.length >= 8, `only ${fixtures.length} fixtures`));
  for (const fixture of fixtures) {
    test(fixture, () => {
      const root = join(corpus, fixture);
      const expected = JSON.parse(readFileSync(join(root, "expected.json"), "utf8")) as Expected;
      const rules = ciRulesFromConfig(undefined);
      const events = [
        ...standardEvents(rules),
        ...(expected.extraEvents ?? []).map((e) => parseEventSpec(e, rules)),
      ];
      const report = auditWorkflows(readWorkflowFiles([], root), { rules, events });
      const summary = auditSummary(report);
      assert.deepEqual(summary.events, expected.events);
      assert.deepEqual(summary.duplicates, expected.duplicates);
      for (const kind of expected.findings ?? []) {
        assert.ok(
          report.findings.some((f) => f.kind === kind),
          `expected a ${kind} finding, got ${report.findings.map((f) => f.kind).join(", ")}`,
        );
      }
    });
  }

  test("a workflow that does not parse is a WORKFLOW error with file and line", () => {
    const root = join(corpus, "invalid");
    assert.throws(
      () => auditWorkflows(readWorkflowFiles([], root), { rules: ciRulesFromConfig(undefined) }),
      (err: Error & { code?: string }) =>
        err.code === "WORKFLOW" && /\.github\/workflows\/broken\.yml:\d+: /.test(err.message),
    );
  });
});
