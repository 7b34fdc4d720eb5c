/**
 * Which pushes go over plain HTTP: a tag's registry (Docker's reference rules,
 * src/oci) checked against the loopback and --insecure-registry rule shared
 * with the registry client (src/oci/registry-host.ts).
 */
import { isInsecureRegistry, parseReference } from "../oci/index.js";

/** The registry host (with port) a full reference pushes to, e.g. `docker.io` or `127.0.0.1:5000`. */
export function tagRegistry(tag: string): string {
  return parseReference(tag).repository.registry;
}

/** True when any of `tags` pushes to an insecure registry. */
export function anyInsecure(tags: readonly string[], insecureRegistries: readonly string[]): boolean {
  return tags.some((t) => isInsecureRegistry(tagRegistry(t), insecureRegistries));
}
