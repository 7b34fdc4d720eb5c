/**
 * The CI layer: the GitHub Actions context, the per-event build plan, the
 * workflow audit and the workflow generator. Other layers import only this.
 */
export { readCiContext } from "./context.js";
export type { CiContext, CiContextOptions } from "./context.js";
export { planBuilds, planOutputs, PRODUCTION_CONDITION } from "./plan.js";
export type { BuildPlan, PlanKind } from "./plan.js";
export { resolveCiImage, resolveCiRules, DEFAULT_BRANCH } from "./types.js";
export type { CiImage, CiRules } from "./types.js";
export { isVersionTag } from "./version-tag.js";
export { matchesFilters, matchesPattern } from "./filter-pattern.js";
export { auditModels, auditWorkflows, describeBuild } from "./audit.js";
export type {
  AuditOptions,
  AuditReport,
  BuildRef,
  Duplicate,
  EventReport,
  Finding,
  WorkflowFile,
} from "./audit.js";
export { formatAuditMarkdown, formatAuditText, auditSummary } from "./audit-report.js";
export { parseEventSpec, standardEvents } from "./events.js";
export type { SimulatedEvent } from "./events.js";
export { generateWorkflow, registryOf } from "./generate.js";
export type { GenerateOptions } from "./generate.js";
export { parseWorkflowFile } from "./workflow-parse.js";
export type { WorkflowModel } from "./workflow-model.js";
export { readWorkflowFiles } from "./workflow-files.js";
export { ciImagesFromConfig, ciRulesFromConfig, commitTagTemplate } from "./from-config.js";
