/**
 * The workflow audit as the CLI and the library call it: read the workflow
 * files, simulate the events, check, report. It brings GitHub's workflow
 * parser and expression evaluator (with yaml, about 580 KB of code), so
 * index.ts does not re-export it: `reship plan` and `reship init` never load
 * it, and `reship audit` loads it through index.ts's `loadWorkflowAudit`.
 */
export { auditWorkflows } from "./audit.js";
export { auditSummary, formatAuditMarkdown, formatAuditText } from "./audit-report.js";
export { parseEventSpec, standardEvents } from "./events.js";
export { readWorkflowFiles } from "./workflow-files.js";
