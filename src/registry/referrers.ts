/**
 * Referrers (OCI distribution spec 1.1, "Listing Referrers"): signatures,
 * SBOMs and attestations whose `subject` is a manifest. Registries without
 * the API (distribution 2.8 among them) answer 404, 400 or 406, or something
 * that is not an index; then the fallback tag schema is read: an index
 * tagged `<alg>-<hex>` ("Referrers Tag Schema").
 */
import {
  type Descriptor,
  type Digest,
  OCI_INDEX,
  type Repository,
  digestAlgorithm,
  digestHex,
  normalizeMediaType,
  parseManifest,
  withTag,
} from "../oci/index.js";
import { registryErrorFromResponse } from "./errors.js";
import { fetchManifest } from "./manifests.js";
import { DOCUMENT_LIMIT, readBody } from "./read-body.js";
import { discard } from "./transport/body.js";
import type { Transport } from "./transport/index.js";
import { apiUrl, pullScope } from "./urls.js";

export interface ReferrersOptions {
  /** Only referrers of this artifact type. Default: all. */
  readonly artifactType?: string;
}

const NO_API = new Set([400, 404, 405, 406]);

/**
 * The fallback tag of a subject digest: `<alg>-<hex>`, each part sanitized to
 * tag characters and truncated (algorithm to 32, hex to 64 characters).
 */
export function referrersTag(digest: Digest): string {
  const clean = (s: string, max: number) => s.replace(/[^a-zA-Z0-9._-]/g, "-").slice(0, max);
  return `${clean(digestAlgorithm(digest), 32)}-${clean(digestHex(digest), 64)}`;
}

function filter(descriptors: readonly Descriptor[], artifactType: string | undefined): Descriptor[] {
  return artifactType === undefined
    ? [...descriptors]
    : descriptors.filter((d) => d.artifactType === artifactType);
}

export async function listReferrers(
  transport: Transport,
  repo: Repository,
  digest: Digest,
  options: ReferrersOptions = {},
): Promise<Descriptor[]> {
  const url = apiUrl(repo, `referrers/${digest}`);
  if (options.artifactType !== undefined)
    url.search = `?artifactType=${encodeURIComponent(options.artifactType)}`;
  const response = await transport({
    method: "GET",
    url,
    headers: { accept: OCI_INDEX },
    idempotent: true,
    scopes: [pullScope(repo)],
  });
  const type = normalizeMediaType(response.headers["content-type"] ?? "");
  if (response.status === 200 && type === OCI_INDEX) {
    const bytes = await readBody(response.body, DOCUMENT_LIMIT, `referrers of ${digest}`);
    const index = parseManifest(bytes, type);
    const manifests = index.kind === "index" ? index.manifests : [];
    const applied = (response.headers["oci-filters-applied"] ?? "").split(",").map((s) => s.trim());
    return applied.includes("artifactType") ? [...manifests] : filter(manifests, options.artifactType);
  }
  if (response.status !== 200 && !NO_API.has(response.status)) {
    throw await registryErrorFromResponse("GET", url, response);
  }
  discard(response.body);
  const fetched = await fetchManifest(transport, withTag(repo, referrersTag(digest)));
  if (!fetched || fetched.manifest.kind !== "index") return [];
  return filter(fetched.manifest.manifests, options.artifactType);
}
