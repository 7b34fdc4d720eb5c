/**
 * Cache specs as buildx writes them (`type=registry,ref=r/app:cache,mode=max`,
 * `type=gha,scope=prod`, `type=inline`, or a bare reference meaning
 * `type=registry,ref=...`), and what each back end can do with them. buildx
 * takes them as they are; docker build and buildah understand only registry
 * references (and docker build the inline cache), so the rest become warnings.
 */

export interface CacheSpec {
  readonly type: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** The spec as written. */
  readonly raw: string;
}

/** Parses one spec. A value without `=` is a bare registry reference. */
export function parseCacheSpec(raw: string): CacheSpec {
  if (!raw.includes("=")) return { type: "registry", attrs: { ref: raw }, raw };
  const attrs: Record<string, string> = {};
  for (const part of raw.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) attrs[part.trim()] = "";
    else attrs[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { type: attrs["type"] ?? "registry", attrs, raw };
}

/** The registry reference of a `type=registry` spec, else undefined. */
export function registryCacheRef(spec: CacheSpec): string | undefined {
  return spec.type === "registry" ? spec.attrs["ref"] : undefined;
}

export function isInlineCache(spec: CacheSpec): boolean {
  return spec.type === "inline";
}

export function unsupportedCache(builder: string, direction: "from" | "to", spec: CacheSpec): string {
  return `${builder} cannot use --cache-${direction} ${spec.raw}; ignored (docker buildx supports it)`;
}
