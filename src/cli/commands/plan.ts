/**
 * `reship plan`: which image builds this CI run must do, from the GitHub
 * Actions context (or --event/--ref/--sha) and reship.yaml's CI rules; text,
 * --json, and $GITHUB_OUTPUT values (kind, test_build, production_build,
 * promote, condition, version, reason).
 */
import { readFileSync } from "node:fs";
import { ciRulesFromConfig, planBuilds, planOutputs, readCiContext } from "../../ci/index.js";
import { loadConfig } from "../../config/index.js";
import type { CommandContext } from "../context.js";
import { printJson, printLines, writeGithubOutputs } from "../output.js";

interface PlanOptions {
  readonly config?: string;
  readonly event?: string;
  readonly ref?: string;
  readonly sha?: string;
}

export async function run(ctx: CommandContext, _args: [], options: PlanOptions): Promise<number> {
  const loaded = await loadConfig({ path: options.config, cwd: ctx.cwd });
  const rules = ciRulesFromConfig(loaded?.config);
  const context = readCiContext({
    env: ctx.env,
    readFile: (path) => readFileSync(path, "utf8"),
    overrides: { event: options.event, ref: options.ref, sha: options.sha },
  });
  const plan = planBuilds(context, rules);
  const outputs = planOutputs(plan);
  writeGithubOutputs(ctx, outputs);
  if (ctx.globals.json) {
    printJson(ctx, plan);
  } else {
    printLines(ctx, [
      plan.reason,
      `test build:       ${plan.testBuild ? "yes" : "no"}`,
      `production build: ${plan.productionBuild === "no" ? "no" : plan.productionBuild === "after-tests" ? `after the tests pass (if: ${plan.condition ?? ""})` : "only if the commit's image is missing"}`,
      `promote:          ${plan.promote ? `yes (reship release${plan.version ? ` --version ${plan.version}` : ""})` : "no"}`,
    ]);
  }
  return 0;
}
