/**
 * GitHub Actions filter patterns (branches, tags, paths and their -ignore
 * forms), as "Filter pattern cheat sheet" in GitHub's workflow syntax docs:
 * `*` any characters except `/`; `**` any characters; `?` zero or one of the
 * preceding character; `+` one or more of the preceding character; `[...]`
 * one character of a set or range; `\` escapes; a leading `!` excludes what
 * earlier patterns matched, and a later positive pattern includes it again,
 * so order matters.
 */
import { ReshipError } from "../errors.js";

const compiled = new Map<string, RegExp>();

/** Compiles one pattern (without its leading `!`) to an anchored RegExp. */
export function compileFilterPattern(pattern: string): RegExp {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  let source = "";
  // Whether the last emitted piece is an atom that `?` or `+` may quantify.
  let lastAtom = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "*") {
      if (pattern.charAt(i + 1) === "*") {
        source += ".*";
        i++;
      } else {
        source += "[^/]*";
      }
      lastAtom = false;
    } else if ((c === "?" || c === "+") && lastAtom) {
      source += c;
      lastAtom = false;
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw new ReshipError("WORKFLOW", `filter pattern "${pattern}" has an unclosed "["`);
      const set = pattern.slice(i + 1, end).replace(/[\\\]^]/g, (m) => `\\${m}`);
      source += `[${set}]`;
      i = end;
      lastAtom = true;
    } else if (c === "\\" && i + 1 < pattern.length) {
      source += escapeRegExp(pattern.charAt(i + 1));
      i++;
      lastAtom = true;
    } else {
      source += escapeRegExp(c);
      lastAtom = true;
    }
  }
  const re = new RegExp(`^${source}$`);
  compiled.set(pattern, re);
  return re;
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, (m) => `\\${m}`);
}

/** True when `value` matches one pattern (a leading `!` is not allowed here). */
export function matchesPattern(pattern: string, value: string): boolean {
  return compileFilterPattern(pattern).test(value);
}

/**
 * Applies a filter list in order: positive patterns include, `!` patterns
 * exclude what was included so far. True when the value ends up included.
 */
export function matchesFilters(patterns: readonly string[], value: string): boolean {
  let included = false;
  for (const p of patterns) {
    if (p.startsWith("!")) {
      if (included && matchesPattern(p.slice(1), value)) included = false;
    } else if (!included && matchesPattern(p, value)) {
      included = true;
    }
  }
  return included;
}
