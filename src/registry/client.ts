/**
 * The registry client: one object per set of transport settings, with a
 * method per distribution API operation. Each method is a thin call into the
 * module that implements it (manifests, blobs, upload, tags, referrers), so
 * those stay small and testable one by one.
 */
import type { Readable } from "node:stream";
import { ReshipError } from "../errors.js";
import {
  type ArtifactSpec,
  type Descriptor,
  type Digest,
  type ImageConfig,
  type Reference,
  type Repository,
  parseImageConfig,
} from "../oci/index.js";
import { tryMountBlob, getBlob, headBlob, type MountOutcome } from "./blobs.js";
import {
  fetchManifest,
  getManifest,
  headManifest,
  putManifest,
  type FetchedManifest,
  type HeadManifestOptions,
} from "./manifests.js";
import { DOCUMENT_LIMIT, readBody } from "./read-body.js";
import { pushReferrer, type PushedReferrer } from "./referrer-push.js";
import { listReferrers, type ReferrersOptions } from "./referrers.js";
import { listTags, type ListTagsOptions } from "./tags.js";
import { createTransport, type Transport, type TransportOptions } from "./transport/index.js";
import { uploadBlob, type UploadOptions } from "./upload.js";

export interface RegistryClientOptions {
  /** The transport to use. Default: createTransport(transportOptions). */
  readonly transport?: Transport;
  /** Settings for the default transport; ignored when `transport` is given. Default: {}. */
  readonly transportOptions?: TransportOptions;
}

export class RegistryClient {
  readonly transport: Transport;

  constructor(options: RegistryClientOptions = {}) {
    this.transport = options.transport ?? createTransport(options.transportOptions ?? {});
  }

  /**
   * The manifest's descriptor, or undefined when the registry says it does not
   * exist. One HEAD where the registry answers it fully; a GET otherwise.
   * Throws RegistryError for auth, network and other registry failures.
   */
  headManifest(ref: Reference, options?: HeadManifestOptions): Promise<Descriptor | undefined> {
    return headManifest(this.transport, ref, options);
  }

  /** The manifest with its exact bytes, digest-checked; throws NOT_FOUND when absent. */
  getManifest(ref: Reference): Promise<FetchedManifest> {
    return getManifest(this.transport, ref);
  }

  /** Like getManifest, but undefined when absent. */
  fetchManifest(ref: Reference): Promise<FetchedManifest | undefined> {
    return fetchManifest(this.transport, ref);
  }

  /** PUT exact bytes under the reference's tag (or digest); resolves to their digest. */
  putManifest(ref: Reference, bytes: Buffer, mediaType: string): Promise<Digest> {
    return putManifest(this.transport, ref, bytes, mediaType);
  }

  headBlob(repo: Repository, digest: Digest): Promise<Descriptor | undefined> {
    return headBlob(this.transport, repo, digest);
  }

  /** The blob as a stream that errors with DIGEST_MISMATCH at its end if the content is wrong. */
  getBlob(repo: Repository, digest: Digest, expectedSize?: number): Promise<Readable> {
    return getBlob(this.transport, repo, digest, expectedSize);
  }

  /** Reads and parses an image config blob (labels, created, platform). */
  async getConfig(repo: Repository, config: Descriptor): Promise<ImageConfig> {
    if (config.size > DOCUMENT_LIMIT) {
      throw new ReshipError(
        "REGISTRY",
        `image config ${config.digest} is ${config.size} bytes, more than reship reads`,
      );
    }
    const stream = await this.getBlob(repo, config.digest, config.size);
    return parseImageConfig(await readBody(stream, DOCUMENT_LIMIT, `image config ${config.digest}`));
  }

  /** Mounts a blob from another repository of the same registry: true when mounted (201). */
  async mountBlob(repo: Repository, digest: Digest, fromRepo: Repository): Promise<boolean> {
    return (await this.tryMountBlob(repo, digest, fromRepo)).mounted;
  }

  /** Like mountBlob, but hands back the upload session a 202 opened, for the upload that follows. */
  tryMountBlob(repo: Repository, digest: Digest, fromRepo: Repository): Promise<MountOutcome> {
    return tryMountBlob(this.transport, repo, digest, fromRepo);
  }

  /** Uploads a blob (streamed PUT, or PATCH chunks with `chunkSize`); `body` opens the content. */
  uploadBlob(
    repo: Repository,
    digest: Digest,
    size: number,
    body: () => Readable,
    options?: UploadOptions,
  ): Promise<void> {
    return uploadBlob(this.transport, repo, digest, size, body, options);
  }

  /** Every tag of the repository, following pagination; [] when the repository does not exist. */
  listTags(repo: Repository, options?: ListTagsOptions): Promise<string[]> {
    return listTags(this.transport, repo, options);
  }

  /** Manifests whose subject is `digest`: the referrers API, else the `<alg>-<hex>` tag. */
  referrers(repo: Repository, digest: Digest, options?: ReferrersOptions): Promise<Descriptor[]> {
    return listReferrers(this.transport, repo, digest, options);
  }

  /**
   * Pushes an artifact about `artifact.subject` and lists it among the
   * subject's referrers: by the registry's referrers API, else the `<alg>-<hex>` tag.
   */
  pushReferrer(repo: Repository, artifact: ArtifactSpec): Promise<PushedReferrer> {
    return pushReferrer(this.transport, repo, artifact);
  }
}
