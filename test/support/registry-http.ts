/**
 * Direct requests to a harness registry, outside reship's client: for tests
 * that must set up or check registry state by hand (delete a manifest, HEAD a
 * blob, look at raw headers). Authenticates as the variant needs: Basic with
 * the harness user, or a bearer token from the token server for the request's
 * repository (pull, push and delete); trusts the harness CA for TLS.
 */
import { readFile } from "node:fs/promises";
import { harnessFetch } from "./http.js";
import type { HarnessResponse } from "./http.js";
import type { TestRegistry } from "./registry.js";

export interface RegistryRequestInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** token variant: the scopes to ask for; default: the path's repository, pull,push,delete. */
  readonly scopes?: readonly string[];
  /** Send no credentials at all. */
  readonly anonymous?: boolean;
}

function basic(registry: TestRegistry): string {
  return `Basic ${Buffer.from(`${registry.username ?? ""}:${registry.password ?? ""}`).toString("base64")}`;
}

/** The repository a /v2/ path names, if any (`/v2/team/app/manifests/x` → `team/app`). */
function repositoryOfPath(path: string): string | undefined {
  return /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(path)?.[1];
}

/** A bearer token from the token variant's server for `scopes`, as the harness user. */
export async function fetchToken(registry: TestRegistry, scopes: readonly string[]): Promise<string> {
  if (registry.tokenRealm === undefined || registry.tokenService === undefined) {
    throw new Error(`registry ${registry.host} (${registry.variant}) has no token server`);
  }
  const query = new URLSearchParams({ service: registry.tokenService });
  for (const scope of scopes) query.append("scope", scope);
  const res = await harnessFetch(`${registry.tokenRealm}?${query.toString()}`, {
    headers: { authorization: basic(registry) },
  });
  if (res.status !== 200) throw new Error(`token server answered ${res.status}: ${res.body.toString()}`);
  return (JSON.parse(res.body.toString()) as { token: string }).token;
}

/** Sends one request to `registry.url + path` with the variant's credentials. */
export async function registryFetch(
  registry: TestRegistry,
  path: string,
  init: RegistryRequestInit = {},
): Promise<HarnessResponse> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.anonymous !== true && headers.authorization === undefined) {
    if (registry.variant === "basic") headers.authorization = basic(registry);
    if (registry.variant === "token") {
      const repository = repositoryOfPath(path);
      const scopes =
        init.scopes ?? (repository === undefined ? [] : [`repository:${repository}:pull,push,delete`]);
      headers.authorization = `Bearer ${await fetchToken(registry, scopes)}`;
    }
  }
  const ca = registry.caFile === undefined ? undefined : await readFile(registry.caFile, "utf8");
  return harnessFetch(`${registry.url}${path}`, {
    method: init.method ?? "GET",
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(ca === undefined ? {} : { ca }),
  });
}

/** The Accept list that makes distribution serve every manifest type unchanged. */
export const ALL_MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** Deletes a manifest by digest (tags pointing at it go with it). */
export async function deleteManifest(
  registry: TestRegistry,
  repository: string,
  digest: string,
): Promise<void> {
  const res = await registryFetch(registry, `/v2/${repository}/manifests/${digest}`, { method: "DELETE" });
  if (res.status !== 202)
    throw new Error(`DELETE ${repository}@${digest} answered ${res.status}: ${res.body.toString()}`);
}
