/**
 * The transport contract: a function from one HTTP request to its response.
 * Each concern (scheme, auth, retry, redirect, user agent, request log) is a
 * layer that wraps the next one; `createTransport` composes the stack.
 */
import type { Readable } from "node:stream";

export type HttpMethod = "GET" | "HEAD" | "PUT" | "POST" | "PATCH" | "DELETE";

export interface TransportRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  /** Header names in lower case. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The body. A Buffer can be sent again (retries, re-auth); a body factory
   * can be re-opened; a one-shot stream cannot, so a request with one is
   * never retried after its body started to flow.
   */
  readonly body?: Buffer | (() => Readable) | Readable;
  /** Whether repeating the request is harmless (GET, HEAD, PUT of fixed bytes). */
  readonly idempotent?: boolean;
  /**
   * The token scopes this request needs, e.g. `repository:team/app:pull,push`
   * (several for a cross-repository mount). Bearer auth asks for exactly these.
   */
  readonly scopes?: readonly string[];
  readonly signal?: AbortSignal;
  /** Set by the retry layer: 1 for the first try, 2 for the first retry, ... (for the request log). */
  readonly attempt?: number;
}

export interface TransportResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", " except set-cookie. */
  readonly headers: Readonly<Record<string, string>>;
  /** The URL that answered, after redirects. */
  readonly url: URL;
  /** The body stream; must be consumed or destroyed by the caller. */
  readonly body: Readable;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;
