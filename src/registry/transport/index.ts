/**
 * The registry transport. `createTransport` composes the layers, outermost
 * first:
 *
 *   user agent → retry → auth → redirect → scheme → logger → base (node:http/https)
 *
 * - user agent outermost, so every request (token requests too) carries it;
 * - retry outside auth, so a retried request is re-authorized with a fresh
 *   token when needed, and outside redirect, so a hop failing mid-way restarts
 *   at the registry (redirect targets are often short-lived signed URLs);
 * - auth outside redirect: credentials go on the request to the registry
 *   host, and the redirect layer drops them on hops to other hosts;
 * - scheme below redirect and auth, so every hop and token request is checked
 *   against the HTTPS rule;
 * - the logger innermost, right on the wire, so `--verbose` shows every
 *   exchange as sent (each attempt, each hop, each 401 challenge, each token
 *   request, the scheme actually used) rather than one line per logical call;
 *   it logs no headers, so no secret reaches it.
 */
import { reshipVersionFallback } from "./version.js";
import { createBaseTransport } from "./base.js";
import { loggerTransport } from "./logger.js";
import type { RequestLogger } from "./logger.js";
import { redirectTransport } from "./redirect.js";
import { retryTransport } from "./retry.js";
import type { RetryOptions } from "./retry.js";
import { schemeTransport } from "./scheme.js";
import { userAgentTransport } from "./user-agent.js";
import type { Transport } from "./types.js";
import type { CredentialStore } from "../auth/credentials.js";
import { authTransport } from "../auth/authenticator.js";

export type { HttpMethod, Transport, TransportRequest, TransportResponse } from "./types.js";
export type { RequestLogEntry, RequestLogger } from "./logger.js";
export type { RetryOptions } from "./retry.js";

export interface TransportOptions {
  /** Hosts (host or host:port) reached over plain HTTP; loopback is always allowed. Default none. */
  readonly insecureRegistries?: readonly string[];
  /** Extra CA PEM file trusted besides the system CAs. Default none. */
  readonly caFile?: string;
  /** Where credentials come from. Default: anonymous. */
  readonly credentials?: CredentialStore;
  /** Default "reship/<version>". */
  readonly userAgent?: string;
  /** The request log sink (`--verbose`). URLs redacted; headers and bodies never logged. Default none. */
  readonly logger?: RequestLogger;
  /** Backoff settings; tests shorten them. Defaults in RetryOptions. */
  readonly retry?: RetryOptions;
  /** Idle/headers timeout per request. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Open connections per host. Default 16. */
  readonly maxSockets?: number;
  /** A wire already built (tests, custom wire) used instead of node:http/https; scheme and the layers above still apply. */
  readonly base?: Transport;
}

/** Builds the transport stack described in the module comment. */
export function createTransport(options: TransportOptions = {}): Transport {
  const wire =
    options.base ??
    createBaseTransport({
      ...(options.caFile !== undefined ? { caFile: options.caFile } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxSockets !== undefined ? { maxSockets: options.maxSockets } : {}),
    });
  const logged = options.logger ? loggerTransport(wire, options.logger) : wire;
  const scheme = schemeTransport(logged, { insecureRegistries: options.insecureRegistries ?? [] });
  const redirected = redirectTransport(scheme);
  const userAgent = options.userAgent ?? `reship/${reshipVersionFallback()}`;
  // Token requests take the same road minus the auth layer (a token service is not challenged).
  const tokenTransport = userAgentTransport(retryTransport(redirected, options.retry), userAgent);
  const authed = authTransport(redirected, {
    tokenTransport,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const retried = retryTransport(authed, options.retry);
  return userAgentTransport(retried, userAgent);
}
