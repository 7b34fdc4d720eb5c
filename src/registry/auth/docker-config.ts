/**
 * Credentials from Docker's config.json in a directory the caller resolved
 * (DOCKER_CONFIG, else ~/.docker). For a registry host, in order:
 * `credHelpers[host]` (a credential helper for that registry), then
 * `credsStore` (the helper for all registries), then `auths[host]` with
 * `auth` (base64 `user:password`, split at the first colon) or
 * `identitytoken` / `registrytoken`. Keys of `auths` and `credHelpers` may be
 * URLs (`https://host/v1/`); Docker Hub's key is `https://index.docker.io/v1/`.
 * A missing config.json means anonymous; an unreadable or malformed one is a
 * CREDENTIALS error naming the file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ReshipError } from "../../errors.js";
import { DOCKER_HUB_CONFIG_KEY, normalizeRegistryHost } from "./credentials.js";
import type { Credential, CredentialStore } from "./credentials.js";
import { getFromHelper } from "./helper.js";
import type { HelperRunner } from "./helper.js";

export interface DockerConfigFile {
  readonly auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string; registrytoken?: string }
  >;
  readonly credsStore?: string;
  readonly credHelpers?: Record<string, string>;
}

export interface DockerConfigOptions {
  /** The directory holding config.json (DOCKER_CONFIG or ~/.docker, resolved by the caller). */
  readonly configDir: string;
  /** Runs credential helpers. Default: spawn without a shell. */
  readonly runHelper?: HelperRunner;
}

/** Decodes an `auths` entry (pure). */
export function credentialFromAuthEntry(
  entry: NonNullable<DockerConfigFile["auths"]>[string],
  where: string,
): Credential | undefined {
  if (entry.identitytoken) return { identityToken: entry.identitytoken };
  if (entry.registrytoken) return { registryToken: entry.registrytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0)
      throw new ReshipError("CREDENTIALS", `the "auth" value for ${where} is not base64 of user:password`);
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username !== undefined && entry.password !== undefined) {
    return { username: entry.username, password: entry.password };
  }
  return undefined;
}

/** Finds the entry for `host` in a map keyed by hosts or URLs. */
function lookup<T>(map: Record<string, T> | undefined, host: string): [string, T] | undefined {
  if (!map) return undefined;
  const wanted = normalizeRegistryHost(host);
  const exact = Object.entries(map).find(([key]) => key === host);
  if (exact) return exact;
  return Object.entries(map).find(([key]) => normalizeRegistryHost(key) === wanted);
}

/** The server URL a helper is asked about: Docker Hub has its historical key, others the host. */
function helperServerUrl(host: string): string {
  return normalizeRegistryHost(host) === "docker.io" ? DOCKER_HUB_CONFIG_KEY : host;
}

export function dockerConfigCredentials(options: DockerConfigOptions): CredentialStore {
  const file = join(options.configDir, "config.json");
  let loaded: Promise<DockerConfigFile | undefined> | undefined;
  const load = () =>
    (loaded ??= readFile(file, "utf8").then(
      (text) => {
        try {
          return JSON.parse(text) as DockerConfigFile;
        } catch (err) {
          throw new ReshipError("CREDENTIALS", `${file} is not valid JSON`, { cause: err });
        }
      },
      (err: unknown) => {
        if ((err as { code?: unknown }).code === "ENOENT") return undefined;
        throw new ReshipError("CREDENTIALS", `cannot read ${file}: ${(err as Error).message}`, {
          cause: err,
        });
      },
    ));

  return {
    async get(host) {
      const config = await load();
      if (!config) return undefined;
      const helper = lookup(config.credHelpers, host);
      if (helper) return getFromHelper(helper[1], helperServerUrl(host), options.runHelper);
      if (config.credsStore) {
        const fromStore = await getFromHelper(config.credsStore, helperServerUrl(host), options.runHelper);
        if (fromStore) return fromStore;
      }
      const entry = lookup(config.auths, host);
      return entry ? credentialFromAuthEntry(entry[1], `${entry[0]} in ${file}`) : undefined;
    },
  };
}
