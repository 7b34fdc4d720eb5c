/**
 * URLs of the distribution API (OCI distribution spec, "Endpoints") and the
 * token scopes each request asks for. URLs start as https: the transport's
 * scheme layer moves loopback and `--insecure-registry` hosts to http.
 */
import type { Repository } from "../oci/index.js";

export function apiUrl(repository: Repository, suffix: string): URL {
  return new URL(`https://${repository.host}/v2/${repository.path}/${suffix}`);
}

export function pullScope(repository: Repository): string {
  return `repository:${repository.path}:pull`;
}

export function pushScope(repository: Repository): string {
  return `repository:${repository.path}:pull,push`;
}

/**
 * Appends a query parameter to a URL the registry gave us (an upload
 * Location) without re-encoding what is already there: distribution's
 * `_state` must come back byte for byte.
 */
export function appendQuery(url: URL, name: string, value: string): URL {
  const out = new URL(url.toString());
  const pair = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  out.search = out.search.length > 1 ? `${out.search}&${pair}` : `?${pair}`;
  return out;
}
