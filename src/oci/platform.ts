/**
 * Platforms (OCI image index, "platform" object): os/architecture[/variant].
 * Matching normalizes the usual aliases (x86_64 → amd64, aarch64 → arm64) and
 * treats arm64 without a variant as arm64/v8, as containerd does.
 */
import { ReshipError } from "../errors.js";

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  readonly "os.version"?: string;
  readonly "os.features"?: readonly string[];
}

const architectureAliases: Readonly<Record<string, string>> = {
  x86_64: "amd64",
  "x86-64": "amd64",
  aarch64: "arm64",
  armhf: "arm",
  armel: "arm",
  i386: "386",
};

const componentGrammar = /^[a-z0-9_.-]+$/;

/** Parses `os/architecture[/variant]`, e.g. `linux/arm64/v8`. Throws USAGE. */
export function parsePlatform(input: string): Platform {
  const parts = input.trim().toLowerCase().split("/");
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new ReshipError(
      "USAGE",
      `invalid platform "${input}": expected os/architecture[/variant], e.g. linux/arm64`,
    );
  }
  for (const part of parts) {
    if (!componentGrammar.test(part))
      throw new ReshipError("USAGE", `invalid platform "${input}": bad part "${part}"`);
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/** `os/architecture[/variant]`. */
export function formatPlatform(platform: Platform): string {
  const base = `${platform.os}/${platform.architecture}`;
  return platform.variant ? `${base}/${platform.variant}` : base;
}

/** The platform with aliases resolved and the default arm64 variant filled in. */
export function normalizePlatform(platform: Platform): Platform {
  const architecture = architectureAliases[platform.architecture] ?? platform.architecture;
  const variant = platform.variant || (architecture === "arm64" ? "v8" : undefined);
  return variant === undefined
    ? { os: platform.os, architecture }
    : { os: platform.os, architecture, variant };
}

/** True when `have` satisfies `want` (a missing variant in `want` matches any variant). */
export function platformMatches(want: Platform, have: Platform): boolean {
  const w = normalizePlatform(want);
  const h = normalizePlatform(have);
  if (w.os !== h.os || w.architecture !== h.architecture) return false;
  return !want.variant || w.variant === h.variant;
}
