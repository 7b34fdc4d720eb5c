/**
 * How an audit reads: a text table per event for terminals, Markdown for the
 * job summary and pull request descriptions, and a compact summary (one line
 * per build) that tests compare with each fixture's expected.json.
 */
import type { AuditReport, EventReport } from "./audit.js";
import { describeBuild } from "./audit.js";
import type { BuildRecord } from "./simulate.js";
import { cacheLabel } from "./simulate.js";

const HEADERS = ["workflow", "job", "step", "image or context", "pushed", "cache"];

function row(b: BuildRecord): string[] {
  return [
    b.line !== undefined ? `${b.workflow}:${b.line}` : b.workflow,
    b.matrix ? `${b.job} [${b.matrix}]` : b.job,
    b.step,
    describeBuild(b),
    b.pushed === "unknown" ? "maybe" : b.pushed ? "yes" : "no",
    cacheLabel(b.cache),
  ].map((c, i) => (i === 0 || b.runs === true ? c : i === 2 ? `${c} (may run)` : c));
}

function countLine(e: EventReport): string {
  const possible = e.counts.possible > 0 ? `, ${e.counts.possible} that may run` : "";
  const promotions =
    e.promotions.length > 0 ? `, ${e.promotions.length} promotion${e.promotions.length > 1 ? "s" : ""}` : "";
  return `${e.counts.certain} build${e.counts.certain === 1 ? "" : "s"}${possible} (${e.counts.test} test, ${e.counts.production} production)${promotions}`;
}

export function formatAuditText(report: AuditReport): string[] {
  const lines: string[] = [];
  for (const e of report.events) {
    lines.push(`${e.event}: ${countLine(e)}`);
    if (e.builds.length > 0) lines.push(...table([HEADERS, ...e.builds.map(row)]).map((l) => `  ${l}`));
    for (const p of e.promotions)
      lines.push(`  promotes: ${p.workflow} ${p.job} / ${p.step}${p.runs === true ? "" : " (may run)"}`);
    lines.push("");
  }
  if (report.duplicates.length === 0) lines.push("No duplicate builds.");
  else {
    lines.push(`${report.duplicates.length} duplicate build${report.duplicates.length > 1 ? "s" : ""}:`);
    for (const d of report.duplicates) {
      lines.push(`  ${d.event}: ${d.what} (${d.kind})`);
      for (const b of d.builds)
        lines.push(
          `    ${b.workflow}${b.line !== undefined ? `:${b.line}` : ""} ${b.job}${b.matrix ? ` [${b.matrix}]` : ""} / ${b.step}`,
        );
      lines.push(`    fix: ${d.fix}`);
    }
  }
  if (report.findings.length > 0) {
    lines.push("", "Findings:");
    for (const f of report.findings)
      lines.push(`  ${f.kind}: ${f.message}${f.fix ? `\n    fix: ${f.fix}` : ""}`);
  }
  return lines;
}

export function formatAuditMarkdown(report: AuditReport): string {
  const md: string[] = [
    "| event | builds | test | production | duplicates |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const e of report.events) {
    const dups = report.duplicates.filter((d) => d.event === e.event).length;
    const possible = e.counts.possible > 0 ? ` (+${e.counts.possible} may run)` : "";
    const promos = e.promotions.length > 0 ? ` + ${e.promotions.length} promotion` : "";
    md.push(
      `| ${e.event} | ${e.counts.certain}${possible}${promos} | ${e.counts.test} | ${e.counts.production} | ${dups} |`,
    );
  }
  for (const e of report.events) {
    if (e.builds.length === 0) continue;
    md.push(
      "",
      `**${e.event}**`,
      "",
      `| ${HEADERS.join(" | ")} |`,
      `| ${HEADERS.map(() => "---").join(" | ")} |`,
    );
    for (const b of e.builds)
      md.push(
        `| ${row(b)
          .map((c) => c.replace(/\|/g, "\\|"))
          .join(" | ")} |`,
      );
  }
  if (report.duplicates.length > 0) {
    md.push("", "**Duplicates**", "");
    for (const d of report.duplicates)
      md.push(
        `- ${d.event}: \`${d.what}\` (${d.kind}), built in ${d.builds.map((b) => `${b.workflow} ${b.job}`).join(", ")}. Fix: ${d.fix}`,
      );
  }
  return `${md.join("\n")}\n`;
}

/**
 * One line per build and promotion, per event:
 * "<workflow>#<job>[ matrix]/<step>: <image or context> test|production[ (may run)]".
 */
export function auditSummary(report: AuditReport): {
  events: Record<string, string[]>;
  duplicates: string[];
} {
  const events: Record<string, string[]> = {};
  for (const e of report.events) {
    events[e.event] = [
      ...e.builds.map(
        (b) =>
          `${b.workflow.replace(/^.*\//, "")}#${b.job}${b.matrix ? ` [${b.matrix}]` : ""}/${b.step}: ${describeBuild(b)} ${b.purpose}${b.runs === true ? "" : " (may run)"}`,
      ),
      ...e.promotions.map(
        (p) =>
          `${p.workflow.replace(/^.*\//, "")}#${p.job}/${p.step}: promote${p.runs === true ? "" : " (may run)"}`,
      ),
    ].sort();
  }
  return { events, duplicates: report.duplicates.map((d) => `${d.event}: ${d.what} ${d.kind}`).sort() };
}

function table(rows: readonly string[][]): string[] {
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}
