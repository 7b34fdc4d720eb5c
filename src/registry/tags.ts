/**
 * Tag listing (OCI distribution spec, "Listing tags"), following
 * `Link: <...>; rel="next"` pages. The link resolves against the URL that
 * answered and is followed only on the same origin, so a registry cannot send
 * our credentials elsewhere through it.
 */
import { ReshipError } from "../errors.js";
import { type Repository, formatRepository } from "../oci/index.js";
import { registryErrorFromResponse } from "./errors.js";
import { DOCUMENT_LIMIT, readBody } from "./read-body.js";
import type { Transport } from "./transport/index.js";
import { apiUrl, pullScope } from "./urls.js";

export interface ListTagsOptions {
  /** Tags per page (`n`). Default: the registry's own page size. */
  readonly pageSize?: number;
  /** Stop after this many pages, as a guard against a looping registry. Default 10 000. */
  readonly maxPages?: number;
}

/** The `next` target of a Link header, if any. */
export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (match && /(^|;)\s*rel="?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2] ?? "")) return match[1];
  }
  return undefined;
}

/** Every tag of the repository, in the registry's order; [] when the repository does not exist. */
export async function listTags(
  transport: Transport,
  repo: Repository,
  options: ListTagsOptions = {},
): Promise<string[]> {
  const first = apiUrl(repo, "tags/list");
  if (options.pageSize !== undefined) first.search = `?n=${options.pageSize}`;
  const what = `tag list of ${formatRepository(repo)}`;
  const tags: string[] = [];
  let url: URL | undefined = first;
  for (let page = 0; url; page++) {
    if (page >= (options.maxPages ?? 10_000)) {
      throw new ReshipError("REGISTRY", `${what} has more than ${page} pages`);
    }
    const response = await transport({ method: "GET", url, idempotent: true, scopes: [pullScope(repo)] });
    if (response.status === 404 && page === 0) {
      const error = await registryErrorFromResponse("GET", url, response);
      if (error.errors.length === 0 || error.errors.some((e) => e.code === "NAME_UNKNOWN")) return [];
      throw error;
    }
    if (response.status !== 200) throw await registryErrorFromResponse("GET", url, response);
    const body = await readBody(response.body, DOCUMENT_LIMIT, what);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ReshipError("REGISTRY", `${what} is not JSON`);
    }
    const list = (parsed as { tags?: unknown } | null)?.tags;
    if (Array.isArray(list)) for (const tag of list) if (typeof tag === "string") tags.push(tag);
    const link = nextLink(response.headers["link"]);
    if (!link) break;
    const next: URL = new URL(link, response.url);
    if (next.origin !== response.url.origin) {
      throw new ReshipError("REGISTRY", `${what}: next page on another host (${next.host}) refused`);
    }
    url = next;
  }
  return tags;
}
