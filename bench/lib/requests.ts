/**
 * Sorts registry requests (from the registry's own access log) into the
 * kinds the targets speak of: manifest HEAD/GET/PUT, the tag list, blob reads,
 * blob uploads and mounts, the /v2/ ping, referrers.
 */

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly bytesIn?: number;
}

export type RequestKind =
  "ping" | "manifest" | "tags list" | "blob" | "blob upload" | "blob mount" | "referrers" | "other";

/** What kind of request a method and path are, by the distribution API's URL shapes. */
export function requestKind(method: string, path: string): RequestKind {
  const url = new URL(path, "http://registry.invalid");
  const p = url.pathname;
  if (p === "/v2/" || p === "/v2") return "ping";
  if (/\/manifests\/[^/]+$/.test(p)) return "manifest";
  if (/\/tags\/list$/.test(p)) return "tags list";
  if (/\/referrers\/[^/]+$/.test(p)) return "referrers";
  if (/\/blobs\/uploads\/?$/.test(p) && method === "POST" && url.searchParams.has("mount"))
    return "blob mount";
  if (/\/blobs\/uploads(\/|$)/.test(p)) return "blob upload";
  if (/\/blobs\/[^/]+$/.test(p)) return "blob";
  return "other";
}

/** Counts keyed "METHOD kind", e.g. "HEAD manifest", "PUT manifest", "GET tags list". */
export function countRequests(requests: readonly LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    const key = `${r.method} ${requestKind(r.method, r.path)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** "HEAD manifest ×5, GET manifest ×1, ..." for a table cell. */
export function formatCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  if (entries.length === 0) return "none";
  return entries.map(([k, n]) => `${k} ×${n}`).join(", ");
}

export function total(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
