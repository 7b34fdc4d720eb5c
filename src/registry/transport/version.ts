/** reship's version for the User-Agent: inlined by the bundler, else read from package.json. */
import { readFileSync } from "node:fs";

declare const __RESHIP_VERSION__: string | undefined;

let cached: string | undefined;

export function reshipVersionFallback(): string {
  if (cached !== undefined) return cached;
  if (typeof __RESHIP_VERSION__ === "string") return (cached = __RESHIP_VERSION__);
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version?: string;
    };
    cached = pkg.version ?? "dev";
  } catch {
    cached = "dev";
  }
  return cached;
}
