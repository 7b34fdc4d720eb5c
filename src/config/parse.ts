/**
 * Parses and validates reship.yaml text: YAML with source positions, then the
 * zod schema; every problem becomes one line of a CONFIG error naming the
 * file, the line and the key.
 */
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ReshipError } from "../errors.js";
import { configJsonSchema } from "./json-schema.js";
import { configSchema } from "./schema.js";
import type { ReshipConfig } from "./schema.js";
import { formatPath, lineOf } from "./positions.js";

/**
 * Parses and validates reship.yaml text. `fileName` is only used in messages.
 * Throws a CONFIG ReshipError listing every problem found.
 */
export function parseConfig(text: string, fileName = "reship.yaml"): ReshipConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const line = e.linePos?.[0].line ?? lineCounter.linePos(e.pos[0]).line;
      return `${fileName}:${line}: ${firstLine(e.message)}`;
    });
    throw configError(lines);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) {
    throw configError([`${fileName}:1: the file is empty: list at least one image under images:`]);
  }
  const result = configSchema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap((issue) =>
    describeIssue(issue, doc, lineCounter, fileName).split("\n"),
  );
  throw configError(lines.sort((a, b) => lineNumber(a) - lineNumber(b)));
}

function describeIssue(
  issue: z.core.$ZodIssue,
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  fileName: string,
): string {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  if (issue.code === "unrecognized_keys") {
    // One line per unknown key, at the key itself.
    return issue.keys
      .map((key) => {
        const line = lineOf(doc, lineCounter, path, key);
        const where = formatPath([...path, key]);
        return `${fileName}:${line}: ${where}: unknown key${suggest(key)}`;
      })
      .join("\n");
  }
  const line = lineOf(doc, lineCounter, path, undefined);
  const where = path.length > 0 ? `${formatPath(path)}: ` : "";
  let message = issue.message;
  // zod does not keep the input; the document tells a missing key from a wrong value.
  if (
    (issue.code === "invalid_type" || issue.code === "invalid_union") &&
    path.length > 0 &&
    !doc.hasIn(path)
  ) {
    message = "required";
  }
  return `${fileName}:${line}: ${where}${message}`;
}

let knownKeys: readonly string[] | undefined;

/** Every key reship.yaml may hold, read from the schema itself (once, and only when a key is unknown). */
function allKeys(): readonly string[] {
  if (knownKeys !== undefined) return knownKeys;
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    const { properties } = node as { properties?: unknown };
    if (typeof properties === "object" && properties !== null) {
      for (const key of Object.keys(properties)) keys.add(key);
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(configJsonSchema());
  knownKeys = [...keys];
  return knownKeys;
}

/** A "did you mean" for keys that differ from a known one only in case, dashes or underscores. */
function suggest(key: string): string {
  const norm = (k: string): string => k.toLowerCase().replace(/[-_]/g, "");
  const match = allKeys().find((k) => norm(k) === norm(key));
  return match !== undefined ? ` (did you mean ${match}?)` : "";
}

function configError(lines: readonly string[]): ReshipError {
  return new ReshipError("CONFIG", lines.join("\n"));
}

function lineNumber(line: string): number {
  return Number(/:(\d+): /.exec(line)?.[1] ?? 0);
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
