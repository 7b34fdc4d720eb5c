/**
 * Loads reship.yaml: reads the file, parses the YAML keeping source positions,
 * validates it against the schema, and turns every problem into one CONFIG
 * error whose lines each name the file, the line and the key, e.g.
 * `reship.yaml:12: images[0].platforms: expected a list of platforms like linux/amd64`.
 *
 * Default location: `reship.yaml` (then `reship.yml`) in the working
 * directory; none there and no path given means "no config" (undefined). A
 * path that was given must exist.
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ReshipError } from "../errors.js";
import { configSchema } from "./schema.js";
import type { ReshipConfig } from "./schema.js";
import { formatPath, lineOf } from "./positions.js";

export interface LoadConfigOptions {
  /** The file to read; when given it must exist. Relative to `cwd`. */
  readonly path?: string | undefined;
  /** Where relative paths start and where ./reship.yaml is looked for. */
  readonly cwd: string;
}

export interface LoadedConfig {
  /** Absolute path of the file read. */
  readonly path: string;
  /** Its directory: image contexts are relative to it. */
  readonly dir: string;
  readonly config: ReshipConfig;
}

const DEFAULT_NAMES = ["reship.yaml", "reship.yml"];

/** Reads and validates reship.yaml; undefined when there is none and no path was given. */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig | undefined> {
  if (options.path !== undefined) {
    const path = resolve(options.cwd, options.path);
    const text = await readText(path);
    if (text === undefined) throw new ReshipError("CONFIG", `${options.path}: no such file`);
    return { path, dir: dirname(path), config: parseConfig(text, display(options.cwd, path)) };
  }
  for (const name of DEFAULT_NAMES) {
    const path = resolve(options.cwd, name);
    const text = await readText(path);
    if (text !== undefined) return { path, dir: dirname(path), config: parseConfig(text, name) };
  }
  return undefined;
}

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

const KNOWN_KEYS = [
  "images",
  "name",
  "context",
  "dockerfile",
  "platforms",
  "target",
  "buildArgs",
  "tags",
  "templates",
  "prefix",
  "suffix",
  "commitTag",
  "format",
  "length",
  "full",
  "builder",
  "policies",
  "immutableVersions",
  "strictProvenance",
  "floatingTags",
  "onRetagFailure",
  "ci",
  "defaultBranch",
  "versionTagPattern",
  "productionOnMain",
  "insecureRegistries",
];

/** A "did you mean" for keys that differ from a known one only in case, dashes or underscores. */
function suggest(key: string): string {
  const norm = (k: string): string => k.toLowerCase().replace(/[-_]/g, "");
  const match = KNOWN_KEYS.find((k) => norm(k) === norm(key));
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

function display(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ReshipError("CONFIG", `${path}: cannot read: ${(err as Error).message}`, { cause: err });
  }
}
