/** reship's own version: inlined by the bundler, read from package.json when run from source. */
import { readFileSync } from "node:fs";

declare const __RESHIP_VERSION__: string | undefined;

export function reshipVersion(): string {
  if (typeof __RESHIP_VERSION__ === "string") return __RESHIP_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
