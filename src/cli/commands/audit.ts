/**
 * `reship audit [PATHS]`: builds per event in GitHub Actions workflows, the
 * duplicates with their fixes, and findings. Exit 1 when there are
 * duplicates (so it can gate CI); 2 when a workflow does not parse.
 */
import { ciRulesFromConfig, loadWorkflowAudit } from "../../ci/index.js";
import { loadConfig } from "../../config/index.js";
import type { CommandContext } from "../context.js";
import { EXIT_FAILED, EXIT_OK } from "../exit-codes.js";
import { printJson, printLines, writeGithubOutputs, writeGithubSummary } from "../output.js";

interface AuditCliOptions {
  readonly config?: string;
  readonly event: string[];
}

export async function run(
  ctx: CommandContext,
  [paths]: [string[]],
  options: AuditCliOptions,
): Promise<number> {
  const loaded = await loadConfig({ path: options.config, cwd: ctx.cwd });
  const {
    auditWorkflows,
    formatAuditMarkdown,
    formatAuditText,
    parseEventSpec,
    readWorkflowFiles,
    standardEvents,
  } = await loadWorkflowAudit();
  const rules = ciRulesFromConfig(loaded?.config);
  const files = readWorkflowFiles(paths, ctx.cwd);
  const events = [...standardEvents(rules), ...options.event.map((e) => parseEventSpec(e, rules))];
  const report = auditWorkflows(files, { rules, events });
  if (ctx.globals.json) printJson(ctx, report);
  else printLines(ctx, formatAuditText(report));
  writeGithubOutputs(ctx, { duplicates: String(report.duplicates.length) });
  writeGithubSummary(ctx, `## reship audit\n\n${formatAuditMarkdown(report)}`);
  return report.duplicates.length > 0 ? EXIT_FAILED : EXIT_OK;
}
