/**
 * Docker client configuration for tests of credential lookup: writes a
 * config.json (in a directory a test then names with DOCKER_CONFIG or passes
 * to reship) holding `auths` entries for harness registries, plus any extra
 * keys a test needs (`credHelpers`, `credsStore`, `identitytoken` entries).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestRegistry } from "./registry.js";

export interface DockerAuthEntry {
  readonly host: string;
  readonly username: string;
  readonly password: string;
}

/** The `auths` entry for a registry with credentials (basic and token variants). */
export function authEntryFor(registry: TestRegistry): DockerAuthEntry {
  if (registry.username === undefined || registry.password === undefined) {
    throw new Error(`registry ${registry.host} (${registry.variant}) has no credentials`);
  }
  return { host: registry.host, username: registry.username, password: registry.password };
}

/**
 * Writes `dir/config.json` (mode 0600) with one `auths[host].auth` (base64
 * `user:password`) per entry, merged with `extra`; returns the file's path.
 */
export async function writeDockerConfig(
  dir: string,
  entries: readonly DockerAuthEntry[],
  extra: Record<string, unknown> = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const auths: Record<string, { auth: string }> = {};
  for (const e of entries) {
    auths[e.host] = { auth: Buffer.from(`${e.username}:${e.password}`).toString("base64") };
  }
  const extraAuths = (extra.auths ?? {}) as Record<string, unknown>;
  const file = join(dir, "config.json");
  await writeFile(file, JSON.stringify({ ...extra, auths: { ...auths, ...extraAuths } }, null, 2), {
    mode: 0o600,
  });
  return file;
}
