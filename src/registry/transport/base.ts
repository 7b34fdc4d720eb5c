/**
 * The wire: one HTTP/1.1 exchange over node:http or node:https with
 * keep-alive agents (connections to the same host are reused; at most
 * `maxSockets` per host). TLS is verified against the system CAs plus an
 * optional extra CA file. A request that gets no answer becomes a
 * NetworkError: NETWORK naming the host and the cause, or TIMEOUT when the
 * connection stayed silent for `timeoutMs`.
 */
import * as http from "node:http";
import * as https from "node:https";
import * as tls from "node:tls";
import { readFileSync } from "node:fs";
import { pipeline } from "node:stream";
import type { IncomingMessage } from "node:http";
import { ReshipError } from "../../errors.js";
import { NetworkError } from "../errors.js";
import { openBody } from "./body.js";
import type { Transport, TransportRequest, TransportResponse } from "./types.js";

export interface BaseTransportOptions {
  /** Extra CA certificates (PEM file) trusted besides the system's. */
  readonly caFile?: string;
  /** Idle timeout per request (connect, headers, and gaps in the body). Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Open connections per host. Default 16. */
  readonly maxSockets?: number;
}

const TLS_CERT_ERRORS = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

const CAUSES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed while sending",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  EPROTO: "TLS handshake failed (does the server speak HTTPS?)",
  ERR_SSL_WRONG_VERSION_NUMBER: "TLS handshake failed (the server does not speak HTTPS)",
  ERR_SSL_PACKET_LENGTH_TOO_LONG: "TLS handshake failed (the server does not speak HTTPS)",
  ECONNABORTED: "connection aborted",
  HPE_INVALID_CONSTANT: "the server's answer is not HTTP",
};

/** Connection errors after which nothing reached the server's application, so a retry is safe. */
const RETRYABLE = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "EAI_AGAIN", "ETIMEDOUT", "ECONNABORTED"]);

/** Maps a Node socket/TLS error to a NetworkError naming the host and the cause. */
export function networkErrorFor(host: string, err: unknown): ReshipError {
  if (err instanceof ReshipError) return err;
  const code = (err as { code?: unknown } | undefined)?.code;
  const errno = typeof code === "string" ? code : undefined;
  const reason = err instanceof Error ? err.message : String(err);
  if (errno && TLS_CERT_ERRORS.has(errno)) {
    return new NetworkError(
      "NETWORK",
      `TLS certificate of ${host} is not trusted (${reason}); pass its CA with --ca-file`,
      { host, errno, retryable: false, cause: err },
    );
  }
  const cause = (errno && CAUSES[errno]) ?? reason;
  return new NetworkError("NETWORK", `cannot reach registry ${host}: ${cause}`, {
    host,
    ...(errno ? { errno } : {}),
    retryable: errno !== undefined && RETRYABLE.has(errno),
    cause: err,
  });
}

function timeoutError(host: string, ms: number, phase: string): NetworkError {
  return new NetworkError("TIMEOUT", `registry ${host} did not answer within ${ms} ms (${phase})`, {
    host,
    errno: "ETIMEDOUT",
    retryable: true,
  });
}

function readCa(caFile: string): Buffer {
  try {
    return readFileSync(caFile);
  } catch (err) {
    throw new ReshipError("CONFIG", `cannot read CA file ${caFile}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function flattenHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(name === "set-cookie" ? "\n" : ", ") : value;
  }
  // Node keeps only the first of some duplicated headers; challenges must all be seen.
  const challenges = res.headersDistinct["www-authenticate"];
  if (challenges && challenges.length > 1) out["www-authenticate"] = challenges.join(", ");
  return out;
}

/** Creates the bottom of the transport stack: one request, one response. */
export function createBaseTransport(options: BaseTransportOptions = {}): Transport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxSockets = options.maxSockets ?? 16;
  const ca = options.caFile ? [...tls.rootCertificates, readCa(options.caFile).toString("utf8")] : undefined;
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets, ...(ca ? { ca } : {}) });

  return (request: TransportRequest) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const url = request.url;
      const host = url.host;
      const secure = url.protocol === "https:";
      if (!secure && url.protocol !== "http:") {
        reject(new ReshipError("USAGE", `unsupported URL scheme ${url.protocol} for ${host}`));
        return;
      }
      const body = openBody(request.body);
      const headers: Record<string, string> = { ...request.headers };
      if (Buffer.isBuffer(body) && headers["content-length"] === undefined) {
        headers["content-length"] = String(body.length);
      }
      if (body === undefined && ["PUT", "POST", "PATCH"].includes(request.method)) {
        headers["content-length"] ??= "0";
      }
      let settled = false;
      const fail = (err: ReshipError) => {
        if (settled) return;
        settled = true;
        reject(err);
      };
      const req = (secure ? https : http).request(url, {
        method: request.method,
        headers,
        agent: secure ? httpsAgent : httpAgent,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      req.setTimeout(timeoutMs, () => {
        const err = timeoutError(host, timeoutMs, settled ? "reading the body" : "waiting for the response");
        req.destroy(err);
        fail(err);
      });
      req.on("error", (err) => {
        if (request.signal?.aborted) {
          fail(new ReshipError("NETWORK", `request to ${host} was cancelled`, { cause: err }));
          return;
        }
        fail(networkErrorFor(host, err));
      });
      req.on("response", (res) => {
        settled = true;
        // A body stream that stalls mid-way surfaces as an error on the stream the caller reads.
        res.on("aborted", () =>
          res.destroy(networkErrorFor(host, Object.assign(new Error("aborted"), { code: "ECONNRESET" }))),
        );
        req.on("error", (err) => {
          if (!res.destroyed) res.destroy(networkErrorFor(host, err));
        });
        resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res), url, body: res });
      });
      if (body === undefined) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else
        pipeline(body, req, (err) => {
          if (err) req.destroy(err);
        });
    });
}
