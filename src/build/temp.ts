/**
 * A private temporary directory for one build's files (buildx metadata,
 * buildah digest files), removed afterwards whatever happened.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";

export async function withTempDir<T>(parent: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(parent, "reship-build-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
