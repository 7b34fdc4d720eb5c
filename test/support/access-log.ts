/**
 * Reads the distribution registry's access log. distribution 2.8 writes one
 * Apache "combined" line per request (also for 401s, which get no JSON
 * "response completed" entry), with method, URI and status but not the request
 * body size. Upload bytes are reconstructed from the upload protocol itself:
 * every upload URL carries distribution's `_state` parameter, whose JSON holds
 * the bytes received so far (`Offset`), so a PATCH carried the difference
 * between its own offset and the offset of the next request in that upload
 * session, and the closing PUT carried the blob's size minus its own offset.
 */

export interface RegistryRequest {
  readonly method: string;
  /** The URI path, without the query. */
  readonly path: string;
  readonly status: number;
  /**
   * Body bytes of an upload request (PATCH or PUT under /blobs/uploads/, or a
   * monolithic POST with `digest`); undefined for other requests and for a
   * PATCH whose session never continued (its size cannot be known).
   */
  bytesIn?: number;
  /** The full request URI, with the query (e.g. `?mount=...&from=...`). */
  readonly uri: string;
}

const combinedLine = /^\S+ \S+ \S+ \[[^\]]*\] "(\S+) (\S+) [^"]*" (\d{3}) /;

/** Parses the combined-format lines of a log; other lines are skipped. */
export function parseAccessLog(text: string): RegistryRequest[] {
  const out: RegistryRequest[] = [];
  for (const line of text.split("\n")) {
    const match = combinedLine.exec(line);
    if (match === null) continue;
    const [, method = "", uri = "", status = "0"] = match;
    const q = uri.indexOf("?");
    out.push({ method, uri, path: q === -1 ? uri : uri.slice(0, q), status: Number(status) });
  }
  return out;
}

/** The `Offset` inside distribution's `_state` upload parameter, if any. */
export function stateOffset(uri: string): number | undefined {
  const q = uri.indexOf("?");
  if (q === -1) return undefined;
  const state = new URLSearchParams(uri.slice(q + 1)).get("_state");
  if (state === null) return undefined;
  // base64url(HMAC-SHA256 (32 bytes) || JSON); the JSON starts at its brace.
  const raw = Buffer.from(state, "base64url").toString("latin1");
  const brace = raw.indexOf('{"');
  if (brace === -1) return undefined;
  try {
    const parsed = JSON.parse(raw.slice(brace)) as { Offset?: unknown };
    return typeof parsed.Offset === "number" ? parsed.Offset : undefined;
  } catch {
    return undefined;
  }
}

const uploadSession = /\/blobs\/uploads\/([^/?]+)$/;

function queryParam(uri: string, name: string): string | null {
  const q = uri.indexOf("?");
  return q === -1 ? null : new URLSearchParams(uri.slice(q + 1)).get(name);
}

/**
 * Fills `bytesIn` on upload requests. `blobSize` gives a stored blob's size
 * by digest (from the registry's storage), or undefined when it is unknown.
 */
export function attributeUploadBytes(
  requests: RegistryRequest[],
  blobSize: (digest: string) => number | undefined,
): RegistryRequest[] {
  const sessions = new Map<string, RegistryRequest[]>();
  for (const r of requests) {
    if (!r.path.includes("/blobs/uploads/")) continue;
    const session = uploadSession.exec(r.path)?.[1];
    if (session === undefined) {
      // POST .../blobs/uploads/: a monolithic upload when it names a digest
      // and is not a mount (a mount moves no bytes).
      const digest = queryParam(r.uri, "digest");
      if (r.method === "POST" && r.status === 201 && digest !== null && queryParam(r.uri, "mount") === null) {
        r.bytesIn = blobSize(digest);
      }
      continue;
    }
    const list = sessions.get(session) ?? [];
    list.push(r);
    sessions.set(session, list);
  }
  for (const list of sessions.values()) {
    list.forEach((r, i) => {
      const own = stateOffset(r.uri) ?? 0;
      if (r.method === "PATCH" && r.status === 202) {
        const next = list.slice(i + 1).find((n) => stateOffset(n.uri) !== undefined);
        const nextOffset = next === undefined ? undefined : stateOffset(next.uri);
        if (nextOffset !== undefined) r.bytesIn = nextOffset - own;
      } else if (r.method === "PUT" && r.status === 201) {
        const digest = queryParam(r.uri, "digest");
        const size = digest === null ? undefined : blobSize(digest);
        if (size !== undefined) r.bytesIn = size - own;
      }
    });
  }
  return requests;
}
