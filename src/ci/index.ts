/**
 * The CI layer: the GitHub Actions context, the per-event build plan, the
 * workflow generator and, loaded on demand, the workflow audit. Other layers
 * import only this. The audit's code is not re-exported here: the bundler
 * keeps every module an index names in the chunk of each command that
 * imports the index, and with the audit's parser `reship plan` loaded 690 KB
 * of code at start-up instead of 112 KB (about 20 ms more CPU).
 */
export { readCiContext } from "./context.js";
export type { CiContext } from "./context.js";
export { planBuilds, planOutputs } from "./plan.js";
export type { BuildPlan } from "./plan.js";
export type { CiImage, CiRules } from "./types.js";
export { generateWorkflow } from "./generate.js";
export { ciImagesFromConfig, ciRulesFromConfig } from "./from-config.js";
export type { AuditReport } from "./audit.js";
import type * as WorkflowAudit from "./workflow-audit.js";

/** The workflow audit (workflow-audit.ts), loaded when first asked for. */
export function loadWorkflowAudit(): Promise<typeof WorkflowAudit> {
  return import("./workflow-audit.js");
}
