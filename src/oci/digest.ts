/**
 * Content digests (OCI image spec, "Digests"): `algorithm:encoded`. reship
 * accepts the two registered algorithms, sha256 (64 lowercase hex digits) and
 * sha512 (128), and brands the string so a digest is never a bare `string`.
 * Computing a digest needs a hash function, which lives in src/registry.
 */
import { ReshipError } from "../errors.js";

declare const digestBrand: unique symbol;
/** A validated `sha256:<64 hex>` or `sha512:<128 hex>` string. */
export type Digest = string & { readonly [digestBrand]: true };

export type DigestAlgorithm = "sha256" | "sha512";

const hexLength: Readonly<Record<DigestAlgorithm, number>> = { sha256: 64, sha512: 128 };
const algorithmGrammar = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*$/;

/** The reason `input` is not a digest, or undefined when it is one. */
export function digestProblem(input: string): string | undefined {
  const colon = input.indexOf(":");
  if (colon <= 0) return "a digest is <algorithm>:<hex>, e.g. sha256:<64 hex digits>";
  const algorithm = input.slice(0, colon);
  const encoded = input.slice(colon + 1);
  if (!algorithmGrammar.test(algorithm)) return `"${algorithm}" is not an algorithm name`;
  const length = hexLength[algorithm as DigestAlgorithm] as number | undefined;
  if (length === undefined) return `unsupported algorithm "${algorithm}" (sha256 or sha512)`;
  if (!/^[a-f0-9]*$/.test(encoded)) return `the ${algorithm} hex part must be lowercase hex digits`;
  if (encoded.length !== length)
    return `a ${algorithm} digest has ${length} hex digits, not ${encoded.length}`;
  return undefined;
}

/** True when `input` is a valid digest. */
export function isDigest(input: string): input is Digest {
  return digestProblem(input) === undefined;
}

/** Parses a digest; throws INVALID_DIGEST naming what is wrong. */
export function parseDigest(input: string): Digest {
  const problem = digestProblem(input);
  if (problem !== undefined) throw new ReshipError("INVALID_DIGEST", `invalid digest "${input}": ${problem}`);
  return input as Digest;
}

/** Builds a digest from an algorithm and its hex encoding (validated). */
export function makeDigest(algorithm: DigestAlgorithm, hex: string): Digest {
  return parseDigest(`${algorithm}:${hex}`);
}

export function digestAlgorithm(digest: Digest): DigestAlgorithm {
  return digest.slice(0, digest.indexOf(":")) as DigestAlgorithm;
}

export function digestHex(digest: Digest): string {
  return digest.slice(digest.indexOf(":") + 1);
}
