/**
 * The build record: what a build cost, kept in the registry beside the image
 * it made, so that a later retag of that image can say which build it
 * avoided. It is an OCI artifact whose subject is the pushed image, of type
 * `application/vnd.reship.build-record.v1+json`, with the record in its
 * annotations (created, duration in whole milliseconds, builder), so reading
 * it back takes the referrers list only.
 *
 * Images reship builds carry the label `dev.reship.build-record: referrer`.
 * The release reads the commit image's config anyway (for its revision
 * label), so it looks for a record only where the label says there is one:
 * an image built elsewhere costs no extra request.
 *
 * Neither writing nor reading a record can fail a release: a failure becomes
 * a warning in the report.
 */
import { CREATED_LABEL } from "../oci/index.js";
import type { ArtifactSpec, Descriptor, Digest, Repository } from "../oci/index.js";
import type { RegistryClient } from "../registry/index.js";

export const BUILD_RECORD_TYPE = "application/vnd.reship.build-record.v1+json";
/** The image label that says a build record was written for the image. */
export const BUILD_RECORD_LABEL = "dev.reship.build-record";
export const BUILD_RECORD_LABEL_VALUE = "referrer";

export const DURATION_ANNOTATION = "dev.reship.build.duration-ms";
export const BUILDER_ANNOTATION = "dev.reship.build.builder";

export interface BuildRecord {
  /** The builder back end, e.g. buildah. */
  readonly builder: string;
  /** How long the build took, in whole milliseconds. */
  readonly durationMs: number;
  /** When it was recorded (RFC 3339), right after the build. */
  readonly recorded: string;
}

/** The artifact that records `record` for the image `subject`. */
export function buildRecordArtifact(subject: Descriptor, record: BuildRecord): ArtifactSpec {
  return {
    artifactType: BUILD_RECORD_TYPE,
    subject,
    annotations: {
      [CREATED_LABEL]: record.recorded,
      [DURATION_ANNOTATION]: String(Math.round(record.durationMs)),
      [BUILDER_ANNOTATION]: record.builder,
    },
  };
}

function fromAnnotations(annotations: Readonly<Record<string, string>> | undefined): BuildRecord | undefined {
  const recorded = annotations?.[CREATED_LABEL];
  const duration = annotations?.[DURATION_ANNOTATION];
  const builder = annotations?.[BUILDER_ANNOTATION];
  if (recorded === undefined || duration === undefined || builder === undefined || builder === "") return;
  if (!/^\d{1,12}$/.test(duration) || Number.isNaN(Date.parse(recorded))) return;
  return { builder, durationMs: Number(duration), recorded };
}

/**
 * The build record among an image's referrers: the most recently recorded
 * one when the same image was built more than once; undefined when none is
 * there or none is readable.
 */
export function readBuildRecord(referrers: readonly Descriptor[]): BuildRecord | undefined {
  let latest: BuildRecord | undefined;
  for (const d of referrers) {
    if (d.artifactType !== BUILD_RECORD_TYPE) continue;
    const record = fromAnnotations(d.annotations);
    if (
      record !== undefined &&
      (latest === undefined || Date.parse(record.recorded) > Date.parse(latest.recorded))
    )
      latest = record;
  }
  return latest;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Writes the record of a build of `subject` into `repo`; a warning when it could not. Never throws. */
export async function writeBuildRecord(
  client: RegistryClient,
  repo: Repository,
  subject: Descriptor,
  record: BuildRecord,
): Promise<string | undefined> {
  try {
    await client.pushReferrer(repo, buildRecordArtifact(subject, record));
    return undefined;
  } catch (err) {
    return `the build record of ${subject.digest} was not written, so later retags cannot report the build time: ${message(err)}`;
  }
}

/** Looks the build record of the image `subject` up in `repo`; a warning when the lookup failed. Never throws. */
export async function lookUpBuildRecord(
  client: RegistryClient,
  repo: Repository,
  subject: Digest,
): Promise<{ record: BuildRecord | undefined; warning: string | undefined }> {
  try {
    const referrers = await client.referrers(repo, subject, { artifactType: BUILD_RECORD_TYPE });
    return { record: readBuildRecord(referrers), warning: undefined };
  } catch (err) {
    return {
      record: undefined,
      warning: `the build record of ${subject} could not be read: ${message(err)}`,
    };
  }
}
