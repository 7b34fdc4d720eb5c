/**
 * Which pushes go over plain HTTP. A tag's registry is its first path
 * component when that looks like a host (`localhost`, or contains `.` or `:`),
 * else Docker Hub, which is never insecure. Loopback registries (localhost,
 * 127.0.0.0/8, ::1) always count as insecure, as dockerd treats them; any other
 * host only when listed, with or without its port.
 */

/** The registry host (with port) a full reference pushes to. */
export function tagRegistry(tag: string): string {
  const slash = tag.indexOf("/");
  if (slash < 0) return "docker.io";
  const first = tag.slice(0, slash);
  return first === "localhost" || first.includes(".") || first.includes(":") ? first : "docker.io";
}

/** `host[:port]` without the port; IPv6 brackets removed. */
export function hostWithoutPort(registry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(registry);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const colon = registry.lastIndexOf(":");
  return colon >= 0 && registry.indexOf(":") === colon ? registry.slice(0, colon) : registry;
}

export function isLoopback(registry: string): boolean {
  const host = hostWithoutPort(registry).toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** True when pushes to `registry` go over plain HTTP. */
export function isInsecureRegistry(registry: string, insecureRegistries: readonly string[]): boolean {
  if (isLoopback(registry)) return true;
  const host = hostWithoutPort(registry).toLowerCase();
  return insecureRegistries.some((r) => {
    const listed = r.toLowerCase();
    return listed === registry.toLowerCase() || listed === host;
  });
}

/** True when any of `tags` pushes to an insecure registry. */
export function anyInsecure(tags: readonly string[], insecureRegistries: readonly string[]): boolean {
  return tags.some((t) => isInsecureRegistry(tagRegistry(t), insecureRegistries));
}
