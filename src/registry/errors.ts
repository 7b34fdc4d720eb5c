/**
 * Errors of the registry layer. A RegistryError is an HTTP answer the caller
 * did not want: it carries the status, the method, the redacted URL, the
 * registry's own error codes (OCI distribution spec, "Error Codes":
 * MANIFEST_UNKNOWN, DENIED, TOOMANYREQUESTS, ...) and whether trying again
 * later may help. A NetworkError is a request that got no answer at all.
 */
import { ReshipError } from "../errors.js";
import type { ErrorCode } from "../errors.js";
import { redactText, redactUrl } from "./transport/redact.js";
import type { TransportResponse } from "./transport/types.js";

/** Error bodies are read up to this many bytes; the rest is discarded. */
export const ERROR_BODY_LIMIT = 64 * 1024;

export interface RegistryErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly detail?: unknown;
}

export class RegistryError extends ReshipError {
  override readonly name = "RegistryError";
  readonly status: number;
  readonly method: string;
  /** Redacted: safe to print. */
  readonly url: string;
  readonly errors: readonly RegistryErrorDetail[];
  /** True for answers where retrying later may succeed (429, 5xx). */
  readonly temporary: boolean;

  constructor(init: {
    code: ErrorCode;
    message: string;
    status: number;
    method: string;
    url: string;
    errors?: readonly RegistryErrorDetail[];
    temporary?: boolean;
    cause?: unknown;
  }) {
    super(init.code, init.message, { cause: init.cause });
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.errors = init.errors ?? [];
    this.temporary = init.temporary ?? false;
  }
}

/** Why a request got no answer. `errno` is Node's code (ECONNREFUSED, ...). */
export class NetworkError extends ReshipError {
  override readonly name = "NetworkError";
  readonly host: string;
  readonly errno: string | undefined;
  /** True when the failure happened before the server could have acted (refused, reset, DNS). */
  readonly retryable: boolean;

  constructor(
    code: "NETWORK" | "TIMEOUT",
    message: string,
    init: { host: string; errno?: string; retryable: boolean; cause?: unknown },
  ) {
    super(code, message, { cause: init.cause });
    this.host = init.host;
    this.errno = init.errno;
    this.retryable = init.retryable;
  }
}

/** The error code for an HTTP status. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401) return "UNAUTHORIZED";
  if (status === 403) return "DENIED";
  if (status === 404) return "NOT_FOUND";
  return "REGISTRY";
}

/** Whether an answer with this status may succeed later (rate limits, server trouble). */
export function isTemporaryStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Reads at most `limit` bytes of a body, then destroys the stream. */
export async function readCapped(
  body: NodeJS.ReadableStream & { destroy?: () => void },
  limit: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      chunks.push(buf);
      size += buf.length;
      if (size >= limit) break;
    }
  } catch {
    // A body cut short still tells us what we got so far.
  } finally {
    body.destroy?.();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/** Parses a distribution error body: `{"errors":[{"code","message","detail"}]}`. */
export function parseErrorBody(text: string): RegistryErrorDetail[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== "object") return [];
    const list = (parsed as { errors?: unknown }).errors;
    if (!Array.isArray(list)) return [];
    const out: RegistryErrorDetail[] = [];
    for (const item of list) {
      if (!item || typeof item !== "object") continue;
      const { code, message, detail } = item as { code?: unknown; message?: unknown; detail?: unknown };
      out.push({
        code: typeof code === "string" ? code : "UNKNOWN",
        message: typeof message === "string" ? message : "",
        ...(detail === undefined ? {} : { detail }),
      });
    }
    return out;
  } catch {
    return [];
  }
}

function describeStatus(status: number, host: string): string {
  switch (status) {
    case 401:
      return `authentication to ${host} failed (missing or wrong credentials)`;
    case 403:
      return `access denied by ${host}`;
    case 404:
      return `not found on ${host}`;
    case 429:
      return `rate limited by ${host}`;
    default:
      return status >= 500 ? `registry ${host} failed` : `registry ${host} refused the request`;
  }
}

/**
 * Turns an unwanted answer into a RegistryError, reading (and consuming) the
 * body with a size cap. The message names the registry host, the method, the
 * redacted URL and the registry's own codes; never a credential.
 */
export async function registryErrorFromResponse(
  method: string,
  url: URL | string,
  response: TransportResponse,
): Promise<RegistryError> {
  const body = method === "HEAD" ? Buffer.alloc(0) : await readCapped(response.body, ERROR_BODY_LIMIT);
  if (method === "HEAD") response.body.destroy();
  const errors = parseErrorBody(body.toString("utf8"));
  const parsedUrl = new URL(url.toString());
  const safeUrl = redactUrl(parsedUrl);
  const summary = errors.length
    ? errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join("; ")
    : body.length && !/^\s*</.test(body.toString("utf8"))
      ? body.toString("utf8").trim().slice(0, 200)
      : "";
  const message = `${describeStatus(response.status, parsedUrl.host)}: ${method} ${safeUrl} answered ${response.status}${
    summary ? ` (${summary})` : ""
  }`;
  return new RegistryError({
    code: codeForStatus(response.status),
    message: redactText(message),
    status: response.status,
    method,
    url: safeUrl,
    errors,
    temporary: isTemporaryStatus(response.status),
  });
}
