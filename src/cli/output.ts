/**
 * Where results go: JSON or text on stdout, and in GitHub Actions also the
 * step outputs ($GITHUB_OUTPUT) and the job summary ($GITHUB_STEP_SUMMARY).
 */
import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { CommandContext } from "./context.js";

/** Prints `value` as one JSON document followed by a newline. */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints lines of human text. */
export function printLines(ctx: CommandContext, lines: readonly string[]): void {
  if (lines.length > 0) ctx.stdout.write(`${lines.join("\n")}\n`);
}

/**
 * Appends step outputs to $GITHUB_OUTPUT when it is set. Multi-line values use
 * the heredoc form with a random delimiter, as GitHub documents.
 */
export function writeGithubOutputs(ctx: CommandContext, outputs: Readonly<Record<string, string>>): void {
  const file = ctx.env.GITHUB_OUTPUT;
  if (!file) return;
  let text = "";
  for (const [key, value] of Object.entries(outputs)) {
    if (value.includes("\n")) {
      const delimiter = `ghadelimiter_${randomUUID()}`;
      text += `${key}<<${delimiter}\n${value}\n${delimiter}\n`;
    } else {
      text += `${key}=${value}\n`;
    }
  }
  appendFileSync(file, text);
}

/** Appends Markdown to the job summary when $GITHUB_STEP_SUMMARY is set. */
export function writeGithubSummary(ctx: CommandContext, markdown: string): void {
  const file = ctx.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
}

/** True in GitHub Actions (and most CI): progress stays quiet there. */
export function isCi(ctx: CommandContext): boolean {
  return ctx.env.CI === "true" || ctx.env.GITHUB_ACTIONS === "true";
}
