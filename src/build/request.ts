/**
 * Checks a build request before any builder runs, so a request no back end
 * could honour fails as a usage error without a process started.
 */
import { isAbsolute, join } from "node:path";
import { ReshipError } from "../errors.js";
import type { BuildRequest } from "./types.js";

export function checkRequest(request: BuildRequest): void {
  if (request.context === "") throw new ReshipError("USAGE", "build request has an empty context directory");
  if (request.tags.length === 0) throw new ReshipError("USAGE", "build request has no tag to push");
  for (const tag of request.tags) {
    if (tag === "" || /\s/.test(tag))
      throw new ReshipError("INVALID_REFERENCE", `build tag ${JSON.stringify(tag)} is not a reference`);
  }
  for (const [key] of Object.entries(request.buildArgs)) {
    if (key === "" || key.includes("="))
      throw new ReshipError("USAGE", `build argument name ${JSON.stringify(key)} is invalid`);
  }
  for (const [key] of Object.entries(request.labels)) {
    if (key === "" || key.includes("="))
      throw new ReshipError("USAGE", `label name ${JSON.stringify(key)} is invalid`);
  }
}

/** The Dockerfile path to pass with --file: relative ones are relative to the context. */
export function dockerfilePath(request: BuildRequest): string | undefined {
  const file = request.dockerfile;
  if (file === undefined) return undefined;
  return isAbsolute(file) ? file : join(request.context, file);
}

/** `K=V` pairs in a stable order (insertion order), for argv. */
export function pairs(record: Readonly<Record<string, string>>): string[] {
  return Object.entries(record).map(([k, v]) => `${k}=${v}`);
}

/** True when the request asks for provenance attestations (`false`, as a flag or text, does not). */
export function wantsProvenance(request: BuildRequest): boolean {
  return request.provenance !== undefined && request.provenance !== false && request.provenance !== "false";
}
