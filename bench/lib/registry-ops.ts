/**
 * What the benchmark itself asks of a test registry between runs, without
 * reship's client (the thing measured must not check its own work): a
 * manifest's digest by HEAD, a blob's bytes, and resetting a repository's tags
 * so the next run does the same real work.
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

export interface RegistryLike {
  readonly url: string;
  readonly storageDir: string;
}

const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/** The digest a tag points at, or undefined when the registry does not have it. */
export async function manifestDigest(
  registry: RegistryLike,
  repo: string,
  ref: string,
): Promise<string | undefined> {
  const res = await fetch(`${registry.url}/v2/${repo}/manifests/${ref}`, {
    method: "HEAD",
    headers: { accept: MANIFEST_ACCEPT },
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`HEAD ${repo}:${ref}: HTTP ${res.status}`);
  return res.headers.get("docker-content-digest") ?? undefined;
}

/** Throws unless every tag exists (and, when given, points at `digest`). */
export async function expectTags(
  registry: RegistryLike,
  repo: string,
  tags: readonly string[],
  digest?: string,
): Promise<void> {
  for (const tag of tags) {
    const found = await manifestDigest(registry, repo, tag);
    if (found === undefined) throw new Error(`${repo}:${tag} is missing after the run`);
    if (digest !== undefined && found !== digest) {
      throw new Error(`${repo}:${tag} points at ${found}, expected ${digest}`);
    }
  }
}

export async function blobBytes(registry: RegistryLike, repo: string, digest: string): Promise<Buffer> {
  const res = await fetch(`${registry.url}/v2/${repo}/blobs/${digest}`);
  if (!res.ok) throw new Error(`GET blob ${repo}@${digest}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

function tagsDir(registry: RegistryLike, repo: string): string {
  return join(registry.storageDir, "docker/registry/v2/repositories", repo, "_manifests/tags");
}

/**
 * Removes every tag of `repo` but `keep`, straight from the registry's
 * filesystem storage (distribution's API deletes manifests, not tags, and
 * deleting the manifest would also untag the commit image). Tag lookups are
 * not cached by distribution, so the next request sees the tags gone.
 */
export function resetTags(registry: RegistryLike, repo: string, keep: readonly string[]): void {
  let tags: string[];
  try {
    tags = readdirSync(tagsDir(registry, repo));
  } catch {
    return;
  }
  for (const tag of tags) {
    if (!keep.includes(tag)) rmSync(join(tagsDir(registry, repo), tag), { recursive: true, force: true });
  }
}
