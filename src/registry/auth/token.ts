/**
 * Bearer tokens from a registry's token service (distribution "Token
 * Authentication Specification" and "OAuth2 Token Authentication"):
 *
 * - GET `realm?service=S&scope=A&scope=B`, with Basic credentials when a
 *   username and password are known, anonymous otherwise;
 * - with an identity (refresh) token: POST a form `grant_type=refresh_token`,
 *   `refresh_token`, `service`, `client_id`, `scope` (space separated); a
 *   service without OAuth answers 400/401/404/405 and we fall back to GET.
 *
 * The answer holds `token` and/or `access_token` (the same thing), and
 * `expires_in` seconds (default 60).
 */
import { ReshipError } from "../../errors.js";
import { RegistryError, readCapped, registryErrorFromResponse } from "../errors.js";
import { redactUrl } from "../transport/redact.js";
import type { Transport, TransportResponse } from "../transport/types.js";
import type { Credential } from "./credentials.js";

/** Tokens without `expires_in` live this long (token spec). */
export const DEFAULT_TOKEN_LIFETIME_S = 60;
/** Renew a token this long before it expires, so it does not lapse in flight. */
export const TOKEN_EXPIRY_MARGIN_MS = 5_000;
export const OAUTH_CLIENT_ID = "reship";
const TOKEN_BODY_LIMIT = 1024 * 1024;

export interface BearerToken {
  readonly token: string;
  /** Epoch ms after which the token is not reused. */
  readonly expiresAt: number;
}

export interface TokenRequest {
  /** The registry host the token is for (named in errors). */
  readonly registry: string;
  readonly realm: string;
  readonly service?: string;
  readonly scopes: readonly string[];
  readonly credential?: Credential;
}

/** Parses a token service answer (pure). */
export function parseTokenResponse(text: string, now: number, realm: string): BearerToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ReshipError(
      "REGISTRY",
      `token service ${redactUrl(realm)} answered something that is not JSON`,
    );
  }
  const { token, access_token, expires_in } = (parsed ?? {}) as Record<string, unknown>;
  const value =
    typeof token === "string" && token ? token : typeof access_token === "string" ? access_token : "";
  if (!value) throw new ReshipError("REGISTRY", `token service ${redactUrl(realm)} answered without a token`);
  const lifetime = typeof expires_in === "number" && expires_in > 0 ? expires_in : DEFAULT_TOKEN_LIFETIME_S;
  const margin = Math.min(TOKEN_EXPIRY_MARGIN_MS, (lifetime * 1000) / 10);
  return { token: value, expiresAt: now + lifetime * 1000 - margin };
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

/** The GET URL of a token request (pure). */
export function tokenUrl(request: TokenRequest): URL {
  const url = new URL(request.realm);
  if (request.service) url.searchParams.set("service", request.service);
  for (const scope of request.scopes) url.searchParams.append("scope", scope);
  return url;
}

/** The OAuth POST body of a refresh-token exchange (pure). */
export function oauthForm(request: TokenRequest, refreshToken: string): string {
  const form = new URLSearchParams();
  form.set("grant_type", "refresh_token");
  form.set("refresh_token", refreshToken);
  form.set("client_id", OAUTH_CLIENT_ID);
  if (request.service) form.set("service", request.service);
  if (request.scopes.length) form.set("scope", request.scopes.join(" "));
  return form.toString();
}

async function readToken(
  response: TransportResponse,
  request: TokenRequest,
  now: () => number,
): Promise<BearerToken> {
  const body = await readCapped(response.body, TOKEN_BODY_LIMIT);
  return parseTokenResponse(body.toString("utf8"), now(), request.realm);
}

async function failure(
  method: string,
  url: URL,
  response: TransportResponse,
  request: TokenRequest,
): Promise<ReshipError> {
  const err = await registryErrorFromResponse(method, url, response);
  if (response.status === 401 || response.status === 403) {
    const who =
      request.credential?.username || request.credential?.identityToken
        ? "the configured credentials"
        : "anonymous access";
    return new RegistryError({
      code: "UNAUTHORIZED",
      message: `authentication to ${request.registry} failed: its token service ${redactUrl(request.realm)} refused ${who} (${response.status}) for ${
        request.scopes.join(" ") || "the registry"
      }`,
      status: err.status,
      method,
      url: err.url,
      errors: err.errors,
      cause: err,
    });
  }
  return err;
}

/** Fetches one token. `transport` is the stack below auth (no auth layer of its own). */
export async function fetchToken(
  transport: Transport,
  request: TokenRequest,
  now: () => number = Date.now,
): Promise<BearerToken> {
  const credential = request.credential;
  if (credential?.registryToken)
    return { token: credential.registryToken, expiresAt: Number.POSITIVE_INFINITY };
  if (credential?.identityToken) {
    const url = new URL(request.realm);
    const response = await transport({
      method: "POST",
      url,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: Buffer.from(oauthForm(request, credential.identityToken)),
      idempotent: true,
    });
    if (response.status === 200) return readToken(response, request, now);
    if (![400, 401, 404, 405].includes(response.status)) throw await failure("POST", url, response, request);
    response.body.destroy();
  }
  const url = tokenUrl(request);
  const headers: Record<string, string> = {};
  if (credential?.username !== undefined && credential.password !== undefined) {
    headers["authorization"] = basicAuthorization(credential.username, credential.password);
  }
  const response = await transport({ method: "GET", url, headers, idempotent: true });
  if (response.status !== 200) throw await failure("GET", url, response, request);
  return readToken(response, request, now);
}
