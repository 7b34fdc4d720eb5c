/**
 * Copying an image or index between repositories and registries, keeping its
 * digest: manifests are written as their exact bytes, children before the
 * index that lists them, blobs before the manifest that needs them.
 *
 * How blobs move depends on where the destination is:
 * - the same repository: they are already there; only the manifest is PUT;
 * - another repository of the same registry: each blob is mounted (no bytes
 *   move), falling back to an upload when the registry declines (202/error);
 * - another registry: blobs missing there (HEAD) are streamed from the source
 *   into the upload, `concurrency` at a time, so memory stays bounded.
 * A destination tag that already has the digest makes the copy a no-op.
 */
import { PassThrough, pipeline } from "node:stream";
import type { Readable } from "node:stream";
import { ReshipError } from "../errors.js";
import {
  DOCKER_FOREIGN_LAYER,
  type Descriptor,
  type Digest,
  type Reference,
  type Repository,
  formatReference,
  manifestReferences,
  sameRegistry,
  sameRepository,
  withDigest,
} from "../oci/index.js";
import type { RegistryClient } from "./client.js";
import { createLimit, type Limit } from "./limit.js";
import type { FetchedManifest } from "./manifests.js";

export type CopyProgress =
  | {
      readonly kind: "blob";
      readonly digest: Digest;
      readonly size: number;
      readonly action: "mounted" | "uploaded" | "skipped";
    }
  | {
      readonly kind: "manifest";
      readonly digest: Digest;
      readonly reference: Reference;
      readonly action: "written" | "skipped";
    };

export interface CopyOptions {
  /** Blobs copied at once. Default 4. */
  readonly concurrency?: number;
  /** Called as each blob and manifest is done. Default: nothing. */
  readonly onProgress?: (event: CopyProgress) => void;
  /** The client for the destination (other credentials or settings). Default: the source client. */
  readonly dstClient?: RegistryClient;
  /** Upload blobs in PATCH chunks of this size. Default: one streamed PUT per blob. */
  readonly chunkSize?: number;
}

export interface CopyResult {
  readonly source: Reference;
  readonly destination: Reference;
  readonly digest: Digest;
  readonly mediaType: string;
  /** True when the destination already had the digest: nothing was written. */
  readonly unchanged: boolean;
  /** Manifests written (the top one and each child). */
  readonly manifests: number;
  readonly blobs: {
    readonly mounted: number;
    readonly uploaded: number;
    /** Already at the destination. */
    readonly skipped: number;
    readonly bytesUploaded: number;
  };
}

/** Foreign (non-distributable) layers live elsewhere and are never copied. */
function isForeign(descriptor: Descriptor): boolean {
  return descriptor.mediaType === DOCKER_FOREIGN_LAYER || descriptor.mediaType.includes("nondistributable");
}

class Copier {
  manifests = 0;
  mounted = 0;
  uploaded = 0;
  skipped = 0;
  bytesUploaded = 0;
  private readonly blobs = new Map<Digest, Promise<void>>();
  private readonly children = new Map<Digest, Promise<void>>();
  private readonly limit: Limit;

  constructor(
    private readonly src: RegistryClient,
    private readonly dst: RegistryClient,
    private readonly from: Repository,
    private readonly to: Repository,
    private readonly options: CopyOptions,
  ) {
    this.limit = createLimit(options.concurrency ?? 4);
  }

  /** Copies what `fetched` points to, then PUTs it as `target`. */
  async copyManifest(fetched: FetchedManifest, target: Reference): Promise<void> {
    if (!sameRepository(this.from, this.to)) {
      if (fetched.manifest.kind === "index") {
        await Promise.all(fetched.manifest.manifests.map((child) => this.copyChild(child)));
      } else {
        await Promise.all(manifestReferences(fetched.manifest).map((blob) => this.copyBlob(blob)));
      }
    }
    await this.dst.putManifest(target, fetched.bytes, fetched.descriptor.mediaType);
    this.manifests++;
    this.options.onProgress?.({
      kind: "manifest",
      digest: fetched.descriptor.digest,
      reference: target,
      action: "written",
    });
  }

  private copyChild(child: Descriptor): Promise<void> {
    let done = this.children.get(child.digest);
    if (!done) {
      done = (async () => {
        const target = withDigest(this.to, child.digest);
        if (await this.dst.headManifest(target, { confirmNotFound: false })) {
          this.options.onProgress?.({
            kind: "manifest",
            digest: child.digest,
            reference: target,
            action: "skipped",
          });
          return;
        }
        const fetched = await this.src.getManifest(withDigest(this.from, child.digest));
        await this.copyManifest(fetched, target);
      })();
      this.children.set(child.digest, done);
    }
    return done;
  }

  private copyBlob(blob: Descriptor): Promise<void> {
    if (isForeign(blob)) return Promise.resolve();
    let done = this.blobs.get(blob.digest);
    if (!done) {
      done = this.limit(() => this.moveBlob(blob));
      this.blobs.set(blob.digest, done);
    }
    return done;
  }

  private async moveBlob(blob: Descriptor): Promise<void> {
    let location: URL | undefined;
    if (sameRegistry(this.from, this.to)) {
      const outcome = await this.dst.tryMountBlob(this.to, blob.digest, this.from);
      if (outcome.mounted) {
        this.mounted++;
        this.options.onProgress?.({ kind: "blob", digest: blob.digest, size: blob.size, action: "mounted" });
        return;
      }
      location = outcome.location;
    } else if (await this.dst.headBlob(this.to, blob.digest)) {
      this.skipped++;
      this.options.onProgress?.({ kind: "blob", digest: blob.digest, size: blob.size, action: "skipped" });
      return;
    }
    await this.dst.uploadBlob(this.to, blob.digest, blob.size, () => this.openSource(blob), {
      ...(location ? { location } : {}),
      ...(this.options.chunkSize !== undefined ? { chunkSize: this.options.chunkSize } : {}),
    });
    this.uploaded++;
    this.bytesUploaded += blob.size;
    this.options.onProgress?.({ kind: "blob", digest: blob.digest, size: blob.size, action: "uploaded" });
  }

  /** A stream of the source blob, opened synchronously as the upload's body factory requires. */
  private openSource(blob: Descriptor): Readable {
    const out = new PassThrough();
    this.src.getBlob(this.from, blob.digest, blob.size).then(
      (stream) => pipeline(stream, out, () => undefined),
      (err: unknown) => out.destroy(err as Error),
    );
    return out;
  }
}

/**
 * Copies `src` (an image or an index with all its children) to `dst`. The
 * destination digest equals the source's; a `dst` naming another digest is
 * refused before anything is written.
 */
export async function copyImage(
  client: RegistryClient,
  src: Reference,
  dst: Reference,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const dstClient = options.dstClient ?? client;
  const top = await client.getManifest(src);
  const { digest, mediaType } = top.descriptor;
  if (dst.digest !== undefined && dst.digest !== digest) {
    throw new ReshipError(
      "USAGE",
      `cannot copy ${formatReference(src)} (${digest}) to ${formatReference(dst)}: the destination names another digest`,
    );
  }
  const target = dst.tag === undefined ? withDigest(dst.repository, digest) : dst;
  const copier = new Copier(client, dstClient, src.repository, dst.repository, options);
  const existing = await dstClient.headManifest(target, { confirmNotFound: false });
  const unchanged = existing?.digest === digest;
  if (!unchanged) await copier.copyManifest(top, target);
  return {
    source: src,
    destination: target,
    digest,
    mediaType,
    unchanged,
    manifests: copier.manifests,
    blobs: {
      mounted: copier.mounted,
      uploaded: copier.uploaded,
      skipped: copier.skipped,
      bytesUploaded: copier.bytesUploaded,
    },
  };
}
