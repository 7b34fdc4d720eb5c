/**
 * Image references, in Docker's grammar (distribution/reference):
 *
 *   [registry/]path[:tag][@digest]
 *
 * Defaulting rules, all here and nowhere else:
 * - The first path component names a registry when it is `localhost`, holds a
 *   `.` or a `:` (host:port), or has an uppercase letter; otherwise the
 *   registry is Docker Hub, written `docker.io`.
 * - On Docker Hub a one-component path gets `library/` (official images).
 *   `index.docker.io` is an old name of `docker.io`.
 * - Requests to Docker Hub go to `registry-1.docker.io` (`Repository.host`);
 *   `docker.io` stays the display name (`Repository.registry`).
 * - With neither tag nor digest the tag is `latest`. With a digest the digest
 *   identifies the manifest and a tag, if also given, is informational.
 *
 * Limits: path components are lowercase `[a-z0-9]+` joined by `.`, `_`, `__`
 * or dashes, the path at most 255 characters; a tag is
 * `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`; a digest is sha256 or sha512.
 */
import { ReshipError } from "../errors.js";
import { type Digest, digestProblem, isDigest } from "./digest.js";

export const DOCKER_HUB = "docker.io";
export const DOCKER_HUB_HOST = "registry-1.docker.io";
export const DEFAULT_TAG = "latest";
export const MAX_PATH_LENGTH = 255;

declare const repositoryBrand: unique symbol;
declare const referenceBrand: unique symbol;

/** A repository in a registry, normalized. */
export interface Repository {
  readonly [repositoryBrand]: true;
  /** The registry as people write it: `docker.io`, `ghcr.io`, `localhost:5000`. */
  readonly registry: string;
  /** Where requests go (host or host:port): `registry-1.docker.io` for Docker Hub. */
  readonly host: string;
  /** The repository path, e.g. `library/nginx`, `acme/app`. */
  readonly path: string;
}

/** A repository plus a tag, a digest, or both (never neither). */
export interface Reference {
  readonly [referenceBrand]: true;
  readonly repository: Repository;
  readonly tag: string | undefined;
  readonly digest: Digest | undefined;
}

const tagGrammar = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const pathComponentGrammar = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domainGrammar =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;

const TAG_RULE = "a tag is [A-Za-z0-9_][A-Za-z0-9._-]{0,127}";
const PATH_RULE =
  "a repository path is lowercase letters and digits, separated by '/', and within a component by '.', '_', '__' or dashes";

/** An error naming the bad part, where it was, and the rule it broke. */
function invalid(input: string, part: string, rule?: string): ReshipError {
  return new ReshipError(
    "INVALID_REFERENCE",
    `${part} in "${input}"${rule === undefined ? "" : `: ${rule}`}`,
  );
}

export function isValidTag(tag: string): boolean {
  return tagGrammar.test(tag);
}

/** The host requests for a registry go to. */
export function registryHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_HOST : registry;
}

/** Splits a name into registry and path, applying the defaulting rules. */
function splitName(name: string): { registry: string; path: string } {
  const slash = name.indexOf("/");
  const first = slash === -1 ? "" : name.slice(0, slash);
  const isRegistry =
    slash !== -1 &&
    (first === "localhost" || first.includes(".") || first.includes(":") || first !== first.toLowerCase());
  let registry = isRegistry ? first : DOCKER_HUB;
  let path = isRegistry ? name.slice(slash + 1) : name;
  if (registry === "index.docker.io") registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !path.includes("/")) path = `library/${path}`;
  return { registry, path };
}

function checkName(input: string, name: string): { registry: string; path: string } {
  if (name === "") throw invalid(input, "missing repository name");
  const { registry, path } = splitName(name);
  if (!domainGrammar.test(registry))
    throw invalid(
      input,
      `invalid registry "${registry}"`,
      "a registry is a host name or IP address, with an optional :port",
    );
  if (path.length > MAX_PATH_LENGTH) {
    throw invalid(input, `repository path of ${path.length} characters`, `at most ${MAX_PATH_LENGTH}`);
  }
  for (const component of path.split("/")) {
    if (component === "") throw invalid(input, "empty repository path component");
    if (!pathComponentGrammar.test(component)) {
      const why = component !== component.toLowerCase() ? "repository names must be lowercase" : PATH_RULE;
      throw invalid(input, `invalid repository path component "${component}"`, why);
    }
  }
  return { registry, path };
}

function makeRepository(registry: string, path: string): Repository {
  return { registry, host: registryHost(registry), path } as Repository;
}

/** Parses `[registry/]path` (no tag, no digest). Throws INVALID_REFERENCE. */
export function parseRepository(input: string): Repository {
  if (input.includes("@")) throw invalid(input, "a repository name has no digest");
  const lastSlash = input.lastIndexOf("/");
  if (input.indexOf(":", lastSlash + 1) !== -1) throw invalid(input, "a repository name has no tag");
  const { registry, path } = checkName(input, input);
  return makeRepository(registry, path);
}

/** Parses `[registry/]path[:tag][@digest]`. Throws INVALID_REFERENCE naming the bad part. */
export function parseReference(input: string): Reference {
  if (input === "") throw new ReshipError("INVALID_REFERENCE", "empty image reference");
  let rest = input;
  let digest: Digest | undefined;
  const at = input.indexOf("@");
  if (at !== -1) {
    const digestText = input.slice(at + 1);
    rest = input.slice(0, at);
    if (!isDigest(digestText)) {
      throw invalid(input, `invalid digest "${digestText}"`, digestProblem(digestText));
    }
    digest = digestText;
  }
  let tag: string | undefined;
  const colon = rest.indexOf(":", rest.lastIndexOf("/") + 1);
  if (colon !== -1) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagGrammar.test(tag)) throw invalid(input, `invalid tag "${tag}"`, TAG_RULE);
  }
  const { registry, path } = checkName(input, rest);
  if (tag === undefined && digest === undefined) tag = DEFAULT_TAG;
  return { repository: makeRepository(registry, path), tag, digest } as Reference;
}

/** A reference to `tag` in `repository`. Throws INVALID_REFERENCE for a bad tag. */
export function withTag(repository: Repository, tag: string): Reference {
  if (!tagGrammar.test(tag)) {
    throw invalid(`${formatRepository(repository)}:${tag}`, `invalid tag "${tag}"`, TAG_RULE);
  }
  return { repository, tag, digest: undefined } as Reference;
}

/** A reference to the manifest `digest` in `repository`. */
export function withDigest(repository: Repository, digest: Digest): Reference {
  return { repository, tag: undefined, digest } as Reference;
}

/** `registry/path`, e.g. `docker.io/library/nginx`. */
export function formatRepository(repository: Repository): string {
  return `${repository.registry}/${repository.path}`;
}

/** `registry/path[:tag][@digest]`; parseReference(formatReference(r)) equals r. */
export function formatReference(reference: Reference): string {
  const tag = reference.tag === undefined ? "" : `:${reference.tag}`;
  const digest = reference.digest === undefined ? "" : `@${reference.digest}`;
  return `${formatRepository(reference.repository)}${tag}${digest}`;
}

/** What goes after `/manifests/` on the wire: the digest when there is one, else the tag. */
export function manifestIdentifier(reference: Reference): string {
  return reference.digest ?? reference.tag ?? DEFAULT_TAG;
}

export function sameRegistry(a: Repository, b: Repository): boolean {
  return a.host.toLowerCase() === b.host.toLowerCase();
}

export function sameRepository(a: Repository, b: Repository): boolean {
  return sameRegistry(a, b) && a.path === b.path;
}
