/**
 * The retry layer: requests that are safe to repeat (idempotent, with a body
 * that can be sent again) are retried on temporary answers and on connection
 * failures, with exponential backoff and full jitter (delay drawn uniformly
 * from [0, min(maxDelayMs, baseDelayMs * 2^retry)]). A 429 or 503 with
 * Retry-After (seconds or an HTTP date) waits that long instead, capped at
 * `maxRetryAfterMs`. Defaults: 5 attempts, 200 ms base, 10 s cap, 60 s
 * Retry-After cap. After the last attempt the last answer is returned (or the
 * last error thrown) for the caller to report.
 */
import { setTimeout as delay } from "node:timers/promises";
import { NetworkError } from "../errors.js";
import { discard, isReplayable } from "./body.js";
import type { Transport, TransportRequest, TransportResponse } from "./types.js";

export const HTTP_REQUEST_TIMEOUT = 408;
export const HTTP_TOO_MANY_REQUESTS = 429;
export const HTTP_INTERNAL_SERVER_ERROR = 500;
export const HTTP_BAD_GATEWAY = 502;
export const HTTP_SERVICE_UNAVAILABLE = 503;
export const HTTP_GATEWAY_TIMEOUT = 504;

/** Statuses worth another try: the server may answer differently in a moment. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([
  HTTP_REQUEST_TIMEOUT,
  HTTP_TOO_MANY_REQUESTS,
  HTTP_INTERNAL_SERVER_ERROR,
  HTTP_BAD_GATEWAY,
  HTTP_SERVICE_UNAVAILABLE,
  HTTP_GATEWAY_TIMEOUT,
]);

export interface RetryOptions {
  /** Tries in all, the first included. Default 5. */
  readonly attempts?: number;
  /** Backoff base. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Backoff cap. Default 10 000 ms. */
  readonly maxDelayMs?: number;
  /** Cap on a server's Retry-After. Default 60 000 ms. */
  readonly maxRetryAfterMs?: number;
  /** How to wait (tests pass a recorder that resolves at once). Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform random in [0, 1) for the jitter. Default Math.random. */
  readonly random?: () => number;
  /** Wall clock in ms, for Retry-After dates. Default Date.now. */
  readonly now?: () => number;
}

/** Parses Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; bare numbers like "-1" are not dates (Date.parse accepts them).
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Full-jitter backoff before retry number `retry` (0 for the first retry). */
export function backoffDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

function isRetryableError(err: unknown): boolean {
  return err instanceof NetworkError && err.retryable;
}

export function retryTransport(next: Transport, options: RetryOptions = {}): Transport {
  const attempts = Math.max(1, options.attempts ?? 5);
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;

  return async (request: TransportRequest): Promise<TransportResponse> => {
    const safe = request.idempotent === true && isReplayable(request);
    if (!safe) return next(request);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      let response: TransportResponse;
      try {
        response = await next({ ...request, attempt });
      } catch (err) {
        if (last || !isRetryableError(err) || request.signal?.aborted) throw err;
        await sleep(backoffDelay(attempt - 1, baseDelayMs, maxDelayMs, random));
        continue;
      }
      if (last || !RETRY_STATUSES.has(response.status)) return response;
      const retryAfter = parseRetryAfter(response.headers["retry-after"], now());
      discard(response.body);
      const wait =
        retryAfter !== undefined
          ? Math.min(retryAfter, maxRetryAfterMs)
          : backoffDelay(attempt - 1, baseDelayMs, maxDelayMs, random);
      await sleep(wait);
    }
  };
}
