/**
 * Source positions for config errors: maps a key path (["images", 0,
 * "platforms"]) to the line of reship.yaml where it is written. A key that is
 * missing points at the nearest ancestor that exists, so "required" errors
 * land on the map that lacks the key.
 */
import { isMap, isPair, isScalar } from "yaml";
import type { Document, LineCounter, Node } from "yaml";

/** `images[0].platforms` from ["images", 0, "platforms"]. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}

/**
 * The 1-based line of the value at `path`, or of the key `key` inside the map
 * at `path` when given. Falls back to the nearest ancestor, then line 1.
 */
export function lineOf(
  doc: Document,
  counter: LineCounter,
  path: readonly (string | number)[],
  key: string | undefined,
): number {
  if (key !== undefined) {
    const parent = doc.getIn(path, true);
    if (isMap(parent)) {
      for (const item of parent.items) {
        if (isPair(item) && isScalar(item.key) && item.key.value === key && item.key.range) {
          return counter.linePos(item.key.range[0]).line;
        }
      }
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as Node | undefined;
    const start = node?.range?.[0];
    if (start !== undefined) return counter.linePos(start).line;
  }
  return 1;
}
