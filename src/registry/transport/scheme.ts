/**
 * Which scheme a registry host is reached over. HTTPS always, except for
 * loopback hosts (127.0.0.0/8, ::1, localhost) and hosts the user listed as
 * insecure (`--insecure-registry`), which may use plain HTTP.
 *
 * The scheme layer enforces that rule on every request, including redirect
 * hops and token requests: an `http:` URL for any other host is refused with
 * INSECURE_REGISTRY. For hosts allowed plain HTTP it also learns, once per
 * host, what the server really speaks: an `https:` request to a plain-HTTP
 * server is retried over `http:`, and an `http:` request that a TLS server
 * answers with "Client sent an HTTP request to an HTTPS server" is retried
 * over `https:` (so a loopback registry with TLS works either way).
 */
import { ReshipError } from "../../errors.js";
import { isInsecureRegistry, isLoopback } from "../../oci/index.js";
import { NetworkError } from "../errors.js";
import { bufferStream, isReplayable } from "./body.js";
import { Readable } from "node:stream";
import type { Transport, TransportRequest, TransportResponse } from "./types.js";

/** Which URL scheme a registry host uses, per the insecure rules above. */
export function registryScheme(host: string, insecureRegistries: readonly string[]): "http" | "https" {
  return isInsecureRegistry(host, insecureRegistries) ? "http" : "https";
}

/** Go's net/http answer to plain HTTP on a TLS port; nginx has its own wording. */
const HTTPS_PORT_HINTS = [/HTTP request to an HTTPS server/i, /plain HTTP request was sent to HTTPS port/i];

function isNotTlsServer(err: unknown): boolean {
  if (!(err instanceof NetworkError)) return false;
  return (
    err.errno === "EPROTO" ||
    err.errno === "ERR_SSL_WRONG_VERSION_NUMBER" ||
    err.errno === "ERR_SSL_PACKET_LENGTH_TOO_LONG" ||
    /wrong version number|packet length too long/i.test(String((err.cause as Error | undefined)?.message))
  );
}

function withProtocol(url: URL, protocol: "http:" | "https:"): URL {
  const out = new URL(url.toString());
  out.protocol = protocol;
  return out;
}

export interface SchemeOptions {
  readonly insecureRegistries?: readonly string[];
}

/**
 * Reads the start of a 400 answer to see whether it is a TLS server's answer to
 * plain HTTP; gives back an equivalent body stream either way.
 */
async function peekBody(body: Readable, limit: number): Promise<{ head: string; body: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let done = false;
  while (size <= limit) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    const chunk = Buffer.from(next.value);
    chunks.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(chunks);
  if (done) return { head: head.toString("utf8"), body: bufferStream(head) };
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  return { head: head.toString("utf8"), body: Readable.from(rest()) };
}

/**
 * The scheme layer: enforces HTTPS outside loopback and insecure hosts, and
 * learns each allowed host's real scheme. A loopback registry is tried over
 * plain HTTP first (the common case: a local registry without TLS), a host
 * named insecure over HTTPS first (as docker does). Requests that start
 * while a host's scheme is still unknown wait for the first answer, so the
 * probe is paid once per host, not once per concurrent request.
 */
export function schemeTransport(next: Transport, options: SchemeOptions = {}): Transport {
  const insecure = options.insecureRegistries ?? [];
  const learned = new Map<string, "http:" | "https:">();
  const probing = new Map<string, Promise<unknown>>();

  const send = async (request: TransportRequest, host: string): Promise<TransportResponse> => {
    const protocol =
      learned.get(host) ?? (isLoopback(host) ? "http:" : (request.url.protocol as "http:" | "https:"));
    const replayable = isReplayable(request);
    let response: TransportResponse;
    try {
      response = await next({ ...request, url: withProtocol(request.url, protocol) });
    } catch (err) {
      if (protocol === "https:" && isNotTlsServer(err) && replayable) {
        learned.set(host, "http:");
        return next({ ...request, url: withProtocol(request.url, "http:") });
      }
      throw err;
    }
    if (protocol === "http:" && response.status === 400 && replayable) {
      const peeked = await peekBody(response.body, 4096);
      if (HTTPS_PORT_HINTS.some((re) => re.test(peeked.head))) {
        peeked.body.destroy();
        learned.set(host, "https:");
        return next({ ...request, url: withProtocol(request.url, "https:") });
      }
      response = { ...response, body: peeked.body };
    }
    if (!learned.has(host)) learned.set(host, protocol);
    return response;
  };

  return async (request: TransportRequest): Promise<TransportResponse> => {
    const host = request.url.host;
    if (!isInsecureRegistry(host, insecure)) {
      if (request.url.protocol === "http:") {
        throw new ReshipError(
          "INSECURE_REGISTRY",
          `refusing plain HTTP to ${host}: only loopback hosts and registries named with --insecure-registry may use HTTP`,
        );
      }
      return next(request);
    }
    if (!learned.has(host)) {
      const pending = probing.get(host);
      if (pending !== undefined) {
        await pending.catch(() => undefined);
      } else {
        const probe = send(request, host);
        probing.set(host, probe);
        try {
          return await probe;
        } finally {
          probing.delete(host);
        }
      }
    }
    return send(request, host);
  };
}
