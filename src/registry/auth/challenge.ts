/**
 * WWW-Authenticate parsing (RFC 9110 §11.6.1, formerly RFC 7235 §4.1). One
 * header value may hold several challenges separated by commas; each is a
 * scheme followed by auth-params (`name=token` or `name="quoted string"`,
 * where a quoted string may contain commas and backslash escapes) or by a
 * token68. Scheme and parameter names are case-insensitive and returned in
 * lower case; values keep their case.
 */

export interface Challenge {
  /** Lower case: "basic", "bearer", ... */
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
  readonly token68?: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*/;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.pos < this.text.length && (this.text[this.pos] === " " || this.text[this.pos] === "\t"))
      this.pos++;
  }
  skipSeparators(): void {
    while (this.pos < this.text.length && /[\s,]/.test(this.text[this.pos] ?? "")) this.pos++;
  }
  done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  match(re: RegExp): string | undefined {
    const m = re.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }
  quoted(): string {
    // Caller saw the opening quote.
    this.pos++;
    let out = "";
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (c === "\\") {
        out += this.text[this.pos++] ?? "";
      } else if (c === '"') {
        return out;
      } else {
        out += c;
      }
    }
    return out; // unterminated: keep what we have
  }
}

/** Tries to read `name = value` at the cursor; restores the cursor and returns undefined if it is not one. */
function readParam(cur: Cursor): [string, string] | undefined {
  const start = cur.pos;
  const name = cur.match(TOKEN);
  if (name === undefined) return undefined;
  cur.skipSpace();
  if (cur.peek() !== "=") {
    cur.pos = start;
    return undefined;
  }
  cur.pos++;
  cur.skipSpace();
  const value = cur.peek() === '"' ? cur.quoted() : (cur.match(/^[^,\s]*/) ?? "");
  return [name.toLowerCase(), value];
}

/** Parses one WWW-Authenticate value (or several joined with ", ") into its challenges, in order. */
export function parseChallenges(header: string): Challenge[] {
  const cur = new Cursor(header);
  const challenges: Challenge[] = [];
  cur.skipSeparators();
  while (!cur.done()) {
    const scheme = cur.match(TOKEN);
    if (scheme === undefined) {
      // Not a challenge: skip to the next comma.
      cur.pos++;
      cur.match(/^[^,]*/);
      cur.skipSeparators();
      continue;
    }
    const params: Record<string, string> = {};
    let token68: string | undefined;
    cur.skipSpace();
    // A token68 (`Negotiate abc==`) is a bare value that runs to the end of the challenge.
    const save = cur.pos;
    const bare = cur.match(TOKEN68);
    cur.skipSpace();
    if (bare !== undefined && (cur.done() || cur.peek() === ",")) {
      token68 = bare;
    }
    if (token68 === undefined) cur.pos = save;
    const first = token68 !== undefined || cur.done() || cur.peek() === "," ? undefined : readParam(cur);
    if (first !== undefined) {
      params[first[0]] = first[1];
      // More params follow after commas, until something that is not `name=` (the next challenge's scheme).
      for (;;) {
        cur.skipSpace();
        if (cur.peek() !== ",") break;
        const before = cur.pos;
        cur.skipSeparators();
        const param = readParam(cur);
        if (param === undefined) {
          cur.pos = before;
          break;
        }
        params[param[0]] = param[1];
      }
    } else if (token68 === undefined && !cur.done() && cur.peek() !== ",") {
      token68 = cur.match(TOKEN68);
      if (token68 === undefined) cur.match(/^[^,]*/);
    }
    challenges.push({ scheme: scheme.toLowerCase(), params, ...(token68 !== undefined ? { token68 } : {}) });
    cur.skipSeparators();
  }
  return challenges;
}

/** The first challenge with the given scheme (case-insensitive), if any. */
export function findChallenge(challenges: readonly Challenge[], scheme: string): Challenge | undefined {
  const wanted = scheme.toLowerCase();
  return challenges.find((c) => c.scheme === wanted);
}
