/**
 * The request-log layer: one entry per exchange on the wire (each retry
 * attempt, redirect hop, auth challenge and token request), with the method,
 * the redacted URL, the status or the error, and the time to the response
 * headers. Headers and bodies are never logged, so no Authorization value or
 * token can reach the log.
 */
import { redactText, redactUrl } from "./redact.js";
import type { Transport } from "./types.js";

export interface RequestLogEntry {
  method: string;
  /** Redacted. */
  url: string;
  status?: number;
  durationMs: number;
  /** Redacted. */
  error?: string;
  /** 1 for the first try, 2 for the first retry, ... (when the retry layer set it). */
  attempt?: number;
}

export interface RequestLogger {
  (entry: RequestLogEntry): void;
}

export function loggerTransport(
  next: Transport,
  logger: RequestLogger,
  now: () => number = () => performance.now(),
): Transport {
  return async (request) => {
    const started = now();
    const attempt = request.attempt;
    const base = { method: request.method, url: redactUrl(request.url), ...(attempt ? { attempt } : {}) };
    try {
      const response = await next(request);
      logger({ ...base, status: response.status, durationMs: Math.round(now() - started) });
      return response;
    } catch (err) {
      const error = redactText(err instanceof Error ? err.message : String(err));
      logger({ ...base, error, durationMs: Math.round(now() - started) });
      throw err;
    }
  };
}
