/**
 * Credentials and where they come from. A CredentialStore answers, for a
 * registry host (`host` or `host:port`), the credential to use, or undefined
 * for anonymous access. Docker Hub's names (docker.io, index.docker.io,
 * registry-1.docker.io, https://index.docker.io/v1/) are one registry.
 */

export interface Credential {
  readonly username?: string;
  readonly password?: string;
  /** An OAuth refresh token (docker config `identitytoken`): exchanged at the token endpoint. */
  readonly identityToken?: string;
  /** A bearer token sent as is (docker config `registrytoken`). */
  readonly registryToken?: string;
}

export interface CredentialStore {
  get(host: string): Promise<Credential | undefined>;
}

/** Docker Hub's registry names, all meaning one registry. */
const DOCKER_HUB = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
]);

/** The key Docker Hub's credentials are stored under in config.json. */
export const DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";

/**
 * A registry name reduced to its host (and port): scheme and path dropped,
 * lower case, every Docker Hub alias mapped to `docker.io`.
 */
export function normalizeRegistryHost(name: string): string {
  const host = name
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, "")
    .replace(/\/.*$/, "")
    .toLowerCase();
  return DOCKER_HUB.has(host) ? "docker.io" : host;
}

/** True when a credential holds anything usable. */
export function hasSecret(credential: Credential | undefined): credential is Credential {
  return (
    credential !== undefined &&
    Boolean(
      credential.password || credential.identityToken || credential.registryToken || credential.username,
    )
  );
}

/** A fixed map from registry host to credential (hosts normalized as above). */
export function staticCredentials(map: Readonly<Record<string, Credential>>): CredentialStore {
  const byHost = new Map<string, Credential>();
  for (const [host, credential] of Object.entries(map)) byHost.set(normalizeRegistryHost(host), credential);
  return { get: (host) => Promise.resolve(byHost.get(normalizeRegistryHost(host))) };
}

/** Asks each store in turn; the first that has a credential for the host wins. */
export function chainCredentials(...stores: CredentialStore[]): CredentialStore {
  return {
    async get(host) {
      for (const store of stores) {
        const credential = await store.get(host);
        if (hasSecret(credential)) return credential;
      }
      return undefined;
    },
  };
}

/**
 * Credentials from CI environment variables:
 * - `RESHIP_REGISTRY` + `RESHIP_USERNAME` + `RESHIP_PASSWORD`: one registry
 *   (RESHIP_REGISTRY is a host such as `ghcr.io` or `registry.example.com:5000`).
 * - `GITHUB_TOKEN` (user `GITHUB_ACTOR`, else `x-access-token`): ghcr.io.
 */
export function envCredentials(env: Readonly<Record<string, string | undefined>>): CredentialStore {
  const map: Record<string, Credential> = {};
  const github = env["GITHUB_TOKEN"];
  if (github) map["ghcr.io"] = { username: env["GITHUB_ACTOR"] || "x-access-token", password: github };
  const registry = env["RESHIP_REGISTRY"];
  const password = env["RESHIP_PASSWORD"];
  if (registry && password) {
    map[registry] = { username: env["RESHIP_USERNAME"] ?? "", password };
  }
  return staticCredentials(map);
}
