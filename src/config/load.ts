/**
 * Loads reship.yaml: reads the file, parses the YAML keeping source positions,
 * validates it against the schema, and turns every problem into one CONFIG
 * error whose lines each name the file, the line and the key, e.g.
 * `reship.yaml:12: images[0].platforms: expected a list of platforms like linux/amd64`.
 *
 * Default location: `reship.yaml` (then `reship.yml`) in the working
 * directory; none there and no path given means "no config" (undefined). A
 * path that was given must exist. The validator (yaml, zod) is loaded only
 * when there is a file to read: a command run without reship.yaml, such as a
 * re-tag in CI, does not pay for it at start-up.
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { ReshipError } from "../errors.js";
import type { ReshipConfig } from "./schema.js";

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
    return { path, dir: dirname(path), config: await parse(text, display(options.cwd, path)) };
  }
  for (const name of DEFAULT_NAMES) {
    const path = resolve(options.cwd, name);
    const text = await readText(path);
    if (text !== undefined) return { path, dir: dirname(path), config: await parse(text, name) };
  }
  return undefined;
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

async function parse(text: string, fileName: string): Promise<ReshipConfig> {
  const { parseConfig } = await import("./parse.js");
  return parseConfig(text, fileName);
}
