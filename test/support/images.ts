/**
 * Deterministic test images, built in code and pushed without reship's client:
 * this module writes an OCI image layout (oci-layout, index.json, blobs/sha256;
 * for Docker media types skopeo's "dir" layout) from a spec and skopeo copies
 * it to a harness registry with --preserve-digests. The same spec gives
 * the same bytes, hence the same digests.
 *
 * Defaults: 2 layers of 1024 bytes, seed "reship-test", platform linux/amd64,
 * OCI media types, uncompressed layers, `created` 1970-01-01T00:00:00Z.
 * Each layer is a tar holding one file of pseudo-random bytes (AES-256-CTR
 * keystream keyed by seed, platform and layer index), streamed to disk so a
 * layer of any size takes bounded memory. More than one platform gives an OCI
 * index (a Docker manifest list with format "docker") with one image each.
 */
import { createCipheriv, createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import type { TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { TestRegistry } from "./registry.js";
import { sha256Digest, skopeoCopyTo, skopeoInspectRaw } from "./skopeo.js";
import { tarHeader, tarTrailer } from "./tar.js";

export interface TestImageSpec {
  /** Default 2. */
  layers?: number;
  /** Bytes of pseudo-random content per layer (before tar framing); default 1024. */
  layerSize?: number;
  /** Same seed, same bytes, same digests; default "reship-test". */
  seed?: string;
  /** Config labels, e.g. org.opencontainers.image.revision. */
  labels?: Record<string, string>;
  /** Config `created`; default 1970-01-01T00:00:00Z. */
  created?: string;
  /** Default ["linux/amd64"]; more than one gives an index / manifest list. */
  platforms?: string[];
  /** Media types; default oci. */
  format?: "oci" | "docker";
  /** Layer compression; default none (plain tar). */
  compression?: "none" | "gzip";
}

export interface PushedImage {
  /** host/repo:tag */
  ref: string;
  digest: string;
  mediaType: string;
  /** The manifest (or index) bytes as the registry serves them. */
  manifestBytes: Buffer;
  /** Every layer of every platform, in manifest order. */
  layerDigests: string[];
  /** Sum of layer blob sizes (as stored) over every platform. */
  totalLayerBytes: number;
  /** Config digests, one per platform. */
  configDigests: string[];
  /** Child manifests of an index (empty for a single image). */
  children: { digest: string; platform: string; bytes: Buffer }[];
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string };
}

export interface LayoutImage {
  /** The layout directory. */
  dir: string;
  /** The skopeo image name of it: `oci:<dir>:image`, or `dir:<dir>` for format docker. */
  source: string;
  top: Descriptor;
  topBytes: Buffer;
  layerDigests: string[];
  totalLayerBytes: number;
  configDigests: string[];
  children: { digest: string; platform: string; bytes: Buffer }[];
}

const MEDIA = {
  oci: {
    manifest: "application/vnd.oci.image.manifest.v1+json",
    index: "application/vnd.oci.image.index.v1+json",
    config: "application/vnd.oci.image.config.v1+json",
    layer: {
      none: "application/vnd.oci.image.layer.v1.tar",
      gzip: "application/vnd.oci.image.layer.v1.tar+gzip",
    },
  },
  docker: {
    manifest: "application/vnd.docker.distribution.manifest.v2+json",
    index: "application/vnd.docker.distribution.manifest.list.v2+json",
    config: "application/vnd.docker.container.image.v1+json",
    layer: {
      none: "application/vnd.docker.image.rootfs.diff.tar",
      gzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
    },
  },
} as const;

function parsePlatform(platform: string): { architecture: string; os: string; variant?: string } {
  const [os, architecture, variant] = platform.split("/");
  if (os === undefined || architecture === undefined || os === "" || architecture === "") {
    throw new Error(`test image platform "${platform}" is not os/arch[/variant]`);
  }
  return variant === undefined ? { architecture, os } : { architecture, os, variant };
}

/** A pass-through stream that hashes and counts what flows through it. */
class Tap extends Transform {
  readonly hash = createHash("sha256");
  size = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }
}

/** The tar of one file of `size` keystream bytes, in 1 MiB chunks. */
function* layerTar(key: string, size: number, fileName: string): Generator<Buffer> {
  yield tarHeader(fileName, size);
  const cipher = createCipheriv("aes-256-ctr", createHash("sha256").update(key).digest(), Buffer.alloc(16));
  const zeros = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= zeros.length) {
    yield cipher.update(zeros.subarray(0, Math.min(left, zeros.length)));
  }
  yield tarTrailer(size);
}

/** Streams one layer blob to disk; returns its descriptor and diff_id. */
async function writeLayer(
  blobs: string,
  key: string,
  size: number,
  fileName: string,
  media: string,
  gzip: boolean,
): Promise<{ descriptor: Descriptor; diffId: string }> {
  const temp = join(blobs, `.partial-${createHash("sha256").update(key).digest("hex")}`);
  const uncompressed = new Tap();
  const stored = gzip ? new Tap() : uncompressed;
  const stages = gzip ? [uncompressed, createGzip({ level: 1 }), stored] : [uncompressed];
  await pipeline([Readable.from(layerTar(key, size, fileName)), ...stages, createWriteStream(temp)]);
  const hex = stored.hash.digest("hex");
  const diffId = gzip ? `sha256:${uncompressed.hash.digest("hex")}` : `sha256:${hex}`;
  await rename(temp, join(blobs, hex));
  return { descriptor: { mediaType: media, digest: `sha256:${hex}`, size: stored.size }, diffId };
}

async function writeBlob(blobs: string, bytes: Buffer, mediaType: string): Promise<Descriptor> {
  const digest = sha256Digest(bytes);
  await writeFile(join(blobs, digest.slice("sha256:".length)), bytes);
  return { mediaType, digest, size: bytes.length };
}

/**
 * Writes the spec's image in `dir` (created if missing): an OCI layout, or for
 * format "docker" a skopeo "dir" layout.
 */
export async function writeTestImageLayout(dir: string, spec: TestImageSpec = {}): Promise<LayoutImage> {
  const format = spec.format ?? "oci";
  const compression = spec.compression ?? "none";
  const media = MEDIA[format];
  const platforms = spec.platforms ?? ["linux/amd64"];
  const seed = spec.seed ?? "reship-test";
  const layerCount = spec.layers ?? 2;
  const layerSize = spec.layerSize ?? 1024;
  if (platforms.length === 0) throw new Error("test image spec: platforms must not be empty");
  const blobs = format === "oci" ? join(dir, "blobs", "sha256") : dir;
  await mkdir(blobs, { recursive: true });
  if (format === "oci")
    await writeFile(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));

  const images: { descriptor: Descriptor; bytes: Buffer; platform: string }[] = [];
  const layerDigests: string[] = [];
  const configDigests: string[] = [];
  let totalLayerBytes = 0;
  for (const platform of platforms) {
    const p = parsePlatform(platform);
    const layers: Descriptor[] = [];
    const diffIds: string[] = [];
    for (let i = 0; i < layerCount; i++) {
      const layer = await writeLayer(
        blobs,
        `${seed}/${platform}/${i}`,
        layerSize,
        `layer-${i}.bin`,
        media.layer[compression],
        compression === "gzip",
      );
      layers.push(layer.descriptor);
      diffIds.push(layer.diffId);
      layerDigests.push(layer.descriptor.digest);
      totalLayerBytes += layer.descriptor.size;
    }
    const config = {
      created: spec.created ?? "1970-01-01T00:00:00Z",
      architecture: p.architecture,
      ...(p.variant === undefined ? {} : { variant: p.variant }),
      os: p.os,
      config: { Labels: spec.labels ?? {} },
      rootfs: { type: "layers", diff_ids: diffIds },
      history: diffIds.map((_, i) => ({
        created: spec.created ?? "1970-01-01T00:00:00Z",
        created_by: `layer ${i}`,
      })),
    };
    const configDescriptor = await writeBlob(blobs, Buffer.from(JSON.stringify(config)), media.config);
    configDigests.push(configDescriptor.digest);
    const manifest = { schemaVersion: 2, mediaType: media.manifest, config: configDescriptor, layers };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const descriptor = await writeBlob(blobs, bytes, media.manifest);
    images.push({ descriptor: { ...descriptor, platform: p }, bytes, platform });
  }

  let top: Descriptor;
  let topBytes: Buffer;
  const only = images[0];
  if (images.length === 1 && only !== undefined) {
    const { platform: _platform, ...plain } = only.descriptor;
    top = plain;
    topBytes = only.bytes;
  } else {
    const index = { schemaVersion: 2, mediaType: media.index, manifests: images.map((i) => i.descriptor) };
    topBytes = Buffer.from(JSON.stringify(index));
    top = await writeBlob(blobs, topBytes, media.index);
  }
  let source: string;
  if (format === "oci") {
    const refName = "image";
    await writeFile(
      join(dir, "index.json"),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ ...top, annotations: { "org.opencontainers.image.ref.name": refName } }],
      }),
    );
    source = `oci:${dir}:${refName}`;
  } else {
    // skopeo 1.9's OCI layout reader only finds OCI media types, so Docker
    // images go through its "dir" transport (version 1.1): blobs named by hex,
    // the top manifest in manifest.json, each child in <hex>.manifest.json.
    await writeFile(join(dir, "version"), "Directory Transport Version: 1.1\n");
    await writeFile(join(dir, "manifest.json"), topBytes);
    for (const image of images.length > 1 ? images : []) {
      await writeFile(
        join(dir, `${image.descriptor.digest.slice("sha256:".length)}.manifest.json`),
        image.bytes,
      );
    }
    source = `dir:${dir}`;
  }
  return {
    dir,
    source,
    top,
    topBytes,
    layerDigests,
    totalLayerBytes,
    configDigests,
    children:
      images.length === 1
        ? []
        : images.map((i) => ({ digest: i.descriptor.digest, platform: i.platform, bytes: i.bytes })),
  };
}

/**
 * Builds the spec's image and pushes it to `registry` as `repoAndTag`
 * (e.g. "team/app:sha-1234567") with skopeo, then reads the manifest back and
 * checks its digest is the one built.
 */
export async function pushTestImage(
  registry: TestRegistry,
  repoAndTag: string,
  spec: TestImageSpec = {},
): Promise<PushedImage> {
  const dir = await mkdtemp(join(tmpdir(), "reship-image-"));
  try {
    const image = await writeTestImageLayout(dir, spec);
    await skopeoCopyTo(registry, image.source, repoAndTag);
    const served = await skopeoInspectRaw(registry, repoAndTag);
    if (served.digest !== image.top.digest) {
      throw new Error(
        `pushed ${repoAndTag} as ${image.top.digest} but ${registry.host} serves ${served.digest}: skopeo rewrote the manifest`,
      );
    }
    return {
      ref: `${registry.host}/${repoAndTag}`,
      digest: served.digest,
      mediaType: image.top.mediaType,
      manifestBytes: served.bytes,
      layerDigests: image.layerDigests,
      totalLayerBytes: image.totalLayerBytes,
      configDigests: image.configDigests,
      children: image.children,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
