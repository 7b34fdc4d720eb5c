/**
 * The auth layer of the transport. It sends each request as it is (or with
 * what it already knows about the host: a Basic header, or a cached bearer
 * token for the request's scopes, so a warm client pays no 401 round trip).
 * On a 401 it reads WWW-Authenticate and answers the challenge:
 *
 * - Bearer: a token for the request's scopes (`request.scopes`; when the
 *   request names none, the challenge's `scope`), cached per host and scope
 *   set until it expires; concurrent requests share one token request;
 * - Basic: the host's username and password.
 *
 * A request that still gets 401 after one fresh answer fails with
 * UNAUTHORIZED naming the registry. Credentials are looked up for the
 * request's own host only; the redirect layer below drops them on hops to
 * other hosts.
 */
import { RegistryError, registryErrorFromResponse } from "../errors.js";
import { discard, isReplayable } from "../transport/body.js";
import type { Transport, TransportRequest, TransportResponse } from "../transport/types.js";
import { findChallenge, parseChallenges } from "./challenge.js";
import { hasSecret } from "./credentials.js";
import type { Credential, CredentialStore } from "./credentials.js";
import { basicAuthorization, fetchToken } from "./token.js";
import type { BearerToken } from "./token.js";

export interface AuthOptions {
  /** Where credentials come from. Default: anonymous. */
  readonly credentials?: CredentialStore;
  /** The stack token requests go through (below this layer). */
  readonly tokenTransport: Transport;
  /** Wall clock in ms, for token expiry. Default Date.now. */
  readonly now?: () => number;
}

type HostAuth =
  { readonly kind: "basic" } | { readonly kind: "bearer"; readonly realm: string; readonly service?: string };

const HTTP_UNAUTHORIZED = 401;

/** The cache key of a token: host and the sorted, de-duplicated scope set. */
function tokenKey(host: string, scopes: readonly string[]): string {
  return `${host}|${[...new Set(scopes)].sort().join(" ")}`;
}

export function authTransport(next: Transport, options: AuthOptions): Transport {
  const now = options.now ?? Date.now;
  const hosts = new Map<string, HostAuth>();
  const tokens = new Map<string, Promise<BearerToken>>();
  const credentials = new Map<string, Promise<Credential | undefined>>();

  const credentialFor = (host: string): Promise<Credential | undefined> => {
    let found = credentials.get(host);
    if (!found) {
      found = options.credentials ? options.credentials.get(host) : Promise.resolve(undefined);
      credentials.set(host, found);
      found.catch(() => credentials.delete(host));
    }
    return found;
  };

  const tokenFor = async (
    host: string,
    auth: Extract<HostAuth, { kind: "bearer" }>,
    scopes: readonly string[],
    rejected: string | undefined,
  ) => {
    const key = tokenKey(host, scopes);
    for (;;) {
      const cached = tokens.get(key);
      if (!cached) break;
      const token = await cached.catch(() => undefined);
      // Another request replaced the token while we waited: look again.
      if (tokens.get(key) !== cached) continue;
      if (token && token.expiresAt > now() && token.token !== rejected) return token.token;
      break;
    }
    // The promise goes into the cache before anything is awaited, so concurrent requests share it.
    const pending = credentialFor(host).then((credential) =>
      fetchToken(
        options.tokenTransport,
        {
          registry: host,
          realm: auth.realm,
          ...(auth.service !== undefined ? { service: auth.service } : {}),
          scopes,
          ...(hasSecret(credential) ? { credential } : {}),
        },
        now,
      ),
    );
    tokens.set(key, pending);
    pending.catch(() => {
      if (tokens.get(key) === pending) tokens.delete(key);
    });
    return (await pending).token;
  };

  /** The Authorization value for a request to `host`, or undefined when nothing is known or configured. */
  const authorization = async (
    host: string,
    scopes: readonly string[],
    rejected?: string,
  ): Promise<string | undefined> => {
    const auth = hosts.get(host);
    if (!auth) return undefined;
    if (auth.kind === "bearer") return `Bearer ${await tokenFor(host, auth, scopes, rejected)}`;
    const credential = await credentialFor(host);
    if (credential?.username === undefined || credential.password === undefined) return undefined;
    return basicAuthorization(credential.username, credential.password);
  };

  const send = (request: TransportRequest, value: string | undefined) =>
    next(
      value === undefined ? request : { ...request, headers: { ...request.headers, authorization: value } },
    );

  const unauthorized = async (request: TransportRequest, response: TransportResponse, detail: string) => {
    const answer = await registryErrorFromResponse(request.method, request.url, response);
    return new RegistryError({
      code: "UNAUTHORIZED",
      message: `authentication to ${request.url.host} failed: ${detail}`,
      status: answer.status,
      method: answer.method,
      url: answer.url,
      errors: answer.errors,
      cause: answer,
    });
  };

  return async (request: TransportRequest): Promise<TransportResponse> => {
    // A caller that set its own Authorization knows what it is doing.
    if (request.headers?.["authorization"] !== undefined) return next(request);
    const host = request.url.host;
    const requested = request.scopes ?? [];
    const preauth = await authorization(host, requested);
    const first = await send(request, preauth);
    if (first.status !== HTTP_UNAUTHORIZED) return first;

    const challenges = parseChallenges(first.headers["www-authenticate"] ?? "");
    const bearer = findChallenge(challenges, "bearer");
    const basic = findChallenge(challenges, "basic");
    if (bearer?.params["realm"]) {
      const service = bearer.params["service"];
      hosts.set(host, {
        kind: "bearer",
        realm: bearer.params["realm"],
        ...(service !== undefined ? { service } : {}),
      });
    } else if (basic) {
      hosts.set(host, { kind: "basic" });
    } else {
      return first;
    }
    const credential = await credentialFor(host);
    if (!bearer?.params["realm"] && !hasSecret(credential)) {
      throw await unauthorized(
        request,
        first,
        "the registry asks for credentials and none are configured for it",
      );
    }
    if (!isReplayable(request)) {
      throw await unauthorized(
        request,
        first,
        "the registry asked for credentials after a streamed body was sent",
      );
    }
    discard(first.body);
    const scopes = requested.length ? requested : (bearer?.params["scope"] ?? "").split(" ").filter(Boolean);
    // A token other than the one just refused: a concurrent request's fresh one, or a new one.
    const refused = preauth?.startsWith("Bearer ") ? preauth.slice("Bearer ".length) : undefined;
    const value = await authorization(host, scopes, refused);
    const second = await send(request, value);
    if (second.status !== HTTP_UNAUTHORIZED) {
      // Cache the token under the request's own scope set too, so the next identical request pre-authorizes.
      if (!requested.length && scopes.length) {
        const fetched = tokens.get(tokenKey(host, scopes));
        if (fetched) tokens.set(tokenKey(host, []), fetched);
      }
      return second;
    }
    throw await unauthorized(
      request,
      second,
      hasSecret(credential)
        ? "the registry refused the configured credentials"
        : "the registry requires credentials and none are configured for it",
    );
  };
}
