/**
 * The redirect layer: follows 301, 302, 303, 307 and 308 up to 10 hops
 * (303, and 301/302 after a POST, become a GET without a body, as browsers
 * and Go do). A relative Location resolves against the URL that sent it. The
 * response carries the URL that finally answered.
 */
import { ReshipError } from "../../errors.js";
import { discard, isReplayable } from "./body.js";
import { redactUrl } from "./redact.js";
import type { HttpMethod, Transport, TransportRequest, TransportResponse } from "./types.js";

export const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function redirectTransport(next: Transport, maxRedirects = MAX_REDIRECTS): Transport {
  return async (request: TransportRequest): Promise<TransportResponse> => {
    const origin = request.url.host;
    let current = request;
    for (let hop = 0; ; hop++) {
      const response = await next(current);
      const location = response.headers["location"];
      if (!REDIRECT_STATUSES.has(response.status) || location === undefined) {
        return current === request ? response : { ...response, url: response.url ?? current.url };
      }
      if (hop >= maxRedirects) {
        discard(response.body);
        throw new ReshipError(
          "REGISTRY",
          `too many redirects (more than ${maxRedirects}) for ${request.method} ${redactUrl(request.url)}`,
        );
      }
      discard(response.body);
      const target = new URL(location, current.url);
      const toGet =
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && current.method === "POST");
      const method: HttpMethod = toGet && current.method !== "HEAD" ? "GET" : current.method;
      const headers: Record<string, string> = { ...current.headers };
      // Credentials belong to the registry's host only. A hop to another host
      // (blob storage such as S3, GCS or a CDN) must not carry them: those
      // services reject a request that has an Authorization header besides
      // their own signed URL, and the token must not leak to a third party.
      if (target.host !== origin) delete headers["authorization"];
      if (toGet) {
        delete headers["content-type"];
        delete headers["content-length"];
        current = { method, url: target, headers, ...(current.signal ? { signal: current.signal } : {}) };
        continue;
      }
      if (!isReplayable(current)) {
        throw new ReshipError(
          "REGISTRY",
          `${current.method} ${redactUrl(current.url)} was redirected but its streamed body cannot be sent again`,
        );
      }
      current = { ...current, url: target, headers };
    }
  };
}
