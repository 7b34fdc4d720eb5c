/**
 * skopeo against the harness registries: a tool no one here wrote, used to
 * push test images and to read back what reship wrote. Credentials go through
 * an auth file in the registry's temporary directory (never on an argv, and
 * never the host's own auth files); TLS registries are trusted through their
 * CA directory, plain-HTTP ones with TLS verification off.
 */
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCommand } from "./processes.js";
import type { TestRegistry } from "./registry.js";

/** Writes (once per registry) the auth file skopeo reads; anonymous: no entries. */
async function authFile(registry: TestRegistry): Promise<string> {
  const file = join(registry.dir, "skopeo-auth.json");
  const auths =
    registry.username === undefined || registry.password === undefined
      ? {}
      : {
          [registry.host]: {
            auth: Buffer.from(`${registry.username}:${registry.password}`).toString("base64"),
          },
        };
  await writeFile(file, JSON.stringify({ auths }), { mode: 0o600 });
  return file;
}

/** Transport flags for one side of a skopeo command (`src-`, `dest-` or none). */
async function skopeoRegistryArgs(registry: TestRegistry, side: "src" | "dest" | ""): Promise<string[]> {
  const prefix = side === "" ? "--" : `--${side}-`;
  const tls =
    registry.certDir === undefined
      ? [`${prefix}tls-verify=false`]
      : [`${prefix}tls-verify=true`, `${prefix}cert-dir`, registry.certDir];
  return [...tls, `${prefix}authfile`, await authFile(registry)];
}

/** The environment skopeo runs with: no host auth or registries config leaks in. */
function skopeoEnv(registry: TestRegistry): NodeJS.ProcessEnv {
  return {
    ...process.env,
    REGISTRY_AUTH_FILE: join(registry.dir, "skopeo-auth.json"),
    XDG_RUNTIME_DIR: registry.dir,
  };
}

function secretsOf(registry: TestRegistry): string[] {
  return registry.password === undefined ? [] : [registry.password];
}

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/**
 * `skopeo inspect --raw docker://HOST/REPO:TAG|@DIGEST`: the manifest (or
 * index) bytes exactly as the registry serves them, and their sha256 digest.
 */
export async function skopeoInspectRaw(
  registry: TestRegistry,
  repoAndRef: string,
): Promise<{ bytes: Buffer; digest: string }> {
  const { stdout } = await runCommand(
    "skopeo",
    [
      "--insecure-policy",
      "inspect",
      "--raw",
      ...(await skopeoRegistryArgs(registry, "")),
      `docker://${registry.host}/${repoAndRef}`,
    ],
    { env: skopeoEnv(registry), secrets: secretsOf(registry) },
  );
  return { bytes: stdout, digest: sha256Digest(stdout) };
}

/** `skopeo inspect --config --raw`: the image config blob of a single-platform image. */
export async function skopeoInspectConfig(registry: TestRegistry, repoAndRef: string): Promise<Buffer> {
  const { stdout } = await runCommand(
    "skopeo",
    [
      "--insecure-policy",
      "inspect",
      "--config",
      "--raw",
      ...(await skopeoRegistryArgs(registry, "")),
      `docker://${registry.host}/${repoAndRef}`,
    ],
    { env: skopeoEnv(registry), secrets: secretsOf(registry) },
  );
  return stdout;
}

/** `skopeo list-tags`: the repository's tags, sorted. */
export async function skopeoListTags(registry: TestRegistry, repository: string): Promise<string[]> {
  const { stdout } = await runCommand(
    "skopeo",
    [
      "--insecure-policy",
      "list-tags",
      ...(await skopeoRegistryArgs(registry, "")),
      `docker://${registry.host}/${repository}`,
    ],
    { env: skopeoEnv(registry), secrets: secretsOf(registry) },
  );
  const parsed = JSON.parse(stdout.toString("utf8")) as { Tags?: string[] | null };
  return [...(parsed.Tags ?? [])].sort();
}

/**
 * `skopeo copy --all --preserve-digests SOURCE docker://HOST/REPO:TAG`, where
 * SOURCE is any skopeo image name (e.g. `oci:/path/to/layout:name`). skopeo
 * refuses rather than rewrite a manifest, so the digest is the source's.
 */
export async function skopeoCopyTo(
  registry: TestRegistry,
  source: string,
  repoAndTag: string,
): Promise<void> {
  await runCommand(
    "skopeo",
    [
      "--insecure-policy",
      "copy",
      "--quiet",
      "--all",
      "--preserve-digests",
      ...(await skopeoRegistryArgs(registry, "dest")),
      source,
      `docker://${registry.host}/${repoAndTag}`,
    ],
    { env: skopeoEnv(registry), secrets: secretsOf(registry) },
  );
}
