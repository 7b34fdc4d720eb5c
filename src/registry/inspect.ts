/**
 * What `reship inspect` shows about an image: digest, media type, and per
 * platform the compressed size (sum of layer sizes), the revision label and
 * the creation time from the config. Attestation manifests in an index
 * (platform unknown/unknown) are counted but not listed as platforms.
 */
import {
  type Digest,
  type ImageManifest,
  type Platform,
  isAttestation,
  REVISION_LABEL,
  type Reference,
  type Repository,
  formatPlatform,
  imageSize,
  withDigest,
} from "../oci/index.js";
import type { RegistryClient } from "./client.js";
import { createLimit } from "./limit.js";
import type { FetchedManifest } from "./manifests.js";

export interface PlatformImage {
  /** `os/architecture[/variant]`, from the index entry or else the config. */
  readonly platform: string;
  readonly digest: Digest;
  readonly mediaType: string;
  /** Compressed size: the sum of the layer sizes. */
  readonly size: number;
  readonly revision: string | undefined;
  readonly created: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ImageInspection {
  readonly digest: Digest;
  readonly mediaType: string;
  readonly index: boolean;
  /** The manifest's exact bytes. */
  readonly bytes: Buffer;
  /** The manifest as fetched (bytes, descriptor, parsed), e.g. to put it under other tags. */
  readonly manifest: FetchedManifest;
  /** The distinct blobs (configs and layers) of its platform images, and their total size. */
  readonly blobs: { readonly count: number; readonly bytes: number };
  readonly platforms: readonly PlatformImage[];
  /** Manifests in an index that are not runnable images (attestations, signatures). */
  readonly attestations: number;
  /** The revision label when every platform agrees on it. */
  readonly revision: string | undefined;
  /** The creation time of the first platform. */
  readonly created: string | undefined;
  /** Compressed size over every platform. */
  readonly size: number;
}

async function describeImage(
  client: RegistryClient,
  repo: Repository,
  digest: Digest,
  manifest: ImageManifest,
  platform: Platform | undefined,
): Promise<PlatformImage> {
  const config = await client.getConfig(repo, manifest.config);
  const fromConfig =
    config.os && config.architecture
      ? formatPlatform({
          os: config.os,
          architecture: config.architecture,
          ...(config.variant ? { variant: config.variant } : {}),
        })
      : "unknown";
  return {
    platform: platform ? formatPlatform(platform) : fromConfig,
    digest,
    mediaType: manifest.mediaType,
    size: imageSize(manifest),
    revision: config.labels[REVISION_LABEL],
    created: config.created,
    labels: config.labels,
  };
}

/** Fetches `ref` and, for an index, each platform's manifest and config. */
export async function inspectImage(client: RegistryClient, ref: Reference): Promise<ImageInspection> {
  const top: FetchedManifest = await client.getManifest(ref);
  const repo = ref.repository;
  const blobs = new Map<string, number>();
  const addBlobs = (m: ImageManifest): void => {
    for (const d of [m.config, ...m.layers]) blobs.set(d.digest, d.size);
  };
  let platforms: PlatformImage[];
  let attestations = 0;
  if (top.manifest.kind === "manifest") {
    addBlobs(top.manifest);
    platforms = [await describeImage(client, repo, top.descriptor.digest, top.manifest, undefined)];
  } else {
    const limit = createLimit(4);
    const images = top.manifest.manifests.filter((d) => !isAttestation(d));
    attestations = top.manifest.manifests.length - images.length;
    platforms = await Promise.all(
      images.map((child) =>
        limit(async () => {
          const fetched = await client.getManifest(withDigest(repo, child.digest));
          if (fetched.manifest.kind !== "manifest") {
            return {
              platform: "index",
              digest: child.digest,
              mediaType: child.mediaType,
              size: 0,
              revision: undefined,
              created: undefined,
              labels: {},
            };
          }
          addBlobs(fetched.manifest);
          return describeImage(client, repo, child.digest, fetched.manifest, child.platform);
        }),
      ),
    );
  }
  const revisions = new Set(platforms.map((p) => p.revision));
  return {
    digest: top.descriptor.digest,
    mediaType: top.descriptor.mediaType,
    index: top.manifest.kind === "index",
    bytes: top.bytes,
    manifest: top,
    blobs: { count: blobs.size, bytes: [...blobs.values()].reduce((sum, size) => sum + size, 0) },
    platforms,
    attestations,
    revision: revisions.size === 1 ? platforms[0]?.revision : undefined,
    created: platforms[0]?.created,
    size: platforms.reduce((sum, p) => sum + p.size, 0),
  };
}
